"""The whole index as plain values (`IndexState`), checked before use, for a snapshot a restart
restores (`claims.snapshot` stores it)."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Self, TypeVar

import numpy as np

from claims.match.columns import _Column
from claims.models import Claim
from claims.text import ENTITY_PREFIX, Normaliser

T = TypeVar("T")
# The arrays of an `IndexState`: their type, and what their length counts.
STATE_ARRAYS: dict[str, tuple[np.dtype, str]] = {
    "alive": (np.dtype(np.bool_), "rows"), "slot_mask": (np.dtype(np.int64), "rows"),
    "slot_mask_2": (np.dtype(np.int64), "rows"), "vocab_start": (np.dtype(np.int32), "rows"),
    "vocab_end": (np.dtype(np.int32), "rows"), "vocab": (np.dtype(np.int32), "vocab"),
    "wording_start": (np.dtype(np.int32), "rows"), "wording_end": (np.dtype(np.int32), "rows"),
    "wording_text": (np.dtype(np.int32), "wordings"), "wording_terms_start": (np.dtype(np.int32), "wordings"),
    "wording_terms_end": (np.dtype(np.int32), "wordings"), "wording_terms": (np.dtype(np.int32), "wording terms"),
    "term_len": (np.dtype(np.int32), "terms"), "term_mask": (np.dtype(np.uint64), "terms"),
    "fuzzy_ok": (np.dtype(np.bool_), "terms"), "df": (np.dtype(np.int64), "terms"),
    "own": (np.dtype(np.int32), "rows"), "slot_set": (np.dtype(np.int32), "rows"),
    "posting_rows": (np.dtype(np.int32), "postings"),
    "posting_start": (np.dtype(np.int64), "terms at the last bulk build, + 1"),
    "extra_terms": (np.dtype(np.int32), "extras"), "extra_len": (np.dtype(np.int64), "extras"),
    "extra_rows": (np.dtype(np.int64), "extra rows"),
}


class IndexStates:
    """A `Matcher`'s index exported to and restored from plain values."""

    @property
    def generation(self) -> int:
        """A number every edit of the index changes."""
        return self._generation

    def export(self, write: Callable[[IndexState], T], generation: int | None = None) -> T | None:
        """`write(state)` of the index's state (`state`, its arrays views into the index) under
        the index's lock, so no edit changes it meanwhile; None, without calling `write`, when
        the index was edited since `generation` was read."""
        with self._lock:
            if generation is not None and generation != self._generation:
                return None
            return write(self.state(copy=False))

    def state(self, copy: bool = True) -> IndexState:
        """Everything the index holds, as arrays and lists of plain values (without `copy`, the
        arrays are views into the index: see `export`). `Matcher.restored` gives back an index
        that holds exactly this."""
        with self._lock:
            arrays = {name.lstrip("_"): getattr(self, name).view()
                      for name in (*self._row_columns(), "_term_len", "_term_mask", "_fuzzy_ok")}
            if copy:
                arrays = {name: values.copy() for name, values in arrays.items()}
            slot_sets = list(self._slot_sets)
            slot_set_of = {s: n for n, s in enumerate(slot_sets)}
            extra_terms = sorted(self._posting_extra)
            extra = [self._posting_extra[t] for t in extra_terms]
            arrays.update(
                df=np.array(self._df, dtype=np.int64), own=np.array(self._own, dtype=np.int32),
                slot_set=np.array([slot_set_of[s] for s in self._row_slots], dtype=np.int32),
                posting_rows=self._posting_rows.copy() if copy else self._posting_rows,
                posting_start=self._posting_start.copy() if copy else self._posting_start,
                extra_terms=np.array(extra_terms, dtype=np.int32),
                extra_len=np.array([len(e) for e in extra], dtype=np.int64),
                extra_rows=np.concatenate(extra).astype(np.int64) if extra else np.zeros(0, dtype=np.int64))
            return IndexState(
                arrays=arrays, terms=list(self._term_str), ids=list(self._ids),
                slot_sets=[sorted(s) for s in slot_sets],
                slot_bits=[(slot, word, bit) for slot, (word, bit) in self._slot_bit.items()])

    @classmethod
    def restored(cls, normaliser: Normaliser, state: IndexState,
                 source: MutableMapping[str, Claim] | None = None) -> Self:
        """The index `state` describes (`Matcher.state` of an index built with this normaliser),
        without normalising or parsing anything. ValueError when the state does not hold
        together (a value out of range, arrays of different lengths): it is never half-used."""
        _check_state(state)
        started = time.perf_counter()
        matcher = cls(normaliser, source=source)
        a = state.arrays
        for name in (*cls._row_columns(), "_term_len", "_term_mask", "_fuzzy_ok"):
            column = getattr(matcher, name)
            setattr(matcher, name, _Column(column.data.dtype, a[name.lstrip("_")]))
        matcher._term_str = list(state.terms)
        matcher._term_id = {term: tid for tid, term in enumerate(matcher._term_str)}
        matcher._df = a["df"].tolist()
        matcher._ids = list(state.ids)
        matcher._row_of = {cid: row for row, cid in enumerate(matcher._ids) if cid is not None}
        matcher._own = a["own"].tolist()
        sets = [frozenset(s) for s in state.slot_sets]
        matcher._slot_sets = {s: s for s in sets}
        matcher._row_slots = [sets[n] for n in a["slot_set"].tolist()]
        matcher._slot_bit = {slot: (word, bit) for slot, word, bit in state.slot_bits}
        matcher._posting_rows = a["posting_rows"].astype(np.int32)
        matcher._posting_start = a["posting_start"].astype(np.int64)
        ends = np.cumsum(a["extra_len"])
        matcher._posting_extra = {tid: a["extra_rows"][end - length:end].astype(np.intp)
                                  for tid, length, end in zip(a["extra_terms"].tolist(), a["extra_len"].tolist(),
                                                              ends.tolist(), strict=True)}
        matcher._alive_count = len(matcher._row_of)
        matcher._generation += 1
        matcher._vocab_generation += 1
        # The wordings' weights are not in the state (they follow from it): computed once here,
        # ~0.06 s at 100,000 claims, so the first check need not.
        matcher._inverse_min_weights()
        matcher.build_seconds = {"restore": time.perf_counter() - started}
        return matcher


@dataclass


class IndexState:
    """A `Matcher`'s index as plain values: numpy arrays (`STATE_ARRAYS`) and lists of strings.

    Rows are claims (a removed claim's row stays, its id None, until compaction), term ids index
    `terms`, and each row's slot kinds are `slot_sets[arrays["slot_set"][row]]`."""

    arrays: dict[str, np.ndarray]
    terms: list[str]
    ids: list[str | None]
    slot_sets: list[list[str]]
    slot_bits: list[tuple[str, int, int]]  # slot kind, mask word, bit


def _check_state(state: IndexState) -> None:
    """ValueError unless `state` holds together: every array of its type and length, every
    range and id in bounds, the term counts those of the live rows. A state that passes cannot
    make the index fail or read outside its arrays (the stored form's checksum guards the rest)."""
    a = state.arrays
    if set(a) != set(STATE_ARRAYS):
        raise ValueError(f"index state arrays {sorted(set(a) ^ set(STATE_ARRAYS))} missing or unknown")
    rows, terms = len(state.ids), len(state.terms)
    lengths = {"rows": rows, "terms": terms, "wordings": len(a["wording_text"]),
               "extras": len(a["extra_terms"])}
    for name, (dtype, counts) in STATE_ARRAYS.items():
        if not isinstance(a[name], np.ndarray) or a[name].dtype != dtype or a[name].ndim != 1:
            raise ValueError(f"index state array {name} is not a flat {dtype} array")
        if counts in lengths and len(a[name]) != lengths[counts]:
            raise ValueError(f"index state array {name} has {len(a[name])} values, not one per {counts} "
                             f"({lengths[counts]})")

    def within(name: str, values: np.ndarray, low: int, high: int) -> None:
        if len(values) and (int(values.min()) < low or int(values.max()) >= high):
            raise ValueError(f"index state array {name} has values outside {low}..{high - 1}")

    # Rows' terms and wordings, and wordings' terms, are appended in order: their ranges tile
    # the arrays they cut, one after the other.
    for start, end, target in (("vocab_start", "vocab_end", "vocab"), ("wording_start", "wording_end", "wording_text"),
                               ("wording_terms_start", "wording_terms_end", "wording_terms")):
        starts, ends = a[start], a[end]
        if len(starts) == 0:
            tiled = len(a[target]) == 0
        else:
            tiled = (starts[0] == 0 and ends[-1] == len(a[target]) and np.array_equal(starts[1:], ends[:-1])
                     and not np.any(starts > ends))
        if not tiled:
            raise ValueError(f"index state arrays {start} and {end} do not cut {target} in order")
    for name in ("vocab", "wording_terms", "extra_terms"):
        within(name, a[name], 0, terms)
    for name in ("posting_rows", "extra_rows"):
        within(name, a[name], 0, rows)
    within("slot_set", a["slot_set"], 0, len(state.slot_sets))
    within("own", a["own"], 1, 2**31 - 1)
    within("wording_text", a["wording_text"], 0, 2**31 - 1)
    within("extra_len", a["extra_len"], 1, len(a["extra_rows"]) + 1)
    starts = a["posting_start"]
    if (not 1 <= len(starts) <= terms + 1 or starts[0] != 0 or starts[-1] != len(a["posting_rows"])
            or np.any(np.diff(starts) < 0)):
        raise ValueError("index state array posting_start does not cut posting_rows")
    extra_terms = a["extra_terms"].tolist()
    if int(a["extra_len"].sum()) != len(a["extra_rows"]) or len(set(extra_terms)) != len(extra_terms):
        raise ValueError("index state arrays extra_* do not hold together")
    if any(not isinstance(t, str) for t in state.terms) or len(set(state.terms)) != terms:
        raise ValueError("index state terms are not distinct strings")
    alive = [cid is not None for cid in state.ids]
    live_ids = [cid for cid in state.ids if cid is not None]
    if (any(not isinstance(cid, str) for cid in live_ids) or len(set(live_ids)) != len(live_ids)
            or a["alive"].tolist() != alive):
        raise ValueError("index state ids are not distinct strings, one per live row")
    if a["term_len"].tolist() != [len(t) for t in state.terms]:
        raise ValueError("index state array term_len does not match its terms")
    live_terms = np.repeat(a["alive"], a["vocab_end"] - a["vocab_start"])
    if not np.array_equal(np.bincount(a["vocab"][live_terms], minlength=terms), a["df"]):
        raise ValueError("index state array df is not the live rows' term counts")
    if a["fuzzy_ok"].tolist() != [df > 0 and not t.startswith(ENTITY_PREFIX)
                                  for df, t in zip(a["df"].tolist(), state.terms, strict=True)]:
        raise ValueError("index state array fuzzy_ok does not match its terms")
    if (any(not isinstance(s, list) or any(not isinstance(x, str) for x in s) for s in state.slot_sets)
            or any(not (isinstance(slot, str) and word in (0, 1) and isinstance(bit, int) and bit > 0)
                   for slot, word, bit in state.slot_bits)):
        raise ValueError("index state slot kinds are malformed")

"""The index's data: per claim its terms and wordings as term ids in flat arrays, per term the rows
of the claims using it, and the edits that keep them current (`add`, `remove`, compaction)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, MutableMapping
from typing import Self

import numpy as np

from claims.match.columns import _Column, _ranges, _starts
from claims.match.entries import (
    _Batch,
    _payload_batches,
    _read_batches,
    batch_of_payloads,
    read_batch,
)
from claims.match.scores import (
    _BOUND_SCALE,
    SLOT_BONUS,
    slot_bonus,
)
from claims.models import Claim
from claims.text import ENTITY_PREFIX, Normaliser

# Rows per block when computing every row's lightest wording.
_WEIGHT_BLOCK = 16_384
# Rebuild the arrays without removed claims once this share of rows is dead.
_COMPACT_SHARE = 0.25
_COMPACT_MIN = 256
# A claim's slot mask is two int64 words. Bit 0 of the first: it has some count (a statement's
# unit-less "count" earns a bonus then); the other bits stand for the slot kinds seen so far, in
# order (a large base has about 75: dates, years, counts per unit, places). Kinds beyond these
# bits are untracked: every claim's bound then assumes it has them.
_ANY_COUNT_BIT = 1
_BITS_PER_WORD = 62
_MAX_SLOT_BITS = 2 * _BITS_PER_WORD


class Index:
    """The index's arrays and their edits (see the module). Safe to use from several threads: reads
    and edits take `_lock`."""

    def __init__(self, normaliser: Normaliser, claims: Iterable[Claim] = (), *,
                 source: MutableMapping[str, Claim] | None = None, payloads: list[tuple[str, str]] | None = None):
        """Index `claims`; or, with `payloads` ((claim id, `claim_payload`) of every active claim),
        build the same index without normalising. `source` holds the claims by id (it may read
        them lazily: a claim is only looked at when it is scored); by default the index keeps its
        own."""
        self.normaliser = normaliser
        self._lock = threading.RLock()
        self._source: MutableMapping[str, Claim] = source if source is not None else {}
        # terms
        self._term_id: dict[str, int] = {}
        self._term_str: list[str] = []
        self._df: list[int] = []  # how many indexed claims use each term
        self._term_len = _Column(np.int32)
        self._term_mask = _Column(np.uint64)
        self._fuzzy_ok = _Column(np.bool_)  # in the vocabulary fuzzy expansion searches
        # claims, one row each; a removed claim's row stays (dead) until compaction
        self._row_of: dict[str, int] = {}
        self._ids: list[str | None] = []  # per row: its claim's id (None once removed)
        self._own: list[int] = []  # per row: how many of its texts are the claim's own wordings
        self._row_slots: list[frozenset[str]] = []
        self._alive = _Column(np.bool_)
        self._slot_mask = _Column(np.int64)
        self._slot_mask_2 = _Column(np.int64)
        self._vocab_start = _Column(np.int32)  # a row's term ids: _vocab[start:end]
        self._vocab_end = _Column(np.int32)
        self._vocab = _Column(np.int32)
        self._wording_start = _Column(np.int32)  # a row's wordings: [start:end] of the wording columns
        self._wording_end = _Column(np.int32)
        self._wording_text = _Column(np.int32)  # which of the claim's texts
        self._wording_terms_start = _Column(np.int32)  # a wording's term ids: _wording_terms[start:end]
        self._wording_terms_end = _Column(np.int32)
        self._wording_terms = _Column(np.int32)
        # Per term, the rows of the claims using it (removed ones included until compaction): one
        # flat array cut by term at the last bulk build, plus the rows added since.
        self._posting_rows = np.zeros(0, dtype=np.int32)
        self._posting_start = np.zeros(1, dtype=np.int64)  # term id t: _posting_rows[start[t]:start[t+1]]
        self._posting_extra: dict[int, np.ndarray] = {}
        self._alive_count = 0
        self._slot_bit: dict[str, tuple[int, int]] = {}  # slot kind -> (mask word, bit)
        self._slot_sets: dict[frozenset[str], frozenset[str]] = {}
        # caches, each tied to the state it was computed for
        self._generation = 0  # bumped by every edit: IDF weights change with the base's size
        self._idf_generation = -1
        self._idf_list: list[float] = []
        self._idf_array = np.zeros(0)
        self._inverse_min_weight = np.zeros(0)  # per row (see `_inverse_min_weights`)
        self._inverse_wording_weight = np.zeros(0)  # per wording: 1 / its IDF weight, kept with its row's
        self._weight_stamp = np.zeros(0, dtype=np.int64)  # per row: the generation its weights are of
        self._vocab_generation = 0  # bumped when a term enters or leaves the vocabulary
        self._expand_generation = 0
        self._expand_cache: dict[str, dict[str, float]] = {}
        self._scratch: dict[str, np.ndarray] = {}  # see `_zeros`
        self.build_seconds: dict[str, float] = {}
        if payloads is not None:
            self._bulk_load_payloads(payloads)
        else:
            self._bulk_load(claims)

    def clone(self, source: MutableMapping[str, Claim] | None = None) -> Self:
        """An independent copy: editing it leaves this one as it is. A workspace that edits a
        base it shared with others gets a clone with its edits applied, which costs a copy of
        the arrays instead of normalising every wording again. `source` holds its claims (by
        default a copy of this one's)."""
        with self._lock:
            other = type(self).__new__(type(self))
            for name, value in vars(self).items():
                if name == "_source":
                    value = source if source is not None else dict(value)
                elif isinstance(value, _Column):
                    value = _Column(value.data.dtype, value.view())
                elif isinstance(value, list | dict):
                    value = type(value)(value)
                elif isinstance(value, np.ndarray):
                    value = value.copy()
                setattr(other, name, value)
            other._lock = threading.RLock()
            other._scratch = {}  # its searches run under its own lock
            return other

    def _bulk_load(self, claims: Iterable[Claim]) -> None:
        """Index many claims at once: the same as adding them one by one, with the posting
        arrays built once at the end instead of grown claim by claim."""
        latest: dict[str, Claim | None] = {}
        for claim in claims:
            latest.pop(claim.id, None)  # a later copy of a claim replaces the earlier one
            latest[claim.id] = claim if claim.status == "active" else None
            self._source.setdefault(claim.id, claim)
        active = [claim for claim in latest.values() if claim is not None]
        self._bulk(batch for _, batch in _read_batches(self.normaliser, active))

    def _bulk_load_payloads(self, payloads: list[tuple[str, str]]) -> None:
        self._bulk(_payload_batches(payloads))

    def _bulk(self, batches: Iterable[_Batch]) -> None:
        """Append batches with the posting arrays built once at the end (not grown claim by claim)."""
        started = time.perf_counter()
        with self._lock:
            columns = [getattr(self, name) for name in self._row_columns()]
            for column in columns:
                column.bulk()
            for batch in batches:
                self._append_batch(batch, index_postings=False)
            normalised = time.perf_counter()
            for column in columns:
                column.finish()
            self._build_postings()
            self._inverse_min_weights()  # the first check need not wait for these
        self.build_seconds = {"normalise": normalised - started, "index": time.perf_counter() - normalised}

    def payload(self, claim_id: str) -> str:
        """An indexed claim's `claim_payload`, read back from the index (to store for a restart)."""
        with self._lock:
            row = self._row_of[claim_id]
            first, last = int(self._wording_start.data[row]), int(self._wording_end.data[row])
            wordings = []
            for w in range(first, last):
                start, end = int(self._wording_terms_start.data[w]), int(self._wording_terms_end.data[w])
                terms = " ".join(self._term_str[t] for t in self._wording_terms.data[start:end].tolist())
                wordings.append(f"{int(self._wording_text.data[w])} {terms}")
            return f"{self._own[row]}\t{','.join(sorted(self._row_slots[row]))}\t{'|'.join(wordings)}"

    def _intern(self, term: str) -> int:
        tid = self._term_id.get(term)
        if tid is None:
            with self._lock:
                tid = self._term_id.get(term)
                if tid is None:
                    tid = len(self._term_str)
                    self._term_id[term] = tid
                    self._term_str.append(term)
                    self._df.append(0)
                    self._term_len.extend([len(term)])
                    self._term_mask.extend([_char_mask(term)])
                    self._fuzzy_ok.extend([False])
        return tid

    def _intern_all(self, terms: list[str]) -> np.ndarray:
        """`_intern` of many terms at once: a restart interns ~300,000, and a call each cost seconds."""
        known = self._term_id.get
        ids = [known(t, -1) for t in terms]
        if -1 in ids:
            with self._lock:
                ids = [known(t, -1) for t in terms]  # as of now, under the lock
                new = list(dict.fromkeys(t for t, tid in zip(terms, ids, strict=True) if tid < 0))
                first = len(self._term_str)
                self._term_id.update(zip(new, range(first, first + len(new)), strict=True))
                self._term_str.extend(new)
                self._df.extend([0] * len(new))
                # one append per column for all of them (a call per term cost a second at a restart)
                self._term_len.extend([len(t) for t in new])
                self._term_mask.extend([_char_mask(t) for t in new])
                self._fuzzy_ok.extend([False] * len(new))
                ids = [known(t) for t in terms]
        return np.array(ids, dtype=np.int32)

    def _slot_mask_of(self, slots: frozenset[str]) -> tuple[int, int]:
        masks = [0, 0]
        for slot in sorted(slots):  # bits in a fixed order, however the set was built
            if slot.startswith("count"):
                masks[0] |= _ANY_COUNT_BIT
            place = self._slot_bit.get(slot)
            if place is None and len(self._slot_bit) < _MAX_SLOT_BITS:
                word, index = divmod(len(self._slot_bit), _BITS_PER_WORD)
                place = self._slot_bit[slot] = (word, 1 << (index + 1))
            if place is not None:
                masks[place[0]] |= place[1]
        return masks[0], masks[1]

    def _append_batch(self, batch: _Batch, index_postings: bool = True) -> None:
        """Append a row per claim, with a few vectorised steps per column rather than per term."""
        first_row = len(self._ids)
        n = len(batch.ids)
        ids = self._intern_all(batch.terms)
        vocab = ids[batch.vocab]
        for offset, claim_id in enumerate(batch.ids):
            self._row_of[claim_id] = first_row + offset
        self._ids.extend(batch.ids)
        self._own.extend(batch.own.tolist())
        slots = [self._slot_sets.setdefault(s, s) for s in batch.slots]
        self._row_slots.extend(slots)
        self._alive.extend(np.ones(n, dtype=np.bool_))
        masks = np.array([self._slot_mask_of(s) for s in slots], dtype=np.int64).reshape(n, 2)
        self._slot_mask.extend(masks[:, 0])
        self._slot_mask_2.extend(masks[:, 1])
        vocab_starts = _starts(batch.vocab_len, self._vocab.extend(vocab))
        self._vocab_start.extend(vocab_starts)
        self._vocab_end.extend(vocab_starts + batch.vocab_len)
        wording_starts = _starts(batch.wordings, self._wording_text.length)
        self._wording_start.extend(wording_starts)
        self._wording_end.extend(wording_starts + batch.wordings)
        self._wording_text.extend(batch.wording_text)
        term_starts = _starts(batch.wording_len, self._wording_terms.extend(ids[batch.wording_terms]))
        self._wording_terms_start.extend(term_starts)
        self._wording_terms_end.extend(term_starts + batch.wording_len)
        used = np.bincount(vocab, minlength=len(self._term_str)) if len(vocab) else np.zeros(0, dtype=np.int64)
        for tid in np.flatnonzero(used).tolist():
            if self._df[tid] == 0:
                self._term_enters(tid)
            self._df[tid] += int(used[tid])
        if index_postings:
            rows = np.repeat(np.arange(first_row, first_row + n), batch.vocab_len)
            for tid, row in zip(vocab.tolist(), rows.tolist(), strict=True):
                old = self._posting_extra.get(tid)
                self._posting_extra[tid] = np.array([row], dtype=np.intp) if old is None else np.append(old, row)
        self._alive_count += n
        self._generation += 1

    def _term_enters(self, tid: int) -> None:
        self._fuzzy_ok.data[tid] = not self._term_str[tid].startswith(ENTITY_PREFIX)
        self._vocab_generation += 1

    def _term_leaves(self, tid: int) -> None:
        self._fuzzy_ok.data[tid] = False
        self._vocab_generation += 1

    def _build_postings(self) -> None:
        """Cut the flat posting array from the rows' terms (after a bulk load or a compaction,
        when every row is alive)."""
        vocab = self._vocab.view()
        self._posting_extra = {}
        # Group the rows' term ids by term, rows in order within a term (a stable sort), and find
        # each position's row from where the rows' terms start.
        order = np.argsort(vocab, kind="stable").astype(np.int32)  # int32 halves the peak at 100k claims
        sorted_terms = vocab[order]
        # The last row starting at or before a position owns it (rows without terms start where
        # the next row does, so they own nothing).
        rows = np.searchsorted(self._vocab_start.view(), order, side="right")
        del order
        rows -= 1
        self._posting_rows = rows.astype(np.int32)
        del rows
        self._posting_start = np.searchsorted(sorted_terms, np.arange(len(self._term_str) + 1)).astype(np.int64)

    def _rows_of(self, tid: int) -> list[np.ndarray]:
        """The rows of the claims using a term, in one or two arrays (bulk-built, added since)."""
        parts = []
        if tid + 1 < len(self._posting_start):
            start, end = int(self._posting_start[tid]), int(self._posting_start[tid + 1])
            if end > start:
                parts.append(self._posting_rows[start:end])
        extra = self._posting_extra.get(tid)
        if extra is not None:
            parts.append(extra)
        return parts

    def add_entries(self, entries: list[tuple[str, str]]) -> None:
        """Index claims from their index entries ((claim id, `claim_payload`), replacing earlier
        versions of them), without normalising: the claims themselves are `source`'s."""
        batch = batch_of_payloads(entries)
        with self._lock:
            for claim_id, _ in entries:
                self.remove(claim_id)
            self._append_batch(batch)

    def add(self, claim: Claim) -> None:
        """Index a claim (replacing any earlier version of it). Retired claims are not indexed."""
        with self._lock:
            self.remove(claim.id)
            if claim.status != "active":
                return
        batch = read_batch(self.normaliser, [claim])  # outside the lock: normalising is the slow part
        with self._lock:
            self.remove(claim.id)  # another thread may have added it meanwhile
            self._source[claim.id] = claim
            self._append_batch(batch)

    def remove(self, claim_id: str) -> None:
        """Drop a claim from the index."""
        with self._lock:
            row = self._row_of.pop(claim_id, None)
            if row is None:
                return
            self._alive.data[row] = False
            self._ids[row] = None
            start, end = int(self._vocab_start.data[row]), int(self._vocab_end.data[row])
            for tid in self._vocab.data[start:end].tolist():
                self._df[tid] -= 1
                if self._df[tid] == 0:
                    self._term_leaves(tid)
            self._alive_count -= 1
            self._generation += 1
            dead = len(self._ids) - self._alive_count
            if dead >= _COMPACT_MIN and dead > _COMPACT_SHARE * len(self._ids):
                self._compact()

    @staticmethod
    def _row_columns() -> tuple[str, ...]:
        """The columns with a value per claim row, per wording or per wording term."""
        return ("_alive", "_slot_mask", "_slot_mask_2", "_vocab_start", "_vocab_end", "_vocab", "_wording_start",
                "_wording_end", "_wording_text", "_wording_terms_start", "_wording_terms_end", "_wording_terms")

    def _compact(self) -> None:
        """Rebuild the arrays without the removed claims' rows (their terms are kept)."""
        kept = [row for row, claim_id in enumerate(self._ids) if claim_id is not None]
        batch = self._batch_of_rows(np.array(kept, dtype=np.int64))
        columns = []
        for name in self._row_columns():
            column = _Column(getattr(self, name).data.dtype)
            column.bulk()
            setattr(self, name, column)
            columns.append(column)
        self._row_of, self._ids, self._own, self._row_slots = {}, [], [], []
        self._df = [0] * len(self._term_str)
        self._fuzzy_ok = _Column(np.bool_, np.zeros(len(self._term_str), dtype=np.bool_))
        self._alive_count = 0
        self._append_batch(batch, index_postings=False)
        for column in columns:
            column.finish()
        self._build_postings()
        self._vocab_generation += 1
        self._generation += 1

    def _batch_of_rows(self, rows: np.ndarray) -> _Batch:
        """Indexed rows as a batch (its term ids are the index's own)."""
        vocab_len = (self._vocab_end.view()[rows] - self._vocab_start.view()[rows]).astype(np.int32)
        wordings = (self._wording_end.view()[rows] - self._wording_start.view()[rows]).astype(np.int32)
        vocab_at, _ = _ranges(self._vocab_start.view()[rows], self._vocab_end.view()[rows])
        wording_at, _ = _ranges(self._wording_start.view()[rows], self._wording_end.view()[rows])
        starts, ends = self._wording_terms_start.view()[wording_at], self._wording_terms_end.view()[wording_at]
        terms_at, _ = _ranges(starts, ends)
        return _Batch(
            ids=[self._ids[row] for row in rows.tolist()],  # type: ignore[misc]
            own=np.array([self._own[row] for row in rows.tolist()], dtype=np.int32),
            terms=list(self._term_str), slots=[self._row_slots[row] for row in rows.tolist()],
            vocab=self._vocab.view()[vocab_at], vocab_len=vocab_len, wordings=wordings,
            wording_text=self._wording_text.view()[wording_at], wording_len=(ends - starts).astype(np.int32),
            wording_terms=self._wording_terms.view()[terms_at],
        )

    def __len__(self) -> int:
        return self._alive_count

    def idf(self, term: str) -> float:
        """Rarity of a term in the base; a term no claim uses is as rare as can be."""
        n = self._alive_count + 1
        tid = self._term_id.get(term)
        df = self._df[tid] if tid is not None else 0
        return math.log(1 + n / (df + 0.5))

    def _idf_table(self) -> tuple[list[float], np.ndarray]:
        """`idf` of every term id, as a list and as an array, until the next edit.

        The values are computed by `idf`'s formula with math.log, and the array holds the same
        floats, so scores computed from either are those `idf` gives."""
        if self._idf_generation != self._generation:
            n = self._alive_count + 1
            self._idf_list = [math.log(1 + n / (df + 0.5)) for df in self._df]
            self._idf_array = np.array(self._idf_list, dtype=np.float64)
            self._idf_generation = self._generation
        return self._idf_list, self._idf_array

    def _vocabulary(self) -> list[str]:
        """The terms fuzzy expansion may reach: those in use, entities aside, sorted."""
        ok = np.flatnonzero(self._fuzzy_ok.view()).tolist()
        return sorted(self._term_str[t] for t in ok)

    def _posting(self, term: str) -> np.ndarray:
        """Rows of the claims using a term (removed claims' rows may remain until compaction)."""
        tid = self._term_id.get(term)
        parts = self._rows_of(tid) if tid is not None else []
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)

    def claim(self, claim_id: str) -> Claim:
        """The indexed claim with this id (KeyError when it is not indexed: unknown or retired)."""
        self._row_of[claim_id]
        return self._source[claim_id]

    def _inverse_min_weights(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Per row, 1 / the IDF weight of its lightest wording (0 for rows without wordings).

        Every weight changes with every edit (IDF depends on the size of the base), so each row's
        value carries the generation it was computed at, and only the rows asked for (`rows`;
        None: all) are brought up to date: the first check after an edit pays for the claims it
        looks at, not for the whole base. Their wordings' weights (`_inverse_wording_weight`)
        are brought up to date with them."""
        total = len(self._wording_start.view())
        if len(self._inverse_min_weight) < total:
            grown = np.zeros(total)
            grown[: len(self._inverse_min_weight)] = self._inverse_min_weight
            stamps = np.full(total, -1, dtype=np.int64)
            stamps[: len(self._weight_stamp)] = self._weight_stamp
            self._inverse_min_weight, self._weight_stamp = grown, stamps
        wordings_total = len(self._wording_text.view())
        if len(self._inverse_wording_weight) < wordings_total:
            grown = np.zeros(wordings_total + wordings_total // 8)  # room for a few more claims
            grown[: len(self._inverse_wording_weight)] = self._inverse_wording_weight
            self._inverse_wording_weight = grown
        if rows is None:
            rows = np.arange(total)
        stale = rows[self._weight_stamp[rows] != self._generation]
        if len(stale):
            _, idf = self._idf_table()
            starts, ends = self._wording_start.view(), self._wording_end.view()
            # A block of rows at a time: the weights of every wording term at once would be a
            # large temporary array for a large base.
            for first in range(0, len(stale), _WEIGHT_BLOCK):
                block = stale[first: first + _WEIGHT_BLOCK]
                rows_with = block[ends[block] > starts[block]]
                self._inverse_min_weight[block] = 0.0
                if len(rows_with):
                    wordings, per_row = _ranges(starts[rows_with], ends[rows_with])
                    terms, per_wording = _ranges(self._wording_terms_start.data[wordings],
                                                 self._wording_terms_end.data[wordings])
                    # every wording has a term (`batch_of_claims` keeps no empty one)
                    weights = np.add.reduceat(idf[self._wording_terms.data[terms]],
                                              np.cumsum(per_wording) - per_wording)
                    self._inverse_wording_weight[wordings] = 1.0 / weights
                    lightest = np.minimum.reduceat(weights, np.cumsum(per_row) - per_row)
                    self._inverse_min_weight[rows_with] = _BOUND_SCALE / lightest
            self._weight_stamp[stale] = self._generation
        return self._inverse_min_weight

    def _bonuses(self, rows: np.ndarray, slots: frozenset[str]) -> np.ndarray:
        """The detail bonus each row would earn for these statement slots (as in `score`)."""
        masks = (self._slot_mask.view()[rows], self._slot_mask_2.view()[rows])
        out = np.zeros(len(rows))
        for slot in slots:
            if slot == "count":
                out += np.where(masks[0] & _ANY_COUNT_BIT, SLOT_BONUS, 0.0)
                continue
            place = self._slot_bit.get(slot)
            if place is not None:
                out += np.where(masks[place[0]] & place[1], slot_bonus(slot), 0.0)
            elif len(self._slot_bit) >= _MAX_SLOT_BITS:
                out += slot_bonus(slot)  # an untracked kind: assume every claim may have it
        return out


def _char_mask(term: str) -> int:
    """One bit per character (letters exactly, others hashed): two terms differing in k of these
    bits need at least k insertions or deletions to turn into each other."""
    mask = 0
    for ch in term:
        code = ord(ch)
        mask |= 1 << (code - 97 if 97 <= code <= 122 else 26 + code % 37)
    return mask

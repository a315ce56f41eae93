"""Match a statement to the claim it is about: candidate retrieval, then fuzzy scoring.

Matching compares topics, not details: dates and numbers are left out of the terms (they are
the verdict's business), so "Only 1,000 US troops are in Iraq" finds the troop-count claim and
the verdict then finds the number wrong.

Two steps, kept apart so that retrieval can be fast without touching scoring or verdicts:

1. Retrieval: the claims sharing at least one term (exactly, or as a close spelling) with the
   statement. A claim sharing none scores zero, so skipping it never changes the result.
2. `score`: how much of the statement the claim explains and how much of one of the claim's
   wordings the statement covers, each term weighted by its rarity (IDF) in the base, with
   rapidfuzz similarity for misspelt terms. Claims of equal score are ranked by how well their
   own statement and aliases match (a version's text is one source's report, not the claim's
   wording), then by id (`Matcher.rank`).

Retrieval stays fast as the base grows to 100,000 claims without changing any result:

- The index keeps, per term, the rows of the claims using it (one flat numpy array cut by term,
  plus the rows added since it was built), and per claim its terms and wordings as term ids in
  flat arrays, so memory stays small. Edits (`add`, `remove`) update it in place; removed
  claims' rows are skipped until enough of them pile up to rebuild the arrays without them.
- `match` computes, for every claim sharing a term, an upper bound of its score with a few
  vectorised passes over the statement terms' posting lists: the recall part of the score is
  computed exactly, the coverage part bounded from above (see `_search`). Claims are then scored
  exactly, best bound first, until no remaining bound can reach the result: the top claim and
  the suggestions are exactly those a scan scoring every claim finds (`match_full_scan`).
- Fuzzy expansion of a statement term only runs rapidfuzz over the vocabulary terms that could
  reach FUZZY_CUTOFF (a length and character-set filter that never drops one), so its result is
  that of `process.extract` over the whole vocabulary.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
from rapidfuzz import fuzz, process

from claims.models import Claim
from claims.text import ENTITY_PREFIX, Normalised, Normaliser
from claims.values import parse_date_span, year_slots

# Scores are 0-100. At or above MATCH the bot answers; between POSSIBLE and MATCH it offers the
# claims as "did you mean" and abstains; below POSSIBLE it has nothing.
MATCH = 62.0
POSSIBLE = 42.0
# A misspelt term counts when it is this close to a known one (rapidfuzz ratio, 0-100).
FUZZY_CUTOFF = 84.0
# Weight of "how much of the statement the claim explains" against "how much of the claim
# the statement covers", combined as a weighted geometric mean so that neither can be zero: a
# statement may leave details out, but what it adds must be explained.
STATEMENT_SHARE = 0.6
MAX_SUGGESTIONS = 3
# Points for each kind of detail (a troop count, a date, a duration) that both the statement
# and the claim have: "1,000 troops are left in Iraq" is about the troop count, not advisers.
SLOT_BONUS = 5.0
COUNT_BONUS = 9.0  # a count in the unit the claim counts is a strong sign it is the claim meant

Outcome = Literal["match", "possible", "none"]
T = TypeVar("T")

# A claim is skipped only when its score bound is below the score to beat by more than this:
# scores are rounded to 0.1 (a raw 41.96 shows as 42.0), and the bound is computed in a
# different order than the score, so it may differ from it in the last bits.
_ROUNDING_SLACK = 0.06
_BOUND_SCALE = 1 + 1e-9
# Claims scored exactly per round of the search; the first rounds are small because the best
# bounds usually belong to the best claims, which then set the bar for all others.
_BATCHES = (16, 64, 256, 1024)
# Up to this many rows are scored one by one, in plain Python; more, with arrays.
_ONE_BY_ONE = 6
# How many of a round's claims are scored at once, best bound first (the last: all the rest).
_SCORE_CHUNKS = (1, 3, 1 << 30)
# Rows scored at once by the full scan (it holds a few arrays of this many rows' wordings).
_SCAN_BLOCK = 4096
# Rows per block when computing every row's lightest wording.
_WEIGHT_BLOCK = 16_384
# Rebuild the arrays without removed claims once this share of rows is dead.
_COMPACT_SHARE = 0.25
_COMPACT_MIN = 256
# Statement terms whose expansion is kept (until the vocabulary changes): chat repeats itself.
_EXPAND_CACHE_MAX = 50_000
# A claim's slot mask is two int64 words. Bit 0 of the first: it has some count (a statement's
# unit-less "count" earns a bonus then); the other bits stand for the slot kinds seen so far, in
# order (a large base has about 75: dates, years, counts per unit, places). Kinds beyond these
# bits are untracked: every claim's bound then assumes it has them.
_ANY_COUNT_BIT = 1
_BITS_PER_WORD = 62
_MAX_SLOT_BITS = 2 * _BITS_PER_WORD


@dataclass(frozen=True)
class Candidate:
    """A scored claim: its id, the score and the wording that matched best."""

    claim_id: str
    score: float
    wording: str


@dataclass(frozen=True)
class MatchResult:
    """The outcome for one statement: a confident match, suggestions only, or nothing."""

    outcome: Outcome
    best: Candidate | None
    suggestions: list[Candidate]


def claim_slots(claim: Claim) -> frozenset[str]:
    """The kinds of detail a claim's versions commit to, e.g. {"date", "count:troops"}."""
    slots: set[str] = set()
    dates = [v.values.date for v in claim.versions if v.values.date] + ([claim.due] if claim.due else [])
    for text in dates:
        slots.add("date")
        slots.update(year_slots(parse_date_span(text)))
    for version in claim.versions:
        if version.values.count:
            slots.add(f"count:{claim.unit}" if claim.unit else "count")
        if version.values.duration:
            slots.add("duration")
        if version.values.scope:
            slots.add(f"scope:{version.values.scope}")
        # "US troops have left Baghdad" is about the claim whose versions put it in Baghdad, not
        # the one where "Baghdad" is the government asking them to leave.
        slots.update(f"place:{place}" for place in version.values.places)
    return frozenset(slots)


def claim_terms(normaliser: Normaliser, claim: Claim) -> list[tuple[str, ...]]:
    """The terms of each of a claim's wordings: statement, aliases, then version texts."""
    return [normaliser.terms(text) for text in (*claim.texts(), *(v.text for v in claim.versions))]


@dataclass
class _Batch:
    """Claims read for the index, in columns (one value per claim, per wording or per term).

    Term ids index the batch's own `terms`, so a worker process can read a batch without the
    index's vocabulary; the index maps them to its ids with one lookup per distinct term."""

    ids: list[str]  # per claim
    own: np.ndarray  # per claim: how many of its texts are its own wordings (statement, aliases)
    terms: list[str]  # batch-local term id -> term, in order of first use
    slots: list[frozenset[str]]  # per claim
    vocab: np.ndarray  # each claim's distinct term ids in order of first use, claim after claim
    vocab_len: np.ndarray  # per claim: how many distinct terms
    wordings: np.ndarray  # per claim: how many of its wordings have terms
    wording_text: np.ndarray  # per such wording: which of the claim's texts it is
    wording_len: np.ndarray  # per such wording: how many terms
    wording_terms: np.ndarray  # the wordings' term ids, in order


def read_batch(normaliser: Normaliser, claims: Iterable[Claim]) -> _Batch:
    """Normalise claims' wordings into a `_Batch` (the slow part of indexing)."""
    local: dict[str, int] = {}
    columns = {name: array("i") for name in ("own", "vocab", "vocab_len", "wordings", "wording_text", "wording_len",
                                             "wording_terms")}
    vocab, vocab_len, wordings = columns["vocab"], columns["vocab_len"], columns["wordings"]
    wording_text, wording_len, wording_terms = columns["wording_text"], columns["wording_len"], columns["wording_terms"]
    slots: list[frozenset[str]] = []
    claim_ids: list[str] = []
    for claim in claims:
        claim_ids.append(claim.id)
        columns["own"].append(1 + len(claim.aliases))
        distinct: dict[int, None] = {}
        count = 0
        for i, terms in enumerate(claim_terms(normaliser, claim)):
            if terms:
                ids = [local.setdefault(t, len(local)) for t in terms]
                wording_terms.extend(ids)
                wording_len.append(len(ids))
                wording_text.append(i)
                distinct.update(dict.fromkeys(ids))
                count += 1
        wordings.append(count)
        vocab.extend(distinct)
        vocab_len.append(len(distinct))
        slots.append(claim_slots(claim))
    arrays = {name: np.frombuffer(column, dtype=np.int32) if column else np.zeros(0, dtype=np.int32)
              for name, column in columns.items()}
    return _Batch(ids=claim_ids, terms=list(local), slots=slots, **arrays)


# A claim's index entry as text, so a restart can skip normalising it (`claims.store.terms`):
#   own \t slots (comma-separated) \t wordings (text index, then its terms; wordings |-separated)
# Terms never hold a space, a tab, a comma or a |: they are stems, entity ids and concept names.
def claim_payload(normaliser: Normaliser, claim: Claim) -> str:
    """What indexing a claim computes, as text: reading it back gives the same index entry."""
    wordings = [f"{i} {' '.join(terms)}" for i, terms in enumerate(claim_terms(normaliser, claim)) if terms]
    return f"{1 + len(claim.aliases)}\t{','.join(sorted(claim_slots(claim)))}\t{'|'.join(wordings)}"


def batch_of_payloads(entries: Iterable[tuple[str, str]]) -> _Batch:
    """A `_Batch` from (claim id, `claim_payload`) pairs: `read_batch` without normalising."""
    local: dict[str, int] = {}
    columns = {name: array("i") for name in ("own", "vocab", "vocab_len", "wordings", "wording_text", "wording_len",
                                             "wording_terms")}
    own, vocab, vocab_len, wordings = columns["own"], columns["vocab"], columns["vocab_len"], columns["wordings"]
    wording_text, wording_len, wording_terms = columns["wording_text"], columns["wording_len"], columns["wording_terms"]
    slots: list[frozenset[str]] = []
    ids: list[str] = []
    for claim_id, payload in entries:
        own_count, slot_text, wording_text_all = payload.split("\t")
        ids.append(claim_id)
        own.append(int(own_count))
        slots.append(frozenset(slot_text.split(",")) if slot_text else frozenset())
        distinct: dict[int, None] = {}
        count = 0
        for wording in wording_text_all.split("|") if wording_text_all else ():
            index, *terms = wording.split(" ")
            term_ids = [local.setdefault(t, len(local)) for t in terms]
            wording_terms.extend(term_ids)
            wording_len.append(len(term_ids))
            wording_text.append(int(index))
            distinct.update(dict.fromkeys(term_ids))
            count += 1
        wordings.append(count)
        vocab.extend(distinct)
        vocab_len.append(len(distinct))
    arrays = {name: np.frombuffer(column, dtype=np.int32) if column else np.zeros(0, dtype=np.int32)
              for name, column in columns.items()}
    return _Batch(ids=ids, terms=list(local), slots=slots, **arrays)


# Normalising is most of the cost of indexing a large base, and each claim is independent: from
# this many claims on, the work is shared out to forked worker processes (one per core). Claims
# are read in batches of at most BATCH_CLAIMS either way, so memory stays flat.
PARALLEL_FROM = 20_000
BATCH_CLAIMS = 4_096
_FORKED: tuple[Normaliser, list[Claim]] | None = None  # what forked workers read (copy-on-write)
_FORKED_PAYLOADS: list[tuple[str, str]] | None = None


def _read_range(bounds: tuple[int, int]) -> _Batch:
    assert _FORKED is not None
    normaliser, claims = _FORKED
    return read_batch(normaliser, claims[bounds[0]:bounds[1]])


def _read_payload_range(bounds: tuple[int, int]) -> _Batch:
    assert _FORKED_PAYLOADS is not None
    return batch_of_payloads(_FORKED_PAYLOADS[bounds[0]:bounds[1]])


def _work_ranges(count: int) -> tuple[bool, list[tuple[int, int]]]:
    """Whether `count` items are worth forked workers, and the ranges to read them in."""
    workers = min(os.cpu_count() or 1, 8)
    parallel = count >= PARALLEL_FROM and workers >= 2 and "fork" in multiprocessing.get_all_start_methods()
    step = min(BATCH_CLAIMS, max(256, count // (workers * 8))) if parallel else BATCH_CLAIMS
    return parallel, [(start, min(start + step, count)) for start in range(0, count, step)]


def _in_workers(read: Callable[[tuple[int, int]], _Batch], ranges: list[tuple[int, int]]) -> Iterator[_Batch]:
    with multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 1, 8)) as pool:
        yield from pool.imap(read, ranges)


def _read_batches(normaliser: Normaliser, claims: list[Claim]) -> Iterator[tuple[list[Claim], _Batch]]:
    """The claims in batches, read in worker processes for large bases, else here; in order."""
    global _FORKED
    parallel, ranges = _work_ranges(len(claims))
    if not parallel:
        for a, b in ranges:
            yield claims[a:b], read_batch(normaliser, claims[a:b])
        return
    _FORKED = (normaliser, claims)
    try:
        for (a, b), batch in zip(ranges, _in_workers(_read_range, ranges), strict=True):
            yield claims[a:b], batch
    finally:
        _FORKED = None


def _payload_batches(payloads: list[tuple[str, str]]) -> Iterator[_Batch]:
    """Stored index entries in batches, parsed in worker processes for large bases (parsing
    100,000 of them is seconds of a restart), else here; in order."""
    global _FORKED_PAYLOADS
    parallel, ranges = _work_ranges(len(payloads))
    if not parallel:
        for a, b in ranges:
            yield batch_of_payloads(payloads[a:b])
        return
    _FORKED_PAYLOADS = payloads
    try:
        yield from _in_workers(_read_payload_range, ranges)
    finally:
        _FORKED_PAYLOADS = None


def _starts(lengths: np.ndarray, offset: int) -> np.ndarray:
    """Where each of consecutive segments of these lengths starts, the first at `offset`."""
    starts = np.empty(len(lengths), dtype=np.int64)
    starts[:1] = offset
    np.cumsum(lengths[:-1], out=starts[1:])
    starts[1:] += offset
    return starts


def _recall(q: _Query, vocabulary: set[int]) -> tuple[float, dict[int, float]]:
    """The share of the statement's weight a claim using `vocabulary` explains (per statement
    term, its best similarity among the expansions the claim uses), and each used term's best
    similarity (what the claim's coverage is computed from)."""
    explained = 0.0
    hit_terms: dict[int, float] = {}
    for weight, items in q.per_term:
        best = 0.0
        for tid, similarity in items:
            if tid in vocabulary and similarity > best:
                best = similarity
                hit_terms[tid] = max(hit_terms.get(tid, 0.0), similarity)
        explained += weight * best
    return explained / q.total, hit_terms


def slot_bonus(slot: str) -> float:
    """What one kind of detail shared by statement and claim adds to the score."""
    return COUNT_BONUS if slot.startswith("count:") else SLOT_BONUS


def _char_mask(term: str) -> int:
    """One bit per character (letters exactly, others hashed): two terms differing in k of these
    bits need at least k insertions or deletions to turn into each other."""
    mask = 0
    for ch in term:
        code = ord(ch)
        mask |= 1 << (code - 97 if 97 <= code <= 122 else 26 + code % 37)
    return mask


class _Column:
    """A numpy array that grows by doubling, so appends cost amortised O(1).

    While a bulk load fills it (`bulk` ... `finish`), values go to a compact `array.array`
    instead, which grows in place: the arrays' copies made by doubling would raise the peak
    memory of loading a large base by tens of megabytes."""

    __slots__ = ("_building", "data", "size")

    def __init__(self, dtype: type | np.dtype, values: np.ndarray | None = None):
        self._building: array | None = None
        if values is None:
            self.data = np.zeros(64, dtype=dtype)
            self.size = 0
        else:
            self.data = np.asarray(values, dtype=dtype).copy()
            self.size = len(self.data)

    def bulk(self) -> None:
        """Collect appends compactly until `finish`."""
        self._building = array(_TYPECODES[self.data.dtype.char], self.view().tolist())

    def finish(self) -> None:
        """Turn what a bulk load collected into the numpy array, of exactly its size."""
        if self._building is not None:
            # A view on the collected buffer, not a copy: a copy would briefly double the
            # largest columns at the peak of a bulk load. Later appends grow a new array.
            self.data = np.frombuffer(self._building, dtype=self.data.dtype)
            self.size = len(self.data)
            self._building = None

    def extend(self, values: np.ndarray | list[int] | list[bool]) -> int:
        """Append values; return the index of the first."""
        if self._building is not None:
            start = len(self._building)
            self._building.frombytes(np.asarray(values, dtype=self.data.dtype).tobytes())
            return start
        start, end = self.size, self.size + len(values)
        if end > len(self.data):
            grown = np.zeros(max(end, 2 * len(self.data)), dtype=self.data.dtype)
            grown[:start] = self.data[:start]
            self.data = grown
        self.data[start:end] = values
        self.size = end
        return start

    def view(self) -> np.ndarray:
        """The filled part (a view: do not keep it across appends)."""
        return self.data[: self.size]

    @property
    def length(self) -> int:
        """How many values it holds (also while a bulk load fills it)."""
        return len(self._building) if self._building is not None else self.size


# array.array type codes of the columns' numpy types
_TYPECODES = {np.dtype(np.int32).char: "i", np.dtype(np.int64).char: "q", np.dtype(np.bool_).char: "b",
              np.dtype(np.uint64).char: "Q"}


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
    "inverse_min_weight": (np.dtype(np.float64), "rows"),  # each row's, for the index as it is
}


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
    if not np.all(np.isfinite(a["inverse_min_weight"]) & (a["inverse_min_weight"] >= 0)):
        raise ValueError("index state array inverse_min_weight has a value that is not a weight")
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


@dataclass
class _Query:
    """A statement's terms and expansions, resolved to term ids once for all claims scored."""

    terms: tuple[str, ...]
    total: float  # sum of the distinct terms' weights (or 1.0)
    per_term: list[tuple[float, list[tuple[int, float]]]]  # per statement term: weight, (term id, similarity)
    groups: list[tuple[float, list[tuple[int, float]]]]  # the same per distinct term, weights summed
    slots: frozenset[str]


class Matcher:
    """Holds the claims' normalised wordings and an inverted index over their terms.

    Safe to use from several threads: reads and edits take a lock. `build_seconds` says how
    long the constructor spent normalising the wordings and building the index."""

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
        self._weight_stamp = np.zeros(0, dtype=np.int64)  # per row: the generation its weight is of
        self._vocab_generation = 0  # bumped when a term enters or leaves the vocabulary
        self._expand_generation = 0
        self._expand_cache: dict[str, dict[str, float]] = {}
        self._scratch: dict[str, np.ndarray] = {}  # see `_zeros`
        self.build_seconds: dict[str, float] = {}
        if payloads is not None:
            self._bulk_load_payloads(payloads)
        else:
            self._bulk_load(claims)

    def clone(self, source: MutableMapping[str, Claim] | None = None) -> Matcher:
        """An independent copy: editing it leaves this one as it is. A workspace that edits a
        base it shared with others gets a clone with its edits applied, which costs a copy of
        the arrays instead of normalising every wording again. `source` holds its claims (by
        default a copy of this one's)."""
        with self._lock:
            other = Matcher.__new__(Matcher)
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

    # --- the index ------------------------------------------------------------------------------

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

    # --- the whole index as plain values (`claims.snapshot` stores it for a restart) ----------

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
            weights = self._inverse_min_weights()[:len(self._ids)]  # every row's, brought up to date
            extra_terms = sorted(self._posting_extra)
            extra = [self._posting_extra[t] for t in extra_terms]
            arrays.update(
                df=np.array(self._df, dtype=np.int64), own=np.array(self._own, dtype=np.int32),
                slot_set=np.array([slot_set_of[s] for s in self._row_slots], dtype=np.int32),
                posting_rows=self._posting_rows.copy() if copy else self._posting_rows,
                posting_start=self._posting_start.copy() if copy else self._posting_start,
                extra_terms=np.array(extra_terms, dtype=np.int32),
                extra_len=np.array([len(e) for e in extra], dtype=np.int64),
                extra_rows=np.concatenate(extra).astype(np.int64) if extra else np.zeros(0, dtype=np.int64),
                inverse_min_weight=weights.copy() if copy else weights)
            return IndexState(
                arrays=arrays, terms=list(self._term_str), ids=list(self._ids),
                slot_sets=[sorted(s) for s in slot_sets],
                slot_bits=[(slot, word, bit) for slot, (word, bit) in self._slot_bit.items()])

    @classmethod
    def restored(cls, normaliser: Normaliser, state: IndexState,
                 source: MutableMapping[str, Claim] | None = None) -> Matcher:
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
        # The weights the state holds are those of this very index: the first check need not compute them.
        matcher._inverse_min_weight = a["inverse_min_weight"].copy()
        matcher._weight_stamp = np.full(len(matcher._ids), matcher._generation, dtype=np.int64)
        matcher.build_seconds = {"restore": time.perf_counter() - started}
        return matcher

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

    # --- step 1: candidates ---------------------------------------------------------------------

    def expand(self, terms: Iterable[str]) -> dict[str, dict[str, float]]:
        """For each statement term, the base terms it stands for, with similarity 0-1."""
        with self._lock:
            if self._expand_generation != self._vocab_generation or len(self._expand_cache) > _EXPAND_CACHE_MAX:
                self._expand_cache = {}
                self._expand_generation = self._vocab_generation
            out: dict[str, dict[str, float]] = {}
            for term in terms:
                hits = self._expand_cache.get(term)
                if hits is None:
                    hits = self._expand_cache[term] = self._expand_term(term)
                out[term] = dict(hits)  # a copy: callers may change what they get
            return out

    def _expand_term(self, term: str) -> dict[str, float]:
        hits: dict[str, float] = {}
        tid = self._term_id.get(term)
        if tid is not None and self._df[tid] > 0:
            hits[term] = 1.0
        if not term.startswith(ENTITY_PREFIX) and len(term) >= 4:
            for other, similarity, _ in process.extract(
                term, self._fuzzy_choices(term), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                if other != term and len(other) >= 4:
                    hits.setdefault(other, similarity / 100 * 0.9)
        return hits

    def _fuzzy_choices(self, term: str) -> list[str]:
        """The vocabulary terms that may reach FUZZY_CUTOFF against `term`, in sorted order.

        rapidfuzz's ratio is 100 * (1 - d / (m + n)) for the insertions and deletions d turning
        one term (length m) into the other (length n), so reaching the cutoff needs
        d <= (1 - cutoff/100) * (m + n). d is at least |m - n|, and at least the number of
        characters only one of the two has; terms failing either bound cannot reach the cutoff.
        Sorted order keeps rapidfuzz's tie-break (the earlier choice first) as over the whole
        vocabulary, so the result is the same as `process.extract` over all of it."""
        m = len(term)
        lengths = self._term_len.view()
        allowed = (1 - FUZZY_CUTOFF / 100) * (lengths + m) + 0.5  # + 0.5: never lose one to rounding
        possible = self._fuzzy_ok.view() & (np.abs(lengths - m) <= allowed)
        ids = np.flatnonzero(possible)
        if len(ids):
            differing = np.bitwise_count(self._term_mask.data[ids] ^ np.uint64(_char_mask(term)))
            ids = ids[differing <= allowed[ids]]
        return sorted(self._term_str[t] for t in ids.tolist())

    def candidates(self, expanded: dict[str, dict[str, float]]) -> set[str]:
        """Claims sharing at least one (expanded) term with the statement."""
        with self._lock:
            arrays = [self._posting(other) for hits in expanded.values() for other in hits]
            if not arrays:
                return set()
            rows = np.unique(np.concatenate(arrays))
            return {claim_id for claim_id in (self._ids[r] for r in rows.tolist()) if claim_id is not None}

    # --- step 2: scoring ------------------------------------------------------------------------

    def _query(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
               slots: frozenset[str]) -> _Query:
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        per_term = []
        groups: dict[str, tuple[float, list[tuple[int, float]]]] = {}
        for term in terms:
            items = []
            for other, similarity in expanded.get(term, {}).items():
                tid = self._term_id.get(other)
                if tid is not None:  # a term the index never saw is in no claim
                    items.append((tid, similarity))
            per_term.append((weights[term], items))
            # A term given twice counts twice in recall, as in `score`.
            groups[term] = (groups[term][0] + weights[term] if term in groups else weights[term], items)
        return _Query(tuple(terms), total, per_term, list(groups.values()), slots)

    def _score_rows(self, rows: np.ndarray, q: _Query) -> tuple[list[float], list[int]]:
        """`score` for indexed rows, all at once: each row's score (rounded) and the wording
        (its index in the wording columns, -1 for none) that covered the statement best.

        The same arithmetic in the same order as scoring one claim with plain Python floats
        (see `_Query` and the index's tests), so the same floats whichever rows are scored
        together: the index and the full scan always agree."""
        if len(rows) <= _ONE_BY_ONE:
            pairs = [self._score_one(row, q) for row in rows.tolist()]
            return [score for score, _ in pairs], [wording for _, wording in pairs]
        tids, owners = _spans(self._vocab_start.data[rows], self._vocab_end.data[rows], self._vocab.data)
        recall, hits, columns = _recall_rows(q, len(rows), owners, tids)
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        coverage, best = self._coverage_rows(wordings, np.repeat(np.arange(len(rows)), per_row), len(rows),
                                             hits, columns)
        scores: list[float] = []
        for i, (r, c) in enumerate(zip(recall.tolist(), coverage.tolist(), strict=True)):
            score = 100 * r**STATEMENT_SHARE * c ** (1 - STATEMENT_SHARE)
            if score > 0 and q.slots:
                score += self._bonus_of(int(rows[i]), q.slots)
            scores.append(round(score, 1))
        return scores, best.tolist()

    def _score_one(self, row: int, q: _Query) -> tuple[float, int]:
        """`_score_rows` for one row, in plain Python: quicker for a few rows than the arrays'
        set-up, and the same arithmetic in the same order, so the same floats."""
        start, end = int(self._vocab_start.data[row]), int(self._vocab_end.data[row])
        recall, hit_terms = _recall(q, set(self._vocab.data[start:end].tolist()))
        first, last = int(self._wording_start.data[row]), int(self._wording_end.data[row])
        coverage, best = self._coverage_one(range(first, last), hit_terms)
        score = 100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE)
        if score > 0 and q.slots:
            score += self._bonus_of(row, q.slots)
        return round(score, 1), best

    def _own_one(self, row: int, q: _Query) -> float:
        """`_own_scores` for one row, in plain Python (see `_score_one`)."""
        own_texts = self._own[row]
        first, last = int(self._wording_start.data[row]), int(self._wording_end.data[row])
        mine = [w for w in range(first, last) if int(self._wording_text.data[w]) < own_texts]
        vocabulary: set[int] = set()
        for w in mine:
            start, end = int(self._wording_terms_start.data[w]), int(self._wording_terms_end.data[w])
            vocabulary.update(self._wording_terms.data[start:end].tolist())
        recall, hit_terms = _recall(q, vocabulary)
        coverage, _ = self._coverage_one(mine, hit_terms)
        return round(100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE), 1)

    def _coverage_one(self, wordings: Iterable[int], hit_terms: dict[int, float]) -> tuple[float, int]:
        """`_coverage_rows` for one row's wordings, in plain Python."""
        idf = self._idf_table()[0]
        coverage, best = 0.0, -1
        for w in wordings:
            start, end = int(self._wording_terms_start.data[w]), int(self._wording_terms_end.data[w])
            wording_terms = self._wording_terms.data[start:end].tolist()
            w_total = sum([idf[t] for t in wording_terms]) or 1.0
            covered = sum([idf[t] * hit_terms.get(t, 0.0) for t in wording_terms]) / w_total
            if covered > coverage:
                coverage, best = covered, w
        return coverage, best

    def _bonus_of(self, row: int, slots: frozenset[str]) -> float:
        """The detail bonus a row earns for these statement slots, added in `score`'s order."""
        bonus = 0.0
        entry_slots = self._row_slots[row]
        for slot in slots:
            if slot in entry_slots:
                bonus += COUNT_BONUS if slot.startswith("count:") else SLOT_BONUS
            elif slot == "count" and any(x.startswith("count") for x in entry_slots):
                bonus += SLOT_BONUS
        return bonus

    def _own_scores(self, rows: np.ndarray, q: _Query) -> list[float]:
        """Per row, the score's recall and coverage over the claim's statement and aliases
        alone, without the detail bonus, rounded like the score.

        Two claims can score the same because a version's text (what one source reported)
        carries the words: "the quake killed 300" may tie between the death-toll claim and a
        claim one of whose versions mentions the toll in passing. The claim whose own wording
        says it is the one the statement is about."""
        if len(rows) <= _ONE_BY_ONE:
            return [self._own_one(row, q) for row in rows.tolist()]
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        wording_rows = np.repeat(np.arange(len(rows)), per_row)
        # a row's wordings are its statement, aliases, then versions: the first `_own` are its own
        own_counts = np.array([self._own[r] for r in rows.tolist()], dtype=np.int64)
        mine = self._wording_text.data[wordings] < own_counts[wording_rows]
        wordings, wording_rows = wordings[mine], wording_rows[mine]
        tids, owners = _spans(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings],
                              self._wording_terms.data)
        recall, hits, columns = _recall_rows(q, len(rows), wording_rows[owners], tids)
        coverage, _ = self._coverage_rows(wordings, wording_rows, len(rows), hits, columns)
        return [round(100 * r**STATEMENT_SHARE * c ** (1 - STATEMENT_SHARE), 1)
                for r, c in zip(recall.tolist(), coverage.tolist(), strict=True)]

    def _coverage_rows(self, wordings: np.ndarray, wording_rows: np.ndarray, n: int, hits: np.ndarray,
                       columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row (of `n`), the best coverage among its `wordings` (each wording's row in
        `wording_rows`) and which wording gave it (-1: none covers anything): a wording's
        coverage is the IDF weight of its terms the statement hit (`hits`, per row and statement
        term id in `columns`) over the weight of all its terms, each sum taken term by term."""
        coverage, best = np.zeros(n), np.full(n, -1, dtype=np.int64)
        if not len(wordings):
            return coverage, best
        idf = self._idf_table()[1]
        starts = self._wording_terms_start.data[wordings]
        lengths = self._wording_terms_end.data[wordings] - starts
        width = int(lengths.max()) if len(lengths) else 0
        # A wording per line, its terms left-aligned and zeros after them: summing the columns
        # left to right adds each wording's terms in order, as summing a list does.
        filled = np.arange(width)[None, :] < lengths[:, None]
        term_ids = self._wording_terms.data[(starts[:, None] + np.arange(width)[None, :])[filled]]
        weights = np.zeros((len(wordings), width))
        weights[filled] = idf[term_ids]
        hit = np.zeros((len(wordings), width))
        if len(columns):
            place = np.minimum(np.searchsorted(columns, term_ids), len(columns) - 1)
            known = columns[place] == term_ids
            row_of_term = np.repeat(wording_rows, lengths)
            values = np.zeros(len(term_ids))
            values[known] = hits[place[known], row_of_term[known]]
            hit[filled] = values
        total, covered = np.zeros(len(wordings)), np.zeros(len(wordings))
        for j in range(width):
            total += weights[:, j]
            covered += weights[:, j] * hit[:, j]
        covered /= np.where(total == 0, 1.0, total)
        # per row, the first wording with the highest coverage, if that is above zero
        best_covered = np.zeros(n)
        np.maximum.at(best_covered, wording_rows, covered)
        top = np.flatnonzero((covered > 0) & (covered == best_covered[wording_rows]))
        # `wording_rows` is in order, so a row's first best wording is where its row changes
        top_rows = wording_rows[top]
        first = np.flatnonzero(np.diff(top_rows, prepend=-1))
        found_rows = top_rows[first]
        coverage[found_rows] = best_covered[found_rows]
        best[found_rows] = wordings[top[first]]
        return coverage, best

    def score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str,
              slots: frozenset[str] = frozenset()) -> Candidate:
        """Score one claim against a statement's terms and kinds of detail (0-100)."""
        with self._lock:
            row = self._row_of[claim_id]
            scores, wordings = self._score_rows(np.array([row]), self._query(tuple(terms), expanded, slots))
            return Candidate(claim_id, scores[0], self._wording(row, wordings[0]))

    def score_many(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_ids: list[str],
                   slots: frozenset[str] = frozenset()) -> list[Candidate]:
        """`score` for several claims, computed together (much quicker for many)."""
        with self._lock:
            q = self._query(tuple(terms), expanded, slots)
            rows = np.array([self._row_of[c] for c in claim_ids], dtype=np.int64)
            out: list[Candidate] = []
            for first in range(0, len(rows), _SCAN_BLOCK):
                block = rows[first: first + _SCAN_BLOCK]
                scores, wordings = self._score_rows(block, q)
                out += [Candidate(self._ids[row], score, self._wording(row, wording))  # type: ignore[arg-type]
                        for row, score, wording in zip(block.tolist(), scores, wordings, strict=True)]
            return out

    def _wording(self, row: int, wording: int) -> str:
        """The text of one of a row's wordings (its index in the wording columns; -1: none
        matched, the claim's statement). The claim is read here: only the claims shown are."""
        claim = self._source[self._ids[row]]  # type: ignore[index]
        if wording < 0:
            return claim.statement
        texts = (*claim.texts(), *(v.text for v in claim.versions))
        return texts[int(self._wording_text.data[wording])]

    # --- ties -----------------------------------------------------------------------------------

    def own_score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str) -> float:
        """How well a claim's own statement and aliases match a statement's terms (0-100): what
        breaks a tie between claims of equal score (see `_own_scores`)."""
        with self._lock:
            q = self._query(tuple(terms), expanded, frozenset())
            return self._own_scores(np.array([self._row_of[claim_id]]), q)[0]

    def own_scores(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
                   claim_ids: list[str]) -> list[float]:
        """`own_score` for several claims, computed together."""
        with self._lock:
            q = self._query(tuple(terms), expanded, frozenset())
            return self._own_scores(np.array([self._row_of[c] for c in claim_ids], dtype=np.int64), q)

    def rank(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
             candidates: list[Candidate]) -> list[Candidate]:
        """Scored candidates in the order `match` ranks them: by score, ties broken by how well
        each claim's own statement and aliases match, then by id."""
        with self._lock:
            return self._ranked(candidates, self._query(tuple(terms), expanded, frozenset()), {})

    def _ranked(self, candidates: list[Candidate], q: _Query, own: dict[str, float],
                shown: bool = False) -> list[Candidate]:
        """`candidates` best first: by score; between equal scores, by `_own_scores` (computed
        only for those, and kept in `own`); then by id, so the order never depends on the order
        claims were indexed in.

        With `shown`, only the ones `match` can show: the best when it is a match, else up to
        MAX_SUGGESTIONS; ties are then broken only where they decide who is shown."""
        ordered = sorted(candidates, key=lambda c: -c.score)
        if shown and ordered:
            last = ordered[0] if ordered[0].score >= MATCH else ordered[min(MAX_SUGGESTIONS, len(ordered)) - 1]
            ordered = [c for c in ordered if c.score >= last.score]
        scores = Counter(c.score for c in ordered)
        tied = [c.claim_id for c in ordered if scores[c.score] > 1 and c.claim_id not in own]
        if tied:
            own.update(zip(tied, self._own_scores(np.array([self._row_of[c] for c in tied]), q), strict=True))

        def tie_break(candidate: Candidate) -> float:
            return own[candidate.claim_id] if scores[candidate.score] > 1 else 0.0

        ordered.sort(key=lambda c: (-c.score, -tie_break(c), c.claim_id))
        if shown and ordered:
            return ordered[:1] if ordered[0].score >= MATCH else ordered[:MAX_SUGGESTIONS]
        return ordered

    # --- matching -------------------------------------------------------------------------------

    def match(self, statement: str | Normalised, slots: frozenset[str] = frozenset(),
              at_least: float = POSSIBLE) -> MatchResult:
        """Find the claim a statement is about, or the few it might be about, or nothing.

        `slots` are the kinds of detail the statement gives (see `claim_slots`). The result is
        exactly `match_full_scan`'s: the index only skips claims that could not be shown. With
        `at_least` (above MATCH), only a match scoring that much is looked for: the same best
        claim when it scores that much, else nothing, found sooner."""
        norm = statement if isinstance(statement, Normalised) else self.normaliser.normalise(statement)
        if not norm.terms:
            return MatchResult("none", None, [])
        with self._lock:
            expanded = self.expand(norm.terms)
            return _result(self._search(self._query(norm.terms, expanded, slots), max(at_least, POSSIBLE)))

    def match_full_scan(self, statement: str | Normalised, slots: frozenset[str] = frozenset(),
                        at_least: float = POSSIBLE) -> MatchResult:
        """`match` by scoring every indexed claim: the reference the index must equal, and the
        baseline of `crosscheck bench`."""
        result = self._full_scan(statement, slots)
        if at_least > POSSIBLE and (result.best is None or result.best.score < at_least):
            return MatchResult("none", None, [])
        return result

    def _full_scan(self, statement: str | Normalised, slots: frozenset[str]) -> MatchResult:
        norm = statement if isinstance(statement, Normalised) else self.normaliser.normalise(statement)
        if not norm.terms:
            return MatchResult("none", None, [])
        with self._lock:
            q = self._query(norm.terms, self.expand(norm.terms), slots)
            rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(self._row_of))
            scored: list[Candidate] = []
            wording_of: dict[str, int] = {}
            for first in range(0, len(rows), _SCAN_BLOCK):
                block = rows[first: first + _SCAN_BLOCK]
                scores, wordings = self._score_rows(block, q)
                for row, score, wording in zip(block.tolist(), scores, wordings, strict=True):
                    claim_id = self._ids[row]
                    assert claim_id is not None
                    scored.append(Candidate(claim_id, score, ""))
                    wording_of[claim_id] = wording
            return _result(self._worded(self._ranked(scored, q, {}, shown=True), wording_of))

    def claim(self, claim_id: str) -> Claim:
        """The indexed claim with this id (KeyError when it is not indexed: unknown or retired)."""
        self._row_of[claim_id]
        return self._source[claim_id]

    def _search(self, q: _Query, at_least: float = POSSIBLE) -> list[Candidate]:
        """The best claims (by score, then id) that `match` can show: up to MAX_SUGGESTIONS, all
        at least POSSIBLE; only the first is exact once it reaches MATCH (nothing else is shown).

        A claim's score is 100 * recall^0.6 * coverage^0.4 (+ its detail bonus), and:

        - recall (the share of the statement's weight the claim explains) is computed exactly
          for every claim sharing a term, from the posting lists: per statement term, the best
          similarity among its expansions that the claim uses;
        - coverage of a wording is at most the weight of its terms the statement reaches (IDF x
          the best similarity any statement term gives the term) over the wording's weight, since
          the score's per-claim similarities are never above those. The coarse bound takes the
          claim's reached terms over its lightest wording (one pass over the postings); the
          refined bound is computed wording by wording, for the claims the coarse one lets through;
        - the detail bonus is computed exactly from the claim's slots.

        Claims are scored exactly, best bound first, and skipped as soon as their bound cannot
        reach the bar: the third suggestion's score, or the best score once it is a match, or
        POSSIBLE (a claim scoring below it is never shown). A claim tying with the bar may still
        win the tie (`_ranked`), so a bound equal to the bar is scored (with slack for the
        rounding). As the bar only rises, every claim that could change the result is scored
        exactly."""
        rows = len(self._ids)
        if not rows:
            return []
        _, idf = self._idf_table()
        bonus_max = sum(slot_bonus(s) for s in q.slots)
        bar = at_least
        # The recall a claim needs for its bound to reach the bar with full coverage and every
        # bonus: claims below it are dropped before any bound is computed.
        need = ((bar - _ROUNDING_SLACK) / _BOUND_SCALE - bonus_max) / 100
        floor = q.total * need ** (1 / STATEMENT_SHARE) / _BOUND_SCALE if need > 0 else 0.0

        explained = self._zeros("explained", rows)
        best_similarity: dict[int, float] = {}
        for _, items in q.groups:
            for tid, similarity in items:
                if similarity > best_similarity.get(tid, 0.0):
                    best_similarity[tid] = similarity
        # A term found exactly, by one statement term only, adds the same to recall's numerator
        # and to the reached weight: such terms are added to both at once.
        shared: set[int] = set()
        for weight, items in q.groups:
            if len(items) == 1 and items[0][1] == best_similarity[items[0][0]] == 1.0 and weight == idf[items[0][0]]:
                shared.add(items[0][0])
        for weight, items in q.groups:
            if len(items) == 1 and items[0][0] in shared:
                for postings in self._rows_of(items[0][0]):
                    explained[postings] += weight
        reached = self._zeros("reached", rows)
        reached += explained
        best = self._zeros("best", rows)  # per row, a statement term's best similarity (zeroed after each term)
        for weight, items in q.groups:
            if len(items) == 1 and items[0][0] in shared:
                continue
            if len(items) == 1:
                tid, similarity = items[0]
                for postings in self._rows_of(tid):
                    explained[postings] += weight * similarity
            elif items:
                touched = []
                for tid, similarity in sorted(items, key=lambda x: x[1]):  # the largest written last
                    for postings in self._rows_of(tid):
                        best[postings] = similarity
                        touched.append(postings)
                if touched:
                    # A row listed twice gets the same sum twice: it is added once.
                    at = np.concatenate(touched)
                    explained[at] += weight * best[at]
                    best[at] = 0.0
        for tid, similarity in best_similarity.items():
            if tid not in shared:
                for postings in self._rows_of(tid):
                    reached[postings] += idf[tid] * similarity

        hopeful = (explained >= floor) if floor > 0 else (explained > 0)
        found = np.flatnonzero(hopeful & self._alive.view())
        if not len(found):
            return []
        inverse_min_weights = self._inverse_min_weights(found)
        recall = explained[found] / q.total
        coverage = np.minimum(reached[found] * inverse_min_weights[found], 1.0)
        # The coarse bound without the bonus is 100 * key^(1/5): comparing keys needs no powers.
        key = recall * recall * recall * coverage * coverage
        del recall, coverage  # recomputed for the few claims picked
        bonus: np.ndarray | None = None  # per claim, once few are left (until then: bonus_max)

        reach = self._zeros("reach", len(self._term_str))  # per term id: the best similarity a statement term gives it
        for tid, similarity in best_similarity.items():
            reach[tid] = similarity
        top: list[Candidate] = []
        own: dict[str, float] = {}  # tie-break scores computed so far
        wording_of: dict[str, int] = {}  # per claim scored: its best wording
        for round_, batch in enumerate(_batches()):
            if q.slots and bonus is None and len(found) <= _BATCHES[-1]:
                bonus = self._bonuses(found, q.slots)  # few claims left: each one's own bonus
            # Dropping the claims whose coarse bound misses the bar is worth it once the first
            # round has raised the bar (usually far above POSSIBLE).
            keep = _may_reach(key, bar, bonus if bonus is not None else bonus_max) if round_ else None
            if keep is not None:
                found, key = found[keep], key[keep]
                bonus = bonus[keep] if bonus is not None else None
            if not len(found):
                break
            pick = np.argpartition(-key, batch - 1)[:batch] if len(found) > batch else np.arange(len(found))
            rows_picked = found[pick]
            coverage = np.minimum(reached[rows_picked] * inverse_min_weights[rows_picked], 1.0)
            refined = _bound(explained[rows_picked] / q.total,
                             np.minimum(self._best_coverage(rows_picked, idf, reach), coverage),
                             bonus[pick] if bonus is not None else self._bonuses(rows_picked, q.slots))

            # Scores are rounded to 0.1 and rounding never lowers the order of two values, so a
            # claim can show only if its bound rounds to at least the bar (at the bar, it may
            # still win the tie on how well its own wordings match).
            hopeful = np.flatnonzero(refined >= bar - _ROUNDING_SLACK)
            hopeful = hopeful[np.argsort(-refined[hopeful], kind="stable")].tolist()
            # Best bound first, a few at a time: the first ones scored usually raise the bar
            # above most others' bounds; the rest are scored together, which is cheaper than
            # one by one.
            for chunk in _SCORE_CHUNKS:
                hopeful = [i for i in hopeful if round(float(refined[i]), 1) >= bar]
                if not hopeful:
                    break
                chosen = rows_picked[hopeful[:chunk]]
                hopeful = hopeful[chunk:]
                scores, wordings = self._score_rows(chosen, q)
                entering: list[Candidate] = []
                for row, score, wording in zip(chosen.tolist(), scores, wordings, strict=True):
                    if score >= POSSIBLE and score >= bar:
                        claim_id = self._ids[row]
                        assert claim_id is not None
                        entering.append(Candidate(claim_id, score, ""))
                        wording_of[claim_id] = wording
                if entering:
                    top = self._ranked([*top, *entering], q, own, shown=True)
                    bar = _bar(top, at_least)
            rest = np.ones(len(found), dtype=bool)
            rest[pick] = False
            found, key = found[rest], key[rest]
            bonus = bonus[rest] if bonus is not None else None
        return self._worded(top, wording_of)

    def _worded(self, candidates: list[Candidate], wording_of: dict[str, int]) -> list[Candidate]:
        """The candidates with the text of the wording that matched best."""
        return [Candidate(c.claim_id, c.score, self._wording(self._row_of[c.claim_id], wording_of[c.claim_id]))
                for c in candidates]

    def _zeros(self, name: str, size: int) -> np.ndarray:
        """`size` zeros in an array kept from one search to the next (searches hold the lock).

        A new array as long as the base costs a page fault per 4 KB each time it is made: ten
        times what zeroing one already mapped costs (~1 ms against 0.1 at 100,000 claims)."""
        kept = self._scratch.get(name)
        if kept is None or len(kept) < size:
            kept = self._scratch[name] = np.zeros(size + size // 8)  # room for a few more claims
        out = kept[:size]
        out.fill(0.0)
        return out

    def _best_coverage(self, rows: np.ndarray, idf: np.ndarray, reach: np.ndarray) -> np.ndarray:
        """Per row, an upper bound of its coverage: over its wordings, the most of a wording's
        weight whose terms the statement reaches (each term weighted by IDF x best similarity)."""
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        terms, per_wording = _ranges(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings])
        tids = self._wording_terms.data[terms]
        weights = idf[tids]
        starts = np.cumsum(per_wording) - per_wording
        covered = np.add.reduceat(weights * reach[tids], starts) / np.add.reduceat(weights, starts)
        return np.minimum(np.maximum.reduceat(covered, np.cumsum(per_row) - per_row), 1.0)

    def _inverse_min_weights(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Per row, 1 / the IDF weight of its lightest wording (0 for rows without wordings).

        Every weight changes with every edit (IDF depends on the size of the base), so each row's
        value carries the generation it was computed at, and only the rows asked for (`rows`;
        None: all) are brought up to date: the first check after an edit pays for the claims it
        looks at, not for the whole base."""
        total = len(self._wording_start.view())
        if len(self._inverse_min_weight) < total:
            grown = np.zeros(total)
            grown[: len(self._inverse_min_weight)] = self._inverse_min_weight
            stamps = np.full(total, -1, dtype=np.int64)
            stamps[: len(self._weight_stamp)] = self._weight_stamp
            self._inverse_min_weight, self._weight_stamp = grown, stamps
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
                    weights = np.add.reduceat(idf[self._wording_terms.data[terms]],
                                              np.cumsum(per_wording) - per_wording)
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


def _bound(recall: np.ndarray, coverage: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    """The score formula over arrays, scaled up a hair: floats summed in another order than
    `score` sums them may come out a few ulps lower."""
    return (100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE) + bonus) * _BOUND_SCALE


def _may_reach(key: np.ndarray, bar: float, bonus: np.ndarray | float) -> np.ndarray | None:
    """Which claims' coarse bounds (100 * key^(1/5) + bonus, scaled) reach the bar, less the
    rounding slack; None when all may."""
    need = ((bar - _ROUNDING_SLACK) / _BOUND_SCALE - bonus) / 100
    if isinstance(need, float):
        return None if need <= 0 else key >= need**5 / _BOUND_SCALE
    squared = need * need
    return (need <= 0) | (key >= squared * squared * need / _BOUND_SCALE)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The indices start..end-1 of every range, concatenated, and each range's length."""
    counts = ends - starts
    offsets = np.cumsum(counts) - counts
    return np.arange(int(counts.sum())) - np.repeat(offsets - starts, counts), counts


def _spans(starts: np.ndarray, ends: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of every span start..end-1, concatenated, and which span each comes from."""
    indices, counts = _ranges(starts, ends)
    return values[indices], np.repeat(np.arange(len(starts)), counts)


def _recall_rows(q: _Query, n: int, owners: np.ndarray, tids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The recall of `n` claims at once, each using the term ids of `tids` whose owner (in
    `owners`) it is: per statement term, the best similarity among its expansions that the claim
    uses, weighted. Also each claim's best similarity per statement term id it hit, what its
    coverage is computed from (one line per statement term id, the ids being the third array,
    sorted; one column per claim)."""
    columns = np.array(sorted({tid for _, items in q.per_term for tid, _ in items}), dtype=np.int64)
    hits = np.zeros((len(columns), n))
    explained = np.zeros(n)
    if len(columns):
        place = np.minimum(np.searchsorted(columns, tids), len(columns) - 1)
        known = columns[place] == tids
        uses = np.zeros((len(columns), n), dtype=bool)
        uses[place[known], owners[known]] = True
        line_of = {tid: i for i, tid in enumerate(columns.tolist())}
        better = np.empty(n, dtype=bool)
        # Term by term in the statement's order, as scoring one claim adds them: the same floats.
        for weight, items in q.per_term:
            best = np.zeros(n)
            for tid, similarity in items:
                line = line_of[tid]
                np.greater(similarity, best, out=better)
                better &= uses[line]
                np.copyto(best, similarity, where=better)
                np.maximum(hits[line], similarity, out=hits[line], where=better)
            explained += weight * best
    return explained / q.total, hits, columns


def _batches() -> Iterator[int]:
    yield from _BATCHES
    while True:
        yield _BATCHES[-1]


def _bar(top: list[Candidate], at_least: float) -> float:
    """The score a claim must reach (at least tie) to change what `match` shows, when claims
    below `at_least` are not wanted."""
    if top and top[0].score >= MATCH:
        return top[0].score  # a match shows only the best claim
    if len(top) >= MAX_SUGGESTIONS:
        return top[-1].score
    return at_least


def _result(scored: list[Candidate]) -> MatchResult:
    """What `match` shows for the best claims, best first."""
    top = scored[0] if scored else None
    if top is None or top.score < POSSIBLE:
        return MatchResult("none", None, [])
    if top.score >= MATCH:
        return MatchResult("match", _capped(top), [])
    return MatchResult("possible", None,
                       [_capped(c) for c in scored[:MAX_SUGGESTIONS] if c.score >= POSSIBLE])


def _capped(candidate: Candidate) -> Candidate:
    return Candidate(candidate.claim_id, min(100.0, candidate.score), candidate.wording)

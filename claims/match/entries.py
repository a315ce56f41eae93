"""A claim read for the index: its terms per wording and its kinds of detail (`read_batch`), as
text stored for a restart (`claim_payload`, `batch_of_payloads`), in worker processes for a large base."""

from __future__ import annotations

import logging
import multiprocessing
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from claims.models import Claim
from claims.text import Normaliser
from claims.values import parse_date_span, year_slots

log = logging.getLogger(__name__)


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
# A batch takes a worker a few seconds; one that takes this long is stuck (see `_in_workers`).
WORKER_STALL_S = 60.0

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
    """`read` of each range, in order, in forked worker processes; the rest here if they stall.

    A fork copies the process as it is, locks held by its other threads included: a worker that
    needs one of those waits forever. One that makes no progress for WORKER_STALL_S is taken
    for stuck, the workers are stopped, and what is left is read in this process (slower, never
    hung)."""
    with multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 1, 8)) as pool:
        results = pool.imap(read, ranges)
        for done in range(len(ranges)):
            try:
                batch = results.next(timeout=WORKER_STALL_S)
            except multiprocessing.TimeoutError:
                log.warning("index workers made no progress for %.0f s; reading the %d batches left here",
                            WORKER_STALL_S, len(ranges) - done)
                pool.terminate()
                for bounds in ranges[done:]:
                    yield read(bounds)
                return
            yield batch


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

"""How a claim's score is made: the thresholds, the weights, the results, and the arithmetic shared by
scoring one claim and scoring many at once (recall over a statement's terms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

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

# A claim is skipped only when its score bound is below the score to beat by more than this:
# scores are rounded to 0.1 (a raw 41.96 shows as 42.0), and the bound is computed in a
# different order than the score, so it may differ from it in the last bits.
_ROUNDING_SLACK = 0.06

_BOUND_SCALE = 1 + 1e-9


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


@dataclass


class _Query:
    """A statement's terms and expansions, resolved to term ids once for all claims scored."""

    terms: tuple[str, ...]
    total: float  # sum of the distinct terms' weights (or 1.0)
    per_term: list[tuple[float, list[tuple[int, float]]]]  # per statement term: weight, (term id, similarity)
    groups: list[tuple[float, list[tuple[int, float]]]]  # the same per distinct term, weights summed
    slots: frozenset[str]


@dataclass
class _Picked:
    """The claims a round of the search may still score, best bound first: per position, its
    row, its bound rounded as scores are, and its id (plain values: looked at one by one)."""

    rows: np.ndarray
    bounds: list[float]
    ids: list[str]


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

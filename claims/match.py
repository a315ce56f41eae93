"""Match a statement to the claim it is about: candidate retrieval, then fuzzy scoring.

Matching compares topics, not details: dates and numbers are left out of the terms (they are
the verdict's business), so "Only 1,000 US troops are in Iraq" finds the troop-count claim and
the verdict then finds the number wrong.

Two steps, kept apart so that retrieval can be replaced by a faster index without touching
scoring or verdicts:

1. `candidates`: the claims sharing at least one term (exactly, or as a close spelling) with
   the statement. A claim sharing none scores zero, so skipping it never changes the result.
2. `score`: how much of the statement the claim explains and how much of one of the claim's
   wordings the statement covers, each term weighted by its rarity (IDF) in the base, with
   rapidfuzz similarity for misspelt terms.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from claims.models import Claim
from claims.text import ENTITY_PREFIX, Normalised, Normaliser

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


@dataclass
class _Entry:
    claim: Claim
    vocabulary: frozenset[str]
    wordings: list[tuple[str, tuple[str, ...]]]
    slots: frozenset[str]


def claim_slots(claim: Claim) -> frozenset[str]:
    """The kinds of detail a claim's versions commit to, e.g. {"date", "count:troops"}."""
    slots: set[str] = set()
    for version in claim.versions:
        if version.values.date:
            slots.add("date")
        if version.values.count:
            slots.add(f"count:{claim.unit}" if claim.unit else "count")
        if version.values.duration:
            slots.add("duration")
        if version.values.scope:
            slots.add(f"scope:{version.values.scope}")
    return frozenset(slots)


class Matcher:
    """Holds the claims' normalised wordings and an inverted index over their terms."""

    def __init__(self, normaliser: Normaliser, claims: Iterable[Claim] = ()):
        self.normaliser = normaliser
        self._entries: dict[str, _Entry] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._vocab_list: list[str] = []
        self._vocab_dirty = True
        for claim in claims:
            self.add(claim)

    # --- the index ------------------------------------------------------------------------------

    def add(self, claim: Claim) -> None:
        """Index a claim (replacing any earlier version of it). Retired claims are not indexed."""
        self.remove(claim.id)
        if claim.status != "active":
            return
        wordings = []
        for text in (*claim.texts(), *(v.text for v in claim.versions)):
            terms = self.normaliser.normalise(text).terms
            if terms:
                wordings.append((text, terms))
        vocabulary = frozenset(t for _, terms in wordings for t in terms)
        self._entries[claim.id] = _Entry(claim, vocabulary, wordings, claim_slots(claim))
        for term in vocabulary:
            self._postings[term].add(claim.id)
        self._vocab_dirty = True

    def remove(self, claim_id: str) -> None:
        """Drop a claim from the index."""
        entry = self._entries.pop(claim_id, None)
        if entry is None:
            return
        for term in entry.vocabulary:
            ids = self._postings.get(term)
            if ids is not None:
                ids.discard(claim_id)
                if not ids:
                    del self._postings[term]
        self._vocab_dirty = True

    def __len__(self) -> int:
        return len(self._entries)

    def idf(self, term: str) -> float:
        """Rarity of a term in the base; a term no claim uses is as rare as can be."""
        n = len(self._entries) + 1
        return math.log(1 + n / (len(self._postings.get(term, ())) + 0.5))

    def _vocabulary(self) -> list[str]:
        if self._vocab_dirty:
            self._vocab_list = sorted(t for t in self._postings if not t.startswith(ENTITY_PREFIX))
            self._vocab_dirty = False
        return self._vocab_list

    # --- step 1: candidates ---------------------------------------------------------------------

    def expand(self, terms: Iterable[str]) -> dict[str, dict[str, float]]:
        """For each statement term, the base terms it stands for, with similarity 0-1."""
        vocabulary = self._vocabulary()
        out: dict[str, dict[str, float]] = {}
        for term in terms:
            hits: dict[str, float] = {}
            if term in self._postings:
                hits[term] = 1.0
            if not term.startswith(ENTITY_PREFIX) and len(term) >= 4:
                for other, similarity, _ in process.extract(
                    term, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
                ):
                    if other != term and len(other) >= 4:
                        hits.setdefault(other, similarity / 100 * 0.9)
            out[term] = hits
        return out

    def candidates(self, expanded: dict[str, dict[str, float]]) -> set[str]:
        """Claims sharing at least one (expanded) term with the statement."""
        ids: set[str] = set()
        for hits in expanded.values():
            for other in hits:
                ids |= self._postings.get(other, set())
        return ids

    # --- step 2: scoring ------------------------------------------------------------------------

    def score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str,
              slots: frozenset[str] = frozenset()) -> Candidate:
        """Score one claim against a statement's terms and kinds of detail (0-100)."""
        entry = self._entries[claim_id]
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        explained = 0.0
        hit_terms: dict[str, float] = {}
        for term in terms:
            best = 0.0
            for other, similarity in expanded.get(term, {}).items():
                if other in entry.vocabulary and similarity > best:
                    best = similarity
                    hit_terms[other] = max(hit_terms.get(other, 0.0), similarity)
            explained += weights[term] * best
        recall = explained / total
        coverage, wording = 0.0, entry.claim.statement
        for text, wording_terms in entry.wordings:
            w_total = sum(self.idf(t) for t in wording_terms) or 1.0
            covered = sum(self.idf(t) * hit_terms.get(t, 0.0) for t in wording_terms) / w_total
            if covered > coverage:
                coverage, wording = covered, text
        score = 100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE)
        if score > 0:
            for slot in slots:
                if slot in entry.slots:
                    score += COUNT_BONUS if slot.startswith("count:") else SLOT_BONUS
                elif slot == "count" and any(x.startswith("count") for x in entry.slots):
                    score += SLOT_BONUS
        # Ranking keeps the bonus above 100; only what is shown is capped.
        return Candidate(claim_id, round(score, 1), wording)

    def match(self, statement: str | Normalised, slots: frozenset[str] = frozenset()) -> MatchResult:
        """Find the claim a statement is about, or the few it might be about, or nothing.

        `slots` are the kinds of detail the statement gives (see `claim_slots`)."""
        norm = statement if isinstance(statement, Normalised) else self.normaliser.normalise(statement)
        if not norm.terms:
            return MatchResult("none", None, [])
        expanded = self.expand(norm.terms)
        scored = sorted(
            (self.score(norm.terms, expanded, cid, slots) for cid in self.candidates(expanded)),
            key=lambda c: (-c.score, c.claim_id),
        )
        top = scored[0] if scored else None
        if top is None or top.score < POSSIBLE:
            return MatchResult("none", None, [])
        if top.score >= MATCH:
            return MatchResult("match", _capped(top), [])
        return MatchResult("possible", None,
                           [_capped(c) for c in scored[:MAX_SUGGESTIONS] if c.score >= POSSIBLE])

    def claim(self, claim_id: str) -> Claim:
        """The indexed claim with this id."""
        return self._entries[claim_id].claim


def _capped(candidate: Candidate) -> Candidate:
    return Candidate(candidate.claim_id, min(100.0, candidate.score), candidate.wording)

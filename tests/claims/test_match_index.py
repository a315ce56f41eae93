"""The matcher's index returns exactly what scoring every claim returns.

Three references, each independent of the index:

- `reference_score` / `reference_expand`: the scoring and fuzzy expansion as they were before the
  index (a plain copy of that code over plain dicts), so scores stay bit-for-bit what they were;
- `Matcher.match_full_scan`: the matcher scoring every indexed claim;
- `Matcher.match`: the index, which may only skip claims that could not be shown.

They are compared on the shipped base, on a synthetic base of 2,000 claims (with as many
distinct terms as news text of as many words), and after adds, replacements and removals
(including enough removals to compact the index).
"""

from __future__ import annotations

import logging
import math
import os
import random
import time
from dataclasses import dataclass

import pytest
from rapidfuzz import fuzz, process

from benchmarks.synthetic import (
    NEWS_TERMS,
    NEWS_WORDS,
    OFF_TOPIC,
    WORD_RE,
    bench_queries,
    running_words,
    synthetic_base,
)
from claims.engine import Engine
from claims.extract import extract
from claims.load import Base
from claims.match import (
    COUNT_BONUS,
    FUZZY_CUTOFF,
    MATCH,
    POSSIBLE,
    SLOT_BONUS,
    STATEMENT_SHARE,
    Candidate,
    Matcher,
    MatchResult,
    claim_slots,
)
from claims.models import Claim
from claims.text import ENTITY_PREFIX, Normaliser

# --- the reference: the matcher as it was, over plain dicts --------------------------------------


@dataclass
class _Entry:
    claim: Claim
    vocabulary: frozenset[str]
    wordings: list[tuple[str, tuple[str, ...]]]
    slots: frozenset[str]
    own: list[tuple[str, ...]]  # the terms of the claim's statement and aliases (not its versions)


class Reference:
    """The pre-index matcher: postings as sets, every candidate scored."""

    def __init__(self, normaliser: Normaliser, claims: list[Claim]):
        self.normaliser = normaliser
        self.entries: dict[str, _Entry] = {}
        self.postings: dict[str, set[str]] = {}
        for claim in claims:
            self.add(claim)

    def add(self, claim: Claim) -> None:
        self.remove(claim.id)
        if claim.status != "active":
            return
        wordings = []
        for text in (*claim.texts(), *(v.text for v in claim.versions)):
            terms = self.normaliser.normalise(text).terms
            if terms:
                wordings.append((text, terms))
        vocabulary = frozenset(t for _, terms in wordings for t in terms)
        own = [terms for text in claim.texts() if (terms := self.normaliser.normalise(text).terms)]
        self.entries[claim.id] = _Entry(claim, vocabulary, wordings, claim_slots(claim), own)
        for term in vocabulary:
            self.postings.setdefault(term, set()).add(claim.id)

    def remove(self, claim_id: str) -> None:
        entry = self.entries.pop(claim_id, None)
        if entry is None:
            return
        for term in entry.vocabulary:
            self.postings[term].discard(claim_id)
            if not self.postings[term]:
                del self.postings[term]

    def idf(self, term: str) -> float:
        n = len(self.entries) + 1
        return math.log(1 + n / (len(self.postings.get(term, ())) + 0.5))

    def expand(self, terms: tuple[str, ...]) -> dict[str, dict[str, float]]:
        vocabulary = sorted(t for t in self.postings if not t.startswith(ENTITY_PREFIX))
        out: dict[str, dict[str, float]] = {}
        for term in terms:
            hits: dict[str, float] = {}
            if term in self.postings:
                hits[term] = 1.0
            if not term.startswith(ENTITY_PREFIX) and len(term) >= 4:
                for other, similarity, _ in process.extract(
                    term, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
                ):
                    if other != term and len(other) >= 4:
                        hits.setdefault(other, similarity / 100 * 0.9)
            out[term] = hits
        return out

    def score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str,
              slots: frozenset[str]) -> Candidate:
        entry = self.entries[claim_id]
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
        return Candidate(claim_id, round(score, 1), wording)

    def own(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str) -> float:
        """The tie-break: the score over the claim's statement and aliases alone, without bonus."""
        entry = self.entries[claim_id]
        vocabulary = {t for wording in entry.own for t in wording}
        total = sum(self.idf(t) for t in terms) or 1.0
        explained = 0.0
        hit_terms: dict[str, float] = {}
        for term in terms:
            best = 0.0
            for other, similarity in expanded.get(term, {}).items():
                if other in vocabulary and similarity > best:
                    best = similarity
                    hit_terms[other] = max(hit_terms.get(other, 0.0), similarity)
            explained += self.idf(term) * best
        coverage = 0.0
        for wording in entry.own:
            w_total = sum(self.idf(t) for t in wording) or 1.0
            coverage = max(coverage, sum(self.idf(t) * hit_terms.get(t, 0.0) for t in wording) / w_total)
        return round(100 * (explained / total) ** STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE), 1)

    def match(self, terms: tuple[str, ...], slots: frozenset[str]) -> MatchResult:
        if not terms:
            return MatchResult("none", None, [])
        expanded = self.expand(terms)
        candidates: set[str] = set()
        for hits in expanded.values():
            for other in hits:
                candidates |= self.postings.get(other, set())
        # Equal scores: the claim whose own statement and aliases match better, then the smaller id.
        scored = sorted((self.score(terms, expanded, c, slots) for c in candidates),
                        key=lambda c: (-c.score, -self.own(terms, expanded, c.claim_id), c.claim_id))
        top = scored[0] if scored else None
        if top is None or top.score < POSSIBLE:
            return MatchResult("none", None, [])
        if top.score >= MATCH:
            return MatchResult("match", _capped(top), [])
        return MatchResult("possible", None, [_capped(c) for c in scored[:3] if c.score >= POSSIBLE])


def _capped(candidate: Candidate) -> Candidate:
    return Candidate(candidate.claim_id, min(100.0, candidate.score), candidate.wording)


# --- helpers ---------------------------------------------------------------------------------------


def statements_for(base: Base, seed: int, per_claim: int = 2) -> list[str]:
    """Real wordings as chat would mangle them (typos, case), plus off-topic statements."""
    rng = random.Random(seed)
    out: list[str] = []
    for claim in sorted(base.claims.values(), key=lambda c: c.id):
        texts = [*claim.texts(), *(v.text for v in claim.versions)]
        for _ in range(per_claim):
            text = rng.choice(texts)
            words = text.split()
            i = rng.randrange(len(words))
            if len(words[i]) > 4:  # a typo: drop one letter
                j = rng.randrange(1, len(words[i]) - 1)
                words[i] = words[i][:j] + words[i][j + 1:]
            text = " ".join(words)
            out.append(text.lower() if rng.random() < 0.3 else text)
    return [*out, *OFF_TOPIC, "US troops", "troops", "withdrawl", "Iraq Iraq Iraq", "the", "lol ok"]


def check_all(engine: Engine, matcher: Matcher, reference: Reference, statements: list[str],
              reference_every: int = 1) -> set[str]:
    """Assert index == full scan for every statement, and == the reference for every
    `reference_every`-th one (it is slow); return the outcomes seen."""
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    outcomes = set()
    for i, statement in enumerate(statements):
        norm = engine.normaliser.normalise(statement)
        slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
        indexed = matcher.match(norm, slots)
        assert indexed == matcher.match_full_scan(norm, slots), statement
        if i % reference_every == 0:
            assert indexed == reference.match(norm.terms, slots), statement
        outcomes.add(indexed.outcome)
    return outcomes


# --- the shipped base ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(engine: Engine, shipped_base: Base) -> tuple[Matcher, Reference]:
    claims = list(shipped_base.claims.values())
    return Matcher(engine.normaliser, claims), Reference(engine.normaliser, claims)


def test_on_the_shipped_base_the_index_finds_what_scoring_every_claim_finds(
    engine: Engine, shipped_base: Base, shipped: tuple[Matcher, Reference]
) -> None:
    matcher, reference = shipped
    outcomes = check_all(engine, matcher, reference, statements_for(shipped_base, seed=1))
    assert outcomes == {"match", "possible", "none"}


def test_scores_are_bit_for_bit_those_of_the_matcher_before_the_index(
    engine: Engine, shipped_base: Base, shipped: tuple[Matcher, Reference]
) -> None:
    matcher, reference = shipped
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    for statement in statements_for(shipped_base, seed=2, per_claim=1)[::3]:
        norm = engine.normaliser.normalise(statement)
        slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
        expanded = reference.expand(norm.terms)
        assert matcher.expand(norm.terms) == expanded, statement
        for claim_id in shipped_base.claims:
            assert matcher.score(norm.terms, expanded, claim_id, slots) == \
                reference.score(norm.terms, expanded, claim_id, slots), (statement, claim_id)


def test_idf_and_candidates_are_those_of_the_plain_postings(
    engine: Engine, shipped_base: Base, shipped: tuple[Matcher, Reference]
) -> None:
    matcher, reference = shipped
    for term in [*reference.postings, "never-seen", "@nobody"]:
        assert matcher.idf(term) == reference.idf(term)
    norm = engine.normaliser.normalise("US troopz withdrawl erbil")
    expanded = matcher.expand(norm.terms)
    expected = set().union(*(reference.postings.get(o, set()) for hits in expanded.values() for o in hits))
    assert matcher.candidates(expanded) == expected
    assert len(matcher) == len(reference.entries)


# --- a synthetic base of 2,000 claims --------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(engine: Engine, shipped_base: Base) -> tuple[Base, Matcher, Reference]:
    base = synthetic_base(shipped_base, 2_000, seed=7)
    claims = list(base.claims.values())
    return base, Matcher(engine.normaliser, claims), Reference(engine.normaliser, claims)


def test_the_synthetic_base_is_seeded_and_has_about_the_vocabulary_of_as_much_news_text(
    shipped_base: Base, synthetic: tuple[Base, Matcher, Reference]
) -> None:
    base, matcher, _ = synthetic
    again = synthetic_base(shipped_base, 2_000, seed=7)
    assert [c.model_dump() for c in again.claims.values()] == [c.model_dump() for c in base.claims.values()]
    texts = [t for c in base.claims.values() for t in (*c.texts(), *(v.text for v in c.versions))]
    running = sum(running_words(t) for t in texts)
    words = {w for t in texts for w in WORD_RE.findall(t.lower())}
    # The index is tested on a vocabulary as large as real text's, not on 74 claims' words
    # recombined. Words lag behind terms at this size: inflections come once terms are enough.
    assert 0.8 * NEWS_TERMS.at(running) <= len(matcher._term_str) <= 1.2 * NEWS_TERMS.at(running)
    assert 0.6 * NEWS_WORDS.at(running) <= len(words) <= 1.2 * NEWS_WORDS.at(running)


def test_on_a_synthetic_base_of_2000_claims_the_index_finds_what_scoring_every_claim_finds(
    engine: Engine, shipped_base: Base, synthetic: tuple[Base, Matcher, Reference]
) -> None:
    _, matcher, reference = synthetic
    statements = [q.text for q in bench_queries(shipped_base, seed=7)][::3]
    outcomes = check_all(engine, matcher, reference, statements, reference_every=4)
    assert outcomes == {"match", "possible", "none"}


def test_claims_scored_together_get_the_scores_and_wordings_they_get_one_at_a_time(
    engine: Engine, shipped_base: Base, synthetic: tuple[Base, Matcher, Reference]
) -> None:
    # The search scores a few claims one by one and many at once (with arrays): both must give
    # the reference's floats, whichever claims are scored together.
    base, matcher, reference = synthetic
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    ids = sorted(base.claims)
    for statement in [q.text for q in bench_queries(shipped_base, seed=5)][::25]:
        norm = engine.normaliser.normalise(statement)
        slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
        expanded = matcher.expand(norm.terms)
        wanted = ids[:: 7] + sorted(matcher.candidates(expanded))[:400]
        together = matcher.score_many(norm.terms, expanded, wanted, slots)
        alone = [matcher.score(norm.terms, expanded, claim_id, slots) for claim_id in wanted]
        assert together == alone, statement
        assert alone[-1] == reference.score(norm.terms, expanded, wanted[-1], slots), statement
        assert matcher.own_scores(norm.terms, expanded, wanted) == \
            [matcher.own_score(norm.terms, expanded, claim_id) for claim_id in wanted], statement


def test_asking_only_for_a_near_verbatim_match_finds_the_same_best_claim_or_nothing(
    engine: Engine, shipped_base: Base, synthetic: tuple[Base, Matcher, Reference]
) -> None:
    _, matcher, _ = synthetic
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    seen = set()
    for statement in [q.text for q in bench_queries(shipped_base, seed=9)][::4]:
        norm = engine.normaliser.normalise(statement)
        slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
        full = matcher.match(norm, slots)
        strict = matcher.match(norm, slots, at_least=95.0)
        assert strict == matcher.match_full_scan(norm, slots, at_least=95.0), statement
        if full.best is not None and full.best.score >= 95.0:
            assert strict == full, statement
            seen.add("kept")
        else:
            assert strict.outcome == "none", statement
            seen.add("dropped")
    assert seen == {"kept", "dropped"}


def test_expansion_over_a_large_vocabulary_is_that_of_rapidfuzz_over_all_of_it(
    engine: Engine, synthetic: tuple[Base, Matcher, Reference]
) -> None:
    _, matcher, reference = synthetic
    rng = random.Random(3)
    vocabulary = sorted(t for t in reference.postings if not t.startswith(ENTITY_PREFIX))
    terms = []
    for term in rng.sample(vocabulary, 300):
        j = rng.randrange(len(term))
        terms += [term, term[:j] + term[j + 1:], term[:j] + "e" + term[j:], term[:j] + "x" + term[j + 1:]]
    terms += ["@us", "@nobody", "abc", "zzzzzzzzzzzz", "withdrawl", "troopz", "a" * 40]
    for term in terms:
        assert matcher.expand([term]) == reference.expand((term,)), term


# --- edits ------------------------------------------------------------------------------------------


def test_after_adds_replacements_and_removals_the_index_still_equals_the_full_scan(
    engine: Engine, shipped_base: Base
) -> None:
    base = synthetic_base(shipped_base, 2_000, seed=11)
    claims = list(base.claims.values())
    matcher = Matcher(engine.normaliser, claims[:1_500])
    reference = Reference(engine.normaliser, claims[:1_500])
    rng = random.Random(11)
    # moderators add claims, reword some, retire some and delete others
    for claim in claims[1_500:]:
        matcher.add(claim)
        reference.add(claim)
    for claim in rng.sample(claims, 150):
        reworded = claim.model_copy(update={"statement": claim.statement + " near Qalat Zuhair",
                                            "aliases": claim.aliases[:1]})
        matcher.add(reworded)
        reference.add(reworded)
    for claim in rng.sample(claims, 40):
        retired = claim.model_copy(update={"status": "retired"})
        matcher.add(retired)
        reference.add(retired)
    for claim in rng.sample(claims, 120):
        matcher.remove(claim.id)
        reference.remove(claim.id)
    assert len(matcher) == len(reference.entries)
    statements = [q.text for q in bench_queries(shipped_base, seed=11)][1::5]
    check_all(engine, matcher, reference, statements, reference_every=4)
    for claim_id in rng.sample(sorted(reference.entries), 20):
        assert matcher.claim(claim_id) is reference.entries[claim_id].claim
    removed = next(c.id for c in claims if c.id not in reference.entries)
    with pytest.raises(KeyError):
        matcher.claim(removed)


def test_removing_most_of_the_base_compacts_the_index_and_keeps_it_exact(
    engine: Engine, shipped_base: Base
) -> None:
    base = synthetic_base(shipped_base, 1_200, seed=5)
    claims = list(base.claims.values())
    matcher = Matcher(engine.normaliser, claims)
    reference = Reference(engine.normaliser, claims)
    rows_before = len(matcher._ids)
    for claim in claims[::2]:
        matcher.remove(claim.id)
        reference.remove(claim.id)
    assert len(matcher._ids) < rows_before  # compacted: the removed claims' rows are gone
    assert len(matcher) == len(reference.entries) == len(claims) - len(claims[::2])
    statements = statements_for(shipped_base, seed=5, per_claim=1)[::2]
    check_all(engine, matcher, reference, statements)
    # terms only the removed claims used are no longer offered as spellings
    gone = {t for t in Reference(engine.normaliser, claims).postings} - set(reference.postings)
    for term in sorted(gone)[:50]:
        assert matcher.expand([term]) == reference.expand((term,))


def test_claims_tied_on_score_and_own_wordings_go_to_the_smallest_id_however_many_there_are(
    engine: Engine, shipped_base: Base
) -> None:
    template = shipped_base.claims["deal-reached"]
    copies = [template.model_copy(update={"id": f"copy-{i:04d}"}) for i in range(300)]
    # the copies rank before and after the real claim's id, and a few are added later
    claims = [*shipped_base.claims.values(), *copies[:250]]
    matcher = Matcher(engine.normaliser, claims)
    reference = Reference(engine.normaliser, claims)
    for claim in copies[250:]:
        matcher.add(claim)
        reference.add(claim)
    matcher.remove("copy-0000")
    reference.remove("copy-0000")
    statements = [template.statement, *template.aliases, "the deal was reached", "did they reach an agreement",
                  "agreement reached lol", "Iraq and America agreed a deal"]
    check_all(engine, matcher, reference, statements)
    result = matcher.match(template.statement)
    assert result.best is not None and result.best.claim_id == "copy-0001"


def test_close_to_a_claim_copied_many_times_but_matching_none_the_suggestions_are_the_full_scans(
    engine: Engine, shipped_base: Base
) -> None:
    # The search for suggestions after the one for a match starts from the claims that one
    # bounded and scored: it must still find exactly what scoring every claim finds.
    template = shipped_base.claims["deal-reached"]
    copies = [template.model_copy(update={"id": f"copy-{i:04d}"}) for i in range(300)]
    claims = [*shipped_base.claims.values(), *copies]
    matcher = Matcher(engine.normaliser, claims)
    reference = Reference(engine.normaliser, claims)
    statements = ["The US and Iraq struck a deal on schools", "Iraq and the United States agreed on a plan for schools",
                  "an agreement on the troop withdrawal from Syria was reached in Ankara"]
    assert check_all(engine, matcher, reference, statements) == {"possible"}
    result = matcher.match(statements[0])
    assert [c.claim_id for c in result.suggestions] == ["copy-0000", "copy-0001", "copy-0002"]


def swapped_pair(claim: Claim, n: int) -> tuple[Claim, Claim]:
    """Two claims with the same wordings and details, so they score the same for any statement:
    `own-N` says the claim's statement itself; `aaa-N` (whose id sorts first) has it only as the
    text of a version, and the version's text as its statement."""
    version = claim.versions[0]
    other_text = "Officials in Baghdad described the talks as long and difficult"
    own = claim.model_copy(update={"id": f"own-{n:03d}", "aliases": [], "versions": [
        version.model_copy(update={"text": other_text})]})
    borrowed = claim.model_copy(update={"id": f"aaa-{n:03d}", "statement": other_text, "aliases": [], "versions": [
        version.model_copy(update={"text": claim.statement})]})
    return own, borrowed


def test_a_tie_goes_to_the_claim_whose_own_statement_matches_not_to_the_smaller_id(
    engine: Engine, shipped_base: Base
) -> None:
    template = shipped_base.claims["deal-reached"]
    own, borrowed = swapped_pair(template, 0)
    matcher = Matcher(engine.normaliser, [borrowed, own])
    norm = engine.normaliser.normalise(template.statement)
    expanded = matcher.expand(norm.terms)
    scores = {c: matcher.score(norm.terms, expanded, c) for c in (own.id, borrowed.id)}
    assert scores[own.id].score == scores[borrowed.id].score  # a real tie on the score

    result = matcher.match(template.statement)

    assert result.best is not None and result.best.claim_id == own.id  # not aaa-000, whose id sorts first
    assert matcher.own_score(norm.terms, expanded, own.id) > matcher.own_score(norm.terms, expanded, borrowed.id)
    ranked = matcher.rank(norm.terms, expanded, [scores[borrowed.id], scores[own.id]])
    assert [c.claim_id for c in ranked] == [own.id, borrowed.id]
    # Worded like the version's text instead, the other claim wins the same tie.
    flipped = matcher.match("Officials in Baghdad described the talks as long and difficult")
    assert flipped.best is not None and flipped.best.claim_id == borrowed.id


def test_with_many_ties_broken_by_own_wordings_the_index_still_equals_the_full_scan(
    engine: Engine, shipped_base: Base
) -> None:
    pairs = [pair for i, claim in enumerate(sorted(shipped_base.claims.values(), key=lambda c: c.id))
             for pair in swapped_pair(claim, i)]
    claims = [*shipped_base.claims.values(), *pairs]
    matcher = Matcher(engine.normaliser, claims[: len(claims) // 2])
    reference = Reference(engine.normaliser, claims[: len(claims) // 2])
    for claim in claims[len(claims) // 2:]:  # half of them added one by one
        matcher.add(claim)
        reference.add(claim)
    statements = [*statements_for(shipped_base, seed=17, per_claim=1),
                  *(c.statement for c in shipped_base.claims.values())]
    outcomes = check_all(engine, matcher, reference, statements, reference_every=3)
    assert {"match", "possible"} <= outcomes
    # Said in a claim's own words, the twin whose statement it is wins, though its id sorts last.
    bests = [matcher.match(claim.statement).best for claim in shipped_base.claims.values()]
    winners = [best.claim_id for best in bests if best is not None]
    assert not [w for w in winners if w.startswith("aaa-")]
    assert sum(w.startswith("own-") for w in winners) > 10


def _index_state(matcher: Matcher) -> dict[str, object]:
    """Everything the index holds, in plain values (postings per term, whichever array holds them)."""
    state: dict[str, object] = {name: getattr(matcher, name).view().tolist() for name in matcher._row_columns()}
    state["terms"] = list(matcher._term_str)
    state["df"] = list(matcher._df)
    state["fuzzy"] = matcher._fuzzy_ok.view().tolist()
    state["rows"] = dict(matcher._row_of)
    state["slots"] = list(matcher._row_slots)
    state["postings"] = {t: sorted(matcher._posting(t).tolist()) for t in matcher._term_str}
    return state


def test_a_base_indexed_in_worker_processes_is_indexed_exactly_as_one_claim_at_a_time(
    engine: Engine, shipped_base: Base, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.match.entries as match

    claims = list(synthetic_base(shipped_base, 700, seed=3).claims.values())
    one_by_one = Matcher(engine.normaliser)
    for claim in claims:
        one_by_one.add(claim)
    # small, uneven batches so that claims straddle batch boundaries; workers from 100 claims on
    monkeypatch.setattr(match, "BATCH_CLAIMS", 97)
    monkeypatch.setattr(match, "PARALLEL_FROM", 100)
    in_workers = Matcher(engine.normaliser, claims)
    monkeypatch.setattr(match, "PARALLEL_FROM", 10**9)
    here = Matcher(engine.normaliser, claims)
    assert _index_state(in_workers) == _index_state(here) == _index_state(one_by_one)
    statement = "is it true the americans are leaving erbil by september 2026?"
    assert in_workers.match(statement) == one_by_one.match(statement)


def test_a_stuck_index_worker_costs_time_not_the_index(
    engine: Engine, shipped_base: Base, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import claims.match.entries as entries

    if (os.cpu_count() or 1) < 2:
        pytest.skip("the index is read in worker processes only on a machine with two cores or more")
    claims = list(synthetic_base(shipped_base, 400, seed=3).claims.values())
    parent, read = os.getpid(), entries.read_batch

    def stuck_in_a_worker(normaliser: Normaliser, part: list[Claim]) -> object:
        if os.getpid() != parent:
            time.sleep(3600)  # as a worker waiting for a lock the fork copied while another thread held it
        return read(normaliser, part)

    monkeypatch.setattr(entries, "read_batch", stuck_in_a_worker)
    monkeypatch.setattr(entries, "BATCH_CLAIMS", 97)
    monkeypatch.setattr(entries, "PARALLEL_FROM", 100)
    monkeypatch.setattr(entries, "WORKER_STALL_S", 1.0)
    with caplog.at_level(logging.WARNING, logger="claims.match.entries"):
        stuck = Matcher(engine.normaliser, claims)
    assert "made no progress" in caplog.text
    monkeypatch.setattr(entries, "PARALLEL_FROM", 10**9)
    assert _index_state(stuck) == _index_state(Matcher(engine.normaliser, claims))


@pytest.mark.parametrize("bits_per_word", [3, 20])
def test_with_more_kinds_of_detail_than_mask_bits_the_index_still_equals_the_full_scan(
    engine: Engine, shipped_base: Base, monkeypatch: pytest.MonkeyPatch, bits_per_word: int
) -> None:
    import claims.match.index as match

    # 3 bits a word: kinds spill into the second word and then go untracked; 20: they fit in two.
    monkeypatch.setattr(match, "_BITS_PER_WORD", bits_per_word)
    monkeypatch.setattr(match, "_MAX_SLOT_BITS", 2 * bits_per_word)
    claims = list(synthetic_base(shipped_base, 600, seed=13).claims.values())
    matcher = Matcher(engine.normaliser, claims)
    assert any(word == 1 for word, _ in matcher._slot_bit.values())
    statements = [q.text for q in bench_queries(shipped_base, seed=13)][::4]
    check_all(engine, matcher, Reference(engine.normaliser, claims), statements, reference_every=3)

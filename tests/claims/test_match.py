"""claims/match/: finding the claim a statement is about (retrieval, then scoring)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claims.engine import Engine
from claims.extract import extract
from claims.load import Base
from claims.match import MATCH, POSSIBLE, Candidate, Matcher, MatchResult

TOPICS = Path(__file__).resolve().parents[2] / "claims" / "base" / "topics"


def shipped_claims() -> list[tuple[str, str]]:
    """(id, statement) of every shipped claim, read straight from the YAML for parametrising."""
    out = []
    for path in sorted(TOPICS.glob("*.yaml")):
        out += [(c["id"], c["statement"]) for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]]
    return out


def match(engine: Engine, statement: str, matcher: Matcher | None = None) -> MatchResult:
    """Match as the engine does: the statement's kinds of detail go along with its words."""
    norm = engine.normaliser.normalise(statement)
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
    return (matcher or engine.matcher).match(norm, slots)


def full_scan(engine: Engine, statement: str) -> list[Candidate]:
    """Score every claim in the base (no retrieval step), best first with the matcher's tie-break."""
    norm = engine.normaliser.normalise(statement)
    kinds = {k: str(e.kind) for k, e in engine.entities.entities.items()}
    slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
    expanded = engine.matcher.expand(norm.terms)
    scored = [engine.matcher.score(norm.terms, expanded, cid, slots) for cid in engine.base.claims]
    return engine.matcher.rank(norm.terms, expanded, scored)


# --- outcomes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("statement", "claim_id"), [
    ("Iraq and America agreed a deal on the troop withdrawal", "deal-reached"),
    ("Daesh got defeated in Iraq in 2017", "isis-defeated-iraq-2017"),
    ("The Americans will finish pulling out of Iraq by Sept 2026", "final-withdrawal-date"),
    ("Obama pulled all the troops out of Iraq in 2011", "us-full-withdrawal-2011"),
    ("The PMF has about 150k fighters", "pmu-membership"),
    ("Israel and Iran fought a 12-day war in June 2025", "israel-iran-12-day-war"),
])
def test_a_paraphrase_is_a_confident_match_for_its_claim(engine: Engine, statement: str, claim_id: str) -> None:
    result = match(engine, statement)
    assert result.outcome == "match"
    assert result.best is not None
    assert result.best.claim_id == claim_id
    assert MATCH <= result.best.score <= 100


def test_a_plain_statement_of_the_withdrawal_date_matches_the_final_withdrawal_claim(engine: Engine) -> None:
    result = match(engine, "The US will leave Iraq by September 2026")
    assert result.best is not None
    assert result.best.claim_id == "final-withdrawal-date"


def test_a_withdrawal_in_2011_matches_the_2011_withdrawal_claim(engine: Engine) -> None:
    result = match(engine, "US troops left Iraq in 2011")
    assert result.best is not None
    assert result.best.claim_id == "us-full-withdrawal-2011"


def test_a_loosely_related_statement_gets_suggestions_but_no_claim(engine: Engine) -> None:
    result = match(engine, "Syria is a dangerous place")
    assert result.outcome == "possible"
    assert result.best is None
    assert "isis-remnants-still-threat" in [s.claim_id for s in result.suggestions]
    assert all(POSSIBLE <= s.score < MATCH for s in result.suggestions)


@pytest.mark.parametrize("statement", [
    "good morning everyone",
    "NASA will land astronauts on the Moon in September 2026",
    "Bitcoin will hit 100k by the end of 2026",
    "lol",
    "2026",
])
def test_an_off_topic_statement_matches_nothing(engine: Engine, statement: str) -> None:
    assert match(engine, statement) == MatchResult("none", None, [])


@pytest.mark.xfail(strict=True, reason="BUG: 'reach' alone earns deal-reached a 'did you mean' (52.8) for a "
                   "statement about Bitcoin")
def test_bitcoin_reaching_100k_matches_nothing(engine: Engine) -> None:
    assert match(engine, "Bitcoin will reach 100k by the end of 2026") == MatchResult("none", None, [])


@pytest.mark.parametrize("statement", [
    "All US forces will be out of Iraq by September 2026",
    "all us forces will be out of iraq by september 2026",
    "ALL U.S. FORCES WILL BE OUT OF IRAQ BY SEPTEMBER 2026!!!",
    "All U.S. forces will be out of Iraq by September 2026.",
    "all us forces, will be out of iraq by sept 2026???",
    "Is it true that all US forces will be out of Iraq by September 2026?",
    "is it true that all american forces will be out of irak by september 2026",
    "Will all US forces be out of Iraq by September 2026?",
    "The US withdrawl from Irak will be complete by September 2026",
    "All US forcs will be out of Iraq by September 2026",
])
def test_case_punctuation_typos_and_question_form_find_the_same_claim(engine: Engine, statement: str) -> None:
    result = match(engine, statement)
    assert result.outcome == "match"
    assert result.best is not None and result.best.claim_id == "final-withdrawal-date"


@pytest.mark.parametrize("statement", ["ISIS was defeated in Iraq in 2017", "isis was defeated in irak in 2017",
                                       "Was ISIS defeated in Iraq in 2017?", "ISIS was defeted in Iraq in 2017",
                                       "Is it true that ISIS was defeated in Iraq in 2017?"])
def test_variants_of_one_event_all_find_it(engine: Engine, statement: str) -> None:
    result = match(engine, statement)
    assert result.best is not None and result.best.claim_id == "isis-defeated-iraq-2017"


@pytest.mark.parametrize(("claim_id", "statement"), shipped_claims())
def test_every_claim_statement_finds_its_own_claim(engine: Engine, claim_id: str, statement: str) -> None:
    result = match(engine, statement)
    assert result.outcome == "match"
    assert result.best is not None and result.best.claim_id == claim_id


def test_a_shown_score_never_exceeds_100_even_with_detail_bonuses(engine: Engine) -> None:
    result = match(engine, "Only 1,000 US troops are left in Iraq")
    assert result.best is not None
    assert result.best.score == 100.0
    assert all(s.score <= 100 for s in result.suggestions)


# --- retrieval is exact ---------------------------------------------------------------------------

VARIED_STATEMENTS = [
    "All US forces will be out of Iraq by September 2026",
    "Only 1,000 US troops are left in Iraq",
    "ISIS was defeated in Iraq in 2017",
    "American forces finished leaving Iraq's Kurdistan Region in 2026",
    "Bitcoin will hit 100k by the end of 2026",
    "good morning everyone",
    "Syria is a dangerous place",
    "The withdrawl from Irak is done",
    "Yanks gonna be gone from Iraq by sept 2026",
    "Farhad Alaaldin said Iraq can handle ISIS",
    "Lloyd Austin wanted the pullout to take three years",
    "Turkish jets bombed Kurdish fighters in northern Iraq",
    "Iran bombed Kurdish fighters in northern Iraq",
    "The PMF gets $700 million from the Iraqi budget",
    "How many US troops are in Syria?",
    "Militias attacked US forces at least 70 times since October 7",
    "A convoy left Al Asad airbase heading for Syria",
    "Troops at Baghdad airport are moving to Erbil",
    "The coalition was formed in 2014 to fight ISIS",
    "Germany, France, Spain and Italy have troops in the coalition",
    "NATO and Iraq launched a political dialogue",
    "Biden carried out Trump's deal to leave Afghanistan",
    "The Pentagon budget is huge",
    "US troop numbers peaked at 168,000 during the surge",
    "The US and Iraq signed the deal in July 2024",
    "Al-Sudani says US troops are a magnet for attacks",
    "Israel and Iran fought a 3-day war",
    "ISIS controlled a third of Iraq",
    "Iraq held parliamentary elections in October 2025",
    "US drones killed al-Saidi in Baghdad",
    "US troopz withdrawl erbil",
    "Is the Islamic Resistance of Iraq part of the PMF?",
]


@pytest.mark.parametrize("statement", VARIED_STATEMENTS)
def test_retrieval_then_scoring_gives_the_same_top_claim_as_scoring_every_claim(
    engine: Engine, statement: str
) -> None:
    norm = engine.normaliser.normalise(statement)
    expanded = engine.matcher.expand(norm.terms)
    candidates = engine.matcher.candidates(expanded)
    scan = full_scan(engine, statement)
    result = match(engine, statement)
    if scan[0].score >= POSSIBLE:
        shown = result.best or result.suggestions[0]
        assert shown.claim_id == scan[0].claim_id
    else:
        assert result.outcome == "none"
    # Skipping a claim that shares no term never loses anything: every such claim scores zero.
    assert all(c.score == 0 for c in scan if c.claim_id not in candidates)


def test_the_retrieval_comparison_covers_matches_suggestions_and_misses(engine: Engine) -> None:
    outcomes = {match(engine, s).outcome for s in VARIED_STATEMENTS}
    assert outcomes == {"match", "possible", "none"}


# --- the index ------------------------------------------------------------------------------------


@pytest.fixture
def matcher(engine: Engine, shipped_base: Base) -> Matcher:
    """A matcher of its own over the shipped claims, free to change."""
    return Matcher(engine.normaliser, shipped_base.claims.values())


def test_a_removed_claim_is_never_matched(engine: Engine, shipped_base: Base, matcher: Matcher) -> None:
    statement = "Only 1,000 US troops are left in Iraq"
    assert match(engine, statement, matcher).best == match(engine, statement).best
    matcher.remove("troops-in-iraq")
    assert len(matcher) == len(shipped_base.claims) - 1
    result = match(engine, statement, matcher)
    assert "troops-in-iraq" not in {c.claim_id for c in [*filter(None, [result.best]), *result.suggestions]}
    norm = engine.normaliser.normalise(statement)
    assert "troops-in-iraq" not in matcher.candidates(matcher.expand(norm.terms))


def test_terms_are_used_together_only_by_a_live_claim_that_uses_every_one(
    engine: Engine, shipped_base: Base, matcher: Matcher
) -> None:
    def vocabulary(claim_id: str) -> set[str]:
        claim = shipped_base.claims[claim_id]
        return {t for text in (claim.statement, *claim.aliases, *(v.text for v in claim.versions))
                for t in engine.normaliser.terms(text)}

    own = tuple(engine.normaliser.terms(shipped_base.claims["troops-in-syria"].statement))
    assert matcher.used_together(own)
    # With a word only another claim uses, no one claim uses them all.
    other = next(t for t in sorted(vocabulary("deal-reached")) if t not in vocabulary("troops-in-syria")
                 and not any(set(own) | {t} <= vocabulary(c) for c in shipped_base.claims))
    assert not matcher.used_together((*own, other))
    assert not matcher.used_together((*own, "zzzunknownterm"))
    assert not matcher.used_together(())
    # A removed claim uses nothing any more.
    matcher.remove("troops-in-syria")
    others = any(set(own) <= vocabulary(c) for c in shipped_base.claims if c != "troops-in-syria")
    assert matcher.used_together(own) == others


def test_removing_an_unknown_claim_changes_nothing(shipped_base: Base, matcher: Matcher) -> None:
    matcher.remove("no-such-claim")
    assert len(matcher) == len(shipped_base.claims)


def test_a_retired_claim_is_not_indexed(engine: Engine, shipped_base: Base, matcher: Matcher) -> None:
    retired = shipped_base.claims["isis-defeated-iraq-2017"].model_copy(update={"status": "retired"})
    matcher.add(retired)
    assert len(matcher) == len(shipped_base.claims) - 1
    result = match(engine, "ISIS was defeated in Iraq in 2017", matcher)
    assert result.best is None or result.best.claim_id != "isis-defeated-iraq-2017"
    assert "isis-defeated-iraq-2017" not in [s.claim_id for s in result.suggestions]
    with pytest.raises(KeyError):
        matcher.claim("isis-defeated-iraq-2017")


def test_an_added_claim_is_matched_and_readding_replaces_it(engine: Engine, shipped_base: Base,
                                                            matcher: Matcher) -> None:
    template = shipped_base.claims["troops-in-syria"]
    statement = "Marines guard the embassy compound in Kuwait"
    assert match(engine, statement, matcher).outcome == "none"
    added = template.model_copy(update={"id": "embassy-marines", "statement": statement, "aliases": []})
    matcher.add(added)
    result = match(engine, statement, matcher)
    assert result.best is not None and result.best.claim_id == "embassy-marines"
    reworded = added.model_copy(update={"statement": "Penguins waddle across Antarctic ice shelves"})
    matcher.add(reworded)
    assert len(matcher) == len(shipped_base.claims) + 1
    assert matcher.claim("embassy-marines").statement.startswith("Penguins")
    moved = match(engine, statement, matcher)
    assert moved.best is None or moved.best.claim_id != "embassy-marines"

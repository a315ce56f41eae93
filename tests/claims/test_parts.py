"""Statements of several claims, bad input, non-English, and the "did you mean" choice."""

from __future__ import annotations

from datetime import date

import pytest

from claims.engine import NOT_ENGLISH, Engine
from claims.load import Base
from claims.render import card_text, reply_card

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def engine(shipped_base: Base) -> Engine:
    return Engine(shipped_base, today=TODAY)


def test_one_false_half_contradicts_the_whole(engine: Engine) -> None:
    reply = engine.check("ISIS emerged in 2014 and seized half of Iraq.")
    assert reply.verdict == "contradicted"
    assert [(p.verdict, p.claim.id if p.claim else None) for p in reply.parts] == [
        ("supported", "isis-emerged-2014"), ("contradicted", "isis-seized-third-of-iraq")]


def test_a_half_nothing_covers_leaves_the_whole_unverified_and_says_so(engine: Engine) -> None:
    reply = engine.check("The militia attacks ceased in April 2024 and Iraq's parliament voted to expel US troops.")
    assert reply.verdict == "unverified"
    assert [p.verdict for p in reply.parts] == ["supported", "no_match"]
    assert "nothing in the claim base covers this part" in reply.explanation


def test_all_parts_supported_is_supported(engine: Engine) -> None:
    reply = engine.check("The PMU have about 150,000 members and are funded by the Iraqi government.")
    assert reply.verdict == "supported" and len(reply.parts) == 2


def test_the_json_reply_lists_each_part(engine: Engine) -> None:
    data = engine.check("The coalition was formed in 2014; ISIS was defeated in Iraq in 2016.").to_json()
    assert [(p["text"], p["verdict"], p["claim"]) for p in data["parts"]] == [
        ("The coalition was formed in 2014", "supported", "coalition-formed-2014"),
        ("ISIS was defeated in Iraq in 2016", "contradicted", "isis-defeated-iraq-2017")]
    assert all(p["explanation"] for p in data["parts"])
    assert data["verdict"] == "contradicted"


def test_a_single_claim_has_no_parts(engine: Engine) -> None:
    assert engine.check("Israel and Iran fought a 12-day war in June 2025.").to_json()["parts"] == []


def test_the_card_shows_one_line_per_part(engine: Engine) -> None:
    text = card_text(reply_card(engine.check("ISIS emerged in 2014 and seized half of Iraq.")))
    assert "✅ Supported — ISIS emerged in 2014" in text
    assert "❌ Contradicted — ISIS seized half of Iraq" in text


# --- bad input: a clear answer, never a crash, never a borrowed verdict ---------------------------


@pytest.mark.parametrize("statement", ["and and", "2017", "2,500", "September 2026", "and ; and , but while", "???"])
def test_input_that_claims_nothing_gets_no_verdict(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "no_match" and reply.claim is None and reply.explanation


def test_thirty_claims_in_one_message_get_a_clear_answer(engine: Engine) -> None:
    statement = "; ".join(f"ISIS was defeated in {1990 + n}" for n in range(30))
    reply = engine.check(statement)
    assert reply.verdict == "no_match"
    assert "30 separate claims" in reply.explanation


def test_empty_clauses_around_a_claim_are_ignored(engine: Engine) -> None:
    assert engine.check("ISIS was defeated in Iraq in 2017 and and").verdict == "supported"


def test_a_sentence_of_antonyms_of_the_claim_is_never_supported(engine: Engine) -> None:
    for statement in ("ISIS was victorious outside Iraq in 2017 and lost", "ISIS won in Iraq in 2017",
                      "Al-Sudani praised the US strikes in Iraq."):
        assert engine.check(statement).verdict != "supported", statement


@pytest.mark.parametrize("statement", [
    "Der Abzug der US-geführten Koalition aus dem Irak soll in zwei Phasen erfolgen.",
    "US troops غادرت العراق in 2011",
])
def test_a_statement_not_in_english_says_so_plainly(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "no_match" and reply.claim is None
    assert NOT_ENGLISH in reply.explanation and reply.notes == [NOT_ENGLISH]


# --- the "did you mean" choice obeys the same rules ------------------------------------------------


@pytest.mark.parametrize("statement", [
    "Al-Sudani has decreased his support for the removal of US troops in recent months.",
    "US officials say the withdrawal timetable leaves them no flexibility.",
    "Iraq's parliament voted to expel US troops.",
    "US troops are leaving Germany by 2027",
    "The coalition doubled its presence in Baghdad.",
])
def test_picking_a_suggestion_never_turns_an_abstention_into_supported(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    for suggestion in reply.suggestions:
        chosen = engine.check_against(statement, suggestion.id)
        assert chosen.verdict != "supported", (suggestion.id, chosen.explanation)
        assert chosen.outcome == "chosen" or chosen.verdict == "no_match"


@pytest.mark.parametrize("statement", [
    "ISIS was defeated in Iraq in 2015", "About 2,500 US troops are stationed in Iraq",
    "Al-Sudani praised the US strikes in Iraq.", "US troops flew out of Erbil for the last time in September 2026.",
])
def test_a_pick_of_the_claim_check_matched_gets_the_same_verdict(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.claim is not None
    assert engine.check_against(statement, reply.claim.id).verdict == reply.verdict


def test_a_pick_about_another_place_still_abstains(engine: Engine) -> None:
    reply = engine.check_against("US troops are leaving Germany by 2027", "final-withdrawal-date")
    assert reply.verdict == "no_match"
    assert "Germany" in reply.explanation

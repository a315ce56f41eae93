"""claims/engine.py: statements in, replies out; the reply's JSON is the public contract."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from claims.engine import MAX_STATEMENT_CHARS, VERDICTS, Engine, StatementError, clean_statement
from claims.load import Base


def test_a_statement_is_trimmed_and_its_whitespace_collapsed() -> None:
    assert clean_statement("  US troops \n left\tIraq  ") == "US troops left Iraq"


@pytest.mark.parametrize("statement", ["", "   ", "\n\t"])
def test_an_empty_statement_is_refused_with_a_clear_message(engine: Engine, statement: str) -> None:
    with pytest.raises(StatementError, match="the statement is empty"):
        engine.check(statement)


def test_a_statement_over_the_limit_is_refused_with_its_length(engine: Engine) -> None:
    statement = "x" * 5000
    with pytest.raises(StatementError, match=rf"5000 characters; the limit is {MAX_STATEMENT_CHARS}"):
        engine.check(statement)


def test_a_statement_at_the_limit_is_checked(engine: Engine) -> None:
    statement = ("ISIS was defeated in Iraq in 2017 " * 40)[:MAX_STATEMENT_CHARS]
    assert engine.check(statement).verdict in VERDICTS


def test_a_statement_that_is_not_text_is_refused() -> None:
    with pytest.raises(StatementError, match="must be text"):
        clean_statement(42)  # type: ignore[arg-type]


def test_a_bad_crosscheck_today_is_a_clear_error(shipped_base: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_TODAY", "21/11/2026")
    with pytest.raises(StatementError, match="CROSSCHECK_TODAY='21/11/2026' is not a date"):
        Engine(shipped_base).check("ISIS was defeated in Iraq in 2017")


def test_the_engine_today_wins_over_crosscheck_today(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_TODAY", "2025-01-01")
    assert engine.today() == date(2026, 11, 21)


def test_the_reply_json_follows_the_contract(engine: Engine) -> None:
    out = json.loads(json.dumps(engine.check("Only 1,000 US troops are left in Iraq").to_json()))
    assert out["statement"] == "Only 1,000 US troops are left in Iraq"
    assert out["verdict"] == "contradicted"
    assert {"id", "text", "score"} <= set(out["claim"])
    assert out["claim"]["id"] == "troops-in-iraq"
    assert isinstance(out["explanation"], str) and out["explanation"]
    for version in out["versions"]:
        assert {"text", "agrees", "weight", "sources"} <= set(version)
        for src in version["sources"]:
            assert {"article", "outlet", "credibility", "quote", "said_by", "url"} <= set(src)
    assert isinstance(out["suggestions"], list)


def test_the_reply_json_of_no_match_has_a_null_claim(engine: Engine) -> None:
    out = engine.check("good morning everyone").to_json()
    assert out["verdict"] == "no_match"
    assert out["claim"] is None
    assert out["versions"] == []


def test_match_alone_gives_the_matching_step(engine: Engine) -> None:
    result = engine.match("ISIS was defeated in Iraq in 2017")
    assert result.outcome == "match"
    assert result.best is not None and result.best.claim_id == "isis-defeated-iraq-2017"
    with pytest.raises(StatementError):
        engine.match("   ")


def test_a_claim_retired_through_update_claim_is_no_longer_matched(shipped_base: Base) -> None:
    own = Engine(copy.deepcopy(shipped_base), today=date(2026, 11, 21))
    assert own.check("Only 1,000 US troops are left in Iraq").claim is not None
    retired = own.base.claims["troops-in-iraq"].model_copy(update={"status": "retired"})
    own.update_claim(retired)
    reply = own.check("Only 1,000 US troops are left in Iraq")
    assert reply.claim is None or reply.claim.id != "troops-in-iraq"
    assert "troops-in-iraq" not in [s.id for s in reply.suggestions]


def test_an_edited_claim_is_judged_on_its_new_versions(shipped_base: Base) -> None:
    own = Engine(copy.deepcopy(shipped_base), today=date(2026, 11, 21))
    claim = own.base.claims["troops-in-iraq"]
    edited_version = claim.versions[0].model_copy(
        update={"values": claim.versions[0].values.model_copy(update={"count": "~1000"})})
    own.update_claim(claim.model_copy(update={"versions": [edited_version]}))
    assert own.check("Only 1,000 US troops are left in Iraq").verdict == "supported"


@pytest.mark.parametrize("statement", [
    "US troops are leaving Germany by 2027",
    "American soldiers will withdraw from Japan in 2026",
])
def test_a_statement_about_a_place_no_claim_covers_abstains(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "no_match"
    assert reply.claim is None


def test_the_second_phase_stated_as_done_is_unverified(engine: Engine) -> None:
    reply = engine.check("The second phase of the withdrawal was completed in September 2026")
    assert reply.verdict == "unverified"
    assert reply.claim is not None and reply.claim.id == "two-phase-plan"

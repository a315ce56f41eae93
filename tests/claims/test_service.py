"""claims/service.py: every check is answered, and logged when the database lets it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from claims.service import Crosscheck
from tests.conftest import write_lock_held

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 21)


@pytest.fixture
def service(db_path: Path) -> Iterator[Crosscheck]:
    svc = Crosscheck.open(db_path, today=TODAY, base_dir=REPO)
    yield svc
    svc.close()


def test_the_first_run_imports_the_shipped_base_into_a_new_database(new_db: Path | str) -> None:
    svc = Crosscheck.open(new_db, today=TODAY, base_dir=REPO)
    try:
        assert svc.store.load_base().claims
        assert svc.check("ISIS was defeated in Iraq in 2017").reply.verdict == "supported"
    finally:
        svc.close()


def test_every_check_is_logged_with_statement_time_claim_score_and_verdict(service: Crosscheck) -> None:
    first = service.check("Only 1,000 US troops are left in Iraq", user_id="u1", guild_id="g1",
                          channel_id="c1", via="discord")
    second = service.check("good morning everyone")
    assert first.check_id is not None and second.check_id is not None
    rows = service.store.checks.between(None)
    assert [r["id"] for r in rows] == [first.check_id, second.check_id]
    logged = [(r["statement"], r["claim_id"], r["score"], r["verdict"]) for r in rows]
    assert logged == [
        ("Only 1,000 US troops are left in Iraq", "troops-in-iraq", first.reply.claim.score, "contradicted"),
        ("good morning everyone", None, None, "no_match"),
    ]
    assert all(r["asked_at"] for r in rows)
    assert (rows[0]["user_id"], rows[0]["guild_id"], rows[0]["channel_id"], rows[0]["via"]) == (
        "u1", "g1", "c1", "discord")
    assert (rows[0]["workspace_id"], rows[1]["workspace_id"]) == ("guild-g1", "default")
    assert rows[1]["via"] == "cli"


def test_the_logged_statement_is_the_cleaned_one(service: Crosscheck) -> None:
    service.check("  ISIS   was defeated\nin Iraq in 2017 ")
    assert [r["statement"] for r in service.store.checks.between(None)] == ["ISIS was defeated in Iraq in 2017"]


def test_a_check_on_a_locked_database_is_answered_but_not_logged(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("claims.store.database.BUSY_TIMEOUT_MS", 100)
    svc = Crosscheck.open(db_path, today=TODAY, base_dir=REPO)
    try:
        with write_lock_held(db_path):
            with caplog.at_level(logging.ERROR, logger="claims.service"):
                checked = svc.check("Only 1,000 US troops are left in Iraq")
            assert checked.check_id is None
            assert checked.reply.verdict == "contradicted"
            assert "check answered but not logged" in caplog.text
            assert "is locked by another process" in caplog.text
        assert svc.store.checks.between(None) == []
        assert svc.check("Only 1,000 US troops are left in Iraq").check_id is not None
    finally:
        svc.close()


def test_feedback_on_a_logged_check_is_recorded(service: Crosscheck) -> None:
    checked = service.check("ISIS was defeated in Iraq in 2017")
    assert checked.check_id is not None
    service.store.checks.record_feedback(checked.check_id, "alice", helpful=True)
    (row,) = service.store.db.query("SELECT * FROM feedback")
    assert (row["check_id"], row["user_id"], row["helpful"]) == (checked.check_id, "alice", 1)

"""claims/store.py: the SQLite working copy of the base, the check log and feedback."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claims.engine import Engine
from claims.load import Base
from claims.store import Store, StoreError, default_db_path, shipped_fingerprint

REPO = Path(__file__).resolve().parents[2]
EditFile = Callable[[Path, str, str, str], int]
WITHDRAWAL = "claims/base/topics/withdrawal.yaml"


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "new" / "crosscheck.sqlite")
    yield store
    store.close()


@pytest.fixture
def seeded_store(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    yield store
    store.close()


def test_a_new_database_is_created_in_wal_mode(fresh_store: Store) -> None:
    assert fresh_store.path.exists()
    assert fresh_store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not fresh_store.has_base()


def test_the_first_run_imports_the_shipped_base(fresh_store: Store, shipped_base: Base) -> None:
    base = fresh_store.ensure_base(REPO)
    assert fresh_store.has_base()
    assert fresh_store.db["claims"].count == len(shipped_base.claims)
    assert fresh_store.db["outlets"].count == len(shipped_base.outlets)
    assert fresh_store.meta("shipped_fingerprint") == shipped_fingerprint(REPO)
    assert fresh_store.meta("imported_at")
    assert base.fingerprint() == shipped_base.fingerprint()


def test_the_stored_base_reads_back_exactly_as_it_was_imported(seeded_store: Store, shipped_base: Base) -> None:
    stored = seeded_store.load_base()
    assert stored.fingerprint() == shipped_base.fingerprint()
    assert stored.claim_files == shipped_base.claim_files
    assert stored.texts == shipped_base.texts


def test_a_later_run_uses_the_stored_base_without_reimporting(seeded_store: Store) -> None:
    imported_at = seeded_store.meta("imported_at")
    seeded_store.set_meta("imported_at", "marker")
    seeded_store.ensure_base(REPO)
    assert seeded_store.meta("imported_at") == "marker" != imported_at


def test_a_changed_shipped_base_is_reimported_when_nobody_edited_the_database(
    seeded_store: Store, base_copy: Path, edit_file: EditFile
) -> None:
    edit_file(base_copy, WITHDRAWAL, "statement: About 900 U.S. troops are stationed in neighbouring Syria.",
              "statement: Roughly 900 U.S. troops are stationed in neighbouring Syria.")
    base = seeded_store.ensure_base(base_copy)
    assert base.claims["troops-in-syria"].statement.startswith("Roughly")
    assert seeded_store.load_base().claims["troops-in-syria"].statement.startswith("Roughly")
    assert seeded_store.meta("shipped_fingerprint") == shipped_fingerprint(base_copy)


def test_moderator_edits_are_kept_when_the_shipped_base_changes(
    seeded_store: Store, base_copy: Path, edit_file: EditFile, caplog: pytest.LogCaptureFixture
) -> None:
    edit_file(base_copy, WITHDRAWAL, "statement: About 900 U.S. troops are stationed in neighbouring Syria.",
              "statement: Roughly 900 U.S. troops are stationed in neighbouring Syria.")
    with seeded_store.transaction() as db:
        db["audit"].insert({"actor": "moderator", "action": "claim.edit", "target_type": "claim",
                            "target_id": "troops-in-syria"}, alter=True)
    with caplog.at_level(logging.WARNING, logger="claims.store"):
        base = seeded_store.ensure_base(base_copy)
    assert base.claims["troops-in-syria"].statement.startswith("About")
    assert "moderators have edited" in caplog.text and "crosscheck claims import --merge" in caplog.text


def test_importing_a_base_replaces_the_stored_one(seeded_store: Store, shipped_base: Base) -> None:
    smaller = Base(shipped_base.outlets, shipped_base.articles, shipped_base.texts, shipped_base.entities,
                   {"troops-in-syria": shipped_base.claims["troops-in-syria"]})
    seeded_store.import_base(smaller)
    assert [r["id"] for r in seeded_store.db["claims"].rows] == ["troops-in-syria"]


# --- the check log and feedback -------------------------------------------------------------------


def test_a_logged_check_records_the_statement_claim_score_and_verdict(seeded_store: Store, engine: Engine) -> None:
    reply = engine.check("Only 1,000 US troops are left in Iraq")
    check_id = seeded_store.log_check(reply, user_id="42", guild_id="7", channel_id="9", via="discord")
    (row,) = seeded_store.checks()
    assert row["id"] == check_id
    assert (row["statement"], row["claim_id"], row["score"], row["verdict"], row["outcome"]) == (
        "Only 1,000 US troops are left in Iraq", "troops-in-iraq", reply.claim.score, "contradicted", "match")
    assert (row["user_id"], row["guild_id"], row["channel_id"], row["via"]) == ("42", "7", "9", "discord")
    assert row["asked_at"][:4].isdigit() and row["asked_at"].endswith("+00:00")


def test_a_check_without_a_match_logs_no_claim(seeded_store: Store, engine: Engine) -> None:
    seeded_store.log_check(engine.check("good morning everyone"))
    (row,) = seeded_store.checks()
    assert (row["claim_id"], row["score"], row["verdict"], row["suggestions"]) == (None, None, "no_match", "[]")


def test_a_possible_match_logs_the_suggestions_and_best_score(seeded_store: Store, engine: Engine) -> None:
    reply = engine.check("Syria is a dangerous place")
    seeded_store.log_check(reply)
    (row,) = seeded_store.checks()
    assert row["claim_id"] is None
    assert row["score"] == reply.suggestions[0].score
    assert '"isis-remnants-still-threat"' in row["suggestions"]


def test_checks_since_a_time_leaves_out_older_ones(seeded_store: Store, engine: Engine) -> None:
    seeded_store.log_check(engine.check("ISIS was defeated in Iraq in 2017"))
    assert len(seeded_store.checks(since="2000-01-01T00:00:00+00:00")) == 1
    assert seeded_store.checks(since="9999-01-01T00:00:00+00:00") == []


def test_feedback_keeps_one_vote_per_user_and_check_the_last_one(seeded_store: Store, engine: Engine) -> None:
    check_id = seeded_store.log_check(engine.check("ISIS was defeated in Iraq in 2017"))
    seeded_store.record_feedback(check_id, "alice", True)
    seeded_store.record_feedback(check_id, "alice", False)
    seeded_store.record_feedback(check_id, "bob", True)
    votes = {(r["user_id"], r["helpful"]) for r in seeded_store.db["feedback"].rows_where("check_id = ?", [check_id])}
    assert votes == {("alice", 0), ("bob", 1)}


# --- trouble --------------------------------------------------------------------------------------


def test_a_locked_database_gives_a_clear_store_error(db_path: Path, engine: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("claims.store.BUSY_TIMEOUT_MS", 100)
    store = Store(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError, match=r"is locked by another process.*nothing was changed"):
            store.log_check(engine.check("ISIS was defeated in Iraq in 2017"))
        other.execute("ROLLBACK")
        assert store.checks() == []
    finally:
        other.close()
        store.close()


def test_a_database_in_an_unwritable_place_gives_a_clear_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be", encoding="utf-8")
    with pytest.raises(StoreError, match=r"cannot open the database .* Set CROSSCHECK_DB to a writable path"):
        Store(blocker / "crosscheck.sqlite")


def test_the_database_path_comes_from_crosscheck_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CROSSCHECK_DB", str(tmp_path / "x.sqlite"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("CROSSCHECK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "crosscheck" / "crosscheck.sqlite"

"""claims/store: the database, its layered workspace bases, the check log and feedback."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claims.engine import Engine
from claims.load import Base
from claims.models import Claim
from claims.store import (
    DEFAULT,
    SHIPPED,
    StaleRevision,
    Store,
    StoreError,
    Where,
    default_db_path,
    shipped_fingerprint,
)
from tests.conftest import write_lock_held

REPO = Path(__file__).resolve().parents[2]
EditFile = Callable[[Path, str, str, str], int]
WITHDRAWAL = "claims/base/topics/withdrawal.yaml"


@pytest.fixture
def fresh_store(new_db: Path | str) -> Iterator[Store]:
    store = Store(new_db)
    yield store
    store.close()


@pytest.fixture
def seeded_store(db_path: Path) -> Iterator[Store]:
    store = Store(db_path)
    yield store
    store.close()


def _claim(store: Store, workspace: str, claim_id: str) -> Claim:
    return store.load_base(workspace).claims[claim_id]


@pytest.mark.sqlite_only
def test_a_new_database_is_created_in_wal_mode_readable_only_by_its_owner(fresh_store: Store) -> None:
    assert fresh_store.path.exists()
    assert fresh_store.db.scalar("PRAGMA journal_mode") == "wal"
    assert stat.S_IMODE(os.stat(fresh_store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(fresh_store.path.parent).st_mode) == 0o700
    assert fresh_store.load_base().claims == {}


def test_the_first_run_imports_the_shipped_base_into_the_shipped_workspace(fresh_store: Store,
                                                                          shipped_base: Base) -> None:
    assert fresh_store.ensure_shipped(REPO)
    assert fresh_store.settings.meta("shipped_fingerprint") == shipped_fingerprint(REPO)
    assert fresh_store.load_base(SHIPPED).fingerprint() == shipped_base.fingerprint()
    # `default` inherits it without storing a copy.
    assert fresh_store.load_base(DEFAULT).fingerprint() == shipped_base.fingerprint()
    assert fresh_store.objects.own(DEFAULT) == []


def test_the_stored_base_reads_back_exactly_as_it_was_imported(seeded_store: Store, shipped_base: Base) -> None:
    stored = seeded_store.load_base(SHIPPED)
    assert stored.fingerprint() == shipped_base.fingerprint()
    assert stored.claim_files == shipped_base.claim_files
    assert stored.texts == shipped_base.texts
    assert list(stored.claims) == list(shipped_base.claims)


def test_a_later_run_does_not_import_again(seeded_store: Store) -> None:
    latest = seeded_store.feed.latest()
    assert not seeded_store.ensure_shipped(REPO)
    assert seeded_store.feed.latest() == latest


def test_a_changed_shipped_base_is_imported_again_and_a_workspace_keeps_its_own_edits(
    seeded_store: Store, base_copy: Path, edit_file: EditFile
) -> None:
    chain = seeded_store.workspaces.chain(DEFAULT)
    kept = _claim(seeded_store, DEFAULT, "troops-in-iraq")
    with seeded_store.transaction() as tx:
        seeded_store.objects.write(tx, chain, "claim", "troops-in-iraq",
                                   kept.model_copy(update={"aliases": [*kept.aliases, "GIs in Iraq"]}),
                                   expected_revision=1)
    edit_file(base_copy, WITHDRAWAL, "statement: About 900 U.S. troops are stationed in neighbouring Syria.",
              "statement: Roughly 900 U.S. troops are stationed in neighbouring Syria.")
    edit_file(base_copy, WITHDRAWAL, "      - How many American soldiers are in Iraq\n", "")
    assert seeded_store.ensure_shipped(base_copy)
    assert _claim(seeded_store, DEFAULT, "troops-in-syria").statement.startswith("Roughly")
    assert "GIs in Iraq" in _claim(seeded_store, DEFAULT, "troops-in-iraq").aliases  # the edit wins there
    assert seeded_store.settings.meta("shipped_fingerprint") == shipped_fingerprint(base_copy)


def test_importing_a_base_replaces_a_workspaces_own_rows(seeded_store: Store, shipped_base: Base) -> None:
    smaller = Base(shipped_base.outlets, shipped_base.articles, shipped_base.texts, shipped_base.entities,
                   {"troops-in-syria": shipped_base.claims["troops-in-syria"]})
    with seeded_store.transaction() as tx:
        seeded_store.workspaces.create(tx, "newsroom", name="Newsroom", kind="shared", parent=None)
    seeded_store.import_base("newsroom", smaller, actor="cli:test", source="x")
    assert list(seeded_store.load_base("newsroom").claims) == ["troops-in-syria"]
    assert len(seeded_store.load_base(DEFAULT).claims) == len(shipped_base.claims)
    assert seeded_store.audit.count("newsroom") == 1


# --- layers -------------------------------------------------------------------------------------


def test_a_write_goes_to_the_workspace_and_hides_what_it_inherits(seeded_store: Store) -> None:
    chain = seeded_store.workspaces.chain(DEFAULT)
    with seeded_store.transaction() as tx:
        revision = seeded_store.objects.write(tx, chain, "claim", "troops-in-syria", None, expected_revision=1)
    assert revision == 2
    assert "troops-in-syria" not in seeded_store.load_base(DEFAULT).claims
    assert "troops-in-syria" in seeded_store.load_base(SHIPPED).claims
    assert not seeded_store.objects.get(chain, "claim", "troops-in-syria").exists


def test_a_write_from_a_stale_read_is_refused_and_writes_nothing(seeded_store: Store) -> None:
    chain = seeded_store.workspaces.chain(DEFAULT)
    claim = _claim(seeded_store, DEFAULT, "troops-in-syria")
    latest = seeded_store.feed.latest()
    with pytest.raises(StaleRevision, match="revision 7, now 1"), seeded_store.transaction() as tx:
        seeded_store.objects.write(tx, chain, "claim", claim.id, claim, expected_revision=7)
    assert seeded_store.objects.own(DEFAULT) == []
    assert seeded_store.feed.latest() == latest


def test_every_write_is_announced_on_the_change_feed(seeded_store: Store) -> None:
    chain = seeded_store.workspaces.chain(DEFAULT)
    before = seeded_store.feed.latest()
    claim = _claim(seeded_store, DEFAULT, "troops-in-syria")
    with seeded_store.transaction() as tx:
        seeded_store.objects.write(tx, chain, "claim", claim.id, claim.model_copy(update={"status": "retired"}),
                                   expected_revision=1)
    (change,) = seeded_store.feed.since(before)
    assert (change.workspace_id, change.scope, change.target_id) == (DEFAULT, "claim", "troops-in-syria")


def test_a_workspace_may_not_inherit_from_itself(seeded_store: Store) -> None:
    with seeded_store.transaction() as tx:
        seeded_store.workspaces.create(tx, "loop-a", name="a", kind="shared", parent=DEFAULT)
        tx.execute("UPDATE workspaces SET parent = 'loop-a' WHERE id = 'loop-a'")
    with pytest.raises(StoreError, match="inherits from itself"):
        seeded_store.workspaces.chain("loop-a")


# --- the check log and feedback -------------------------------------------------------------------


def test_a_logged_check_records_the_statement_claim_score_and_verdict(seeded_store: Store, engine: Engine) -> None:
    reply = engine.check("Only 1,000 US troops are left in Iraq")
    check_id = seeded_store.checks.log(reply, workspace_id="guild-7", user_id="42", guild_id="7", channel_id="9",
                                       via="discord")
    (row,) = seeded_store.checks.between(Where("7"))
    assert row["id"] == check_id
    assert (row["statement"], row["claim_id"], row["score"], row["verdict"], row["outcome"]) == (
        "Only 1,000 US troops are left in Iraq", "troops-in-iraq", reply.claim.score, "contradicted", "match")
    assert (row["user_id"], row["guild_id"], row["channel_id"], row["via"]) == ("42", "7", "9", "discord")
    assert row["asked_at"][:4].isdigit() and row["asked_at"].endswith("+00:00")


def test_a_servers_checks_are_read_only_for_that_server(seeded_store: Store, engine: Engine) -> None:
    reply = engine.check("Bitcoin will hit 100k by the end of 2026")
    seeded_store.checks.log(reply, workspace_id="guild-1", guild_id="1")
    seeded_store.checks.log(reply, workspace_id="guild-2", guild_id="2")
    seeded_store.checks.log(reply, workspace_id=DEFAULT)
    assert [r["guild_id"] for r in seeded_store.checks.between(Where("1"))] == ["1"]
    assert [r["guild_id"] for r in seeded_store.checks.queued(Where("2"))] == ["2"]
    assert [r["guild_id"] for r in seeded_store.checks.queued(Where(None, DEFAULT))] == [None]
    assert len(seeded_store.checks.between(None)) == 3


def test_a_check_without_a_match_logs_no_claim(seeded_store: Store, engine: Engine) -> None:
    seeded_store.checks.log(engine.check("good morning everyone"), workspace_id=DEFAULT)
    (row,) = seeded_store.checks.between(None)
    assert (row["claim_id"], row["score"], row["verdict"], row["suggestions"]) == (None, None, "no_match", "[]")


def test_a_possible_match_logs_the_suggestions_and_best_score(seeded_store: Store, engine: Engine) -> None:
    reply = engine.check("Syria is a dangerous place")
    seeded_store.checks.log(reply, workspace_id=DEFAULT)
    (row,) = seeded_store.checks.between(None)
    assert row["claim_id"] is None
    assert row["score"] == reply.suggestions[0].score
    assert '"isis-remnants-still-threat"' in row["suggestions"]


def test_checks_since_a_time_leave_out_older_ones(seeded_store: Store, engine: Engine) -> None:
    seeded_store.checks.log(engine.check("ISIS was defeated in Iraq in 2017"), workspace_id=DEFAULT)
    assert len(seeded_store.checks.between(None, since="2000-01-01T00:00:00+00:00")) == 1
    assert seeded_store.checks.between(None, since="9999-01-01T00:00:00+00:00") == []


def test_feedback_keeps_one_vote_per_user_and_check_the_last_one(seeded_store: Store, engine: Engine) -> None:
    check_id = seeded_store.checks.log(engine.check("ISIS was defeated in Iraq in 2017"), workspace_id=DEFAULT)
    seeded_store.checks.record_feedback(check_id, "alice", True)
    seeded_store.checks.record_feedback(check_id, "alice", False)
    seeded_store.checks.record_feedback(check_id, "bob", True)
    votes = {(r["user_id"], r["helpful"]) for r in seeded_store.db.query(
        "SELECT user_id, helpful FROM feedback WHERE check_id = ?", [check_id])}
    assert votes == {("alice", 0), ("bob", 1)}


# --- trouble --------------------------------------------------------------------------------------


def test_a_locked_database_gives_a_clear_store_error(db_path: Path, engine: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("claims.store.database.BUSY_TIMEOUT_MS", 100)
    store = Store(db_path)
    try:
        with write_lock_held(db_path), pytest.raises(StoreError, match=r"is locked by another process.*nothing was"):
            store.checks.log(engine.check("ISIS was defeated in Iraq in 2017"), workspace_id=DEFAULT)
        assert store.checks.between(None) == []
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_a_database_in_an_unwritable_place_gives_a_clear_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be", encoding="utf-8")
    with pytest.raises(StoreError, match=r"cannot open the database .* Set CROSSCHECK_DB to a writable path"):
        Store(blocker / "crosscheck.sqlite")


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_database_gives_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="is not a Crosscheck database"):
        Store(path)


def test_the_database_path_comes_from_crosscheck_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CROSSCHECK_DB", str(tmp_path / "x.sqlite"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("CROSSCHECK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "crosscheck" / "crosscheck.sqlite"

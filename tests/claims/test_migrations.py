"""Schema migrations: a new database starts at the latest version, and a database from the
release before workspaces is upgraded in place with every claim, check and audit row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claims.curate import Curator
from claims.service import Crosscheck
from claims.store import DEFAULT, Store, StoreError, Where
from claims.store.migrations import LATEST, migrate
from tests.conftest import TODAY

LEGACY_DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "legacy_release_9ce1f63.sql"


@pytest.fixture
def legacy_db(tmp_path: Path) -> Path:
    """A database written by the release before workspaces (commit 9ce1f63): two servers asked
    questions, moderators edited the one global base, a digest was scheduled and posted."""
    path = tmp_path / "legacy.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(LEGACY_DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def _legacy_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("claims", "checks", "audit", "feedback", "review", "digest_posts")}
    finally:
        conn.close()


def test_a_new_database_is_at_the_latest_version(new_db: Path | str) -> None:
    store = Store(new_db)
    try:
        assert store.db.scalar("SELECT max(version) FROM schema_migrations") == LATEST
        assert migrate(store.db) == []  # nothing left to do, and no write lock taken
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_a_legacy_database_keeps_every_claim_check_and_audit_row(legacy_db: Path) -> None:
    before = _legacy_counts(legacy_db)
    service = Crosscheck.open(legacy_db, today=TODAY)
    try:
        store = service.store
        base = store.load_base(DEFAULT)
        assert len(base.claims) == before["claims"]  # 74 shipped + the one a moderator added
        assert base.claims["bitcoin-price"].statement == "Bitcoin reached 100,000 dollars"
        assert base.claims["isis-defeated-iraq-2017"].status == "retired"
        assert "GIs in Syria number about nine hundred" in base.claims["troops-in-syria"].aliases
        assert base.outlets["iswnews"].criteria["authors"].rating == "yes"
        # Only what the moderators changed is stored; the rest is the shipped base, inherited.
        assert {(o.kind, o.id) for o in store.objects.own(DEFAULT)} == {
            ("outlet", "iswnews"), ("claim", "isis-defeated-iraq-2017"), ("claim", "troops-in-syria"),
            ("claim", "bitcoin-price")}
        assert store.db.scalar("SELECT count(*) FROM checks") == before["checks"]
        assert store.db.scalar("SELECT count(*) FROM audit") == before["audit"]
        assert store.db.scalar("SELECT count(*) FROM feedback") == before["feedback"]
        assert store.db.scalar("SELECT count(*) FROM review") == before["review"]
        assert len(store.digests.records("111")) == before["digest_posts"]
        assert store.settings.moderator_role("111") == "555"
        assert [s.guild_id for s in store.digests.schedules()] == ["111"]
    finally:
        service.close()


@pytest.mark.sqlite_only
def test_each_legacy_server_gets_its_own_workspace_seeing_the_same_base(legacy_db: Path) -> None:
    service = Crosscheck.open(legacy_db, today=TODAY)
    try:
        assert service.workspace_of("111") == "guild-111"
        assert service.workspace_of("222") == "guild-222"
        assert service.check("GIs in Syria number about nine hundred", guild_id="111").reply.verdict == "supported"
        assert [r["statement"] for r in service.store.checks.between(Where("222"))] == [
            "Are Washington's GIs garrisoned next door in Syria?", "Bitcoin will reach 100k"]
        # The legacy edits are the operator's now: undoable from the terminal, not from a server.
        history = Curator(service).history("troops-in-syria")
        assert [e.action for e in history] == ["claim.alias.add"]
        assert Curator(service, guild_id="111").history("troops-in-syria") == []
        # A dismissed question stays its server's: that server can undo the dismissal.
        dismissal = service.store.db.one("SELECT * FROM audit WHERE action = 'review.dismiss'")
        assert (dismissal["guild_id"], dismissal["workspace_id"]) == ("222", "guild-222")
        Curator(service, guild_id="222").undo("discord:9:mod", dismissal["id"])
        queued = {g.statement for g in Curator(service, guild_id="222").review_queue()}
        assert queued == {"Bitcoin will reach 100k", "Are Washington's GIs garrisoned next door in Syria?"}
    finally:
        service.close()


@pytest.mark.sqlite_only
def test_an_upgrade_killed_half_way_leaves_the_legacy_database_as_it_was(legacy_db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    before = _legacy_counts(legacy_db)
    import claims.store.migrations as migrations

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt  # stands in for a kill: nothing after this point runs

    monkeypatch.setattr(migrations, "_upgrade_legacy", crash)
    with pytest.raises(KeyboardInterrupt):
        Store(legacy_db)
    assert _legacy_counts(legacy_db) == before


def test_a_database_from_a_newer_release_is_refused(new_db: Path | str) -> None:
    store = Store(new_db)
    with store.transaction() as tx:
        tx.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'later')")
    store.close()
    with pytest.raises(StoreError, match="schema version 99, which this release does not know"):
        Store(new_db)

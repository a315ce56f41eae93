"""The change feed: a process following it applies another's edits without waiting for a check,
and hears of them again after its connection to the database is dropped."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from claims.curate import Curator
from claims.service import Crosscheck
from claims.store import is_url
from claims.store.feed import ChangeRow
from tests.conftest import TODAY

ALIAS = "GIs in Syria number about nine hundred"


def wait_for(condition, seconds: float = 15.0) -> bool:
    """Poll `condition` until it holds (a functional wait: the feed is asynchronous)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_follower_applies_another_processs_edit_without_a_check(db_path: Path | str) -> None:
    bot = Crosscheck.open(db_path, today=TODAY)
    heard: list[ChangeRow] = []
    follower = bot.follow(heard.extend, poll_seconds=0.1)
    other = Crosscheck.open(db_path, today=TODAY)
    try:
        assert bot.engine is not None  # built before the edit
        builds = bot.engines.builds
        Curator(other).add_alias("cli:op", "troops-in-syria", ALIAS)
        assert wait_for(lambda: bot.engines.builds > builds)  # the follower made the workspace's own engine
        engine = bot.engines.loaded_engine("default")
        assert engine is not None and ALIAS in engine.base.claims["troops-in-syria"].aliases
        assert [(c.scope, c.target_id) for c in heard] == [("claim", "troops-in-syria")]
        # A second edit is applied to that engine in place.
        Curator(other).remove_alias("cli:op", "troops-in-syria", ALIAS)
        assert wait_for(lambda: ALIAS not in engine.base.claims["troops-in-syria"].aliases)
    finally:
        follower.stop()
        other.close()
        bot.close()


def test_a_schedule_changed_elsewhere_is_heard(db_path: Path | str) -> None:
    from claims.store.digests import make_schedule

    bot = Crosscheck.open(db_path, today=TODAY)
    heard: list[ChangeRow] = []
    lock = threading.Lock()

    def on_changes(changes: list[ChangeRow]) -> None:
        with lock:
            heard.extend(changes)

    follower = bot.follow(on_changes, poll_seconds=0.1)
    other = Crosscheck.open(db_path, today=TODAY)
    try:
        other.store.digests.save_schedule(make_schedule("111", "222", "daily", "09:00", "UTC", by="mod"))
        assert wait_for(lambda: any(c.scope == "schedule" and c.guild_id == "111" for c in heard))
    finally:
        follower.stop()
        other.close()
        bot.close()


def test_after_its_connection_is_dropped_the_follower_reconnects_and_catches_up(db_path: Path | str) -> None:
    if not is_url(db_path):
        pytest.skip("the SQLite follower polls a file: there is no connection to drop")
    import psycopg

    bot = Crosscheck.open(db_path, today=TODAY)
    follower = bot.follow(poll_seconds=0.1)
    other = Crosscheck.open(db_path, today=TODAY)
    try:
        assert bot.engine is not None
        Curator(other).add_alias("cli:op", "troops-in-syria", "GIs garrisoned in Syria")
        assert wait_for(lambda: bot.engines.loaded_engine("default") is not None)
        engine = bot.engines.loaded_engine("default")
        assert wait_for(lambda: _listeners(db_path) == 1)
        with psycopg.connect(str(db_path), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' "
                          "AND pid <> pg_backend_pid() AND datname = current_database()")
        Curator(other).add_alias("cli:op", "troops-in-syria", ALIAS)  # while it is reconnecting
        assert wait_for(lambda: ALIAS in engine.base.claims["troops-in-syria"].aliases)
        assert follower.reconnects >= 1
    finally:
        follower.stop()
        other.close()
        bot.close()


def _listeners(db_path: Path | str) -> int:
    import psycopg

    with psycopg.connect(str(db_path), autocommit=True) as admin:
        return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' "
                             "AND datname = current_database()").fetchone()[0]

"""The change feed: one row per change, written in the same transaction as the change.

Every process keeps the sequence number of the last change it applied. Before it answers or
edits it asks for the newest number (one indexed read); only when that moved does it read the
new rows and apply them, so an edit made by the CLI, another bot process or another thread is
visible to the very next check, and an idle feed costs next to nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claims.store.database import Database, Transaction, is_url, now_iso

log = logging.getLogger(__name__)

# What a change touched: an object of a base (by kind), a workspace's base as a whole (created,
# imported, re-parented), who curates a workspace, which workspace a server uses, a server's
# settings, its digest schedule, or a message owed to someone (`claims.store.follows`).
NOTIFY_CHANNEL = "crosscheck_changes"
SCOPES = ("claim", "outlet", "article", "entity", "term", "workspace", "curators", "server", "settings", "schedule",
          "notice")


@dataclass(frozen=True)
class ChangeRow:
    seq: int
    workspace_id: str | None
    guild_id: str | None
    scope: str
    target_id: str | None


def record_change(tx: Transaction, workspace_id: str | None, scope: str, target_id: str | None,
                  guild_id: str | None = None) -> int:
    """Announce a change (inside the transaction that makes it); return its sequence number."""
    if scope not in SCOPES:
        raise ValueError(f"unknown change scope {scope!r}")
    seq = int(tx.insert("changes", {"workspace_id": workspace_id, "guild_id": guild_id, "scope": scope,
                                    "target_id": target_id, "at": now_iso()}, returning="seq"))
    if tx.backend == "postgresql":
        # Delivered when the transaction commits, to every process listening (see `FeedFollower`).
        tx.execute("SELECT pg_notify(?, ?)", [NOTIFY_CHANNEL, str(seq)])
    return seq


class ChangeFeed:
    """Reads the change feed."""

    def __init__(self, db: Database):
        self.db = db

    def latest(self) -> int:
        """The newest sequence number (0 when nothing changed yet)."""
        return int(self.db.scalar("SELECT coalesce(max(seq), 0) FROM changes") or 0)

    def since(self, seq: int, limit: int = 10_000) -> list[ChangeRow]:
        """Changes after `seq`, oldest first."""
        rows = self.db.query("SELECT seq, workspace_id, guild_id, scope, target_id FROM changes WHERE seq > ? "
                             "ORDER BY seq LIMIT ?", [seq, limit])
        return [ChangeRow(r["seq"], r["workspace_id"], r["guild_id"], r["scope"], r["target_id"]) for r in rows]


class FeedFollower:
    """Calls `on_change` soon after any process commits a change, from a thread of its own.

    On PostgreSQL it LISTENs for the notification each change sends; on SQLite it polls the
    newest sequence number. It only says "something changed": `on_change` reads what, from the
    sequence number it last applied, so nothing is lost when a notification is (a dropped
    connection is reconnected, then `on_change` runs once to catch up)."""

    def __init__(self, target: Path | str, on_change: Callable[[], None], poll_seconds: float = 1.0):
        self.target = target
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="crosscheck-feed", daemon=True)
        self.reconnects = 0

    def start(self) -> FeedFollower:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _notify(self) -> None:
        try:
            self.on_change()
        except Exception:  # the follower must outlive a failed catch-up; the next one retries
            log.exception("applying changes from the feed failed")

    def _run(self) -> None:
        backoff = self.poll_seconds
        while not self._stop.is_set():
            try:
                if is_url(self.target):
                    self._listen()
                else:
                    self._poll()
                backoff = self.poll_seconds
            except Exception as exc:  # a dropped connection, a locked file: wait, reconnect, catch up
                log.warning("following the change feed: %s; retrying in %.0fs", exc, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                self.reconnects += 1
                self._notify()

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(str(self.target), autocommit=True) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self._notify()  # whatever happened before we listened
            while not self._stop.is_set():
                if any(True for _ in conn.notifies(timeout=self.poll_seconds, stop_after=1)):
                    self._notify()

    def _poll(self) -> None:
        db = Database(self.target)
        try:
            feed = ChangeFeed(db)
            seen = feed.latest()
            while not self._stop.wait(self.poll_seconds):
                latest = feed.latest()
                if latest != seen:
                    seen = latest
                    self._notify()
        finally:
            db.close()


__all__ = ["NOTIFY_CHANNEL", "SCOPES", "ChangeFeed", "ChangeRow", "FeedFollower", "record_change"]

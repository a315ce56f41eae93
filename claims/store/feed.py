"""The change feed: one row per change, written in the same transaction as the change.

Every process keeps the sequence number of the last change it applied. Before it answers or
edits it asks for the newest number (one indexed read); only when that moved does it read the
new rows and apply them, so an edit made by the CLI, another bot process or another thread is
visible to the very next check, and an idle feed costs next to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from claims.store.database import Database, Transaction, now_iso

# What a change touched: an object of a base (by kind), a workspace's base as a whole (created,
# imported, re-parented), who curates a workspace, which workspace a server uses, a server's
# settings, or its digest schedule.
NOTIFY_CHANNEL = "crosscheck_changes"
SCOPES = ("claim", "outlet", "article", "entity", "workspace", "curators", "server", "settings", "schedule")


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

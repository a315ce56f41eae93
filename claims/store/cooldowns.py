"""Per-member rate limits kept in the database, so they hold across bot processes and hosts.

A fixed window per member of a server, as discord.py's own cooldowns count: the first use opens
a window of `per` seconds in which `rate` uses are allowed. The count is read and bumped inside
one write transaction, so two processes answering the same member never both let a use through
that one of them should have refused.
"""

from __future__ import annotations

import time

from claims.store.database import Database, PostgresDatabase


class Cooldowns:
    """The `cooldowns` table."""

    def __init__(self, db: Database | PostgresDatabase):
        self.db = db

    def hit(self, scope: str, user_id: str, rate: int, per: float, now: float | None = None) -> float | None:
        """Count one use by `user_id` in `scope` (a server); None if allowed, else the seconds to wait."""
        moment = time.time() if now is None else now
        with self.db.transaction() as tx:
            row = tx.one("SELECT window_start, used FROM cooldowns WHERE scope = ? AND user_id = ?", [scope, user_id])
            if row is None or moment >= row["window_start"] + per:
                tx.execute("INSERT INTO cooldowns (scope, user_id, window_start, used) VALUES (?, ?, ?, 1) "
                           "ON CONFLICT (scope, user_id) DO UPDATE SET window_start = excluded.window_start, "
                           "used = 1", [scope, user_id, moment])
                return None
            if row["used"] < rate:
                tx.execute("UPDATE cooldowns SET used = used + 1 WHERE scope = ? AND user_id = ?", [scope, user_id])
                return None
            return max(0.0, row["window_start"] + per - moment)

    def forget_older_than(self, seconds: float, now: float | None = None) -> int:
        """Drop windows that ended long ago (they would open afresh anyway)."""
        moment = time.time() if now is None else now
        with self.db.transaction() as tx:
            return tx.execute("DELETE FROM cooldowns WHERE window_start < ?", [moment - seconds])

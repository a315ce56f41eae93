"""What people asked, per server: the check log, their feedback, and what moderators did with
queued questions. Every read here is scoped to one server (or to the CLI's own checks):
nothing a server asked is ever shown to another."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction, now_iso

# A match scoring below this is answered but also queued: a moderator should confirm it.
LOOSE_MATCH = 72.0


@dataclass(frozen=True)
class Where:
    """Whose checks: one server's (guild_id), or those asked outside Discord in a workspace."""

    guild_id: str | None
    workspace_id: str | None = None

    def sql(self, alias: str = "") -> tuple[str, list[Any]]:
        prefix = f"{alias}." if alias else ""
        if self.guild_id is not None:
            return f"{prefix}guild_id = ?", [str(self.guild_id)]
        if self.workspace_id is not None:
            return f"{prefix}guild_id IS NULL AND {prefix}workspace_id = ?", [self.workspace_id]
        return f"{prefix}guild_id IS NULL", []


class CheckLog:
    """The checks table and what hangs off it."""

    def __init__(self, db: Database):
        self.db = db

    def log(self, reply: Any, *, workspace_id: str, user_id: str | None = None, guild_id: str | None = None,
            channel_id: str | None = None, via: str = "cli") -> int:
        """Record one check (statement, time, matched claim, score, verdict); returns its id."""
        row = {
            "guild_id": guild_id, "workspace_id": workspace_id, "statement": reply.statement, "asked_at": now_iso(),
            "claim_id": reply.claim.id if reply.claim else None,
            "score": reply.claim.score if reply.claim else (reply.suggestions[0].score if reply.suggestions else None),
            "verdict": reply.verdict, "outcome": reply.outcome,
            "suggestions": json.dumps([s.id for s in reply.suggestions]),
            "user_id": user_id, "channel_id": channel_id, "via": via,
        }
        with self.db.transaction() as tx:
            return int(tx.insert("checks", row))

    def get(self, check_id: int) -> dict[str, Any] | None:
        return self.db.one("SELECT * FROM checks WHERE id = ?", [check_id])

    def record_feedback(self, check_id: int, user_id: str, helpful: bool) -> None:
        """Record whether an answer helped; one vote per user and check (the last one counts)."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM feedback WHERE check_id = ? AND user_id = ?", [check_id, user_id])
            tx.insert("feedback", {"check_id": check_id, "user_id": user_id, "helpful": int(helpful),
                                   "at": now_iso()})

    def between(self, where: Where | None, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """Checks in [since, until), oldest first; `where` None means every check (the operator's view)."""
        clauses, args = [], []
        if where is not None:
            sql, args = where.sql()
            clauses.append(sql)
        if since:
            clauses.append("asked_at >= ?")
            args.append(since)
        if until:
            clauses.append("asked_at < ?")
            args.append(until)
        condition = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self.db.query(f"SELECT * FROM checks {condition} ORDER BY id", args)

    def votes_between(self, where: Where | None, since: str, until: str) -> list[dict[str, Any]]:
        """Feedback given in [since, until), with what it was about."""
        sql = ("SELECT f.id, f.helpful, c.claim_id, c.statement FROM feedback f JOIN checks c ON c.id = f.check_id "
               "WHERE f.at >= ? AND f.at < ?")
        args: list[Any] = [since, until]
        if where is not None:
            condition, extra = where.sql("c")
            sql += f" AND {condition}"
            args += extra
        return self.db.query(sql + " ORDER BY f.id", args)

    # --- the review queue -------------------------------------------------------------------------

    def queued(self, where: Where) -> list[dict[str, Any]]:
        """Checks waiting for a moderator: unanswered or loosely matched, not yet handled."""
        condition, args = where.sql("c")
        return self.db.query(
            "SELECT c.id, c.guild_id, c.statement, c.asked_at, c.user_id, c.verdict, c.outcome, c.score, c.suggestions "
            "FROM checks c LEFT JOIN review r ON r.check_id = c.id "
            f"WHERE r.check_id IS NULL AND (c.outcome != 'match' OR c.score < ?) AND {condition} ORDER BY c.id",
            [LOOSE_MATCH, *args])

    def mark(self, tx: Transaction, check_ids: list[int], action: str, actor: str, claim_id: str | None = None,
             at: str | None = None) -> None:
        """Record what a moderator did with these queued checks (inside the caller's transaction)."""
        stamp = at or now_iso()
        for check_id in check_ids:
            tx.execute("INSERT INTO review (check_id, action, claim_id, actor, at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (check_id) DO UPDATE SET action = excluded.action, claim_id = excluded.claim_id, "
                       "actor = excluded.actor, at = excluded.at", [check_id, action, claim_id, actor, stamp])

    def unmark(self, tx: Transaction, check_ids: list[int]) -> None:
        """Put handled checks back in the queue (an undo)."""
        for check_id in check_ids:
            tx.execute("DELETE FROM review WHERE check_id = ?", [check_id])

    def marked(self, tx: Transaction, claim_id: str, action: str, at: str) -> list[int]:
        rows = tx.query("SELECT check_id FROM review WHERE claim_id = ? AND action = ? AND at = ?",
                        [claim_id, action, at])
        return [r["check_id"] for r in rows]

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM checks") or 0)

"""What people asked, per server: the check log, their feedback, and what moderators did with
queued questions. Every read here is scoped to one server (or to the CLI's own checks):
nothing a server asked is ever shown to another."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction, now_iso
from claims.store.privacy import pseudonym, retention_days, scope_of

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


@dataclass(frozen=True)
class LogEntry:
    """A check to write: its (reserved) id, when it was asked, the reply, and who asked where."""

    check_id: int
    asked_at: str
    reply: Any
    workspace_id: str
    user_id: str | None = None
    guild_id: str | None = None
    channel_id: str | None = None
    via: str = "cli"


class CheckLog:
    """The checks table and what hangs off it."""

    def __init__(self, db: Database):
        self.db = db

    def log(self, reply: Any, *, workspace_id: str, user_id: str | None = None, guild_id: str | None = None,
            channel_id: str | None = None, via: str = "cli") -> int:
        """Record one check (statement, time, matched claim, score, verdict) now; returns its id."""
        with self.db.transaction() as tx:
            check_id = self._reserve(tx, 1)
            self._insert(tx, LogEntry(check_id, now_iso(), reply, workspace_id, user_id, guild_id, channel_id, via))
            return check_id

    def reserve_ids(self, count: int) -> range:
        """`count` check ids no other process will use: a process that logs in the background
        (`claims.checklog`) knows a check's id before its row is written."""
        with self.db.transaction() as tx:
            first = self._reserve(tx, count)
        return range(first, first + count)

    @staticmethod
    def _reserve(tx: Transaction, count: int) -> int:
        return int(tx.scalar("UPDATE id_blocks SET next_id = next_id + ? WHERE name = 'checks' "
                             "RETURNING next_id - ?", [count, count]))

    def write(self, entries: list[LogEntry]) -> None:
        """Write checks answered earlier (their ids reserved), in one transaction."""
        with self.db.transaction() as tx:
            for entry in entries:
                self._insert(tx, entry)

    @staticmethod
    def _insert(tx: Transaction, entry: LogEntry) -> None:
        """The row of a check. The asker is recorded as their pseudonym in the server, so counts of
        people survive the erasure of the user id. A server whose retention is off gets no
        statement, user id or channel at all: the row is born erased."""
        reply, guild_id, stamp = entry.reply, entry.guild_id, entry.asked_at
        keep = retention_days(tx, guild_id) > 0
        tx.insert("checks", {
            "id": entry.check_id, "guild_id": guild_id, "workspace_id": entry.workspace_id,
            "statement": reply.statement if keep else None, "asked_at": stamp,
            "claim_id": reply.claim.id if reply.claim else None,
            "score": reply.claim.score if reply.claim else (reply.suggestions[0].score if reply.suggestions
                                                            else None),
            "verdict": reply.verdict, "outcome": reply.outcome,
            "suggestions": json.dumps([s.id for s in reply.suggestions]),
            "user_id": entry.user_id if keep else None, "channel_id": entry.channel_id if keep else None,
            "via": entry.via,
            "asker": pseudonym(tx, scope_of(guild_id), entry.user_id, stamp) if entry.user_id else None,
            "erased_at": None if keep else stamp,
            "not_queued": getattr(reply, "not_queued", None),
        }, returning=None)

    def get(self, check_id: int) -> dict[str, Any] | None:
        return self.db.one("SELECT * FROM checks WHERE id = ?", [check_id])

    def record_feedback(self, check_id: int, user_id: str, helpful: bool) -> None:
        """Record whether an answer helped; one vote per person and check (the last one counts).

        A vote on a check whose personal data is gone keeps only the voter's pseudonym."""
        stamp = now_iso()
        with self.db.transaction() as tx:
            check = tx.one("SELECT guild_id, erased_at FROM checks WHERE id = ?", [check_id])
            voter = pseudonym(tx, scope_of(check["guild_id"] if check else None), str(user_id), stamp)
            tx.execute("DELETE FROM feedback WHERE check_id = ? AND (voter = ? OR user_id = ?)",
                       [check_id, voter, str(user_id)])
            kept = check is not None and check["erased_at"] is None
            tx.insert("feedback", {"check_id": check_id, "user_id": str(user_id) if kept else None, "voter": voter,
                                   "helpful": int(helpful), "at": stamp})

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
        """Checks waiting for a moderator: unanswered or loosely matched, not yet handled, and not
        chatter (`not_queued`: a greeting, a command... see `claims.checkworthy`).

        Who asked is given as a pseudonym only: moderators' views count people, never name them."""
        condition, args = where.sql("c")
        return self.db.query(
            "SELECT c.id, c.guild_id, c.statement, c.asked_at, c.asker, c.verdict, c.outcome, c.score, c.suggestions "
            "FROM checks c LEFT JOIN review r ON r.check_id = c.id "
            "WHERE r.check_id IS NULL AND (c.outcome != 'match' OR c.score < ?) AND c.not_queued IS NULL "
            f"AND {condition} ORDER BY c.id", [LOOSE_MATCH, *args])

    def not_queued(self, where: Where, since: str | None = None) -> dict[str, int]:
        """How many checks since `since` were answered but kept out of the queue, by reason
        (so moderators see the volume of chatter without reading it)."""
        condition, args = where.sql()
        if since:
            condition, args = f"{condition} AND asked_at >= ?", [*args, since]
        rows = self.db.query(f"SELECT not_queued, count(*) AS n FROM checks WHERE not_queued IS NOT NULL AND "
                             f"(outcome != 'match' OR score < ?) AND {condition} GROUP BY not_queued "
                             "ORDER BY n DESC, not_queued",  # ties in a fixed order, on either backend
                             [LOOSE_MATCH, *args])
        return {r["not_queued"]: int(r["n"]) for r in rows}

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

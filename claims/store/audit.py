"""The audit log: every moderator change, with its target's state before and after, for
history and undo. Each row belongs to a workspace (base changes) and, for review actions, to
the server whose queue it touched."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    undo_of: int | None
    undone_by: int | None
    workspace_id: str | None = None
    guild_id: str | None = None


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        row["id"], row["at"], row["actor"], row["action"], row["target_type"], row["target_id"],
        json.loads(row["before"]) if row["before"] else None,
        json.loads(row["after"]) if row["after"] else None,
        row["reason"], row["undo_of"], row["undone_by"], row["workspace_id"], row["guild_id"],
    )


def _json(value: Any) -> str | None:
    return json.dumps(value, sort_keys=True) if value is not None else None


class AuditLog:
    """Reads and appends audit rows."""

    def __init__(self, db: Database):
        self.db = db

    def append(self, tx: Transaction, *, workspace_id: str | None, actor: str, action: str, target_type: str,
               target_id: str, before: Any, after: Any, reason: str | None, at: str, guild_id: str | None = None,
               undo_of: int | None = None) -> int:
        """Record a change (inside its transaction); return the audit id."""
        return int(tx.insert("audit", {
            "workspace_id": workspace_id, "guild_id": guild_id, "at": at, "actor": actor, "action": action,
            "target_type": target_type, "target_id": target_id, "before": _json(before), "after": _json(after),
            "reason": reason, "undo_of": undo_of, "undone_by": None}))

    def mark_undone(self, tx: Transaction, audit_id: int, undo_id: int) -> None:
        tx.execute("UPDATE audit SET undone_by = ? WHERE id = ?", [undo_id, audit_id])

    def get(self, audit_id: int, tx: Transaction | None = None) -> AuditEntry | None:
        row = (tx or self.db).one("SELECT * FROM audit WHERE id = ?", [audit_id])
        return _entry(row) if row else None

    def history(self, workspace_id: str, target_type: str, target_id: str) -> list[AuditEntry]:
        """Every change a workspace made to one target, oldest first."""
        rows = self.db.query("SELECT * FROM audit WHERE workspace_id = ? AND target_type = ? AND target_id = ? "
                             "ORDER BY id", [workspace_id, target_type, target_id])
        return [_entry(r) for r in rows]

    def between(self, workspaces: tuple[str, ...], since: str | None = None, until: str | None = None,
                target_types: tuple[str, ...] | None = None) -> list[AuditEntry]:
        """The changes of these workspaces, optionally in [since, until) and of some target types."""
        if not workspaces:
            return []
        where = [f"workspace_id IN ({', '.join('?' * len(workspaces))})"]
        args: list[Any] = list(workspaces)
        if since:
            where.append("at >= ?")
            args.append(since)
        if until:
            where.append("at < ?")
            args.append(until)
        if target_types:
            where.append(f"target_type IN ({', '.join('?' * len(target_types))})")
            args.extend(target_types)
        rows = self.db.query(f"SELECT * FROM audit WHERE {' AND '.join(where)} ORDER BY id", args)
        return [_entry(r) for r in rows]

    def count(self, workspace_id: str) -> int:
        return int(self.db.scalar("SELECT count(*) FROM audit WHERE workspace_id = ?", [workspace_id]) or 0)

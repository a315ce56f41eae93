"""Drafts from articles, waiting for a moderator (see `claims.ingest` and `claims.curate.drafts`).

A draft belongs to a workspace (the base it would change) and an article. Its `dedupe` key is
the same whenever the same article drafts the same thing, and unique per workspace, so adding
an article again inserts nothing it already drafted, whatever became of those drafts. A
draft's decision is written only while it is pending, inside the transaction of the change that
accepts it: two moderators accepting it at once write one change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction

PENDING, ACCEPTED, REJECTED, SKIPPED = "pending", "accepted", "rejected", "skipped"
SKIP = "skip"  # the action of a sentence that drafted nothing


@dataclass(frozen=True)
class StoredDraft:
    id: int
    workspace_id: str
    article_id: str
    position: int
    action: str
    claim_id: str | None
    version_id: str | None
    quote: str
    reason: str
    data: dict[str, Any]
    status: str
    created_at: str
    created_by: str
    decided_at: str | None = None
    decided_by: str | None = None
    audit_id: int | None = None
    note: str | None = None


def _draft(row: dict[str, Any]) -> StoredDraft:
    return StoredDraft(
        int(row["id"]), row["workspace_id"], row["article_id"], int(row["position"]), row["action"], row["claim_id"],
        row["version_id"], row["quote"], row["reason"], json.loads(row["data"]), row["status"], row["created_at"],
        row["created_by"], row["decided_at"], row["decided_by"],
        int(row["audit_id"]) if row["audit_id"] is not None else None, row["note"])


class DraftStore:
    """The `drafts` table."""

    def __init__(self, db: Database):
        self.db = db

    def add(self, tx: Transaction, workspace_id: str, article_id: str, rows: list[dict[str, Any]], actor: str,
            at: str) -> int:
        """Store drafts (each: position, action, claim_id, version_id, quote, reason, data, dedupe, status)
        not already drafted; return how many were new."""
        added = 0
        for row in rows:
            added += tx.execute(
                "INSERT INTO drafts (workspace_id, article_id, position, action, claim_id, version_id, quote, reason, "
                "data, dedupe, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (workspace_id, dedupe) DO NOTHING",
                [workspace_id, article_id, row["position"], row["action"], row.get("claim_id"), row.get("version_id"),
                 row["quote"], row["reason"], json.dumps(row.get("data") or {}, sort_keys=True), row["dedupe"],
                 row["status"], at, actor])
        return added

    def keys(self, workspace_id: str, dedupes: list[str]) -> set[str]:
        """Which of these keys the workspace has drafted already."""
        found: set[str] = set()
        for start in range(0, len(dedupes), 500):
            chunk = dedupes[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(r["dedupe"] for r in self.db.query(
                f"SELECT dedupe FROM drafts WHERE workspace_id = ? AND dedupe IN ({marks})", [workspace_id, *chunk]))
        return found

    def get(self, workspace_id: str, draft_id: int, tx: Transaction | None = None) -> StoredDraft | None:
        sql, params = "SELECT * FROM drafts WHERE workspace_id = ? AND id = ?", [workspace_id, int(draft_id)]
        row = tx.one(sql, params) if tx is not None else self.db.one(sql, params)
        return _draft(row) if row else None

    def of_article(self, workspace_id: str, article_id: str,
                   statuses: tuple[str, ...] = (PENDING,)) -> list[StoredDraft]:
        """An article's drafts with these statuses, in the article's order."""
        marks = ", ".join("?" * len(statuses))
        return [_draft(r) for r in self.db.query(
            f"SELECT * FROM drafts WHERE workspace_id = ? AND article_id = ? AND status IN ({marks}) "
            "ORDER BY position, id", [workspace_id, article_id, *statuses])]

    def pending(self, workspace_id: str, limit: int | None = None) -> list[StoredDraft]:
        """Pending drafts, grouped by article (the article first drafted first), in each article's order."""
        rows = self.db.query(
            "SELECT d.* FROM drafts d JOIN (SELECT article_id, min(id) AS first FROM drafts WHERE workspace_id = ? "
            "AND status = ? GROUP BY article_id) a ON a.article_id = d.article_id WHERE d.workspace_id = ? "
            "AND d.status = ? ORDER BY a.first, d.position, d.id", [workspace_id, PENDING, workspace_id, PENDING])
        drafts = [_draft(r) for r in rows]
        return drafts[:limit] if limit is not None else drafts

    def counts(self, workspace_id: str, article_id: str) -> dict[str, int]:
        """How many of an article's drafts are in each status."""
        return {r["status"]: int(r["n"]) for r in self.db.query(
            "SELECT status, count(*) AS n FROM drafts WHERE workspace_id = ? AND article_id = ? GROUP BY status",
            [workspace_id, article_id])}

    def decide(self, tx: Transaction, workspace_id: str, draft_id: int, status: str, actor: str, at: str,
               audit_id: int | None, data: dict[str, Any] | None = None, note: str | None = None) -> bool:
        """Accept or reject a pending draft (with the data accepted, when edited); False if it was
        no longer pending."""
        sets = "status = ?, decided_at = ?, decided_by = ?, audit_id = ?, note = ?"
        params: list[Any] = [status, at, actor, audit_id, note]
        if data is not None:
            sets += ", data = ?"
            params.append(json.dumps(data, sort_keys=True))
        return tx.execute(f"UPDATE drafts SET {sets} WHERE workspace_id = ? AND id = ? AND status = ?",
                          [*params, workspace_id, int(draft_id), PENDING]) == 1

    def reopen(self, tx: Transaction, workspace_id: str, audit_id: int) -> int:
        """Put back in the queue the draft a change (now undone) accepted or rejected."""
        return tx.execute("UPDATE drafts SET status = ?, decided_at = NULL, decided_by = NULL, audit_id = NULL, "
                          "note = NULL WHERE workspace_id = ? AND audit_id = ? AND status IN (?, ?)",
                          [PENDING, workspace_id, int(audit_id), ACCEPTED, REJECTED])

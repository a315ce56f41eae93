"""What moderators changed, and undoing it: only in the curator's own workspace (and, for the
review queue, its own server), and only while the target is still as the change left it."""

from __future__ import annotations

from typing import Any

from claims.curate.base import Change, ConflictError, CurationBase, CurationError, model_of
from claims.store import AuditEntry, Transaction, now_iso


class HistoryCuration(CurationBase):
    """History and undo."""

    def history(self, target_id: str, target_type: str = "claim") -> list[AuditEntry]:
        """Every change this workspace made to a target, oldest first."""
        return self.store.audit.history(self.workspace_id, target_type, target_id)

    def recent_changes(self, since: str | None = None) -> list[AuditEntry]:
        """This workspace's changes (optionally since an ISO time), oldest first."""
        return self.store.audit.between((self.workspace_id,), since)

    def undo(self, actor: str, audit_id: int) -> Change:
        """Revert one change, if its target is still as that change left it."""
        entry = self.store.audit.get(audit_id)
        if entry is None or entry.workspace_id != self.workspace_id or (
                entry.target_type == "review" and entry.guild_id != self.guild_id):
            raise CurationError(f"no change #{audit_id} here (each server can undo only its own changes)")
        if entry.undone_by:
            raise CurationError(f"change #{audit_id} was already undone (by #{entry.undone_by})")
        if entry.action == "undo":
            raise CurationError("an undo cannot be undone; make the change again instead")
        if entry.target_type == "review":
            return self._undo_dismiss(actor, entry)
        if entry.target_type == "base":
            raise CurationError("an import cannot be undone; import the export you made before it")

        def still_as_left(current: dict[str, Any] | None) -> None:
            if current != entry.after:
                raise ConflictError(f"{entry.target_type} {entry.target_id!r} changed after #{audit_id}; "
                                    "undo the later changes first (see its history)")

        def build(_current):
            return model_of(entry.target_type, entry.before)

        def mark_undone(tx: Transaction, undo_id: int) -> None:
            self.store.audit.mark_undone(tx, audit_id, undo_id)
            if entry.action in ("review.link", "review.new_claim"):
                # The questions go back to the queue with the change undone.
                marked = self.store.checks.marked(tx, entry.target_id, entry.action.split(".")[1], entry.at)
                self.store.checks.unmark(tx, marked)

        body = (entry.before or {}).get("_text") if entry.target_type == "article" else None
        return self._write(actor, "undo", entry.target_type, entry.target_id, build, check_undo=still_as_left,
                           reason=f"undo of #{audit_id}", undo_of=audit_id, body=body, then=mark_undone,
                           summary=f"undid #{audit_id} ({entry.action} {entry.target_id})")

    def _undo_dismiss(self, actor: str, entry: AuditEntry) -> Change:
        stamp = now_iso()
        check_ids = (entry.before or {}).get("check_ids", [])
        with self.store.transaction() as tx:
            self.store.checks.unmark(tx, check_ids)
            undo_id = self._audit(tx, actor, "undo", "review", entry.target_id, None, entry.before,
                                  f"undo of #{entry.id}", stamp, undo_of=entry.id)
            self.store.audit.mark_undone(tx, entry.id, undo_id)
        return Change(undo_id, "undo", "review", entry.target_id, f"undid #{entry.id}: item back in the queue")

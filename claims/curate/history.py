"""What moderators changed, and undoing it: only in the curator's own workspace (and, for the
review queue, its own server), and only while the target is still as the change left it.

A batch (a topic retired or restored at once) is undone at once: every one of its changes not
yet undone on its own, in one transaction, or none if any of them changed since."""

from __future__ import annotations

from typing import Any

from claims.curate.base import (
    Change,
    ConflictError,
    CurationBase,
    CurationError,
    Step,
    model_of,
    same_state,
    state_json,
)
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
        """Revert one change (or a whole batch), if its target is still as that change left it."""
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
        if entry.target_type == "draft":
            return self._undo_reject(actor, entry)
        if entry.target_type == "base":
            raise CurationError("an import cannot be undone; import the export you made before it")
        if entry.target_type == "topic":
            return self._undo_batch(actor, entry)

        def still_as_left(current: dict[str, Any] | None) -> None:
            if not same_state(entry.target_type, current, entry.after):
                raise ConflictError(f"{entry.target_type} {entry.target_id!r} changed after #{audit_id}; "
                                    "undo the later changes first (see its history)")

        def build(_current):
            return model_of(entry.target_type, entry.before)

        def mark_undone(tx: Transaction, undo_id: int) -> None:
            self.store.audit.mark_undone(tx, audit_id, undo_id)
            self.store.drafts.reopen(tx, self.workspace_id, audit_id)  # a draft it accepted waits again
            if entry.action in ("review.link", "review.new_claim"):
                # The questions go back to the queue with the change undone.
                marked = self.store.checks.marked(tx, entry.target_id, entry.action.split(".")[1], entry.at)
                self.store.checks.unmark(tx, marked)

        body = (entry.before or {}).get("_text") if entry.target_type == "article" else None
        return self._write(actor, "undo", entry.target_type, entry.target_id, build, check_undo=still_as_left,
                           reason=f"undo of #{audit_id}", undo_of=audit_id, body=body, then=mark_undone,
                           summary=f"undid #{audit_id} ({entry.action} {entry.target_id})")

    def _undo_batch(self, actor: str, entry: AuditEntry) -> Change:
        """Undo every change of a batch that was not undone on its own, all in one transaction."""
        changes: dict[str, int] = (entry.after or {}).get("changes") or {}
        members = [m for m in (self.store.audit.get(i) for i in changes.values()) if m is not None]
        pending = [m for m in members if not m.undone_by]
        if not pending:
            raise CurationError(f"every change of #{entry.id} was already undone, one by one")
        chain = self.chain

        def steps(tx: Transaction) -> list[Step]:
            changed = []
            for member in pending:
                current = state_json(self.store.objects.get(chain, member.target_type, member.target_id, tx))
                if not same_state(member.target_type, current, member.after):
                    changed.append(member.target_id)
            if changed:
                shown = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
                raise ConflictError(f"{shown} changed after #{entry.id}; undo those later changes first (see each "
                                    f"one's history), or undo the other claims of #{entry.id} one by one")
            return [Step("undo", m.target_type, m.target_id, _restore(m), f"undo of #{m.id} (with #{entry.id})",
                         undo_of=m.id) for m in pending]

        def mark_undone(tx: Transaction, batch_undo_id: int, step_ids: dict[str, int]) -> None:
            self.store.audit.mark_undone(tx, entry.id, batch_undo_id)
            for member in pending:
                self.store.audit.mark_undone(tx, member.id, step_ids[member.target_id])

        def summary(step_ids: dict[str, int]) -> str:
            return (f"undid #{entry.id} ({entry.action} {entry.target_id}): {len(step_ids)} "
                    f"change{'s' if len(step_ids) != 1 else ''}")

        return self._write_batch(actor, "undo", entry.target_type, entry.target_id, steps, summary=summary,
                                 reason=f"undo of #{entry.id}", undo_of=entry.id, then=mark_undone)

    def _undo_dismiss(self, actor: str, entry: AuditEntry) -> Change:
        stamp = now_iso()
        check_ids = (entry.before or {}).get("check_ids", [])
        with self.store.transaction() as tx:
            self.store.checks.unmark(tx, check_ids)
            undo_id = self._audit(tx, actor, "undo", "review", entry.target_id, None, entry.before,
                                  f"undo of #{entry.id}", stamp, undo_of=entry.id)
            self.store.audit.mark_undone(tx, entry.id, undo_id)
        return Change(undo_id, "undo", "review", entry.target_id, f"undid #{entry.id}: item back in the queue")


    def _undo_reject(self, actor: str, entry: AuditEntry) -> Change:
        """Put a rejected draft back in the queue."""
        self._require_writable()
        stamp = now_iso()
        with self.store.transaction() as tx:
            undo_id = self._audit(tx, actor, "undo", "draft", entry.target_id, None, entry.before,
                                  f"undo of #{entry.id}", stamp, undo_of=entry.id)
            self.store.audit.mark_undone(tx, entry.id, undo_id)
            self.store.drafts.reopen(tx, self.workspace_id, entry.id)
        return Change(undo_id, "undo", "draft", entry.target_id, f"undid #{entry.id}: draft #{entry.target_id} "
                      "back in the queue")


def _restore(member: AuditEntry):
    def build(_current):
        return model_of(member.target_type, member.before)
    return build

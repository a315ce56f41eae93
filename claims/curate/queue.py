"""Moderators' answers to the review queue: link a question to a claim, make it a claim, dismiss it.

The queue is the server's own (see `claims.review`); the claims it leads to are the workspace's.
"""

from __future__ import annotations

from typing import Any

from claims import review
from claims.curate.base import Change, CurationError
from claims.curate.claims import ClaimCuration
from claims.store import Where, now_iso


class QueueCuration(ClaimCuration):
    """The review queue of the curator's server (or, in the terminal, of the workspace's own checks)."""

    @property
    def where(self) -> Where:
        return Where(self.guild_id, self.workspace_id)

    def review_queue(self, limit: int | None = None) -> list[review.QueueGroup]:
        """Open groups of questions the bot could not answer (or matched loosely)."""
        return review.queue(self.store, self.normaliser, self.where, limit)

    def _group(self, key: int) -> review.QueueGroup:
        group = review.find_group(self.store, self.normaliser, self.where, key)
        if group is None:
            raise CurationError(f"no open review item #{key} here; it may have been handled already")
        return group

    def link(self, actor: str, key: int, claim_id: str) -> Change:
        """Answer a queued question with a claim: its wordings become aliases of the claim."""
        group = self._group(key)
        too_long = [w for w in group.wordings if len(w) > 300]
        if too_long:
            raise CurationError("a queued wording is over 300 characters, too long for an alias; "
                                "add a shorter alias by hand and dismiss the item")

        def change(data: dict[str, Any]) -> None:
            known = {a.casefold() for a in data["aliases"]} | {data["statement"].casefold()}
            data["aliases"] = [*data["aliases"], *(w for w in group.wordings if w.casefold() not in known)]

        return self._edit(actor, "review.link", claim_id, None, change, marks=(group.check_ids, "link"),
                          summary=f"linked review item #{key} ({group.count} asks) to {claim_id}")

    def new_claim_from_queue(self, actor: str, key: int, data: dict[str, Any]) -> Change:
        """Turn a queued question into a new claim (its wordings become the claim's aliases)."""
        group = self._group(key)
        data = {**data, "aliases": list(dict.fromkeys([*data.get("aliases", []),
                                                       *(w for w in group.wordings if len(w) <= 300)]))}
        claim = self._validated_claim(data)

        def build(current):
            if current is not None:
                raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
            return claim

        return self._write(actor, "review.new_claim", "claim", claim.id, build, marks=(group.check_ids, "new_claim"),
                           file=f"claims/base/topics/{claim.topic}.yaml",
                           summary=f"made review item #{key} into claim {claim.id}")

    def dismiss(self, actor: str, key: int, reason: str | None = None) -> Change:
        """Drop a queued question (off-topic, spam, not check-worthy)."""
        group = self._group(key)
        stamp = now_iso()
        with self.store.transaction() as tx:
            self.store.checks.mark(tx, group.check_ids, "dismissed", actor, at=stamp)
            audit_id = self._audit(tx, actor, "review.dismiss", "review", str(key),
                                   {"check_ids": group.check_ids, "statement": group.statement}, None, reason, stamp)
        return Change(audit_id, "review.dismiss", "review", str(key), f"dismissed review item #{key}")

"""Moderators' answers to the review queue: link a question to a claim, make it a claim, dismiss it.

The queue is the server's own (see `claims.review`); the claims it leads to are the workspace's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from claims import review
from claims.curate.base import Change, CurationError
from claims.curate.claims import ClaimCuration, topic_file, with_warnings
from claims.curate.warnings import Accept, alias_warnings
from claims.store import Where, now_iso

# The review list counts the chatter of this many days, so moderators see its volume.
CHATTER_DAYS = 7


def chatter_line(counts: dict[str, int], days: int = CHATTER_DAYS) -> str | None:
    """'Not queued in the last 7 days: 4 a greeting or small talk, 1 a command.' (None: none)."""
    if not counts:
        return None
    return f"Not queued in the last {days} days: " + ", ".join(f"{n} {why}" for why, n in counts.items()) + "."


class QueueCuration(ClaimCuration):
    """The review queue of the curator's server (or, in the terminal, of the workspace's own checks)."""

    @property
    def where(self) -> Where:
        return Where(self.guild_id, self.workspace_id)

    def review_queue(self, limit: int | None = None) -> list[review.QueueGroup]:
        """Open groups of questions the bot could not answer (or matched loosely)."""
        self.service.flush_log()  # questions this process just answered are in the queue too
        return review.queue(self.store, self.normaliser, self.where, limit)

    def not_queued(self, days: int = CHATTER_DAYS) -> dict[str, int]:
        """How many questions of the last `days` were answered but kept out of the queue, by
        reason (a greeting, a command...: `claims.checkworthy`), most first."""
        self.service.flush_log()
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        return self.store.checks.not_queued(self.where, since)

    def review_item(self, key: int) -> review.QueueGroup:
        """One open item of the queue (CurationError when there is none by that number)."""
        return self._group(key)

    def _group(self, key: int) -> review.QueueGroup:
        self.service.flush_log()
        group = review.find_group(self.store, self.normaliser, self.where, key)
        if group is None:
            raise CurationError(f"no open review item #{key} here; it may have been handled already")
        return group

    def _worded_group(self, key: int) -> review.QueueGroup:
        group = self._group(key)
        if group.expired:
            raise CurationError(f"review item #{group.key} holds questions whose text has expired: there is no "
                                "wording to link or to make a claim of; dismiss it instead")
        return group

    def link(self, actor: str, key: int, claim_id: str, accept: Accept = ()) -> Change:
        """Answer a queued question with a claim: its wordings become aliases of the claim.
        Warns, as for an alias, when a wording would break answers (another claim matches it
        better, it shares nothing with the claim, or it says the opposite)."""
        group = self._worded_group(key)
        too_long = [w for w in group.wordings if len(w) > 300]
        if too_long:
            raise CurationError("a queued wording is over 300 characters, too long for an alias; "
                                "add a shorter alias by hand and dismiss the item")

        def new_wordings(data: dict[str, Any]) -> list[str]:
            known = {a.casefold() for a in data["aliases"]} | {data["statement"].casefold()}
            return [w for w in group.wordings if w.casefold() not in known]

        def change(data: dict[str, Any]) -> None:
            data["aliases"] = [*data["aliases"], *new_wordings(data)]

        engine = self.engine  # asked here, before the write transaction
        current, _ = self.claim(claim_id)
        wordings = new_wordings(current.model_dump())
        return self._edit(actor, "review.link", claim_id, None, change, marks=(group.check_ids, "link"),
                          accept=accept, engine_checks=lambda claim: alias_warnings(
                              engine, claim, wordings, what="queued question"),
                          summary=f"linked review item #{key} ({group.count} asks) to {claim_id}")

    def new_claim_from_queue(self, actor: str, key: int, data: dict[str, Any], accept: Accept = ()) -> Change:
        """Turn a queued question into a new claim (its wordings become the claim's aliases).
        Warns as `add_claim` does."""
        group = self._worded_group(key)
        data = {**data, "aliases": list(dict.fromkeys([*data.get("aliases", []),
                                                       *(w for w in group.wordings if len(w) <= 300)]))}
        claim = self._validated_claim(data)
        self._require_new(claim.id)
        warned = self._confirmed(self._new_claim_warnings(claim), accept)

        def build(current):
            if current is not None:
                raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
            return claim

        change = self._write(actor, "review.new_claim", "claim", claim.id, build,
                             marks=(group.check_ids, "new_claim"), file=topic_file(claim.topic),
                             reason=with_warnings(None, warned),
                             summary=f"made review item #{key} into claim {claim.id}")
        return replace(change, warnings=warned)

    def dismiss(self, actor: str, key: int, reason: str | None = None) -> Change:
        """Drop a queued question (off-topic, spam, not check-worthy)."""
        group = self._group(key)
        stamp = now_iso()
        with self.store.transaction() as tx:
            self.store.checks.mark(tx, group.check_ids, "dismissed", actor, at=stamp)
            audit_id = self._audit(tx, actor, "review.dismiss", "review", str(key),
                                   {"check_ids": group.check_ids, "statement": group.statement}, None, reason, stamp)
        return Change(audit_id, "review.dismiss", "review", str(key), f"dismissed review item #{key}")

"""Topics: the claims of a subject together. A whole topic is retired (no longer matched, its
history kept) or restored at once, in one transaction, and undone at once.

Retiring a topic changes each of its active claims as `claims retire` would (each claim's
history shows it, with its own audit row) and writes one more audit row for the topic, which
lists every claim's change: its number is the batch's, and `claims undo` of that number restores
every claim still as the retirement left it, again in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claims.curate.base import Change, CurationError, Step
from claims.curate.claims import ClaimCuration
from claims.models import TOPIC_PATTERN
from claims.store import Transaction

STATUSES = ("active", "retired")


@dataclass(frozen=True)
class Topic:
    """A topic and how many of its claims are active and retired."""

    name: str
    active: int
    retired: int


class TopicCuration(ClaimCuration):
    """Topics of the workspace."""

    def topics(self) -> list[Topic]:
        """Every topic the workspace's claims have, by name."""
        counts: dict[str, dict[str, int]] = {}
        for topic, status in self.store.objects.claim_topics(self.chain).values():
            by_status = counts.setdefault(topic or "general", {"active": 0, "retired": 0})
            by_status[status if status in by_status else "active"] += 1
        return [Topic(name, c["active"], c["retired"]) for name, c in sorted(counts.items())]

    def set_topic_status(self, actor: str, topic: str, status: str, reason: str | None = None) -> Change:
        """Retire (or restore) every claim of a topic that is not so already, all at once."""
        if status not in STATUSES:
            raise CurationError(f"status {status!r} must be one of {', '.join(STATUSES)}")
        if status == "retired" and not (reason and reason.strip()):
            raise CurationError("say why: retiring a topic needs a reason (it is kept in every claim's history)")
        chain = self.chain
        verb = "retired" if status == "retired" else "restored"
        action = "claim.retire" if status == "retired" else "claim.restore"

        def steps(tx: Transaction) -> list[Step]:
            claims = self.store.objects.claim_topics(chain, tx)
            in_topic = sorted(cid for cid, (t, _) in claims.items() if (t or "general") == topic)
            if not in_topic:
                known = sorted({t or "general" for t, _ in claims.values()})
                raise CurationError(f"no claims in topic {topic!r}; the topics here are {', '.join(known) or 'none'}")
            todo = [cid for cid in in_topic if claims[cid][1] != status]
            if not todo:
                raise CurationError(f"all {len(in_topic)} claims of topic {topic!r} are already {status}")
            return [Step(action, "claim", cid, _set_status(cid, status), f"{verb} with topic {topic}: {reason}"
                         if reason else f"{verb} with topic {topic}") for cid in todo]

        def summary(changes: dict[str, int]) -> str:
            return f"{verb} topic {topic}: {len(changes)} claim{'s' if len(changes) != 1 else ''}"

        state = {"topic": topic, "status": status}
        return self._write_batch(actor, f"topic.{'retire' if status == 'retired' else 'restore'}", "topic", topic,
                                 steps, summary=summary, reason=reason, after=state)


def _set_status(claim_id: str, status: str):
    def build(current: Any):
        if current is None:
            raise CurationError(f"no claim with id {claim_id!r}")
        return current.model_copy(update={"status": status})
    return build


__all__ = ["STATUSES", "TOPIC_PATTERN", "Topic", "TopicCuration"]

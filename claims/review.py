"""The review queue: questions the bot could not answer, or matched only loosely.

Questions that ask the same thing are grouped (their normalised terms compared with rapidfuzz),
so moderators see "asked 7 times by 5 people" once, not seven rows. A group is handled by
linking it to a claim (its wording becomes an alias, so the next asker gets an answer), turning
it into a new claim, or dismissing it. Each server has its own queue: nothing one server asked
is shown to another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claims.store import LOOSE_MATCH, Store, Where
from claims.text import Normaliser

__all__ = ["LOOSE_MATCH", "QueueGroup", "find_group", "queue"]

# Two questions whose normalised terms are this similar (token_set_ratio) ask the same thing.
SAME_QUESTION = 85.0


@dataclass
class QueueGroup:
    """Queued questions that ask the same thing."""

    key: int  # the group's first check id; stable while the group is open
    statement: str  # the most recent wording
    check_ids: list[int] = field(default_factory=list)
    wordings: list[str] = field(default_factory=list)
    askers: set[str] = field(default_factory=set)
    first_asked: str = ""
    last_asked: str = ""
    verdicts: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    terms: str = ""

    @property
    def count(self) -> int:
        return len(self.check_ids)


def queue(store: Store, normaliser: Normaliser, where: Where, limit: int | None = None) -> list[QueueGroup]:
    """Open queue groups of one server (or of the terminal's checks), most asked first."""
    groups: list[QueueGroup] = []
    for row in store.checks.queued(where):
        check_id, statement, asked_at = row["id"], row["statement"], row["asked_at"]
        user_id, verdict, suggestions = row["user_id"], row["verdict"], row["suggestions"]
        terms = " ".join(sorted(normaliser.normalise(statement).terms)) or statement.casefold()
        group = next((g for g in groups if fuzz.token_set_ratio(terms, g.terms) >= SAME_QUESTION), None)
        if group is None:
            group = QueueGroup(key=check_id, statement=statement, first_asked=asked_at, terms=terms)
            groups.append(group)
        group.check_ids.append(check_id)
        if statement not in group.wordings:
            group.wordings.append(statement)
        group.statement = statement
        group.last_asked = asked_at
        group.askers.add(user_id or "?")
        group.verdicts.append(verdict)
        for claim_id in json.loads(suggestions or "[]"):
            if claim_id not in group.suggestions:
                group.suggestions.append(claim_id)
    groups.sort(key=lambda g: (-g.count, g.last_asked), reverse=False)
    return groups[:limit] if limit else groups


def find_group(store: Store, normaliser: Normaliser, where: Where, key: int) -> QueueGroup | None:
    """The open group with this key (its first check id), if still open in this queue."""
    return next((g for g in queue(store, normaliser, where) if g.key == key or key in g.check_ids), None)

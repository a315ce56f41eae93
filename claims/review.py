"""The review queue: questions the bot could not answer, or matched only loosely.

Questions that ask the same thing are grouped (their normalised terms compared with rapidfuzz),
so moderators see "asked 7 times by 5 people" once, not seven rows. A group is handled by
linking it to a claim (its wording becomes an alias, so the next asker gets an answer), turning
it into a new claim, or dismissing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claims.store import Store, now_iso
from claims.text import Normaliser

# A match scoring below this is answered but also queued: a moderator should confirm it.
LOOSE_MATCH = 72.0
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


def queue(store: Store, normaliser: Normaliser, limit: int | None = None) -> list[QueueGroup]:
    """Open queue groups, most asked first (then most recent)."""
    rows = store.db.execute(
        "select c.id, c.statement, c.asked_at, c.user_id, c.verdict, c.outcome, c.score, c.suggestions "
        "from checks c left join review r on r.check_id = c.id "
        "where r.check_id is null and (c.outcome != 'match' or c.score < ?) order by c.id",
        [LOOSE_MATCH],
    ).fetchall()
    groups: list[QueueGroup] = []
    for check_id, statement, asked_at, user_id, verdict, _outcome, _score, suggestions in rows:
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


def find_group(store: Store, normaliser: Normaliser, key: int) -> QueueGroup | None:
    """The open group with this key (its first check id), if still open."""
    return next((g for g in queue(store, normaliser) if g.key == key or key in g.check_ids), None)


def mark(db, check_ids: list[int], action: str, actor: str, claim_id: str | None = None) -> None:
    """Record what a moderator did with these queued checks (inside the caller's transaction)."""
    stamp = now_iso()
    db["review"].upsert_all(
        [{"check_id": c, "action": action, "claim_id": claim_id, "actor": actor, "at": stamp} for c in check_ids],
        pk="check_id",
    )

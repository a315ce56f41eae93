"""The claim engine: from a statement to a reply (verdict, matched claim, versions, suggestions).

Usable from a plain script:

    from claims.engine import Engine
    from claims.load import load_base
    reply = Engine(load_base()).check("All US forces will be out of Iraq by September 2026")
    print(reply.verdict, reply.explanation)
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from claims.extract import extract
from claims.load import Base
from claims.match import Candidate, Matcher, MatchResult
from claims.models import Claim
from claims.text import EntityIndex, Normaliser
from claims.verdict import VersionView, claim_entity_ids, decide

MAX_STATEMENT_CHARS = 1000
VERDICTS = ("supported", "disputed", "contradicted", "unverified", "no_match")


class StatementError(ValueError):
    """The statement cannot be checked (empty, too long); the message says what to do."""


def today_from_env() -> date:
    """Today's date: $CROSSCHECK_TODAY (YYYY-MM-DD) when set, for tests and replays; else the clock."""
    override = os.environ.get("CROSSCHECK_TODAY")
    if override:
        try:
            return date.fromisoformat(override)
        except ValueError:
            raise StatementError(f"CROSSCHECK_TODAY={override!r} is not a date; use YYYY-MM-DD") from None
    return date.today()


# Control characters (NUL included) are not text; a lone surrogate (undecodable bytes from a
# terminal, or a broken client) cannot even be stored: both become a replacement character.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_statement(statement: str) -> str:
    """The statement trimmed and checked; raises StatementError when it cannot be checked."""
    if not isinstance(statement, str):
        raise StatementError("the statement must be text")
    statement = _NOT_TEXT.sub(lambda m: " " if m.group() < "\x80" else "\ufffd", statement)
    text = " ".join(statement.split())
    if not text:
        raise StatementError("the statement is empty: give a sentence to check")
    if len(text) > MAX_STATEMENT_CHARS:
        raise StatementError(
            f"the statement is {len(text)} characters; the limit is {MAX_STATEMENT_CHARS}. "
            "Check one claim at a time"
        )
    return text


@dataclass
class ClaimRef:
    id: str
    text: str
    score: float
    kind: str = ""
    topic: str = ""
    wording: str = ""


@dataclass
class Suggestion:
    id: str
    text: str
    score: float


@dataclass
class Reply:
    """Everything the bot says about one statement; `to_json` is the public contract."""

    statement: str
    verdict: str
    claim: ClaimRef | None
    explanation: str
    versions: list[VersionView] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outcome: str = "none"
    today: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `crosscheck check --json` (fields may be added, never renamed)."""
        return {
            "statement": self.statement,
            "verdict": self.verdict,
            "claim": asdict(self.claim) if self.claim else None,
            "explanation": self.explanation,
            "versions": [
                {
                    "id": v.id,
                    "text": v.text,
                    "agrees": v.agrees,
                    "weight": v.weight,
                    "outlets": v.outlets,
                    "conflicts": v.conflicts,
                    "settles": v.settles,
                    "sources": [
                        {
                            "article": s.article,
                            "outlet": s.outlet_name,
                            "outlet_id": s.outlet,
                            "credibility": s.credibility,
                            "reasons": s.reasons,
                            "quote": s.quote,
                            "said_by": s.said_by,
                            "url": s.url,
                            "published": s.published,
                            "published_estimate": s.published_estimate,
                        }
                        for s in v.sources
                    ],
                }
                for v in self.versions
            ],
            "suggestions": [asdict(s) for s in self.suggestions],
            "notes": self.notes,
            "match": self.outcome,
            "today": self.today,
        }


class Engine:
    """Matches statements against a base and decides verdicts. Holds no I/O."""

    def __init__(self, base: Base, today: date | None = None):
        self.base = base
        self._today = today
        self.entities = EntityIndex(base.entities.values())
        self.normaliser = Normaliser(self.entities)
        self.matcher = Matcher(self.normaliser, base.claims.values())
        self._claim_entities: dict[str, set[str]] = {}
        self._kinds = {eid: str(e.kind) for eid, e in self.entities.entities.items()}

    def today(self) -> date:
        return self._today or today_from_env()

    def _entities_of(self, claim: Claim) -> set[str]:
        if claim.id not in self._claim_entities:
            self._claim_entities[claim.id] = claim_entity_ids(
                claim, lambda text: self.normaliser.words(text)[1]
            )
        return self._claim_entities[claim.id]

    def update_claim(self, claim: Claim) -> None:
        """Reflect an edited, added or retired claim (the index is updated in place)."""
        self.base.claims[claim.id] = claim
        self._claim_entities.pop(claim.id, None)
        self.matcher.add(claim)

    def remove_claim(self, claim_id: str) -> None:
        """Forget a claim (an undone addition)."""
        self.base.claims.pop(claim_id, None)
        self.base.claim_files.pop(claim_id, None)
        self._claim_entities.pop(claim_id, None)
        self.matcher.remove(claim_id)

    def clone(self) -> Engine:
        """An independent copy of this engine (same entities, its own base and index), for a
        workspace whose base starts as this one's and then changes."""
        other = Engine.__new__(Engine)
        other.base = Base(dict(self.base.outlets), dict(self.base.articles), dict(self.base.texts),
                          dict(self.base.entities), dict(self.base.claims), dict(self.base.claim_files))
        other._today = self._today
        other.entities = self.entities
        other.normaliser = self.normaliser
        other.matcher = self.matcher.clone()
        other._claim_entities = dict(self._claim_entities)
        other._kinds = self._kinds
        return other

    def match(self, statement: str) -> MatchResult:
        """Only the matching step (used by autocomplete and the review queue)."""
        return self.matcher.match(clean_statement(statement))

    def check(self, statement: str) -> Reply:
        """Check one statement. Raises StatementError for empty or oversized input."""
        text = clean_statement(statement)
        today = self.today()
        norm = self.normaliser.normalise(text)
        details = extract(norm.words, self._kinds)
        result = self.matcher.match(norm, details.slots())
        suggestions = [self._suggestion(c) for c in result.suggestions]
        if result.outcome != "match" or result.best is None:
            if suggestions:
                explanation = ("No claim in the base matches this closely enough to give a verdict. "
                               "Did you mean one of the suggestions? The question was queued for the moderators.")
            else:
                explanation = ("Nothing in the claim base covers this, so there is no verdict. "
                               "The question was queued for the moderators.")
            return Reply(text, "no_match", None, explanation, [], suggestions, [], result.outcome,
                         today.isoformat())
        claim = self.matcher.claim(result.best.claim_id)
        stranger = self._foreign_place(details, claim)
        if stranger:
            # "US troops are leaving Germany": a look-alike claim about somewhere else must not
            # lend its verdict. Abstain, and offer it as a suggestion.
            explanation = (f"No claim in the base is about {stranger}, so there is no verdict. The closest claim "
                           "is offered as a suggestion; the question was queued for the moderators.")
            return Reply(text, "no_match", None, explanation, [], [self._suggestion(result.best)], [], "possible",
                         today.isoformat())
        details.negated = not self._affirms_claim(details.negated, claim, result.best.wording)
        decision = decide(claim, details, self.base, self.entities, self._entities_of(claim), today)
        ref = ClaimRef(claim.id, claim.statement, result.best.score, str(claim.kind), claim.topic,
                       result.best.wording)
        return Reply(text, decision.verdict, ref, decision.explanation, decision.versions, suggestions,
                     decision.notes, "match", today.isoformat())

    def _foreign_place(self, details, claim: Claim) -> str | None:
        """A place the statement is about that the claim never mentions, nor anything in or around it."""
        known = self._entities_of(claim)
        for place in details.places:
            if not any(self.entities.related(place, other) for other in known):
                entity = self.entities.entities.get(place)
                return entity.names[0] if entity else place
        return None

    def _affirms_claim(self, negated: bool, claim: Claim, wording: str) -> bool:
        """Whether the statement asserts the claim, judged against the wording it matched.

        Polarity is relative: "the deal was not yet signed" affirms a claim worded "the deal
        still needed approval" when it matched the alias "the deal was not yet signed"."""
        if wording not in claim.texts():
            # Version texts carry contrasts ("scaled back, not ended"); compare with the claim itself.
            wording = claim.statement
        wording_negated = extract(self.normaliser.words(wording)[0]).negated
        return negated == wording_negated

    def check_against(self, statement: str, claim_id: str) -> Reply:
        """Judge a statement against a claim the asker picked (a "did you mean" choice)."""
        text = clean_statement(statement)
        claim = self.matcher.claim(claim_id)
        norm = self.normaliser.normalise(text)
        details = extract(norm.words, self._kinds)
        expanded = self.matcher.expand(norm.terms)
        candidate = self.matcher.score(norm.terms, expanded, claim_id, details.slots())
        score = min(100.0, candidate.score)
        details.negated = not self._affirms_claim(details.negated, claim, candidate.wording)
        decision = decide(claim, details, self.base, self.entities, self._entities_of(claim), self.today())
        ref = ClaimRef(claim.id, claim.statement, score, str(claim.kind), claim.topic, claim.statement)
        return Reply(text, decision.verdict, ref, decision.explanation, decision.versions, [],
                     decision.notes, "chosen", self.today().isoformat())

    def _suggestion(self, candidate: Candidate) -> Suggestion:
        claim = self.matcher.claim(candidate.claim_id)
        return Suggestion(claim.id, claim.statement, candidate.score)

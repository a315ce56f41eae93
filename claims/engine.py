"""The claim engine: from a statement to a reply (verdict, matched claim, versions, suggestions).

Usable from a plain script:

    from claims.engine import Engine
    from claims.load import load_base
    reply = Engine(load_base()).check("All US forces will be out of Iraq by September 2026")
    print(reply.verdict, reply.explanation)
"""

from __future__ import annotations

import gc
import os
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from claims import clauses
from claims.accounting import content_parts
from claims.checkworthy import triage
from claims.evidence import Evidence, plain_words, read_evidence, read_wordings
from claims.extract import Details, extract
from claims.headline import describe
from claims.language import english_problem
from claims.lexicon import lexicon
from claims.load import Base
from claims.match import POSSIBLE, Candidate, Matcher, MatchResult
from claims.models import Article, Claim, EntityKind, Outlet
from claims.places import place_index
from claims.questions import positive_form
from claims.roles import roles
from claims.text import ENTITY_PREFIX, Normalised, Normaliser, vocabulary_of
from claims.values import parse_date_span
from claims.verdict import Reading, VersionView, claim_entity_ids, decide_verdict

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


# From this many claims on, a built engine is taken out of the garbage collector's sight.
FREEZE_FROM_CLAIMS = 20_000


def settle_memory(claims: int) -> None:
    """After building an engine over a large base, take what exists now out of the garbage
    collector's sight: such an engine lives as long as the process, and a full collection tracing
    its hundreds of thousands of objects stalls a check for a second (measured at 100,000 claims).
    Objects made later are collected as usual. Small bases (every test's) are left alone: they
    collect in a blink, and frozen objects in a reference cycle would never be freed."""
    if claims >= FREEZE_FROM_CLAIMS:
        gc.collect()
        gc.freeze()


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
class PartReply:
    """One claim of a statement that makes several ("A and B"), with its own verdict."""

    text: str
    verdict: str
    claim: ClaimRef | None
    explanation: str


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
    parts: list[PartReply] = field(default_factory=list)  # one per claim, when the statement makes several
    # What the card leads with (`claims.headline`): what was asked (statement, yes_no, open), the
    # answer about it in one line, one line of why, the newest source's date when it asks about
    # now, and whether the verdict rests on low-credibility outlets only.
    asked: str = "statement"
    headline: str = ""
    why: str = ""
    as_of: str | None = None
    weakly_sourced: bool = False
    # Why it is answered but not queued for the moderators (a greeting, a command...; see
    # `claims.checkworthy`); None when it is check-worthy.
    not_queued: str | None = None

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
                    "gaps": v.gaps,
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
            "parts": [
                {"text": p.text, "verdict": p.verdict, "claim": p.claim.id if p.claim else None,
                 "explanation": p.explanation}
                for p in self.parts
            ],
            "asked": self.asked,
            "headline": self.headline,
            "why": self.why,
            "as_of": self.as_of,
            "weakly_sourced": self.weakly_sourced,
            "not_queued": self.not_queued,
        }


NOT_ENGLISH = "I can only check statements in English"
# A statement matching a claim's wording this closely, with no word of its own, is that wording.
CURATED_SCORE = 95.0
# Claims whose evidence is kept read; a base larger than this has its evidence read on demand.
EVIDENCE_CACHE = 20_000
# From strongest to weakest: a statement of several claims is as strong as its weakest part.
STRENGTH = ("supported", "disputed", "unverified", "no_match")


def combine(text: str, replies: list[tuple[str, Reply]], today: date) -> Reply:
    """One reply for a statement of several claims: any part contradicted makes it contradicted,
    all supported makes it supported, otherwise the weakest part decides; a part nothing in the
    base covers leaves the whole unverified, and says so."""
    verdicts = [r.verdict for _, r in replies]
    if "contradicted" in verdicts:
        verdict = "contradicted"
    elif all(v == "no_match" for v in verdicts):
        verdict = "no_match"
    elif "no_match" in verdicts:
        verdict = "unverified"
    else:
        verdict = max(verdicts, key=STRENGTH.index)
    lead = next((r for _, r in replies if r.verdict == verdict), None) or next(
        (r for _, r in replies if r.verdict != "supported"), replies[0][1])
    parts = [PartReply(part, r.verdict, r.claim, r.explanation) for part, r in replies]
    lines = []
    for n, (part, r) in enumerate(replies, 1):
        said = r.explanation if r.verdict != "no_match" else "nothing in the claim base covers this part"
        lines.append(f"({n}) “{part}”: {said}")
    explanation = (f"{verdict.replace('_', ' ').capitalize()}: this makes {len(replies)} claims, judged one by "
                   f"one. " + " ".join(lines))
    versions = [*lead.versions, *(v for _, r in replies if r is not lead for v in r.versions)]
    notes = list(dict.fromkeys(n for _, r in replies for n in r.notes))
    outcome = "match" if any(r.claim for _, r in replies) else lead.outcome
    return Reply(text, verdict, lead.claim, explanation, versions, lead.suggestions, notes, outcome,
                 today.isoformat(), parts)


class Engine:
    """Matches statements against a base and decides verdicts. Holds no I/O."""

    def __init__(self, base: Base, today: date | None = None,
                 stored_index: Callable[[Normaliser], Matcher | None] | None = None):
        """An engine over `base`. `stored_index`, given this engine's normaliser, may return the
        index of every active claim made without normalising the base (a restart: see
        `claims.engines`); None from it means "normalise"."""
        self.base = base
        self._today = today
        # The base's entities, and every country and major subdivision as a place (`claims.places`).
        self.vocabulary = vocabulary_of(base.terms.values())
        self.entities = place_index(base.entities.values(), self.vocabulary.titles)
        self.normaliser = Normaliser(self.entities, self.vocabulary)
        # The English tables (~1 s to read) are read beside the stored index entries: much of a
        # restart is spent waiting for the database and for the workers parsing the entries.
        english = threading.Thread(target=lexicon, name="crosscheck-lexicon", daemon=True)
        english.start()
        matcher = stored_index(self.normaliser) if stored_index is not None else None
        if matcher is None:
            english.join()  # normalising forks workers that read the tables: never fork mid-read
            matcher = Matcher(self.normaliser, base.claims.values(), source=base.claims)
        self.matcher = matcher
        english.join()
        self._claim_entities: dict[str, set[str]] = {}
        self._evidence: dict[str, dict[str, Evidence]] = {}
        self._kinds = {eid: str(e.kind) for eid, e in self.entities.entities.items()}
        # one-word entity names ("iraqi", "washington") for reading plain text
        self._names = {n.lower(): f"{ENTITY_PREFIX}{e.id}" for e in self.entities.entities.values()
                       for n in e.names if n.isalpha() and len(n) > 2 and not n.isupper()
                       and n not in self.entities.as_written}
        self._text_words = lru_cache(maxsize=EVIDENCE_CACHE * 4)(lambda text: tuple(self.normaliser.words(text)[0]))
        settle_memory(len(base.claims))

    def today(self) -> date:
        return self._today or today_from_env()

    def _entities_of(self, claim: Claim) -> set[str]:
        if claim.id not in self._claim_entities:
            self._claim_entities[claim.id] = claim_entity_ids(claim, self._entity_ids, self._plain_entity_ids)
        return self._claim_entities[claim.id]

    def _evidence_of(self, claim: Claim) -> dict[str, Evidence]:
        """Each version's evidence, read once per claim revision."""
        if claim.id not in self._evidence:
            wordings = read_wordings(claim, self._words, self._names, self.vocabulary)
            out = {}
            for version in claim.versions:
                published = [parse_date_span(self.base.articles[s.article].published).end for s in version.sources
                             if s.article in self.base.articles]
                out[version.id] = read_evidence(claim, version, self._words, self.entities.resolve, published,
                                                wordings)
            if len(self._evidence) >= EVIDENCE_CACHE:
                self._evidence.pop(next(iter(self._evidence)))  # the oldest read: a large base is read on demand
            self._evidence[claim.id] = out
        return self._evidence[claim.id]

    def _entity_ids(self, text: str) -> list[str]:
        """The entities a text names, from its (cached) normalised words."""
        return [w[len(ENTITY_PREFIX):] for w in self._text_words(text) if w.startswith(ENTITY_PREFIX)]

    def _plain_entity_ids(self, text: str) -> list[str]:
        """The entities a text names by one-word names ("Baghdad", "Iraqi"): cheap, for quotes."""
        return [self._names[w][len(ENTITY_PREFIX):] for w in plain_words(text, self.vocabulary) if w in self._names]

    def _words(self, text: str) -> list[str]:
        """A text's normalised words; quotes shared by several versions are read once."""
        return list(self._text_words(text))

    def update_claim(self, claim: Claim) -> None:
        """Reflect an edited, added or retired claim (the index is updated in place)."""
        self.base.claims[claim.id] = claim
        self._claim_entities.pop(claim.id, None)
        self._evidence.pop(claim.id, None)
        self.matcher.add(claim)

    def remove_claim(self, claim_id: str) -> None:
        """Forget a claim (an undone addition)."""
        self.base.claims.pop(claim_id, None)
        self.base.claim_files.pop(claim_id, None)
        self._claim_entities.pop(claim_id, None)
        self._evidence.pop(claim_id, None)
        self.matcher.remove(claim_id)

    def clone(self) -> Engine:
        """An independent copy of this engine (same entities and normaliser, its own base, index
        and per-claim caches), for a workspace whose base starts as this one's and then changes."""
        other = Engine.__new__(Engine)
        for name, value in vars(self).items():
            if isinstance(value, dict):
                value = dict(value)  # per-claim caches: the copy's edits must not reach this engine
            setattr(other, name, value)
        other.base = self.base.copy()
        other.matcher = self.matcher.clone(source=other.base.claims)
        settle_memory(len(other.base.claims))
        return other

    def update_source(self, kind: str, object_id: str, model: Outlet | Article | None, text: str = "") -> None:
        """Reflect an edited, added or removed outlet or article."""
        table = self.base.outlets if kind == "outlet" else self.base.articles
        if model is None:
            table.pop(object_id, None)
            self.base.texts.pop(object_id, None)
        else:
            table[object_id] = model  # type: ignore[assignment]
            if kind == "article":
                self.base.texts[object_id] = text
        if kind == "article":
            self._evidence.clear()  # evidence reads articles' dates: read it again (articles change rarely)

    def match(self, statement: str) -> MatchResult:
        """Only the matching step (used by autocomplete and the review queue)."""
        return self.matcher.match(clean_statement(statement))

    def check(self, statement: str) -> Reply:
        """Check one statement. Raises StatementError for empty or oversized input."""
        return self._presented(self._answer(clean_statement(statement), None))

    def check_against(self, statement: str, claim_id: str) -> Reply:
        """Judge a statement against a claim the asker picked (a "did you mean" choice), by exactly
        the rules `check` applies: the pick only replaces the matching step."""
        claim = self.matcher.claim(claim_id)  # an unknown id is an error, before anything is judged
        return self._presented(self._answer(clean_statement(statement), claim.id))

    def judge_against(self, statement: str, claim_id: str, today: date | None = None) -> Reply:
        """`check_against` for one claim's worth of statement, against `today` (default: the
        engine's), without the card's presentation: for drafting from a report (`claims.ingest`)."""
        claim = self.matcher.claim(claim_id)
        return self._judge(clean_statement(statement), today or self.today(), claim.id)

    def _presented(self, reply: Reply) -> Reply:
        """The reply with whether it goes to the review queue and what its card leads with."""
        triage(reply, self.normaliser)
        return describe(reply, self.base, self.entities, self.today())

    def check_parts(self, statement: str, today: date | None = None) -> list[tuple[str, Reply]]:
        """Each claim a statement makes, with its own reply, judged as `check` judges them before
        combining them into one ("A, and B" gives two); a statement of one claim gives one.
        `today` (default: the engine's) resolves relative dates: a report's own publication day.
        For drafting from an article (`claims.ingest`), where each claim is drafted apart."""
        text = clean_statement(statement)
        return self._part_replies(text, None, today or self.today())

    def _answer(self, text: str, chosen: str | None) -> Reply:
        today = self.today()
        replies = self._part_replies(text, chosen, today)
        if len(replies) == 1:
            return self._single(text, replies[0][1])
        return combine(text, replies, today)

    def _part_replies(self, text: str, chosen: str | None, today: date) -> list[tuple[str, Reply]]:
        problem = english_problem(text)
        if problem:
            explanation = (f"{NOT_ENGLISH}: {problem}, so there is no verdict. "
                           "Send the statement in English and I will check it.")
            return [(text, Reply(text, "no_match", None, explanation, [], [], [NOT_ENGLISH], "none",
                                 today.isoformat()))]
        asked = positive_form(text)
        parts = clauses.split(asked.text) if asked.text else []
        if len(parts) > clauses.MAX_PARTS:
            explanation = (f"This message makes {len(parts)} separate claims; I check at most {clauses.MAX_PARTS} "
                           "at a time, so there is no verdict. Send them in smaller groups.")
            return [(text, Reply(text, "no_match", None, explanation, [], [], [], "none", today.isoformat()))]
        if len(parts) > 1:
            # A statement that is, nearly word for word, one of the base's wordings is one claim:
            # the curators wrote each as one ("ISIS is not gone; its remnants are still dangerous").
            # (Only when some claim uses every term of it: else no wording holds them all.)
            norm = self.normaliser.normalise(positive_form(asked.text).text)
            if self.matcher.used_together(norm.terms):
                whole = self._read(asked.text, today, at_least=CURATED_SCORE, norm=norm)
                best = whole[2].best
                if best is not None and best.score >= CURATED_SCORE and set(whole[0].terms) <= set(
                        self.normaliser.terms(best.wording)):
                    return [(text, self._judge(text, today, chosen, whole if chosen is None else None))]
            # Each part normalised once: to see whether it says anything, to match it and to
            # judge it against its siblings' claims.
            norms = {part: self.normaliser.normalise(positive_form(part).text) for part in parts}
            parts = [part for part in parts if self._has_content(part, norms[part])]
        else:
            norms = {}
        replies = self._with_context([(part, self._judge(part, today, chosen, norm=norms.get(part)))
                                      for part in parts], today, norms)
        if not replies:
            return [(text, self._judge(text, today, chosen))]
        if len(replies) == 1:
            return [(text, replies[0][1])]
        return replies

    @staticmethod
    def _single(text: str, reply: Reply) -> Reply:
        reply.statement = text
        return reply

    def _with_context(self, replies: list[tuple[str, Reply]], today: date,
                      norms: dict[str, Normalised]) -> list[tuple[str, Reply]]:
        """A part too short to match alone ("..., and Iraq rejected it") is judged against the
        claims its sibling parts matched, by the same rules; it keeps that verdict only when the
        claim speaks to every word of it. (`norms`: the parts normalised already.)"""
        siblings = list(dict.fromkeys(r.claim.id for _, r in replies if r.claim))
        out = []
        for part, reply in replies:
            if reply.verdict == "no_match" and len(replies) > 1:
                for claim_id in siblings:
                    tried = self._judge(part, today, claim_id, norm=norms.get(part))
                    if tried.verdict in ("supported", "disputed", "contradicted"):
                        tried.outcome = "match"
                        reply = tried
                        break
            out.append((part, reply))
        return out

    def _has_content(self, text: str, norm: Normalised) -> bool:
        """Whether a part of a statement says anything ("and and" says nothing); `norm` is the
        part's positive form normalised, the part itself when the two are the same."""
        if norm.original != text:
            norm = self.normaliser.normalise(text)
        return bool(norm.terms)

    def _reading(self, norm: Normalised, details: Details, says_not: bool) -> Reading:
        words = list(norm.words)
        term = self.vocabulary.term_of
        return Reading(words, details, content_parts(words, details, term), roles(words, term),
                       hedged=details.hedged or "would" in words, says_not=says_not)

    def _read(self, text: str, today: date, at_least: float = POSSIBLE,
              norm: Normalised | None = None) -> tuple[Normalised, Details, MatchResult]:
        """A statement normalised (unless `norm` is it already), its details read, and matched
        (only to a claim scoring `at_least`, when that is all the caller wants to know)."""
        if norm is None:
            norm = self.normaliser.normalise(positive_form(text).text)
        details = extract(norm.words, self._kinds, today, self.vocabulary.units)
        return norm, details, self.matcher.match(norm, details.slots(), at_least)

    def _judge(self, text: str, today: date, chosen: str | None,
               read: tuple[Normalised, Details, MatchResult] | None = None, norm: Normalised | None = None) -> Reply:
        """The reply for one claim's worth of statement, matched (or, if `chosen`, picked);
        `read` is its `_read` when already done, `norm` its positive form normalised."""
        if read is None and chosen is None:
            read = self._read(text, today, norm=norm)
        if read is not None:
            norm, details, result = read
        else:
            if norm is None:
                norm = self.normaliser.normalise(positive_form(text).text)
            details = extract(norm.words, self._kinds, today, self.vocabulary.units)
        if chosen is not None:
            expanded = self.matcher.expand(norm.terms)
            candidate = self.matcher.score(norm.terms, expanded, chosen, details.slots())
            candidate = Candidate(candidate.claim_id, min(100.0, candidate.score), candidate.wording)
            return self._verdict(text, norm, details, candidate, [], "chosen", today)
        suggestions = [self._suggestion(c) for c in result.suggestions]
        if result.outcome == "match" and result.best is not None:
            return self._verdict(text, norm, details, result.best, suggestions, "match", today)
        closest = result.best or (result.suggestions[0] if result.suggestions else None)
        if result.outcome == "possible" and closest is not None and closest.score >= POSSIBLE:
            # A statement saying the opposite of a claim shares fewer of its words than one
            # repeating it. Judged against the closest claim, a statement every word of which
            # that claim accounts for, one of them by its opposite, is about that claim.
            reply = self._verdict(text, norm, details, closest, suggestions, "match", today)
            if reply.verdict == "contradicted" and self._contradicted_by_meaning(reply):
                return reply
        if suggestions:
            explanation = ("No claim in the base matches this closely enough to give a verdict. "
                           "Did you mean one of the suggestions? The question was queued for the moderators.")
        else:
            explanation = ("Nothing in the claim base covers this, so there is no verdict. "
                           "The question was queued for the moderators.")
        return Reply(text, "no_match", None, explanation, [], suggestions, [], result.outcome, today.isoformat())

    @staticmethod
    def _contradicted_by_meaning(reply: Reply) -> bool:
        judged = [v for v in reply.versions if v.judged]
        meaning = ("opposite:", "not the same:", "roles:", "direction:", "who:")
        return bool(judged) and all(any(c.startswith(meaning) for c in v.conflicts)
                                    and not any(g.startswith("“") for g in v.gaps) for v in judged)

    def _verdict(self, text: str, norm: Normalised, details: Details, candidate: Candidate,
                 suggestions: list[Suggestion], outcome: str, today: date) -> Reply:
        claim = self.matcher.claim(candidate.claim_id)
        stranger = self._foreign_place(details, claim)
        if stranger:
            # "US troops are leaving Germany": a look-alike claim about somewhere else must not
            # lend its verdict. Abstain, and offer it as a suggestion.
            explanation = (f"No claim in the base is about {stranger}, so there is no verdict. The closest claim "
                           "is offered as a suggestion; the question was queued for the moderators.")
            return Reply(text, "no_match", None, explanation, [], [self._suggestion(candidate)], [], "possible",
                         today.isoformat())
        says_not = details.negated
        details.negated = not self._affirms_claim(details.negated, claim, candidate.wording, norm)
        reading = self._reading(norm, details, says_not)
        decision = decide_verdict(claim, reading, self._evidence_of(claim), self.base, self.entities,
                                  self._entities_of(claim), lexicon(), today)
        wording = candidate.wording if outcome != "chosen" else claim.statement
        ref = ClaimRef(claim.id, claim.statement, candidate.score, str(claim.kind), claim.topic, wording)
        return Reply(text, decision.verdict, ref, decision.explanation, decision.versions, suggestions,
                     decision.notes, outcome, today.isoformat())

    def _foreign_place(self, details, claim: Claim) -> str | None:
        """A place the statement is about that the claim never mentions, nor anything in or around
        it: one it puts something in, or any country or region the base does not curate (the
        places every base knows, `claims.places`: "an earthquake struck Peru" in a base about Chile)."""
        known = self._entities_of(claim)
        uncurated = [e for e in details.entities if e not in self.base.entities
                     and self.entities.kind(e) in (EntityKind.COUNTRY, EntityKind.PLACE)]
        for place in [*details.places, *uncurated]:
            if not any(self.entities.related(place, other) for other in known):
                entity = self.entities.entities.get(place)
                return entity.names[0] if entity else place
        return None

    def _affirms_claim(self, negated: bool, claim: Claim, wording: str, statement: Normalised | None = None) -> bool:
        """Whether the statement asserts the claim, judged against the wording it matched.

        Polarity is relative: "the deal was not yet signed" affirms a claim worded "the deal
        still needed approval" when it matched the alias "the deal was not yet signed"."""
        if wording not in claim.texts():
            # Version texts carry contrasts ("scaled back, not ended"); compare with the claim itself.
            wording = claim.statement
        pieces = self._clauses_of(wording)
        if statement is not None and len(pieces) > 1 and len(pieces) > len(clauses.split(statement.original)):
            # A part of a statement against a wording of several clauses ("ISIS is not gone; its
            # remnants are still dangerous"): the polarity of the clause the part is about.
            statement_terms = set(statement.terms)
            wording = max(pieces, key=lambda piece: len(piece[1] & statement_terms))[0]
        return negated == self._negated(wording)

    @lru_cache(maxsize=65536)  # noqa: B019 - wordings are few and an engine lives for the process
    def _negated(self, wording: str) -> bool:
        return extract(self._words(wording), units=self.vocabulary.units).negated

    @lru_cache(maxsize=65536)  # noqa: B019 - as `_negated`
    def _clauses_of(self, wording: str) -> tuple[tuple[str, frozenset[str]], ...]:
        """A wording's clauses, each with its terms."""
        return tuple((piece, frozenset(self.normaliser.terms(piece))) for piece in clauses.split(wording))

    def _suggestion(self, candidate: Candidate) -> Suggestion:
        claim = self.matcher.claim(candidate.claim_id)
        return Suggestion(claim.id, claim.statement, candidate.score)

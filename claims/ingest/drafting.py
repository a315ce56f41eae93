"""Draft, from an article, what it adds to the base: sources, versions, claims and entities.

For each sentence worth drafting from (`claims.ingest.sentences`), each claim it makes is
judged by the engine exactly as a user's statement is (`Engine.check_parts`: the same matcher,
the same comparison of details with every version), against the article's publication day:

- it matches a claim and agrees with one of its versions: draft adding the article as a source
  of that version, quoting the sentence. A source reports the version's own figure: a
  compatible but different one ("at least 97" killed where the version has 145) is another
  account, a new version; of two versions it agrees with, it reports the one whose date or
  figure it states in so many words, then the account of who it quotes (of no one in
  particular when it quotes no one);
- it matches a claim and conflicts with every version: draft a new version with the values the
  sentence gives, of the kinds the claim's versions record, saying what it conflicts with
  ("conflicts with *September 2026*: the article says *end of 2026*"); sentences giving the
  same new account draft it once. A figure said to come on top of what was counted, or of
  another event ("also", "another", "other"), is no new version of a count;
- it matches nothing, and gives something checkable (a date, a number, a place, a name): draft a
  new claim with a first version. A code naming one thing ("S2", "F-16") gives no number, and
  an order of size alone ("hundreds of people") is nothing to check; a new claim that gives
  only a figure, or only places, the sentence's other drafts record is not drafted.

A headline or lead-in drafts only sources; a report's dateline ("LUCKNOW: ") is no part of
what is matched; a claim matched only through who a sentence is attributed to gets no new
version.

A report's sentences are longer than a user's question and often carry several facts, so a
sentence no claim matches is also judged against its closest claim (`_closest`: a source when
it agrees, a new version when the claim is a count and only the figure differs), close claims
that agree are drafted beside the one matched (`_also`), and the facts a sentence joins, or
states without who said them, are judged one by one (`joined_facts`), each with the claims
close to it: the same rules each time.
A fact of a sentence that matched nothing as a whole, which is another account of a claim, is
drafted as that claim's new version rather than as a new claim. What a sentence says in passing
of what it names ("ISIS, which had seized ...") is a new claim when the base has nothing on it
(`described_facts`), and a second figure sharing the first one's verb ("... killed and more than
150 injured") is judged against the claim it counts (`elided_facts`). Two places or times sharing
one head ("the defeat of ISIS in Iraq in 2017 and in Syria in 2019") are judged once for each
(`shared_head_facts`), and what is said of a group is judged of each named member listed after
"including" (`included_facts`). An opening "He"/"She", or a
closing "he said", stands for the person named just before (`last_person`); the quote stays as
written.

The quote is always the sentence itself, so it is in the article by construction; names the
workspace does not know become entity drafts. Each draft carries a `key` that is the same
whenever the same article gives the same draft again, so adding an article twice drafts
nothing twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from claims.engine import Engine, Reply, StatementError
from claims.extract import SHARE, Details, extract
from claims.ingest import fill, names
from claims.ingest.checks import require_article
from claims.ingest.sentences import Sentence, article_sentences
from claims.load import normalise_quote
from claims.models import Claim, ClaimKind, EntityKind, Version
from claims.questions import positive_form
from claims.text import ENTITY_PREFIX
from claims.values import NumRange, parse_count, parse_date_span, same_figure
from claims.verdict import VersionView, describe

SOURCE = "source"  # add the article as a source of an existing version
VERSION = "version"  # a new version of an existing claim
CLAIM = "claim"  # a new claim with a first version
ENTITY = "entity"  # a name the workspace does not know
ACTIONS = (SOURCE, VERSION, CLAIM, ENTITY)

ALREADY_CITED = "the base already cites this article for that claim"
NOTHING_CHECKABLE = "nothing to check: no date, number, place or name, and no claim in the base it bears on"
# A headline, a caption or a line leading into a list condenses what the report's sentences state,
# with their sources and precision: it may be a source of what it agrees with, never a claim or a
# version of its own ("US-Led Forces to Leave Iraq by 2026", "Here are the top 10 developments:").
HEADLINE = "a headline or lead-in, not a sentence: it drafts only sources, never a new claim or version"
BY_ATTRIBUTION = ("bears on the claim only through who it is attributed to (\"according to ...\"): what it "
                  "states is about something else")
NO_FIGURE = "bears on a count but gives no figure for it: neither a source nor a new version"
INTERPRETATION = "an interpretation (what something marks, reflects or suggests), not a report: no claim of its own"
ADDED = ("counts something besides what the claim counts (\"also\", \"another\", \"other\"): not another "
         "account of its figure")
# "Four AC coaches have also been derailed", "Another train accident ... left 39 dead": a figure
# said to come on top of what was counted, or of another event, is no other account of the count.
_ADDED = re.compile(r"\b(?:also(?!\s+(?:said|says|told|added|stated|announced|noted|confirmed)\b)|another|other|"
                    r"additional)\b", re.IGNORECASE)  # "He also said that ...": the saying is the added thing
MAX_STATEMENT = 300
# What an analyst reads into events rather than what happened or was said: like an opinion, it
# makes no claim of its own (a sentence matching a claim is still drafted as its source).
_INTERPRETS = re.compile(r"\b(?:marks?|marked|reflects?|reflected|represents?|represented|indicates?|indicated|"
                         r"suggests?|suggested|signals?|signalled|signaled|underscores?|underscored|"
                         r"highlights?|highlighted|symboli[sz]es?|symboli[sz]ed)\b")
# A suggestion this close is judged as the claim meant (see `_closest`).
CLOSEST_SCORE = 50.0
# Another suggestion this close, agreeing with nothing left unsettled, is drafted too (see `_also`).
ALSO_SCORE = 45.0
ALSO_GAPS = 1


@dataclass(frozen=True)
class Draft:
    """One proposed change, waiting for a moderator: what to do, on what, from which sentence, why."""

    action: str
    position: int
    quote: str
    reason: str
    key: str
    claim_id: str | None = None
    version_id: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    said_by: str | None = None
    statement: str | None = None
    kind: str | None = None
    unit: str | None = None
    entity: dict[str, Any] | None = None

    def data(self) -> dict[str, Any]:
        """What the curator needs to make the change (stored with the draft, edited before accepting)."""
        out = {"quote": self.quote, "values": self.values, "said_by": self.said_by}
        if self.action == VERSION:
            out["version_id"] = self.version_id
        if self.action == CLAIM:
            out.update(claim_id=self.claim_id, statement=self.statement, kind=self.kind, unit=self.unit)
        if self.action == ENTITY:
            out = {"entity": self.entity}
        return out


@dataclass(frozen=True)
class Skip:
    """A sentence that drafts nothing, and why."""

    position: int
    sentence: str
    reason: str


@dataclass
class Drafting:
    """What an article drafts, in the order of its sentences, and what it skips."""

    drafts: list[Draft] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    sentences: int = 0
    checked: list[str] = field(default_factory=list)  # the sentences worth drafting from


def draft_article(engine: Engine, article_id: str, text: str, published: date, day_known: bool = False) -> Drafting:
    """The drafts `text` (the article `article_id`, published on `published`) gives against the
    engine's base; `day_known` says whether `published` is the very day (not the first of the
    month or year it is known to): only then is a weekday it names ("on Monday") a date. Raises
    ArticleError when the text is not an article's (see `checks`)."""
    require_article(text)
    out = Drafting()
    run = _Run(engine, article_id, published, _cited(engine, article_id), day_known=day_known)
    new_names: dict[str, names.NewName] = {}
    sentences = article_sentences(text, engine.normaliser)
    out.sentences = len(sentences)
    for n, sentence in enumerate(sentences):
        run.before = [s.text for s in sentences[max(0, n - PRONOUN_REACH):n]]
        if sentence.skipped:
            out.skipped.append(Skip(sentence.position, sentence.text, sentence.skipped))
            continue
        out.checked.append(sentence.text)
        try:
            made, why_not = _sentence_drafts(run, sentence)
        except StatementError as exc:
            out.skipped.append(Skip(sentence.position, sentence.text, str(exc)))
            continue
        if made:
            out.drafts.extend(made)
            for name in names.unknown_names(sentence.text, sentence.position, engine.entities):
                new_names.setdefault(name.name.casefold(), name)
        else:
            out.skipped.append(Skip(sentence.position, sentence.text, "; ".join(dict.fromkeys(why_not))))
    out.drafts.extend(_entity_drafts(engine, article_id, list(new_names.values())))
    out.drafts.sort(key=lambda d: (d.position, ACTIONS.index(d.action)))
    out.drafts = _distinct_ids(_one_per_new_version(out.drafts))
    return out


@dataclass
class _Run:
    """What drafting one article keeps from sentence to sentence."""

    engine: Engine
    article_id: str
    published: date
    cited: dict[str, set[str]]  # the versions, by claim, that already cite the article
    seen: set[str] = field(default_factory=set)  # the keys drafted so far
    before: list[str] = field(default_factory=list)  # the sentences just before the one being drafted
    day_known: bool = False  # whether `published` is the very day the report came out

    def details(self, text: str) -> Details:
        """What `text` says (`extract`, against the publication day), with the weekdays it names
        as dates when the publication day is known."""
        engine = self.engine
        details = extract(engine.normaliser.normalise(positive_form(without_non_figures(text)).text).words, self.kinds,
                          self.published,
                          engine.vocabulary.units)
        if self.day_known:
            details.dates.extend(fill.weekday_dates(text, self.published, details.tense))
        return details

    def __post_init__(self) -> None:
        self.kinds = {eid: str(e.kind) for eid, e in self.engine.entities.entities.items()}


# Numbers that count nothing the sentence reports: a code naming one thing by letters and digits
# run together (a coach "S2", an aircraft "A380" or "F-16", a group "G20"), and "one another".
_NOT_FIGURES = re.compile(r"\b[A-Z]{1,3}-?\d{1,4}[A-Z]?\b|\bone another\b")


def without_non_figures(text: str) -> str:
    """The text without the numbers that count nothing, for reading its figures: "The S2 coach was
    severely damaged" gives no count of 2, "thrown over one another" none of 1."""
    return _NOT_FIGURES.sub("", text)


def _sentence_drafts(run: _Run, sentence: Sentence) -> tuple[list[Draft], list[str]]:
    """A sentence's drafts, and why its claims drafted nothing (when they did not): each claim it
    makes (`Engine.check_parts`), other claims close to it that agree (`_also`), and the facts it
    joins, or states without who said them, that agree with a claim (`joined_facts`)."""
    engine, published = run.engine, run.published
    person = last_person(engine, run.before)
    stated = with_subject(without_dateline(sentence.text), person)
    speaker_text = names.said_by(stated) or (person if _PRONOUN_SAYS.search(stated) else None)
    made: list[Draft] = []
    why_not: list[str] = []

    def keep(found: Draft | str) -> None:
        if isinstance(found, str):
            why_not.append(found)
        elif found.key not in run.seen:
            run.seen.add(found.key)
            made.append(found)

    for part, reply in engine.check_parts(stated, today=published):
        details = run.details(part)
        draft = _draft(engine, run.article_id, sentence.position, sentence.text, part, reply, details, published,
                       speaker_text, run.cited)
        keep(draft)
        for other in _also(engine, run.article_id, sentence, part, reply, published, speaker_text, run.cited, draft):
            keep(other)
    for piece in joined_facts(stated):
        for _, reply in engine.check_parts(piece, today=published):
            # A fact of the sentence is close to other claims too, as the whole sentence may be.
            for other in _also(engine, run.article_id, sentence, piece, reply, published, speaker_text, run.cited, ""):
                if not any(d.claim_id == other.claim_id for d in made):
                    keep(other)
            if reply.claim is not None and any(d.claim_id == reply.claim.id and d.action != VERSION for d in made):
                continue
            details = run.details(piece)
            one = _draft(engine, run.article_id, sentence.position, sentence.text, piece, reply, details,
                         published, speaker_text, run.cited)
            versions = [d for d in made if isinstance(one, Draft) and d.action == VERSION
                        and d.claim_id == one.claim_id]
            if isinstance(one, Draft) and one.action == SOURCE and versions and _denied_only(versions):
                # "While the cause is not known, railway officials suspect a rail fracture": the whole
                # sentence denied the claim only through its other clause; this fact of it agrees.
                made[:] = [d for d in made if d not in versions]
                keep(one)
                continue
            if not isinstance(one, Draft) or any(d.claim_id == one.claim_id for d in made):
                continue
            if one.action == SOURCE:
                keep(one)
                # The sentence's new claim says what this fact says: it is this claim's source.
                made[:] = [d for d in made if not (d.action == CLAIM and says_all_of(piece, d.statement or ""))]
            elif one.action == VERSION:
                # The sentence matched nothing as a whole, but this fact of it is another account
                # of a claim the base has: a new version of that claim, not a new claim.
                new_claims = [d for d in made if d.action == CLAIM and _about(d.statement or "", piece)]
                if new_claims:
                    made[:] = [d for d in made if d not in new_claims]
                    keep(one)
    for fact in described_facts(stated):
        # The new claims the sentence already drafts (from the whole of it) state this too.
        if says_all_of(" ".join(d.statement or "" for d in made if d.action == CLAIM), fact):
            continue
        for part, reply in engine.check_parts(fact, today=published):
            details = run.details(part)
            one = _draft(engine, run.article_id, sentence.position, sentence.text, part, reply, details,
                         published, speaker_text, run.cited)
            # Said in passing, it is a fact of its own only when the base has nothing on it: one
            # that agrees with a claim the sentence itself did not match is too weak a link.
            if isinstance(one, Draft) and one.action == CLAIM:
                keep(one)
    for fact in elided_facts(stated):
        for part, reply in engine.check_parts(fact, today=published):
            one = _draft(engine, run.article_id, sentence.position, sentence.text, part, reply, run.details(part),
                         published, speaker_text, run.cited)
            # A second figure the sentence gives of something the base counts: its source or its
            # new version ("... killed and more than 150 injured": another account of the injured).
            if not isinstance(one, Draft) or one.action not in (SOURCE, VERSION):
                continue
            # The whole sentence may have been read as a new version of this claim with the other
            # figure ("40 engineers were injured and about 900 troops deployed in Syria" read as 40
            # troops): the figure given on its own is the one this claim counts.
            misread = [d for d in made if d.action == VERSION and d.claim_id == one.claim_id]
            if misread:
                made[:] = [d for d in made if d not in misread]
                run.seen.add(one.key)  # the same key as the one it replaces when both are versions
                made.append(one)
            elif not any(d.claim_id == one.claim_id for d in made):
                keep(one)
    for fact in included_facts(stated):
        for part, reply in engine.check_parts(fact, today=published):
            one = _draft(engine, run.article_id, sentence.position, sentence.text, part, reply, run.details(part),
                         published, speaker_text, run.cited)
            # What the sentence says of a named member of the group holds of that member: a source
            # of the claim about it. The group's share ("most of their bases") is no new version
            # of that claim: it was the whole sentence read with the group's scope.
            if not isinstance(one, Draft) or one.action != SOURCE:
                continue
            made[:] = [d for d in made if not (d.action == VERSION and d.claim_id == one.claim_id
                                               and _SCOPE_ONLY.match(d.reason))]
            if not any(d.claim_id == one.claim_id for d in made):
                keep(one)
    made[:] = [_sentence_values(run, _other_figure(run, d, made), stated) for d in made]
    made[:] = [d for d in made if not _restates_drafted(run.engine, d, made)]
    return made, why_not


def _sentence_values(run: _Run, draft: Draft, stated: str) -> Draft:
    """A new claim drafted from one of the facts a sentence joins, with what the sentence gives
    for it outside it: the date given before it when it gives none ("the negotiations in January,
    but they were postponed": postponed then; a date after it is the next fact's), and the places
    its list goes on to ("emerged in Syria | and Iraq, ...": the split cut the list, not the fact)."""
    piece = draft.statement or ""
    if draft.action != CLAIM or not piece or piece.strip(" .") == stated.strip(" ."):
        return draft
    values = dict(draft.values)
    at = stated.find(piece.rstrip(" ."))
    if "date" not in values and at > 0 and not run.details(piece).dates:
        before = stated[:at]
        when = fill.main_date(fill.event_dates(run.details(before), before), run.published, before)
        if when is not None:
            values["date"] = fill.since_date(before, when, run.published) or fill.date_text(when, run.published)
    if values.get("places"):
        more = [p for p in fill.listed_after(stated, piece, run.engine.entities) if p not in values["places"]]
        values["places"] = [*values["places"], *more]
    return replace(draft, values=values) if values != draft.values else draft


def _restates_drafted(engine: Engine, draft: Draft, made: list[Draft]) -> bool:
    """Whether a new claim drafted from a sentence says only what its other drafts record: its
    figure ("Rescue operation is in progress at the site where 14 coaches derailed near Kanpur"
    is a source of the claim that 14 coaches derailed; a sentence's second figure was made the
    new claim's by `_other_figure`), or, when it gives nothing but places, those places ("The
    derailment occurred near Pukhrayan, a village near the city of Kanpur", a source of the claim
    placing it at Pukhrayan). A new claim giving a date, a duration or who acted is kept: what it
    says of them may be another fact ("The coalition played a key role in the defeat of ISIS in
    2017" beside the defeat)."""
    if draft.action != CLAIM:
        return False
    recorded: list[dict[str, Any]] = []
    for other in made:
        if other.action == VERSION:
            recorded.append(other.values)
        elif other.action == SOURCE and other.claim_id in engine.base.claims:
            version = next((v for v in engine.base.claims[other.claim_id].versions if v.id == other.version_id), None)
            if version is not None:
                recorded.append(version.values.model_dump())
    given = {key for key, value in draft.values.items() if value}
    if draft.values.get("count"):
        try:
            mine = parse_count(draft.values["count"])
            return any(r.get("count") and same_figure(mine, parse_count(r["count"])) for r in recorded)
        except ValueError:
            return False
    if given == {"places"}:
        theirs = {p for r in recorded for p in r.get("places") or []}
        return all(any(engine.entities.related(p, t) for t in theirs) for p in draft.values["places"])
    return False


# "U.S. forces are to vacate most of their bases by September, including Ain al-Asad and Baghdad
# International Airport": what is said of a group holds of each named member the list gives.
# Plain English syntax: the group is the last "(most of) their/its/the ...s" before the list.
_INCLUDING = re.compile(r"^(?P<main>.+?),\s+including\s+(?P<items>[A-Z][^;:—–()]*?)\s*[.!?]?$")
_GROUP = re.compile(r"\b(?:(?:most|all|some|many|several|much|part|parts)\s+of\s+)?"
                    r"(?:their|its|the|his|her|our)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*s\b")
_SCOPE_ONLY = re.compile(r"^conflicts with scope \*[^*]*\* of ")


def included_facts(sentence: str) -> list[str]:
    """What a sentence says of a group, stated of each named member it then lists: "U.S. forces
    are to vacate most of their bases by September, including Ain al-Asad and Baghdad
    International Airport" gives "U.S. forces are to vacate Ain al-Asad by September" and "U.S.
    forces are to vacate Baghdad International Airport by September"."""
    m = _INCLUDING.match(sentence.strip())
    if not m:
        return []
    groups = list(_GROUP.finditer(m["main"]))
    if not groups:
        return []
    group = groups[-1]
    items = [i.strip() for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m["items"]) if i.strip()]
    if len(items) < 2 or not all(i[0].isupper() for i in items):
        return []
    main = m["main"]
    return [f"{main[:group.start()]}{item}{main[group.end():]}".strip() for item in items]


def _other_figure(run: _Run, draft: Draft, made: list[Draft]) -> Draft:
    """A new claim of a sentence that is also a source of a claim's figure counts something else:
    "about 2,500 troops are in Iraq and an additional 900 in Syria" is a source of the 2,500, and
    its new claim is the 900; "around 2,500 troops ..., stationed at three bases" counts the bases."""
    if draft.action != CLAIM or "count" not in draft.values:
        return draft
    sourced = []
    for d in made:
        if d.action == SOURCE and d.claim_id in run.engine.base.claims:
            version = next((v for v in run.engine.base.claims[d.claim_id].versions if v.id == d.version_id), None)
            if version is not None and version.values.count:
                sourced.append(parse_count(version.values.count))
    if not any(same_figure(parse_count(draft.values["count"]), f) for f in sourced):
        return draft
    text = draft.statement or draft.quote
    # An order of size ("trapping hundreds of people") is no figure of its own (see `_checkable`).
    others = [(rng, unit) for rng, unit in run.details(text).counts
              if unit != SHARE and not rng.vague and not any(same_figure(rng, f) for f in sourced)
              and not fill.pointing(text, rng)]
    if not others:
        return draft
    rng, unit = others[0]
    values = {**draft.values, "count": fill.count_text(rng)}
    if draft.values.get("places"):
        # Each figure with a place of its own ("2,500 in Iraq and 900 in Syria"): the place of this one.
        figures = [r for r, u in run.details(text).counts if u != SHARE and r != rng]
        others = {p for r in figures for p in _figure_places(run, text, r)}
        mine = [p for p in _figure_places(run, text, rng) if p in draft.values["places"]]
        if mine and others and not others & set(mine):
            values["places"] = mine
    return replace(draft, values=values, unit=unit if draft.unit else None)


def _figure_places(run: _Run, text: str, rng: NumRange) -> list[str]:
    """The places named from a figure of `text` up to its next figure (`fill.figure_passage`)."""
    passage = fill.figure_passage(text, rng)
    return run.details(passage).places if passage else []


# "At least 119 people were killed and more than 150 injured": the second figure shares the first's
# subject and verb ("more than 150 [people were] injured"). Plain English ellipsis.
_FIGURE = r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to)\s+)?\d[\d,]*"
_ELIDED = re.compile(rf"\b{_FIGURE}\s+(?P<noun>[a-z]+)\s+(?P<aux>were|was|have been|has been|had been|are|is)\s+"
                     rf"[a-z]+(?:\s+[a-z]+){{0,4}}?\s+and\s+(?P<count>{_FIGURE})\s+(?P<verb>[a-z]+ed)\b"
                     r"(?P<rest>[^,;—–]*)", re.IGNORECASE)


def elided_facts(sentence: str) -> list[str]:
    """The second of two figures a sentence gives with one subject and verb, as a statement of its
    own: "At least 119 people were killed and more than 150 injured when ..." gives "more than 150
    people were injured when ..."."""
    return [f"{m['count']} {m['noun']} {m['aux']} {m['verb']}{m['rest']}".strip() for m in _ELIDED.finditer(sentence)]


# What a sentence says in passing of someone or something it names, set off by commas: a
# non-restrictive relative clause ("ISIS, which had seized nearly a third of the country,") or an
# appositive ("the Popular Mobilization Units, the umbrella group of Shia militias,"). Plain English
# syntax: the name is a run of capitalised words (or one in quotes) right before the comma.
_NAME_BEFORE = r"((?:[A-Z][\w.'’-]*|al-[\w'’-]+)(?:\s+(?:of|the|al|bin|for|and|[A-Z][\w.'’-]*|al-[\w'’-]+))*)[”\"]?"
_DESCRIBED = re.compile(
    _NAME_BEFORE + r"(?:,[”\"]|,)\s+(?:(which|who)\s+([^,.;—–]{8,})|"
    r"(the|an?)\s+((?:[a-z][\w-]*\s+){1,3}(?:of|for)\s[^,.;—–]{6,})|"
    r"((?:composed|made up|formed|founded)\s[^,.;—–]{6,}))(?=[,.;—–]|$)")


def described_facts(sentence: str) -> list[str]:
    """What a sentence says in passing of what it names, each as a statement of its own: "ISIS,
    which had seized nearly a third of the country," gives "ISIS had seized nearly a third of the
    country"; "the Popular Mobilization Units, the umbrella group of Shia militias," gives "the
    Popular Mobilization Units are the umbrella group of Shia militias"."""
    out = []
    for m in _DESCRIBED.finditer(sentence):
        name = m.group(1).strip()
        if name.split()[0].casefold() in names.NOT_NAMES:
            continue
        if m.group(2):
            out.append(f"{name} {m.group(3).strip()}")
        elif m.group(4):
            verb = "are" if re.search(r"(?:s|Units|Forces)$", name) and not name.endswith("ss") else "is"
            out.append(f"{name} {verb} {m.group(4)} {m.group(5).strip()}")
        else:
            out.append(f"{name} is {m.group(6).strip()}")
    return [fact for fact in out if len(fact.split()) >= MIN_PIECE_WORDS]


# "He also announced ...", "She said ...": a sentence whose subject is a pronoun standing for someone.
_PRONOUN_OPENER = re.compile(r"^(?:He|She)\s+(?=[a-z])")
# "..., he said.", "..., she added": who is quoted is the person named just before.
_PRONOUN_SAYS = re.compile(r",[”\"]?\s+(?:he|she)\s+(?:said|says|added|stated)\s*[.!?]?[”\"]?\s*$")
# How many sentences back an opening "He"/"She" is looked up: a report names someone, may add a
# sentence on what they said, then goes on with "He also ...".
PRONOUN_REACH = 2


def with_subject(stated: str, person: str | None) -> str:
    """The sentence as matched, with an opening "He"/"She" read as the person the sentence before
    named ("He also announced a committee" after "Hussein Alawi stated that ...": Hussein Alawi
    announced it), so that what it says is judged, and attributed, as the report means it. The
    quote is still the sentence as written."""
    if person is None:
        return stated
    return _PRONOUN_OPENER.sub(lambda _: f"{person} ", stated, count=1)


def last_person(engine: Engine, before: list[str]) -> str | None:
    """The person an opening "He"/"She" stands for: the one named by the nearest of the sentences
    before it that names a person (see `person_named`)."""
    for sentence in reversed(before):
        person = person_named(engine, sentence)
        if person:
            return person
    return None


def person_named(engine: Engine, sentence: str | None) -> str | None:
    """The person a sentence is about, as the workspace names them: who it quotes, else the first
    person it names ("Al-Abassi confirmed the agreement ..."); None when it names no person the
    workspace knows."""
    if not sentence:
        return None
    quoted = names.said_by(sentence)
    entities = engine.entities
    if quoted:
        found = entities.resolve(quoted)
        if found is not None and entities.kind(found) is EntityKind.PERSON:
            return quoted
    for word in engine.normaliser.normalise(sentence).words:
        if word.startswith(ENTITY_PREFIX) and entities.kind(word[len(ENTITY_PREFIX):]) is EntityKind.PERSON:
            return entities.entities[word[len(ENTITY_PREFIX):]].names[0]
    return None


def _denied_only(versions: list[Draft]) -> bool:
    """Whether new version drafts were made only because the sentence denies what the claim's
    versions report (their reason names no other date, figure or place: see `_conflict_reason`)."""
    return all("*: the statement denies what this version reports" in d.reason for d in versions)


def _about(statement: str, piece: str) -> bool:
    """Whether a drafted statement and a piece of the sentence share most words (half of the
    shorter one's)."""
    mine, theirs = _word_set(piece), _word_set(statement)
    return bool(mine and theirs) and len(mine & theirs) >= 0.5 * min(len(mine), len(theirs))


def says_all_of(piece: str, statement: str) -> bool:
    """Whether a piece of the sentence says nearly all a drafted statement says (it is that
    statement without who said it, or nearly)."""
    mine, theirs = _word_set(piece), _word_set(statement)
    return bool(theirs) and len(mine & theirs) >= 0.8 * len(theirs)


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", _norm(text)))


def _entity_drafts(engine: Engine, article_id: str, found: list[names.NewName]) -> list[Draft]:
    """A draft for each name the workspace does not know, with an id of its own."""
    taken = set(engine.entities.entities)
    out = []
    for name in found:
        entity_id = _unique(_slug(name.name), taken)
        taken.add(entity_id)
        out.append(Draft(ENTITY, name.position, name.name, f"a {name.kind} the workspace does not know yet",
                         _key(article_id, ENTITY, name.name),
                         entity={"id": entity_id, "kind": name.kind, "names": [name.name]}))
    return out


def _matched_without_attribution(engine: Engine, part: str, claim_id: str, published: date) -> bool:
    """Whether what a sentence states, without who it is attributed to, still bears on the claim:
    "According to the agreement, hundreds would leave in September 2025" matches a claim about
    when the agreement was reached through its attribution alone, and its date is not that one."""
    bare = _ATTRIBUTION.sub("", part).strip(" ,.")
    if bare == part.strip(" ,.") or len(bare.split()) < MIN_PIECE_WORDS:
        return True
    for _, reply in engine.check_parts(bare, today=published):
        if reply.claim is not None and reply.claim.id == claim_id:
            return True
        if any(s.id == claim_id and s.score >= CLOSEST_SCORE for s in reply.suggestions):
            return True
    return False


def _one_per_new_version(drafts: list[Draft]) -> list[Draft]:
    """One draft for each new version: several sentences giving the same account of a claim (the
    same figure, date, place...) would each draft it, and accepting two would make two identical
    versions. The one that gives the most values (often: who said it) is kept, in its place."""
    best: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        if draft.action == VERSION:
            account = (draft.claim_id or "", repr(sorted((k, v) for k, v in draft.values.items() if k != "speaker")))
            kept = best.get(account)
            if kept is None or len(draft.values) > len(kept.values):
                best[account] = draft
    kept = list(best.values())
    # One report gives one account of a figure: "at least 119 killed" in its lead and "119 confirmed
    # dead" further down are the same account, recorded once, as precisely as the report gives it.
    vaguer = {id(a) for a in kept for b in kept
              if a is not b and a.claim_id == b.claim_id and _more_precise(b, a)}
    keep = {id(d) for d in kept if id(d) not in vaguer}
    return [d for d in drafts if d.action != VERSION or id(d) in keep]


def _more_precise(a: Draft, b: Draft) -> bool:
    """Whether version draft `a` gives `b`'s figure more precisely (its range inside `b`'s, and no
    other value that differs)."""
    try:
        mine, theirs = parse_count(a.values["count"]), parse_count(b.values["count"])
    except (KeyError, ValueError):
        return False
    others = {k for k in (*a.values, *b.values) if k not in ("count", "speaker", "places", "actors")}
    if any(a.values.get(k) != b.values.get(k) for k in others):
        return False
    inside = theirs.lo <= mine.lo and mine.hi <= theirs.hi
    return inside and (mine.lo, mine.hi) != (theirs.lo, theirs.hi)


def _distinct_ids(drafts: list[Draft]) -> list[Draft]:
    """The drafts with no two new claims, nor two new versions of one claim, under one id (each
    was made unique among what the base has; accepting both must not then clash)."""
    claims: set[str] = set()
    versions: dict[str, set[str]] = {}
    out = []
    for draft in drafts:
        if draft.action == CLAIM and draft.claim_id:
            draft = replace(draft, claim_id=_unique(draft.claim_id, claims))
            claims.add(draft.claim_id)  # type: ignore[arg-type]
        elif draft.action == VERSION and draft.claim_id and draft.version_id:
            taken = versions.setdefault(draft.claim_id, set())
            draft = replace(draft, version_id=_unique(draft.version_id, taken))
            taken.add(draft.version_id)  # type: ignore[arg-type]
        out.append(draft)
    return out


def _draft(engine: Engine, article_id: str, position: int, sentence: str, part: str, reply: Reply,
           details: Details, published: date, speaker_text: str | None, cited: dict[str, set[str]]) -> Draft | str:
    """The draft one claim of a sentence gives, or why it gives none."""
    if reply.claim is None and _full_sentence(sentence):
        reply = _closest(engine, part, reply, published) or reply
    if reply.claim is None:
        if not _full_sentence(sentence):
            return HEADLINE
        if not _checkable(details):
            return NOTHING_CHECKABLE
        if _INTERPRETS.search(part):
            return INTERPRETATION
        values = fill.values_of(details, engine.entities, published, text=part, said_by=speaker_text)
        when = fill.main_date(details.speech_dates, published, part)
        if "date" not in values and when is not None:
            # The sentence dates only its saying ("Al-Abassi confirmed the agreement on September 8"):
            # the new claim states the saying, so that is its date.
            values["date"] = fill.date_text(when, published)
        return _new_claim(engine, article_id, position, sentence, part, reply, details, values, speaker_text)
    claim = engine.base.claims[reply.claim.id]
    figures = _figures(engine, part, claim, published)
    if claim.kind is ClaimKind.QUANTITY and not figures:
        return NO_FIGURE
    judged = [v for v in reply.versions if v.judged]
    compatible = ([v for v in judged if v.agrees] or [v for v in judged if not _detail_conflicts(v)]
                  or [v for v in judged if _other_speaker_only(v)]
                  or [v for v in judged if _other_figures_only(claim, v, figures)])
    agreeing = [v for v in compatible if _reports_figure(claim, v.id, figures)]
    if agreeing and _counts_what_claim_does_not(claim, details) and _full_sentence(sentence):
        # "at least 70 assaults since October 7" agrees with a claim that attacks resumed then,
        # but its figure is a fact that claim does not hold: a claim of its own.
        values = fill.values_of(details, engine.entities, published, text=part, said_by=speaker_text)
        why = (f"agrees with *{claim.id}* (matched {reply.claim.score:.0f}/100) but counts what it records no "
               "figure of: a claim of its own")
        return _new_claim(engine, article_id, position, sentence, part, reply, details, values, speaker_text, why)
    if agreeing:
        # Of versions it agrees with, the one it states in so many words; then the account of who
        # it quotes, or of no one when it quotes no one; then the one whose wording it shares most
        # ("a little after 3 am": "shortly after 3 am", not "at 3.10 a.m.").
        version = max(agreeing, key=lambda v: (states_values(claim, v.id, details, figures),
                                               *_likeness(engine, claim, v.id, part, speaker_text)))
        if claim.id in cited:
            return ALREADY_CITED  # the moderators already placed this article's account of the claim
        reason = (f"agrees with *{version.text}* ({claim.id}/{version.id}); matched “{clip(reply.claim.wording, 90)}” "
                  f"({reply.claim.score:.0f}/100)")
        return Draft(SOURCE, position, sentence, reason, _key(article_id, SOURCE, sentence, claim.id, version.id),
                     claim_id=claim.id, version_id=version.id, said_by=speaker_text)
    if claim.id in cited:
        return ALREADY_CITED
    if not _full_sentence(sentence):
        return HEADLINE
    if not _matched_without_attribution(engine, part, claim.id, published):
        return BY_ATTRIBUTION
    if claim.kind is ClaimKind.QUANTITY and _ADDED.search(part):
        return ADDED
    closest = min(judged or reply.versions, key=lambda v: len(_detail_conflicts(v)), default=None)
    values = fill.values_of(details, engine.entities, published, claim.unit, text=part, said_by=speaker_text)
    if figures and claim.unit:
        values["count"] = fill.count_text(figures[0])  # the figure of what the claim counts
    values = _kinds_recorded(values, claim, closest)
    values = _without_claims_own_places(engine, values, claim)
    taken = {v.id for v in claim.versions}
    version_id = _unique(_version_slug(values) or f"from-{article_id}"[:60], taken)
    reason = _conflict_reason(claim.versions, closest) if closest else "no version of the claim speaks to it"
    if compatible:
        other = next(v for v in claim.versions if v.id == compatible[0].id)
        reason = (f"gives another figure than *{other.id}* ({other.values.count}): the article says "
                  f"*{', '.join(describe(f) for f in figures)}*")
    return Draft(VERSION, position, sentence, f"{reason} ({claim.id}, matched {reply.claim.score:.0f}/100)",
                 _key(article_id, VERSION, sentence, claim.id), claim_id=claim.id, version_id=version_id,
                 values=values, said_by=speaker_text)


# The value a detail conflict is about (`claims.verdict._details`): a new version records it.
_CONFLICT_VALUES = {"date": "date", "number": "count", "duration": "duration", "place": "places", "scope": "scope",
                    "speaker": "speaker", "who": "actors"}


def _without_claims_own_places(engine: Engine, values: dict[str, Any], claim: Claim) -> dict[str, Any]:
    """A new version's places without those the claim itself is about ("The U.S. withdrawal from
    Iraq has begun": every account of it is in Iraq) when none of its versions records them: a
    version records the places that tell it apart, as the moderators did."""
    if not values.get("places"):
        return values
    recorded = {p for version in claim.versions for p in version.values.places}
    own = set(engine.entities.replace(claim.statement)[1]) - recorded
    places = [p for p in values["places"] if p not in own]
    out = {key: value for key, value in values.items() if key != "places"}
    return {**out, "places": places} if places else out


def _kinds_recorded(values: dict[str, Any], claim: Claim, closest: VersionView | None) -> dict[str, Any]:
    """A new version's values, of the kinds the claim's versions record, and the kind it conflicts
    on: its versions are compared on those. A place, a speaker or a date the sentence adds about
    something else ("in Kanpur", the toll's "on Sunday" where the versions record only counts) is
    left out, as the moderators left it out of every version before. Who gives the account is kept."""
    recorded = {key for version in claim.versions for key, value in version.values.model_dump().items()
                if value not in (None, [], {}) and key in _CONFLICT_VALUES.values()}
    for conflict in closest.conflicts if closest else []:
        kind = conflict.split(":", 1)[0]
        if kind in _CONFLICT_VALUES:
            recorded.add(_CONFLICT_VALUES[kind])
    recorded.add("speaker")  # who gives this account: a version is someone's account
    out = {key: value for key, value in values.items() if key in recorded or key not in _CONFLICT_VALUES.values()}
    places = {p for version in claim.versions for p in version.values.places}
    named = [p for p in out.get("places", []) if p in places]
    if named:
        out["places"] = named  # at the level the versions name places ("Iraq", not also "Mosul" in it)
    return out


def _figures(engine: Engine, text: str, claim: Claim, published: date) -> list[NumRange]:
    """The figures a sentence gives for what the claim counts: its counts of the claim's unit or
    of nothing named (a count of something else, "3 bases" beside a troop count, is not one)."""
    kinds = {eid: str(e.kind) for eid, e in engine.entities.entities.items()}
    words = engine.normaliser.normalise(positive_form(without_non_figures(text)).text).words
    details = extract(words, kinds, published, engine.vocabulary.units)
    return [rng for rng, unit in details.counts
            if unit != SHARE and (unit is None or claim.unit is None or unit == claim.unit)]


def _other_speaker_only(view: VersionView) -> bool:
    """Whether a sentence differs from a version only in who says it: the same account from
    someone else is another source of the version (each source records who said it), not a new
    version ("'Iraq can manage the threat,' said an adviser to the prime minister")."""
    conflicts = _detail_conflicts(view)
    return bool(conflicts) and all(c.startswith("speaker:") for c in conflicts)


def _counts_what_claim_does_not(claim: Claim, details: Details) -> bool:
    """Whether a sentence counts something (a figure of a named unit: attacks, troops, dollars)
    where the claim records no figure at all."""
    recorded = claim.unit or any(v.values.count for v in claim.versions)
    return not recorded and any(unit and unit != SHARE for _, unit in details.counts)


def _other_figures_only(claim: Claim, view: VersionView, figures: list[NumRange]) -> bool:
    """Whether a sentence giving several figures states this version's and conflicts with it only
    on the others: "2,500 troops in Iraq and an additional 900 in Syria" reports the version with
    900 of a claim on Syria; its 2,500 counts another thing."""
    conflicts = _detail_conflicts(view)
    counted = any(v.id == view.id and v.values.count for v in claim.versions)
    return (counted and len(figures) > 1 and bool(conflicts) and all(c.startswith("number:") for c in conflicts)
            and _reports_figure(claim, view.id, figures))


def _likeness(engine: Engine, claim: Claim, version_id: str, part: str, speaker_text: str | None) -> tuple[bool, int]:
    """How alike a sentence and a version it agrees with are: whether the version is the account
    of who the sentence quotes (or of no one in particular when it quotes no one), then how many
    words they share."""
    speaker = engine.entities.resolve(speaker_text) if speaker_text else None
    theirs = next((v.values.speaker for v in claim.versions if v.id == version_id), None)
    return theirs == speaker, _shared_words(part, _version_text(claim, version_id))


def _version_text(claim: Claim, version_id: str) -> str:
    return next((v.text for v in claim.versions if v.id == version_id), "")


def _shared_words(a: str, b: str) -> int:
    return len(_word_set(a) & _word_set(b))


def states_values(claim: Claim, version_id: str, details: Details, figures: list[NumRange]) -> int:
    """How many of the version's date and figure the sentence states as they are, not merely
    compatibly: of two versions a sentence agrees with ("by the end of 2026" agrees with both
    "September 2026" and "end of 2026"), it reports the one it says in so many words."""
    version = next((v for v in claim.versions if v.id == version_id), None)
    if version is None:
        return 0
    said = 0
    if version.values.date:
        theirs = parse_date_span(version.values.date)
        for span in details.dates:
            start, end = span.start, span.end
            if not span.year_known:
                start, end = fill.in_year(start, theirs.start.year), fill.in_year(end, theirs.end.year)
            if (start, end) == (theirs.start, theirs.end):
                said += 1
                break
    if version.values.count and any(same_figure(f, parse_count(version.values.count)) for f in figures):
        said += 1
    return said


def _reports_figure(claim: Claim, version_id: str, figures: list[NumRange]) -> bool:
    """Whether a sentence can be a source of the version as to its figure: a source reports the
    version's figure itself. A sentence giving another figure, even a compatible one ("at least
    97" killed, where the version has 145), is another account: a new version, not a source."""
    version = next((v for v in claim.versions if v.id == version_id), None)
    if version is None or not version.values.count or not figures:
        return True
    theirs = parse_count(version.values.count)
    return any(same_figure(mine, theirs) for mine in figures)


# Conflicts about the details a version commits to (`claims.verdict._details`), as opposed to
# words or roles the sources put otherwise: the first make another version, the others do not.
DETAIL_CONFLICTS = ("date:", "number:", "duration:", "place:", "scope:", "speaker:", "who:",
                    "the statement denies", "this version denies")


def _detail_conflicts(view: VersionView) -> list[str]:
    return [c for c in view.conflicts if c.startswith(DETAIL_CONFLICTS)]


def _also(engine: Engine, article_id: str, sentence: Sentence, part: str, reply: Reply, published: date,
          speaker_text: str | None, cited: dict[str, set[str]], drafted: Draft | str) -> list[Draft]:
    """Other claims a sentence reports: a report packs several facts in one sentence ("about 2,500
    troops are in Iraq, mainly at three bases"). A close suggestion one of whose versions agrees
    with it, judged by the same rules, is drafted as a source too."""
    if not _full_sentence(sentence.text):
        return []
    out = []
    taken = {reply.claim.id} if reply.claim else set()
    if isinstance(drafted, Draft) and drafted.claim_id:
        taken.add(drafted.claim_id)
    for suggestion in reply.suggestions:
        if suggestion.score < ALSO_SCORE or suggestion.id in taken or suggestion.id in cited:
            continue
        judged = engine.judge_against(part, suggestion.id, today=published)
        claim = engine.base.claims[suggestion.id]
        figures = _figures(engine, part, claim, published)
        if claim.kind is ClaimKind.QUANTITY and not figures:
            continue
        agreeing = [v for v in judged.versions if v.judged and v.agrees and len(v.gaps) <= ALSO_GAPS
                    and _reports_figure(claim, v.id, figures)]
        if agreeing and judged.claim is not None:
            version = max(agreeing, key=lambda v: _likeness(engine, claim, v.id, part, speaker_text))
            reason = (f"also agrees with *{version.text}* ({suggestion.id}/{version.id}); close to "
                      f"“{clip(judged.claim.wording, 90)}” ({suggestion.score:.0f}/100)")
            out.append(Draft(SOURCE, sentence.position, sentence.text, reason,
                             _key(article_id, SOURCE, sentence.text, suggestion.id, version.id),
                             claim_id=suggestion.id, version_id=version.id, said_by=speaker_text))
    return out


# Where a report's long sentence joins one fact to the next: ", with ...", "; ", "—", ", while ...",
# ", of which ...", "... and those stationed in ...". Plain English syntax, not any topic's words.
_JOINS = re.compile(r",\s+(?=(?:with|while|and|but|after|before|including|which|(?:of|out of|in) which|as)\b)|"
                    r";\s+|\s*[—–]\s*|"
                    r"\s+but\s+|\s+when\s+|\s+(?:after|before)\s+(?=(?:an?|the)\s+[a-z])|\s+as\s+(?=(?:the|some|several|\d+|[A-Z])\b)|"
                    r"\s+and\s+(?=(?:the|those|its|their|all|some|several|hundreds|thousands|an?|[A-Z])\b)")
# A clause that opens a sentence and sets the scene for its main clause: "Although the U.S.
# withdrew its troops in 2011, it returned in 2014", "Following ISIS's defeat in 2017, ...".
_OPENING_CLAUSE = re.compile(r"^((?:Although|Though|While|Despite|Following|After|Before|Since|When|Once|Until)\b"
                             r"[^,]{8,}),\s+(.+)$")
MIN_PIECE_WORDS = 5
# Two places or times sharing one head: "the defeat of ISIS in Iraq in 2017 and in Syria in 2019"
# states the defeat twice, once per conjunct that repeats the preposition ("... and in Syria ...").
# Plain English ellipsis: the head is what comes before the first such preposition.
_SHARED_HEAD = re.compile(r"^(?P<head>.+?)\s+(?P<first>(?P<prep>in|on|at|from)\s+[^,;]+?)\s+and\s+"
                          r"(?P<second>(?P=prep)\s+(?:[A-Z]|\d|the\s+[A-Z])[^,;]*)$")


# Who said it, as a report attaches it to a fact: ", the coast guard said", "according to X, ",
# "X told reporters that". The fact is also matched without it (who said it is kept as `said_by`).
# What follows "told X that" is the fact, not part of who said it ("..., Zaki Ahmad told IANS that
# 120 people were killed").
_ATTRIBUTION = re.compile(
    r",\s*(?:according to [^,.;]+|[^,.;]{1,80}?\s(?:said|says|told (?:(?!\bthat\b)[^,.;])+|stated|announced|"
    r"confirmed|reported))"
    r"(?=\s*[,.;]|\s*$)|^(?:according to [^,]+,\s*)|^[^,.;]{1,80}?\s(?:said|says|told [^,.;]+?),?\s+(?:that\s+)?[“\"]?",
    re.IGNORECASE)


# What someone is reported to have said, after "X told Reuters that", "officials said that".
_REPORTED_THAT = re.compile(r"\b(?:said|says|told\s+[^,.;]{1,40}?|stated|announced|confirmed|reported|added)\s+"
                            r"that\s+(.+)$", re.IGNORECASE)


def joined_facts(sentence: str) -> list[str]:
    """The facts a long sentence joins, each long enough to be matched on its own, and the
    sentence without who said it (none when it joins nothing and quotes no one): each is also
    judged, and drafted when it agrees with a claim."""
    opening = _OPENING_CLAUSE.match(sentence)
    parts = [opening.group(1), opening.group(2)] if opening else [sentence]
    pieces = [p.strip(" ,.") for part in parts for p in _JOINS.split(part)]
    pieces = [q for p in pieces for q in [p, *shared_head_facts(p)]]
    pieces = [p for p in pieces if len(p.split()) >= MIN_PIECE_WORDS]
    # One piece left is still judged when what was cut off was too short to be a fact ("...,
    # when most passengers were sleeping"): it is the sentence's fact without it.
    pieces = pieces if len(pieces) > 1 or pieces != [sentence.strip(" ,.")] else []
    for text in [sentence, *pieces]:
        reported = _REPORTED_THAT.search(text)
        for bare in (_ATTRIBUTION.sub("", text).strip(" ,.”\""), reported.group(1).strip(" ,.") if reported else ""):
            if bare and bare != text.strip(" ,.") and len(bare.split()) >= MIN_PIECE_WORDS:
                pieces.append(bare)
    return list(dict.fromkeys(pieces))


def shared_head_facts(text: str) -> list[str]:
    """The two facts a phrase states when two places or times share its head: "the territorial
    defeat of ISIS in Iraq in 2017 and in Syria in 2019" gives "the territorial defeat of ISIS in
    Iraq in 2017" and "the territorial defeat of ISIS in Syria in 2019" (none when it has no such
    pair)."""
    m = _SHARED_HEAD.match(text)
    if not m or len(m["head"].split()) < 2:
        return []
    return [f"{m['head']} {m['first']}", f"{m['head']} {m['second']}"]


# A report's dateline: where (and when, and by which agency) it was filed, before its first
# sentence: "Baghdad, Iraq – ", "LUCKNOW: ", "Kanpur, Nov 20 (IANS) ", "WASHINGTON (Reuters) - ".
_DATELINE = re.compile(
    r"^[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,3}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
    r"(?:\([A-Za-z]{2,12}\)\s*(?:[:–—-]\s+)?|(?::|\s[–—-])\s+)")


def without_dateline(sentence: str) -> str:
    """The sentence without the dateline that opens a report: it says where the report was filed,
    not where what it reports happened, and it is no part of the claim (the quote keeps it)."""
    bare = _DATELINE.sub("", sentence, count=1)
    return bare if len(bare.split()) >= 3 else sentence


def _full_sentence(sentence: str) -> bool:
    """Whether the sentence ends as a sentence does (a heading or a caption does not)."""
    return sentence.rstrip(" ”\"'’)").endswith((".", "!", "?"))


def _closest(engine: Engine, part: str, reply: Reply, published: date) -> Reply | None:
    """A sentence no claim matches closely enough for a user's question may still be a report of
    the closest claim: judged against it by the same rules, it is one when that claim's
    sources agree with it (a version it does not conflict with), or when the claim is a count and
    the sentence gives another figure of it, differing from each version on that figure only."""
    if not reply.suggestions or reply.suggestions[0].score < CLOSEST_SCORE:
        return None
    judged = engine.judge_against(part, reply.suggestions[0].id, today=published)
    if any(v.judged and v.agrees for v in judged.versions):
        return judged
    claim = engine.base.claims[reply.suggestions[0].id]
    if claim.kind is ClaimKind.QUANTITY and _figures(engine, part, claim, published) and all(
            _detail_conflicts(v) and all(c.startswith("number:") for c in _detail_conflicts(v))
            for v in judged.versions if v.judged):
        # A running tally differs from report to report: a sentence close to a count whose only
        # quarrel with each version is the figure is another account of it ("110 of the bodies
        # have been identified" beside 123 and 60).
        return judged
    return None


def _new_claim(engine: Engine, article_id: str, position: int, sentence: str, part: str, reply: Reply,
               details: Details, values: dict[str, Any], speaker_text: str | None, why: str | None = None) -> Draft:
    counted = fill.best_count(details, text=part)
    unit = counted[1] if counted else None
    if unit and unit != "share":
        kind = ClaimKind.QUANTITY
    elif details.tense == "plan" and "date" in values:
        kind = ClaimKind.PLAN
    elif details.tense == "done" or details.dates:
        kind = ClaimKind.EVENT
    else:
        kind = ClaimKind.FACT
    statement = clip(part, MAX_STATEMENT)
    claim_id = _unique(_slug(statement), set(engine.base.claims))
    closest = reply.suggestions[0] if reply.suggestions else None
    reason = "no claim in the base bears on it"
    if why:
        reason = why
    elif closest is not None:
        reason += f" (closest: {closest.id}, {closest.score:.0f}/100)"
    return Draft(CLAIM, position, sentence, reason, _key(article_id, CLAIM, sentence, _norm(part)),
                 claim_id=claim_id, version_id="reported", values=values, said_by=speaker_text,
                 statement=statement, kind=str(kind), unit=unit if kind is ClaimKind.QUANTITY else None)


def _checkable(details: Details) -> bool:
    """Whether a sentence gives anything a reader could check: a date, a number, a place or a name.
    An order of size alone ("hundreds of people", "scores of passengers") is not a number: it
    colours a report, and no source could be found to confirm or deny it."""
    figures = [rng for rng, _ in details.counts if not rng.vague]
    return bool(details.dates or figures or details.durations or details.places or details.entities)


def _conflict_reason(versions: list[Version], closest: VersionView) -> str:
    """'conflicts with *September 2026*: the article says *end of 2026*', from the closest version."""
    version = next((v for v in versions if v.id == closest.id), None)
    said = []
    for conflict in closest.conflicts:
        m = re.match(r"(\w+): (.+) vs (.+)$", conflict)
        if m and m.group(1) in ("date", "number", "duration", "place", "scope", "speaker", "who"):
            said.append((m.group(1), m.group(3), m.group(2)))
    if said:
        theirs = ", ".join(f"{what} *{their}*" for what, their, _ in said)
        ours = ", ".join(f"*{mine}*" for _, _, mine in said)
        return f"conflicts with {theirs} of *{version.id if version else closest.id}*: the article says {ours}"
    what = "; ".join(closest.conflicts) or "its details"
    return f"conflicts with *{closest.id}*: {what}"


def _cited(engine: Engine, article_id: str) -> dict[str, set[str]]:
    """The versions, by claim, that already cite the article (a re-added article drafts them again not)."""
    out: dict[str, set[str]] = {}
    for claim in engine.base.claims.values():
        for version in claim.versions:
            if any(s.article == article_id for s in version.sources):
                out.setdefault(claim.id, set()).add(version.id)
    return out


def _version_slug(values: dict[str, Any]) -> str:
    parts = [str(values.get(k)) for k in ("date", "count", "duration") if values.get(k)]
    return _slug(" ".join(parts))


def _slug(text: str, words: int = 7) -> str:
    found = re.findall(r"[a-z0-9]+", text.casefold().replace("’", "").replace("'", ""))
    meaningful = [w for w in found if w not in {"the", "a", "an", "of", "to", "and", "in", "on", "by", "that",
                                                 "with", "for", "is", "was", "will", "be", "has", "have", "its"}]
    slug = "-".join((meaningful or found)[:words])[:60].strip("-")
    return slug if len(slug) >= 2 else ""


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug or "drafted"
    if len(slug) < 2:
        slug = f"{slug}-x"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _norm(text: str) -> str:
    return normalise_quote(text).casefold()


def _key(article_id: str, action: str, *parts: str | None) -> str:
    """The same for the same draft from the same article, whenever it is drafted."""
    text = "\x1f".join([article_id, action, *(_norm(p) if p else "" for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"

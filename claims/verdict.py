"""Decide a verdict: compare a statement with every version of the matched claim.

For each version, what the statement says is sorted into three kinds (see `claims.standing`):

- conflicts: a detail the version gives otherwise (date, number, duration, place, who, speaker,
  scope, polarity), a predicate it states the opposite of, an alternative in the place of what
  it names, a participant in another role (attacker and victim swapped, a move read backwards);
- gaps: a part it does not settle: a detail it does not give, a word it does not speak to, a
  figure it does not pin down ("at least 70" for "more than 140"), something it says only as
  planned or possible while the statement says it happened or will;
- the rest it accounts for.

`claims.standing.decide` then turns the versions into the verdict, weighted by the credibility
of their distinct outlets (an outlet counts once per claim: one that reports two versions splits
its weight between them). A plan whose date is past is never reported as done: only a source
saying it happened could. A statement that names who said something is judged against the
versions that quote them; the others are about someone else's words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from claims.accounting import Accounting, Part, account
from claims.evidence import Evidence
from claims.extract import SHARE, Details
from claims.lexicon import Lexicon
from claims.load import Base
from claims.models import Claim, ClaimKind, EntityKind, Version
from claims.roles import CURATED, Role
from claims.standing import Account, date_words, decide, plan_note
from claims.text import EntityIndex
from claims.values import DateSpan, NumRange, compare_quantity, parse_count, parse_date_span, parse_duration


@dataclass(frozen=True)
class SourceView:
    """One source of a version as the reply shows it."""

    article: str
    outlet: str
    outlet_name: str
    credibility: int
    reasons: list[str]
    quote: str
    said_by: str | None
    url: str | None
    published: str
    published_estimate: bool
    unreliable: bool


@dataclass
class VersionView:
    """A version as the reply shows it: does the statement agree, how much weight stands behind it."""

    id: str
    text: str
    agrees: bool
    weight: float
    outlets: list[str]
    sources: list[SourceView]
    conflicts: list[str] = field(default_factory=list)
    settles: bool = True  # False when only flagged-unreliable outlets back it
    gaps: list[str] = field(default_factory=list)  # parts of the statement it does not settle
    judged: bool = True  # False when the statement is about someone else's words (see `decide_verdict`)


@dataclass
class Decision:
    verdict: str
    explanation: str
    versions: list[VersionView]
    notes: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """A statement as the verdict reads it."""

    words: list[str]
    details: Details
    parts: list[Part]
    roles: set[Role]
    hedged: bool = False  # it says only that something may (or would) be so
    says_not: bool = False  # its own words deny something ("not yet signed"), whatever the claim's wording


def statement_mode(reading: Reading) -> str:
    """What the statement asserts: "hedged", "done", "plan" or "state"."""
    if reading.hedged:
        return "hedged"
    return reading.details.tense or "state"


def conflicts_with(details: Details, claim: Claim, version: Version, entities: EntityIndex,
                   claim_entities: set[str], base: Base, evidence: Evidence | None = None) -> list[str]:
    """The details of the statement that disagree with this version (empty: none do)."""
    return _details(details, claim, version, entities, claim_entities, evidence, base)[0]


def _details(details: Details, claim: Claim, version: Version, entities: EntityIndex, claim_entities: set[str],
             evidence: Evidence | None, base: Base) -> tuple[list[str], list[str]]:
    """(conflicts, gaps) of the statement's details against this version's values."""
    values = version.values
    out: list[str] = []
    gaps: list[str] = []
    speech_dated = claim.kind is ClaimKind.ATTRIBUTION and values.date
    event_dates = details.dates
    speech_dates = details.speech_dates
    if speech_dated and not details.speech_dates:
        speech_dates, event_dates = details.dates, []  # one date, and the claim is about a saying
    if values.date and (speech_dates if speech_dated else event_dates):
        span = parse_date_span(values.date)
        mine = speech_dates if speech_dated else event_dates
        if not any(d.overlaps(span) for d in mine):
            out.append(f"date: {', '.join(d.label for d in mine)} vs {values.date}")
    if event_dates and (speech_dated or not values.date):
        # No curated date for what the statement dates: the sources' own words may give one.
        said = evidence.details.dates if evidence else []
        if not any(d.overlaps(s) for d in event_dates for s in said):
            gaps.append("when it happened")
    if speech_dates and not speech_dated and evidence is not None:
        # When the saying is what the claim reports ("declared victory in December 2017"), its
        # date is the claim's; otherwise it must be when the sources reported it.
        own = parse_date_span(values.date) if values.date else None
        if not any(_said_then(d, evidence.published) or (own and d.overlaps(own)) for d in speech_dates):
            gaps.append(f"that it was said in {', '.join(d.label for d in speech_dates)}")
    _quantities(details, claim, version, evidence, out, gaps)
    actors = set(values.actors)
    if values.places:
        named = [e for e in details.places if e not in actors]
        if named and not any(entities.related(e, p) for e in named for p in values.places):
            out.append(f"place: {', '.join(named)} vs {', '.join(values.places)}")
    if actors:
        # A substitution: the statement names someone the claim never mentions, in the role of
        # an actor of the same kind that it leaves out ("Iran bombed..." where Turkey did).
        named = [e for e in details.entities if e not in details.places]
        for stranger in (e for e in named if e not in claim_entities):
            replaced = [a for a in actors if entities.kind(a) == entities.kind(stranger)
                        and not any(entities.related(a, e) for e in named)]
            if replaced:
                out.append(f"who: {stranger} vs {', '.join(replaced)}")
                break
    if values.scope and details.scope and values.scope != details.scope:
        out.append(f"scope: {details.scope} vs {values.scope}")
    if details.negated == values.holds:
        out.append("the statement denies what this version reports" if details.negated
                   else "this version denies it")
    return out, gaps


def _said_then(span: DateSpan, published: list[date]) -> bool:
    """Whether a speech dated `span` can be the one reported in articles published then: on or
    within a month before a publication date."""
    return any(span.start <= day and day - timedelta(days=31) <= span.end for day in published)


def _quantities(details: Details, claim: Claim, version: Version, evidence: Evidence | None,
                out: list[str], gaps: list[str]) -> None:
    values = version.values

    def said() -> list[tuple[NumRange, str | None]]:
        return [*evidence.details.counts, *evidence.wording_details.counts] if evidence else []

    for stated, unit in details.counts:
        if unit == SHARE:
            theirs = [r for r, u in said() if u == SHARE]
        elif unit is None or unit == claim.unit or claim.unit is None:
            if values.count:
                theirs = [parse_count(values.count)]
            else:
                theirs = [r for r, u in said() if u != SHARE and (u == unit or unit is None or u is None)]
        else:
            continue  # a count of something else ("3 bases" against a troop count)
        _compare_quantity(stated, theirs, out, gaps, values.count or ", ".join(r.label for r in theirs))
    for duration in details.durations:
        if values.duration:
            theirs = [parse_duration(values.duration).range()]
        else:
            theirs = [d.range() for d in (evidence.details.durations + evidence.wording_details.durations
                                          if evidence else [])]
        label = values.duration or ", ".join(r.label for r in theirs)
        stated = duration.range()
        if not theirs:
            gaps.append(f"how long ({stated.label})")
            continue
        found = {compare_quantity(stated, r) for r in theirs}
        if "agree" not in found:
            said = f"{duration.amount:g} {duration.unit}s"
            if found == {"conflict"}:
                out.append(f"duration: {said} vs {label}")
            else:
                gaps.append(f"a length as precise as {said} (they give {label})")


def _compare_quantity(stated: NumRange, theirs: list[NumRange], out: list[str], gaps: list[str], label: str) -> None:
    if not theirs:
        gaps.append(f"the figure ({describe(stated)})")
        return
    found = {compare_quantity(stated, r) for r in theirs}
    if "agree" in found:
        return
    if found == {"conflict"}:
        out.append(f"number: {stated.label} vs {label}")
    else:
        given = " or ".join(describe(r) for r in theirs)
        gaps.append(f"the figure: they give {given}, which does not settle {describe(stated)}")


def describe(rng: NumRange) -> str:
    """A figure in words: 'more than 140', 'at least 70', 'about 2,500', 'several hundred'."""
    if 0 < rng.hi <= 1 and rng.label and not rng.label[:1].isdigit():
        return rng.label  # a share, as written ("nearly a third")
    if rng.vague:
        return f"{rng.lo:,.0f} to {rng.hi:,.0f}" if rng.label[:1].isdigit() else rng.label
    if rng.hi == float("inf"):
        return f"{'more than' if rng.lo != round(rng.lo) else 'at least'} {round(rng.lo):,}"
    if rng.lo == 0 and rng.nominal is None:
        return f"{'fewer than' if rng.hi != round(rng.hi) else 'at most'} {round(rng.hi):,}"
    if rng.nominal is not None and rng.lo < rng.hi:
        return f"about {rng.nominal:,g}"
    return f"{rng.lo:,g}"


def role_conflicts(mine: set[Role], theirs: set[Role], entities: EntityIndex,
                   mentioned: frozenset[str] = frozenset()) -> list[str]:
    """Roles the statement gives that the sources give to someone else, or the other way round;
    `mentioned`: the entities the claim's texts name."""

    def same(a: str, b: str) -> bool:
        return entities.related(a, b) or bool(entities.affiliations(a) & entities.affiliations(b)
                                              and _person_for_country(a, b, entities))

    out: list[str] = []
    for role in sorted(mine, key=lambda r: (r.key, r.role, r.entity)):
        # Roles a curator recorded stand for those of whatever the version reports.
        peers = [r for r in theirs if r.key == role.key or (
            r.key == CURATED and role.key != "say" and role.role != "owner")]
        if not peers or any(r.role == role.role and same(r.entity, role.entity) for r in peers):
            continue
        if role.role in ("source", "destination"):
            other = "destination" if role.role == "source" else "source"
            if any(r.role == other and same(r.entity, role.entity) for r in peers):
                out.append(f"direction: the sources have {role.entity} as the {other}, not the {role.role}")
            elif role.role == "destination":
                # "relocate to Baghdad Airport" where the sources say "relocate to Erbil"
                places = [r.entity for r in peers if r.role == "destination"
                          and entities.kind(r.entity) == entities.kind(role.entity)]
                if places and not any(same(p, role.entity) or entities.related(p, role.entity) for p in places):
                    out.append(f"destination: {role.entity} vs {', '.join(sorted(set(places)))}")
            continue
        if role.role in ("agent", "patient"):
            # A swap: the statement names both sides and the sources have them the other way
            # round ("killed by a US strike" against "al-Saidi carried out a strike on US forces"),
            # or have the doer it names as the one done to ("Saddam overthrew the US").
            other = "patient" if role.role == "agent" else "agent"
            counterparts = [r.entity for r in mine if r.key == role.key and r.role == other]
            reversed_here = any(r.role == other and same(r.entity, role.entity) for r in peers)
            if reversed_here and counterparts and (role.role == "agent" or any(
                    r.role == role.role and same(r.entity, c) for r in peers for c in counterparts)):
                out.append(f"roles: the sources have {role.entity} as the {other} of '{role.key}', not the {role.role}")
                continue
        # An exchange: "the Trump administration carried out Biden's deal" against "Biden carried
        # out Trump's deal": each named in the role the sources give the other.
        related = entities.related
        exchanged = [r for r in peers if r.role == role.role and not related(r.entity, role.entity)
                     and any(m.key != role.key and related(m.entity, r.entity) and any(
                         t.key == m.key and t.role == m.role and related(t.entity, role.entity) for t in theirs)
                             for m in mine)]
        if exchanged:
            out.append(f"roles: the sources have {exchanged[0].entity}, not {role.entity}, as the {role.role} "
                       f"of '{role.key}'")
            continue
        # Another doer in the sources: a conflict when the statement's entity plays some other
        # part there ("Iraq proposed" where Austin proposed and Iraq rejected); an entity the
        # sources give no part at all may be one they only leave unnamed.
        elsewhere = any(same(t.entity, role.entity) for t in theirs if t.key != role.key)
        if role.role == "owner":
            continue  # owners conflict only when exchanged (above)
        rivals = [r.entity for r in peers if r.role == role.role and _comparable(r.entity, role.entity, entities)]
        # A target the sources name otherwise ("missiles targeting Iran" where they target Israel)
        target = role.role == "patient" and role.key == "attack" and role.entity in mentioned
        if rivals and ((role.role == "agent" and elsewhere) or target or role.role == "recipient"):
            out.append(f"who: {role.entity} vs {', '.join(sorted(set(rivals)))} ({role.role} of '{role.key}')")
    return out


def _person_for_country(a: str, b: str, entities: EntityIndex) -> bool:
    """A person acting for a country is that country's act ("Austin proposed" is "the US proposed")."""
    kinds = {entities.kind(a), entities.kind(b)}
    return EntityKind.COUNTRY in kinds and bool(kinds - {EntityKind.COUNTRY})


def _comparable(a: str, b: str, entities: EntityIndex) -> bool:
    """Whether two entities are alternatives for one doer: two people, or a country and a person
    or country acting for another country ("Iraq proposed" where the US Defense Secretary did).
    Groups are left out: they are backed by countries more than they act for them, and their
    names overlap and nest too loosely to tell apart."""
    if entities.related(a, b):
        return False
    kinds = {entities.kind(a), entities.kind(b)}
    if kinds == {EntityKind.PERSON}:
        return True
    if EntityKind.GROUP in kinds or None in kinds:
        return False
    countries = {e for e in entities.affiliations(a) if entities.kind(e) is EntityKind.COUNTRY}
    theirs = {e for e in entities.affiliations(b) if entities.kind(e) is EntityKind.COUNTRY}
    return bool(countries and theirs) and countries.isdisjoint(theirs)


def claim_entity_ids(claim: Claim, normalise_entities, quote_entities=None) -> set[str]:
    """Every entity a claim mentions anywhere: its wordings, versions, their quotes, who said
    them, and its values. `quote_entities` reads a quote's entities (default: as the wordings);
    the engine reads them from their plain words, which costs no normalising."""
    ids: set[str] = set()
    for text in (*claim.texts(), *(v.text for v in claim.versions)):
        ids.update(normalise_entities(text))
    read_quote = quote_entities or normalise_entities
    for version in claim.versions:
        for source in version.sources:
            ids.update(read_quote(source.quote))
            if source.said_by:
                ids.update(normalise_entities(source.said_by))
        ids.update(version.values.places)
        ids.update(version.values.actors)
        if version.values.speaker:
            ids.add(version.values.speaker)
    return ids


def weigh(claim: Claim, base: Base) -> dict[str, tuple[float, list[str]]]:
    """Each version's weight: its outlets' credibility, an outlet counted once across the claim."""
    outlet_versions: dict[str, set[str]] = defaultdict(set)
    for version in claim.versions:
        for source in version.sources:
            outlet_versions[base.articles[source.article].outlet].add(version.id)
    out: dict[str, tuple[float, list[str]]] = {}
    for version in claim.versions:
        outlets = sorted({base.articles[s.article].outlet for s in version.sources})
        weight = sum(base.outlets[o].credibility / 100 / len(outlet_versions[o]) for o in outlets)
        out[version.id] = (round(weight, 2), outlets)
    return out


def source_views(version: Version, base: Base) -> list[SourceView]:
    """The version's sources with their outlets' credibility, most credible first."""
    views = []
    for source in version.sources:
        article = base.articles[source.article]
        outlet = base.outlets[article.outlet]
        views.append(SourceView(
            article=article.id, outlet=outlet.id, outlet_name=outlet.name, credibility=outlet.credibility,
            reasons=outlet.reasons(), quote=source.quote, said_by=source.said_by, url=article.url,
            published=article.published, published_estimate=article.published_estimate,
            unreliable=outlet.unreliable,
        ))
    return sorted(views, key=lambda s: (-s.credibility, s.article))


def due_note(claim: Claim, versions: list[VersionView], today: date) -> str | None:
    """For a plan: whether the dates the agreeing versions give have passed."""
    agreeing = [v for v in claim.versions if any(vv.id == v.id and vv.agrees for vv in versions)]
    return plan_note(claim, agreeing or claim.versions, today)


def _outlets_phrase(view: VersionView) -> str:
    n = len(view.outlets)
    return f"{n} outlet{'s' if n != 1 else ''} (weight {view.weight:.2f})"


def _accounting_findings(found: Accounting, reading: Reading) -> tuple[list[str], list[str]]:
    """(conflicts, gaps) from how a version accounts for the statement's words."""
    conflicts: list[str] = []
    gaps: list[str] = []
    if not reading.says_not:
        conflicts += [f"opposite: {mine} vs {theirs}" for mine, theirs in found.opposite]
    conflicts += [f"not the same: {mine} vs {theirs}" for mine, theirs in found.contrast]
    conflicts += [f"the sources say it is not so: {word}" for word in found.denied]
    if found.missing:
        gaps.append("“" + "”, “".join(found.missing) + "”")
    for word, mode in found.unfirm:
        gaps.append(f"that it {'happened' if mode == 'plan' else 'is so'}: the sources only say "
                    f"“{word}” {'as planned' if mode == 'plan' else 'as possible'}")
    return conflicts, gaps


def judge_version(claim: Claim, version: Version, reading: Reading, evidence: Evidence, base: Base,
                  entities: EntityIndex, claim_entities: set[str], lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """(conflicts, gaps) of the statement against one version."""
    details = reading.details
    conflicts, gaps = _details(details, claim, version, entities, claim_entities, evidence, base)
    found = account(reading.parts, reading.words, reading.says_not, evidence, lexicon, statement_mode(reading))
    word_conflicts, word_gaps = _accounting_findings(found, reading)
    if reading.says_not and found.opposite:
        # "ISIS is not gone" against "the remaining ISIS threat": denying the opposite affirms it.
        conflicts = [c for c in conflicts if c != "the statement denies what this version reports"]
    role_found = role_conflicts(reading.roles, evidence.roles, entities, frozenset(claim_entities))
    # A statement most of whose words this version does not speak to is not about what it
    # reports: a date or a number it gives for something else cannot contradict it.
    about = len(found.missing) <= 1 and (not reading.parts or len(found.missing) * 3 <= len(reading.parts))
    if not about:
        gaps += [f"{c} (said of something else)" for c in conflicts]
        conflicts = []
    conflicts += word_conflicts + role_found
    gaps += word_gaps
    # Who acts or is acted on must be someone the claim speaks of ("by the Iraqi army");
    # an entity only qualifying a noun ("the US-Iraq withdrawal deal") may be the claim's setting.
    actors = [r.entity for r in reading.roles if r.role != "owner"] + details.speakers
    unknown = [e for e in dict.fromkeys(actors) if not _accounts_for_entity(e, claim_entities, details, entities)]
    if unknown:
        gaps.append("who or what: " + ", ".join(unknown))
    if claim.kind is ClaimKind.PLAN and details.tense == "done":
        gaps.append("that it happened: the sources report a plan")
    return conflicts, gaps


def _accounts_for_entity(entity: str, claim_entities: set[str], details: Details, entities: EntityIndex) -> bool:
    """Whether the claim speaks of an entity the statement names: the entity itself, something it
    includes (a statement about Iraq is one about Baghdad too), or, for a place, somewhere it lies
    in. "The Iraqi army" is not accounted for by "Iraq": an army is not its country."""
    if entity in claim_entities:
        return True
    if any(entity in entities.ancestors.get(other, ()) for other in claim_entities):
        return True
    return entity in details.places and any(entities.related(entity, other) for other in claim_entities)


def _speakers_of(version: Version, evidence: Evidence) -> set[str]:
    """Whom a version quotes or names as the one speaking or acting."""
    return set(evidence.speakers) | set(version.values.actors)


def superseded(claim: Claim, details: Details) -> set[str]:
    """The versions of a running tally (a death toll counted "as of" a day) that a later count
    replaces: each version counted as of a day before the newest count. A later toll does not
    contradict an earlier one, it updates it, so only the newest counts are weighed, unless the
    statement itself places what it says before the newest count ("on the first day, ...")."""
    counted = {v.id: parse_date_span(v.values.as_of) for v in claim.versions if v.values.as_of}
    if len(counted) < 2:
        return set()
    newest = max(span.start for span in counted.values())
    if any(span.end < newest for span in [*details.dates, *details.speech_dates]):
        return set()
    return {vid for vid, span in counted.items() if span.end < newest}


def decide_verdict(claim: Claim, reading: Reading, evidences: dict[str, Evidence], base: Base, entities: EntityIndex,
                   claim_entities: set[str], lexicon: Lexicon, today: date) -> Decision:
    """The verdict for a statement already matched to `claim`."""
    details = reading.details
    weights = weigh(claim, base)
    views: list[VersionView] = []
    speakers = details.speakers
    quoting = {v.id for v in claim.versions
               if any(entities.related(s, t) or s in entities.affiliations(t) for s in speakers
                      for t in _speakers_of(v, evidences[v.id]))} if speakers else set()
    replaced = superseded(claim, details)
    for version in claim.versions:
        evidence = evidences[version.id]
        conflicts, gaps = judge_version(claim, version, reading, evidence, base, entities, claim_entities, lexicon)
        judged = version.id not in replaced  # an earlier count of a tally: shown, not weighed
        if speakers and not quoting:
            theirs = sorted(_speakers_of(version, evidence))
            if theirs:
                conflicts.insert(0, f"speaker: {', '.join(speakers)} vs {', '.join(theirs)}")
            else:
                gaps.append(f"who said it ({', '.join(speakers)})")
        elif speakers and version.id not in quoting:
            judged = False  # it reports someone else's account: no bearing on what the speaker said
        weight, outlets = weights[version.id]
        sources = source_views(version, base)
        views.append(VersionView(
            id=version.id, text=version.text, agrees=not conflicts and judged, weight=weight,
            outlets=[base.outlets[o].name for o in outlets], sources=sources, conflicts=conflicts,
            settles=any(not s.unreliable for s in sources), gaps=gaps, judged=judged,
        ))
    views.sort(key=lambda v: (not v.judged, not v.agrees, bool(v.gaps), -v.weight))
    standing = decide(Account(v.id, v.agrees, v.settles, tuple(v.gaps)) for v in views if v.judged)
    return _explain(claim, standing.verdict, standing.rule, views, today)


def _explain(claim: Claim, verdict: str, rule: str, views: list[VersionView], today: date) -> Decision:
    judged = [v for v in views if v.judged]
    agreeing = [v for v in judged if v.agrees and not v.gaps]
    others = [v for v in judged if not v.agrees and v.settles]
    notes: list[str] = []
    plan = due_note(claim, views, today)
    if verdict == "contradicted":
        said = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in judged)
        why = judged[0].conflicts[0] if judged and judged[0].conflicts else ""
        return Decision("contradicted", f"Contradicted ({why}). The sources report: {said}", views)
    if rule == "unreliable":
        flagged = ", ".join(sorted({s.outlet_name for v in judged if v.agrees for s in v.sources}))
        return Decision("unverified",
                        f"Unverified: only outlets the curators flag as unreliable report this ({flagged}).", views)
    if verdict == "unverified":
        partial = [v for v in judged if v.agrees and v.gaps]
        gaps = list(dict.fromkeys(g for v in partial for g in v.gaps))
        if any(g.startswith("that it happened: the sources report a plan") for g in gaps):
            note = plan or "The sources report a plan, not an event."
            return Decision("unverified",
                            f"Unverified: this states as done what the sources report only as a plan. {note}", views)
        text = "Unverified: the sources do not settle " + "; ".join(gaps[:4]) + "."
        if others:
            text += " Other accounts: " + "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in others)
        return Decision("unverified", text, views)
    if plan:
        notes.append(plan)
    if verdict == "supported":
        lead = agreeing[0]
        text = f"Supported: {_outlets_phrase(lead)} report it — {lead.text}"
        if len(agreeing) > 1:
            text = f"Supported: every version the sources give agrees ({len(agreeing)} versions)."
        return Decision("supported", " ".join([text, *notes]), views, notes)
    agree_txt = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in agreeing)
    other_txt = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in others)
    return Decision("disputed", " ".join([f"Disputed: {agree_txt} But {other_txt}", *notes]), views, notes)


__all__ = ["Decision", "Reading", "SourceView", "VersionView", "claim_entity_ids", "conflicts_with", "date_words",
           "decide_verdict", "due_note", "source_views", "superseded", "weigh"]

"""Decide a verdict: compare a statement's details with every version of the matched claim.

- supported:    the statement agrees with what the sources report, and no source reports otherwise
- disputed:     the sources give conflicting versions and the statement agrees with some of them
- contradicted: the statement agrees with no version
- unverified:   the base covers it but no source settles it: a plan stated as accomplished, or
                only outlets the curators flag as unreliable back it

Versions are weighted by the credibility of their distinct outlets. An outlet counts once per
claim: one that reports two versions (its own and one it relays) splits its weight between them.
A plan whose date is past is never reported as done: only a source saying it happened could.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from claims.extract import Details
from claims.load import Base
from claims.models import Claim, ClaimKind, Version
from claims.text import EntityIndex
from claims.values import parse_count, parse_date_span, parse_duration


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


@dataclass
class Decision:
    verdict: str
    explanation: str
    versions: list[VersionView]
    notes: list[str] = field(default_factory=list)


def conflicts_with(details: Details, claim: Claim, version: Version, entities: EntityIndex,
                   claim_entities: set[str], base: Base) -> list[str]:
    """What in the statement disagrees with this version (empty: it agrees)."""
    values = version.values
    out: list[str] = []
    if values.date and details.dates:
        span = parse_date_span(values.date)
        if not any(d.overlaps(span) for d in details.dates):
            out.append(f"date: {', '.join(d.label for d in details.dates)} vs {values.date}")
    if values.count:
        counts = [rng for rng, unit in details.counts if unit is None or unit == claim.unit]
        if counts and not any(rng.overlaps(parse_count(values.count)) for rng in counts):
            out.append(f"number: {', '.join(r.label for r in counts)} vs {values.count}")
    if values.duration and details.durations:
        theirs = parse_duration(values.duration)
        if not any(d.agrees(theirs) for d in details.durations):
            said = ", ".join(f"{d.amount:g} {d.unit}s" for d in details.durations)
            out.append(f"duration: {said} vs {values.duration}")
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
    if details.speakers:
        speakers = {values.speaker} if values.speaker else set()
        for source in version.sources:
            if source.said_by:
                resolved = entities.resolve(source.said_by)
                if resolved:
                    speakers.add(resolved)
        if speakers and not any(entities.related(s, t) for s in details.speakers for t in speakers):
            out.append(f"speaker: {', '.join(details.speakers)} vs {', '.join(sorted(speakers))}")
    if values.scope and details.scope and values.scope != details.scope:
        out.append(f"scope: {details.scope} vs {values.scope}")
    if details.negated == values.holds:
        out.append("the statement denies what this version reports" if details.negated
                   else "this version denies it")
    return out


def claim_entity_ids(claim: Claim, normalise_entities) -> set[str]:
    """Every entity a claim mentions anywhere: its wordings, versions and values."""
    ids: set[str] = set()
    for text in (*claim.texts(), *(v.text for v in claim.versions)):
        ids.update(normalise_entities(text))
    for version in claim.versions:
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
    if claim.kind is not ClaimKind.PLAN:
        return None
    dates = [v.values.date for v in claim.versions if v.values.date and any(
        vv.id == v.id and vv.agrees for vv in versions)]
    if not dates:
        dates = claim.due_dates()
    spans = sorted((parse_date_span(d) for d in dates), key=lambda s: s.end)
    labels = " / ".join(_date_words(s.label) for s in spans)
    if all(s.end < today for s in spans):
        return f"The sources report a plan due {labels}; that date has passed and no source confirms it happened."
    if any(s.end < today for s in spans):
        return (f"The sources report a plan due {labels}; part of that has passed, and no source "
                "confirms it happened.")
    return f"The sources report a plan due {labels}, still ahead as of {today.isoformat()}."


def _date_words(label: str) -> str:
    try:
        span = parse_date_span(label)
    except ValueError:
        return label
    if span.start == span.end:
        return span.start.strftime("%-d %B %Y")
    if span.start.month == span.end.month and span.start.year == span.end.year:
        return span.start.strftime("%B %Y")
    return label


def _outlets_phrase(view: VersionView) -> str:
    n = len(view.outlets)
    return f"{n} outlet{'s' if n != 1 else ''} (weight {view.weight:.2f})"


def decide(claim: Claim, details: Details, base: Base, entities: EntityIndex,
           claim_entities: set[str], today: date) -> Decision:
    """The verdict for a statement already matched to `claim`."""
    weights = weigh(claim, base)
    views: list[VersionView] = []
    for version in claim.versions:
        conflicts = conflicts_with(details, claim, version, entities, claim_entities, base)
        weight, outlets = weights[version.id]
        sources = source_views(version, base)
        views.append(VersionView(
            id=version.id, text=version.text, agrees=not conflicts, weight=weight,
            outlets=[base.outlets[o].name for o in outlets], sources=sources, conflicts=conflicts,
            settles=any(not s.unreliable for s in sources),
        ))
    views.sort(key=lambda v: (not v.agrees, -v.weight))
    agreeing = [v for v in views if v.agrees]
    others = [v for v in views if not v.agrees and v.settles]
    notes: list[str] = []
    plan_note = due_note(claim, views, today)

    if not agreeing:
        said = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in views)
        why = views[0].conflicts[0] if views and views[0].conflicts else ""
        return Decision("contradicted", f"Contradicted ({why}). The sources report: {said}", views)

    if not any(v.settles for v in agreeing):
        flagged = ", ".join(sorted({s.outlet_name for v in agreeing for s in v.sources}))
        return Decision("unverified",
                        f"Unverified: only outlets the curators flag as unreliable report this ({flagged}).",
                        views)

    if claim.kind is ClaimKind.PLAN and details.tense == "done":
        note = plan_note or "The sources report a plan, not an event."
        return Decision("unverified",
                        f"Unverified: this states as done what the sources report only as a plan. {note}",
                        views)

    if plan_note:
        notes.append(plan_note)
    if not others:
        lead = agreeing[0]
        text = f"Supported: {_outlets_phrase(lead)} report it — {lead.text}"
        if len(agreeing) > 1:
            text = f"Supported: every version the sources give agrees ({len(agreeing)} versions)."
        return Decision("supported", " ".join([text, *notes]), views, notes)

    agree_txt = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in agreeing)
    other_txt = "; ".join(f"{_outlets_phrase(v)}: {v.text}" for v in others)
    return Decision("disputed",
                    " ".join([f"Disputed: {agree_txt} But {other_txt}", *notes]), views, notes)

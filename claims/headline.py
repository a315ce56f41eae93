"""What a reply leads with: the answer about what was asked, in one line, and one line of why.

"❌ Contradicted — ISIS was defeated in Iraq in 2017." paired the verdict with the base's
claim, and read at a glance as "2017 is false". The headline speaks of the statement instead:

- contradicted: what the sources say in its place ("the sources say 2017, not 2015");
- disputed:     who says what ("3 outlets say September 2026, 3 say end of 2026");
- unverified:   what is missing ("a plan due September 2026; no source says it happened");
- supported:    how many outlets report it, and when only low-credibility ones do, that it is
                weakly sourced (`claims.credibility`);
- a question is answered as one: "Yes" / "No" for a yes-or-no question, the sources' own
  account for an open one ("How many troops...?" → "About 2,500 U.S. troops are in Iraq");
- a question or statement about now ("right now", "currently", "still") says how old the
  newest source is ("as of August 2025").

Everything here reads a finished `Reply` and the base it was judged against; nothing decides a
verdict (that is `claims.standing`'s). The card (`claims.render`) shows these lines first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claims.credibility import WEAK_BELOW, band, weak
from claims.questions import positive_form
from claims.standing import date_words, plan_note
from claims.values import parse_count, parse_date_span
from claims.verdict import VersionView
from claims.verdict import describe as figure_words

if TYPE_CHECKING:
    from datetime import date

    from claims.engine import Reply
    from claims.load import Base
    from claims.models import Version
    from claims.text import EntityIndex

# What was asked: a statement, a yes-or-no question, or an open question (how many, when, who...).
STATEMENT, YES_NO, OPEN = "statement", "yes_no", "open"

_OPEN = re.compile(r"^\W*(?:(?:so|ok|okay|and|but|hey|wait)\W+)*(?:how|what|what's|whats|when|where|who|whom|whose|"
                   r"which|why)\b", re.IGNORECASE)
# Words that ask about the present: the answer is only as fresh as its newest source.
_NOW = re.compile(r"\b(?:right now|now|currently|current|today|at the moment|at present|presently|still|"
                  r"these days|nowadays|any ?more)\b", re.IGNORECASE)
# A conflict of a detail, as `claims.verdict` words it: "date: 2015 vs 2017".
_PAIR = re.compile(r"^(date|number|duration|place|who|scope|speaker|opposite|not the same|destination): "
                   r"(.+?) vs (.+?)(?: \([^()]*\))?$")
_DETAILS = ("date", "count", "duration", "places", "actors", "speaker", "scope", "holds")


def asked_kind(text: str) -> str:
    """Whether `text` is a statement, a yes-or-no question or an open question."""
    if _OPEN.match(text):
        return OPEN
    return YES_NO if positive_form(text).question else STATEMENT


def about_now(text: str) -> bool:
    """Whether the statement asks about the present ("right now", "currently", "still")."""
    return bool(_NOW.search(text))


def outlets(n: int) -> str:
    return f"{n} outlet{'s' if n != 1 else ''}"


def _outlet_count(views: list[VersionView]) -> int:
    return len({name for v in views for name in v.outlets})


def _backed(views: list[VersionView]) -> str:
    """'3 outlets (the best 49/100, mixed)': how many outlets stand behind these versions, and how credible."""
    best = max((s.credibility for v in views for s in v.sources), default=0)
    return f"{outlets(_outlet_count(views))} (the best {best}/100, {band(best)})"


def month_words(published: str) -> str:
    """A publication date as a reader says it: '2025-08-18' → 'August 2025', '2024' → '2024'."""
    try:
        span = parse_date_span(published)
    except ValueError:
        return published
    if span.start.year != span.end.year:
        return published
    if span.start.month == span.end.month:
        return span.start.strftime("%B %Y")
    return str(span.start.year)


def newest_source(views: list[VersionView]) -> str | None:
    """The publication date of the newest source behind these versions (as written)."""
    dated = []
    for view in views:
        for source in view.sources:
            try:
                dated.append((parse_date_span(source.published).end, source.published))
            except ValueError:
                continue
    return max(dated)[1] if dated else None


def describe(reply: Reply, base: Base, entities: EntityIndex, today: date) -> Reply:
    """Fill in what the reply leads with: `asked`, `headline`, `why`, `as_of`, `weakly_sourced`."""
    reply.asked = asked_kind(reply.statement)
    judged = [v for v in reply.versions if v.judged]
    agreeing = [v for v in judged if v.agrees and not v.gaps]
    partial = [v for v in judged if v.agrees and v.gaps]
    others = [v for v in judged if not v.agrees and v.settles]
    answer = agreeing or partial or judged[:1]
    if reply.verdict == "supported":
        reply.weakly_sourced = weak(s.credibility for v in agreeing for s in v.sources)
    elif reply.verdict == "contradicted" and not reply.parts:
        reply.weakly_sourced = weak(s.credibility for v in judged for s in v.sources)
    if about_now(reply.statement) and answer:
        reply.as_of = newest_source(answer)
    claim = base.claims.get(reply.claim.id) if reply.claim else None
    values = {v.id: v.values for v in claim.versions} if claim else {}
    names = _Names(entities)
    if reply.parts:
        counts: dict[str, int] = {}
        for part in reply.parts:
            counts[part.verdict] = counts.get(part.verdict, 0) + 1
        said = ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items())
        reply.headline = f"it makes {len(reply.parts)} claims: {said}"
        reply.why = "Each claim is judged on its own, below."
        return reply
    if reply.verdict == "no_match" or not judged:
        reply.headline = _no_match_headline(reply)
        reply.why = reply.explanation
        return reply
    lead = judged[0]
    if reply.asked == OPEN and reply.verdict in ("supported", "disputed"):
        reply.headline, reply.why = _open_answer(judged, values, names)
    elif reply.verdict == "supported":
        n = _outlet_count(agreeing)
        best = max((s.credibility for v in agreeing for s in v.sources), default=0)
        reply.headline = (f"only low-credibility outlets report it (best {best}/100)" if reply.weakly_sourced
                          else f"{outlets(n)} report{'s' if n == 1 else ''} it")
        reply.why = (_weak_why(n, best) if reply.weakly_sourced else
                     f"{_backed(agreeing)} report{'s' if n == 1 else ''} it as you put it; no source says otherwise.")
        if reply.notes:
            reply.why += f" {reply.notes[0]}"
    elif reply.verdict == "contradicted":
        reply.headline = _contrast(lead, names)
        reply.why = f"No source agrees: {_backed(judged)} report it differently."
    elif reply.verdict == "disputed":
        reply.headline = _split(agreeing, others, values, names) or (
            f"{outlets(_outlet_count(agreeing))} agree, {_outlet_count(others)} report otherwise")
        reply.why = (reply.notes[0] if reply.notes else
                     f"{_backed(agreeing)} agree with you; {_backed(others)} report it differently.")
    else:
        reply.headline, reply.why = _unverified(claim, agreeing, partial, today, names)
    if reply.as_of:
        reply.headline += f", as of {month_words(reply.as_of)}"
    return reply


def _weak_why(n: int, best: int) -> str:
    if n == 1:
        return f"Only 1 outlet reports it, and it scores {best}/100 ({band(best)}): treat it with care."
    return f"Only {n} outlets report it, none scoring {WEAK_BELOW}/100 or more: treat it with care."


class _Names:
    """Entity ids as their first name ('iraqi-armed-forces' → 'Iraqi Armed Forces')."""

    def __init__(self, entities: EntityIndex):
        self.entities = entities.entities

    def __call__(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id.strip())
        return entity.names[0] if entity else entity_id.strip()


def _no_match_headline(reply: Reply) -> str:
    if reply.notes and reply.notes[0].startswith("I can only check"):
        return reply.notes[0]
    found = re.match(r"No claim in the base is about ([^,]+),", reply.explanation)
    if found:
        return f"no claim in the base is about {found.group(1)}"
    if reply.suggestions:
        return "no claim matches closely enough; did you mean one below?"
    return "nothing in the claim base covers this"


def _detail_words(values, detail: str, names: _Names) -> str | None:
    """One detail of a version's values in words (None when it gives none)."""
    value = getattr(values, detail)
    if detail == "date" and value:
        return date_words(value)
    if detail == "count" and value:
        try:
            return figure_words(parse_count(value))
        except ValueError:
            return value
    if detail in ("places", "actors") and value:
        return ", ".join(names(v) for v in value)
    if detail == "speaker" and value:
        return names(value)
    if detail == "holds":
        return "it happened" if value else "it did not happen"
    return str(value) if value else None


def _split(group: list[VersionView], rest: list[VersionView], values: dict[str, Version], names: _Names
           ) -> str | None:
    """'3 outlets say September 2026, 3 say end of 2026': the first detail the two groups of
    versions give differently (None when none does)."""
    for detail in _DETAILS:
        mine = list(dict.fromkeys(w for v in group if v.id in values and (w := _detail_words(values[v.id], detail,
                                                                                                names))))
        theirs = list(dict.fromkeys(w for v in rest if v.id in values and (w := _detail_words(values[v.id], detail,
                                                                                                 names))))
        if mine and theirs and set(mine) != set(theirs):
            n, m = _outlet_count(group), _outlet_count(rest)
            return (f"{outlets(n)} say{'s' if n == 1 else ''} {' or '.join(mine)}, "
                    f"{m} say{'s' if m == 1 else ''} {' or '.join(theirs)}")
    return None


def _open_answer(judged: list[VersionView], values: dict[str, Version], names: _Names) -> tuple[str, str]:
    """An open question's answer: the sources' account, or who says what when they differ."""
    settled = [v for v in judged if v.settles] or judged
    for i, view in enumerate(settled[1:], 1):
        split = _split(settled[:i], [view], values, names)
        if split:
            return f"the sources differ: {split}", f"Their accounts: {' / '.join(v.text for v in settled[:3])}"
    return settled[0].text.rstrip("."), f"Reported by {_backed(settled)}."


def _contrast(lead: VersionView, names: _Names) -> str:
    """What the sources say in the place of what the statement says: 'the sources say 2017, not 2015'."""
    for conflict in lead.conflicts:
        found = _PAIR.match(conflict)
        if found:
            kind, mine, theirs = found.groups()
            if kind == "date":
                theirs = ", ".join(date_words(t.strip()) for t in theirs.split(","))
            elif kind == "number":
                mine, theirs = _figure(mine), ", ".join(_figure(t) for t in theirs.split(","))
            elif kind in ("place", "who", "speaker", "destination"):
                mine = ", ".join(names(m) for m in mine.split(","))
                theirs = ", ".join(names(t) for t in theirs.split(","))
            if kind == "speaker":
                return f"the sources quote {theirs}, not {mine}"
            return f"the sources say {theirs}, not {mine}"
        if conflict == "this version denies it":
            return "the sources say it did not happen"
    return f"the sources report otherwise: {lead.text.rstrip('.')}"


def _figure(label: str) -> str:
    try:
        return figure_words(parse_count(label.strip()))
    except ValueError:
        return label.strip()


def _unverified(claim, agreeing: list[VersionView], partial: list[VersionView], today: date, names: _Names
                ) -> tuple[str, str]:
    views = partial or agreeing
    gaps = list(dict.fromkeys(g for v in partial for g in v.gaps))
    if any(g.startswith("that it happened: the sources report a plan") for g in gaps) and claim is not None:
        ids = {v.id for v in views}
        versions = [v for v in claim.versions if v.id in ids] or claim.versions
        dates = [v.values.date for v in versions if v.values.date] or claim.due_dates()
        due = " / ".join(dict.fromkeys(date_words(d) for d in dates))
        headline = f"a plan due {due}; no source says it happened" if due else "a plan; no source says it happened"
        return headline, _plan_why(claim, versions, today)
    if not partial:
        flagged = ", ".join(sorted({s.outlet_name for v in agreeing for s in v.sources}))
        return ("only outlets flagged as unreliable report it",
                f"The curators flag every outlet that reports it as unreliable: {flagged}.")
    said = "; ".join(dict.fromkeys(_gap_words(g, names) for g in gaps[:2]))
    return said, f"{_backed(views)} report something close, but not all of it."


def _plan_why(claim, versions, today: date) -> str:
    """Whether the plan's date has passed, in words the headline has not used yet."""
    note = plan_note(claim, versions, today) or ""
    if "that date has passed" in note:
        return "That date has passed; the sources report only the plan, and no source reports it done."
    if "part of that has passed" in note:
        return "Part of that has passed; the sources report only the plan, and no source reports it done."
    if "still ahead" in note:
        return f"That is still ahead as of {today.strftime('%-d %B %Y')}: the sources report only the plan."
    return "The sources report a plan, not an event."


_GAPS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^the figure: they give (.+), which does not settle (.+)$", r"the sources give \1, which does not settle \2"),
    (r"^the figure \((.+)\)$", r"the sources give no figure to settle \1"),
    (r"^when it happened$", "the sources do not say when it happened"),
    (r"^that it was said in (.+)$", r"the sources do not say it was said in \1"),
    (r"^how long \((.+)\)$", r"the sources do not say how long (\1)"),
    (r"^a length as precise as (.+) \(they give (.+)\)$", r"the sources give \2, not as precise as \1"),
    (r"^that it happened: the sources only say (.+) as planned$", r"the sources only say \1 as planned"),
    (r"^that it is so: the sources only say (.+) as possible$", r"the sources only say \1 as possible"),
    (r"^that it happened: the sources report a plan$", "the sources report a plan, not that it happened"),
    (r"^who said it \((.+)\)$", r"the sources do not say who said it"),
    (r"^(“.+”)$", r"the sources do not speak to \1"),
    (r"^.+ \(said of something else\)$", "the sources do not speak to what this says"),
))


def _gap_words(gap: str, names: _Names) -> str:
    """A gap as a reader says it: 'when it happened' → 'the sources do not say when it happened'."""
    if gap.startswith("who or what: "):
        named = gap.removeprefix("who or what: ").split(",")
        return "the sources do not speak of " + ", ".join(names(e) for e in named)
    for pattern, words in _GAPS:
        if pattern.match(gap):
            return pattern.sub(words, gap)
    return f"the sources do not settle {gap}"

"""A version's values, pre-filled from what a sentence says (`claims.extract.Details`).

The values are written as a curator writes them ("2026-09", "end of 2026", "~2500",
"200..999"), so the moderator edits familiar text and the curator validates it like any other.
Dates the sentence gives relative to its report ("last month", "this September") were resolved
against the article's publication day by `extract`.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, timedelta
from typing import Any

from claims.extract import SHARE, Details
from claims.models import EntityKind
from claims.text import ENTITY_PREFIX, EntityIndex
from claims.values import MONTHS, YEAR_PARTS, DateSpan, NumRange, month_span

# A span of whole months within one year, named as curators name it.
_PARTS = {months: name for name, months in YEAR_PARTS.items() if name in ("early", "mid", "end", "beginning")}
_PART_WORDS = {"early": "early", "mid": "mid", "end": "end of", "beginning": "beginning of"}
ACTOR_KINDS = (EntityKind.PERSON, EntityKind.ORG, EntityKind.GROUP)


def date_text(span: DateSpan, published: date) -> str:
    """A date span as a version's `date` (a month without its year is taken in the report's year)."""
    start, end = span.start, span.end
    if not span.year_known:
        start, end = in_year(start, published.year), in_year(end, published.year)
    if start == end:
        return start.isoformat()
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months and start.year == end.year:
        if start.month == end.month:
            return f"{start.year}-{start.month:02d}"
        if (start.month, end.month) == (1, 12):
            return str(start.year)
        part = _PARTS.get((start.month, end.month))
        if part:
            return f"{_PART_WORDS[part]} {start.year}"
    if whole_months and (start.month, end.month) == (1, 12):
        return f"{start.year}..{end.year}"
    if whole_months:
        return f"{start.year}-{start.month:02d}..{end.year}-{end.month:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _just_above_whole(value: float) -> bool:
    """Whether a bound is a strict one past a whole number (`extract` reads "more than 150" as a
    hair above 150)."""
    return value != math.floor(value) and value - math.floor(value) < 1e-3


def count_text(rng: NumRange) -> str:
    """A count as a version's `count`: 2500, ~2500, >=70, <=5 or 200..999."""
    if rng.hi == float("inf"):
        if _just_above_whole(rng.lo):
            return f">={math.floor(rng.lo) + 1}"  # "more than 150": 151 or more, as curators write it
        return f">={_number(rng.lo)}"
    if rng.lo == rng.hi:
        return _number(rng.lo)
    if rng.nominal is not None and rng.lo < rng.nominal < rng.hi:
        return f"~{_number(rng.nominal)}"
    if rng.nominal is not None and 0 < rng.lo < rng.hi == rng.nominal:
        return f"~{_number(rng.nominal)}"  # "nearly 200": curators have no "a little under" and write ~200
    if rng.lo <= 0:
        if _just_above_whole(-rng.hi):
            return f"<={math.ceil(rng.hi) - 1}"  # "fewer than 150": 149 or fewer
        return f"<={_number(rng.hi)}"
    return f"{_number(round(rng.lo))}..{_number(round(rng.hi))}"


def best_count(details: Details, unit: str | None = None, text: str = "") -> tuple[NumRange, str | None] | None:
    """The count a sentence gives: one of the claim's unit if there is one, else the first counted
    thing. A number that only points at things already named ("the two states", "both coaches")
    counts nothing the sentence reports."""
    counts = [(rng, u) for rng, u in details.counts if u != SHARE and not pointing(text, rng)]
    if unit:
        same = [c for c in counts if c[1] == unit]
        if same:
            return same[0]
    with_unit = [c for c in counts if c[1]]
    return (with_unit or counts or [None])[0]


def pointing(text: str, rng: NumRange) -> bool:
    """Whether a small number spelled out is only used after "the", "these" or "those" ("the two
    states"): it picks out things, it does not count what is reported."""
    label = rng.label.strip()
    return bool(text) and label.isalpha() and bool(
        re.search(rf"\b(?:the|these|those)\s+{re.escape(label)}\b", text, re.IGNORECASE)) and not re.search(
        rf"(?<!the )(?<!these )(?<!those )\b{re.escape(label)}\b", text, re.IGNORECASE)


# "between 2019 and 2020", "in 2019 and 2020", "from 2014 to 2017", "2019-2020": one span, not two dates.
_YEAR_RANGE = re.compile(r"\b(?:between|in)\s+(?:\w+\s+)?(\d{4})\s+and\s+(?:\w+\s+)?(\d{4})\b|"
                         r"\bfrom\s+(?:\w+\s+)?(\d{4})\s+(?:to|until|through|till)\s+(?:\w+\s+)?(\d{4})\b|"
                         r"\b(\d{4})\s*[-–]\s*(\d{4})\b")


# "500 to 800", "between 40 and 50", "200-300": one count given as a range, not two counts.
_COUNT_RANGE = re.compile(r"\b(?:between\s+)?(\d[\d,]*)\s*(?:to|and|-|–)\s*(\d[\d,]*)\b(?!\s*(?:a\.?m|p\.?m))")


def count_range(text: str, first: NumRange) -> str | None:
    """The count as the range the sentence gives ("an estimated 500 to 800": 500..800) when the
    count read first opens one; None otherwise (years are dates, not counts)."""
    for m in _COUNT_RANGE.finditer(text):
        low, high = (float(g.replace(",", "")) for g in m.groups())
        years = all(1900 <= v <= 2100 and float(v).is_integer() for v in (low, high)) and len(m.group(1)) == 4
        if not years and low < high and low in (first.lo, first.nominal):
            return f"{_number(low)}..{_number(high)}"
    return None


def _year_of(span: DateSpan, published: date, text: str) -> int:
    """The year of a date given without one ("October 7", "in January"): the report's year, but
    what the sentence says has gone on *since* that date began before the report, so a later
    month than the report's is the year before's ("since October 7" in a report of September
    2024 is 7 October 2023). The month is compared, not the day: a report's date may be known
    only to its month."""
    since = re.search(rf"\bsince\s+(?:the\s+)?{re.escape(span.label)}\b", text, re.IGNORECASE)
    if since and span.start.month > published.month:
        return published.year - 1
    return published.year


def _in_year(span: DateSpan, year: int) -> DateSpan:
    return DateSpan(in_year(span.start, year), in_year(span.end, year), span.label)


def in_year(day: date, year: int) -> date:
    """The same day of the same month in `year`; the 29th of February of a year without one is
    the 28th (a month given without its year is read as one of a leap year, `extract`)."""
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def since_date(text: str, when: DateSpan, published: date) -> str | None:
    """The span a sentence gives with "since": from that date to the report's month ("since
    October 7" in a report of September 2024: 2023-10-07..2024-09), as curators record what has
    gone on since, up to the report; None when the date is not one "since" opens."""
    if not re.search(rf"\bsince\s+(?:the\s+)?{re.escape(when.label)}\b", text, re.IGNORECASE):
        return None
    if (when.start.year, when.start.month) > (published.year, published.month):
        return None
    return f"{date_text(when, published)}..{published.year}-{published.month:02d}"


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:(last|next|this|on)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def weekday_dates(text: str, published: date, tense: str | None) -> list[DateSpan]:
    """The days a report names by their weekday, in the week it was published: "on Monday" is the
    last Monday up to the publication day for what is reported done, the next from it for what is
    planned ("will hold the inquiry on Tuesday"); "last" and "next" say which. Only for a report
    whose publication day is known."""
    out = []
    for m in _WEEKDAY.finditer(text):
        which, day = (m.group(1) or "").casefold(), _WEEKDAYS.index(m.group(2).casefold())
        ahead = (day - published.weekday()) % 7
        if which == "next" or (which != "last" and tense == "plan"):
            shift = ahead if which != "next" else (ahead or 7)
        else:
            shift = -((published.weekday() - day) % 7) if which != "last" else -(((published.weekday() - day) % 7) or 7)
        when = published + timedelta(days=shift)
        out.append(DateSpan(when, when, m.group(0)))
    return out


# A phrase closing a sentence with its own subject and participle: ", with the process set to
# continue until September 2026". It tells what goes with the main event, not when that happened.
_WITH_PHRASE = re.compile(r",\s+with\s+(?:the|its|their|a|an|some|most|all|\d[\d,]*)\b")


def event_dates(details: Details, text: str = "") -> list[DateSpan]:
    """The dates a sentence gives for what it reports: not those that only bound it ("after
    October 7", `Details.bounds`), nor those of a closing "with" phrase ("has begun the first phase,
    with the process set to continue until September 2026": September 2026 is when the process
    ends, not when it began)."""
    dates = _comma_days([d for d in details.dates if d not in details.bounds], text)
    phrase = _WITH_PHRASE.search(text) if text else None
    if phrase:
        head, tail = text[:phrase.start()].casefold(), text[phrase.start():].casefold()
        dates = [d for d in dates if not (d.label in tail and d.label not in head)]
    return dates


def _year_joined(span: DateSpan, text: str) -> bool:
    """Whether a month given without its year is joined to a year the sentence gives: "January
    and March 2025", "from January to March 2025", "September of this year". A year named
    elsewhere ("in January, ahead of the 2026 elections") is another date's: the month is then
    the report's (`_year_of`). Without the text, any year the sentence gives is taken."""
    month = next((w for w in span.label.split() if w in MONTHS), None)
    if not text or month is None:
        return True
    return bool(re.search(rf"\b{month}\b(?:\s+\d{{1,2}})?,?\s+(?:of|and|to|until|till|through|or|-|–)\s+"
                          rf"(?:(?:the|this|next|last)\s+)?(?:\w+\s+)?(?:\d{{4}}|year)\b", text, re.IGNORECASE))


def _comma_days(dates: list[DateSpan], text: str) -> list[DateSpan]:
    """Dates read as a month and a day that the sentence parts with a comma ("Since August, 5
    attacks ...": August, and five attacks) are the month alone."""
    out = []
    for d in dates:
        words = d.label.split()
        if not d.year_known and d.start == d.end and len(words) == 2 and words[0] in MONTHS and re.search(
                rf"\b{words[0]}\s*,\s*{words[1]}\b", text, re.IGNORECASE):
            d = month_span(2000, d.start.month, d.start.month, words[0], year_known=False)
        out.append(d)
    return out


def main_date(dates: list[DateSpan], published: date, text: str = "") -> DateSpan | None:
    """The date a sentence gives for what it reports: the first, made as precise as the sentence
    makes it ("by September of this year": September of the year the sentence names). A month
    without a year is in a year the sentence gives, else in the report's. The modal "may" is
    not the month May."""
    if text and "May" not in text:
        dates = [d for d in dates if d.label != "may"]
    years = [d.start.year for d in dates if d.year_known and d.start.year == d.end.year]
    resolved = [d if d.year_known else _in_year(d, years[0] if years and _year_joined(d, text)
                                                 else _year_of(d, published, text))
                for d in dates]
    if not resolved:
        return None
    ranged = _YEAR_RANGE.search(text)
    if ranged:
        low, high = sorted(int(y) for y in ranged.groups() if y)
        spans = [d for d in resolved if d.start.year in (low, high) or d.end.year in (low, high)]
        if len(spans) >= 2:
            return DateSpan(min(d.start for d in spans), max(d.end for d in spans), f"{low}..{high}")
    first = resolved[0]
    narrower = [d for d in resolved[1:] if d.within(first) and (d.end - d.start) < (first.end - first.start)]
    return narrower[0] if narrower else first


# Who relays what others say rather than speaking for anyone: "Iraqi media reported" is the press
# of a country, not the country saying it.
_REPORTERS = frozenset({"media", "press", "reports", "outlets", "newspapers", "analysts", "observers", "experts",
                        "witnesses", "residents", "commentators"})


def reporters(said_by: str) -> bool:
    """Whether who a sentence quotes is the press or onlookers ("Iraqi media", "local residents"),
    whom the workspace's country or organisation named in it does not speak through."""
    words = said_by.casefold().split()
    return bool(words) and words[-1] in _REPORTERS


def owner_only(entities: EntityIndex, place: str, text: str) -> bool:
    """Whether a country is named in `text` only as whose something is ("into Iraq's security
    apparatus", "Iraq's elections"), never as where something happens ("in Iraq"): a possessive
    names an owner. (A part of a country in its possessive, "Iraq's north", is a place the
    workspace names on its own.) Only countries: a town's possessive is mostly somewhere in it."""
    entity = entities.entities.get(place)
    if entity is None or entity.kind is not EntityKind.COUNTRY or not text:
        return False
    names = "|".join(re.escape(n) for n in sorted(entity.names, key=len, reverse=True))
    mentions = [m.group(1) for m in re.finditer(rf"\b(?:{names})\b(['’]s\b)?", text)]
    return bool(mentions) and all(mentions)


def listed_after(whole: str, piece: str, entities: EntityIndex) -> list[str]:
    """The places `whole` lists right after where `piece` of it ends ("... in Syria" of "... in
    Syria and Iraq, and ..." gives Iraq): a list of places cut where a sentence was split."""
    at = whole.find(piece.rstrip(" ."))
    if at < 0:
        return []
    rest = whole[at + len(piece.rstrip(" .")):]
    m = re.match(r"\s*,?\s*(?:and|or)\s+([^,;.]+)", rest)
    if not m:
        return []
    replaced, found = entities.replace(m.group(1))
    first = replaced.split()[0] if replaced.split() else ""
    if not found or first != ENTITY_PREFIX + found[0]:
        return []
    kind = entities.kind(found[0])
    return [found[0]] if kind in (EntityKind.COUNTRY, EntityKind.PLACE) else []


def figure_passage(text: str, rng: NumRange) -> str | None:
    """The words from a figure of `text` up to its next figure ("900 in neighbouring Syria" of
    "about 2,500 troops stationed in Iraq and an additional 900 in neighbouring Syria"): where a
    sentence gives several figures, each with its place, the place that goes with it is there.
    None when the figure is not found as written."""
    label = rng.label.strip()
    if label.replace(".", "").isdigit():
        pattern = r"(?<![\d,.])" + r",?".join(re.escape(c) for c in label) + r"(?![\d,])"
    else:
        pattern = rf"\b{re.escape(label)}\b"
    m = re.search(pattern, text, re.IGNORECASE)
    if not m:
        return None
    following = re.search(r"\d", text[m.end():])
    return text[m.start(): m.end() + following.start() if following else len(text)]


def speaking_for(entities: EntityIndex, said_by: str) -> str | None:
    """The entity who speaks when a sentence quotes `said_by`. A place named alone as the one
    speaking ("Baghdad has long argued") stands for the government seated there: the country the
    workspace's entities put it in (`Entity.part_of`). A place named with others ("Kanpur police")
    is only where they are, and a place in no country speaks for no one."""
    speaker = entities.resolve(said_by)
    if speaker is None or entities.kind(speaker) is not EntityKind.PLACE:
        return speaker
    replaced = entities.replace(said_by.strip())[0]
    if replaced.strip() != ENTITY_PREFIX + speaker:
        return None
    return next((p for p in _containers(entities, speaker) if entities.kind(p) is EntityKind.COUNTRY), None)


def _containers(entities: EntityIndex, entity_id: str) -> list[str]:
    """What the entity is part of, nearest first (its `part_of` in order, then theirs)."""
    out: list[str] = []
    queue = list(entities.entities[entity_id].part_of) if entity_id in entities.entities else []
    while queue:
        parent = queue.pop(0)
        if parent not in out:
            out.append(parent)
            queue.extend(entities.entities[parent].part_of if parent in entities.entities else [])
    return out


def values_of(details: Details, entities: EntityIndex, published: date, unit: str | None = None,
              text: str = "", said_by: str | None = None) -> dict[str, Any]:
    """The values a sentence (`text`, read as `details`) gives, as a version's `values` (only those
    it gives). `said_by` is who the sentence quotes, as written: the speaker when it names an entity."""
    out: dict[str, Any] = {}
    when = main_date(event_dates(details, text), published, text)
    if when is not None:
        out["date"] = since_date(text, when, published) or date_text(when, published)
    counted = best_count(details, unit, text)
    if counted is not None:
        out["count"] = count_range(text, counted[0]) or count_text(counted[0])
    if details.durations:
        duration = details.durations[0]
        out["duration"] = f"{_number(duration.amount)} {duration.unit}{'s' if duration.amount != 1 else ''}"
    if details.scope:
        out["scope"] = details.scope
    places = [p for p in details.places if p not in details.asides and not owner_only(entities, p, text)]
    if places:
        out["places"] = places
    speaker = details.speakers[0] if details.speakers else None
    if speaker is None and said_by and not reporters(said_by):
        speaker = speaking_for(entities, said_by)
    if speaker:
        out["speaker"] = speaker
    actors = [e for e in details.entities if e not in details.places and entities.kind(e) in ACTOR_KINDS]
    if actors:
        out["actors"] = actors
    return out

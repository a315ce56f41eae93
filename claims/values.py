"""Normalised values a claim version commits to: date spans, counts and durations.

A version's `values` are written by curators as short strings ("2026-09", "end of 2026",
"~2500", ">=70", "12 days"); the same types come out of a user's statement (`claims.extract`),
so both sides are compared as intervals.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}

# Parts of a year people name loosely. "Late 2026" and "the end of 2026" are the last quarter:
# narrow enough that "September 2026" is a different version, as the sources treat it.
YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 4),
    "beginning": (1, 3),
    "start": (1, 3),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (10, 12),
    "end": (10, 12),
    "close": (10, 12),
}


@dataclass(frozen=True)
class DateSpan:
    """An inclusive span of days. `year_known=False` spans ("this September") compare by month only."""

    start: date
    end: date
    label: str
    year_known: bool = True

    def overlaps(self, other: DateSpan) -> bool:
        """Whether the two spans can describe the same moment."""
        if not (self.year_known and other.year_known):
            return bool(_months(self) & _months(other))
        return self.start <= other.end and other.start <= self.end

    def within(self, other: DateSpan) -> bool:
        """Whether this span lies inside the other (it is at least as precise and agrees)."""
        if not (self.year_known and other.year_known):
            return _months(self) <= _months(other)
        return other.start <= self.start and self.end <= other.end


def _months(span: DateSpan) -> set[int]:
    if span.start.year != span.end.year:
        return set(range(1, 13))
    return set(range(span.start.month, span.end.month + 1))


def month_span(year: int, first: int, last: int, label: str, year_known: bool = True) -> DateSpan:
    """The span from the first day of month `first` to the last day of month `last`."""
    return DateSpan(
        date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), label, year_known
    )


def parse_date_span(text: str) -> DateSpan:
    """Parse a curated date: YYYY, YYYY-MM, YYYY-MM-DD, 'end of YYYY', 'late YYYY', or A..B."""
    raw = text.strip().lower()
    if ".." in raw:
        first, last = (parse_date_span(part) for part in raw.split("..", 1))
        if last.end < first.start:
            raise ValueError(f"date range {text!r} ends before it starts")
        return DateSpan(first.start, last.end, text)
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw)
    if m:
        year = int(m.group(1))
        if not 1900 <= year <= 2100:
            raise ValueError(f"year {year} in {text!r} is out of range (1900-2100)")
        if m.group(3):
            try:
                day = date(year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueError(f"date {text!r} is out of range: no such day") from None
            return DateSpan(day, day, text)
        if m.group(2):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} in {text!r} is out of range (01-12)")
            return month_span(year, month, month, text)
        return month_span(year, 1, 12, text)
    m = re.fullmatch(r"(early|mid|late|end of|beginning of|start of)\s+(\d{4})", raw)
    if m:
        first, last = YEAR_PARTS[m.group(1).split()[0]]
        return month_span(int(m.group(2)), first, last, text)
    raise ValueError(
        f"cannot read date {text!r}: write YYYY, YYYY-MM, YYYY-MM-DD, 'end of YYYY', 'late YYYY' or A..B"
    )


@dataclass(frozen=True)
class NumRange:
    """An inclusive numeric interval; exact numbers have lo == hi.

    `nominal` is the figure a writer gave when the interval stands around one ("about 2,500",
    "nearly 3,000", "2,500"); None for a bound alone ("at least 70"). `vague` marks words that
    only give an order of size ("hundreds", "several hundred", "dozens")."""

    lo: float
    hi: float
    label: str
    nominal: float | None = None
    vague: bool = False

    def overlaps(self, other: NumRange) -> bool:
        """Whether both can describe the same quantity."""
        return self.lo <= other.hi and other.lo <= self.hi

    def within(self, other: NumRange) -> bool:
        """Whether every value of this interval lies in the other."""
        return other.lo <= self.lo and self.hi <= other.hi


# How far "about 2,500" may stray: a tenth either way is what a reader grants a round figure.
APPROX = 0.10
# "nearly 3,000" is a little under 3,000: at most a fifth under.
NEARLY = 0.20
# Two round figures this close (as a share of the larger) say the same; this far apart they differ.
SAME_FIGURE = 0.05
OTHER_FIGURE = 0.12


def approx_range(value: float, label: str) -> NumRange:
    """The interval a reader grants an approximate figure."""
    return NumRange(value * (1 - APPROX), value * (1 + APPROX), label, nominal=value)


def nearly_range(value: float, label: str) -> NumRange:
    """'nearly N', 'almost N', 'just under N': a little under N."""
    return NumRange(value * (1 - NEARLY), value, label, nominal=value)


def exact(value: float, label: str) -> NumRange:
    return NumRange(value, value, label, nominal=value)


def compare_quantity(stated: NumRange, source: NumRange) -> str:
    """How a source's figure bears on a statement's: 'agree', 'conflict' or 'unsettled'.

    The source supports the statement only when everything it allows, the statement allows
    too ("about 2,500" supports "more than 2,000"); it contradicts it when they share no
    value, or when two round figures are too far apart to be the same ("nearly 3,000" is not
    "about 2,500"). Anything else the source leaves open: "at least 70" does not settle "more
    than 140", and "several hundred" does not settle "at least 600"."""
    if not stated.overlaps(source):
        return "conflict"
    if source.within(stated):
        return "agree"
    if stated.vague and source.vague:
        return "agree"
    if stated.nominal is not None and source.nominal is not None and not (stated.vague or source.vague):
        gap = abs(stated.nominal - source.nominal) / max(abs(stated.nominal), abs(source.nominal), 1e-9)
        if gap > OTHER_FIGURE:
            return "conflict"
        exact_statement = stated.lo == stated.hi
        if gap <= SAME_FIGURE and (not exact_statement or stated.nominal == source.nominal):
            return "agree"
    return "unsettled"


def same_figure(a: NumRange, b: NumRange) -> bool:
    """Whether two figures are the same account of a count, not merely compatible ones: each
    supports the other ("about 2,500" and "approximately 2,500", "60" and "about 60", "hundreds"
    and "several hundred"), or they bound the same whole numbers ("more than 200" and ">=201").
    "At least 97" and "145" are compatible (the verdict's `compare_quantity` agrees) but are two
    reports of the toll, not one."""
    if compare_quantity(a, b) == "agree" and compare_quantity(b, a) == "agree":
        return True
    return _whole(a) == _whole(b)


def _whole(rng: NumRange) -> tuple[float, float]:
    """The whole numbers a count allows: "more than 200" is 201 and up."""
    lo = math.ceil(rng.lo) if math.isfinite(rng.lo) else rng.lo
    hi = math.floor(rng.hi) if math.isfinite(rng.hi) else rng.hi
    return lo, hi


def parse_count(text: str) -> NumRange:
    """Parse a curated count: 2500, ~2500 (about), >=70 (at least), >500 (more than), <=5, <20
    (fewer than), or 200..900 (a range the sources give no closer than)."""
    raw = text.strip().replace(",", "").replace("_", "")
    try:
        if raw.startswith("~"):
            return approx_range(float(raw[1:]), text)
        if raw.startswith(">="):
            return NumRange(float(raw[2:]), float("inf"), text)
        if raw.startswith("<="):
            return NumRange(0.0, float(raw[2:]), text)
        # strict bounds, as a report words them ("more than 500", "fewer than 20")
        if raw.startswith(">"):
            return NumRange(float(raw[1:]) * (1 + 1e-9), float("inf"), text)
        if raw.startswith("<"):
            return NumRange(0.0, float(raw[1:]) * (1 - 1e-9), text)
        if ".." in raw:
            lo, hi = (float(p) for p in raw.split("..", 1))
            if hi < lo:
                raise ValueError
            return NumRange(lo, hi, text, vague=True)
        return exact(float(raw), text)
    except ValueError:
        raise ValueError(f"cannot read count {text!r}: write 2500, ~2500, >=70, >500, <=5, <20 or 200..900") from None


DURATION_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}


@dataclass(frozen=True)
class Duration:
    """A length of time, kept in its own unit so '12 days' never equals '12 weeks'.

    `bound` is how the statement gives it: "exact" ("12 days"), "about", "nearly", "more"
    ("more than a decade") or "less" ("under two weeks")."""

    amount: float
    unit: str
    bound: str = "exact"

    @property
    def days(self) -> float:
        return self.amount * DURATION_UNITS[self.unit]

    def range(self) -> NumRange:
        """The days this duration allows; a curated or exact one allows for rounding between units."""
        days, label = self.days, f"{self.amount:g} {self.unit}s"
        if self.bound == "about":
            return approx_range(days, label)
        if self.bound == "nearly":
            return nearly_range(days, label)
        if self.bound == "more":
            return NumRange(days * (1 + 1e-9), float("inf"), label)
        if self.bound == "less":
            return NumRange(0.0, days * (1 - 1e-9), label)
        return NumRange(days * (1 - ROUNDING), days * (1 + ROUNDING), label, nominal=days)

    def agrees(self, other: Duration) -> bool:
        """Same length, allowing for rounding between units (a year is 12 months)."""
        return compare_quantity(self.range(), other.range()) == "agree"


# A year is 365 days and 12 months 360: lengths this close are the same length.
ROUNDING = 0.05


def parse_duration(text: str) -> Duration:
    """Parse a curated duration such as '12 days' or '3 years'."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(day|week|month|year)s?\s*", text.lower())
    if not m:
        raise ValueError(f"cannot read duration {text!r}: write e.g. '12 days' or '3 years'")
    return Duration(float(m.group(1)), m.group(2))


def year_slots(span: DateSpan) -> set[str]:
    """The years a date span touches, as slots: a statement dated 2011 then earns a bonus from
    the claims dated 2011, and "US troops left Iraq in 2011" finds the 2011 withdrawal, not the
    2026 plan. Long spans give none (a decade says little about which event is meant)."""
    if not span.year_known or span.end.year - span.start.year > 3:
        return set()
    return {f"year:{year}" for year in range(span.start.year, span.end.year + 1)}

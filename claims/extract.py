"""Read the details a statement commits to: dates, counts, durations, entities, scope, polarity, tense.

The verdict compares these with each version's values. Extraction works on the normalised
words (`claims.text`), so "Sept", "2.500", "Yanks" and "pulled out" are already canonical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from claims.text import ENTITY_PREFIX, MONTH_NAMES, WORD_NUMBERS
from claims.values import (
    MONTHS,
    YEAR_PARTS,
    DateSpan,
    Duration,
    NumRange,
    approx_range,
    month_span,
    year_slots,
)

APPROX_WORDS = {"about", "around", "approximately", "roughly", "some", "nearly", "almost", "circa",
                "estimated", "~", "approx", "like"}
AT_LEAST_WORDS = {"over", "above", "more", "least", "exceeding", "upwards"}
AT_MOST_WORDS = {"under", "below", "fewer", "less", "most", "up"}
DURATION_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
                  "months": "month", "year": "year", "years": "year"}

# Nouns that tell what a count counts. Counts are compared only with a claim of the same unit.
UNIT_WORDS = {
    "troops": ("troop", "troops", "soldier", "soldiers", "forces", "personnel", "servicemembers",
               "men", "marines", "fighters", "advisers", "trainers"),
    "attacks": ("attack", "attacks", "assaults", "strikes", "times"),
    "members": ("member", "members", "fighters"),
    "dollars": ("dollars", "usd", "$"),
    "phases": ("phase", "phases", "stage", "stages"),
    "bases": ("base", "bases"),
}
_UNIT_OF = {word: unit for unit, words in UNIT_WORDS.items() for word in words}

SCOPE_ALL = {"all", "every", "entire", "entirely", "completely", "fully", "full", "total", "totally",
             "whole", "last", "remainder", "complete", "none", "nobody", "any"}
SCOPE_SOME = {"some", "several", "hundreds", "part", "partial", "partially", "few", "limited", "portion",
              "most", "handful", "certain"}
NEGATIONS = {"not", "no", "never", "none", "nobody", "neither", "nor", "nothing", "without", "deny",
             "denied", "false", "fake", "hoax", "myth"}

# Tense: what the statement asserts. Plans are not events: "will leave" is a plan, "left" is done.
PLAN_MARKERS = {"will", "would", "shall", "planned", "plan", "plans", "scheduled", "expected", "due",
                "going", "should", "supposed", "intends", "intend", "pledged", "promised", "proposed",
                "expects", "aims", "set"}
DONE_MARKERS = {"left", "withdrew", "withdrawn", "departed", "completed", "finished", "ended", "vacated",
                "evacuated", "gone", "already", "done", "happened", "pulled", "exited", "quit",
                "abandoned", "concluded", "handed", "closed"}
RELATIVE_YEAR = {"this", "next", "last", "coming", "past"}
SAY_WORDS = {"said", "says", "say", "stated", "announced", "confirmed", "told", "claimed", "argued",
             "stressed", "revealed", "warned", "insisted", "declared", "remarked", "reaffirmed", "according",
             "admitted", "denied", "explained", "noted", "added"}


@dataclass
class Details:
    """What a statement says, in the verdict's terms."""

    dates: list[DateSpan] = field(default_factory=list)
    counts: list[tuple[NumRange, str | None]] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    scope: str | None = None
    negated: bool = False
    tense: str | None = None  # "done", "plan" or None (a present-tense statement of the plan)

    def slots(self) -> frozenset[str]:
        """The kinds of detail given, in the matcher's terms (see `claims.match.claim_slots`)."""

        out = {f"count:{unit}" if unit else "count" for _, unit in self.counts}
        if self.dates:
            out.add("date")
        for span in self.dates:
            out.update(year_slots(span))
        if self.durations:
            out.add("duration")
        if self.scope:
            out.add(f"scope:{self.scope}")
        out.update(f"place:{place}" for place in self.places)
        return frozenset(out)


def _number(words: list[str], i: int) -> tuple[float, int] | None:
    """A number at words[i] (digits or words like 'two thousand five hundred'); value and length."""
    word = words[i]
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        value, used = float(word), 1
        if i + 1 < len(words) and words[i + 1] in ("million", "billion", "thousand", "hundred"):
            value *= {"million": 1e6, "billion": 1e9, "thousand": 1e3, "hundred": 1e2}[words[i + 1]]
            used = 2
        return value, used
    if word in WORD_NUMBERS and word not in ("hundred", "thousand"):
        total, current, used = 0.0, float(WORD_NUMBERS[word]), 1
        while i + used < len(words) and words[i + used] in WORD_NUMBERS:
            nxt = WORD_NUMBERS[words[i + used]]
            if nxt in (100, 1000):
                current *= nxt
                if nxt == 1000:
                    total, current = total + current, 0.0
            else:
                current += nxt
            used += 1
        return total + current, used
    return None


def _is_year(value: float, words: list[str], i: int, used: int) -> bool:
    if not (1900 <= value <= 2100 and value == int(value)):
        return False
    nxt = words[i + used] if i + used < len(words) else ""
    return nxt not in _UNIT_OF and nxt not in ("people", "us", "@us")


def extract(words: list[str] | tuple[str, ...], entity_kinds: dict[str, str] | None = None) -> Details:
    """Read the details of a normalised statement (see `claims.text.Normaliser.words`)."""
    words = list(words)
    entity_kinds = entity_kinds or {}
    details = Details()
    consumed: set[int] = set()

    _extract_dates(words, details, consumed)
    _extract_numbers(words, details, consumed)

    for i, word in enumerate(words):
        if word.startswith(ENTITY_PREFIX):
            entity_id = word[len(ENTITY_PREFIX):]
            if entity_id not in details.entities:
                details.entities.append(entity_id)
            kind = entity_kinds.get(entity_id)
            if kind == "person" and _near_say_word(words, i):
                details.speakers.append(entity_id)
            # A country is a place when the statement puts something in it ("troops in Syria"),
            # and an actor otherwise ("Iran-backed militias", "Turkey attacked").
            if kind == "place" or (kind == "country" and _locative(words, i)):
                if entity_id not in details.places:
                    details.places.append(entity_id)

    lowered = set(words)
    if lowered & SCOPE_SOME:
        details.scope = "some"
    if lowered & SCOPE_ALL:
        details.scope = "all"
    details.negated = sum(1 for w in words if w in NEGATIONS) % 2 == 1
    details.tense = _tense(words)
    return details


LOCATIVES = {"in", "into", "inside", "from", "out", "across", "within", "throughout", "leave", "leaving",
             "left", "withdraw", "withdrawing", "exit", "exiting", "at", "over", "around"}


def _locative(words: list[str], i: int) -> bool:
    before = words[max(0, i - 3): i]
    # skip words that sit between the preposition and the name ("in northern Iraq", "in the US")
    while before and before[-1] in ("the", "northern", "southern", "western", "eastern", "central", "neighbouring",
                                    "neighboring", "all", "of"):
        if before[-1] == "of" and len(before) > 1 and before[-2] == "out":
            return True
        before.pop()
    return bool(before) and before[-1] in LOCATIVES


def _near_say_word(words: list[str], i: int) -> bool:
    """Whether the person at words[i] is the one speaking: "X said", "X has said", "said X",
    "according to X" (not "the adviser to X said", where X is only named)."""
    if i >= 2 and words[i - 2:i] == ["according", "to"]:
        return True
    if i >= 1 and words[i - 1] in SAY_WORDS:
        return True
    return any(w in SAY_WORDS for w in words[i + 1: i + 3])


def _extract_dates(words: list[str], details: Details, consumed: set[int]) -> None:
    for i, word in enumerate(words):
        if i in consumed:
            continue
        # "end of 2026", "late 2026", "the end of the year" (year from a neighbouring mention)
        if word in YEAR_PARTS or word in ("end", "beginning", "start", "middle", "close"):
            j = i + 1
            if j < len(words) and words[j] == "of":
                j += 1
            if j < len(words) and words[j] == "the":
                j += 1
            if j < len(words) and re.fullmatch(r"(19|20)\d\d", words[j]):
                first, last = YEAR_PARTS[word]
                details.dates.append(month_span(int(words[j]), first, last, " ".join(words[i:j + 1])))
                consumed.update(range(i, j + 1))
                continue
            if j < len(words) and words[j] == "year" and word in YEAR_PARTS:
                year = _nearest_year(words, i)
                if year:
                    first, last = YEAR_PARTS[word]
                    details.dates.append(month_span(year, first, last, " ".join(words[i:j + 1])))
                consumed.update(range(i, j + 1))
                continue
        if word in MONTH_NAMES:
            month = MONTHS[word]
            day = None
            if i > 0 and re.fullmatch(r"\d{1,2}", words[i - 1]) and 1 <= int(words[i - 1]) <= 31:
                day = int(words[i - 1])
                consumed.add(i - 1)
            j = i + 1
            if j < len(words) and re.fullmatch(r"\d{1,2}", words[j]) and 1 <= int(words[j]) <= 31:
                day = int(words[j])
                consumed.add(j)
                j += 1
            if j < len(words) and re.fullmatch(r"(19|20)\d\d", words[j]):
                year = int(words[j])
                consumed.add(j)
                span = month_span(year, month, month, f"{word} {year}")
                if day:
                    try:
                        exact = span.start.replace(day=day)
                        span = DateSpan(exact, exact, f"{day} {word} {year}")
                    except ValueError:
                        pass
                details.dates.append(span)
            else:
                # "this September", "in June": the year is the speaker's, which we cannot know.
                details.dates.append(month_span(2000, month, month, word, year_known=False))
            consumed.add(i)
            if i > 0 and words[i - 1] in RELATIVE_YEAR:
                consumed.add(i - 1)
            continue
        if re.fullmatch(r"(19|20)\d\d", word) and i not in consumed:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt in _UNIT_OF:
                continue  # "2000 troops" is a count
            details.dates.append(month_span(int(word), 1, 12, word))
            consumed.add(i)


def _nearest_year(words: list[str], i: int) -> int | None:
    years = [(abs(j - i), int(w)) for j, w in enumerate(words) if re.fullmatch(r"(19|20)\d\d", w)]
    return min(years)[1] if years else None


def _extract_numbers(words: list[str], details: Details, consumed: set[int]) -> None:
    i = 0
    while i < len(words):
        if i in consumed:
            i += 1
            continue
        found = _number(words, i)
        if not found:
            # "a month-long war", "a year-long mission": one of the unit
            if words[i] in ("day", "week", "month", "year") and words[i + 1: i + 2] == ["long"]:
                details.durations.append(Duration(1, DURATION_UNITS[words[i]]))
                consumed.update((i, i + 1))
            if words[i] in ("hundreds", "dozens", "thousands"):
                scale = {"hundreds": (200, 999), "dozens": (24, 99), "thousands": (2000, 9999)}[words[i]]
                unit = _unit_after(words, i + 1)
                details.counts.append((NumRange(*scale, words[i]), unit))
            i += 1
            continue
        value, used = found
        if _is_year(value, words, i, used):
            i += used
            continue
        after = i + used
        # "12 day war", "three year timeframe": a duration
        if after < len(words) and words[after] in DURATION_UNITS:
            details.durations.append(Duration(value, DURATION_UNITS[words[after]]))
            consumed.update(range(i, after + 1))
            i = after + 1
            continue
        before = words[max(0, i - 3): i]
        label = " ".join(words[i:after])
        if any(w in APPROX_WORDS for w in before):
            rng = approx_range(value, label)
        elif any(w in AT_LEAST_WORDS for w in before[-2:]):
            rng = NumRange(value, float("inf"), label)
        elif any(w in AT_MOST_WORDS for w in before[-2:]) and "least" not in before:
            rng = NumRange(0.0, value, label)
        else:
            rng = NumRange(value, value, label)
        unit = _unit_after(words, after)
        if "$" in before or (i > 0 and words[i - 1] == "dollars"):
            unit = "dollars"
        details.counts.append((rng, unit))
        consumed.update(range(i, after))
        i = after


def _unit_after(words: list[str], start: int) -> str | None:
    for word in words[start: start + 4]:
        if word in _UNIT_OF:
            return _UNIT_OF[word]
        if word.startswith(ENTITY_PREFIX):
            continue
    return None


def _tense(words: list[str]) -> str | None:
    """'done' when the statement says a thing happened, 'plan' when it says it will; else None."""
    if "already" in words or "happened" in words:
        return "done"
    # "is to leave", "are to withdraw": the scheduled future
    be_to = any(a in ("is", "are", "was", "were") and b == "to" for a, b in pairwise(words))
    if be_to or any(w in PLAN_MARKERS for w in words):
        return "plan"
    if any(w in DONE_MARKERS for w in words):
        return "done"
    # "The withdrawal is complete", "US troops are out of Iraq": a finished state.
    for i, word in enumerate(words):
        if word in ("is", "are", "was", "were", "be", "been") and any(
                w in ("complete", "over", "out", "finished", "gone", "done", "ended") for w in words[i + 1:i + 3]):
            return "done"
    # "Did the US leave Iraq?" asks whether it happened.
    if (words and words[0] in ("did", "has", "have")) or "did" in words:
        return "done"
    if any(a in ("has", "have", "had") and b.endswith("ed") for a, b in pairwise(words)):
        return "done"
    return None

"""Read the details a statement commits to: dates, counts, durations, entities, scope, polarity, tense.

The verdict compares these with each version's values. Extraction works on the normalised
words (`claims.text`), so "Sept", "2.500", "Yanks" and "pulled out" are already canonical.
Dates a statement gives relative to today ("two years ago", "next month", "Q3 2026") are
resolved against the `today` it is given; the date of a speech ("In August 2025, officials
announced that...") is kept apart from the date of what was spoken of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from claims.lemmas import past_form, simple_past
from claims.text import ENTITY_PREFIX, GENERAL_UNITS, MONTH_NAMES, WORD_NUMBERS
from claims.values import (
    MONTHS,
    YEAR_PARTS,
    DateSpan,
    Duration,
    NumRange,
    approx_range,
    exact,
    month_span,
    nearly_range,
    year_slots,
)

APPROX_WORDS = {"about", "around", "approximately", "roughly", "some", "circa", "estimated", "~", "approx", "like",
                "nearly", "almost"}
NEARLY_WORDS = {"nearly", "almost"}
AT_LEAST_WORDS = {"over", "above", "more", "least", "exceeding", "upwards", "beyond"}
AT_MOST_WORDS = {"under", "below", "fewer", "less", "most", "up"}
DURATION_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "fortnight": "week",
                  "month": "month", "months": "month", "year": "year", "years": "year", "decade": "year",
                  "decades": "year"}
_UNIT_SCALE = {"fortnight": 2, "decade": 10, "decades": 10}

# The nouns that tell what a count counts come from the base's vocabulary (`Vocabulary.units`:
# "5,000 soldiers" counts troops in a war's base); counts are compared only with a claim of the
# same unit. Without a vocabulary, only money is known (`GENERAL_UNITS`).
SHARE = "share"  # fractions and percentages of a whole ("a third of Iraq", "40 percent")
FRACTIONS = {"half": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4, "fifth": 1 / 5,
             "fifths": 1 / 5, "tenth": 1 / 10, "tenths": 1 / 10}
# Words giving only an order of size: (lowest, highest) of what a reader takes them to mean.
VAGUE_COUNTS = {"dozens": (24, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
                "handful": (2, 9), "scores": (40, 99)}
VAGUE_HUNDREDS = {"few": (200, 500), "several": (200, 999), "many": (200, 999)}

SCOPE_ALL = {"all", "every", "entire", "entirely", "completely", "fully", "full", "total", "totally",
             "whole", "last", "remainder", "complete", "none", "nobody", "any"}
SCOPE_SOME = {"some", "several", "hundreds", "part", "partial", "partially", "few", "limited", "portion",
              "most", "handful", "certain"}
NEGATIONS = {"not", "no", "never", "none", "nobody", "neither", "nor", "nothing", "without", "deny",
             "denied", "false", "fake", "hoax", "myth"}

# Tense: what the statement asserts. Plans are not events: "will leave" is a plan, "left" is done.
PLAN_MARKERS = {"will", "would", "shall", "planned", "plan", "plans", "scheduled", "expected", "due", "going",
                "should", "supposed", "intends", "intend", "pledged", "promised", "proposed", "expects", "aims",
                "set"}
# Verbs whose "to ..." names something intended, not done: "agreed to leave" is a plan.
INTENT_VERBS = {"agree", "decide", "pledge", "promise", "plan", "vow", "aim", "intend", "expect", "schedule", "set",
                "propose", "threaten", "seek", "want", "hope", "commit", "prepare", "offer", "be", "due", "going",
                "suppose", "try", "ask", "urge", "call", "announce"}
# "as planned", "on schedule": the manner of something done, not a plan.
_AS_PLANNED = {("as", "planned"), ("as", "scheduled"), ("on", "schedule"), ("as", "agreed"), ("as", "promised")}
DONE_MARKERS = {"already", "happened", "completed", "finished", "done", "gone", "ended", "over"}
# Words that make a statement say only that something may be so.
# What someone only suspects or thinks is so ("officials suspect a rail fracture") is not said to be so.
OPINION_VERBS = frozenset({"suspect", "suspects", "suspected", "think", "thinks", "believe", "believes"})
HEDGES = {"may", "might", "could", "possibly", "perhaps", "probably", "likely", "unlikely", "unclear", "uncertain",
          "whether", "if", "expected", "maybe", "potentially", "possible", "seen", "reportedly", *OPINION_VERBS}
# Participles written as part of a compound adjective ("Iran-backed", "US-led", "state-funded").
COMPOUND_PARTICIPLES = {"backed", "led", "aligned", "funded", "based", "owned", "sponsored", "allied", "run",
                        "controlled", "affiliated", "linked", "armed", "called", "trained", "made"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my",
               "your", "so", "well", "newly", "recently", "already", "many", "some", "several", "all"}
AUXILIARY_PASTS = {"could", "would", "should", "might", "was", "were", "had", "did", "been", "got"}
BE_HAVE = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "got", "get", "gets"}
RELATIVE_YEAR = {"this", "next", "last", "coming", "past"}
SAY_WORDS = {"said", "says", "say", "stated", "announced", "announces", "announce", "confirmed", "confirms", "told",
             "claimed", "claims", "argued", "argues", "stressed", "revealed", "warned", "insisted", "declared",
             "remarked", "reaffirmed", "according", "admitted", "denied", "explained", "noted", "added", "reported",
             "reports", "writes", "wrote", "stating", "saying", "announcing"}
SPEAKER_KINDS = {"person", "country", "org", "group"}


@dataclass
class Details:
    """What a statement says, in the verdict's terms."""

    dates: list[DateSpan] = field(default_factory=list)  # when what the statement is about happened
    speech_dates: list[DateSpan] = field(default_factory=list)  # when someone said it ("in August, X announced")
    # Dates (among `dates`) that only bound when it happened: "after October 7", "following last
    # July's change" say it was later, not then.
    bounds: list[DateSpan] = field(default_factory=list)
    # Places (among `places`) named only in a phrase giving a cause or what is opposed: "due to
    # tensions sparked by Israel's war on Gaza", "warnings against the presence of troops in Iraq".
    asides: list[str] = field(default_factory=list)
    counts: list[tuple[NumRange, str | None]] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    scope: str | None = None
    negated: bool = False
    tense: str | None = None  # "done", "plan" or None (a present-tense statement of the plan)
    hedged: bool = False  # the statement itself only says it may be so
    consumed: set[int] = field(default_factory=set)  # word positions the details above were read from

    def slots(self) -> frozenset[str]:
        """The kinds of detail given, in the matcher's terms (see `claims.match.claim_slots`)."""

        out = {f"count:{unit}" if unit else "count" for _, unit in self.counts if unit != SHARE}
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


# Scale words after digits: "2.5 million"; and South Asian English's lakh (100,000) and crore
# (10 million), as Indian and Pakistani outlets write sums and counts ("Rs 3.5 lakh").
DIGIT_SCALES = {"million": 1e6, "billion": 1e9, "thousand": 1e3, "hundred": 1e2, "lakh": 1e5, "lakhs": 1e5,
                "crore": 1e7, "crores": 1e7}


def _and_units(words: list[str], i: int) -> bool:
    """Whether words[i] is the "and" of "one hundred and ten" (after hundred or thousand, a smaller
    number next)."""
    return (0 < i < len(words) - 1 and words[i] == "and" and words[i - 1] in ("hundred", "thousand")
            and WORD_NUMBERS.get(words[i + 1], 100) < 100)


def _number(words: list[str], i: int) -> tuple[float, int] | None:
    """A number at words[i] (digits or words like 'two thousand five hundred'); value and length."""
    word = words[i]
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        value, used = float(word), 1
        if i + 1 < len(words) and words[i + 1] in DIGIT_SCALES:
            value *= DIGIT_SCALES[words[i + 1]]
            used = 2
        return value, used
    if word in WORD_NUMBERS and word not in ("hundred", "thousand"):
        total, current, used = 0.0, float(WORD_NUMBERS[word]), 1
        while (i + used < len(words) and words[i + used] in WORD_NUMBERS) or _and_units(words, i + used):
            if words[i + used] == "and":
                used += 1  # "one hundred and ten": British English joins the tens to the hundreds
            nxt = WORD_NUMBERS[words[i + used]]
            if nxt in (100, 1000):
                current *= nxt
                if nxt == 1000:
                    total, current = total + current, 0.0
            else:
                current += nxt
            used += 1
        if i + used < len(words) and words[i + used] in ("million", "billion"):
            current *= {"million": 1e6, "billion": 1e9}[words[i + used]]
            used += 1
        return total + current, used
    if word in ("a", "an", "one") and i + 1 < len(words) and words[i + 1] in ("dozen", "hundred", "thousand",
                                                                                "million", "billion"):
        return {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9}[words[i + 1]], 2
    if word == "dozen":
        return 12.0, 1
    return None


def _is_year(value: float, words: list[str], i: int, used: int, units: dict[str, str]) -> bool:
    if not (1900 <= value <= 2100 and value == int(value)):
        return False
    nxt = words[i + used] if i + used < len(words) else ""
    return nxt not in units and nxt not in ("people", "us", "@us")


def extract(words: list[str] | tuple[str, ...], entity_kinds: dict[str, str] | None = None,
            today: date | None = None, units: dict[str, str] | None = None) -> Details:
    """Read the details of a normalised statement (see `claims.text.Normaliser.words`);
    `today` resolves relative dates ("last year"), which are left out without it; `units` maps
    the nouns a count may count to their unit (the base's `Vocabulary.units`)."""
    words = list(words)
    entity_kinds = entity_kinds or {}
    details = Details()
    consumed = details.consumed

    units = units if units is not None else GENERAL_UNITS
    dated = _extract_dates(words, details, consumed, today, units)
    _extract_numbers(words, details, consumed, units)

    for i, word in enumerate(words):
        if word.startswith(ENTITY_PREFIX):
            entity_id = word[len(ENTITY_PREFIX):]
            if entity_id not in details.entities:
                details.entities.append(entity_id)
            kind = entity_kinds.get(entity_id)
            if _speaks(words, i, kind) and entity_id not in details.speakers:
                details.speakers.append(entity_id)
            # A country is a place when the statement puts something in it ("troops in Syria"),
            # and an actor otherwise ("Iran-backed militias", "Turkey attacked").
            if (kind == "place" and not _acts(words, i)) or (kind == "country" and (
                    _locative(words, i) or _joined_to_place(words, i, details.places))):
                if entity_id not in details.places:
                    details.places.append(entity_id)
                    if _aside(words, i):
                        details.asides.append(entity_id)
                elif entity_id in details.asides and not _aside(words, i):
                    details.asides.remove(entity_id)

    if set(words) & SCOPE_SOME:
        details.scope = "some"
    # "last" in "last year" is a date, not the last of something.
    if {w for i, w in enumerate(words) if i not in consumed} & SCOPE_ALL:
        details.scope = "all"
    details.negated = sum(1 for w in words if w in NEGATIONS) % 2 == 1
    details.tense = _tense(words)
    details.hedged = hedged(words)
    _split_speech_dates(words, details, dated)
    return details


LOCATIVES = {"in", "into", "inside", "from", "out", "across", "within", "throughout", "leave", "leaving",
             "left", "withdraw", "withdrawing", "exit", "exiting", "at", "over", "around"}


# Words opening a phrase that gives a cause, a circumstance or what is opposed: a place in it is
# where that is, not where what the sentence reports happened.
ASIDE_WORDS = frozenset({"due", "because", "amid", "against", "following", "despite"})
# Words opening a clause of its own: an aside phrase before them has ended.
CLAUSE_WORDS = frozenset({"that", "which", "who", "when", "while", "where", "but", "after", "before"})


def _aside(words: list[str], i: int) -> bool:
    """Whether words[i] is inside a phrase giving a cause or what is opposed (`ASIDE_WORDS`); a
    clause of its own or a verb of being after it ends the phrase ("protests against the deal
    were held in Basra": Basra is where)."""
    for word in reversed(words[:i]):
        if word in CLAUSE_WORDS or word in BE_HAVE:
            return False
        if word in ASIDE_WORDS:
            return True
    return False


def _joined_to_place(words: list[str], i: int, places: list[str]) -> bool:
    """Whether a country is joined by "and" or "or" to a place just named ("in Syria and Iraq"): the
    preposition before the first holds for both, unless the second is the one acting ("troops in
    Syria and Iran attacked") or it only qualifies what comes next ("in Syria and Iranian militias": the
    name must end the phrase)."""
    after = words[i + 1] if i + 1 < len(words) else ""
    ends_phrase = not after or after in _PHRASE_ENDS or after.isdigit()
    return (i >= 2 and words[i - 1] in ("and", "or") and words[i - 2].startswith(ENTITY_PREFIX)
            and words[i - 2][len(ENTITY_PREFIX):] in places and ends_phrase and not _acts(words, i))


# Words that may follow a place closing a prepositional phrase ("in Syria and Iraq, and in 2014").
_PHRASE_ENDS = frozenset({"and", "or", "but", "in", "on", "at", "since", "until", "by", "for", "to", "from", "with",
                          "after", "before", "during", "where", "when", "while", "as", "which", "who", "that"})


def _acts(words: list[str], i: int) -> bool:
    """Whether a place is named as the one acting ("Ankara and Baghdad agreed", "Baghdad
    pledged"): a capital standing for its government, not somewhere things happen."""
    if _locative(words, i):
        return False
    after = words[i + 1: i + 6]
    if after[:1] == ["and"] and len(after) > 1 and after[1].startswith(ENTITY_PREFIX):
        after = after[2:]
    if after[:1] and after[0] in ("has", "have", "had"):
        # "Baghdad has long argued", "Ankara had repeatedly warned": a place saying something acts;
        # "Mosul has seen fighting" is still where it happens.
        rest = after[1:]
        while len(rest) > 1 and (rest[0] == "long" or rest[0].endswith("ly")):
            rest = rest[1:]
        return bool(rest) and rest[0] in SAY_WORDS
    verb = bool(after) and (past_form(after[0]) is not None or after[0] in SAY_WORDS)
    return verb and after[0] not in COMPOUND_PARTICIPLES


def _locative(words: list[str], i: int) -> bool:
    before = words[max(0, i - 3): i]
    # skip words that sit between the preposition and the name ("in northern Iraq", "in the US")
    while before and before[-1] in ("the", "northern", "southern", "western", "eastern", "central", "neighbouring",
                                    "neighboring", "all", "of"):
        if before[-1] == "of" and len(before) > 1 and before[-2] == "out":
            return True
        before.pop()
    return bool(before) and before[-1] in LOCATIVES


def _speaks(words: list[str], i: int, kind: str | None) -> bool:
    """Whether the entity at words[i] is the one speaking: "X said", "X has said", "according to
    X", and for a person also "said X" (not "the adviser to X said", where X is only named).
    A country, organisation or group speaks as the subject of a saying word ("Baghdad argues")."""
    if kind not in SPEAKER_KINDS:
        return False
    if i >= 2 and words[i - 2:i] == ["according", "to"]:
        return True
    if kind == "person":
        if i >= 1 and words[i - 1] in SAY_WORDS:
            return True
        return any(w in SAY_WORDS for w in words[i + 1: i + 3])
    # "Iraqi government sources announced", "US officials have confirmed"
    after = [w for w in words[i + 1: i + 5] if w not in ("officials", "sources", "government", "has", "have",
                                                          "had", "also", "officially", "publicly", "repeatedly")]
    return bool(after) and after[0] in SAY_WORDS and after[0] != "according"


def hedged(words: list[str]) -> bool:
    """Whether the words only say that something may be so ("may", "could", "it is unclear
    whether", "is expected to", "can be seen as")."""
    for i, word in enumerate(words):
        if word in HEDGES:
            if word == "seen" and "as" not in words[i + 1: i + 3]:
                continue
            if word == "expected" and "to" not in words[i + 1: i + 2]:
                continue
            return True
    return False


# --- dates ---------------------------------------------------------------------------------------


def _extract_dates(words: list[str], details: Details, consumed: set[int], today: date | None,
                   units: dict[str, str]) -> list[int]:
    """Read dates into details.dates; return the position each one starts at."""
    at: list[int] = []

    def add(span: DateSpan, start: int, end: int) -> None:
        details.dates.append(span)
        at.append(start)
        consumed.update(range(start, end))

    if today is not None:
        _relative_dates(words, today, add, consumed)
    for i, word in enumerate(words):
        if i in consumed:
            continue
        # "Q3 2026", "the third quarter of 2026"
        if word == "q" and i + 2 < len(words) and words[i + 1] in "1234" and re.fullmatch(r"(19|20)\d\d",
                                                                                             words[i + 2]):
            q = int(words[i + 1])
            add(month_span(int(words[i + 2]), 3 * q - 2, 3 * q, f"Q{q} {words[i + 2]}"), i, i + 3)
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
                add(month_span(int(words[j]), first, last, " ".join(words[i:j + 1])), i, j + 1)
                continue
            if j < len(words) and words[j] == "year" and word in YEAR_PARTS:
                year = _nearest_year(words, i)
                if year:
                    first, last = YEAR_PARTS[word]
                    add(month_span(year, first, last, " ".join(words[i:j + 1])), i, j + 1)
                else:
                    consumed.update(range(i, j + 1))
                continue
        # "09 2026" is what "09/2026" leaves when a writer's slash is not read as a date
        if re.fullmatch(r"0?[1-9]|1[0-2]", word) and i + 1 < len(words) and re.fullmatch(r"(19|20)\d\d",
                                                                                           words[i + 1]):
            if i == 0 or (words[i - 1] not in MONTH_NAMES and not re.fullmatch(r"\d+", words[i - 1])):
                month, year = int(word), int(words[i + 1])
                add(month_span(year, month, month, f"{month:02d}/{year}"), i, i + 2)
                continue
        if word in MONTH_NAMES:
            month = MONTHS[word]
            day = None
            start = i
            if i > 0 and re.fullmatch(r"\d{1,2}", words[i - 1]) and 1 <= int(words[i - 1]) <= 31:
                day = int(words[i - 1])
                start = i - 1
            j = i + 1
            if j < len(words) and re.fullmatch(r"\d{1,2}", words[j]) and 1 <= int(words[j]) <= 31:
                day = int(words[j])
                j += 1
            if j < len(words) and re.fullmatch(r"(19|20)\d\d", words[j]):
                year = int(words[j])
                span = month_span(year, month, month, f"{word} {year}")
                if day:
                    try:
                        exact_day = span.start.replace(day=day)
                        span = DateSpan(exact_day, exact_day, f"{day} {word} {year}")
                    except ValueError:
                        pass
                add(span, start, j + 1)
            else:
                # "this September", "in June": the year is the speaker's, which we cannot know.
                if i > 0 and words[i - 1] in RELATIVE_YEAR:
                    start = i - 1
                span = month_span(2000, month, month, word, year_known=False)
                if day:
                    # "September 8", "7 October": the day is kept (a report's reader resolves the
                    # year from its date); spans without a year still compare by month only.
                    exact_day = span.start.replace(day=min(day, span.end.day))
                    span = DateSpan(exact_day, exact_day, " ".join(words[start:j]), year_known=False)
                add(span, start, j)
            continue
        if re.fullmatch(r"(19|20)\d\d", word) and i not in consumed:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            before = words[i - 1] if i else ""
            time_preposition = before in ("by", "in", "since", "until", "till", "before", "after", "from", "of", "to",
                                          "during", "around", "early", "late", "mid")
            counted = _unit_after(words, i + 1, units) and nxt.startswith(ENTITY_PREFIX) and not time_preposition
            if nxt in units or counted or before in APPROX_WORDS | AT_LEAST_WORDS | AT_MOST_WORDS | {"than"}:
                continue  # "2000 troops", "about 2,000 US troops", "more than 2000": a count
            add(month_span(int(word), 1, 12, word), i, i + 1)
    shifted = _interval_shifts(words, details, at, consumed)
    for k, (span, start) in enumerate(zip(details.dates, at, strict=True)):
        if k in shifted:
            continue
        # "after October 7", "following last July's change", "after the US 2024 elections"
        before = start - 1
        while before >= 0 and (words[before] in ("the", "last", "this", "its", "their")
                               or words[before].startswith(ENTITY_PREFIX)) and start - before <= 3:
            before -= 1
        if before >= 0 and words[before] in BOUND_WORDS:
            details.bounds.append(span)
    return at


# What makes the date after it a bound, not the date: "after October 7", "following last July's change".
BOUND_WORDS = frozenset({"after", "following"})
# How far (in words) "N months before" may stand from the date it counts from ("one month before
# Iraq's parliamentary elections in October 2025").
_SHIFT_REACH = 6


def _interval_shifts(words: list[str], details: Details, at: list[int], consumed: set[int]) -> set[int]:
    """A date counted from another one: "one month before the elections in October 2025" is from
    September to October 2025 (the day of the later date is not known, and "a month" in a report
    is loose: from the month it points to up to the date it counts from); "two years after 2011"
    is 2011 to 2013. Only for dates whose year is given. Returns which of the dates were moved."""
    shifted: set[int] = set()
    for k, (span, start) in enumerate(zip(details.dates, at, strict=True)):
        if not span.year_known:
            continue
        for b in range(start - 1, max(-1, start - 1 - _SHIFT_REACH), -1):
            if words[b] not in ("before", "after") or b < 2 or words[b - 1] not in DURATION_UNITS:
                continue
            if any(w in MONTH_NAMES or re.fullmatch(r"(19|20)\d\d", w) for w in words[b + 1:start]):
                break  # another date stands between: it is the one counted from
            amount, first = _amount_before(words, b - 1)
            unit = DURATION_UNITS[words[b - 1]]
            if amount is None or unit not in ("month", "year"):
                break
            months = round(amount * _UNIT_SCALE.get(words[b - 1], 1) * (12 if unit == "year" else 1))
            if words[b] == "before":
                moved = _months_later(span.start, -months)
                details.dates[k] = DateSpan(moved, span.end, f"{' '.join(words[first:b + 1])} {span.label}")
            else:
                moved = _months_later(span.end, months, last_day=True)
                details.dates[k] = DateSpan(span.start, moved, f"{' '.join(words[first:b + 1])} {span.label}")
            consumed.update(range(first, b + 1))
            shifted.add(k)
            break
    return shifted


def _months_later(day: date, months: int, last_day: bool = False) -> date:
    """The first (or last) day of the month `months` after the one `day` is in."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    span = month_span(year, month + 1, month + 1, "")
    return span.end if last_day else span.start


_UNIT_WORDS_OF_TIME = {"year": "year", "years": "year", "month": "month", "months": "month", "decade": "decade",
                       "decades": "decade", "week": "week", "weeks": "week"}


def _relative_dates(words: list[str], today: date, add, consumed: set[int]) -> None:
    """'two years ago', 'last year', 'next month', 'this past June', 'in six months'."""
    for i, word in enumerate(words):
        if i in consumed:
            continue
        # "two years ago", "a decade ago", "twelve years ago"
        if word in _UNIT_WORDS_OF_TIME and i + 1 < len(words) and words[i + 1] == "ago":
            amount, start = _amount_before(words, i)
            if amount is not None:
                add(_shifted(today, -amount, _UNIT_WORDS_OF_TIME[word], " ".join(words[start:i + 2])), start, i + 2)
            continue
        # "in six months", "in two years", "in two years' time"
        if word in _UNIT_WORDS_OF_TIME and i >= 2 and words[i - 2] == "in":
            amount, start = _amount_before(words, i)
            if amount is not None and start == i - 1:
                end = i + 2 if words[i + 1: i + 2] == ["time"] else i + 1
                add(_shifted(today, amount, _UNIT_WORDS_OF_TIME[word], " ".join(words[i - 2:end])), i - 2, end)
            continue
        if word in ("last", "next", "this", "coming", "past", "previous") and i + 1 < len(words):
            j = i + 1
            if word == "this" and words[j] == "past" and j + 1 < len(words):
                j += 1
            unit = words[j]
            label = " ".join(words[i:j + 1])
            step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[word]
            if j > i + 1:  # "this past ..."
                step = -1
            if unit in ("year", "month"):
                add(_shifted(today, step, unit, label), i, j + 1)
            elif unit in MONTH_NAMES and j > i + 1:
                # "this past June": the latest June before this month
                month = MONTHS[unit]
                year = today.year if month < today.month else today.year - 1
                add(month_span(year, month, month, label), i, j + 1)


def _amount_before(words: list[str], i: int) -> tuple[float | None, int]:
    """The number right before words[i] ('two', '12', 'a'), and where it starts."""
    if i >= 1 and words[i - 1] in ("a", "an", "one"):
        return 1.0, i - 1
    if (i >= 2 and words[i - 2:i] == ["a", "couple"]) or (i >= 3 and words[i - 3:i] == ["a", "couple", "of"]):
        return 2.0, i - (3 if words[i - 1] == "of" else 2)
    for start in range(max(0, i - 4), i):
        found = _number(words, start)
        if found and start + found[1] == i:
            return found[0], start
    return None, i


def _shifted(today: date, amount: float, unit: str, label: str) -> DateSpan:
    """The calendar year, or month, `amount` units from today: "two years ago" in 2026 is 2024."""
    if unit == "decade":
        unit, amount = "year", amount * 10
    if unit == "week":
        unit, amount = "month", round(amount / 4.345)
    n = round(amount)
    if unit == "year":
        return month_span(today.year + n, 1, 12, label)
    index = today.year * 12 + today.month - 1 + n
    year, month = divmod(index, 12)
    return month_span(year, month + 1, month + 1, label)


def _nearest_year(words: list[str], i: int) -> int | None:
    years = [(abs(j - i), int(w)) for j, w in enumerate(words) if re.fullmatch(r"(19|20)\d\d", w)]
    return min(years)[1] if years else None


def _split_speech_dates(words: list[str], details: Details, starts: list[int]) -> None:
    """Dates belonging to a saying are the speech's, not the event's: "In August 2025 officials
    announced that X would begin in September" (before the saying's "that"), "al-Sudani
    reaffirmed in July that...", "al-Abassi confirmed it on September 8"."""
    says = [i for i, w in enumerate(words) if w in SAY_WORDS and w != "according"]
    if not says or not details.dates:
        return
    say = says[0]
    if say >= len(words) - 3:
        return  # "..., Iraqi officials said": a trailing attribution; the dates are the event's
    complement = next((j for j in range(say + 1, len(words)) if words[j] == "that"), None)
    speech, event = [], []
    for span, start in zip(details.dates, starts, strict=True):
        if complement is not None:
            is_speech = start < complement
        else:
            is_speech = start < say or start <= say + 2 or (start > 0 and words[start - 1] == "on")
        (speech if is_speech else event).append(span)
    details.speech_dates, details.dates = speech, event


# --- counts and durations --------------------------------------------------------------------------


def _extract_numbers(words: list[str], details: Details, consumed: set[int], units: dict[str, str]) -> None:
    i = 0
    last: tuple[NumRange, str | None, int, str] | None = None  # the last figure of a named unit, its end and bound
    while i < len(words):
        if i in consumed:
            i += 1
            continue
        share = _share(words, i)
        if share:
            rng, used = share
            details.counts.append((rng, SHARE))
            consumed.update(range(i - _modifier_length(words, i), i + used))
            i += used
            continue
        vague = _vague(words, i)
        if vague:
            rng, used = vague
            details.counts.append((rng, _unit_after(words, i + used, units)))
            consumed.update(range(i, i + used))
            i += used
            continue
        found = _number(words, i)
        if not found:
            # "a month-long war", "a year-long mission": one of the unit
            if words[i] in ("day", "week", "month", "year") and words[i + 1: i + 2] == ["long"]:
                details.durations.append(Duration(1, DURATION_UNITS[words[i]]))
                consumed.update((i, i + 1))
            elif words[i] in ("decade", "fortnight", "day", "week", "month", "year") and _bound_before(
                    words, i) != "exact" and i > 0 and words[i - 1] in ("a", "an", "one"):
                # "more than a decade", "less than a fortnight"
                bound = _bound_before(words, i)
                details.durations.append(Duration(_UNIT_SCALE.get(words[i], 1), DURATION_UNITS[words[i]], bound))
                consumed.update(range(i - _modifier_length(words, i), i + 1))
            i += 1
            continue
        value, used = found
        if _is_year(value, words, i, used, units):
            i += used
            continue
        after = i + used
        clock = _clock_time(words, after)
        if clock or (value == 1 and words[after: after + 1] == ["of"]):
            # "at 3 a.m.", "3:10 am": a time of day; "one of the coaches": which, not how many
            consumed.update(range(i, after + clock))
            i = after + clock
            continue
        bound = _bound_before(words, i)
        modifier = _modifier_length(words, i)
        # "12 day war", "three year timeframe", "two decades": a duration
        if after < len(words) and words[after] in DURATION_UNITS:
            unit_word = words[after]
            if words[after + 1: after + 2] in (["later"], ["earlier"]):
                # "two years later": when, counted from something told before, not how long
                consumed.update(range(i - modifier, after + 2))
                i = after + 2
                continue
            amount = value * _UNIT_SCALE.get(unit_word, 1)
            details.durations.append(Duration(amount, DURATION_UNITS[unit_word], bound))
            consumed.update(range(i - modifier, after + 1))
            i = after + 1
            continue
        label = " ".join(words[i:after])
        if bound == "about":
            rng = approx_range(value, label)
        elif bound == "nearly":
            rng = nearly_range(value, label)
        elif bound == "more":
            inclusive = "least" in words[max(0, i - 2): i] or _or_more(words, after)
            rng = NumRange(value if inclusive else value * (1 + 1e-9), float("inf"), label)
        elif bound == "less":
            inclusive = "most" in words[max(0, i - 2): i] or words[i - 2: i] == ["up", "to"]
            rng = NumRange(0.0, value if inclusive else value * (1 - 1e-9), label)
        elif _or_more(words, after):
            rng = NumRange(value, float("inf"), label)
        else:
            rng = exact(value, label)
        if after < len(words) and words[after] == "percent":
            details.counts.append((_scaled(rng, 0.01), SHARE))
            consumed.update(range(i - modifier, after + 1))
            i = after + 1
            continue
        unit = _unit_after(words, after, units)
        if "$" in words[max(0, i - 3): i] or (i > 0 and words[i - 1] == "dollars"):
            unit = "dollars"
        if unit is None and bound == "exact" and last is not None and _elided_after(words, last[2], i):
            # "about 2,500 troops in Iraq and an additional 900 in Syria": 900 troops, about as many
            unit = last[1]
            if last[3] == "about":
                rng = approx_range(value, label)
        details.counts.append((rng, unit))
        consumed.update(range(i - modifier, after))
        last = (rng, unit, after, bound) if unit else None
        i = after


# What may stand between "and" and a second figure whose noun is left out ("and an additional 900").
_ELIDED_OPENERS = frozenset({"a", "an", "another", "additional", "further", "extra", "other"})
# How far the second figure may come after the first one's end ("2,500 troops stationed in Iraq and 900").
_ELISION_REACH = 8


def _elided_after(words: list[str], end: int, i: int) -> bool:
    """Whether the figure at words[i] is a second one joined by "and" to the figure ending at
    `end`, its noun left out ("2,500 troops in Iraq and an additional 900 in Syria"): it counts
    what the first counts, and an "about" before the first holds for both."""
    between = words[end:i]
    if not 0 < len(between) <= _ELISION_REACH or "and" not in between:
        return False
    tail = between[len(between) - between[::-1].index("and"):]
    return all(w in _ELIDED_OPENERS for w in tail) and not any(_number(words, j) for j in range(end, i))


def _clock_time(words: list[str], after: int) -> int:
    """How many words after an hour make it a time of day ("3 a.m.", "3:10 am", "11 pm"), or 0."""
    j = after + 1 if words[after: after + 1] and words[after].isdigit() and len(words[after]) == 2 else after
    if words[j: j + 2] in (["a", "m"], ["p", "m"]):
        return j + 2 - after
    if words[j: j + 1] in (["am"], ["pm"]):
        return j + 1 - after
    return 0


def _bound_before(words: list[str], i: int) -> str:
    """How the words before a number bound it: about, nearly, more, less or exact."""
    before = words[max(0, i - 4): i]
    while before and before[-1] in ("a", "an", "the"):
        before.pop()
    last, pair = before[-1:], before[-2:]
    if before[-3:] in (["no", "more", "than"], ["not", "more", "than"]):
        return "less"
    if before[-3:] in (["no", "less", "than"], ["not", "less", "than"], ["no", "fewer", "than"]):
        return "more"
    if (last and last[0] in NEARLY_WORDS) or pair in (["just", "under"], ["close", "to"], ["just", "shy"]):
        return "nearly"
    if pair in (["more", "than"], ["at", "least"], ["upwards", "of"], ["in", "excess"]) or (last and last[0] in (
            "over", "above", "exceeding", "beyond")):
        return "more"
    if pair in (["less", "than"], ["fewer", "than"], ["at", "most"], ["up", "to"], ["no", "more"]) or (last and (
            last[0] in ("under", "below"))):
        return "less"
    if any(w in APPROX_WORDS for w in before[-3:]):
        return "about"
    return "exact"


def _or_more(words: list[str], after: int) -> bool:
    """'70 or more', '70 attacks or more'."""
    tail = words[after: after + 4]
    return any(tail[k: k + 2] == ["or", "more"] for k in range(len(tail) - 1))


def _modifier_length(words: list[str], i: int) -> int:
    """How many words before words[i] only bound the number ('more than', 'at least', 'nearly')."""
    n = 0
    while i - n - 1 >= 0 and (words[i - n - 1] in APPROX_WORDS | AT_LEAST_WORDS | AT_MOST_WORDS | NEARLY_WORDS
                              or words[i - n - 1] in ("than", "at", "just", "to", "close", "a", "an", "no")):
        n += 1
        if n >= 3:
            break
    return n


def _share(words: list[str], i: int) -> tuple[NumRange, int] | None:
    """'a third of', 'half of', 'two-thirds', 'nearly a third': a share of a whole."""
    j, n = i, 1.0
    if words[j] in ("a", "an", "one"):
        j += 1
    elif words[j] in WORD_NUMBERS and j + 1 < len(words) and words[j + 1] in FRACTIONS:
        n = float(WORD_NUMBERS[words[j]])
        j += 1
    elif words[j] != "half":
        return None
    if j >= len(words) or words[j] not in FRACTIONS:
        return None
    if words[j] == "quarter" and j + 1 < len(words) and (words[j + 1] == "of" and j + 2 < len(words)
                                                         and re.fullmatch(r"(19|20)\d\d", words[j + 2])):
        return None  # "a quarter of 2026" is a date
    value = n * FRACTIONS[words[j]]
    label = " ".join(words[i:j + 1])
    bound = _bound_before(words, i)
    if bound == "nearly":
        return nearly_range(value, label), j + 1 - i
    if bound == "about":
        return approx_range(value, label), j + 1 - i
    if bound == "more":
        return NumRange(value * (1 + 1e-9), 1.0, label), j + 1 - i
    if bound == "less":
        return NumRange(0.0, value * (1 - 1e-9), label), j + 1 - i
    return exact(value, label), j + 1 - i


def _vague(words: list[str], i: int) -> tuple[NumRange, int] | None:
    """'hundreds', 'dozens', 'a few hundred', 'several hundred': an order of size only."""
    word = words[i]
    if word in VAGUE_COUNTS:
        lo, hi = VAGUE_COUNTS[word]
        return NumRange(lo, hi, word, vague=True), 1
    if word == "a" and words[i + 1: i + 2] == ["handful"]:
        lo, hi = VAGUE_COUNTS["handful"]
        return NumRange(lo, hi, "a handful", vague=True), 2
    j = i + 1 if word == "a" else i
    if j < len(words) and words[j] in VAGUE_HUNDREDS and words[j + 1: j + 2] == ["hundred"]:
        lo, hi = VAGUE_HUNDREDS[words[j]]
        return NumRange(lo, hi, " ".join(words[i:j + 2]), vague=True), j + 2 - i
    if j < len(words) and words[j] in VAGUE_HUNDREDS and words[j + 1: j + 2] == ["thousand"]:
        lo, hi = VAGUE_HUNDREDS[words[j]]
        return NumRange(lo * 10, hi * 10 + 9, " ".join(words[i:j + 2]), vague=True), j + 2 - i
    return None


def _scaled(rng: NumRange, factor: float) -> NumRange:
    return NumRange(rng.lo * factor, rng.hi * factor, rng.label + " percent",
                    None if rng.nominal is None else rng.nominal * factor, rng.vague)


def _unit_after(words: list[str], start: int, units: dict[str, str]) -> str | None:
    for word in words[start: start + 4]:
        if word in units:
            return units[word]
        if word.startswith(ENTITY_PREFIX):
            continue
    return None


# --- tense -----------------------------------------------------------------------------------------


def _tense(words: list[str]) -> str | None:
    """'done' when the statement says a thing happened, 'plan' when it says it will; else None.

    Read by meaning, not spelling: "flew", "withdrew", "went" and a misspelt past form are
    past; "agreed to leave" is a plan (the leaving is only agreed), "left" an event."""
    words = [w for w in words]
    for a, b in _AS_PLANNED:
        for k in range(len(words) - 1):
            if words[k] == a and words[k + 1] == b:
                words[k] = words[k + 1] = "_"
    if "already" in words or "happened" in words:
        return "done"
    # "is to leave", "are to withdraw": the scheduled future
    be_to = any(a in ("is", "are", "was", "were") and b == "to" for a, b in pairwise(words))
    due = any(w == "due" and n in ("by", "in", "on", "for") for w, n in pairwise(words))
    markers = PLAN_MARKERS - {"due"}
    if be_to or due or any(w in markers for w in words) or _intends(words):
        return "plan"
    if any(w in DONE_MARKERS for w in words) or _past_verb(words):
        return "done"
    # "The withdrawal is complete", "US troops are out of Iraq": a finished state.
    for i, word in enumerate(words):
        if word in ("is", "are", "was", "were", "be", "been") and any(
                w in ("complete", "over", "out", "finished", "gone", "done", "ended") for w in words[i + 1:i + 3]):
            return "done"
    # "Did the US leave Iraq?" asks whether it happened.
    if (words and words[0] in ("did", "has", "have")) or "did" in words:
        return "done"
    return None


def _intends(words: list[str]) -> bool:
    """A verb of intent before "to" and a verb: "agreed to leave", "promised to withdraw"."""
    for i in range(1, len(words) - 1):
        if words[i] != "to":
            continue
        before = past_form(words[i - 1]) or words[i - 1]
        if before in INTENT_VERBS or words[i - 1] in INTENT_VERBS:
            return True
    return False


def _past_verb(words: list[str]) -> bool:
    """A past form used as a verb: after be/have ("was killed", "have left"), or a simple past
    that is not an adjective ("the proposed timeframe", "Iran-backed groups", "armed groups")."""
    for i, word in enumerate(words):
        if word.startswith(ENTITY_PREFIX) or word in AUXILIARY_PASTS or not word.isalpha() or past_form(word) is None:
            continue
        before = words[i - 1] if i else ""
        if before in ("to", "will", "would", "can", "could", "may", "might", "must", "shall", "should"):
            continue
        if i >= 2 and words[i - 2] in ("has", "have", "had") and before not in ("to",):
            return True  # "have now become", "has already left"
        if before in BE_HAVE or (i >= 2 and words[i - 2] in BE_HAVE and before.endswith("ly")):
            if before in ("is", "are", "be", "being", "get", "gets"):
                continue  # "is scheduled", "are stationed": a present state
            return True
        if word in COMPOUND_PARTICIPLES and (before.startswith(ENTITY_PREFIX) or before in DETERMINERS):
            continue
        if before in DETERMINERS or before in ("most", "more", "less", "un"):
            continue
        if not simple_past(word):
            continue  # "gone", "withdrawn": a participle alone asserts nothing past
        return True
    return False

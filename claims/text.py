"""Text normalisation shared by the claim base and users' statements.

Both sides go through the same steps, so "Yanks", "U.S." and "American" meet as the entity `us`,
"Sept" as "september", "2.500" as 2500, "died" and "killed" as the concept `kill`, and (with
the starter base's vocabulary, `Vocabulary`) "pulled out" as `withdraw`. What every English
reader knows is here; what a topic's writers mean by their words is its base's. The result
keeps two views of a text: `words` (lower-case, entities and numbers canonical, every word kept:
what slot extraction reads) and `terms` (stemmed concept tokens without stop words, numbers or
dates: what the matcher compares).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from claims.models import Entity, EntityKind, Term, TermKind

ENTITY_PREFIX = "@"

# Month spellings people use; the matcher never sees months (they are slots, not topic).
MONTH_ALIASES = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december",
}
MONTH_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}

# Phrases rewritten before tokenising: idioms whose words mislead one at a time.
# Each rule is (a word that must occur for it to apply, pattern, replacement): the guard
# skips a regex pass over texts it cannot change (normalising a large base runs these a lot).
PHRASES: list[tuple[str, re.Pattern[str], str]] = [
    (guard, re.compile(pattern), replacement)
    for guard, pattern, replacement in [
        ("that", r"\b(?:is|isn't|is not) it (?:true|correct|right|a fact) that\b", " "),
        # "1,000 troops are left in Iraq" says how many are there, not that any left.
        ("left", r"\b(is|are|was|were) (?:still )?left (?=in\b)", r" \1 "),
        ("left", r"\bleft behind\b", " remain "),
        ("how many", r"\bhow many\b", " number "),
        (" no", r"\b(?:said|says|say|saying) no\b", " refused "),
        ("back in ", r"\bback in (?=(?:19|20)\d\d\b)", " in "),
        ("gonna", r"\bgonna\b", " going to "),
        ("to an end", r"\bcom(?:e|es|ing)\s+to\s+an\s+end\b", " ends "),
        ("to an end", r"\bcame\s+to\s+an\s+end\b", " ended "),
        ("wanna", r"\bwanna\b", " want to "),
        ("n't", r"\bcan't\b", " can not "),
        ("n't", r"\bwon't\b", " will not "),
        ("n't", r"\bain't\b", " is not "),
        ("n't", r"n't\b", " not "),
        ("%", r"(?<=\d)\s*%", " percent "),
        ("per cent", r"\bper cent\b", " percent "),
        ("longer", r"\bno longer\b", " not "),
        # "held" is mostly "held territory" or "held talks"; only "on hold" is a delay.
        ("hold", r"\b(?:put |placed |kept )?on hold\b", " postponed "),
        (".s", r"\bu\.s\.?-led\b", " us led "),
    ]
]

# Concept groups any English reader knows: every word on the right is read as the word on the
# left. A topic's own groups ("pulled out" and "drawdown" as *withdraw*, "struck" as *attack* in a
# war, "GIs" as *troops*) are data in its base's vocabulary (see `Vocabulary`), never here.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "remain": ("remain", "remains", "remaining", "stay", "stays", "staying", "stayed", "keep", "keeps",
               "continue", "continues", "behind"),
    "attack": ("attack", "attacks", "attacking", "attacked", "assault", "assaults", "bomb", "bombs", "bombing",
               "bombed", "bombarding", "airstrike", "airstrikes", "raid", "raids", "shelling"),
    "agreement": ("agreement", "agreements", "deal", "deals", "accord", "pact", "understanding", "agree",
                  "agreed", "agrees", "arrangement"),
    "end": ("end", "ends", "ended", "ending", "over", "finish", "finished", "finishes", "complete",
            "completed", "completes", "completion", "conclude", "concluded", "concludes", "final",
            "finalize", "finalized", "finalised", "done", "wrap"),
    "begin": ("begin", "begins", "began", "begun", "beginning", "start", "starts", "started",
              "starting", "commence", "commenced", "launch", "launched", "initiate", "initiated",
              "kick", "underway"),
    "say": ("say", "says", "said", "saying", "state", "stated", "states", "announce", "announced",
            "announces", "declare", "declared", "confirm", "confirmed", "confirms", "told", "tell",
            "claim", "claimed", "stress", "stressed", "argue", "argued", "remark", "remarked", "reveal",
            "revealed", "insist", "insisted", "warn", "warned", "according", "reaffirm", "reaffirmed"),
    "war": ("war", "wars", "conflict", "fighting", "fought", "fight", "battle", "clash", "clashes"),
    "defeat": ("defeat", "defeated", "beat", "beaten", "crushed", "vanquished", "victory", "defeating"),
    # Dying and being killed: "died", "dead", "deaths" and "killed" say the same of a toll.
    "kill": ("kill", "killed", "kills", "killing", "assassinate", "assassinated", "slain", "eliminated",
             "die", "died", "dies", "dying", "dead", "death", "deaths", "fatalities"),
    "negotiate": ("negotiation", "negotiations", "negotiate", "negotiated", "negotiating", "talks",
                  "talk", "discussions", "negotiators"),
    "postpone": ("postpone", "postponed", "delay", "delayed", "delays"),
    "interview": ("interview", "tv", "television", "channel", "broadcast"),
    "phase": ("phase", "phases", "stage", "stages", "step"),
    "plan": ("plan", "plans", "planned", "scheduled", "schedule", "timetable", "timeline", "timeframe"),
    "relocate": ("relocate", "relocated", "relocating", "relocation", "move", "moved", "moving",
                 "redeploy", "redeployed", "transfer", "transferred", "shift", "shifted"),
    "invade": ("invasion", "invade", "invaded", "invading"),
    "occupy": ("occupation", "occupied", "occupy", "occupying"),
    "election": ("election", "elections", "polls", "vote", "elected"),
    "budget": ("budget", "funding", "funds", "funded", "money"),
}
_SYNONYM_OF = {variant: canon for canon, variants in SYNONYMS.items() for variant in variants}

STOP_WORDS = frozenset(
    """a an the and or but if of to in on at by for from with into onto as is are was were be been being
    am do does did doing have has had having will would shall should can could may might must it its
    this that these those there here their they them he she his her him we our you your i me my who
    whom whose which what when where why how than then so such very too also just only even about
    around approximately roughly nearly almost some any all each every both either neither not no nor
    never more most less least many much few several other another same own up down off again further
    once yet still already now currently today really actually apparently supposedly basically
    literally true fact check heard hear know think believe reportedly wait lol lmao omg pls please hey
    guys everyone ok okay yeah yes bro tho fr ngl tbh idk imo r u ur ya y'all yall k hmm uh um like
    well right gonna wanna via per whether while during after before since until till upon within
    without across over under between among going go get got new news report reports reported
    yo dude hi hello plz srsly wtf btw anyone someone somebody lmk guess
    completely fully entirely totally wholly partially partly happen happens happening happened occur occurs
    percent half third thirds quarter quarters fifth fifths tenth tenths""".split()  # noqa: SIM905
)
# Words that carry meaning even though they look like filler in other settings.
KEEP_WORDS = frozenset({"over", "out", "left", "after", "before", "during", "since", "until"})

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of a concept word (cached: the same few thousand words recur)."""
    return _stemmer.stemWord(word)


# Inflections the lists above miss ("evacuated") reach their concept through the stem.
_SYNONYM_OF_STEM = {stem(variant): canon for variant, canon in _SYNONYM_OF.items() if len(variant) > 3}


_PLAIN_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "´": "'",
                                    "`": "'"})


def fold(text: str) -> str:
    """Unicode-fold: NFKC, straight quotes, plain dashes (case is kept)."""
    if text.isascii():  # NFKC leaves ASCII alone, and the backtick is the only ASCII to replace
        return text.replace("`", "'")
    return unicodedata.normalize("NFKC", text).translate(_PLAIN_PUNCTUATION)


AMBIGUOUS_SHORT_NAMES = frozenset({"us", "is", "it", "pm", "un", "oir", "man", "am", "in", "so", "do"})


_CHAT_US = re.compile(r"\bus(?=[ -]+(?:troops?|forces?|soldiers?|military|personnel|army|bases?|"
                      r"officials?|withdrawal|presence|government|embassy|led|marines|convoy)\b)")
_THE_US = re.compile(r"\b([Tt]he) us\b")
_ENTITY_TOKEN = re.compile(rf"{ENTITY_PREFIX}([a-z0-9-]+)")


class EntityIndex:
    """Finds entity names in text, longest name first; short all-capital names match only in capitals."""

    def __init__(self, entities: Iterable[Entity], as_written: Iterable[str] = (), titles: Iterable[str] = ()):
        """`as_written`: names that match only as written, capitals included (a place's name that
        is also an English word: "Georgia", "Chad", "Victoria"); `titles`: a topic's titles
        written before a person's name, beyond the English ones (a base's `Vocabulary.titles`)."""
        self.entities: dict[str, Entity] = {}
        self.ancestors: dict[str, frozenset[str]] = {}
        self.as_written = frozenset(as_written)
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for entity in entities:
            self.entities[entity.id] = entity
            for name in entity.names:
                name = fold(name).strip()
                # "US" and "IT" are also words; such names match only in capitals.
                if (len(name) <= 4 and name.isupper() and name.lower() in AMBIGUOUS_SHORT_NAMES) or (
                        name in self.as_written):
                    exact[name] = entity.id
                else:
                    folded[name.lower()] = entity.id
        self._exact = exact
        self._folded = folded
        self._exact_re = _alternation(exact, flags=0)
        # (the case-blind pattern, `_folded_re`, is compiled when a text first needs it: rarely)
        self._folded_lower_re = _alternation(folded, flags=0)
        people = sorted(e.id for e in self.entities.values() if e.kind is EntityKind.PERSON)
        self._people = frozenset(people)
        countries = sorted(e.id for e in self.entities.values() if e.kind is EntityKind.COUNTRY)
        self._titled_re = _titled_pattern(people, countries, tuple(titles)) if people else None
        for entity_id in self.entities:
            self.ancestors[entity_id] = frozenset(self._walk_up(entity_id))
        self._affiliations: dict[str, frozenset[str]] = {}
        self._country_names: dict[str, list[tuple[tuple[str, ...], bool, str]]] | None = None

    def _folded_re(self) -> re.Pattern[str]:
        found = _alternation(self._folded, flags=re.IGNORECASE)
        assert found is not None
        return found

    def _walk_up(self, entity_id: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.entities[entity_id].part_of)
        while stack:
            parent = stack.pop()
            if parent not in seen and parent in self.entities:
                seen.add(parent)
                stack.extend(self.entities[parent].part_of)
        return seen

    def affiliations(self, entity_id: str) -> frozenset[str]:
        """The entity, what it is part of, and the countries its names name ("US Defense
        Secretary" is Lloyd Austin's: he acts for the US)."""
        if entity_id not in self._affiliations:
            out = {entity_id, *self.ancestors.get(entity_id, ())}
            entity = self.entities.get(entity_id)
            if entity is not None and entity.kind in (EntityKind.PERSON, EntityKind.ORG, EntityKind.GROUP):
                for name in entity.names:
                    out.update(self._countries_named_in(fold(name)))
            self._affiliations[entity_id] = frozenset(out)
        return self._affiliations[entity_id]

    def _countries_named_in(self, text: str) -> set[str]:
        """The countries whose names occur as words of `text` ("US" in "US Defense Secretary")."""
        if self._country_names is None:
            by_first: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
            for entity in self.entities.values():
                if entity.kind is EntityKind.COUNTRY:
                    for name in entity.names:
                        words = tuple(_name_words(fold(name)))
                        exact = name.isupper() and len(name) <= 4
                        if words:
                            needle = words if exact else tuple(w.lower() for w in words)
                            by_first.setdefault(needle[0].lower(), []).append((needle, exact, entity.id))
            self._country_names = by_first
        words = _name_words(text)
        lowered = [w.lower() for w in words]
        found = set()
        for i, first in enumerate(lowered):
            for needle, exact, country in self._country_names.get(first, ()):
                haystack = words if exact else lowered
                if tuple(haystack[i:i + len(needle)]) == needle:
                    found.add(country)
        return found

    def kind(self, entity_id: str) -> EntityKind | None:
        entity = self.entities.get(entity_id)
        return entity.kind if entity else None

    def related(self, a: str, b: str) -> bool:
        """Whether two entities can refer to the same thing: equal, or one contains the other."""
        return a == b or a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())

    def resolve(self, name: str) -> str | None:
        """The entity a free-text name (e.g. a `said_by`) refers to, if any."""
        found = self.replace(fold(name))[1]
        return found[0] if found else None

    def replace(self, text: str) -> tuple[str, list[str]]:
        """Replace entity names with `@id` tokens; return the text and the ids in order of mention."""
        found: list[str] = []

        def sub_exact(m: re.Match[str]) -> str:
            found.append(self._exact[m.group("name")])
            return f" {ENTITY_PREFIX}{self._exact[m.group('name')]} "

        def sub_folded(m: re.Match[str]) -> str:
            entity_id = self._folded[m.group("name").lower()]
            found.append(entity_id)
            return f" {ENTITY_PREFIX}{entity_id} "

        # Chat writes "us troops" for "US troops"; "us" alone stays the pronoun.
        if "us" in text:
            text = _CHAT_US.sub("US", text)
            text = _THE_US.sub(r"\1 US", text)
        if self._folded_lower_re is not None:
            lower = text.lower()
            if len(lower) == len(text):
                text = self._replace_in_lower_case(text, lower, found)
            else:  # a letter whose lower case is longer ("İ"): match case-blind in the text itself
                text = self._folded_re().sub(sub_folded, text)
        if self._exact_re is not None and (len(self._exact) > 32 or any(name in text for name in self._exact)):
            text = self._exact_re.sub(sub_exact, text)
        # "Defence Minister al-Abassi" is al-Abassi: a title before a person's name is part of it.
        if self._titled_re is not None and not self._people.isdisjoint(found):
            text = self._titled_re.sub(" ", text)
        # Two passes found them; report them in the order the text mentions them.
        ordered = [m for m in _ENTITY_TOKEN.findall(text) if m in self.entities]
        return text, ordered if sorted(ordered) == sorted(found) else found


    def _replace_in_lower_case(self, text: str, lower: str, found: list[str]) -> str:
        """The case-blind names replaced, found in `lower` (`text` lower-cased, same length):
        a case-sensitive regex on lower case is about twice as fast as a case-blind one."""
        assert self._folded_lower_re is not None
        pieces: list[str] = []
        pos = 0
        for m in self._folded_lower_re.finditer(lower):
            entity_id = self._folded[m.group("name")]
            found.append(entity_id)
            pieces += (text[pos:m.start()], f" {ENTITY_PREFIX}{entity_id} ")
            pos = m.end()
        if not pieces:
            return text
        pieces.append(text[pos:])
        return "".join(pieces)


# Titles and roles written before a person's name ("Defence Minister al-Abassi", "adviser
# Farhad Alaaldin", "US Defense Secretary Lloyd Austin").
_TITLES = (
    r"(?:(?:deputy|vice|acting|former)\s+)?"
    r"(?:(?:(?:defen[cs]e|foreign|prime|interior|oil|finance|state)\s+)?minister|pm|president|premier"
    r"|(?:(?:defen[cs]e|state|general)\s+)?secretary|(?:(?:top|senior|security|political|chief)\s+)?advis[eo]r"
    r"|spokes(?:man|person|woman)|(?:lt\.?\s*)?gen(?:eral)?|col(?:onel)?|commander|ambassador|senator|sen"
    r"|mp|sheikh|dr|mr|mrs|ms)"
)


_NAME_WORD = re.compile(r"[\w.'’]+")


def _name_words(text: str) -> list[str]:
    """The words of a name, punctuation inside a word kept ("U.S.", "Iraq's")."""
    return [w.rstrip(".") if not w.endswith("S.") else w for w in _NAME_WORD.findall(text)]


def _titled_pattern(people: list[str], countries: list[str], titles: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A title (and the country before it, if any) directly before a person's `@id` token;
    `titles` are a topic's own, beyond the English `_TITLES`."""
    country = rf"(?:{ENTITY_PREFIX}(?:{'|'.join(map(re.escape, countries))})\s+)?" if countries else ""
    person = "|".join(map(re.escape, people))
    title = _TITLES
    if titles:  # longest first, so "fire chief" is taken whole; a space in one matches any spacing
        own = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(titles, key=lambda t: (-len(t), t)))
        title = rf"(?:{_TITLES}|{own})"
    return re.compile(rf"(?<![\w@]){country}\b{title}\.?\s+(?={ENTITY_PREFIX}(?:{person})(?![\w-]))",
                      re.IGNORECASE)


def _trie_pattern(names: Iterable[str]) -> str:
    """One regex for many names, as a character trie: shared prefixes are tried once, which is
    several times faster than a flat alternation, and greedy optional branches still prefer
    the longest name."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return walk(trie)


def _alternation(names: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not names:
        return None
    return _compiled_alternation(tuple(sorted(names)), flags)


@lru_cache(maxsize=64)
def _compiled_alternation(names: tuple[str, ...], flags: int) -> re.Pattern[str]:
    """The pattern for these names (cached: every base shares the thousands of place names
    `claims.places` adds, and building their trie costs more than a base's own names)."""
    body = _names_trie(names)
    # Names may end in punctuation ("U.S."), so bound them by what is around, not by \b.
    return re.compile(rf"(?<![\w@])(?P<name>{body})(?![\w])(?:'s)?", flags)


@lru_cache(maxsize=16)
def _names_trie(names: tuple[str, ...]) -> str:
    return _trie_pattern(names)


_NUMBER_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d+(?:\.\d+)?)(?![\w.]*\d)")


_SCALES = {"k": "thousand", "m": "million", "mn": "million", "million": "million", "b": "billion",
           "bn": "billion", "billion": "billion", "thousand": "thousand"}
_DOLLARS = re.compile(r"(?:US)?\$\s?(\d[\d,.]*)\s?(k|m|mn|million|b|bn|billion|thousand)?\b", re.IGNORECASE)


_ANY_DIGIT = re.compile(r"\d")
_GROUPED = re.compile(r"\d{1,3}(?:[,.\u00a0 ]\d{3})+")
_THOUSANDS_K = re.compile(r"(\d+(?:\.\d+)?)\s?k\b")


def canonical_numbers(text: str) -> str:
    """'2,500', '2.500', '2 500' become 2500; '3.4' stays a decimal; '2.5k' becomes 2500;
    '$700m' becomes '700 million dollars'."""
    if not _ANY_DIGIT.search(text):
        return text
    if "$" in text:
        text = _DOLLARS.sub(lambda m: f"{m.group(1)} {_SCALES.get((m.group(2) or '').lower(), '')} dollars", text)

    def sub(m: re.Match[str]) -> str:
        raw = m.group(1)
        if _GROUPED.fullmatch(raw):
            return raw.replace(",", "").replace(".", "").replace(" ", "").replace("\u00a0", "")
        return raw

    if "k" in text:
        text = _THOUSANDS_K.sub(lambda m: str(int(float(m.group(1)) * 1000)), text)
    # Only grouped numbers change: without one, the pass would give the text back as it was.
    return _NUMBER_RE.sub(sub, text) if _GROUPED.search(text) else text


_MONTH_BY_NUMBER = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                    "november", "december"]
_ISO_DATE = re.compile(r"(?<![\w/-])((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\w/-])")
_MONTH_SLASH_YEAR = re.compile(r"(?<![\w/-])(0?[1-9]|1[0-2])/((?:19|20)\d\d)(?![\w/-])")


def numeric_dates(text: str) -> str:
    """'2026-09' and '09/2026' become 'september 2026'; '2024-09-08' becomes '8 september 2024'.
    (Day/month/year with slashes is left alone: which of the two comes first depends on the writer.)"""

    def iso(m: re.Match[str]) -> str:
        month = _MONTH_BY_NUMBER[int(m.group(2)) - 1]
        day = f"{int(m.group(3))} " if m.group(3) else ""
        return f" {day}{month} {m.group(1)} "

    text = _ISO_DATE.sub(iso, text)
    return _MONTH_SLASH_YEAR.sub(lambda m: f" {_MONTH_BY_NUMBER[int(m.group(1)) - 1]} {m.group(2)} ", text)


@dataclass(frozen=True)
class Normalised:
    """A text read for matching (`terms`) and for slot extraction (`words`, `entities`)."""

    original: str
    words: tuple[str, ...]
    terms: tuple[str, ...]
    entities: tuple[str, ...]


# Counts of money are English: a topic's units (troops, deaths, aftershocks) are its vocabulary's.
GENERAL_UNITS = {"dollars": "dollars", "usd": "dollars", "$": "dollars"}


class Vocabulary:
    """A base's topic words, ready to read text with: its concepts (words and phrases read as one
    idea: "pulled out" and "drawdown" as `withdraw`) on top of the English ones in `SYNONYMS`,
    its units (what the noun after a number counts) on top of `GENERAL_UNITS`, and its titles
    (written before a person's name, on top of `_TITLES`)."""

    def __init__(self, terms: Iterable[Term] = ()):
        self.terms: tuple[Term, ...] = tuple(sorted(terms, key=lambda t: t.id))
        concept_of = dict(_SYNONYM_OF)
        own: dict[str, str] = {}
        phrases: dict[str, str] = {}
        self.units: dict[str, str] = dict(GENERAL_UNITS)
        titles: set[str] = set()
        for term in self.terms:
            if term.kind == TermKind.TITLE:
                titles.update(term.words)
                continue
            if term.kind == TermKind.UNIT:
                for word in (term.name, *term.words):
                    self.units[word] = term.name
                continue
            own.setdefault(term.name, term.name)  # a phrase is rewritten to the name: it must read as itself
            for word in term.words:
                if " " in word or "-" in word:
                    phrases[word] = term.name
                else:
                    own[word] = term.name
        concept_of.update(own)
        self._concept_of = concept_of
        self._concept_of_stem = {**_SYNONYM_OF_STEM,
                                 **{stem(word): canon for word, canon in own.items() if len(word) > 3}}
        self._phrases = phrases
        self.titles: tuple[str, ...] = tuple(sorted(titles))
        # Longest first, bounded by what is around (a phrase may hold a hyphen); spaces as in the text.
        self._phrase_re = (re.compile(rf"(?<![\w@])(?:{_trie_pattern(phrases)})(?![\w])") if phrases else None)
        self.term_of: TermReader = (
            lru_cache(maxsize=200_000)(self._term_of) if self.terms else term_of)

    def _term_of(self, word: str) -> str | None:
        return _term(word, self._concept_of, self._concept_of_stem, self.term_of)

    def rewrite(self, text: str) -> str:
        """Lower-case text with the topic's phrases replaced by their concept ("pulled out" -> withdraw)."""
        if self._phrase_re is None:
            return text
        return self._phrase_re.sub(lambda m: f" {self._phrases[m.group(0)]} ", text)

    def digest(self) -> str:
        """A hash of the entries (for fingerprints: an edit changes how text reads)."""
        digest = hashlib.sha256()
        for term in self.terms:
            digest.update(term.model_dump_json().encode())
        return digest.hexdigest()[:24]


_MENTIONS = re.compile(r"@(?:everyone|here)\b|<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>", re.IGNORECASE)
# Chat formatting (**bold**, __underline__, ~~strike~~, `code`, ||spoiler||, > quotes) is not content.
_MARKUP_CHARS = re.compile(r"[*_~`|>#]")
_MARKDOWN = re.compile(r"\*{1,3}|_{2}|~~|`+|\|\||^>+\s?|^#+\s", re.MULTILINE)
TOKEN_RE = re.compile(r"@[a-z0-9-]+|\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?")


class Normaliser:
    """Turns any text into a `Normalised` view, with the base's entities."""

    def __init__(self, entities: EntityIndex, vocabulary: Vocabulary | None = None):
        self.entities = entities
        self.vocabulary = vocabulary or ENGLISH
        self._fingerprint: str | None = None

    def fingerprint(self) -> str:
        """A hash of everything that decides what a text normalises to and how a claim is indexed:
        the code (its source), the libraries' versions, the base's entities (with the places
        every base knows, `claims.places`) and its vocabulary. Terms
        stored for a restart (`claims.store.terms`) are used only under the same fingerprint,
        so a change to any of these reads every claim again."""
        if self._fingerprint is None:
            digest = hashlib.sha256()
            # The matcher's modules that decide a claim's index entry and the index's stored state
            # (its scoring and search do not: they read the index, they do not shape it).
            for module in ("claims.text", "claims.lemmas", "claims.match.entries", "claims.match.columns",
                           "claims.match.index", "claims.match.state", "claims.values", "claims.models",
                           "claims.places"):
                spec = importlib.util.find_spec(module)
                origin = spec.origin if spec is not None else None
                digest.update(Path(origin).read_bytes() if origin else module.encode())
            for package in ("snowballstemmer", "PyStemmer", "lemminflect", "pycountry"):
                try:
                    digest.update(f"{package}={importlib.metadata.version(package)}".encode())
                except importlib.metadata.PackageNotFoundError:
                    digest.update(f"{package}=absent".encode())
            for entity in sorted(self.entities.entities.values(), key=lambda e: e.id):
                digest.update(entity.model_dump_json().encode())
            digest.update(f"as written={','.join(sorted(self.entities.as_written))}".encode())
            digest.update(f"vocabulary={self.vocabulary.digest()}".encode())
            self._fingerprint = digest.hexdigest()[:24]
        return self._fingerprint

    def words(self, text: str) -> tuple[list[str], list[str]]:
        """Lower-case words with entities as `@id` and numbers canonical; plus the entity ids."""
        # Chat mentions ("@everyone", "<@123>", "<#456>") address people; they claim nothing.
        text = fold(text)
        if "@" in text or "<" in text:
            text = _MENTIONS.sub(" ", text)
        if _MARKUP_CHARS.search(text):
            text = _MARKDOWN.sub(" ", text)
        text = " ".join(text.split())
        text, found = self.entities.replace(text)
        text = canonical_numbers(text)
        if ("/" in text or "-" in text) and _ANY_DIGIT.search(text):
            text = numeric_dates(text)
        text = text.lower()
        for guard, pattern, replacement in PHRASES:
            if guard in text:
                text = pattern.sub(replacement, text)
        text = self.vocabulary.rewrite(text)
        months = MONTH_ALIASES
        tokens = TOKEN_RE.findall(text)
        if "'s" in text:  # a possessive says nothing more than its word ("iraq's" is "iraq")
            tokens = [token.removesuffix("'s") for token in tokens]
        words = [months.get(t, t) for t in tokens]
        return words, found

    def terms(self, text: str) -> tuple[str, ...]:
        """Only the matcher's view of `text` (what indexing a base needs)."""
        return tuple(terms_of(self.words(text)[0], self.vocabulary.term_of))

    def normalise(self, text: str) -> Normalised:
        """Both views of `text`."""
        words, found = self.words(text)
        return Normalised(text, tuple(words), tuple(terms_of(words, self.vocabulary.term_of)), tuple(found))


# Reads one word as the matcher's token: `term_of` (English alone) or a base's `Vocabulary.term_of`.
TermReader = Callable[[str], str | None]


def _term(word: str, concept_of: dict[str, str], concept_of_stem: dict[str, str],
          again: TermReader) -> str | None:
    """The matcher's token for a word under some concept tables (see `term_of`)."""
    if word.startswith(ENTITY_PREFIX):
        return word
    if word in KEEP_WORDS:
        return concept_of.get(word, word)
    if word in STOP_WORDS or word in MONTH_NAMES or word in WORD_NUMBERS:
        return None
    if word[0].isdigit() or len(word) < 2:
        return None
    canon = concept_of.get(word)
    if canon:
        return canon
    # "sent", "went", "fled": an irregular form is its verb, which the stemmer cannot see
    verb = irregular_verb(word)
    if verb:
        return again(verb)
    stemmed = stem(word)
    return concept_of_stem.get(stemmed, stemmed)


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str | None:
    """The matcher's token for a word with English knowledge only, or None when the word carries
    no topic (cached: a base's wordings share a vocabulary of a few thousand words). A base's
    own concepts are read by its `Vocabulary.term_of`."""
    return _term(word, _SYNONYM_OF, _SYNONYM_OF_STEM, term_of)


def irregular_verb(word: str) -> str | None:
    """The verb an irregular past form belongs to ("sent" -> "send"); None for other words."""
    from claims.lemmas import irregular_past  # lemminflect's tables, read once, only when needed

    return irregular_past(word)


_DATE_PART_WORDS = frozenset({"end", "beginning", "start", "middle", "close", "early", "mid", "late"})
# Words that place a statement in time relative to today ("two years ago", "last year", "next
# month", "this past June"): slots for the verdict, not topic for the matcher.
_RELATIVE_WORDS = frozenset({"ago", "last", "next", "this", "past", "coming", "previous"})
_TIME_UNITS = frozenset({"year", "years", "month", "months", "week", "weeks", "decade", "decades", "quarter"})
_WHEN_WORDS = _DATE_PART_WORDS | _RELATIVE_WORDS


def _date_phrase_words(words: list[str]) -> set[int]:
    """Positions of words that only say when ('end of 2026', 'late 2026', 'end of the year',
    'two years ago', 'last year', 'this past june')."""
    skip: set[int] = set()
    for i, word in enumerate(words):
        if word == "ago":
            j = i - 1
            if j >= 0 and words[j] in _TIME_UNITS:
                skip.update(range(max(0, j - 1), i + 1))  # "two years ago", "a decade ago"
            continue
        if word in _RELATIVE_WORDS:
            j = i + 1
            if j < len(words) and words[j] == "past":
                j += 1
            if j < len(words) and (words[j] in _TIME_UNITS or words[j] in MONTH_NAMES):
                skip.update(range(i, j + 1))
            continue
        if word not in _DATE_PART_WORDS:
            continue
        j = i + 1
        while j < len(words) and words[j] in ("of", "the", "this", "next", "last"):
            j += 1
        if j < len(words) and (words[j] == "year" or re.fullmatch(r"(19|20)\d\d", words[j])):
            skip.update(range(i, j + 1))
    return skip


def terms_of(words: Iterable[str], term: TermReader = term_of) -> list[str]:
    """Distinct matcher tokens of the words, in order (`term` reads one word: a base's
    `Vocabulary.term_of`, or English alone)."""
    words = list(words)
    skip = _date_phrase_words(words) if _WHEN_WORDS.intersection(words) else ()
    out: list[str] = []
    seen: set[str] = set()
    for i, word in enumerate(words):
        if i in skip:
            continue
        found = term(word)
        if found and found not in seen:
            seen.add(found)
            out.append(found)
    return out


ENGLISH = Vocabulary()  # no topic's words: English alone
_SHARED: dict[str, Vocabulary] = {}
SHARED_VOCABULARIES = 64


def vocabulary_of(terms: Iterable[Term]) -> Vocabulary:
    """The vocabulary of these entries: one object for every engine whose base has the same
    ones, so they share its cache of words read (and the English caches keyed by it)."""
    found = Vocabulary(terms)
    if not found.terms:
        return ENGLISH
    key = found.digest()
    shared = _SHARED.get(key)
    if shared is not None:
        return shared
    if len(_SHARED) >= SHARED_VOCABULARIES:  # a process serving many edited vocabularies keeps the latest
        _SHARED.pop(next(iter(_SHARED)))
    _SHARED[key] = found
    return found

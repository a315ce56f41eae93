"""Synthetic claim bases and statements for the matching bench (and the index's tests).

A synthetic base recombines the real claims: each synthetic claim copies a real claim's
statement, some of its aliases and its versions, with entities swapped for others of the same
kind (or for made-up places and people), concept words swapped between the matcher's concept
groups, years and counts shifted, and claim-specific details added ("near Tal Hamrin",
"Colonel Karim Sadun said", "amid blorvation talks").

Its vocabulary grows as news text's does. Heaps' law says that N running words of news text hold
about K * N**beta distinct words; `NEWS_WORDS` and `NEWS_TERMS` are that law fitted to news text,
counted in lower-case words and in the matcher's terms (stems, without stop words, numbers or
dates). The made-up names and words of the details come from a `Lexicon` that mints a new one
whenever the base has fewer distinct terms (or words) than news text of as many running words,
and otherwise reuses one already used, in proportion to how often it was: a few are common and
most are rare, the Zipf-like skew of real text. Without it, copies of 74 claims would hold a
fraction of the vocabulary a real base of that size has, and every cache would look better than
it is.

Statements are paraphrases (case, typos, chat filler, dropped words, changed numbers) of the real
claims (`bench_queries`) or of synthetic ones (`synthetic_queries`), and off-topic statements.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from claims.load import Base
from claims.models import Claim, EntityKind, Version, share_fields_set
from claims.text import SYNONYMS, term_of
from claims.values import parse_count, parse_date_span

DEFAULT_SEED = 20261121

# --- Heaps' law ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heaps:
    """Heaps' law: N running words hold about k * N**beta distinct ones."""

    k: float
    beta: float

    def at(self, words: float) -> float:
        """The distinct words (or terms) expected among `words` running words."""
        return self.k * max(words, 1.0) ** self.beta


# Fitted to the BBC News dataset (D. Greene and P. Cunningham, ICML 2006: 2,225 BBC News articles
# of 2004-2005 on business, entertainment, politics, sport and tech; 2,127 once duplicates are
# dropped, 0.83 million running words), articles in five seeded random orders, least squares of
# log V on log N over N >= 10,000, averaged (`python -m benchmarks.synthetic fit DIR` redoes it).
# For comparison, Manning, Raghavan and Schütze (Introduction to Information Retrieval, 5.1.1)
# give k = 44, beta = 0.49 for Reuters-RCV1 (case-folded words): 101,000 at 7.3 million running
# words, about the size of a base of 100,000 claims, where NEWS_WORDS gives 104,000.
NEWS_WORDS = Heaps(k=21.7, beta=0.536)  # distinct lower-case words
NEWS_TERMS = Heaps(k=19.2, beta=0.511)  # distinct matcher terms (claims.text.Normaliser.terms)

WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")


def running_words(text: str) -> int:
    """How many words a text has, for Heaps' law: its whitespace-separated tokens."""
    return len(text.split())


def vocabulary_curve(texts: Iterable[str], terms: Callable[[str], Iterable[str]] | None = None,
                     step: float = 1.1) -> list[tuple[int, int, int]]:
    """(running words, distinct lower-case words, distinct terms) after each text where the
    running words passed the next point of a geometric series (and after the last text).
    `terms` gives a text's matcher terms; without it the third figure is 0."""
    words: set[str] = set()
    term_set: set[str] = set()
    running, next_point = 0, 100
    out: list[tuple[int, int, int]] = []
    for text in texts:
        running += running_words(text)
        words.update(WORD_RE.findall(text.lower()))
        if terms is not None:
            term_set.update(terms(text))
        if running >= next_point:
            out.append((running, len(words), len(term_set)))
            next_point = int(next_point * step) + 1
    if not out or out[-1][0] != running:
        out.append((running, len(words), len(term_set)))
    return out


def fit_heaps(points: Sequence[tuple[int, int]], min_words: int = 10_000) -> Heaps:
    """Least-squares fit of log V = log k + beta log N over the points with N >= min_words (fewer
    words than that are dominated by the first texts' own words)."""
    chosen = [(n, v) for n, v in points if n >= min_words and v > 0]
    if len(chosen) < 2:
        raise ValueError(f"too few points with at least {min_words} running words to fit Heaps' law")
    xs = [math.log(n) for n, _ in chosen]
    ys = [math.log(v) for _, v in chosen]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    beta = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return Heaps(k=math.exp(my - beta * mx), beta=beta)


def fit_news(documents: Sequence[str], terms: Callable[[str], Iterable[str]], orders: int = 5,
             min_words: int = 10_000) -> tuple[Heaps, Heaps]:
    """Heaps' law for words and for terms over documents (each cut into paragraphs), averaged
    over `orders` seeded random orders of the documents: a corpus read topic by topic would
    bring its new words in bursts."""
    fits: list[tuple[Heaps, Heaps]] = []
    for order in range(orders):
        shuffled = list(documents)
        random.Random(order).shuffle(shuffled)
        paragraphs = (p for doc in shuffled for p in doc.split("\n") if p.strip())
        curve = vocabulary_curve(paragraphs, terms)
        fits.append((fit_heaps([(n, w) for n, w, _ in curve], min_words),
                     fit_heaps([(n, t) for n, _, t in curve], min_words)))

    def mean(laws: list[Heaps]) -> Heaps:
        return Heaps(k=math.exp(sum(math.log(h.k) for h in laws) / len(laws)),
                     beta=sum(h.beta for h in laws) / len(laws))

    return mean([w for w, _ in fits]), mean([t for _, t in fits])


# --- made-up words ----------------------------------------------------------------------------------

# How long the words are that news text uses once (the hapaxes of the BBC News dataset, in
# thousandths): names (always capitalised there) and other words. New words are mostly rare
# ones, so new words are made this long.
NAME_LENGTHS = {3: 52, 4: 93, 5: 152, 6: 181, 7: 186, 8: 132, 9: 86, 10: 51, 11: 28, 12: 16, 13: 7, 14: 4, 15: 2}
WORD_LENGTHS = {3: 10, 4: 38, 5: 72, 6: 122, 7: 146, 8: 162, 9: 143, 10: 126, 11: 78, 12: 51, 13: 28, 14: 12,
                15: 7, 16: 3, 17: 1, 18: 1}
# Names sound like the base's (Iraqi places and people); other words like English ones.
_NAME_CONSONANTS = ["b", "d", "f", "h", "j", "k", "l", "m", "n", "q", "r", "s", "t", "w", "y", "z", "kh", "sh",
                    "gh"]
_NAME_VOWELS = ["a", "i", "u", "a", "aa", "ee", "oo", "ai"]
_ONSETS = ["b", "bl", "br", "c", "ch", "cl", "cr", "d", "dr", "f", "fl", "fr", "g", "gl", "gr", "h", "j", "k", "l",
           "m", "n", "p", "pl", "pr", "qu", "r", "s", "sc", "sh", "sk", "sl", "sp", "st", "str", "t", "th", "tr", "v",
           "w", "z"]
_NUCLEI = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ai", "ou", "io", "y"]
_CODAS = ["", "", "", "n", "r", "l", "m", "s", "st", "nt", "rd", "ck", "sh", "th", "x", "ng"]
# Endings that make an English-looking word of a made-up root ("" twice: many have none).
_SUFFIXES = ["", "", "ation", "ment", "ness", "ity", "ism", "ist", "ize", "able", "ous", "ive", "al", "er", "ure",
             "ics", "ship"]
_INFLECTIONS = ["s", "ed", "ing", "er", "ers"]
_PLACE_PREFIXES = ["Tal", "Umm", "Ras", "Bir", "Qalat", "Jabal", "Wadi", "Camp", "Forward Base", "Al", "Hawija",
                   "Sheikh", "Khirbet"]
_TITLES = ["General", "Colonel", "Minister", "Governor", "spokesman", "MP", "Sheikh", "commander", "adviser",
           "analyst", "Senator", "Ambassador"]
_MODIFIERS = [
    "{text} near {place}",
    "{text}, {person} said",
    "{text} according to {person}",
    "{text} in the {place} district",
    "{text} amid {word} {word2}",
    "{text} after {word} talks in {place}",
    "{person} says {text}",
    "{text} despite {word} {word2}",
]


def _weighted(rng: random.Random, table: dict[int, int]) -> int:
    """A key of `table` drawn with its value as weight."""
    roll = rng.randrange(sum(table.values()))
    for key, weight in table.items():
        roll -= weight
        if roll < 0:
            return key
    raise AssertionError("unreachable")


def _made_up_name(rng: random.Random, length: int) -> str:
    word = ""
    while len(word) < length:
        word += rng.choice(_NAME_CONSONANTS) + rng.choice(_NAME_VOWELS)
    return word[:length]


def _made_up_word(rng: random.Random, length: int) -> str:
    suffix = rng.choice(_SUFFIXES)
    if len(suffix) > length - 3:
        suffix = ""
    root = ""
    while len(root) < length - len(suffix):
        root += rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
    return root[: length - len(suffix)] + suffix


class Lexicon:
    """The made-up names and words of a synthetic base, growing as news text's vocabulary does.

    `count` is told every text the base gets. `name` and `word` then mint a new one while the
    base has fewer distinct terms than news text of as many running words (`NEWS_TERMS`); while
    it has enough terms but too few distinct words (`NEWS_WORDS`), `word` makes a new form of a
    made-up word ("-s", "-ed", "-ing": a new word, the same term); otherwise both reuse one already
    used, picked in proportion to its uses so far (Simon's model of Zipf's law)."""

    def __init__(self, rng: random.Random, known_words: Iterable[str], known_terms: Iterable[str],
                 common_words: Sequence[str] = (), words_law: Heaps = NEWS_WORDS, terms_law: Heaps = NEWS_TERMS):
        self.rng = rng
        self.words_law, self.terms_law = words_law, terms_law
        self.words = set(known_words)
        self.terms = set(known_terms)
        self.running = 0
        # every use so far (a word used n times is in it n times); words start with real ones
        self._uses: dict[str, list[str]] = {"name": [], "word": list(common_words)}
        self._roots: list[str] = []  # made-up words that can take an inflection
        self.minted = 0
        self.inflected = 0

    def count(self, text: str) -> None:
        """Add a text of the base to the running words."""
        self.running += running_words(text)

    def name(self) -> str:
        """A capitalised name (a word of a place or person name)."""
        return self._pick("name")

    def word(self) -> str:
        """A lower-case word."""
        return self._pick("word")

    def _pick(self, kind: str) -> str:
        uses = self._uses[kind]
        if len(self.terms) < self.terms_law.at(self.running) or not uses:
            word = self._mint(kind)
        elif kind == "word" and len(self.words) < self.words_law.at(self.running):
            word = self._inflect() or self.rng.choice(uses)
        else:
            word = self.rng.choice(uses)
        uses.append(word)
        return word

    def _mint(self, kind: str) -> str:
        length = _weighted(self.rng, NAME_LENGTHS if kind == "name" else WORD_LENGTHS)
        make = _made_up_name if kind == "name" else _made_up_word
        tries = 0
        while True:
            word = make(self.rng, length)
            term = term_of(word)
            if term is not None and word not in self.words and term not in self.terms:
                break
            tries += 1
            if tries % 4 == 0:
                length += 1  # the short ones run out first, in made-up words as in real ones
        self.words.add(word)
        self.terms.add(term)
        self.minted += 1
        if kind == "word":
            self._roots.append(word)
            return word
        return word.capitalize()

    def _inflect(self) -> str | None:
        """A new form of a made-up word with the same term, if one of a few tries finds one."""
        for _ in range(3):
            if not self._roots:
                return None
            root = self.rng.choice(self._roots)
            ending = self.rng.choice(_INFLECTIONS)
            form = (root[:-1] if root.endswith("e") and ending[0] in "aeiou" else root) + ending
            if form not in self.words and term_of(form) == term_of(root):
                self.words.add(form)
                self.inflected += 1
                return form
        return None

    def place(self) -> str:
        """A made-up place: a name, maybe after a prefix ("Tal", "Wadi")."""
        name = self.name()
        return f"{self.rng.choice(_PLACE_PREFIXES)} {name}" if self.rng.random() < 0.5 else name

    def person(self) -> str:
        """A made-up person with a title."""
        return f"{self.rng.choice(_TITLES)} {self.name()} {self.name()}"


# --- synthetic claims -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """A piece of a real claim's wording: literal text, or something a copy may change."""

    kind: str  # "text", "entity", "concept", "year", "number"
    value: str


def _wordings(claim: Claim) -> list[str]:
    return [*claim.texts(), *(v.text for v in claim.versions)]


class SyntheticBase:
    """Makes synthetic claims around a real base (deterministic for a seed)."""

    def __init__(self, real: Base, seed: int = DEFAULT_SEED):
        self.real = real
        self.seed = seed
        self.templates = sorted((c for c in real.claims.values() if c.status == "active"), key=lambda c: c.id)
        self.by_kind: dict[EntityKind, list[str]] = {}
        for entity in sorted(real.entities.values(), key=lambda e: e.id):
            self.by_kind.setdefault(entity.kind, []).append(entity.id)
        self._entity_re = _entity_pattern(real)
        # English's concept groups and the real base's own (its vocabulary), one-word members
        self._groups: dict[str, list[str]] = {canon: list(words) for canon, words in SYNONYMS.items()}
        for term in sorted(real.terms.values(), key=lambda t: t.id):
            if term.kind == "concept":
                self._groups.setdefault(term.name, []).extend(w for w in term.words if " " not in w and "-" not in w)
        self._concepts = {w: canon for canon, words in self._groups.items() for w in (canon, *words)}
        self._skeletons: dict[str, list[_Segment]] = {}
        self.lexicon: Lexicon | None = None  # the last `claims` call's

    def skeleton(self, text: str) -> list[_Segment]:
        """`text` cut into segments (cached: the same real wordings recur in every copy)."""
        if text not in self._skeletons:
            self._skeletons[text] = self._cut(text)
        return self._skeletons[text]

    def _cut(self, text: str) -> list[_Segment]:
        out: list[_Segment] = []
        pos = 0
        for m in self._entity_re.finditer(text):
            out += self._cut_words(text[pos:m.start()])
            out.append(_Segment("entity", self._entity_of(m.group(0))))
            pos = m.end()
        out += self._cut_words(text[pos:])
        return out

    def _entity_of(self, name: str) -> str:
        for entity in self.real.entities.values():
            if any(n.casefold() == name.casefold() for n in entity.names):
                return entity.id
        raise KeyError(name)

    def _cut_words(self, text: str) -> list[_Segment]:
        out: list[_Segment] = []
        pos = 0
        for m in re.finditer(r"\b(?:(?P<year>(?:19|20)\d\d)|(?P<number>\d[\d,]*)|(?P<word>[A-Za-z]+))\b", text):
            kind = m.lastgroup or "word"
            if kind == "word" and m.group(0).lower() not in self._concepts:
                continue
            out.append(_Segment("text", text[pos:m.start()]))
            out.append(_Segment("concept" if kind == "word" else kind, m.group(0)))
            pos = m.end()
        out.append(_Segment("text", text[pos:]))
        return [s for s in out if s.kind != "text" or s.value]

    def _lexicon(self, rng: random.Random) -> Lexicon:
        """A lexicon that knows the words the base starts with: the real claims' and the
        entities' names, and the fixed words of the details; the real articles' words are the
        first common words it reuses."""
        fixed = [*_wordings_of(self.templates), *(n for e in self.real.entities.values() for n in e.names),
                 *_PLACE_PREFIXES, *_TITLES, *_MODIFIERS]
        words = {w for text in fixed for w in WORD_RE.findall(text.lower())}
        terms = {t for t in (term_of(w) for w in words) if t is not None}
        terms.update(f"@{e}" for e in self.real.entities)
        common = [w for text in self.real.texts.values() for w in re.findall(r"\b[a-z]{5,}\b", text)]
        return Lexicon(rng, words, terms, sorted(common))

    def claims(self, size: int) -> list[Claim]:
        """The real claims plus synthetic ones, `size` in all (never fewer than the real ones)."""
        rng = random.Random(f"{self.seed}:claims")
        lexicon = self.lexicon = self._lexicon(random.Random(f"{self.seed}:lexicon"))
        out = list(self.templates)
        for text in _wordings_of(out):
            lexicon.count(text)
        for i in range(max(0, size - len(out))):
            out.append(self._variant(rng, lexicon, i))
        return out

    def _variant(self, rng: random.Random, lexicon: Lexicon, i: int) -> Claim:
        template = rng.choice(self.templates)
        entities: dict[str, str] = {}  # real entity id -> replacement (entity id, or "=" + made-up name)
        concept_swap: dict[str, str] = {}
        if rng.random() < 0.5:
            groups = sorted(self._groups)
            concept_swap[rng.choice(groups)] = rng.choice(groups)
        years = rng.choice([-3, -2, -1, 0, 0, 0, 1, 2])
        scale = rng.choice([0.5, 0.8, 1.0, 1.0, 1.0, 1.5, 2.0, 3.0])
        # The claim's own details, made when a wording first needs them (a word made and never
        # used would count as vocabulary the base does not have).
        details: dict[str, str] = {}

        def detail(key: str) -> str:
            if key not in details:
                details[key] = (lexicon.place() if key == "place" else lexicon.person() if key == "person"
                                else lexicon.word())
            return details[key]

        def entity(eid: str) -> str:
            if eid not in entities:
                kind = self.real.entities[eid].kind
                roll = rng.random()
                if roll < 0.45:
                    entities[eid] = eid
                elif roll < 0.8 or kind in (EntityKind.COUNTRY, EntityKind.ORG):
                    entities[eid] = rng.choice(self.by_kind[kind])
                else:
                    entities[eid] = "=" + (lexicon.place() if kind is EntityKind.PLACE else lexicon.person())
            new = entities[eid]
            return new[1:] if new.startswith("=") else rng.choice(self.real.entities[new].names)

        def render(text: str, modify: bool) -> str:
            parts = []
            for seg in self.skeleton(text):
                if seg.kind == "entity":
                    parts.append(entity(seg.value))
                elif seg.kind == "concept":
                    canon = self._concepts[seg.value.lower()]
                    parts.append(concept_swap.get(canon, seg.value))
                elif seg.kind == "year":
                    parts.append(str(int(seg.value) + years))
                elif seg.kind == "number":
                    value = int(seg.value.replace(",", ""))
                    parts.append(f"{round(value * scale):,}" if value >= 10 else seg.value)
                else:
                    parts.append(seg.value)
            out = re.sub(r"\s+", " ", "".join(parts)).strip()
            if modify:
                pattern = _MODIFIERS[rng.randrange(len(_MODIFIERS))]
                fields = {key: detail(key) for key in ("place", "person", "word", "word2") if f"{{{key}}}" in pattern}
                out = pattern.format(text=out.rstrip(".?!"), **fields)
            return out[:300]

        statement = render(template.statement, True)
        if len(statement) < 8:
            statement = template.statement
        aliases: list[str] = []
        seen = {statement.casefold()}
        for alias in rng.sample(template.aliases, k=min(len(template.aliases), rng.choice([1, 2, 2, 3]))):
            text = render(alias, rng.random() < 0.85)
            if len(text) >= 3 and text.casefold() not in seen:
                seen.add(text.casefold())
                aliases.append(text)
        versions = [self._version(v, render, entities, years, scale, rng) for v in template.versions]
        for text in (statement, *aliases, *(v.text for v in versions)):
            lexicon.count(text)
        claim_id = f"x{i:06d}-{template.id}"[:80]
        # model_copy skips validation: every field is built from validated ones, and 100,000
        # validations would dominate the bench's set-up time. Validated models share their
        # fields set, so these copies do too: the base is held as a loaded one would be.
        return share_fields_set(template.model_copy(update={"id": claim_id, "statement": statement,
                                                            "aliases": aliases, "versions": versions}))

    def _version(self, version: Version, render: Callable[[str, bool], str], entities: dict[str, str],
                 years: int, scale: float, rng: random.Random) -> Version:
        values = version.values

        def swapped(ids: list[str]) -> list[str]:
            return [new for new in (entities.get(e, e) for e in ids) if not new.startswith("=")]

        date_value = values.date
        if date_value and years:
            shifted = re.sub(r"(19|20)\d\d", lambda m: str(int(m.group(0)) + years), date_value)
            date_value = shifted if _valid(parse_date_span, shifted) else date_value
        count = values.count
        if count and scale != 1.0:
            scaled = re.sub(r"\d[\d,]*", lambda m: str(round(int(m.group(0).replace(",", "")) * scale)), count)
            count = scaled if _valid(parse_count, scaled) else count
        speaker = values.speaker
        if speaker and speaker in entities and not entities[speaker].startswith("="):
            speaker = entities[speaker]
        new_values = share_fields_set(values.model_copy(update={
            "date": date_value, "count": count, "places": swapped(values.places), "actors": swapped(values.actors),
            "speaker": speaker,
        }))
        text = render(version.text, rng.random() < 0.8)
        return share_fields_set(version.model_copy(update={"text": text if len(text) >= 3 else version.text,
                                                           "values": new_values}))


def _wordings_of(claims: Iterable[Claim]) -> list[str]:
    return [text for claim in claims for text in _wordings(claim)]


def template_of(claim_id: str) -> str:
    """The real claim a synthetic claim was copied from (a real claim's id is its own)."""
    m = re.fullmatch(r"x\d{6}-(.+)", claim_id)
    return m.group(1) if m else claim_id


def _valid(parse: Callable[[str], Any], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _entity_pattern(real: Base) -> re.Pattern[str]:
    names = sorted({n for e in real.entities.values() for n in e.names}, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w@])(?:{body})(?![\w])")


def synthetic_base(real: Base, size: int, seed: int = DEFAULT_SEED) -> Base:
    """A base of `size` claims: the real ones and synthetic ones around them."""
    claims = SyntheticBase(real, seed).claims(size)
    return Base(real.outlets, real.articles, real.texts, real.entities, {c.id: c for c in claims},
                dict(real.claim_files))


# --- queries --------------------------------------------------------------------------------------

OFF_TOPIC = [
    "The new iPhone will have a foldable screen next year",
    "Manchester City won the Premier League again",
    "It is going to rain all weekend in London",
    "Bitcoin will hit 250k before the end of 2027",
    "NASA will land astronauts on the Moon in September 2026",
    "Drinking coffee every day makes you live longer",
    "The Eiffel Tower is being painted gold",
    "Taylor Swift announced a world tour for 2027",
    "Electric cars now outsell petrol cars in Norway",
    "The Amazon rainforest lost 10% of its trees last year",
    "Vaccines cause autism",
    "The Great Wall of China is visible from space",
    "Inflation in Japan hit 4 percent in March",
    "A new species of frog was found in Peru",
    "Elon Musk bought a football club",
    "The Olympics will be held in Brisbane in 2032",
    "Scientists cloned a woolly mammoth",
    "Canada legalised cannabis in 2018",
    "The price of eggs doubled this winter",
    "India's population passed China's",
    "good morning everyone, how is it going",
    "who wants to play some chess tonight",
    "The stock market crashed on Friday",
    "A solar eclipse will be visible over Spain in August 2026",
    "The Pope visited Brazil last week",
    "Self-driving taxis are now legal in California",
    "Wildfires burned 2 million acres in Australia",
    "The local council closed the public library",
]
_FILLER_BEFORE = ["is it true that ", "i heard ", "ngl ", "apparently ", "wait, ", "lol ", "so basically ",
                  "my uncle says ", "someone told me ", "fact check: "]
_FILLER_AFTER = ["?", "??", " lol", " right?", "!!", " tbh", " fr", " is that real", "..."]


@dataclass(frozen=True)
class BenchQuery:
    """One statement of the fixed set: what it paraphrases (a real claim id), if anything."""

    text: str
    kind: str  # "paraphrase" (of a real claim), "synthetic" (of a synthetic one) or "off-topic"
    source: str | None


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        w = w[:j] + w[j + 1:]
    elif edit == 1:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif edit == 2:
        w = w[:j] + w[j] + w[j:]
    else:
        w = w[:j] + rng.choice("aeioustrn") + w[j + 1:]
    words[i] = w
    return " ".join(words)


def _perturb(rng: random.Random, text: str, numbers: bool) -> str:
    if numbers and rng.random() < 0.3:
        text = re.sub(r"\b(19|20)\d\d\b", lambda m: str(int(m.group(0)) + rng.choice([-1, 1, 2])), text, count=1)
    if rng.random() < 0.15 and len(text.split()) > 5:
        words = text.split()
        del words[rng.randrange(1, len(words))]
        text = " ".join(words)
    if rng.random() < 0.5:
        text = _typo(rng, text)
    if rng.random() < 0.15:
        text = _typo(rng, text)
    roll = rng.random()
    if roll < 0.3:
        text = text.lower()
    elif roll < 0.4:
        text = text.upper()
    if rng.random() < 0.5:
        text = rng.choice(_FILLER_BEFORE) + text[0].lower() + text[1:]
    if rng.random() < 0.4:
        text = text.rstrip(".!?") + rng.choice(_FILLER_AFTER)
    return text


def bench_queries(real: Base, seed: int = DEFAULT_SEED, per_claim: int = 3, per_off_topic: int = 3) -> list[BenchQuery]:
    """The fixed statements: `per_claim` paraphrases of each real claim, then the off-topic ones."""
    rng = random.Random(f"{seed}:queries")
    out: list[BenchQuery] = []
    for claim in sorted(real.claims.values(), key=lambda c: c.id):
        if claim.status != "active":
            continue
        wordings = [(t, False) for t in claim.texts()] + [(v.text, True) for v in claim.versions]
        for _ in range(per_claim):
            text, numbers = rng.choice(wordings)
            out.append(BenchQuery(_perturb(rng, text, numbers), "paraphrase", claim.id))
    for statement in OFF_TOPIC:
        for k in range(per_off_topic):
            text = statement if k == 0 else _perturb(rng, statement, True)
            out.append(BenchQuery(text, "off-topic", None))
    return out



def synthetic_queries(base: Base, count: int, seed: int = DEFAULT_SEED) -> list[BenchQuery]:
    """Paraphrases of `count` synthetic claims of `base` (as `bench_queries` paraphrases the real
    ones): statements using the base's made-up names and rare words, whose right claim is known."""
    rng = random.Random(f"{seed}:synthetic-queries")
    synthetic = sorted(c for c in base.claims if template_of(c) != c)
    out: list[BenchQuery] = []
    for claim_id in rng.sample(synthetic, k=min(count, len(synthetic))):
        claim = base.claims[claim_id]
        wordings = [(t, False) for t in claim.texts()] + [(v.text, True) for v in claim.versions]
        text, numbers = rng.choice(wordings)
        out.append(BenchQuery(_perturb(rng, text, numbers), "synthetic", claim_id))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m benchmarks.synthetic fit DIR`: Heaps' law of the news text in DIR's *.txt files
    (one article a file, duplicates counted once), as fitted for NEWS_WORDS and NEWS_TERMS."""
    import argparse
    import hashlib
    from pathlib import Path

    from claims.load import load_base
    from claims.places import place_index
    from claims.text import Normaliser, Vocabulary

    parser = argparse.ArgumentParser(description="Fit Heaps' law to a folder of news articles.")
    parser.add_argument("command", choices=["fit"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min-words", type=int, default=10_000)
    args = parser.parse_args(argv)
    documents: dict[str, str] = {}
    for path in sorted(args.folder.rglob("*.txt")):
        text = path.read_text(encoding="latin-1")
        documents.setdefault(hashlib.sha1(text.encode()).hexdigest(), text)
    real = load_base()
    normaliser = Normaliser(place_index(real.entities.values()), Vocabulary(real.terms.values()))
    texts = list(documents.values())
    words, terms = fit_news(texts, normaliser.terms, min_words=args.min_words)
    total = sum(running_words(t) for t in texts)
    print(f"{len(texts):,} distinct articles, {total:,} running words")
    print(f"words: k={words.k:.1f} beta={words.beta:.3f}; terms: k={terms.k:.1f} beta={terms.beta:.3f}")


if __name__ == "__main__":
    main()

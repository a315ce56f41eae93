"""`crosscheck bench`: how matching scales with the size of the claim base.

For each size (by default 1,000, 10,000 and 100,000 claims) a fresh Python process builds a
synthetic base around the real one and runs a fixed, seeded set of statements through
`Engine.check` twice: with the index (`Matcher.match`) and with a scan scoring every claim
(`Matcher.match_full_scan`, the baseline). It reports build times, latency percentiles, peak
memory and how often the two agree on the top claim and the verdict, plus the time of a plain
rapidfuzz `extractOne(token_set_ratio)` over every wording as a reference.

The synthetic claims recombine the real ones: each copies a real claim's statement, some of its
aliases and its versions, with entities swapped for others of the same kind (or for made-up
places and people), concept words swapped between the matcher's concept groups, years and
counts shifted, and claim-specific details added ("near Tal Hamrin", "Colonel Karim Sadun said")
drawn with a Zipf-like skew, so common terms stay common and the vocabulary grows with the base
as it would in a real one. Queries are paraphrases of the real claims (case, typos, chat filler,
dropped words, changed numbers) and off-topic statements.
"""

from __future__ import annotations

import gc
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from claims.load import Base, load_base
from claims.models import Claim, EntityKind, Version, share_fields_set
from claims.text import SYNONYMS
from claims.values import parse_count, parse_date_span

DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_SEED = 20261121
# Deadlines are judged as of a fixed day, so verdicts do not drift with the clock.
BENCH_TODAY = date(2026, 11, 21)
# The full scan scores every claim for every statement (over a second per statement at 100,000
# claims): above 1,000 claims it runs on an evenly spread subset of the statements, the same in
# every run, of about FULL_SCAN_BUDGET / size statements (at least FULL_SCAN_MIN).
FULL_SCAN_BUDGET = 1_500_000
FULL_SCAN_MIN = 60
REFERENCE_QUERIES = 10  # statements timed with plain rapidfuzz token_set_ratio over every wording

# --- synthetic claims -----------------------------------------------------------------------------

_CONSONANTS = ["b", "d", "f", "h", "j", "k", "l", "m", "n", "q", "r", "s", "t", "w", "y", "z", "kh", "sh", "gh"]
_VOWELS = ["a", "i", "u", "a", "aa", "ee", "oo", "ai"]
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


@dataclass(frozen=True)
class _Segment:
    """A piece of a real claim's wording: literal text, or something a copy may change."""

    kind: str  # "text", "entity", "concept", "year", "number"
    value: str


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
        self._concepts = {w: canon for canon, words in SYNONYMS.items() for w in (canon, *words)}
        self._skeletons: dict[str, list[_Segment]] = {}
        self.words = _article_words(real)

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

    def claims(self, size: int) -> list[Claim]:
        """The real claims plus synthetic ones, `size` in all (never fewer than the real ones)."""
        rng = random.Random(f"{self.seed}:claims")
        names = _NamePool(rng, max(50, size // 6))
        out = list(self.templates)
        for i in range(max(0, size - len(out))):
            out.append(self._variant(rng, names, i))
        return out

    def _variant(self, rng: random.Random, names: _NamePool, i: int) -> Claim:
        template = rng.choice(self.templates)
        entities: dict[str, str] = {}  # real entity id -> replacement (entity id, or "=" + made-up name)
        concept_swap: dict[str, str] = {}
        if rng.random() < 0.5:
            groups = sorted(SYNONYMS)
            concept_swap[rng.choice(groups)] = rng.choice(groups)
        years = rng.choice([-3, -2, -1, 0, 0, 0, 1, 2])
        scale = rng.choice([0.5, 0.8, 1.0, 1.0, 1.0, 1.5, 2.0, 3.0])
        place, person = names.place(), names.person()
        word, word2 = self.words.pick(rng), self.words.pick(rng)

        def entity(eid: str) -> str:
            if eid not in entities:
                kind = self.real.entities[eid].kind
                roll = rng.random()
                if roll < 0.45:
                    entities[eid] = eid
                elif roll < 0.8 or kind in (EntityKind.COUNTRY, EntityKind.ORG):
                    entities[eid] = rng.choice(self.by_kind[kind])
                else:
                    entities[eid] = "=" + (names.place() if kind is EntityKind.PLACE else names.person())
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
                out = pattern.format(text=out.rstrip(".?!"), place=place, person=person, word=word, word2=word2)
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


class _Zipf:
    """Picks from a list with a Zipf-like skew: rank k about 1/k as likely as the first."""

    def __init__(self, items: Sequence[str]):
        self.items = list(items)

    def pick(self, rng: random.Random) -> str:
        n = len(self.items)
        return self.items[min(n - 1, int(n ** rng.random()) - 1)]


def _article_words(real: Base) -> _Zipf:
    """Content words of the real articles, most frequent first."""
    counts: dict[str, int] = {}
    for text in real.texts.values():
        for word in re.findall(r"\b[a-z]{5,}\b", text):
            counts[word] = counts.get(word, 0) + 1
    return _Zipf(sorted(counts, key=lambda w: (-counts[w], w)))


class _NamePool:
    """Made-up place and person names, a pool growing with the base, picked with a Zipf skew."""

    def __init__(self, rng: random.Random, size: int):
        self.places = _Zipf([self._place(rng) for _ in range(size)])
        self.people = _Zipf([self._person(rng) for _ in range(size)])
        self.rng = rng

    @staticmethod
    def _word(rng: random.Random) -> str:
        return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.choice([2, 2, 3])))

    def _place(self, rng: random.Random) -> str:
        word = self._word(rng).capitalize() + rng.choice(["", "", "n", "r", "ya", "iyah"])
        return f"{rng.choice(_PLACE_PREFIXES)} {word}" if rng.random() < 0.5 else word

    def _person(self, rng: random.Random) -> str:
        return f"{rng.choice(_TITLES)} {self._word(rng).capitalize()} {self._word(rng).capitalize()}"

    def place(self) -> str:
        return self.places.pick(self.rng)

    def person(self) -> str:
        return self.people.pick(self.rng)


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
    kind: str  # "paraphrase" or "off-topic"
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


# --- measuring ------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    k = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class _FullScan:
    """Stands in for the engine's matcher so `Engine.check` scores every claim."""

    def __init__(self, matcher: Any):
        self._matcher = matcher
        self.match = matcher.match_full_scan

    def __getattr__(self, name: str) -> Any:
        return getattr(self._matcher, name)


def _outcome(reply: Any) -> tuple[str | None, str]:
    """What a check shows first (the matched claim, else the first suggestion) and its verdict."""
    if reply.claim is not None:
        return reply.claim.id, reply.verdict
    return (reply.suggestions[0].id if reply.suggestions else None), reply.verdict


def measure(size: int, seed: int = DEFAULT_SEED, full_scan_queries: int | None = None) -> dict[str, Any]:
    """Build a base of `size` claims and time the fixed statements through both engines.

    Meant to run in a process of its own (`crosscheck bench` starts one per size), so that the
    peak memory is this size's alone."""
    from rapidfuzz import fuzz, process, utils

    from claims.engine import Engine

    real = load_base()
    started = time.perf_counter()
    base = synthetic_base(real, size, seed)
    generate_s = time.perf_counter() - started
    wordings = sum(1 + len(c.aliases) + len(c.versions) for c in base.claims.values())
    gc.collect()
    rss_base = _peak_rss_mb()

    started = time.perf_counter()
    engine = Engine(base, today=BENCH_TODAY)
    build_s = time.perf_counter() - started
    build = engine.matcher.build_seconds
    queries = bench_queries(real, seed)

    index_ms: list[float] = []
    index_out: list[tuple[str | None, str]] = []
    index_json: list[dict[str, Any]] = []
    for query in queries:
        started = time.perf_counter()
        reply = engine.check(query.text)
        index_ms.append((time.perf_counter() - started) * 1000)
        index_out.append(_outcome(reply))
        index_json.append(reply.to_json())
    rss_index = _peak_rss_mb()

    if full_scan_queries is None:
        full_scan_queries = min(len(queries), max(FULL_SCAN_MIN, FULL_SCAN_BUDGET // size))
    step = max(1, len(queries) // max(1, full_scan_queries))
    picked = list(range(0, len(queries), step))[:full_scan_queries]
    engine.matcher = _FullScan(engine.matcher)  # type: ignore[assignment]
    scan_ms: list[float] = []
    agree_top = agree_both = identical = 0
    for i in picked:
        started = time.perf_counter()
        reply = engine.check(queries[i].text)
        scan_ms.append((time.perf_counter() - started) * 1000)
        top, verdict = _outcome(reply)
        agree_top += top == index_out[i][0]
        agree_both += (top, verdict) == index_out[i]
        identical += reply.to_json() == index_json[i]
    engine.matcher = engine.matcher._matcher  # type: ignore[attr-defined]

    texts = [t for c in base.claims.values() for t in (*c.texts(), *(v.text for v in c.versions))]
    reference_ms = []
    for query in queries[:: max(1, len(queries) // REFERENCE_QUERIES)][:REFERENCE_QUERIES]:
        started = time.perf_counter()
        process.extractOne(query.text, texts, scorer=fuzz.token_set_ratio, processor=utils.default_process)
        reference_ms.append((time.perf_counter() - started) * 1000)

    paraphrases = [i for i, q in enumerate(queries) if q.kind == "paraphrase"]
    found_own = sum(1 for i in paraphrases if index_out[i][0] == queries[i].source)
    return {
        "claims": len(base.claims),
        "wordings": wordings,
        "terms": len(engine.matcher._term_str),
        "generate_s": round(generate_s, 2),
        "queries": len(queries),
        "paraphrases_finding_their_claim": round(found_own / len(paraphrases), 3) if paraphrases else None,
        "index": {
            "build_s": round(build_s, 2),
            "normalise_s": round(build.get("normalise", 0.0), 2),
            "index_s": round(build.get("index", 0.0), 2),
            "p50_ms": round(_percentile(index_ms, 50), 3),
            "p99_ms": round(_percentile(index_ms, 99), 3),
            "max_ms": round(max(index_ms), 3),
            "peak_rss_mb": round(rss_index, 1),
            "base_rss_mb": round(rss_base, 1),
        },
        "full_scan": {
            "build_s": round(build.get("normalise", 0.0), 2),
            "queries": len(picked),
            "p50_ms": round(_percentile(scan_ms, 50), 3),
            "p99_ms": round(_percentile(scan_ms, 99), 3),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
        },
        "speedup_p50": round(_percentile(scan_ms, 50) / _percentile(index_ms, 50), 1),
        "speedup_p99": round(_percentile(scan_ms, 99) / _percentile(index_ms, 99), 1),
        "speedup_mean": round(statistics.mean(scan_ms) / statistics.mean([index_ms[i] for i in picked]), 1),
        "agree_top": round(agree_top / len(picked), 4),
        "agree_top_and_verdict": round(agree_both / len(picked), 4),
        "identical_replies": round(identical / len(picked), 4),
        "token_set_ratio_ms": {"queries": len(reference_ms), "p50_ms": round(_percentile(reference_ms, 50), 1),
                               "max_ms": round(max(reference_ms), 1)},
    }


def run(sizes: Iterable[int], seed: int = DEFAULT_SEED, full_scan_queries: int | None = None,
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Measure each size in a fresh process; return every figure as one JSON-ready object."""
    results = []
    for size in sizes:
        if progress:
            progress(f"measuring {size:,} claims ...")
        cmd = [sys.executable, "-m", "benchmarks.matching", "--size", str(size), "--seed", str(seed)]
        if full_scan_queries is not None:
            cmd += ["--full-scan-queries", str(full_scan_queries)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the bench for {size} claims failed:\n{done.stderr.strip()}")
        results.append(json.loads(done.stdout))
    return {
        "seed": seed,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "queries": asdict(_query_mix(seed)),
        "sizes": results,
    }


@dataclass(frozen=True)
class _Mix:
    total: int
    paraphrases: int
    off_topic: int


def _query_mix(seed: int) -> _Mix:
    queries = bench_queries(load_base(), seed)
    paraphrases = sum(1 for q in queries if q.kind == "paraphrase")
    return _Mix(len(queries), paraphrases, len(queries) - paraphrases)


def table(report: dict[str, Any]) -> str:
    """The report as a plain-text table, one row per size."""
    mix = report["queries"]
    head = (f"{'claims':>8} {'wordings':>9} {'terms':>6} | {'build s':>7} {'(normalise + index)':>20} "
            f"{'p50 ms':>7} {'p99 ms':>7} | {'p50 ms':>8} {'p99 ms':>8} {'n':>4} | {'speedup p50':>11} "
            f"| {'agree: top, verdict':>19} | {'peak RSS MB':>11} {'(base)':>7}")
    lines = [
        f"Crosscheck matching bench: seed {report['seed']}, {mix['total']} statements "
        f"({mix['paraphrases']} paraphrases of real claims, {mix['off_topic']} off-topic), "
        f"Python {report['python']}, {report['cpus']} CPUs",
        "",
        _group_header(head, ["", "index", "full scan"]),
        head,
        "-" * len(head),
    ]
    for r in report["sizes"]:
        ix, fs = r["index"], r["full_scan"]
        split = f"({ix['normalise_s']:.2f} + {ix['index_s']:.2f})"
        agree = f"{100 * r['agree_top']:.1f}%, {100 * r['agree_top_and_verdict']:.1f}%"
        lines.append(
            f"{r['claims']:>8,} {r['wordings']:>9,} {r['terms']:>6,} | {ix['build_s']:>7.2f} {split:>20} "
            f"{ix['p50_ms']:>7.2f} {ix['p99_ms']:>7.2f} | {fs['p50_ms']:>8.1f} {fs['p99_ms']:>8.1f} {fs['queries']:>4} "
            f"| {str(round(r['speedup_p50'])) + 'x':>11} | {agree:>19} | {ix['peak_rss_mb']:>11.0f} "
            f"{'(' + format(ix['base_rss_mb'], '.0f') + ')':>7}"
        )
    lines += [
        "",
        "build: seconds to index the base: normalising every wording (the full scan needs that too) + the index.",
        "p50, p99: milliseconds per Engine.check (normalising, matching, the verdict); n: statements the full scan "
        "ran (an evenly spread subset above 1,000 claims); speedup: full-scan p50 / index p50.",
        "agree: share of those n statements whose top claim (or first suggestion) and verdict are the same both ways.",
        "peak RSS: the whole process (a fresh one per size) after the indexed run; (base): before the engine was "
        "built, i.e. the claims themselves and the interpreter.",
        "identical replies (the whole reply, suggestions and scores included): "
        + ", ".join(f"{r['claims']:,} claims {100 * r['identical_replies']:.1f}%" for r in report["sizes"]),
        "reference, plain rapidfuzz extractOne(token_set_ratio) over every wording, ms per statement (median): "
        + ", ".join(f"{r['claims']:,} claims {r['token_set_ratio_ms']['p50_ms']:.0f}" for r in report["sizes"]),
    ]
    return "\n".join(lines)


def _group_header(head: str, groups: list[str]) -> str:
    """A line naming the column groups that `head` separates with '|'."""
    cuts = [i for i, ch in enumerate(head) if ch == "|"]
    out, start = "", 0
    for cut, name in zip(cuts, groups, strict=False):
        out += f" {name}".ljust(cut - start) + "|"
        start = cut + 1
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: measure one size and print its figures as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description="Measure one size (used by `crosscheck bench`).")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--full-scan-queries", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.size, args.seed, args.full_scan_queries)))


if __name__ == "__main__":
    main()

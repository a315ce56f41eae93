"""`crosscheck bench`: how matching scales with the size of the claim base, against fair peers.

For each size (by default 1,000, 10,000 and 100,000 claims) a fresh Python process builds a
synthetic base around the real one (`benchmarks.synthetic`: its vocabulary grows as news text's
does) and runs a fixed, seeded set of statements (paraphrases of the real claims, of synthetic
ones, and off-topic ones) through the ways of finding a statement's claim:

- the index: `Engine.check` (normalising, `Matcher.match`, the verdict), timed cold (the first
  statement after the build, and every statement with the matcher's expansion cache emptied
  first, as for a statement whose words nobody used before) and warm (its terms expanded before);
- the fair peers (`benchmarks.peers`): rapidfuzz over every wording, preprocessed once, the
  claim of the best wording, as a competent engineer would write it without an index; one with
  rapidfuzz alone, one over our normaliser's terms. The speedup is a peer's latency over the
  index's, on the same statements, in the same process and run;
- the full scan: `Engine.check` with `Matcher.match_full_scan`, which scores every claim. It is
  the reference the index must equal (agreement), not a speed baseline.

The peers and the full scan run on an evenly spread subset of the statements above 1,000
claims, the same for all. Besides speed and memory, the bench reports how often each finds the
right claim of the statements whose right claim is known (the claim paraphrased), how often the
peers pick the claim the index picks, and the base's vocabulary against news text's.
"""

from __future__ import annotations

import gc
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from benchmarks.peers import RapidfuzzPeer
from benchmarks.synthetic import (  # noqa: F401 (DEFAULT_SEED, bench_queries: imported from here too)
    DEFAULT_SEED,
    NEWS_TERMS,
    NEWS_WORDS,
    WORD_RE,
    BenchQuery,
    bench_queries,
    fit_heaps,
    fit_news,
    running_words,
    synthetic_base,
    synthetic_queries,
    template_of,
    vocabulary_curve,
)
from claims.load import Base, load_base

DEFAULT_SIZES = (1_000, 10_000, 100_000)
# Deadlines are judged as of a fixed day, so verdicts do not drift with the clock.
BENCH_TODAY = date(2026, 11, 21)
# The peers and the full scan score every wording or claim for every statement (seconds per
# statement at 100,000 claims): above 1,000 claims they run on an evenly spread subset of the
# statements, the same in every run, of about SUBSET_BUDGET / size statements (at least SUBSET_MIN).
SUBSET_BUDGET = 1_500_000
SUBSET_MIN = 60
SYNTHETIC_QUERIES = 100  # paraphrases of synthetic claims, on top of the real claims' and off-topic ones
QUERY_KINDS = ("paraphrase", "synthetic", "off-topic")


# --- measuring ------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _rss_mb() -> float:
    """This process's resident memory now (Linux only; NaN elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return math.nan
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def _percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    k = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _ms(values: Sequence[float], prefix: str = "") -> dict[str, float]:
    """p50, p99 and the maximum of some latencies, in milliseconds."""
    return {f"{prefix}p50_ms": round(_percentile(values, 50), 3), f"{prefix}p99_ms": round(_percentile(values, 99), 3),
            f"{prefix}max_ms": round(max(values, default=math.nan), 3)}


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


def _forget_expansions(matcher: Any) -> None:
    """Empty the matcher's cache of statement terms' fuzzy expansions (as after a restart, or for
    a statement whose words nobody used before). The bench reaches into the matcher for this:
    the engine has no reason to offer it."""
    matcher._expand_cache.clear()


class _FullCollections:
    """Python's full (generation 2) garbage collections while installed, and how long each took:
    over a large base's millions of objects one takes about a second, and lands on whichever
    check happens to allocate past the threshold."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self._started = 0.0

    def __enter__(self) -> _FullCollections:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.ms.append((time.perf_counter() - self._started) * 1000)


def _timed(check: Callable[[str], Any], text: str) -> tuple[float, Any]:
    started = time.perf_counter()
    out = check(text)
    return (time.perf_counter() - started) * 1000, out


def _subset(total: int, size: int, wanted: int | None) -> list[int]:
    """An evenly spread subset of statement positions, the same in every run."""
    if wanted is None:
        wanted = max(SUBSET_MIN, SUBSET_BUDGET // size)
    wanted = max(1, min(total, wanted))
    step = total / wanted
    return sorted({int(i * step) for i in range(wanted)})


def _accuracy(tops: dict[int, str | None], queries: list[BenchQuery]) -> dict[str, Any]:
    """Of the statements in `tops` whose right claim is known, how many got it first.

    "real": paraphrases of real claims finding that claim; "real_family": finding it or one of
    its synthetic copies (which may differ from it by no more than a place or a year, so that
    the copy can be as right an answer); "synthetic": paraphrases of synthetic claims finding it."""
    real = [i for i in tops if queries[i].kind == "paraphrase"]
    synthetic = [i for i in tops if queries[i].kind == "synthetic"]

    def rate(hits: int, n: int) -> float | None:
        return round(hits / n, 4) if n else None

    return {
        "real": rate(sum(tops[i] == queries[i].source for i in real), len(real)),
        "real_family": rate(sum(tops[i] is not None and template_of(tops[i]) == queries[i].source  # type: ignore[arg-type]
                                for i in real), len(real)),
        "synthetic": rate(sum(tops[i] == queries[i].source for i in synthetic), len(synthetic)),
        "n_real": len(real),
        "n_synthetic": len(synthetic),
    }


def _vocabulary(base: Base, terms: int) -> dict[str, Any]:
    """The base's running words, distinct words and terms, against news text of as many words."""
    texts = [t for c in base.claims.values() for t in (*c.texts(), *(v.text for v in c.versions))]
    curve = vocabulary_curve(texts)
    running, words, _ = curve[-1]
    # The last tenth of the growth: the first claims, copies of the real ones, hold fewer new
    # words than news text, and the lexicon catches up over the first few thousand claims.
    fitted = fit_heaps([(n, w) for n, w, _ in curve], min_words=running // 10)
    return {
        "running_words": running,
        "words": words,
        "terms": terms,
        "news_words": round(NEWS_WORDS.at(running)),
        "news_terms": round(NEWS_TERMS.at(running)),
        "fit_words": {"k": round(fitted.k, 2), "beta": round(fitted.beta, 3)},
    }


def measure(size: int, seed: int = DEFAULT_SEED, subset_queries: int | None = None) -> dict[str, Any]:
    """Build a base of `size` claims and time the fixed statements through the index, the peers
    and the full scan.

    Meant to run in a process of its own (`crosscheck bench` starts one per size), so that the
    peak memory is this size's alone."""
    from claims.engine import Engine

    real = load_base()
    started = time.perf_counter()
    base = synthetic_base(real, size, seed)
    generate_s = time.perf_counter() - started
    wordings = sum(1 + len(c.aliases) + len(c.versions) for c in base.claims.values())
    queries = bench_queries(real, seed) + synthetic_queries(base, SYNTHETIC_QUERIES, seed)
    gc.collect()
    rss_base = _peak_rss_mb()

    # --- the index: built, then the first statement, then every statement cold, in order, warm
    started = time.perf_counter()
    engine = Engine(base, today=BENCH_TODAY)
    build_s = time.perf_counter() - started
    build = engine.matcher.build_seconds
    with _FullCollections() as collections:
        first_ms, _ = _timed(engine.check, queries[0].text)
        first_full_gc = bool(collections.ms)
        cold_ms: list[float] = []
        for query in queries:
            _forget_expansions(engine.matcher)
            cold_ms.append(_timed(engine.check, query.text)[0])
        _forget_expansions(engine.matcher)
        in_order_ms = [_timed(engine.check, q.text)[0] for q in queries]  # as statements arrive: terms recur
        warm_ms: list[float] = []
        index_out: list[tuple[str | None, str]] = []
        index_json: list[dict[str, Any]] = []
        for query in queries:
            ms, reply = _timed(engine.check, query.text)
            warm_ms.append(ms)
            index_out.append(_outcome(reply))
            index_json.append(reply.to_json())
    rss_index = _peak_rss_mb()
    picked = _subset(len(queries), size, subset_queries)

    # --- the fair peers, on the subset
    peers: dict[str, dict[str, Any]] = {}
    peer_tops: dict[str, dict[int, str | None]] = {}
    peer_ms: dict[str, list[float]] = {}
    for normalise in (None, engine.normaliser.terms):
        gc.collect()
        rss_before = _rss_mb()
        peer = RapidfuzzPeer(base.claims.values(), normalise)
        rss = _rss_mb() - rss_before
        peer_first_ms, _ = _timed(peer.best, queries[picked[0]].text)
        times, tops = [], {}
        for i in picked:
            ms, best = _timed(peer.best, queries[i].text)
            times.append(ms)
            tops[i] = best[0] if best else None
        peers[peer.name] = {"choices": len(peer), "build_s": round(peer.build_seconds, 2), "rss_mb": round(rss, 1),
                            "first_ms": round(peer_first_ms, 3), "queries": len(picked), **_ms(times)}
        peer_tops[peer.name], peer_ms[peer.name] = tops, times
        del peer

    # --- the full scan, on the subset: the reference the index must equal
    engine.matcher = _FullScan(engine.matcher)  # type: ignore[assignment]
    scan_ms: list[float] = []
    agree_top = agree_both = identical = 0
    for i in picked:
        ms, reply = _timed(engine.check, queries[i].text)
        scan_ms.append(ms)
        top, verdict = _outcome(reply)
        agree_top += top == index_out[i][0]
        agree_both += (top, verdict) == index_out[i]
        identical += reply.to_json() == index_json[i]
    engine.matcher = engine.matcher._matcher  # type: ignore[attr-defined]

    named = [i for i in picked if index_out[i][0] is not None]
    off_topic = [i for i, q in enumerate(queries) if q.kind == "off-topic"]
    index_top = {i: out[0] for i, out in enumerate(index_out)}
    subset_warm = [warm_ms[i] for i in picked]
    subset_cold = [cold_ms[i] for i in picked]
    return {
        "claims": len(base.claims),
        "wordings": wordings,
        "generate_s": round(generate_s, 2),
        "vocabulary": _vocabulary(base, len(engine.matcher._term_str)),
        "queries": {"total": len(queries), "subset": len(picked),
                    **{kind: sum(q.kind == kind for q in queries) for kind in QUERY_KINDS}},
        "index": {
            "build_s": round(build_s, 2),
            "normalise_s": round(build.get("normalise", 0.0), 2),
            "index_s": round(build.get("index", 0.0), 2),
            "first_ms": round(first_ms, 3),
            "first_had_full_gc": first_full_gc,
            "full_gc_pauses": len(collections.ms),
            "full_gc_max_ms": round(max(collections.ms, default=0.0), 1),
            **_ms(cold_ms, "cold_"),
            **_ms(in_order_ms, "in_order_"),
            **_ms(warm_ms, "warm_"),
            "subset_cold_p50_ms": round(_percentile(subset_cold, 50), 3),
            "subset_warm_p50_ms": round(_percentile(subset_warm, 50), 3),
            "subset_warm_p99_ms": round(_percentile(subset_warm, 99), 3),
            "peak_rss_mb": round(rss_index, 1),
            "base_rss_mb": round(rss_base, 1),
            "off_topic_without_claim": round(sum(index_out[i][0] is None for i in off_topic) / len(off_topic), 4),
        },
        "peers": peers,
        "full_scan": {
            "queries": len(picked),
            **_ms(scan_ms),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
        },
        # the index's time includes its verdict; the peers' only finding the claim
        "speedup": {
            **{f"{name}_{which}": round(_percentile(times, q) / _percentile(subset, q), 1)
               for name, times in peer_ms.items()
               for which, subset, q in (("warm_p50", subset_warm, 50), ("warm_p99", subset_warm, 99),
                                        ("cold_p50", subset_cold, 50), ("cold_p99", subset_cold, 99))},
            "full_scan_p50": round(_percentile(scan_ms, 50) / _percentile(subset_warm, 50), 1),
        },
        "agreement": {
            "full_scan_top": round(agree_top / len(picked), 4),
            "full_scan_top_and_verdict": round(agree_both / len(picked), 4),
            "full_scan_identical": round(identical / len(picked), 4),
            **{f"{name}_top": round(sum(tops[i] == index_out[i][0] for i in named) / len(named), 4) if named else None
               for name, tops in peer_tops.items()},
            "index_named_n": len(named),
        },
        "accuracy": {
            "index": _accuracy({i: index_top[i] for i in picked}, queries),
            **{name: _accuracy(tops, queries) for name, tops in peer_tops.items()},
            "index_all_statements": _accuracy(index_top, queries),
        },
    }


def heaps_figures(real: Base) -> dict[str, Any]:
    """Heaps' law as the generator uses it (fitted to news text) and as the shipped articles give it."""
    from claims.places import place_index
    from claims.text import Normaliser, Vocabulary

    normaliser = Normaliser(place_index(real.entities.values()), Vocabulary(real.terms.values()))
    articles = [real.texts[k] for k in sorted(real.texts)]
    words, terms = fit_news(articles, normaliser.terms, min_words=300)
    return {
        "news": "BBC News dataset (Greene and Cunningham 2006): 2,127 distinct articles, 0.82 million words",
        "news_words": {"k": NEWS_WORDS.k, "beta": NEWS_WORDS.beta},
        "news_terms": {"k": NEWS_TERMS.k, "beta": NEWS_TERMS.beta},
        "articles": f"the {len(articles)} shipped articles: {sum(running_words(a) for a in articles):,} words",
        "articles_words": {"k": round(words.k, 2), "beta": round(words.beta, 3)},
        "articles_terms": {"k": round(terms.k, 2), "beta": round(terms.beta, 3)},
    }


def run(sizes: Iterable[int], seed: int = DEFAULT_SEED, subset_queries: int | None = None,
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Measure each size in a fresh process; return every figure as one JSON-ready object."""
    results = []
    for size in sizes:
        if progress:
            progress(f"measuring {size:,} claims ...")
        cmd = [sys.executable, "-m", "benchmarks.matching", "--size", str(size), "--seed", str(seed)]
        if subset_queries is not None:
            cmd += ["--subset-queries", str(subset_queries)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the bench for {size} claims failed:\n{done.stderr.strip()}")
        results.append(json.loads(done.stdout))
    return {
        "seed": seed,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "heaps": heaps_figures(load_base()),
        "sizes": results,
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _rows(head: str, groups: list[str], rows: list[str]) -> list[str]:
    return [_group_header(head, groups), head, "-" * len(head), *rows]


def _x(value: float) -> str:
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"


def table(report: dict[str, Any]) -> str:
    """The report as plain-text tables, one row per size."""
    sizes = report["sizes"]
    q = sizes[0]["queries"] if sizes else {"total": 0, "paraphrase": 0, "synthetic": 0, "off-topic": 0}
    heaps = report["heaps"]
    lines = [
        f"Crosscheck matching bench: seed {report['seed']}, {q['total']} statements ({q['paraphrase']} paraphrases "
        f"of real claims, {q['synthetic']} of synthetic ones, {q['off-topic']} off-topic), "
        f"Python {report['python']}, {report['cpus']} CPUs",
        "",
    ]
    head = (f"{'claims':>8} | {'build s':>7} {'first':>6} {'cold p50':>8} {'p99':>6} {'warm p50':>8} {'p99':>6} | "
            f"{'build s':>7} {'p50':>6} {'p99':>6} | {'build s':>7} {'p50':>6} {'p99':>6} | {'p50':>6} {'n':>4}")
    rows = []
    for r in sizes:
        ix, fs = r["index"], r["full_scan"]
        a, b = r["peers"]["rapidfuzz"], r["peers"]["normalised"]
        rows.append(
            f"{r['claims']:>8,} | {ix['build_s']:>7.2f} {ix['first_ms']:>6.1f} {ix['cold_p50_ms']:>8.2f} "
            f"{ix['cold_p99_ms']:>6.1f} {ix['warm_p50_ms']:>8.2f} {ix['warm_p99_ms']:>6.1f} | {a['build_s']:>7.2f} "
            f"{a['p50_ms']:>6.0f} {a['p99_ms']:>6.0f} | {b['build_s']:>7.2f} {b['p50_ms']:>6.0f} {b['p99_ms']:>6.0f} | "
            f"{fs['p50_ms']:>6.0f} {fs['queries']:>4}")
    lines += ["latency in ms", *_rows(head, ["", "index (Engine.check)", "peer: rapidfuzz", "peer: normalised",
                                             "full scan"], rows)]
    head = (f"{'claims':>8} | {'warm p50':>8} {'cold p50':>8} {'warm p99':>8} | {'warm p50':>8} {'cold p50':>8} "
            f"{'warm p99':>8} | {'p50':>5} | {'peak RSS MB':>11} {'(base)':>6} | {'rapidfuzz':>9} {'normalised':>10}")
    rows = []
    for r in sizes:
        sp, ix, peers = r["speedup"], r["index"], r["peers"]
        rows.append(
            f"{r['claims']:>8,} | {_x(sp['rapidfuzz_warm_p50']):>8} {_x(sp['rapidfuzz_cold_p50']):>8} "
            f"{_x(sp['rapidfuzz_warm_p99']):>8} | {_x(sp['normalised_warm_p50']):>8} "
            f"{_x(sp['normalised_cold_p50']):>8} {_x(sp['normalised_warm_p99']):>8} | {_x(sp['full_scan_p50']):>5} | "
            f"{ix['peak_rss_mb']:>11.0f} "
            f"{'(' + format(ix['base_rss_mb'], '.0f') + ')':>6} | {peers['rapidfuzz']['rss_mb']:>9.0f} "
            f"{peers['normalised']['rss_mb']:>10.0f}")
    lines += ["", "speedup of the index and memory",
              *_rows(head, ["", "vs peer: rapidfuzz", "vs peer: normalised", "scan", "index memory",
                            "peers' MB"], rows)]
    head = (f"{'claims':>8} | {'top':>5} {'+verdict':>8} {'reply':>5} | {'rapidfuzz':>9} {'normalised':>10} | "
            f"{'index':>14} {'rapidfuzz':>14} {'normalised':>14} | {'n':>7}")
    rows = []
    for r in sizes:
        ag, acc = r["agreement"], r["accuracy"]

        def right(a: dict[str, Any]) -> str:
            return f"{_pct(a['real'])} {_pct(a['real_family'])} {_pct(a['synthetic'])}"

        rows.append(
            f"{r['claims']:>8,} | {_pct(ag['full_scan_top']):>5} {_pct(ag['full_scan_top_and_verdict']):>8} "
            f"{_pct(ag['full_scan_identical']):>5} | {_pct(ag['rapidfuzz_top']):>9} {_pct(ag['normalised_top']):>10} | "
            f"{right(acc['index']):>14} {right(acc['rapidfuzz']):>14} {right(acc['normalised']):>14} | "
            f"{str(acc['index']['n_real']) + '+' + str(acc['index']['n_synthetic']):>7}")
    lines += ["", "answers",
              *_rows(head, ["", "full scan = index", "peer = index", "right claim first: real, family, synthetic",
                            ""], rows)]
    head = (f"{'claims':>8} {'wordings':>9} {'words run':>10} | {'distinct':>8} {'news':>7} | {'terms':>7} "
            f"{'news':>7} | {'k':>6} {'beta':>5}")
    rows = []
    for r in sizes:
        v = r["vocabulary"]
        rows.append(f"{r['claims']:>8,} {r['wordings']:>9,} {v['running_words']:>10,} | {v['words']:>8,} "
                    f"{v['news_words']:>7,} | {v['terms']:>7,} {v['news_terms']:>7,} | {v['fit_words']['k']:>6.1f} "
                    f"{v['fit_words']['beta']:>5.3f}")
    lines += ["", "vocabulary", *_rows(head, ["", "words", "matcher terms", "base's Heaps fit"], rows)]
    lines += [
        "",
        "index: build = normalising every wording + the index (s); first = the first check after the build; cold = "
        "each statement with the matcher's expansion cache emptied first; warm = each statement with its terms "
        "expanded before. Each is a whole Engine.check (normalising, matching, the verdict).",
        "peers (benchmarks/peers.py) find the claim of a statement's best wording, with no verdict; build = "
        "preprocessing every wording once. rapidfuzz: default_process, token_set_ratio, cdist(workers=-1). "
        "normalised: our normaliser's terms, WRatio, extractOne. full scan: Engine.check scoring every claim, the "
        "reference the index must equal. Peers and full scan run on n evenly spread statements (all at 1,000 claims).",
        "full GC pauses during the index's checks (count, longest ms): "
        + ", ".join(f"{r['claims']:,} claims {r['index']['full_gc_pauses']}, {r['index']['full_gc_max_ms']:.0f}"
                    for r in sizes) + ".",
        "speedup: the peer's (or full scan's) latency over the index's on the same n statements. peak RSS: the whole "
        "process (a fresh one per size) after the index's runs; (base): before the engine was built; peers' MB: "
        "the resident memory each one's build added.",
        "full scan = index: share of the n statements with the same top claim (match, else first suggestion), also "
        "the same verdict, and identical replies. peer = index: share of those where the index names a claim whose "
        "top claim the peer also puts first.",
        "right claim first, of the paraphrases among the n: real = of the real claims, finding that claim; "
        "family = that claim or a synthetic copy of it (a copy may differ from it by no more than a year or a "
        "place); synthetic = of synthetic claims, finding that claim. n: real + synthetic paraphrases.",
        f"vocabulary: running words of every wording, their distinct lower-case words and the matcher's terms, "
        f"against news text of as many words: Heaps' law fitted to the {heaps['news']} (words k="
        f"{heaps['news_words']['k']}, beta={heaps['news_words']['beta']}; terms k={heaps['news_terms']['k']}, "
        f"beta={heaps['news_terms']['beta']}); {heaps['articles']} give words k={heaps['articles_words']['k']}, "
        f"beta={heaps['articles_words']['beta']}. base's fit: over the points past a tenth of its running words.",
    ]
    return "\n".join(lines)


def _group_header(head: str, groups: list[str]) -> str:
    """A line naming the column groups that `head` separates with '|'."""
    cuts = [i for i, ch in enumerate(head) if ch == "|"]
    out, start = "", 0
    for cut, name in zip(cuts, groups, strict=False):
        out += f" {name}".ljust(cut - start) + "|"
        start = cut + 1
    if len(groups) > len(cuts):
        out += f" {groups[len(cuts)]}"
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: measure one size and print its figures as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description="Measure one size (used by `crosscheck bench`).")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--subset-queries", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.size, args.seed, args.subset_queries)))


if __name__ == "__main__":
    main()

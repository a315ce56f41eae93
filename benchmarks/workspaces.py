"""`crosscheck bench workspaces`: what serving many servers costs, and how soon an edit is seen.

Two measurements, each in a fresh process so that its memory figures are its own:

- **servers**: a database with the shipped base; N servers each ask one question (each gets a
  workspace of its own on first use), then E of them edit their base. Reported: resident memory
  after the first server, after all N, and after the E edits; engines in memory; the time a new
  server's first answer takes. Unedited servers share one engine, so memory should stay flat.
- **edit**: a base of S claims (the synthetic base of `benchmarks.matching`) in a database; one
  process answers checks while another edits claims (an alias at a time). Reported: how long the
  first check after an edit takes in the answering process (it applies the change from the feed:
  one claim re-indexed), against a check with nothing new, and the time to apply one edit.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.matching import BENCH_TODAY, DEFAULT_SEED, _peak_rss_mb, _percentile, bench_queries, synthetic_base

QUESTION = "ISIS was defeated in Iraq in 2017"


def _rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        import resource

        return pages * resource.getpagesize() / (1024 * 1024)
    except OSError:
        return _peak_rss_mb()


def _word(i: int) -> str:
    """A made-up word of eight letters, different for each i."""
    digest = hashlib.sha256(str(i).encode()).digest()
    return "".join("bdfgklmnprstvz"[b % 14] + "aeiou"[b % 5] for b in digest[:4])


def measure_servers(servers: int, edited: int) -> dict[str, Any]:
    """N servers asking one question each, then E of them editing (in this process)."""
    from claims.curate import Curator
    from claims.service import Crosscheck

    folder = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    try:
        service = Crosscheck.open(folder / "db.sqlite", today=BENCH_TODAY)
        service.check(QUESTION)  # the engine every unedited server shares
        rss_one = _rss_mb()
        first_answers: list[float] = []
        for guild in range(servers):
            started = time.perf_counter()
            service.check(QUESTION, guild_id=str(10_000 + guild), user_id="u")
            first_answers.append((time.perf_counter() - started) * 1000)
        rss_all = _rss_mb()
        engines_all = service.engines.loaded()
        edit_ms: list[float] = []
        for guild in range(min(edited, servers)):
            started = time.perf_counter()
            Curator(service, guild_id=str(10_000 + guild)).add_alias("bench", "troops-in-syria",
                                                                    f"GIs in Syria, as server {guild} puts it")
            service.check(QUESTION, guild_id=str(10_000 + guild))
            edit_ms.append((time.perf_counter() - started) * 1000)
        rss_edited = _rss_mb()
        out = {
            "servers": servers, "edited": min(edited, servers),
            "rss_mb_one_server": round(rss_one, 1), "rss_mb_all_servers": round(rss_all, 1),
            "rss_mb_after_edits": round(rss_edited, 1), "peak_rss_mb": round(_peak_rss_mb(), 1),
            "engines_unedited": engines_all, "engines_after_edits": service.engines.loaded(),
            "engine_capacity": service.engines.capacity,
            "first_answer_ms_p50": round(statistics.median(first_answers), 2),
            "first_answer_ms_p99": round(_percentile(first_answers, 99), 2),
            "edit_and_answer_ms_p50": round(statistics.median(edit_ms), 1) if edit_ms else None,
        }
        service.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure_edit(size: int, edits: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """A base of `size` claims: first checks after edits made by another connection."""
    from claims.curate import Curator
    from claims.load import load_base
    from claims.service import Crosscheck
    from claims.store import DEFAULT, Store

    folder = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    try:
        real = load_base()
        path = folder / "db.sqlite"
        store = Store(path)
        store.ensure_shipped()
        store.import_base(DEFAULT, synthetic_base(real, size, seed))
        store.close()
        started = time.perf_counter()
        answering = Crosscheck.open(path, today=BENCH_TODAY)
        queries = [q.text for q in bench_queries(real, seed)][:200]
        for query in queries[:20]:
            answering.check(query)
        cold_s = time.perf_counter() - started
        editing = Crosscheck.open(path, today=BENCH_TODAY)  # stands in for the CLI: its own connection
        claim_ids = [c for c in answering.engine.base.claims if not c.startswith("syn")][:edits] or list(
            answering.engine.base.claims)[:edits]
        quiet_ms: list[float] = []
        after_edit_ms: list[float] = []
        for i in range(edits):
            query = queries[i % len(queries)]
            started = time.perf_counter()
            answering.check(query)
            quiet_ms.append((time.perf_counter() - started) * 1000)
            wording = f"the {_word(i)} {_word(i + 7919)} report"  # words no claim has: only the edit can match
            # a made-up wording shares no word with the claim: the warning it earns is accepted, as a moderator would
            Curator(editing).add_alias("bench", claim_ids[i % len(claim_ids)], wording, accept=True)
            started = time.perf_counter()
            reply = answering.check(wording)
            after_edit_ms.append((time.perf_counter() - started) * 1000)
            if reply.reply.claim is None or reply.reply.claim.id != claim_ids[i % len(claim_ids)]:
                raise RuntimeError(f"edit {i} was not visible at the next check")
        out = {
            "claims": size, "edits": edits, "cold_start_s": round(cold_s, 2),
            "check_ms_nothing_new_p50": round(statistics.median(quiet_ms), 2),
            "check_ms_nothing_new_p99": round(_percentile(quiet_ms, 99), 2),
            "first_check_after_edit_ms_p50": round(statistics.median(after_edit_ms), 2),
            "first_check_after_edit_ms_p99": round(_percentile(after_edit_ms, 99), 2),
            "visible_at_next_check": f"{edits}/{edits}",
            "peak_rss_mb": round(_peak_rss_mb(), 1),
        }
        answering.close()
        editing.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(servers: Sequence[int], edited: int, sizes: Sequence[int], edits: int,
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every measurement in a fresh process; all figures as one JSON-ready object."""
    out: dict[str, Any] = {"python": sys.version.split()[0], "servers": [], "edits": []}
    for n in servers:
        if progress:
            progress(f"{n:,} servers ...")
        out["servers"].append(_child(["--servers", str(n), "--edited", str(edited)]))
    for size in sizes:
        if progress:
            progress(f"edits on a base of {size:,} claims ...")
        out["edits"].append(_child(["--size", str(size), "--edits", str(edits)]))
    return out


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.workspaces", *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step {' '.join(args)} failed:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def table(report: dict[str, Any]) -> str:
    """The figures as a readable table."""
    lines = ["servers  edited | RSS MB: 1 server  all   after edits | engines: unedited  edited | "
             "new server's first answer ms p50 / p99"]
    for r in report["servers"]:
        lines.append(f"{r['servers']:>7,} {r['edited']:>7} | {r['rss_mb_one_server']:>14} {r['rss_mb_all_servers']:>6} "
                     f"{r['rss_mb_after_edits']:>11} | {r['engines_unedited']:>17} {r['engines_after_edits']:>7} | "
                     f"{r['first_answer_ms_p50']:>8} / {r['first_answer_ms_p99']}")
    if report["edits"]:
        lines.append("")
        lines.append("  claims  edits | cold start s | check ms, nothing new p50 / p99 | first check after an edit "
                     "ms p50 / p99 | visible | peak RSS MB")
        for r in report["edits"]:
            lines.append(f"{r['claims']:>8,} {r['edits']:>6} | {r['cold_start_s']:>12} | "
                         f"{r['check_ms_nothing_new_p50']:>15} / {r['check_ms_nothing_new_p99']:<12} | "
                         f"{r['first_check_after_edit_ms_p50']:>20} / {r['first_check_after_edit_ms_p99']:<14} | "
                         f"{r['visible_at_next_check']} | {r['peak_rss_mb']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: one measurement, printed as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description="One step of `crosscheck bench workspaces`.")
    parser.add_argument("--servers", type=int)
    parser.add_argument("--edited", type=int, default=10)
    parser.add_argument("--size", type=int)
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args(argv)
    if args.servers is not None:
        print(json.dumps(measure_servers(args.servers, args.edited)))
    else:
        print(json.dumps(measure_edit(args.size, args.edits)))


if __name__ == "__main__":
    main()

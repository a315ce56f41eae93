"""`crosscheck bench restart`: how soon a restarted bot answers, at a large base.

A database holds a synthetic base of S claims (`benchmarks.synthetic`). Each start is a fresh
process that opens it and answers one question, timed from before the first import of our code;
then it answers more questions (the first ones read their claims from the stored JSON) and
reports its peak memory. Three starts, in this order:

- **first start**: nothing stored yet, so every claim is normalised (in parallel), as every
  start did before the index entries were kept; this is the peer the restart is compared with.
- **restart**: the index is restored from the snapshot the first start stored (`claims.snapshot`).
- **restart, snapshot dropped**: the index is built from the claims' entries the first start
  stored (what a restart did before snapshots, and does when the snapshot is unusable).
- **restart, entries forgotten**: the same process as a restart after the snapshot and the
  entries are dropped (a release that changes how text is read): the cost of a cold restart,
  measured again in the same run so the figures are compared on the same machine state.

Each start also reports how its index was made, and the machine's load average as it ended
(the machine may be shared: a figure taken under load is not a quiet machine's).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Only what the standard library has is imported here: a start is timed from its interpreter's
# launch, and our modules must be imported inside that time, not before it.

QUESTIONS = 200


DEFAULT_SEED = 20261121


def build(path: Path, size: int, seed: int) -> float:
    """Write a database holding the shipped base and a synthetic base of `size` claims."""
    from benchmarks.synthetic import synthetic_base
    from claims.load import load_base
    from claims.store import DEFAULT, Store

    started = time.perf_counter()
    store = Store(path)
    store.ensure_shipped()
    store.import_base(DEFAULT, synthetic_base(load_base(), size, seed))
    store.close()
    return time.perf_counter() - started


def measure_start(path: Path, seed: int, queries: list[str]) -> dict[str, Any]:
    """One start: the time to the first answer, then more answers, then peak memory."""
    from benchmarks.matching import BENCH_TODAY, _peak_rss_mb, _percentile
    from claims.service import Crosscheck

    imported = time.perf_counter()
    service = Crosscheck.open(path, today=BENCH_TODAY)
    opened = time.perf_counter()
    service.check(queries[0])
    answered = time.perf_counter()
    answered_at = time.time()
    times = []
    for query in queries[1:]:
        begun = time.perf_counter()
        service.check(query)
        times.append((time.perf_counter() - begun) * 1000)
    saving = time.perf_counter()
    service.engines.wait_saved()
    out = {
        "engine_s": round(answered - imported, 2),  # open the database, build the engine, answer
        "answered_at": answered_at,
        "reused": service.engines.terms_reused,
        "claims": len(service.engine.base.claims),
        "next_checks_ms_p50": round(_percentile(times, 50), 2),
        "next_checks_ms_p99": round(_percentile(times, 99), 2),
        "stored_after_s": round(time.perf_counter() - saving, 2),
        "open_s": round(opened - imported, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "index": "; ".join(service.engines.index_made.values()),
        "load_average": round(os.getloadavg()[0], 2),
    }
    service.close()
    return out


def forget(path: Path, entries: bool) -> None:
    """Drop every snapshot, and with `entries` every stored index entry too (what a release that
    reads text differently amounts to)."""
    from claims.store import Store

    store = Store(path)
    store.terms.forget_snapshots()
    if entries:
        for fingerprint in store.terms.readings():
            store.terms.forget_reading(fingerprint)
    store.close()


STARTS = ("first_start", "restart", "restart_snapshot_dropped", "restart_forgotten")


def run(size: int, seed: int = DEFAULT_SEED, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build the database, then time three starts, each in a fresh process."""
    folder = Path(tempfile.mkdtemp(prefix="cc-restart-"))
    try:
        path = folder / "db.sqlite"
        if progress:
            progress(f"writing a database of {size:,} claims ...")
        out: dict[str, Any] = {"python": sys.version.split()[0], "size": size,
                               "build_s": round(build(path, size, seed), 1)}
        for name in STARTS:
            if name in ("restart_snapshot_dropped", "restart_forgotten"):
                forget(path, entries=name == "restart_forgotten")
            if progress:
                progress(f"{name.replace('_', ' ')} ...")
            out[name] = _child(path, seed)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _child(path: Path, seed: int) -> dict[str, Any]:
    """A start in a fresh interpreter, timed from the moment it is launched: the interpreter's
    start and every import count, as they do for a restarted bot."""
    from benchmarks.matching import bench_queries
    from claims.load import load_base

    queries = [q.text for q in bench_queries(load_base(), seed)][:QUESTIONS + 1]
    (path.parent / "queries.json").write_text(json.dumps(queries), encoding="utf-8")
    launched = time.time()
    done = subprocess.run([sys.executable, "-m", "benchmarks.restart", str(path), "--seed", str(seed)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"a start failed:\n{done.stderr.strip()[-2000:]}")
    out = json.loads(done.stdout)
    out["first_answer_s"] = round(out.pop("answered_at") - launched, 2)
    out["imports_s"] = round(out["first_answer_s"] - out["engine_s"], 2)
    return out


def table(report: dict[str, Any]) -> str:
    """The figures as a readable table."""
    lines = [f"{report['size']:,} claims (database written in {report['build_s']} s)",
             "start                       | first answer s (imports + engine) | claims not normalised | "
             "next checks ms p50 / p99 | peak RSS MB | load avg | index made from"]
    for name in STARTS:
        r = report[name]
        label = name.replace("_", " ").replace("forgotten", "(entries forgotten)").replace(
            "snapshot dropped", "(snapshot dropped)")
        lines.append(f"{label:<27} | {r['first_answer_s']:>14} ({r['imports_s']} + {r['engine_s']}) | "
                     f"{r['reused']:>21,} | {r['next_checks_ms_p50']:>12} / {r['next_checks_ms_p99']:<9} | "
                     f"{r['peak_rss_mb']:>11} | {r['load_average']:>8} | {r['index']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Worker entry point: one start, printed as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description="One start of `crosscheck bench restart`.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    queries = json.loads((args.path.parent / "queries.json").read_text(encoding="utf-8"))
    print(json.dumps(measure_start(args.path, args.seed, queries)))


if __name__ == "__main__":
    main()

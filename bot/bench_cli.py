"""`crosscheck bench`: benchmarks that print figures (the code lives in `benchmarks/`).

    crosscheck bench [--sizes ...]          matching: the index against a rapidfuzz peer and a full scan, by base size
    crosscheck bench workspaces             memory with many servers; the first check after an edit
    crosscheck bench privacy                retention on 1,000,000 checks; a person's show and erase
    crosscheck bench restart                time to the first answer after a restart at 100,000 claims
    crosscheck bench cluster                bot processes on PostgreSQL through the fake Discord (issue 15)
    crosscheck bench ingest [--base DIR]    drafting from articles, leave-one-article-out (issue 13)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import click

EXIT_UNAVAILABLE = 3
EXIT_INTERRUPTED = 130


def _numbers(text: str, option: str) -> list[int]:
    try:
        wanted = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a list of numbers like 1000,10000", param_hint=option) from None
    if not wanted or any(n < 1 for n in wanted):
        raise click.BadParameter("give at least one number, each at least 1", param_hint=option)
    return wanted


def _report(run: Callable[[Callable[[str], None] | None], dict], table: Callable[[dict], str], as_json: bool) -> None:
    progress = None if as_json else (lambda line: click.echo(line, err=True))
    try:
        report = run(progress)
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    click.echo(json.dumps(report) if as_json else table(report))


def register(main: click.Group) -> None:
    """Add `crosscheck bench` and its benchmarks to the CLI."""

    @main.group(invoke_without_command=True)
    @click.option("--sizes", default="1000,10000,100000", show_default=True, metavar="N,N,...",
                  help="Claim base sizes to measure, comma-separated.")
    @click.option("--seed", type=int, default=None, help="Seed of the synthetic bases and statements.")
    @click.option("--subset-queries", "--full-scan-queries", "subset_queries", type=int, default=None, metavar="N",
                  help="Statements for the rapidfuzz peers and the full scan (default: all at 1,000 claims, fewer "
                       "above: 150 at 10,000, 60 at 100,000).")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    @click.pass_context
    def bench(ctx: click.Context, sizes: str, seed: int | None, subset_queries: int | None,
              as_json: bool) -> None:
        """Benchmark matching at growing base sizes: the index against fair rapidfuzz peers (the
        speedup) and a full scan (exactness), warm and cold, on bases whose vocabulary grows as
        news text's does (takes minutes).

        Other benchmarks are subcommands (see below)."""
        if ctx.invoked_subcommand is not None:
            return
        from benchmarks import matching

        wanted = _numbers(sizes, "--sizes")
        _report(lambda progress: matching.run(wanted, seed if seed is not None else matching.DEFAULT_SEED,
                                              subset_queries, progress), matching.table, as_json)

    @bench.command()
    @click.option("--servers", default="1,100,1000", show_default=True, metavar="N,N,...",
                  help="How many servers ask a question, comma-separated.")
    @click.option("--edited", default=10, show_default=True, help="How many of them then edit their base.")
    @click.option("--sizes", default="1000,100000", show_default=True, metavar="N,N,...",
                  help="Base sizes at which to time the first check after an edit.")
    @click.option("--edits", default=30, show_default=True, help="Edits per size.")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def workspaces(servers: str, edited: int, sizes: str, edits: int, as_json: bool) -> None:
        """Memory with many servers (shared bases), and the first check after an edit made elsewhere."""
        from benchmarks import workspaces as bench_workspaces

        counts, wanted = _numbers(servers, "--servers"), _numbers(sizes, "--sizes")
        _report(lambda progress: bench_workspaces.run(counts, edited, wanted, edits, progress),
                bench_workspaces.table, as_json)

    @bench.command()
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def hostile(as_json: bool) -> None:
        """How quickly hostile import folders are refused (links, .., alias bombs, huge files)."""
        from benchmarks import hostile as bench_hostile

        _report(bench_hostile.run, bench_hostile.table, as_json)

    @bench.command()
    @click.option("--checks", default="1000000", show_default=True, metavar="N",
                  help="How many checks the log holds (asked over the past year).")
    @click.option("--servers", default=500, show_default=True, help="How many servers asked them.")
    @click.option("--people", default=100_000, show_default=True, help="How many people asked them.")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def privacy(checks: str, servers: int, people: int, as_json: bool) -> None:
        """Retention on a large log (first run, second run, an hour later), and one person's show and erase."""
        from benchmarks import privacy as bench_privacy

        [count] = _numbers(checks, "--checks")
        _report(lambda progress: bench_privacy.run(progress, count, servers, people), bench_privacy.table, as_json)

    @bench.command()
    @click.option("--size", default="100000", show_default=True, metavar="N", help="Claims in the base.")
    @click.option("--seed", type=int, default=None, help="Seed of the synthetic base and statements.")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def restart(size: str, seed: int | None, as_json: bool) -> None:
        """Time to the first answer: a first start, a restart, a restart with the stored index entries dropped."""
        from benchmarks import restart as bench_restart

        [count] = _numbers(size, "--size")
        _report(lambda progress: bench_restart.run(count, seed if seed is not None else bench_restart.DEFAULT_SEED,
                                                   progress), bench_restart.table, as_json)

    @bench.command()
    @click.option("--base", "base_dir", type=click.Path(file_okay=False, exists=True), default=None,
                  help="A base folder (sources.yaml, claims/base/...); default: the shipped base.")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def ingest(base_dir: str | None, as_json: bool) -> None:
        """Drafting from articles, leave-one-article-out: for each article, the base without what it
        alone contributes, the article drafted against it, and the drafts compared with what the curated
        base records for it (recall, precision, values, seconds per article)."""
        from pathlib import Path

        from benchmarks import ingest as bench_ingest

        _report(lambda progress: bench_ingest.run(progress, Path(base_dir) if base_dir else None),
                bench_ingest.table, as_json)

    @bench.command()
    @click.option("--servers", default=50, show_default=True, help="Servers in the fake Discord (every digest fires).")
    @click.option("--members", default=20, show_default=True, help="Members of each server (its owner only probes).")
    @click.option("--processes", default="1,2,4", show_default=True, metavar="N,N,...",
                  help="Bot processes for the acknowledgement and throughput figures; the most also run the "
                       "edits and the digests. The shard count is the largest of these and --cooldown-processes.")
    @click.option("--cooldown-processes", default=3, show_default=True,
                  help="Bot processes for the cooldown figures (0 skips them).")
    @click.option("--loads", default="200,400,800", show_default=True, metavar="N,N,...",
                  help="/check interactions sent at once, per process count.")
    @click.option("--edits", default=30, show_default=True, help="Edits before, and again after, the connection kill.")
    @click.option("--sustain", "sustain_s", default=15.0, show_default=True, metavar="SECONDS",
                  help="How long the sustained load for checks/s runs (0 skips it).")
    @click.option("--sustain-concurrency", default=8, show_default=True,
                  help="Askers per process in the sustained load (each asks again once answered).")
    @click.option("--claims", type=click.IntRange(min=0), default=100_000, show_default=True, metavar="N",
                  help="Claims in the cold-start base (0 skips the cold start).")
    @click.option("--digests", type=click.Choice(["wait", "overlap", "skip"]), default="wait", show_default=True,
                  help="Digests at the next whole minute: measured alone (wait), while the load figures run "
                       "(overlap: shorter, the digests then fire during them), or not at all.")
    @click.option("--digest-checks", default=3, show_default=True,
                  help="Checks asked in each server before its digest (an empty digest is not posted).")
    @click.option("--check-rate", default=5, show_default=True, help="CHECK_RATE of the cooldown processes.")
    @click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
    def cluster(servers: int, members: int, processes: str, cooldown_processes: int, loads: str, edits: int,
                sustain_s: float, sustain_concurrency: int, claims: int, digests: str, digest_checks: int,
                check_rate: int, as_json: bool) -> None:
        """Several real bot processes on one PostgreSQL database through the fake Discord: edits seen
        across processes (and after a killed connection), digests posted once, cooldowns across
        processes, acknowledgements under bursts, checks/s, and a cold start at 100,000 claims.

        Needs a checkout (it drives tests/e2e/fakediscord.py). Without $CROSSCHECK_POSTGRES_SERVER it
        runs itself again under scripts/with_postgres.sh (a throwaway server). Takes several minutes;
        progress goes to standard error."""
        import os

        from benchmarks import cluster as bench_cluster

        options = bench_cluster.Options(
            servers=servers, members=members, processes=tuple(_numbers(processes, "--processes")),
            cooldown_processes=cooldown_processes, loads=tuple(_numbers(loads, "--loads")), edits=edits,
            sustain_s=sustain_s, sustain_concurrency=sustain_concurrency, claims=claims, digests=digests,
            digest_checks=digest_checks, check_rate=check_rate)
        try:
            options.validate()
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if not os.environ.get("CROSSCHECK_POSTGRES_SERVER"):
            command = [sys.executable, "-m", "bot.cli", "bench", "cluster", *options.args()]
            sys.exit(bench_cluster.rerun_under_postgres(command + (["--json"] if as_json else [])))
        # Progress goes to standard error even with --json: the run takes minutes, and stdout stays JSON.
        try:
            report = bench_cluster.run(options, lambda line: click.echo(line, err=True))
        except RuntimeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_UNAVAILABLE)
        except KeyboardInterrupt:
            click.echo("interrupted: every process and database of the run was stopped", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo(json.dumps(report) if as_json else bench_cluster.table(report))

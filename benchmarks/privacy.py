"""`crosscheck bench privacy`: the cost of retention on a large check log, and of a person's requests.

A database is filled with N checks (default 1,000,000) asked over the past year in S servers
by U people, as the bot would have logged them (statement, user id, channel, pseudonym), with a
vote on one check in twenty. Most servers follow the default retention (90 days); a few keep
questions 7, 30 or 365 days, and one in fifty has retention off. Then it times:

- the first retention run (erases about three quarters of the log: everything past its period);
- a second run at once (nothing is due: it should read only indexes);
- a run an hour later (what became due in that hour);
- /privacy show for one person (what is kept about them), and their erasure.

Rows are written straight into the tables (the time to fill is reported, not part of the
figures); the runs go through `claims.privacy`, exactly as the bot and the CLI run them.
"""

from __future__ import annotations

import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from claims.privacy import apply_retention, erase, personal_data
from claims.store import Store

DEFAULT_CHECKS = 1_000_000
DEFAULT_SEED = 16
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CLAIMS = [f"claim-{i}" for i in range(400)]
VERDICTS = ("supported", "disputed", "contradicted", "unverified")
FILL_BATCH = 50_000

Progress = Callable[[str], None] | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _servers(count: int, rng: random.Random) -> dict[str, int | None]:
    """Server ids and their own retention (None: the default)."""
    out: dict[str, int | None] = {}
    for i in range(count):
        roll = rng.random()
        own = 7 if roll < 0.03 else 30 if roll < 0.06 else 365 if roll < 0.09 else 0 if roll < 0.11 else None
        out[str(900_000_000_000_000_000 + i)] = own
    return out


def fill(store: Store, checks: int, servers: int, people: int, seed: int, progress: Progress = None) -> dict[str, Any]:
    """Write `checks` checks (and their votes and pseudonyms) over the year before NOW."""
    rng = random.Random(seed)
    guilds = _servers(servers, rng)
    names = list(guilds)
    started = time.perf_counter()
    with store.transaction() as tx:
        for guild, days in guilds.items():
            if days is not None:
                tx.execute("INSERT INTO privacy_settings (guild_id, retention_days, updated_at, updated_by) "
                           "VALUES (?, ?, ?, 'bench')", [guild, days, _iso(NOW - timedelta(days=400))])
    links: dict[tuple[str, str], list[str]] = {}  # (scope, user) -> [pseudonym, last seen]
    year = 365 * 24 * 3600
    # The log is written as questions come: ids follow time, as in a real log.
    times = sorted(rng.randrange(year) for _ in range(checks))
    written = votes = 0
    while written < checks:
        rows, vote_rows = [], []
        for i in range(written, min(checks, written + FILL_BATCH)):
            guild = None if rng.random() < 0.02 else names[int(rng.paretovariate(1.2)) % len(names)]
            user = str(100_000_000_000_000_000 + rng.randrange(people))
            asked = _iso(NOW - timedelta(seconds=year - times[i]))
            scope = guild or ""
            link = links.setdefault((scope, user), [secrets.token_hex(8), asked])
            link[1] = max(link[1], asked)
            off = guild is not None and guilds[guild] == 0
            matched = rng.random() < 0.7
            claim = rng.choice(CLAIMS) if matched else None
            statement = f"Question {i}: did {rng.choice(CLAIMS)} really happen the way people say it did?"
            rows.append((guild, f"guild-{guild}" if guild else "default", None if off else statement, asked, claim,
                         80.0 if matched else 30.0, rng.choice(VERDICTS) if matched else "no_match",
                         "match" if matched else "no_match", "[]", None if off else user,
                         None if off else str(rng.randrange(10**17, 10**18)), "discord", link[0],
                         asked if off else None))
            if rng.random() < 0.05:
                vote_rows.append((i + 1, None if off else user, link[0], int(rng.random() < 0.7), asked))
        with store.transaction() as tx:
            tx.executemany("INSERT INTO checks (guild_id, workspace_id, statement, asked_at, claim_id, score, verdict, "
                           "outcome, suggestions, user_id, channel_id, via, asker, erased_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            tx.executemany("INSERT INTO feedback (check_id, user_id, voter, helpful, at) VALUES (?, ?, ?, ?, ?)",
                           vote_rows)
        written += len(rows)
        votes += len(vote_rows)
        if progress:
            progress(f"  filled {written:,} checks")
    with store.transaction() as tx:
        tx.executemany("INSERT INTO askers (scope, user_id, asker, last_seen) VALUES (?, ?, ?, ?)",
                       [(scope, user, link[0], link[1]) for (scope, user), link in links.items()])
    store.db.query("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"checks": checks, "votes": votes, "servers": servers, "people": people, "links": len(links),
            "servers_with_own_retention": sum(1 for d in guilds.values() if d is not None),
            "fill_seconds": round(time.perf_counter() - started, 1)}


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def run(progress: Progress = None, checks: int = DEFAULT_CHECKS, servers: int = 500, people: int = 100_000,
        seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Fill a database, then time retention runs and one person's requests; every figure as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-privacy-"))
    try:
        store = Store(folder / "db.sqlite")
        try:
            if progress:
                progress(f"filling {checks:,} checks in {servers} servers by {people:,} people…")
            filled = fill(store, checks, servers, people, seed, progress)
            size_before = _size(folder)
            if progress:
                progress("first retention run…")
            first, first_s = _timed(lambda: apply_retention(store, NOW))
            second, second_s = _timed(lambda: apply_retention(store, NOW + timedelta(seconds=1)))
            hourly, hourly_s = _timed(lambda: apply_retention(store, NOW + timedelta(hours=1)))
            person = store.db.scalar("SELECT user_id FROM askers WHERE scope != '' ORDER BY last_seen DESC LIMIT 1")
            guild = store.db.scalar("SELECT scope FROM askers WHERE user_id = ? AND scope != '' LIMIT 1", [person])
            shown, show_ms = _timed(lambda: personal_data(store, person, guild))
            erased, erase_s = _timed(lambda: erase(store, person, guild, NOW + timedelta(hours=1)))
            kept = store.db.scalar("SELECT count(*) FROM checks WHERE erased_at IS NULL")
        finally:
            store.close()
        return {
            **filled,
            "db_mb_before": size_before,
            "db_mb_after": _size(folder),
            "first_run": {"seconds": round(first_s, 3), "checks_erased": first.checks, "votes_unlinked": first.votes,
                          "pseudonyms_unlinked": first.askers, "phases": first.phases},
            "second_run": {"seconds": round(second_s, 3), "checks_erased": second.checks, "changed": second.changed},
            "hour_later_run": {"seconds": round(hourly_s, 3), "checks_erased": hourly.checks},
            "checks_still_kept": kept,
            "privacy_show": {"ms": round(show_ms * 1000, 1), "checks": shown.footprint.checks},
            "erase_person": {"ms": round(erase_s * 1000, 1), "checks": erased.unlinked, "votes": erased.votes},
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _size(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def table(report: dict[str, Any]) -> str:
    """The report as lines a person reads."""
    first, second, hourly = report["first_run"], report["second_run"], report["hour_later_run"]
    shown, erased = report["privacy_show"], report["erase_person"]
    return "\n".join([
        f"log: {report['checks']:,} checks, {report['votes']:,} votes, {report['servers']} servers "
        f"({report['servers_with_own_retention']} with their own retention), {report['people']:,} people, "
        f"{report['links']:,} pseudonym links; {report['db_mb_before']} MB (filled in {report['fill_seconds']}s)",
        f"first retention run:   {first['seconds']:>8.3f} s  erased {first['checks_erased']:,} checks, "
        f"unlinked {first['votes_unlinked']:,} votes and {first['pseudonyms_unlinked']:,} pseudonyms",
        "                        (" + ", ".join(f"{name} {secs:.3f} s" for name, secs in first["phases"].items()) + ")",
        f"second run (no-op):    {second['seconds']:>8.3f} s  erased {second['checks_erased']:,} "
        f"({'changed something!' if second['changed'] else 'nothing changed'})",
        f"run an hour later:     {hourly['seconds']:>8.3f} s  erased {hourly['checks_erased']:,} checks",
        f"checks still holding text: {report['checks_still_kept']:,}; database {report['db_mb_after']} MB",
        f"/privacy show (one person): {shown['ms']} ms ({_n(shown['checks'], 'check')})",
        f"erase one person:           {erased['ms']} ms ({_n(erased['checks'], 'check')}, "
        f"{_n(erased['votes'], 'vote')})",
    ])


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    checks = int(args[0]) if args else DEFAULT_CHECKS
    report = run(lambda line: print(line, file=sys.stderr), checks)
    print(table(report))
    print(json.dumps(report))


if __name__ == "__main__":
    main()

"""`crosscheck bench cluster`: several real bot processes on one PostgreSQL database, driven through
the standalone fake Discord, and the figures issue 15 asks for.

    crosscheck bench cluster [--json]      # the full run: several minutes

It starts (and always stops) a throwaway PostgreSQL server (`scripts/with_postgres.sh`: the
command re-runs itself under it when $CROSSCHECK_POSTGRES_SERVER is not set), the standalone
fake Discord (`tests/e2e/fakediscord.py`, one world of S shards and G servers) and bot
processes (`crosscheck run --shard-count S --shard-ids ...`, each its own OS process, see
`benchmarks.cluster_bot`), then measures, phase by phase (each phase its own processes):

1. **edits** (the most processes): an alias of made-up words added to a claim of `default` by
   a Curator on the controller's own connection, then a /check with it in a server of every
   shard; the time from the edit's commit to the answer reflecting it (the fake's clock is
   `time.monotonic()`, the same clock as the controller's on Linux). Then every database
   connection of one bot process is killed (`pg_terminate_backend`) and the edits go on.
2. **digests** (the most processes): a few checks asked in every server, then every server's
   digest scheduled for the next whole minute (UTC) through the database, as `/digest setup`
   does in whichever process; the digest messages the fake received, per server.
3. **cooldowns** (3 processes, default `CHECK_RATE` 5, window 600 s): members of a server of
   every process asking 2×rate checks at once; then members bursting 2×rate checks each while
   their server's process is replaced by a successor for the same shard (started, takes the
   shard's events over, then the old one is stopped): answers allowed beyond the limit.
4. **acknowledgements and throughput** (1, 2, 4 processes): 200/400/800 /check interactions
   at once over every server; acknowledgement delays by the fake's clock (dispatch to the
   callback's arrival) and the slowest complete answer; then a sustained closed loop for
   checks/s per process (and how many connections waited for a lock meanwhile).
5. **cold start** at 100,000 claims: the synthetic base of `benchmarks.synthetic` imported into
   `default` of a database of its own; one bot process started on it; the time to its first
   answered /check and its peak RSS (`VmHWM`).

A benchmark: it prints figures and never asserts on time. The machine it runs on is the
measurement's context: several processes on a couple of shared cores measure contention, not
scale. Tests: tests/bench/test_cluster_smoke.py runs a tiny configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.cluster_world import (
    WITH_POSTGRES,
    BotProcess,
    FakeClient,
    FakeError,
    FakeProcess,
    answer_text,
    backends,
    create_database,
    drop_database,
    listening,
    lock_waiters,
    outcome,
    require_checkout,
    server_version,
    snowflake_time,
    start_bot,
    start_fake,
    stop_all,
    terminate_backends,
    wait_for_sessions,
)
from benchmarks.matching import _percentile
from benchmarks.synthetic import DEFAULT_SEED, bench_queries

Progress = Callable[[str], None]

ACK_LIMIT_S = 3.0  # Discord drops an interaction not acknowledged within 3 s
CLAIM = "troops-in-syria"  # the claim edits add aliases to
PROBE = "ISIS was defeated in Iraq in 2017"  # asked to see that a process answers
READY_TIMEOUT_S = 180.0  # a process's shards must connect within this (the machine may be busy)
ANSWER_TIMEOUT_S = 120.0
UNLIMITED_RATE = "1000000"  # processes not measuring cooldowns: every check is still counted in the database
COOLDOWN_WINDOW_S = 600.0  # longer than the cooldown phase: each member's checks fall in one window
EXIT_NO_POSTGRES = 4  # the smoke test skips on this: PostgreSQL could not be started here
STARTED_MARKER = "CROSSCHECK_BENCH_CLUSTER_STARTED"
KEEP_LOGS = "CROSSCHECK_BENCH_KEEP"  # set: the run's temp dir (every process's log) is left in place


@dataclass
class Options:
    """What to run; the defaults are the full proof of issue 15."""

    servers: int = 50
    members: int = 20
    processes: tuple[int, ...] = (1, 2, 4)
    cooldown_processes: int = 3
    loads: tuple[int, ...] = (200, 400, 800)
    edits: int = 30
    sustain_s: float = 15.0
    sustain_concurrency: int = 8
    claims: int = 100_000
    digests: str = "wait"  # "wait": alone, at the next whole minute; "overlap": while other figures run; "skip"
    digest_checks: int = 3
    check_rate: int = 5

    @property
    def shards(self) -> int:
        """One world for every phase: as many shards as the most processes of any phase."""
        return max(*self.processes, self.cooldown_processes)

    def validate(self) -> None:
        if self.servers < self.shards:
            raise ValueError(f"--servers must be at least the shard count ({self.shards}): every shard needs a server")
        if self.members < 4:
            raise ValueError("--members must be at least 4 (an owner for probes, and members who ask)")
        if self.digests not in ("wait", "overlap", "skip"):
            raise ValueError("--digests is wait, overlap or skip")

    def args(self) -> list[str]:
        """The command-line options that give these options (to run again under PostgreSQL)."""
        return ["--servers", str(self.servers), "--members", str(self.members),
                "--processes", ",".join(map(str, self.processes)),
                "--cooldown-processes", str(self.cooldown_processes), "--loads", ",".join(map(str, self.loads)),
                "--edits", str(self.edits), "--sustain", str(self.sustain_s),
                "--sustain-concurrency", str(self.sustain_concurrency), "--claims", str(self.claims),
                "--digests", self.digests, "--digest-checks", str(self.digest_checks),
                "--check-rate", str(self.check_rate)]


# --- running under PostgreSQL ---------------------------------------------------------------------


def rerun_under_postgres(command: Sequence[str]) -> int:
    """Run `command` (this benchmark again) under scripts/with_postgres.sh; its exit code.

    EXIT_NO_POSTGRES when the server could not be started: the benchmark itself never began
    (it touches a marker file first thing), so whatever failed was the server's start."""
    require_checkout()
    with tempfile.TemporaryDirectory(prefix="cc-cluster-marker-") as folder:
        marker = Path(folder) / "started"
        env = {**os.environ, STARTED_MARKER: str(marker)}
        child = subprocess.Popen(["bash", str(WITH_POSTGRES), *command], env=env)
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:
                # Ctrl-C reached the whole process group: the benchmark stops its processes, then
                # with_postgres.sh its server. Killing it now (as subprocess.run would) would leave
                # the server running.
                continue
        if code != 0 and not marker.exists():
            print("error: PostgreSQL could not be started here (scripts/with_postgres.sh, above)", file=sys.stderr)
            return EXIT_NO_POSTGRES
        return code


def mark_started() -> None:
    """Tell `rerun_under_postgres` that PostgreSQL is up and the benchmark began."""
    marker = os.environ.get(STARTED_MARKER)
    if marker:
        Path(marker).write_text("started\n", encoding="utf-8")


# --- the world ------------------------------------------------------------------------------------


@dataclass
class Phase:
    """Bot processes started together, with the settings they share."""

    name: str
    bots: list[BotProcess]
    settings: dict[str, str]


@dataclass
class World:
    """Everything one run started; `close` stops and removes all of it."""

    options: Options
    server: str  # the PostgreSQL server's maintenance database
    progress: Progress
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cc-cluster-")))
    fake_process: FakeProcess | None = None
    fake: FakeClient | None = None
    database: str = ""  # the address of the main database
    databases: list[str] = field(default_factory=list)  # names, dropped at the end
    bots: list[BotProcess] = field(default_factory=list)
    service: Any = None  # the controller's own Crosscheck (edits, schedules) on the main database
    started: int = 0  # bot processes started so far (for labels)

    @property
    def world(self) -> dict[str, Any]:
        assert self.fake_process is not None
        return self.fake_process.world

    def guilds_on(self, shards: Sequence[int]) -> list[dict[str, Any]]:
        return [g for g in self.world["guilds"] if g["shard"] in shards]

    def askers(self, guild: dict[str, Any]) -> list[str]:
        """A server's members who ask (its owner is kept for probes)."""
        return [m for m in guild["members"] if m != guild["owner"]]

    def close(self) -> None:
        """Stop every process, drop every database, remove the temp dir. Safe to call twice."""
        stop_all(self.bots)
        if self.service is not None:
            with contextlib.suppress(Exception):
                self.service.close()
            self.service = None
        if self.fake_process is not None:
            self.fake_process.stop()
        for name in self.databases:
            try:
                drop_database(self.server, name)
            except Exception as exc:  # the run's figures matter more than a leftover database
                print(f"warning: could not drop database {name}: {exc}", file=sys.stderr)
        self.databases.clear()
        if os.environ.get(KEEP_LOGS):  # to read the bot processes' logs after a surprising figure
            print(f"kept the bot processes' logs in {self.home}", file=sys.stderr)
        else:
            shutil.rmtree(self.home, ignore_errors=True)

    def new_database(self, label: str) -> str:
        name, url = create_database(self.server, label)
        self.databases.append(name)
        return url

    def start_fake(self) -> None:
        o = self.options
        self.fake_process = start_fake(o.servers, o.members, o.shards, self.home / "fakediscord.log")
        self.fake = FakeClient(self.world)

    def start_bot(self, shard_ids: list[int], settings: dict[str, str], database: str | None = None,
                  label: str | None = None) -> BotProcess:
        self.started += 1
        bot = start_bot(label or f"cc-bench-bot{self.started}", self.world, database or self.database, shard_ids,
                        self.options.shards, self.home, settings)
        self.bots.append(bot)
        return bot

    async def start_phase(self, name: str, count: int, settings: dict[str, str],
                          database: str | None = None) -> Phase:
        """`count` bot processes over every shard (contiguous groups), connected and answering."""
        shards = list(range(self.options.shards))
        groups = [shards[i * len(shards) // count:(i + 1) * len(shards) // count] for i in range(count)]
        known = {s["session_id"] for s in await self.fake.sessions()}  # type: ignore[union-attr]
        bots = [self.start_bot(group, settings, database) for group in groups]
        phase = Phase(name, bots, settings)
        await asyncio.gather(*(self.until_ready(bot, known) for bot in bots))
        await self.probe(bots)
        return phase

    async def until_ready(self, bot: BotProcess, known: set[str]) -> None:
        await wait_for_sessions(self.fake, bot, known, self.options.shards, READY_TIMEOUT_S)  # type: ignore[arg-type]
        bot.ready_at = time.monotonic()

    async def probe(self, bots: list[BotProcess]) -> None:
        """A /check answered in a server of every shard (commands synced, engines built)."""
        async def one(shard: int) -> None:
            guild = self.guilds_on([shard])[0]
            deadline = time.monotonic() + READY_TIMEOUT_S
            while True:
                try:
                    posted = await self.fake.slash("check", {"statement": PROBE}, guild["id"], guild["owner"])  # type: ignore[union-attr]
                    record = await self.fake.record(posted["id"], wait=ANSWER_TIMEOUT_S)  # type: ignore[union-attr]
                    if outcome(record) == "answered":
                        return
                except FakeError as exc:  # 404: the first process has not synced the commands yet
                    if exc.status not in (404, 503) or time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)
                    continue
                raise RuntimeError(f"the probe /check on shard {shard} was not answered: {answer_text(record)!r}")

        await asyncio.gather(*(one(shard) for bot in bots for shard in bot.shard_ids))

    def stop_phase(self, phase: Phase) -> None:
        stop_all(phase.bots)


def _quantiles_ms(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    return {"p50_ms": round(1000 * _percentile(values, 50), 1), "p99_ms": round(1000 * _percentile(values, 99), 1),
            "max_ms": round(1000 * max(values), 1)}


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _pct(values: list[float], q: float) -> float | None:
    """The q-th percentile, None for no values (JSON has no NaN)."""
    return round(_percentile(values, q), 3) if values else None


# --- 1. edit to visible ---------------------------------------------------------------------------


def made_up_alias(i: int, salt: str) -> str:
    """An alias of made-up words, different for each i: no claim has them, so only the edit can match."""
    digest = hashlib.sha256(f"{salt} {i}".encode()).digest()
    word = lambda d: "".join("bdfgklmnprstvz"[b % 14] + "aeiou"[b % 5] for b in d)  # noqa: E731
    return f"the {word(digest[:4])} {word(digest[4:8])} report"


async def _edits(w: World, phase: Phase, count: int, start: int, salt: str) -> dict[str, Any]:
    """`count` edits, each followed by a /check with it in a server of every shard, concurrently."""
    from claims.curate import Curator

    curator = Curator(w.service)
    shards = sorted(s for bot in phase.bots for s in bot.shard_ids)
    targets = {s: itertools.cycle([(g["id"], m) for g in w.guilds_on([s]) for m in w.askers(g)]) for s in shards}
    delays: list[float] = []
    attempts_needed: list[int] = []
    failures: list[str] = []
    unseen = 0

    async def until_visible(alias: str, shard: int, committed: float) -> None:
        nonlocal unseen
        attempts = 0
        while time.monotonic() < committed + 60:
            guild, user = next(targets[shard])
            posted = await w.fake.slash("check", {"statement": alias}, guild, user)  # type: ignore[union-attr]
            record = await w.fake.record(posted["id"], wait=30.0)  # type: ignore[union-attr]
            attempts += 1
            if outcome(record) == "answered" and re.search(rf"claim {CLAIM} ·", answer_text(record)):
                delays.append(record["answered_at"] - committed)
                attempts_needed.append(attempts)
                return
            said = answer_text(record).strip()
            failures.append(f"shard {shard}: {outcome(record)}" + (f": {said.splitlines()[0][:100]}" if said else ""))
        unseen += 1

    for i in range(start, start + count):
        alias = made_up_alias(i, salt)
        await asyncio.to_thread(curator.add_alias, "cli:bench", CLAIM, alias, accept=True)
        committed = time.monotonic()  # add_alias returns once its transaction committed
        await asyncio.gather(*(until_visible(alias, shard, committed) for shard in shards))
    return {"edits": count, "checks": count * len(shards), "seen": len(delays), "unseen": unseen,
            "seen_at_first_check": sum(1 for a in attempts_needed if a == 1),
            "failed_answers": len(failures), "failures": failures[:10], **_quantiles_ms(delays)}


async def measure_edits(w: World, phase: Phase, progress: Progress) -> dict[str, Any]:
    """Edits before and after killing one process's database connections."""
    edits = w.options.edits
    salt = hashlib.sha256(str(time.time()).encode()).hexdigest()[:8]
    progress(f"edits: {edits} edits, each asked in a server of every shard ...")
    before = await _edits(w, phase, edits, 0, salt)
    victim = phase.bots[-1]
    held = await asyncio.to_thread(backends, w.database, victim.label)
    killed = await asyncio.to_thread(terminate_backends, w.database, victim.label)
    killed_at = time.monotonic()
    progress(f"edits: killed {killed} database connection(s) of {victim.label} (shards {victim.shard_ids}); "
             f"{edits} more edits ...")

    async def follower_back() -> float | None:
        """Seconds from the kill until the change feed's follower LISTENs again (it backs off 1 s first)."""
        while time.monotonic() < killed_at + 30:
            if await asyncio.to_thread(listening, w.database, victim.label):
                return round(time.monotonic() - killed_at, 2)
            await asyncio.sleep(0.1)
        return None

    follower = asyncio.ensure_future(follower_back())
    after = await _edits(w, phase, edits, edits, salt)
    follower_s = await follower
    # The check path's connection and the follower's are back; the digest runner's own connection
    # is opened again only when it is next used (at the process's next digest).
    back = await asyncio.to_thread(backends, w.database, victim.label)
    return {"processes": len(phase.bots), "before": before,
            "after_kill": {**after, "process": victim.label, "shards": victim.shard_ids, "connections_held": held,
                           "connections_killed": killed, "connections_after": back,
                           "follower_listening_again_s": follower_s}}


# --- 2. digests -----------------------------------------------------------------------------------


@dataclass
class DigestPlan:
    fire: datetime  # the whole minute (UTC) every digest is scheduled for
    servers: list[dict[str, Any]]
    seeded: int
    scheduled_at: float


async def plan_digests(w: World, phase: Phase, progress: Progress, lead_s: float = 10.0) -> DigestPlan:
    """Ask a few checks in every server, then schedule every server's digest for the next whole minute."""
    from claims.store.digests import make_schedule

    servers = w.world["guilds"]
    progress(f"digests: {w.options.digest_checks} checks in each of {len(servers)} servers ...")
    statements = [q.text for q in _queries()]
    asks = [(g["id"], w.askers(g)[k % len(w.askers(g))], statements[(i * 7 + k) % len(statements)])
            for i, g in enumerate(servers) for k in range(w.options.digest_checks)]
    records = await _ask_all(w, asks)
    seeded = sum(1 for r in records if outcome(r) == "answered")
    # The first whole minute at least `lead_s` away: time to save every schedule and for the
    # processes to hear of them (a schedule saved after its fire time is not due until tomorrow).
    earliest = datetime.now(UTC) + timedelta(seconds=lead_s)
    fire = earliest.replace(second=0, microsecond=0)
    if fire < earliest:
        fire += timedelta(minutes=1)
    digests = w.service.store.digests
    for g in servers:  # as /digest setup saves it, from any process: the owners hear it on the change feed
        await asyncio.to_thread(digests.save_schedule, make_schedule(
            g["id"], g["channels"]["digest"], "daily", f"{fire:%H:%M}", "UTC", by="cli:bench"))
    progress(f"digests: {len(servers)} servers scheduled for {fire:%H:%M} UTC "
             f"({(fire - datetime.now(UTC)).total_seconds():.0f} s from now)")
    return DigestPlan(fire, servers, seeded, time.monotonic())


async def count_digests(w: World, phase: Phase, plan: DigestPlan, progress: Progress,
                        settle_s: float = 60.0, quiet_s: float = 5.0) -> dict[str, Any]:
    """Wait for the minute, then count the digest messages the fake received per server."""
    wait = (plan.fire - datetime.now(UTC)).total_seconds()
    if wait > 0:
        progress(f"digests: waiting {wait:.0f} s for {plan.fire:%H:%M} UTC ...")
        await asyncio.sleep(wait)
    fire_ts = plan.fire.timestamp()
    deadline = time.monotonic() + settle_s
    complete_at: float | None = None
    counts: dict[str, list[float]] = {}
    while time.monotonic() < deadline:
        counts = {}
        for g in plan.servers:
            messages = await w.fake.channel_messages(g["channels"]["digest"])  # type: ignore[union-attr]
            counts[g["id"]] = [snowflake_time(m["id"]) - fire_ts for m in messages
                               if m["author"]["id"] == w.world["bot_user_id"] and m.get("embeds")
                               and snowflake_time(m["id"]) >= fire_ts - 1]
        if all(counts.values()):
            complete_at = complete_at or time.monotonic()
            if time.monotonic() - complete_at >= quiet_s:  # a little longer, to catch a second post
                break
        await asyncio.sleep(1.0)
    posted = [delays for delays in counts.values() if delays]
    latencies = [d for delays in posted for d in delays]
    rows = await asyncio.to_thread(w.service.store.db.query,
                                   "SELECT guild_id, status, reason FROM digest_posts WHERE period_end = ?",
                                   [plan.fire.isoformat(timespec="seconds")])
    return {"processes": len(phase.bots), "servers": len(plan.servers), "expected": len(plan.servers),
            "checks_asked_first": plan.seeded, "fire_utc": plan.fire.isoformat(),
            "servers_posted": len(posted), "messages": len(latencies),
            "posted_twice": sum(1 for delays in posted if len(delays) > 1),
            "missing": [gid for gid, delays in counts.items() if not delays],
            "first_after_s": _round(min(latencies, default=None), 2),
            "last_after_s": _round(max(latencies, default=None), 2),
            "recorded": {status: sum(1 for r in rows if r["status"] == status) for status in
                         sorted({r["status"] for r in rows})},
            "skipped_reasons": sorted({r["reason"] for r in rows if r["status"] == "skipped"})}


# --- 3. cooldowns ---------------------------------------------------------------------------------


def _per_member(records: list[dict[str, Any]], rate: int) -> dict[str, Any]:
    """Answers allowed and refused per member; beyond the limit is a violation."""
    members: dict[tuple[str, str], list[str]] = {}
    for r in records:
        members.setdefault((r["guild_id"], r["user_id"]), []).append(outcome(r))
    allowed = {key: outs.count("answered") for key, outs in members.items()}
    return {"members": len(members), "checks": len(records), "allowed": sum(allowed.values()),
            "refused": sum(outs.count("refused") for outs in members.values()),
            "other": sum(len(outs) - outs.count("answered") - outs.count("refused") for outs in members.values()),
            "violations": sum(max(0, n - rate) for n in allowed.values()),
            "members_below_limit": sum(1 for n in allowed.values() if n < rate)}


async def measure_cooldowns(w: World, progress: Progress) -> dict[str, Any]:
    """Members of a server of every process at once; then bursts across a process handover."""
    o = w.options
    rate, burst = o.check_rate, 2 * o.check_rate
    settings = {"CHECK_RATE": str(rate), "CHECK_PER_SECONDS": str(COOLDOWN_WINDOW_S)}
    progress(f"cooldowns: starting {o.cooldown_processes} processes (rate {rate} per {COOLDOWN_WINDOW_S:.0f} s) ...")
    # A database of its own: the members' checks of the other phases are counted in the main
    # one, and under a 600 s window they would still count here.
    database = w.new_database("cooldowns")
    await asyncio.to_thread(_prepare, database)
    phase = await w.start_phase("cooldowns", o.cooldown_processes, settings, database)
    startup_s = max(b.ready_at - b.started_at for b in phase.bots)  # type: ignore[operator]
    try:
        # (a) At once: in one server of each process, k members ask 2×rate checks each, all together.
        k = max(1, (o.members - 1) // 3)
        asks = []
        for bot in phase.bots:
            guild = w.guilds_on(bot.shard_ids)[0]
            for member in w.askers(guild)[:k]:
                asks += [(guild["id"], member, f"{PROBE} ({n})") for n in range(burst)]
        progress(f"cooldowns: {len(asks)} checks at once from {k} members in a server of each process ...")
        at_once = {**_per_member(await _ask_all(w, asks), rate), "processes": len(phase.bots)}

        # (b) Handover: the process of one shard is replaced while its members burst.
        old = phase.bots[len(phase.bots) // 2]
        guild = w.guilds_on(old.shard_ids)[0]
        members = w.askers(guild)[k:k + max(1, min(10, o.members - 1 - k))]
        gap = 0.25
        # Bursts start spread over 1.5× the time a process took to connect: whenever the
        # successor takes the shard over, some bursts straddle it.
        stagger = 1.5 * startup_s / len(members)
        progress(f"cooldowns: replacing {old.label} (shards {old.shard_ids}) while {len(members)} members burst "
                 f"{burst} checks each ...")
        known = {s["session_id"] for s in await w.fake.sessions()}  # type: ignore[union-attr]
        successor = w.start_bot(old.shard_ids, settings, database, label=f"{old.label}-successor")
        phase.bots.append(successor)

        async def take_over() -> float:
            await w.until_ready(successor, known)
            taken = time.monotonic()
            await asyncio.to_thread(old.stop)  # SIGTERM: answers in progress get their grace second
            return taken

        async def member_burst(j: int, member: str) -> list[dict[str, Any]]:
            await asyncio.sleep(j * stagger)
            sends = []
            for n in range(burst):
                sends.append(asyncio.ensure_future(w.fake.slash(  # type: ignore[union-attr]
                    "check", {"statement": f"{PROBE} [{n}]"}, guild["id"], member)))
                await asyncio.sleep(gap)
            return await asyncio.gather(*sends)

        handover, *posted_lists = await asyncio.gather(take_over(), *(member_burst(j, m)
                                                                       for j, m in enumerate(members)))
        posted = [p for plist in posted_lists for p in plist]
        records = await asyncio.gather(*(w.fake.record(p["id"], wait=ANSWER_TIMEOUT_S)  # type: ignore[union-attr]
                                         for p in posted))
        old_sessions, new_sessions = set(old.sessions.values()), set(successor.sessions.values())
        by_member: dict[str, set[str]] = {}
        for r in records:
            side = "old" if r["session_id"] in old_sessions else "new" if r["session_id"] in new_sessions else "?"
            by_member.setdefault(r["user_id"], set()).add(side)
        handed = {**_per_member(records, rate), "process": old.label, "shards": old.shard_ids,
                  "bursts_straddling": sum(1 for sides in by_member.values() if {"old", "new"} <= sides),
                  "answered_by_old": sum(1 for r in records if r["session_id"] in old_sessions),
                  "answered_by_new": sum(1 for r in records if r["session_id"] in new_sessions),
                  "unanswered": sum(1 for r in records if outcome(r) == "none"),
                  "successor_ready_s": round(handover - successor.started_at, 2)}
        return {"rate": rate, "window_s": COOLDOWN_WINDOW_S, "at_once": at_once, "handover": handed}
    finally:
        w.stop_phase(phase)


def _prepare(database: str) -> None:
    """Migrate a new database and import the shipped base, as the first process would."""
    from claims.store import Store

    store = Store(database)
    try:
        store.ensure_shipped()
    finally:
        store.close()


# --- 4. acknowledgements and throughput -----------------------------------------------------------


def _queries() -> list[Any]:
    from claims.load import load_base

    return bench_queries(load_base(), DEFAULT_SEED)


async def _ask_all(w: World, asks: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Send every (guild, user, statement) /check at once; every interaction's record once answered."""
    posted = await asyncio.gather(*(w.fake.slash("check", {"statement": s}, g, u)  # type: ignore[union-attr]
                                    for g, u, s in asks))
    return await asyncio.gather(*(w.fake.record(p["id"], wait=ANSWER_TIMEOUT_S)  # type: ignore[union-attr]
                                  for p in posted))


def _targets(w: World) -> list[tuple[str, str]]:
    """Every (server, member), server-major, so consecutive interactions go to different servers and shards."""
    guilds = w.world["guilds"]
    most = max(len(w.askers(g)) for g in guilds)
    return [(g["id"], w.askers(g)[m % len(w.askers(g))]) for m in range(most) for g in guilds]


async def measure_burst(w: World, phase: Phase, count: int) -> dict[str, Any]:
    """`count` /check interactions at once over every server; how soon each was acknowledged and answered."""
    targets, statements = _targets(w), [q.text for q in _queries()]
    asks = [(*targets[i % len(targets)], statements[i % len(statements)]) for i in range(count)]
    started = time.monotonic()
    records = await _ask_all(w, asks)
    acks = [r["ack_delay"] for r in records if r["ack_delay"] is not None]
    answers = [r["answer_delay"] for r in records if r["answer_delay"] is not None]
    dispatched = [r["dispatched_at"] for r in records]
    return {"processes": len(phase.bots), "interactions": count,
            "dispatch_spread_s": round(max(dispatched) - min(dispatched), 3),
            "acknowledged": len(acks), "late": sum(1 for r in records if r["ack_delay"] is None
                                                   or r["ack_delay"] > ACK_LIMIT_S),
            "deferred": sum(1 for r in records if r["response_type"] == 5),
            "answered": sum(1 for r in records if outcome(r) == "answered"),
            "ack_p50_s": _pct(acks, 50), "ack_p99_s": _pct(acks, 99),
            "ack_max_s": _round(max(acks, default=None)), "answer_max_s": _round(max(answers, default=None)),
            "wall_s": round(time.monotonic() - started, 2)}


async def measure_throughput(w: World, phase: Phase, seconds: float, concurrency: int) -> dict[str, Any]:
    """A closed loop: `concurrency` askers per process, each asking its next /check once answered."""
    statements = [q.text for q in _queries()]
    counter = itertools.count()
    start = time.monotonic()
    end = start + seconds
    waiters: list[int] = []

    async def asker(bot: BotProcess, k: int) -> tuple[int, list[float]]:
        targets = [(g["id"], m) for g in w.guilds_on(bot.shard_ids) for m in w.askers(g)]
        done, acks = 0, []
        for n in itertools.count(k, concurrency):
            if time.monotonic() >= end:
                break
            guild, user = targets[n % len(targets)]
            posted = await w.fake.slash("check", {"statement": statements[next(counter) % len(statements)]},  # type: ignore[union-attr]
                                        guild, user)
            record = await w.fake.record(posted["id"], wait=ANSWER_TIMEOUT_S)  # type: ignore[union-attr]
            if record["ack_delay"] is not None:
                acks.append(record["ack_delay"])
            if outcome(record) == "answered" and record["answered_at"] <= end:
                done += 1
        return done, acks

    async def sample_locks() -> None:
        while time.monotonic() < end:
            waiters.append(await asyncio.to_thread(lock_waiters, w.database))
            await asyncio.sleep(0.2)

    results = await asyncio.gather(sample_locks(), *(asker(bot, k) for bot in phase.bots
                                                     for k in range(concurrency)))
    per_bot: list[float] = []
    acks: list[float] = []
    for i, _bot in enumerate(phase.bots):
        mine = results[1 + i * concurrency:1 + (i + 1) * concurrency]
        per_bot.append(round(sum(done for done, _ in mine) / seconds, 1))
        acks += [a for _, bot_acks in mine for a in bot_acks]
    return {"processes": len(phase.bots), "seconds": seconds, "concurrency_per_process": concurrency,
            "checks_per_s_per_process": per_bot, "checks_per_s_total": round(sum(per_bot), 1),
            "late": sum(1 for a in acks if a > ACK_LIMIT_S), "ack_max_s": _round(max(acks, default=None)),
            "lock_waiters_mean": round(sum(waiters) / len(waiters), 2) if waiters else None,
            "lock_waiters_max": max(waiters, default=None)}


async def measure_load(w: World, phase: Phase, progress: Progress) -> tuple[list[dict[str, Any]], dict | None]:
    """Every burst size, then the sustained loop, on this phase's processes."""
    bursts = []
    for count in w.options.loads:
        progress(f"acks: {count} /check at once on {len(phase.bots)} process(es) ...")
        bursts.append(await measure_burst(w, phase, count))
        await asyncio.sleep(1.0)  # let the log writes of the burst drain before the next figure
    throughput = None
    if w.options.sustain_s > 0:
        progress(f"throughput: {w.options.sustain_s:.0f} s sustained on {len(phase.bots)} process(es) ...")
        throughput = await measure_throughput(w, phase, w.options.sustain_s, w.options.sustain_concurrency)
    return bursts, throughput


# --- 5. cold start at 100,000 claims --------------------------------------------------------------


async def measure_cold_start(w: World, progress: Progress) -> dict[str, Any]:
    """One process on a database holding a large base: process start to first answer; peak RSS."""
    from benchmarks.synthetic import synthetic_base
    from claims.load import load_base
    from claims.store import DEFAULT, Store

    size = w.options.claims
    database = w.new_database("coldstart")
    progress(f"cold start: importing a synthetic base of {size:,} claims into `default` (takes a while) ...")

    def seed() -> tuple[int, float]:
        started = time.monotonic()
        store = Store(database)
        try:
            store.ensure_shipped()
            base = synthetic_base(load_base(), size)
            store.import_base(DEFAULT, base)
            return len(base.claims), time.monotonic() - started
        finally:
            store.close()

    claims, import_s = await asyncio.to_thread(seed)
    progress(f"cold start: imported {claims:,} claims in {import_s:.0f} s; starting one process ...")
    known = {s["session_id"] for s in await w.fake.sessions()}  # type: ignore[union-attr]
    shards = list(range(w.options.shards))
    bot = w.start_bot(shards, {"CHECK_RATE": UNLIMITED_RATE, "CHECK_PER_SECONDS": "1"}, database=database,
                      label="cc-bench-coldstart")
    try:
        guild = w.guilds_on([0])[0]
        connected_s = None
        # The first shard's session is enough to ask; the others connect meanwhile.
        deadline = time.monotonic() + READY_TIMEOUT_S
        while connected_s is None:
            for s in await w.fake.sessions():  # type: ignore[union-attr]
                if s["shard"] == [0, w.options.shards] and s["ready_at"] and s["session_id"] not in known:
                    connected_s = s["ready_at"] - bot.started_at
            if bot.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the cold-start process did not connect:\n{bot.log_tail()}")
            await asyncio.sleep(0.02)
        probes = 0
        while True:
            probes += 1
            try:
                posted = await w.fake.slash("check", {"statement": PROBE}, guild["id"], guild["owner"])  # type: ignore[union-attr]
            except FakeError as exc:
                if exc.status in (404, 503) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                    continue
                raise
            first = await w.fake.record(posted["id"], wait=10.0, until="ack")  # type: ignore[union-attr]
            if first["acknowledged_at"] is not None:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the cold-start process never acknowledged a /check:\n{bot.log_tail()}")
        first = await w.fake.record(posted["id"], wait=600.0, until="answer")  # type: ignore[union-attr]
        if outcome(first) != "answered":
            raise RuntimeError(f"the cold-start process did not answer: {answer_text(first)!r}\n{bot.log_tail()}")
        peak_first = bot.peak_rss_mb()
        statements = [q.text for q in _queries()][:50]
        records = await _ask_all(w, [(guild["id"], w.askers(guild)[i % len(w.askers(guild))], s)
                                     for i, s in enumerate(statements)])
        return {"claims": claims, "import_s": round(import_s, 1), "shards": shards,
                "gateway_ready_s": round(connected_s, 2), "probes_sent": probes,
                "first_answer_s": round(first["answered_at"] - bot.started_at, 2),
                "first_ack_delay_s": _round(first["ack_delay"]), "first_answer_delay_s": _round(first["answer_delay"]),
                "peak_rss_mb_first_answer": peak_first,
                "peak_rss_mb_after_50_checks": bot.peak_rss_mb(),
                "answered_after": sum(1 for r in records if outcome(r) == "answered")}
    finally:
        stop_all([bot])


# --- the run --------------------------------------------------------------------------------------


async def _run(w: World, progress: Progress) -> dict[str, Any]:
    o = w.options
    report: dict[str, Any] = {"options": asdict(o), "shards": o.shards, "cpus": os.cpu_count(),
                              "load_average_start": list(os.getloadavg()), "python": sys.version.split()[0],
                              "postgresql": server_version(w.server), "edits": None, "digests": None,
                              "cooldowns": None, "load": [], "throughput": [], "cold_start": None,
                              "process_ready_s": []}
    w.start_fake()
    base_settings = {"CHECK_RATE": UNLIMITED_RATE, "CHECK_PER_SECONDS": "1"}
    counts = sorted(set(o.processes), reverse=True)
    try:
        for index, count in enumerate(counts):
            progress(f"phase: {count} process(es) on {o.shards} shards, {o.servers} servers ...")
            phase = await w.start_phase(f"{count} processes", count, base_settings)
            report["process_ready_s"] += [round(b.ready_at - b.started_at, 2) for b in phase.bots]  # type: ignore[operator]
            try:
                if index == 0:  # the most processes: edits, the kill and digests too
                    plan = await plan_digests(w, phase, progress) if o.digests != "skip" else None
                    if plan is not None and o.digests == "wait":
                        report["digests"] = await count_digests(w, phase, plan, progress)
                        plan = None
                    bursts, throughput = await measure_load(w, phase, progress)
                    if plan is not None:  # "overlap": the loads ran while waiting for the minute
                        report["digests"] = await count_digests(w, phase, plan, progress)
                    # The kill comes last here: a killed process's digest connection would fail its
                    # next use (see the report), which is not what the digest figure measures.
                    report["edits"] = await measure_edits(w, phase, progress)
                else:
                    bursts, throughput = await measure_load(w, phase, progress)
                report["load"] += bursts
                if throughput is not None:
                    report["throughput"].append(throughput)
            finally:
                w.stop_phase(phase)
            if index == 0 and o.cooldown_processes > 0:
                report["cooldowns"] = await measure_cooldowns(w, progress)
        if o.claims > 0:
            report["cold_start"] = await measure_cold_start(w, progress)
    finally:
        await w.fake.close()  # type: ignore[union-attr]
    report["load_average_end"] = list(os.getloadavg())
    return report


def run(options: Options, progress: Progress | None = None) -> dict[str, Any]:
    """The whole benchmark (needs $CROSSCHECK_POSTGRES_SERVER); every figure as one JSON-ready object.

    Every process and database it made is gone when it returns, raises, or is interrupted."""
    from claims.service import Crosscheck

    require_checkout()
    options.validate()
    server = os.environ.get("CROSSCHECK_POSTGRES_SERVER")
    if not server:
        raise RuntimeError("no PostgreSQL server: run it under scripts/with_postgres.sh (`crosscheck bench cluster` "
                           "does this itself)")
    mark_started()
    say = progress or (lambda line: None)
    w = World(options, server, say)
    # SIGTERM (a CI timeout, `kill`) cleans up as Ctrl-C does, rather than leaving bot processes behind.
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        w.database = w.new_database("main")
        w.service = Crosscheck.open(w.database)  # migrates, imports the shipped base: the processes find it ready
        return asyncio.run(_run(w, say))
    finally:
        w.close()
        signal.signal(signal.SIGTERM, previous)


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


# --- the table ------------------------------------------------------------------------------------


def _ms(figures: dict[str, Any]) -> str:
    return f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"


def table(report: dict[str, Any]) -> str:
    """Every figure as one table: what, how much, and what it must be."""
    rows: list[tuple[str, str, str]] = []
    e = report.get("edits")
    if e:
        b, a = e["before"], e["after_kill"]
        rows.append((f"edit → visible, {e['processes']} processes ({b['edits']} edits × {b['checks'] // b['edits']} "
                     "shards)", f"{_ms(b)}; seen {b['seen']}/{b['checks']}, {b['seen_at_first_check']} at the first "
                     "check", "all seen"))
        rows.append((f"  after killing {a['process']}'s {a['connections_killed']} connections",
                     f"{_ms(a)}; seen {a['seen']}/{a['checks']}, {a['failed_answers']} answer(s) failed first; "
                     f"follower back after {a['follower_listening_again_s']} s; connections {a['connections_held']} → "
                     f"{a['connections_after']}", "all seen"))
    d = report.get("digests")
    if d:
        rows.append((f"digests, {d['processes']} processes, {d['servers']} servers at {d['fire_utc'][11:16]} UTC",
                     f"{d['servers_posted']} of {d['expected']} posted, {d['posted_twice']} twice; "
                     f"{d['first_after_s']}–{d['last_after_s']} s after the minute", f"= {d['expected']}, none twice"))
    c = report.get("cooldowns")
    if c:
        o, h = c["at_once"], c["handover"]
        rows.append((f"cooldown violations, {o['processes']} processes, {c['rate']} per {c['window_s']:.0f} s",
                     f"at once: {o['violations']} ({o['members']} members × {o['checks'] // o['members']}: "
                     f"{o['allowed']} allowed, {o['refused']} refused, {o['other']} other)", "0"))
        rows.append((f"  handover of {h['process']} (shards {h['shards']})",
                     f"{h['violations']} ({h['members']} members, {h['bursts_straddling']} bursts answered by both; "
                     f"{h['allowed']} allowed, {h['refused']} refused, {h['other']} other, "
                     f"{h['unanswered']} unanswered)", "0"))
    for load in report.get("load", []):
        rows.append((f"acks > {ACK_LIMIT_S:.0f} s, {load['interactions']} at once, {load['processes']} process(es)",
                     f"{load['late']} late; ack p50 {load['ack_p50_s']} s, p99 {load['ack_p99_s']} s, "
                     f"max {load['ack_max_s']} s; slowest answer {load['answer_max_s']} s "
                     f"({load['answered']}/{load['interactions']} answered, {load['deferred']} deferred)", "0"))
    for t in report.get("throughput", []):
        rows.append((f"checks/s per process, {t['processes']} process(es), {t['seconds']:.0f} s sustained",
                     f"{' / '.join(str(x) for x in t['checks_per_s_per_process'])} (total {t['checks_per_s_total']}); "
                     f"{t['late']} late; lock waiters mean {t['lock_waiters_mean']}, max {t['lock_waiters_max']}", ""))
    s = report.get("cold_start")
    if s:
        rows.append((f"cold start, {s['claims']:,} claims, 1 process ({len(s['shards'])} shards)",
                     f"first answer {s['first_answer_s']} s after start (gateway {s['gateway_ready_s']} s, "
                     f"ack {s['first_ack_delay_s']} s); peak RSS {s['peak_rss_mb_first_answer']} MB, "
                     f"{s['peak_rss_mb_after_50_checks']} MB after 50 more; import {s['import_s']} s", ""))
    width = max(len(r[0]) for r in rows) if rows else 10
    head = (f"crosscheck bench cluster: {report['shards']} shards, {report['options']['servers']} servers × "
            f"{report['options']['members']} members; PostgreSQL {report['postgresql']}; {report['cpus']} CPUs, "
            f"load {report['load_average_start'][0]:.1f} → {report['load_average_end'][0]:.1f}")
    note = ("(several processes on this few cores measure contention, not scale; times are the fake Discord's "
            "clock, from dispatch)")
    lines = [head, note, "", f"{'measure':<{width}}  figure  [must be]"]
    lines += [f"{name:<{width}}  {figure}" + (f"  [{must}]" if must else "") for name, figure, must in rows]
    if report.get("process_ready_s"):
        ready = report["process_ready_s"]
        lines.append(f"\n(process start → shards connected: {min(ready)}–{max(ready)} s)")
    return "\n".join(lines)

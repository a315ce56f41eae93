"""The moving parts of `crosscheck bench cluster`: databases on the PostgreSQL server, the standalone
fake Discord, real bot processes, and a client for the fake's control endpoints.

Everything started here is recorded on the `World` and stopped by `World.close()`, which the
benchmark calls in a `finally` (also on Ctrl-C or a failure): bot processes get SIGTERM (the
product's clean stop) and SIGKILL if they do not end, the fake SIGTERM, the databases are
dropped. The PostgreSQL server itself belongs to `scripts/with_postgres.sh`, which stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[1]
FAKE = REPO / "tests" / "e2e" / "fakediscord.py"
WITH_POSTGRES = REPO / "scripts" / "with_postgres.sh"
DISCORD_EPOCH_MS = 1_420_070_400_000
BOT_TOKEN = "bench-token"  # the fake accepts any token unless started with --token
STOP_SECONDS = 10.0  # a bot process given SIGTERM that has not ended after this is killed


def require_checkout() -> None:
    """The benchmark drives the fake Discord of the test suite: it runs from a checkout only."""
    if not FAKE.exists() or not WITH_POSTGRES.exists():
        raise RuntimeError(f"`crosscheck bench cluster` needs the project's checkout ({FAKE} and {WITH_POSTGRES}); "
                           "run it from a clone with an editable install")


# --- PostgreSQL -----------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    """The address of database `name` on the server whose maintenance database is `server`."""
    base, _, query = server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def _admin(url: str) -> Any:
    import psycopg

    # The controller's own connections are named, so they are never mistaken for a bot's.
    return psycopg.connect(url, autocommit=True, application_name="cc-bench-controller")


def create_database(server: str, label: str) -> tuple[str, str]:
    """A new, empty database on `server`; returns (its name, its address)."""
    name = f"cc_bench_{label}_{uuid.uuid4().hex[:8]}"
    with _admin(server) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return name, database_url(server, name)


def drop_database(server: str, name: str) -> None:
    with _admin(server) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def backends(url: str, application: str) -> int:
    """How many connections the processes named `application` hold on this database."""
    with _admin(url) as admin:
        return int(admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                 "AND datname = current_database()", [application]).fetchone()[0])


def listening(url: str, application: str) -> bool:
    """Whether a process named `application` has a connection LISTENing (its change-feed follower)."""
    with _admin(url) as admin:
        return bool(admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                  "AND datname = current_database() AND query ILIKE 'LISTEN %%'",
                                  [application]).fetchone()[0])


def terminate_backends(url: str, application: str) -> int:
    """Kill every connection of the processes named `application` (`pg_terminate_backend`); how many."""
    with _admin(url) as admin:
        rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
                             "AND datname = current_database()", [application]).fetchall()
    return sum(1 for (killed,) in rows if killed)


def lock_waiters(url: str) -> int:
    """Connections of this database waiting for a lock right now (the store's write lock is advisory)."""
    with _admin(url) as admin:
        return int(admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND wait_event_type = 'Lock'").fetchone()[0])


def server_version(server: str) -> str:
    with _admin(server) as admin:
        return str(admin.execute("SHOW server_version").fetchone()[0]).split()[0]


# --- processes ------------------------------------------------------------------------------------


def memory_kb(pid: int, field_name: str) -> int | None:
    """A field of /proc/<pid>/status in kB (VmHWM: peak resident memory; VmRSS: now), if readable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class BotProcess:
    """One `crosscheck run` process and what it was started with."""

    label: str  # also its connections' application_name, to find them in pg_stat_activity
    shard_ids: list[int]
    process: subprocess.Popen
    log_path: Path
    started_at: float  # time.monotonic() just before it was started (the same clock as the fake's)
    sessions: dict[int, str] = field(default_factory=dict)  # shard -> its gateway session id, once ready
    ready_at: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_mb(self) -> float | None:
        kb = memory_kb(self.pid, "VmHWM")
        return None if kb is None else round(kb / 1024, 1)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = STOP_SECONDS) -> int | None:
        """SIGTERM (the clean stop an operator's service manager sends), then SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@dataclass
class FakeProcess:
    """The standalone fake Discord and the world it printed at start."""

    process: subprocess.Popen
    world: dict[str, Any]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_fake(guilds: int, members: int, shards: int, log_path: Path) -> FakeProcess:
    """Start `python tests/e2e/fakediscord.py` and read the world it prints (one JSON line)."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, str(FAKE), "--port", "0", "--guilds", str(guilds), "--members-per-guild", str(members),
         "--shards", str(shards)],
        stdout=subprocess.PIPE, stderr=log, cwd=REPO)
    log.close()
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise RuntimeError(f"the fake Discord did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
    return FakeProcess(process, json.loads(line))


def bot_environment(database: str, label: str, home: Path, settings: dict[str, str]) -> dict[str, str]:
    """The environment of a bot process: the database, a token the fake accepts, its settings.

    PGAPPNAME names its PostgreSQL connections (libpq reads it), so the controller can find
    and kill them. HOME and XDG_DATA_HOME point into the run's temp dir (the heartbeat file
    goes there, not into the user's home), and the process runs there, so no `.env` of the
    checkout is read."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CROSSCHECK_", "DISCORD_", "SHARD_", "CHECK_", "DEV_GUILD"))}
    env.update({
        "CROSSCHECK_DB": database,
        "DISCORD_TOKEN": BOT_TOKEN,
        "PGAPPNAME": label,
        "XDG_DATA_HOME": str(home / "data"),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": os.pathsep.join([str(FAKE.parent), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        **settings,
    })
    return env


def start_bot(label: str, world: dict[str, Any], database: str, shard_ids: list[int], shard_count: int,
              home: Path, settings: dict[str, str]) -> BotProcess:
    """Start one bot process running `shard_ids` of `shard_count`."""
    log_path = home / f"{label}.log"
    log = log_path.open("wb")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.cluster_bot", world["base_url"], world["gateway_url"], "run",
         "--shard-count", str(shard_count), "--shard-ids", ",".join(map(str, shard_ids))],
        stdout=log, stderr=subprocess.STDOUT, cwd=home, env=bot_environment(database, label, home, settings))
    log.close()
    return BotProcess(label, list(shard_ids), process, log_path, started)


# --- the fake's control endpoints -----------------------------------------------------------------


class FakeError(RuntimeError):
    """The fake refused a control request (status and message)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"{status}: {message}")
        self.status = status


class FakeClient:
    """The controller's side of the fake Discord: inject interactions, read what the bots did."""

    def __init__(self, world: dict[str, Any]):
        self.world = world
        self.control = world["control_url"].rstrip("/")
        self.api = world["base_url"].rstrip("/")
        # No cap on connections: 800 "simultaneous" interactions must not queue in the controller.
        self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                           timeout=aiohttp.ClientTimeout(total=None, sock_connect=10))

    async def close(self) -> None:
        await self._http.close()

    async def _json(self, response: aiohttp.ClientResponse) -> Any:
        body = await response.json(content_type=None)
        if response.status >= 400:
            raise FakeError(response.status, (body or {}).get("error", str(body)))
        return body

    async def slash(self, name: str, options: dict[str, Any], guild: str, user: str) -> dict[str, Any]:
        """Invoke a slash command as `user` in `guild`; returns once it is on the shard's socket."""
        payload = {"name": name, "options": options, "guild": guild, "user": user}
        async with self._http.post(f"{self.control}/slash_command", json=payload) as response:
            return await self._json(response)

    async def record(self, interaction_id: str, wait: float = 0.0, until: str = "answer") -> dict[str, Any]:
        """The interaction and what the bot did with it (waiting up to `wait` s for `until`)."""
        url = f"{self.control}/interactions/{interaction_id}?wait={wait}&until={until}"
        async with self._http.get(url) as response:
            return await self._json(response)

    async def sessions(self) -> list[dict[str, Any]]:
        async with self._http.get(f"{self.control}/sessions") as response:
            return (await self._json(response))["sessions"]

    async def channel_messages(self, channel_id: str) -> list[dict[str, Any]]:
        """The messages of a channel, read over the REST API as a bot would (the fake has no control
        endpoint for them); up to 100, newest first."""
        headers = {"Authorization": f"Bot {BOT_TOKEN}"}
        async with self._http.get(f"{self.api}/channels/{channel_id}/messages?limit=100", headers=headers) as response:
            return await self._json(response)


def snowflake_time(snowflake: str) -> float:
    """The wall-clock time (Unix seconds) a Discord id was made at."""
    return ((int(snowflake) >> 22) + DISCORD_EPOCH_MS) / 1000


async def wait_for_sessions(fake: FakeClient, bot: BotProcess, known: set[str], shard_count: int,
                            timeout: float) -> None:
    """Wait until every shard of `bot` has a new, connected, READY gateway session (not one in `known`)."""
    deadline = time.monotonic() + timeout
    while True:
        for session in await fake.sessions():
            shard = session.get("shard")
            if (shard and shard[1] == shard_count and shard[0] in bot.shard_ids and session["connected"]
                    and session["ready_at"] is not None and session["session_id"] not in known):
                bot.sessions[shard[0]] = session["session_id"]
        if set(bot.sessions) == set(bot.shard_ids):
            return
        if bot.process.poll() is not None:
            raise RuntimeError(f"bot process {bot.label} exited ({bot.process.returncode}):\n{bot.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"bot process {bot.label} did not connect its shards {bot.shard_ids} within "
                               f"{timeout:.0f} s:\n{bot.log_tail()}")
        await asyncio.sleep(0.05)


# --- what an interaction ended as -----------------------------------------------------------------


MESSAGE_CALLBACK, DEFERRED_CALLBACK = 4, 5
SLOW_DOWN = "Slow down a little"


def answer_payload(record: dict[str, Any]) -> dict[str, Any] | None:
    """The message that answered an interaction: the callback's, or the follow-up after deferring."""
    for call in record["callbacks"]:
        body = call.get("body") or {}
        if body.get("type") == MESSAGE_CALLBACK:
            return body.get("data") or {}
    for call in record["webhook_calls"]:
        if call["method"] in ("POST", "PATCH") and isinstance(call.get("body"), dict) and (
                call["body"].get("embeds") or call["body"].get("content")):
            return call["body"]
    return None


def outcome(record: dict[str, Any]) -> str:
    """"answered" (a check's card), "refused" (the cooldown), "error" (another line), or "none" yet."""
    payload = answer_payload(record)
    if payload is None:
        return "none"
    if payload.get("embeds"):
        return "answered"
    if str(payload.get("content", "")).startswith(SLOW_DOWN):
        return "refused"
    return "error"


def answer_text(record: dict[str, Any]) -> str:
    """The answer's words (its embed's title, description and footer, or its content)."""
    payload = answer_payload(record) or {}
    parts = [str(payload.get("content") or "")]
    for embed in payload.get("embeds") or []:
        parts += [str(embed.get("title", "")), str(embed.get("description", "")),
                  str((embed.get("footer") or {}).get("text", ""))]
    return "\n".join(parts)


async def gather_limited(coroutines: list, limit: int) -> list:
    """Run coroutines at most `limit` at a time, results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


def stop_all(bots: list[BotProcess]) -> None:
    """Stop bot processes together (SIGTERM to all first, then wait for each)."""
    for bot in bots:
        if bot.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                bot.process.send_signal(signal.SIGTERM)
    for bot in bots:
        bot.stop()

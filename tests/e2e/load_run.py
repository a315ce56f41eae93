"""Load run: many concurrent /check interactions through the e2e suite's fake Discord.

Starts the fake Discord server (`fakediscord.FakeDiscord`) and the real bot (`CrosscheckBot` over
a `Crosscheck` service on a temporary database), then sends N /check interactions at once, each
from its own user, and reports how many were answered and how long the bot took to acknowledge
them: from the moment the interaction was written to the bot's gateway socket to the moment the
bot's interaction callback reached the server (Discord drops interactions not acknowledged
within 3 seconds).

    .venv/bin/python tests/e2e/load_run.py                  # 200 checks, the shipped base
    .venv/bin/python tests/e2e/load_run.py --claims 100000  # the same over a synthetic base
    .venv/bin/python tests/e2e/load_run.py --json

Not a test (nothing here asserts on time); tests/e2e/test_load_run.py runs a small version of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl

# Run as a script, this file's folder (with the fake) is on the path; the project is installed.
from fakediscord import FakeDiscord, FakeMember, InteractionHandle, run_client

from benchmarks.synthetic import bench_queries, synthetic_base
from bot.client import CrosscheckBot
from bot.config import Settings
from claims.load import load_base
from claims.service import Crosscheck
from claims.store import DEFAULT

TODAY = date(2026, 11, 21)
ACK_LIMIT_S = 3.0  # Discord's window for the first response to an interaction
MESSAGE_CALLBACK, DEFERRED_CALLBACK = 4, 5


@dataclass
class LoadResult:
    """What happened to each of the concurrent checks."""

    sent: int
    acknowledged: int  # the bot answered the interaction callback at all
    answered: int  # a message with the answer arrived (at once, or as a follow-up after deferring)
    deferred: int  # acknowledged with "thinking..." first
    within_limit: int  # acknowledged within ACK_LIMIT_S
    ack_p50_s: float
    ack_p99_s: float
    ack_max_s: float  # the slowest acknowledgement
    answer_max_s: float  # the slowest complete answer
    wall_s: float


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def fire_checks(server: FakeDiscord, statements: list[str], users: list[FakeMember],
                      timeout: float = 30.0) -> LoadResult:
    """Send one /check per statement, all at once (statement i from users[i]); wait for the bot."""
    started = time.monotonic()

    async def one(statement: str, user: FakeMember) -> tuple[InteractionHandle, float]:
        handle = await server.send_slash_command("check", {"statement": statement}, user=user)
        return handle, time.monotonic()  # the frame is on the bot's socket now

    sent = await asyncio.gather(*(one(s, u) for s, u in zip(statements, users, strict=True)))

    async def outcome(handle: InteractionHandle, dispatched: float) -> tuple[float | None, float | None, bool]:
        try:
            callback = await handle.callback(timeout=timeout)
        except TimeoutError:
            return None, None, False
        ack = callback.time - dispatched
        rtype = callback.json.get("type") if isinstance(callback.json, dict) else None
        if rtype == MESSAGE_CALLBACK:
            return ack, ack, False
        if rtype == DEFERRED_CALLBACK:
            try:
                followup = await handle.followup(timeout=timeout)
            except TimeoutError:
                return ack, None, True
            return ack, followup.time - dispatched, True
        return ack, None, False

    results = await asyncio.gather(*(outcome(h, t) for h, t in sent))
    acks = [a for a, _, _ in results if a is not None]
    answers = [d for _, d, _ in results if d is not None]
    return LoadResult(
        sent=len(statements),
        acknowledged=len(acks),
        answered=len(answers),
        deferred=sum(1 for _, _, deferred in results if deferred),
        within_limit=sum(1 for a in acks if a <= ACK_LIMIT_S),
        ack_p50_s=round(_quantile(acks, 0.5), 3),
        ack_p99_s=round(_quantile(acks, 0.99), 3),
        ack_max_s=round(max(acks, default=float("nan")), 3),
        answer_max_s=round(max(answers, default=float("nan")), 3),
        wall_s=round(time.monotonic() - started, 3),
    )


def statements_for_load(count: int, seed: int = 1) -> list[str]:
    """`count` statements from the bench's fixed set (paraphrases and off-topic), repeated if needed."""
    pool = [q.text for q in bench_queries(load_base(), seed)]
    return [pool[i % len(pool)] for i in range(count)]


async def load_run(count: int = 200, claims: int = 0, quiet: bool = True) -> dict[str, Any]:
    """Start the fake Discord and the bot, fire `count` concurrent checks, return the figures.

    `claims` > 0 swaps the shipped base for a synthetic one of that many claims."""
    if quiet:
        logging.getLogger("discord").setLevel(logging.WARNING)
    server = FakeDiscord()
    users = [server.add_member(f"user{i:04d}") for i in range(count)]  # before the bot connects
    await server.start()
    discord.http.Route.BASE = server.base_url  # type: ignore[misc]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crosscheck.sqlite"
        service = Crosscheck.open(db, today=TODAY)
        if claims:
            service.store.import_base(DEFAULT, synthetic_base(service.engine.base, claims))
        base_size = len(service.engine.base.claims)  # built here, before the clock starts
        settings = Settings(_env_file=None, discord_token=None, crosscheck_db=db,  # type: ignore[call-arg]
                            dev_guild_id=server.guild.id, check_rate=100_000, check_per_seconds=1.0)
        bot = CrosscheckBot(service, settings)
        try:
            async with run_client(server, bot, timeout=30.0):
                result = await fire_checks(server, statements_for_load(count), users)
        finally:
            service.close()
            await server.close()
    return {"claims": base_size, "users": count, **asdict(result),
            "errors_in_fake": [repr(e) for e in server.internal_errors]}


def report(figures: dict[str, Any]) -> str:
    """The figures as a few lines of text."""
    f = figures
    return "\n".join([
        f"load run: {f['sent']} concurrent /check interactions from {f['users']} users, "
        f"base of {f['claims']:,} claims, through the e2e suite's fake Discord",
        f"answered: {f['answered']}/{f['sent']} (acknowledged {f['acknowledged']}, of which {f['deferred']} "
        f"deferred first; {f['within_limit']} within {ACK_LIMIT_S:.0f} s)",
        f"acknowledgement: p50 {f['ack_p50_s']:.3f} s, p99 {f['ack_p99_s']:.3f} s, "
        f"slowest {f['ack_max_s']:.3f} s (Discord allows {ACK_LIMIT_S:.0f} s)",
        f"slowest complete answer: {f['answer_max_s']:.3f} s; all {f['sent']} done in {f['wall_s']:.3f} s",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the load run; exit 1 if any check went unanswered or was acknowledged too late."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="concurrent /check interactions (default 200)")
    parser.add_argument("--claims", type=int, default=0, help="a synthetic base of this many claims "
                        "(default: the shipped base)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    figures = asyncio.run(load_run(args.count, args.claims))
    print(json.dumps(figures) if args.json else report(figures))
    ok = figures["answered"] == figures["sent"] == figures["within_limit"] and not figures["errors_in_fake"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Edit run: edits made by the CLI, in its own process, reach the running bot's next /check.

Starts the fake Discord server and the real bot (over a temporary database), then N times:
adds an alias made of words no claim has to a claim with `crosscheck claims alias add` (a
separate process on the same database), and as soon as that process has exited asks the bot
/check with that alias. Reports how many edits the bot's next answer reflected, and the time
from the edit being committed (the CLI process exited) to the bot's answer reaching Discord.

    .venv/bin/python tests/e2e/edit_run.py              # 100 edits
    .venv/bin/python tests/e2e/edit_run.py --edits 20 --json

Not a test (nothing here asserts on time); tests/e2e/test_edit_run.py runs a small version.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from fakediscord import FakeDiscord, run_client

from bot.client import CrosscheckBot
from bot.config import Settings
from claims.service import Crosscheck

TODAY = date(2026, 11, 21)
CLAIM = "troops-in-syria"


def wording(i: int) -> str:
    """An alias of made-up words, different for each i: only the edit can make it match."""
    digest = hashlib.sha256(f"edit {i}".encode()).digest()
    word = lambda d: "".join("bdfgklmnprstvz"[b % 14] + "aeiou"[b % 5] for b in d)  # noqa: E731
    return f"the {word(digest[:4])} {word(digest[4:8])} report"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


async def edit_run(edits: int = 100) -> dict[str, Any]:
    """The bot against the fake Discord, the CLI editing the same database; the figures."""
    logging.getLogger("discord").setLevel(logging.WARNING)
    server = FakeDiscord()
    await server.start()
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = server.base_url  # type: ignore[misc]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    visible_s: list[float] = []
    cli_s: list[float] = []
    seen = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crosscheck.sqlite"
        service = Crosscheck.open(db, today=TODAY)
        settings = Settings(_env_file=None, discord_token=None, crosscheck_db=db,  # type: ignore[call-arg]
                            dev_guild_id=server.guild.id, check_rate=100_000, check_per_seconds=1.0)
        bot = CrosscheckBot(service, settings)
        try:
            async with run_client(server, bot, timeout=30.0):
                for i in range(edits):
                    alias = wording(i)
                    started = time.monotonic()
                    done = await asyncio.to_thread(
                        subprocess.run, [sys.executable, "-m", "bot.cli", "--db", str(db), "claims", "alias", "add",
                                         CLAIM, alias, "--yes"],  # made-up words: it warns, and that is meant
                        capture_output=True, text=True, check=False)
                    committed = time.monotonic()
                    if done.returncode != 0:
                        raise RuntimeError(f"the CLI failed: {done.stderr}")
                    cli_s.append(committed - started)
                    handle = await server.send_slash_command("check", {"statement": alias}, user=server.member)
                    call = await handle.callback(timeout=30.0)
                    [embed] = call.json["data"]["embeds"]
                    footer = embed.get("footer", {}).get("text", "")
                    if re.search(rf"claim {CLAIM} ·", footer):
                        seen += 1
                    visible_s.append(call.time - committed)
        finally:
            service.close()
            await server.close()
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved  # type: ignore[misc]
    return {"edits": edits, "visible_at_next_check": seen,
            "edit_to_visible_p50_ms": round(1000 * _quantile(visible_s, 0.5), 1),
            "edit_to_visible_p99_ms": round(1000 * _quantile(visible_s, 0.99), 1),
            "edit_to_visible_max_ms": round(1000 * max(visible_s, default=float("nan")), 1),
            "cli_edit_p50_s": round(_quantile(cli_s, 0.5), 2),
            "errors_in_fake": [repr(e) for e in server.internal_errors]}


def report(f: dict[str, Any]) -> str:
    return "\n".join([
        f"edit run: {f['edits']} edits by `crosscheck claims alias add` (its own process), each followed by a "
        "/check through the fake Discord",
        f"seen at the bot's next check: {f['visible_at_next_check']}/{f['edits']}",
        f"edit committed → answer reflecting it: p50 {f['edit_to_visible_p50_ms']} ms, "
        f"p99 {f['edit_to_visible_p99_ms']} ms, max {f['edit_to_visible_max_ms']} ms",
        f"(one CLI edit, process start to exit: p50 {f['cli_edit_p50_s']} s)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = asyncio.run(edit_run(args.edits))
    print(json.dumps(figures) if args.json else report(figures))
    return 0 if figures["visible_at_next_check"] == figures["edits"] and not figures["errors_in_fake"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""One bot process of `crosscheck bench cluster`: the real `crosscheck run`, pointed at the fake Discord.

    python -m benchmarks.cluster_bot BASE_URL GATEWAY_URL run --shard-count 4 --shard-ids 0,1

Everything else is the product as an operator runs it (settings from the environment, the
signals, the exit codes). Two things differ, both only about where Discord is:
- discord.py talks to the fake (`point_discord_at`, from tests/e2e/fakediscord.py, which must be
  on PYTHONPATH: the benchmark sets it);
- discord.py's 5 s sleep before each IDENTIFY of a process but the first is skipped. It stands
  for Discord's `max_concurrency` 1, which the fake does not enforce (its docstring says a bot
  may skip it); with it, a process running 4 shards would take 15 s longer to connect.
"""

from __future__ import annotations

import sys

import discord
from fakediscord import point_discord_at

from bot.cli import main as crosscheck


async def _identify_at_once(self: discord.Client, shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces discord.py's `before_identify_hook`: no sleep between a process's IDENTIFYs."""


if __name__ == "__main__":
    base_url, gateway_url = sys.argv[1], sys.argv[2]
    point_discord_at(base_url, gateway_url)
    discord.Client.before_identify_hook = _identify_at_once  # type: ignore[method-assign]
    crosscheck(args=sys.argv[3:], prog_name="crosscheck")

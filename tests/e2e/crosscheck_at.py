"""Run the `crosscheck` command with discord.py pointed at a Discord API on this machine.

    python tests/e2e/crosscheck_at.py PORT run

The e2e tests start the fake Discord in their own process and `crosscheck run` in a child
process, as an operator would: the signals, exit codes and output are the real ones. Only the
two addresses discord.py connects to change, exactly as the `discord_server` fixture sets them.
A PORT where nothing listens plays a machine without network.
"""

from __future__ import annotations

import sys

import discord.gateway
import discord.http
import yarl

from bot.cli import main

if __name__ == "__main__":
    port = sys.argv.pop(1)
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/gateway")
    main(prog_name="crosscheck")

"""Running the bot as a service: plain-spoken startup failures, a heartbeat, a graceful stop.

`serve` replaces discord.py's `Client.run` so that:
- the problems an operator can fix (a rejected token, no network, a privilege not granted)
  end the process with one actionable line instead of a traceback (`StartupError`);
- SIGTERM (what Docker and systemd send) and SIGINT (Ctrl-C) stop it cleanly: checks already
  running get a moment to answer, then the bot logs out, which unloads the cogs and with them
  the digest scheduler; the caller closes the database;
- while connected to Discord it rewrites a heartbeat file that `crosscheck health` reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import re
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord

from claims.store import is_url

log = logging.getLogger(__name__)

# How often the heartbeat file is rewritten while connected, and how old it may get before
# `crosscheck health` calls the bot unhealthy (three missed beats).
HEARTBEAT_SECONDS = 30.0
HEARTBEAT_MAX_AGE_SECONDS = 3 * HEARTBEAT_SECONDS
# On SIGTERM/SIGINT: how long checks already running may take to answer, how long logging out
# may take, then how long the gateway loop may take to notice. Under 2 s in all, well under
# Docker's 10 s before it kills.
STOP_GRACE_SECONDS = 1.0
LOGOUT_TIMEOUT_SECONDS = 0.5
LOOP_END_TIMEOUT_SECONDS = 0.2

EXIT_BAD_SETUP = 2  # something the operator must change (token, portal settings, guild id)
EXIT_UNAVAILABLE = 3  # Discord cannot be reached right now; starting again later may work

# Names discord.py gives the tasks that handle one event or interaction: a check in progress
# runs in one of these (see discord/client.py, app_commands/tree.py, ui/view.py, ui/modal.py).
HANDLER_TASK_PREFIXES = ("CommandTree-invoker", "discord.py: ", "discord-ui-view-dispatch-",
                         "discord-ui-modal-dispatch-", "discord-ui-dynamic-item-")
PORTAL = "https://discord.com/developers/applications"


class StartupError(Exception):
    """The bot cannot run; `str()` is one line saying what to do. `exit_code` for the process."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def heartbeat_path(database: Path | str) -> Path:
    """The heartbeat file of the bot using `database`: next to a SQLite file (on the same volume);
    for a PostgreSQL address, in the user's data directory on this machine ($XDG_DATA_HOME)."""
    if is_url(database):
        data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        return data_home / "crosscheck" / "crosscheck.heartbeat"
    path = Path(database)
    return path.with_name(path.stem + ".heartbeat")


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _privileged_intents(intents: discord.Intents) -> list[str]:
    return [name for name in ("members", "presences", "message_content") if getattr(intents, name)]


def explain(error: BaseException, intents: discord.Intents) -> StartupError | None:
    """The one actionable line for a startup failure the operator can fix, or None for a bug."""
    if isinstance(error, discord.LoginFailure) or (isinstance(error, discord.ConnectionClosed) and error.code == 4004):
        how = "401 Unauthorized" if isinstance(error, discord.LoginFailure) else "gateway: 4004 Authentication failed"
        return StartupError(
            f"Discord rejected the bot token ({how}): copy a new one from the Developer Portal "
            f"({PORTAL} → your application → Bot → Reset Token) into DISCORD_TOKEN.", EXIT_BAD_SETUP)
    if isinstance(error, discord.PrivilegedIntentsRequired):
        asked = ", ".join(_privileged_intents(intents))
        asked = f" ({asked})" if asked else ""
        return StartupError(
            f"Discord refused the privileged intents the bot asks for{asked}: switch them on in the "
            f"Developer Portal ({PORTAL} → your application → Bot → Privileged Gateway Intents).", EXIT_BAD_SETUP)
    if isinstance(error, discord.Forbidden):
        url = str(getattr(error.response, "url", ""))
        guild = re.search(r"/guilds/(\d+)/commands", url)
        if guild:
            return StartupError(
                f"Discord refused to register the slash commands in server {guild.group(1)} "
                f"({error.status} {_one_line(error.text) or 'Forbidden'}): set DEV_GUILD_ID to a server the bot "
                "was invited to with the applications.commands scope (or leave it empty to register globally).",
                EXIT_BAD_SETUP)
        return StartupError(
            f"Discord refused access ({error.status} {_one_line(error.text) or 'Forbidden'}) at start-up: "
            "invite the bot again with the bot and applications.commands scopes (see deploy/DISCORD.md).",
            EXIT_BAD_SETUP)
    if isinstance(error, aiohttp.ClientConnectionError | TimeoutError | discord.GatewayNotFound
                  | discord.DiscordServerError):
        detail = _one_line(error) or type(error).__name__
        return StartupError(
            f"cannot reach Discord ({detail}): check this machine's network, DNS and firewall "
            "(the bot needs HTTPS to discord.com), then start it again.", EXIT_UNAVAILABLE)
    return None


def write_heartbeat(path: Path, bot: discord.Client) -> None:
    """Record that the bot is connected now (written whole, then renamed: never half a file)."""
    beat = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "pid": os.getpid(),
            "user": str(bot.user), "guilds": len(bot.guilds)}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(beat) + "\n", encoding="utf-8")
    os.replace(partial, path)


def _connected(bot: discord.Client) -> bool:
    # discord.py keeps is_ready() true across a dropped gateway; the socket tells the truth.
    if not bot.is_ready() or bot.is_closed():
        return False
    if isinstance(bot, discord.AutoShardedClient):
        # Every shard this process runs must be connected: a dead shard is a server not answered.
        return bool(bot.shards) and all(not shard.is_closed() for shard in bot.shards.values())
    return bot.ws is not None and bot.ws.open


async def _beat(bot: discord.Client, path: Path) -> None:
    while True:
        if _connected(bot):
            try:
                write_heartbeat(path, bot)
            except OSError as exc:
                log.warning("cannot write the heartbeat file %s: %s", path, exc)
            await asyncio.sleep(HEARTBEAT_SECONDS)
        else:
            await asyncio.sleep(1)


def _handlers_in_progress() -> set[asyncio.Task]:
    return {task for task in asyncio.all_tasks()
            if not task.done() and task.get_name().startswith(HANDLER_TASK_PREFIXES)}


async def _stop(bot: discord.Client, reason: str) -> None:
    """Let running checks answer (briefly), then log out; the cogs unload, the scheduler stops."""
    busy = _handlers_in_progress()
    log.info("%s: stopping%s", reason, f" once {len(busy)} request(s) in progress answer" if busy else "")
    if busy:
        _, late = await asyncio.wait(busy, timeout=STOP_GRACE_SECONDS)
        if late:
            log.warning("%d request(s) did not finish within %.1f s; stopping anyway", len(late), STOP_GRACE_SECONDS)
    try:
        await asyncio.wait_for(bot.close(), LOGOUT_TIMEOUT_SECONDS)
        # Bot.close() unloads the extensions first: the digest cog stops its scheduler as it goes.
        log.info("logged out of Discord; the cogs (and the digest scheduler) are unloaded")
    except TimeoutError:
        log.warning("logging out took over %.1f s; stopping without waiting for Discord", LOGOUT_TIMEOUT_SECONDS)


async def serve(bot: discord.Client, token: str, heartbeat: Path | None = None) -> None:
    """Run `bot` until SIGTERM/SIGINT (a clean stop: returns) or a failure.

    Failures the operator can fix raise `StartupError` (one line, no traceback); anything else
    propagates as it is: that is a bug to see in full."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[str] = []

    def on_signal(sig: signal.Signals) -> None:
        if received:
            log.info("%s received: already stopping", sig.name)
        received.append(sig.name)
        stop.set()

    stop_signals: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
            stop_signals.append(sig)
        except NotImplementedError:  # Windows: Ctrl-C still ends the process, less gracefully
            pass
    beating = asyncio.create_task(_beat(bot, heartbeat), name="crosscheck-heartbeat") if heartbeat else None
    try:
        async with bot:  # on the way out this logs out if nothing else did
            running = asyncio.create_task(bot.start(token), name="crosscheck-bot")
            stopping = asyncio.create_task(stop.wait(), name="crosscheck-stop")
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if stop.is_set():
                if not running.done():
                    await _stop(bot, f"{received[0]} received")
                    # start() returns once the bot is closed; past this, give up on it.
                    await asyncio.wait({running}, timeout=LOOP_END_TIMEOUT_SECONDS)
                # Asked to stop: however start() ended (even mid-login) is not a failure.
                running.cancel()
                return
            if (error := running.exception()) is not None:
                explained = explain(error, bot.intents)
                if explained is None:
                    raise error
                raise explained from None
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)
        if beating is not None:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        beat = read_heartbeat(heartbeat) if heartbeat is not None else None
        if heartbeat is not None and beat is not None and beat.get("pid") == os.getpid():
            # No longer connected: `crosscheck health` must not take our last beat for a live bot.
            # (Another process's beat is left alone: a second `run` failing must not hide the first.)
            with contextlib.suppress(FileNotFoundError):
                heartbeat.unlink()


def read_heartbeat(path: Path) -> dict[str, Any] | None:
    """The last heartbeat written at `path`, or None when there is none (or it is unreadable)."""
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
        datetime.fromisoformat(beat["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return beat


def heartbeat_age(beat: dict[str, Any], now: datetime | None = None) -> float:
    """Seconds since `beat` was written (never negative; inf when its time is unreadable)."""
    try:
        at = datetime.fromisoformat(beat["at"])
    except (ValueError, KeyError, TypeError):
        return math.inf
    return max(0.0, ((now or datetime.now(UTC)) - at).total_seconds())

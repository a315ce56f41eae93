"""The Discord bot: a `commands.Bot` with one extension per feature (bot/cogs/).

Commands are synced only when the command tree changed since the last sync (its hash is kept
in the database) or on an explicit `crosscheck sync`, so restarts do not hammer Discord's rate
limits.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import traceback
from collections.abc import Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.embeds import NO_PINGS
from claims.engine import StatementError
from claims.service import Crosscheck
from claims.store import StoreError
from claims.store.feed import ChangeRow, FeedFollower

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.cogs.check", "bot.cogs.moderation", "bot.cogs.digest", "bot.cogs.privacy", "bot.cogs.follow",
              "bot.cogs.onboarding")
WARM_UP_STATEMENT = "US troops are leaving Iraq"  # checked, not logged, at start-up
FRIENDLY_ERROR = "Sorry, something went wrong while doing that. It has been logged for the team."
BUSY_LINE = "The claim database is busy right now; nothing was lost. Please try again in a moment."


def error_line(error: BaseException, what: str) -> str:
    """The one line a user sees for `error`, raised while handling `what` (e.g. "/check").

    A statement that cannot be checked says why and a busy database says so; anything else is
    logged with its traceback and the user gets a generic apology."""
    if isinstance(error, StatementError):
        return f"I can't check that: {error}."
    if isinstance(error, StoreError):
        log.error("store unavailable during %s: %s", what, error)
        return BUSY_LINE
    log.error("%s failed:\n%s", what, "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    return FRIENDLY_ERROR


async def tell_user(interaction: discord.Interaction, message: str) -> None:
    """Show `message` to the interaction's user only (as the response, or a follow-up if answered)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.exception("could not tell the user about an error")


class CrosscheckTree(app_commands.CommandTree):
    """Every app command's errors become one friendly line for the user and a traceback in the log."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.CommandOnCooldown):
            message = f"Slow down a little: try again in {error.retry_after:.0f}s."
        elif isinstance(error, app_commands.CheckFailure) and str(error):
            message = str(error)
        else:
            message = error_line(original, f"/{interaction.command.qualified_name if interaction.command else '?'}")
        await tell_user(interaction, message)


def tree_payload(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> list[dict]:
    """What a sync would send for this scope, in a stable order."""
    commands_ = tree.get_commands(guild=guild)
    return sorted((c.to_dict(tree) for c in commands_), key=lambda c: (c.get("type", 1), c["name"]))


def tree_hash(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """A hash of the command tree for one scope; a sync is needed when it changes."""
    blob = json.dumps(tree_payload(tree, guild), sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def shard_of(guild_id: int | str, shard_count: int) -> int:
    """The shard Discord sends a server's events to."""
    return (int(guild_id) >> 22) % shard_count


class CrosscheckBot(commands.AutoShardedBot):
    """The bot. It holds the engine service and the settings its cogs use.

    Sharded as Discord requires past 2,500 servers: one process may run every shard (the
    default), or several processes, on several hosts, each run some of them (`shard_ids` of
    `shard_count`) against one PostgreSQL database. Each process follows the change feed, so an
    edit made anywhere reaches its answers, and its digest scheduler, as it happens."""

    def __init__(self, service: Crosscheck, settings: Settings, *, sync_on_start: bool = True, **options):
        intents = discord.Intents.default()  # no privileged intents: mentions carry their content
        options.setdefault("allowed_mentions", NO_PINGS)
        options.setdefault("shard_count", settings.shard_count)
        options.setdefault("shard_ids", settings.shard_ids)
        # The bot never joins voice: without this, discord.py warns at every start that voice's
        # optional libraries are not installed (two lines of noise before anything that matters).
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None,
                         tree_cls=CrosscheckTree, **options)
        self.service = service
        self.settings = settings
        self.sync_on_start = sync_on_start
        self._follower: FeedFollower | None = None
        self._heard: Callable[[list[ChangeRow]], None] | None = None

    def owns_guild(self, guild_id: int | str) -> bool:
        """Whether this process runs the shard a server belongs to (its digests are this process's)."""
        if self.settings.shard_ids is None or self.settings.shard_count is None:
            return True
        return shard_of(guild_id, self.settings.shard_count) in self.settings.shard_ids

    @property
    def runs_first_shard(self) -> bool:
        """The process that syncs the slash commands (one is enough, and they are global)."""
        return self.settings.shard_ids is None or 0 in self.settings.shard_ids

    async def setup_hook(self) -> None:
        # Many checks at once: their log rows are written in batches, off the answers' path.
        self.service.log_in_background()
        # Load the engine and what its first check reads (the lexicon: ~1 s) before going online,
        # so the first question after a start is answered as fast as the others.
        await asyncio.to_thread(self.service.engine.check, WARM_UP_STATEMENT)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_on_start and self.runs_first_shard:
            await self.sync_commands(force=False)
        loop = asyncio.get_running_loop()

        def heard(changes: list[ChangeRow]) -> None:  # in whichever thread applied them
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.dispatch, "crosscheck_changes", changes)

        self._heard = heard
        self._follower = self.service.follow(heard)

    async def close(self) -> None:
        if self._follower is not None:
            if self._heard is not None:
                self.service.unfollow(self._heard)
            await asyncio.to_thread(self._follower.stop)
            self._follower = None
        await super().close()

    def sync_scope(self) -> discord.Object | None:
        """The development guild, when configured (instant updates); else global."""
        return discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None

    async def sync_commands(self, force: bool = False, scope: discord.Object | str | None = "default") -> bool:
        """Sync the command tree if it changed since the last sync (or when forced). True if synced.

        `scope` is a guild, None for global, or "default" (the development guild if configured)."""
        if scope == "default":
            scope = self.sync_scope()
        assert not isinstance(scope, str)
        if scope is not None:
            self.tree.copy_global_to(guild=scope)
        key = f"command_hash:{scope.id if scope else 'global'}"
        digest = tree_hash(self.tree, scope)
        if not force and self.service.store.settings.meta(key) == digest:
            log.info("commands unchanged since the last sync (%s); not syncing", key)
            return False
        synced = await self.tree.sync(guild=scope)
        self.service.store.settings.set_meta(key, digest)
        log.info("synced %d commands to %s", len(synced), f"guild {scope.id}" if scope else "all guilds")
        return True

    async def on_message(self, message: discord.Message) -> None:
        # No prefix commands: mentions are handled by the check cog's listener.
        return

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds", self.user, len(self.guilds))

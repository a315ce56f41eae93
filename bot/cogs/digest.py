"""The `digest` feature: a fact-check digest posted on a schedule the moderators set.

    /digest setup channel: frequency: time: timezone: [weekday:] [mods_channel:]
    /digest preview   the next digest as it stands (only you see it)
    /digest now       post a digest now
    /digest off       stop posting

Every subcommand is hidden from non-moderators by `default_permissions` and, because a server
can override that, also checked on every use by `require_moderator`. What a digest says is
computed by `claims.digest`; when and whether it is posted, by `bot.digest_schedule`. This cog
holds the scheduler (started in `cog_load`, inside the bot's running loop, and shut down in
`cog_unload`, which `Bot.close` runs) and does the posting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zoneinfo
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.digest_schedule import DigestRunner, DigestScheduler, Outcome, next_fire, up_to_now
from bot.embeds import NO_PINGS, to_embed
from bot.permissions import require_moderator
from claims.digest import Digest
from claims.render import clip
from claims.store.digests import WEEKDAY_NAMES, Schedule, ScheduleError, make_schedule
from claims.store.feed import ChangeRow

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)

Choice = app_commands.Choice
FREQUENCY_CHOICES = [Choice(name="daily", value="daily"), Choice(name="weekly", value="weekly")]
WEEKDAY_CHOICES = [Choice(name=name, value=key) for key, name in WEEKDAY_NAMES.items()]
_ZONES: list[str] = sorted(zoneinfo.available_timezones())


def _actor(interaction: discord.Interaction) -> str:
    return f"discord:{interaction.user.id}:{interaction.user.name}"


def _when(moment: datetime | None) -> str:
    # Discord shows <t:…> in each reader's own time zone; it is not a mention.
    return f"<t:{int(moment.timestamp())}:F>" if moment else "not scheduled"


async def _say(interaction: discord.Interaction, text: str, **extra: Any) -> None:
    """An ephemeral reply (or follow-up, once the interaction was answered) that pings nobody."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NO_PINGS, **extra}
    if interaction.response.is_done():
        await interaction.followup.send(clip(text, 2000), **kwargs)
    else:
        await interaction.response.send_message(clip(text, 2000), **kwargs)


class DigestCog(commands.Cog, name="Digest"):
    """/digest setup, preview, now and off (moderators), and the scheduler behind them."""

    digest = app_commands.Group(name="digest", description="The scheduled fact-check digest (moderators)",
                                guild_only=True, default_permissions=discord.Permissions(manage_messages=True))

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot
        self.runner = DigestRunner(bot.service, self._send)
        self.scheduler = DigestScheduler(self.runner, owns=bot.owns_guild)
        self._catch_up_task: asyncio.Task[list[Outcome]] | None = None

    async def cog_load(self) -> None:
        # setup_hook runs inside the bot's event loop, so the AsyncIOScheduler binds to it.
        self.scheduler.start()
        self._catch_up_task = asyncio.create_task(self._catch_up(), name="digest-catch-up")

    async def cog_unload(self) -> None:
        if self._catch_up_task is not None and not self._catch_up_task.done():
            self._catch_up_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up_task
        await self.scheduler.shutdown()
        await self.runner.aclose()

    @commands.Cog.listener()
    async def on_crosscheck_changes(self, changes: list[ChangeRow]) -> None:
        """A schedule changed in another process (or host): make the jobs match again."""
        if self.scheduler.running and any(change.scope == "schedule" for change in changes):
            self.scheduler.sync()

    async def _catch_up(self) -> list[Outcome]:
        """Once connected: post a digest missed during a short outage (older ones are skipped)."""
        await self.bot.wait_until_ready()
        try:
            return await self.runner.catch_up()
        except Exception:
            log.exception("catching up on missed digests failed")
            return []

    async def _send(self, schedule: Schedule, digest: Digest) -> tuple[str | None, str | None]:
        """Post the public card to the digest channel and the moderators' card to theirs, if set."""
        public, mods = digest.cards()
        channel = self.bot.get_partial_messageable(int(schedule.channel_id), guild_id=int(schedule.guild_id))
        message = await channel.send(embed=to_embed(public), allowed_mentions=NO_PINGS)
        mod_message_id = None
        if schedule.mod_channel_id and mods is not None:
            mod_channel = self.bot.get_partial_messageable(int(schedule.mod_channel_id),
                                                           guild_id=int(schedule.guild_id))
            try:
                mod_message = await mod_channel.send(embed=to_embed(mods), allowed_mentions=NO_PINGS)
                mod_message_id = str(mod_message.id)
            except discord.HTTPException:
                # The public digest is out; a missing moderators' report must not make it look unposted.
                log.exception("guild %s: could not post the moderators' digest", schedule.guild_id)
        return str(message.id), mod_message_id

    # --- commands -------------------------------------------------------------------------------

    async def timezone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        needle = current.strip().casefold().replace(" ", "_")
        hits = [z for z in _ZONES if needle in z.casefold()] if needle else ["UTC", "Europe/London",
                                                                             "America/New_York", "Asia/Baghdad"]
        return [Choice(name=z, value=z) for z in hits[:25]]

    @digest.command(name="setup", description="Post a digest to a channel daily or weekly, at a time you choose")
    @app_commands.describe(channel="Where the digest is posted", frequency="Daily or weekly",
                           time="Time of day, 24-hour HH:MM (e.g. 09:00)",
                           timezone="Time zone, e.g. Europe/London or America/New_York",
                           weekday="For a weekly digest: the day (default Monday)",
                           mods_channel="Optional: a moderators' channel for the review queue and feedback")
    @app_commands.choices(frequency=FREQUENCY_CHOICES, weekday=WEEKDAY_CHOICES)
    @app_commands.check(require_moderator)
    async def digest_setup(self, interaction: discord.Interaction, channel: discord.TextChannel, frequency: str,
                    time: app_commands.Range[str, 3, 5], timezone: app_commands.Range[str, 1, 64],
                    weekday: str | None = None, mods_channel: discord.TextChannel | None = None) -> None:
        """/digest setup: validate, save to the database, and (re)schedule the job."""
        try:
            schedule = make_schedule(str(interaction.guild_id), str(channel.id), frequency, time, timezone,
                                     weekday, str(mods_channel.id) if mods_channel else None, _actor(interaction))
        except ScheduleError as exc:
            await _say(interaction, f"⛔ {exc}. Nothing was changed.")
            return
        me = interaction.guild.me if interaction.guild else None
        for target in (channel, mods_channel):
            if target is None or me is None:
                continue
            perms = target.permissions_for(me)
            if not (perms.view_channel and perms.send_messages and perms.embed_links):
                await _say(interaction, f"⛔ I can't post embeds in {target.mention}: give me View Channel, "
                                        "Send Messages and Embed Links there. Nothing was changed.")
                return
        schedule = await asyncio.to_thread(self.runner.store.save_schedule, schedule)
        upcoming = self.scheduler.schedule(schedule)
        mods = f"; the moderators' report goes to {mods_channel.mention}" if mods_channel else ""
        await _say(interaction, f"✅ The digest will be posted {schedule.describe()} in {channel.mention}{mods}.\n"
                                f"Next one: {_when(upcoming)}. See it with `/digest preview`.")

    digest_setup.autocomplete("timezone")(timezone_autocomplete)

    @digest.command(name="preview", description="See the next digest as it stands now (only you see it)")
    @app_commands.check(require_moderator)
    async def digest_preview(self, interaction: discord.Interaction) -> None:
        """/digest preview: the running period's digest, ephemeral; nothing is posted or recorded."""
        schedule = await asyncio.to_thread(self.runner.store.schedule, str(interaction.guild_id))
        if schedule is None:
            await _say(interaction, "No digest is set up here yet: use `/digest setup` first.")
            return
        digest = await asyncio.to_thread(self.runner.preview, schedule)
        public, mods = digest.cards()
        last = await asyncio.to_thread(self.runner.store.last_posted, schedule.guild_id)
        if digest.is_empty():
            note = "Nothing to report so far: if it stays like this, the next digest is skipped."
        elif last is not None and digest.unchanged_since(last.fingerprint):
            note = "Nothing new since the last digest so far: if it stays like this, the next one is skipped."
        else:
            state = "running" if schedule.enabled else "stopped (`/digest setup` to restart)"
            due = self.scheduler.next_run(schedule.guild_id) or next_fire(schedule, datetime.now(UTC))
            note = f"The digest is {state}; next one: {_when(due) if schedule.enabled else '—'}."
        await _say(interaction, f"👀 Preview of the next digest. {note}", embed=to_embed(public))
        if mods is not None:
            # A separate message: two full embeds in one could pass Discord's 6000-character total.
            await _say(interaction, "And the moderators' report:", embed=to_embed(mods))

    @digest.command(name="now", description="Post a digest now, covering the time since the last one")
    @app_commands.check(require_moderator)
    async def digest_now(self, interaction: discord.Interaction) -> None:
        """/digest now: post the running period's digest to the configured channel."""
        schedule = await asyncio.to_thread(self.runner.store.schedule, str(interaction.guild_id))
        if schedule is None:
            await _say(interaction, "No digest is set up here yet: use `/digest setup` to choose a channel.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.runner.run(schedule, up_to_now(), reason="now")
        if outcome.action == "posted":
            await _say(interaction, f"✅ Posted the digest in <#{schedule.channel_id}>.")
        elif outcome.reason == "nothing to report":
            await _say(interaction, "Nothing to post: no questions, changes or deadlines since the last digest.")
        elif outcome.reason.startswith("unchanged"):
            await _say(interaction, "Nothing new since the last digest, so nothing was posted.")
        elif outcome.reason == "already handled":
            await _say(interaction, "A digest was posted a moment ago; nothing more to post.")
        else:
            await _say(interaction, f"⛔ Not posted: {outcome.reason}.")

    @digest.command(name="off", description="Stop posting the digest here")
    @app_commands.check(require_moderator)
    async def digest_off(self, interaction: discord.Interaction) -> None:
        """/digest off: disable the schedule (kept on record) and remove the job."""
        guild = str(interaction.guild_id)
        stopped = await asyncio.to_thread(self.runner.store.disable, guild, _actor(interaction))
        self.scheduler.unschedule(guild)
        if stopped:
            await _say(interaction, "✅ The digest is stopped. `/digest setup` starts it again.")
        else:
            await _say(interaction, "The digest was not running here; nothing was changed.")


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(DigestCog(bot))

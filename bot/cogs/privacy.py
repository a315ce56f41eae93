"""The `privacy` feature: what the bot keeps about a person, erasing it, and how long it keeps it.

    /privacy show                 what Crosscheck keeps about you here, with a button to erase it
    /privacy erase                erase it (asks to confirm first)
    /privacy retention [days:]    how long questions asked here are kept; moderators set it (1-365, off)

Everything is per server (in a DM: the DMs' own data) and only the caller sees it. The buttons
are `DynamicItem`s whose custom ids carry the server and the person, so they keep working after
a restart; the confirmation also carries when it was shown and expires after `CONFIRM_FOR`.
The cog also runs retention every hour (`bot.privacy_schedule`). The rules themselves are in
`claims.privacy`; see deploy/PRIVACY.md for what is stored and why.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import error_line, tell_user
from bot.config import Settings
from bot.embeds import NO_PINGS, when
from bot.permissions import NotModerator, require_moderator
from bot.privacy_schedule import RetentionScheduler
from claims.privacy import (
    MAX_RETENTION_DAYS,
    OFF,
    PersonalData,
    PrivacyError,
    describe,
    erase,
    parse_retention,
    personal_data,
    set_retention,
)
from claims.render import clip, escape
from claims.service import Crosscheck
from claims.store.privacy import Erased

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)

# How long a "Yes, erase" button stays valid after it was shown.
CONFIRM_FOR = 15 * 60
COLOUR = 0x5865F2
POLICY_FILE = "deploy/PRIVACY.md"
DM = "dm"  # the custom ids' word for direct messages


def policy_line(settings: Settings) -> str:
    """Where the operator's privacy notice is (the PRIVACY_URL setting, else the file it starts from)."""
    if settings.privacy_url:
        return f"Privacy notice: {settings.privacy_url}"
    return f"Privacy notice: `{POLICY_FILE}` in Crosscheck's source (ask the bot's operator for their copy)"


def help_line(settings: Settings) -> str:
    """One line for /help: what is kept, and where to see and erase it."""
    return f"🔒 `/privacy show` — what Crosscheck keeps about you here, and erasing it. {policy_line(settings)}"


def _s(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _day(moment: datetime) -> str:
    # Discord shows <t:…> in each reader's own time zone; it is not a mention.
    return f"<t:{int(moment.timestamp())}:D>"


def _scope(interaction: discord.Interaction) -> str:
    return str(interaction.guild_id) if interaction.guild_id else DM


def _guild(scope: str) -> str | None:
    return None if scope == DM else scope


def _where_words(interaction: discord.Interaction) -> str:
    return f"in **{escape(interaction.guild.name)}**" if interaction.guild else "in your direct messages with me"


def retention_words(days: int, here: str = "here") -> str:
    if days == OFF:
        return f"Questions asked {here} are not stored: retention is off."
    return (f"Questions asked {here} are kept for {describe(days)}; then their text, who asked and the channel are "
            "erased, and only the counts stay.")


def footprint_embed(data: PersonalData, where: str, settings: Settings) -> discord.Embed:
    """What the bot keeps about the caller, in their own words."""
    fp = data.footprint
    lines: list[str] = []
    if data.empty:
        lines.append(f"Nothing. I keep no question, vote or id of yours {where}.")
    else:
        since = f" since {_day(datetime.fromisoformat(fp.oldest))}" if fp.oldest else ""
        lines.append(f"**{_s(fp.checks, 'question')}** you checked {where}{since}:")
        if fp.with_text:
            kept = f"• {fp.with_text:,} with their text, your user id and the channel"
            if fp.oldest_kept and data.kept_until:
                kept += (f" (the oldest asked {_day(datetime.fromisoformat(fp.oldest_kept))}; it is erased on "
                         f"{_day(data.kept_until)})")
            lines.append(kept)
        if fp.checks - fp.with_text:
            lines.append(f"• {fp.checks - fp.with_text:,} counted only: their text, your id and the channel are "
                         "already erased (or were never stored)")
        lines.append(f"**{_s(fp.votes, 'vote')}** on answers (👍/👎)")
        if fp.follows:
            lines.append(f"**{_s(fp.follows, 'claim')} you follow** (🔔 Notify me): your user id, kept so that I can "
                         "send you a direct message when their verdict changes, until you stop following")
        if data.linked_until:
            lines.append(f"\nThese are linked to you through a random number until {_day(data.linked_until)} "
                         "(later if you ask again), so that digests count people right. After that, or once you "
                         "erase, nothing left can be tied to you.")
    lines.append("\n" + retention_words(data.retention_days))
    embed = discord.Embed(title=clip(f"🔒 What Crosscheck keeps about you {where.replace('**', '')}", 256),
                          description=clip("\n".join(lines), 4096), colour=COLOUR)
    embed.set_footer(text=clip(f"Moderators never see who asked. {policy_line(settings)}", 2048))
    return embed


def confirmation(data: PersonalData, where: str) -> str:
    """What erasing will do, for the person to confirm."""
    fp = data.footprint
    parts = []
    if fp.with_text:
        parts.append(f"the text, your user id and the channel of the {_s(fp.with_text, 'question')} still kept")
    unlinked = _s(fp.checks, "question") + (f" and {_s(fp.votes, 'vote')}" if fp.votes else "")
    parts.append(f"the link between you and your {unlinked}")
    if fp.follows:
        parts.append(f"the {_s(fp.follows, 'claim')} you follow")
    return (f"⚠️ **Erase what Crosscheck keeps about you {where.replace('**', '')}?**\n"
            f"This erases {' and '.join(parts)}. They stay in the totals here as no one's. This cannot be undone.\n"
            "-# Answers already posted in a channel are Discord messages: delete those in Discord.")


def erased_words(done: Erased, where: str) -> str:
    """What an erasure did, in the person's words."""
    if not (done.unlinked or done.votes or done.follows):
        return f"Nothing to erase: I keep nothing about you {where}."
    text = f"the text, your user id and the channel of {_s(done.checks, 'question')}; " if done.checks else ""
    votes = f" and {_s(done.votes, 'vote')}" if done.votes else ""
    follows = f" You no longer follow {_s(done.follows, 'claim')}." if done.follows else ""
    return (f"✅ Erased {where}: {text}{_s(done.unlinked, 'question')}{votes} no longer linked to you.{follows} "
            "I keep nothing about you here now.")


def confirm_view(scope: str, user_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmEraseButton(scope, user_id, int(time.time())))
    view.add_item(CancelEraseButton(scope, user_id))
    return view


def _service(interaction: discord.Interaction) -> Crosscheck:
    return interaction.client.service  # type: ignore[attr-defined]


ItemT = TypeVar("ItemT", bound=discord.ui.DynamicItem[Any])


def friendly_errors(
    callback: Callable[[ItemT, discord.Interaction], Awaitable[None]],
) -> Callable[[ItemT, discord.Interaction], Awaitable[None]]:
    """A button callback whose errors become one friendly line (as `bot.cogs.check.friendly_errors`),
    logged without the custom id: these carry the person's user id, which logs never hold."""

    @functools.wraps(callback)
    async def run(item: ItemT, interaction: discord.Interaction) -> None:
        try:
            await callback(item, interaction)
        except Exception as exc:
            await tell_user(interaction, error_line(exc, "a /privacy button"))

    return run


async def _not_theirs(interaction: discord.Interaction, scope: str, user_id: int) -> bool:
    """A privacy button works only for the person it was shown to, where it was shown."""
    if interaction.user.id == user_id and _scope(interaction) == scope:
        return False
    await interaction.response.send_message("That button is not for you: use `/privacy show` for your own data.",
                                            ephemeral=True, allowed_mentions=NO_PINGS)
    return True


class EraseButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cc:priv:ask:(?P<scope>\d+|dm):(?P<user>\d+)"):
    """Under /privacy show: asks to confirm the erasure."""

    def __init__(self, scope: str, user_id: int):
        super().__init__(discord.ui.Button(label="Erase my data here…", style=discord.ButtonStyle.danger, emoji="🗑️",
                                           custom_id=f"cc:priv:ask:{scope}:{user_id}"))
        self.scope, self.user_id = scope, user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["scope"], int(match["user"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if await _not_theirs(interaction, self.scope, self.user_id):
            return
        await asyncio.to_thread(_service(interaction).flush_log)
        data = await asyncio.to_thread(personal_data, _service(interaction).store, str(self.user_id),
                                       _guild(self.scope))
        await interaction.response.edit_message(content=confirmation(data, _where_words(interaction)), embed=None,
                                                view=confirm_view(self.scope, self.user_id))


class ConfirmEraseButton(discord.ui.DynamicItem[discord.ui.Button],
                         template=r"cc:priv:erase:(?P<scope>\d+|dm):(?P<user>\d+):(?P<issued>\d+)"):
    """"Yes, erase": erases the person's data in this server, if pressed soon enough."""

    def __init__(self, scope: str, user_id: int, issued: int):
        super().__init__(discord.ui.Button(label="Yes, erase", style=discord.ButtonStyle.danger,
                                           custom_id=f"cc:priv:erase:{scope}:{user_id}:{issued}"))
        self.scope, self.user_id, self.issued = scope, user_id, issued

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["scope"], int(match["user"]), int(match["issued"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if await _not_theirs(interaction, self.scope, self.user_id):
            return
        if time.time() - self.issued > CONFIRM_FOR:
            await interaction.response.edit_message(
                content="This confirmation has expired; nothing was erased. Use `/privacy erase` again.", view=None)
            return
        service = _service(interaction)
        await asyncio.to_thread(service.flush_log)  # a check just answered must not be written after the erasure
        done = await asyncio.to_thread(erase, service.store, str(self.user_id), _guild(self.scope))
        log.info("erased a member's data on their request in %s: %d checks, %d votes",
                 f"guild {self.scope}" if self.scope != DM else "direct messages", done.unlinked, done.votes)
        await interaction.response.edit_message(content=erased_words(done, _where_words(interaction)), view=None)


class UnfollowAllButton(discord.ui.DynamicItem[discord.ui.Button],
                        template=r"cc:priv:unf:(?P<scope>\d+|dm):(?P<user>\d+)"):
    """Under /privacy show: stop following every claim followed here."""

    def __init__(self, scope: str, user_id: int):
        super().__init__(discord.ui.Button(label="Stop following all", style=discord.ButtonStyle.secondary, emoji="🔕",
                                           custom_id=f"cc:priv:unf:{scope}:{user_id}"))
        self.scope, self.user_id = scope, user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["scope"], int(match["user"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if await _not_theirs(interaction, self.scope, self.user_id):
            return
        ended = await asyncio.to_thread(_service(interaction).store.follows.unfollow,
                                        "" if self.scope == DM else self.scope, str(self.user_id))
        await interaction.response.edit_message(
            content=f"🔕 You no longer follow {_s(ended, 'claim')} {_where_words(interaction)}.", embed=None, view=None)


class CancelEraseButton(discord.ui.DynamicItem[discord.ui.Button],
                        template=r"cc:priv:keep:(?P<scope>\d+|dm):(?P<user>\d+)"):
    def __init__(self, scope: str, user_id: int):
        super().__init__(discord.ui.Button(label="Cancel", style=discord.ButtonStyle.secondary,
                                           custom_id=f"cc:priv:keep:{scope}:{user_id}"))
        self.scope, self.user_id = scope, user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(match["scope"], int(match["user"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if await _not_theirs(interaction, self.scope, self.user_id):
            return
        await interaction.response.edit_message(content="Nothing was erased.", view=None)


RETENTION_CHOICES = ["off", "7", "30", "90", "180", "365", "default"]


class Privacy(commands.Cog):
    """/privacy show, erase and retention, and the hourly retention job."""

    privacy = app_commands.Group(name="privacy", description="What Crosscheck keeps about you, and erasing it")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot
        self.retention = RetentionScheduler(bot.service.store.path)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(EraseButton, ConfirmEraseButton, CancelEraseButton, UnfollowAllButton)
        # cog_load runs inside the bot's event loop, so the AsyncIOScheduler binds to it.
        self.retention.start()

    async def cog_unload(self) -> None:
        await self.retention.shutdown()

    async def _say(self, interaction: discord.Interaction, text: str | None, **extra: Any) -> None:
        """An ephemeral reply that pings nobody."""
        await interaction.response.send_message(clip(text, 2000) if text else None, ephemeral=True,
                                                allowed_mentions=NO_PINGS, **extra)

    @privacy.command(name="show", description="See what Crosscheck keeps about you here, and erase it if you wish")
    async def show(self, interaction: discord.Interaction) -> None:
        """/privacy show: the caller's own data in this server, only to them, with an erase button."""
        await asyncio.to_thread(self.bot.service.flush_log)
        data = await asyncio.to_thread(personal_data, self.bot.service.store, str(interaction.user.id),
                                       str(interaction.guild_id) if interaction.guild_id else None)
        embed = footprint_embed(data, _where_words(interaction), self.bot.settings)
        if data.empty:
            await self._say(interaction, None, embed=embed)
            return
        view = discord.ui.View(timeout=None)
        view.add_item(EraseButton(_scope(interaction), interaction.user.id))
        if data.footprint.follows:
            view.add_item(UnfollowAllButton(_scope(interaction), interaction.user.id))
        await self._say(interaction, None, embed=embed, view=view)

    @privacy.command(name="erase", description="Erase what Crosscheck keeps about you here (asks you to confirm)")
    async def erase_mine(self, interaction: discord.Interaction) -> None:
        """/privacy erase: straight to the confirmation."""
        await asyncio.to_thread(self.bot.service.flush_log)
        data = await asyncio.to_thread(personal_data, self.bot.service.store, str(interaction.user.id),
                                       str(interaction.guild_id) if interaction.guild_id else None)
        where = _where_words(interaction)
        if data.empty:
            await self._say(interaction, f"Nothing to erase: I keep nothing about you {where}.")
            return
        await self._say(interaction, confirmation(data, where), view=confirm_view(_scope(interaction),
                                                                                 interaction.user.id))

    async def retention_autocomplete(self, interaction: discord.Interaction, current: str) -> list[
            app_commands.Choice[str]]:
        needle = current.strip().lower()
        return [app_commands.Choice(name=c if c in ("off", "default") else f"{c} days", value=c)
                for c in RETENTION_CHOICES if c.startswith(needle)][:25]

    @privacy.command(name="retention", description="How long questions asked here are kept (moderators change it)")
    @app_commands.describe(days=f"Days to keep questions (1-{MAX_RETENTION_DAYS}), off to keep none, or default")
    async def retention_cmd(self, interaction: discord.Interaction,
                            days: app_commands.Range[str, 1, 20] | None = None) -> None:
        """/privacy retention [days:]: anyone sees the setting; only moderators change it."""
        store = self.bot.service.store
        if interaction.guild_id is None:
            current = await asyncio.to_thread(store.privacy.retention, None)
            await self._say(interaction, retention_words(current, "in direct messages") + " Retention is set per "
                            "server by its moderators; here it is the operator's default.")
            return
        guild = str(interaction.guild_id)
        if days is None:
            current = await asyncio.to_thread(store.privacy.retention, guild)
            own = await asyncio.to_thread(store.privacy.setting, guild)
            who = " (the operator's default)" if own is None else f" (set {when(own.updated_at, 'D')})"
            await self._say(interaction, retention_words(current) + who)
            return
        try:
            require_moderator(interaction)
            chosen = None if days.strip().lower() == "default" else parse_retention(days)
        except (NotModerator, PrivacyError) as exc:
            await self._say(interaction, f"⛔ {exc}" if isinstance(exc, PrivacyError) else str(exc))
            return
        actor = f"discord:{interaction.user.id}:{interaction.user.name}"
        await asyncio.to_thread(self.bot.service.flush_log)
        report = await asyncio.to_thread(set_retention, store, guild, chosen, actor)
        current = await asyncio.to_thread(store.privacy.retention, guild)
        erased = f" Erased now: the text, user id and channel of {_s(report.checks, 'older question')}." \
            if report.checks else ""
        default = " (the operator's default)" if chosen is None else ""
        log.info("guild %s: retention set to %s by a moderator; %d checks erased", guild, describe(current),
                 report.checks)
        await self._say(interaction, f"✅ {retention_words(current)}{default}{erased}")

    retention_cmd.autocomplete("days")(retention_autocomplete)


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(Privacy(bot))

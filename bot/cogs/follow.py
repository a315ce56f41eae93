"""The `follow` feature: people hear back. "Notify me" under a reply follows its claim; the
answers moderators give to queued questions and the new verdicts of followed claims are sent
to the people they are owed to, once.

The rules, and what is owed, are `claims.notify`'s and the database's (`claims.store.follows`):
the moderator's change (in any process, or the CLI) queues the messages, and every bot process
hears of it through the change feed (`on_crosscheck_changes`). Each process then sends the
messages of its own servers' shards (direct messages: the process running shard 0), after
taking each one from pending to sending in the database, so a message goes out once however
many processes run. A message goes by direct message; when the person's DMs are closed and they
had asked in public, as a reply in that channel that pings only them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.client import error_line, tell_user
from bot.embeds import NO_PINGS, to_embed
from claims.notify import NotifyError, changed_claims, follow, message, refresh
from claims.render import clip, escape
from claims.service import Crosscheck
from claims.store.feed import ChangeRow
from claims.store.follows import FAILED, SENT, VERDICT, Notice

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)


def _service(interaction: discord.Interaction) -> Crosscheck:
    return interaction.client.service  # type: ignore[attr-defined]


def unfollow_view(follow_id: int, user_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(UnfollowButton(follow_id, user_id))
    return view


class FollowButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cc:follow:(?P<check>\d+)"):
    """"Notify me": the presser follows the reply's claim, and hears when its verdict changes."""

    def __init__(self, check_id: int):
        super().__init__(discord.ui.Button(label="Notify me", emoji="🔔", style=discord.ButtonStyle.secondary,
                                           custom_id=f"cc:follow:{check_id}"))
        self.check_id = check_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["check"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        guild = str(interaction.guild_id) if interaction.guild_id else None
        try:
            made, new = await asyncio.to_thread(follow, service, self.check_id, str(interaction.user.id), guild)
            claim = await asyncio.to_thread(lambda: service.engine_for(made.workspace_id).base.claims[made.claim_id])
        except NotifyError as exc:
            await interaction.response.send_message(f"Nothing to follow: {exc}.", ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        except Exception as exc:
            await tell_user(interaction, error_line(exc, "the Notify me button"))
            return
        already = "" if new else "You already follow it. "
        statement = escape(clip(claim.statement, 200))
        text = (f"🔔 {already}I'll send you a direct message when the verdict on “{statement}” changes. Only you "
                "asked for this; stop any time with the button below or `/privacy show`.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS,
                                                view=unfollow_view(made.id, interaction.user.id))


class UnfollowButton(discord.ui.DynamicItem[discord.ui.Button],
                     template=r"cc:unfollow:(?P<follow>\d+):(?P<user>\d+)"):
    """"Stop following": ends one follow, for the person who made it (in the server or a DM)."""

    def __init__(self, follow_id: int, user_id: int):
        super().__init__(discord.ui.Button(label="Stop following", emoji="🔕", style=discord.ButtonStyle.secondary,
                                           custom_id=f"cc:unfollow:{follow_id}:{user_id}"))
        self.follow_id, self.user_id = follow_id, user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["follow"]), int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            await interaction.response.send_message("That button is not for you: see `/privacy show` for what you "
                                                    "follow.", ephemeral=True, allowed_mentions=NO_PINGS)
            return
        follows = _service(interaction).store.follows
        found = await asyncio.to_thread(follows.get, self.follow_id)
        if found is None or found.user_id != str(self.user_id):
            text = "You no longer follow that claim."
        else:
            await asyncio.to_thread(follows.unfollow, found.scope, found.user_id, found.id)
            text = "🔕 Done: you no longer follow that claim, and I won't message you about it."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


class Follows(commands.Cog):
    """Sends what is owed to people (answers, changed verdicts) and keeps followers' standings current."""

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot
        self._sending = asyncio.Lock()
        self._catch_up_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FollowButton, UnfollowButton)
        self._catch_up_task = asyncio.create_task(self._catch_up(), name="follows-catch-up")

    async def cog_unload(self) -> None:
        tasks = [t for t in (self._catch_up_task, *self._tasks) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _owns(self, guild_id: str | None) -> bool:
        """Whether this process sends the messages of this server (direct messages: shard 0's)."""
        return self.bot.runs_first_shard if guild_id is None else self.bot.owns_guild(guild_id)

    async def _catch_up(self) -> None:
        """Once connected: what changed, and what was owed, while no bot was running."""
        await self.bot.wait_until_ready()
        try:
            await asyncio.to_thread(refresh, self.bot.service)
            await self.deliver()
        except Exception:
            log.exception("catching up on notifications failed")

    @commands.Cog.listener()
    async def on_crosscheck_changes(self, changes: list[ChangeRow]) -> None:
        """Claims changed somewhere: tell followers whose verdict moved; send what is now owed.

        The work runs in a task of its own, not in the event's handler: it answers no one's
        request, so a stopping bot does not wait for it (its unload cancels it)."""
        task = asyncio.create_task(self._notify(changes), name="crosscheck-notify")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self, changes: list[ChangeRow]) -> None:
        try:
            if any(c.scope in ("claim", "outlet", "article", "workspace", "term") for c in changes):
                await asyncio.to_thread(refresh, self.bot.service, changed_claims(changes))
            await self.deliver()
        except Exception:
            log.exception("notifying people of changes failed")

    async def deliver(self) -> int:
        """Send every message owed that this process may send; how many went out."""
        async with self._sending:
            sent = 0
            while True:
                batch = await asyncio.to_thread(self.bot.service.store.follows.claim_pending, self._owns)
                if not batch:
                    return sent
                for notice in batch:
                    sent += await self._send(notice)

    async def _send(self, notice: Notice) -> int:
        store = self.bot.service.store.follows
        guild = self.bot.get_guild(int(notice.guild_id)) if notice.guild_id else None
        where = f"in **{escape(guild.name)}**" if guild else ""
        try:
            owed = await asyncio.to_thread(message, self.bot.service, notice, where)
        except Exception:
            log.exception("could not prepare notice %d", notice.id)
            await asyncio.to_thread(store.finish, notice.id, FAILED)
            return 0
        kwargs: dict[str, Any] = {"content": clip(owed.text, 2000)}
        if owed.card is not None:
            kwargs["embed"] = to_embed(owed.card)
        if notice.kind == VERDICT and notice.follow_id is not None and owed.card is not None:
            kwargs["view"] = unfollow_view(notice.follow_id, int(notice.user_id))
        user_id = int(notice.user_id)
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            await user.send(allowed_mentions=NO_PINGS, **kwargs)
            await asyncio.to_thread(store.finish, notice.id, SENT, "dm")
            return 1
        except discord.HTTPException as exc:
            log.info("notice %d: no direct message (%s)", notice.id, exc.status)
        if notice.channel_id:
            # They asked in public: answer there, pinging only them.
            only_them = discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(user_id)],
                                                replied_user=False)
            channel = self.bot.get_partial_messageable(int(notice.channel_id),
                                                       guild_id=int(notice.guild_id) if notice.guild_id else None)
            kwargs["content"] = clip(f"<@{user_id}> {owed.text}", 2000)
            try:
                await channel.send(allowed_mentions=only_them, **kwargs)
                await asyncio.to_thread(store.finish, notice.id, SENT, "channel")
                return 1
            except discord.HTTPException as exc:
                log.info("notice %d: no reply in its channel either (%s)", notice.id, exc.status)
        await asyncio.to_thread(store.finish, notice.id, FAILED)
        return 0


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(Follows(bot))

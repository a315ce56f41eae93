"""/topic: a subject's claims together; retire or restore them all at once, undone at once."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import (
    topic_autocomplete,
)
from bot.cogs.moderation.common import (
    actor,
    apply,
    check_access,
    curator_for,
    moderator_group,
    reply,
    send_history,
    send_listing,
)
from claims.render import escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot


class Topics(commands.Cog):
    """/topic …"""

    topic = moderator_group("topic", "Retire or restore a whole topic's claims at once (moderators)")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @topic.command(name="list", description="Every topic, with how many claims are active and retired")
    async def list_(self, interaction: discord.Interaction) -> None:
        topics = await asyncio.to_thread(lambda: curator_for(interaction).topics())
        lines = [f"`{t.name}` {t.active} active, {t.retired} retired" for t in topics]
        await send_listing(interaction, "Topics", lines, empty="No claims yet.")

    @topic.command(name="retire", description="Retire every claim of a topic at once (one undo restores them)")
    @app_commands.describe(topic="The topic", reason="Why (kept in every claim's history)")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def retire(self, interaction: discord.Interaction, topic: str, reason: str) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.set_topic_status(who, topic, "retired", reason))

    @topic.command(name="restore", description="Restore every retired claim of a topic at once")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def restore(self, interaction: discord.Interaction, topic: str, reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.set_topic_status(who, topic, "active", reason))

    @topic.command(name="history", description="Every time a topic was retired or restored at once")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def history(self, interaction: discord.Interaction, topic: str) -> None:
        entries = await asyncio.to_thread(lambda: curator_for(interaction).history(topic, "topic"))
        if not entries:
            await reply(interaction, f"No changes recorded for the topic `{escape(topic)}`.")
            return
        await send_history(interaction, f"History of the topic {topic}", entries,
                           "Undo one at once with /claim undo change:<#>")

"""/modrole: which role makes a moderator here (admins only)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.common import actor, reply

if TYPE_CHECKING:
    from bot.client import CrosscheckBot


class ModeratorRole(commands.Cog):
    """/modrole set|clear"""

    modrole = app_commands.Group(name="modrole", description="Who counts as a moderator here (admins)",
                                 default_permissions=discord.Permissions(manage_guild=True), guild_only=True)

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    @modrole.command(name="set", description="Members with this role may curate (default: Manage Messages)")
    async def modrole_set(self, interaction: discord.Interaction, role: discord.Role) -> None:
        if not self._is_admin(interaction):
            await reply(interaction, "⛔ Only members with Manage Server can choose the moderator role.")
            return
        if role.is_default() or role.managed:
            what = "every member" if role.is_default() else "a bot's own role"
            await reply(interaction, f"⛔ That would make {what} a moderator; choose a role given to your "
                                     "moderators. Nothing was changed.")
            return
        settings = self.bot.service.store.settings
        await asyncio.to_thread(settings.set_moderator_role, str(interaction.guild_id), str(role.id),
                                actor(interaction))
        await reply(interaction, f"✅ Moderators here are now members with {role.mention}.")

    @modrole.command(name="clear", description="Go back to the default: Manage Messages makes a moderator")
    async def modrole_clear(self, interaction: discord.Interaction) -> None:
        if not self._is_admin(interaction):
            await reply(interaction, "⛔ Only members with Manage Server can choose the moderator role.")
            return
        settings = self.bot.service.store.settings
        await asyncio.to_thread(settings.set_moderator_role, str(interaction.guild_id), None, actor(interaction))
        await reply(interaction, "✅ Moderators here are members with the Manage Messages permission.")

    @staticmethod
    def _is_admin(interaction: discord.Interaction) -> bool:
        member = interaction.user
        return isinstance(member, discord.Member) and (member.guild_permissions.manage_guild
                                                       or member.guild_permissions.administrator)

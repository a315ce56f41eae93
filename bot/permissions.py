"""Who may curate: checked by the bot on every moderator action.

`default_permissions` on a command only hides it by default; a server can hand it to anyone.
So each moderator action also calls `require_moderator`, which refuses whoever is not one:
a member with the server's configured moderator role, or (when none is set) with the Manage
Messages permission. Administrators always are.
"""

from __future__ import annotations

import discord
from discord import app_commands

from claims.service import Crosscheck


class NotModerator(app_commands.CheckFailure):
    """Raised for a member who may not curate; its text is shown to them."""


def is_moderator(service: Crosscheck, member: discord.Member | discord.User, guild_id: int | None) -> bool:
    """Whether this member may curate the claim base in this server."""
    if guild_id is None or not isinstance(member, discord.Member):
        return False
    permissions = member.guild_permissions
    if permissions.administrator:
        return True
    role_id = service.store.moderator_role(str(guild_id))
    if role_id:
        return any(str(role.id) == role_id for role in member.roles)
    return permissions.manage_messages


def require_moderator(interaction: discord.Interaction) -> bool:
    """An app-command check: moderators pass; anyone else gets a clear refusal."""
    service: Crosscheck = interaction.client.service  # type: ignore[attr-defined]
    if is_moderator(service, interaction.user, interaction.guild_id):
        return True
    role_id = service.store.moderator_role(str(interaction.guild_id)) if interaction.guild_id else None
    need = f"the <@&{role_id}> role" if role_id else "the Manage Messages permission"
    raise NotModerator(f"Only moderators can do that here (it needs {need}). Nothing was changed.")

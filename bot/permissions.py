"""Who may do what, checked by the bot on every moderator action.

Two roles, each scoped to where it was given:

- a server's **moderators** handle that server's own things: its review queue, its digest,
  its settings. A moderator is a member with the server's configured moderator role, or (when
  none is set) with the Manage Messages permission; administrators always are.
- a workspace's **curators** change its claim base. A server's own workspace is curated by
  that server's moderators; a shared workspace only by the users, or the members of a role in
  its home server, that the operator named (`crosscheck workspace curators`) — never by an
  attached server's admins. The shipped base and the operator's `default` workspace cannot be
  changed from Discord.

`default_permissions` on a command only hides it by default; a server can hand it to anyone.
So each action also calls `require_moderator` or `require_curator`, which refuse whoever may not.
"""

from __future__ import annotations

import discord
from discord import app_commands

from claims.service import Crosscheck


class NotModerator(app_commands.CheckFailure):
    """Raised for a member who may not do this; its text is shown to them."""


def is_moderator(service: Crosscheck, member: discord.Member | discord.User, guild_id: int | None) -> bool:
    """Whether this member moderates this server (its queue, digest and settings)."""
    if guild_id is None or not isinstance(member, discord.Member) or member.guild.id != guild_id:
        return False
    permissions = member.guild_permissions
    if permissions.administrator:
        return True
    role_id = service.store.settings.moderator_role(str(guild_id))
    if role_id:
        return any(str(role.id) == role_id for role in member.roles)
    return permissions.manage_messages


def can_curate(service: Crosscheck, member: discord.Member | discord.User, guild_id: int | None) -> bool:
    """Whether this member may change the claim base this server uses."""
    if guild_id is None or not isinstance(member, discord.Member):
        return False
    workspace = service.store.workspaces.get(service.workspace_of(str(guild_id)))
    if workspace is None:
        return False
    if workspace.kind == "server":
        return workspace.home_guild == str(guild_id) and is_moderator(service, member, guild_id)
    if workspace.kind != "shared":
        return False
    for curator in service.store.workspaces.curators(workspace.id):
        if curator.subject_kind == "user" and curator.subject_id == str(member.id):
            return True
        # A role is a role of the home server: it counts only for members there.
        if (curator.subject_kind == "role" and workspace.home_guild == str(guild_id)
                and any(str(role.id) == curator.subject_id for role in member.roles)):
            return True
    return False


def _service(interaction: discord.Interaction) -> Crosscheck:
    return interaction.client.service  # type: ignore[attr-defined]


def require_moderator(interaction: discord.Interaction) -> bool:
    """An app-command check: this server's moderators pass; anyone else gets a clear refusal."""
    service = _service(interaction)
    if is_moderator(service, interaction.user, interaction.guild_id):
        return True
    role_id = service.store.settings.moderator_role(str(interaction.guild_id)) if interaction.guild_id else None
    need = f"the <@&{role_id}> role" if role_id else "the Manage Messages permission"
    raise NotModerator(f"Only moderators can do that here (it needs {need}). Nothing was changed.")


def require_curator(interaction: discord.Interaction) -> bool:
    """An app-command check: only those who may change this server's claim base pass."""
    service = _service(interaction)
    if can_curate(service, interaction.user, interaction.guild_id):
        return True
    workspace_id = service.workspace_of(str(interaction.guild_id)) if interaction.guild_id else None
    workspace = service.store.workspaces.get(workspace_id) if workspace_id else None
    if workspace is not None and workspace.kind == "shared":
        raise NotModerator(f"This server uses the shared claim base `{workspace.id}`; only its named curators can "
                           "change it. Nothing was changed.")
    if workspace is not None and workspace.kind == "server":
        require_moderator(interaction)
    raise NotModerator("This server's claim base can't be changed from Discord. Nothing was changed.")


def require_moderator_or_curator(interaction: discord.Interaction) -> bool:
    """For reading moderators' views (a claim's details, its history, the outlets)."""
    service = _service(interaction)
    if is_moderator(service, interaction.user, interaction.guild_id) or can_curate(
            service, interaction.user, interaction.guild_id):
        return True
    return require_moderator(interaction)

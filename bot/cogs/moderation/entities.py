"""/entity: the people, places, countries, organisations and groups the claim base knows, and the
names text finds them by. An entity a claim or another entity uses cannot be removed."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import (
    entities_autocomplete,
    entity_autocomplete,
    entity_name_autocomplete,
)
from bot.cogs.moderation.common import (
    actor,
    apply,
    check_access,
    curator_for,
    listed,
    moderator_group,
    reply,
    send_embed,
    send_history,
    send_listing,
)
from claims.curate import CurationError
from claims.models import EntityKind
from claims.render import clip, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

KIND_CHOICES = [app_commands.Choice(name=k.value, value=k.value) for k in EntityKind]


class Entities(commands.Cog):
    """/entity …"""

    entity = moderator_group("entity", "People, places, countries, organisations and groups (moderators)")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @entity.command(name="list", description="Entities by id, with their kind and names")
    @app_commands.choices(kind=KIND_CHOICES)
    async def list_(self, interaction: discord.Interaction, kind: str | None = None) -> None:
        entities = await asyncio.to_thread(lambda: curator_for(interaction).entities(kind))
        lines = [f"`{e.id}` {e.kind}: {escape(', '.join(e.names))}"
                 + (f" (in {', '.join(e.part_of)})" if e.part_of else "") for e in entities]
        await send_listing(interaction, f"Entities{' — ' + kind if kind else ''}", lines)

    @entity.command(name="show", description="An entity, and every claim and entity that uses it")
    @app_commands.autocomplete(entity=entity_autocomplete)
    async def show(self, interaction: discord.Interaction, entity: str) -> None:
        curator = curator_for(interaction)
        try:
            found, revision = await asyncio.to_thread(curator.entity, entity)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        uses = await asyncio.to_thread(curator.entity_uses, entity)
        embed = discord.Embed(title=clip(f"{found.id} — {found.kind}", 256), colour=0x9B59B6)
        embed.description = clip(
            f"**names:** {escape(', '.join(found.names))}"
            + (f"\n**part of:** {', '.join(found.part_of)}" if found.part_of else "")
            + "\n**used by:**\n" + ("\n".join(f"• {escape(str(u))}" for u in uses) or "—"), 4096)
        embed.set_footer(text=f"revision {revision} · names with /entity alias")
        await send_embed(interaction, embed)

    @entity.command(name="history", description="Every change to an entity")
    @app_commands.autocomplete(entity=entity_autocomplete)
    async def history(self, interaction: discord.Interaction, entity: str) -> None:
        entries = await asyncio.to_thread(lambda: curator_for(interaction).history(entity, "entity"))
        if not entries:
            await reply(interaction, f"No changes recorded for `{escape(entity)}`.")
            return
        await send_history(interaction, f"History of {entity}", entries)

    @entity.command(name="add", description="Add an entity and the names text finds it by")
    @app_commands.describe(id="Id, lowercase-with-dashes (new-zealand)", kind="What it is",
                           names="The names it goes by, comma-separated; the first is shown",
                           part_of="Entities it lies in or belongs to, comma-separated (autocompletes)")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(part_of=entities_autocomplete)
    async def add(self, interaction: discord.Interaction, id: str, kind: str, names: str,
                  part_of: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        data = {"id": id, "kind": kind, "names": listed(names), "part_of": listed(part_of)}
        await apply(interaction, lambda _: curator.add_entity(who, data))

    @entity.command(name="edit", description="Change an entity's kind or what it is part of")
    @app_commands.describe(part_of="Comma-separated entity ids; '-' for none")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(entity=entity_autocomplete, part_of=entities_autocomplete)
    async def edit(self, interaction: discord.Interaction, entity: str, kind: str | None = None,
                   part_of: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        parents = None if part_of is None else [] if part_of.strip() == "-" else listed(part_of)
        await apply(interaction, lambda _: curator.edit_entity(who, entity, kind=kind, part_of=parents))

    @entity.command(name="alias", description="Add or remove a name of an entity")
    @app_commands.describe(entity="Entity id", action="add or remove", name="The name")
    @app_commands.choices(action=[app_commands.Choice(name="add", value="add"),
                                  app_commands.Choice(name="remove", value="remove")])
    @app_commands.autocomplete(entity=entity_autocomplete, name=entity_name_autocomplete)
    async def alias(self, interaction: discord.Interaction, entity: str, action: str,
                    name: app_commands.Range[str, 2, 200]) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        if action == "remove":
            await apply(interaction, lambda _: curator.remove_entity_name(who, entity, name))
        else:
            await apply(interaction, lambda _: curator.add_entity_name(who, entity, name))

    @entity.command(name="remove", description="Remove an entity no claim or entity uses")
    @app_commands.autocomplete(entity=entity_autocomplete)
    async def remove(self, interaction: discord.Interaction, entity: str, reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.remove_entity(who, entity, reason=reason))

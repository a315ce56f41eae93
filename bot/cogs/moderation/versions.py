"""/claim version add|edit|remove and /claim source add|remove: what each source reports about a
claim, with every value, and the articles and quotes behind it.

Adding takes every value as an option (entities autocomplete); editing opens a form with the
version's text and its values as `name: value` lines, one per value, as they are now."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.cogs.moderation.autocomplete import (
    article_autocomplete,
    claim_autocomplete,
    entities_autocomplete,
    entity_autocomplete,
    version_autocomplete,
)
from bot.cogs.moderation.common import (
    SCOPES,
    VALUE_DESCRIPTIONS,
    actor,
    apply,
    check_access,
    curator_for,
    modal_id,
    reply,
    still_curator,
)
from claims.curate import CurationError, Curator, format_values_block, parse_values_block, values_from
from claims.render import clip


class VersionEditModal(discord.ui.Modal):
    """A version's text and values, as they are; it carries the claim's revision it was opened at."""

    text = discord.ui.TextInput(label="What this source reports", style=discord.TextStyle.paragraph,
                                max_length=400)
    values = discord.ui.TextInput(label="Values (name: value, one per line)", style=discord.TextStyle.paragraph,
                                  max_length=2000, required=False)

    def __init__(self, curator: Curator, claim_id: str, version_id: str, revision: int, user_id: int):
        super().__init__(title=clip(f"Edit {claim_id}/{version_id}", 45),
                         custom_id=modal_id(f"cc:version:{claim_id}:{version_id}:{revision}", user_id))
        self.curator, self.claim_id, self.version_id, self.revision = curator, claim_id, version_id, revision
        version, _ = curator.version(claim_id, version_id)
        self.text.default = version.text
        self.values.default = format_values_block(version.values)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            changes = parse_values_block(self.values.value)
        except CurationError as exc:
            await reply(interaction, f"⛔ Refused, nothing was changed:\n• {exc}")
            return
        who, curator = actor(interaction), self.curator
        claim_id, version_id, revision, text = self.claim_id, self.version_id, self.revision, self.text.value.strip()
        await apply(interaction, lambda accept: curator.edit_version(
            who, claim_id, version_id, revision, text=text, values=changes, accept=accept))


class VersionCommands(app_commands.Group):
    """/claim version …"""

    def __init__(self) -> None:
        super().__init__(name="version", description="A claim's versions: what each source reports")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @app_commands.command(name="add", description="Add a version: what another source reports, with its values")
    @app_commands.describe(claim="Claim id", id="Version id, e.g. toll-300", text="What this source reports",
                           article="Article id", quote="Verbatim quote from the article",
                           said_by="Who the source quotes or relays", **VALUE_DESCRIPTIONS)
    @app_commands.choices(scope=SCOPES)
    @app_commands.autocomplete(claim=claim_autocomplete, article=article_autocomplete, places=entities_autocomplete,
                               actors=entities_autocomplete, speaker=entity_autocomplete)
    async def add(self, interaction: discord.Interaction, claim: str, id: str, text: str, article: str,
                  quote: str, said_by: str | None = None, date: str | None = None, as_of: str | None = None,
                  count: str | None = None, duration: str | None = None, scope: str | None = None,
                  places: str | None = None, actors: str | None = None, speaker: str | None = None,
                  holds: bool | None = None) -> None:
        try:
            values = values_from(date=date, as_of=as_of, count=count, duration=duration, scope=scope, places=places,
                                 actors=actors, speaker=speaker, holds=holds)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        data = {"id": id, "text": text, "values": values,
                "sources": [{"article": article, "quote": quote, "said_by": said_by}]}
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda accept: curator.add_version(who, claim, data, accept=accept))

    @app_commands.command(name="edit", description="Edit a version's text and values (opens a form)")
    @app_commands.describe(claim="Claim id", version="Version id")
    @app_commands.autocomplete(claim=claim_autocomplete, version=version_autocomplete)
    async def edit(self, interaction: discord.Interaction, claim: str, version: str) -> None:
        try:
            curator = curator_for(interaction)
            _, revision = curator.claim(claim)
            modal = VersionEditModal(curator, claim, version, revision, interaction.user.id)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        await interaction.response.send_modal(modal)

    @app_commands.command(name="remove", description="Remove a version (never a claim's last)")
    @app_commands.describe(claim="Claim id", version="Version id", reason="Why (kept in the history)")
    @app_commands.autocomplete(claim=claim_autocomplete, version=version_autocomplete)
    async def remove(self, interaction: discord.Interaction, claim: str, version: str,
                     reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.remove_version(who, claim, version, reason=reason))


class SourceCommands(app_commands.Group):
    """/claim source …"""

    def __init__(self) -> None:
        super().__init__(name="source", description="The articles and quotes behind a claim's version")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @app_commands.command(name="add", description="Add another article (and its quote) to a version")
    @app_commands.describe(claim="Claim id", version="Version id", article="Article id",
                           quote="Verbatim quote from the article", said_by="Who the source quotes or relays")
    @app_commands.autocomplete(claim=claim_autocomplete, version=version_autocomplete, article=article_autocomplete)
    async def add(self, interaction: discord.Interaction, claim: str, version: str, article: str,
                  quote: app_commands.Range[str, 8, 1000], said_by: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        data = {"article": article, "quote": quote, "said_by": said_by}
        await apply(interaction, lambda _: curator.add_source(who, claim, version, data))

    @app_commands.command(name="remove", description="Remove what a version cites from one article (never its last)")
    @app_commands.describe(claim="Claim id", version="Version id", article="Article id", reason="Why")
    @app_commands.autocomplete(claim=claim_autocomplete, version=version_autocomplete, article=article_autocomplete)
    async def remove(self, interaction: discord.Interaction, claim: str, version: str, article: str,
                     reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.remove_source(who, claim, version, article, reason=reason))

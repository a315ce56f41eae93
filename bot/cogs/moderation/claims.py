"""/claim: show, list and search claims; add one (a form), edit it (a form), its aliases, retire
and restore it, its history and undo. Its versions and their sources are `/claim version ...`
and `/claim source ...` (`versions`)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import (
    alias_autocomplete,
    article_autocomplete,
    claim_autocomplete,
    entities_autocomplete,
    entity_autocomplete,
    topic_autocomplete,
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
    send_embed,
    send_history,
    send_listing,
    still_curator,
)
from bot.cogs.moderation.versions import SourceCommands, VersionCommands
from claims.curate import CurationError, Curator, new_claim_data, values_from
from claims.match import MATCH, POSSIBLE
from claims.models import ClaimKind
from claims.render import clip, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

KINDS = [k.value for k in ClaimKind]
KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KINDS]
STATUS_CHOICES = [app_commands.Choice(name=s, value=s) for s in ("active", "retired")]
EMBED_TOTAL = 6000  # Discord's limit on all of an embed's text together
MAX_VERSION_FIELDS = 20


def claim_embed(curator: Curator, claim_id: str) -> discord.Embed:
    """A moderator's view of one claim: everything in it, with its revision.

    Discord refuses an embed over 6,000 characters in all, so versions are shown while they fit
    (the aliases take at most 2,000 characters) and the footer says how many were left out."""
    claim, revision = curator.claim(claim_id)
    embed = discord.Embed(title=clip(f"{claim.id} — {claim.statement}", 256),
                          colour=0x3498DB if claim.status == "active" else 0x7F8C8D)
    embed.description = clip(
        f"**kind** {claim.kind} · **topic** {claim.topic} · **status** {claim.status}"
        + (f" · **unit** {escape(claim.unit)}" if claim.unit else "")
        + (f" · **due** {claim.due}" if claim.due else "")
        + "\n**aliases:**\n" + ("\n".join(f"• {escape(a)}" for a in claim.aliases) or "—"), 2000)
    footer = f"revision {revision} · edit with /claim edit, history with /claim history"
    # Room for the fields, keeping some for the footer's "· N more versions not shown".
    room = EMBED_TOTAL - len(embed.title or "") - len(embed.description) - len(footer) - 40
    for version in claim.versions[:MAX_VERSION_FIELDS]:
        lines = [f"`{version.id}` values: {version.values.model_dump(exclude_defaults=True) or '—'}"]
        for source in version.sources:
            who = f" ({escape(source.said_by)})" if source.said_by else ""
            lines.append(f"• `{source.article}`{who}: “{escape(source.quote)}”")
        name, value = clip(escape(version.text), 256), clip("\n".join(lines), 1024)
        if len(name) + len(value) > room:
            break
        room -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    hidden = len(claim.versions) - len(embed.fields)
    if hidden:
        footer += f" · {hidden} more version{'s' if hidden != 1 else ''} not shown"
    embed.set_footer(text=footer)
    return embed


class ClaimModal(discord.ui.Modal):
    """Add a claim with one sourced version (also used to turn a queued question into a claim).

    A form holds five fields; what else the claim and its first version say (topic, unit, due
    date, every value) comes from the options of the command that opened it."""

    claim_id = discord.ui.TextInput(label="Id (lowercase-with-dashes)", max_length=80, placeholder="us-exit-date")
    statement = discord.ui.TextInput(label="Statement", style=discord.TextStyle.paragraph, max_length=300)
    kind = discord.ui.TextInput(label=f"Kind ({', '.join(KINDS)})", max_length=20, default="event")
    article = discord.ui.TextInput(label="Article id", max_length=80)
    quote = discord.ui.TextInput(label="Quote (verbatim from the article)", style=discord.TextStyle.paragraph,
                                 max_length=1000)

    def __init__(self, curator: Curator, user_id: int, review_key: int | None = None, statement: str = "",
                 article: str = "", details: dict[str, Any] | None = None, values: dict[str, Any] | None = None):
        super().__init__(title="New claim" if review_key is None else f"New claim from review #{review_key}",
                         custom_id=modal_id(f"cc:claim-modal:{review_key or 0}", user_id))
        self.curator = curator
        self.review_key = review_key
        self.details = details or {}
        self.values = values or {}
        if statement:
            self.statement.default = statement[:300]
        if article:
            self.article.default = article[:80]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        data = new_claim_data(self.claim_id.value.strip(), self.statement.value.strip(),
                              self.kind.value.strip().lower(), self.article.value.strip(), self.quote.value.strip(),
                              values=self.values, **self.details)
        who = actor(interaction)
        curator, key = self.curator, self.review_key
        if key is None:
            await apply(interaction, lambda accept: curator.add_claim(who, data, accept=accept))
        else:
            await apply(interaction, lambda accept: curator.new_claim_from_queue(who, key, data, accept=accept))


class EditModal(discord.ui.Modal):
    """Edit a claim's statement, kind, due date, topic or unit; it carries the revision it was opened at."""

    statement = discord.ui.TextInput(label="Statement", style=discord.TextStyle.paragraph, max_length=300)
    kind = discord.ui.TextInput(label=f"Kind ({', '.join(KINDS)})", max_length=20)
    due = discord.ui.TextInput(label="Due date (plans; YYYY, YYYY-MM, or empty)", max_length=30, required=False)
    topic = discord.ui.TextInput(label="Topic", max_length=80)
    unit = discord.ui.TextInput(label="Unit (what a quantity counts, or empty)", max_length=60, required=False)

    def __init__(self, curator: Curator, claim_id: str, revision: int, user_id: int):
        super().__init__(title=clip(f"Edit {claim_id}", 45),
                         custom_id=modal_id(f"cc:edit:{claim_id}:{revision}", user_id))
        self.curator = curator
        self.claim_id = claim_id
        self.revision = revision
        claim, _ = curator.claim(claim_id)
        self.statement.default = claim.statement
        self.kind.default = str(claim.kind)
        self.due.default = claim.due or ""
        self.topic.default = claim.topic
        self.unit.default = claim.unit or ""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        who = actor(interaction)
        curator, claim_id, revision = self.curator, self.claim_id, self.revision
        statement, kind, due = self.statement.value.strip(), self.kind.value.strip().lower(), self.due.value.strip()
        topic, unit = self.topic.value.strip(), self.unit.value.strip()
        await apply(interaction, lambda accept: curator.edit_claim(
            who, claim_id, revision, statement=statement, kind=kind, due=due, topic=topic, unit=unit, accept=accept))


class Claims(commands.Cog):
    """/claim …: claims, their aliases, history and undo; versions and sources as subgroups."""

    claim = app_commands.Group(name="claim", description="Curate the claim base (moderators)", guild_only=True,
                               default_permissions=discord.Permissions(manage_messages=True))

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot
        self.claim.add_command(VersionCommands())
        self.claim.add_command(SourceCommands())

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    # --- reading --------------------------------------------------------------------------------

    @claim.command(name="show", description="Show a claim with its versions, sources and revision")
    @app_commands.describe(claim="Claim id or words from its statement")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def show(self, interaction: discord.Interaction, claim: str) -> None:
        try:
            embed = await asyncio.to_thread(claim_embed, curator_for(interaction), claim)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        await send_embed(interaction, embed)

    @claim.command(name="list", description="Claims by id, of a topic, status and kind")
    @app_commands.describe(topic="Only this topic", status="Only active or retired claims", kind="Only this kind")
    @app_commands.choices(status=STATUS_CHOICES, kind=KIND_CHOICES)
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def list_(self, interaction: discord.Interaction, topic: str | None = None, status: str | None = None,
                    kind: str | None = None) -> None:
        try:
            claims = await asyncio.to_thread(
                lambda: curator_for(interaction).list_claims(topic=topic, status=status, kind=kind))
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        lines = [f"`{c.id}` {escape(clip(c.statement, 120))}" + (" *(retired)*" if c.status == "retired" else "")
                 for c in claims]
        filters = ", ".join(f"{k} {v}" for k, v in (("topic", topic), ("status", status), ("kind", kind)) if v)
        await send_listing(interaction, f"Claims{' — ' + filters if filters else ''}", lines)

    @claim.command(name="search", description="Claims the bot would match these words to, and claims containing them")
    @app_commands.describe(text="A statement, or words, or part of an id")
    async def search(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 300]) -> None:
        try:
            found = await asyncio.to_thread(lambda: curator_for(interaction).search_claims(text, 15))
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        lines = []
        for hit in found:
            if hit.score is not None:
                label = "match" if hit.score >= MATCH else "maybe" if hit.score >= POSSIBLE else "weak"
                how = f"**{hit.score:.0f}** {label}"
            else:
                how = f"in its {hit.where}"
            retired = " *(retired)*" if hit.claim.status == "retired" else ""
            lines.append(f"{how} · `{hit.claim.id}` {escape(clip(hit.claim.statement, 120))}{retired}")
        await send_listing(interaction, f"Search: {text}", lines, colour=0x1ABC9C, empty="Nothing found.")

    @claim.command(name="history", description="Every change to a claim: who, when, what")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def history(self, interaction: discord.Interaction, claim: str) -> None:
        entries = await asyncio.to_thread(lambda: curator_for(interaction).history(claim))
        if not entries:
            await reply(interaction, f"No changes recorded for `{escape(claim)}`.")
            return
        await send_history(interaction, f"History of {claim}", entries)

    # --- changing -------------------------------------------------------------------------------

    @claim.command(name="add", description="Add a claim with one sourced version (opens a form)")
    @app_commands.describe(article="The article the quote comes from (filled into the form)",
                           topic="Its topic (default: general)", unit="What a quantity counts (deaths, troops)",
                           due="A plan's due date", said_by="Who the source quotes or relays",
                           version_id="The first version's id (default: reported)", **VALUE_DESCRIPTIONS)
    @app_commands.choices(scope=SCOPES)
    @app_commands.autocomplete(article=article_autocomplete, topic=topic_autocomplete, places=entities_autocomplete,
                               actors=entities_autocomplete, speaker=entity_autocomplete)
    async def add(self, interaction: discord.Interaction, article: str | None = None, topic: str | None = None,
                  unit: str | None = None, due: str | None = None, said_by: str | None = None,
                  version_id: str | None = None, date: str | None = None, as_of: str | None = None,
                  count: str | None = None, duration: str | None = None, scope: str | None = None,
                  places: str | None = None, actors: str | None = None, speaker: str | None = None,
                  holds: bool | None = None) -> None:
        try:
            values = values_from(date=date, as_of=as_of, count=count, duration=duration, scope=scope, places=places,
                                 actors=actors, speaker=speaker, holds=holds)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        details = {"topic": topic or "general", "unit": unit, "due": due, "said_by": said_by,
                   "version_id": version_id or "reported"}
        await interaction.response.send_modal(ClaimModal(curator_for(interaction), interaction.user.id,
                                                         article=article or "", details=details, values=values))

    @claim.command(name="edit", description="Edit a claim's statement, kind, due date, topic or unit (opens a form)")
    @app_commands.describe(claim="Claim id")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def edit(self, interaction: discord.Interaction, claim: str) -> None:
        try:
            curator = curator_for(interaction)
            _, revision = curator.claim(claim)
            modal = EditModal(curator, claim, revision, interaction.user.id)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        await interaction.response.send_modal(modal)

    @claim.command(name="alias", description="Add or remove another way people say a claim")
    @app_commands.describe(claim="Claim id", action="add or remove", text="The wording")
    @app_commands.choices(action=[app_commands.Choice(name="add", value="add"),
                                  app_commands.Choice(name="remove", value="remove")])
    @app_commands.autocomplete(claim=claim_autocomplete, text=alias_autocomplete)
    async def alias(self, interaction: discord.Interaction, claim: str, action: str,
                    text: app_commands.Range[str, 3, 300]) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        if action == "remove":
            await apply(interaction, lambda _: curator.remove_alias(who, claim, text))
        else:
            await apply(interaction, lambda accept: curator.add_alias(who, claim, text, accept=accept))

    @claim.command(name="retire", description="Retire a claim: no longer matched; history kept")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def retire(self, interaction: discord.Interaction, claim: str, reason: str) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.set_status(who, claim, "retired", reason))

    @claim.command(name="restore", description="Restore a retired claim")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def restore(self, interaction: discord.Interaction, claim: str) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.set_status(who, claim, "active"))

    @claim.command(name="undo", description="Undo a change by its # (see /claim history), or a whole topic's")
    async def undo(self, interaction: discord.Interaction, change: int) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.undo(who, change))

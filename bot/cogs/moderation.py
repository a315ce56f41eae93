"""The `moderation` feature: moderators curate claims, sources and the review queue from Discord.

Every command is hidden from non-moderators by `default_permissions`, and — because a server can
override that — also checked on every use (`bot.permissions`): changing the claim base needs a
curator of the workspace this server uses, handling this server's queue needs one of its
moderators. The work itself is done by `claims.curate.Curator` for this server's workspace and
queue, the same code the CLI uses; this cog only turns interactions into calls and results into
ephemeral replies.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import NO_PINGS
from bot.permissions import NotModerator, require_curator, require_moderator, require_moderator_or_curator
from claims.curate import Change, ConflictError, CurationError, Curator, new_claim_data
from claims.models import CRITERIA_LABELS, CRITERIA_POINTS, ClaimKind
from claims.render import clip, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)

KINDS = [k.value for k in ClaimKind]
Choice = app_commands.Choice[str]
MAX_ARTICLE_BYTES = 200_000
EMBED_TOTAL = 6000  # Discord's limit on all of an embed's text together
MAX_VERSION_FIELDS = 20


def _actor(interaction: discord.Interaction) -> str:
    return f"discord:{interaction.user.id}:{interaction.user.name}"


async def _reply(interaction: discord.Interaction, text: str, embed: discord.Embed | None = None) -> None:
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NO_PINGS}
    if embed is not None:
        kwargs["embed"] = embed
    if interaction.response.is_done():
        await interaction.followup.send(text, **kwargs)
    else:
        await interaction.response.send_message(text, **kwargs)


async def _apply(interaction: discord.Interaction, work) -> Change | None:
    """Run a curation call off the loop; a refusal becomes a clear ephemeral reply."""
    try:
        change = await asyncio.to_thread(work)
    except ConflictError as exc:
        await _reply(interaction, f"⛔ Refused: {exc}")
        return None
    except CurationError as exc:
        lines = "\n".join(f"• {escape(p)}" for p in exc.problems[:15])
        await _reply(interaction, clip(f"⛔ Refused, nothing was changed:\n{lines}", 2000))
        return None
    await _reply(interaction, clip(f"✅ #{change.audit_id} {escape(change.summary)}"
                                   + (f" (revision {change.revision})" if change.revision else ""), 2000))
    return change


async def _still_curator(interaction: discord.Interaction) -> bool:
    """A form may be submitted long after it was opened: check the submitter again."""
    try:
        return require_curator(interaction)
    except NotModerator as exc:
        await _reply(interaction, str(exc))
        return False


def curator_for(interaction: discord.Interaction) -> Curator:
    """The curator of this server's workspace and review queue."""
    return Curator(interaction.client.service, guild_id=str(interaction.guild_id))  # type: ignore[attr-defined]


# What each command needs (by qualified name); anything not listed needs a moderator.
CURATOR_COMMANDS = frozenset({
    "claim add", "claim edit", "claim alias", "claim version", "claim retire", "claim restore", "claim undo",
    "source rate", "source add-outlet", "source add-article", "review link", "review new",
})
READER_COMMANDS = frozenset({"claim show", "claim history", "source list"})


def claim_embed(curator: Curator, claim_id: str) -> discord.Embed:
    """A moderator's view of one claim: everything in it, with its revision.

    Discord refuses an embed over 6,000 characters in all, so versions are shown while they fit
    (the aliases take at most 2,000 characters) and the footer says how many were left out."""
    claim, revision = curator.claim(claim_id)
    embed = discord.Embed(title=clip(f"{claim.id} — {claim.statement}", 256),
                          colour=0x3498DB if claim.status == "active" else 0x7F8C8D)
    embed.description = clip(
        f"**kind** {claim.kind} · **topic** {claim.topic} · **status** {claim.status}"
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


def _modal_id(prefix: str, user_id: int) -> str:
    """A modal's custom_id, made the opener's own (at most 100 characters).

    discord.py keeps open modals by custom_id alone: if two moderators had the same form open
    under one id, the first submission would reach the second form (which does not know its
    fields) and the second would be dropped unanswered. Discord shows a user one modal at a time,
    so the user's id makes the key unique."""
    suffix = f":{user_id}"
    return prefix[: 100 - len(suffix)] + suffix


class ClaimModal(discord.ui.Modal):
    """Add a claim with one sourced version (also used to turn a queued question into a claim)."""

    claim_id = discord.ui.TextInput(label="Id (lowercase-with-dashes)", max_length=80, placeholder="us-exit-date")
    statement = discord.ui.TextInput(label="Statement", style=discord.TextStyle.paragraph, max_length=300)
    kind = discord.ui.TextInput(label=f"Kind ({', '.join(KINDS)})", max_length=20, default="event")
    article = discord.ui.TextInput(label="Article id", max_length=80)
    quote = discord.ui.TextInput(label="Quote (verbatim from the article)", style=discord.TextStyle.paragraph,
                                 max_length=1000)

    def __init__(self, curator: Curator, user_id: int, review_key: int | None = None, statement: str = ""):
        super().__init__(title="New claim" if review_key is None else f"New claim from review #{review_key}",
                         custom_id=_modal_id(f"cc:claim-modal:{review_key or 0}", user_id))
        self.curator = curator
        self.review_key = review_key
        if statement:
            self.statement.default = statement[:300]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await _still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        data = new_claim_data(self.claim_id.value.strip(), self.statement.value.strip(),
                              self.kind.value.strip().lower(), self.article.value.strip(), self.quote.value.strip())
        actor = _actor(interaction)
        if self.review_key is None:
            await _apply(interaction, lambda: self.curator.add_claim(actor, data))
        else:
            await _apply(interaction, lambda: self.curator.new_claim_from_queue(actor, self.review_key, data))


class EditModal(discord.ui.Modal):
    """Edit a claim's statement, kind or due date; it carries the revision it was opened at."""

    statement = discord.ui.TextInput(label="Statement", style=discord.TextStyle.paragraph, max_length=300)
    kind = discord.ui.TextInput(label=f"Kind ({', '.join(KINDS)})", max_length=20)
    due = discord.ui.TextInput(label="Due date (plans; YYYY, YYYY-MM, or empty)", max_length=30, required=False)

    def __init__(self, curator: Curator, claim_id: str, revision: int, user_id: int):
        super().__init__(title=clip(f"Edit {claim_id}", 45),
                         custom_id=_modal_id(f"cc:edit:{claim_id}:{revision}", user_id))
        self.curator = curator
        self.claim_id = claim_id
        self.revision = revision
        claim, _ = curator.claim(claim_id)
        self.statement.default = claim.statement
        self.kind.default = str(claim.kind)
        self.due.default = claim.due or ""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await _still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: self.curator.edit_claim(
            actor, self.claim_id, self.revision, statement=self.statement.value.strip(),
            kind=self.kind.value.strip().lower(), due=self.due.value.strip()))


def _moderator_group(name: str, description: str) -> app_commands.Group:
    return app_commands.Group(name=name, description=description, guild_only=True,
                              default_permissions=discord.Permissions(manage_messages=True))


class Moderation(commands.Cog):
    """/claim …, /source …, /review … and /modrole for moderators."""

    claim = _moderator_group("claim", "Curate the claim base (moderators)")
    source = app_commands.Group(name="source", description="Outlets, credibility and articles (moderators)",
                                default_permissions=discord.Permissions(manage_messages=True), guild_only=True)
    review = app_commands.Group(name="review", description="Questions the bot could not answer (moderators)",
                                default_permissions=discord.Permissions(manage_messages=True), guild_only=True)
    modrole = app_commands.Group(name="modrole", description="Who counts as a moderator here (admins)",
                                 default_permissions=discord.Permissions(manage_guild=True), guild_only=True)

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Every command of this cog, whatever the server's command settings say.
        name = interaction.command.qualified_name if interaction.command else ""
        if name.startswith("modrole"):
            return True
        if name in CURATOR_COMMANDS:
            return require_curator(interaction)
        if name in READER_COMMANDS:
            return require_moderator_or_curator(interaction)
        return require_moderator(interaction)

    # --- autocomplete ---------------------------------------------------------------------------

    async def claim_autocomplete(self, interaction: discord.Interaction, current: str) -> list[Choice]:
        claims = await asyncio.to_thread(lambda: curator_for(interaction).find_claims(current, 25))
        return [app_commands.Choice(name=clip(f"{c.id} — {c.statement}", 100), value=c.id) for c in claims]

    async def outlet_autocomplete(self, interaction: discord.Interaction, current: str) -> list[Choice]:
        needle = current.casefold()
        outlets = await asyncio.to_thread(lambda: curator_for(interaction).outlets())
        return [app_commands.Choice(name=clip(f"{o.id} — {o.name} ({o.credibility})", 100), value=o.id)
                for o in outlets if needle in o.id or needle in o.name.casefold()][:25]

    # --- /claim ---------------------------------------------------------------------------------

    @claim.command(name="show", description="Show a claim with its versions, sources and revision")
    @app_commands.describe(claim="Claim id or words from its statement")
    async def show(self, interaction: discord.Interaction, claim: str) -> None:
        try:
            embed = await asyncio.to_thread(claim_embed, curator_for(interaction), claim)
        except CurationError as exc:
            await _reply(interaction, f"⛔ {exc}")
            return
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    show.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="add", description="Add a claim with one sourced version (opens a form)")
    async def add(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ClaimModal(curator_for(interaction), interaction.user.id))

    @claim.command(name="edit", description="Edit a claim's statement, kind or due date (opens a form)")
    @app_commands.describe(claim="Claim id")
    async def edit(self, interaction: discord.Interaction, claim: str) -> None:
        try:
            curator = curator_for(interaction)
            _, revision = curator.claim(claim)
            modal = EditModal(curator, claim, revision, interaction.user.id)
        except CurationError as exc:
            await _reply(interaction, f"⛔ {exc}")
            return
        await interaction.response.send_modal(modal)

    edit.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="alias", description="Add or remove another way people say a claim")
    @app_commands.describe(claim="Claim id", action="add or remove", text="The wording")
    @app_commands.choices(action=[app_commands.Choice(name="add", value="add"),
                                  app_commands.Choice(name="remove", value="remove")])
    async def alias(self, interaction: discord.Interaction, claim: str, action: str,
                    text: app_commands.Range[str, 3, 300]) -> None:
        actor = _actor(interaction)
        if action == "remove":
            await _apply(interaction, lambda: curator_for(interaction).remove_alias(actor, claim, text))
        else:
            await _apply(interaction, lambda: curator_for(interaction).add_alias(actor, claim, text))

    alias.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="version", description="Add a version: what another source reports")
    @app_commands.describe(claim="Claim id", id="Version id, e.g. end-2026", text="What this source reports",
                           article="Article id", quote="Verbatim quote from the article",
                           said_by="Who is quoted or relayed", date="The date it gives (YYYY, YYYY-MM, end of YYYY)",
                           count="A number it gives (2500, ~2500, >=70)")
    async def version(self, interaction: discord.Interaction, claim: str, id: str, text: str, article: str,
                      quote: str, said_by: str | None = None, date: str | None = None,
                      count: str | None = None) -> None:
        values = {k: v for k, v in (("date", date), ("count", count)) if v}
        data = {"id": id, "text": text, "values": values,
                "sources": [{"article": article, "quote": quote, "said_by": said_by}]}
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).add_version(actor, claim, data))

    version.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="retire", description="Retire a claim: no longer matched; history kept")
    async def retire(self, interaction: discord.Interaction, claim: str, reason: str) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).set_status(actor, claim, "retired", reason))

    retire.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="restore", description="Restore a retired claim")
    async def restore(self, interaction: discord.Interaction, claim: str) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).set_status(actor, claim, "active"))

    restore.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="history", description="Every change to a claim: who, when, before and after")
    async def history(self, interaction: discord.Interaction, claim: str) -> None:
        entries = await asyncio.to_thread(lambda: curator_for(interaction).history(claim))
        if not entries:
            await _reply(interaction, f"No changes recorded for `{escape(claim)}`.")
            return
        lines = []
        for e in entries[-20:]:
            undone = f" ~~undone by #{e.undone_by}~~" if e.undone_by else ""
            lines.append(f"**#{e.id}** {e.at[:16]} {escape(e.actor.split(':')[-1])} `{e.action}`{undone}"
                         + (f" — {escape(e.reason)}" if e.reason else ""))
        embed = discord.Embed(title=clip(f"History of {claim}", 256), description=clip("\n".join(lines), 4096),
                              colour=0x95A5A6)
        embed.set_footer(text="Undo a change with /claim undo change:<#>")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    history.autocomplete("claim")(claim_autocomplete)

    @claim.command(name="undo", description="Undo a change by its # (see /claim history)")
    async def undo(self, interaction: discord.Interaction, change: int) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).undo(actor, change))

    # --- /source --------------------------------------------------------------------------------

    @source.command(name="list", description="Outlets with their credibility")
    async def source_list(self, interaction: discord.Interaction) -> None:
        lines = [f"**{o.credibility}/100** `{o.id}` {escape(o.name)}" + (" ⚠️ flagged" if o.unreliable else "")
                 for o in await asyncio.to_thread(lambda: curator_for(interaction).outlets())]
        embed = discord.Embed(title="Outlets", description=clip("\n".join(lines) or "—", 4096), colour=0x3498DB)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @source.command(name="rate", description="Re-rate one of an outlet's nine credibility criteria, with a reason")
    @app_commands.describe(outlet="Outlet id", criterion="Which criterion", rating="yes, partly, no or unknown",
                           reason="Why (kept in the audit log and the criterion's note)")
    @app_commands.choices(
        criterion=[app_commands.Choice(name=clip(f"{k}: {CRITERIA_LABELS[k]}", 100), value=k) for k in CRITERIA_POINTS],
        rating=[app_commands.Choice(name=r, value=r) for r in ("yes", "partly", "no", "unknown")])
    async def source_rate(self, interaction: discord.Interaction, outlet: str, criterion: str, rating: str,
                          reason: str) -> None:
        actor = _actor(interaction)
        curator = curator_for(interaction)
        await _apply(interaction, lambda: curator.rerate_outlet(actor, outlet, criterion, rating, reason))

    source_rate.autocomplete("outlet")(outlet_autocomplete)

    @source.command(name="add-outlet", description="Add an outlet (rate its criteria next with /source rate)")
    @app_commands.describe(id="Outlet id, lowercase-with-dashes", name="Display name", url="Home page",
                           affiliation="Any affiliation or slant readers should know")
    async def source_add_outlet(self, interaction: discord.Interaction, id: str, name: str, url: str | None = None,
                                affiliation: str | None = None) -> None:
        data = {"id": id, "name": name, "url": url, "affiliation": affiliation,
                "criteria": {k: {"rating": "unknown", "note": "not yet rated"} for k in CRITERIA_POINTS}}
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).add_outlet(actor, data))

    @source.command(name="add-article", description="Add an article: paste its text or attach a .txt file")
    @app_commands.describe(id="Article id", outlet="Outlet id", published="YYYY-MM-DD (or YYYY-MM with estimate)",
                           title="Headline", byline="Author", url="Link", estimate="The date is an estimate",
                           text="The article text (or attach a file)", file="A UTF-8 text file of the article")
    async def source_add_article(self, interaction: discord.Interaction, id: str, outlet: str, published: str,
                                 title: str | None = None, byline: str | None = None, url: str | None = None,
                                 estimate: bool = False, text: str | None = None,
                                 file: discord.Attachment | None = None) -> None:
        if file is not None:
            if file.size > MAX_ARTICLE_BYTES:
                await _reply(interaction, f"⛔ That file is {file.size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}.")
                return
            try:
                text = (await file.read()).decode("utf-8")
            except (UnicodeDecodeError, discord.HTTPException) as exc:
                await _reply(interaction, f"⛔ Could not read the attachment as UTF-8 text: {exc}")
                return
        if not text:
            await _reply(interaction, "⛔ Give the article's text, pasted or as an attached .txt file.")
            return
        data = {"id": id, "outlet": outlet, "published": published, "published_estimate": estimate,
                "title": title, "byline": byline, "url": url}
        actor = _actor(interaction)
        body = text
        await _apply(interaction, lambda: curator_for(interaction).add_article(actor, data, body))

    source_add_article.autocomplete("outlet")(outlet_autocomplete)

    # --- /review --------------------------------------------------------------------------------

    @review.command(name="list", description="Questions the bot could not answer, grouped, most asked first")
    async def review_list(self, interaction: discord.Interaction) -> None:
        groups = await asyncio.to_thread(lambda: curator_for(interaction).review_queue(15))
        if not groups:
            await _reply(interaction, "The review queue is empty. 🎉")
            return
        lines = []
        for g in groups:
            people = len(g.askers)
            hint = f" · maybe `{g.suggestions[0]}`" if g.suggestions else ""
            lines.append(f"**#{g.key}** ×{g.count} ({people} {'person' if people == 1 else 'people'}, last "
                         f"{g.last_asked[:16]}){hint}\n> {escape(clip(g.statement, 200))}")
        embed = discord.Embed(title="Review queue", description=clip("\n".join(lines), 4096), colour=0xE67E22)
        embed.set_footer(text="/review link item:<#> claim:<id> · /review new item:<#> · /review dismiss item:<#>")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @review.command(name="link", description="Answer a queued question with a claim (its wording becomes an alias)")
    async def review_link(self, interaction: discord.Interaction, item: int, claim: str) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).link(actor, item, claim))

    review_link.autocomplete("claim")(claim_autocomplete)

    @review.command(name="new", description="Turn a queued question into a new claim (opens a form)")
    async def review_new(self, interaction: discord.Interaction, item: int) -> None:
        curator = curator_for(interaction)
        try:
            group = await asyncio.to_thread(curator._group, item)
        except CurationError:
            await _reply(interaction, f"⛔ No open review item #{item} in this server's queue.")
            return
        await interaction.response.send_modal(ClaimModal(curator, interaction.user.id, review_key=group.key,
                                                        statement=group.statement))

    @review.command(name="dismiss", description="Dismiss a queued question")
    async def review_dismiss(self, interaction: discord.Interaction, item: int, reason: str | None = None) -> None:
        actor = _actor(interaction)
        await _apply(interaction, lambda: curator_for(interaction).dismiss(actor, item, reason))

    # --- /modrole -------------------------------------------------------------------------------

    @modrole.command(name="set", description="Members with this role may curate (default: Manage Messages)")
    async def modrole_set(self, interaction: discord.Interaction, role: discord.Role) -> None:
        if not self._is_admin(interaction):
            await _reply(interaction, "⛔ Only members with Manage Server can choose the moderator role.")
            return
        if role.is_default() or role.managed:
            what = "every member" if role.is_default() else "a bot's own role"
            await _reply(interaction, f"⛔ That would make {what} a moderator; choose a role given to your "
                                      "moderators. Nothing was changed.")
            return
        settings = self.bot.service.store.settings
        await asyncio.to_thread(settings.set_moderator_role, str(interaction.guild_id), str(role.id),
                                _actor(interaction))
        await _reply(interaction, f"✅ Moderators here are now members with {role.mention}.")

    @modrole.command(name="clear", description="Go back to the default: Manage Messages makes a moderator")
    async def modrole_clear(self, interaction: discord.Interaction) -> None:
        if not self._is_admin(interaction):
            await _reply(interaction, "⛔ Only members with Manage Server can choose the moderator role.")
            return
        settings = self.bot.service.store.settings
        await asyncio.to_thread(settings.set_moderator_role, str(interaction.guild_id), None,
                                _actor(interaction))
        await _reply(interaction, "✅ Moderators here are members with the Manage Messages permission.")

    @staticmethod
    def _is_admin(interaction: discord.Interaction) -> bool:
        member = interaction.user
        return isinstance(member, discord.Member) and (member.guild_permissions.manage_guild
                                                       or member.guild_permissions.administrator)


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(Moderation(bot))

"""/source: outlets with their credibility (scored on nine criteria, each re-rated with a reason)
and the articles claims quote."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import (
    outlet_autocomplete,
)
from bot.cogs.moderation.common import (
    actor,
    apply,
    check_access,
    curator_for,
    done_text,
    moderator_group,
    refusal_text,
    reply,
    send_listing,
)
from bot.cogs.moderation.drafts import show_drafts
from claims.credibility import band
from claims.curate import CurationError
from claims.models import CRITERIA_LABELS, CRITERIA_POINTS
from claims.render import clip, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

MAX_ARTICLE_BYTES = 200_000


class Sources(commands.Cog):
    """/source …"""

    source = moderator_group("source", "Outlets, credibility and articles (moderators)")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @source.command(name="list", description="Outlets with their credibility")
    async def source_list(self, interaction: discord.Interaction) -> None:
        lines = [f"**{o.credibility}/100** ({band(o.credibility)}) `{o.id}` {escape(o.name)}"
                 + (" ⚠️ flagged" if o.unreliable else "")
                 for o in await asyncio.to_thread(lambda: curator_for(interaction).outlets())]
        await send_listing(interaction, "Outlets", lines)

    @source.command(name="rate", description="Re-rate one of an outlet's nine credibility criteria, with a reason")
    @app_commands.describe(outlet="Outlet id", criterion="Which criterion", rating="yes, partly, no or unknown",
                           reason="Why (kept in the audit log and the criterion's note)")
    @app_commands.choices(
        criterion=[app_commands.Choice(name=clip(f"{k}: {CRITERIA_LABELS[k]}", 100), value=k) for k in CRITERIA_POINTS],
        rating=[app_commands.Choice(name=r, value=r) for r in ("yes", "partly", "no", "unknown")])
    @app_commands.autocomplete(outlet=outlet_autocomplete)
    async def source_rate(self, interaction: discord.Interaction, outlet: str, criterion: str, rating: str,
                          reason: str) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.rerate_outlet(who, outlet, criterion, rating, reason))

    @source.command(name="add-outlet", description="Add an outlet (rate its criteria next with /source rate)")
    @app_commands.describe(id="Outlet id, lowercase-with-dashes", name="Display name", url="Home page",
                           affiliation="Any affiliation or slant readers should know")
    async def source_add_outlet(self, interaction: discord.Interaction, id: str, name: str, url: str | None = None,
                                affiliation: str | None = None) -> None:
        data = {"id": id, "name": name, "url": url, "affiliation": affiliation,
                "criteria": {k: {"rating": "unknown", "note": "not yet rated"} for k in CRITERIA_POINTS}}
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.add_outlet(who, data))

    @source.command(name="add-article",
                    description="Add a news report (paste or attach it) and review what it drafts for the base")
    @app_commands.describe(outlet="Outlet id", published="YYYY-MM-DD (or YYYY-MM): relative dates are read from it",
                           id="Article id (default: made from the outlet, date and text)",
                           title="Headline", byline="Author", url="Link", estimate="The date is an estimate",
                           text="The article text (or attach a file)", file="A UTF-8 text file of the article")
    @app_commands.autocomplete(outlet=outlet_autocomplete)
    async def source_add_article(self, interaction: discord.Interaction, outlet: str, published: str,
                                 id: str | None = None, title: str | None = None, byline: str | None = None,
                                 url: str | None = None, estimate: bool = False, text: str | None = None,
                                 file: discord.Attachment | None = None) -> None:
        if file is not None:
            if file.size > MAX_ARTICLE_BYTES:
                await reply(interaction, f"⛔ That file is {file.size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}.")
                return
            try:
                raw = await file.read()
                if b"\x00" in raw:
                    raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "binary")
                text = raw.decode("utf-8-sig")
            except (UnicodeDecodeError, discord.HTTPException) as exc:
                await reply(interaction, f"⛔ Could not read the attachment as UTF-8 text ({exc}); attach the "
                                         "article saved as plain text.")
                return
        if not text:
            await reply(interaction, "⛔ Give the article's text, pasted or as an attached .txt file.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # drafting takes a moment
        who, curator, body = actor(interaction), curator_for(interaction), text
        try:
            result = await asyncio.to_thread(lambda: curator.add_article_with_drafts(
                who, body, outlet=outlet, published=published, url=url, title=title, byline=byline, article_id=id))
        except CurationError as exc:
            await reply(interaction, refusal_text(exc))
            return
        said = (done_text(result.change) + "\n" if result.change else "") + escape(result.summary())
        pending = await asyncio.to_thread(curator.drafts, result.article_id)
        await show_drafts(interaction, curator, pending, "Nothing is waiting for review from this article.",
                          said=said)

"""/review: this server's questions the bot could not answer — link one to a claim (its wordings
become aliases), make it a claim of its own (a form), or dismiss it — and the drafts from
articles moderators added (`/review drafts`: accept, edit or reject each, see `drafts`)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import (
    article_autocomplete,
    claim_autocomplete,
    entities_autocomplete,
    entity_autocomplete,
    topic_autocomplete,
)
from bot.cogs.moderation.claims import ClaimModal
from bot.cogs.moderation.common import (
    SCOPES,
    VALUE_DESCRIPTIONS,
    actor,
    apply,
    check_access,
    curator_for,
    moderator_group,
    reply,
)
from bot.cogs.moderation.drafts import show_drafts
from bot.embeds import when
from bot.paging import send_pages
from claims.curate import CurationError, values_from
from claims.curate.queue import chatter_line
from claims.render import clip, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot


class Review(commands.Cog):
    """/review …"""

    review = moderator_group("review", "Questions the bot could not answer (moderators)")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @review.command(name="list", description="Questions the bot could not answer, grouped, most asked first")
    async def review_list(self, interaction: discord.Interaction) -> None:
        curator = curator_for(interaction)
        groups = await asyncio.to_thread(curator.review_queue)
        chatter = chatter_line(await asyncio.to_thread(curator.not_queued))
        drafts = await asyncio.to_thread(curator.drafts)
        waiting = (f"\n📰 {len(drafts)} draft{'s' if len(drafts) != 1 else ''} from articles wait: /review drafts"
                   if drafts else "")
        if not groups:
            await reply(interaction, "The review queue is empty. 🎉" + waiting + (f"\n-# {chatter}" if chatter else ""))
            return
        if waiting:
            chatter = (chatter + " " if chatter else "") + waiting.strip()
        lines = []
        for g in groups:
            people = len(g.askers)
            hint = f" · maybe `{g.suggestions[0]}`" if g.suggestions else ""
            lines.append(f"**#{g.key}** ×{g.count} ({people} {'person' if people == 1 else 'people'}, last "
                         f"{when(g.last_asked, 'R')}){hint}\n> {escape(clip(g.statement, 200))}")
        footer = "/review link item:<#> claim:<id> · /review new item:<#> · /review dismiss item:<#>"
        await send_pages(interaction, "Review queue", lines, colour=0xE67E22,
                         footer=f"{chatter} {footer}" if chatter else footer)

    @review.command(name="link", description="Answer a queued question with a claim (its wording becomes an alias)")
    @app_commands.autocomplete(claim=claim_autocomplete)
    async def review_link(self, interaction: discord.Interaction, item: int, claim: str) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda accept: curator.link(who, item, claim, accept=accept))

    @review.command(name="new", description="Turn a queued question into a new claim (opens a form)")
    @app_commands.describe(article="The article the quote comes from (filled into the form)", topic="Its topic",
                           unit="What a quantity counts", said_by="Who the source quotes or relays",
                           **VALUE_DESCRIPTIONS)
    @app_commands.choices(scope=SCOPES)
    @app_commands.autocomplete(article=article_autocomplete, topic=topic_autocomplete, places=entities_autocomplete,
                               actors=entities_autocomplete, speaker=entity_autocomplete)
    async def review_new(self, interaction: discord.Interaction, item: int, article: str | None = None,
                         topic: str | None = None, unit: str | None = None, said_by: str | None = None,
                         date: str | None = None, as_of: str | None = None, count: str | None = None,
                         duration: str | None = None, scope: str | None = None, places: str | None = None,
                         actors: str | None = None, speaker: str | None = None, holds: bool | None = None) -> None:
        curator = curator_for(interaction)
        try:
            group = await asyncio.to_thread(curator.review_item, item)
            values = values_from(date=date, as_of=as_of, count=count, duration=duration, scope=scope, places=places,
                                 actors=actors, speaker=speaker, holds=holds)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        if group.expired:
            await reply(interaction, f"⛔ Review item #{group.key} holds questions whose text has expired: "
                                     "there is no wording to make a claim of. Dismiss it with "
                                     f"/review dismiss item:{group.key}.")
            return
        details = {"topic": topic or "general", "unit": unit, "said_by": said_by}
        await interaction.response.send_modal(ClaimModal(curator, interaction.user.id, review_key=group.key,
                                                         statement=group.statement, article=article or "",
                                                         details=details, values=values))

    @review.command(name="drafts", description="Drafts from added articles: accept, edit or reject each")
    @app_commands.describe(article="Only this article's drafts")
    @app_commands.autocomplete(article=article_autocomplete)
    async def review_drafts(self, interaction: discord.Interaction, article: str | None = None) -> None:
        curator = curator_for(interaction)
        drafts = await asyncio.to_thread(curator.drafts, article)
        await show_drafts(interaction, curator, drafts, "No drafts waiting. Add an article with /source add-article.")

    @review.command(name="dismiss", description="Dismiss a queued question")
    async def review_dismiss(self, interaction: discord.Interaction, item: int, reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.dismiss(who, item, reason))

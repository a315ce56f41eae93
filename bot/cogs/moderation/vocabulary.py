"""/vocabulary: the topic's own words — concepts (words and phrases read as one idea), units
(what a count counts) and titles (written before a person's name) — beside the English the
engine knows. The same operations as `crosscheck vocabulary`, through the same curator:
validated, audited, undone with /claim undo."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.moderation.autocomplete import term_autocomplete, term_word_autocomplete
from bot.cogs.moderation.common import (
    actor,
    apply,
    check_access,
    curator_for,
    listed,
    moderator_group,
    reply,
    send_history,
    send_listing,
)
from claims.curate import CurationError
from claims.curate.vocabulary import KINDS
from claims.models import term_key
from claims.render import escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

KIND_CHOICES = [app_commands.Choice(name=k, value=k) for k in KINDS]


class Vocabulary(commands.Cog):
    """/vocabulary …"""

    vocabulary = moderator_group("vocabulary", "The topic's words: concepts and units (moderators)")

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return check_access(interaction)

    @vocabulary.command(name="list", description="Every concept and unit, with the words read as it")
    @app_commands.choices(kind=KIND_CHOICES)
    async def list_(self, interaction: discord.Interaction, kind: str | None = None) -> None:
        terms = await asyncio.to_thread(lambda: curator_for(interaction).vocabulary(kind))
        lines = [f"{t.kind} `{t.name}`: {escape(', '.join(t.words))}" for t in terms]
        await send_listing(interaction, f"Vocabulary{' — ' + kind if kind else ''}", lines)

    @vocabulary.command(name="show", description="One concept or unit and its words")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(name=term_autocomplete)
    async def show(self, interaction: discord.Interaction, kind: str, name: str) -> None:
        try:
            term, revision = await asyncio.to_thread(curator_for(interaction).term, kind, name)
        except CurationError as exc:
            await reply(interaction, f"⛔ {exc}")
            return
        await reply(interaction, f"{term.kind} `{term.name}` (revision {revision}): {escape(', '.join(term.words))}")

    @vocabulary.command(name="add", description="Read words or phrases as a concept or unit (added if new)")
    @app_commands.describe(kind="concept: one idea; unit: what a count counts; title: before a person's name",
                           name="The concept, unit or group of titles, one word",
                           words="Words or phrases read as it, comma-separated (earthquake, seismic event)")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(name=term_autocomplete)
    async def add(self, interaction: discord.Interaction, kind: str, name: app_commands.Range[str, 2, 40],
                  words: app_commands.Range[str, 1, 1000]) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        await apply(interaction, lambda _: curator.add_words(who, kind, name, listed(words)))

    @vocabulary.command(name="remove", description="Stop reading words as a concept or unit; no words: remove it")
    @app_commands.describe(words="Comma-separated (autocompletes); leave out to remove the whole entry")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(name=term_autocomplete, words=term_word_autocomplete)
    async def remove(self, interaction: discord.Interaction, kind: str, name: str, words: str | None = None,
                     reason: str | None = None) -> None:
        who, curator = actor(interaction), curator_for(interaction)
        if words:
            await apply(interaction, lambda _: curator.remove_words(who, kind, name, listed(words)))
        else:
            await apply(interaction, lambda _: curator.remove_term(who, kind, name, reason=reason))

    @vocabulary.command(name="history", description="Every change to a concept or unit")
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.autocomplete(name=term_autocomplete)
    async def history(self, interaction: discord.Interaction, kind: str, name: str) -> None:
        entries = await asyncio.to_thread(lambda: curator_for(interaction).history(term_key(kind, name), "term"))
        if not entries:
            await reply(interaction, f"No changes recorded for {kind} `{escape(name)}`.")
            return
        await send_history(interaction, f"History of {kind} {name}", entries)

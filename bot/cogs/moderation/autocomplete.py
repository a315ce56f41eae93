"""Autocomplete for the moderation commands: claim, version, alias, entity, vocabulary, outlet,
article and topic ids, read from the server's workspace. Each returns at most 25 choices (Discord's limit),
names and values at most 100 characters."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands

from bot.cogs.moderation.common import curator_for, listed
from claims.curate import CurationError
from claims.render import clip

Choice = app_commands.Choice[str]

def _choice(name: str, value: str) -> Choice:
    return app_commands.Choice(name=clip(name, 100), value=value[:100])


async def claim_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    claims = await asyncio.to_thread(lambda: curator_for(interaction).find_claims(current, 25))
    return [_choice(f"{c.id} — {c.statement}", c.id) for c in claims]


async def version_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """The versions of the claim chosen in the same command."""
    claim_id = getattr(interaction.namespace, "claim", None)
    if not claim_id:
        return []
    needle = current.casefold()

    def versions() -> list[Choice]:
        try:
            claim, _ = curator_for(interaction).claim(str(claim_id))
        except CurationError:
            return []
        return [_choice(f"{v.id} — {v.text}", v.id) for v in claim.versions
                if needle in v.id or needle in v.text.casefold()][:25]

    return await asyncio.to_thread(versions)


async def alias_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """For removing: the aliases of the claim chosen in the same command."""
    claim_id = getattr(interaction.namespace, "claim", None)
    if not claim_id or getattr(interaction.namespace, "action", None) != "remove":
        return []
    needle = current.casefold()

    def aliases() -> list[Choice]:
        try:
            claim, _ = curator_for(interaction).claim(str(claim_id))
        except CurationError:
            return []
        return [_choice(a, a) for a in claim.aliases if needle in a.casefold() and len(a) <= 100][:25]

    return await asyncio.to_thread(aliases)


def _entity_choices(interaction: discord.Interaction, needle: str, prefix: str = "") -> list[Choice]:
    needle = needle.strip().casefold()
    out = []
    for entity in curator_for(interaction).entities():
        if len(prefix) + len(entity.id) > 100:  # a value Discord would cut short
            break
        if not needle or needle in entity.id or any(needle in n.casefold() for n in entity.names):
            out.append(_choice(f"{prefix}{entity.id} — {entity.kind}: {', '.join(entity.names)}",
                               f"{prefix}{entity.id}"))
        if len(out) == 25:
            break
    return out


async def entity_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    return await asyncio.to_thread(_entity_choices, interaction, current)


async def entities_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """For a comma-separated list of entities: completes the last one, keeping those before it."""
    done, _, last = current.rpartition(",")
    prefix = ", ".join(listed(done)) + ", " if done.strip() else ""
    return await asyncio.to_thread(_entity_choices, interaction, last, prefix)


async def entity_name_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """For removing: the names of the entity chosen in the same command."""
    entity_id = getattr(interaction.namespace, "entity", None)
    if not entity_id or getattr(interaction.namespace, "action", None) != "remove":
        return []

    def names() -> list[Choice]:
        try:
            entity, _ = curator_for(interaction).entity(str(entity_id))
        except CurationError:
            return []
        return [_choice(n, n) for n in entity.names if current.casefold() in n.casefold()][:25]

    return await asyncio.to_thread(names)


async def term_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """The concepts or units (of the kind chosen in the same command) whose name or words hold `current`."""
    kind = getattr(interaction.namespace, "kind", None)
    needle = current.strip().casefold()

    def terms() -> list[Choice]:
        found = curator_for(interaction).vocabulary(str(kind) if kind else None)
        return [_choice(f"{t.name} — {t.kind}: {', '.join(t.words)}", t.name) for t in found
                if needle in t.name or any(needle in w for w in t.words)][:25]

    return await asyncio.to_thread(terms)


async def term_word_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    """For removing words: those of the entry chosen in the same command (completes the last of a
    comma-separated list, keeping those before it)."""
    kind, name = getattr(interaction.namespace, "kind", None), getattr(interaction.namespace, "name", None)
    if not kind or not name:
        return []
    done, _, last = current.rpartition(",")
    prefix = ", ".join(listed(done)) + ", " if done.strip() else ""

    def words() -> list[Choice]:
        try:
            term, _ = curator_for(interaction).term(str(kind), str(name))
        except CurationError:
            return []
        return [_choice(prefix + w, prefix + w) for w in term.words
                if last.strip().casefold() in w and w not in listed(done)][:25]

    return await asyncio.to_thread(words)


async def outlet_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    needle = current.casefold()
    outlets = await asyncio.to_thread(lambda: curator_for(interaction).outlets())
    return [_choice(f"{o.id} — {o.name} ({o.credibility})", o.id)
            for o in outlets if needle in o.id or needle in o.name.casefold()][:25]


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    needle = current.casefold()

    def articles() -> list[Choice]:
        found = curator_for(interaction).base.articles.values()
        return [_choice(f"{a.id} — {a.outlet}, {a.published}: {a.title or ''}", a.id) for a in found
                if needle in a.id or needle in (a.title or "").casefold() or needle in a.outlet][:25]

    return await asyncio.to_thread(articles)


async def topic_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice]:
    needle = current.casefold()
    topics = await asyncio.to_thread(lambda: curator_for(interaction).topics())
    return [_choice(f"{t.name} — {t.active} active, {t.retired} retired", t.name)
            for t in topics if needle in t.name][:25]

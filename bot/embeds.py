"""Turn engine cards into Discord embeds, and the components that go with a reply."""

from __future__ import annotations

import discord

from claims.render import Card

# Replies never ping: a statement quoting @everyone or a role is echoed, not obeyed.
NO_PINGS = discord.AllowedMentions.none()


def to_embed(card: Card) -> discord.Embed:
    """The embed for a card; `claims.render` already keeps cards within Discord's limits."""
    embed = discord.Embed(title=card.title, description=card.description, colour=card.colour)
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed

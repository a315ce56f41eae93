"""Turn engine cards into Discord embeds, and the components that go with a reply."""

from __future__ import annotations

from datetime import UTC, datetime

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


def when(iso: str | None, style: str = "f") -> str:
    """A stored ISO time as a Discord timestamp, which each reader sees in their own time zone
    and language ("f": 30 November 2026 14:05; "R": 3 hours ago; "D": the day). Not a mention."""
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the store writes UTC (`now_iso`)
    return discord.utils.format_dt(moment, style)  # type: ignore[arg-type]

"""What the moderation cogs share: who may do what, the curator of the server's workspace, one
way to run a change (refusals, conflicts and warnings become ephemeral replies), and the embeds
listing claims, entities and history. Autocomplete is in `autocomplete`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot.embeds import NO_PINGS, when
from bot.paging import send_pages
from bot.permissions import NotModerator, require_curator, require_moderator, require_moderator_or_curator
from claims.curate import Accept, Change, ConflictError, CurationError, Curator, NeedsConfirmation
from claims.render import clip, escape

Work = Callable[[Accept], Change]

# What each command needs (by qualified name); anything not listed needs a moderator.
CURATOR_COMMANDS = frozenset({
    "claim add", "claim edit", "claim alias", "claim retire", "claim restore", "claim undo",
    "claim version add", "claim version edit", "claim version remove", "claim source add", "claim source remove",
    "entity add", "entity edit", "entity alias", "entity remove", "topic retire", "topic restore",
    "vocabulary add", "vocabulary remove",
    "source rate", "source add-outlet", "source add-article", "review link", "review new", "review drafts",
})
READER_COMMANDS = frozenset({"claim show", "claim history", "claim list", "claim search", "entity list",
                             "entity show", "entity history", "topic list", "topic history", "source list",
                             "vocabulary list", "vocabulary show", "vocabulary history"})


def check_access(interaction: discord.Interaction) -> bool:
    """The permission a command needs, checked on every use (a server can hand any command to
    anyone, whatever `default_permissions` says): raises NotModerator with the reason."""
    name = interaction.command.qualified_name if interaction.command else ""
    if name.startswith("modrole"):
        return True
    if name in CURATOR_COMMANDS:
        return require_curator(interaction)
    if name in READER_COMMANDS:
        return require_moderator_or_curator(interaction)
    return require_moderator(interaction)


def moderator_group(name: str, description: str) -> app_commands.Group:
    """A top-level command group hidden from members without Manage Messages by default."""
    return app_commands.Group(name=name, description=description, guild_only=True,
                              default_permissions=discord.Permissions(manage_messages=True))


def actor(interaction: discord.Interaction) -> str:
    """Who makes a change, for the audit log."""
    return f"discord:{interaction.user.id}:{interaction.user.name}"


def curator_for(interaction: discord.Interaction) -> Curator:
    """The curator of this server's workspace and review queue."""
    return Curator(interaction.client.service, guild_id=str(interaction.guild_id))  # type: ignore[attr-defined]


async def reply(interaction: discord.Interaction, text: str, embed: discord.Embed | None = None,
                view: discord.ui.View | None = None) -> None:
    """An ephemeral reply that pings nobody (a follow-up once the interaction was answered)."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NO_PINGS}
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(text, **kwargs)
    else:
        await interaction.response.send_message(text, **kwargs)


async def send_embed(interaction: discord.Interaction, embed: discord.Embed) -> None:
    await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)


def done_text(change: Change) -> str:
    """The confirmation of a written change."""
    text = f"✅ #{change.audit_id} {escape(change.summary)}" + (f" (revision {change.revision})" if change.revision
                                                                 else "")
    if change.warnings:
        text += "\n⚠️ Applied despite: " + "; ".join(escape(w.message) for w in change.warnings)
    return clip(text, 2000)


def refusal_text(exc: CurationError) -> str:
    """Why a change was refused."""
    if isinstance(exc, ConflictError):
        return clip(f"⛔ Refused: {exc}", 2000)
    lines = "\n".join(f"• {escape(p)}" for p in exc.problems[:15])
    return clip(f"⛔ Refused, nothing was changed:\n{lines}", 2000)


async def apply(interaction: discord.Interaction, work: Work) -> Change | None:
    """Run a change off the event loop. A refusal becomes a clear ephemeral reply; a change that
    warns is not written: the warnings are shown with Confirm and Cancel buttons (`confirm`)."""
    from bot.cogs.moderation.confirm import ConfirmView, warning_text

    try:
        change = await asyncio.to_thread(work, ())
    except NeedsConfirmation as exc:
        view = ConfirmView(interaction, work, exc)
        await reply(interaction, warning_text(exc), view=view)
        return None
    except CurationError as exc:
        await reply(interaction, refusal_text(exc))
        return None
    await reply(interaction, done_text(change))
    return change


async def still_curator(interaction: discord.Interaction) -> bool:
    """A form or a button may be used long after it was shown: check the user again."""
    try:
        return require_curator(interaction)
    except NotModerator as exc:
        await reply(interaction, str(exc))
        return False


def modal_id(prefix: str, user_id: int) -> str:
    """A modal's custom_id, made the opener's own (at most 100 characters).

    discord.py keeps open modals by custom_id alone: if two moderators had the same form open
    under one id, the first submission would reach the second form (which does not know its
    fields) and the second would be dropped unanswered. Discord shows a user one modal at a time,
    so the user's id makes the key unique."""
    suffix = f":{user_id}"
    return prefix[: 100 - len(suffix)] + suffix


def listed(text: str | None) -> list[str]:
    """Items typed separated by commas."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


# --- views shared by the cogs ------------------------------------------------------------------

SCOPES = [app_commands.Choice(name="all", value="all"), app_commands.Choice(name="some", value="some")]
VALUE_DESCRIPTIONS = {
    "date": "The date it reports (YYYY-MM-DD, YYYY-MM, YYYY, end of YYYY)",
    "as_of": "For a running tally: the day the count was true (later reports replace it)",
    "count": "The number it reports (2500, ~2500, >=70, >500, <20, 100..200)",
    "duration": "How long (12 days, 3 years)",
    "scope": "All or some (of the troops, of the bases)",
    "places": "Where: entities, comma-separated (autocompletes)",
    "actors": "Who acted: entities, comma-separated (autocompletes)",
    "speaker": "Who said it: an entity of any kind, a person or an agency (autocompletes)",
    "holds": "False when the source reports it did NOT happen (default true)",
}


def history_lines(entries: list) -> list[str]:
    """Changes to something, oldest first: who, when, what, and which were undone."""
    lines = []
    for e in entries:
        undone = f" ~~undone by #{e.undone_by}~~" if e.undone_by else ""
        count = len((e.after or {}).get("changes") or {}) if e.target_type == "topic" else 0
        at_once = f" ({count} claims at once)" if count else ""
        lines.append(f"**#{e.id}** {when(e.at)} {escape(e.actor.split(':')[-1])} `{e.action}`{at_once}{undone}"
                     + (f" — {escape(e.reason)}" if e.reason else ""))
    return lines


async def send_history(interaction: discord.Interaction, title: str, entries: list,
                       undo_hint: str = "Undo a change with /claim undo change:<#>") -> None:
    """Every change, in pages; the newest page first."""
    await send_pages(interaction, clip(title, 256), history_lines(entries), footer=undo_hint, colour=0x95A5A6,
                     last_first=True)


async def send_listing(interaction: discord.Interaction, title: str, lines: list[str], colour: int = 0x3498DB,
                       empty: str = "—") -> None:
    """A list, in pages of PAGE_ROWS rows."""
    await send_pages(interaction, clip(title, 256), lines, colour=colour, empty=empty)

"""What the moderation cogs share: who may do what, the curator of the server's workspace, one
way to run a change (refusals, conflicts and warnings become ephemeral replies), and the
autocomplete of claim, version, entity, outlet, article and topic ids."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot.embeds import NO_PINGS
from bot.permissions import NotModerator, require_curator, require_moderator, require_moderator_or_curator
from claims.curate import Accept, Change, ConflictError, CurationError, Curator, NeedsConfirmation
from claims.render import clip, escape

Choice = app_commands.Choice[str]
Work = Callable[[Accept], Change]

# What each command needs (by qualified name); anything not listed needs a moderator.
CURATOR_COMMANDS = frozenset({
    "claim add", "claim edit", "claim alias", "claim retire", "claim restore", "claim undo",
    "claim version add", "claim version edit", "claim version remove", "claim source add", "claim source remove",
    "entity add", "entity edit", "entity alias", "entity remove", "topic retire", "topic restore",
    "source rate", "source add-outlet", "source add-article", "review link", "review new",
})
READER_COMMANDS = frozenset({"claim show", "claim history", "claim list", "claim search", "entity list",
                             "entity show", "entity history", "topic list", "topic history", "source list"})


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


# --- autocomplete ------------------------------------------------------------------------------
# Each returns at most 25 choices (Discord's limit), names and values at most 100 characters.


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


# --- views shared by the cogs ------------------------------------------------------------------

SCOPES = [app_commands.Choice(name="all", value="all"), app_commands.Choice(name="some", value="some")]
VALUE_DESCRIPTIONS = {
    "date": "The date it reports (YYYY-MM-DD, YYYY-MM, YYYY, end of YYYY)",
    "as_of": "For a running tally: the day the count was true (later reports replace it)",
    "count": "The number it reports (2500, ~2500, >=70, 100-200)",
    "duration": "How long (12 days, 3 years)",
    "scope": "All or some (of the troops, of the bases)",
    "places": "Where: entities, comma-separated (autocompletes)",
    "actors": "Who acted: entities, comma-separated (autocompletes)",
    "speaker": "Who said it: an entity of any kind, a person or an agency (autocompletes)",
    "holds": "False when the source reports it did NOT happen (default true)",
}


def history_embed(title: str, entries: list, undo_hint: str = "Undo a change with /claim undo change:<#>"
                  ) -> discord.Embed:
    """The last 20 changes to something: who, when, what, and which were undone."""
    lines = []
    for e in entries[-20:]:
        undone = f" ~~undone by #{e.undone_by}~~" if e.undone_by else ""
        count = len((e.after or {}).get("changes") or {}) if e.target_type == "topic" else 0
        at_once = f" ({count} claims at once)" if count else ""
        lines.append(f"**#{e.id}** {e.at[:16]} {escape(e.actor.split(':')[-1])} `{e.action}`{at_once}{undone}"
                     + (f" — {escape(e.reason)}" if e.reason else ""))
    embed = discord.Embed(title=clip(title, 256), description=clip("\n".join(lines), 4096), colour=0x95A5A6)
    embed.set_footer(text=undo_hint)
    return embed


def listing_embed(title: str, lines: list[str], more_hint: str, colour: int = 0x3498DB) -> discord.Embed:
    """A list in an embed: as many lines as fit, and how many more there are."""
    shown: list[str] = []
    room = 4000
    for line in lines:
        if len(line) + 1 > room:
            break
        shown.append(line)
        room -= len(line) + 1
    embed = discord.Embed(title=clip(title, 256), description="\n".join(shown) or "—", colour=colour)
    hidden = len(lines) - len(shown)
    embed.set_footer(text=f"{len(lines)} in all" + (f" · {hidden} not shown: {more_hint}" if hidden else ""))
    return embed

"""Drafts from an article in Discord: one card at a time, with Accept, Edit, Reject and Next.

`/source add-article` shows the first of the article's drafts; `/review drafts` shows the
pending ones, grouped by article. Accept makes the change through the curator (a change that
warns asks to confirm first), Edit opens a form with what the draft would write (the quote, who
said it, the values as `name: value` lines, a new claim's statement and kind, a new entity's
kind and names) and accepts it as edited, Reject drops it; each then shows the next draft.
Buttons answer only curators, checked again when pressed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from bot.cogs.moderation.common import done_text, modal_id, refusal_text, reply, still_curator
from claims.curate import CurationError, Curator, NeedsConfirmation
from claims.curate.versions import format_values_block, read_values_block
from claims.ingest.drafting import CLAIM, ENTITY, VERSION
from claims.ingest.present import target, values_line
from claims.models import ClaimKind
from claims.render import clip, escape
from claims.store.drafts import StoredDraft

log = logging.getLogger(__name__)

DRAFT_SECONDS = 900.0
COLOURS = {"source": 0x2ECC71, "version": 0xE67E22, "claim": 0x3498DB, "entity": 0x9B59B6}


def draft_embed(draft: StoredDraft, place: int, total: int) -> discord.Embed:
    """A draft as a moderator reviews it: what it would change, why, the quote, the values."""
    embed = discord.Embed(title=clip(f"Draft #{draft.id} · {target(draft)}", 256),
                          colour=COLOURS.get(draft.action, 0x95A5A6))
    lines = [f"**Why:** {escape(draft.reason)}"]
    if draft.action != ENTITY:
        lines.append(f"> {escape(draft.quote)}")
    values = values_line(draft)
    if values:
        lines.append(f"**Values:** {escape(values)}")
    if draft.action == CLAIM and draft.data.get("statement"):
        lines.append(f"**Statement:** {escape(draft.data['statement'])}")
    embed.description = clip("\n".join(lines), 4000)
    embed.set_footer(text=clip(f"article {draft.article_id} · draft {place} of {total} pending", 2048))
    return embed


class DraftView(discord.ui.View):
    """Accept / Edit / Reject / Next under one draft card; it walks the pending drafts it was given."""

    def __init__(self, curator: Curator, user_id: int, drafts: list[StoredDraft]):
        super().__init__(timeout=DRAFT_SECONDS)
        self.curator = curator
        self.user_id = user_id
        self.drafts = drafts
        self.index = 0

    @property
    def current(self) -> StoredDraft:
        return self.drafts[self.index]

    def embed(self) -> discord.Embed:
        return draft_embed(self.current, self.index + 1, len(self.drafts))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await reply(interaction, "Only the moderator who opened these drafts can use these buttons; "
                                     "open your own with /review drafts.")
            return False
        return await still_curator(interaction)

    async def show_next(self, interaction: discord.Interaction, said: str, advance: bool = True) -> None:
        """Edit the card to say what was done and show the next draft (or that none are left)."""
        if advance:
            self.drafts.pop(self.index)
            if self.index >= len(self.drafts):
                self.index = 0
        if not self.drafts:
            self.stop()
            await interaction.response.edit_message(content=clip(f"{said}\nNo drafts left to review. 🎉", 2000),
                                                    embed=None, view=None)
            return
        await interaction.response.edit_message(content=clip(said, 2000), embed=self.embed(), view=self)

    async def decide(self, interaction: discord.Interaction, work) -> None:
        """Run an accept or a reject; a change that warns asks to confirm in a reply of its own."""
        from bot.cogs.moderation.confirm import ConfirmView, warning_text

        try:
            change = await asyncio.to_thread(work, ())
        except NeedsConfirmation as exc:
            await reply(interaction, warning_text(exc), view=ConfirmView(interaction, work, exc))
            return
        except CurationError as exc:
            # Handled meanwhile (confirmed after a warning, or by another moderator): move on.
            gone = await asyncio.to_thread(self._handled, self.current.id)
            await self.show_next(interaction, refusal_text(exc), advance=gone)
            return
        await self.show_next(interaction, done_text(change))

    def _handled(self, draft_id: int) -> bool:
        try:
            return self.curator.draft(draft_id).status != "pending"
        except CurationError:
            return True

    @discord.ui.button(label="Accept", style=discord.ButtonStyle.success)
    async def accept(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        curator, draft_id, who = self.curator, self.current.id, _actor(interaction)
        await self.decide(interaction, lambda accepted: curator.accept_draft(who, draft_id, accept=accepted))

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.primary)
    async def edit(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await interaction.response.send_modal(DraftModal(self, self.current, interaction.user.id))

    @discord.ui.button(label="Reject", style=discord.ButtonStyle.danger)
    async def reject(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        curator, draft_id, who = self.curator, self.current.id, _actor(interaction)
        await self.decide(interaction, lambda _accepted: curator.reject_draft(who, draft_id))

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_draft(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.index = (self.index + 1) % len(self.drafts)
        await self.show_next(interaction, "Left for later.", advance=False)


async def show_drafts(interaction: discord.Interaction, curator: Curator, drafts: list[StoredDraft],
                      empty: str, said: str = "") -> None:
    """Reply with the first draft's card and the buttons that walk them (or `empty`)."""
    if not drafts:
        await reply(interaction, clip(f"{said}\n{empty}".strip(), 2000))
        return
    view = DraftView(curator, interaction.user.id, list(drafts))
    await reply(interaction, clip(said, 2000) or f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''} to review.",
                embed=view.embed(), view=view)


def _actor(interaction: discord.Interaction) -> str:
    return f"discord:{interaction.user.id}:{interaction.user.name}"


class DraftModal(discord.ui.Modal):
    """Edit a draft, then accept it: the fields hold what it would write."""

    def __init__(self, view: DraftView, draft: StoredDraft, user_id: int):
        super().__init__(title=clip(f"Edit draft #{draft.id}", 45), custom_id=modal_id(f"cc:draft:{draft.id}", user_id))
        self.view = view
        self.draft = draft
        data = draft.data
        self.inputs: dict[str, discord.ui.TextInput] = {}
        if draft.action == ENTITY:
            entity = data.get("entity") or {}
            self._add("id", "Id (lowercase-with-dashes)", entity.get("id", ""), 80)
            self._add("kind", "Kind (person, org, group, place, country)", entity.get("kind", ""), 20)
            self._add("names", "Names (comma-separated; the first is shown)", ", ".join(entity.get("names") or []),
                      400)
            return
        self._add("quote", "Quote (verbatim from the article)", data.get("quote") or draft.quote, 1000, long=True)
        self._add("said_by", "Said by (who the article quotes; may be empty)", data.get("said_by") or "", 200,
                  required=False)
        if draft.action == CLAIM:
            self._add("statement", "Statement", data.get("statement") or "", 300, long=True)
            kinds = ", ".join(k.value for k in ClaimKind)
            self._add("kind", f"Kind ({kinds})", data.get("kind") or "", 20)
        if draft.action == VERSION:
            self._add("text", "Version text (what the article reports)", data.get("text") or "", 400, long=True)
        if draft.action in (VERSION, CLAIM):
            self._add("values", "Values (name: value lines; blank clears)",
                      format_values_block(data.get("values") or {}), 1000, long=True, required=False)

    def _add(self, key: str, label: str, default: str, limit: int, long: bool = False, required: bool = True) -> None:
        field = discord.ui.TextInput(label=clip(label, 45), default=clip(default, limit) or None, max_length=limit,
                                     required=required,
                                     style=discord.TextStyle.paragraph if long else discord.TextStyle.short)
        self.inputs[key] = field
        self.add_item(field)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await still_curator(interaction)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        given = {key: field.value.strip() for key, field in self.inputs.items()}
        try:
            edits = self._edits(given)
        except CurationError as exc:
            await reply(interaction, refusal_text(exc))
            return
        curator, draft_id, who = self.view.curator, self.draft.id, _actor(interaction)
        await self.view.decide(interaction, lambda accepted: curator.accept_draft(who, draft_id, edits,
                                                                                  accept=accepted))

    def _edits(self, given: dict[str, str]) -> dict[str, Any]:
        if self.draft.action == ENTITY:
            names = [n.strip() for n in given["names"].split(",") if n.strip()]
            return {"entity": {"id": given["id"], "kind": given["kind"].lower(), "names": names}}
        edits: dict[str, Any] = {"quote": given["quote"], "said_by": given["said_by"] or None}
        if "statement" in given:
            edits.update(statement=given["statement"], kind=given["kind"].lower())
        if "text" in given:
            edits["text"] = given["text"]
        if "values" in given:
            edits["values"] = read_values_block(given["values"])
        return edits

"""Confirming a change that warned: the warnings, with Confirm and Cancel buttons.

Nothing is written until the moderator who made the change presses Confirm (and is still
allowed to curate); Cancel, or no answer within CONFIRM_SECONDS, leaves everything as it was.
Confirming calls the curator again accepting exactly the warnings shown: if the base changed
meanwhile and the change now warns of something else, that is shown to confirm in turn."""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.cogs.moderation.common import Work, done_text, refusal_text, reply, still_curator
from claims.curate import CurationError, NeedsConfirmation
from claims.render import clip, escape

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 300.0


def warning_text(exc: NeedsConfirmation) -> str:
    """The warnings, saying that nothing was written yet."""
    lines = "\n".join(f"• {escape(w.message)}" for w in exc.warnings[:10])
    more = f"\n…and {len(exc.warnings) - 10} more" if len(exc.warnings) > 10 else ""
    tail = "\nConfirm to apply it anyway, or Cancel. Nothing is written until you confirm."
    head = "⚠️ This change may break answers:\n"
    return head + clip(lines + more, 2000 - len(head) - len(tail)) + tail


class ConfirmView(discord.ui.View):
    """Confirm / Cancel under a warning. `work` makes the change, accepting the warnings given."""

    def __init__(self, origin: discord.Interaction, work: Work, warned: NeedsConfirmation,
                 accepted: frozenset[str] = frozenset()):
        super().__init__(timeout=CONFIRM_SECONDS)
        self.origin = origin  # the interaction whose reply shows the warning: edited on timeout
        self.work = work
        self.accepted = accepted | warned.keys
        self.user_id = origin.user.id
        self.answered = False

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await reply(interaction, "Only the moderator who made this change can confirm it.")
            return False
        return await still_curator(interaction)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.answered = True
        self.stop()
        try:
            change = await asyncio.to_thread(self.work, self.accepted)
        except NeedsConfirmation as exc:
            view = ConfirmView(interaction, self.work, exc, self.accepted)
            await interaction.response.edit_message(content=warning_text(exc), view=view)
            return
        except CurationError as exc:
            await interaction.response.edit_message(content=refusal_text(exc), view=None)
            return
        await interaction.response.edit_message(content=done_text(change), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.answered = True
        self.stop()
        await interaction.response.edit_message(content="Cancelled: nothing was changed.", view=None)

    async def on_timeout(self) -> None:
        if self.answered:
            return
        minutes = max(1, round(CONFIRM_SECONDS / 60))
        try:
            await self.origin.edit_original_response(
                content=f"No answer within {minutes} minute{'s' if minutes != 1 else ''}: nothing was changed.",
                view=None)
        except discord.HTTPException as exc:  # the message is gone (dismissed): nothing to say
            log.info("could not mark an unanswered warning as expired: %s", exc)

"""The `check` feature: /check, the "Fact-check this message" context menu, mentions, and the
buttons on a reply (all sources, helpful or not, did-you-mean choices).

The answering itself (`answer`, `answers_for_message`) is plain code shared with the terminal
console, so the console shows exactly what Discord users get.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import error_line, tell_user
from bot.cogs.follow import FollowButton
from bot.embeds import NO_PINGS, to_embed
from claims.engine import MAX_STATEMENT_CHARS, Reply, StatementError
from claims.render import FIELD_VALUE_MAX, Card, CardField, clip, escape, fit, reply_card
from claims.sentences import split_message
from claims.service import Crosscheck

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)

# Discord wants an answer within 3 s; past this, defer first and send the answer as a follow-up.
# The margin covers the acknowledgement's own trip to Discord when the process is busy.
DEFER_AFTER_SECONDS = 1.5
# Threads answering checks (the engine is CPU-bound: more threads than cores would only queue),
# and threads for short database calls (cooldowns, votes), apart so those never wait behind checks.
CHECK_WORKERS = max(2, min(8, (os.cpu_count() or 2)))
DB_WORKERS = 4
# Under a burst the event loop is what runs out: parsing each interaction and acknowledging it
# compete with sending the answers of the checks already done (in a profiled burst of 800 /check
# on one process, sending answers took 37% of the loop's time, acknowledging 17%). While more than
# ACK_BACKLOG interactions wait for their acknowledgement, a queued check waits for them (at most
# ACK_DEADLINE_SECONDS, Discord's limit: past it an acknowledgement is useless anyway).
ACK_BACKLOG = 8
ACK_DEADLINE_SECONDS = 3.0
MENU_NAME = "Fact-check this message"


@dataclass
class Answer:
    """One reply ready to show: the card, the reply behind it and its log id."""

    card: Card
    reply: Reply
    check_id: int | None


def answer(service: Crosscheck, statement: str, *, user_id: str | None = None, guild_id: str | None = None,
           channel_id: str | None = None, via: str = "discord") -> Answer:
    """Check one statement and render it (raises StatementError for empty or oversized input)."""
    checked = service.check(statement, user_id=user_id, guild_id=guild_id, channel_id=channel_id, via=via)
    return Answer(reply_card(checked.reply), checked.reply, checked.check_id)


def answers_for_message(service: Crosscheck, content: str, **where: Any) -> list[Answer]:
    """Answer each check-worthy sentence of a message (`claims.sentences`). Sentences with no
    match get one line, not a card of their own (unless nothing matched: then the first of them
    gets its card); those that were not checked are listed with why. Both lists go on the first
    card, under "Other sentences"."""
    split = split_message(content)
    if not split.sentences:
        skipped = "; ".join(f"“{clip(s.text, 60)}”: {s.reason}" for s in split.skipped[:3])
        raise StatementError("there is no statement in that message to check" + (f" ({skipped})" if skipped else ""))
    answers = [answer(service, s[:MAX_STATEMENT_CHARS], **where) for s in split.sentences]
    shown = [a for a in answers if a.reply.verdict != "no_match"] or answers[:1]
    lines = [f"“{escape(clip(a.reply.statement, 80))}” — no match in the claim base"
             + ("" if a.reply.not_queued else ", queued for the moderators") for a in answers if a not in shown]
    lines += [f"“{escape(clip(s.text, 80))}” — not checked: {s.reason}" for s in split.skipped]
    if lines:
        card = shown[0].card
        card.fields.append(CardField("Other sentences", clip("\n".join(lines), FIELD_VALUE_MAX)))
        shown[0].card = fit(card)
    return shown


# --- components (persistent across restarts: their custom ids carry the check id) ----------------


def reply_view(ans: Answer) -> discord.ui.View | None:
    """Buttons under a reply: all sources, helpful / not helpful, notify me (when a claim
    answered it: `bot.cogs.follow`), and did-you-mean choices."""
    if ans.check_id is None:
        return None
    view = discord.ui.View(timeout=None)
    if ans.reply.versions:
        view.add_item(SourcesButton(ans.check_id))
    view.add_item(FeedbackButton(ans.check_id, True))
    view.add_item(FeedbackButton(ans.check_id, False))
    if ans.reply.claim is not None:
        view.add_item(FollowButton(ans.check_id))
    if ans.reply.suggestions and ans.reply.claim is None:
        view.add_item(SuggestionSelect(ans.check_id, [(s.id, s.text) for s in ans.reply.suggestions]))
    return view


ItemT = TypeVar("ItemT", bound=discord.ui.DynamicItem[Any])
T = TypeVar("T")


def friendly_errors(
    callback: Callable[[ItemT, discord.Interaction], Awaitable[None]],
) -> Callable[[ItemT, discord.Interaction], Awaitable[None]]:
    """A component callback whose errors become one friendly line for the user, as for commands.

    discord.py only logs an error raised by a dynamic item's callback, and the user is left with
    "This interaction failed"."""

    @functools.wraps(callback)
    async def run(item: ItemT, interaction: discord.Interaction) -> None:
        try:
            await callback(item, interaction)
        except Exception as exc:
            await tell_user(interaction, error_line(exc, f"component {item.custom_id}"))

    return run


def _service(interaction: discord.Interaction) -> Crosscheck:
    return interaction.client.service  # type: ignore[attr-defined]


def _checked_row(service: Crosscheck, check_id: int, interaction: discord.Interaction) -> dict[str, Any] | None:
    """The logged check a button refers to, if it was asked where the button is pressed: a
    server never sees, nor votes on, what was asked in another."""
    row = service.logged_check(check_id)
    here = str(interaction.guild_id) if interaction.guild_id else None
    return row if row is not None and row["guild_id"] == here else None


def _judge_again(service: Crosscheck, row: dict[str, Any], claim_id: str) -> Reply | None:
    """The check's statement judged against a claim of the workspace it was asked in, if that
    claim is still there. A statement no longer kept (see /privacy) is replaced by the claim's
    own: the sources and their credibility are the same."""
    workspace = row["workspace_id"] or service.workspace_of(row["guild_id"])
    claims = service.engine_for(workspace).base.claims
    if claim_id not in claims:
        return None
    return service.check_against(row["statement"] or claims[claim_id].statement, claim_id, workspace_id=workspace)


QUESTION_GONE = ("*Your question is no longer kept here (see `/privacy`), so this is the claim as its sources "
                 "state it.*")


def _card_for(row: dict[str, Any], reply: Reply, expanded: bool = False) -> Card:
    """The card of a re-judged check; without the asker's words when they are no longer kept."""
    card = reply_card(reply, expanded=expanded)
    if row["statement"] is None:
        card.description = card.description.rsplit("\n\n**You asked:**", 1)[0] + "\n\n" + QUESTION_GONE
    return card


class SourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cc:src:(?P<check>\d+)"):
    """Shows every version and source, with each outlet's credibility reasons (only to the presser)."""

    def __init__(self, check_id: int):
        super().__init__(discord.ui.Button(label="All sources", style=discord.ButtonStyle.secondary,
                                           emoji="📚", custom_id=f"cc:src:{check_id}"))
        self.check_id = check_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["check"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        row = await asyncio.to_thread(_checked_row, service, self.check_id, interaction)
        reply = None
        if row is not None and row["claim_id"]:
            reply = await asyncio.to_thread(_judge_again, service, row, row["claim_id"])
        if reply is None:
            await interaction.response.send_message("That answer's sources are no longer available.",
                                                    ephemeral=True)
            return
        await interaction.response.send_message(embed=to_embed(_card_for(row, reply, expanded=True)), ephemeral=True,
                                                allowed_mentions=NO_PINGS)


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=r"cc:fb:(?P<check>\d+):(?P<vote>[01])"):
    """Records whether the answer helped (for moderators and digests)."""

    def __init__(self, check_id: int, helpful: bool):
        super().__init__(discord.ui.Button(
            label="Helpful" if helpful else "Not helpful", emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
            custom_id=f"cc:fb:{check_id}:{int(helpful)}"))
        self.check_id = check_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["check"]), match["vote"] == "1")

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        row = await asyncio.to_thread(_checked_row, service, self.check_id, interaction)
        if row is None:
            await interaction.response.send_message("That answer is no longer available.", ephemeral=True)
            return
        await asyncio.to_thread(service.store.checks.record_feedback, self.check_id, str(interaction.user.id),
                                self.helpful)
        await interaction.response.send_message("Thanks, your feedback was recorded for the moderators.",
                                                ephemeral=True)


class SuggestionSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"cc:dym:(?P<check>\d+)"):
    """'Did you mean': picking a claim judges the statement against it."""

    def __init__(self, check_id: int, options: list[tuple[str, str]] | None = None):
        choices = [discord.SelectOption(label=text[:100], value=claim_id, description=claim_id[:100])
                   for claim_id, text in (options or [])] or [discord.SelectOption(label="…", value="-")]
        super().__init__(discord.ui.Select(placeholder="Did you mean…", options=choices,
                                           custom_id=f"cc:dym:{check_id}"))
        self.check_id = check_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]):
        return cls(int(match["check"]))

    @friendly_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        row = await asyncio.to_thread(_checked_row, service, self.check_id, interaction)
        values = (interaction.data or {}).get("values") or []
        claim_id = values[0] if values else None
        reply = await asyncio.to_thread(_judge_again, service, row, claim_id) if row and claim_id else None
        if row is None or reply is None:
            await interaction.response.send_message("That choice is no longer available.", ephemeral=True)
            return
        await interaction.response.send_message(embed=to_embed(_card_for(row, reply)), ephemeral=True,
                                                allowed_mentions=NO_PINGS)


# --- the cog ------------------------------------------------------------------------------------


def slow_down(service: Crosscheck, settings, guild_id: int | None, user_id: int) -> float | None:
    """Count a check by this member of this server; the seconds to wait if over the limit.

    Kept in the database, so the limit holds however many bot processes answer the server."""
    return service.store.cooldowns.hit(str(guild_id or ""), str(user_id), settings.check_rate,
                                       settings.check_per_seconds)


async def within_rate(interaction: discord.Interaction) -> bool:
    """An app-command check: a member checking faster than the limit is told to wait."""
    bot = interaction.client
    cog: Check = bot.get_cog("Check")  # type: ignore[attr-defined, assignment]
    cog.arrived(interaction)  # the first moment the cog sees it: it waits for its acknowledgement from here
    try:
        retry = await cog.in_db(slow_down, bot.service, bot.settings, interaction.guild_id, interaction.user.id)
    except Exception as exc:
        # discord.py hands only AppCommandErrors raised by a check to the tree's on_error: anything
        # else (a dropped database connection) ended the interaction unanswered, and Discord showed
        # "The application did not respond". A CheckFailure carries the user's line instead.
        cog.acknowledged(interaction)  # on_error answers it at once
        raise app_commands.CheckFailure(error_line(exc, "/check")) from exc
    if retry is None:
        return True
    cog.acknowledged(interaction)
    settings = bot.settings  # type: ignore[attr-defined]
    raise app_commands.CommandOnCooldown(app_commands.Cooldown(settings.check_rate, settings.check_per_seconds),
                                         retry)


def _where(interaction: discord.Interaction) -> dict[str, str | None]:
    return {"user_id": str(interaction.user.id),
            "guild_id": str(interaction.guild_id) if interaction.guild_id else None,
            "channel_id": str(interaction.channel_id) if interaction.channel_id else None}


class Check(commands.Cog):
    """Fact-checking for everyone: /check, the message context menu, and mentions."""

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.fact_check_message)
        app_commands.check(within_rate)(self.menu)
        self._checks = ThreadPoolExecutor(CHECK_WORKERS, thread_name_prefix="crosscheck-check")
        self._db = ThreadPoolExecutor(DB_WORKERS, thread_name_prefix="crosscheck-db")
        self.in_flight = 0  # checks accepted and not finished: more than the workers means a queue
        # Interactions seen and not yet acknowledged (id -> when they arrived), and an event set
        # whenever no more than ACK_BACKLOG of them are left: the checks queued behind them go on.
        self._unacknowledged: dict[int, float] = {}
        self._few_unacknowledged = asyncio.Event()
        self._few_unacknowledged.set()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        self.bot.add_dynamic_items(SourcesButton, FeedbackButton, SuggestionSelect)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self._checks.shutdown(wait=False, cancel_futures=True)
        self._db.shutdown(wait=False, cancel_futures=True)

    async def in_db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a short database call off the event loop, never queued behind checks."""
        return await asyncio.get_running_loop().run_in_executor(self._db, functools.partial(fn, *args))

    async def in_checks(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a check off the event loop (counted, so a queue is seen before it is felt)."""
        self.in_flight += 1
        try:
            return await self._run_check(functools.partial(fn, *args))
        finally:
            self.in_flight -= 1

    async def _run_check(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._checks, work)

    # --- acknowledgements first ---------------------------------------------------------------

    def arrived(self, interaction: discord.Interaction) -> None:
        """An interaction that must be acknowledged within Discord's 3 s has come in."""
        self._unacknowledged[interaction.id] = time.monotonic()
        if len(self._unacknowledged) > ACK_BACKLOG:
            self._few_unacknowledged.clear()

    def acknowledged(self, interaction: discord.Interaction) -> None:
        """It was acknowledged (deferred or answered), or is being answered with an error."""
        self._unacknowledged.pop(interaction.id, None)
        if len(self._unacknowledged) <= ACK_BACKLOG:
            self._few_unacknowledged.set()

    def unacknowledged(self) -> int:
        """How many interactions wait for their acknowledgement (forgetting those past the deadline:
        too late anyway, or an error path that never said it answered)."""
        stale = time.monotonic() - ACK_DEADLINE_SECONDS
        for interaction_id in [i for i, arrived in self._unacknowledged.items() if arrived < stale]:
            del self._unacknowledged[interaction_id]
        if len(self._unacknowledged) <= ACK_BACKLOG:
            self._few_unacknowledged.set()
        return len(self._unacknowledged)

    async def _behind_acknowledgements(self) -> None:
        """Wait while many interactions still wait for their acknowledgement (at most ACK_DEADLINE_SECONDS)."""
        deadline = time.monotonic() + ACK_DEADLINE_SECONDS
        while self.unacknowledged() > ACK_BACKLOG and (left := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._few_unacknowledged.wait(), left)

    async def _send(self, interaction: discord.Interaction, answers: list[Answer], private: bool) -> None:
        first, rest = answers[0], answers[1:]
        view = reply_view(first)
        kwargs: dict[str, Any] = {"embed": to_embed(first.card), "ephemeral": private, "allowed_mentions": NO_PINGS}
        if view:
            kwargs["view"] = view
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)
        for ans in rest:
            extra: dict[str, Any] = {"embed": to_embed(ans.card), "ephemeral": private,
                                     "allowed_mentions": NO_PINGS}
            view = reply_view(ans)
            if view:
                extra["view"] = view
            await interaction.followup.send(**extra)

    async def _answer_in_time(self, interaction: discord.Interaction, work, private: bool) -> list[Answer]:
        """Run the check off the event loop; acknowledge first whenever the answer might be late.

        With every worker busy the check would wait in a queue: it is deferred at once, and it
        starts only once few other interactions still wait for their acknowledgement, so under a
        burst the checks (and the sending of their answers) queue behind the acknowledgements,
        not in front of them. Otherwise the answer itself is the acknowledgement, unless it takes
        longer than DEFER_AFTER_SECONDS."""
        queued = self.in_flight >= CHECK_WORKERS
        self.in_flight += 1  # from here: a check waiting behind the acknowledgements is queued too
        try:
            if queued:
                await interaction.response.defer(ephemeral=private, thinking=True)
                self.acknowledged(interaction)
                await self._behind_acknowledgements()
                return await self._run_check(work)
            task = asyncio.ensure_future(self._run_check(work))
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
            if not done:
                await interaction.response.defer(ephemeral=private, thinking=True)
                self.acknowledged(interaction)
            return await task
        finally:
            self.in_flight -= 1

    @app_commands.command(name="check", description="Fact-check a statement against the sourced claim base")
    @app_commands.describe(statement="The statement to check", private="Only you see the answer")
    @app_commands.check(within_rate)
    async def check(self, interaction: discord.Interaction,
                    statement: app_commands.Range[str, 1, MAX_STATEMENT_CHARS], private: bool = False) -> None:
        """/check statement: [private:]"""
        where = _where(interaction)
        # How it was asked: a private answer is never followed up in the channel (`bot.cogs.follow`).
        via = "private" if private else "discord"
        try:
            answers = await self._answer_in_time(
                interaction, lambda: [answer(self.bot.service, statement, via=via, **where)], private)
            await self._send(interaction, answers, private)
        finally:
            self.acknowledged(interaction)  # answered, or about to be with the error (on_error)

    async def fact_check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Right-click → Apps → Fact-check this message: answers each claim in it, privately.

        The check is the invoker's: it is logged with their id, never the message author's
        (who did not ask, and is not told)."""
        where = _where(interaction)
        try:
            answers = await self._answer_in_time(
                interaction, lambda: answers_for_message(self.bot.service, message.content, via="menu", **where),
                True)
            await self._send(interaction, answers, True)
        finally:
            self.acknowledged(interaction)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """@Crosscheck <statement>: answered in the channel, as a reply that pings nobody."""
        me = self.bot.user
        if message.author.bot or me is None or me not in message.mentions:
            return
        statement = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        if not statement:
            await message.reply("Mention me with a statement to check, or use /check.",
                                allowed_mentions=NO_PINGS, mention_author=False)
            return
        guild_id = message.guild.id if message.guild else None
        try:
            retry_after = await self.in_db(slow_down, self.bot.service, self.bot.settings, guild_id,
                                           message.author.id)
        except Exception as exc:  # a busy database says so, as for /check
            await message.reply(error_line(exc, f"mention {message.id}"), allowed_mentions=NO_PINGS,
                                mention_author=False)
            return
        if retry_after is not None:
            await message.reply(f"Slow down a little: try again in {retry_after:.0f}s.",
                                allowed_mentions=NO_PINGS, mention_author=False)
            return
        where = {"user_id": str(message.author.id), "guild_id": str(message.guild.id) if message.guild else None,
                 "channel_id": str(message.channel.id), "via": "mention"}
        try:
            ans = await self.in_checks(functools.partial(answer, self.bot.service, statement[:MAX_STATEMENT_CHARS],
                                                         **where))
        except Exception as exc:  # the same lines as for /check (a busy database says so)
            await message.reply(error_line(exc, f"mention {message.id}"), allowed_mentions=NO_PINGS,
                                mention_author=False)
            return
        kwargs: dict[str, Any] = {"embed": to_embed(ans.card), "allowed_mentions": NO_PINGS, "mention_author": False}
        view = reply_view(ans)
        if view:
            kwargs["view"] = view
        await message.reply(**kwargs)


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(Check(bot))

"""The `onboarding` feature: what introduces the bot.

    /help     what it checks, how to read a card, what moderators can do, the privacy notice
    /about    the topics and sources this server's claim base covers (in pages)

and a short welcome in a server's system channel when the bot joins it, if it may post there
(it checks its permissions first, and never pings anyone).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.privacy import help_line
from bot.embeds import NO_PINGS
from bot.paging import send_pages
from claims.coverage import coverage
from claims.credibility import BANDS, WEAK_BELOW, band
from claims.render import COLOURS, escape

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

log = logging.getLogger(__name__)

COLOUR = 0x5865F2

WELCOME = (
    "👋 Hi, I'm **Crosscheck**. Ask me whether something is true and I'll answer from a curated base of "
    "news claims: the verdict, the outlets that report it with their credibility, and the versions they "
    "disagree on.\n"
    "• `/check statement:` — or right-click a message → **Apps** → **Fact-check this message**, or mention me\n"
    "• `/help` explains how to read an answer; `/about` lists what I cover here\n"
    "• Moderators: `/review list` shows the questions I could not answer; `/digest setup` posts a weekly summary"
)


def _bands() -> str:
    floors = [floor for floor, _ in BANDS]
    tops = [100, *(f - 1 for f in floors[:-1])]
    return ", ".join(f"{name} {floor}–{top}" for (floor, name), top in zip(BANDS, tops, strict=True))


def help_embed(help_privacy: str) -> discord.Embed:
    """Everything a member needs to use the bot and read its answers, and what moderators can do."""
    embed = discord.Embed(title="Crosscheck: how it works", colour=COLOUR, description=(
        "I check statements about the news against a **curated claim base**: claims drawn from news articles, "
        "each with the versions the sources give and the exact quotes. I don't search the web; what the base "
        "doesn't cover, I say so and pass on to the moderators."))
    embed.add_field(name="Ask", inline=False, value=(
        "`/check statement:` (add `private: True` to see the answer alone) · right-click a message → **Apps** → "
        "**Fact-check this message** (each sentence, privately) · mention me with a statement."))
    embed.add_field(name="Read an answer", inline=False, value=(
        "The first line answers what you asked: ✅ supported · ⚖️ disputed (the sources disagree, and on what) · "
        "❌ contradicted (what they say instead) · ❔ unverified (they don't settle it, e.g. a plan no source says "
        "happened) · 🔎 no match. A question gets **Yes**/**No**, "
        "or the answer itself; a question about *now* says how old the newest source is (\"as of August 2025\").\n"
        f"Each source shows its outlet's **credibility** (0–100, from nine published criteria: {_bands()}), "
        f"its date and the exact quote. **Weakly sourced** means every outlet behind it scores below {WEAK_BELOW}."))
    embed.add_field(name="Buttons", inline=False, value=(
        "📚 **All sources**: every version, source and credibility reason · 👍/👎 tell the moderators · "
        "🔔 **Notify me**: a direct message when that claim's verdict changes · **Did you mean**: pick a claim."))
    embed.add_field(name="Moderators", inline=False, value=(
        "`/review` the questions I could not answer (link one to a claim and everyone who asked gets the "
        "answer) · `/claim`, `/entity`, `/topic`, `/source` curate this server's claim base · `/digest` a "
        "scheduled summary · `/privacy retention` how long questions are kept · `/modrole` who moderates."))
    embed.add_field(name="Privacy", inline=False, value=help_privacy[:1024])
    embed.set_footer(text="/about lists the topics and sources this server's claim base covers")
    return embed


def about_lines(service, guild_id: int | None) -> tuple[str, list[str]]:
    """The title and lines of /about: topics, then sources, of the base this server answers from."""
    workspace = service.workspace_of(str(guild_id) if guild_id else None)
    found = coverage(service.engine_for(workspace).base)
    lines = [f"**{found.claims} claims** from **{found.articles} articles**, in {len(found.topics)} topics:"]
    lines += [f"• `{t.name}` — {t.claims} claim{'s' if t.claims != 1 else ''}" for t in found.topics]
    lines.append(f"**{len(found.sources)} sources** (credibility 0–100):")
    lines += [f"• **{escape(s.name)}** — {s.credibility}/100 ({band(s.credibility)})"
              + (" ⚠️ flagged unreliable" if s.unreliable else "")
              + f", quoted in {s.claims} claim{'s' if s.claims != 1 else ''}" for s in found.sources]
    return "What Crosscheck covers here", lines


def may_post(channel: discord.TextChannel, me: discord.Member) -> bool:
    """Whether the bot may post the welcome (an embed) in this channel."""
    permissions = channel.permissions_for(me)
    return permissions.view_channel and permissions.send_messages and permissions.embed_links


class Onboarding(commands.Cog):
    """/help, /about and the welcome on joining a server."""

    def __init__(self, bot: CrosscheckBot):
        self.bot = bot

    @app_commands.command(name="help", description="What Crosscheck checks, how to read an answer, what moderators do")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=help_embed(help_line(self.bot.settings)), ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="about", description="The topics and sources this server's claim base covers")
    async def about(self, interaction: discord.Interaction) -> None:
        title, lines = await asyncio.to_thread(about_lines, self.bot.service, interaction.guild_id)
        await send_pages(interaction, title, lines, colour=COLOURS["supported"])

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """A short welcome in the server's system channel, when there is one the bot may post in."""
        channel = guild.system_channel
        if channel is None or guild.me is None or not may_post(channel, guild.me):
            log.info("joined guild %s: no system channel to welcome in, or no permission there", guild.id)
            return
        embed = discord.Embed(description=WELCOME, colour=COLOUR)
        try:
            await channel.send(embed=embed, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.info("joined guild %s: the welcome was refused (%s)", guild.id, exc.status)


async def setup(bot: CrosscheckBot) -> None:
    await bot.add_cog(Onboarding(bot))

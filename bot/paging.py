"""Long lists in pages: ◀ and ▶ buttons under an embed, so a moderator reaches row 200 too.

Lists used to stop at what one embed holds (15 to 20 rows) and say "N not shown". A `Pager`
splits the lines into pages of at most `PAGE_ROWS` rows (and what fits an embed), and its
buttons flip through them by editing the message. The pages live in the view, in memory: they
are the list as it was when asked for, and the buttons stop after `PAGE_TIMEOUT` (ask again).
Only the person who asked can turn the pages (the lists are ephemeral anyway).
"""

from __future__ import annotations

from typing import Any

import discord

from bot.embeds import NO_PINGS

PAGE_ROWS = 15
PAGE_CHARS = 3900  # of an embed description's 4096, leaving room for nothing to be cut
PAGE_TIMEOUT = 15 * 60


def paginate(lines: list[str], rows: int = PAGE_ROWS, chars: int = PAGE_CHARS) -> list[list[str]]:
    """The lines in pages of at most `rows` lines and `chars` characters (a longer line is clipped)."""
    pages: list[list[str]] = []
    page: list[str] = []
    size = 0
    for line in lines:
        line = line if len(line) <= chars else line[: chars - 1] + "…"
        if page and (len(page) >= rows or size + len(line) + 1 > chars):
            pages.append(page)
            page, size = [], 0
        page.append(line)
        size += len(line) + 1
    if page:
        pages.append(page)
    return pages or [[]]


class Pager(discord.ui.View):
    """An embed of one page of lines, and the buttons to turn pages."""

    def __init__(self, owner_id: int, title: str, lines: list[str], *, footer: str = "", colour: int = 0x3498DB,
                 empty: str = "—", last_first: bool = False):
        super().__init__(timeout=PAGE_TIMEOUT)
        self.owner_id = owner_id
        self.title = title[:256]
        self.footer = footer
        self.colour = colour
        self.empty = empty
        self.total = len(lines)
        self.pages = paginate(lines)
        self.page = len(self.pages) - 1 if last_first else 0
        self._sync_buttons()

    def embed(self) -> discord.Embed:
        embed = discord.Embed(title=self.title, description="\n".join(self.pages[self.page]) or self.empty,
                              colour=self.colour)
        where = f"page {self.page + 1} of {len(self.pages)} · " if len(self.pages) > 1 else ""
        embed.set_footer(text=(f"{where}{self.total} in all" + (f" · {self.footer}" if self.footer else ""))[:2048])
        return embed

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message("These pages are someone else's: ask for the list yourself.",
                                                ephemeral=True, allowed_mentions=NO_PINGS)
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._turn(interaction, 1)


async def send_pages(interaction: discord.Interaction, title: str, lines: list[str], **options: Any) -> Pager:
    """Answer with the first page of `lines` (ephemeral); buttons only when there is more than one page."""
    pager = Pager(interaction.user.id, title, lines, **options)
    kwargs: dict[str, Any] = {"embed": pager.embed(), "ephemeral": True, "allowed_mentions": NO_PINGS}
    if len(pager.pages) > 1:
        kwargs["view"] = pager
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
    return pager

"""How a reply looks: one `Card` that Discord shows as an embed and the terminal as text.

Cards are built within Discord's embed limits here, not in the bot, so what the console and
the CLI show is exactly what a Discord user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.engine import Reply
from claims.verdict import SourceView, VersionView

# Discord's embed limits.
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
TOTAL_MAX = 6000

COLOURS = {
    "supported": 0x2ECC71,
    "disputed": 0xE67E22,
    "contradicted": 0xE74C3C,
    "unverified": 0x95A5A6,
    "no_match": 0x607D8B,
}
LABELS = {
    "supported": "✅ Supported",
    "disputed": "⚖️ Disputed",
    "contradicted": "❌ Contradicted",
    "unverified": "❔ Unverified",
    "no_match": "🔎 No match",
}
# Versions shown in the compact reply; the "All sources" button shows every one.
COMPACT_VERSIONS = 4
COMPACT_SOURCES = 3


@dataclass
class CardField:
    name: str
    value: str
    inline: bool = False


@dataclass
class Card:
    """A rendered reply: title, coloured by verdict, a description, fields and a footer."""

    title: str
    description: str
    colour: int
    fields: list[CardField] = field(default_factory=list)
    footer: str = ""
    verdict: str = ""

    def size(self) -> int:
        return len(self.title) + len(self.description) + len(self.footer) + sum(
            len(f.name) + len(f.value) for f in self.fields)


_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#-])")


def escape(text: str) -> str:
    """Escape Discord markdown and neutralise mentions in text we echo back."""
    text = _MARKDOWN.sub(r"\\\1", text)
    # A zero-width space after @ keeps "@everyone" readable but inert, even if a client pings.
    return text.replace("@", "@\u200b")


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _source_line(source: SourceView, expanded: bool) -> str:
    who = f" — said by {escape(source.said_by)}" if source.said_by else ""
    when = f"{source.published}{' (est.)' if source.published_estimate else ''}"
    flag = " ⚠️ flagged unreliable" if source.unreliable else ""
    line = (f"**{escape(source.outlet_name)}** · credibility {source.credibility}/100{flag} · {when}{who}\n"
            f"> “{escape(source.quote)}”")
    if expanded and source.reasons:
        line += "\n" + "\n".join(f"-# {escape(r)}" for r in source.reasons)
    return line


def _version_field(view: VersionView, expanded: bool) -> CardField:
    mark = "✓ Agrees" if view.agrees else "✗ Other version"
    name = clip(f"{mark} · weight {view.weight:.2f} · {escape(view.text)}", FIELD_NAME_MAX)
    sources = view.sources if expanded else view.sources[:COMPACT_SOURCES]
    lines = [_source_line(s, expanded) for s in sources]
    hidden = len(view.sources) - len(sources)
    if hidden:
        lines.append(f"…and {hidden} more source{'s' if hidden > 1 else ''} (press **All sources**)")
    value = ""
    for line in lines:
        candidate = f"{value}\n{line}" if value else line
        if len(candidate) > FIELD_VALUE_MAX:
            value = clip(candidate, FIELD_VALUE_MAX)
            break
        value = candidate
    return CardField(name, value or "—")


def reply_card(reply: Reply, expanded: bool = False) -> Card:
    """The card for a reply; `expanded` shows every source with the outlets' credibility reasons."""
    label = LABELS[reply.verdict]
    if reply.claim:
        title = f"{label} — {reply.claim.text}"
    else:
        title = label
    description = f"{escape(reply.explanation)}\n\n**You asked:** {escape(reply.statement)}"
    fields: list[CardField] = []
    if reply.parts:
        # A statement of several claims: one line per claim, with its own verdict.
        lines = [f"{LABELS[p.verdict]} — {clip(escape(p.text), 150)}" for p in reply.parts]
        fields.append(CardField("Each claim", "\n".join(lines)))
    versions = reply.versions if expanded else reply.versions[:COMPACT_VERSIONS]
    for view in versions:
        if expanded:
            # One field per source, so every quote and every outlet's reasons fit.
            for i, source in enumerate(view.sources):
                head = _version_field(view, False).name if i == 0 else f"↳ {clip(escape(view.text), 200)}"
                fields.append(CardField(head, clip(_source_line(source, True), FIELD_VALUE_MAX)))
        else:
            fields.append(_version_field(view, expanded))
    if len(reply.versions) > len(versions):
        fields.append(CardField("More", f"{len(reply.versions) - len(versions)} more versions (press **All sources**)"))
    if reply.suggestions:
        fields.append(CardField(
            "Related claims" if reply.claim else "Did you mean",
            "\n".join(f"• {escape(s.text)} (`{s.id}`, match {s.score:.0f})" for s in reply.suggestions),
        ))
    if reply.claim:
        footer = f"claim {reply.claim.id} · match {reply.claim.score:.0f}/100 · as of {reply.today}"
    else:
        footer = f"no verdict · queued for the moderators · as of {reply.today}"
    return fit(Card(title, description, COLOURS[reply.verdict], fields, footer, reply.verdict))


def fit(card: Card) -> Card:
    """Bring a card within every Discord embed limit, dropping the least important parts first."""
    card.title = clip(card.title, TITLE_MAX)
    card.description = clip(card.description, DESCRIPTION_MAX)
    card.footer = clip(card.footer, FOOTER_MAX)
    card.fields = [CardField(clip(f.name, FIELD_NAME_MAX) or "—", clip(f.value, FIELD_VALUE_MAX) or "—", f.inline)
                   for f in card.fields[:FIELDS_MAX]]
    while card.size() > TOTAL_MAX and len(card.fields) > 1:
        card.fields.pop()
    if card.size() > TOTAL_MAX:
        spare = TOTAL_MAX - (card.size() - len(card.description))
        card.description = clip(card.description, max(100, spare))
    if card.size() > TOTAL_MAX and card.fields:
        card.fields = []
    return card


def card_text(card: Card) -> str:
    """The card as plain terminal text (markdown escapes removed, quotes kept verbatim)."""
    def plain(text: str) -> str:
        # Drop our own bold markers first: the user's escaped asterisks must survive.
        text = re.sub(r"(?<!\\)\*\*", "", text)
        return re.sub(r"\\(.)", r"\1", text).replace("@\u200b", "@")

    lines = [plain(card.title), plain(card.description), ""]
    for f in card.fields:
        lines.append(plain(f.name))
        lines.extend("    " + plain(line).removeprefix("-# ") for line in f.value.splitlines())
    if card.footer:
        lines.append(f"[{plain(card.footer)}]")
    return "\n".join(lines).rstrip() + "\n"

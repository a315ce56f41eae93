"""How a reply looks: one `Card` that Discord shows as an embed and the terminal as text.

Cards are built within Discord's embed limits here, not in the bot, so what the console and
the CLI show is exactly what a Discord user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.credibility import band, in_words
from claims.engine import Reply
from claims.headline import month_words, outlets
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
# A yes-or-no question is answered yes or no; an open one ("how many...?") with the answer.
YES_NO_LABELS = {
    "supported": "✅ Yes",
    "disputed": "⚖️ The sources disagree",
    "contradicted": "❌ No",
    "unverified": "❔ Not confirmed",
    "no_match": "🔎 No match",
}
ANSWER_LABEL = "💬 Answer"
WEAK_LABELS = {
    ("statement", "supported"): "⚠️ Supported, weakly sourced",
    ("statement", "contradicted"): "❌ Contradicted, weakly sourced",
    ("yes_no", "supported"): "⚠️ Yes, but weakly sourced",
    ("yes_no", "contradicted"): "❌ No, but weakly sourced",
    ("open", "supported"): "⚠️ Answer, weakly sourced",
}
# The compact card (what everyone sees at once) stays within this many characters; everything
# else is behind the "All sources" button (the expanded card).
COMPACT_MAX = 700
# Outlet names and speakers are clipped to this in the compact card ("All sources" shows them whole).
COMPACT_NAME = 40


@dataclass(frozen=True)
class Room:
    """How much of each part a compact card shows; the card tries each `ROOMS` in turn until
    it fits within COMPACT_MAX."""

    sources: int
    quote: int
    others: int
    other_chars: int
    asked: int
    why: int
    part_chars: int
    suggestions: int
    version: int  # the text of the version the card rests on


ROOMS = (
    Room(sources=2, quote=110, others=3, other_chars=100, asked=150, why=200, part_chars=110, suggestions=3,
         version=150),
    Room(sources=1, quote=110, others=2, other_chars=90, asked=150, why=170, part_chars=90, suggestions=3,
         version=120),
    Room(sources=1, quote=80, others=1, other_chars=80, asked=150, why=130, part_chars=70, suggestions=2,
         version=100),
    Room(sources=1, quote=60, others=0, other_chars=0, asked=110, why=100, part_chars=55, suggestions=1,
         version=80),
    Room(sources=1, quote=45, others=0, other_chars=0, asked=70, why=80, part_chars=45, suggestions=1,
         version=60),
)
EXPANDED = Room(sources=10_000, quote=FIELD_VALUE_MAX, others=10_000, other_chars=FIELD_NAME_MAX, asked=1000,
                why=DESCRIPTION_MAX, part_chars=150, suggestions=10, version=FIELD_NAME_MAX)


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


def label(reply: Reply) -> str:
    """The verdict as the first line says it: a question gets "Yes" or "No", an open question
    its answer, and a verdict resting on low-credibility outlets only says it is weakly sourced."""
    if reply.weakly_sourced and (reply.asked, reply.verdict) in WEAK_LABELS:
        return WEAK_LABELS[(reply.asked, reply.verdict)]
    if reply.asked == "open" and reply.verdict in ("supported", "disputed"):
        return ANSWER_LABEL
    if reply.asked == "yes_no":
        return YES_NO_LABELS[reply.verdict]
    return LABELS[reply.verdict]


def title_of(reply: Reply) -> str:
    """The card's first line: the verdict about what was asked, and the answer in a few words."""
    return f"{label(reply)} — {reply.headline}" if reply.headline else label(reply)


def _published(source: SourceView) -> str:
    return f"{month_words(source.published)}{' (est.)' if source.published_estimate else ''}"


def _source_line(source: SourceView, quote: int, reasons: bool = False, name: int = FIELD_NAME_MAX) -> str:
    who = f" — said by {escape(clip(source.said_by, name))}" if source.said_by else ""
    flag = " ⚠️ flagged unreliable" if source.unreliable else ""
    outlet = escape(clip(source.outlet_name, name))
    line = (f"**{outlet}** · {in_words(source.credibility)}{flag} · {_published(source)}{who}\n"
            f"> “{escape(clip(source.quote, quote))}”")
    if reasons and source.reasons:
        line += "\n" + "\n".join(f"-# {escape(r)}" for r in source.reasons)
    return line


def _backing(view: VersionView) -> str:
    """'3 outlets, best 49/100 (mixed)'."""
    best = max((s.credibility for s in view.sources), default=0)
    return f"{outlets(len(view.outlets))}, best {best}/100 ({band(best)})"


def _version_name(view: VersionView, chars: int = FIELD_NAME_MAX) -> str:
    mark = "✓ Agrees" if view.agrees else "✗ The sources"
    return clip(f"{mark}: {escape(view.text)}", chars)


def _sources_value(view: VersionView, room: Room) -> str:
    shown = view.sources[:room.sources]
    lines = [_source_line(s, room.quote, name=COMPACT_NAME) for s in shown]
    hidden = len(view.sources) - len(shown)
    if hidden:
        lines.append(f"…and {hidden} more source{'s' if hidden > 1 else ''} (**All sources**)")
    value = ""
    for line in lines:
        candidate = f"{value}\n{line}" if value else line
        if len(candidate) > FIELD_VALUE_MAX:
            return clip(candidate, FIELD_VALUE_MAX)
        value = candidate
    return value or "—"


def _compact(reply: Reply, room: Room) -> Card:
    description = f"{escape(clip(reply.why or reply.explanation, room.why))}\n\n**You asked:** " \
                  f"{escape(clip(reply.statement, room.asked))}"
    fields: list[CardField] = []
    if reply.parts:
        # A statement of several claims: one line per claim, with its own verdict.
        lines = [f"{LABELS[p.verdict]} — {clip(escape(p.text), room.part_chars)}" for p in reply.parts]
        fields.append(CardField("Each claim", "\n".join(lines)))
    lead, others = _lead(reply)
    if lead is not None:
        fields.append(CardField(_version_name(lead, room.version), _sources_value(lead, room)))
    if others:
        shown = others[:room.others]
        lines = [f"{'✓' if v.agrees else '✗'} {escape(clip(v.text, room.other_chars))} — {_backing(v)}"
                 for v in shown]
        hidden = len(others) - len(shown)
        if hidden:
            lines.append(f"{'…and ' if shown else ''}{hidden} {'more' if shown else 'other'} version"
                         f"{'s' if hidden > 1 else ''} (**All sources**)")
        fields.append(CardField("Other versions", "\n".join(lines)))
    if reply.suggestions and reply.claim is None:
        fields.append(CardField("Did you mean", "\n".join(
            f"• {escape(clip(s.text, 100))} (`{s.id}`)" for s in reply.suggestions[:room.suggestions])))
    return Card(title_of(reply), description, COLOURS[reply.verdict], fields, _footer(reply), reply.verdict)


def _lead(reply: Reply) -> tuple[VersionView | None, list[VersionView]]:
    """The version the first line is about (the agreeing one, or for a contradiction the one the
    sources give instead), and the other versions, judged first."""
    if not reply.versions:
        return None, []
    return reply.versions[0], reply.versions[1:]


def _footer(reply: Reply) -> str:
    if reply.claim:
        return f"claim {reply.claim.id} · match {reply.claim.score:.0f}/100 · checked {reply.today}"
    if reply.not_queued:
        return f"no verdict · not queued ({reply.not_queued}) · checked {reply.today}"
    return f"no verdict · queued for the moderators · checked {reply.today}"


def _expanded(reply: Reply) -> Card:
    why = reply.why or reply.explanation
    extra = f"\n\n{escape(reply.explanation)}" if reply.explanation != why else ""
    description = f"{escape(why)}{extra}\n\n**You asked:** {escape(reply.statement)}"
    fields: list[CardField] = []
    if reply.parts:
        lines = [f"{LABELS[p.verdict]} — {clip(escape(p.text), 150)}" for p in reply.parts]
        fields.append(CardField("Each claim", "\n".join(lines)))
    for view in reply.versions:
        # One field per source, so every quote and every outlet's reasons fit.
        for i, source in enumerate(view.sources or [None]):
            head = f"{_version_name(view)} · {_backing(view)}" if i == 0 else f"↳ {clip(escape(view.text), 200)}"
            value = _source_line(source, FIELD_VALUE_MAX, reasons=True) if source else "—"
            fields.append(CardField(clip(head, FIELD_NAME_MAX), clip(value, FIELD_VALUE_MAX)))
    if reply.suggestions:
        fields.append(CardField(
            "Related claims" if reply.claim else "Did you mean",
            "\n".join(f"• {escape(s.text)} (`{s.id}`, match {s.score:.0f})" for s in reply.suggestions),
        ))
    return Card(title_of(reply), description, COLOURS[reply.verdict], fields, _footer(reply), reply.verdict)


def reply_card(reply: Reply, expanded: bool = False) -> Card:
    """The card for a reply. Compact (the default): the answer about what was asked, one line of
    why, the sources of the version it rests on and the other versions in a line each, within
    COMPACT_MAX characters; `expanded` ("All sources"): every version and source, with the
    outlets' credibility reasons."""
    if expanded:
        return fit(_expanded(reply))
    card = _compact(reply, ROOMS[0])
    for room in ROOMS[1:]:
        if card.size() <= COMPACT_MAX:
            break
        card = _compact(reply, room)
    return fit(card)


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

"""claims/render.py: a reply as a Discord embed (within every limit) and as terminal text."""

from __future__ import annotations

import pytest

from claims.credibility import band
from claims.engine import ClaimRef, Engine, Reply, Suggestion
from claims.render import (
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    Card,
    card_text,
    escape,
    reply_card,
)
from claims.verdict import SourceView, VersionView

NASTY = "**bold** __under__ ~~gone~~ `code` ||spoiler|| > quote # head [link](http://x.y) @everyone @here "


def assert_within_discord_limits(card: Card) -> None:
    assert 0 < len(card.title) <= TITLE_MAX
    assert 0 < len(card.description) <= DESCRIPTION_MAX
    assert len(card.fields) <= FIELDS_MAX
    for f in card.fields:
        assert 0 < len(f.name) <= FIELD_NAME_MAX
        assert 0 < len(f.value) <= FIELD_VALUE_MAX
    assert len(card.footer) <= FOOTER_MAX
    assert card.size() <= TOTAL_MAX
    assert card.size() == (len(card.title) + len(card.description) + len(card.footer)
                           + sum(len(f.name) + len(f.value) for f in card.fields))


def all_text(card: Card) -> str:
    return "\n".join([card.title, card.description, card.footer, *(f"{f.name}\n{f.value}" for f in card.fields)])


def huge_reply(versions: int = 40, sources: int = 3) -> Reply:
    """A reply far past every limit: long versions, each with several 1,000-character quotes."""
    views = []
    for v in range(versions):
        srcs = [
            SourceView(article=f"a{v}-{s}", outlet=f"o{s}", outlet_name=f"Outlet {s} {NASTY}", credibility=50 + s,
                       reasons=["✓ names its authors " * 10, "✗ labels advertising " * 10],
                       quote=(f"{v}-{s} " + NASTY * 20)[:1000], said_by="@everyone", url=None,
                       published="2025-08", published_estimate=True, unreliable=s == 2)
            for s in range(sources)
        ]
        views.append(VersionView(id=f"v{v}", text=f"Version {v}: " + NASTY * 5, agrees=v % 2 == 0,
                                 weight=0.5, outlets=[s.outlet_name for s in srcs], sources=srcs))
    claim = ClaimRef("huge", "A claim " + "with a very long wording " * 20, 88.0)
    suggestions = [Suggestion(f"s{i}", "Suggestion " + NASTY * 10, 70.0) for i in range(3)]
    return Reply("Statement " + NASTY * 10, "disputed", claim, "Explanation " + NASTY * 100, views, suggestions,
                 today="2026-11-21")


@pytest.fixture(scope="module")
def markdown_statement() -> str:
    statement = (NASTY * 20)[:1000]
    assert len(statement) == 1000
    return statement


# --- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("expanded", [False, True])
@pytest.mark.parametrize("statement", [
    "Only 1,000 US troops are left in Iraq",
    "All US forces will be out of Iraq by September 2026",
    "Syria is a dangerous place",
    "good morning everyone",
])
def test_cards_for_real_replies_keep_within_discord_limits(engine: Engine, statement: str, expanded: bool) -> None:
    assert_within_discord_limits(reply_card(engine.check(statement), expanded=expanded))


@pytest.mark.parametrize("expanded", [False, True])
def test_a_1000_character_statement_full_of_markdown_keeps_within_limits(
    engine: Engine, markdown_statement: str, expanded: bool
) -> None:
    card = reply_card(engine.check(markdown_statement), expanded=expanded)
    assert_within_discord_limits(card)


@pytest.mark.parametrize("expanded", [False, True])
def test_a_huge_reply_keeps_within_every_limit(expanded: bool) -> None:
    card = reply_card(huge_reply(), expanded=expanded)
    assert_within_discord_limits(card)
    assert card.fields, "the most important fields are kept, not all dropped"
    assert card.fields[0].name.startswith("✓ Agrees")


def test_a_long_headline_is_clipped_with_a_mark() -> None:
    reply = huge_reply(versions=1, sources=1)
    reply.headline = "the sources say " + "something long " * 30
    card = reply_card(reply)
    assert TITLE_MAX - 2 <= len(card.title) <= TITLE_MAX
    assert card.title.startswith("⚖️ Disputed — the sources say something long")
    assert card.title.endswith("…")


def test_a_compact_card_shows_the_lead_version_then_three_others_in_a_line_each() -> None:
    reply = huge_reply(versions=6, sources=1)
    for view in reply.versions:
        view.text = f"Version {view.id}"
        view.sources = [SourceView(**{**vars(view.sources[0]), "quote": "short quote", "outlet_name": "Outlet"})]
    reply.explanation = reply.why = "Explanation"
    reply.statement = "Statement"
    card = reply_card(reply)
    assert card.fields[0].name == "✓ Agrees: Version v0"
    assert card.fields[0].value.startswith("**Outlet** · credibility 50/100 (mixed) · August 2025 (est.)")
    assert card.fields[1].name == "Other versions"
    assert card.fields[1].value.splitlines() == [
        "✗ Version v1 — 1 outlet, best 50/100 (mixed)", "✓ Version v2 — 1 outlet, best 50/100 (mixed)",
        "✗ Version v3 — 1 outlet, best 50/100 (mixed)", "…and 2 more versions (**All sources**)"]
    assert len(card.fields) == 2, "related claims are for All sources: a claim matched"
    assert len(reply_card(reply, expanded=True).fields) == 6 + 1  # every version, then the suggestions


# --- what is echoed is inert ----------------------------------------------------------------------


def test_escape_neutralises_markdown_and_mentions() -> None:
    assert escape("**bold** @everyone") == "\\*\\*bold\\*\\* @\u200beveryone"
    assert escape("[x](http://y)") == "\\[x\\]\\(http://y\\)"
    assert escape("a\\b") == "a\\\\b"


@pytest.mark.parametrize("expanded", [False, True])
def test_the_echoed_statement_is_escaped_and_cannot_ping(engine: Engine, expanded: bool) -> None:
    card = reply_card(engine.check("**All** US forces @everyone will be out of Iraq by September 2026 @here"),
                      expanded=expanded)
    text = all_text(card)
    assert "@everyone" not in text and "@here" not in text
    assert "\\*\\*All\\*\\* US forces @\u200beveryone" in card.description


def test_no_part_of_a_huge_card_can_ping() -> None:
    for expanded in (False, True):
        text = all_text(reply_card(huge_reply(), expanded=expanded))
        assert "@everyone" not in text and "@here" not in text


def test_a_1000_character_markdown_statement_is_echoed_escaped(engine: Engine, markdown_statement: str) -> None:
    reply = engine.check(markdown_statement)
    card = reply_card(reply)
    assert "**You asked:** " + escape(markdown_statement[:100]) in card.description, "the compact card clips it"
    assert "@everyone" not in all_text(card)
    assert card.description.endswith("…")
    whole = reply_card(reply, expanded=True)
    assert whole.description.endswith("**You asked:** " + escape(markdown_statement)), "All sources shows it whole"


# --- the card as text -----------------------------------------------------------------------------


def test_card_text_shows_verdict_outlets_credibility_quotes_and_claim(engine: Engine) -> None:
    reply = engine.check("Only 1,000 US troops are left in Iraq")
    card = reply_card(reply)
    text = card_text(card)
    assert text.startswith("❌ Contradicted — the sources say about 2,500, not 1,000\n")
    assert "You asked: Only 1,000 US troops are left in Iraq" in text
    assert "✗ The sources: About 2,500 U.S. troops are in Iraq." in text
    for source in reply.versions[0].sources[:2]:
        assert f"{source.outlet_name} · credibility {source.credibility}/100 ({band(source.credibility)})" in text
        assert f"“{source.quote}”" in text
    assert "…and 1 more source (All sources)" in text
    assert f"[claim troops-in-iraq · match 100/100 · checked {reply.today}]" in text


def test_card_text_has_every_field_of_the_card(engine: Engine) -> None:
    card = reply_card(engine.check("All US forces will be out of Iraq by September 2026"), expanded=True)
    text = card_text(card)
    for f in card.fields:
        assert f.name.replace("\\", "").replace("**", "") in text


def test_card_text_turns_neutralised_mentions_back_into_plain_text(engine: Engine) -> None:
    text = card_text(reply_card(engine.check("@everyone ISIS was defeated in Iraq in 2017")))
    assert "You asked: @everyone ISIS was defeated in Iraq in 2017" in text
    assert "\u200b" not in text


def test_card_text_echoes_the_statement_verbatim(engine: Engine) -> None:
    statement = "US troops **really** left Iraq (2 ** 3 = 8)"
    text = card_text(reply_card(engine.check(statement)))
    assert f"You asked: {statement}" in text


def test_a_no_match_card_says_it_was_queued(engine: Engine) -> None:
    card = reply_card(engine.check("Bitcoin will hit 100k by the end of 2026"))
    assert card.title == "🔎 No match — nothing in the claim base covers this"
    assert card.verdict == "no_match"
    assert card.footer.startswith("no verdict · queued for the moderators")
    assert card.fields == []


def test_a_greeting_is_answered_but_its_card_says_it_was_not_queued(engine: Engine) -> None:
    card = reply_card(engine.check("good morning everyone"))
    assert card.title == "🔎 No match — nothing in the claim base covers this"
    assert "It was not queued for the moderators (a greeting or small talk)." in card_text(card)
    assert card.footer.startswith("no verdict · not queued (a greeting or small talk)")

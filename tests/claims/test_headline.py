"""The first line of a reply is the answer about what was asked (claims/headline.py, claims/render.py)."""

from __future__ import annotations

import pytest

from claims.credibility import band, in_words, weak
from claims.engine import Engine
from claims.headline import OPEN, STATEMENT, YES_NO, about_now, asked_kind, month_words
from claims.render import COMPACT_MAX, card_text, reply_card

FIRST_LINES = [
    ("ISIS was defeated in Iraq in 2017", "✅ Supported — 3 outlets report it"),
    ("ISIS was defeated in Iraq in 2015", "❌ Contradicted — the sources say 2017, not 2015"),
    ("Only 1,000 US troops are left in Iraq", "❌ Contradicted — the sources say about 2,500, not 1,000"),
    ("US forces will keep using Erbil air base until 2030.",
     "❌ Contradicted — the sources say September 2026, not 2030"),
    ("All US forces will be out of Iraq by September 2026",
     "⚖️ Disputed — 3 outlets say September 2026, 3 say end of 2026"),
    ("American forces finished leaving Iraq's Kurdistan Region in 2026",
     "❔ Unverified — a plan due September 2026 / end of 2026; no source says it happened"),
    ("The Popular Mobilization Units have about 150,000 members",
     "⚠️ Supported, weakly sourced — only low-credibility outlets report it (best 15/100)"),
    ("Was ISIS defeated in Iraq in 2015?", "❌ No — the sources say 2017, not 2015"),
    ("Was ISIS defeated in Iraq in 2017?", "✅ Yes — 3 outlets report it"),
    ("How many US troops are in Iraq right now?",
     "💬 Answer — About 2,500 U.S. troops are in Iraq, as of August 2025"),
    ("When will the last US troops leave Iraq?",
     "💬 Answer — the sources differ: 3 outlets say September 2026, 3 say end of 2026"),
    ("Bitcoin will hit 100k by the end of 2026", "🔎 No match — nothing in the claim base covers this"),
    ("Der Abzug der US-geführten Koalition aus dem Irak soll in zwei Phasen erfolgen",
     "🔎 No match — I can only check statements in English"),
]


@pytest.mark.parametrize(("statement", "first_line"), FIRST_LINES)
def test_the_first_line_answers_what_was_asked(engine: Engine, statement: str, first_line: str) -> None:
    assert card_text(reply_card(engine.check(statement))).splitlines()[0] == first_line


def test_a_contradiction_no_longer_pairs_the_verdict_with_the_claim(engine: Engine) -> None:
    # "❌ Contradicted — ISIS was defeated in Iraq in 2017." read as "2017 is false".
    title = reply_card(engine.check("ISIS was defeated in Iraq in 2015")).title
    assert "ISIS was defeated in Iraq in 2017" not in title


def test_the_second_line_says_why_in_words(engine: Engine) -> None:
    lines = card_text(reply_card(engine.check("ISIS was defeated in Iraq in 2015"))).splitlines()
    assert lines[1] == "No source agrees: 3 outlets (the best 49/100, mixed) report it differently."
    supported = card_text(reply_card(engine.check("ISIS was defeated in Iraq in 2017"))).splitlines()
    assert supported[1] == ("3 outlets (the best 49/100, mixed) report it as you put it; no source says otherwise.")
    assert "weight" not in card_text(reply_card(engine.check("ISIS was defeated in Iraq in 2017")))


STATEMENTS = [
    "The coalition's withdrawal from Iraq ends in September 2026.",
    "US personnel will be gone from Iraq by late 2026, at the end of the year.",
    "The coalition mission in Baghdad ends in September 2025.",
    "Defence Minister al-Abassi confirmed the two-phase withdrawal deal on Al-Hadath TV.",
    "Foreign military trainers will stay in Iraq.",
    "Turkey has been bombing armed Kurdish groups in northern Iraq.",
    "wait r the yanks really leaving ain al-asad this sept??",
    "American forces finished leaving Iraq's Kurdistan Region in 2026.",
    "Iraq's prime minister has applauded the American strikes on Iraqi soil.",
    "The Trump administration carried out Joe Biden's deal to pull US troops out of Afghanistan.",
    "Ankara and Baghdad agreed that the joint training centre in northern Iraq would go to Turkey.",
    "At least 600 US troops were to leave Iraq in the first phase, by September 2025.",
    "In August 2025, Iraqi government sources announced that the coalition's withdrawal from Baghdad and "
    "Ain al-Asad would begin in September 2025.",
    "Talks in January on the US troops in Iraq were postponed over tensions after the war in Gaza.",
    "ISIS emerged in 2014 and seized half of Iraq.",
    "Syria is a dangerous place",
    "x" * 900 + " US troops in Iraq",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_a_compact_card_keeps_within_700_characters(engine: Engine, statement: str) -> None:
    card = reply_card(engine.check(statement))
    assert card.size() <= COMPACT_MAX
    assert card.title and card.description


def test_sources_show_outlet_credibility_band_date_and_quote(engine: Engine) -> None:
    reply = engine.check("ISIS was defeated in Iraq in 2017")
    text = card_text(reply_card(reply))
    source = reply.versions[0].sources[0]
    assert f"{source.outlet_name} · credibility {source.credibility}/100 ({band(source.credibility)}) · " \
           f"September 2024 (est.)" in text
    assert f"> “{source.quote}”" in text


def test_a_verdict_on_credible_outlets_is_not_weakly_sourced(engine: Engine) -> None:
    reply = engine.check("ISIS was defeated in Iraq in 2017")
    assert not reply.weakly_sourced
    assert reply.to_json()["weakly_sourced"] is False


def test_a_question_about_now_says_how_old_the_newest_source_is(engine: Engine) -> None:
    reply = engine.check("Are there still about 2,500 US troops in Iraq?")
    assert reply.as_of == "2025-08-18"
    assert reply_card(reply).title.endswith(", as of August 2025")
    assert engine.check("About 2,500 US troops are in Iraq").as_of is None, "no 'now': no as-of"


def test_a_compound_statement_keeps_one_line_per_part(engine: Engine) -> None:
    reply = engine.check("ISIS emerged in 2014 and seized half of Iraq.")
    card = reply_card(reply)
    assert card.title == "❌ Contradicted — it makes 2 claims: 1 supported, 1 contradicted"
    assert card.fields[0].name == "Each claim"
    assert card.fields[0].value.splitlines() == ["✅ Supported — ISIS emerged in 2014",
                                                 "❌ Contradicted — ISIS seized half of Iraq"]


def test_the_json_contract_gains_fields_and_keeps_every_old_one(engine: Engine) -> None:
    data = engine.check("ISIS was defeated in Iraq in 2015").to_json()
    for key in ("statement", "verdict", "claim", "explanation", "versions", "suggestions", "notes", "match", "today",
                "parts"):
        assert key in data
    assert data["verdict"] == "contradicted"
    version = data["versions"][0]
    assert {"id", "text", "agrees", "weight", "outlets", "conflicts", "settles", "gaps", "sources"} <= set(version)
    assert version["sources"][0]["article"]
    assert data["headline"] == "the sources say 2017, not 2015"
    assert data["asked"] == "statement" and data["as_of"] is None and data["not_queued"] is None


@pytest.mark.parametrize(("text", "kind"), [
    ("ISIS was defeated in 2017", STATEMENT), ("Was ISIS defeated in 2017?", YES_NO),
    ("Is it true that ISIS was defeated?", YES_NO), ("How many troops are in Iraq?", OPEN),
    ("so when do they leave", OPEN), ("Who proposed three years?", OPEN),
])
def test_what_was_asked(text: str, kind: str) -> None:
    assert asked_kind(text) == kind


def test_words_about_now() -> None:
    assert about_now("How many troops are in Iraq right now?") and about_now("US troops are still in Syria")
    assert about_now("currently 2,500") and not about_now("ISIS was defeated in 2017")
    assert not about_now("they know the plan")


def test_credibility_bands() -> None:
    assert [band(s) for s in (100, 80, 79, 60, 59, 40, 39, 0)] == ["high", "high", "fair", "fair", "mixed", "mixed",
                                                                   "low", "low"]
    assert in_words(49) == "credibility 49/100 (mixed)"
    assert weak([15, 34]) and not weak([15, 49]) and not weak([])


def test_month_words() -> None:
    assert month_words("2025-08-18") == "August 2025"
    assert month_words("2024-09") == "September 2024"
    assert month_words("2017") == "2017"

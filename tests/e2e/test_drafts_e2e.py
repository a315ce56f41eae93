"""End-to-end: a moderator pastes a news report into /source add-article and walks its drafts —
Accept, Edit (a form), Reject — in Discord; each accepted draft is a change made through the
curator, and /check answers from it at once.

The real `CrosscheckBot` runs against the fake Discord (see `test_moderation` for the helpers).
"""

from __future__ import annotations

from typing import Any

import pytest
from fakediscord import JSON, Call, FakeDiscord, InteractionHandle
from test_moderation import (
    DEFERRED,
    MODAL,
    MakeCrosscheckBot,
    audit_rows,
    check,
    modal_inputs,
    modal_values,
    stored_claim,
)

from bot.client import CrosscheckBot
from claims.curate import Curator

UPDATE = 7  # the callback type of a button that edits its message
# A report as Discord gives a pasted option: one line.
REPORT = ("The last US personnel would leave Iraq by the end of 2026, officials said. "
          "About 3,100 U.S. troops are stationed in Iraq, according to the Pentagon. "
          "I think this withdrawal is a total disaster.")


@pytest.fixture
async def crosscheck(make_crosscheck_bot: MakeCrosscheckBot, run_bot: Any) -> CrosscheckBot:
    return await run_bot(make_crosscheck_bot())


def card(message: JSON) -> tuple[str, JSON | None, dict[str, str]]:
    """A draft card: its text, its embed (None when none is left), its buttons (label -> custom_id)."""
    buttons = {c["label"]: c["custom_id"] for row in message.get("components") or []
               for c in row.get("components") or [] if c.get("type") == 2}
    embeds = message.get("embeds") or []
    # Markdown escapes taken out, to compare with plain text.
    return (message.get("content") or "").replace("\\", ""), embeds[0] if embeds else None, buttons


async def add_article(server: FakeDiscord, options: dict[str, Any]) -> tuple[InteractionHandle, JSON]:
    """/source add-article: deferred while drafting, then a follow-up with the first draft's card."""
    handle = await server.send_slash_command("source", options, subcommand="add-article", user=server.moderator)
    ack = await handle.callback()
    assert ack.json["type"] == DEFERRED
    assert await handle.wait_until(lambda h: h.answer is not None, timeout=60)
    answer = handle.answer
    assert answer is not None
    return handle, answer.json


async def press(server: FakeDiscord, message: JSON, label: str) -> Call:
    _, _, buttons = card(message)
    click = await server.send_component(buttons[label], message["id"], user=server.moderator)
    return await click.callback()


def message_of(server: FakeDiscord, handle: InteractionHandle) -> JSON:
    """The card's message as it is now (the deferred answer, edited by each button)."""
    message = handle.original_message or handle.followups[-1]
    return server.messages[int(message["id"])]


async def test_a_pasted_report_is_drafted_and_its_drafts_accepted_edited_and_rejected(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    handle, first = await add_article(discord_server, {"outlet": "eu-today", "published": "2025-03-10",
                                                       "text": REPORT})
    text, embed, buttons = card(first)
    assert text.startswith("✅ #1 added article eu-today-2025-03-10-")
    assert "; drafted 1 source, 1 new version; 1 sentences skipped" in text
    assert embed is not None and set(buttons) == {"Accept", "Edit", "Reject", "Next"}
    assert "add as a source → final-withdrawal-date/end-2026" in embed["title"]
    assert "“The last US personnel would leave Iraq by the end of 2026, officials said.”" not in embed["description"]
    assert "> The last US personnel would leave Iraq by the end of 2026, officials said." in embed["description"]
    assert "draft 1 of 2 pending" in embed["footer"]["text"]
    # Drafts change no verdict until accepted: the Pentagon's figure is not yet a version.
    assert (await check(discord_server, "About 3,100 US troops are in Iraq"))["title"].startswith("❌ Contradicted")

    # Accept: the source is added through the curator, and the card shows the next draft.
    accepted = await press(discord_server, message_of(discord_server, handle), "Accept")
    assert accepted.json["type"] == UPDATE
    text, embed, _ = card(accepted.json["data"])
    assert "added a source to final-withdrawal-date/end-2026" in text
    assert embed is not None and "new version" in embed["title"] and "troops-in-iraq" in embed["title"]
    assert "conflicts with number" in embed["description"] and "the article says" in embed["description"]
    stored = stored_claim(crosscheck, "final-withdrawal-date")
    assert stored is not None
    sources = [s for v in stored[0].versions if v.id == "end-2026" for s in v.sources]
    assert any(s.quote.startswith("The last US personnel") and s.said_by == "officials" for s in sources)

    # Edit: the form holds what it would write; submitted, it is accepted as edited.
    form = await press(discord_server, message_of(discord_server, handle), "Edit")
    assert form.json["type"] == MODAL
    inputs = modal_inputs(form)
    assert inputs["quote"]["value"] == "About 3,100 U.S. troops are stationed in Iraq, according to the Pentagon."
    assert "count: ~3100" in inputs["values"]["value"].splitlines()
    shown = {label: field.get("value") or "" for label, field in inputs.items()}
    fields = modal_values(form, {**shown, "said by": "the Pentagon",
                                 "values": inputs["values"]["value"] + "\nspeaker: us"})
    submitted = await discord_server.send_modal_submit(form.json["data"]["custom_id"], fields,
                                                       user=discord_server.moderator)
    answer = await submitted.callback()
    text, embed, buttons = card(answer.json["data"])
    assert "added version" in text and "troops-in-iraq" in text
    assert embed is None and not buttons and "No drafts left to review" in text
    stored = stored_claim(crosscheck, "troops-in-iraq")
    assert stored is not None
    new = stored[0].versions[-1]
    assert (new.values.count, new.values.speaker, new.sources[0].said_by) == ("~3100", "us", "the Pentagon")
    card_now = await check(discord_server, "About 3,100 US troops are in Iraq")
    assert card_now["title"].startswith("⚖️ Disputed")  # the accepted version now speaks for it
    assert [r["action"] for r in audit_rows(crosscheck)] == ["article.add", "claim.source.add", "claim.version.add"]


async def test_a_draft_is_rejected_and_adding_the_report_again_drafts_nothing_twice(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    handle, _ = await add_article(discord_server, {"outlet": "eu-today", "published": "2025-03-10", "text": REPORT})
    rejected = await press(discord_server, message_of(discord_server, handle), "Reject")
    text, embed, _ = card(rejected.json["data"])
    assert "rejected draft" in text and embed is not None  # the next draft is shown
    assert stored_claim(crosscheck, "final-withdrawal-date") is not None
    _, answer = await add_article(discord_server, {"outlet": "eu-today", "published": "2025-03-10",
                                                    "text": REPORT})
    text, embed, _ = card(answer)
    assert "was already added; drafted nothing new (2 drafted before)" in text
    assert embed is not None and "draft 1 of 1 pending" in embed["footer"]["text"]  # the one left pending

    # Another moderator accepts it meanwhile (here from the terminal): Accept on the card says so
    # and moves on, writing nothing twice.
    curator = Curator(crosscheck.service, guild_id=str(discord_server.guild.id))
    [pending] = curator.drafts()
    curator.accept_draft("cli:other", pending.id)
    late = await press(discord_server, message_of(discord_server, handle), "Accept")
    text, embed, _ = card(late.json["data"])
    assert "was already accepted" in text and "No drafts left to review" in text and embed is None
    assert [r["action"] for r in audit_rows(crosscheck)].count("claim.version.add") == 1


async def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    before = len(audit_rows(crosscheck))
    for text, said in (("<html><head><title>x</title></head><body><div>" + "word " * 30 + "</div></body></html>",
                        "this is an HTML page"),
                       ("Die letzten US-Truppen sollen den Irak bis Ende 2026 verlassen, sagten Beamte am Montag "
                        "in Bagdad und Washington.", "not written in English")):
        _, answer = await add_article(discord_server, {"outlet": "eu-today", "published": "2025-03-10", "text": text})
        assert answer["content"].startswith("⛔ Refused, nothing was changed") and said in answer["content"]
    assert len(audit_rows(crosscheck)) == before
    assert crosscheck.service.store.db.scalar("SELECT count(*) FROM drafts") == 0

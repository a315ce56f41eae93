"""End-to-end: from Discord, moderators reach what the terminal reaches — versions with every
value, their sources, entities, lists and searches, whole topics — under the same validation
and audit; a change that warns shows Confirm and Cancel and writes nothing until confirmed.

The real `CrosscheckBot` runs against the fake Discord (see `test_moderation` for the helpers).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest
from fakediscord import JSON, Call, FakeDiscord, InteractionHandle
from test_moderation import (
    AUTOCOMPLETE,
    MODAL,
    NOT_A_MODERATOR,
    MakeCrosscheckBot,
    audit_rows,
    command,
    confirmed,
    modal_inputs,
    open_modal,
    reply_embed,
    reply_text,
    server_engine,
    stored_claim,
    submit,
)

from bot.client import CrosscheckBot
from bot.cogs.moderation import CURATOR_COMMANDS, READER_COMMANDS
from claims.models import Values
from claims.render import escape

SYRIA = "troops-in-syria"
ARTICLE = "003_0d325b8582dc79ca"
SHORT_QUOTE = "an additional 900 in neighbouring Syria"
UPDATE = 7  # the callback type of a button that edits its message


@pytest.fixture
async def crosscheck(make_crosscheck_bot: MakeCrosscheckBot, run_bot: Any) -> CrosscheckBot:
    return await run_bot(make_crosscheck_bot())


def buttons(message: JSON) -> dict[str, str]:
    """A message's buttons: label -> custom_id."""
    out = {}
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            if component.get("type") == 2:
                out[component["label"]] = component["custom_id"]
    return out


async def press(server: FakeDiscord, handle: InteractionHandle, label: str, user=None) -> Call:
    """Click a button of the reply `handle` got; the bot's callback."""
    message = handle.original_message
    assert message is not None
    click = await server.send_component(buttons(message)[label], message["id"], user=user or server.moderator)
    return await click.callback()


async def autocomplete(server: FakeDiscord, name: str, subcommand: str, options: dict[str, Any],
                       focused: str) -> list[JSON]:
    handle = await server.send_autocomplete(name, options, focused, subcommand=subcommand, user=server.moderator)
    call = await handle.callback()
    assert call.status == 200 and call.json["type"] == AUTOCOMPLETE
    return call.json["data"]["choices"]


# --------------------------------------------------------------------------- versions and sources


async def test_a_version_is_added_with_every_value_entities_by_name_and_an_agency_speaking(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    options = {"claim": SYRIA, "id": "reuters-900", "text": "Reuters counts some 900 U.S. troops in Syria",
               "article": ARTICLE, "quote": SHORT_QUOTE, "said_by": "Reuters", "count": "~900",
               "as_of": "2026-11-20", "date": "2026-11", "scope": "some", "places": "Syria, northeastern-syria",
               "actors": "US", "speaker": "reuters"}
    _, call = await command(discord_server, "claim", "version add", options)
    confirmed(reply_text(call), f"added version reuters-900 to {SYRIA}", revision=2)
    stored = stored_claim(crosscheck, SYRIA)
    assert stored is not None
    version = stored[0].versions[-1]
    assert version.values == Values(date="2026-11", as_of="2026-11-20", count="~900", scope="some",
                                    places=["syria", "northeastern-syria"], actors=["us"], speaker="reuters")
    [entry] = audit_rows(crosscheck)
    assert entry["action"] == "claim.version.add"
    # /claim show shows it, "as of" included.
    embed = reply_embed((await command(discord_server, "claim", "show", {"claim": SYRIA}))[1])
    assert "'as_of': '2026-11-20'" in embed["fields"][-1]["value"]


async def test_a_version_is_edited_in_a_form_holding_its_values_as_they_are(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    modal = await open_modal(discord_server, "claim", "version edit", {"claim": SYRIA, "version": "about-900"})
    inputs = modal_inputs(modal)
    assert inputs["what this source reports"]["value"] == "About 900 U.S. troops are in Syria."
    values = inputs["values"]["value"]
    assert values.splitlines() == ["date:", "as_of:", "count: ~900", "duration:", "scope:", "places: syria",
                                   "actors:", "speaker:", "roles:", "holds: yes"]

    answer = await submit(discord_server, modal, {
        "what this source reports": "About 900 U.S. troops remain in Syria.",
        "values": values.replace("as_of:", "as_of: 2026-11-01").replace("places: syria", "places: Syria, Iraq")})

    confirmed(reply_text(answer), f"edited version {SYRIA}/about-900", revision=2)
    stored = stored_claim(crosscheck, SYRIA)
    assert stored is not None
    assert stored[0].versions[0].text == "About 900 U.S. troops remain in Syria."
    assert stored[0].versions[0].values == Values(as_of="2026-11-01", count="~900", places=["syria", "iraq"])

    # A line that is no value is refused, saying which; nothing is written.
    again = await open_modal(discord_server, "claim", "version edit", {"claim": SYRIA, "version": "about-900"})
    refused = await submit(discord_server, again, {"what this source reports": "x" * 5, "values": "colour: blue"})
    assert reply_text(refused).startswith("⛔ Refused, nothing was changed:\n• values line 1: 'colour: blue'")
    assert len(audit_rows(crosscheck)) == 1


async def test_versions_and_sources_are_removed_but_never_the_last(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    _, last = await command(discord_server, "claim", "version remove", {"claim": SYRIA, "version": "about-900"})
    assert "is the only version of" in reply_text(last) and "retire the claim" in reply_text(last)
    other = "001_a545990919b4ebe4"
    _, added = await command(discord_server, "claim", "source add", {
        "claim": SYRIA, "version": "about-900", "article": other,
        "quote": "The US military presence in northeastern Syria may not be able to continue"})
    confirmed(reply_text(added), f"added a source to {SYRIA}/about-900: {other}", revision=2)
    _, removed = await command(discord_server, "claim", "source remove",
                               {"claim": SYRIA, "version": "about-900", "article": ARTICLE, "reason": "weaker"})
    confirmed(reply_text(removed), f"removed the source {ARTICLE} from {SYRIA}/about-900", revision=3)
    stored = stored_claim(crosscheck, SYRIA)
    assert stored is not None and [s.article for s in stored[0].versions[0].sources] == [other]
    _, refused = await command(discord_server, "claim", "source remove",
                               {"claim": SYRIA, "version": "about-900", "article": other})
    assert "is the only source of" in reply_text(refused)


async def test_a_claim_is_added_with_its_values_given_as_options_of_the_form(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    modal = await open_modal(discord_server, "claim", "add", {
        "article": ARTICLE, "topic": "syria", "unit": "troops", "count": "~900", "as_of": "2026-11-20",
        "places": "syria", "version_id": "tally"})
    inputs = modal_inputs(modal)
    assert list(inputs) == ["id", "statement", "kind", "article id", "quote"]
    assert inputs["article id"]["value"] == ARTICLE  # filled in from the option
    answer = await submit(discord_server, modal, {"id": "syria-tally", "statement": "Some 900 US troops are in "
                                                  "Syria, by the latest count", "kind": "quantity",
                                                  "article id": ARTICLE, "quote": SHORT_QUOTE})
    confirmed(reply_text(answer), "added claim syria-tally", revision=1)
    stored = stored_claim(crosscheck, "syria-tally")
    assert stored is not None
    claim = stored[0]
    assert (claim.topic, claim.unit, claim.versions[0].id) == ("syria", "troops", "tally")
    assert claim.versions[0].values == Values(as_of="2026-11-20", count="~900", places=["syria"])


# --------------------------------------------------------------------------- lists and searches


async def test_claims_are_listed_by_filters_and_searched_with_the_bots_scores(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    listing = reply_embed((await command(discord_server, "claim", "list",
                                         {"topic": "withdrawal", "kind": "quantity"}))[1])
    assert listing["title"] == "Claims — topic withdrawal, kind quantity"
    assert f"`{SYRIA}` " in listing["description"] and "`deal-reached`" not in listing["description"]
    found = reply_embed((await command(discord_server, "claim", "search",
                                       {"text": "how many american soldiers are in syria"}))[1])
    first = found["description"].splitlines()[0]
    assert first.startswith(f"**100** match · `{SYRIA}` ")


# --------------------------------------------------------------------------- entities and topics


async def test_entities_are_added_named_and_removed_only_when_unused(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    _, added = await command(discord_server, "entity", "add", {"id": "hasakah", "kind": "place",
                                                               "names": "Hasakah, Hassakeh",
                                                               "part_of": "northeastern-syria"})
    confirmed(reply_text(added), "added place hasakah: Hasakah, Hassakeh", revision=1)
    _, named = await command(discord_server, "entity", "alias", {"entity": "hasakah", "action": "add",
                                                                 "name": "Al-Hasakah"})
    confirmed(reply_text(named), "added name to hasakah: Al-Hasakah", revision=2)
    assert "@hasakah" in server_engine(crosscheck).normaliser.normalise("troops in Al-Hasakah").terms

    _, refused = await command(discord_server, "entity", "remove", {"entity": "syria"})
    text = reply_text(refused)
    assert text.startswith("⛔ Refused, nothing was changed:\n• entity 'syria' is still used by entity damascus")
    _, gone = await command(discord_server, "entity", "remove", {"entity": "hasakah", "reason": "not needed"})
    confirmed(reply_text(gone), "removed entity hasakah")
    shown = reply_embed((await command(discord_server, "entity", "show", {"entity": "erbil"}))[1])
    assert "• " + escape("entity al-harir (part of it)") in shown["description"]


async def test_a_topic_is_retired_at_once_and_restored_by_one_undo(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    _, retired = await command(discord_server, "topic", "retire", {"topic": "background", "reason": "off-topic now"})
    number = confirmed(reply_text(retired), "retired topic background: 41 claims")
    topics = reply_embed((await command(discord_server, "topic", "list"))[1])
    assert "`background` 0 active, 41 retired" in topics["description"]
    assert len(audit_rows(crosscheck)) == 42
    history = reply_embed((await command(discord_server, "topic", "history", {"topic": "background"}))[1])
    assert f"**#{number}** " in history["description"] and "(41 claims at once)" in history["description"]

    _, undone = await command(discord_server, "claim", "undo", {"change": number})
    confirmed(reply_text(undone), f"undid #{number} (topic.retire background): 41 changes")
    assert all(c.status == "active" for c in server_engine(crosscheck).base.claims.values()
               if c.topic == "background")


# --------------------------------------------------------------------------- warnings


async def warned(server: FakeDiscord, name: str, subcommand: str, options: dict[str, Any]) -> InteractionHandle:
    """Run a command that warns: an ephemeral warning with Confirm and Cancel; nothing written."""
    handle, call = await command(server, name, subcommand, options)
    text = reply_text(call)
    assert text.startswith("⚠️ This change may break answers:\n• ")
    assert text.endswith("Confirm to apply it anyway, or Cancel. Nothing is written until you confirm.")
    message = handle.original_message
    assert message is not None and set(buttons(message)) == {"Confirm", "Cancel"}
    return handle


async def test_a_warned_alias_is_written_only_when_confirmed(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    alias = "The US has not kept any troops in Syria"
    handle = await warned(discord_server, "claim", "alias", {"claim": SYRIA, "action": "add", "text": alias})
    assert escape(f"the alias {alias!r} denies what '{SYRIA}' affirms") in handle.original_message["content"]
    assert audit_rows(crosscheck) == []

    clicked = await press(discord_server, handle, "Confirm")

    assert clicked.json["type"] == UPDATE
    data = clicked.json["data"]
    assert data["content"].startswith(f"✅ #1 {escape(f'added alias to {SYRIA}: {alias}')} (revision 2)\n"
                                      "⚠️ Applied despite: ")
    assert data["components"] == []
    stored = stored_claim(crosscheck, SYRIA)
    assert stored is not None and alias in stored[0].aliases
    [entry] = audit_rows(crosscheck)
    assert entry["reason"] == "confirmed warnings: alias-negated"


async def test_cancelling_a_warned_change_writes_nothing(discord_server: FakeDiscord, crosscheck: CrosscheckBot
                                                         ) -> None:
    handle = await warned(discord_server, "claim", "version add", {
        "claim": SYRIA, "id": "vague", "text": "US troops are in Syria", "article": ARTICLE, "quote": SHORT_QUOTE})
    assert escape(f"version 'vague' of '{SYRIA}' gives no number") in handle.original_message["content"]

    clicked = await press(discord_server, handle, "Cancel")

    assert clicked.json["data"]["content"] == "Cancelled: nothing was changed."
    assert audit_rows(crosscheck) == []
    stored = stored_claim(crosscheck, SYRIA)
    assert stored is not None and [v.id for v in stored[0].versions] == ["about-900"]


async def test_an_unanswered_warning_expires_and_writes_nothing(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module the running bot loaded (a bot that stops unloads its extensions, so each bot
    # imports them afresh).
    monkeypatch.setattr(sys.modules["bot.cogs.moderation.confirm"], "CONFIRM_SECONDS", 0.2)
    handle = await warned(discord_server, "claim", "alias", {"claim": SYRIA, "action": "add",
                                                             "text": "Bitcoin hit a record price"})
    edit = await handle.original_edit()
    assert edit.json["content"] == "No answer within 1 minute: nothing was changed."
    assert edit.json["components"] == []
    await asyncio.sleep(0.1)
    assert audit_rows(crosscheck) == []


async def test_only_the_moderator_who_made_the_change_can_confirm_it(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    handle = await warned(discord_server, "claim", "alias", {"claim": SYRIA, "action": "add",
                                                             "text": "Bitcoin hit a record price"})
    other = discord_server.guild.owner_member
    clicked = await press(discord_server, handle, "Confirm", user=other)
    assert reply_text(clicked) == "Only the moderator who made this change can confirm it."
    assert audit_rows(crosscheck) == []


async def test_linking_a_queued_question_warns_before_it_breaks_answers(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    question = "Washington's GIs are not garrisoned next door in Syria"
    asked = await discord_server.send_slash_command("check", {"statement": question})
    assert await asked.wait_until(lambda h: h.answer is not None, timeout=30)
    crosscheck.service.flush_log()
    [logged] = crosscheck.service.store.checks.between(None)
    handle = await warned(discord_server, "review", "link", {"item": logged["id"], "claim": SYRIA})
    assert escape(f"the queued question {question!r} denies what") in handle.original_message["content"]
    clicked = await press(discord_server, handle, "Confirm")
    linked = escape(f"linked review item #{logged['id']}")
    assert clicked.json["data"]["content"].startswith(f"✅ #1 {linked}")


# --------------------------------------------------------------------------- autocomplete and permissions


async def test_versions_entities_articles_and_topics_autocomplete(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    versions = await autocomplete(discord_server, "claim", "version edit", {"claim": SYRIA}, "version")
    assert [c["value"] for c in versions] == ["about-900"]
    places = await autocomplete(discord_server, "claim", "version add",
                                {"claim": SYRIA, "places": "iraq, erbi"}, "places")
    assert [c["value"] for c in places] == ["iraq, erbil"]
    speakers = await autocomplete(discord_server, "claim", "version add", {"claim": SYRIA, "speaker": "reut"},
                                  "speaker")
    assert [c["value"] for c in speakers] == ["reuters"]
    articles = await autocomplete(discord_server, "claim", "source add", {"claim": SYRIA, "article": "003"},
                                  "article")
    assert [c["value"] for c in articles] == [ARTICLE]
    topics = await autocomplete(discord_server, "topic", "retire", {"topic": "back"}, "topic")
    assert [c["value"] for c in topics] == ["background"]
    aliases = await autocomplete(discord_server, "claim", "alias", {"claim": SYRIA, "action": "remove",
                                                                    "text": "900"}, "text")
    assert [c["value"] for c in aliases] == ["The US has around 900 troops in Syria",
                                             "An additional 900 US forces are deployed in Syria"]
    for choices in (versions, places, speakers, articles, topics, aliases):
        assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


# --------------------------------------------------------------------------- vocabulary


async def test_the_vocabulary_is_edited_from_discord_with_autocomplete_and_undone(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    slang = "US troops skedaddled from Iraq in 2011"
    assert server_engine(crosscheck).check(slang).verdict == "no_match"
    names = await autocomplete(discord_server, "vocabulary", "add", {"kind": "concept", "name": "withdr"}, "name")
    assert [c["value"] for c in names] == ["withdraw"]
    _, added = await command(discord_server, "vocabulary", "add", {"kind": "concept", "name": "withdraw",
                                                                   "words": "skedaddled, bugged out"})
    number = confirmed(reply_text(added), "concept withdraw: reads skedaddled, bugged out as withdraw", revision=2)
    assert server_engine(crosscheck).check(slang).verdict == "supported"
    words = await autocomplete(discord_server, "vocabulary", "remove",
                               {"kind": "concept", "name": "withdraw", "words": "sked"}, "words")
    assert [c["value"] for c in words] == ["skedaddled"]
    history = reply_embed((await command(discord_server, "vocabulary", "history",
                                         {"kind": "concept", "name": "withdraw"}))[1])
    assert "term.words.add" in history["description"]

    _, undone = await command(discord_server, "claim", "undo", {"change": number})
    confirmed(reply_text(undone), f"undid #{number} (term.words.add concept:withdraw)", revision=3)
    assert server_engine(crosscheck).check(slang).verdict == "no_match"
    assert [row["target_id"] for row in audit_rows(crosscheck)] == ["concept:withdraw", "concept:withdraw"]


async def test_a_member_who_is_not_a_moderator_reaches_none_of_the_new_commands(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    attempts = [
        ("claim", "version add", {"claim": SYRIA, "id": "x1", "text": "Some text", "article": ARTICLE,
                                  "quote": SHORT_QUOTE, "count": "900"}),
        ("claim", "source remove", {"claim": SYRIA, "version": "about-900", "article": ARTICLE}),
        ("entity", "add", {"id": "hasakah", "kind": "place", "names": "Hasakah"}),
        ("topic", "retire", {"topic": "background", "reason": "no"}),
        ("claim", "list", {}),
    ]
    for name, subcommand, options in attempts:
        _, call = await command(discord_server, name, subcommand, options, user=discord_server.member)
        assert reply_text(call).startswith(NOT_A_MODERATOR), (name, subcommand)
    assert audit_rows(crosscheck) == []
    assert not [h for h in discord_server.interactions.values() if h.response_type == MODAL]


async def test_every_command_is_classified_and_the_lists_name_only_real_commands(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    names = set()
    for top in crosscheck.tree.get_commands():
        if hasattr(top, "walk_commands"):
            names |= {c.qualified_name for c in top.walk_commands() if not hasattr(c, "walk_commands")}
        else:
            names.add(top.name)
    moderation = {n for n in names if n.split()[0] in ("claim", "entity", "vocabulary", "topic", "source", "review")}
    assert moderation >= CURATOR_COMMANDS | READER_COMMANDS  # no stale names
    # What is neither curates nothing: this server's queue only.
    assert moderation - CURATOR_COMMANDS - READER_COMMANDS == {"review list", "review dismiss"}


async def test_an_entity_is_edited_and_its_history_shown(discord_server: FakeDiscord,
                                                         crosscheck: CrosscheckBot) -> None:
    _, edited = await command(discord_server, "entity", "edit", {"entity": "reuters", "kind": "group",
                                                                 "part_of": "us"})
    confirmed(reply_text(edited), "edited entity reuters", revision=2)
    _, cleared = await command(discord_server, "entity", "edit", {"entity": "reuters", "part_of": "-"})
    confirmed(reply_text(cleared), "edited entity reuters", revision=3)
    entity = server_engine(crosscheck).base.entities["reuters"]
    assert (entity.kind, entity.part_of) == ("group", [])
    _, cycle = await command(discord_server, "entity", "edit", {"entity": "iraq", "part_of": "northern-iraq"})
    assert "would be part of itself" in reply_text(cycle)
    history = reply_embed((await command(discord_server, "entity", "history", {"entity": "reuters"}))[1])
    assert [line.split("`")[1] for line in history["description"].splitlines()] == ["entity.edit", "entity.edit"]


async def test_a_queued_question_becomes_a_claim_with_values_given_as_options(
    discord_server: FakeDiscord, crosscheck: CrosscheckBot
) -> None:
    question = "Are Washington's GIs garrisoned next door in Syria?"
    asked = await discord_server.send_slash_command("check", {"statement": question})
    assert await asked.wait_until(lambda h: h.answer is not None, timeout=30)
    crosscheck.service.flush_log()
    [logged] = crosscheck.service.store.checks.between(None)
    modal = await open_modal(discord_server, "review", "new", {
        "item": logged["id"], "article": ARTICLE, "topic": "syria", "unit": "troops", "count": "~900",
        "places": "syria"})
    inputs = modal_inputs(modal)
    assert inputs["statement"]["value"] == question and inputs["article id"]["value"] == ARTICLE
    answer = await submit(discord_server, modal, {
        "id": "gis-next-door", "statement": "About 900 US troops are garrisoned next door in Syria",
        "kind": "quantity", "article id": ARTICLE, "quote": SHORT_QUOTE})
    made = escape(f"made review item #{logged['id']} into claim gis-next-door; 1 person who asked will get the answer")
    assert reply_text(answer) == f"✅ #1 {made} (revision 1)"
    stored = stored_claim(crosscheck, "gis-next-door")
    assert stored is not None
    claim = stored[0]
    assert (claim.topic, claim.unit, claim.aliases) == ("syria", "troops", [question])
    assert claim.versions[0].values == Values(count="~900", places=["syria"])

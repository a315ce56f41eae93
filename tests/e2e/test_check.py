"""End-to-end tests of the check feature: the real `CrosscheckBot` against the fake Discord.

Each test starts the bot on its own SQLite file (a copy of a database with the shipped base
imported) and drives it the way Discord would: slash commands, the message context menu,
mentions, button clicks and select choices. The assertions are on the HTTP calls the bot makes:
the interaction callback type and payload, the embeds, `allowed_mentions` and the components.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import discord
import pytest
from discord import app_commands
from embed_checks import (
    EPHEMERAL,
    NO_PINGS,
    assert_no_rejected_calls,
    assert_within_embed_limits,
    embed_size,
    is_ephemeral,
)
from fakediscord import JSON, Call, FakeDiscord, InteractionHandle, RunBot, run_client

from bot.client import FRIENDLY_ERROR, CrosscheckBot
from bot.cogs.check import MENU_NAME
from claims.engine import Reply
from claims.models import Claim
from claims.render import COLOURS, COMPACT_MAX, COMPACT_NAME, clip, escape
from claims.render import label as label_of
from claims.service import Checked, Crosscheck
from claims.store import StoreError

# The `make_crosscheck_bot` fixture (tests/e2e/conftest.py): keyword Settings -> an unstarted bot.
MakeCrosscheckBot = Callable[..., CrosscheckBot]

# A reply (message_reference) that must not ping the author of the message it answers.
NO_PINGS_REPLY = {"parse": [], "replied_user": False}
BUSY = "The claim database is busy right now"
LOCKED = StoreError("the database /tmp/crosscheck.sqlite is locked by another process (waited 5s); "
                    "nothing was changed. Try again, or stop the other writer")

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).

# The statements of the brief, one per verdict, and a word the embed title must carry.
VERDICT_CASES = [
    ("ISIS was defeated in Iraq in 2017", "supported", "Supported"),
    ("All US forces will be out of Iraq by September 2026", "disputed", "Disputed"),
    ("Only 1,000 US troops are left in Iraq", "contradicted", "Contradicted"),
    ("American forces finished leaving Iraq's Kurdistan Region in 2026", "unverified", "Unverified"),
    ("Bitcoin will hit 100k by the end of 2026", "no_match", "No match"),
]
SUPPORTED = VERDICT_CASES[0][0]
# Loosely related to one claim: no verdict, but "did you mean" suggestions.
LOOSE = "Syria is a dangerous place"
MULTI_CLAIM = ("Hi all. US troops will leave Iraq by September 2026. ISIS was defeated in Iraq in 2015. "
               "Turkey bombed Kurdish groups in northern Iraq.")
MULTI_CLAIM_SENTENCES = [
    ("US troops will leave Iraq by September 2026.", "Disputed"),
    ("ISIS was defeated in Iraq in 2015.", "Contradicted"),
    ("Turkey bombed Kurdish groups in northern Iraq.", "Supported"),
]


# --------------------------------------------------------------------------- helpers


def message_data(call: Call) -> JSON:
    """The message a call sends: an interaction callback's `data`, else the body itself."""
    return call.json["data"] if "/callback" in call.path else call.json


def only_embed(call: Call) -> JSON:
    """The one embed a call sends (fails if there are none or several)."""
    embeds = message_data(call).get("embeds") or []
    assert len(embeds) == 1, f"expected one embed, got {embeds!r}"
    return embeds[0]


def custom_ids(components: list[JSON]) -> list[str]:
    """Every component custom id in a message, in order."""
    out: list[str] = []
    for component in components:
        if component.get("custom_id"):
            out.append(component["custom_id"])
        out.extend(custom_ids(component.get("components") or []))
    return out


def check_id_of(call: Call) -> int:
    """The check id the reply's buttons carry (from the Helpful button's `cc:fb:<id>:1`)."""
    ids = custom_ids(message_data(call).get("components") or [])
    found = [m for i in ids if (m := re.fullmatch(r"cc:fb:(\d+):1", i))]
    assert found, f"no feedback button in {ids}"
    return int(found[0][1])










async def slash_check(server: FakeDiscord, statement: str, **options: Any) -> tuple[InteractionHandle, Call]:
    """Run /check as `user` (default: the plain member); return the handle and the bot's callback
    (after a deferral, which a busy machine can cause, the follow-up that answered instead)."""
    user = options.pop("user", None)
    handle = await server.send_slash_command("check", {"statement": statement, **options}, user=user)
    call = await handle.callback()
    if call.json.get("type") == 5 and await handle.wait_until(lambda h: h.answer is not None, timeout=30):
        assert handle.answer is not None
        return handle, handle.answer
    return handle, call


async def mention(server: FakeDiscord, text: str, **kwargs: Any) -> tuple[JSON, Call]:
    """Post "@Crosscheck <text>" in #general; return the message and the bot's reply call."""
    sent = await server.send_message(f"{server.bot_user.mention} {text}", **kwargs)
    reply = await server.wait_for_call("POST", rf"/channels/{sent['channel_id']}/messages")
    return sent, reply


def loaded_module(bot: CrosscheckBot, name: str) -> ModuleType:
    """An extension module as the bot loaded it (`load_extension` executes a fresh copy of it)."""
    module = bot.extensions.get(name)
    assert module is not None, f"{name} is not loaded"
    return module


def logged_checks(service: Crosscheck) -> list[dict[str, Any]]:
    """The check log, oldest first (once the rows of checks just answered are written)."""
    service.flush_log()
    return service.store.checks.between(None)


def feedback_rows(service: Crosscheck) -> list[tuple[int, str, int]]:
    """The feedback table as (check id, user id, helpful) rows."""
    rows = service.store.db.query("SELECT * FROM feedback ORDER BY id")
    return [(r["check_id"], r["user_id"], r["helpful"]) for r in rows]


class FailOnce:
    """Stands in for `Crosscheck.check`: raises `error` on the first call, then checks normally."""

    def __init__(self, service: Crosscheck, error: Exception):
        self.real = service.check
        self.error: Exception | None = error

    def __call__(self, statement: str, **where: Any) -> Checked:
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return self.real(statement, **where)


# --------------------------------------------------------------------------- login and command sync


async def test_logs_in_and_syncs_the_check_command_and_the_context_menu(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    assert crosscheck_bot.user is not None and crosscheck_bot.user.id == discord_server.bot_user.id
    guild = discord_server.guild.id
    sync = await discord_server.wait_for_call("PUT", rf"/applications/{discord_server.application_id}"
                                                     rf"/guilds/{guild}/commands")
    assert sync.status == 200
    by_name = {(c["name"], c.get("type", 1)): c for c in sync.json}
    assert {("check", 1), (MENU_NAME, 3)} <= set(by_name)
    options = {o["name"]: o for o in by_name["check", 1]["options"]}
    assert options["statement"]["type"] == 3 and options["statement"]["required"]
    assert options["statement"]["max_length"] == 1000
    assert options["private"]["type"] == 5 and not options["private"].get("required")
    # Synced to the development guild only; the hash of what was synced is kept in the database.
    assert not discord_server.calls_matching("PUT", rf"/applications/{discord_server.application_id}/commands")
    assert crosscheck_bot.service.store.settings.meta(f"command_hash:{guild}")
    discord_server.assert_no_unknown_calls()


async def test_a_restart_syncs_only_when_the_command_tree_changed(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.client")
    sync_path = rf"/applications/{discord_server.application_id}/guilds/{discord_server.guild.id}/commands"

    async with run_client(discord_server, make_crosscheck_bot()):
        await discord_server.wait_for_call("PUT", sync_path)

    # Same tree, new process (a fresh service on the same database): no sync.
    async with run_client(discord_server, make_crosscheck_bot()) as again:
        assert again.is_ready()
        assert len(discord_server.calls_matching("PUT", sync_path)) == 1
        assert "commands unchanged since the last sync" in caplog.text
        # The commands synced the first time still work.
        _, call = await slash_check(discord_server, SUPPORTED)
        assert "Supported" in only_embed(call)["title"]

    class BotWithVersion(CrosscheckBot):
        """The bot with one more command, as after an upgrade that added it."""

        async def setup_hook(self) -> None:
            @app_commands.command(name="version", description="Which Crosscheck this is")
            async def version(interaction: discord.Interaction) -> None:
                await interaction.response.send_message("Crosscheck", ephemeral=True)

            self.tree.add_command(version)
            await super().setup_hook()

    async with run_client(discord_server, make_crosscheck_bot(bot_cls=BotWithVersion)):
        sync = await discord_server.wait_for_call("PUT", sync_path)
        synced = {c["name"] for c in sync.json}
        assert {"check", MENU_NAME, "version"} <= synced
        assert synced - {"version"} == {c["name"] for c in discord_server.calls_matching("PUT", sync_path)[0].json}
    assert len(discord_server.calls_matching("PUT", sync_path)) == 2


# --------------------------------------------------------------------------- /check


@pytest.mark.parametrize(("statement", "verdict", "label"), VERDICT_CASES, ids=[c[1] for c in VERDICT_CASES])
async def test_check_answers_with_a_card_for_each_verdict(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, statement: str, verdict: str, label: str
) -> None:
    service = crosscheck_bot.service
    expected = service.engine.check(statement)
    assert expected.verdict == verdict, "the shipped base no longer gives this statement the verdict"

    _, call = await slash_check(discord_server, statement)

    assert call.status == 200 and call.json["type"] == 4
    data = call.json["data"]
    assert not is_ephemeral(data)
    assert data["allowed_mentions"] == NO_PINGS
    embed = only_embed(call)
    assert embed["color"] == COLOURS[verdict]
    assert label in embed["title"]
    assert f"**You asked:** {escape(statement)}" in embed["description"]
    assert_within_embed_limits(embed)

    [row] = logged_checks(service)
    assert (row["statement"], row["verdict"], row["via"]) == (statement, verdict, "discord")
    assert (row["user_id"], row["guild_id"], row["channel_id"]) == (
        str(discord_server.member.id), str(discord_server.guild.id), str(discord_server.channel("general").id))
    check_id = row["id"]
    ids = custom_ids(data["components"])
    assert embed["footer"]["text"].endswith("checked 2026-11-21")  # the engine's today

    if verdict == "no_match":
        assert "queued for the moderators" in embed["description"]
        assert "queued for the moderators" in embed["footer"]["text"]
        assert ids == [f"cc:fb:{check_id}:1", f"cc:fb:{check_id}:0"]
        return
    assert expected.claim is not None
    # The first line is the answer about what was asked; the claim's wording is not in it.
    assert embed["title"] == f"{label_of(expected)} — {expected.headline}"
    footer = embed["footer"]["text"]
    assert f"claim {expected.claim.id}" in footer
    assert f"match {expected.claim.score:.0f}/100" in footer
    assert ids == [f"cc:src:{check_id}", f"cc:fb:{check_id}:1", f"cc:fb:{check_id}:0", f"cc:follow:{check_id}"]
    # The first field lists the leading version's sources: outlet, credibility and the quote.
    source = expected.versions[0].sources[0]
    first = embed["fields"][0]["value"]
    assert f"**{escape(clip(source.outlet_name, COMPACT_NAME))}** · credibility {source.credibility}/100" in first
    # The compact card clips a long quote (All sources shows it whole) and keeps within ~700 characters.
    assert f"“{escape(source.quote[:40])}" in first
    assert embed_size(embed) <= COMPACT_MAX
    assert all("credibility" in f["value"] for f in embed["fields"] if f["name"] != "Other versions")


async def test_a_private_check_is_ephemeral(discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot) -> None:
    handle, call = await slash_check(discord_server, SUPPORTED, private=True)

    assert call.json["type"] == 4
    assert call.json["data"]["flags"] == EPHEMERAL
    assert "Supported" in only_embed(call)["title"]
    assert handle.original_message is not None and is_ephemeral(handle.original_message)
    # The buttons come along, so the asker can still open the sources or give feedback.
    assert custom_ids(call.json["data"]["components"])[0].startswith("cc:src:")


async def test_a_slow_check_is_deferred_then_answered_by_a_follow_up(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = crosscheck_bot.service
    real_check = service.check

    def slow_check(statement: str, **where: Any) -> Checked:
        time.sleep(0.3)  # runs in a worker thread, like a slow database
        return real_check(statement, **where)

    monkeypatch.setattr(service, "check", slow_check)
    monkeypatch.setattr(loaded_module(crosscheck_bot, "bot.cogs.check"), "DEFER_AFTER_SECONDS", 0.05)

    handle = await discord_server.send_slash_command("check", {"statement": SUPPORTED, "private": True})
    call = await handle.callback()
    assert call.json["type"] == 5
    assert call.json["data"]["flags"] == EPHEMERAL
    followup = await handle.followup()
    assert followup.json["allowed_mentions"] == NO_PINGS
    assert "Supported" in only_embed(followup)["title"]
    # The follow-up replaced the "thinking…" message, which stays ephemeral.
    original = handle.original_message
    assert original is not None and is_ephemeral(original) and original["embeds"]


async def test_a_statement_of_only_spaces_is_refused_with_a_reason(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    _, call = await slash_check(discord_server, "   ")

    assert call.json["type"] == 4
    data = call.json["data"]
    assert is_ephemeral(data)
    assert data["content"].startswith("I can't check that: the statement is empty")
    assert not logged_checks(crosscheck_bot.service)


# --------------------------------------------------------------------------- the context menu


async def test_the_context_menu_answers_each_claim_of_a_message_privately(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    target = discord_server.make_message(MULTI_CLAIM, author=discord_server.moderator)

    handle = await discord_server.send_message_context_menu(MENU_NAME, target["id"])
    calls = [await handle.callback(), await handle.followup(), await handle.followup()]

    assert calls[0].json["type"] == 4
    for call, (sentence, label) in zip(calls, MULTI_CLAIM_SENTENCES, strict=True):
        data = message_data(call)
        assert is_ephemeral(data), "the context menu answers only the person who asked"
        assert data["allowed_mentions"] == NO_PINGS
        embed = only_embed(call)
        assert label in embed["title"]
        assert embed["description"].endswith(f"**You asked:** {escape(sentence)}")
        assert_within_embed_limits(embed)
        assert custom_ids(data["components"])[1] == f"cc:fb:{check_id_of(call)}:1"
    # "Hi all." is not a claim: three sentences checked, nothing posted in the channel.
    assert [r["statement"] for r in logged_checks(crosscheck_bot.service)] == [s for s, _ in MULTI_CLAIM_SENTENCES]
    assert all(is_ephemeral(m) for m in [handle.original_message or {}, *handle.followups])
    assert not discord_server.calls_matching("POST", r"/channels/\d+/messages")


async def test_the_context_menu_on_a_message_without_a_claim_says_so(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    target = discord_server.make_message("lol ok", author=discord_server.moderator)
    handle = await discord_server.send_message_context_menu(MENU_NAME, target["id"])
    call = await handle.callback()

    assert call.json["type"] == 4
    assert is_ephemeral(call.json["data"])
    assert call.json["data"]["content"] == ("I can't check that: there is no statement in that message to check "
                                            "(“lol ok”: too short).")


# --------------------------------------------------------------------------- mentions


async def test_a_mention_gets_a_reply_in_the_channel_that_pings_nobody(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    # A message that does not mention the bot is left alone.
    await discord_server.send_message(SUPPORTED)
    sent, reply = await mention(discord_server, SUPPORTED)

    assert reply.status == 200
    assert reply.json["message_reference"]["message_id"] == int(sent["id"])
    assert reply.json["allowed_mentions"] == NO_PINGS_REPLY
    embed = only_embed(reply)
    assert "Supported" in embed["title"]
    assert embed["description"].endswith(f"**You asked:** {escape(SUPPORTED)}")
    check_id = check_id_of(reply)
    assert custom_ids(reply.json["components"]) == [f"cc:src:{check_id}", f"cc:fb:{check_id}:1",
                                                    f"cc:fb:{check_id}:0", f"cc:follow:{check_id}"]
    # Discord pings nobody for this message: not the author, nor anyone else.
    assert reply.response["mentions"] == []
    assert reply.response["mention_roles"] == [] and not reply.response["mention_everyone"]
    assert len(discord_server.calls_matching("POST", r"/channels/\d+/messages")) == 1
    [row] = logged_checks(crosscheck_bot.service)
    # Logged as asked in public by mention: an answer owed later may come back to this channel.
    assert (row["statement"], row["user_id"], row["via"]) == (SUPPORTED, str(discord_server.member.id), "mention")


async def test_a_bare_mention_explains_how_to_ask(discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot) -> None:
    _, reply = await mention(discord_server, "")

    assert reply.json["content"] == "Mention me with a statement to check, or use /check."
    assert reply.json["allowed_mentions"] == NO_PINGS_REPLY
    assert reply.response["mentions"] == []


# --------------------------------------------------------------------------- mass mentions


def mass_mention(server: FakeDiscord) -> str:
    """A statement that would ping everyone and the Moderator role if it were obeyed."""
    role = server.role("Moderator")  # a mentionable role
    return f"@everyone US troops will leave Iraq in 2026 <@&{role.id}>"


def assert_echoed_harmlessly(server: FakeDiscord, embed: JSON, message: JSON) -> None:
    """The statement is shown, escaped, and the message pings no one."""
    role_id = server.role("Moderator").id
    shown = json.dumps(embed, ensure_ascii=False)
    assert "@everyone" not in shown and f"<@&{role_id}>" not in shown
    assert "@\u200beveryone US troops will leave Iraq in 2026" in embed["description"]
    assert message["mentions"] == [] and message["mention_roles"] == [] and not message["mention_everyone"]


async def test_a_mass_mention_statement_via_check_is_echoed_harmlessly(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    handle, call = await slash_check(discord_server, mass_mention(discord_server))

    assert call.json["type"] == 4
    assert call.json["data"]["allowed_mentions"] == NO_PINGS
    assert handle.original_message is not None
    assert_echoed_harmlessly(discord_server, only_embed(call), handle.original_message)


async def test_a_mass_mention_statement_via_mention_is_echoed_harmlessly(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    sent, reply = await mention(discord_server, mass_mention(discord_server))

    assert sent["mention_everyone"] and sent["mention_roles"]  # the user's message did ping
    assert reply.json["allowed_mentions"] == NO_PINGS_REPLY
    assert_echoed_harmlessly(discord_server, only_embed(reply), reply.response)


# --------------------------------------------------------------------------- oversize replies


def oversize_claim(claim: Claim, versions: int = 30) -> Claim:
    """`claim` with many versions, long texts and long quotes, all full of markdown and mentions."""
    noise = "**bold** __under__ ~~strike~~ ||spoiler|| `code` > quote # head [link](https://x.test) @everyone "
    data = claim.model_dump(mode="json")
    first = data["versions"][0]
    articles = [s["article"] for s in first["sources"]]
    data["versions"] = [
        {
            **first,
            "id": f"oversize-{i}",
            "text": f"{first['text']} ({i}) {noise * 10}"[:400],
            "sources": [{"article": article, "quote": f"{i}.{j} {noise * 20}"[:1000], "said_by": noise[:90]}
                        for j, article in enumerate(articles)],
        }
        for i in range(versions)
    ]
    return Claim.model_validate(data)


async def test_an_oversize_reply_stays_within_discord_limits(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    engine = crosscheck_bot.service.engine
    engine.update_claim(oversize_claim(engine.base.claims["troops-in-iraq"]))
    statement = ("**Only 1,000** US troops are __left__ in ~~Iraq~~ `now` ||@everyone|| > [x](y) # " * 13)[:1000]
    reply = engine.check(statement)
    assert reply.claim is not None and reply.claim.id == "troops-in-iraq"
    assert len(reply.explanation) + len(escape(statement)) > 6000  # really too big for one embed

    handle, call = await slash_check(discord_server, statement)
    assert call.status == 200 and call.json["type"] == 4
    compact = only_embed(call)
    assert_within_embed_limits(compact)
    assert "Contradicted" in compact["title"]

    # "All sources" shows every version's sources: even more to fit.
    assert handle.original_message is not None
    check_id = check_id_of(call)
    click = await discord_server.send_component(f"cc:src:{check_id}", handle.original_message["id"])
    expanded_call = await click.callback()
    assert expanded_call.status == 200 and expanded_call.json["type"] == 4
    expanded = only_embed(expanded_call)
    assert_within_embed_limits(expanded)
    assert "credibility" in expanded["fields"][0]["value"]

    # The same statement as a mention.
    _, mentioned = await mention(discord_server, statement)
    assert mentioned.status == 200
    assert_within_embed_limits(only_embed(mentioned))
    assert_no_rejected_calls(discord_server)


# --------------------------------------------------------------------------- cooldowns


async def test_the_check_cooldown_slows_down_one_user_only(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot
) -> None:
    bot = await run_bot(make_crosscheck_bot(check_rate=2, check_per_seconds=60))

    for _ in range(2):
        _, call = await slash_check(discord_server, SUPPORTED)
        assert "Supported" in only_embed(call)["title"]
    _, third = await slash_check(discord_server, SUPPORTED)

    assert third.json["type"] == 4
    data = third.json["data"]
    assert is_ephemeral(data)
    assert re.fullmatch(r"Slow down a little: try again in \d+s\.", data["content"])
    assert not data.get("embeds")
    assert data["allowed_mentions"] == NO_PINGS
    # Another user is not affected.
    _, other = await slash_check(discord_server, SUPPORTED, user=discord_server.moderator)
    assert "Supported" in only_embed(other)["title"]
    users = [r["user_id"] for r in logged_checks(bot.service)]
    assert users == [str(discord_server.member.id)] * 2 + [str(discord_server.moderator.id)]


async def test_the_mention_cooldown_slows_down_one_user_only(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot
) -> None:
    bot = await run_bot(make_crosscheck_bot(check_rate=2, check_per_seconds=60))

    for _ in range(2):
        _, reply = await mention(discord_server, SUPPORTED)
        assert "Supported" in only_embed(reply)["title"]
    sent, third = await mention(discord_server, SUPPORTED)

    assert re.fullmatch(r"Slow down a little: try again in \d+s\.", third.json["content"])
    assert not third.json.get("embeds")
    assert third.json["message_reference"]["message_id"] == int(sent["id"])
    assert third.json["allowed_mentions"] == NO_PINGS_REPLY
    _, other = await mention(discord_server, SUPPORTED, author=discord_server.moderator)
    assert "Supported" in only_embed(other)["title"]
    assert len(logged_checks(bot.service)) == 3


# --------------------------------------------------------------------------- buttons and the select


async def test_feedback_buttons_record_one_vote_per_user(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    service = crosscheck_bot.service
    handle, call = await slash_check(discord_server, SUPPORTED)
    check_id = check_id_of(call)
    assert handle.original_message is not None
    message_id = handle.original_message["id"]

    helpful = await discord_server.send_component(f"cc:fb:{check_id}:1", message_id)
    answer = await helpful.callback()
    assert answer.json["type"] == 4
    assert is_ephemeral(answer.json["data"])
    assert answer.json["data"]["content"] == "Thanks, your feedback was recorded for the moderators."
    member, moderator = str(discord_server.member.id), str(discord_server.moderator.id)
    assert feedback_rows(service) == [(check_id, member, 1)]

    # A change of mind replaces the vote; another user's vote is added.
    await (await discord_server.send_component(f"cc:fb:{check_id}:0", message_id)).callback()
    await (await discord_server.send_component(f"cc:fb:{check_id}:1", message_id,
                                               user=discord_server.moderator)).callback()
    assert sorted(feedback_rows(service)) == sorted([(check_id, member, 0), (check_id, moderator, 1)])
    # The reply itself is untouched.
    assert discord_server.messages[int(message_id)]["embeds"] == handle.original_message["embeds"]


async def test_all_sources_shows_every_source_with_the_outlets_reasons(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    handle, call = await slash_check(discord_server, SUPPORTED)
    compact = only_embed(call)
    assert handle.original_message is not None

    click = await discord_server.send_component(f"cc:src:{check_id_of(call)}", handle.original_message["id"],
                                                user=discord_server.moderator)
    answer = await click.callback()

    assert answer.json["type"] == 4
    data = answer.json["data"]
    assert is_ephemeral(data)
    assert data["allowed_mentions"] == NO_PINGS
    expanded = only_embed(answer)
    assert expanded["title"] == compact["title"] and expanded["color"] == compact["color"]
    reply: Reply = crosscheck_bot.service.engine.check(SUPPORTED)
    sources = [s for v in reply.versions for s in v.sources]
    assert len(expanded["fields"]) == len(sources) > len(compact["fields"])
    for field, source in zip(expanded["fields"], sources, strict=True):
        assert f"**{escape(source.outlet_name)}** · credibility {source.credibility}/100" in field["value"]
        assert "\n-# " in field["value"]  # the outlet's credibility reasons
    assert_within_embed_limits(expanded)


async def test_did_you_mean_answers_with_the_chosen_claims_verdict(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    engine = crosscheck_bot.service.engine
    suggested = engine.check(LOOSE).suggestions
    assert suggested, "the shipped base no longer gives suggestions for this statement"
    choice = suggested[0].id

    handle, call = await slash_check(discord_server, LOOSE)
    embed = only_embed(call)
    assert "No match" in embed["title"]
    assert any(f["name"] == "Did you mean" and choice in f["value"] for f in embed["fields"])
    check_id = check_id_of(call)
    rows = call.json["data"]["components"]
    select = rows[-1]["components"][0]
    assert select["type"] == 3 and select["custom_id"] == f"cc:dym:{check_id}"
    assert [o["value"] for o in select["options"]] == [s.id for s in suggested]
    assert f"cc:src:{check_id}" not in custom_ids(rows)  # nothing matched, so no sources yet

    assert handle.original_message is not None
    picked = await discord_server.send_component(f"cc:dym:{check_id}", handle.original_message["id"],
                                                 component_type=3, values=[choice])
    answer = await picked.callback()

    assert answer.json["type"] == 4
    assert is_ephemeral(answer.json["data"])
    assert answer.json["data"]["allowed_mentions"] == NO_PINGS
    chosen = engine.check_against(LOOSE, choice)
    assert chosen.claim is not None
    chosen_embed = only_embed(answer)
    assert chosen_embed["title"] == f"✅ Supported — {chosen.headline}"
    assert escape(chosen.versions[0].text[:60]) in chosen_embed["fields"][0]["name"]
    assert chosen_embed["color"] == COLOURS[chosen.verdict]
    assert f"claim {choice}" in chosen_embed["footer"]["text"]


async def test_buttons_keep_working_after_a_restart(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot
) -> None:
    async with run_client(discord_server, make_crosscheck_bot()):
        handle, call = await slash_check(discord_server, SUPPORTED)
    check_id = check_id_of(call)
    assert handle.original_message is not None

    restarted = await run_bot(make_crosscheck_bot())
    click = await discord_server.send_component(f"cc:fb:{check_id}:1", handle.original_message["id"])
    assert (await click.callback()).json["data"]["content"].startswith("Thanks")
    assert feedback_rows(restarted.service) == [(check_id, str(discord_server.member.id), 1)]
    sources = await discord_server.send_component(f"cc:src:{check_id}", handle.original_message["id"])
    assert "Supported" in only_embed(await sources.callback())["title"]


# --------------------------------------------------------------------------- errors


async def test_an_error_in_a_check_gives_one_friendly_line_and_the_bot_keeps_serving(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    service = crosscheck_bot.service
    monkeypatch.setattr(service, "check", FailOnce(service, RuntimeError("the engine exploded")))

    handle, call = await slash_check(discord_server, SUPPORTED)

    assert call.json["type"] == 4
    assert call.json["data"]["content"] == FRIENDLY_ERROR
    assert is_ephemeral(call.json["data"])
    assert not call.json["data"].get("embeds")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.client"]
    assert len(errors) == 1
    assert "check failed:" in errors[0].getMessage()
    assert "Traceback" in errors[0].getMessage() and "RuntimeError: the engine exploded" in errors[0].getMessage()

    # The next /check is answered normally, and the failed one sent nothing more.
    _, after = await slash_check(discord_server, SUPPORTED)
    assert "Supported" in only_embed(after)["title"]
    assert handle.followup_message_ids == []


async def test_a_locked_database_says_the_database_is_busy(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    service = crosscheck_bot.service
    monkeypatch.setattr(service, "check", FailOnce(service, LOCKED))

    _, call = await slash_check(discord_server, SUPPORTED)

    assert call.json["type"] == 4
    assert is_ephemeral(call.json["data"])
    assert call.json["data"]["content"].startswith(BUSY)
    assert "store unavailable during /check" in caplog.text and "locked" in caplog.text
    _, after = await slash_check(discord_server, SUPPORTED)
    assert "Supported" in only_embed(after)["title"]


async def test_a_database_lost_while_counting_the_cooldown_still_answers_the_interaction(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    # The cooldown is counted in an app-command check, before the command runs: an error there
    # used to leave the interaction unanswered (discord.py only reports AppCommandErrors raised by
    # checks), which `crosscheck bench cluster` found after killing a process's connections.
    cooldowns = crosscheck_bot.service.store.cooldowns
    real_hit = cooldowns.hit
    failures = [StoreError("the database postgresql://x cannot be used right now (terminating connection due to "
                           "administrator command); nothing was changed. Try again in a moment")]

    def hit(*args: Any, **kwargs: Any) -> float | None:
        if failures:
            raise failures.pop()
        return real_hit(*args, **kwargs)

    monkeypatch.setattr(cooldowns, "hit", hit)

    _, call = await slash_check(discord_server, SUPPORTED)

    assert call.json["type"] == 4 and is_ephemeral(call.json["data"])
    assert call.json["data"]["content"].startswith(BUSY)
    assert "store unavailable during /check" in caplog.text and "administrator command" in caplog.text
    _, after = await slash_check(discord_server, SUPPORTED)
    assert "Supported" in only_embed(after)["title"]


async def test_an_error_in_the_context_menu_gives_one_friendly_line(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    service = crosscheck_bot.service
    monkeypatch.setattr(service, "check", FailOnce(service, RuntimeError("the engine exploded")))
    target = discord_server.make_message(MULTI_CLAIM, author=discord_server.moderator)

    handle = await discord_server.send_message_context_menu(MENU_NAME, target["id"])
    call = await handle.callback()

    assert call.json["data"]["content"] == FRIENDLY_ERROR
    assert is_ephemeral(call.json["data"])
    assert "RuntimeError: the engine exploded" in caplog.text
    again = await discord_server.send_message_context_menu(MENU_NAME, target["id"])
    assert "Disputed" in only_embed(await again.callback())["title"]


@pytest.mark.parametrize(("error", "line"), [
    (RuntimeError("the engine exploded"), "Sorry, something went wrong"),
    (LOCKED, BUSY),
], ids=["crash", "locked"])
async def test_an_error_in_a_mention_gives_one_friendly_reply_and_the_bot_keeps_serving(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, error: Exception, line: str
) -> None:
    service = crosscheck_bot.service
    monkeypatch.setattr(service, "check", FailOnce(service, error))

    _, reply = await mention(discord_server, SUPPORTED)

    assert reply.json["content"].startswith(line)
    assert reply.json["allowed_mentions"] == NO_PINGS_REPLY
    assert not reply.json.get("embeds")
    assert str(error) in caplog.text
    _, after = await mention(discord_server, SUPPORTED)
    assert "Supported" in only_embed(after)["title"]


async def test_a_locked_database_when_voting_says_the_database_is_busy(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    store = crosscheck_bot.service.store
    handle, call = await slash_check(discord_server, SUPPORTED)
    assert handle.original_message is not None
    real_record = store.checks.record_feedback
    failures = [LOCKED]

    def record_feedback(check_id: int, user_id: str, helpful: bool) -> None:
        if failures:
            raise failures.pop()
        real_record(check_id, user_id, helpful)

    monkeypatch.setattr(store.checks, "record_feedback", record_feedback)
    button = f"cc:fb:{check_id_of(call)}:1"

    click = await discord_server.send_component(button, handle.original_message["id"])
    answer = await click.callback()

    assert answer.json["type"] == 4
    assert is_ephemeral(answer.json["data"])
    assert answer.json["data"]["content"].startswith(BUSY)
    assert "locked" in caplog.text
    retry = await discord_server.send_component(button, handle.original_message["id"])
    assert (await retry.callback()).json["data"]["content"].startswith("Thanks")
    assert feedback_rows(crosscheck_bot.service) == [(check_id_of(call), str(discord_server.member.id), 1)]


async def test_an_error_behind_a_button_gives_one_friendly_line(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture
) -> None:
    engine = crosscheck_bot.service.engine
    handle, call = await slash_check(discord_server, SUPPORTED)
    assert handle.original_message is not None

    def broken(statement: str, claim_id: str) -> Reply:
        raise RuntimeError("the sources exploded")

    monkeypatch.setattr(engine, "check_against", broken)
    click = await discord_server.send_component(f"cc:src:{check_id_of(call)}", handle.original_message["id"])
    answer = await click.callback()

    assert answer.json["type"] == 4
    assert is_ephemeral(answer.json["data"])
    assert answer.json["data"]["content"] == FRIENDLY_ERROR
    assert "Traceback" in caplog.text and "RuntimeError: the sources exploded" in caplog.text


# --------------------------------------------------------------------------- secrets


async def test_the_token_is_never_logged(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    # The settings carry the token too, as in production (read from DISCORD_TOKEN).
    bot = await run_bot(make_crosscheck_bot(discord_token="fake-token"), token="fake-token")
    assert bot.settings.discord_token is not None and "fake-token" not in repr(bot.settings)
    monkeypatch.setattr(bot.service, "check", FailOnce(bot.service, RuntimeError("the engine exploded")))

    await slash_check(discord_server, SUPPORTED)  # fails: a traceback is logged
    await slash_check(discord_server, SUPPORTED, private=True)
    await mention(discord_server, SUPPORTED)

    assert any(r.name.startswith("discord.") and r.levelno == logging.DEBUG for r in caplog.records)
    assert "RuntimeError: the engine exploded" in caplog.text
    assert "fake-token" not in caplog.text
    assert not [r for r in caplog.records if "fake-token" in r.getMessage()]

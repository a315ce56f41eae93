"""Closing the loop, end to end: the real bot against the fake Discord.

A question the bot could not answer, once a moderator answers it, reaches the person who asked
(a direct message; if their DMs are closed and they had asked in public, a reply in that channel
that pings only them), once. Someone who pressed "Notify me" hears when the claim's verdict
changes, wherever the change was made (here: another process, as the CLI would), and stops
hearing when they stop following. Nobody else hears anything.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import TODAY
from fakediscord import JSON, Call, FakeDiscord, FakeMember, InteractionHandle

from bot.client import CrosscheckBot
from claims.curate import Curator
from claims.service import Crosscheck
from claims.store.follows import FAILED, SENT

UNMATCHED = "Are Washington's GIs garrisoned next door in Syria?"
CLAIM = "troops-in-syria"
SYRIA = "About 900 US troops are in Syria"
CLOSED_DMS = {"message": "Cannot send messages to this user", "code": 50007}


async def answered(handle: InteractionHandle) -> Call:
    """The call that answered an interaction (the callback, or the follow-up after a deferral)."""
    assert await handle.wait_until(lambda h: h.answer is not None, timeout=30)
    assert handle.answer is not None
    return handle.answer


def message_of(call: Call) -> JSON:
    return call.json["data"] if "/callback" in call.path else call.json


async def ask(server: FakeDiscord, bot: CrosscheckBot, statement: str, **options: Any) -> tuple[InteractionHandle, int]:
    """/check as the plain member; the handle and the check's id."""
    handle = await server.send_slash_command("check", {"statement": statement, **options})
    await answered(handle)
    bot.service.flush_log()
    return handle, int(bot.service.store.checks.between(None)[-1]["id"])


async def link(server: FakeDiscord, item: int, claim: str = CLAIM) -> str:
    """/review link as the moderator; the confirmation."""
    handle = await server.send_slash_command("review", {"item": item, "claim": claim}, subcommand="link",
                                             user=server.moderator)
    return message_of(await handle.callback())["content"]


def dms_to(server: FakeDiscord, member: FakeMember) -> list[Call]:
    dm = server.dm_channel(member)
    return server.calls_matching("POST", rf"/channels/{dm.id}/messages")


async def next_dm(server: FakeDiscord, member: FakeMember, timeout: float = 15) -> JSON:
    dm = server.dm_channel(member)
    return (await server.wait_for_call("POST", rf"/channels/{dm.id}/messages", timeout=timeout)).json


def statuses(bot: CrosscheckBot) -> list[tuple[str, str, str | None]]:
    rows = bot.service.store.db.query("SELECT kind, status, user_id FROM notices ORDER BY id")
    return [(r["kind"], r["status"], r["user_id"]) for r in rows]


async def settled(bot: CrosscheckBot, expected: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str | None]]:
    """The notices once they are as expected (recorded just after the send), or as they are after 10 s."""
    for _ in range(100):
        if statuses(bot) == expected:
            break
        await asyncio.sleep(0.1)
    return statuses(bot)


async def test_a_queued_question_answered_by_a_moderator_reaches_its_asker_once(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    _, item = await ask(discord_server, crosscheck_bot, UNMATCHED)

    confirmation = await link(discord_server, item)
    assert "1 person who asked will get the answer" in confirmation

    dm = await next_dm(discord_server, discord_server.member)
    assert dm["content"] == (f"🔔 The moderators answered a question you asked in **{discord_server.guild.name}**: "
                             f"“{UNMATCHED}”")
    [embed] = dm["embeds"]
    assert embed["title"].startswith("✅ Yes — "), "their own question, judged against the claim"
    assert dm["allowed_mentions"] == {"parse": []}
    # Once: the moderator's change is heard by the feed again and again, the message is not sent again.
    assert await crosscheck_bot.get_cog("Follows").deliver() == 0
    await asyncio.sleep(1.5)
    assert len(dms_to(discord_server, discord_server.member)) == 1
    # Nobody else: not the moderator, not the channel.
    assert dms_to(discord_server, discord_server.moderator) == []
    assert not discord_server.calls_matching("POST", rf"/channels/{discord_server.channel('general').id}/messages")
    assert await settled(crosscheck_bot, [("answer", SENT, None)]) == [("answer", SENT, None)], \
        "the user id goes once the message is sent"


async def test_with_closed_dms_a_public_asker_is_answered_in_the_channel_pinging_only_them(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    general = discord_server.channel("general")
    sent = await discord_server.send_message(f"{discord_server.bot_user.mention} {UNMATCHED}")
    await discord_server.wait_for_call("POST", rf"/channels/{sent['channel_id']}/messages")
    crosscheck_bot.service.flush_log()
    item = int(crosscheck_bot.service.store.checks.between(None)[-1]["id"])
    discord_server.fail("POST", r"/users/@me/channels", status=403, times=10, body=CLOSED_DMS)

    await link(discord_server, item)

    call = await discord_server.wait_for_call("POST", rf"/channels/{general.id}/messages", timeout=15)
    member = discord_server.member
    assert call.json["content"].startswith(f"<@{member.id}> 🔔 The moderators answered a question you asked")
    assert call.json["allowed_mentions"] == {"parse": [], "users": [member.id]}
    assert [m["id"] for m in call.response["mentions"]] == [str(member.id)], "it pings them, and only them"
    assert not call.response["mention_everyone"] and call.response["mention_roles"] == []
    assert await settled(crosscheck_bot, [("answer", SENT, None)]) == [("answer", SENT, None)]


async def test_a_private_asker_with_closed_dms_is_not_answered_in_public(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    _, item = await ask(discord_server, crosscheck_bot, UNMATCHED, private=True)
    discord_server.fail("POST", r"/users/@me/channels", status=403, times=10, body=CLOSED_DMS)

    await link(discord_server, item)

    assert await settled(crosscheck_bot, [("answer", FAILED, None)]) == [("answer", FAILED, None)]
    assert not discord_server.calls_matching("POST", rf"/channels/{discord_server.channel('general').id}/messages")


async def test_a_follower_hears_of_a_changed_verdict_until_they_stop_following(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, crosscheck_db: Path
) -> None:
    handle, check_id = await ask(discord_server, crosscheck_bot, SYRIA)
    assert handle.original_message is not None
    pressed = await discord_server.send_component(f"cc:follow:{check_id}", handle.original_message["id"])
    confirmation = message_of(await pressed.callback())
    assert confirmation["flags"] & 64, "only the follower sees it"
    assert confirmation["content"].startswith("🔔 I'll send you a direct message when the verdict on")
    [follow] = crosscheck_bot.service.store.follows.following()
    assert (follow.user_id, follow.claim_id, follow.standing) == (str(discord_server.member.id), CLAIM, "supported")

    # A curator changes the claim from another process (the CLI): the only source now says it is not so.
    guild = str(discord_server.guild.id)
    other = Crosscheck.open(crosscheck_db, today=TODAY)
    try:
        Curator(other, guild_id=guild).edit_version("cli:test", CLAIM, "about-900", None, values={"holds": False})
        dm = await next_dm(discord_server, discord_server.member)
        assert dm["content"].startswith(f"🔔 A claim you follow in **{discord_server.guild.name}** changed: ")
        assert dm["content"].endswith("was ✅ Supported, is now ❌ Contradicted.")
        stop_id = f"cc:unfollow:{follow.id}:{discord_server.member.id}"
        assert dm["components"][0]["components"][0]["custom_id"] == stop_id
        assert dms_to(discord_server, discord_server.moderator) == []

        # Stop following, from the direct message; the next change says nothing.
        in_dm = dms_to(discord_server, discord_server.member)[-1].response["id"]
        stop = await discord_server.send_component(stop_id, in_dm, user=discord_server.member)
        assert message_of(await stop.callback())["content"].startswith("🔕 Done")
        assert crosscheck_bot.service.store.follows.following() == []
        Curator(other, guild_id=guild).edit_version("cli:test", CLAIM, "about-900", None, values={"holds": True})
        await asyncio.sleep(2.5)
        assert len(dms_to(discord_server, discord_server.member)) == 1
    finally:
        other.close()


async def test_privacy_shows_what_someone_follows_and_erasing_ends_it(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    handle, check_id = await ask(discord_server, crosscheck_bot, SYRIA)
    assert handle.original_message is not None
    pressed = await discord_server.send_component(f"cc:follow:{check_id}", handle.original_message["id"])
    await pressed.callback()

    shown = await discord_server.send_slash_command("privacy", {}, subcommand="show")
    data = message_of(await shown.callback())
    [embed] = data["embeds"]
    assert "**1 claim you follow** (🔔 Notify me)" in embed["description"]
    buttons = [c["custom_id"] for row in data["components"] for c in row["components"]]
    member, guild = discord_server.member.id, discord_server.guild.id
    assert buttons == [f"cc:priv:ask:{guild}:{member}", f"cc:priv:unf:{guild}:{member}"]

    erase = await discord_server.send_slash_command("privacy", {}, subcommand="erase")
    asked = message_of(await erase.callback())
    assert "the 1 claim you follow" in asked["content"]
    confirm = next(c["custom_id"] for row in asked["components"] for c in row["components"]
                   if c["custom_id"].startswith("cc:priv:erase:"))
    done = await discord_server.send_component(confirm, erase.original_message["id"])
    assert "You no longer follow 1 claim." in message_of(await done.callback())["content"]
    assert crosscheck_bot.service.store.follows.following() == []

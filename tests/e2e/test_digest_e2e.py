"""/digest end to end: the real bot against the local Discord-compatible server.

A moderator sets the digest up, previews it (only they see it) and posts one now: it lands in
the #digest channel as an embed that pings nobody, with the moderators' report in #mods. A
plain member is refused. The scheduler lives and dies with the bot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from fakediscord import FLAG_EPHEMERAL, Call, FakeDiscord, RunBot

from bot.client import CrosscheckBot
from claims.store.digests import make_schedule

MakeCrosscheckBot = Callable[..., CrosscheckBot]
# Twelve hours from now, so that the real scheduler never fires in the middle of a test.
_LATER = (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=12)).strftime("%H:%M")
SETUP = {"channel": "digest", "frequency": "daily", "time": _LATER, "timezone": "Europe/London"}


async def _reply(handle: Any) -> dict[str, Any]:
    """What the bot answered to an interaction: the message itself, or the follow-up after a defer."""
    call: Call = await handle.callback()
    if call.json["type"] == 5:  # deferred: the answer comes as a follow-up
        return (await handle.followup()).json
    return call.json["data"]


async def test_moderator_sets_up_previews_and_posts_a_digest(discord_server: FakeDiscord,
                                                             crosscheck_bot: CrosscheckBot) -> None:
    mod = discord_server.moderator
    setup = await discord_server.send_slash_command("digest", {**SETUP, "mods_channel": "mods"},
                                                    subcommand="setup", user=mod)
    answer = await _reply(setup)
    assert answer["flags"] & FLAG_EPHEMERAL
    assert f"daily at {_LATER} (Europe/London)" in answer["content"]
    schedule = crosscheck_bot.service.store.digests.schedule(str(discord_server.guild.id))
    assert schedule is not None and schedule.channel_id == str(discord_server.channel("digest").id)
    cog = crosscheck_bot.get_cog("Digest")
    assert cog is not None and cog.scheduler.next_run(schedule.guild_id) is not None  # type: ignore[attr-defined]

    # Someone asks something, so the digest has news.
    asked = await discord_server.send_slash_command("check", {"statement": "@everyone The US has around 2500 "
                                                                           "troops in Iraq"})
    await asked.callback()

    preview = await discord_server.send_slash_command("digest", subcommand="preview", user=mod)
    shown = await _reply(preview)
    assert shown["flags"] & FLAG_EPHEMERAL and shown["embeds"][0]["title"].startswith("📰 Fact-check digest")
    assert not discord_server.calls_matching("POST", rf"/channels/{discord_server.channel('digest').id}/messages")

    now = await discord_server.send_slash_command("digest", subcommand="now", user=mod)
    done = await _reply(now)
    assert "Posted the digest" in done["content"]

    digest_channel = discord_server.channel("digest").id
    post = await discord_server.wait_for_call("POST", rf"/channels/{digest_channel}/messages")
    assert post.status == 200
    assert post.json["allowed_mentions"] == {"parse": []}
    embed = post.json["embeds"][0]
    assert embed["title"].startswith("📰 Fact-check digest")
    most_asked = next(f for f in embed["fields"] if f["name"] == "🔥 Most asked")
    assert "About 2,500 U.S. troops are stationed in Iraq." in most_asked["value"]
    assert post.response["mentions"] == [] and not post.response["mention_everyone"]

    mods = await discord_server.wait_for_call("POST", rf"/channels/{discord_server.channel('mods').id}/messages")
    assert mods.json["allowed_mentions"] == {"parse": []}
    assert mods.json["embeds"][0]["title"].startswith("🛡️ Moderators' digest")

    (record,) = crosscheck_bot.service.store.digests.records(schedule.guild_id)
    assert (record.status, record.message_id) == ("posted", post.response["id"])

    # Again at once: nothing new since, so nothing is posted.
    again = await _reply(await discord_server.send_slash_command("digest", subcommand="now", user=mod))
    assert again["flags"] & FLAG_EPHEMERAL
    assert "Nothing new" in again["content"] or "a moment ago" in again["content"]
    assert len(discord_server.calls_matching("POST", rf"/channels/{digest_channel}/messages")) == 1

    off = await _reply(await discord_server.send_slash_command("digest", subcommand="off", user=mod))
    assert "stopped" in off["content"]
    assert cog.scheduler.next_run(schedule.guild_id) is None  # type: ignore[attr-defined]


async def test_a_plain_member_is_refused(discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot) -> None:
    for subcommand, options in (("setup", SETUP), ("now", {}), ("preview", {}), ("off", {})):
        handle = await discord_server.send_slash_command("digest", options, subcommand=subcommand,
                                                         user=discord_server.member)
        answer = await _reply(handle)
        assert answer["flags"] & FLAG_EPHEMERAL
        assert "Only moderators" in answer["content"]
    assert crosscheck_bot.service.store.digests.schedule(str(discord_server.guild.id)) is None
    assert not discord_server.calls_matching("POST", r"/channels/\d+/messages")


async def test_the_command_is_hidden_from_members_and_bad_settings_are_refused(
        discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot) -> None:
    command = discord_server.find_command("digest")
    assert command["default_member_permissions"] == str(1 << 13)  # MANAGE_MESSAGES
    assert {o["name"] for o in command["options"]} == {"setup", "preview", "now", "off"}

    bad = await discord_server.send_slash_command("digest", {**SETUP, "timezone": "Mars/Olympus"},
                                                  subcommand="setup", user=discord_server.moderator)
    answer = await _reply(bad)
    assert "unknown time zone" in answer["content"] and "Nothing was changed" in answer["content"]
    assert crosscheck_bot.service.store.digests.schedule(str(discord_server.guild.id)) is None


async def test_the_scheduler_stops_with_the_bot(discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot) -> None:
    cog = crosscheck_bot.get_cog("Digest")
    assert cog is not None and cog.scheduler.running  # type: ignore[attr-defined]
    await crosscheck_bot.close()
    assert not cog.scheduler.running  # type: ignore[attr-defined]


async def test_a_digest_missed_while_the_bot_was_down_is_posted_once_on_return(
        discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot) -> None:
    """The schedule is in the database; the bot was down when it fired ten minutes ago."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    guild, channel = str(discord_server.guild.id), discord_server.channel("digest").id
    first = make_crosscheck_bot()
    schedule = make_schedule(guild, str(channel), "daily", (now - timedelta(minutes=10)).strftime("%H:%M"), "UTC")
    set_up = (now - timedelta(days=2)).isoformat()
    first.service.store.digests.save_schedule(dataclasses.replace(schedule, created_at=set_up, updated_at=set_up))
    with time_machine.travel(now - timedelta(minutes=20), tick=False):
        first.service.check("The US has around 2500 troops in Iraq", user_id="1", guild_id=guild)

    for bot in (first, make_crosscheck_bot()):  # start, then restart
        await run_bot(bot)
        cog = bot.get_cog("Digest")
        assert cog is not None
        await cog._catch_up_task  # type: ignore[attr-defined]
        await bot.close()

    posts = discord_server.calls_matching("POST", rf"/channels/{channel}/messages")
    assert len(posts) == 1 and posts[0].json["allowed_mentions"] == {"parse": []}
    (record,) = first.service.store.digests.records(guild)
    assert record.status == "posted" and record.reason == "missed run"

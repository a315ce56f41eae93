"""The bot as two sharded processes (shards 0 and 1 of 2) on one database: each answers its own
servers, an edit made through one is seen by the other, each schedules only its own servers'
digests and hears a schedule changed elsewhere, and a member's cooldown outlives a restart."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from conftest import TODAY
from fakediscord import FakeDiscord, FakeGuild, RunBot

from bot.client import CrosscheckBot, shard_of
from claims.curate import Curator
from claims.service import Crosscheck
from claims.store import Where
from claims.store.digests import make_schedule

ALIAS = "GIs in Syria number about nine hundred"
pytestmark = pytest.mark.fakediscord(shards=2)


async def eventually(condition, seconds: float = 15.0) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


@pytest.fixture
async def shards(second_guild: FakeGuild, make_crosscheck_bot, run_bot: RunBot) -> tuple[CrosscheckBot, CrosscheckBot]:
    """Shard 0 (it syncs the commands, globally) started first, then shard 1, on one database."""
    first = await run_bot(make_crosscheck_bot(dev_guild_id=None, shard_count=2, shard_ids=[0]))
    second = await run_bot(make_crosscheck_bot(dev_guild_id=None, shard_count=2, shard_ids=[1], check_rate=2))
    return first, second


def test_the_two_servers_are_on_different_shards(discord_server: FakeDiscord, second_guild: FakeGuild) -> None:
    assert {shard_of(discord_server.guild.id, 2), shard_of(second_guild.id, 2)} == {0, 1}


async def test_each_process_answers_its_own_servers(discord_server: FakeDiscord, second_guild: FakeGuild,
                                                   shards: tuple[CrosscheckBot, CrosscheckBot]) -> None:
    first, second = shards
    assert {g.id for g in first.guilds} == {discord_server.guild.id}
    assert {g.id for g in second.guilds} == {second_guild.id}
    for guild, user in ((discord_server.guild, discord_server.member), (second_guild, second_guild.owner_member)):
        handle = await discord_server.send_slash_command("check", {"statement": "ISIS was defeated in Iraq in 2017"},
                                                         user=user, guild=guild)
        call = await handle.callback()
        assert handle.shard == (shard_of(guild.id, 2), 2)
        assert call.json["data"]["embeds"][0]["title"].startswith("✅")


async def test_an_edit_made_through_one_process_is_answered_by_the_other(
        discord_server: FakeDiscord, second_guild: FakeGuild, shards: tuple[CrosscheckBot, CrosscheckBot]) -> None:
    first, _ = shards
    store = first.service.store
    with store.transaction() as tx:  # one base for both servers, curated by B's owner
        store.workspaces.create(tx, "newsroom", name="Newsroom", kind="shared", parent="default",
                                home_guild=str(second_guild.id))
        store.workspaces.attach(tx, str(discord_server.guild.id), "newsroom", "cli:op")
        store.workspaces.attach(tx, str(second_guild.id), "newsroom", "cli:op")
        store.workspaces.add_curator(tx, "newsroom", "user", str(second_guild.owner_member.id), "cli:op")
    handle = await discord_server.send_slash_command(
        "claim", {"claim": "troops-in-syria", "action": "add", "text": ALIAS}, subcommand="alias",
        user=second_guild.owner_member, guild=second_guild)
    assert (await handle.callback()).json["data"]["content"].startswith("✅")
    asked = await discord_server.send_slash_command("check", {"statement": ALIAS}, user=discord_server.member,
                                                    guild=discord_server.guild)
    call = await asked.callback()
    assert asked.shard == (0, 2)  # answered by the other process
    assert re.search(r"claim troops-in-syria ·", call.json["data"]["embeds"][0]["footer"]["text"])


async def test_each_process_schedules_only_its_servers_digests_and_hears_a_schedule_changed_elsewhere(
        discord_server: FakeDiscord, second_guild: FakeGuild, shards: tuple[CrosscheckBot, CrosscheckBot]) -> None:
    first, second = shards
    a, b = str(discord_server.guild.id), str(second_guild.id)
    digests = first.service.store.digests
    for guild in (a, b):
        digests.save_schedule(make_schedule(guild, str(discord_server.guild.channel("digest").id), "daily", "09:00",
                                            "UTC", by="mod"))
    schedulers = [bot.get_cog("Digest").scheduler for bot in (first, second)]  # type: ignore[union-attr]
    assert await eventually(lambda: schedulers[0].next_run(a) is not None and schedulers[1].next_run(b) is not None)
    assert schedulers[0].next_run(b) is None and schedulers[1].next_run(a) is None
    # B's moderators move their digest to 18:00 through the first process: the second hears of it.
    digests.save_schedule(make_schedule(b, str(second_guild.channel("digest").id), "daily", "18:00", "UTC", by="mod"))
    assert await eventually(lambda: (schedulers[1].next_run(b) or datetime.min.replace(tzinfo=UTC)).hour == 18)


async def test_a_members_cooldown_outlives_the_process_that_counted_it(
        discord_server: FakeDiscord, second_guild: FakeGuild, shards: tuple[CrosscheckBot, CrosscheckBot],
        make_crosscheck_bot, run_bot: RunBot) -> None:
    _, second = shards
    user = second_guild.owner_member

    async def ask() -> str:
        handle = await discord_server.send_slash_command("check", {"statement": "ISIS was defeated in 2017"},
                                                         user=user, guild=second_guild)
        data = (await handle.callback()).json["data"]
        return data.get("content") or data["embeds"][0]["title"]

    assert not (await ask()).startswith("Slow down")
    assert not (await ask()).startswith("Slow down")
    await second.close()  # shard 1's process stops; another takes its place
    await run_bot(make_crosscheck_bot(dev_guild_id=None, shard_count=2, shard_ids=[1], check_rate=2))
    assert (await ask()).startswith("Slow down a little")


async def test_a_follower_hears_a_changed_verdict_once_however_many_processes_run(
        discord_server: FakeDiscord, second_guild: FakeGuild, shards: tuple[CrosscheckBot, CrosscheckBot],
        crosscheck_db) -> None:
    _, second = shards
    member = second_guild.owner_member
    handle = await discord_server.send_slash_command("check", {"statement": "About 900 US troops are in Syria"},
                                                     user=member, guild=second_guild)
    assert await handle.wait_until(lambda h: h.original_message is not None, timeout=30)
    second.service.flush_log()
    [row] = second.service.store.checks.between(Where(str(second_guild.id)))
    pressed = await discord_server.send_component(f"cc:follow:{row['id']}", handle.original_message["id"], user=member)
    assert (await pressed.callback()).json["data"]["content"].startswith("🔔")

    # The operator edits the base both servers inherit, from the terminal: both processes hear of it.
    cli = Crosscheck.open(crosscheck_db, today=TODAY)
    try:
        Curator(cli, workspace_id="default").edit_version("cli:op", "troops-in-syria", "about-900", None,
                                                          values={"holds": False})
    finally:
        cli.close()
    dm = discord_server.dm_channel(member)
    assert await eventually(lambda: discord_server.calls_matching("POST", rf"/channels/{dm.id}/messages"))
    await asyncio.sleep(2.5)  # both processes have long heard of the change by now
    [sent] = discord_server.calls_matching("POST", rf"/channels/{dm.id}/messages")
    assert "is now ❌ Contradicted" in sent.json["content"]
    assert [r["status"] for r in second.service.store.db.query("SELECT status FROM notices")] == ["sent"]

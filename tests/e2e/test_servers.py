"""Two Discord servers on one bot: nothing one server does reaches another's answers or queue.

Server A is the fake's first guild; server B is `second_guild`, whose owner plays the attacker
of the report behind this feature: an admin of *some* server the bot joined, trying to change
what A's members are told, to read A's questions, or to undo A's moderators' work.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fakediscord import JSON, Call, FakeDiscord, FakeGuild, FakeMember, RunBot

from bot.client import CrosscheckBot
from claims.store import Where

MESSAGE = 4
EPHEMERAL = 1 << 6
DEFEATED = "ISIS was defeated in Iraq in 2017"
DEFEATED_CLAIM = "isis-defeated-iraq-2017"
QUEUED = "Are Washington's GIs garrisoned next door in Syria?"
ALIAS = "GIs in Syria number about nine hundred"


@pytest.fixture
async def bot(second_guild: FakeGuild, make_crosscheck_bot, run_bot: RunBot) -> CrosscheckBot:
    """The bot in both servers, its commands synced globally so both have them."""
    return await run_bot(make_crosscheck_bot(dev_guild_id=None))


async def run(server: FakeDiscord, name: str, options: dict[str, Any] | None = None, *, user: FakeMember,
              guild: FakeGuild, subcommand: str | None = None) -> Call:
    handle = await server.send_slash_command(name, options or {}, subcommand=subcommand, user=user, guild=guild)
    return await handle.callback()


def text_of(call: Call) -> str:
    assert call.json["type"] == MESSAGE, call.json
    return call.json["data"].get("content") or ""


async def verdict(server: FakeDiscord, guild: FakeGuild, statement: str, user: FakeMember) -> JSON:
    call = await run(server, "check", {"statement": statement}, user=user, guild=guild)
    [embed] = call.json["data"]["embeds"]
    return embed


def claim_of(embed: JSON) -> str | None:
    found = re.search(r"claim ([a-z0-9-]+) ·", embed.get("footer", {}).get("text", ""))
    return found[1] if found else None


async def test_an_admin_of_another_server_changes_only_their_own_servers_answers(
        discord_server: FakeDiscord, second_guild: FakeGuild, bot: CrosscheckBot) -> None:
    a = discord_server.guild
    attacker = second_guild.owner_member
    member_a = discord_server.member
    before = await verdict(discord_server, a, DEFEATED, member_a)
    assert claim_of(before) == DEFEATED_CLAIM and before["title"].startswith("✅")

    retired = await run(discord_server, "claim", {"claim": DEFEATED_CLAIM, "reason": "mine now"}, user=attacker,
                        guild=second_guild, subcommand="retire")
    assert text_of(retired).startswith("✅")
    rated = await run(discord_server, "source", {"outlet": "iswnews", "criterion": "false_content", "rating": "yes",
                                                 "reason": "trust me"}, user=attacker, guild=second_guild,
                      subcommand="rate")
    assert text_of(rated).startswith("✅")

    # A's members are told what they were told before; B's are told B's base.
    after = await verdict(discord_server, a, DEFEATED, member_a)
    assert claim_of(after) == DEFEATED_CLAIM and after["title"] == before["title"]
    assert claim_of(await verdict(discord_server, second_guild, DEFEATED, second_guild.plain_member)) != DEFEATED_CLAIM
    service = bot.service
    assert service.engine_for(service.workspace_of(str(a.id))).base.outlets["iswnews"] \
        .criteria["false_content"].rating != "yes"


async def test_an_admin_of_another_server_cannot_undo_this_servers_changes(
        discord_server: FakeDiscord, second_guild: FakeGuild, bot: CrosscheckBot) -> None:
    a = discord_server.guild
    added = await run(discord_server, "claim", {"claim": "troops-in-syria", "action": "add", "text": ALIAS},
                      user=discord_server.moderator, guild=a, subcommand="alias")
    number = int(re.match(r"✅ #(\d+)", text_of(added))[1])
    undo = await run(discord_server, "claim", {"change": number}, user=second_guild.owner_member,
                     guild=second_guild, subcommand="undo")
    assert text_of(undo).startswith("⛔") and "no change" in text_of(undo)
    history = await run(discord_server, "claim", {"claim": "troops-in-syria"}, user=second_guild.owner_member,
                        guild=second_guild, subcommand="history")
    assert "No changes recorded" in text_of(history)
    assert claim_of(await verdict(discord_server, a, ALIAS, discord_server.member)) == "troops-in-syria"


async def test_a_server_never_sees_or_handles_another_servers_questions(
        discord_server: FakeDiscord, second_guild: FakeGuild, bot: CrosscheckBot) -> None:
    a = discord_server.guild
    handle = await discord_server.send_slash_command("check", {"statement": QUEUED, "private": True},
                                                     user=discord_server.member, guild=a)
    await handle.callback()
    listed = await run(discord_server, "review", user=second_guild.owner_member, guild=second_guild,
                       subcommand="list")
    assert "empty" in text_of(listed)
    [item] = bot.service.store.checks.queued(Where(str(a.id)))
    dismiss = await run(discord_server, "review", {"item": item["id"]}, user=second_guild.owner_member,
                        guild=second_guild, subcommand="dismiss")
    assert text_of(dismiss).startswith("⛔")
    link = await run(discord_server, "review", {"item": item["id"], "claim": "troops-in-syria"},
                     user=second_guild.owner_member, guild=second_guild, subcommand="link")
    assert text_of(link).startswith("⛔")
    assert len(bot.service.store.checks.queued(Where(str(a.id)))) == 1
    shown = await run(discord_server, "review", user=discord_server.moderator, guild=a, subcommand="list")
    assert QUEUED.replace("'", "") in shown.json["data"]["embeds"][0]["description"].replace("\\", "").replace("'", "")


async def test_the_everyone_role_cannot_be_made_the_moderator_role_and_grants_nothing_elsewhere(
        discord_server: FakeDiscord, second_guild: FakeGuild, bot: CrosscheckBot) -> None:
    refused = await run(discord_server, "modrole", {"role": second_guild.everyone.id},
                        user=second_guild.owner_member, guild=second_guild, subcommand="set")
    assert "every member" in text_of(refused)
    assert bot.service.store.settings.moderator_role(str(second_guild.id)) is None
    # A plain member of A gains nothing from B's settings.
    tried = await run(discord_server, "claim", {"claim": DEFEATED_CLAIM, "reason": "x"},
                      user=discord_server.member, guild=discord_server.guild, subcommand="retire")
    assert "Only moderators" in text_of(tried)


async def test_a_shared_workspace_is_curated_only_by_its_named_curators(
        discord_server: FakeDiscord, second_guild: FakeGuild, bot: CrosscheckBot) -> None:
    a = discord_server.guild
    store = bot.service.store
    curator = second_guild.plain_member  # plain in B, a moderator in A: named by user id
    with store.transaction() as tx:
        store.workspaces.create(tx, "newsroom", name="Newsroom", kind="shared", parent="default",
                                home_guild=str(a.id))
        store.workspaces.attach(tx, str(a.id), "newsroom", "cli:op")
        store.workspaces.attach(tx, str(second_guild.id), "newsroom", "cli:op")
        store.workspaces.add_curator(tx, "newsroom", "user", str(curator.id), "cli:op")
    option = {"claim": "troops-in-syria", "action": "add", "text": ALIAS}

    # The owners (admins) of both attached servers are refused: the base is not theirs.
    for guild in (a, second_guild):
        owner = guild.owner_member
        refused = await run(discord_server, "claim", option, user=owner, guild=guild, subcommand="alias")
        assert "only its named curators" in text_of(refused), text_of(refused)
    assert "troops-in-syria" not in {o.id for o in store.objects.own("newsroom")}

    # The named curator can, from either server; both servers see the change.
    done = await run(discord_server, "claim", option, user=curator, guild=second_guild, subcommand="alias")
    assert text_of(done).startswith("✅")
    for guild, member in ((a, discord_server.member), (second_guild, second_guild.owner_member)):
        assert claim_of(await verdict(discord_server, guild, ALIAS, member)) == "troops-in-syria"


async def test_a_curator_role_counts_only_in_the_shared_workspaces_home_server(
        discord_server: FakeDiscord, second_guild: FakeGuild, make_crosscheck_bot, run_bot: RunBot) -> None:
    a = discord_server.guild
    editors = discord_server.add_role("Editors")
    both = discord_server.add_member("dana", roles=["Editors"])
    discord_server.add_member(both, guild=second_guild)  # a plain member in B
    bot = await run_bot(make_crosscheck_bot(dev_guild_id=None))
    store = bot.service.store
    with store.transaction() as tx:
        store.workspaces.create(tx, "newsroom", name="Newsroom", kind="shared", parent="default",
                                home_guild=str(a.id))
        store.workspaces.attach(tx, str(a.id), "newsroom", "cli:op")
        store.workspaces.attach(tx, str(second_guild.id), "newsroom", "cli:op")
        store.workspaces.add_curator(tx, "newsroom", "role", str(editors.id), "cli:op")
    option = {"claim": "troops-in-syria", "action": "add", "text": ALIAS}
    in_b = await run(discord_server, "claim", option, user=both, guild=second_guild, subcommand="alias")
    assert "only its named curators" in text_of(in_b)
    in_a = await run(discord_server, "claim", option, user=both, guild=a, subcommand="alias")
    assert text_of(in_a).startswith("✅")

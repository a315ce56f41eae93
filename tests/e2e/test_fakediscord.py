"""Self-tests: the real discord.py client against the fake Discord server."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from fakediscord import FakeDiscord, FakeGuild, Overwrite, RunBot

# --------------------------------------------------------------------------- the bot under test


@dataclass
class Seen:
    """What the test bot observed, so tests can assert on the bot side too."""

    clicks: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    checked: list[discord.Message] = field(default_factory=list)
    ping_members: list[discord.Member | discord.User] = field(default_factory=list)
    reactions: list[str] = field(default_factory=list)
    verdicts: list[tuple[list[str], str]] = field(default_factory=list)
    message_guilds: list[int | None] = field(default_factory=list)
    guild_events: list[str] = field(default_factory=list)
    frames: list[dict[str, object]] = field(default_factory=list)
    ping_guilds: list[int | None] = field(default_factory=list)
    shard_events: list[str] = field(default_factory=list)


class VoteView(discord.ui.View):
    def __init__(self, seen: Seen) -> None:
        super().__init__(timeout=None)
        self.seen = seen

    @discord.ui.button(label="Agree", style=discord.ButtonStyle.success, custom_id="vote:agree")
    async def agree(self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]) -> None:
        self.seen.clicks.append(f"{interaction.user.name}:{button.custom_id}")
        await interaction.response.edit_message(content="Thanks for voting", view=None)


class ReportModal(discord.ui.Modal, title="Report a claim"):
    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(label="Reason", custom_id="reason")
    details: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="Details", custom_id="details", required=False, style=discord.TextStyle.paragraph
    )

    def __init__(self) -> None:
        super().__init__(custom_id="report-modal")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"report: {self.reason.value} / {self.details.value or '-'}", ephemeral=True
        )


class VerdictModal(discord.ui.Modal, title="Why?"):
    why: discord.ui.Label[VerdictModal] = discord.ui.Label(text="Why", component=discord.ui.TextInput(custom_id="why"))

    def __init__(self, seen: Seen, values: list[str]) -> None:
        super().__init__(custom_id="verdict-modal")
        self.seen = seen
        self.values = values

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.why.component, discord.ui.TextInput)
        self.seen.verdicts.append((self.values, self.why.component.value))
        await interaction.response.edit_message(content=f"Verdict: {self.values[0]}", view=None)


class PickView(discord.ui.View):
    def __init__(self, seen: Seen) -> None:
        super().__init__(timeout=60)
        self.seen = seen

    @discord.ui.select(
        custom_id="verdict",
        options=[discord.SelectOption(label="True", value="true"), discord.SelectOption(label="False", value="false")],
    )
    async def verdict(self, interaction: discord.Interaction, select: discord.ui.Select[PickView]) -> None:
        await interaction.response.send_modal(VerdictModal(self.seen, select.values))


def make_bot(
    seen: Seen,
    *,
    message_content: bool = True,
    sync: bool = True,
    frames: bool = False,
    cls: type[commands.Bot] = commands.Bot,
    **options: Any,
) -> commands.Bot:
    """A small bot exercising the interaction and message paths the real bot uses.

    ``frames=True`` records every gateway frame the client receives in ``seen.frames``.
    ``cls`` (e.g. ``commands.AutoShardedBot``) is built with ``options`` (``shard_count``...).
    """
    intents = discord.Intents.default()
    intents.message_content = message_content
    bot = cls(command_prefix="!", intents=intents, enable_debug_events=frames, **options)

    if frames:

        @bot.event
        async def on_socket_raw_receive(raw: str) -> None:
            seen.frames.append(json.loads(raw))

    @bot.tree.command(name="ping", description="Replies with an embed")
    async def ping(interaction: discord.Interaction, text: str) -> None:
        seen.ping_members.append(interaction.user)
        seen.ping_guilds.append(interaction.guild_id)
        embed = discord.Embed(title="Pong", description=text, colour=discord.Colour.green())
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())

    @bot.tree.command(name="slow", description="Defers, then follows up")
    async def slow(interaction: discord.Interaction, count: int, loud: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=not loud)
        await asyncio.sleep(0)
        await interaction.followup.send(f"done {count * 2}")

    @bot.tree.command(name="vote", description="Posts a vote button")
    async def vote(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Is it true?", view=VoteView(seen))

    @bot.tree.command(name="report", description="Opens a modal")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ReportModal())

    topics = app_commands.Group(name="topic", description="Topics")

    @topics.command(name="find", description="Find a topic")
    async def topic_find(interaction: discord.Interaction, query: str, limit: int = 3) -> None:
        await interaction.response.send_message(f"find {query} {limit}", ephemeral=True)

    @topic_find.autocomplete("query")
    async def topic_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = ["vaccines", "voting", "climate"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    bot.tree.add_command(topics)

    @bot.tree.command(name="whois", description="Resolved user/channel/role options")
    async def whois(
        interaction: discord.Interaction, user: discord.Member, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        await interaction.response.send_message(f"{user.display_name} {channel.name} {role.name}")

    @bot.tree.command(name="where", description="Works in DMs too")
    async def where(interaction: discord.Interaction) -> None:
        kind = type(interaction.channel).__name__
        await interaction.response.send_message(f"{kind} guild={interaction.guild_id}")

    @bot.tree.command(name="pick", description="A select that opens a modal")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick a verdict", view=PickView(seen))

    @bot.tree.context_menu(name="Check message")
    async def check_message(interaction: discord.Interaction, message: discord.Message) -> None:
        seen.checked.append(message)
        await interaction.response.send_message(f"checked: {message.content}", ephemeral=True)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        seen.messages.append(message.content)
        seen.message_guilds.append(message.guild.id if message.guild else None)
        if message.content.startswith("hello"):
            await message.channel.send(f"hi {message.author.mention}", allowed_mentions=discord.AllowedMentions.none())
        elif message.content == "source?":
            await message.add_reaction("\N{WHITE HEAVY CHECK MARK}")
            await message.reply("Here is the source")  # default allowed_mentions: pings the author

    @bot.event
    async def on_guild_available(guild: discord.Guild) -> None:
        seen.guild_events.append(f"available:{guild.name}")

    @bot.event
    async def on_guild_join(guild: discord.Guild) -> None:
        seen.guild_events.append(f"join:{guild.name}")
        if guild.system_channel is not None:
            await guild.system_channel.send(f"Thanks for adding me to {guild.name}!")

    @bot.event
    async def on_guild_remove(guild: discord.Guild) -> None:
        seen.guild_events.append(f"remove:{guild.name}")

    @bot.event
    async def on_shard_ready(shard_id: int) -> None:
        seen.shard_events.append(f"ready:{shard_id}")

    @bot.event
    async def on_shard_resumed(shard_id: int) -> None:
        seen.shard_events.append(f"resumed:{shard_id}")

    @bot.event
    async def on_reaction_add(reaction: discord.Reaction, user: discord.Member | discord.User) -> None:
        seen.reactions.append(f"{user.name}:{reaction.emoji}")

    if sync:

        async def setup_hook() -> None:
            await bot.tree.sync()

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def bot(discord_server: FakeDiscord, run_bot: RunBot, seen: Seen) -> commands.Bot:
    return await run_bot(make_bot(seen))


# --------------------------------------------------------------------------- tests


async def test_login_ready_and_guild_cache(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    assert bot.user is not None and bot.user.id == discord_server.bot_user.id
    assert bot.application_id == discord_server.application_id
    guild = bot.get_guild(discord_server.guild.id)
    assert guild is not None
    assert {c.name for c in guild.text_channels} == {"general", "digest", "mods"}
    assert {r.name for r in guild.roles} >= {"@everyone", "Moderator"}
    assert guild.me is not None and guild.me.id == bot.user.id
    mods = guild.get_channel(discord_server.channel("mods").id)
    assert isinstance(mods, discord.TextChannel)
    assert not mods.permissions_for(guild.default_role).view_channel

    synced = await discord_server.wait_for_call("PUT", rf"/applications/{bot.application_id}/commands")
    assert {c["name"] for c in synced.json} == {
        *("ping", "slow", "vote", "report", "topic", "whois", "where", "pick", "Check message")
    }
    assert all(c["id"] for c in synced.response)
    assert discord_server.calls_matching("GET", "/users/@me")
    assert discord_server.calls_matching("GET", "/oauth2/applications/@me")
    discord_server.assert_no_unknown_calls()


async def test_slash_command_reply_with_embed(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    handle = await discord_server.send_slash_command("ping", {"text": "hello <@1>"})
    call = await handle.callback()

    assert call.json["type"] == 4
    data = call.json["data"]
    assert data["embeds"][0]["title"] == "Pong"
    assert data["embeds"][0]["description"] == "hello <@1>"
    assert data["allowed_mentions"] == {"parse": []}
    assert handle.original_message is not None
    assert handle.original_message["interaction_metadata"]["id"] == str(handle.id)
    # The invoking user arrives as a Member with their roles and permissions.
    member = seen.ping_members[0]
    assert isinstance(member, discord.Member) and member.id == discord_server.member.id


async def test_moderator_permissions_reach_the_bot(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    await (await discord_server.send_slash_command("ping", {"text": "a"}, user=discord_server.moderator)).callback()
    await (await discord_server.send_slash_command("ping", {"text": "b"})).callback()
    moderator, plain = seen.ping_members
    assert isinstance(moderator, discord.Member) and isinstance(plain, discord.Member)
    assert moderator.resolved_permissions is not None and moderator.resolved_permissions.manage_messages
    assert plain.resolved_permissions is not None and not plain.resolved_permissions.manage_messages
    assert [r.name for r in moderator.roles if not r.is_default()] == ["Moderator"]


async def test_deferred_command_then_followup(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    handle = await discord_server.send_slash_command("slow", {"count": 21, "loud": True})
    assert [o["type"] for o in handle.payload["data"]["options"]] == [4, 5]

    callback = await handle.callback()
    assert callback.json["type"] == 5
    followup = await handle.followup()
    assert followup.json["content"] == "done 42"
    assert followup.query["wait"] == "1"
    # The first follow-up after a defer replaces the "thinking" message.
    assert handle.original_message is not None
    assert handle.original_message["content"] == "done 42"
    assert not handle.original_message["flags"] & 128


async def test_message_context_menu(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    target = discord_server.make_message("The moon is made of cheese", author=discord_server.moderator)
    handle = await discord_server.send_message_context_menu("Check message", target["id"])
    call = await handle.callback()

    assert call.json["type"] == 4
    assert call.json["data"]["content"] == "checked: The moon is made of cheese"
    assert call.json["data"]["flags"] == 64
    assert seen.checked[0].id == int(target["id"])
    assert seen.checked[0].author.id == discord_server.moderator.id


async def test_button_click_reaches_view(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    handle = await discord_server.send_slash_command("vote")
    await handle.callback()
    message = handle.original_message
    assert message is not None
    assert message["components"][0]["components"][0]["custom_id"] == "vote:agree"

    click = await discord_server.send_component("vote:agree", message["id"], user=discord_server.moderator)
    update = await click.callback()

    assert update.json["type"] == 7
    assert update.json["data"]["content"] == "Thanks for voting"
    assert seen.clicks == ["morgan_mod:vote:agree"]
    assert discord_server.messages[int(message["id"])]["content"] == "Thanks for voting"


async def test_modal_roundtrip(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    opener = await discord_server.send_slash_command("report")
    shown = await opener.callback()
    assert shown.json["type"] == 9
    assert shown.json["data"]["custom_id"] == "report-modal"

    submit = await discord_server.send_modal_submit("report-modal", {"reason": "misleading"})
    answer = await submit.callback()
    assert answer.json["type"] == 4
    assert answer.json["data"]["content"] == "report: misleading / -"

    with pytest.raises(ValueError, match="required"):
        await discord_server.send_modal_submit("report-modal", {"details": "no reason given"})


async def test_subcommand_and_autocomplete(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    complete = await discord_server.send_autocomplete("topic", {}, focused="query", subcommand="find")
    choices = await complete.callback()
    assert choices.json["type"] == 8
    assert [c["value"] for c in choices.json["data"]["choices"]] == ["vaccines", "voting", "climate"]

    handle = await discord_server.send_slash_command("topic", {"query": "voting", "limit": 5}, subcommand="find")
    call = await handle.callback()
    assert call.json["data"]["content"] == "find voting 5"

    with pytest.raises(TypeError):
        await discord_server.send_slash_command("topic", {"query": "x", "limit": "5"}, subcommand="find")


async def test_on_message_reply(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    sent = await discord_server.send_message("hello bot")
    call = await discord_server.wait_for_call("POST", rf"/channels/{sent['channel_id']}/messages")

    assert call.json["content"] == f"hi <@{discord_server.member.id}>"
    assert call.json["allowed_mentions"] == {"parse": []}
    # allowed_mentions suppressed the ping on the stored message, as on Discord.
    assert call.response["mentions"] == []
    assert seen.messages == ["hello bot"]  # the bot's own echoed message was ignored


async def test_message_content_intent_is_enforced(discord_server: FakeDiscord, run_bot: RunBot, seen: Seen) -> None:
    await run_bot(make_bot(seen, message_content=False, sync=False))
    await discord_server.send_message("hello without intent")
    await discord_server.send_message(f"hello {discord_server.bot_user.mention}")
    await discord_server.wait_for_call("POST", r"/channels/\d+/messages")
    assert seen.messages == ["", f"hello {discord_server.bot_user.mention}"]


async def test_unsynced_commands_fall_back_to_the_tree(
    discord_server: FakeDiscord, run_bot: RunBot, seen: Seen
) -> None:
    await run_bot(make_bot(seen, sync=False))
    assert not discord_server.calls_matching("PUT")
    handle = await discord_server.send_slash_command("ping", {"text": "unsynced"})
    assert (await handle.callback()).json["data"]["embeds"][0]["description"] == "unsynced"


async def test_files_are_sent_as_multipart(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    channel = bot.get_channel(discord_server.channel("digest").id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("digest", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="claims.csv"))

    call = await discord_server.wait_for_call("POST", rf"/channels/{channel.id}/messages")
    assert call.json["content"] == "digest"
    assert [(f.filename, f.data) for f in call.files] == [("claims.csv", b"a,b\n1,2\n")]
    assert sent.attachments[0].filename == "claims.csv"


async def test_missing_permissions_are_enforced(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    mods = discord_server.channel("mods")
    bot_role = discord_server.role(discord_server.bot_user.username)
    mods.overwrites = [o for o in mods.overwrites if o.id != bot_role.id]
    mods.overwrites.append(Overwrite(bot_role.id, allow=0))
    channel = bot.get_channel(mods.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as excinfo:
        await channel.send("secret")
    assert excinfo.value.code == 50001


async def test_double_acknowledgement_is_rejected(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    handle = await discord_server.send_slash_command("ping", {"text": "x"})
    await handle.callback()
    interaction_type = discord.InteractionResponseType.channel_message.value
    with pytest.raises(discord.HTTPException) as excinfo:
        await bot.http.request(
            discord.http.Route("POST", f"/interactions/{handle.id}/{handle.token}/callback"),
            json={"type": interaction_type, "data": {"content": "again"}},
        )
    assert excinfo.value.code == 40060


async def test_unknown_routes_are_recorded(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=1))
    assert [c.path for c in discord_server.unknown_calls] == ["/guilds/1/bans"]


async def test_rate_limit_is_retried(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    discord_server.fail("POST", r"/channels/\d+/messages", status=429, retry_after=0.01)
    channel = bot.get_channel(discord_server.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("after the limit")
    attempts = discord_server.calls_matching("POST", rf"/channels/{channel.id}/messages")
    assert [c.status for c in attempts] == [429, 200]


async def test_reconnect_resumes_session(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)
    await discord_server.force_reconnect()
    await asyncio.wait_for(resumed.wait(), 5)
    assert discord_server.resume_count == 1
    assert len(discord_server.identify_payloads) == 1

    handle = await discord_server.send_slash_command("ping", {"text": "after resume"})
    assert (await handle.callback()).json["type"] == 4


async def test_resolved_options_and_dm_invocation(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    options = {"user": discord_server.moderator, "channel": "mods", "role": "Moderator"}
    handle = await discord_server.send_slash_command("whois", options)
    assert (await handle.callback()).json["data"]["content"] == "Morgan mods Moderator"

    in_dm = await discord_server.send_slash_command("where", guild=False)
    assert (await in_dm.callback()).json["data"]["content"] == "DMChannel guild=None"


async def test_select_opens_modal_that_edits_the_message(
    discord_server: FakeDiscord, bot: commands.Bot, seen: Seen
) -> None:
    handle = await discord_server.send_slash_command("pick")
    await handle.callback()
    assert handle.original_message is not None
    message_id = int(handle.original_message["id"])

    select = await discord_server.send_component("verdict", message_id, component_type=3, values=["false"])
    assert (await select.callback()).json["type"] == 9
    # The modal was opened from a component, so its submission carries the message.
    submit = await discord_server.send_modal_submit("verdict-modal", {"why": "no evidence"})
    edit = await submit.callback()

    assert edit.json["type"] == 7
    assert seen.verdicts == [(["false"], "no evidence")]
    assert discord_server.messages[message_id]["content"] == "Verdict: false"
    assert discord_server.messages[message_id]["components"] == []


async def test_reaction_and_reply(discord_server: FakeDiscord, bot: commands.Bot, seen: Seen) -> None:
    question = await discord_server.send_message("source?", author=discord_server.moderator)
    reply = await discord_server.wait_for_call("POST", rf"/channels/{question['channel_id']}/messages")
    assert reply.json["message_reference"]["message_id"] == int(question["id"])
    # No allowed_mentions in the payload: Discord's default pings the replied-to author.
    assert [u["username"] for u in reply.response["mentions"]] == ["morgan_mod"]
    assert discord_server.calls_matching("PUT", rf"/channels/\d+/messages/{question['id']}/reactions/.+/@me")

    await discord_server.send_reaction(question["id"], "\N{FIRE}", user=discord_server.member)
    for _ in range(100):
        if len(seen.reactions) == 2:
            break
        await asyncio.sleep(0.01)
    assert seen.reactions == ["Crosscheck:\N{WHITE HEAVY CHECK MARK}", "alice:\N{FIRE}"]


async def test_invalidated_session_and_dropped_connection(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    await discord_server.invalidate_session()
    # Dispatching waits for the new session (run_bot skips discord.py's 5 s re-IDENTIFY sleep).
    handle = await discord_server.send_slash_command("ping", {"text": "after re-identify"})
    assert (await handle.callback()).json["type"] == 4
    assert len(discord_server.identify_payloads) == 2

    await discord_server.drop_connection()
    # Sent while the bot is reconnecting: buffered and replayed on RESUME.
    handle = await discord_server.send_slash_command("ping", {"text": "during the blip"})
    assert (await handle.callback()).json["type"] == 4
    assert discord_server.resume_count == 1


async def test_server_errors_surface(discord_server: FakeDiscord, bot: commands.Bot) -> None:
    discord_server.fail("POST", r"/channels/\d+/messages", status=503)
    channel = bot.get_channel(discord_server.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.DiscordServerError):
        await channel.send("x")
    with pytest.raises(discord.HTTPException) as excinfo:
        await channel.send("x" * 2001)
    assert excinfo.value.code == 50035


# --------------------------------------------------------------------------- several guilds


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``check()`` holds: gateway events reach the bot's handlers asynchronously."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


@pytest.fixture
async def two_guild_bot(second_guild: FakeGuild, run_bot: RunBot, seen: Seen) -> commands.Bot:
    """The test bot, started in the first guild and `second_guild` (hence the dependency)."""
    return await run_bot(make_bot(seen))


async def test_every_guild_arrives_with_its_own_world(
    discord_server: FakeDiscord, second_guild: FakeGuild, run_bot: RunBot, seen: Seen
) -> None:
    bot = await run_bot(make_bot(seen, frames=True))
    first = discord_server.guild
    assert {g.id for g in bot.guilds} == {first.id, second_guild.id}
    # READY lists both as unavailable, then each arrives in its own GUILD_CREATE, as on Discord.
    dispatches = [f for f in seen.frames if f["op"] == 0]
    ready, *creates = dispatches[:3]
    assert ready["t"] == "READY" and ready["d"]["guilds"] == [  # type: ignore[index]
        {"id": str(g.id), "unavailable": True} for g in (first, second_guild)
    ]
    assert [(f["t"], f["d"]["id"], f["d"]["unavailable"]) for f in creates] == [  # type: ignore[index]
        ("GUILD_CREATE", str(g.id), False) for g in (first, second_guild)
    ]
    assert sorted(seen.guild_events) == sorted(f"available:{g.name}" for g in (first, second_guild))
    for fake in (first, second_guild):
        guild = bot.get_guild(fake.id)
        assert guild is not None and not guild.unavailable and guild.name == fake.name
        assert {c.id for c in guild.text_channels} == {c.id for c in fake.channels}
        assert {r.id for r in guild.roles} == {r.id for r in fake.roles}
        assert guild.default_role.id == fake.id and guild.owner_id == fake.owner_id
        assert guild.member_count == len(fake.members)
        assert guild.me is not None and guild.me.get_role(fake.bot_role.id) is not None
        assert guild.system_channel is not None and guild.system_channel.id == fake.channel("general").id
        mods = guild.get_channel(fake.channel("mods").id)
        assert isinstance(mods, discord.TextChannel) and not mods.permissions_for(guild.default_role).view_channel
    assert not {c.id for c in first.channels} & {c.id for c in second_guild.channels}

    # One user, two memberships: the first guild's moderator is a plain member of the second.
    morgan = discord_server.moderator
    in_first = await bot.get_guild(first.id).fetch_member(morgan.id)  # type: ignore[union-attr]
    in_second = await bot.get_guild(second_guild.id).fetch_member(morgan.id)  # type: ignore[union-attr]
    assert [r.name for r in in_first.roles if not r.is_default()] == ["Moderator"]
    assert [r.name for r in in_second.roles if not r.is_default()] == []
    assert (await bot.fetch_guild(second_guild.id)).name == second_guild.name
    assert {g.id async for g in bot.fetch_guilds()} == {first.id, second_guild.id}
    discord_server.assert_no_unknown_calls()


async def test_system_channel_is_configurable(discord_server: FakeDiscord, run_bot: RunBot, seen: Seen) -> None:
    digest_notices = discord_server.add_guild("Digest notices", system_channel="digest")
    quiet = discord_server.add_guild("Quiet", system_channel=None)
    bot = await run_bot(make_bot(seen, sync=False))
    noticed, silent = bot.get_guild(digest_notices.id), bot.get_guild(quiet.id)
    assert noticed is not None and noticed.system_channel is not None
    assert noticed.system_channel.id == digest_notices.channel("digest").id
    assert silent is not None and silent.system_channel is None


async def test_slash_command_in_another_guild_carries_that_guilds_member(
    discord_server: FakeDiscord, run_bot: RunBot, seen: Seen
) -> None:
    first = discord_server.guild
    # Morgan moderates the first guild and is a plain member of the second; Alice the reverse.
    second = discord_server.add_guild("Second", member=discord_server.moderator)
    discord_server.add_member(discord_server.member, guild=second, roles=["Moderator"])
    await run_bot(make_bot(seen))
    morgan = discord_server.moderator

    in_first = await discord_server.send_slash_command("ping", {"text": "first"}, user=morgan)
    await in_first.callback()
    in_second = await discord_server.send_slash_command("ping", {"text": "second"}, user=morgan, guild=second)
    reply = await in_second.callback()

    general = second.channel("general")
    assert in_first.guild_id == first.id and in_second.guild_id == second.id
    assert in_second.payload["guild"]["id"] == str(second.id)
    assert in_second.channel_id == general.id and in_second.payload["member"]["roles"] == []
    assert int(in_second.payload["member"]["permissions"]) == second.permissions_for(second.plain_member, general)
    assert int(in_second.payload["app_permissions"]) == second.permissions_for(second.bot_member, general)
    assert in_second.payload["authorizing_integration_owners"] == {"0": str(second.id)}
    as_moderator, as_plain = seen.ping_members
    assert isinstance(as_moderator, discord.Member) and isinstance(as_plain, discord.Member)
    assert as_moderator.guild.id == first.id and as_plain.guild.id == second.id
    assert as_moderator.resolved_permissions is not None and as_moderator.resolved_permissions.manage_messages
    assert as_plain.resolved_permissions is not None and not as_plain.resolved_permissions.manage_messages
    # The reply is a message in the second guild's channel.
    assert reply.json["data"]["embeds"][0]["description"] == "second"
    assert in_second.original_message is not None
    assert in_second.original_message["channel_id"] == str(general.id)

    # The guild can also be implied: by a channel of it, or by a membership in it.
    by_channel = await discord_server.send_slash_command("ping", {"text": "x"}, channel=second.channel("mods"))
    by_member = await discord_server.send_slash_command("ping", {"text": "y"}, user=second.moderator_member)
    alice_there = await discord_server.send_slash_command("ping", {"text": "z"}, user=discord_server.member,
                                                          guild=second)
    for handle in (by_channel, by_member, alice_there):
        await handle.callback()
        assert handle.guild_id == second.id
    assert by_channel.user_id == morgan.id  # the second guild's plain member by default
    assert alice_there.payload["member"]["roles"] == [str(second.role("Moderator").id)]
    stranger = discord_server.add_member("stranger")  # only in the first guild
    with pytest.raises(ValueError, match="not of 'Second'"):
        await discord_server.send_slash_command("ping", {"text": "no"}, user=stranger, guild=second)


async def test_components_modals_and_menus_stay_in_their_guild(
    discord_server: FakeDiscord, second_guild: FakeGuild, two_guild_bot: commands.Bot, seen: Seen
) -> None:
    vote = await discord_server.send_slash_command("vote", guild=second_guild)
    await vote.callback()
    assert vote.original_message is not None
    # Morgan clicks as themself; in the second guild they are its plain member.
    click = await discord_server.send_component("vote:agree", vote.original_message["id"],
                                                user=discord_server.moderator)
    assert (await click.callback()).json["type"] == 7
    assert click.guild_id == second_guild.id and click.payload["member"]["roles"] == []

    opener = await discord_server.send_slash_command("report", user=second_guild.moderator_member)
    await opener.callback()
    submit = await discord_server.send_modal_submit("report-modal", {"reason": "misleading"})
    assert (await submit.callback()).json["data"]["content"] == "report: misleading / -"
    assert submit.guild_id == second_guild.id and submit.user_id == second_guild.moderator_member.id

    target = discord_server.make_message("The moon is made of cheese", author=second_guild.moderator_member)
    assert target["channel_id"] == str(second_guild.channel("general").id)
    menu = await discord_server.send_message_context_menu("Check message", target["id"])
    assert (await menu.callback()).json["data"]["content"] == "checked: The moon is made of cheese"
    assert menu.guild_id == second_guild.id and seen.checked[0].guild is not None
    assert seen.checked[0].guild.id == second_guild.id

    complete = await discord_server.send_autocomplete("topic", {}, focused="query", subcommand="find",
                                                      guild=second_guild)
    assert (await complete.callback()).json["type"] == 8 and complete.guild_id == second_guild.id


async def test_messages_land_in_the_other_guilds_channel(
    discord_server: FakeDiscord, second_guild: FakeGuild, two_guild_bot: commands.Bot, seen: Seen
) -> None:
    general = second_guild.channel("general")
    author = second_guild.moderator_member
    sent = await discord_server.send_message("hello bot", author=author)  # the author's guild
    assert sent["channel_id"] == str(general.id)
    reply = await discord_server.wait_for_call("POST", rf"/channels/{general.id}/messages")
    assert reply.json["content"] == f"hi <@{author.id}>"
    assert seen.message_guilds == [second_guild.id]
    assert discord_server.messages[int(reply.response["id"])]["channel_id"] == str(general.id)

    # The bot may post in the second guild's digest channel; members may not.
    digest = two_guild_bot.get_channel(second_guild.channel("digest").id)
    assert isinstance(digest, discord.TextChannel) and digest.guild.id == second_guild.id
    posted = await digest.send("Today's digest")
    assert discord_server.messages[posted.id]["channel_id"] == str(digest.id)


async def test_role_and_everyone_mentions_are_per_guild(
    discord_server: FakeDiscord, second_guild: FakeGuild, two_guild_bot: commands.Bot
) -> None:
    own, foreign = second_guild.role("Moderator"), discord_server.role("Moderator")
    text = f"{own.mention} {foreign.mention} @everyone"
    sent = await discord_server.send_message(text, author=second_guild.plain_member)
    assert sent["mention_roles"] == [str(own.id)] and sent["mention_everyone"]

    channel = two_guild_bot.get_channel(second_guild.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send(text)  # default allowed_mentions: everything the content names
    call = await discord_server.wait_for_call("POST", rf"/channels/{channel.id}/messages",
                                              predicate=lambda c: c.json["content"] == text)
    assert call.response["mention_roles"] == [str(own.id)] and call.response["mention_everyone"]

    in_dm = await discord_server.send_message(text, author=discord_server.member, dm=True)
    assert in_dm["mention_roles"] == [] and not in_dm["mention_everyone"]


async def test_command_sync_for_one_guild_leaves_the_other_alone(
    discord_server: FakeDiscord, second_guild: FakeGuild, run_bot: RunBot, seen: Seen
) -> None:
    first = discord_server.guild
    elsewhere = discord_server.add_guild("Not joined", joined=False)
    bot = make_bot(seen, sync=False)

    @bot.tree.command(name="local", description="Only in the second guild", guild=discord.Object(second_guild.id))
    async def local(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"local in {interaction.guild_id}")

    await run_bot(bot)
    synced = await bot.tree.sync(guild=discord.Object(second_guild.id))
    assert [c.name for c in synced] == ["local"] and synced[0].guild_id == second_guild.id
    assert set(discord_server.commands) == {second_guild.id}
    assert not (await bot.tree.fetch_commands(guild=discord.Object(first.id)))

    handle = await discord_server.send_slash_command("local", guild=second_guild)
    assert handle.payload["data"]["guild_id"] == str(second_guild.id)
    assert (await handle.callback()).json["data"]["content"] == f"local in {second_guild.id}"
    with pytest.raises(LookupError, match="for guild 'Crosscheck Test Guild'"):
        await discord_server.send_slash_command("local", guild=first)
    # No commands in a guild the application is not installed in.
    with pytest.raises(discord.Forbidden):
        await bot.tree.sync(guild=discord.Object(elsewhere.id))


async def test_joining_a_guild_at_runtime_fires_on_guild_join(
    discord_server: FakeDiscord, run_bot: RunBot, seen: Seen
) -> None:
    later = discord_server.add_guild("Later", joined=False)
    bot = await run_bot(make_bot(seen))
    assert bot.get_guild(later.id) is None
    with pytest.raises(ValueError, match="not in guild 'Later'"):
        await discord_server.send_slash_command("ping", {"text": "too early"}, guild=later)
    with pytest.raises(discord.Forbidden):
        await bot.fetch_guild(later.id)

    await discord_server.join_guild(later)
    # on_guild_join posts a welcome in the system channel.
    welcome = await discord_server.wait_for_call("POST", rf"/channels/{later.channel('general').id}/messages")
    assert welcome.status == 200 and welcome.json["content"] == "Thanks for adding me to Later!"
    assert seen.guild_events[-1] == "join:Later"
    guild = bot.get_guild(later.id)
    assert guild is not None and {c.name for c in guild.text_channels} == {"general", "digest", "mods"}
    handle = await discord_server.send_slash_command("ping", {"text": "welcome"}, guild=later)
    assert (await handle.callback()).json["type"] == 4


async def test_leaving_a_guild_fires_on_guild_remove(
    discord_server: FakeDiscord, second_guild: FakeGuild, two_guild_bot: commands.Bot, seen: Seen
) -> None:
    bot = two_guild_bot
    general = bot.get_channel(second_guild.channel("general").id)
    assert isinstance(general, discord.TextChannel)
    await discord_server.leave_guild(second_guild)  # e.g. kicked by an admin
    await eventually(lambda: bot.get_guild(second_guild.id) is None)
    assert seen.guild_events[-1] == f"remove:{second_guild.name}"
    assert not second_guild.joined
    with pytest.raises(discord.Forbidden):
        await general.send("still here?")  # a channel object kept from before
    # Users' messages there no longer reach the bot.
    await discord_server.send_message("hello?", author=second_guild.plain_member)
    await discord_server.send_message("hello bot", author=discord_server.member)
    await discord_server.wait_for_call("POST", rf"/channels/{discord_server.channel('general').id}/messages")
    assert seen.messages == ["hello bot"]

    # The bot leaving by itself (Guild.leave) goes through REST, then GUILD_DELETE.
    await discord_server.join_guild(second_guild)
    await eventually(lambda: bot.get_guild(second_guild.id) is not None)
    guild = bot.get_guild(second_guild.id)
    assert guild is not None
    await guild.leave()
    await eventually(lambda: bot.get_guild(second_guild.id) is None)
    assert discord_server.calls_matching("DELETE", rf"/users/@me/guilds/{second_guild.id}")


async def test_permissions_are_enforced_per_guild(
    discord_server: FakeDiscord, second_guild: FakeGuild, two_guild_bot: commands.Bot
) -> None:
    # Someone removed the bot's overwrite from the second guild's mods channel only.
    mods = second_guild.channel("mods")
    mods.overwrites = [o for o in mods.overwrites if o.id != second_guild.bot_role.id]

    allowed = two_guild_bot.get_channel(discord_server.channel("mods").id)
    denied = two_guild_bot.get_channel(mods.id)
    assert isinstance(allowed, discord.TextChannel) and isinstance(denied, discord.TextChannel)
    await allowed.send("report")
    with pytest.raises(discord.Forbidden) as excinfo:
        await denied.send("report")
    assert excinfo.value.code == 50001
    first_channels = {c.name for c in await allowed.guild.fetch_channels()}
    second_channels = {c.name for c in await denied.guild.fetch_channels()}
    assert first_channels == {"general", "digest", "mods"} and second_channels == {"general", "digest"}

    # Interactions there tell the bot what it may do, from the same overwrites.
    handle = await discord_server.send_slash_command("ping", {"text": "x"}, user=second_guild.moderator_member,
                                                     channel="mods")
    assert handle.guild_id == second_guild.id
    assert not discord.Permissions(int(handle.payload["app_permissions"])).view_channel
    assert discord.Permissions(int(handle.payload["member"]["permissions"])).view_channel


# --------------------------------------------------------------------------- sharding


def dispatched_guild_ids(frames: list[dict[str, object]]) -> set[int]:
    """The guilds the gateway frames a client received were about (READY's list included)."""
    ids: set[int] = set()
    for frame in frames:
        data = frame.get("d")
        if frame.get("op") != 0 or not isinstance(data, dict):
            continue
        if frame["t"] == "READY":
            ids.update(int(g["id"]) for g in data["guilds"])
        elif frame["t"] in ("GUILD_CREATE", "GUILD_DELETE"):
            ids.add(int(data["id"]))
        elif data.get("guild_id") is not None:
            ids.add(int(data["guild_id"]))
    return ids


@pytest.fixture
def sharded_world(discord_server: FakeDiscord) -> list[FakeGuild]:
    """Four guilds over the server's two shards (the test's marker): guild i is on shard i % 2."""
    for _ in range(3):
        discord_server.add_guild()
    return discord_server.guilds


@pytest.mark.fakediscord(shards=2)
async def test_an_auto_sharded_bot_gets_each_guild_and_its_events_on_its_shard(
    discord_server: FakeDiscord, sharded_world: list[FakeGuild], run_bot: RunBot, seen: Seen
) -> None:
    # No shard_count: discord.py asks GET /gateway/bot, which recommends the server's 2.
    bot = await run_bot(make_bot(seen, frames=True, cls=commands.AutoShardedBot))
    assert isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count == 2 and sorted(bot.shards) == [0, 1]
    assert [discord_server.shard_of(g) for g in sharded_world] == [0, 1, 0, 1]
    assert {g.id: g.shard_id for g in bot.guilds} == {g.id: discord_server.shard_of(g) for g in sharded_world}
    assert sorted(seen.shard_events) == ["ready:0", "ready:1"]
    assert [p["shard"] for p in discord_server.identify_payloads] == [[0, 2], [1, 2]]
    # Each shard's READY lists only its own guilds, and every guild arrives once.
    readies = [f["d"] for f in seen.frames if f.get("t") == "READY"]
    assert sorted(r["shard"][0] for r in readies) == [0, 1]  # type: ignore[index]
    for ready in readies:
        shard_id = ready["shard"][0]  # type: ignore[index]
        listed = [int(g["id"]) for g in ready["guilds"]]  # type: ignore[index]
        assert listed == [g.id for g in sharded_world if discord_server.shard_of(g) == shard_id]
    creates = [int(f["d"]["id"]) for f in seen.frames if f.get("t") == "GUILD_CREATE"]  # type: ignore[index]
    assert sorted(creates) == sorted(g.id for g in sharded_world)

    # An interaction goes to the connection of its guild's shard; a DM's to shard 0.
    for guild in sharded_world:
        handle = await discord_server.send_slash_command("ping", {"text": guild.name}, guild=guild)
        assert handle.shard == (discord_server.shard_of(guild), 2)
        assert (await handle.callback()).json["type"] == 4
    assert seen.ping_guilds == [g.id for g in sharded_world]
    in_dm = await discord_server.send_slash_command("where", guild=False)
    assert in_dm.shard == (0, 2)
    assert (await in_dm.callback()).json["data"]["content"] == "DMChannel guild=None"
    await discord_server.send_message("hello from shard 1", author=sharded_world[1].plain_member)
    await eventually(lambda: seen.message_guilds == [sharded_world[1].id])

    # A guild joined at runtime is announced on its shard only.
    later = discord_server.add_guild("Later", joined=False, shard=1)
    await discord_server.join_guild(later)
    await eventually(lambda: "join:Later" in seen.guild_events)
    joined = bot.get_guild(later.id)
    assert joined is not None and joined.shard_id == 1


@pytest.mark.fakediscord(shards=2)
async def test_two_clients_with_one_shard_each_see_only_their_guilds(
    discord_server: FakeDiscord, sharded_world: list[FakeGuild], run_bot: RunBot
) -> None:
    # As two processes would: shard 0 of 2 here, shard 1 of 2 there.
    seen0, seen1 = Seen(), Seen()
    bot0 = await run_bot(make_bot(seen0, frames=True, cls=commands.AutoShardedBot, shard_ids=[0], shard_count=2))
    bot1 = await run_bot(make_bot(seen1, frames=True, cls=commands.AutoShardedBot, shard_ids=[1], shard_count=2))
    on_0 = [g.id for g in sharded_world if discord_server.shard_of(g) == 0]
    on_1 = [g.id for g in sharded_world if discord_server.shard_of(g) == 1]
    assert sorted(g.id for g in bot0.guilds) == on_0 and sorted(g.id for g in bot1.guilds) == on_1
    assert seen0.shard_events == ["ready:0"] and seen1.shard_events == ["ready:1"]
    assert {s["shard"][0]: s["guilds"] for s in discord_server.sessions()} == {0: 2, 1: 2}  # type: ignore[index]
    # An event of a shard nobody handles waits for a client of that shard.
    await bot1.close()
    with pytest.raises(TimeoutError, match="no gateway session"):
        await discord_server.dispatch("TYPING_START", {"guild_id": str(on_1[0])}, timeout=0.1)
    bot1 = await run_bot(make_bot(seen1, frames=True, cls=commands.AutoShardedBot, shard_ids=[1], shard_count=2))

    for guild in sharded_world:
        handle = await discord_server.send_slash_command("ping", {"text": "x"}, guild=guild)
        assert (await handle.callback()).json["type"] == 4
        await discord_server.send_message("hello", author=guild.plain_member)
    in_dm = await discord_server.send_slash_command("ping", {"text": "dm"}, guild=False)
    assert (await in_dm.callback()).json["type"] == 4
    await eventually(lambda: len(seen0.messages) + len(seen1.messages) == 4)

    # Each client got the interactions, messages and every other event of its own guilds only.
    assert seen0.ping_guilds == [*on_0, None] and seen1.ping_guilds == on_1
    assert seen0.message_guilds == on_0 and seen1.message_guilds == on_1
    assert dispatched_guild_ids(seen0.frames) == set(on_0)
    assert dispatched_guild_ids(seen1.frames) == set(on_1)


@pytest.mark.fakediscord(shards=2)
async def test_one_shard_resumes_on_its_own(
    discord_server: FakeDiscord, sharded_world: list[FakeGuild], run_bot: RunBot, seen: Seen
) -> None:
    await run_bot(make_bot(seen, cls=commands.AutoShardedBot, shard_count=2))
    await discord_server.drop_connection(shard=1)
    # Sent while shard 1 reconnects: kept in its session, written when it RESUMEs.
    handle = await discord_server.send_slash_command("ping", {"text": "during the blip"}, guild=sharded_world[1])
    assert (await handle.callback()).json["type"] == 4
    assert handle.shard == (1, 2) and handle.dispatched_at is not None
    assert discord_server.resume_count == 1 and len(discord_server.identify_payloads) == 2
    await eventually(lambda: "resumed:1" in seen.shard_events)
    assert "resumed:0" not in seen.shard_events

    await discord_server.force_reconnect(shard=0)
    await eventually(lambda: "resumed:0" in seen.shard_events)
    handle = await discord_server.send_slash_command("ping", {"text": "after"}, guild=sharded_world[0])
    assert handle.shard == (0, 2) and (await handle.callback()).json["type"] == 4


@pytest.mark.fakediscord(shards=2)
async def test_an_unsharded_client_still_gets_every_guild(
    discord_server: FakeDiscord, sharded_world: list[FakeGuild], run_bot: RunBot, seen: Seen
) -> None:
    bot = await run_bot(make_bot(seen, frames=True))
    assert {g.id for g in bot.guilds} == {g.id for g in sharded_world}
    (ready,) = [f["d"] for f in seen.frames if f.get("t") == "READY"]
    assert "shard" not in ready and "shard" not in discord_server.identify_payloads[0]
    for guild in sharded_world:
        handle = await discord_server.send_slash_command("ping", {"text": "x"}, guild=guild)
        assert handle.shard is None and (await handle.callback()).json["type"] == 4
    assert seen.ping_guilds == [g.id for g in sharded_world]


@pytest.mark.parametrize("cls", [commands.Bot, commands.AutoShardedBot])
async def test_a_shard_out_of_range_is_refused(discord_server: FakeDiscord, run_bot: RunBot, seen: Seen,
                                               cls: type[commands.Bot]) -> None:
    shard = {"shard_id": 2} if cls is commands.Bot else {"shard_ids": [2]}
    with pytest.raises(discord.ConnectionClosed) as excinfo:
        await run_bot(make_bot(seen, cls=cls, shard_count=2, **shard))
    assert excinfo.value.code == 4010
    assert not discord_server.sessions()


# Two shards' worth of guild ids: guilds take turns (1 and 3 on shard 0, 2 on shard 1). Ids made
# for one shard could all land on either of two, by the millisecond they were made in.
@pytest.mark.fakediscord(max_guilds_per_shard=2, shards=2)
async def test_sharding_is_required_above_the_guilds_per_shard_limit(
    discord_server: FakeDiscord, run_bot: RunBot, seen: Seen
) -> None:
    discord_server.add_guild()
    discord_server.add_guild()
    with pytest.raises(discord.ConnectionClosed) as excinfo:
        await run_bot(make_bot(seen))
    assert excinfo.value.code == 4011
    # Over two shards, neither gets more than two of the three guilds.
    bot = await run_bot(make_bot(Seen(), cls=commands.AutoShardedBot, shard_count=2))
    assert len(bot.guilds) == 3


async def test_the_control_endpoints_report_a_deferred_answer_and_refuse_bad_requests(
    discord_server: FakeDiscord, bot: commands.Bot
) -> None:
    import aiohttp

    control = discord_server.control_url
    async with aiohttp.ClientSession() as http:
        command = {"name": "slow", "options": {"count": 21, "loud": True}, "user": discord_server.moderator.id}
        async with http.post(f"{control}/slash_command", json=command) as resp:
            assert resp.status == 200, await resp.text()
            sent = await resp.json()
        async with http.get(f"{control}/interactions/{sent['id']}", params={"wait": "5", "until": "answer"}) as resp:
            record = await resp.json()
        assert sent["guild_id"] == str(discord_server.guild.id) and sent["shard"] is None  # an unsharded client

        bad = [
            ({"name": "slow", "options": {"count": "many"}}, 400),  # not an integer
            ({"name": "slow", "options": {"count": 1}, "guild": "Nowhere"}, 400),
            ({"name": "slow", "options": {"count": 1}, "user": "12"}, 400),  # nobody
            ({"name": "unknown"}, 404),  # not synced
            ({"options": {}}, 400),
        ]
        for body, status in bad:
            async with http.post(f"{control}/slash_command", json=body) as resp:
                assert resp.status == status, (body, await resp.text())
        async with http.get(f"{control}/interactions/12345") as resp:
            assert resp.status == 404
        async with http.get(f"{control}/world") as resp:
            world = await resp.json()

    # Deferred (type 5), then the follow-up that turned "thinking..." into the answer.
    (callback,) = record["callbacks"]
    (followup,) = record["webhook_calls"]
    assert callback["body"]["type"] == 5 and followup["method"] == "POST" and followup["status"] == 200
    assert record["user_id"] == str(discord_server.moderator.id)
    assert record["acknowledged_at"] == callback["received_at"] and record["answered_at"] == followup["received_at"]
    assert 0 <= record["ack_delay"] <= record["answer_delay"]
    assert record["original_message"]["content"] == "done 42"
    handle = discord_server.interactions[int(sent["id"])]
    assert handle.answer is not None and handle.answer.path.startswith("/webhooks/")
    assert world["guilds"][0]["channels"]["general"] == str(discord_server.channel("general").id)


# --------------------------------------------------------------------------- the standalone fake


@pytest.fixture
async def standalone_fake() -> AsyncIterator[dict[str, Any]]:
    """``python fakediscord.py`` in a subprocess: yields the world it printed; SIGTERM at the end."""
    import fakediscord

    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(fakediscord.__file__)),
        "--port", "0", "--guilds", "3", "--members-per-guild", "5", "--shards", "2",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        assert line, (await proc.communicate())[1].decode()
        yield json.loads(line)
    finally:
        if proc.returncode is None:
            proc.terminate()
        _, stderr = await asyncio.wait_for(proc.communicate(), 10)
    assert proc.returncode == 0, stderr.decode()


async def test_a_bot_in_this_process_answers_the_standalone_fake(
    standalone_fake: dict[str, Any], monkeypatch: pytest.MonkeyPatch, seen: Seen
) -> None:
    import aiohttp
    from fakediscord import point_discord_at, run_client

    world = standalone_fake
    assert world["shards"] == 2 and len(world["guilds"]) == 3
    assert [g["shard"] for g in world["guilds"]] == [0, 1, 0]
    assert all(len(g["members"]) == 5 for g in world["guilds"])
    # point_discord_at() sets these for good; the monkeypatch puts them back after the test.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    point_discord_at(world["base_url"], world["gateway_url"])

    control = world["control_url"]
    guild = world["guilds"][1]
    async with (
        run_client(None, make_bot(seen, cls=commands.AutoShardedBot)) as bot,
        aiohttp.ClientSession() as http,
    ):
        assert bot.shard_count == 2 and len(bot.guilds) == 3
        async with http.get(f"{control}/sessions") as resp:
            sessions = (await resp.json())["sessions"]
        assert sorted(s["shard"] for s in sessions) == [[0, 2], [1, 2]]
        assert all(s["connected"] and s["ready_at"] is not None for s in sessions)

        command = {"name": "ping", "options": {"text": "hi"}, "guild": guild["id"], "user": guild["members"][-1]}
        async with http.post(f"{control}/slash_command", json=command) as resp:
            assert resp.status == 200, await resp.text()
            sent = await resp.json()
        assert sent["shard"] == [1, 2] and sent["guild_id"] == guild["id"]
        async with http.get(f"{control}/interactions/{sent['id']}", params={"wait": "5"}) as resp:
            record = await resp.json()

        async with http.post(f"{control}/slash_command", json={"name": "nope", "guild": guild["id"]}) as resp:
            assert resp.status == 404

    assert seen.ping_guilds == [int(guild["id"])]
    (callback,) = record["callbacks"]
    assert callback["status"] == 200 and callback["body"]["type"] == 4
    assert callback["body"]["data"]["embeds"][0]["description"] == "hi"
    assert record["user_id"] == guild["members"][-1] and record["response_type"] == 4
    # One clock, the fake's: made, then written to shard 1's socket, then the callback arrived and was answered.
    assert record["created_at"] <= record["dispatched_at"] <= callback["received_at"] <= callback["answered_at"]
    assert record["acknowledged_at"] == record["answered_at"] == callback["received_at"]
    assert record["ack_delay"] == pytest.approx(callback["received_at"] - record["dispatched_at"])

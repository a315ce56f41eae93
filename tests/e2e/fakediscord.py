"""A fake Discord REST + gateway server for end-to-end tests of discord.py bots.

The server speaks enough of Discord's API v10 for the *real* ``discord.Client`` /
``commands.Bot`` to log in, connect to the gateway, sync application commands,
receive interactions and messages, and answer them.  Everything runs on 127.0.0.1
(in the test's process, or standalone for bots in other processes: below), so tests
never reach Discord.

Typical use (see ``conftest.py`` for the fixtures)::

    async def test_ping(discord_server, run_bot):
        await run_bot(make_bot())
        handle = await discord_server.send_slash_command("ping", {"text": "hi"})
        call = await handle.callback()
        assert call.json["type"] == 4

Several guilds, each with its own roles, channels and members (add them before the
bot connects; ``add_guild(joined=False)`` + ``await join_guild(g)`` for a runtime join)::

    async def test_ping_in_b(discord_server, run_bot):
        b = discord_server.add_guild("B", member=discord_server.moderator)  # plain member in B
        await run_bot(make_bot())
        handle = await discord_server.send_slash_command("ping", {"text": "hi"},
                                                         user=discord_server.moderator, guild=b)
        call = await handle.callback()
        assert handle.guild_id == b.id and handle.payload["member"]["roles"] == []
        assert handle.original_message["channel_id"] == str(b.channel("general").id)

Sharding, as Discord does it: :attr:`FakeDiscord.shards` is the shard count
``GET /gateway/bot`` recommends, and each shard's connection IDENTIFYs with
``"shard": [shard_id, shard_count]``.  A guild belongs to shard
``(guild_id >> 22) % shard_count`` (:func:`shard_for`), DMs to shard 0; READY and
the GUILD_CREATEs of a shard list only its guilds, and every event of a guild
(messages, interactions, reactions, joins...) goes only to the connection of the
shard owning it.  Guild ids are laid out so that guild *i* (creation order) is on
shard ``i % shards`` (``add_guild(shard=)`` picks one).  An IDENTIFY with a shard out
of range is closed with 4010, and with ``max_guilds_per_shard`` set one that would
handle more guilds with 4011 (sharding required).  A client that sends no ``shard``
is unsharded: it gets every guild, as shard 0 of 1.  Several clients (processes) may
be connected at once, one per shard; a later IDENTIFY (or RESUME) of the same shard
takes its events over, and a client closing its socket cleanly (1000/1001) ends its
session, as on Discord.  ``force_reconnect``, ``drop_connection`` and
``invalidate_session`` take ``shard=`` to pick a connection::

    @pytest.mark.fakediscord(shards=2)  # options of the discord_server fixture's FakeDiscord
    async def test_two_shards(discord_server, run_bot):
        b = discord_server.add_guild("B")  # the first guild is on shard 0, B on shard 1
        bot = await run_bot(commands.AutoShardedBot(command_prefix="!", intents=intents))
        handle = await discord_server.send_slash_command("ping", {"text": "hi"}, guild=b)
        assert handle.shard == (1, 2) and bot.get_guild(b.id).shard_id == 1

(Two clients with ``shard_ids=[0]`` and ``[1]`` and ``shard_count=2`` in one test
are what two bot processes would be.)

Standalone, for bots in other processes (benchmarks)::

    python tests/e2e/fakediscord.py --port 0 --guilds 50 --members-per-guild 20 --shards 4

prints one JSON line (``base_url``, ``gateway_url``, ``control_url``,
``application_id``, ``shards`` and the world: every guild's id, name, shard, channel
ids by name and member ids; see :meth:`FakeDiscord.world`), then serves until
SIGTERM/SIGINT.  Each bot process points discord.py at it before starting its client::

    from fakediscord import point_discord_at      # with tests/e2e on the path (PYTHONPATH=tests/e2e)
    point_discord_at(world["base_url"], world["gateway_url"])
    bot = commands.AutoShardedBot(command_prefix="!", intents=intents, shard_ids=[0, 1], shard_count=4)
    bot.run("any-token")                          # unless the fake was started with --token

A bot must sync its commands over REST as on Discord (``tree.sync()``): the fake
starts with none.  discord.py sleeps 5 s before each IDENTIFY of a process but the
first (its default ``before_identify_hook``, for ``max_concurrency`` 1); the fake does
not enforce that limit, so a bot may override the hook to start its shards at once.
The controlling process drives the fake over HTTP at ``control_url``:

``POST /_fake/slash_command``
    JSON ``{"name": "check", "options": {"statement": "..."}, "guild": <id or name>,
    "user": <user id>, "channel": <id or name>, "subcommand": "group sub", "dm": false}``
    (all but ``name`` optional, as for :meth:`FakeDiscord.send_slash_command`).  Answers
    once INTERACTION_CREATE is on the owning shard's socket: ``{"id", "guild_id",
    "shard", "created_at", "dispatched_at"}``; 404 if the command is not synced there,
    400 for bad options, 503 if no connection handles that shard within 5 s.
``GET /_fake/interactions/{id}[?wait=SECONDS&until=ack|answer]``
    The interaction and what the bot did with it: ``created_at``, ``dispatched_at``
    (written to the shard's socket), ``callbacks`` and ``webhook_calls`` (each with
    ``received_at`` / ``answered_at``, ``status`` and the body), ``acknowledged_at``
    (the first accepted callback arrived), ``answered_at`` (the answer message
    arrived: a message callback, or the follow-up/edit after deferring) and the
    ``ack_delay`` / ``answer_delay`` from ``dispatched_at``.  ``wait`` blocks until the
    interaction is acknowledged (``until=answer``: answered) or the time is up.
``GET /_fake/sessions``
    The recommended ``shards`` and the live gateway sessions (``shard``,
    ``connected``, ``guilds``, ``ready_at``) — poll it to see every shard connected.
``GET /_fake/world``
    The world, as printed at start.

Every timestamp is the fake's own ``time.monotonic()`` (one clock, in seconds): only
differences are meaningful, and they are what acknowledgement delays are computed from.

Payload shapes follow what discord.py 2.7 parses (``state.py``, ``interactions.py``,
``webhook/async_.py``, ``gateway.py``) and Discord's documented objects.  Where
Discord enforces something that commonly bites bots (message/embed limits, missing
permissions, double acknowledgement, privileged intents hiding content), the fake
enforces it too, so such bugs show up in tests instead of production.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import logging
import re
import secrets
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

log = logging.getLogger(__name__)

JSON = dict[str, Any]
ClientT = TypeVar("ClientT", bound=discord.Client)

API_PREFIX = "/api/v10"
#: Where the control endpoints live (outside the API, so bots never hit them by accident).
CONTROL_PREFIX = "/_fake"
DISCORD_EPOCH_MS = 1_420_070_400_000

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_DIRECT_MESSAGE_REACTIONS = 1 << 13
INTENT_MESSAGE_CONTENT = 1 << 15

# Message flags.
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# Interaction types and the callback types Discord accepts for each of them.
INTERACTION_PING = 1
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5
_VALID_CALLBACKS: dict[int, frozenset[int]] = {
    INTERACTION_PING: frozenset({1}),
    INTERACTION_APPLICATION_COMMAND: frozenset({4, 5, 9, 10, 12}),
    INTERACTION_COMPONENT: frozenset({4, 5, 6, 7, 9, 10, 12}),
    INTERACTION_AUTOCOMPLETE: frozenset({8}),
    INTERACTION_MODAL_SUBMIT: frozenset({4, 5, 6, 7, 10}),
}

_P = discord.Permissions
PERM_VIEW_CHANNEL = _P(view_channel=True).value
PERM_SEND_MESSAGES = _P(send_messages=True).value
PERM_EMBED_LINKS = _P(embed_links=True).value
PERM_MANAGE_MESSAGES = _P(manage_messages=True).value
PERM_ADD_REACTIONS = _P(add_reactions=True).value
PERM_READ_MESSAGE_HISTORY = _P(read_message_history=True).value
PERM_ADMINISTRATOR = _P(administrator=True).value
PERM_ALL = _P.all().value

#: What a plain member can do server-wide (roughly Discord's default @everyone).
EVERYONE_PERMISSIONS = _P(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    read_message_history=True,
    use_application_commands=True,
    change_nickname=True,
    create_instant_invite=True,
    connect=True,
    speak=True,
).value
#: Extra permissions of the "Moderator" role.
MODERATOR_PERMISSIONS = _P(manage_messages=True, manage_threads=True, moderate_members=True, kick_members=True).value
#: Permissions of the bot's managed role (a typical invite scope, no moderation).
BOT_PERMISSIONS = _P(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
).value

_USER_MENTION_RE = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")
_COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _snowflake_str(value: int | None) -> str | None:
    return None if value is None else str(value)


def shard_for(guild_id: int, shard_count: int) -> int:
    """The shard that owns a guild, by Discord's formula (DMs are shard 0's)."""
    return (guild_id >> 22) % shard_count


def point_discord_at(base_url: str, gateway_url: str) -> None:
    """Make discord.py, in this process, talk to a fake server instead of Discord.

    Call it before starting the client, with the ``base_url`` and ``gateway_url`` the
    standalone fake printed (or :attr:`FakeDiscord.base_url` / :attr:`~FakeDiscord.gateway_url`).
    It sets the REST base every request (interaction callbacks and webhooks included)
    is built on, and the gateway a client connects to when it does not ask
    ``GET /gateway/bot`` (which returns the fake's gateway anyway).  Process-wide and
    not undone: tests use ``monkeypatch`` on the same two attributes instead.
    """
    discord.http.Route.BASE = base_url  # type: ignore[misc]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class SnowflakeFactory:
    """Generates increasing, realistic-looking snowflakes (timestamp in the high bits)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """Return a fresh snowflake, strictly greater than the previous one."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last = max(self._last + 1, ms << 22)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A fresh snowflake in a millisecond of its own, on shard ``shard_id`` of ``shard_count``.

        Guild ids made within one millisecond would all land on one shard (the shard
        is the timestamp modulo the count); taking the next millisecond that belongs to
        the wanted shard spreads them as Discord's real, years-apart guild ids are.
        """
        ms = max((self._last >> 22) + 1, int(time.time() * 1000) - DISCORD_EPOCH_MS)
        ms += (shard_id - ms) % shard_count
        self._last = ms << 22
        return self._last


# --------------------------------------------------------------------------- world model


@dataclass
class FakeUser:
    """A Discord user."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def to_payload(self) -> JSON:
        """The user object as Discord sends it."""
        payload: JSON = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
        }
        if self.bot:
            payload["bot"] = True
        return payload

    @property
    def mention(self) -> str:
        """``<@id>``, for building message content."""
        return f"<@{self.id}>"


@dataclass
class FakeRole:
    """A guild role; the @everyone role shares the guild's id."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    hoist: bool = False
    color: int = 0
    tags: JSON | None = None

    def to_payload(self) -> JSON:
        """The role object as Discord sends it."""
        payload: JSON = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.tags is not None:
            payload["tags"] = self.tags
        return payload

    @property
    def mention(self) -> str:
        """``<@&id>``, for building message content."""
        return f"<@&{self.id}>"


@dataclass
class Overwrite:
    """A channel permission overwrite; ``type`` 0 targets a role, 1 a member."""

    id: int
    type: int = 0
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> JSON:
        """The overwrite object as Discord sends it."""
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class FakeChannel:
    """A guild text channel (type 0) or a DM channel (type 1)."""

    id: int
    name: str
    type: int = 0
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    nsfw: bool = False
    guild_id: int | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    recipients: list[FakeUser] = field(default_factory=list)
    last_message_id: int | None = None

    def to_payload(self) -> JSON:
        """The channel object as Discord sends it."""
        if self.type == 1:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": _snowflake_str(self.last_message_id),
                "flags": 0,
                "recipients": [u.to_payload() for u in self.recipients],
            }
        payload: JSON = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.to_payload() for o in self.overwrites],
            "topic": self.topic,
            "nsfw": self.nsfw,
            "parent_id": _snowflake_str(self.parent_id),
            "rate_limit_per_user": 0,
            "last_message_id": _snowflake_str(self.last_message_id),
            "flags": 0,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        return payload

    @property
    def mention(self) -> str:
        """``<#id>``, for building message content."""
        return f"<#{self.id}>"


@dataclass
class FakeMember:
    """A guild member: a user plus guild-specific data."""

    user: FakeUser
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=_now_iso)

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    @property
    def mention(self) -> str:
        """``<@id>``, for building message content."""
        return self.user.mention

    def to_payload(self, *, with_user: bool = True) -> JSON:
        """The guild member object as Discord sends it."""
        payload: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self.user.to_payload()
        return payload


@dataclass
class FakeGuild:
    """A guild (server): its roles, channels and members.

    Guilds made by :class:`FakeDiscord` (the first one, and those of
    :meth:`FakeDiscord.add_guild`) all look alike: roles ``@everyone`` (id = guild
    id), ``Moderator`` and the bot's managed role; channels ``general``, ``digest``
    and ``mods``; and :attr:`owner_member`, :attr:`plain_member`,
    :attr:`moderator_member` and :attr:`bot_member`.  The bot is in the guild while
    :attr:`bot_member` is one of :attr:`members` (see :attr:`joined`).
    """

    id: int
    name: str
    owner_id: int
    roles: list[FakeRole]
    channels: list[FakeChannel]
    members: list[FakeMember]
    #: Where Discord posts join notices (``system_channel_id``); ``None`` for none.
    system_channel_id: int | None = None
    #: The bot's membership here (with its managed role), also while it is not in the guild.
    bot_member: FakeMember | None = None
    #: A member without any role (the default invoker of interactions in this guild).
    plain_member: FakeMember | None = None
    #: A member with the "Moderator" role.
    moderator_member: FakeMember | None = None

    @property
    def everyone(self) -> FakeRole:
        """The @everyone role."""
        return self.role(self.id)

    @property
    def owner_member(self) -> FakeMember:
        """The guild owner's membership (every permission)."""
        owner = self.get_member(self.owner_id)
        if owner is None:
            raise KeyError(f"the owner of guild {self.name!r} is not one of its members")
        return owner

    @property
    def joined(self) -> bool:
        """Whether the bot is in this guild (and so sees it, its channels and their events)."""
        return self.bot_member is not None and self.has(self.bot_member)

    @property
    def bot_role(self) -> FakeRole:
        """The bot's managed role."""
        bot_id = str(self.bot_member.id) if self.bot_member is not None else None
        for role in self.roles:
            if role.managed and (role.tags or {}).get("bot_id") == bot_id:
                return role
        raise KeyError(f"guild {self.name!r} has no managed role for the bot")

    def role(self, key: str | int) -> FakeRole:
        """Look a role up by name or id."""
        for role in self.roles:
            if key in (role.id, role.name):
                return role
        raise KeyError(f"no role {key!r} in guild {self.name!r}")

    def channel(self, key: str | int) -> FakeChannel:
        """Look a channel up by name or id."""
        for channel in self.channels:
            if key in (channel.id, channel.name):
                return channel
        raise KeyError(f"no channel {key!r} in guild {self.name!r}")

    def get_member(self, user_id: int) -> FakeMember | None:
        """The member with this user id, if any."""
        return next((m for m in self.members if m.id == user_id), None)

    def has(self, member: FakeMember) -> bool:
        """Whether this very membership object belongs to this guild (not just the same user)."""
        return any(m is member for m in self.members)

    def permissions_for(self, member: FakeMember, channel: FakeChannel | None = None) -> int:
        """Compute a member's permissions like Discord does (roles, then channel overwrites)."""
        if member.id == self.owner_id:
            return PERM_ALL
        perms = self.everyone.permissions
        role_ids = set(member.roles)
        for role in self.roles:
            if role.id in role_ids:
                perms |= role.permissions
        if perms & PERM_ADMINISTRATOR:
            return PERM_ALL
        if channel is None or channel.type == 1:
            return perms
        by_id = {o.id: o for o in channel.overwrites}
        if (everyone := by_id.get(self.id)) is not None:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for overwrite in channel.overwrites:
            if overwrite.type == 0 and overwrite.id in role_ids:
                allow |= overwrite.allow
                deny |= overwrite.deny
        perms = (perms & ~deny) | allow
        if (own := by_id.get(member.id)) is not None and own.type == 1:
            perms = (perms & ~own.deny) | own.allow
        return perms


#: ``guild=`` of the interaction and message helpers: a guild (or its id or name);
#: ``True`` to imply it from the channel or member (else the first guild); ``False`` for a DM.
GuildChoice = bool | FakeGuild | int | str


# --------------------------------------------------------------------------- records


@dataclass
class UploadedFile:
    """One file part of a multipart request."""

    field_name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One HTTP request the client made to the fake server.

    ``path`` is relative to ``/api/v10`` (e.g. ``/channels/123/messages``); ``json`` is
    the decoded JSON body, or the ``payload_json`` part of a multipart body.
    ``response`` is the JSON the server answered with (``None`` for 204).  ``time`` is
    when the request arrived (its body read), ``answered_at`` when the fake answered,
    both on the fake's ``time.monotonic()`` clock; ``interaction`` is the interaction a
    callback or webhook request was for.
    """

    method: str
    path: str
    json: Any
    query: dict[str, str]
    time: float
    files: list[UploadedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None
    consumed: bool = field(default=False, repr=False, compare=False)
    answered_at: float | None = field(default=None, repr=False, compare=False)
    interaction: InteractionHandle | None = field(default=None, repr=False, compare=False)


@dataclass
class InteractionHandle:
    """An interaction sent to the bot, and what the bot did with it.

    ``response_type`` is the callback type the bot answered with (4 message, 5 deferred
    message, 6 deferred update, 7 update, 8 autocomplete, 9 modal), ``None`` if it
    has not answered yet.

    ``shard`` is the ``(shard_id, shard_count)`` the receiving connection IDENTIFYed
    with (``None``: an unsharded client).  ``created_at`` (made) and ``dispatched_at``
    (INTERACTION_CREATE written to that connection's socket; ``None`` while it waits
    for a RESUME) are on the fake's ``time.monotonic()`` clock, like the ``time`` and
    ``answered_at`` of the requests in :attr:`calls`.
    """

    id: int
    token: str
    type: int
    payload: JSON = field(repr=False)
    server: FakeDiscord = field(repr=False, compare=False)
    response_type: int | None = None
    response_data: JSON | None = field(default=None, repr=False)
    original_message_id: int | None = None
    followup_message_ids: list[int] = field(default_factory=list)
    shard: tuple[int, int] | None = None
    session_id: str | None = field(default=None, repr=False)
    created_at: float = field(default_factory=time.monotonic, repr=False)
    dispatched_at: float | None = field(default=None, repr=False)
    #: The bot's requests for this interaction (callbacks, follow-ups, edits), as they completed.
    calls: list[Call] = field(default_factory=list, repr=False)
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False, compare=False)

    @property
    def channel_id(self) -> int:
        """The channel the interaction happened in."""
        return int(self.payload["channel"]["id"])

    @property
    def guild_id(self) -> int | None:
        """The guild the interaction happened in; ``None`` in a DM."""
        guild_id = self.payload.get("guild_id")
        return int(guild_id) if guild_id is not None else None

    @property
    def user_id(self) -> int:
        """The invoking user's id."""
        user = self.payload["member"]["user"] if "member" in self.payload else self.payload["user"]
        return int(user["id"])

    @property
    def message_id(self) -> int | None:
        """For component (and some modal) interactions: the message the component is on."""
        message = self.payload.get("message")
        return int(message["id"]) if message else None

    @property
    def responded(self) -> bool:
        """Whether the bot acknowledged the interaction."""
        return self.response_type is not None

    @property
    def callback_calls(self) -> list[Call]:
        """The bot's ``POST .../callback`` requests for this interaction (a second one gets 40060)."""
        return [c for c in self.calls if c.path.endswith("/callback")]

    @property
    def webhook_calls(self) -> list[Call]:
        """The bot's follow-up and ``@original`` requests for this interaction."""
        return [c for c in self.calls if c.path.startswith("/webhooks/")]

    @property
    def acknowledgement(self) -> Call | None:
        """The callback that acknowledged the interaction (answered 2xx), if any."""
        return next((c for c in self.callback_calls if 200 <= c.status < 300), None)

    @property
    def answer(self) -> Call | None:
        """The request that gave the user an answer, if any.

        The acknowledging callback itself unless it only deferred (types 5 and 6);
        after deferring, the first follow-up or ``@original`` edit that succeeded.
        """
        ack = self.acknowledgement
        if ack is None or (ack.json or {}).get("type") not in (5, 6):
            return ack
        return next(
            (c for c in self.webhook_calls if c.method in ("POST", "PATCH") and 200 <= c.status < 300), None
        )

    def _record_call(self, call: Call) -> None:
        """A request for this interaction completed: keep it and wake waiters."""
        self.calls.append(call)
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, check: Callable[[InteractionHandle], bool], timeout: float) -> bool:
        """Wait until ``check(self)`` holds (re-checked as the bot's requests complete); False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not check(self):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    @property
    def original_message(self) -> JSON | None:
        """Current state of the interaction's response message (after edits), if any."""
        if self.original_message_id is None:
            return None
        return self.server.messages.get(self.original_message_id)

    @property
    def followups(self) -> list[JSON]:
        """Follow-up messages sent for this interaction (current state)."""
        return [self.server.messages[i] for i in self.followup_message_ids if i in self.server.messages]

    async def callback(self, timeout: float = 5.0) -> Call:
        """Wait for (and consume) the bot's ``POST /interactions/{id}/{token}/callback``."""
        path = rf"/interactions/{self.id}/{re.escape(self.token)}/callback"
        return await self.server.wait_for_call("POST", path, timeout=timeout)

    async def followup(self, timeout: float = 5.0, predicate: Callable[[Call], bool] | None = None) -> Call:
        """Wait for (and consume) a follow-up ``POST /webhooks/{app}/{token}``."""
        path = rf"/webhooks/{self.server.application_id}/{re.escape(self.token)}"
        return await self.server.wait_for_call("POST", path, timeout=timeout, predicate=predicate)

    async def original_edit(self, timeout: float = 5.0) -> Call:
        """Wait for (and consume) a ``PATCH .../messages/@original`` for this interaction."""
        path = rf"/webhooks/{self.server.application_id}/{re.escape(self.token)}/messages/@original"
        return await self.server.wait_for_call("PATCH", path, timeout=timeout)


class ApiError(Exception):
    """Raised by route handlers to answer with a Discord-style JSON error."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def to_payload(self) -> JSON:
        """The error body as Discord sends it."""
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


@dataclass
class _FailureRule:
    method: str | None
    pattern: re.Pattern[str]
    status: int
    times: int
    body: JSON
    headers: dict[str, str]


@dataclass
class _Session:
    id: str
    token: str
    intents: int
    #: ``(shard_id, shard_count)`` from IDENTIFY; ``None`` for an unsharded client.
    shard: tuple[int, int] | None = None
    seq: int = 0
    history: list[JSON] = field(default_factory=list)
    connection: _Connection | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: When READY and the GUILD_CREATEs were all written (monotonic), ``None`` before.
    ready_at: float | None = None
    #: Interactions whose INTERACTION_CREATE waits in ``history`` for a RESUME, by sequence.
    unsent: dict[int, InteractionHandle] = field(default_factory=dict)

    @property
    def shard_key(self) -> tuple[int, int]:
        """The shard whose events this session gets; an unsharded client is shard 0 of 1."""
        return self.shard or (0, 1)

    def covers(self, guild_id: int | None) -> bool:
        """Whether this session gets the events of the guild ``guild_id`` (``None``: DMs, shard 0)."""
        shard_id, shard_count = self.shard_key
        return shard_id == (0 if guild_id is None else shard_for(guild_id, shard_count))


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    session: _Session | None = None
    #: The fake closed it (``close_code`` is then the client's echo of the close, not a choice of the client).
    closed_by_server: bool = False

    async def close(self, code: int, message: bytes = b"") -> None:
        """Close the socket from the server's side."""
        self.closed_by_server = True
        await self.ws.close(code=code, message=message)


Handler = Callable[[Call, dict[str, str]], Awaitable[tuple[int, Any]]]


# --------------------------------------------------------------------------- validation


def _add_error(errors: JSON, path: Iterable[str | int], code: str, message: str) -> None:
    """Insert an error at ``path`` in Discord's nested ``errors`` structure."""
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def _check_len(errors: JSON, path: list[str | int], value: Any, limit: int, *, required: bool = False) -> int:
    """Validate a string length; returns its length (for embed totals)."""
    if value is None or value == "":
        if required:
            _add_error(errors, path, "BASE_TYPE_REQUIRED", "This field is required")
        return 0
    text = str(value)
    if len(text) > limit:
        _add_error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
    return len(text)


def validate_message_payload(payload: JSON, *, files: int = 0, edit: bool = False) -> None:
    """Reject a message body the way Discord would (400 with code 50035 or 50006).

    Covers content length, embed limits (including the 6000-character total),
    classic action-row components and allowed_mentions consistency.
    """
    errors: JSON = {}
    _check_len(errors, ["content"], payload.get("content"), 2000)

    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        _add_error(errors, ["embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        base: list[str | int] = ["embeds", i]
        total += _check_len(errors, [*base, "title"], embed.get("title"), 256)
        total += _check_len(errors, [*base, "description"], embed.get("description"), 4096)
        total += _check_len(errors, [*base, "footer", "text"], (embed.get("footer") or {}).get("text"), 2048)
        total += _check_len(errors, [*base, "author", "name"], (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            _add_error(errors, [*base, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, fld in enumerate(fields):
            total += _check_len(errors, [*base, "fields", j, "name"], fld.get("name"), 256, required=True)
            total += _check_len(errors, [*base, "fields", j, "value"], fld.get("value"), 1024, required=True)
    if total > 6000:
        _add_error(errors, ["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")

    components = payload.get("components") or []
    if not int(payload.get("flags") or 0) & FLAG_COMPONENTS_V2:
        if len(components) > 5:
            _add_error(errors, ["components"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        for i, row in enumerate(components):
            children = row.get("components") or []
            if row.get("type") != 1 or not 1 <= len(children) <= 5:
                _add_error(errors, ["components", i], "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Invalid action row")
            for j, child in enumerate(children):
                path: list[str | int] = ["components", i, "components", j]
                if child.get("style") == 5:
                    if not child.get("url"):
                        _add_error(errors, [*path, "url"], "BASE_TYPE_REQUIRED", "This field is required")
                else:
                    _check_len(errors, [*path, "custom_id"], child.get("custom_id"), 100, required=True)
                _check_len(errors, [*path, "label"], child.get("label"), 80)

    allowed = payload.get("allowed_mentions")
    if allowed:
        parse = allowed.get("parse") or []
        for kind in ("users", "roles"):
            if kind in parse and allowed.get(kind):
                _add_error(
                    errors,
                    ["allowed_mentions"],
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
                )

    if errors:
        raise ApiError(400, 50035, "Invalid Form Body", errors)
    has_body = any(payload.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll"))
    if not edit and not has_body and not files:
        raise ApiError(400, 50006, "Cannot send an empty message")


def validate_command_payload(commands: list[JSON]) -> None:
    """Reject application command definitions the way Discord would (400, code 50035)."""
    errors: JSON = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        name = cmd.get("name") or ""
        if (name, ctype) in seen:
            _add_error(errors, [i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate name {name!r}")
        seen.add((name, ctype))
        if ctype == 1:
            _validate_chat_input(errors, [i], cmd)
        elif not 1 <= len(name) <= 32:
            _add_error(errors, [i, "name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    if errors:
        raise ApiError(400, 50035, "Invalid Form Body", errors)


def _validate_chat_input(errors: JSON, path: list[str | int], option: JSON) -> None:
    name = option.get("name") or ""
    if not _COMMAND_NAME_RE.match(name) or name != name.lower():
        _add_error(errors, [*path, "name"], "APPLICATION_COMMAND_INVALID_NAME", f"Command name {name!r} is invalid")
    if not 1 <= len(option.get("description") or "") <= 100:
        _add_error(errors, [*path, "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    options = option.get("options") or []
    if len(options) > 25:
        _add_error(errors, [*path, "options"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional = False
    for j, sub in enumerate(options):
        sub_path = [*path, "options", j]
        _validate_chat_input(errors, sub_path, sub)
        if sub.get("type") in (1, 2):
            continue
        if sub.get("required"):
            if seen_optional:
                _add_error(
                    errors,
                    sub_path,
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be first",
                )
        else:
            seen_optional = True
        if len(sub.get("choices") or []) > 25:
            _add_error(errors, [*sub_path, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")


# --------------------------------------------------------------------------- server


class FakeDiscord:
    """In-process fake of Discord's REST API and gateway for one bot in one or more guilds.

    Construct, ``await start()``, point discord.py at :attr:`base_url` /
    :attr:`gateway_url` (the ``discord_server`` fixture does this), run the bot,
    then drive it with the ``send_*`` helpers and assert on :attr:`calls`.

    The world: :attr:`guilds`, each with text channels ``general``, ``digest``
    (members can't post, the bot can) and ``mods`` (only moderators and the bot can
    see it); roles ``@everyone``, ``Moderator`` (MANAGE_MESSAGES and friends) and the
    bot's managed role; an owner, a plain member, a moderator and the bot (see
    :class:`FakeGuild`).  The first guild is :attr:`guild`, its plain member
    :attr:`member` and its moderator :attr:`moderator`; helpers that take no
    ``guild`` act on it.  :meth:`add_guild` adds more guilds; the same user may be a
    member of several, with different roles in each (:meth:`add_member` with an
    existing user).  Tweak the guilds (or use :meth:`add_member` / :meth:`add_channel`
    / :meth:`add_role`) *before* the bot connects: guilds are sent in GUILD_CREATE.
    A guild the bot joins while running is made with ``add_guild(joined=False)`` and
    announced by :meth:`join_guild`; :meth:`leave_guild` removes the bot again.

    Interaction and message helpers find the guild from an explicit ``guild=``, else
    from the channel (a :class:`FakeChannel` or an id), else from the member given
    (a :class:`FakeMember` is one guild's membership), else use the first guild;
    channel and role *names* are looked up in that guild.

    Realism switches: ``enforce_permissions`` (403 when the bot lacks channel
    permissions), ``enforce_intents`` (no MESSAGE_CREATE without the messages intent,
    blank content without MESSAGE_CONTENT, members only with GUILD_MEMBERS) and
    ``echo_bot_messages`` (the bot's own messages come back as MESSAGE_CREATE, as on
    Discord).  ``expected_token`` makes login fail (401 / close 4004) for other tokens.

    Sharding (see the module docstring): ``shards`` is the count ``GET /gateway/bot``
    recommends and the one guilds are laid out for (guild *i* on shard ``i % shards``),
    ``max_concurrency`` what it reports in ``session_start_limit`` (not enforced), and
    ``max_guilds_per_shard`` (off by default; Discord's is 2,500) makes an IDENTIFY whose
    session would get more guilds fail with 4011, sharding required.  Any number of
    clients may be connected at once, each getting the events of its shard.
    """

    def __init__(
        self,
        *,
        guild_name: str = "Crosscheck Test Guild",
        bot_username: str = "Crosscheck",
        expected_token: str | None = None,
        enforce_permissions: bool = True,
        enforce_intents: bool = True,
        echo_bot_messages: bool = True,
        heartbeat_interval_ms: int = 41_250,
        shards: int = 1,
        max_concurrency: int = 1,
        max_guilds_per_shard: int | None = None,
    ) -> None:
        if shards < 1 or max_concurrency < 1:
            raise ValueError("shards and max_concurrency must be at least 1")
        self._ids = SnowflakeFactory()
        self.expected_token = expected_token
        self.enforce_permissions = enforce_permissions
        self.enforce_intents = enforce_intents
        self.echo_bot_messages = echo_bot_messages
        self.heartbeat_interval_ms = heartbeat_interval_ms
        #: The shard count ``GET /gateway/bot`` recommends (and guilds are spread over).
        self.shards = shards
        self.max_concurrency = max_concurrency
        self.max_guilds_per_shard = max_guilds_per_shard

        # Modern applications share their id with their bot user.
        self.application_id = self._ids.next()
        # GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED: the privileged
        # intents are toggled on in the developer portal, as for a small bot.
        self.application_flags = (1 << 15) | (1 << 19)
        self.bot_user = FakeUser(self.application_id, bot_username, None, bot=True)
        self.owner_user = FakeUser(self._ids.next(), "app_owner", "App Owner")
        # Every user the server knows (guild members, the app owner, the bot), by id.
        self._users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner_user)}

        #: Every HTTP request, in completion order.
        self.calls: list[Call] = []
        #: Requests that matched no route (answered 404).
        self.unknown_calls: list[Call] = []
        #: Every gateway payload the client sent (heartbeats, IDENTIFY, presence...).
        self.gateway_received: list[JSON] = []
        self.identify_payloads: list[JSON] = []
        self.resume_count = 0
        #: Synced application commands: scope (guild id, or None for global) -> (name, type) -> command.
        self.commands: dict[int | None, dict[tuple[str, int], JSON]] = {}
        #: Every message known to the server (sent by the bot or by fake users), by id.
        self.messages: dict[int, JSON] = {}
        #: Every interaction sent to the bot, by id.
        self.interactions: dict[int, InteractionHandle] = {}
        #: The client attached by :func:`run_client` (used to read its command tree).
        self.client: discord.Client | None = None
        #: Exceptions raised inside the fake's own handlers (should stay empty).
        self.internal_errors: list[Exception] = []

        self._interactions_by_token: dict[str, InteractionHandle] = {}
        self._dm_channels: dict[int, FakeChannel] = {}
        # message id -> emoji -> ids of users who reacted with it
        self._reaction_users: dict[int, dict[str, set[int]]] = {}
        # Every session that can still be resumed, by id.
        self._sessions: dict[str, _Session] = {}
        # The session that gets each shard's events, by (shard_id, shard_count): the one
        # that identified (or resumed) last for that shard.  Routing an event scans these
        # few entries, not the world.
        self._live: dict[tuple[int, int], _Session] = {}
        self._live_changed = asyncio.Event()
        # The session that identified or resumed last: the default target of
        # force_reconnect() and friends, as when there was only ever one.
        self._session: _Session | None = None
        self._connections: set[_Connection] = set()
        # Lookups by id for the hot path; objects appended to the lists by hand are found by a scan.
        self._guilds_by_id: dict[int, FakeGuild] = {}
        self._channels_by_id: dict[int, FakeChannel] = {}
        self._failures: list[_FailureRule] = []
        self._stable_ids: dict[Any, int] = {}
        self._call_event = asyncio.Event()
        self._identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes = self._build_routes()

        #: Every guild, the bot's or not (see :attr:`FakeGuild.joined`), in creation order.
        self.guilds: list[FakeGuild] = []
        first = self.add_guild(
            name=guild_name,
            owner=FakeUser(self._ids.next(), "guild_owner", "Guild Owner"),
            member=FakeUser(self._ids.next(), "alice", "Alice"),
            moderator=FakeUser(self._ids.next(), "morgan_mod", "Morgan"),
        )
        assert first.plain_member and first.moderator_member and first.bot_member
        #: A plain member of the first guild, without any role.
        self.member: FakeMember = first.plain_member
        #: A member of the first guild with the "Moderator" role (MANAGE_MESSAGES).
        self.moderator: FakeMember = first.moderator_member
        #: The bot's membership in the first guild.
        self.bot_member: FakeMember = first.bot_member

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """REST base, to assign to ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL, for ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def control_url(self) -> str:
        """Base of the control endpoints other processes drive the fake with (module docstring)."""
        return f"http://127.0.0.1:{self.port}{CONTROL_PREFIX}"

    async def start(self, port: int = 0) -> None:
        """Start serving on 127.0.0.1:``port`` (0: a free port; :attr:`port` tells which)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._handle_gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_rest)
        app.router.add_post(CONTROL_PREFIX + "/slash_command", self._control_slash_command)
        app.router.add_get(CONTROL_PREFIX + "/interactions/{interaction_id}", self._control_interaction)
        app.router.add_get(CONTROL_PREFIX + "/sessions", self._control_sessions)
        app.router.add_get(CONTROL_PREFIX + "/world", self._control_world)
        # A short shutdown timeout: a still-connected gateway must not stall teardown.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        """Close gateway connections and stop the server."""
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.close(1001, b"fakediscord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def attach_client(self, client: discord.Client | None) -> None:
        """Remember the client under test, so unsynced app commands can be read from its tree."""
        self.client = client

    # ----------------------------------------------------------------- world helpers

    @property
    def guild(self) -> FakeGuild:
        """The first guild: the one that helpers given no guild act on."""
        return self.guilds[0]

    def get_guild(self, key: FakeGuild | int | str) -> FakeGuild:
        """A guild by id or name (a :class:`FakeGuild` is returned as is); ``KeyError`` if unknown."""
        if isinstance(key, FakeGuild):
            return key
        if isinstance(key, int) and (indexed := self._guilds_by_id.get(key)) is not None:
            return indexed
        for guild in self.guilds:
            if key in (guild.id, guild.name):
                return guild
        raise KeyError(f"no guild {key!r}; guilds: {[g.name for g in self.guilds]}")

    def shard_of(self, guild: FakeGuild | int | str | None, shard_count: int | None = None) -> int:
        """The shard that owns ``guild`` (``None``: DMs, shard 0) out of ``shard_count`` (default :attr:`shards`)."""
        if guild is None:
            return 0
        return shard_for(self.get_guild(guild).id, shard_count or self.shards)

    def _guild_arg(self, guild: FakeGuild | int | str | None) -> FakeGuild:
        """``guild=`` of the world helpers: a guild, its id or name; ``None`` is the first guild."""
        return self.guild if guild is None else self.get_guild(guild)

    def guild_of(self, channel: FakeChannel | int) -> FakeGuild | None:
        """The guild a channel (or a channel id) belongs to; ``None`` for a DM channel."""
        target = channel if isinstance(channel, FakeChannel) else self.channel(channel)
        return None if target.guild_id is None else self.get_guild(target.guild_id)

    def channel(self, key: str | int, *, guild: FakeGuild | int | str | None = None) -> FakeChannel:
        """A channel by id (of any guild, or a DM channel) or by name (in ``guild``, default the first)."""
        if isinstance(key, str) or guild is not None:
            return self._guild_arg(guild).channel(key)
        # Ids are unique across Discord, so an id alone finds the channel.
        if (indexed := self._channels_by_id.get(key)) is not None:
            return indexed
        for channel in [*self._dm_channels.values(), *(c for g in self.guilds for c in g.channels)]:
            if channel.id == key:
                return channel
        raise KeyError(f"no channel {key!r}")

    def role(self, key: str | int, *, guild: FakeGuild | int | str | None = None) -> FakeRole:
        """A role by id (of any guild) or by name (in ``guild``, default the first)."""
        if isinstance(key, str) or guild is not None:
            return self._guild_arg(guild).role(key)
        for each in self.guilds:
            for role in each.roles:
                if role.id == key:
                    return role
        raise KeyError(f"no role {key!r}")

    def add_guild(
        self,
        name: str | None = None,
        *,
        owner: FakeUser | FakeMember | None = None,
        member: FakeUser | FakeMember | None = None,
        moderator: FakeUser | FakeMember | None = None,
        joined: bool = True,
        system_channel: str | None = "general",
        shard: int | None = None,
    ) -> FakeGuild:
        """Add a guild built like the first one (roles, channels, overwrites, members).

        ``owner``, ``member`` (the plain member) and ``moderator`` are new users unless
        given: an existing user (or another guild's member) then joins this guild in
        that part, e.g. ``add_guild("B", member=server.moderator)`` makes the first
        guild's moderator a plain member of B.  ``joined=False`` makes a guild the bot
        is not in yet (invisible to it until :meth:`join_guild`).  ``system_channel``
        names the channel Discord posts join notices in, ``None`` for none.  ``shard``
        picks the shard (of :attr:`shards`) that owns it; by default guilds take
        turns, guild *i* on shard ``i % shards``.

        Add guilds with ``joined=True`` before the bot connects: READY and the
        GUILD_CREATEs list them then.
        """
        if joined and self.connected:
            # It would never be announced: READY and its GUILD_CREATEs are already sent.
            raise RuntimeError("the bot is connected: use add_guild(joined=False), then await join_guild()")
        number = len(self.guilds) + 1
        name = name if name is not None else f"Test Guild {number}"
        shard = (number - 1) % self.shards if shard is None else shard
        if not 0 <= shard < self.shards:
            raise ValueError(f"shard {shard} out of range for {self.shards} shards")
        guild_id = self._ids.next_on_shard(shard, self.shards)
        everyone = FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS, position=0)
        moderator_role = FakeRole(
            self._ids.next(),
            "Moderator",
            MODERATOR_PERMISSIONS,
            position=1,
            mentionable=True,
            hoist=True,
            color=0x3498DB,
        )
        bot_role = FakeRole(
            self._ids.next(),
            self.bot_user.username,
            BOT_PERMISSIONS,
            position=2,
            managed=True,
            tags={"bot_id": str(self.bot_user.id)},
        )
        send = PERM_SEND_MESSAGES | PERM_EMBED_LINKS
        channels = [
            FakeChannel(self._ids.next(), "general", position=0, topic="General chat", guild_id=guild_id),
            FakeChannel(
                self._ids.next(),
                "digest",
                position=1,
                topic="Daily fact-check digest",
                guild_id=guild_id,
                overwrites=[Overwrite(guild_id, deny=PERM_SEND_MESSAGES), Overwrite(bot_role.id, allow=send)],
            ),
            FakeChannel(
                self._ids.next(),
                "mods",
                position=2,
                topic="Moderator reports",
                guild_id=guild_id,
                overwrites=[
                    Overwrite(guild_id, deny=PERM_VIEW_CHANNEL),
                    Overwrite(moderator_role.id, allow=PERM_VIEW_CHANNEL | send),
                    Overwrite(bot_role.id, allow=PERM_VIEW_CHANNEL | send),
                ],
            ),
        ]
        prefix = f"guild{number}_"
        owner_user = self._new_or_existing_user(owner, prefix + "owner", f"Owner {number}")
        guild = FakeGuild(
            id=guild_id,
            name=name,
            owner_id=owner_user.id,
            roles=[everyone, moderator_role, bot_role],
            channels=channels,
            members=[],
            bot_member=FakeMember(self.bot_user, roles=[bot_role.id]),
        )
        guild.system_channel_id = None if system_channel is None else guild.channel(system_channel).id
        self.guilds.append(guild)
        self._guilds_by_id[guild.id] = guild
        self._channels_by_id.update((c.id, c) for c in channels)
        self.add_member(owner_user, guild=guild)
        guild.plain_member = self.add_member(
            self._new_or_existing_user(member, prefix + "member", f"Member {number}"), guild=guild
        )
        guild.moderator_member = self.add_member(
            self._new_or_existing_user(moderator, prefix + "mod", f"Moderator {number}"),
            roles=[moderator_role],
            guild=guild,
        )
        if joined:
            assert guild.bot_member is not None
            guild.members.append(guild.bot_member)
        return guild

    def _new_or_existing_user(self, given: FakeUser | FakeMember | None, username: str, global_name: str) -> FakeUser:
        if given is None:
            return FakeUser(self._ids.next(), username, global_name)
        return given.user if isinstance(given, FakeMember) else given

    def add_member(
        self,
        username: str | FakeUser | FakeMember,
        *,
        roles: Iterable[str | int | FakeRole] = (),
        global_name: str | None = None,
        bot: bool = False,
        nick: str | None = None,
        guild: FakeGuild | int | str | None = None,
    ) -> FakeMember:
        """Add a member to ``guild`` (default: the first guild); do it before the bot connects.

        A ``username`` makes a new user.  An existing :class:`FakeUser`, or another
        guild's :class:`FakeMember`, joins this guild too: the user is shared, the
        membership (``roles`` of this guild, ``nick``) is this guild's own.
        """
        where = self._guild_arg(guild)
        if isinstance(username, str):
            user = FakeUser(self._ids.next(), username, global_name, bot=bot)
        else:
            user = username.user if isinstance(username, FakeMember) else username
            if where.get_member(user.id) is not None:
                raise ValueError(f"{user.username} is already a member of guild {where.name!r}")
        self._users[user.id] = user
        member = FakeMember(user, roles=[self._as_role(r, where).id for r in roles], nick=nick)
        where.members.append(member)
        return member

    def add_role(
        self,
        name: str,
        permissions: int | discord.Permissions = 0,
        *,
        mentionable: bool = False,
        guild: FakeGuild | int | str | None = None,
    ) -> FakeRole:
        """Add a role to ``guild`` (default: the first guild); do it before the bot connects."""
        where = self._guild_arg(guild)
        value = permissions.value if isinstance(permissions, discord.Permissions) else permissions
        role = FakeRole(self._ids.next(), name, value, position=len(where.roles), mentionable=mentionable)
        where.roles.append(role)
        return role

    def add_channel(
        self,
        name: str,
        *,
        topic: str | None = None,
        overwrites: Iterable[Overwrite] = (),
        guild: FakeGuild | int | str | None = None,
    ) -> FakeChannel:
        """Add a text channel to ``guild`` (default: the first guild); do it before the bot connects."""
        where = self._guild_arg(guild)
        channel = FakeChannel(
            self._ids.next(),
            name,
            position=len(where.channels),
            topic=topic,
            guild_id=where.id,
            overwrites=list(overwrites),
        )
        where.channels.append(channel)
        self._channels_by_id[channel.id] = channel
        return channel

    def _stable_id(self, key: Any) -> int:
        if key not in self._stable_ids:
            self._stable_ids[key] = self._ids.next()
        return self._stable_ids[key]

    # ----------------------------------------------------------------- call recording

    def fail(
        self,
        method: str | None,
        path_regex: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float = 0.05,
        body: JSON | None = None,
    ) -> None:
        """Make the next ``times`` matching requests fail with ``status``.

        429 answers carry ``retry_after`` and the ``Via`` header discord.py requires
        to treat them as real rate limits (without it, it assumes a Cloudflare ban).
        Beware: discord.py sleeps ``1 + 2*attempt`` seconds before retrying 500/502/504;
        use e.g. 503 (non-webhook routes: raised at once) or 429 for fast tests.
        """
        headers: dict[str, str] = {}
        if body is None:
            if status == 429:
                body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
            else:
                body = {"message": f"{status}: injected failure", "code": 0}
        if status == 429:
            headers = {"Via": "1.1 google", "Retry-After": str(retry_after), "X-RateLimit-Scope": "user"}
        rule = _FailureRule(method.upper() if method else None, re.compile(path_regex), status, times, body, headers)
        self._failures.append(rule)

    def calls_matching(
        self,
        method: str | None = None,
        path_regex: str | None = None,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """All recorded calls matching (consumed or not); ``path_regex`` must match the whole path."""
        return [c for c in self.calls if self._matches(c, method, path_regex, predicate)]

    async def wait_for_call(
        self,
        method: str | None,
        path_regex: str,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> Call:
        """Return the first matching call not yet consumed, waiting for it if needed.

        ``path_regex`` must match the whole path (``re.fullmatch``), relative to
        ``/api/v10``.  The returned call is marked consumed, so waiting twice returns
        two different calls.  Raises ``TimeoutError`` listing recent calls.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls:
                if not call.consumed and self._matches(call, method, path_regex, predicate):
                    call.consumed = True
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(f"{c.method} {c.path} -> {c.status}" for c in self.calls[-15:]) or "(none)"
                raise TimeoutError(f"no {method or '*'} {path_regex} call within {timeout}s; recent calls:\n  {recent}")
            event = self._call_event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def assert_no_unknown_calls(self) -> None:
        """Fail if the client hit a route this fake does not implement."""
        assert not self.unknown_calls, "unknown routes: " + ", ".join(
            f"{c.method} {c.path}" for c in self.unknown_calls
        )

    @staticmethod
    def _matches(
        call: Call, method: str | None, path_regex: str | None, predicate: Callable[[Call], bool] | None
    ) -> bool:
        if method is not None and call.method != method.upper():
            return False
        if path_regex is not None and re.fullmatch(path_regex, call.path) is None:
            return False
        return predicate is None or predicate(call)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        # Wake every waiter; each re-scans the list, then waits on the fresh event.
        event, self._call_event = self._call_event, asyncio.Event()
        event.set()

    # ----------------------------------------------------------------- REST plumbing

    @staticmethod
    def _json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
        if body is None and 200 <= status < 300:
            return web.Response(status=204, headers=headers)
        # discord.py only decodes JSON when Content-Type is *exactly* application/json,
        # so no "; charset=utf-8" suffix (which web.json_response would add).
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
        files: list[UploadedFile] = []
        if not request.can_read_body:
            return None, files
        if request.content_type == "multipart/form-data":
            # discord.py sends the JSON body as a "payload_json" part and files as "files[N]".
            payload: Any = None
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue  # nested multipart: never produced by discord.py
                raw = bytes(await part.read(decode=False))
                if part.name == "payload_json":
                    payload = json.loads(raw.decode())
                else:
                    content_type = part.headers.get("Content-Type")
                    files.append(UploadedFile(part.name or "", part.filename, content_type, raw))
            return payload, files
        text = await request.text()
        if not text:
            return None, files
        try:
            return json.loads(text), files
        except json.JSONDecodeError:
            return text, files

    async def _handle_rest(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :] or "/"
        payload, files = await self._read_body(request)
        call = Call(request.method, path, payload, dict(request.query), time.monotonic(), files)
        headers: Mapping[str, str] | None = None
        try:
            status, body, headers = self._injected_failure(call) or await self._route(call, request)
        except ApiError as exc:
            status, body = exc.status, exc.to_payload()
        except Exception as exc:
            # A bug in the fake (or input it can't handle). Answer 400, not 500: discord.py
            # would retry a 500 with multi-second sleeps. The fixture re-raises these.
            log.exception("fakediscord: error handling %s %s", call.method, call.path)
            self.internal_errors.append(exc)
            status, body = 400, {"message": f"fakediscord internal error: {exc!r}", "code": 0}
        call.status = 204 if body is None and status < 300 else status
        # Snapshot: the stored message objects keep changing as the bot edits them.
        call.response = copy.deepcopy(body)
        call.answered_at = time.monotonic()
        self._record(call)
        if call.interaction is not None:
            call.interaction._record_call(call)
        return self._json_response(status, body, headers)

    def _injected_failure(self, call: Call) -> tuple[int, Any, Mapping[str, str]] | None:
        for rule in self._failures:
            if rule.times > 0 and rule.method in (None, call.method) and rule.pattern.fullmatch(call.path):
                rule.times -= 1
                return rule.status, copy.deepcopy(rule.body), rule.headers
        return None

    async def _route(self, call: Call, request: web.Request) -> tuple[int, Any, None]:
        path_matched = False
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(call.path)
            if match is None:
                continue
            path_matched = True
            if method != call.method:
                continue
            if not call.path.startswith(("/interactions/", "/webhooks/")):
                self._check_auth(request)
            status, body = await handler(call, match.groupdict())
            return status, body, None
        if path_matched:
            raise ApiError(405, 0, "405: Method Not Allowed")
        self.unknown_calls.append(call)
        log.warning("fakediscord: unknown route %s %s", call.method, call.path)
        return 404, {"message": "Unknown", "code": 0}, None

    def _check_auth(self, request: web.Request) -> None:
        if self.expected_token is None:
            return
        if request.headers.get("Authorization") != f"Bot {self.expected_token}":
            raise ApiError(401, 0, "401: Unauthorized")

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        app = r"/applications/(?P<app_id>\d+)"
        scope = app + r"(?:/guilds/(?P<guild_id>\d+))?/commands"
        hook = r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)"
        chan = r"/channels/(?P<channel_id>\d+)"
        msg = chan + r"/messages/(?P<message_id>\d+)"
        guild = r"/guilds/(?P<guild_id>\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/users/(?P<user_id>\d+)", self._get_user),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/users/@me/guilds", self._list_my_guilds),
            ("DELETE", r"/users/@me/guilds/(?P<guild_id>\d+)", self._leave_guild),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("GET", scope, self._list_commands),
            ("PUT", scope, self._bulk_overwrite_commands),
            ("POST", scope, self._upsert_command),
            ("GET", scope + r"/(?P<command_id>\d+)", self._get_command),
            ("PATCH", scope + r"/(?P<command_id>\d+)", self._edit_command),
            ("DELETE", scope + r"/(?P<command_id>\d+)", self._delete_command),
            (
                "POST",
                r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
                self._interaction_callback,
            ),
            ("POST", hook, self._webhook_execute),
            ("GET", hook + r"/messages/(?P<message_id>@original|\d+)", self._webhook_get_message),
            ("PATCH", hook + r"/messages/(?P<message_id>@original|\d+)", self._webhook_edit_message),
            ("DELETE", hook + r"/messages/(?P<message_id>@original|\d+)", self._webhook_delete_message),
            ("GET", chan, self._get_channel),
            ("GET", chan + r"/messages", self._list_messages),
            ("POST", chan + r"/messages", self._create_channel_message),
            ("GET", msg, self._get_message),
            ("PATCH", msg, self._edit_channel_message),
            ("DELETE", msg, self._delete_channel_message),
            ("PUT", msg + r"/reactions/(?P<emoji>[^/]+)/@me", self._add_reaction),
            ("DELETE", msg + r"/reactions/(?P<emoji>[^/]+)/(?P<user>@me|\d+)", self._remove_reaction),
            ("POST", chan + r"/typing", self._typing),
            ("GET", guild, self._get_guild),
            ("GET", guild + r"/channels", self._get_guild_channels),
            ("GET", guild + r"/roles", self._get_guild_roles),
            ("GET", guild + r"/members", self._list_members),
            ("GET", guild + r"/members/(?P<user_id>\d+)", self._get_member),
        ]
        return [(m, re.compile(p), h) for m, p, h in table]

    # ----------------------------------------------------------------- REST: users, app, gateway

    async def _get_me(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, self._bot_user_payload()

    def _bot_user_payload(self) -> JSON:
        return {
            **self.bot_user.to_payload(),
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "email": None,
            "flags": 0,
            "bio": "",
        }

    async def _get_user(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        user = self._find_user(int(p["user_id"]))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return 200, user.to_payload()

    def _find_user(self, user_id: int) -> FakeUser | None:
        if user_id in self._users:
            return self._users[user_id]
        # Members a test appended to a guild's list by hand are users too.
        member = next((m for g in self.guilds if (m := g.get_member(user_id)) is not None), None)
        return member.user if member else None

    async def _list_my_guilds(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        guilds = sorted((g for g in self.guilds if g.joined), key=lambda g: g.id)
        if "after" in call.query:
            guilds = [g for g in guilds if g.id > int(call.query["after"])]
        if "before" in call.query:
            guilds = [g for g in guilds if g.id < int(call.query["before"])]
        with_counts = call.query.get("with_counts") in ("1", "true", "True")
        partial: list[JSON] = []
        for guild in guilds[: int(call.query.get("limit", 200))]:
            assert guild.bot_member is not None
            entry: JSON = {
                "id": str(guild.id),
                "name": guild.name,
                "icon": None,
                "banner": None,
                "owner": False,
                "permissions": str(guild.permissions_for(guild.bot_member)),
                "features": [],
            }
            if with_counts:
                entry.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
            partial.append(entry)
        return 200, partial

    async def _leave_guild(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        await self.leave_guild(self._guild_or_404(p["guild_id"]))
        return 204, None

    async def _create_dm(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        recipient = self._find_user(int((call.json or {}).get("recipient_id", 0)))
        if recipient is None:
            raise ApiError(400, 50035, "Invalid Form Body", {"recipient_id": {"_errors": []}})
        return 200, self.dm_channel(recipient).to_payload()

    def dm_channel(self, user: FakeUser | FakeMember) -> FakeChannel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        user = user.user if isinstance(user, FakeMember) else user
        if user.id not in self._dm_channels:
            channel = FakeChannel(self._ids.next(), "", type=1, recipients=[user])
            self._dm_channels[user.id] = self._channels_by_id[channel.id] = channel
        return self._dm_channels[user.id]

    async def _get_gateway(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        # Every IDENTIFY uses up a session start, as on Discord (the limit itself is not enforced).
        limit = {
            "total": 1000,
            "remaining": max(0, 1000 - len(self.identify_payloads)),
            "reset_after": 14_400_000,
            "max_concurrency": self.max_concurrency,
        }
        return 200, {"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit}

    async def _get_application(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "Fake application for tests",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": self.application_flags,
            "owner": self.owner_user.to_payload(),
            "team": None,
            "bot": self.bot_user.to_payload(),
            "hook": True,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": sum(g.joined for g in self.guilds),
            "integration_types_config": {"0": {}},
        }

    # ----------------------------------------------------------------- REST: application commands

    def _command_scope(self, p: dict[str, str]) -> int | None:
        if int(p["app_id"]) != self.application_id:
            raise ApiError(403, 50001, "Missing Access")
        guild_id = p.get("guild_id")
        if guild_id is None:
            return None
        # Guild commands exist only where the application is installed.
        if not any(g.id == int(guild_id) and g.joined for g in self.guilds):
            raise ApiError(403, 50001, "Missing Access")
        return int(guild_id)

    def _store_command(self, scope: int | None, data: JSON) -> JSON:
        ctype = data.get("type", 1)
        key = (data["name"], ctype)
        store = self.commands.setdefault(scope, {})
        existing = store.get(key)
        permissions = data.get("default_member_permissions")
        command: JSON = {
            **{k: v for k, v in data.items() if k not in ("id", "application_id", "version", "guild_id")},
            # Discord keeps a command's id across overwrites as long as name and type match.
            "id": existing["id"] if existing else str(self._ids.next()),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
            "type": ctype,
            "description": data.get("description", ""),
            "default_member_permissions": None if permissions is None else str(permissions),
            "dm_permission": data.get("dm_permission", True),
            "nsfw": data.get("nsfw", False),
            "integration_types": data.get("integration_types") or [0],
            "contexts": data.get("contexts"),
        }
        if scope is not None:
            command["guild_id"] = str(scope)
        store[key] = command
        return command

    def _find_stored_command(self, scope: int | None, command_id: str) -> tuple[tuple[str, int], JSON]:
        for key, command in self.commands.get(scope, {}).items():
            if command["id"] == command_id:
                return key, command
        raise ApiError(404, 10063, "Unknown application command")

    async def _list_commands(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, list(self.commands.get(self._command_scope(p), {}).values())

    async def _bulk_overwrite_commands(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        scope = self._command_scope(p)
        payload = call.json or []
        validate_command_payload(payload)
        old = self.commands.get(scope, {})
        self.commands[scope] = {k: v for k, v in old.items() if k in {(c["name"], c.get("type", 1)) for c in payload}}
        return 200, [self._store_command(scope, c) for c in payload]

    async def _upsert_command(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        scope = self._command_scope(p)
        validate_command_payload([call.json or {}])
        existed = (call.json["name"], call.json.get("type", 1)) in self.commands.get(scope, {})
        return (200 if existed else 201), self._store_command(scope, call.json)

    async def _get_command(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, self._find_stored_command(self._command_scope(p), p["command_id"])[1]

    async def _edit_command(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        scope = self._command_scope(p)
        key, command = self._find_stored_command(scope, p["command_id"])
        merged = {**command, **(call.json or {})}
        validate_command_payload([merged])
        del self.commands[scope][key]
        return 200, self._store_command(scope, merged)

    async def _delete_command(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        scope = self._command_scope(p)
        key, _ = self._find_stored_command(scope, p["command_id"])
        del self.commands[scope][key]
        return 204, None

    # ----------------------------------------------------------------- REST: interactions & webhooks

    async def _interaction_callback(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        handle = self.interactions.get(int(p["interaction_id"]))
        if handle is None or handle.token != p["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        call.interaction = handle
        if handle.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = call.json or {}
        rtype = body.get("type")
        data: JSON = body.get("data") or {}
        if rtype not in _VALID_CALLBACKS[handle.type]:
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {"type": {"_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": f"type {rtype}"}]}},
            )

        # Validate everything first, then mark the interaction acknowledged *before* any
        # await, so a concurrent second callback gets 40060 like on Discord.
        if rtype == 4:
            validate_message_payload(data, files=len(call.files))
        elif rtype in (6, 7) and handle.message_id is None:
            raise ApiError(400, 50035, "Invalid Form Body", {"type": {"_errors": []}})
        elif rtype == 7:
            validate_message_payload(data, files=len(call.files), edit=True)
        elif rtype == 8 and len(data.get("choices") or []) > 25:
            raise ApiError(400, 50035, "Invalid Form Body", {"data": {"choices": {"_errors": []}}})
        elif rtype == 9:
            self._validate_modal(data)
        handle.response_type = rtype
        handle.response_data = body

        resource: JSON | None = None
        if rtype == 4:
            message = await self._create_interaction_message(handle, data, call.files)
            handle.original_message_id = int(message["id"])
            resource = {"type": 4, "message": message}
        elif rtype == 5:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            message = await self._create_interaction_message(handle, {"content": "", "flags": flags}, [])
            handle.original_message_id = int(message["id"])
            resource = {"type": 5, "message": message}
        elif rtype in (6, 7) and handle.message_id is not None:
            handle.original_message_id = handle.message_id
            if rtype == 7:
                message = await self._edit_message(handle.message_id, data, call.files)
                resource = {"type": 7, "message": message}
        elif rtype == 9:
            resource = {"type": 9}

        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        original = handle.original_message
        info: JSON = {
            "id": str(handle.id),
            "type": handle.type,
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": bool(original and int(original.get("flags", 0)) & FLAG_EPHEMERAL),
        }
        if original is not None:
            info["response_message_id"] = original["id"]
        answer: JSON = {"interaction": info}
        if resource is not None:
            answer["resource"] = resource
        return 200, answer

    @staticmethod
    def _validate_modal(data: JSON) -> None:
        errors: JSON = {}
        _check_len(errors, ["data", "custom_id"], data.get("custom_id"), 100, required=True)
        _check_len(errors, ["data", "title"], data.get("title"), 45, required=True)
        if not 1 <= len(data.get("components") or []) <= 5:
            _add_error(errors, ["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        if errors:
            raise ApiError(400, 50035, "Invalid Form Body", errors)

    def _webhook_interaction(self, call: Call, p: dict[str, str]) -> InteractionHandle:
        handle = self._interactions_by_token.get(p["token"])
        # Follow-ups only work once the interaction has been acknowledged.
        if int(p["app_id"]) != self.application_id or handle is None or handle.response_type is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        call.interaction = handle
        return handle

    def _webhook_message_id(self, handle: InteractionHandle, message_id: str) -> int:
        if message_id == "@original":
            if handle.original_message_id is None or handle.original_message_id not in self.messages:
                raise ApiError(404, 10008, "Unknown Message")
            return handle.original_message_id
        mid = int(message_id)
        if mid not in (handle.original_message_id, *handle.followup_message_ids) or mid not in self.messages:
            raise ApiError(404, 10008, "Unknown Message")
        return mid

    async def _webhook_execute(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        handle = self._webhook_interaction(call, p)
        data = call.json or {}
        validate_message_payload(data, files=len(call.files))
        original = handle.original_message
        if original is not None and int(original.get("flags", 0)) & FLAG_LOADING:
            # After a deferred (type 5) response, Discord turns the first follow-up into
            # the "thinking" message itself, keeping the ephemerality chosen at defer time
            # (_edit_message never changes the ephemeral bit).
            message = await self._edit_message(int(original["id"]), data, call.files)
        else:
            message = await self._create_interaction_message(handle, data, call.files, followup=True)
            handle.followup_message_ids.append(int(message["id"]))
        if call.query.get("wait") in ("0", "false", "False"):
            return 204, None
        return 200, message

    async def _webhook_get_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        handle = self._webhook_interaction(call, p)
        return 200, self.messages[self._webhook_message_id(handle, p["message_id"])]

    async def _webhook_edit_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        handle = self._webhook_interaction(call, p)
        mid = self._webhook_message_id(handle, p["message_id"])
        data = call.json or {}
        validate_message_payload(data, files=len(call.files), edit=True)
        return 200, await self._edit_message(mid, data, call.files)

    async def _webhook_delete_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        handle = self._webhook_interaction(call, p)
        await self._delete_message(self._webhook_message_id(handle, p["message_id"]))
        return 204, None

    # ----------------------------------------------------------------- REST: channels & messages

    def _channel_or_404(self, channel_id: str | int) -> FakeChannel:
        """The channel, if the bot can reach it: 404 if unknown, 403 in a guild the bot is not in."""
        try:
            channel = self.channel(int(channel_id))
        except KeyError:
            raise ApiError(404, 10003, "Unknown Channel") from None
        guild = self.guild_of(channel)
        if guild is not None and not guild.joined:
            # Not a permission the bot lacks but a guild it is not in: checked even
            # with enforce_permissions off.
            raise ApiError(403, 50001, "Missing Access")
        return channel

    def _message_or_404(self, channel_id: str | int, message_id: str | int) -> JSON:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != str(channel_id):
            raise ApiError(404, 10008, "Unknown Message")
        return message

    def _require(self, channel: FakeChannel, needed: int) -> None:
        guild = self.guild_of(channel)
        if not self.enforce_permissions or guild is None:
            return
        perms = guild.permissions_for(self._bot_in(guild), channel)
        if not perms & PERM_VIEW_CHANNEL:
            raise ApiError(403, 50001, "Missing Access")
        if perms & needed != needed:
            raise ApiError(403, 50013, "Missing Permissions")

    async def _get_channel(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        self._require(channel, 0)
        return 200, channel.to_payload()

    async def _list_messages(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        self._require(channel, PERM_READ_MESSAGE_HISTORY)
        found = [m for m in self.messages.values() if m["channel_id"] == str(channel.id)]
        found = [m for m in found if not int(m.get("flags", 0)) & FLAG_EPHEMERAL]
        if "before" in call.query:
            found = [m for m in found if int(m["id"]) < int(call.query["before"])]
        if "after" in call.query:
            found = [m for m in found if int(m["id"]) > int(call.query["after"])]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        return 200, found[: int(call.query.get("limit", 50))]

    async def _create_channel_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        self._require(channel, PERM_SEND_MESSAGES)
        data = call.json or {}
        validate_message_payload(data, files=len(call.files))
        message = self._build_message(channel, self.bot_user, data, call.files)
        await self._store_and_broadcast(message)
        return 200, message

    async def _get_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        self._require(channel, PERM_READ_MESSAGE_HISTORY)
        return 200, self._message_or_404(p["channel_id"], p["message_id"])

    async def _edit_channel_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        self._channel_or_404(p["channel_id"])
        message = self._message_or_404(p["channel_id"], p["message_id"])
        data = call.json or {}
        if message["author"]["id"] != str(self.bot_user.id) and set(data) - {"flags"}:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        validate_message_payload(data, files=len(call.files), edit=True)
        return 200, await self._edit_message(int(message["id"]), data, call.files)

    async def _delete_channel_message(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        message = self._message_or_404(p["channel_id"], p["message_id"])
        if message["author"]["id"] != str(self.bot_user.id):
            self._require(channel, PERM_MANAGE_MESSAGES)
        await self._delete_message(int(message["id"]))
        return 204, None

    async def _add_reaction(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        message = self._message_or_404(p["channel_id"], p["message_id"])
        existing = self._find_reaction(message, p["emoji"])
        if existing is None:
            # Adding a *new* reaction needs ADD_REACTIONS; piling onto one only history.
            self._require(channel, PERM_ADD_REACTIONS | PERM_READ_MESSAGE_HISTORY)
        else:
            self._require(channel, PERM_READ_MESSAGE_HISTORY)
        added = self._apply_reaction(message, p["emoji"], self.bot_user.id, add=True)
        if added:
            bot = self._bot_in(self.guild_of(channel))
            await self._broadcast_reaction("MESSAGE_REACTION_ADD", message, p["emoji"], bot)
        return 204, None

    async def _remove_reaction(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        channel = self._channel_or_404(p["channel_id"])
        message = self._message_or_404(p["channel_id"], p["message_id"])
        user_id = self.bot_user.id if p["user"] == "@me" else int(p["user"])
        if user_id != self.bot_user.id:
            self._require(channel, PERM_MANAGE_MESSAGES)
        self._apply_reaction(message, p["emoji"], user_id, add=False)
        return 204, None

    async def _typing(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        self._require(self._channel_or_404(p["channel_id"]), PERM_SEND_MESSAGES)
        return 204, None

    # ----------------------------------------------------------------- REST: guild

    def _guild_or_404(self, guild_id: str) -> FakeGuild:
        """The guild, if the bot is in it: 404 if unknown, 403 if the bot is not a member."""
        try:
            guild = self.get_guild(int(guild_id))
        except KeyError:
            raise ApiError(404, 10004, "Unknown Guild") from None
        if not guild.joined:
            raise ApiError(403, 50001, "Missing Access")
        return guild

    def _bot_in(self, guild: FakeGuild | None) -> FakeMember:
        """The bot as a member of ``guild``; outside guilds (DMs) only its user matters."""
        if guild is None or guild.bot_member is None:
            return FakeMember(self.bot_user)
        return guild.bot_member

    def _guild_payload(self, guild: FakeGuild) -> JSON:
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "system_channel_id": _snowflake_str(guild.system_channel_id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "application_id": None,
            "features": [],
            "roles": [r.to_payload() for r in guild.roles],
            "emojis": [],
            "stickers": [],
        }

    async def _get_guild(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        guild = self._guild_or_404(p["guild_id"])
        payload = self._guild_payload(guild)
        if call.query.get("with_counts") in ("1", "true", "True"):
            payload["approximate_member_count"] = len(guild.members)
            payload["approximate_presence_count"] = 0
        return 200, payload

    async def _get_guild_channels(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        guild = self._guild_or_404(p["guild_id"])
        bot = self._bot_in(guild)
        visible = [c for c in guild.channels if guild.permissions_for(bot, c) & PERM_VIEW_CHANNEL]
        return 200, [c.to_payload() for c in visible]

    async def _get_guild_roles(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        return 200, [r.to_payload() for r in self._guild_or_404(p["guild_id"]).roles]

    async def _list_members(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        guild = self._guild_or_404(p["guild_id"])
        after = int(call.query.get("after", 0))
        members = sorted((m for m in guild.members if m.id > after), key=lambda m: m.id)
        return 200, [m.to_payload() for m in members[: int(call.query.get("limit", 1))]]

    async def _get_member(self, call: Call, p: dict[str, str]) -> tuple[int, Any]:
        member = self._guild_or_404(p["guild_id"]).get_member(int(p["user_id"]))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return 200, member.to_payload()

    # ----------------------------------------------------------------- message model

    def _user_payload_with_member(self, user: FakeUser, guild: FakeGuild | None) -> JSON:
        """A user mentioned in ``guild``: with their membership there, if any (none in DMs)."""
        payload = user.to_payload()
        member = guild.get_member(user.id) if guild is not None else None
        if member is not None:
            payload["member"] = member.to_payload(with_user=False)
        return payload

    def _compute_bot_pings(
        self, content: str, allowed: JSON | None, replied_author: JSON | None, guild: FakeGuild | None
    ) -> tuple[list[JSON], list[str], bool]:
        """Who a bot message in ``guild`` (``None``: a DM) really pings, applying allowed_mentions like Discord.

        Only roles of that guild can be pinged, and nobody is pinged as @everyone in a DM.
        """
        parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
        allowed_users = {str(u) for u in (allowed or {}).get("users") or []}
        allowed_roles = {str(r) for r in (allowed or {}).get("roles") or []}
        users: list[JSON] = []
        for uid in dict.fromkeys(_USER_MENTION_RE.findall(content)):
            user = self._find_user(int(uid))
            if user is not None and ("users" in parse or uid in allowed_users):
                users.append(self._user_payload_with_member(user, guild))
        roles = [
            rid
            for rid in self._guild_role_mentions(content, guild)
            if "roles" in parse or rid in allowed_roles
        ]
        everyone = guild is not None and "everyone" in parse and ("@everyone" in content or "@here" in content)
        # Replies ping their author unless allowed_mentions is given without replied_user.
        pings_author = allowed is None or bool(allowed.get("replied_user"))
        pinged = {u["id"] for u in users}
        if replied_author is not None and pings_author and replied_author["id"] not in pinged:
            user = self._find_user(int(replied_author["id"]))
            users.append(self._user_payload_with_member(user, guild) if user else replied_author)
        return users, roles, everyone

    @staticmethod
    def _guild_role_mentions(content: str, guild: FakeGuild | None) -> list[str]:
        """Ids of ``<@&id>`` mentions in ``content`` naming roles of ``guild`` (none in DMs)."""
        known = {str(r.id) for r in guild.roles} if guild is not None else set()
        return [rid for rid in dict.fromkeys(_ROLE_MENTION_RE.findall(content)) if rid in known]

    def _attachments_from(self, data: JSON, files: list[UploadedFile]) -> list[JSON]:
        described = {str(a.get("id")): a for a in data.get("attachments") or []}
        out: list[JSON] = []
        for index, upload in enumerate(files):
            # discord.py names parts files[N] and describes them as attachments id N.
            match = re.fullmatch(r"files\[(\d+)\]", upload.field_name)
            meta = described.get(match.group(1) if match else str(index), {})
            filename = meta.get("filename") or upload.filename or f"file{index}"
            attachment_id = self._ids.next()
            url = f"https://cdn.discordapp.com/attachments/0/{attachment_id}/{filename}"
            out.append(
                {
                    "id": str(attachment_id),
                    "filename": filename,
                    "description": meta.get("description"),
                    "content_type": upload.content_type,
                    "size": len(upload.data),
                    "url": url,
                    "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
                    "flags": 0,
                }
            )
        return out

    def _build_message(
        self,
        channel: FakeChannel,
        author: FakeUser,
        data: JSON,
        files: list[UploadedFile],
        *,
        message_type: int = 0,
        extra: JSON | None = None,
    ) -> JSON:
        """Build a message object (REST shape: no guild_id) from a send payload."""
        content = data.get("content") or ""
        guild = self.guild_of(channel)
        reference = data.get("message_reference")
        referenced = self.messages.get(int(reference["message_id"])) if reference else None
        mentions, role_mentions, everyone = self._compute_bot_pings(
            content, data.get("allowed_mentions"), referenced["author"] if referenced else None, guild
        )
        message: JSON = {
            "id": str(self._ids.next()),
            "channel_id": str(channel.id),
            "author": author.to_payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts")),
            "mention_everyone": everyone,
            "mentions": mentions,
            "mention_roles": role_mentions,
            "attachments": self._attachments_from(data, files),
            "embeds": [{"type": "rich", **e} for e in data.get("embeds") or []],
            "reactions": [],
            "pinned": False,
            "type": message_type,
            "flags": int(data.get("flags") or 0),
            "components": copy.deepcopy(data.get("components") or []),
        }
        if data.get("nonce") is not None:
            message["nonce"] = data["nonce"]
        if reference:
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": str(reference["message_id"]),
                "channel_id": str(reference.get("channel_id") or channel.id),
                "guild_id": _snowflake_str(guild.id if guild is not None else None),
            }
            message["referenced_message"] = copy.deepcopy(referenced)
        if extra:
            message.update(extra)
        return message

    async def _create_interaction_message(
        self, handle: InteractionHandle, data: JSON, files: list[UploadedFile], *, followup: bool = False
    ) -> JSON:
        channel = self.channel(handle.channel_id)
        command_type = (handle.payload.get("data") or {}).get("type", 1)
        if handle.type == INTERACTION_APPLICATION_COMMAND and not followup:
            message_type = 20 if command_type == 1 else 23
        else:
            message_type = 0
        user = handle.payload["member"]["user"] if "member" in handle.payload else handle.payload["user"]
        metadata: JSON = {
            "id": str(handle.id),
            "type": handle.type,
            "user": user,
            "authorizing_integration_owners": handle.payload["authorizing_integration_owners"],
        }
        if handle.type == INTERACTION_COMPONENT and handle.message_id is not None:
            metadata["interacted_message_id"] = str(handle.message_id)
        if followup and handle.original_message_id is not None:
            metadata["original_response_message_id"] = str(handle.original_message_id)
        extra: JSON = {
            "webhook_id": str(self.application_id),
            "application_id": str(self.application_id),
            "interaction_metadata": metadata,
        }
        message = self._build_message(channel, self.bot_user, data, files, message_type=message_type, extra=extra)
        await self._store_and_broadcast(message)
        return message

    async def _store_and_broadcast(self, message: JSON) -> None:
        self.messages[int(message["id"])] = message
        channel = self.channel(int(message["channel_id"]))
        channel.last_message_id = int(message["id"])
        from_bot = message["author"]["id"] == str(self.bot_user.id)
        if int(message.get("flags", 0)) & FLAG_EPHEMERAL or (from_bot and not self.echo_bot_messages):
            return
        await self._broadcast_message("MESSAGE_CREATE", message)

    async def _edit_message(self, message_id: int, data: JSON, files: list[UploadedFile]) -> JSON:
        message = self.messages[message_id]
        if "content" in data:
            message["content"] = data["content"] or ""
        if "components" in data:
            message["components"] = copy.deepcopy(data["components"] or [])
        if "embeds" in data:
            message["embeds"] = [{"type": "rich", **e} for e in data["embeds"] or []]
        if "flags" in data:
            # Only the suppress-embeds / components-v2 bits are editable; loading ends on edit.
            editable = FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2
            kept = int(message.get("flags", 0)) & ~editable & ~FLAG_LOADING
            message["flags"] = kept | (int(data["flags"] or 0) & editable)
        else:
            message["flags"] = int(message.get("flags", 0)) & ~FLAG_LOADING
        if "attachments" in data or files:
            keep = {str(a.get("id")) for a in data.get("attachments") or []}
            kept = [a for a in message["attachments"] if a["id"] in keep]
            message["attachments"] = kept + self._attachments_from(data, files)
        if "content" in data or "allowed_mentions" in data:
            guild = self.guild_of(int(message["channel_id"]))
            mentions, roles, everyone = self._compute_bot_pings(
                message["content"], data.get("allowed_mentions"), None, guild
            )
            message.update(mentions=mentions, mention_roles=roles, mention_everyone=everyone)
        message["edited_timestamp"] = _now_iso()
        if not int(message["flags"]) & FLAG_EPHEMERAL:
            await self._broadcast_message("MESSAGE_UPDATE", message)
        return message

    async def _delete_message(self, message_id: int) -> None:
        message = self.messages.pop(message_id)
        if int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            return
        guild = self.guild_of(int(message["channel_id"]))
        data: JSON = {"id": message["id"], "channel_id": message["channel_id"]}
        if guild is not None:
            data["guild_id"] = str(guild.id)
        for session in self._receivers(guild, INTENT_GUILD_MESSAGES if guild else INTENT_DIRECT_MESSAGES):
            await self._send(session, "MESSAGE_DELETE", data)

    def _find_reaction(self, message: JSON, emoji: str) -> JSON | None:
        return next((r for r in message["reactions"] if self._emoji_key(r["emoji"]) == emoji), None)

    @staticmethod
    def _emoji_key(emoji: JSON) -> str:
        return f"{emoji['name']}:{emoji['id']}" if emoji.get("id") else emoji["name"]

    @staticmethod
    def _emoji_payload(emoji: str) -> JSON:
        name, _, emoji_id = emoji.partition(":")
        return {"id": emoji_id or None, "name": name}

    def _apply_reaction(self, message: JSON, emoji: str, user_id: int, *, add: bool) -> bool:
        """Add/remove ``user_id``'s reaction; returns whether anything changed."""
        who = self._reaction_users.setdefault(int(message["id"]), {}).setdefault(emoji, set())
        if (user_id in who) == add:
            return False
        (who.add if add else who.discard)(user_id)
        reaction = self._find_reaction(message, emoji)
        if reaction is None:
            reaction = {"emoji": self._emoji_payload(emoji), "count": 0, "me": False, "burst_colors": []}
            message["reactions"].append(reaction)
        reaction["count"] = len(who)
        reaction["me"] = self.bot_user.id in who
        reaction["count_details"] = {"burst": 0, "normal": len(who)}
        reaction.update(me_burst=False, burst_me=False, burst_count=0)
        if not who:
            message["reactions"].remove(reaction)
        return True

    async def _broadcast_message(self, event: str, message: JSON) -> None:
        guild = self.guild_of(int(message["channel_id"]))
        receivers = self._receivers(guild, INTENT_GUILD_MESSAGES if guild else INTENT_DIRECT_MESSAGES)
        if not receivers:
            return
        data = copy.deepcopy(message)
        if guild is not None:
            data["guild_id"] = str(guild.id)
            member = guild.get_member(int(data["author"]["id"]))
            if member is not None and "webhook_id" not in data:
                data["member"] = member.to_payload(with_user=False)
        for session in receivers:
            if self._hides_content(session, message, guild):
                await self._send(session, event, {**data, "content": "", "embeds": [], "attachments": [],
                                                  "components": []})
            else:
                await self._send(session, event, data)

    def _hides_content(self, session: _Session, message: JSON, guild: FakeGuild | None) -> bool:
        """Without MESSAGE_CONTENT, Discord blanks other users' guild messages that don't mention the bot."""
        if not self.enforce_intents or guild is None or self._wants(session, INTENT_MESSAGE_CONTENT):
            return False
        if message["author"]["id"] == str(self.bot_user.id):
            return False
        return all(u["id"] != str(self.bot_user.id) for u in message.get("mentions", []))

    async def _broadcast_reaction(self, event: str, message: JSON, emoji: str, member: FakeMember) -> None:
        guild = self.guild_of(int(message["channel_id"]))
        receivers = self._receivers(guild, INTENT_GUILD_MESSAGE_REACTIONS if guild else INTENT_DIRECT_MESSAGE_REACTIONS)
        data: JSON = {
            "user_id": str(member.id),
            "channel_id": message["channel_id"],
            "message_id": message["id"],
            "emoji": self._emoji_payload(emoji),
            "message_author_id": message["author"]["id"],
            "burst": False,
            "burst_colors": [],
            "type": 0,
        }
        if guild is not None:
            data["guild_id"] = str(guild.id)
            data["member"] = member.to_payload()
        for session in receivers:
            await self._send(session, event, data)

    # ----------------------------------------------------------------- gateway

    @staticmethod
    def _sees(guild: FakeGuild | None) -> bool:
        """Whether the bot gets events from ``guild``: only from guilds it is in (DMs: ``None``, always)."""
        return guild is None or guild.joined

    def _wants(self, session: _Session, intent: int) -> bool:
        """Whether ``session`` asked for the events of ``intent`` (always, with ``enforce_intents`` off)."""
        return not self.enforce_intents or bool(session.intents & intent)

    def _sessions_for(self, guild_id: int | None) -> list[_Session]:
        """The live sessions that get the events of guild ``guild_id`` (``None``: DMs): its shard's."""
        return [s for s in self._live.values() if s.covers(guild_id)]

    def _receivers(self, guild: FakeGuild | None, intent: int) -> list[_Session]:
        """Who gets an event of ``guild`` (``None``: a DM) that needs ``intent``, right now.

        Nobody for a guild the bot is not in, nor while no client handles the guild's
        shard: like posts made while a bot is offline, such events are not kept for it.
        """
        if not self._sees(guild):
            return []
        sessions = self._sessions_for(guild.id if guild is not None else None)
        return [s for s in sessions if self._wants(s, intent)]

    @property
    def connected(self) -> bool:
        """Whether a client is currently connected and identified (with several shards: any of them)."""
        return any(s.connection is not None and not s.connection.ws.closed for s in self._live.values())

    async def wait_until_identified(self, timeout: float = 5.0) -> None:
        """Wait until a client has sent IDENTIFY (READY and GUILD_CREATE are then on their way)."""
        await asyncio.wait_for(self._identified.wait(), timeout)

    def sessions(self) -> list[JSON]:
        """The live gateway sessions, one per shard: ``shard`` (``None``: unsharded), ``connected``, ``guilds``..."""
        return [
            {
                "session_id": s.id,
                "shard": list(s.shard) if s.shard is not None else None,
                "connected": s.connection is not None and not s.connection.ws.closed,
                "guilds": sum(1 for g in self.guilds if g.joined and s.covers(g.id)),
                "ready_at": s.ready_at,
                "seq": s.seq,
            }
            for s in self._live.values()
        ]

    async def _handle_gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws, dict(request.query))
        self._connections.add(conn)
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fakediscord"]}
            await ws.send_str(json.dumps({"op": 10, "d": hello, "s": None, "t": None}))
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_gateway_payload(conn, json.loads(msg.data))
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            self._connections.discard(conn)
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                if not conn.closed_by_server and ws.close_code in (1000, 1001):
                    # Discord ends a session whose client closes the socket cleanly (shutting
                    # down): it cannot be resumed, and its shard's events wait for the next
                    # IDENTIFY instead of piling up in it.
                    self._drop_session(session)
        return ws

    async def _on_gateway_payload(self, conn: _Connection, payload: JSON) -> None:
        self.gateway_received.append(payload)
        op, data = payload.get("op"), payload.get("d")
        if op == 1:  # HEARTBEAT
            await conn.ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
        elif op == 2:  # IDENTIFY
            await self._identify(conn, data or {})
        elif op == 6:  # RESUME
            await self._resume(conn, data or {})
        elif op == 8:  # REQUEST_GUILD_MEMBERS
            await self._request_members(conn, data or {})

    @staticmethod
    def _identify_shard(value: Any) -> tuple[int, int] | None:
        """IDENTIFY's ``shard``: ``(shard_id, shard_count)``; ``ValueError`` unless 0 <= shard_id < shard_count."""
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise ValueError(value)
        shard_id, shard_count = value
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value) or not 0 <= shard_id < shard_count:
            raise ValueError(value)
        return shard_id, shard_count

    async def _identify(self, conn: _Connection, data: JSON) -> None:
        self.identify_payloads.append(data)
        token = data.get("token", "")
        if self.expected_token is not None and token != self.expected_token:
            await conn.close(4004, b"Authentication failed.")
            return
        shard: tuple[int, int] | None = None
        if data.get("shard") is not None:
            try:
                shard = self._identify_shard(data["shard"])
            except ValueError:
                await conn.close(4010, b"Invalid shard.")
                return
        session = _Session(secrets.token_hex(16), token, int(data.get("intents", 0)), shard=shard, connection=conn)
        # One list for READY and the GUILD_CREATEs, even if join_guild() runs in between.
        guilds = [g for g in self.guilds if g.joined and session.covers(g.id)]
        if self.max_guilds_per_shard is not None and len(guilds) > self.max_guilds_per_shard:
            await conn.close(4011, b"Sharding required.")
            return
        conn.session = session
        self._sessions[session.id] = session
        ready: JSON = {
            "v": 10,
            "user": self._bot_user_payload(),
            # Like Discord: READY lists the bot's guilds as unavailable, then each one
            # arrives in its own GUILD_CREATE (discord.py waits for them before on_ready).
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["us-east"],
            "user_settings": {},
            "_trace": ["fakediscord"],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        # Held from before the session goes live: an event of its shard dispatched meanwhile
        # must come after READY and the GUILD_CREATEs, as on Discord.
        async with session.lock:
            self._go_live(session)
            await self._write(session, "READY", ready)
            for guild in guilds:
                await self._write(session, "GUILD_CREATE", self._guild_create_payload(session, guild, from_ready=True))
            session.ready_at = time.monotonic()
        self._identified.set()

    def _go_live(self, session: _Session) -> None:
        """``session`` gets its shard's events from now on, taking them over from an earlier session of that shard."""
        self._live[session.shard_key] = session
        self._session = session
        # Wake the dispatches waiting for a session of this shard.
        event, self._live_changed = self._live_changed, asyncio.Event()
        event.set()

    def _drop_session(self, session: _Session) -> None:
        """``session`` is over: not resumable, and no longer the one getting its shard's events."""
        self._sessions.pop(session.id, None)
        if self._live.get(session.shard_key) is session:
            del self._live[session.shard_key]
        if self._session is session:
            self._session = None
        if not self._live:
            self._identified.clear()

    def _guild_create_payload(self, session: _Session, guild: FakeGuild, *, from_ready: bool) -> JSON:
        """GUILD_CREATE for ``guild``: ``from_ready`` for one READY listed, else a guild just joined."""
        bot = self._bot_in(guild)
        with_members = session.intents & INTENT_GUILD_MEMBERS or not self.enforce_intents
        # Without GUILD_MEMBERS Discord only includes the bot itself (and voice members).
        members = guild.members if with_members else [bot]
        payload: JSON = {
            **self._guild_payload(guild),
            "joined_at": bot.joined_at,
            "large": False,
            "member_count": len(guild.members),
            "members": [m.to_payload() for m in members],
            "channels": [{k: v for k, v in c.to_payload().items() if k != "guild_id"} for c in guild.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
        }
        # Discord marks a READY-listed guild becoming available with "unavailable": false
        # and leaves the field out for a guild the bot was just added to; discord.py tells
        # on_guild_available from on_guild_join by exactly that.
        if from_ready:
            payload["unavailable"] = False
        return payload

    async def join_guild(self, guild: FakeGuild | int | str) -> None:
        """The bot is added to ``guild`` (made with ``add_guild(joined=False)``, or left before).

        The bot becomes a member (with its managed role, joined now) and, if a client
        handles the guild's shard, it gets GUILD_CREATE: discord.py then fires
        ``on_guild_join``.  With no such client yet, the guild is simply in the next
        READY of its shard.
        """
        target = self.get_guild(guild)
        if target.joined:
            raise ValueError(f"the bot is already in guild {target.name!r}")
        assert target.bot_member is not None
        target.bot_member.joined_at = _now_iso()
        target.members.append(target.bot_member)
        for session in self._sessions_for(target.id):
            await self._send(session, "GUILD_CREATE", self._guild_create_payload(session, target, from_ready=False))

    async def leave_guild(self, guild: FakeGuild | int | str) -> None:
        """The bot leaves (or is kicked from) ``guild``: GUILD_DELETE, so ``on_guild_remove`` fires.

        The guild, its channels and its messages stay in the fake (and can be joined
        again); the bot just cannot reach them, and gets no events from them.
        """
        target = self.get_guild(guild)
        if not target.joined:
            raise ValueError(f"the bot is not in guild {target.name!r}")
        target.members[:] = [m for m in target.members if m is not target.bot_member]
        for session in self._sessions_for(target.id):
            # Without "unavailable" a GUILD_DELETE means removal, not an outage.
            await self._send(session, "GUILD_DELETE", {"id": str(target.id)})

    async def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or session.token != data.get("token"):
            # Not resumable: the client drops the session and IDENTIFYs again.
            await conn.ws.send_str(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
            return
        seq = int(data.get("seq") or 0)
        async with session.lock:
            session.connection = conn
            conn.session = session
            self._go_live(session)
            # history[i] has sequence number i + 1: replay what the client has not seen.
            for frame in session.history[seq:]:
                await conn.ws.send_str(json.dumps(frame))
                handle = session.unsent.pop(frame["s"], None)
                if handle is not None and handle.dispatched_at is None:
                    handle.dispatched_at = time.monotonic()
            self.resume_count += 1
            await self._write(session, "RESUMED", {"_trace": ["fakediscord"]})

    async def _request_members(self, conn: _Connection, data: JSON) -> None:
        session = conn.session
        if session is None:
            return  # not identified: Discord would close the connection (4003)
        try:
            guild = self.get_guild(int(data.get("guild_id") or 0))
        except KeyError:
            return
        if not guild.joined:
            return  # no members to send for a guild the bot is not in (the client's wait times out)
        query = (data.get("query") or "").lower()
        wanted = {int(u) for u in data.get("user_ids") or []}
        members = [m for m in guild.members if m.user.username.lower().startswith(query)]
        if wanted:
            members = [m for m in guild.members if m.id in wanted]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [m.to_payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - {m.id for m in members}],
            "presences": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        # The answer goes back on the connection that asked.
        await self._send(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def dispatch(
        self, event: str, data: JSON, *, guild: FakeGuild | int | None = None, timeout: float = 5.0
    ) -> int:
        """Send a DISPATCH (op 0) event to the client of the shard owning its guild; returns its sequence number.

        The guild is ``guild`` if given, else the payload's ``guild_id``; an event with
        neither is a DM's, for shard 0.  If no client handles that shard, waits up to
        ``timeout`` for one to IDENTIFY (then ``TimeoutError``).  Events sent while
        the client is disconnected are kept and replayed on RESUME.
        """
        sessions = await self._await_sessions(self._event_guild_id(data, guild), timeout)
        seqs = [await self._send(session, event, data) for session in sessions]
        return seqs[0]

    @staticmethod
    def _event_guild_id(data: JSON, guild: FakeGuild | int | None) -> int | None:
        if isinstance(guild, FakeGuild):
            return guild.id
        if guild is not None:
            return guild
        return int(data["guild_id"]) if data.get("guild_id") is not None else None

    async def _await_sessions(self, guild_id: int | None, timeout: float) -> list[_Session]:
        """The sessions that get guild ``guild_id``'s events (``None``: DMs), waiting up to ``timeout`` for one."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (sessions := self._sessions_for(guild_id)):
            remaining = deadline - loop.time()
            if remaining <= 0:
                where = "DMs" if guild_id is None else f"guild {guild_id}"
                live = [list(key) for key in self._live]
                raise TimeoutError(f"no gateway session gets the events of {where} (live shards: {live})")
            event = self._live_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return sessions

    async def _send(
        self, session: _Session, event: str, data: JSON, *, interaction: InteractionHandle | None = None
    ) -> int:
        """Send a DISPATCH to ``session`` (kept for RESUME); returns its sequence number."""
        async with session.lock:
            return await self._write(session, event, data, interaction=interaction)

    async def _write(
        self, session: _Session, event: str, data: JSON, *, interaction: InteractionHandle | None = None
    ) -> int:
        """:meth:`_send` with ``session.lock`` already held.

        ``interaction``'s ``dispatched_at`` is set once the frame is on the socket (at
        the RESUME that replays it, if the client is away now).
        """
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.history.append(frame)
        conn = session.connection
        written = False
        if conn is not None and not conn.ws.closed:
            with contextlib.suppress(ConnectionResetError):
                # A socket closing under us: the frame stays in history, replayed on RESUME.
                await conn.ws.send_str(json.dumps(frame))
                written = True
        if interaction is not None:
            if written:
                interaction.dispatched_at = interaction.dispatched_at or time.monotonic()
            else:
                session.unsent[session.seq] = interaction
        return session.seq

    def _session_of_shard(self, shard: int | None) -> _Session | None:
        """The live session of shard ``shard`` (``None``: the one that identified or resumed last)."""
        if shard is None:
            return self._session
        return next((s for s in self._live.values() if s.shard_key[0] == shard), None)

    async def force_reconnect(self, *, shard: int | None = None) -> None:
        """Send op 7 RECONNECT: the client closes and RESUMEs on ``resume_gateway_url``.

        ``shard`` picks the connection of that shard id (default: the last one to identify).
        """
        await self._send_op(7, None, shard)

    async def invalidate_session(self, resumable: bool = False, *, shard: int | None = None) -> None:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the client IDENTIFYs afresh.

        Slow: discord.py sleeps 5 s before every non-initial IDENTIFY.  Events
        dispatched meanwhile wait for the new session (``dispatch(timeout=...)``).
        ``shard`` picks the connection as for :meth:`force_reconnect`.
        """
        session = self._session_of_shard(shard)
        await self._send_op(9, resumable, shard)
        if not resumable and session is not None:
            # The old session is gone for good: RESUMEs of it fail, new events wait.
            self._drop_session(session)

    async def drop_connection(self, code: int = 4000, *, shard: int | None = None) -> None:
        """Close the gateway socket abruptly (like a network blip); the client RESUMEs.

        ``shard`` picks the connection as for :meth:`force_reconnect`.
        """
        session = self._session_of_shard(shard)
        if session is None or session.connection is None:
            raise RuntimeError("no client is connected" + (f" on shard {shard}" if shard is not None else ""))
        await session.connection.close(code)

    async def _send_op(self, op: int, data: Any, shard: int | None = None) -> None:
        session = self._session_of_shard(shard)
        if session is None or session.connection is None:
            raise RuntimeError("no client is connected" + (f" on shard {shard}" if shard is not None else ""))
        await session.connection.ws.send_str(json.dumps({"op": op, "d": data, "s": None, "t": None}))

    # ----------------------------------------------------------------- interaction builders

    def _locate(
        self,
        guild: GuildChoice,
        channel: FakeChannel | str | int | None,
        user: FakeUser | FakeMember | None,
    ) -> tuple[FakeGuild | None, FakeChannel, FakeMember]:
        """Where a fake user acts, and as whom: (guild, or ``None`` in a DM; channel; member).

        The guild is ``guild`` when one is given; with ``guild=True`` it is the
        channel's (a :class:`FakeChannel` or an id: a DM channel means a DM), else the
        one ``user``'s membership belongs to, else the first guild; ``guild=False`` is a
        DM.  A channel name is looked up in that guild (default ``general``), and
        ``user`` becomes the same user's membership there (default: its plain member).
        """
        if guild is False or (guild is True and self._is_dm_channel(channel)):
            member = self._as_member(user, None)
            target = self._as_channel(channel, None) if channel is not None else self.dm_channel(member.user)
            return None, target, member
        where = self._implied_guild(guild, channel, user)
        target = self._as_channel(channel if channel is not None else "general", where)
        if target.guild_id != where.id:
            raise ValueError(f"channel {target.name!r} ({target.id}) is not in guild {where.name!r}")
        return where, target, self._as_member(user, where)

    def _implied_guild(
        self, guild: GuildChoice, channel: FakeChannel | str | int | None, user: FakeUser | FakeMember | None
    ) -> FakeGuild:
        if guild is not True:
            return self.get_guild(guild)
        if channel is not None and not self._is_channel_name(channel):
            found = self.guild_of(self._as_channel(channel, None))
            if found is not None:
                return found
        if isinstance(user, FakeMember) and (home := self._home_guild(user)) is not None:
            return home
        return self.guild

    @staticmethod
    def _is_channel_name(value: object) -> bool:
        return isinstance(value, str) and not value.isdigit()

    def _is_dm_channel(self, channel: FakeChannel | str | int | None) -> bool:
        if channel is None or self._is_channel_name(channel):
            return False
        return self._as_channel(channel, None).type == 1

    def _home_guild(self, member: FakeMember) -> FakeGuild | None:
        """The guild this membership object belongs to, if any."""
        return next((g for g in self.guilds if g.has(member)), None)

    def _as_member(self, user: FakeUser | FakeMember | None, guild: FakeGuild | None) -> FakeMember:
        """``user`` as a member of ``guild`` (default: its plain member); in a DM (``None``) only the user counts."""
        if guild is None:
            if user is None:
                return self.member
            return user if isinstance(user, FakeMember) else FakeMember(user)
        if user is None:
            if guild.plain_member is None:
                raise ValueError(f"guild {guild.name!r} has no plain member; pass user=")
            return guild.plain_member
        if isinstance(user, FakeMember):
            if guild.has(user):
                return user
            home = self._home_guild(user)
            if home is None:
                return user  # a membership the test built by hand: used as given
            # Another guild's membership: the same user acts with their roles here.
            member = guild.get_member(user.id)
            if member is None:
                raise ValueError(
                    f"{user.user.username} is a member of guild {home.name!r}, not of {guild.name!r}; "
                    "add them there with add_member(user, guild=...)"
                )
            return member
        member = guild.get_member(user.id)
        return member if member is not None else FakeMember(user)

    def _as_user(self, value: Any) -> FakeUser:
        if isinstance(value, FakeMember):
            return value.user
        if isinstance(value, FakeUser):
            return value
        user = self._find_user(int(value))
        if user is None:
            raise KeyError(f"unknown user {value!r}")
        return user

    def _as_channel(self, value: Any, guild: FakeGuild | None) -> FakeChannel:
        """A channel given as object, id or name (looked up in ``guild``, default the first)."""
        if isinstance(value, FakeChannel):
            return value
        if self._is_channel_name(value):
            return (guild or self.guild).channel(value)
        return self.channel(int(value))

    def _as_role(self, value: Any, guild: FakeGuild | None) -> FakeRole:
        """A role of ``guild`` given as object, id or name (``None``: any guild's id, or the first's name)."""
        if isinstance(value, FakeRole):
            if guild is not None:
                guild.role(value.id)  # KeyError if it is another guild's role
            return value
        key = value if isinstance(value, str) and not value.isdigit() else int(value)
        return self.role(key) if guild is None else guild.role(key)

    async def _send_interaction(
        self,
        itype: int,
        data: JSON | None,
        *,
        where: FakeGuild | None,
        channel: FakeChannel,
        member: FakeMember,
        message: JSON | None = None,
        member_permissions: int | discord.Permissions | None = None,
        roles: Iterable[str | int | FakeRole] | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch INTERACTION_CREATE from ``member`` in ``channel`` of ``where`` (``None``: a DM)."""
        if where is not None and not where.joined:
            raise ValueError(f"the bot is not in guild {where.name!r}; join_guild() it first")
        if roles is not None:
            member = FakeMember(member.user, [self._as_role(r, where).id for r in roles], member.nick, member.joined_at)
        interaction_id = self._ids.next()
        token = "fake-interaction-token." + secrets.token_urlsafe(32)
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        if where is not None:
            perms = where.permissions_for(member, channel)
            if member_permissions is not None:
                perms = int(getattr(member_permissions, "value", member_permissions))
            payload.update(
                guild_id=str(where.id),
                guild={"id": str(where.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel_id=str(channel.id),
                channel={**channel.to_payload(), "permissions": str(perms)},
                member={**member.to_payload(), "permissions": str(perms)},
                app_permissions=str(where.permissions_for(self._bot_in(where), channel)),
                authorizing_integration_owners={"0": str(where.id)},
                context=0,
            )
        else:
            payload.update(
                channel_id=str(channel.id),
                channel=channel.to_payload(),
                user=member.user.to_payload(),
                app_permissions=str(_P(view_channel=True, send_messages=True, embed_links=True).value),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        handle = InteractionHandle(interaction_id, token, itype, payload, self)
        self.interactions[interaction_id] = handle
        self._interactions_by_token[token] = handle
        # To the connection of the guild's shard (a DM's: shard 0), waiting for one if needed.
        sessions = await self._await_sessions(handle.guild_id, timeout=5.0)
        handle.shard, handle.session_id = sessions[0].shard, sessions[0].id
        for session in sessions:
            await self._send(session, "INTERACTION_CREATE", payload, interaction=handle)
        return handle

    def find_command(self, name: str, command_type: int = 1, *, guild: GuildChoice = True) -> JSON:
        """The definition of an application command the bot synced, as usable in ``guild``.

        That guild's commands come first, then global ones; ``guild=True`` is the first
        guild, ``guild=False`` a DM (global commands only: guild commands exist only
        in their guild).  Falls back to the attached client's command tree when the
        bot did not sync, so tests need not call ``tree.sync()``.  Raises
        ``LookupError`` otherwise.
        """
        in_guild = None if guild is False else self.guild if guild is True else self.get_guild(guild)
        scopes = (in_guild.id, None) if in_guild is not None else (None,)
        for scope in scopes:
            for command in self.commands.get(scope, {}).values():
                if command["name"] == name and command.get("type", 1) == command_type:
                    return command
        tree = self._client_tree()
        if tree is not None:
            for scope in scopes:
                where = discord.Object(scope) if scope else None
                local = tree.get_command(name, guild=where, type=discord.AppCommandType(command_type))
                if local is not None:
                    command = local.to_dict(tree)
                    command.setdefault("description", "")
                    command.update(
                        id=str(self._stable_id(("tree", scope, name, command_type))),
                        application_id=str(self.application_id),
                        type=command_type,
                    )
                    if scope:
                        command["guild_id"] = str(scope)
                    return command
        synced = [f"{k[0]} (type {k[1]})" for scope in scopes for k in self.commands.get(scope, {})]
        place = f"guild {in_guild.name!r}" if in_guild is not None else "DMs"
        raise LookupError(
            f"command {name!r} (type {command_type}) not synced or in the tree for {place}; synced there: {synced}"
        )

    def _client_tree(self) -> discord.app_commands.CommandTree[Any] | None:
        if self.client is None:
            return None
        tree = getattr(self.client, "tree", None)
        if tree is None:
            # A plain discord.Client keeps its tree on the connection state only.
            tree = getattr(self.client._connection, "_command_tree", None)
        return tree

    def _command_data(self, command: JSON, options: list[JSON] | None = None) -> JSON:
        data: JSON = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
        if options:  # Discord omits "options" for option-less commands
            data["options"] = options
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    def _walk_subcommand(self, command: JSON, subcommand: str | None) -> tuple[list[str], list[int], list[JSON]]:
        """Resolve "group sub" into names, option types and the leaf's option specs."""
        names: list[str] = []
        types: list[int] = []
        spec: list[JSON] = command.get("options") or []
        for part in (subcommand or "").split():
            found = next((o for o in spec if o["name"] == part and o["type"] in (1, 2)), None)
            if found is None:
                raise KeyError(f"/{command['name']} has no subcommand {part!r}")
            names.append(part)
            types.append(found["type"])
            spec = found.get("options") or []
        if any(o["type"] in (1, 2) for o in spec):
            raise ValueError(f"/{command['name']} needs a subcommand, e.g. subcommand={spec[0]['name']!r}")
        return names, types, spec

    @staticmethod
    def _wrap_subcommand(names: list[str], types: list[int], leaf: list[JSON]) -> list[JSON]:
        options = leaf
        for name, otype in zip(reversed(names), reversed(types), strict=True):
            options = [{"name": name, "type": otype, "options": options}]
        return options

    def _encode_options(
        self,
        command: JSON,
        spec: list[JSON],
        values: Mapping[str, Any],
        resolved: JSON,
        member: FakeMember,
        guild: FakeGuild | None,
        *,
        focused: str | None = None,
    ) -> list[JSON]:
        by_name = {o["name"]: o for o in spec}
        unknown = set(values) - set(by_name)
        if unknown:
            raise KeyError(f"/{command['name']} has no option(s) {sorted(unknown)}; it has {sorted(by_name)}")
        if focused is None:
            missing = [o["name"] for o in spec if o.get("required") and o["name"] not in values]
            if missing:
                raise ValueError(f"/{command['name']}: required option(s) missing: {missing}")
        encoded: list[JSON] = []
        for name, value in values.items():
            option = by_name[name]
            if name == focused:
                # Autocomplete sends whatever the user has typed so far, as a string.
                encoded.append({"name": name, "type": option["type"], "value": str(value), "focused": True})
            else:
                encoded_value = self._encode_value(option, value, resolved, member, guild)
                encoded.append({"name": name, "type": option["type"], "value": encoded_value})
        return encoded

    def _encode_value(
        self, option: JSON, value: Any, resolved: JSON, member: FakeMember, guild: FakeGuild | None
    ) -> Any:
        """Encode one option value as Discord sends it, adding users/channels/roles to ``resolved``.

        Members, channels and roles are those of ``guild`` (in a DM: users only).
        """
        otype, name = option["type"], option["name"]
        if otype == 3:
            if not isinstance(value, str):
                raise TypeError(f"option {name!r} is a string option, got {value!r}")
            if not option.get("min_length", 0) <= len(value) <= option.get("max_length", 6000):
                raise ValueError(f"option {name!r}: length out of range")
        elif otype in (4, 10):
            ok = isinstance(value, int) if otype == 4 else isinstance(value, int | float)
            if not ok or isinstance(value, bool):
                raise TypeError(f"option {name!r} is {'an integer' if otype == 4 else 'a number'}, got {value!r}")
            if not option.get("min_value", -(2**53)) <= value <= option.get("max_value", 2**53):
                raise ValueError(f"option {name!r}: {value} out of range")
        elif otype == 5:
            if not isinstance(value, bool):
                raise TypeError(f"option {name!r} is a boolean option, got {value!r}")
        elif otype == 6 or (otype == 9 and not isinstance(value, FakeRole)):
            user = self._as_user(value)
            resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
            target = guild.get_member(user.id) if guild is not None else None
            if guild is not None and target is not None:
                perms = guild.permissions_for(target)
                resolved.setdefault("members", {})[str(user.id)] = {
                    **target.to_payload(with_user=False),
                    "permissions": str(perms),
                }
            return str(user.id)
        elif otype == 7:
            channel = self._as_channel(value, guild)
            perms = guild.permissions_for(member, channel) if guild is not None else 0
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.to_payload(),
                "permissions": str(perms),
            }
            return str(channel.id)
        elif otype in (8, 9):
            role = self._as_role(value, guild)
            resolved.setdefault("roles", {})[str(role.id)] = role.to_payload()
            return str(role.id)
        elif otype == 11:
            meta = dict(value) if isinstance(value, Mapping) else {"filename": str(value)}
            attachment_id = str(self._ids.next())
            url = f"https://cdn.discordapp.com/ephemeral-attachments/0/{attachment_id}/{meta['filename']}"
            resolved.setdefault("attachments", {})[attachment_id] = {
                "id": attachment_id,
                "size": 0,
                "url": url,
                "proxy_url": url,
                "content_type": "application/octet-stream",
                "ephemeral": True,
                **meta,
            }
            return attachment_id
        choices = option.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"option {name!r}: {value!r} is not one of the choices {[c['value'] for c in choices]}")
        return value

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | FakeMember | None = None,
        guild: GuildChoice = True,
        subcommand: str | None = None,
        member_permissions: int | discord.Permissions | None = None,
        roles: Iterable[str | int | FakeRole] | None = None,
        channel: FakeChannel | str | int | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Invoke ``/name`` (or ``/name group sub`` via ``subcommand="group sub"``) as ``user``.

        Option values are checked against the synced definition: str for string
        options, int for integers, bool for booleans, int/float for numbers; users,
        channels and roles may be Fake* objects, ids or names (they are added to
        ``resolved``); attachments a dict with at least ``filename``.  ``roles``
        replaces the member's roles for this interaction; ``member_permissions``
        overrides the computed permissions.

        The guild is ``guild`` (a :class:`FakeGuild`, id or name), else the one of
        ``channel`` (an object or id), else the one ``user``'s membership belongs to,
        else the first guild; ``user`` then acts with their membership there (default:
        its plain member), and channel names, the member's roles and permissions, the
        bot's ``app_permissions`` and the commands available are that guild's.
        ``guild=False`` invokes it in the user's DM with the bot.
        """
        where, target, member = self._locate(guild, channel, user)
        command = self.find_command(name, 1, guild=where if where is not None else False)
        names, types, spec = self._walk_subcommand(command, subcommand)
        resolved: JSON = {}
        leaf = self._encode_options(command, spec, options or {}, resolved, member, where)
        data = self._command_data(command, self._wrap_subcommand(names, types, leaf))
        if resolved:
            data["resolved"] = resolved
        return await self._send_interaction(
            INTERACTION_APPLICATION_COMMAND,
            data,
            where=where,
            channel=target,
            member=member,
            member_permissions=member_permissions,
            roles=roles,
            locale=locale,
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        user: FakeUser | FakeMember | None = None,
        subcommand: str | None = None,
        guild: GuildChoice = True,
        channel: FakeChannel | str | int | None = None,
    ) -> InteractionHandle:
        """Send an autocomplete request (interaction type 4) with ``focused`` being typed.

        The guild is chosen as for :meth:`send_slash_command`.
        """
        where, target, member = self._locate(guild, channel, user)
        command = self.find_command(name, 1, guild=where if where is not None else False)
        names, types, spec = self._walk_subcommand(command, subcommand)
        values = {focused: "", **options}
        leaf = self._encode_options(command, spec, values, {}, member, where, focused=focused)
        data = self._command_data(command, self._wrap_subcommand(names, types, leaf))
        return await self._send_interaction(INTERACTION_AUTOCOMPLETE, data, where=where, channel=target, member=member)

    def _message_arg(self, message: int | str | JSON) -> JSON:
        if isinstance(message, Mapping):
            return self.messages.get(int(message["id"]), dict(message))
        try:
            return self.messages[int(message)]
        except KeyError:
            raise KeyError(f"unknown message {message!r}; create it with make_message()/send_message()") from None

    async def send_message_context_menu(
        self,
        name: str,
        message: int | str | JSON,
        *,
        user: FakeUser | FakeMember | None = None,
        member_permissions: int | discord.Permissions | None = None,
        roles: Iterable[str | int | FakeRole] | None = None,
    ) -> InteractionHandle:
        """Invoke the message context-menu command ``name`` on ``message`` (a message id or dict).

        It happens in the message's channel, so in its guild (or DM), as that guild's
        membership of ``user`` (default: its plain member).
        """
        target = self._message_arg(message)
        where, channel, member = self._locate(True, int(target["channel_id"]), user)
        command = self.find_command(name, 3, guild=where if where is not None else False)
        data = self._command_data(command)
        data.update(target_id=target["id"], resolved={"messages": {target["id"]: copy.deepcopy(target)}})
        return await self._send_interaction(
            INTERACTION_APPLICATION_COMMAND,
            data,
            where=where,
            channel=channel,
            member=member,
            member_permissions=member_permissions,
            roles=roles,
        )

    async def send_user_context_menu(
        self,
        name: str,
        target: FakeUser | FakeMember,
        *,
        user: FakeUser | FakeMember | None = None,
        channel: FakeChannel | str | int | None = None,
        guild: GuildChoice = True,
    ) -> InteractionHandle:
        """Invoke the user context-menu command ``name`` on ``target`` (resolved as a member of that guild).

        The guild is chosen as for :meth:`send_slash_command`.
        """
        where, place, member = self._locate(guild, channel, user)
        command = self.find_command(name, 2, guild=where if where is not None else False)
        resolved: JSON = {}
        target_id = self._encode_value({"type": 6, "name": "target"}, target, resolved, member, where)
        data = self._command_data(command)
        data.update(target_id=target_id, resolved=resolved)
        return await self._send_interaction(
            INTERACTION_APPLICATION_COMMAND, data, where=where, channel=place, member=member
        )

    async def send_component(
        self,
        custom_id: str,
        message_id: int | str | JSON,
        component_type: int = 2,
        values: list[str] | None = None,
        *,
        user: FakeUser | FakeMember | None = None,
    ) -> InteractionHandle:
        """Click a button (type 2) or submit a select (type 3 etc. with ``values``) on a message.

        The message must be known to the server (e.g. the bot sent it); it is included
        in the interaction so discord.py routes the click to the right ``View``.  The
        click happens in the message's guild, as that guild's membership of ``user``.
        """
        message = self._message_arg(message_id)
        if not self._has_component(message.get("components") or [], custom_id):
            raise KeyError(f"message {message['id']} has no component with custom_id {custom_id!r}")
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if component_type != 2:
            data["values"] = list(values or [])
        where, channel, member = self._locate(True, int(message["channel_id"]), user)
        return await self._send_interaction(
            INTERACTION_COMPONENT, data, where=where, channel=channel, member=member, message=message
        )

    @classmethod
    def _has_component(cls, components: list[JSON], custom_id: str) -> bool:
        for component in components:
            if component.get("custom_id") == custom_id:
                return True
            children = list(component.get("components") or [])
            children += [c for c in (component.get("accessory"), component.get("component")) if c]
            if cls._has_component(children, custom_id):
                return True
        return False

    def find_modal(self, custom_id: str) -> InteractionHandle | None:
        """The latest interaction the bot answered with the modal ``custom_id``."""
        for handle in reversed(self.interactions.values()):
            if handle.response_type == 9 and (handle.response_data or {}).get("data", {}).get("custom_id") == custom_id:
                return handle
        return None

    async def send_modal_submit(
        self,
        custom_id: str,
        fields: Mapping[str, Any],
        *,
        user: FakeUser | FakeMember | None = None,
    ) -> InteractionHandle:
        """Submit the modal ``custom_id`` with ``fields`` (text input custom_id -> value).

        The submitted component tree mirrors the modal the bot sent (action rows or
        labels), required text inputs must be provided, and by default the same user
        submits in the same channel (so the same guild).  Select-like fields take a
        list of values.
        """
        opener = self.find_modal(custom_id)
        modal = (opener.response_data or {}).get("data") if opener else None
        components = self._modal_components(modal, fields)
        data: JSON = {"custom_id": custom_id, "components": components}
        if opener is None:
            where, channel, member = self._locate(True, None, user)
            return await self._send_interaction(
                INTERACTION_MODAL_SUBMIT, data, where=where, channel=channel, member=member
            )
        message = self.messages.get(opener.message_id) if opener.message_id else None
        if user is None:
            user = self._find_user(opener.user_id)
        where, channel, member = self._locate(opener.guild_id or False, opener.channel_id, user)
        return await self._send_interaction(
            INTERACTION_MODAL_SUBMIT, data, where=where, channel=channel, member=member, message=message
        )

    def _modal_components(self, modal: JSON | None, fields: Mapping[str, Any]) -> list[JSON]:
        if modal is None:
            return [
                {"type": 1, "components": [{"type": 4, "id": i + 2, "custom_id": cid, "value": str(v)}]}
                for i, (cid, v) in enumerate(fields.items())
            ]
        remaining = dict(fields)
        counter = iter(range(1, 1000))

        def submitted(component: JSON) -> JSON:
            # Discord numbers components in tree order when the bot gave no ids.
            cid = component.get("custom_id")
            out: JSON = {"type": component["type"], "id": component.get("id") or next(counter)}
            if component["type"] == 1:
                out["components"] = [submitted(c) for c in component.get("components") or []]
            elif component["type"] == 18:
                out["component"] = submitted(component["component"])
            elif component["type"] == 10:
                out["content"] = component.get("content", "")
            elif component["type"] == 4:
                if cid not in remaining and component.get("required", True):
                    raise ValueError(f"modal field {cid!r} is required")
                value = str(remaining.pop(cid, ""))
                if not component.get("min_length", 0) <= len(value) <= component.get("max_length", 4000):
                    raise ValueError(f"modal field {cid!r}: length {len(value)} out of range")
                out.update(custom_id=cid, value=value)
            elif component["type"] in (21, 23):
                out.update(custom_id=cid, value=remaining.pop(cid, None))
            else:  # selects, file upload, checkbox group: lists of values
                out.update(custom_id=cid, values=list(remaining.pop(cid, [])))
            return out

        components = [submitted(c) for c in modal.get("components") or []]
        if remaining:
            raise KeyError(f"modal {modal.get('custom_id')!r} has no field(s) {sorted(remaining)}")
        return components

    # ----------------------------------------------------------------- user messages

    def make_message(
        self,
        content: str,
        *,
        author: FakeUser | FakeMember | None = None,
        channel: FakeChannel | str | int = "general",
        embeds: list[JSON] | None = None,
        guild: GuildChoice = True,
    ) -> JSON:
        """Store a message from a fake user *without* telling the bot (e.g. a context-menu target).

        The guild is chosen as for :meth:`send_slash_command` (``channel`` names are
        looked up in it); mentions are that guild's members and roles.
        """
        where, target, member = self._locate(guild, channel, author)
        mentions = [
            self._user_payload_with_member(u, where)
            for uid in dict.fromkeys(_USER_MENTION_RE.findall(content))
            if (u := self._find_user(int(uid))) is not None
        ]
        message = self._build_message(target, member.user, {"content": content, "embeds": embeds or []}, [])
        message.update(
            mentions=mentions,
            mention_roles=self._guild_role_mentions(content, where),
            # Nobody is pinged as @everyone in a DM.
            mention_everyone=where is not None and ("@everyone" in content or "@here" in content),
        )
        self.messages[int(message["id"])] = message
        target.last_message_id = int(message["id"])
        return message

    async def send_message(
        self,
        content: str,
        *,
        author: FakeUser | FakeMember | None = None,
        channel: FakeChannel | str | int = "general",
        dm: bool = False,
        mentions: Iterable[FakeUser | FakeMember] | None = None,
        mention_everyone: bool = False,
        mention_roles: Iterable[str | int | FakeRole] | None = None,
        reply_to: int | str | JSON | None = None,
        embeds: list[JSON] | None = None,
        guild: GuildChoice = True,
    ) -> JSON:
        """A fake user posts ``content``; the bot gets MESSAGE_CREATE. Returns the stored message.

        Mentions are parsed from ``<@id>`` / ``<@&id>`` / ``@everyone`` in ``content``
        unless given explicitly.  ``dm=True`` posts in the author's DM with the bot.
        Otherwise the guild is chosen as for :meth:`send_slash_command`; in a guild
        the bot is not in, the message is stored but the bot gets nothing.
        Without the MESSAGE_CONTENT intent the bot receives empty content, as on Discord.
        """
        where, target, member = self._locate(False if dm else guild, None if dm else channel, author)
        message = self.make_message(content, author=member, channel=target, embeds=embeds)
        if mentions is not None:
            message["mentions"] = [self._user_payload_with_member(self._as_user(u), where) for u in mentions]
        if mention_roles is not None:
            message["mention_roles"] = [str(self._as_role(r, where).id) for r in mention_roles]
        message["mention_everyone"] = message["mention_everyone"] or mention_everyone
        if reply_to is not None:
            referenced = self._message_arg(reply_to)
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": referenced["id"],
                "channel_id": referenced["channel_id"],
                "guild_id": _snowflake_str(where.id if where is not None else None),
            }
            message["referenced_message"] = copy.deepcopy(referenced)
        await self._broadcast_message("MESSAGE_CREATE", message)
        return message

    async def send_reaction(
        self, message_id: int | str | JSON, emoji: str, *, user: FakeUser | FakeMember | None = None
    ) -> None:
        """A fake user reacts to a message with ``emoji`` (unicode, or ``name:id`` for custom).

        ``user`` reacts as a member of the message's guild (default: its plain member).
        """
        message = self._message_arg(message_id)
        _, _, member = self._locate(True, int(message["channel_id"]), user)
        if self._apply_reaction(message, emoji, member.id, add=True):
            await self._broadcast_reaction("MESSAGE_REACTION_ADD", message, emoji, member)

    # ----------------------------------------------------------------- other processes: world and control

    def world(self) -> JSON:
        """What another process needs to use the fake: its URLs, the bot's ids and every guild.

        Each guild with its ``shard`` (of :attr:`shards`), channel and role ids by name,
        its owner, plain member and moderator, and ``members`` (every human member's id).
        Ids are strings, as Discord sends them.
        """

        def member_id(member: FakeMember | None) -> str | None:
            return None if member is None else str(member.id)

        return {
            "base_url": self.base_url,
            "gateway_url": self.gateway_url,
            "control_url": self.control_url,
            "application_id": str(self.application_id),
            "bot_user_id": str(self.bot_user.id),
            "shards": self.shards,
            "guilds": [
                {
                    "id": str(g.id),
                    "name": g.name,
                    "shard": shard_for(g.id, self.shards),
                    "joined": g.joined,
                    "channels": {c.name: str(c.id) for c in g.channels},
                    "roles": {r.name: str(r.id) for r in g.roles},
                    "owner": str(g.owner_id),
                    "plain_member": member_id(g.plain_member),
                    "moderator": member_id(g.moderator_member),
                    "members": [str(m.id) for m in g.members if not m.user.bot],
                }
                for g in self.guilds
            ],
        }

    def interaction_record(self, handle: InteractionHandle) -> JSON:
        """An interaction and what the bot did with it, on the fake's clock (``GET /_fake/interactions/{id}``)."""

        def request(call: Call) -> JSON:
            return {
                "method": call.method,
                "path": call.path,
                "status": call.status,
                "received_at": call.time,
                "answered_at": call.answered_at,
                "body": call.json,
            }

        def since_dispatch(call: Call | None) -> float | None:
            if call is None or handle.dispatched_at is None:
                return None
            return call.time - handle.dispatched_at

        ack, answer = handle.acknowledgement, handle.answer
        return {
            "id": str(handle.id),
            "type": handle.type,
            "name": (handle.payload.get("data") or {}).get("name"),
            "guild_id": _snowflake_str(handle.guild_id),
            "channel_id": str(handle.channel_id),
            "user_id": str(handle.user_id),
            "shard": list(handle.shard) if handle.shard is not None else None,
            "session_id": handle.session_id,
            "created_at": handle.created_at,
            "dispatched_at": handle.dispatched_at,
            "response_type": handle.response_type,
            "callbacks": [request(c) for c in handle.callback_calls],
            "webhook_calls": [request(c) for c in handle.webhook_calls],
            "acknowledged_at": ack.time if ack is not None else None,
            "answered_at": answer.time if answer is not None else None,
            "ack_delay": since_dispatch(ack),
            "answer_delay": since_dispatch(answer),
            "original_message": handle.original_message,
        }

    @staticmethod
    def _control_error(status: int, message: str) -> web.Response:
        return web.json_response({"error": message}, status=status)

    async def _control_slash_command(self, request: web.Request) -> web.Response:
        """``POST /_fake/slash_command``: :meth:`send_slash_command` for another process (module docstring)."""
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self._control_error(400, "the body must be JSON")
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return self._control_error(400, 'the body must be an object with a "name"')
        try:
            guild: GuildChoice = True
            if body.get("dm"):
                guild = False
            elif body.get("guild") is not None:
                given = body["guild"]
                guild = self.get_guild(int(given) if str(given).isdigit() else given)
            user = None
            if body.get("user") is not None:
                user = self._find_user(int(body["user"]))
                if user is None:
                    raise KeyError(f"unknown user {body['user']!r}")
            handle = await self.send_slash_command(
                body["name"],
                body.get("options") or {},
                user=user,
                guild=guild,
                subcommand=body.get("subcommand"),
                channel=body.get("channel"),
            )
        except KeyError as exc:  # an unknown guild, user, channel, role or option (before LookupError)
            return self._control_error(400, str(exc))
        except LookupError as exc:  # the command is not synced where it was invoked
            return self._control_error(404, str(exc))
        except (ValueError, TypeError) as exc:
            return self._control_error(400, str(exc))
        except TimeoutError as exc:  # no connection handles the guild's shard
            return self._control_error(503, str(exc))
        return web.json_response(
            {
                "id": str(handle.id),
                "guild_id": _snowflake_str(handle.guild_id),
                "channel_id": str(handle.channel_id),
                "user_id": str(handle.user_id),
                "shard": list(handle.shard) if handle.shard is not None else None,
                "created_at": handle.created_at,
                "dispatched_at": handle.dispatched_at,
            }
        )

    async def _control_interaction(self, request: web.Request) -> web.Response:
        """``GET /_fake/interactions/{id}[?wait=SECONDS&until=ack|answer]``: :meth:`interaction_record`."""
        raw_id = request.match_info["interaction_id"]
        handle = self.interactions.get(int(raw_id)) if raw_id.isdigit() else None
        if handle is None:
            return self._control_error(404, f"unknown interaction {raw_id}")
        until = request.query.get("until", "ack")
        checks: dict[str, Callable[[InteractionHandle], bool]] = {
            "ack": lambda h: h.acknowledgement is not None,
            "answer": lambda h: h.answer is not None,
        }
        if until not in checks:
            return self._control_error(400, 'until must be "ack" or "answer"')
        try:
            wait = float(request.query.get("wait", 0))
        except ValueError:
            return self._control_error(400, "wait must be a number of seconds")
        if wait > 0:
            await handle.wait_until(checks[until], wait)
        return web.json_response(self.interaction_record(handle))

    async def _control_sessions(self, request: web.Request) -> web.Response:
        """``GET /_fake/sessions``: the recommended shard count and the live gateway sessions."""
        return web.json_response({"shards": self.shards, "sessions": self.sessions()})

    async def _control_world(self, request: web.Request) -> web.Response:
        """``GET /_fake/world``: :meth:`world`."""
        return web.json_response(self.world())


# --------------------------------------------------------------------------- running a client


class RunBot(Protocol):
    """Type of the ``run_bot`` fixture: ``await run_bot(bot, **options)`` returns ``bot`` once ready."""

    def __call__(self, client: ClientT, /, **options: Any) -> Awaitable[ClientT]: ...


@contextlib.asynccontextmanager
async def run_client(
    server: FakeDiscord | None,
    client: ClientT,
    *,
    token: str = "fake-token",
    timeout: float = 5.0,
    guild_ready_timeout: float | None = 0.1,
    skip_identify_delay: bool = True,
) -> AsyncIterator[ClientT]:
    """Run ``client.start(token)`` against ``server`` until it is ready; close it on exit.

    discord.py must already point at the server (``Route.BASE`` / ``DEFAULT_GATEWAY``,
    see the ``discord_server`` fixture, or :func:`point_discord_at`).  ``server`` is
    ``None`` for a fake in another process (the standalone one): the client is then
    not attached, so it must sync its commands.  An ``AutoShardedClient`` is ready
    once all its shards are.  ``guild_ready_timeout`` overrides the
    client's wait for GUILD_CREATEs before ``on_ready`` (2 s by default in discord.py);
    pass ``None`` to keep the client's own value.  ``skip_identify_delay`` drops the
    5 s sleep discord.py's default ``before_identify_hook`` takes before every
    re-IDENTIFY (after an invalidated session), unless the client overrides the hook.
    Errors raised by ``start()`` (bad token, failing ``setup_hook``, ...) propagate.
    """
    if guild_ready_timeout is not None:
        # Private attribute, but the only knob once the client is constructed.
        client._connection.guild_ready_timeout = guild_ready_timeout
    if skip_identify_delay and type(client).before_identify_hook is discord.Client.before_identify_hook:
        # The hook is looked up on the instance at call time, so shadowing it is enough.
        client.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]
    if server is not None:
        server.attach_client(client)
    task = asyncio.create_task(client.start(token), name="fakediscord-client")
    try:
        await _wait_until_ready(server, client, task, timeout)
        yield client
    finally:
        await _stop_client(client, task, timeout)
        if server is not None and server.client is client:
            server.attach_client(None)


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    """Replacement ``before_identify_hook`` that re-IDENTIFYs at once."""


async def _wait_until_ready(
    server: FakeDiscord | None, client: discord.Client, task: asyncio.Task[None], timeout: float
) -> None:
    # Client.wait_until_ready() can't be used before login() created its event, so poll.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            task.result()  # re-raises the start() failure
            raise RuntimeError("client.start() returned before the client became ready")
        if loop.time() > deadline:
            if server is None:
                raise TimeoutError(f"client not ready after {timeout}s")
            raise TimeoutError(
                f"client not ready after {timeout}s (identified: {server._identified.is_set()}, "
                f"calls: {[f'{c.method} {c.path} {c.status}' for c in server.calls]})"
            )
        await asyncio.sleep(0.005)


async def _stop_client(client: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    await client.close()
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return
    if not task.cancelled() and (exc := task.exception()) is not None:
        raise exc


# --------------------------------------------------------------------------- standalone


def populate(server: FakeDiscord, *, guilds: int, members_per_guild: int) -> None:
    """Grow the world to ``guilds`` guilds, each with ``members_per_guild`` human members.

    The members count the guild's owner, plain member and moderator (so at least 3);
    the others are plain members of that guild only.  Do it before bots connect.
    """
    if guilds < 1 or members_per_guild < 3:
        raise ValueError("at least 1 guild, and 3 members per guild (owner, member, moderator)")
    while len(server.guilds) < guilds:
        server.add_guild()
    for number, guild in enumerate(server.guilds, start=1):
        humans = sum(1 for m in guild.members if not m.user.bot)
        for extra in range(humans, members_per_guild):
            server.add_member(f"guild{number}_user{extra + 1}", guild=guild)


async def serve(args: argparse.Namespace) -> None:
    """Run a standalone fake until SIGTERM/SIGINT, after printing :meth:`FakeDiscord.world` as one JSON line."""
    server = FakeDiscord(
        expected_token=args.token,
        shards=args.shards,
        max_concurrency=args.max_concurrency,
        max_guilds_per_shard=args.max_guilds_per_shard,
    )
    populate(server, guilds=args.guilds, members_per_guild=args.members_per_guild)
    await server.start(args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(json.dumps(server.world()), flush=True)
    try:
        await stop.wait()
    finally:
        await server.close()
        if server.internal_errors:
            log.error("fakediscord raised internally: %r", server.internal_errors)


def main(argv: list[str] | None = None) -> int:
    """``python tests/e2e/fakediscord.py --port 0 --guilds 50 --members-per-guild 20 --shards 4``."""
    parser = argparse.ArgumentParser(description="A standalone fake Discord (REST + gateway) on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free one)")
    parser.add_argument("--guilds", type=int, default=1, help="number of guilds the bot is in (default 1)")
    parser.add_argument("--members-per-guild", type=int, default=3,
                        help="human members per guild, owner, member and moderator included (default 3)")
    parser.add_argument("--shards", type=int, default=1,
                        help="shard count GET /gateway/bot recommends; guilds are spread over it (default 1)")
    parser.add_argument("--max-concurrency", type=int, default=1, help="session_start_limit.max_concurrency")
    parser.add_argument("--max-guilds-per-shard", type=int, default=None,
                        help="close an IDENTIFY that would get more guilds with 4011 (default: no limit)")
    parser.add_argument("--token", default=None, help="the only bot token accepted (default: any)")
    parser.add_argument("--log-level", default="WARNING", help="logging level, on stderr (default WARNING)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

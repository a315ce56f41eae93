"""Fixtures to run real discord.py clients against the in-process fake Discord."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import discord
import discord.gateway
import discord.http
import pytest
import yarl

# tests/e2e is not a package: pytest puts this directory on sys.path (rootdir-relative
# "prepend" import mode), so the helper module is imported by its plain name.
from fakediscord import FakeDiscord, FakeGuild, RunBot, run_client

from bot.client import CrosscheckBot
from bot.config import Settings
from claims.service import Crosscheck

ClientT = TypeVar("ClientT", bound=discord.Client)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fakediscord(**options): keyword arguments for the test's FakeDiscord, e.g. shards=2"
    )


@pytest.fixture
async def discord_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord`, with discord.py's REST base and gateway pointed at it.

    The patches are undone by ``monkeypatch`` after the test, so nothing leaks into
    other tests.  The fixture fails the test if the fake itself raised while handling
    a request (that is a bug in the fake, not in the bot).  A test marked
    ``@pytest.mark.fakediscord(shards=2)`` gets a server built with those options.
    """
    marker = request.node.get_closest_marker("fakediscord")
    server = FakeDiscord(**(marker.kwargs if marker is not None else {}))
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.base_url)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
    try:
        yield server
    finally:
        await server.close()
    assert not server.internal_errors, f"fakediscord raised internally: {server.internal_errors!r}"


@pytest.fixture
def second_guild(discord_server: FakeDiscord) -> FakeGuild:
    """A second guild the bot is in, built like the first; its plain member is the first guild's moderator.

    So one user (``discord_server.moderator``) is a moderator in the first guild and a
    plain member here.  Guilds are announced when the bot connects, so a fixture that
    starts the bot must depend on this one (pytest orders fixtures by dependencies, not
    by argument order); adding it to a connected server raises.
    """
    return discord_server.add_guild("Second Test Guild", member=discord_server.moderator)


@pytest.fixture
async def run_bot(discord_server: FakeDiscord) -> AsyncIterator[RunBot]:
    """``await run_bot(bot)`` starts ``bot`` against ``discord_server`` and waits for ``on_ready``.

    Options are passed to :func:`run_client` (``token``, ``timeout``,
    ``guild_ready_timeout``).  Every started client is closed, and its ``start()``
    task awaited, when the test ends, before the server stops.
    """
    async with contextlib.AsyncExitStack() as stack:

        async def start(client: ClientT, /, **options: Any) -> ClientT:
            return await stack.enter_async_context(run_client(discord_server, client, **options))

        yield start


# --------------------------------------------------------------------------- the Crosscheck bot

#: The engine's "today" in these tests (deadlines in the shipped base are judged as of this date).
TODAY = date(2026, 11, 21)

MakeCrosscheckBot = Callable[..., CrosscheckBot]


@pytest.fixture(scope="session")
def crosscheck_template(seeded_db: Path | str) -> Path | str:
    """A database with the shipped claim base imported, built once; tests get copies of it
    (a file, or a PostgreSQL database when the run uses PostgreSQL: see tests/conftest.py)."""
    return seeded_db


@pytest.fixture
def crosscheck_db(db_path: Path | str) -> Path | str:
    """This test's own database (a copy of the template)."""
    return db_path


@pytest.fixture
def crosscheck_services() -> Iterator[list[Crosscheck]]:
    """Services opened by `make_crosscheck_bot`, closed after the test.

    Set up before `run_bot` when a test asks for `make_crosscheck_bot` (or `crosscheck_bot`) before
    `run_bot`, so the databases are closed only after every bot stopped.
    """
    services: list[Crosscheck] = []
    yield services
    for service in services:
        service.close()


@pytest.fixture
def make_crosscheck_bot(
    crosscheck_services: list[Crosscheck], discord_server: FakeDiscord, crosscheck_db: Path
) -> MakeCrosscheckBot:
    """``make_crosscheck_bot(check_rate=2, ...)`` builds (not starts) a `CrosscheckBot`.

    Each call opens a new `Crosscheck` service on the test's SQLite file (as a restart would),
    unless ``service=`` is given; ``bot_cls=`` picks a subclass. Other keywords are `Settings`
    fields; by default commands sync to the fake guild and the cooldown is generous (50 checks).
    """

    def make(*, service: Crosscheck | None = None, bot_cls: type[CrosscheckBot] = CrosscheckBot,
             **settings: Any) -> CrosscheckBot:
        if service is None:
            service = Crosscheck.open(crosscheck_db, today=TODAY)
            crosscheck_services.append(service)
        values: dict[str, Any] = {
            "discord_token": None,
            "crosscheck_db": crosscheck_db,
            "dev_guild_id": discord_server.guild.id,
            "check_rate": 50,
            "check_per_seconds": 60.0,
            **settings,
        }
        # No .env file: the tests must not depend on the developer's settings.
        return bot_cls(service, Settings(_env_file=None, **values))  # type: ignore[call-arg]

    return make


@pytest.fixture
async def crosscheck_bot(make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot) -> CrosscheckBot:
    """A `CrosscheckBot` with default test settings, started against the fake Discord."""
    return await run_bot(make_crosscheck_bot())

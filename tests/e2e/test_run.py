"""`crosscheck run` as an operator meets it: a child process against the fake Discord.

Start-up failures an operator can fix print one actionable line (at most three lines in all)
and exit non-zero; SIGTERM or Ctrl-C stop the bot cleanly and quickly, even during a check;
`crosscheck health` tells a connected bot from one that is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fakediscord import FakeDiscord

from bot.runner import heartbeat_path

HERE = Path(__file__).resolve().parent
TOKEN = "the-right-token"
# What a child process may inherit: none of the developer's own bot settings.
SETTINGS = ("DISCORD_TOKEN", "DEV_GUILD_ID", "LOG_LEVEL", "CROSSCHECK_DB", "CROSSCHECK_BASE", "CROSSCHECK_TODAY")


class Bot:
    """`crosscheck run` in a child process; its standard error is collected line by line."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.lines: list[str] = []
        self._new_line = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode().rstrip("\n"))
            self._new_line.set()

    async def wait_for_line(self, fragment: str, timeout: float = 10.0) -> None:
        """Wait until a line containing `fragment` was printed."""
        async with asyncio.timeout(timeout):
            while not any(fragment in line for line in self.lines):
                if self.process.returncode is not None and self._reader.done():
                    raise AssertionError(f"exited ({self.process.returncode}) without printing {fragment!r}:\n"
                                         + "\n".join(self.lines))
                self._new_line.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.1):
                        await self._new_line.wait()

    async def exit_code(self, timeout: float = 15.0) -> int:
        """Wait for the process to end; its exit code (all of its output has been read)."""
        try:
            async with asyncio.timeout(timeout):
                code = await self.process.wait()
                await self._reader
        except TimeoutError:
            raise AssertionError(f"still running after {timeout:g}s; it printed:\n{self.output}") from None
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data directory, for this process and the bots it starts: a bot on PostgreSQL
    keeps its heartbeat there."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
async def start_bot(tmp_path: Path, crosscheck_db: Path | str) -> AsyncIterator:
    """`await start_bot(port, DISCORD_TOKEN=..., ...)` runs `crosscheck run` against 127.0.0.1:port
    (`command=["sync", ...]` runs another command)."""
    started: list[Bot] = []

    async def start(port: int, command: tuple[str, ...] = ("run",), **settings: str) -> Bot:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        env.update({"DISCORD_TOKEN": TOKEN, "CROSSCHECK_DB": str(crosscheck_db), **settings})
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "crosscheck_at.py"), str(port), *command,
            cwd=tmp_path,  # no .env file here: only the settings given
            env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        bot = Bot(process)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()
        bot._reader.cancel()


async def health(db: Path | str) -> tuple[int, str]:
    """Run `crosscheck health` for the database `db`: its exit code and what it printed."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "health", "--db", str(db), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode().strip()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port where nothing listens (bound, so nobody else takes it): Discord unreachable."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def assert_one_actionable_line(bot: Bot, code: int, expected_code: int, starts: str) -> None:
    assert code == expected_code, bot.output
    assert len(bot.lines) <= 3, bot.output
    assert "Traceback" not in bot.output
    assert bot.lines[-1].startswith(f"error: {starts}"), bot.output


async def test_a_rejected_token_is_one_line_and_exit_2(start_bot) -> None:
    async with FakeDiscord(expected_token=TOKEN) as server:
        bot = await start_bot(server.port, DISCORD_TOKEN="a-revoked-token")
        code = await bot.exit_code()
    assert_one_actionable_line(bot, code, 2, "Discord rejected the bot token (401 Unauthorized): copy a new one")
    assert "DISCORD_TOKEN" in bot.lines[-1]
    # Each log line once (it used to go through two handlers and show twice).
    assert sum("logging in using static token" in line for line in bot.lines) == 1, bot.output
    assert "a-revoked-token" not in bot.output


async def test_no_network_is_one_line_and_exit_3(start_bot, closed_port: int) -> None:
    bot = await start_bot(closed_port)
    code = await bot.exit_code()
    assert_one_actionable_line(bot, code, 3, f"cannot reach Discord (Cannot connect to host 127.0.0.1:{closed_port}")
    assert "check this machine's network" in bot.lines[-1]


async def test_privileged_intents_refused_by_discord_is_one_line(start_bot, discord_server: FakeDiscord) -> None:
    bot = await start_bot(discord_server.port)
    # Once the bot is ready: a sharded client that loses its socket while still starting it up
    # resumes instead of reading the close code (Discord's own close comes a round trip after
    # IDENTIFY, when the client is listening).
    await bot.wait_for_line("ready as", timeout=30)
    # What Discord does when a bot asks for an intent not switched on in the portal.
    await discord_server.drop_connection(code=4014)
    code = await bot.exit_code()
    # Discord closes before READY; the fake can only close after it, so the log has a few more
    # lines here (connected, ready) than an operator would see: the error is still one line.
    assert code == 2, bot.output
    assert "Traceback" not in bot.output
    assert bot.lines[-1].startswith("error: Discord refused the privileged intents"), bot.output
    assert "Privileged Gateway Intents" in bot.lines[-1]


async def test_missing_access_when_syncing_commands_is_one_line(start_bot, discord_server: FakeDiscord) -> None:
    # A development server the bot was never invited to: Discord answers 403 Missing Access.
    bot = await start_bot(discord_server.port, DEV_GUILD_ID="123456789012345678")
    code = await bot.exit_code()
    assert_one_actionable_line(bot, code, 2, "Discord refused to register the slash commands in server "
                                             "123456789012345678 (403 Missing Access): set DEV_GUILD_ID")


async def test_crosscheck_sync_pushes_the_commands_to_a_server(start_bot, discord_server: FakeDiscord) -> None:
    guild = discord_server.guild.id
    bot = await start_bot(discord_server.port, command=("sync", "--guild", str(guild)))
    assert await bot.exit_code() == 0, bot.output
    assert ("check", 1) in discord_server.commands[guild]
    out = await bot.process.stdout.read()  # type: ignore[union-attr]
    assert out.decode() == "synced the commands\n"


async def test_missing_access_in_crosscheck_sync_is_one_line(start_bot, discord_server: FakeDiscord) -> None:
    bot = await start_bot(discord_server.port, command=("sync", "--guild", "123456789012345678"))
    code = await bot.exit_code()
    assert_one_actionable_line(bot, code, 2, "Discord refused to register the slash commands in server "
                                             "123456789012345678 (403 Missing Access)")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_during_a_check_answers_it_and_exits_cleanly_within_2_seconds(
        start_bot, discord_server: FakeDiscord, crosscheck_db: Path | str, stop: signal.Signals) -> None:
    # DEBUG shows discord.py starting on the interaction: the signal then lands during the check.
    bot = await start_bot(discord_server.port, LOG_LEVEL="DEBUG")
    await bot.wait_for_line("ready as Crosscheck")
    handle = await discord_server.send_slash_command("check", {"statement": "ISIS was defeated in Iraq in 2015"})
    await bot.wait_for_line("Dispatching event interaction")
    loop = asyncio.get_running_loop()
    sent = loop.time()
    bot.process.send_signal(stop)
    code = await bot.exit_code()
    took = loop.time() - sent

    assert code == 0, bot.output
    assert took < 2.0, f"took {took:.2f}s to stop:\n{bot.output}"
    assert "Traceback" not in bot.output
    assert any(f"{stop.name} received: stopping once 1 request(s) in progress answer" in line for line in bot.lines)
    # The check in progress still answered its asker before the bot logged out.
    assert handle.original_message is not None and handle.original_message["embeds"], bot.output
    assert "Contradicted" in handle.original_message["embeds"][0]["title"]
    # The scheduler (APScheduler's own word), Discord and the database were all closed in turn.
    assert any("Scheduler has been shut down" in line for line in bot.lines)
    assert bot.lines[-1].endswith("stopped cleanly; the database is closed")
    if isinstance(crosscheck_db, Path):
        assert not crosscheck_db.with_name(crosscheck_db.name + "-wal").exists()  # SQLite removes it on a clean close


async def test_health_is_ok_while_connected_and_unhealthy_once_stopped(
        start_bot, discord_server: FakeDiscord, crosscheck_db: Path | str, closed_port: int) -> None:
    heartbeat = heartbeat_path(crosscheck_db)
    bot = await start_bot(discord_server.port)
    async with asyncio.timeout(10):
        while not heartbeat.exists():
            await asyncio.sleep(0.05)
    code, said = await health(crosscheck_db)
    assert code == 0, said
    assert re.fullmatch(r"ok: connected as Crosscheck \(heartbeat \d s ago\); database .+", said), said

    # A second bot started by mistake on the same database fails; the first one's beat stays.
    second = await start_bot(closed_port)
    assert await second.exit_code() == 3
    assert (await health(crosscheck_db))[0] == 0

    bot.process.send_signal(signal.SIGTERM)
    assert await bot.exit_code() == 0
    code, said = await health(crosscheck_db)
    assert code == 1
    assert said == (f"unhealthy: no heartbeat at {heartbeat}: the bot is not running, or not connected to "
                    "Discord yet")

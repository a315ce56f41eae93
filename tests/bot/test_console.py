"""`crosscheck console` at a real terminal (a pseudo-terminal): line editing and history with readline.

Keys are typed as a person would, bytes into the terminal: Enter is \\r, the up arrow ESC [ A.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STATEMENT = "ISIS was defeated in Iraq in 2015"
UP = "\x1b[A"
# Runs the console as `crosscheck console` does, in a Python that has no readline module.
WITHOUT_READLINE = "import sys; sys.modules['readline'] = None; from bot.cli import main; main()"


class Terminal:
    """A `crosscheck console` process whose input and output are a pseudo-terminal."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True)
        os.close(slave)
        self.screen = ""

    def wait_for(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        """Read the terminal until `text` appeared `count` times in all."""
        deadline = time.monotonic() + timeout
        while self.screen.count(text) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear {count} time(s); the screen ends:\n{self.screen[-800:]}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the console exited and closed the terminal
                    break

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        code = self.process.wait(timeout=20)
        os.close(self.master)
        return code


@pytest.fixture
def console(tmp_path: Path, db_path: Path) -> Iterator:
    """`console()` starts `crosscheck console` in a terminal, with its data directory in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSCHECK_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), CROSSCHECK_DB=str(db_path), TERM="xterm")
    started: list[Terminal] = []

    def start(python_code: str | None = None) -> Terminal:
        program = ["-c", python_code] if python_code else ["-m", "bot.cli"]
        started.append(Terminal([sys.executable, *program, "console", "--today", "2026-11-21"], env))
        started[-1].wait_for("> ")
        return started[-1]

    yield start
    for terminal in started:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.close()


def test_the_up_arrow_brings_back_the_last_statement_and_history_outlives_the_session(
        console, tmp_path: Path) -> None:
    first = console()
    first.type(STATEMENT + "\r")
    first.wait_for("Contradicted")
    shown = first.screen.count("Contradicted")
    first.type(UP + "\r")  # the same statement again, without retyping it
    first.wait_for("Contradicted", count=2 * shown)
    first.type("/quit\r")
    assert first.close() == 0
    assert STATEMENT in (tmp_path / "data" / "crosscheck" / "console_history").read_text().splitlines()

    second = console()
    second.type(UP + UP + "\r")  # /quit, then the statement from the first session
    second.wait_for("Contradicted", count=shown)
    second.type("/quit\r")
    assert second.close() == 0


def test_without_readline_the_console_still_answers(console, tmp_path: Path) -> None:
    terminal = console(WITHOUT_READLINE)
    terminal.type(STATEMENT + "\r")
    terminal.wait_for("Contradicted")
    terminal.type("/quit\r")
    assert terminal.close() == 0
    assert not (tmp_path / "data" / "crosscheck" / "console_history").exists()


def test_piped_input_keeps_no_history(tmp_path: Path, db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSCHECK_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), CROSSCHECK_DB=str(db_path))
    result = subprocess.run([sys.executable, "-m", "bot.cli", "console", "--today", "2026-11-21"],
                            input=STATEMENT + "\n", env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"> {STATEMENT}\n" in result.stdout and "Contradicted" in result.stdout
    assert not (tmp_path / "data").exists()

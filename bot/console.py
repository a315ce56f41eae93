"""A terminal chat with the bot, no Discord token needed: the same handlers, the same replies.

Type a statement to /check it. Other commands:
  /message TEXT   fact-check a whole message (several sentences), like the context menu
  /sources        show every source of the last answer, with the outlets' credibility reasons
  /helpful, /unhelpful   record feedback on the last answer
  /quit           leave (or end of input)
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import TextIO

from bot.cogs.check import Answer, answer, answers_for_message
from claims.engine import StatementError
from claims.render import card_text, reply_card
from claims.service import Crosscheck

CONSOLE_USER = "console"
BANNER = ("Crosscheck console: type a statement to fact-check it (e.g. \"All US forces will be out of Iraq "
          "by September 2026\").\nCommands: /message TEXT, /sources, /helpful, /unhelpful, /help, /quit\n")


HISTORY_LENGTH = 1000


def history_path() -> Path:
    """The console's history file, in the user's data directory ($XDG_DATA_HOME/crosscheck)."""
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "crosscheck" / "console_history"


def start_line_editing(path: Path) -> bool:
    """Give input() line editing and the history kept at `path` (saved at exit); False where
    readline is missing (Windows, some Python builds): the console then reads plain lines."""
    try:
        import readline
    except ImportError:
        return False
    readline.set_history_length(HISTORY_LENGTH)
    try:
        readline.read_history_file(path)
    except OSError:
        pass  # no history yet, or unreadable: start without one

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
        except OSError:
            pass  # a read-only home loses the history, nothing else

    atexit.register(save)
    return True


def _read_line(stdin: TextIO, stdout: TextIO, interactive: bool, editing: bool) -> str | None:
    """The next line typed or piped in, or None at the end of input."""
    if editing:
        stdout.write("\n")
        try:
            return input("> ")  # readline edits the line and records it in the history
        except EOFError:
            return None
    if interactive:
        stdout.write("\n> ")
        stdout.flush()
    return stdin.readline() or None


def run_console(service: Crosscheck, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read lines until /quit or end of input; answer each. Returns the number of checks made.

    At a terminal, lines are read with readline: editing, and arrow-key history kept between runs."""
    interactive = stdin.isatty()
    # input() is what readline edits, and it reads the real terminal only.
    editing = interactive and stdin is sys.stdin and stdout is sys.stdout and start_line_editing(history_path())
    stdout.write(BANNER)
    last: Answer | None = None
    checks = 0
    while True:
        line = _read_line(stdin, stdout, interactive, editing)
        if line is None:
            break
        line = line.strip()
        if not line:
            continue
        if not interactive:
            stdout.write(f"\n> {line}\n")
        command, _, rest = line.partition(" ")
        try:
            if command in ("/quit", "/exit"):
                break
            if command == "/help":
                stdout.write(__doc__ or "")
                continue
            if command in ("/helpful", "/unhelpful"):
                if last is None or last.check_id is None:
                    stdout.write("Nothing to give feedback on yet.\n")
                else:
                    service.store.checks.record_feedback(last.check_id, CONSOLE_USER, command == "/helpful")
                    stdout.write("Thanks, your feedback was recorded for the moderators.\n")
                continue
            if command == "/sources":
                if last is None or last.reply.claim is None:
                    stdout.write("No sources to show yet.\n")
                else:
                    reply = service.check_against(last.reply.statement, last.reply.claim.id)
                    stdout.write(card_text(reply_card(reply, expanded=True)))
                continue
            if command == "/message":
                answers = answers_for_message(service, rest, user_id=CONSOLE_USER, via="console")
            else:
                statement = rest if command == "/check" else line
                answers = [answer(service, statement, user_id=CONSOLE_USER, via="console")]
        except StatementError as exc:
            stdout.write(f"I can't check that: {exc}.\n")
            continue
        for ans in answers:
            stdout.write(card_text(ans.card))
            checks += 1
        last = answers[-1]
    return checks

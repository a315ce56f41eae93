"""A terminal chat with the bot, no Discord token needed: the same handlers, the same replies.

Type a statement to /check it. Other commands:
  /message TEXT   fact-check a whole message (several sentences), like the context menu
  /sources        show every source of the last answer, with the outlets' credibility reasons
  /helpful, /unhelpful   record feedback on the last answer
  /quit           leave (or end of input)
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.cogs.check import Answer, answer, answers_for_message
from claims.engine import StatementError
from claims.render import card_text, reply_card
from claims.service import Crosscheck

CONSOLE_USER = "console"
BANNER = ("Crosscheck console: type a statement to fact-check it (e.g. \"All US forces will be out of Iraq "
          "by September 2026\").\nCommands: /message TEXT, /sources, /helpful, /unhelpful, /help, /quit\n")


def run_console(service: Crosscheck, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read lines until /quit or end of input; answer each. Returns the number of checks made."""
    interactive = stdin.isatty()
    stdout.write(BANNER)
    last: Answer | None = None
    checks = 0
    while True:
        if interactive:
            stdout.write("\n> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
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

"""What the moderators' terminal commands share: the curator of the chosen workspace, and one
way to report a change, a refusal, or warnings to confirm."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable

import click

from claims.curate import Accept, Change, ConflictError, CurationError, Curator, NeedsConfirmation
from claims.store import StoreError

EXIT_REFUSED = 2
EXIT_UNAVAILABLE = 3
EXIT_CONFLICT = 4
EXIT_DECLINED = 5  # the change warned and the moderator did not confirm it

actor_option = click.option("--as", "actor", default=lambda: f"cli:{getpass.getuser()}", show_default="cli:$USER",
                            help="Who makes the change (for the audit log).")
yes_option = click.option("--yes", "-y", "yes", is_flag=True,
                          help="Apply even if the change warns that it may break answers (the warnings are "
                               "still printed, and recorded in the audit log).")
reason_option = click.option("--reason", default=None, help="Why (kept in the audit log).")


def curator(ctx: click.Context) -> Curator:
    """The curator of the workspace the command names (and of a server's queue, for `review --server`)."""
    from bot.cli import open_service

    service = open_service(None, None)
    ctx.call_on_close(service.close)
    server = (ctx.find_object(dict) or {}).get("server")
    try:
        return Curator(service, workspace_id=service.workspace_of(server) if server else service.workspace_id,
                       guild_id=server)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_REFUSED)


def done(change: Change) -> None:
    """Say what was written (and which warnings it was confirmed despite)."""
    revision = f", revision {change.revision}" if change.revision else ""
    click.echo(f"#{change.audit_id} {change.summary}{revision}")
    for warning in change.warnings:
        click.echo(f"  applied despite the warning: {warning.message}")


def run(action):
    """Run a curation action; refusals become one clear line and a non-zero exit."""
    try:
        return action()
    except ConflictError as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(EXIT_CONFLICT)
    except CurationError as exc:
        click.echo("refused, nothing was changed:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(EXIT_REFUSED)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)


def run_confirmed(action: Callable[[Accept], Change], yes: bool) -> Change:
    """Run a change that may warn: print the warnings and ask (unless --yes); nothing is written
    unless the moderator confirms. A warning that appears only after confirming (the base
    changed meanwhile) is asked about again."""
    accepted: Accept = True if yes else frozenset()
    while True:
        try:
            return run(lambda accepted=accepted: action(accepted))
        except NeedsConfirmation as exc:
            click.echo("warning: this change may break answers:", err=True)
            for warning in exc.warnings:
                click.echo(f"  - {warning.message}", err=True)
            try:
                go = click.confirm("Apply it anyway?", default=False, err=True)
            except click.Abort:  # no answer (end of input): no
                go = False
            if not go:
                click.echo("not applied; nothing was changed (pass --yes to apply it anyway)", err=True)
                sys.exit(EXIT_DECLINED)
            accepted = frozenset(accepted) | exc.keys  # type: ignore[arg-type]


def diff(before: dict | None, after: dict | None) -> list[str]:
    """Human lines for what changed between two states."""
    if before is None:
        return ["created"]
    if after is None:
        return ["removed"]
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            old = json.dumps(before.get(key), ensure_ascii=False)
            new = json.dumps(after.get(key), ensure_ascii=False)
            lines.append(f"{key}: {old[:120]} → {new[:120]}")
    return lines


def value_options(editing: bool):
    """The options giving a version's values (`editing`: '' clears a value, leaving it out keeps it)."""
    clear = " ('' clears it)" if editing else ""

    def add(command):
        for option in reversed([
            click.option("--date", "date", default=None, help=f"The date it reports (YYYY-MM-DD, YYYY-MM, YYYY, "
                                                              f"'end of 2026'){clear}."),
            click.option("--as-of", "as_of", default=None, help=f"For a running tally: the day the count was true, "
                                                                f"which later reports replace{clear}."),
            click.option("--count", default=None,
                         help=f"The number it reports (2500, ~2500, >=70, >500, <20, 100..200){clear}."),
            click.option("--duration", default=None, help=f"How long (12 days, 3 years){clear}."),
            click.option("--scope", type=click.Choice(["all", "some", ""] if editing else ["all", "some"]),
                         default=None, help=f"All or some (of the troops, of the bases){clear}."),
            click.option("--places", default=None, help=f"Where: entities, by id or name, comma-separated{clear}."),
            click.option("--actors", default=None, help=f"Who acted: entities, by id or name, comma-separated{clear}."),
            click.option("--speaker", default=None, help=f"Who said it: an entity of any kind (a person, an "
                                                         f"agency), by id or name{clear}."),
            click.option("--roles", default=None, help=f"Who does what, where the text cannot tell: role=entities "
                                                       f"separated by ';' (agent=us; patient=al-saidi), roles agent, "
                                                       f"patient, source, destination, recipient{clear}."),
            click.option("--holds", type=click.Choice(["yes", "no"]), default=None,
                         help="no: the source reports it did NOT happen (default yes)."),
        ]):
            command = option(command)
        return command
    return add


VALUE_NAMES = ("date", "as_of", "count", "duration", "scope", "places", "actors", "speaker", "roles", "holds")


def pop_values(kwargs: dict) -> dict:
    """Take the value options out of a command's keyword arguments."""
    return {name: kwargs.pop(name) for name in VALUE_NAMES}

"""The operator's privacy commands: retention, and answering a person's request that came by email.

    crosscheck privacy status                                   the retention in force and the last run
    crosscheck privacy retention DAYS|off|default [--server ID] set the default, or one server's
    crosscheck privacy apply-retention [--json]                 erase what is due now (for cron)
    crosscheck privacy show --user ID [--server ID|dm]          what is kept about a person
    crosscheck privacy erase --user ID [--server ID|dm] [--yes] erase it (everywhere without --server)
    crosscheck privacy erase --text TEXT --server ID|dm|all     erase checks quoting someone's words
"""

from __future__ import annotations

import getpass
import json
import re
import sys
from dataclasses import asdict
from typing import NoReturn

import click

from claims.privacy import (
    MAX_RETENTION_DAYS,
    PersonalData,
    PrivacyError,
    apply_retention,
    describe,
    erase,
    erase_everywhere,
    erase_text,
    parse_retention,
    personal_data,
    servers_of,
    set_retention,
)
from claims.store import StoreError
from claims.store.privacy import Erased

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3
ALL = "all"
DM = "dm"


def _service(ctx: click.Context):
    from bot.cli import open_service

    service = open_service(None, None)
    ctx.call_on_close(service.close)
    return service


def _snowflake(value: str | None, option: str) -> str | None:
    """A Discord id as typed by the operator: digits only."""
    if value is None:
        return None
    cleaned = value.strip()
    if not re.fullmatch(r"\d{1,20}", cleaned):
        raise click.BadParameter(f"{value!r} is not a Discord id (digits, e.g. 123456789012345678)",
                                 param_hint=option)
    return cleaned


def _server(value: str | None) -> str | None:
    """--server: a server's id, or `dm` for direct messages and the terminal, or `all`."""
    if value is None or value.lower() in (DM, ALL):
        return value.lower() if value else None
    return _snowflake(value, "--server")


def _place(guild_id: str | None) -> str:
    return f"server {guild_id}" if guild_id else "direct messages and the terminal"


def _fail(exc: Exception) -> NoReturn:
    if isinstance(exc, StoreError):
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    click.echo(f"refused, nothing was changed: {exc}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _footprint_lines(data: PersonalData) -> list[str]:
    fp = data.footprint
    if data.empty:
        return [f"{_place(data.guild_id)}: nothing kept"]
    lines = [f"{_place(data.guild_id)}: {_n(fp.checks, 'check')} ({fp.with_text:,} with text, user id and channel; "
             f"first {fp.oldest or '—'}, oldest kept {fp.oldest_kept or '—'}, latest {fp.newest or '—'}), "
             f"{_n(fp.votes, 'vote')}; "
             f"retention {describe(data.retention_days)}"]
    if data.linked_until:
        lines.append(f"  linked to the person until {data.linked_until.isoformat()} unless seen again")
    return lines


def _erased_line(guild_id: str | None, done: Erased) -> str:
    return (f"{_place(guild_id)}: erased the text, user id and channel of {_n(done.checks, 'check')}; unlinked "
            f"{_n(done.unlinked, 'check')} and {_n(done.votes, 'vote')}; {_n(done.audit, 'audit row')} scrubbed")


def register(main: click.Group) -> None:
    """Add `crosscheck privacy` to the CLI."""

    @main.group()
    def privacy() -> None:
        """What people ask: how long it is kept, and erasing a person's data (see deploy/PRIVACY.md)."""

    @privacy.command()
    @click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
    @click.pass_context
    def status(ctx: click.Context, as_json: bool) -> None:
        """The default retention, each server's own, and the last retention run."""
        store = _service(ctx).store
        try:
            default, own, last = store.privacy.default_retention(), store.privacy.settings(), store.privacy.last_run()
        except StoreError as exc:
            _fail(exc)
        if as_json:
            click.echo(json.dumps({"default_days": default, "servers": own, "last_run": last}))
            return
        click.echo(f"default retention: {describe(default)} (servers without their own, DMs and the terminal)")
        for guild, days in own.items():
            click.echo(f"  server {guild}: {describe(days)}")
        if last:
            click.echo(f"last run: {last['at']}: {_n(last['checks'], 'check')} and {_n(last['votes'], 'vote')} "
                       f"erased, {_n(last['askers'], 'pseudonym')} unlinked ({last['seconds']}s)")
        else:
            click.echo("last run: never (the bot runs it every hour; or `crosscheck privacy apply-retention`)")

    @privacy.command()
    @click.argument("days")
    @click.option("--server", "server", default=None, metavar="ID",
                  help="Set this server's retention (default: the operator's default, for every server without "
                       "its own, DMs and the terminal).")
    @click.pass_context
    def retention(ctx: click.Context, days: str, server: str | None) -> None:
        """Keep questions DAYS days (1-365), `off` (keep no text), or `default` (a server follows the default).

        What the new setting makes due is erased at once."""
        guild = _snowflake(server, "--server")
        try:
            chosen = None if days.strip().lower() == "default" else parse_retention(days)
        except PrivacyError as exc:
            raise click.BadParameter(str(exc), param_hint="DAYS") from None
        store = _service(ctx).store
        try:
            if guild is None:
                if chosen is None:
                    raise PrivacyError(f"the default itself needs a number of days (1-{MAX_RETENTION_DAYS}) or off")
                store.privacy.set_default_retention(chosen)
                report = apply_retention(store)
                click.echo(f"default retention: {describe(chosen)}")
            else:
                report = set_retention(store, guild, chosen, f"cli:{getpass.getuser()}")
                click.echo(f"server {guild}: retention {describe(store.privacy.retention(guild))}"
                           + (" (the default)" if chosen is None else ""))
        except (PrivacyError, StoreError) as exc:
            _fail(exc)
        click.echo(report.summary())

    @privacy.command("apply-retention")
    @click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
    @click.option("--quiet", is_flag=True, help="Print nothing unless something was erased (for cron mail).")
    @click.pass_context
    def apply_retention_cmd(ctx: click.Context, as_json: bool, quiet: bool) -> None:
        """Erase what every server's retention says is due now. Idempotent: run it from cron at will."""
        store = _service(ctx).store
        try:
            report = apply_retention(store)
        except StoreError as exc:
            _fail(exc)
        if as_json:
            click.echo(json.dumps(asdict(report)))
        elif report.changed or not quiet:
            click.echo(report.summary())

    @privacy.command()
    @click.option("--user", "user", required=True, metavar="ID", help="The person's Discord user id.")
    @click.option("--server", "server", default=None, metavar="ID|dm",
                  help="Only this server (or `dm`: direct messages); default: everywhere.")
    @click.option("--json", "as_json", is_flag=True, help="As JSON lines, one per place.")
    @click.pass_context
    def show(ctx: click.Context, user: str, server: str | None, as_json: bool) -> None:
        """What is kept about a person (to answer an access request)."""
        user_id = _snowflake(user, "--user") or ""
        place = _server(server)
        store = _service(ctx).store
        try:
            guilds = servers_of(store, user_id) if place in (None, ALL) else [None if place == DM else place]
            found = [personal_data(store, user_id, g) for g in guilds]
        except StoreError as exc:
            _fail(exc)
        if as_json:
            for data in found:
                click.echo(json.dumps({"server": data.guild_id, "retention_days": data.retention_days,
                                       **asdict(data.footprint)}))
            return
        if not found:
            click.echo(f"nothing is kept about user {user_id}")
        for data in found:
            for line in _footprint_lines(data):
                click.echo(line)

    @privacy.command("erase")
    @click.option("--user", "user", default=None, metavar="ID", help="Erase this person's data.")
    @click.option("--text", "text", default=None, metavar="TEXT",
                  help="Erase every check whose statement contains TEXT (a message author's words that someone "
                       "else fact-checked); needs --server.")
    @click.option("--server", "server", default=None, metavar="ID|dm|all",
                  help="Only this server (or `dm`); default for --user: everywhere.")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @click.pass_context
    def erase_cmd(ctx: click.Context, user: str | None, text: str | None, server: str | None, yes: bool) -> None:
        """Erase a person's questions, ids and votes (the counts stay), as they asked by email."""
        if bool(user) == bool(text):
            raise click.UsageError("give either --user ID or --text TEXT")
        place = _server(server)
        store = _service(ctx).store
        if text is not None:
            if place is None:
                raise click.UsageError("--text needs --server ID, --server dm or --server all")
            if not yes:
                click.confirm(f"Erase every check whose statement contains {text!r} in "
                              f"{'every server' if place == ALL else _place(None if place == DM else place)}?",
                              abort=True)
            try:
                done = erase_text(store, text, None if place in (DM, ALL) else place, everywhere=place == ALL)
            except (PrivacyError, StoreError) as exc:
                _fail(exc)
            click.echo(f"erased the text, user id and channel of {_n(done.checks, 'check')} containing {text!r}; "
                       f"{_n(done.votes, 'vote')} unlinked")
            return
        user_id = _snowflake(user, "--user") or ""
        try:
            guilds = servers_of(store, user_id) if place in (None, ALL) else [None if place == DM else place]
            found = [d for d in (personal_data(store, user_id, g) for g in guilds) if not d.empty]
        except StoreError as exc:
            _fail(exc)
        if not found:
            click.echo(f"nothing is kept about user {user_id}{'' if place in (None, ALL) else ' there'}; "
                       "nothing to erase")
            return
        for data in found:
            for line in _footprint_lines(data):
                click.echo(line)
        if not yes:
            click.confirm(f"Erase all of this about user {user_id}? It cannot be undone", abort=True)
        try:
            if place in (None, ALL):
                results = erase_everywhere(store, user_id)
            else:
                guild = None if place == DM else place
                results = {guild: erase(store, user_id, guild)}
        except StoreError as exc:
            _fail(exc)
        for guild, done in results.items():
            click.echo(_erased_line(guild, done))

"""The `crosscheck` command line: check statements, curate the base, run the bot.

Click gives us subcommands, typed options, --help and exit codes for free; hand-written argparse
would repeat all of that.
"""

from __future__ import annotations

import getpass
import json
import logging
import re
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from bot.bench_cli import register as register_benchmarks
from bot.curate_cli import register as register_curation
from bot.privacy_cli import register as register_privacy
from bot.workspace_cli import register as register_workspaces
from claims.engine import StatementError
from claims.load import LoadError, default_base_dir, load_base
from claims.render import card_text, reply_card
from claims.service import Crosscheck
from claims.store import DEFAULT, SHIPPED, StoreError, is_url

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3

log = logging.getLogger(__name__)


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


class DatabaseTarget(click.ParamType):
    """A SQLite file path, or a PostgreSQL address (`postgresql://...`), kept as written."""

    name = "PATH|URL"

    def convert(self, value, param, ctx):
        if isinstance(value, Path) or is_url(value):
            return value
        return Path(value).expanduser()


DB_TARGET = DatabaseTarget()

# `--db` and `--workspace` may be given before the command (`crosscheck --db X check ...`) or
# after it (`crosscheck check --db X ...`); the one nearer the command wins.
db_option = click.option("--db", "db_path", type=DB_TARGET,
                         help="Database file or postgresql:// address (default: $CROSSCHECK_DB or "
                              "~/.local/share/crosscheck/crosscheck.sqlite).")
workspace_option = click.option("-w", "--workspace", "workspace", metavar="ID",
                                help="The workspace to use (default: $CROSSCHECK_WORKSPACE, else `default`; "
                                     "see `crosscheck workspace list`).")
today_option = click.option("--today", callback=_parse_day, metavar="YYYY-MM-DD",
                            help="Judge deadlines as of this day (default: $CROSSCHECK_TODAY or the clock).")


def chosen_db(db_path: Path | None = None) -> Path | None:
    """The database this invocation names: the command's --db, else the group's, else $CROSSCHECK_DB."""
    ctx = click.get_current_context(silent=True)
    group = (ctx.find_root().obj or {}).get("db_path") if ctx else None
    return db_path or group or None


def chosen_workspace(workspace: str | None = None) -> str:
    """The workspace this invocation names: the command's --workspace, else the group's, else the default."""
    ctx = click.get_current_context(silent=True)
    group = (ctx.find_root().obj or {}).get("workspace") if ctx else None
    return workspace or group or DEFAULT


def open_service(db_path: Path | None, today: date | None, workspace: str | None = None) -> Crosscheck:
    """Open the working base, turning setup problems into one clear line and an exit code."""
    try:
        return Crosscheck.open(chosen_db(db_path), today=today, workspace_id=chosen_workspace(workspace))
    except LoadError as exc:
        if all(problem.missing for problem in exc.problems):
            # Nothing is wrong with the files: they are not there (a broken install, a wrong CROSSCHECK_BASE).
            missing = ", ".join(problem.file for problem in exc.problems)
            click.echo(f"error: the shipped claim base is missing {missing} in {default_base_dir()}: reinstall "
                       "crosscheck, or set CROSSCHECK_BASE to a claim base directory.", err=True)
            sys.exit(EXIT_BAD_INPUT)
        click.echo(f"error: the shipped claim base is invalid ({len(exc.problems)} problems):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)


def _load_or_exit(root: Path, outcome: str):
    """Load a base directory, or list every problem with file:line and exit 2."""
    try:
        return load_base(root)
    except LoadError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); {outcome}.", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (to standard error).")
@click.option("--db", "db_path", type=DB_TARGET, envvar="CROSSCHECK_DB",
              help="Database file or postgresql:// address (default: $CROSSCHECK_DB or "
                   "~/.local/share/crosscheck/crosscheck.sqlite).")
@click.option("-w", "--workspace", "workspace", envvar="CROSSCHECK_WORKSPACE", metavar="ID",
              help="The workspace the terminal uses (default: `default`, the one every server inherits from).")
@click.pass_context
def main(ctx: click.Context, verbose: bool, db_path: Path | None, workspace: str | None) -> None:
    """Crosscheck: fact-check statements against a curated, sourced claim base."""
    ctx.obj = {"db_path": db_path, "workspace": workspace}
    log_to_stderr(logging.INFO if verbose else logging.WARNING)


def log_to_stderr(level: int) -> None:
    """Send log lines at `level` and above to standard error, each once.

    There is one handler, on the root logger, set up here and nowhere else: `run` used to add
    discord.py's own handler (`discord.utils.setup_logging`) next to it, and every line was
    printed twice. Calling this again changes the level only."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)


@main.command()
@click.argument("statements", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per statement.")
@db_option
@workspace_option
@today_option
def check(statements: tuple[str, ...], as_json: bool, db_path: Path | None, workspace: str | None,
          today: date | None) -> None:
    """Check each STATEMENT (quote each one); a lone - reads one statement per line from stdin."""
    if not statements:
        raise click.UsageError('give a statement to check, e.g. crosscheck check "US troops leave Iraq in 2026"')
    from_stdin = statements == ("-",)
    if from_stdin:
        lines = [line.strip() for line in sys.stdin.read().splitlines()]
        statements = tuple(line for line in lines if line)
        if not statements:
            click.echo("error: no statements on standard input (one per line)", err=True)
            sys.exit(EXIT_BAD_INPUT)
    elif len(statements) > 1 and all(" " not in s for s in statements):
        # `crosscheck check US troops left Iraq`: the shell split one unquoted statement.
        statements = (" ".join(statements),)
    service = open_service(db_path, today, workspace)
    failed = 0
    try:
        for statement in statements:
            try:
                checked = service.check(statement, via="cli")
            except StatementError as exc:
                failed += 1
                if as_json:
                    click.echo(json.dumps({"statement": statement[:200], "verdict": None, "error": str(exc)}))
                else:
                    click.echo(f"error: {exc}", err=True)
                continue
            if as_json:
                click.echo(json.dumps(checked.reply.to_json(), ensure_ascii=False))
            else:
                click.echo(card_text(reply_card(checked.reply)))
    finally:
        service.close()
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@main.group()
def claims() -> None:
    """Curate the claim base."""


@claims.command()
@click.argument("base_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
def validate(base_dir: Path | None) -> None:
    """Validate a claim base directory (default: the shipped base); every problem with file:line."""
    base = _load_or_exit(base_dir or default_base_dir(), "nothing was loaded")
    versions = sum(len(c.versions) for c in base.claims.values())
    click.echo(f"ok: {len(base.claims)} claims, {versions} versions, {len(base.articles)} articles, "
               f"{len(base.outlets)} outlets, {len(base.entities)} entities")


register_curation(claims, main)
register_workspaces(main)
register_privacy(main)
register_benchmarks(main)


@claims.command("import")
@click.argument("base_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--merge", is_flag=True, help="Not supported: say so rather than pretend (see below).")
@db_option
@workspace_option
def import_(base_dir: Path | None, merge: bool, db_path: Path | None, workspace: str | None) -> None:
    """Replace a workspace's own base with the one in BASE_DIR (default: the shipped base), if valid.

    What the workspace inherits stays inherited: importing the shipped base into `default`
    makes `default` a full copy of it."""
    if merge:
        click.echo("error: --merge does not exist. Workspaces built on the shipped base keep their own edits "
                   "when a release changes it; to combine two bases, export both, merge the YAML, and import.",
                   err=True)
        sys.exit(EXIT_BAD_INPUT)
    root = base_dir or default_base_dir()
    base = _load_or_exit(root, "the working base was left as it was")
    service = open_service(db_path, None, workspace)
    target = service.workspace_id
    try:
        if target == SHIPPED:
            click.echo("error: the shipped workspace is the release's own; import into `default` or another "
                       "workspace (--workspace)", err=True)
            sys.exit(EXIT_BAD_INPUT)
        service.store.import_base(target, base, actor=f"cli:{getpass.getuser()}", source=str(root))
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    finally:
        service.close()
    click.echo(f"imported {len(base.claims)} claims into workspace {target} of {service.store.path}")


@main.command()
@db_option
@workspace_option
@today_option
def console(db_path: Path | None, workspace: str | None, today: date | None) -> None:
    """Chat with the bot in the terminal: no Discord token needed, the same replies."""
    from bot.console import run_console

    service = open_service(db_path, today, workspace)
    try:
        run_console(service)
    finally:
        service.close()


def _settings(db_path: Path | None, **overrides: object):
    """The bot's settings (environment, .env), with what the command line gave on top."""
    from pydantic import ValidationError

    from bot.config import Settings

    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        settings = Settings(**given)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        click.echo(f"error: bad setting: {problems}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    db_path = chosen_db(db_path)
    if db_path:
        settings.crosscheck_db = db_path
    return settings


def _token(settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        click.echo("error: DISCORD_TOKEN is not set. Put it in the environment or a .env file "
                   "(see deploy/.env.example), or try `crosscheck console` without one.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return settings.discord_token.get_secret_value().strip()


@main.command()
@db_option
@click.option("--shard-count", type=click.IntRange(min=1), default=None,
              help="Shards in all, across every process (default: $SHARD_COUNT, else what Discord recommends).")
@click.option("--shard-ids", default=None, metavar="N,N,...",
              help="The shards this process runs (default: $SHARD_IDS, else all). Needs --shard-count.")
def run(db_path: Path | None, shard_count: int | None, shard_ids: str | None) -> None:
    """Start the Discord bot (needs DISCORD_TOKEN); SIGTERM or Ctrl-C stops it cleanly.

    Past 2,500 servers Discord requires shards: run several processes (on several hosts, with
    CROSSCHECK_DB=postgresql://...), each with its own --shard-ids of one --shard-count."""
    import asyncio

    from bot.client import CrosscheckBot
    from bot.config import RedactToken
    from bot.runner import StartupError, heartbeat_path, serve

    settings = _settings(db_path, shard_count=shard_count, shard_ids=shard_ids)
    token = _token(settings)
    level = logging.getLevelName(settings.log_level.upper())
    level = level if isinstance(level, int) else logging.INFO
    log_to_stderr(level)
    if level > logging.DEBUG:
        # APScheduler announces every start, stop and job run at INFO; the digest code logs what matters.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    service = open_service(settings.crosscheck_db, None)
    bot = CrosscheckBot(service, settings)
    try:
        asyncio.run(serve(bot, token, heartbeat_path(settings.crosscheck_db)))
    except StartupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    finally:
        # After asyncio.run: every check thread has finished, so nothing uses the database now.
        service.close()
    log.info("stopped cleanly; the database is closed")


@main.command()
@click.option("--guild", "guild_id", type=int, help="Sync to this guild only (instant).")
@click.option("--global", "global_", is_flag=True, help="Sync globally (may take up to an hour to show).")
@db_option
def sync(guild_id: int | None, global_: bool, db_path: Path | None) -> None:
    """Push the slash commands to Discord now, whether or not they changed."""
    import asyncio

    import discord

    from bot.client import CrosscheckBot
    from bot.runner import explain

    settings = _settings(db_path)
    token = _token(settings)
    service = open_service(settings.crosscheck_db, None)
    if guild_id:
        scope: discord.Object | str | None = discord.Object(guild_id)
    elif global_:
        scope = None
    else:
        scope = "default"  # the development guild when configured, else global
    bot = CrosscheckBot(service, settings, sync_on_start=False)

    async def go() -> None:
        async with bot:
            await bot.login(token)  # runs setup_hook, which loads the extensions (and, here, does not sync)
            await bot.sync_commands(force=True, scope=scope)

    try:
        asyncio.run(go())
    except Exception as exc:
        explained = explain(exc, bot.intents)
        if explained is None:
            raise
        click.echo(f"error: {explained}", err=True)
        sys.exit(explained.exit_code)
    finally:
        service.close()
    click.echo("synced the commands")


@main.command()
@click.option("--max-age", type=float, default=None, metavar="SECONDS",
              help="How old the bot's heartbeat may be (default: three missed beats).")
@db_option
def health(max_age: float | None, db_path: Path | None) -> None:
    """Exit 0 if the bot is healthy: its database opens and holds a claim base, and the running bot
    wrote its heartbeat recently (it does while connected to Discord). Else exit 1, saying why.

    For Docker's HEALTHCHECK, systemd or a monitor; it changes nothing."""
    from bot.runner import HEARTBEAT_MAX_AGE_SECONDS, heartbeat_age, heartbeat_path, read_heartbeat
    from claims.store import Store, default_db_path

    target = chosen_db(db_path) or default_db_path()
    # A PostgreSQL address may carry a password: never print it.
    shown = re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", str(target))
    limit = HEARTBEAT_MAX_AGE_SECONDS if max_age is None else max_age

    def unhealthy(reason: str) -> NoReturn:
        click.echo(f"unhealthy: {reason}", err=True)
        sys.exit(1)

    if not is_url(target) and not Path(target).is_file():  # opening it would create an empty one
        unhealthy(f"no database at {shown}")
    try:
        store = Store(target)
        try:
            has_base = store.objects.count(store.workspaces.chain(DEFAULT), "claim") > 0
        finally:
            store.close()
    except (StoreError, sqlite3.Error) as exc:
        unhealthy(f"the database {shown} does not open: {exc}")
    if not has_base:
        unhealthy(f"the database {shown} holds no claim base")
    beat_path = heartbeat_path(target)
    beat = read_heartbeat(beat_path)
    if beat is None:
        unhealthy(f"no heartbeat at {beat_path}: the bot is not running, or not connected to Discord yet")
    age = heartbeat_age(beat)
    if age > limit:
        unhealthy(f"the bot's last heartbeat is {age:.0f} s old (more than {limit:.0f} s): "
                  "it is not connected to Discord, or stuck")
    click.echo(f"ok: connected as {beat.get('user')} (heartbeat {age:.0f} s ago); database {shown}")


# --- digests --------------------------------------------------------------------------------------


@main.group()
def digest() -> None:
    """The scheduled digest: see what the next one says (Discord posts it; see /digest setup)."""


@digest.command("preview")
@click.option("--guild", "guild_id", metavar="ID",
              help="Only this server's questions and feedback, over its schedule's running period.")
@click.option("--period", type=click.Choice(["daily", "weekly"]),
              help="Cover the day or week before --now (default: the guild's schedule, else daily).")
@click.option("--now", "--today", "now", metavar="YYYY-MM-DD[THH:MM]",
              help="End the period here (a bare date means the end of that day); default: the clock.")
@click.option("--timezone", "zone_name", metavar="ZONE", help="IANA time zone (default: the schedule's, else UTC).")
@click.option("--public", "public_only", is_flag=True, help="Leave out the moderators' report.")
@db_option
def digest_preview(guild_id: str | None, period: str | None, now: str | None, zone_name: str | None,
                   public_only: bool, db_path: Path | None) -> None:
    """Print the digest for a period, exactly as the bot would post it (nothing is posted or recorded)."""
    from datetime import datetime, timedelta

    from bot.digest_schedule import PERIODS, period_for
    from claims.digest import build_digest
    from claims.store.digests import ScheduleError, parse_timezone

    service = open_service(db_path, None)
    try:
        store = service.store.digests
        schedule = store.schedule(guild_id) if guild_id else None
        try:
            zone = parse_timezone(zone_name or (schedule.timezone if schedule else "UTC"))
        except ScheduleError as exc:
            raise click.BadParameter(str(exc), param_hint="--timezone") from None
        if now is None:
            end = datetime.now(zone).replace(microsecond=0)
        else:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise click.BadParameter(f"{now!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint="--now") from None
            # A bare date covers that whole day: the period ends at the following midnight.
            moment = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
            end = moment + (timedelta(days=1) if len(now) == 10 else timedelta(0))
        if schedule is not None and period is None:
            start, end = period_for(store, schedule, end)
        else:
            start = end - PERIODS[period or "daily"]
        result = build_digest(service, start, end, guild_id, moderators=not public_only)
        click.echo(result.text(moderators=not public_only), nl=False)
        last = store.last_posted(guild_id) if guild_id else None
        if result.is_empty():
            click.echo("\n(nothing to report: the bot would skip this digest)")
        elif last is not None and result.unchanged_since(last.fingerprint):
            click.echo("\n(nothing new since the last digest posted: the bot would skip this one)")
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    finally:
        service.close()


if __name__ == "__main__":
    main()

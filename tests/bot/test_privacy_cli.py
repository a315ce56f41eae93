"""`crosscheck privacy`: the operator answers a request that came by email, and runs retention from cron."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result

from bot.cli import main
from claims.service import Crosscheck
from tests.conftest import TODAY

ANN, BOB = "555555555555555555", "777777777777777777"
GUILD, OTHER = "111111111111111111", "222222222222222222"
WORDS = "Ann Quixote heard the US has around 2500 troops in Iraq"


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `crosscheck ARGS` with CROSSCHECK_DB pointing at a private database in tmp_path."""
    for name in ("CROSSCHECK_BASE", "CROSSCHECK_TODAY", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CROSSCHECK_DB", str(db_path))
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def service(db_path: Path) -> Iterator[Crosscheck]:
    svc = Crosscheck.open(db_path, today=TODAY)
    yield svc
    svc.close()


def ask(service: Crosscheck, statement: str, user: str, guild: str | None, days_ago: float = 0) -> int:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    with time_machine.travel(when, tick=False):
        check_id = service.check(statement, user_id=user, guild_id=guild, channel_id="42", via="discord").check_id
    assert check_id is not None
    return check_id


def everything(service: Crosscheck) -> str:
    """Every value of every table, as one text to search."""
    db = service.store.db
    return "\n".join(str(row) for table in sorted(db.table_names()) for row in db.query(f"SELECT * FROM {table}"))


def test_the_operator_shows_then_erases_a_person_everywhere(cli: Callable[..., Result], service: Crosscheck) -> None:
    ask(service, WORDS, ANN, GUILD)
    ask(service, WORDS, ANN, OTHER)
    ask(service, WORDS, ANN, None)
    bobs = ask(service, "The US has around 2500 troops in Iraq", BOB, GUILD)
    service.store.checks.record_feedback(bobs, ANN, True)

    shown = cli("privacy", "show", "--user", ANN)
    assert shown.exit_code == 0, shown.output
    assert f"server {GUILD}: 1 check (1 with text, user id and channel;" in shown.stdout
    assert "1 vote; retention 90 days" in shown.stdout
    assert f"server {OTHER}: 1 check" in shown.stdout and "direct messages and the terminal: 1 check" in shown.stdout

    refused = cli("privacy", "erase", "--user", ANN, input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert ANN in everything(service)

    done = cli("privacy", "erase", "--user", ANN, input="y\n")

    assert done.exit_code == 0, done.output
    erased = f"server {GUILD}: erased the text, user id and channel of 1 check; unlinked 1 check and 1 vote"
    assert erased in done.stdout
    text = everything(service)
    assert ANN not in text and "Quixote" not in text
    [bob] = service.store.db.query("SELECT * FROM checks WHERE id = ?", [bobs])
    assert (bob["user_id"], bob["statement"]) == (BOB, "The US has around 2500 troops in Iraq")
    assert "nothing is kept about user" in cli("privacy", "show", "--user", ANN).stdout


def test_the_operator_erases_in_one_server_only(cli: Callable[..., Result], service: Crosscheck) -> None:
    ask(service, WORDS, ANN, GUILD)
    ask(service, WORDS, ANN, OTHER)

    done = cli("privacy", "erase", "--user", ANN, "--server", GUILD, "--yes")

    assert done.exit_code == 0, done.output
    left = service.store.db.query("SELECT guild_id, statement FROM checks WHERE user_id = ?", [ANN])
    assert left == [{"guild_id": OTHER, "statement": WORDS}]
    shown = json.loads(cli("privacy", "show", "--user", ANN, "--server", OTHER, "--json").stdout)
    assert (shown["server"], shown["checks"], shown["with_text"]) == (OTHER, 1, 1)


def test_the_operator_erases_a_message_authors_words_that_someone_else_checked(
        cli: Callable[..., Result], service: Crosscheck) -> None:
    ask(service, WORDS, BOB, GUILD)  # Bob fact-checked a message Ann Quixote wrote

    assert cli("privacy", "erase", "--text", "ann quixote").exit_code == 2  # which server?
    done = cli("privacy", "erase", "--text", "ann quixote", "--server", GUILD, "--yes")

    assert done.exit_code == 0, done.output
    assert "erased the text, user id and channel of 1 check containing" in done.stdout
    assert "Quixote" not in everything(service)


def test_apply_retention_from_cron_erases_what_is_due_then_nothing(cli: Callable[..., Result],
                                                                   service: Crosscheck) -> None:
    ask(service, WORDS, ANN, GUILD, days_ago=91)
    ask(service, WORDS, BOB, GUILD, days_ago=10)
    ask(service, WORDS, BOB, OTHER, days_ago=10)
    assert cli("privacy", "retention", "7", "--server", OTHER).exit_code == 0

    first = json.loads(cli("privacy", "apply-retention", "--json").stdout)
    second = cli("privacy", "apply-retention", "--quiet")

    assert first["checks"] == 1 and first["servers"] == 1 and first["default_days"] == 90
    assert second.exit_code == 0 and second.stdout == ""
    kept = service.store.db.query("SELECT guild_id, user_id FROM checks WHERE statement IS NOT NULL")
    assert kept == [{"guild_id": GUILD, "user_id": BOB}]
    status = cli("privacy", "status").stdout
    assert "default retention: 90 days" in status and f"server {OTHER}: 7 days" in status
    assert "last run: " in status and "never" not in status


def test_bad_input_is_refused_with_what_to_write(cli: Callable[..., Result]) -> None:
    for args, message in ((("privacy", "erase", "--user", "ann"), "is not a Discord id"),
                          (("privacy", "erase"), "give either --user ID or --text TEXT"),
                          (("privacy", "retention", "forever"), "is not a retention period"),
                          (("privacy", "retention", "default"), "the default itself needs a number of days")):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
    assert "at least 8 characters" in cli("privacy", "erase", "--text", "Iraq", "--server", "all", "--yes").output

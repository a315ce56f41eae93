"""bot/cli.py: `crosscheck check` and `crosscheck claims validate|import`, run through click's CliRunner."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.runner import heartbeat_path
from claims.load import Base, default_base_dir
from claims.store import Store
from tests.conftest import REPO, write_lock_held

EditFile = Callable[[Path, str, str, str], int]
TODAY = ["--today", "2026-11-21"]
WITHDRAWAL = "claims/base/topics/withdrawal.yaml"
SOURCES = "sources.yaml"
SYRIA = "statement: About 900 U.S. troops are stationed in neighbouring Syria."


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


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def assert_follows_the_contract(out: dict[str, Any]) -> None:
    """{statement, verdict, claim{id,text,score}|null, explanation, versions[...], suggestions[...]}."""
    assert isinstance(out["statement"], str) and out["statement"]
    assert out["verdict"] in ("supported", "disputed", "contradicted", "unverified", "no_match")
    if out["claim"] is None:
        assert out["verdict"] == "no_match"
    else:
        assert isinstance(out["claim"]["id"], str)
        assert isinstance(out["claim"]["text"], str)
        assert isinstance(out["claim"]["score"], int | float) and 0 <= out["claim"]["score"] <= 100
    assert isinstance(out["explanation"], str) and out["explanation"]
    for version in out["versions"]:
        assert isinstance(version["text"], str)
        assert isinstance(version["agrees"], bool)
        assert isinstance(version["weight"], int | float)
        assert version["sources"]
        for src in version["sources"]:
            assert isinstance(src["article"], str) and isinstance(src["outlet"], str)
            assert isinstance(src["credibility"], int) and 0 <= src["credibility"] <= 100
            assert isinstance(src["quote"], str) and src["quote"]
            assert src["said_by"] is None or isinstance(src["said_by"], str)
            assert src["url"] is None or isinstance(src["url"], str)
    for suggestion in out["suggestions"]:
        assert isinstance(suggestion["id"], str) and isinstance(suggestion["text"], str)
        assert isinstance(suggestion["score"], int | float)


# --- check ----------------------------------------------------------------------------------------


def test_check_prints_the_verdict_outlets_with_credibility_and_an_exact_quote(
    cli: Callable[..., Result], shipped_base: Base
) -> None:
    result = cli("check", *TODAY, "Only 1,000 US troops are left in Iraq")
    assert result.exit_code == 0, result.output
    assert "Contradicted" in result.stdout
    for src in shipped_base.claims["troops-in-iraq"].versions[0].sources[:3]:
        outlet = shipped_base.outlets[shipped_base.articles[src.article].outlet]
        if f"{outlet.name} · credibility {outlet.credibility}/100" in result.stdout:
            assert f"“{src.quote}”" in result.stdout
            break
    else:
        pytest.fail("no outlet with its credibility in:\n" + result.stdout)
    assert "checked 2026-11-21" in result.stdout


@pytest.mark.parametrize("statement", [
    "Only 1,000 US troops are left in Iraq",
    "All US forces will be out of Iraq by September 2026",
    "Syria is a dangerous place",
    "Bitcoin will hit 100k by the end of 2026",
])
def test_check_json_follows_the_contract(cli: Callable[..., Result], statement: str) -> None:
    result = cli("check", "--json", *TODAY, statement)
    assert result.exit_code == 0, result.output
    (out,) = json_lines(result)
    assert out["statement"] == statement
    assert_follows_the_contract(out)


def test_check_json_of_a_disputed_plan_carries_both_versions(cli: Callable[..., Result]) -> None:
    (out,) = json_lines(cli("check", "--json", *TODAY, "All US forces will be out of Iraq by September 2026"))
    assert out["verdict"] == "disputed"
    assert out["claim"]["id"] == "final-withdrawal-date"
    assert [v["agrees"] for v in out["versions"]] == [True, False]
    assert "has passed" in out["explanation"]


def test_check_json_of_an_off_topic_statement_has_a_null_claim(cli: Callable[..., Result]) -> None:
    (out,) = json_lines(cli("check", "--json", *TODAY, "Bitcoin will hit 100k by the end of 2026"))
    assert (out["verdict"], out["claim"], out["versions"], out["suggestions"]) == ("no_match", None, [], [])


def test_check_json_reads_one_statement_per_non_blank_line_from_stdin(cli: Callable[..., Result]) -> None:
    stdin = "ISIS was defeated in Iraq in 2017\n\n   \nOnly 1,000 US troops are left in Iraq\ngood morning everyone\n"
    result = cli("check", "--json", *TODAY, "-", input=stdin)
    assert result.exit_code == 0, result.output
    outs = json_lines(result)
    assert len(result.stdout.strip().splitlines()) == 3
    assert [(o["statement"], o["verdict"]) for o in outs] == [
        ("ISIS was defeated in Iraq in 2017", "supported"),
        ("Only 1,000 US troops are left in Iraq", "contradicted"),
        ("good morning everyone", "no_match"),
    ]
    for out in outs:
        assert_follows_the_contract(out)


def test_unquoted_words_are_joined_into_one_statement(cli: Callable[..., Result]) -> None:
    result = cli("check", "--json", *TODAY, "Only", "1,000", "US", "troops", "are", "left", "in", "Iraq")
    (out,) = json_lines(result)
    assert out["statement"] == "Only 1,000 US troops are left in Iraq"
    assert out["verdict"] == "contradicted"


def test_several_quoted_statements_are_checked_one_by_one(cli: Callable[..., Result]) -> None:
    result = cli("check", "--json", *TODAY, "ISIS was defeated in Iraq in 2017", "good morning everyone")
    assert [o["verdict"] for o in json_lines(result)] == ["supported", "no_match"]


def test_an_empty_statement_exits_non_zero_with_a_clear_error(cli: Callable[..., Result]) -> None:
    result = cli("check", *TODAY, "")
    assert result.exit_code != 0
    assert "error: the statement is empty" in result.stderr
    assert result.stdout == ""


def test_a_5000_character_statement_exits_non_zero_with_a_clear_error(cli: Callable[..., Result]) -> None:
    result = cli("check", *TODAY, "troops " * 714 + "xx")
    assert result.exit_code != 0
    assert "5000 characters; the limit is 1000" in result.stderr


def test_a_bad_statement_in_json_mode_gives_an_error_line_and_a_non_zero_exit(cli: Callable[..., Result]) -> None:
    result = cli("check", "--json", *TODAY, "-", input="ISIS was defeated in Iraq in 2017\n" + "x" * 5000 + "\n")
    assert result.exit_code != 0
    good, bad = json_lines(result)
    assert good["verdict"] == "supported"
    assert bad["verdict"] is None and "limit is 1000" in bad["error"]


def test_no_statement_is_a_usage_error(cli: Callable[..., Result]) -> None:
    result = cli("check")
    assert result.exit_code == 2
    assert "give a statement to check" in result.stderr


def test_a_bad_today_is_refused(cli: Callable[..., Result]) -> None:
    result = cli("check", "--today", "21/11/2026", "ISIS was defeated in Iraq in 2017")
    assert result.exit_code == 2
    assert "'21/11/2026' is not a date; use YYYY-MM-DD" in result.stderr


def test_today_decides_whether_a_deadline_has_passed(cli: Callable[..., Result]) -> None:
    (early,) = json_lines(cli("check", "--json", "--today", "2025-01-01", "All US forces will be out of Iraq by "
                                                                         "September 2026"))
    assert "still ahead as of 2025-01-01" in early["explanation"]
    assert early["today"] == "2025-01-01"


def test_a_check_from_the_cli_is_logged_in_the_database(cli: Callable[..., Result], db_path: Path) -> None:
    cli("check", *TODAY, "ISIS was defeated in Iraq in 2017")
    store = Store(db_path)
    try:
        rows = store.checks.between(None)
    finally:
        store.close()
    assert [(r["statement"], r["claim_id"], r["verdict"], r["via"]) for r in rows] == [
        ("ISIS was defeated in Iraq in 2017", "isis-defeated-iraq-2017", "supported", "cli")]


# --- claims validate / import ---------------------------------------------------------------------


def test_validate_accepts_the_shipped_base(cli: Callable[..., Result], base_copy: Path,
                                           shipped_base: Base) -> None:
    result = cli("claims", "validate", str(base_copy))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {len(shipped_base.claims)} claims")


@pytest.mark.parametrize(("file", "old", "new", "fragment"), [
    (WITHDRAWAL, "    kind: plan\n    statement: The last", "    kind: plan: x\n    statement: The last",
     "YAML syntax error"),
    (WITHDRAWAL, SYRIA, SYRIA.replace("statement:", "statment:"), "statment: Extra inputs are not permitted"),
    (WITHDRAWAL, "quote: the last US personnel would leave by the end of 2026.",
     "quote: the last US personnel would leave by the end of 2027.", "quote not found in article"),
    (SOURCES, "    outlet: iswnews\n", "    outlet: iswnewz\n", "unknown outlet 'iswnewz'"),
])
def test_validate_names_the_file_and_line_of_a_problem(
    cli: Callable[..., Result], base_copy: Path, edit_file: EditFile, file: str, old: str, new: str, fragment: str
) -> None:
    line = edit_file(base_copy, file, old, new)
    result = cli("claims", "validate", str(base_copy))
    assert result.exit_code == 2
    assert any(ln.startswith(f"{file}:{line}: ") and fragment in ln for ln in result.stderr.splitlines()), \
        result.stderr
    assert "problem(s); nothing was loaded." in result.stderr


def test_importing_a_broken_base_leaves_the_working_base_intact(
    cli: Callable[..., Result], base_copy: Path, edit_file: EditFile, db_path: Path, tmp_path: Path
) -> None:
    edit_file(base_copy, WITHDRAWAL, SYRIA, SYRIA.replace("About 900", "Roughly 900"))
    imported = cli("claims", "import", str(base_copy))
    assert imported.exit_code == 0, imported.output

    broken = tmp_path / "broken"
    base_copy.rename(broken)
    edit_file(broken, WITHDRAWAL, "    kind: plan\n    statement: The last",
              "    kind: plan: x\n    statement: The last")
    edit_file(broken, WITHDRAWAL, SYRIA.replace("About 900", "Roughly 900"), SYRIA.replace("About 900", "Broken 900"))
    result = cli("claims", "import", str(broken))
    assert result.exit_code == 2
    assert "the working base was left as it was" in result.stderr

    store = Store(db_path)
    try:
        kept = store.load_base()
    finally:
        store.close()
    assert kept.claims["troops-in-syria"].statement.startswith("Roughly 900")
    (out,) = json_lines(cli("check", "--json", *TODAY, "About 900 US troops are in Syria"))
    assert out["claim"]["text"].startswith("Roughly 900")


def test_a_check_on_a_locked_database_still_prints_its_answer(
    cli: Callable[..., Result], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claims.store.database.BUSY_TIMEOUT_MS", 100)
    with write_lock_held(db_path):
        result = cli("check", "--json", *TODAY, "Only 1,000 US troops are left in Iraq")
    assert result.exit_code == 0, result.output
    (out,) = json_lines(result)
    assert out["verdict"] == "contradicted"
    store = Store(db_path)
    try:
        assert store.checks.between(None) == []
    finally:
        store.close()


# --- the shipped base -----------------------------------------------------------------------------


def test_the_shipped_base_is_found_at_the_checkout_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Run from a checkout (or an editable install of it); a wheel carries it inside the package,
    # which tests/test_install.py checks in a fresh virtualenv.
    monkeypatch.delenv("CROSSCHECK_BASE", raising=False)
    assert default_base_dir() == REPO
    assert (default_base_dir() / "sources.yaml").is_file()


def test_a_missing_shipped_base_is_called_missing_in_one_line(cli: Callable[..., Result], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = tmp_path / "nowhere"
    monkeypatch.setenv("CROSSCHECK_BASE", str(nowhere))
    result = cli("check", "ISIS was defeated in Iraq in 2015")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: the shipped claim base is missing sources.yaml, claims/base/entities.yaml, claims/base/topics "
        f"in {nowhere}: reinstall crosscheck, or set CROSSCHECK_BASE to a claim base directory."]


# --- health ---------------------------------------------------------------------------------------


@pytest.fixture
def health_cli(cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`cli`, with the user's data directory (where a bot on PostgreSQL keeps its heartbeat) in tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return cli


def beat(db: Path | str, seconds_ago: float) -> Path:
    """Write the heartbeat the running bot would have written `seconds_ago`."""
    at = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    path = heartbeat_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"at": at.isoformat(timespec="seconds"), "pid": 1, "user": "Crosscheck#0001",
                                "guilds": 1}), encoding="utf-8")
    return path


def test_health_is_ok_with_a_base_and_a_fresh_heartbeat(health_cli: Callable[..., Result], db_path: Path | str) -> None:
    beat(db_path, seconds_ago=20)
    result = health_cli("health")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: connected as Crosscheck#0001 (heartbeat 2")


def test_health_without_a_running_bot_is_unhealthy(health_cli: Callable[..., Result], db_path: Path | str) -> None:
    result = health_cli("health")
    assert result.exit_code == 1
    assert result.stderr == (f"unhealthy: no heartbeat at {heartbeat_path(db_path)}: the bot is not running, "
                             "or not connected to Discord yet\n")


def test_health_with_a_stale_heartbeat_is_unhealthy(health_cli: Callable[..., Result], db_path: Path | str) -> None:
    beat(db_path, seconds_ago=600)
    result = health_cli("health")
    assert result.exit_code == 1
    assert re.match(r"unhealthy: the bot's last heartbeat is 60\d s old \(more than 90 s\)", result.stderr)
    assert health_cli("health", "--max-age", "900").exit_code == 0


def test_health_without_a_database_is_unhealthy_and_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "gone.sqlite"
    result = CliRunner().invoke(main, ["health", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"unhealthy: no database at {missing}\n"
    assert not missing.exists()


def test_health_of_a_database_without_a_base_is_unhealthy(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    Store(empty).close()
    beat(empty, seconds_ago=1)
    result = CliRunner().invoke(main, ["health", "--db", str(empty)])
    assert result.exit_code == 1
    assert result.stderr == f"unhealthy: the database {empty} holds no claim base\n"

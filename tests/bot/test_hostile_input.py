"""Hostile input at the edges: an import folder that reaches outside itself or explodes, an export
that would write outside its folder, odd bytes in a statement, and `--db` given anywhere."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from claims.store import DEFAULT, Store

EditFile = Callable[[Path, str, str, str], int]
ARTICLE_PATH = "path: claims/base/articles/003_0d325b8582dc79ca.txt"
TOPIC = "claims/base/topics/withdrawal.yaml"


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    for name in ("CROSSCHECK_BASE", "CROSSCHECK_TODAY", "CROSSCHECK_WORKSPACE", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CROSSCHECK_DB", str(db_path))
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(main, list(args), input=input, catch_exceptions=False)


def _state(db_path: Path) -> tuple[int, int, int]:
    """What an import could have changed: the change feed, the default workspace's rows, the audit log."""
    store = Store(db_path)
    try:
        return (store.feed.latest(), len(store.objects.own(DEFAULT)),
                store.db.scalar("SELECT count(*) FROM audit"))
    finally:
        store.close()


def _refused(cli: Callable[..., Result], db_path: Path, folder: Path, reason: str) -> None:
    before = _state(db_path)
    result = cli("claims", "import", str(folder))
    assert result.exit_code == 2, result.output
    assert reason in result.stderr, result.stderr
    assert "the working base was left as it was" in result.stderr
    assert _state(db_path) == before


def test_an_article_path_that_is_absolute_is_refused(cli, db_path: Path, base_copy: Path, edit_file: EditFile) -> None:
    edit_file(base_copy, "sources.yaml", ARTICLE_PATH, "path: /etc/hostname")
    _refused(cli, db_path, base_copy, "must be relative to the base's folder")


def test_an_article_path_that_climbs_out_is_refused(cli, db_path: Path, base_copy: Path, edit_file: EditFile) -> None:
    edit_file(base_copy, "sources.yaml", ARTICLE_PATH, "path: claims/../../../etc/hostname")
    _refused(cli, db_path, base_copy, "no ..")


def test_an_article_text_that_is_a_symbolic_link_is_refused(cli, db_path: Path, base_copy: Path,
                                                           tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the database " * 20, encoding="utf-8")
    text = base_copy / "claims/base/articles/003_0d325b8582dc79ca.txt"
    text.unlink()
    text.symlink_to(outside)
    _refused(cli, db_path, base_copy, "symbolic link")


def test_a_topic_folder_that_is_a_symbolic_link_is_refused(cli, db_path: Path, base_copy: Path,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (base_copy / "claims/base/topics").rename(elsewhere)
    (base_copy / "claims/base/topics").symlink_to(elsewhere)
    _refused(cli, db_path, base_copy, "symbolic link")


def test_a_yaml_alias_bomb_is_refused_quickly(cli, db_path: Path, base_copy: Path) -> None:
    levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
               f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    (base_copy / "claims/base/topics/bomb.yaml").write_text("\n".join(levels) + "\nclaims: []\n", encoding="utf-8")
    assert (base_copy / "claims/base/topics/bomb.yaml").stat().st_size < 600
    _refused(cli, db_path, base_copy, "expands to too many values")


def test_a_yaml_anchor_that_refers_to_itself_is_refused(cli, db_path: Path, base_copy: Path) -> None:
    (base_copy / "claims/base/topics/loop.yaml").write_text("claims: &loop [*loop]\n", encoding="utf-8")
    _refused(cli, db_path, base_copy, "refers to itself")


def test_a_huge_yaml_file_is_refused_without_reading_it(cli, db_path: Path, base_copy: Path) -> None:
    huge = base_copy / "claims/base/topics/huge.yaml"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write("claims:\n")
        line = "  - {id: x, kind: fact, statement: " + "y" * 200 + "}\n"
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    assert huge.stat().st_size > 49 * 1024 * 1024
    _refused(cli, db_path, base_copy, "the limit is 16,777,216")


def test_a_yaml_nested_beyond_reason_is_refused(cli, db_path: Path, base_copy: Path) -> None:
    (base_copy / "claims/base/topics/deep.yaml").write_text("claims: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                                            encoding="utf-8")
    _refused(cli, db_path, base_copy, "nested too deeply")


def test_an_export_never_writes_through_a_symbolic_link(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "victim"
    target.mkdir()
    (out / "claims").symlink_to(target)
    result = cli("claims", "export", str(out))
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert list(target.iterdir()) == []


# --- statements -----------------------------------------------------------------------------------


@pytest.mark.parametrize("statement", ["ISIS was defeated\x00 in Iraq in 2017",
                                       "ISIS was defeated \udcff in Iraq in 2017"])
def test_a_nul_or_a_lone_surrogate_in_a_statement_is_answered(cli, statement: str) -> None:
    result = cli("check", "--json", "--today", "2026-11-21", statement)
    assert result.exit_code == 0, result.output
    (out,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert out["verdict"] == "supported"
    assert "\x00" not in out["statement"]


def test_a_statement_of_only_control_characters_is_refused_with_a_reason(cli) -> None:
    result = cli("check", "\x00\x01\x02")
    assert result.exit_code == 2
    assert "the statement is empty" in result.stderr


# --- --db wherever it is given ---------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_honoured_before_or_after_the_command(cli, tmp_path: Path, where: str) -> None:
    other = tmp_path / "elsewhere" / "other.sqlite"
    args = ["check", "ISIS was defeated in Iraq in 2017"]
    result = cli("--db", str(other), *args) if where == "before" else cli(*args[:1], "--db", str(other), *args[1:])
    assert result.exit_code == 0, result.output
    store = Store(other)
    try:
        assert [r["statement"] for r in store.checks.between(None)] == ["ISIS was defeated in Iraq in 2017"]
    finally:
        store.close()
    assert oct(os.stat(other).st_mode & 0o777) == "0o600"


def test_import_honours_db_given_before_the_command(cli, tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    result = cli("--db", str(other), "claims", "import")
    assert result.exit_code == 0, result.output
    assert str(other) in result.stdout

"""Export and import: the working base round-trips through the shipped YAML layout byte for byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from claims.curate import Curator
from claims.export import export_base
from claims.load import load_base
from claims.service import Crosscheck


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_import_export_is_byte_identical(service: Crosscheck, tmp_path: Path) -> None:
    Curator(service).add_alias("mod:alice", "troops-in-syria", "GIs garrisoned in Syria: how many?")
    first = tmp_path / "first"
    export_base(service.store.load_base(), first)
    service.store.import_base("default", load_base(first), actor="test")
    second = tmp_path / "second"
    export_base(service.store.load_base(), second)
    assert tree(first) == tree(second)
    assert "GIs garrisoned in Syria: how many?" in (first / "claims/base/topics/withdrawal.yaml").read_text()


def test_an_export_is_a_valid_base_with_every_claim_and_the_article_texts(service: Crosscheck,
                                                                         tmp_path: Path) -> None:
    export_base(service.store.load_base(), tmp_path / "out")
    exported = load_base(tmp_path / "out")
    assert exported.claims.keys() == service.engine.base.claims.keys()
    for article in exported.articles.values():
        original = Path(__file__).resolve().parents[2] / article.path
        assert filecmp.cmp(tmp_path / "out" / article.path, original, shallow=False)


def test_the_cli_round_trip_is_byte_identical(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"CROSSCHECK_DB": str(db_path)}
    assert runner.invoke(main, ["claims", "export", str(tmp_path / "a")], env=env).exit_code == 0
    result = runner.invoke(main, ["claims", "import", str(tmp_path / "a")], env=env)
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["claims", "export", str(tmp_path / "b")], env=env).exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_importing_a_broken_export_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"CROSSCHECK_DB": str(db_path)}
    runner.invoke(main, ["claims", "export", str(tmp_path / "a")], env=env)
    topics = tmp_path / "a/claims/base/topics/withdrawal.yaml"
    topics.write_text(topics.read_text().replace("kind: quantity", "kind: rumour", 1))
    result = runner.invoke(main, ["claims", "import", str(tmp_path / "a")], env=env)
    assert result.exit_code != 0
    assert "withdrawal.yaml:" in result.output and "kind" in result.output
    assert "left as it was" in result.output

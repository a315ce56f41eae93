"""`crosscheck articles add|drafts|skipped|accept|reject` and `crosscheck bench ingest`, run through
click's CliRunner on a private database."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from claims.store import Store

Cli = Callable[..., Result]
EXIT_REFUSED = 2
REPORT = """The last US personnel would leave Iraq by the end of 2026, officials said.
About 3,100 U.S. troops are stationed in Iraq, according to the Pentagon.
Leave a comment
"""


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("CROSSCHECK_BASE", "XDG_DATA_HOME", "CROSSCHECK_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CROSSCHECK_DB", str(db_path))
    monkeypatch.setenv("CROSSCHECK_TODAY", "2026-11-21")
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


def draft_ids(output: str) -> dict[str, int]:
    """The drafts a listing shows: what each does -> its number."""
    return {m[2]: int(m[1]) for m in re.finditer(r"#(\d+)  (add as a source|new version|new claim|new entity)",
                                                  output)}


def test_a_report_is_added_reviewed_and_its_drafts_accepted_and_rejected(cli: Cli, tmp_path: Path,
                                                                         db_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    added = cli("articles", "add", str(report), "--outlet", "eu-today", "--published", "2025-03-10")
    assert added.exit_code == 0, added.output
    assert "drafted 1 source, 1 new version; 1 sentences skipped" in added.output
    assert "add as a source → final-withdrawal-date/end-2026" in added.output
    assert "why: conflicts with number *~2500* of *about-2500*: the article says *3100*" in added.output
    assert "quote: “About 3,100 U.S. troops are stationed in Iraq, according to the Pentagon.”" in added.output
    assert "count: ~3100 · places: iraq · speaker: us · said by: Pentagon" in added.output
    # The review queue shows them, grouped by article.
    listed = cli("review", "list")
    assert "drafts from articles" in listed.output and "article eu-today-2025-03-10-" in listed.output
    ids = draft_ids(cli("articles", "drafts").output)
    assert set(ids) == {"add as a source", "new version"}

    rejected = cli("articles", "reject", str(ids["add as a source"]), "--reason", "anonymous officials")
    assert rejected.exit_code == 0 and f"rejected draft #{ids['add as a source']}" in rejected.output
    accepted = cli("articles", "accept", str(ids["new version"]), "--said-by", "the Pentagon", "--speaker", "us")
    assert accepted.exit_code == 0, accepted.output
    assert "added version" in accepted.output and "to troops-in-iraq" in accepted.output
    assert cli("articles", "drafts").output.strip() == "no drafts waiting"
    checked = json.loads(cli("check", "--json", "About 3,100 US troops are in Iraq").output)
    assert checked["verdict"] == "disputed"

    skipped = cli("articles", "skipped", re.search(r"article (\S+?)[:;]", added.output)[1])
    assert "[page furniture (sharing, comments, navigation), not the report] Leave a comment" in skipped.output
    again = cli("articles", "add", str(report), "--outlet", "eu-today", "--published", "2025-03-10")
    # The accepted version now cites it (skipped as already cited); the rejected draft is not drafted again.
    assert "was already added; drafted nothing new (1 drafted before); 2 sentences skipped" in again.output
    store = Store(db_path)
    try:
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit ORDER BY id")]
    finally:
        store.close()
    assert actions == ["article.add", "draft.reject", "claim.version.add"]


@pytest.mark.parametrize(("content", "said"), [
    (b"", "the article is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "is a binary file"),
    ("Le retrait des troupes américaines d'Irak sera terminé fin 2026, selon le ministère de la défense "
     "à Bagdad.".encode(), "not written in English"),
    (b"caf\xe9 " * 40, "is not UTF-8 text"),
    (b"The troops left Iraq on Monday. " * 160_000, "an article's text is at most 500,000 characters"),  # 5 MB
    (b"<!DOCTYPE html><html><body>" + b"<p>The troops left Iraq on Monday.</p>" * 20 + b"</body></html>",
     "this is an HTML page"),
])
def test_bad_files_are_refused_and_nothing_is_written(cli: Cli, tmp_path: Path, db_path: Path, content: bytes,
                                                      said: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = cli("articles", "add", str(path), "--outlet", "eu-today", "--published", "2025-03-10")
    assert result.exit_code == EXIT_REFUSED
    assert "refused, nothing was changed:" in result.output and said in result.output
    store = Store(db_path)
    try:
        assert store.db.scalar("SELECT count(*) FROM drafts") == 0
        assert store.db.scalar("SELECT count(*) FROM audit") == 0
    finally:
        store.close()


def test_the_ingest_benchmark_prints_every_article_and_the_overall_figures(cli: Cli) -> None:
    result = cli("bench", "ingest", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert len(report["articles"]) == 5
    overall = report["overall"]
    assert overall["links"] > 100 and 0 < overall["recall"] <= 1 and 0 < overall["precision"] <= 1
    assert overall["seconds_max"] < 2.0

"""The moderators' terminal commands reach the whole data model, and ask before a change that
may break answers: `claims`, `claims version|source|topic`, `entities`, `vocabulary`, `sources`,
`review`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from bot.cli import main
from claims.store import Store

Cli = Callable[..., Result]
SYRIA = "troops-in-syria"
ARTICLE = "003_0d325b8582dc79ca"
SHORT_QUOTE = "an additional 900 in neighbouring Syria"
EXIT_REFUSED, EXIT_CONFLICT, EXIT_DECLINED = 2, 4, 5


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `crosscheck ARGS` on a private database; `input` answers prompts."""
    for name in ("CROSSCHECK_BASE", "CROSSCHECK_TODAY", "XDG_DATA_HOME", "CROSSCHECK_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CROSSCHECK_DB", str(db_path))
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


def audit(db_path: Path) -> list[dict]:
    store = Store(db_path)
    try:
        return store.db.query("SELECT * FROM audit ORDER BY id")
    finally:
        store.close()


def shown(cli: Cli, claim_id: str) -> dict:
    result = cli("claims", "show", claim_id)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)


# --- claims and versions with every value ----------------------------------------------------------


def test_a_claim_is_added_with_every_value_of_its_first_version(cli: Cli) -> None:
    result = cli("claims", "add", "--id", "syria-tally", "--statement", "About 900 US troops are based in Syria",
                 "--kind", "quantity", "--unit", "troops", "--topic", "syria", "--article", ARTICLE,
                 "--quote", SHORT_QUOTE, "--version-id", "tally-900", "--count", "~900", "--as-of", "2026-11-20",
                 "--date", "2026-11", "--scope", "some", "--places", "Syria", "--actors", "us",
                 "--speaker", "Reuters", "--said-by", "Reuters", "--alias", "Nine hundred GIs are based in Syria",
                 "--yes")
    assert result.exit_code == 0, result.output
    assert re.match(r"#1 added claim syria-tally, revision 1\n  applied despite the warning: the alias 'Nine hundred "
                    rf"GIs are based in Syria' already matches claim '{SYRIA}' better \(score \d+; 'syria-tally' "
                    r"scores 0\)", result.stdout), result.stdout
    claim = shown(cli, "syria-tally")
    assert (claim["unit"], claim["topic"], claim["aliases"]) == ("troops", "syria", ["Nine hundred GIs are based "
                                                                                      "in Syria"])
    [version] = claim["versions"]
    assert version["id"] == "tally-900"
    assert version["values"] == {"date": "2026-11", "as_of": "2026-11-20", "count": "~900", "places": ["syria"],
                                 "actors": ["us"], "speaker": "reuters", "scope": "some"}
    assert version["sources"] == [{"article": ARTICLE, "quote": SHORT_QUOTE, "said_by": "Reuters"}]


def test_a_bad_value_is_refused_with_the_reason_and_nothing_is_written(cli: Cli, db_path: Path) -> None:
    result = cli("claims", "add", "--id", "syria-tally", "--statement", "About 900 US troops are based in Syria",
                 "--kind", "event", "--article", ARTICLE, "--quote", SHORT_QUOTE, "--as-of", "2026-02-30",
                 "--places", "Atlantis")
    assert result.exit_code == EXIT_REFUSED
    assert "refused, nothing was changed:" in result.stderr
    assert "'Atlantis' is not an entity here (by id or name); add it first" in result.stderr
    assert audit(db_path) == []


def test_versions_are_added_edited_and_removed(cli: Cli) -> None:
    added = cli("claims", "version", "add", SYRIA, "--id", "reuters-900", "--text", "Reuters: some 900 in Syria",
                "--article", ARTICLE, "--quote", SHORT_QUOTE, "--count", "900", "--as-of", "2026-11-01")
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == f"#1 added version reuters-900 to {SYRIA}, revision 2"

    edited = cli("claims", "version", "edit", SYRIA, "reuters-900", "--revision", "2", "--as-of", "",
                 "--places", "syria", "--holds", "yes", "--text", "Reuters counts some 900 US troops in Syria")
    assert edited.exit_code == 0, edited.output
    version = shown(cli, SYRIA)["versions"][1]
    assert version["text"] == "Reuters counts some 900 US troops in Syria"
    assert version["values"] == {"count": "900", "places": ["syria"]}

    stale = cli("claims", "version", "edit", SYRIA, "reuters-900", "--revision", "2", "--count", "901")
    assert stale.exit_code == EXIT_CONFLICT and "changed by someone else" in stale.stderr

    removed = cli("claims", "version", "remove", SYRIA, "reuters-900", "--reason", "duplicate")
    assert removed.exit_code == 0 and removed.stdout.startswith(f"#3 removed version {SYRIA}/reuters-900")
    last = cli("claims", "version", "remove", SYRIA, "about-900")
    assert last.exit_code == EXIT_REFUSED and "a claim needs a sourced version" in last.stderr


def test_a_source_is_added_to_an_existing_version_and_removed(cli: Cli) -> None:
    other = "001_a545990919b4ebe4"
    quote = "The US military presence in northeastern Syria may not be able to continue"
    added = cli("claims", "source", "add", SYRIA, "about-900", "--article", other, "--quote", quote,
                "--said-by", "a U.S. official")
    assert added.exit_code == 0, added.output
    assert [s["article"] for s in shown(cli, SYRIA)["versions"][0]["sources"]] == [ARTICLE, other]
    removed = cli("claims", "source", "remove", SYRIA, "about-900", ARTICLE)
    assert removed.exit_code == 0, removed.output
    assert [s["article"] for s in shown(cli, SYRIA)["versions"][0]["sources"]] == [other]
    last = cli("claims", "source", "remove", SYRIA, "about-900", other)
    assert last.exit_code == EXIT_REFUSED and "a version needs one" in last.stderr


def test_a_claim_is_edited_without_a_revision_and_gets_a_unit(cli: Cli) -> None:
    result = cli("claims", "edit", "troops-in-iraq", "--unit", "soldiers", "--topic", "iraq-troops")
    assert result.exit_code == 0, result.output
    claim = shown(cli, "troops-in-iraq")
    assert (claim["unit"], claim["topic"]) == ("soldiers", "iraq-troops")


# --- warnings: asked, declined, confirmed ----------------------------------------------------------


def test_a_warned_change_is_asked_about_and_declining_writes_nothing(cli: Cli, db_path: Path) -> None:
    args = ("claims", "version", "add", SYRIA, "--id", "vague", "--text", "US troops are in Syria",
            "--article", ARTICLE, "--quote", SHORT_QUOTE)
    declined = cli(*args, input="n\n")
    assert declined.exit_code == EXIT_DECLINED
    assert "warning: this change may break answers:" in declined.stderr
    assert f"version 'vague' of '{SYRIA}' gives no number, though the claim counts troops" in declined.stderr
    assert "Apply it anyway? [y/N]" in declined.stderr
    assert "not applied; nothing was changed (pass --yes to apply it anyway)" in declined.stderr
    assert audit(db_path) == []
    no_answer = cli(*args)  # end of input: no
    assert no_answer.exit_code == EXIT_DECLINED and audit(db_path) == []

    confirmed = cli(*args, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout.startswith(f"#1 added version vague to {SYRIA}, revision 2\n  applied despite the "
                                       "warning: version 'vague'")
    [entry] = audit(db_path)
    assert entry["reason"] == "confirmed warnings: no-number"


def test_yes_applies_a_warned_alias_and_prints_the_warnings(cli: Cli) -> None:
    result = cli("claims", "alias", "add", SYRIA, "The US has not kept any troops in Syria", "--yes")
    assert result.exit_code == 0, result.output
    assert "applied despite the warning: the alias 'The US has not kept any troops in Syria' denies what" \
        in result.stdout
    assert "The US has not kept any troops in Syria" in shown(cli, SYRIA)["aliases"]


def test_linking_a_queued_question_asks_before_a_warned_link(cli: Cli) -> None:
    question = "Washington's GIs are not garrisoned next door in Syria"
    assert cli("check", question).exit_code == 0
    listing = cli("review", "list")
    key = listing.stdout.split()[0].lstrip("#")
    declined = cli("review", "link", key, SYRIA, input="n\n")
    assert declined.exit_code == EXIT_DECLINED
    assert f"the queued question {question!r} denies what '{SYRIA}' affirms" in declined.stderr
    assert question not in shown(cli, SYRIA)["aliases"]
    linked = cli("review", "link", key, SYRIA, "--yes")
    assert linked.exit_code == 0 and question in shown(cli, SYRIA)["aliases"]


# --- list, search, topics ---------------------------------------------------------------------------


def test_claims_are_listed_with_filters_and_searched_with_scores(cli: Cli) -> None:
    listed = cli("claims", "list", "--topic", "withdrawal", "--kind", "quantity")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert any(line.startswith(f"{SYRIA} ") for line in lines)
    assert all(" quantity " in line and " withdrawal " in line for line in lines)
    assert cli("claims", "list", "--status", "retired").stdout == "no claims match those filters\n"

    found = cli("claims", "search", "how many american soldiers are in syria").stdout.splitlines()
    assert found[0].split()[:3] == ["100.0", "match", SYRIA]
    assert cli("claims", "search", "zzzz-nothing").stdout == "nothing found\n"


def test_a_topic_is_retired_and_restored_at_once_and_undone_as_one(cli: Cli, db_path: Path) -> None:
    assert cli("claims", "topic", "list").stdout.splitlines() == [
        "background                  41 active     0 retired", "withdrawal                  33 active     0 retired"]
    retired = cli("claims", "topic", "retire", "background", "--reason", "the server covers the quake now")
    assert retired.exit_code == 0, retired.output
    assert retired.stdout.strip() == "#42 retired topic background: 41 claims"  # 41 claims' rows, then the batch
    assert "background                   0 active    41 retired" in cli("claims", "topic", "list").stdout
    answer = cli("check", "ISIS emerged in Syria and Iraq in 2014").stdout
    assert "No match" in answer.splitlines()[0] and "isis-emerged-2014" not in answer  # no longer matched

    history = cli("claims", "history", "background", "--of", "topic").stdout
    assert "topic.retire — the server covers the quake now\n    41 claims changed at once" in history
    undone = cli("claims", "undo", "42")
    assert undone.exit_code == 0 and undone.stdout.strip() == "#84 undid #42 (topic.retire background): 41 changes"
    assert "background                  41 active     0 retired" in cli("claims", "topic", "list").stdout
    assert len(audit(db_path)) == 84

    again = cli("claims", "topic", "restore", "background")
    assert again.exit_code == EXIT_REFUSED and "all 41 claims of topic 'background' are already active" in again.stderr


# --- entities ---------------------------------------------------------------------------------------


def test_entities_are_added_named_shown_and_removed_only_when_unused(cli: Cli) -> None:
    added = cli("entities", "add", "--id", "hasakah", "--kind", "place", "--name", "Hasakah", "--name", "Hassakeh",
                "--part-of", "northeastern-syria")
    assert added.exit_code == 0 and added.stdout.startswith("#1 added place hasakah: Hasakah, Hassakeh")
    assert cli("entities", "alias", "add", "hasakah", "Al-Hasakah").exit_code == 0
    assert cli("entities", "alias", "remove", "hasakah", "Hassakeh").exit_code == 0
    listed = cli("entities", "list", "--kind", "place").stdout
    assert "hasakah                      place    Hasakah, Al-Hasakah  (part of northeastern-syria)" in listed

    # A version uses it now: it cannot go, and the refusal says where.
    assert cli("claims", "version", "add", SYRIA, "--id", "hasakah-900", "--text", "Some 900 US troops near Hasakah",
               "--article", ARTICLE, "--quote", SHORT_QUOTE, "--count", "900", "--places", "Al-Hasakah").exit_code == 0
    show = cli("entities", "show", "hasakah").stdout
    assert f"used by: \n  claim {SYRIA} (version hasakah-900: place)" in show
    refused = cli("entities", "remove", "hasakah")
    assert refused.exit_code == EXIT_REFUSED
    assert f"entity 'hasakah' is still used by claim {SYRIA} (version hasakah-900: place)" in refused.stderr

    clash = cli("entities", "add", "--id", "hasakah-city", "--kind", "place", "--name", "Hasakah")
    assert clash.exit_code == EXIT_REFUSED and "'Hasakah' is already a name of entity 'hasakah'" in clash.stderr


# --- vocabulary -------------------------------------------------------------------------------------


def test_the_vocabulary_is_edited_from_the_terminal_and_changes_answers(cli: Cli, db_path: Path) -> None:
    slang = "US troops skedaddled from Iraq in 2011"
    assert "No match" in cli("check", "--today", "2026-11-21", slang).stdout
    added = cli("vocabulary", "add", "concept", "withdraw", "skedaddled", "bugged out")
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("#1 concept withdraw: reads skedaddled, bugged out as withdraw, revision 2")
    assert "Supported" in cli("check", "--today", "2026-11-21", slang).stdout
    assert "concept  withdraw         withdrawal, " in cli("vocabulary", "list", "--kind", "concept").stdout
    history = cli("vocabulary", "history", "concept", "withdraw").stdout
    assert history.startswith("#1 ") and "term.words.add" in history
    assert history.splitlines()[1] == "    added: skedaddled, bugged out"

    refused = cli("vocabulary", "add", "concept", "remain", "left")
    assert refused.exit_code == EXIT_REFUSED
    assert "'left' already belongs to concept 'withdraw'" in refused.stderr

    assert cli("claims", "undo", "1").exit_code == 0
    assert "No match" in cli("check", "--today", "2026-11-21", slang).stdout
    assert [row["target_id"] for row in audit(db_path)] == ["concept:withdraw", "concept:withdraw"]


# --- sources ----------------------------------------------------------------------------------------


def test_an_outlet_is_added_with_options_and_rated_later(cli: Cli) -> None:
    added = cli("sources", "add-outlet", "--id", "kiwi-news", "--name", "Kiwi News", "--url", "https://kiwi.test")
    assert added.exit_code == 0, added.output
    assert "  0/100  kiwi-news              Kiwi News" in cli("sources", "list").stdout
    rated = cli("sources", "rate", "kiwi-news", "authors", "yes", "--reason", "bylines on every story")
    assert rated.exit_code == 0 and rated.stdout.startswith("#2 re-rated kiwi-news: authors → yes (0 → 5)")
    usage = cli("sources", "add-outlet", "--id", "only-an-id")
    assert usage.exit_code == 2 and "give a YAML file, or --id and --name" in usage.output


def test_import_merge_says_truthfully_that_it_does_not_exist(cli: Cli) -> None:
    result = cli("claims", "import", "--merge")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --merge does not exist.")
    assert "export both, merge the YAML, and import" in result.stderr


# --- workspaces: empty, or from the shipped base --------------------------------------------------


def test_a_workspace_starts_empty_or_from_the_shipped_base_and_is_curated_apart(cli: Cli) -> None:
    empty = cli("workspace", "create", "quake", "--from", "empty")
    assert empty.exit_code == 0 and empty.stdout == "created workspace quake, empty\n"
    assert cli("-w", "quake", "claims", "list").stdout == "no claims yet\n"
    assert cli("-w", "quake", "entities", "list").stdout.startswith("no entities yet")
    assert cli("-w", "quake", "claims", "topic", "list").stdout.startswith("no topics yet")
    assert "0 claims, 0 outlets, 0 articles, 0 entities" in cli("workspace", "show", "quake").stdout

    fresh = cli("workspace", "create", "fresh", "--from", "shipped")
    assert fresh.exit_code == 0 and fresh.stdout == "created workspace fresh, inheriting shipped\n"
    assert len(cli("-w", "fresh", "claims", "list").stdout.splitlines()) == 74
    retired = cli("-w", "fresh", "claims", "topic", "retire", "background", "--reason", "not ours")
    assert retired.exit_code == 0, retired.output
    # Its edits are its own: `default` (and every server inheriting it) still sees the topic.
    assert "background                  41 active" in cli("claims", "topic", "list").stdout
    assert "background                   0 active    41 retired" in cli("-w", "fresh", "claims", "topic",
                                                                         "list").stdout
    shipped = cli("-w", "shipped", "claims", "alias", "add", SYRIA, "GIs in Syria number nine hundred")
    assert shipped.exit_code == EXIT_REFUSED and "the shipped base is read-only" in shipped.stderr


def test_an_entity_is_edited_and_its_history_listed(cli: Cli) -> None:
    edited = cli("entities", "edit", "reuters", "--kind", "group", "--part-of", "us")
    assert edited.exit_code == 0 and edited.stdout.startswith("#1 edited entity reuters, revision 2")
    assert "reuters                      group    Reuters  (part of us)" in cli("entities", "list").stdout
    cycle = cli("entities", "edit", "iraq", "--part-of", "northern-iraq")
    assert cycle.exit_code == EXIT_REFUSED and "would be part of itself" in cycle.stderr
    history = cli("claims", "history", "reuters", "--of", "entity").stdout
    assert "entity.edit" in history and 'kind: "org" → "group"' in history


def test_a_queued_question_becomes_a_claim_with_its_values(cli: Cli) -> None:
    question = "Are Washington's GIs garrisoned next door in Syria?"
    assert cli("check", question).exit_code == 0
    key = cli("review", "list").stdout.split()[0].lstrip("#")
    made = cli("review", "new", key, "--id", "gis-next-door", "--kind", "quantity", "--unit", "troops",
               "--statement", "About 900 US troops are garrisoned next door in Syria", "--article", ARTICLE,
               "--quote", SHORT_QUOTE, "--count", "~900", "--places", "Syria", "--topic", "syria")
    assert made.exit_code == 0, made.output
    claim = shown(cli, "gis-next-door")
    assert (claim["topic"], claim["unit"], claim["aliases"]) == ("syria", "troops", [question])
    assert claim["versions"][0]["values"] == {"count": "~900", "places": ["syria"]}
    assert cli("review", "list").stdout == "the review queue is empty\n"

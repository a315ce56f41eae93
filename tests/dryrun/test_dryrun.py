"""The newcomer's dry run (curate.sh): a base on a made-up ferry sinking, curated from an empty
workspace with the CLI alone, answers what members would ask about it.

The script runs as a moderator would run it (bash, one `crosscheck` process per command), on a
database that already holds the shipped base: the empty workspace must see none of it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from claims.store import Store
from tests.conftest import Databases

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "curate.sh"
# How many commands the dry run takes (see the README's "Curating a new topic").
COMMANDS = 20


def commands_in(script: Path) -> list[str]:
    """The commands a moderator types: each line starting with `$CC `, continuations joined."""
    text = script.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.startswith("$CC ")]


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeded_db: Path | str) -> Path | str:
    """A copy of the seeded database after the dry run."""
    db = databases.new(tmp_path_factory.mktemp("dryrun"), template=seeded_db)
    env = {**os.environ, "CROSSCHECK_DB": str(db), "CROSSCHECK": f"{sys.executable} -m bot.cli",
           "CROSSCHECK_TODAY": "2026-11-30"}
    env.pop("CROSSCHECK_WORKSPACE", None)
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False,
                          cwd=HERE.parents[1])
    assert done.returncode == 0, done.stderr
    assert not done.stderr  # no warning needed confirming: every version has its number
    return db


def ask(db: Path | str, *statements: str) -> dict[str, dict]:
    """What the bot answers in the ferry workspace, by statement."""
    env = {**os.environ, "CROSSCHECK_DB": str(db), "CROSSCHECK_WORKSPACE": "ferry", "CROSSCHECK_TODAY": "2026-11-30"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "check", "--json", "-"], input="\n".join(statements),
                          env=env, capture_output=True, text=True, check=True, cwd=HERE.parents[1])
    return {answer["statement"]: answer for answer in map(json.loads, done.stdout.splitlines())}


def test_the_dry_run_takes_this_many_commands() -> None:
    commands = commands_in(SCRIPT)
    assert len(commands) == COMMANDS
    assert commands[0].startswith("$CC workspace create ferry --from empty")


def test_the_workspace_holds_only_what_was_curated_and_every_change_is_audited(curated: Path) -> None:
    store = Store(curated)
    try:
        base = store.load_base("ferry")
        assert store.workspaces.chain("ferry") == ("ferry",)  # empty: it inherits nothing
        assert (len(base.claims), len(base.outlets), len(base.articles), len(base.entities)) == (4, 3, 3, 3)
        assert {c.topic for c in base.claims.values()} == {"osprey"}
        toll = base.claims["osprey-death-toll"]
        assert [(v.values.count, v.values.as_of, v.values.speaker) for v in toll.versions] == [
            ("12", "2026-11-24", "norland-coast-guard"), ("17", "2026-11-26", "norland-coast-guard")]
        assert base.claims["osprey-passengers"].versions[1].values.speaker == "bluewater-lines"  # an agency speaks
        changes = store.db.query("SELECT action FROM audit WHERE workspace_id = 'ferry'")
        assert len(changes) == COMMANDS - 1  # every command but `workspace create` is an audited change
    finally:
        store.close()


QUESTIONS = [
    ("The Osprey ferry sank off Kestrel Island", "osprey-capsized", "supported"),
    ("The MV Osprey capsized off Kestrel Island in October 2026", "osprey-capsized", "contradicted"),
    ("The Osprey sinking killed 300 people", "osprey-death-toll", "contradicted"),
    ("How many people died when the Osprey sank?", "osprey-death-toll", "supported"),
    ("The Osprey was carrying 120 passengers", "osprey-passengers", "contradicted"),
    ("There were about 60 passengers on the Osprey", "osprey-passengers", "supported"),
    ("Bluewater Lines suspended all its sailings", "bluewater-suspended-sailings", "supported"),
    ("Bluewater halted every crossing", "bluewater-suspended-sailings", "supported"),
    ("Bitcoin reached 100,000 dollars", None, "no_match"),
    ("US troops are leaving Iraq by September 2026", None, "no_match"),  # the shipped base is not seen here
]


@pytest.fixture(scope="module")
def answers(curated: Path) -> dict[str, dict]:
    return ask(curated, *(statement for statement, _, _ in QUESTIONS))


@pytest.mark.parametrize(("statement", "claim", "verdict"), QUESTIONS)
def test_members_questions_get_the_curated_answers(answers: dict[str, dict], statement: str, claim: str | None,
                                                  verdict: str) -> None:
    answer = answers[statement]
    assert (answer["claim"] or {}).get("id") == claim
    assert answer["verdict"] == verdict
    if verdict == "contradicted":
        assert re.search(r"\((?:number|date): ", answer["explanation"])

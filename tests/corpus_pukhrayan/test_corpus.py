"""Issue 12's proof on a real event: the Indore-Patna Express derailment (2016), seven reports that
disagree, curated from an empty workspace with the CLI alone (curate.sh), then the 40 statements
of cases.yaml scored the way /work/shared/eval/run_eval.py scores the dev set.

The replay runs one `crosscheck` process per command, like a moderator (about two minutes):
the tests that need it are marked slow (`pytest -m slow`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Databases

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "curate.sh"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))["cases"]
ARTICLES = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))["articles"]
# How many commands the run takes: 89 in the first pass, 8 more after checking members' questions
# (two of them the topic's own words: `vocabulary add`).
COMMANDS = 97
# What the run scores today (37 of 40), as the starter corpus did (91%) when issue 12 was filed.
# Still wrong: a misspelt and an abbreviated paraphrase score under the match bar, and a place put
# in the wrong state is "no claim about Bihar" instead of contradicted.
ACCEPTED = 37
STARTER = 0.91


def commands_in(script: Path) -> list[str]:
    """The commands a moderator types: each line starting with `$CC `, continuations joined."""
    text = script.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.startswith("$CC ")]


def test_the_run_takes_this_many_commands_from_an_empty_workspace() -> None:
    commands = commands_in(SCRIPT)
    assert len(commands) == COMMANDS
    assert commands[0].startswith("$CC workspace create pukhrayan --from empty")


def test_every_article_is_one_text_file_added_with_its_outlet_and_date() -> None:
    script = SCRIPT.read_text(encoding="utf-8").replace("\\\n", " ")
    assert sorted(p.name for p in (HERE / "articles").iterdir()) == sorted(a["file"] for a in ARTICLES)
    for article in ARTICLES:
        assert (HERE / "outlets" / f"{article['outlet']}.yaml").is_file()
        added = re.search(rf"add-article --id {article['id']} --outlet (\S+) --published (\S+) .*?"
                          rf"--text-file \"\$ARTICLES/{re.escape(article['file'])}\"", script)
        assert added, article["id"]
        assert (added[1], added[2]) == (article["outlet"], str(article["published"]))
    assert len({a["outlet"] for a in ARTICLES}) >= 5  # five outlets or more


def test_the_cases_are_forty_of_every_kind_with_a_convention_each() -> None:
    assert len(CASES) == 40
    kinds = {case["id"].split("-")[0] for case in CASES}
    assert kinds >= {"dis", "sup", "con", "par", "time", "none", "opp", "role", "qty", "cmp", "q", "hedge", "rel",
                     "intl"}
    text = (HERE / "cases.yaml").read_text(encoding="utf-8")
    for case in CASES:  # each case's comment, above it, says why
        assert re.search(rf"#[^\n]*\n- id: {re.escape(case['id'])}\n", text), case["id"]


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeded_db: Path | str) -> Path | str:
    """A copy of the seeded database after the run (the empty workspace must see none of the shipped base)."""
    db = databases.new(tmp_path_factory.mktemp("pukhrayan"), template=seeded_db)
    env = {**os.environ, "CROSSCHECK_DB": str(db), "CROSSCHECK": f"{sys.executable} -m bot.cli",
           "CROSSCHECK_TODAY": "2026-11-30"}
    env.pop("CROSSCHECK_WORKSPACE", None)
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False,
                          cwd=HERE.parents[1])
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def answers(curated: Path | str) -> list[dict]:
    """`crosscheck check --json -` on every case, in the workspace, as run_eval.py runs it."""
    env = {**os.environ, "CROSSCHECK_DB": str(curated), "CROSSCHECK_WORKSPACE": "pukhrayan",
           "CROSSCHECK_TODAY": "2026-11-30"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "check", "--json", "-"],
                          input="\n".join(case["statement"] for case in CASES) + "\n", env=env,
                          capture_output=True, text=True, check=True, cwd=HERE.parents[1])
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(replies) == len(CASES)
    return replies


def accepted(case: dict, reply: dict) -> bool:
    """run_eval.py's rule: an acceptable verdict, citing one of `cites`, and for disputed or
    contradicted, one of `mentions` in a version the statement does not agree with."""
    verdict = reply.get("verdict")
    if verdict not in case["ok"]:
        return False
    cited = {s["article"] for v in reply.get("versions") or [] for s in v.get("sources") or []}
    if case.get("cites") and verdict != "no_match" and not cited & set(case["cites"]):
        return False
    others = " ".join(str(v.get("text", "")) for v in reply.get("versions") or [] if not v.get("agrees")).lower()
    return not (case.get("mentions") and verdict in ("disputed", "contradicted")
                and not any(m.lower() in others for m in case["mentions"]))


@pytest.mark.slow
def test_no_statement_is_falsely_supported_and_the_score_holds(answers: list[dict]) -> None:
    false_supported = [c["id"] for c, r in zip(CASES, answers, strict=True)
                       if r["verdict"] == "supported" and "supported" not in c["ok"]]
    assert false_supported == []
    failing = [c["id"] for c, r in zip(CASES, answers, strict=True) if not accepted(c, r)]
    assert len(CASES) - len(failing) >= ACCEPTED, failing


@pytest.mark.slow
def test_the_score_reaches_the_starter_corpus(answers: list[dict]) -> None:
    score = sum(accepted(c, r) for c, r in zip(CASES, answers, strict=True)) / len(CASES)
    assert score >= STARTER

"""`crosscheck bench cluster`, tiny: real bot processes on one PostgreSQL database, through the fake
Discord, answer every check, see every edit (also after their connections are killed), post each
digest once, and never let a member past the cooldown (also across a process handover).

Correctness only: the benchmark's times are figures to read, never asserted. Slow (bot processes,
and digests wait for a whole minute while the rest runs): run with `pytest -m slow`. Skipped when
PostgreSQL is not installed, or cannot be started here.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cluster import EXIT_NO_POSTGRES

pytestmark = pytest.mark.slow

TINY = ["--servers", "4", "--members", "5", "--processes", "2", "--cooldown-processes", "2", "--loads", "20",
        "--edits", "3", "--sustain", "0", "--claims", "0", "--digests", "overlap"]


def postgres_available() -> bool:
    """A server is given (the suite runs under scripts/with_postgres.sh), or one can be started."""
    return bool(os.environ.get("CROSSCHECK_POSTGRES_SERVER") or shutil.which("initdb")
                or glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def test_a_tiny_cluster_answers_sees_edits_posts_digests_once_and_keeps_cooldowns(tmp_path: Path) -> None:
    if not postgres_available():
        pytest.skip("PostgreSQL is not installed here (scripts/with_postgres.sh installs it, as CI does)")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "bench", "cluster", *TINY, "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode == EXIT_NO_POSTGRES:
        pytest.skip(f"PostgreSQL could not be started here: {done.stderr.strip()[-500:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)

    for load in report["load"]:
        assert load["answered"] == load["acknowledged"] == load["interactions"] == 20, load
    edits = report["edits"]
    assert edits["before"]["seen"] == edits["before"]["checks"] == 6, edits
    assert edits["after_kill"]["connections_killed"] > 0, edits
    assert edits["after_kill"]["seen"] == edits["after_kill"]["checks"] == 6, edits
    digests = report["digests"]
    assert digests["servers_posted"] == digests["messages"] == digests["expected"] == 4, digests
    assert digests["posted_twice"] == 0 and not digests["missing"], digests
    cooldowns = report["cooldowns"]
    at_once, handover = cooldowns["at_once"], cooldowns["handover"]
    assert at_once["violations"] == handover["violations"] == 0, cooldowns
    assert at_once["allowed"] == at_once["members"] * cooldowns["rate"], cooldowns  # the limit, not fewer
    assert handover["answered_by_new"] > 0 and handover["unanswered"] == 0, cooldowns
    assert report["cold_start"] is None and report["throughput"] == []

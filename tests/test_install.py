"""`pip install .` (not editable) gives a working `crosscheck`: the shipped base travels in the wheel.

Slow (a fresh virtualenv, a wheel built and installed with its dependencies from the package
index pip is configured with): run with `pytest -m slow`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.load import Base
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_a_non_editable_install_answers_a_check_from_anywhere(tmp_path: Path, shipped_base: Base) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-warn-script-location", str(REPO)],
                   check=True, timeout=600, capture_output=True)
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing may be found relative to it
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CROSSCHECK_") and k not in ("PYTHONPATH", "DISCORD_TOKEN")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")

    def crosscheck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "crosscheck"), *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=120)

    checked = crosscheck("check", "--today", "2026-11-21", "ISIS was defeated in Iraq in 2015")
    assert checked.returncode == 0, checked.stderr
    assert "Contradicted" in checked.stdout, checked.stdout
    assert (tmp_path / "data" / "crosscheck" / "crosscheck.sqlite").is_file()

    validated = crosscheck("claims", "validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith(f"ok: {len(shipped_base.claims)} claims")

    # The base it read is the copy inside the installed package, not the checkout's.
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "from claims.load import default_base_dir; print(default_base_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    shipped = Path(where.stdout.strip())
    assert shipped.is_relative_to(venv) and shipped.name == "shipped"
    assert (shipped / "sources.yaml").read_bytes() == (REPO / "sources.yaml").read_bytes()

"""Shared fixtures: the shipped claim base (loaded once), one engine, copies of the base and database."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from claims.engine import Engine
from claims.load import Base, load_base
from claims.store import Store
from claims.text import Normaliser

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)

EditFile = Callable[[Path, str, str, str], int]


@pytest.fixture(scope="session")
def shipped_base() -> Base:
    """The shipped claim base, validated once per session. Treat it as read-only."""
    return load_base(REPO)


@pytest.fixture(scope="session")
def engine(shipped_base: Base) -> Engine:
    """One engine over the shipped base, judging deadlines as of 2026-11-21. Treat it as read-only."""
    return Engine(shipped_base, today=TODAY)


@pytest.fixture(scope="session")
def normaliser(engine: Engine) -> Normaliser:
    return engine.normaliser


@pytest.fixture(scope="session")
def entity_kinds(engine: Engine) -> dict[str, str]:
    """Entity id -> kind, as the engine hands it to `extract`."""
    return {eid: str(e.kind) for eid, e in engine.entities.entities.items()}


@pytest.fixture
def base_copy(tmp_path: Path) -> Path:
    """A fresh, valid copy of the shipped base (sources.yaml and claims/base/...) in tmp_path, free to break."""
    root = tmp_path / "base"
    root.mkdir()
    shutil.copy(REPO / "sources.yaml", root / "sources.yaml")
    shutil.copytree(REPO / "claims" / "base", root / "claims" / "base")
    return root


def _edit_file(root: Path, relative: str, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in root/relative with `new`; return the line `old` started on."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {relative} (found {text.count(old)})"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


@pytest.fixture
def edit_file() -> EditFile:
    """`edit_file(root, "sources.yaml", old, new)` edits a base copy and returns the edited line."""
    return _edit_file


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file that already holds the shipped base (imported once per session). Copy it, don't open it."""
    path = tmp_path_factory.mktemp("seeded") / "crosscheck.sqlite"
    store = Store(path)
    store.ensure_shipped(REPO)
    store.close()
    return path


@pytest.fixture
def db_path(seeded_db: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded database: opening it finds the shipped base without importing it again."""
    path = tmp_path / "db" / "crosscheck.sqlite"
    path.parent.mkdir()
    shutil.copy(seeded_db, path)
    return path

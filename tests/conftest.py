"""Shared fixtures: the shipped claim base (loaded once), one engine, copies of the base and database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from claims.engine import Engine
from claims.load import Base, load_base
from claims.store import Store, is_url
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


class Databases:
    """Where tests get databases: SQLite files in a temp folder, or, when $CROSSCHECK_TEST_POSTGRES
    names a PostgreSQL server (its maintenance database, e.g. postgresql://u@/postgres?host=/tmp/x),
    databases created on it for the test and dropped after. Either way a test gets a *target*:
    a file path or a postgresql:// address, which `Store` and `Crosscheck.open` both take."""

    def __init__(self, server: str | None, folder: Path):
        self.server = server
        self.folder = folder
        self._made: list[str] = []

    @property
    def postgres(self) -> bool:
        return self.server is not None

    def _admin(self):
        import psycopg

        return psycopg.connect(self.server, autocommit=True)

    def _url(self, name: str) -> str:
        assert self.server is not None
        base, _, query = self.server.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")

    def new(self, folder: Path, template: Path | str | None = None) -> Path | str:
        """An empty database (or a copy of `template`, which must not be open)."""
        if not self.postgres:
            path = folder / "crosscheck.sqlite"
            if template is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(template, path)
            return path  # a new one's folder is left to the store to create (it makes it owner-only)
        name = f"cc_{uuid.uuid4().hex[:16]}"
        with self._admin() as admin:
            source = f" TEMPLATE {str(template).partition('?')[0].rsplit('/', 1)[1]}" if template else ""
            admin.execute(f"CREATE DATABASE {name}{source}")
        self._made.append(name)
        return self._url(name)

    def drop_all(self) -> None:
        if not self.postgres or not self._made:
            return
        with self._admin() as admin:
            for name in self._made:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def write_lock_held(target: Path | str) -> Iterator[None]:
    """Another process holding the database's write lock (a long import, a stuck writer)."""
    if is_url(target):
        import psycopg

        from claims.store.database import WRITE_LOCK

        with psycopg.connect(str(target), autocommit=True) as other:
            other.execute("BEGIN")
            other.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            yield
            other.execute("ROLLBACK")
        return
    other = sqlite3.connect(target, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests of what only the SQLite file has (its file, its "
                                       "locks, databases of releases before PostgreSQL); skipped on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CROSSCHECK_TEST_POSTGRES"):
        skip = pytest.mark.skip(reason="SQLite only (this run uses PostgreSQL)")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Where this session's databases come from (see `Databases`)."""
    made = Databases(os.environ.get("CROSSCHECK_TEST_POSTGRES"), tmp_path_factory.mktemp("databases"))
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def seeded_db(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A database that already holds the shipped base (imported once per session). Copy it, don't open it."""
    target = databases.new(tmp_path_factory.mktemp("seeded"))
    store = Store(target)
    store.ensure_shipped(REPO)
    store.close()
    return target


@pytest.fixture
def db_path(databases: Databases, seeded_db: Path | str, tmp_path: Path) -> Path | str:
    """A private copy of the seeded database: opening it finds the shipped base without importing it
    again. A file path, or a postgresql:// address when the run uses PostgreSQL."""
    return databases.new(tmp_path / "db", template=seeded_db)


@pytest.fixture
def new_db(databases: Databases, tmp_path: Path) -> Path | str:
    """A database nobody opened yet (its first opening creates the schema)."""
    return databases.new(tmp_path / "new")

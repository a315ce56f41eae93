"""Fixtures for tests that change the working base: a service and a curator on a private database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synthetic import synthetic_base
from claims.curate import Curator
from claims.load import Base
from claims.service import Crosscheck
from claims.store import DEFAULT, Store
from tests.conftest import TODAY


@pytest.fixture
def service(db_path: Path) -> Iterator[Crosscheck]:
    """A running service on a private copy of the seeded database, judging as of 2026-11-21."""
    svc = Crosscheck.open(db_path, today=TODAY)
    yield svc
    svc.close()


@pytest.fixture
def curator(service: Crosscheck) -> Curator:
    return Curator(service)


@pytest.fixture
def imported(db_path: Path | str, shipped_base: Base) -> Path | str:
    """A database whose default workspace holds a base of its own (300 claims, with entities)."""
    store = Store(db_path)
    store.import_base(DEFAULT, synthetic_base(shipped_base, 300, seed=5))
    store.close()
    return db_path

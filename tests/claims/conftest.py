"""Fixtures for tests that change the working base: a service and a curator on a private database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.curate import Curator
from claims.service import Crosscheck
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

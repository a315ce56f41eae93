"""Under a burst, checks queue behind the acknowledgements (bot/cogs/check.py): a queued check
waits while more than ACK_BACKLOG interactions still wait for theirs, at most Discord's 3 s.

`crosscheck bench cluster` measures what this buys under real bursts; these tests only pin the
rule, with a clock of their own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

import bot.cogs.check as check_cog
from bot.cogs.check import ACK_BACKLOG, ACK_DEADLINE_SECONDS, Check


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    # The cog's own clock only: asyncio's clock must keep running.
    monkeypatch.setattr(check_cog, "time", SimpleNamespace(monotonic=moved))
    return moved


@pytest.fixture
def cog() -> Iterator[Check]:
    made = Check(SimpleNamespace())  # type: ignore[arg-type]  # the gate needs no bot
    yield made
    made._checks.shutdown(wait=False)
    made._db.shutdown(wait=False)


def interaction(number: int) -> SimpleNamespace:
    return SimpleNamespace(id=number)


async def test_a_queued_check_waits_until_few_interactions_wait_for_their_acknowledgement(
        cog: Check, clock: Clock) -> None:
    burst = [interaction(n) for n in range(ACK_BACKLOG + 3)]
    for each in burst:
        cog.arrived(each)  # type: ignore[arg-type]
    waiting = asyncio.create_task(cog._behind_acknowledgements())
    await asyncio.sleep(0.01)
    assert not waiting.done() and cog.unacknowledged() == ACK_BACKLOG + 3
    for each in burst[:2]:
        cog.acknowledged(each)  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    assert not waiting.done()  # one more than the backlog still waits
    cog.acknowledged(burst[2])  # type: ignore[arg-type]
    await asyncio.wait_for(waiting, 1.0)
    assert cog.unacknowledged() == ACK_BACKLOG


async def test_few_waiting_interactions_never_hold_a_check_back(cog: Check, clock: Clock) -> None:
    for n in range(ACK_BACKLOG):
        cog.arrived(interaction(n))  # type: ignore[arg-type]
    await asyncio.wait_for(cog._behind_acknowledgements(), 0.1)


async def test_interactions_never_said_acknowledged_are_forgotten_after_discords_deadline(
        cog: Check, clock: Clock) -> None:
    for n in range(ACK_BACKLOG + 5):
        cog.arrived(interaction(n))  # type: ignore[arg-type]  # e.g. failed before saying so
    assert cog.unacknowledged() == ACK_BACKLOG + 5
    clock.now += ACK_DEADLINE_SECONDS + 0.1
    assert cog.unacknowledged() == 0
    await asyncio.wait_for(cog._behind_acknowledgements(), 0.1)

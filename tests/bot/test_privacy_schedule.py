"""The bot's retention job: APScheduler runs it soon after start and every hour, off the event loop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from bot.privacy_schedule import JOB_ID, RetentionScheduler
from claims.service import Crosscheck
from claims.store import Store
from tests.conftest import TODAY


async def test_the_job_runs_soon_after_start_then_every_hour_and_stops_cleanly(db_path: Path) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    try:
        with time_machine.travel(datetime.now(UTC) - timedelta(days=91), tick=False):
            service.check("The US has around 2500 troops in Iraq", user_id="ann", guild_id="111", channel_id="c")
        service.check("The US has around 2500 troops in Iraq", user_id="bob", guild_id="111", channel_id="c")
    finally:
        service.close()
    scheduler = RetentionScheduler(db_path, first_run_after=timedelta(milliseconds=50))

    scheduler.start()
    try:
        job = scheduler.scheduler.get_job(JOB_ID)
        assert job is not None and str(job.trigger) == "cron[minute='17']"
        store = Store(db_path)
        try:
            for _ in range(200):
                if store.privacy.last_run() is not None:
                    break
                await asyncio.sleep(0.025)
            last = store.privacy.last_run()
            assert last is not None and last["checks"] == 1
            kept = store.db.query("SELECT user_id FROM checks WHERE statement IS NOT NULL")
            assert kept == [{"user_id": "bob"}]
        finally:
            store.close()
        upcoming = scheduler.next_run()
        assert upcoming is not None and upcoming.minute == 17
    finally:
        await scheduler.shutdown()
    assert not scheduler.running
    await scheduler.shutdown()  # twice is fine

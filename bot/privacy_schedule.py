"""Retention on a schedule: the bot applies every server's retention period every hour.

APScheduler 3's `AsyncIOScheduler` (as for digests) runs one job, `privacy:retention`, at
minute 17 of every hour and once a few minutes after the bot starts (a bot that was down
catches up then). The work runs in a worker thread on a database connection of its own, in
short batches (see `claims.store.privacy.PrivacyStore.expire`), so checks being logged meanwhile
wait for one batch at most. Runs never overlap (`max_instances=1`), and missed ones collapse
into one (`coalesce`); a run that finds nothing due reads only an index.

Operators who run cron instead (or as well) use `crosscheck privacy apply-retention`: runs are
idempotent, so two at once only share the work.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from claims.privacy import RetentionReport, apply_retention
from claims.store import Store

log = logging.getLogger(__name__)

JOB_ID = "privacy:retention"
# After a start, let the bot connect and answer first.
FIRST_RUN_AFTER = timedelta(minutes=3)


def retention_now(db_path: Path | str) -> RetentionReport:
    """Apply retention on a connection of its own (closed afterwards)."""
    store = Store(db_path)
    try:
        return apply_retention(store)
    finally:
        store.close()


class RetentionScheduler:
    """The hourly retention job, on APScheduler's AsyncIOScheduler in the bot's event loop."""

    def __init__(self, db_path: Path | str, *, first_run_after: timedelta = FIRST_RUN_AFTER):
        self.db_path = db_path
        self.first_run_after = first_run_after
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={
            "coalesce": True,  # several missed runs are one run
            "max_instances": 1,  # a long first run on a big table never overlaps the next
            "misfire_grace_time": 3600,
        })
        self._running: asyncio.Task[RetentionReport | None] | None = None

    @property
    def running(self) -> bool:
        return self.scheduler.running

    def start(self) -> None:
        """Start inside the running event loop, with the hourly job and a first run soon after."""
        self.scheduler.start()
        self.scheduler.add_job(self.run, CronTrigger(minute=17, timezone=UTC), id=JOB_ID,
                               name="apply every server's retention period", replace_existing=True,
                               next_run_time=datetime.now(UTC) + self.first_run_after)

    def next_run(self) -> datetime | None:
        job = self.scheduler.get_job(JOB_ID)
        return job.next_run_time if job is not None else None

    async def run(self) -> RetentionReport | None:
        """One retention run, off the event loop; a failure is logged and retried at the next hour."""
        self._running = asyncio.ensure_future(asyncio.to_thread(self._apply))
        # Shielded: a shutdown that cancels the job lets the batch in hand finish (`shutdown` waits).
        return await asyncio.shield(self._running)

    def _apply(self) -> RetentionReport | None:
        try:
            report = retention_now(self.db_path)
        except Exception:
            log.exception("applying retention failed; it is retried at the next run")
            return None
        (log.info if report.changed else log.debug)("%s", report.summary())
        return report

    async def shutdown(self, timeout: float = 10.0) -> None:
        """Stop the scheduler and let a run in progress finish its batch; safe to call twice."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        if self._running is not None and not self._running.done():
            await asyncio.wait({self._running}, timeout=timeout)

"""When digests are posted, and which period each one covers: the scheduling half of the digest.

No Discord here: `DigestRunner` decides what to post and records it, calling a `Sender` the
cog supplies; `DigestScheduler` wraps APScheduler 3's `AsyncIOScheduler`. Tests drive both
with a fake sender and a moved clock.

The rules it keeps:

- Fire times come from APScheduler's own `CronTrigger` in the schedule's time zone, so
  "09:00 Europe/London" stays 09:00 local across daylight-saving changes. A digest posted at
  fire time T covers [the fire time before T, T) — 23 or 25 hours on a change-over day.
- Schedules live in the database (`claims.store.digests`); jobs are rebuilt from it at start
  with stable ids (`digest:<guild>`) and `replace_existing`, so nothing is pickled.
- APScheduler only handles misfires while it runs. At start, `catch_up` looks at each
  schedule's last fire time: missed by at most `grace` (a short outage) it is posted once
  now; missed by more it is skipped, logged and recorded so later restarts stay quiet.
- A period is reserved in the database before sending (unique per server and period end),
  so no run, restart or race posts the same period twice.
- A digest with nothing to say, or nothing the last posted one did not already say, is
  recorded as skipped instead of posted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from claims.digest import Digest, build_digest
from claims.service import Crosscheck
from claims.store import Store
from claims.store.digests import POSTING, SKIPPED, DigestStore, Schedule

log = logging.getLogger(__name__)

# A digest missed by at most this much (the bot was down briefly) is posted when it comes back.
GRACE = timedelta(hours=1)
# How far back to look for the previous fire time: a week and a day covers weekly schedules
# and any daylight-saving shift.
LOOKBACK = timedelta(days=8)
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}

# The cog's way of posting: (schedule, digest) -> (public message id, moderators' message id).
Sender = Callable[[Schedule, Digest], Awaitable[tuple[str | None, str | None]]]


def job_id(guild_id: str) -> str:
    """The stable APScheduler job id of a server's digest."""
    return f"digest:{guild_id}"


def trigger_for(schedule: Schedule) -> CronTrigger:
    """The cron trigger of a schedule, in its own time zone."""
    return CronTrigger(hour=schedule.hour, minute=schedule.minute,
                       day_of_week=schedule.weekday if schedule.frequency == "weekly" else "*",
                       timezone=schedule.zone)


def fire_times(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end], in the schedule's zone, exactly as APScheduler computes them.

    Comparisons and steps are made in UTC: Python compares two datetimes of the same zone by
    wall-clock time, which is wrong in the hour a clock change repeats."""
    trigger = trigger_for(schedule)
    last = end.astimezone(UTC)
    out: list[datetime] = []
    moment = trigger.get_next_fire_time(None, start.astimezone(UTC))
    while moment is not None and moment.astimezone(UTC) <= last:
        out.append(moment)
        moment = trigger.get_next_fire_time(None, moment.astimezone(UTC) + timedelta(seconds=1))
    return out


def last_fire(schedule: Schedule, now: datetime) -> datetime | None:
    """The latest fire time at or before `now`."""
    now = now.astimezone(UTC)
    times = fire_times(schedule, now - LOOKBACK, now)
    return times[-1] if times else None


def previous_fire(schedule: Schedule, moment: datetime) -> datetime | None:
    """The latest fire time strictly before `moment`."""
    moment = moment.astimezone(UTC)
    times = [t for t in fire_times(schedule, moment - LOOKBACK, moment) if t.astimezone(UTC) < moment]
    return times[-1] if times else None


def next_fire(schedule: Schedule, now: datetime) -> datetime | None:
    """The next fire time after `now`."""
    return trigger_for(schedule).get_next_fire_time(None, now + timedelta(seconds=1))


def up_to_now() -> datetime:
    """The end of a period that covers everything logged so far.

    The log keeps whole seconds and periods end exclusively, so "now" is the next whole second:
    a question asked a moment ago is in, not left for the next digest."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)


def local(schedule: Schedule, moment: datetime) -> datetime:
    return moment.astimezone(schedule.zone)


def period_for(store: DigestStore, schedule: Schedule, end: datetime) -> tuple[datetime, datetime]:
    """The period a digest ending at `end` covers: since the previous fire time, or since the
    last digest handled for the server if that is later (after a `/digest now`)."""
    end = local(schedule, end)
    start = previous_fire(schedule, end) or end.astimezone(UTC) - PERIODS[schedule.frequency]
    last = store.last_record(schedule.guild_id)
    if last is not None and start < last.end < end:
        start = last.end
    return local(schedule, start), end


@dataclass(frozen=True)
class Outcome:
    """What a run did with one period: posted it, or skipped it and why."""

    guild_id: str
    action: str  # "posted" or "skipped"
    reason: str  # "scheduled", "now", "missed run", or why it was skipped
    start: datetime | None
    end: datetime
    digest: Digest | None = None
    message_id: str | None = None


class DigestRunner:
    """Decides, for one server and one period, whether to post, and records what it did."""

    def __init__(self, service: Crosscheck, sender: Sender, *, grace: timedelta = GRACE):
        self.service = service
        # A connection of its own: the runner writes from worker threads, while the check log
        # writes from others through the service's connection (one connection, one transaction).
        self._connection = Store(service.store.path)
        self.store = self._connection.digests
        self.sender = sender
        self.grace = grace
        self._inflight: set[asyncio.Task[Outcome]] = set()

    async def aclose(self, timeout: float = 5.0) -> None:
        """Let digests being sent finish being recorded, then close the runner's connection.

        A worker thread can still be inside a query after the coroutine that started it was
        cancelled (at shutdown); closing waits for it (the connection's lock), in a thread of its
        own so the event loop is not blocked meanwhile."""
        if self._inflight:
            await asyncio.wait(set(self._inflight), timeout=timeout)
        await asyncio.to_thread(self._connection.close)

    def period(self, schedule: Schedule, end: datetime) -> tuple[datetime, datetime]:
        """The period a digest ending at `end` covers (see `period_for`)."""
        return period_for(self.store, schedule, end)

    def preview(self, schedule: Schedule, now: datetime | None = None) -> Digest:
        """The next digest as it stands now: its period so far (nothing is recorded)."""
        start, end = self.period(schedule, now or up_to_now())
        return build_digest(self.service, start, end, schedule.guild_id)

    async def run(self, schedule: Schedule, end: datetime, *, reason: str = "scheduled") -> Outcome:
        """Handle the period ending at `end`: post it unless empty, unchanged or already handled.

        The same rules hold for a moderator's `/digest now`: nothing new is not posted."""
        end = local(schedule, end.replace(microsecond=0))
        guild = schedule.guild_id
        if await asyncio.to_thread(self.store.handled, guild, end):
            return Outcome(guild, "skipped", "already handled", None, end)
        start, end = self.period(schedule, end)
        digest = await asyncio.to_thread(build_digest, self.service, start, end, guild)
        fingerprint = digest.fingerprint()
        skip: str | None = None
        if digest.is_empty():
            skip = "nothing to report"
        else:
            last = await asyncio.to_thread(self.store.last_posted, guild)
            if last is not None and digest.unchanged_since(last.fingerprint):
                skip = "unchanged since the last digest"
        if skip:
            await asyncio.to_thread(self.store.reserve, guild, start, end, fingerprint, SKIPPED, skip)
            log.info("guild %s: digest for %s skipped (%s)", guild, digest.period_label(), skip)
            return Outcome(guild, "skipped", skip, start, end, digest)
        # Reserve before sending: if another run (or a restart) got here first, it owns the period.
        record = await asyncio.to_thread(self.store.reserve, guild, start, end, fingerprint, POSTING, reason)
        if record is None:
            return Outcome(guild, "skipped", "already handled", start, end, digest)
        # Shielded: a shutdown that cancels the job mid-send still lets the post be recorded
        # (`aclose` waits for it).
        task = asyncio.ensure_future(self._deliver(schedule, digest, record, reason))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        return await asyncio.shield(task)

    async def _deliver(self, schedule: Schedule, digest: Digest, record: int, reason: str) -> Outcome:
        guild = schedule.guild_id
        try:
            message_id, mod_message_id = await self.sender(schedule, digest)
        except Exception as exc:
            # Recorded as failed, not released: a send that may have half-worked is not retried blindly.
            log.exception("guild %s: could not post the digest for %s", guild, digest.period_label())
            await asyncio.to_thread(self.store.mark_failed, record, f"send failed: {exc}")
            return Outcome(guild, "skipped", f"send failed: {exc}", digest.start, digest.end, digest)
        await asyncio.to_thread(self.store.mark_posted, record, schedule.channel_id, message_id, mod_message_id)
        log.info("guild %s: posted the digest for %s", guild, digest.period_label())
        return Outcome(guild, "posted", reason, digest.start, digest.end, digest, message_id)

    async def run_due(self, guild_id: str) -> Outcome | None:
        """The job APScheduler runs at each fire time: the period that just ended."""
        schedule = await asyncio.to_thread(self.store.schedule, guild_id)
        if schedule is None or not schedule.enabled:
            return None
        fired = last_fire(schedule, datetime.now(UTC))
        if fired is None:
            return None
        return await self.run(schedule, fired)

    def missed(self, schedule: Schedule, now: datetime) -> tuple[datetime, bool] | None:
        """The last fire time before `now` if nobody handled it: (when, still within the grace time)."""
        fired = last_fire(schedule, now)
        if fired is None or fired > now:
            return None
        # A fire time from before the schedule existed (or was last changed) was never due.
        if schedule.updated_at and fired <= datetime.fromisoformat(schedule.updated_at):
            return None
        last = self.store.last_record(schedule.guild_id)
        if last is not None and last.end >= fired:
            return None  # handled, or covered by a later digest (a `/digest now`)
        return fired, now - fired <= self.grace

    async def catch_up(self, now: datetime | None = None) -> list[Outcome]:
        """At start: post each server's digest missed during a short outage; skip older ones (logged)."""
        now = now or datetime.now(UTC)
        outcomes = []
        for schedule in await asyncio.to_thread(self.store.schedules):
            found = await asyncio.to_thread(self.missed, schedule, now)
            if found is None:
                continue
            fired, recent = found
            earlier = await asyncio.to_thread(self._earlier_misses, schedule, fired)
            also = f" ({earlier} earlier one{'s' if earlier != 1 else ''} not posted either)" if earlier else ""
            if recent:
                log.info("guild %s: posting the digest due at %s, missed while the bot was down%s",
                         schedule.guild_id, local(schedule, fired).isoformat(), also)
                outcomes.append(await self.run(schedule, fired, reason="missed run"))
                continue
            late = now - fired
            log.warning("guild %s: skipping the digest due at %s: missed by %s while the bot was down "
                        "(more than the %s grace time)%s; the next one is posted as scheduled",
                        schedule.guild_id, local(schedule, fired).isoformat(), _duration(late),
                        _duration(self.grace), also)
            start, end = self.period(schedule, fired)
            await asyncio.to_thread(self.store.reserve, schedule.guild_id, start, end, "", SKIPPED,
                                    f"missed by {_duration(late)}")
            outcomes.append(Outcome(schedule.guild_id, "skipped", "missed long ago", start, end))
        return outcomes


    def _earlier_misses(self, schedule: Schedule, fired: datetime) -> int:
        """How many fire times before `fired` passed unhandled (a long outage); counted for the log only."""
        since = datetime.fromisoformat(schedule.updated_at) if schedule.updated_at else fired
        last = self.store.last_record(schedule.guild_id)
        if last is not None and last.end > since:
            since = last.end
        since = max(since, fired.astimezone(UTC) - timedelta(days=366))
        return len([t for t in fire_times(schedule, since + timedelta(seconds=1), fired) if t != fired])


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


class DigestScheduler:
    """APScheduler 3's AsyncIOScheduler with one cron job per enabled schedule in the database."""

    def __init__(self, runner: DigestRunner, *, grace: timedelta = GRACE,
                 owns: Callable[[str], bool] = lambda guild_id: True):
        self.runner = runner
        # With several bot processes, each schedules only the servers of its own shards; the
        # period reservation (claims.store.digests) still posts a digest once if two overlap.
        self.owns = owns
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={
            "coalesce": True,  # several missed fire times collapse into one run
            "max_instances": 1,  # a slow digest never overlaps the next one
            "misfire_grace_time": int(grace.total_seconds()),
        })

    @property
    def running(self) -> bool:
        return self.scheduler.running

    def start(self) -> None:
        """Start inside the running event loop and (re)build every job from the database."""
        self.scheduler.start()
        self.sync()

    def sync(self) -> None:
        """Make the jobs match the enabled schedules in the database (of the servers it owns)."""
        schedules = [s for s in self.runner.store.schedules() if self.owns(s.guild_id)]
        wanted = {job_id(s.guild_id) for s in schedules}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:") and job.id not in wanted:
                job.remove()
        for schedule in schedules:
            self.schedule(schedule)

    def schedule(self, schedule: Schedule) -> datetime | None:
        """Add or replace a server's job; returns its next fire time."""
        if not schedule.enabled:
            self.unschedule(schedule.guild_id)
            return None
        job = self.scheduler.add_job(
            self.runner.run_due, trigger_for(schedule), args=[schedule.guild_id], id=job_id(schedule.guild_id),
            name=f"digest for guild {schedule.guild_id}", replace_existing=True)
        return job.next_run_time if self.scheduler.running else next_fire(schedule, datetime.now(UTC))

    def unschedule(self, guild_id: str) -> None:
        """Remove a server's job, if there is one."""
        if self.scheduler.get_job(job_id(guild_id)) is not None:
            self.scheduler.remove_job(job_id(guild_id))

    def next_run(self, guild_id: str) -> datetime | None:
        job = self.scheduler.get_job(job_id(guild_id))
        return job.next_run_time if job is not None else None

    async def shutdown(self) -> None:
        """Stop the scheduler (running digests are cancelled); safe to call twice."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            # AsyncIOScheduler shuts down on the loop's next turn; let it, so `running` is False after.
            await asyncio.sleep(0)

"""When digests are posted: local fire times across daylight-saving changes, catching up after a
restart, never twice, and skipping periods with nothing new.

Time is moved with time-machine (`tick=False`: the clock stands still unless a test moves it);
nothing sleeps beyond a few milliseconds. One test drives APScheduler's AsyncIOScheduler itself.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.digest_schedule import DigestRunner, DigestScheduler, fire_times, job_id, last_fire, next_fire, period_for
from claims.digest import Digest
from claims.service import Crosscheck
from claims.store.digests import (
    POSTED,
    SKIPPED,
    DigestStore,
    Schedule,
    ScheduleError,
    make_schedule,
    parse_time,
    parse_timezone,
)

GUILD = "4242"
TODAY = date(2026, 11, 21)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(text: str) -> datetime:
    """'2026-10-25 09:00' as a UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Sender:
    """Stands in for the Discord cog: records what would be posted."""

    def __init__(self, fail: bool = False):
        self.posts: list[tuple[Schedule, Digest]] = []
        self.queue: asyncio.Queue[Digest] = asyncio.Queue()
        self.fail = fail

    async def __call__(self, schedule: Schedule, digest: Digest) -> tuple[str | None, str | None]:
        if self.fail:
            raise RuntimeError("403 Missing Permissions")
        self.posts.append((schedule, digest))
        self.queue.put_nowait(digest)
        return str(1000 + len(self.posts)), None

    @property
    def periods(self) -> list[tuple[datetime, datetime]]:
        return [(d.start.astimezone(UTC), d.end.astimezone(UTC)) for _, d in self.posts]


@pytest.fixture
def service(db_path: Path) -> Iterator[Crosscheck]:
    svc = Crosscheck.open(db_path, today=TODAY)
    yield svc
    svc.close()


MakeRunner = Callable[[Crosscheck, Sender], DigestRunner]


@pytest.fixture
def make_runner() -> Iterator[MakeRunner]:
    """`make_runner(service, sender)`: a DigestRunner (it has its own connection), closed after the test."""
    made: list[DigestRunner] = []

    def make(service: Crosscheck, sender: Sender) -> DigestRunner:
        made.append(DigestRunner(service, sender))
        return made[-1]

    yield make
    for runner in made:
        runner._connection.close()


def save(service: Crosscheck, when: datetime, **kwargs: str) -> Schedule:
    """Set up a schedule as a moderator would at `when`."""
    options = {"frequency": "daily", "time": "09:00", "timezone": "UTC", **kwargs}
    with time_machine.travel(when, tick=False):
        return service.store.digests.save_schedule(make_schedule(GUILD, "77", by="mod", **options))


def ask(service: Crosscheck, when: datetime, statement: str = "The US has around 2500 troops in Iraq",
        user: str = "u1") -> None:
    with time_machine.travel(when, tick=False):
        service.check(statement, user_id=user, guild_id=GUILD, via="discord")


def restart(db_path: Path, sender: Sender, make_runner: MakeRunner) -> tuple[Crosscheck, DigestRunner]:
    """A fresh process: a new service on the same database, a new runner."""
    svc = Crosscheck.open(db_path, today=TODAY)
    return svc, make_runner(svc, sender)


# --- fire times and periods --------------------------------------------------------------------


def test_daily_digest_fires_at_nine_london_time_across_the_october_change() -> None:
    schedule = make_schedule(GUILD, "77", "daily", "09:00", "Europe/London")
    times = fire_times(schedule, utc("2026-10-23 00:00"), utc("2026-10-27 00:00"))
    # British Summer Time ends on Sunday 25 October 2026: 09:00 local is 08:00 UTC before, 09:00 after.
    assert [t.astimezone(UTC) for t in times] == [
        utc("2026-10-23 08:00"), utc("2026-10-24 08:00"), utc("2026-10-25 09:00"), utc("2026-10-26 09:00")]
    assert all((t.hour, t.minute) == (9, 0) for t in times)
    # The day the clocks go back has 25 hours, and so has its digest.
    start, end = period_for(_empty_store(), schedule, utc("2026-10-25 09:00"))
    assert start.strftime("%d %H:%M %Z") == "24 09:00 BST" and end.strftime("%d %H:%M %Z") == "25 09:00 GMT"
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)
    # ...and the spring change a 23-hour one.
    start, end = period_for(_empty_store(), schedule, datetime(2027, 3, 28, 9, tzinfo=LONDON))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def test_weekly_digest_fires_sunday_morning_new_york_time_across_the_november_change() -> None:
    schedule = make_schedule(GUILD, "77", "weekly", "8:00", "America/New_York", weekday="sunday")
    times = fire_times(schedule, utc("2026-10-20 00:00"), utc("2026-11-10 00:00"))
    # Daylight time ends on Sunday 1 November 2026 in New York (EDT -4 → EST -5).
    assert [t.astimezone(UTC) for t in times] == [
        utc("2026-10-25 12:00"), utc("2026-11-01 13:00"), utc("2026-11-08 13:00")]
    assert all(t.astimezone(NEW_YORK).strftime("%a %H:%M") == "Sun 08:00" for t in times)
    assert last_fire(schedule, utc("2026-11-07 00:00")) == times[1]
    assert next_fire(schedule, utc("2026-11-01 13:00")) == times[2]


async def recorded(service: Crosscheck, posted: int) -> None:
    """Wait (a few ms) until the job has recorded `posted` posts: it finishes after sending."""
    store = service.store.digests
    for _ in range(400):
        if sum(r.status == POSTED for r in store.records(GUILD)) >= posted:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"the job did not record {posted} posts")


def _empty_store() -> DigestStore:
    from claims.store import Store

    return Store(":memory:").digests


async def test_the_scheduler_fires_at_local_time_across_the_change_with_a_moved_clock(
        make_runner: MakeRunner, service: Crosscheck) -> None:
    """AsyncIOScheduler itself, with the clock moved: 09:00 London is 08:00 UTC, then 09:00 UTC."""
    sender = Sender()
    start = utc("2026-10-24 07:59:00")
    save(service, start - timedelta(days=2), timezone="Europe/London")
    ask(service, utc("2026-10-24 07:30"))
    scheduler = DigestScheduler(make_runner(service, sender))
    with time_machine.travel(start, tick=False) as clock:
        scheduler.start()
        try:
            assert scheduler.next_run(GUILD) == utc("2026-10-24 08:00")

            clock.move_to(utc("2026-10-24 08:00"))
            scheduler.scheduler.wakeup()
            first = await asyncio.wait_for(sender.queue.get(), 5)
            await recorded(service, 1)
            assert first.end.astimezone(UTC) == utc("2026-10-24 08:00")
            assert scheduler.next_run(GUILD) == utc("2026-10-25 09:00")  # 09:00 GMT now

            ask(service, utc("2026-10-25 07:30"))
            clock.move_to(utc("2026-10-25 08:00"))  # 09:00 in summer time; not any more
            scheduler.scheduler.wakeup()
            await asyncio.sleep(0.02)
            assert len(sender.posts) == 1

            clock.move_to(utc("2026-10-25 09:00"))
            scheduler.scheduler.wakeup()
            second = await asyncio.wait_for(sender.queue.get(), 5)
            await recorded(service, 2)
        finally:
            await scheduler.shutdown()
    assert not scheduler.running
    assert (second.start.astimezone(UTC), second.end.astimezone(UTC)) == (utc("2026-10-24 08:00"),
                                                                          utc("2026-10-25 09:00"))
    assert second.end.astimezone(LONDON).strftime("%H:%M") == "09:00"
    records = service.store.digests.records(GUILD)
    assert [(r.period_end, r.status) for r in records] == [
        ("2026-10-24T08:00:00+00:00", POSTED), ("2026-10-25T09:00:00+00:00", POSTED)]


def test_jobs_are_rebuilt_from_the_database_with_stable_ids(make_runner: MakeRunner, service: Crosscheck) -> None:
    store = service.store.digests
    save(service, utc("2026-11-20 10:00"))
    store.save_schedule(make_schedule("9999", "78", "weekly", "18:30", "Asia/Baghdad", "fri"))
    store.disable("9999", "mod")

    async def go() -> None:
        scheduler = DigestScheduler(make_runner(service, Sender()))
        with time_machine.travel(utc("2026-11-20 10:00"), tick=False):
            scheduler.start()
            scheduler.sync()  # again: replaces, never duplicates
            try:
                assert [j.id for j in scheduler.scheduler.get_jobs()] == [job_id(GUILD)]
                assert scheduler.next_run(GUILD) == utc("2026-11-21 09:00")
                # A changed schedule replaces the job under the same id.
                scheduler.schedule(store.save_schedule(make_schedule(GUILD, "77", "daily", "18:00", "UTC")))
                assert [j.id for j in scheduler.scheduler.get_jobs()] == [job_id(GUILD)]
                assert scheduler.next_run(GUILD) == utc("2026-11-20 18:00")
                job = scheduler.scheduler.get_job(job_id(GUILD))
                assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
                scheduler.unschedule(GUILD)
                assert scheduler.scheduler.get_jobs() == []
            finally:
                await scheduler.shutdown()
        await scheduler.shutdown()  # twice is fine

    asyncio.run(go())


# --- restarts ---------------------------------------------------------------------------------


async def test_a_digest_missed_during_a_short_outage_is_posted_once_after_restarts(
        make_runner: MakeRunner, db_path: Path, service: Crosscheck) -> None:
    save(service, utc("2026-11-19 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    sender = Sender()
    # The bot was down at 09:00 on the 20th and comes back at 09:20, then restarts a few more times.
    for back in ("2026-11-20 09:20", "2026-11-20 09:25", "2026-11-20 09:40", "2026-11-20 12:00"):
        svc, runner = restart(db_path, sender, make_runner)
        try:
            with time_machine.travel(utc(back), tick=False):
                await runner.catch_up()
        finally:
            await runner.aclose()
            svc.close()
    assert sender.periods == [(utc("2026-11-19 09:00"), utc("2026-11-20 09:00"))]
    records = service.store.digests.records(GUILD)
    assert [(r.period_end, r.status, r.message_id) for r in records] == [
        ("2026-11-20T09:00:00+00:00", POSTED, "1001")]


async def test_a_digest_missed_long_ago_is_skipped_with_a_log_line(
        make_runner: MakeRunner, db_path: Path, service: Crosscheck, caplog: pytest.LogCaptureFixture) -> None:
    save(service, utc("2026-11-18 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    sender = Sender()
    caplog.set_level(logging.INFO, logger="bot.digest_schedule")
    for back in ("2026-11-20 13:00", "2026-11-20 14:00"):
        svc, runner = restart(db_path, sender, make_runner)
        try:
            with time_machine.travel(utc(back), tick=False):
                outcomes = await runner.catch_up()
        finally:
            await runner.aclose()
            svc.close()
        if back.endswith("13:00"):
            assert [o.reason for o in outcomes] == ["missed long ago"]
    assert sender.posts == []
    skipped = [r for r in caplog.records if "skipping the digest due at 2026-11-20T09:00:00+00:00" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.WARNING  # logged once, not at every restart
    assert "missed by 4 h" in skipped[0].getMessage()
    assert "(1 earlier one not posted either)" in skipped[0].getMessage()  # 19 November, too
    (record,) = service.store.digests.records(GUILD)
    assert (record.status, record.reason) == (SKIPPED, "missed by 4 h")


async def test_a_fire_time_before_the_schedule_existed_is_not_a_missed_run(
        make_runner: MakeRunner, service: Crosscheck) -> None:
    save(service, utc("2026-11-20 09:30"))  # set up just after 09:00
    ask(service, utc("2026-11-20 09:40"))
    sender = Sender()
    with time_machine.travel(utc("2026-11-20 09:45"), tick=False):
        assert await make_runner(service, sender).catch_up() == []
    assert sender.posts == []


async def test_two_runs_of_one_period_post_it_once(make_runner: MakeRunner, db_path: Path, service: Crosscheck) -> None:
    schedule = save(service, utc("2026-11-19 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    sender = Sender()
    other, runner2 = restart(db_path, sender, make_runner)
    try:
        outcomes = await asyncio.gather(make_runner(service, sender).run(schedule, utc("2026-11-20 09:00")),
                                        runner2.run(schedule, utc("2026-11-20 09:00")))
    finally:
        other.close()
    assert sorted(o.action for o in outcomes) == ["posted", "skipped"]
    assert len(sender.posts) == 1
    again = await make_runner(service, sender).run(schedule, utc("2026-11-20 09:00"))
    assert (again.action, again.reason) == ("skipped", "already handled") and len(sender.posts) == 1


# --- what is worth posting ------------------------------------------------------------------------


async def test_an_unchanged_period_is_skipped_and_an_empty_one_too(
        make_runner: MakeRunner, service: Crosscheck) -> None:
    schedule = save(service, utc("2026-11-18 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    sender = Sender()
    runner = make_runner(service, sender)

    first = await runner.run(schedule, utc("2026-11-20 09:00"))
    # The next day nobody asks anything: the same end-of-2026 deadlines are coming up. Nothing new.
    second = await runner.run(schedule, utc("2026-11-21 09:00"))
    assert (first.action, second.action, second.reason) == ("posted", "skipped", "unchanged since the last digest")
    assert second.digest is not None and second.digest.upcoming and not second.digest.has_news()

    # A question makes the next one worth posting again.
    ask(service, utc("2026-11-21 15:00"), user="u2")
    third = await runner.run(schedule, utc("2026-11-22 09:00"))
    assert third.action == "posted"

    # In March 2027 there is no question and no deadline at all: nothing to report.
    empty = await runner.run(schedule, utc("2027-03-02 09:00"))
    assert (empty.action, empty.reason) == ("skipped", "nothing to report")
    assert [p[1] for p in sender.periods] == [utc("2026-11-20 09:00"), utc("2026-11-22 09:00")]
    statuses = [(r.period_end[:10], r.status) for r in service.store.digests.records(GUILD)]
    assert statuses == [("2026-11-20", POSTED), ("2026-11-21", SKIPPED), ("2026-11-22", POSTED),
                        ("2027-03-02", SKIPPED)]


async def test_digest_now_covers_the_time_since_the_last_one_and_the_next_one_starts_after_it(
        make_runner: MakeRunner, service: Crosscheck) -> None:
    schedule = save(service, utc("2026-11-18 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    sender = Sender()
    runner = make_runner(service, sender)
    await runner.run(schedule, utc("2026-11-20 09:00"))

    quiet = await runner.run(schedule, utc("2026-11-20 12:00"), reason="now")
    assert (quiet.action, quiet.reason) == ("skipped", "unchanged since the last digest")
    ask(service, utc("2026-11-20 14:00"))
    now = await runner.run(schedule, utc("2026-11-20 15:00"), reason="now")
    assert now.action == "posted"
    ask(service, utc("2026-11-20 18:00"))
    scheduled = await runner.run(schedule, utc("2026-11-21 09:00"))
    assert scheduled.action == "posted"
    assert sender.periods[1:] == [(utc("2026-11-20 12:00"), utc("2026-11-20 15:00")),
                                  (utc("2026-11-20 15:00"), utc("2026-11-21 09:00"))]


async def test_a_failed_send_is_recorded_and_not_retried_blindly(make_runner: MakeRunner, service: Crosscheck) -> None:
    schedule = save(service, utc("2026-11-18 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    failed = await make_runner(service, Sender(fail=True)).run(schedule, utc("2026-11-20 09:00"))
    assert failed.action == "skipped" and "403 Missing Permissions" in failed.reason
    (record,) = service.store.digests.records(GUILD)
    assert record.status == SKIPPED and record.reason.startswith("send failed")
    sender = Sender()
    with time_machine.travel(utc("2026-11-20 09:10"), tick=False):
        assert await make_runner(service, sender).catch_up() == []
    assert sender.posts == []


async def test_a_disabled_schedule_does_not_post(make_runner: MakeRunner, service: Crosscheck) -> None:
    save(service, utc("2026-11-18 10:00"))
    ask(service, utc("2026-11-19 12:00"))
    service.store.digests.disable(GUILD, "mod")
    sender = Sender()
    runner = make_runner(service, sender)
    with time_machine.travel(utc("2026-11-20 09:00"), tick=False):
        assert await runner.run_due(GUILD) is None
        assert await runner.catch_up() == []
    assert sender.posts == []


# --- settings -----------------------------------------------------------------------------------


async def test_closing_the_runner_waits_for_a_query_a_worker_thread_is_still_running(
        make_runner: MakeRunner, service: Crosscheck) -> None:
    """At shutdown a cancelled catch-up can leave its worker thread inside a query; closing the
    connection under it crashed the whole process (SIGSEGV). Closing waits for the query now."""
    runner = make_runner(service, Sender())
    if runner.store.db.backend != "sqlite":
        pytest.skip("the crash was sqlite3's: a connection closed under a query running in another thread")
    inside, finish = threading.Event(), threading.Event()

    def hold_the_query() -> int:  # sqlite3 calls this while a query runs on the connection
        inside.set()
        finish.wait(5)
        return 0

    runner.store.db.conn.set_progress_handler(hold_the_query, 1)
    query = asyncio.ensure_future(asyncio.to_thread(runner.store.schedules))
    assert await asyncio.to_thread(inside.wait, 5)
    closing = asyncio.ensure_future(runner.aclose())
    await asyncio.sleep(0.1)
    assert not closing.done()  # it waits for the query...
    finish.set()
    assert await query == []  # ...which ends on an open connection
    await asyncio.wait_for(closing, 5)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        runner.store.schedules()


def test_schedule_settings_are_validated() -> None:
    assert parse_time("9:05") == (9, 5)
    for bad in ("25:00", "9", "09:60", "nine"):
        with pytest.raises(ScheduleError, match="HH:MM"):
            parse_time(bad)
    assert parse_timezone("Europe/London").key == "Europe/London"
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "", "Europe/London "):
        with pytest.raises(ScheduleError):
            parse_timezone(bad if bad != "Europe/London " else "Europe/Londn")
    weekly = make_schedule(GUILD, "77", "Weekly", "18:30", "Asia/Baghdad")
    assert (weekly.frequency, weekly.weekday, weekly.time) == ("weekly", "mon", "18:30")
    assert weekly.describe() == "weekly on Monday at 18:30 (Asia/Baghdad)"
    with pytest.raises(ScheduleError, match="daily or weekly"):
        make_schedule(GUILD, "77", "hourly", "09:00", "UTC")
    with pytest.raises(ScheduleError, match="day of the week"):
        make_schedule(GUILD, "77", "weekly", "09:00", "UTC", weekday="someday")

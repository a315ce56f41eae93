"""Where scheduled digests live: each server's schedule, and a record of every period handled.

Kept in the project's SQLite database (next to the check log) rather than in APScheduler's job
store: the bot rebuilds its jobs from these rows at every start, so a restart never loses a
schedule and nothing pickled has to survive an upgrade. The record of handled periods is what
makes delivery at most once: a period is reserved (a unique row per server and period end)
before anything is sent, so two runs, or a run and a restart, can never post it twice.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from claims.store import Store, now_iso

Frequency = Literal["daily", "weekly"]
FREQUENCIES: tuple[str, ...] = ("daily", "weekly")
# APScheduler's CronTrigger names for days of the week (0 = Monday there too).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES: dict[str, str] = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                     "Saturday", "Sunday"), strict=True))

# How a handled period ended up. "posting" is a reservation: written before sending, so a crash
# between sending and recording leaves the period marked as handled (at most once, never twice).
POSTING, POSTED, SKIPPED = "posting", "posted", "skipped"


class ScheduleError(ValueError):
    """A schedule setting is invalid; the message says what to write instead."""


def parse_time(text: str) -> tuple[int, int]:
    """'9:00', '09:00' or '21:30' → (hour, minute); raises ScheduleError otherwise."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not m or not (0 <= int(m.group(1)) <= 23 and 0 <= int(m.group(2)) <= 59):
        raise ScheduleError(f"time {text!r} is not a time of day; write HH:MM on a 24-hour clock, e.g. 09:00")
    return int(m.group(1)), int(m.group(2))


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA time zone ('Europe/London', 'America/New_York', 'UTC'); raises ScheduleError otherwise."""
    cleaned = (name or "").strip()
    # ZoneInfo also accepts file-system-like keys; refuse anything that is not a plain zone name.
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", cleaned):
        raise ScheduleError(f"{name!r} is not a time zone; use an IANA name such as Europe/London or UTC")
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone {name!r}; use an IANA name such as Europe/London, "
                            "America/New_York or UTC") from None


def parse_weekday(text: str | None) -> str:
    """'monday', 'Mon' or 'mon' → 'mon'; raises ScheduleError otherwise."""
    key = (text or "").strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ScheduleError(f"{text!r} is not a day of the week; write e.g. monday")
    return key


@dataclass(frozen=True)
class Schedule:
    """One server's digest schedule (validated: a real time, zone and weekday)."""

    guild_id: str
    channel_id: str
    frequency: str
    time: str  # HH:MM, local to `timezone`
    timezone: str
    weekday: str | None = None  # mon..sun for weekly digests
    mod_channel_id: str | None = None
    enabled: bool = True
    created_by: str = ""
    created_at: str = ""
    updated_by: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ScheduleError(f"frequency {self.frequency!r} must be daily or weekly")
        parse_time(self.time)
        parse_timezone(self.timezone)
        if self.frequency == "weekly":
            parse_weekday(self.weekday)

    @property
    def hour(self) -> int:
        return parse_time(self.time)[0]

    @property
    def minute(self) -> int:
        return parse_time(self.time)[1]

    @property
    def zone(self) -> ZoneInfo:
        return parse_timezone(self.timezone)

    def describe(self) -> str:
        """'daily at 09:00 (Europe/London)' or 'weekly on Monday at 09:00 (UTC)'."""
        when = f"at {self.hour:02d}:{self.minute:02d} ({self.timezone})"
        if self.frequency == "weekly" and self.weekday:
            return f"weekly on {WEEKDAY_NAMES[self.weekday]} {when}"
        return f"daily {when}"


def make_schedule(guild_id: str, channel_id: str, frequency: str, time: str, timezone: str,
                  weekday: str | None = None, mod_channel_id: str | None = None, by: str = "") -> Schedule:
    """Validate and normalise what a moderator typed into a Schedule (raises ScheduleError)."""
    frequency = (frequency or "").strip().lower()
    hour, minute = parse_time(time)
    zone = parse_timezone(timezone)
    if frequency == "weekly":
        day: str | None = parse_weekday(weekday or "mon")
    elif frequency == "daily":
        day = None
    else:
        raise ScheduleError(f"frequency {frequency!r} must be daily or weekly")
    stamp = now_iso()
    return Schedule(guild_id=str(guild_id), channel_id=str(channel_id), frequency=frequency,
                    time=f"{hour:02d}:{minute:02d}", timezone=zone.key, weekday=day,
                    mod_channel_id=str(mod_channel_id) if mod_channel_id else None, enabled=True,
                    created_by=by, created_at=stamp, updated_by=by, updated_at=stamp)


@dataclass(frozen=True)
class PeriodRecord:
    """A handled period: posted (with its message ids), skipped (and why), or reserved."""

    id: int
    guild_id: str
    period_start: str
    period_end: str
    status: str
    reason: str | None
    fingerprint: str | None
    channel_id: str | None
    message_id: str | None
    mod_message_id: str | None
    posted_at: str | None

    @property
    def end(self) -> datetime:
        return datetime.fromisoformat(self.period_end)


def iso_utc(moment: datetime) -> str:
    """A moment as the UTC ISO text the database stores (same shape as `now_iso`)."""
    if moment.tzinfo is None:
        raise ValueError("digest times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[P, R]) -> Callable[P, R]:
    """Run a DigestStore method under its lock: one sqlite3 connection must never carry two
    threads' transactions at once, and the bot calls these from worker threads."""
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)
    return wrapper


class DigestStore:
    """The digest tables over the project's `Store` (created on first use, additively).

    Give it a connection of its own when it is used from worker threads next to other writers
    (the bot does: `DigestStore(Store(path))`); its methods are serialised by a lock."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db
        self._lock = threading.RLock()
        if {"digest_schedules", "digest_posts"} <= set(self.db.table_names()):
            return  # already there: opening stays a read, no write lock taken
        with self._lock, store.transaction():
            self.db["digest_schedules"].create(
                {"guild_id": str, "channel_id": str, "mod_channel_id": str, "frequency": str, "weekday": str,
                 "time": str, "timezone": str, "enabled": int, "created_by": str, "created_at": str,
                 "updated_by": str, "updated_at": str},
                pk="guild_id", if_not_exists=True,
            )
            self.db["digest_posts"].create(
                {"id": int, "guild_id": str, "period_start": str, "period_end": str, "status": str, "reason": str,
                 "fingerprint": str, "channel_id": str, "message_id": str, "mod_message_id": str,
                 "posted_at": str},
                pk="id", if_not_exists=True,
            )
            # The guarantee against double posts: one row per server and period end.
            self.db["digest_posts"].create_index(["guild_id", "period_end"], unique=True, if_not_exists=True)

    @_locked
    def close(self) -> None:
        """Close the connection underneath, once no method is running on it.

        Only for a DigestStore with a connection of its own. A worker thread can still be inside
        a method after the coroutine that started it was cancelled (at shutdown): closing the
        connection under a running query crashes the process (sqlite3, SIGSEGV)."""
        self.store.close()

    # --- schedules --------------------------------------------------------------------------------

    @_locked
    def save_schedule(self, schedule: Schedule) -> Schedule:
        """Create or replace a server's schedule (keeping who first created it)."""
        existing = self.schedule(schedule.guild_id)
        row = asdict(schedule)
        row["enabled"] = int(schedule.enabled)
        if existing is not None:
            row["created_by"], row["created_at"] = existing.created_by, existing.created_at
        with self.store.transaction() as db:
            db["digest_schedules"].upsert(row, pk="guild_id")
        return self._schedule(row)

    @_locked
    def schedule(self, guild_id: str) -> Schedule | None:
        """A server's schedule (enabled or not), or None."""
        rows = list(self.db["digest_schedules"].rows_where("guild_id = ?", [str(guild_id)]))
        return self._schedule(rows[0]) if rows else None

    @_locked
    def schedules(self, enabled_only: bool = True) -> list[Schedule]:
        """Every schedule, in a stable order."""
        where = "enabled = 1" if enabled_only else None
        return [self._schedule(r) for r in self.db["digest_schedules"].rows_where(where, order_by="guild_id")]

    @_locked
    def disable(self, guild_id: str, by: str) -> bool:
        """Stop a server's digest (the row stays, for the record). True if it was running."""
        with self.store.transaction() as db:
            cursor = db.execute("update digest_schedules set enabled = 0, updated_by = ?, updated_at = ? "
                                "where guild_id = ? and enabled = 1", [by, now_iso(), str(guild_id)])
            return cursor.rowcount == 1

    @staticmethod
    def _schedule(row: dict[str, Any]) -> Schedule:
        return Schedule(
            guild_id=row["guild_id"], channel_id=row["channel_id"], frequency=row["frequency"], time=row["time"],
            timezone=row["timezone"], weekday=row.get("weekday") or None, mod_channel_id=row.get("mod_channel_id"),
            enabled=bool(row["enabled"]), created_by=row.get("created_by") or "",
            created_at=row.get("created_at") or "", updated_by=row.get("updated_by") or "",
            updated_at=row.get("updated_at") or "")

    # --- handled periods --------------------------------------------------------------------------

    @_locked
    def reserve(self, guild_id: str, start: datetime, end: datetime, fingerprint: str,
                status: str = POSTING, reason: str | None = None) -> int | None:
        """Claim a period before posting it (or record it as skipped); None if it was handled already.

        The existence check and the insert happen in one transaction, and the unique index
        settles any race: whoever inserts first owns the period."""
        row = {"guild_id": str(guild_id), "period_start": iso_utc(start), "period_end": iso_utc(end),
               "status": status, "reason": reason, "fingerprint": fingerprint, "channel_id": None,
               "message_id": None, "mod_message_id": None, "posted_at": now_iso() if status != POSTING else None}
        try:
            with self.store.transaction() as db:
                taken = db.execute("select 1 from digest_posts where guild_id = ? and period_end = ?",
                                   [row["guild_id"], row["period_end"]]).fetchone()
                if taken:
                    return None
                return db["digest_posts"].insert(row).last_pk
        except sqlite3.IntegrityError:
            return None

    @_locked
    def mark_posted(self, record_id: int, channel_id: str, message_id: str | None,
                    mod_message_id: str | None = None) -> None:
        """Record where a reserved period's digest went."""
        with self.store.transaction() as db:
            db.execute("update digest_posts set status = ?, channel_id = ?, message_id = ?, mod_message_id = ?, "
                       "posted_at = ? where id = ?",
                       [POSTED, channel_id, message_id, mod_message_id, now_iso(), record_id])

    @_locked
    def mark_failed(self, record_id: int, reason: str) -> None:
        """Record that a reserved period could not be posted (kept, so it is not retried blindly)."""
        with self.store.transaction() as db:
            db.execute("update digest_posts set status = ?, reason = ?, posted_at = ? where id = ?",
                       [SKIPPED, reason[:500], now_iso(), record_id])

    @_locked
    def handled(self, guild_id: str, end: datetime) -> PeriodRecord | None:
        """The record of the period ending at `end`, if it was handled."""
        rows = list(self.db["digest_posts"].rows_where("guild_id = ? and period_end = ?",
                                                        [str(guild_id), iso_utc(end)]))
        return self._record(rows[0]) if rows else None

    @_locked
    def last_record(self, guild_id: str) -> PeriodRecord | None:
        """The latest handled period (posted, skipped or reserved)."""
        rows = list(self.db["digest_posts"].rows_where("guild_id = ?", [str(guild_id)],
                                                        order_by="period_end desc, id desc", limit=1))
        return self._record(rows[0]) if rows else None

    @_locked
    def last_posted(self, guild_id: str) -> PeriodRecord | None:
        """The latest digest actually posted (or reserved for posting): what 'unchanged' compares with."""
        rows = list(self.db["digest_posts"].rows_where("guild_id = ? and status != ?", [str(guild_id), SKIPPED],
                                                        order_by="period_end desc, id desc", limit=1))
        return self._record(rows[0]) if rows else None

    @_locked
    def records(self, guild_id: str) -> list[PeriodRecord]:
        """Every handled period of a server, oldest first."""
        return [self._record(r) for r in self.db["digest_posts"].rows_where(
            "guild_id = ?", [str(guild_id)], order_by="period_end, id")]

    @staticmethod
    def _record(row: dict[str, Any]) -> PeriodRecord:
        return PeriodRecord(row["id"], row["guild_id"], row["period_start"], row["period_end"], row["status"],
                            row["reason"], row["fingerprint"], row["channel_id"], row["message_id"],
                            row["mod_message_id"], row["posted_at"])

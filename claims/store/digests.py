"""Where scheduled digests live: each server's schedule, and a record of every period handled.

Kept in the project's database (next to the check log) rather than in APScheduler's job
store: the bot rebuilds its jobs from these rows at every start, so a restart never loses a
schedule and nothing pickled has to survive an upgrade. The record of handled periods is what
makes delivery at most once: a period is reserved (a unique row per server and period end)
before anything is sent, so two runs, or a run and a restart, can never post it twice.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from claims.store.database import Database, PostgresDatabase, now_iso
from claims.store.feed import record_change

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


class DigestStore:
    """The digest tables (created by the schema migrations)."""

    def __init__(self, db: Database | PostgresDatabase):
        self.db = db

    # --- schedules --------------------------------------------------------------------------------

    def save_schedule(self, schedule: Schedule) -> Schedule:
        """Create or replace a server's schedule (keeping who first created it)."""
        row = asdict(schedule)
        row["enabled"] = int(schedule.enabled)
        with self.db.transaction() as tx:
            existing = tx.one("SELECT created_by, created_at FROM digest_schedules WHERE guild_id = ?",
                              [schedule.guild_id])
            if existing is not None:
                row["created_by"], row["created_at"] = existing["created_by"], existing["created_at"]
            names = list(row)
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "guild_id")
            tx.execute(f"INSERT INTO digest_schedules ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                       f"ON CONFLICT (guild_id) DO UPDATE SET {updates}", [row[n] for n in names])
            record_change(tx, None, "schedule", schedule.guild_id, schedule.guild_id)
        return self._schedule(row)

    def schedule(self, guild_id: str) -> Schedule | None:
        """A server's schedule (enabled or not), or None."""
        row = self.db.one("SELECT * FROM digest_schedules WHERE guild_id = ?", [str(guild_id)])
        return self._schedule(row) if row else None

    def schedules(self, enabled_only: bool = True) -> list[Schedule]:
        """Every schedule, in a stable order."""
        where = "WHERE enabled = 1" if enabled_only else ""
        return [self._schedule(r) for r in self.db.query(f"SELECT * FROM digest_schedules {where} ORDER BY guild_id")]

    def disable(self, guild_id: str, by: str) -> bool:
        """Stop a server's digest (the row stays, for the record). True if it was running."""
        with self.db.transaction() as tx:
            changed = tx.execute("UPDATE digest_schedules SET enabled = 0, updated_by = ?, updated_at = ? "
                                 "WHERE guild_id = ? AND enabled = 1", [by, now_iso(), str(guild_id)])
            if changed:
                record_change(tx, None, "schedule", str(guild_id), str(guild_id))
            return changed == 1

    @staticmethod
    def _schedule(row: dict[str, Any]) -> Schedule:
        return Schedule(
            guild_id=row["guild_id"], channel_id=row["channel_id"], frequency=row["frequency"], time=row["time"],
            timezone=row["timezone"], weekday=row.get("weekday") or None, mod_channel_id=row.get("mod_channel_id"),
            enabled=bool(row["enabled"]), created_by=row.get("created_by") or "",
            created_at=row.get("created_at") or "", updated_by=row.get("updated_by") or "",
            updated_at=row.get("updated_at") or "")

    # --- handled periods --------------------------------------------------------------------------

    def reserve(self, guild_id: str, start: datetime, end: datetime, fingerprint: str,
                status: str = POSTING, reason: str | None = None) -> int | None:
        """Claim a period before posting it (or record it as skipped); None if it was handled already.

        The existence check and the insert happen in one transaction, and the unique index
        settles any race: whoever inserts first owns the period."""
        row = {"guild_id": str(guild_id), "period_start": iso_utc(start), "period_end": iso_utc(end),
               "status": status, "reason": reason, "fingerprint": fingerprint, "channel_id": None,
               "message_id": None, "mod_message_id": None, "posted_at": now_iso() if status != POSTING else None}
        try:
            with self.db.transaction() as tx:
                taken = tx.scalar("SELECT 1 FROM digest_posts WHERE guild_id = ? AND period_end = ?",
                                  [row["guild_id"], row["period_end"]])
                if taken:
                    return None
                return int(tx.insert("digest_posts", row))
        except self.db.integrity_errors:
            return None

    def mark_posted(self, record_id: int, channel_id: str, message_id: str | None,
                    mod_message_id: str | None = None) -> None:
        """Record where a reserved period's digest went."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE digest_posts SET status = ?, channel_id = ?, message_id = ?, mod_message_id = ?, "
                       "posted_at = ? WHERE id = ?",
                       [POSTED, channel_id, message_id, mod_message_id, now_iso(), record_id])

    def mark_failed(self, record_id: int, reason: str) -> None:
        """Record that a reserved period could not be posted (kept, so it is not retried blindly)."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE digest_posts SET status = ?, reason = ?, posted_at = ? WHERE id = ?",
                       [SKIPPED, reason[:500], now_iso(), record_id])

    def handled(self, guild_id: str, end: datetime) -> PeriodRecord | None:
        """The record of the period ending at `end`, if it was handled."""
        row = self.db.one("SELECT * FROM digest_posts WHERE guild_id = ? AND period_end = ?",
                          [str(guild_id), iso_utc(end)])
        return self._record(row) if row else None

    def last_record(self, guild_id: str) -> PeriodRecord | None:
        """The latest handled period (posted, skipped or reserved)."""
        row = self.db.one("SELECT * FROM digest_posts WHERE guild_id = ? ORDER BY period_end DESC, id DESC LIMIT 1",
                          [str(guild_id)])
        return self._record(row) if row else None

    def last_posted(self, guild_id: str) -> PeriodRecord | None:
        """The latest digest actually posted (or reserved for posting): what 'unchanged' compares with."""
        row = self.db.one("SELECT * FROM digest_posts WHERE guild_id = ? AND status != ? "
                          "ORDER BY period_end DESC, id DESC LIMIT 1", [str(guild_id), SKIPPED])
        return self._record(row) if row else None

    def records(self, guild_id: str) -> list[PeriodRecord]:
        """Every handled period of a server, oldest first."""
        return [self._record(r) for r in self.db.query(
            "SELECT * FROM digest_posts WHERE guild_id = ? ORDER BY period_end, id", [str(guild_id)])]

    @staticmethod
    def _record(row: dict[str, Any]) -> PeriodRecord:
        return PeriodRecord(row["id"], row["guild_id"], row["period_start"], row["period_end"], row["status"],
                            row["reason"], row["fingerprint"], row["channel_id"], row["message_id"],
                            row["mod_message_id"], row["posted_at"])

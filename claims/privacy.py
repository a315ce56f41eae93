"""How long what people ask is kept, and what each person can see and erase.

The retention model
-------------------
A check (one question someone asked) holds two kinds of data:

- personal data: what the person wrote, who they are and where (the statement, their user id,
  the channel);
- what the digests and the review queue count: the server, the time, the claim it matched, the
  score, the verdict and outcome, the suggested claims, and who asked as a pseudonym.

Each server keeps the personal data for its retention period (its moderators choose 1 to 365
days; otherwise the operator's default, 90 days unless changed), after which `apply_retention`
erases it. With retention "off" it is never written: the asker gets their answer and the log
keeps only what the counts need.

"How many people" survives the erasure of user ids because each check (and vote) also carries
a random pseudonym of the person in that server. The link from a person to their pseudonym is
kept only while counts can still need it: for the retention period after their last question
or vote, and at least `ASKER_MEMORY` (a day longer than a weekly digest, so that with retention
off a digest still counts a person once). Then, or at once when they ask to be erased, the link
is dropped; the pseudonym is random, not derived from the id, so nothing that remains can be
tied back to the person. Someone who returns after that is counted as someone new.

A person's erasure erases their statements, ids and channels in that server, unlinks their
votes, drops their pseudonym, and removes the copy of their wording an audit row kept for a
dismissed review item. The questions and votes still count, as no one's.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from claims.store.privacy import DM_SCOPE, Erased, Footprint, scope_of

if TYPE_CHECKING:
    from claims.store import Store

MAX_RETENTION_DAYS = 365
OFF = 0
# How long the link to a person's pseudonym outlives their last question even with retention
# off: the longest digest period (a week, 25 hours longer across a clock change) and a day.
ASKER_MEMORY = timedelta(days=8)
# "Notify me" lasts this long, then ends like any retention (following again starts it anew).
FOLLOW_DAYS = 365
# A message owed to someone (an answer, a changed verdict) and not sent within this long is
# dropped with the user id it held.
NOTICE_DAYS = 7


class PrivacyError(ValueError):
    """A privacy setting or request is invalid; the message says what to write instead."""


def parse_retention(text: str | int) -> int:
    """'90', '90d', '90 days' → 90; 'off' (or 0) → 0. Raises PrivacyError for anything else."""
    cleaned = str(text).strip().lower()
    if cleaned in ("off", "none", "0", "no"):
        return OFF
    match = re.fullmatch(r"(\d{1,4})\s*(d|days?)?", cleaned)
    if not match:
        raise PrivacyError(f"{text!r} is not a retention period; write a number of days from 1 to "
                           f"{MAX_RETENTION_DAYS} (e.g. 90), or off to keep no question text at all")
    days = int(match.group(1))
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise PrivacyError(f"{days} days is out of range; choose 1 to {MAX_RETENTION_DAYS} days, or off")
    return days


def describe(days: int) -> str:
    """'90 days', '1 day' or 'off (no question text is stored)'."""
    if days == OFF:
        return "off (no question text is stored)"
    return f"{days} day{'s' if days != 1 else ''}"


def _iso(moment: datetime) -> str:
    # The log stores UTC times as ISO text (`now_iso`): compare like with like.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def cutoff(days: int, now: datetime) -> datetime:
    """Checks asked at or before this moment are due for erasure."""
    return now - timedelta(days=days)


def memory(days: int) -> timedelta:
    """How long after a person was last seen their pseudonym stays linked to them."""
    return max(timedelta(days=days), ASKER_MEMORY)


# --- retention ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run did."""

    at: str
    checks: int  # checks whose statement, user id and channel were erased
    votes: int  # votes whose voter id was erased
    audit: int  # audit rows that lost a copy of a question's wording
    askers: int  # people whose link to their pseudonym was dropped
    servers: int  # servers with a retention of their own (the rest follow the default)
    default_days: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent on each part

    @property
    def changed(self) -> bool:
        return bool(self.checks or self.votes or self.audit or self.askers)

    def summary(self) -> str:
        """One line for a log or a terminal."""
        return (f"retention applied at {self.at}: erased the text, user id and channel of {self.checks:,} "
                f"question{'s' if self.checks != 1 else ''}, the voter id of {self.votes:,} vote"
                f"{'s' if self.votes != 1 else ''}; {self.audit:,} audit row{'s' if self.audit != 1 else ''} "
                f"scrubbed; {self.askers:,} pseudonym{'s' if self.askers != 1 else ''} unlinked "
                f"({self.servers} server{'s' if self.servers != 1 else ''} with their own period, default "
                f"{describe(self.default_days)}; {self.seconds:.2f}s)")


def apply_retention(store: Store, now: datetime | None = None, *, guild_id: str | None = None) -> RetentionReport:
    """Erase what each server's retention period says is due, everywhere (or in one server).

    Idempotent and cheap to repeat: only rows still holding personal data are read (a partial
    index), each batch is its own short transaction, and a second run finds nothing to do."""
    started = time.perf_counter()
    moment = _now(now)
    stamp = _iso(moment)
    privacy = store.privacy
    own = privacy.settings()
    default_days = privacy.default_retention()
    checks = askers = 0
    phases: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now_ = time.perf_counter()
        phases[name] = round(now_ - since, 3)
        return now_

    if guild_id is not None:
        days = privacy.retention(guild_id)
        checks += privacy.expire(_iso(cutoff(days, moment)), stamp, guild_id=str(guild_id))
        mark = lap("checks", started)
        askers += privacy.forget_askers(_iso(moment - memory(days)), guild_id=str(guild_id))
    else:
        for guild, days in own.items():
            checks += privacy.expire(_iso(cutoff(days, moment)), stamp, guild_id=guild)
        checks += privacy.expire(_iso(cutoff(default_days, moment)), stamp)
        mark = lap("checks", started)
        for guild, days in own.items():
            askers += privacy.forget_askers(_iso(moment - memory(days)), guild_id=guild)
        askers += privacy.forget_askers(_iso(moment - memory(default_days)))
    mark = lap("askers", mark)
    votes = privacy.unlink_votes()
    mark = lap("votes", mark)
    # Messages owed and never sent, or whose question's text is now erased; follows past their time.
    store.follows.expire(_iso(moment - timedelta(days=NOTICE_DAYS)), _iso(moment - timedelta(days=FOLLOW_DAYS)))
    mark = lap("notices", mark)
    audit = privacy.scrub_audit()
    # Rate-limit windows a day old are over whatever the limit: their pseudonyms need not stay.
    store.cooldowns.forget_older_than(24 * 3600, now=moment.timestamp())
    if checks or votes or audit or askers:
        privacy.checkpoint()
    lap("audit_and_checkpoint", mark)
    report = RetentionReport(stamp, checks, votes, audit, askers, len(own), default_days,
                             round(time.perf_counter() - started, 3), phases)
    if guild_id is None:
        privacy.record_run(asdict(report))
    return report


def set_retention(store: Store, guild_id: str, days: int | None, by: str,
                  now: datetime | None = None) -> RetentionReport:
    """Set a server's retention (None: back to the operator's default) and apply it there at once:
    shortening it, or turning it off, erases what is now due without waiting for the next run."""
    if days is not None and not OFF <= days <= MAX_RETENTION_DAYS:
        raise PrivacyError(f"{days} days is out of range; choose 1 to {MAX_RETENTION_DAYS} days, or off")
    store.privacy.set_retention(str(guild_id), days, by)
    return apply_retention(store, now, guild_id=str(guild_id))


# --- one person -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """What the bot keeps about one person in one server (or in DMs and the terminal)."""

    guild_id: str | None
    retention_days: int
    footprint: Footprint

    @property
    def empty(self) -> bool:
        return not (self.footprint.checks or self.footprint.votes or self.footprint.last_seen
                    or self.footprint.follows)

    @property
    def kept_until(self) -> datetime | None:
        """When the oldest question still kept in full loses its text (None: none is kept)."""
        oldest = self.footprint.oldest_kept
        if oldest is None:
            return None
        return datetime.fromisoformat(oldest) + timedelta(days=self.retention_days)

    @property
    def linked_until(self) -> datetime | None:
        """When the link to the person's pseudonym is dropped, unless they are seen again."""
        seen = self.footprint.last_seen
        return datetime.fromisoformat(seen) + memory(self.retention_days) if seen else None


def personal_data(store: Store, user_id: str, guild_id: str | None) -> PersonalData:
    """What the log holds about this person in this server (None: DMs and the terminal)."""
    return PersonalData(str(guild_id) if guild_id else None, store.privacy.retention(guild_id),
                        store.privacy.footprint(scope_of(guild_id), str(user_id)))


def erase(store: Store, user_id: str, guild_id: str | None, now: datetime | None = None) -> Erased:
    """Erase what the log holds about this person in this server (None: DMs and the terminal)."""
    return store.privacy.erase_person(scope_of(guild_id), str(user_id), _iso(_now(now)))


def servers_of(store: Store, user_id: str) -> list[str | None]:
    """Every server (None: DMs and the terminal) where the log holds something about this person."""
    return [None if scope == DM_SCOPE else scope for scope in store.privacy.scopes_of(str(user_id))]


def erase_everywhere(store: Store, user_id: str, now: datetime | None = None) -> dict[str | None, Erased]:
    """Erase a person's data in every server and in DMs (an operator's answer to an email)."""
    return {guild: erase(store, user_id, guild, now) for guild in servers_of(store, user_id)}


def erase_text(store: Store, text: str, guild_id: str | None = None, *, everywhere: bool = False,
               now: datetime | None = None) -> Erased:
    """Erase every check whose statement contains `text`: for the author of a message someone else
    fact-checked (that check is the other member's; the words are the author's)."""
    if len(text.strip()) < 8:
        raise PrivacyError("give at least 8 characters of the text to erase, so that it matches only "
                           "what was meant")
    scope = None if everywhere else scope_of(guild_id)
    return store.privacy.erase_text(scope, text.strip(), _iso(_now(now)))

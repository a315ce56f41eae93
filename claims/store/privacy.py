"""The SQL of privacy: retention settings, askers' pseudonyms, and erasing what people asked.

The rules (how long, what counts, what a person sees) are `claims.privacy`'s; this module only
reads and writes. What a check keeps is split in two:

- personal data: the statement, the user id and the channel. Erased (set to NULL, `erased_at`
  stamped) when the server's retention period has passed, when the person asks, or at once in
  a server whose retention is off;
- what the digests and the review queue count: the server, time, matched claim, score,
  verdict, outcome, suggestions, and `asker`, a random pseudonym of the person in that server.

The `askers` table is the only link from a person to their pseudonym. Once it is gone (dropped
when counts no longer need it, or on an erasure request) nothing left can be tied to them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction, now_iso
from claims.store.feed import record_change

# Kept when neither the server nor the operator chose otherwise.
DEFAULT_RETENTION_DAYS = 90
# Rows erased per transaction: the bot's checks wait for at most one batch, never the whole run.
BATCH = 5000
DM_SCOPE = ""  # the askers' scope of direct messages and the terminal (no server)
_DEFAULT_KEY = "privacy.default_retention_days"
_LAST_RUN_KEY = "privacy.last_retention"
# How a dismissed review item keeps its wording in the audit log (see `claims.store.audit._json`).
_AUDITED_WORDING = '%"statement": "%'


def scope_of(guild_id: str | None) -> str:
    """The askers' scope of a server (its id), or of direct messages and the terminal."""
    return str(guild_id) if guild_id else DM_SCOPE


def _where_scope(scope: str, alias: str = "") -> tuple[str, list[Any]]:
    column = f"{alias}.guild_id" if alias else "guild_id"
    if scope == DM_SCOPE:
        return f"{column} IS NULL", []
    return f"{column} = ?", [scope]


def pseudonym(tx: Transaction, scope: str, user_id: str, at: str) -> str:
    """The person's pseudonym in this scope, made on first use; records that they were seen `at`."""
    row = tx.one("SELECT asker, last_seen FROM askers WHERE scope = ? AND user_id = ?", [scope, user_id])
    if row is not None:
        if row["last_seen"] < at:
            tx.execute("UPDATE askers SET last_seen = ? WHERE scope = ? AND user_id = ?", [at, scope, user_id])
        return str(row["asker"])
    token = secrets.token_hex(8)  # random, not derived from the id: nothing can recompute it
    tx.execute("INSERT INTO askers (scope, user_id, asker, last_seen) VALUES (?, ?, ?, ?)",
               [scope, user_id, token, at])
    return token


def retention_days(reader: Database | Transaction, guild_id: str | None) -> int:
    """How many days a question asked in this server (None: a DM or the terminal) is kept; 0 is off."""
    if guild_id:
        days = reader.scalar("SELECT retention_days FROM privacy_settings WHERE guild_id = ?", [str(guild_id)])
        if days is not None:
            return int(days)
    return default_retention_days(reader)


def default_retention_days(reader: Database | Transaction) -> int:
    """The operator's default (for servers that chose none, DMs and the terminal)."""
    value = reader.scalar("SELECT value FROM meta WHERE key = ?", [_DEFAULT_KEY])
    return int(value) if value is not None else DEFAULT_RETENTION_DAYS


@dataclass(frozen=True)
class RetentionSetting:
    """A server's own retention, and who set it."""

    guild_id: str
    days: int
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class Footprint:
    """What the log holds about one person in one scope (see `PrivacyStore.footprint`)."""

    scope: str
    checks: int  # every check linked to them (with or without its text)
    with_text: int  # of those, checks whose statement, user id and channel are still kept
    oldest: str | None  # when their first linked check was asked
    oldest_kept: str | None  # when the oldest of those still kept was asked
    newest: str | None  # their latest check
    votes: int
    last_seen: str | None  # when the link to their pseudonym was last refreshed
    follows: int = 0  # claims they follow ("Notify me")


@dataclass(frozen=True)
class Erased:
    """What an erasure changed."""

    checks: int = 0  # checks whose statement, user id or channel were erased now
    unlinked: int = 0  # checks no longer linked to the person (including those already without text)
    votes: int = 0  # votes whose user id was erased
    audit: int = 0  # audit rows that lost a copy of a question's wording
    follows: int = 0  # claims they no longer follow
    notices: int = 0  # messages owed to them, no longer sent

    def __add__(self, other: Erased) -> Erased:
        return Erased(self.checks + other.checks, self.unlinked + other.unlinked, self.votes + other.votes,
                      self.audit + other.audit, self.follows + other.follows, self.notices + other.notices)


class PrivacyStore:
    """Retention settings, the askers' pseudonyms, and erasure."""

    def __init__(self, db: Database):
        self.db = db
        if db.backend == "sqlite":
            # Erased statements are overwritten with zeros in the file, not left in free space.
            db.scalar("PRAGMA secure_delete = ON")

    # --- settings ---------------------------------------------------------------------------------

    def default_retention(self) -> int:
        return default_retention_days(self.db)

    def set_default_retention(self, days: int) -> None:
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                       "value = excluded.value", [_DEFAULT_KEY, str(days)])

    def retention(self, guild_id: str | None) -> int:
        """The retention in force for a server (its own, else the default), in days; 0 is off."""
        return retention_days(self.db, guild_id)

    def setting(self, guild_id: str) -> RetentionSetting | None:
        """A server's own choice, if it made one."""
        row = self.db.one("SELECT * FROM privacy_settings WHERE guild_id = ?", [str(guild_id)])
        if row is None:
            return None
        return RetentionSetting(row["guild_id"], int(row["retention_days"]), row["updated_at"], row["updated_by"])

    def set_retention(self, guild_id: str, days: int | None, by: str) -> None:
        """Set a server's retention (None: back to the default)."""
        with self.db.transaction() as tx:
            if days is None:
                tx.execute("DELETE FROM privacy_settings WHERE guild_id = ?", [str(guild_id)])
            else:
                tx.execute("INSERT INTO privacy_settings (guild_id, retention_days, updated_at, updated_by) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET retention_days = "
                           "excluded.retention_days, updated_at = excluded.updated_at, "
                           "updated_by = excluded.updated_by",
                           [str(guild_id), days, now_iso(), by])
            record_change(tx, None, "settings", str(guild_id), str(guild_id))

    def settings(self) -> dict[str, int]:
        """Every server's own retention, by server id."""
        return {r["guild_id"]: int(r["retention_days"])
                for r in self.db.query("SELECT guild_id, retention_days FROM privacy_settings ORDER BY guild_id")}

    # --- retention --------------------------------------------------------------------------------

    def expire(self, cutoff: str, stamp: str, guild_id: str | None = None, batch: int = BATCH) -> int:
        """Erase the personal data of checks asked at or before `cutoff`, in batches; returns how many.

        With `guild_id`, that server's checks; without, those that follow the default: every
        check outside the servers that chose their own retention (DMs and the terminal too)."""
        if guild_id is not None:
            condition, args = "guild_id = ?", [str(guild_id)]
        else:
            condition, args = "(guild_id IS NULL OR guild_id NOT IN (SELECT guild_id FROM privacy_settings))", []
        sql = ("UPDATE checks SET statement = NULL, user_id = NULL, channel_id = NULL, erased_at = ? "
               "WHERE id IN (SELECT id FROM checks WHERE erased_at IS NULL AND asked_at <= ? AND asked_at >= ? "
               f"AND {condition} ORDER BY asked_at LIMIT ?) RETURNING asked_at")
        total, floor = 0, ""
        while True:
            with self.db.transaction() as tx:
                done = [r["asked_at"] for r in tx.query(sql, [stamp, cutoff, floor, *args, batch])]
            total += len(done)
            if len(done) < batch:
                return total
            # The next batch starts where this one ended: rows it passed over (a server that keeps
            # questions longer than the default) are not read again.
            floor = max(done)

    def unlink_votes(self, batch: int = BATCH) -> int:
        """Erase the voter's id of every vote on a check whose personal data is gone."""
        return self._in_batches(
            "UPDATE feedback SET user_id = NULL WHERE id IN (SELECT f.id FROM feedback f WHERE f.user_id IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM checks c WHERE c.id = f.check_id AND c.erased_at IS NOT NULL) LIMIT ?)",
            [], batch)

    def _in_batches(self, sql: str, args: list[Any], batch: int) -> int:
        """Run a statement ending in `LIMIT ?` until it changes fewer rows than `batch`, each run a
        transaction of its own (the bot's writes wait for one batch, not for all of them)."""
        total = 0
        while True:
            with self.db.transaction() as tx:
                changed = tx.execute(sql, [*args, batch])
            total += changed
            if changed < batch:
                return total

    def scrub_audit(self) -> int:
        """Drop the copy of a question's wording a dismissed review item keeps in the audit log,
        once that question's text is erased (the wording is its newest question's)."""
        changed = 0
        with self.db.transaction() as tx:
            rows = tx.query("SELECT id, before, after FROM audit WHERE target_type = 'review' AND "
                            "(before LIKE ? OR after LIKE ?)", [_AUDITED_WORDING, _AUDITED_WORDING])
            for row in rows:
                data = json.loads(row["before"] or row["after"])
                ids = [int(i) for i in data.get("check_ids") or []]
                newest = tx.one("SELECT statement FROM checks WHERE id = ?", [max(ids)]) if ids else None
                if newest is not None and newest["statement"] is not None:
                    continue
                tx.execute("UPDATE audit SET before = ?, after = ? WHERE id = ?",
                           [_without_wording(row["before"]), _without_wording(row["after"]), row["id"]])
                changed += 1
        return changed

    def forget_askers(self, last_seen_before: str, guild_id: str | None = None, batch: int = BATCH) -> int:
        """Drop the link between people and their pseudonyms not seen since `last_seen_before`.

        With `guild_id`, in that server; without, in the scopes that follow the default."""
        if guild_id is not None:
            condition, args = "scope = ?", [str(guild_id)]
        else:
            condition, args = "scope NOT IN (SELECT guild_id FROM privacy_settings)", []
        return self._in_batches(f"DELETE FROM askers WHERE asker IN (SELECT asker FROM askers WHERE last_seen < ? "
                                f"AND {condition} LIMIT ?)", [last_seen_before, *args], batch)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it (SQLite), so erased text
        does not linger in the log's old page images. Best effort: a reader may hold it back."""
        if self.db.backend == "sqlite":
            self.db.query("PRAGMA wal_checkpoint(TRUNCATE)")

    def record_run(self, report: Mapping[str, Any]) -> None:
        """Note the last retention run (for `crosscheck privacy status`)."""
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                       "value = excluded.value", [_LAST_RUN_KEY, json.dumps(dict(report), sort_keys=True)])

    def last_run(self) -> dict[str, Any] | None:
        value = self.db.scalar("SELECT value FROM meta WHERE key = ?", [_LAST_RUN_KEY])
        return json.loads(value) if value else None

    # --- one person -------------------------------------------------------------------------------

    def footprint(self, scope: str, user_id: str) -> Footprint:
        """What the log holds about a person in one scope: found through their pseudonym."""
        link = self.db.one("SELECT asker, last_seen FROM askers WHERE scope = ? AND user_id = ?", [scope, str(user_id)])
        follows = int(self.db.scalar("SELECT count(*) FROM follows WHERE scope = ? AND user_id = ?",
                                     [scope, str(user_id)]) or 0)
        if link is None:
            return Footprint(scope, 0, 0, None, None, None, 0, None, follows)
        condition, args = _where_scope(scope)
        row = self.db.one(
            "SELECT count(*) AS checks, count(statement) AS with_text, min(asked_at) AS oldest, "
            "min(CASE WHEN erased_at IS NULL THEN asked_at END) AS oldest_kept, max(asked_at) AS newest "
            f"FROM checks WHERE asker = ? AND {condition}", [link["asker"], *args]) or {}
        votes = self.db.scalar("SELECT count(*) FROM feedback WHERE voter = ?", [link["asker"]])
        return Footprint(scope, int(row.get("checks") or 0), int(row.get("with_text") or 0), row.get("oldest"),
                         row.get("oldest_kept"), row.get("newest"), int(votes or 0), link["last_seen"], follows)

    def scopes_of(self, user_id: str) -> list[str]:
        """Every scope where the log holds something about this person (for the operator)."""
        # A scan of the links, not an index: this is the operator's occasional question, and an
        # index on user ids would cost every retention run.
        scopes = {r["scope"] for r in self.db.query("SELECT scope FROM askers WHERE user_id = ?", [str(user_id)])}
        scopes |= {scope_of(r["guild_id"]) for r in self.db.query(
            "SELECT DISTINCT guild_id FROM checks WHERE erased_at IS NULL AND user_id = ?", [str(user_id)])}
        scopes |= {scope_of(r["guild_id"]) for r in self.db.query(
            "SELECT DISTINCT c.guild_id FROM feedback f JOIN checks c ON c.id = f.check_id WHERE f.user_id = ?",
            [str(user_id)])}
        scopes |= {r["scope"] for r in self.db.query("SELECT DISTINCT scope FROM follows WHERE user_id = ?",
                                                    [str(user_id)])}
        return sorted(scopes)

    def erase_person(self, scope: str, user_id: str, stamp: str) -> Erased:
        """Erase a person's statements, ids and channels in one scope, unlink their votes, drop
        their pseudonym, end the claims they follow and drop the messages owed to them there, in
        one transaction. Their checks and votes still count, as no one's."""
        user_id = str(user_id)
        condition, args = _where_scope(scope)
        erase = "statement = NULL, user_id = NULL, channel_id = NULL, erased_at = coalesce(erased_at, ?)"
        with self.db.transaction() as tx:
            link = tx.scalar("SELECT asker FROM askers WHERE scope = ? AND user_id = ?", [scope, user_id])
            checks = unlinked = votes = 0
            if link is not None:
                unlinked = int(tx.scalar(f"SELECT count(*) FROM checks WHERE asker = ? AND {condition}",
                                         [link, *args]) or 0)
                checks = tx.execute(f"UPDATE checks SET {erase} WHERE asker = ? AND {condition} AND erased_at IS NULL",
                                    [stamp, link, *args])
                votes = tx.execute("UPDATE feedback SET user_id = NULL WHERE voter = ? AND user_id IS NOT NULL",
                                   [link])
                tx.execute("DELETE FROM askers WHERE scope = ? AND user_id = ?", [scope, user_id])
            # Rows written without a pseudonym (by hand, or by a tool) are found by the id itself.
            stray = tx.execute(f"UPDATE checks SET {erase} WHERE erased_at IS NULL AND {condition} AND user_id = ?",
                               [stamp, *args, user_id])
            near, extra = _where_scope(scope, "c")
            votes += tx.execute(f"UPDATE feedback SET user_id = NULL WHERE user_id = ? AND EXISTS (SELECT 1 FROM "
                                f"checks c WHERE c.id = feedback.check_id AND {near})", [user_id, *extra])
            follows = tx.execute("DELETE FROM follows WHERE scope = ? AND user_id = ?", [scope, user_id])
            owed, owed_args = _where_scope(scope)
            notices = tx.execute("UPDATE notices SET status = 'dropped', user_id = NULL, channel_id = NULL, "
                                 f"done_at = ? WHERE user_id = ? AND {owed}", [stamp, user_id, *owed_args])
        audit = self.scrub_audit()
        self.checkpoint()
        return Erased(checks + stray, unlinked + stray, votes, audit, follows, notices)

    def erase_text(self, scope: str | None, text: str, stamp: str) -> Erased:
        """Erase the checks whose statement contains `text` (any case), in one scope or (None) all.

        For someone whose message another member fact-checked: the check is the other member's,
        but the words are theirs."""
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        condition, args = ("1 = 1", []) if scope is None else _where_scope(scope)
        with self.db.transaction() as tx:
            checks = tx.execute("UPDATE checks SET statement = NULL, user_id = NULL, channel_id = NULL, erased_at = ? "
                                f"WHERE erased_at IS NULL AND {condition} AND lower(statement) LIKE ? ESCAPE '\\'",
                                [stamp, *args, pattern])
        votes = self.unlink_votes() if checks else 0
        audit = self.scrub_audit()
        self.checkpoint()
        return Erased(checks, checks, votes, audit)


def _without_wording(data: str | None) -> str | None:
    if not data:
        return data
    parsed = json.loads(data)
    parsed.pop("statement", None)
    return json.dumps(parsed, sort_keys=True)

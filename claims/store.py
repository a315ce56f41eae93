"""SQLite storage (sqlite-utils, WAL): the working claim base, the check log and feedback.

The shipped YAML base is imported on first run; after that the database is the working copy
that moderators edit. When a new release ships a changed base and nobody has edited the
database, the new base is imported again; when moderators have, their work is kept and a
warning says how to merge.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from claims.load import Base, default_base_dir, load_base
from claims.models import Article, Claim, Entity, Outlet

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class StoreError(RuntimeError):
    """The database cannot be used right now; the message says why and what to do."""


def default_db_path() -> Path:
    """$CROSSCHECK_DB, else $XDG_DATA_HOME/crosscheck/crosscheck.sqlite (~/.local/share/...)."""
    configured = os.environ.get("CROSSCHECK_DB")
    if configured:
        return Path(configured).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "crosscheck" / "crosscheck.sqlite"


def shipped_fingerprint(base_dir: Path) -> str:
    """A cheap hash of the shipped base's files, to notice a new release without parsing it."""
    digest = hashlib.sha256()
    files = [base_dir / "sources.yaml", base_dir / "claims" / "base" / "entities.yaml"]
    files += sorted((base_dir / "claims" / "base" / "topics").glob("*.yaml"))
    files += sorted((base_dir / "claims" / "base" / "articles").glob("*.txt"))
    for path in files:
        digest.update(str(path.relative_to(base_dir)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """The project's SQLite database."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        # The bot checks statements in worker threads that share this connection: one
        # transaction at a time, or their BEGIN/COMMITs would interleave.
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.enable_wal()
            self._create()
        except sqlite3.OperationalError as exc:
            raise _friendly(exc, self.path) from exc
        except OSError as exc:
            raise StoreError(f"cannot open the database at {self.path}: {exc.strerror or exc}. "
                             "Set CROSSCHECK_DB to a writable path") from exc

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All-or-nothing writes; a locked database becomes a StoreError with advice.

        BEGIN IMMEDIATE takes the write lock up front, so two writers wait for each other
        (up to the busy timeout) instead of failing half-way; nested blocks are savepoints."""
        conn = self.db.conn
        with self._lock:
            try:
                if conn.in_transaction:
                    with self.db.atomic():
                        yield self.db
                    return
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise _friendly(exc, self.path) from exc

    def _create(self) -> None:
        db = self.db
        with self.db.atomic():
            db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
            db["outlets"].create({"id": str, "data": str}, pk="id", if_not_exists=True)
            db["articles"].create({"id": str, "data": str, "text": str}, pk="id", if_not_exists=True)
            db["entities"].create({"id": str, "data": str}, pk="id", if_not_exists=True)
            db["claims"].create(
                {"id": str, "topic": str, "file": str, "data": str, "status": str, "revision": int,
                 "updated_at": str},
                pk="id", if_not_exists=True,
            )
            db["checks"].create(
                {"id": int, "statement": str, "asked_at": str, "claim_id": str, "score": float,
                 "verdict": str, "outcome": str, "suggestions": str, "user_id": str, "guild_id": str,
                 "channel_id": str, "via": str},
                pk="id", if_not_exists=True,
            )
            db["checks"].create_index(["asked_at"], if_not_exists=True)
            db["checks"].create_index(["claim_id"], if_not_exists=True)
            db["feedback"].create(
                {"id": int, "check_id": int, "user_id": str, "helpful": int, "at": str},
                pk="id", if_not_exists=True,
            )
            # Every moderator change, with the target's state before and after (JSON), for
            # history and undo. `undone_by` points at the audit row that reverted it.
            db["audit"].create(
                {"id": int, "at": str, "actor": str, "action": str, "target_type": str, "target_id": str,
                 "before": str, "after": str, "reason": str, "undo_of": int, "undone_by": int},
                pk="id", if_not_exists=True,
            )
            db["audit"].create_index(["target_type", "target_id"], if_not_exists=True)
            # Per-server settings: who counts as a moderator (a role; default Manage Messages).
            db["guild_settings"].create(
                {"guild_id": str, "moderator_role_id": str, "updated_at": str, "updated_by": str},
                pk="guild_id", if_not_exists=True,
            )
            # What moderators did with queued questions (one row per check handled).
            db["review"].create(
                {"check_id": int, "action": str, "claim_id": str, "actor": str, "at": str},
                pk="check_id", if_not_exists=True,
            )

    # --- meta -----------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # --- the claim base -------------------------------------------------------------------------

    def has_base(self) -> bool:
        return self.db["claims"].count > 0

    def import_base(self, base: Base, fingerprint: str | None = None, actor: str | None = None,
                    source: str | None = None) -> None:
        """Replace the stored base with `base`, atomically. A moderator's import is audited."""
        stamp = now_iso()
        with self.transaction() as db:
            for table in ("outlets", "articles", "entities", "claims"):
                db.execute(f"delete from {table}")
            db["outlets"].insert_all({"id": o.id, "data": o.model_dump_json()} for o in base.outlets.values())
            db["articles"].insert_all(
                {"id": a.id, "data": a.model_dump_json(), "text": base.texts.get(a.id, "")}
                for a in base.articles.values()
            )
            db["entities"].insert_all({"id": e.id, "data": e.model_dump_json()} for e in base.entities.values())
            db["claims"].insert_all(
                {"id": c.id, "topic": c.topic, "file": base.claim_files.get(c.id, f"claims/base/topics/{c.topic}.yaml"),
                 "data": c.model_dump_json(), "status": c.status, "revision": 1, "updated_at": stamp}
                for c in base.claims.values()
            )
            if fingerprint:
                db["meta"].upsert({"key": "shipped_fingerprint", "value": fingerprint}, pk="key")
            db["meta"].upsert({"key": "imported_at", "value": stamp}, pk="key")
            if actor:
                db["audit"].insert({"at": stamp, "actor": actor, "action": "base.import", "target_type": "base",
                                    "target_id": source or "", "before": None, "after": None,
                                    "reason": f"imported {len(base.claims)} claims", "undo_of": None,
                                    "undone_by": None})

    def load_base(self) -> Base:
        """The stored base as models."""
        db = self.db
        outlets = {r["id"]: Outlet.model_validate_json(r["data"]) for r in db["outlets"].rows}
        articles, texts = {}, {}
        for r in db["articles"].rows:
            articles[r["id"]] = Article.model_validate_json(r["data"])
            texts[r["id"]] = r["text"]
        entities = {r["id"]: Entity.model_validate_json(r["data"]) for r in db["entities"].rows}
        claims, files = {}, {}
        for r in db["claims"].rows:
            claims[r["id"]] = Claim.model_validate_json(r["data"])
            files[r["id"]] = r["file"]
        return Base(outlets, articles, texts, entities, claims, files)

    def moderator_changes(self) -> int:
        """How many moderator edits the database holds."""
        return self.db["audit"].count

    def claim_row(self, claim_id: str) -> dict[str, Any] | None:
        """The stored row of a claim (data, status, revision, file), or None."""
        rows = list(self.db["claims"].rows_where("id = ?", [claim_id]))
        return rows[0] if rows else None

    def ensure_base(self, base_dir: Path | None = None) -> Base:
        """The working base: import the shipped one on first run or when a new release changed it."""
        root = base_dir or default_base_dir()
        fingerprint = shipped_fingerprint(root)
        stored = self.meta("shipped_fingerprint")
        if not self.has_base() or (stored != fingerprint and self.moderator_changes() == 0):
            base = load_base(root)
            self.import_base(base, fingerprint)
            log.info("imported the shipped claim base (%d claims) into %s", len(base.claims), self.path)
            return base
        if stored != fingerprint:
            log.warning("the shipped claim base changed, but moderators have edited %s; keeping their "
                        "version. Run `crosscheck claims import --merge` to bring in the new claims.", self.path)
        return self.load_base()

    # --- per-server settings ----------------------------------------------------------------------

    def moderator_role(self, guild_id: str) -> str | None:
        """The role that makes a member a moderator in this server, if one was set."""
        row = self.db.execute("select moderator_role_id from guild_settings where guild_id = ?",
                              [guild_id]).fetchone()
        return row[0] if row and row[0] else None

    def set_moderator_role(self, guild_id: str, role_id: str | None, by: str) -> None:
        """Set (or clear, with None) the moderator role of a server."""
        with self.transaction() as db:
            db["guild_settings"].upsert({"guild_id": guild_id, "moderator_role_id": role_id,
                                         "updated_at": now_iso(), "updated_by": by}, pk="guild_id")

    # --- the check log --------------------------------------------------------------------------

    def log_check(self, reply: Any, *, user_id: str | None = None, guild_id: str | None = None,
                  channel_id: str | None = None, via: str = "cli") -> int:
        """Record one check (statement, time, matched claim, score, verdict); returns its id."""
        row = {
            "statement": reply.statement,
            "asked_at": now_iso(),
            "claim_id": reply.claim.id if reply.claim else None,
            "score": reply.claim.score if reply.claim else (reply.suggestions[0].score if reply.suggestions else None),
            "verdict": reply.verdict,
            "outcome": reply.outcome,
            "suggestions": json.dumps([s.id for s in reply.suggestions]),
            "user_id": user_id,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "via": via,
        }
        with self.transaction() as db:
            return db["checks"].insert(row).last_pk

    def record_feedback(self, check_id: int, user_id: str, helpful: bool) -> None:
        """Record whether an answer helped; one vote per user and check (the last one counts)."""
        with self.transaction() as db:
            db.execute("delete from feedback where check_id = ? and user_id = ?", [check_id, user_id])
            db["feedback"].insert({"check_id": check_id, "user_id": user_id, "helpful": int(helpful),
                                   "at": now_iso()})

    def checks(self, since: str | None = None) -> list[dict[str, Any]]:
        """Logged checks, oldest first (optionally since an ISO time)."""
        if since:
            return list(self.db["checks"].rows_where("asked_at >= ?", [since], order_by="id"))
        return list(self.db["checks"].rows_where(order_by="id"))


def _friendly(exc: sqlite3.OperationalError, path: Path) -> StoreError:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return StoreError(f"the database {path} is locked by another process (waited "
                          f"{BUSY_TIMEOUT_MS / 1000:g}s); nothing was changed. Try again, or stop the other writer")
    if "readonly" in message:
        return StoreError(f"the database {path} is read-only; set CROSSCHECK_DB to a writable path")
    return StoreError(f"database error at {path}: {message}")

"""One database connection, its transactions, and errors a user can act on.

SQLite is the embedded default (one machine); PostgreSQL (psycopg 3) carries several bot
processes on several hosts, chosen by a `postgresql://` address (`open_database`). SQL in the
store is written once for both: `?` placeholders, `INSERT ... RETURNING`, `ON CONFLICT ... DO
UPDATE`; the PostgreSQL connection turns the placeholders into its own.

Writers are serialised on both, so a read-modify-write inside a transaction never works on a
stale read: SQLite takes its write lock at BEGIN IMMEDIATE, PostgreSQL takes one advisory lock
per write transaction. The bot answers checks in worker threads that share the connection, so
every statement and every transaction also takes the connection's lock.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 5000
Params = Sequence[Any]
Row = dict[str, Any]


class StoreError(RuntimeError):
    """The database cannot be used right now; the message says why and what to do."""


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_db_path() -> Path | str:
    """$CROSSCHECK_DB (a file, or a postgresql:// address), else
    $XDG_DATA_HOME/crosscheck/crosscheck.sqlite (~/.local/share/...)."""
    configured = os.environ.get("CROSSCHECK_DB")
    if configured:
        return configured if is_url(configured) else Path(configured).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "crosscheck" / "crosscheck.sqlite"


def _as_is(sql: str) -> str:
    return sql


class Transaction:
    """The statements of one transaction (see `Database.transaction`)."""

    def __init__(self, conn: Any, dialect: Callable[[str], str] = _as_is, backend: str = "sqlite"):
        self._conn = conn
        self._sql = dialect
        self.backend = backend

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; return how many rows it changed."""
        return self._conn.execute(self._sql(sql), params).rowcount

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if hasattr(self._conn, "executemany"):
            self._conn.executemany(self._sql(sql), rows)
        else:
            with self._conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query, as dicts."""
        cursor = self._conn.execute(self._sql(sql), params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self._conn.execute(self._sql(sql), params).fetchone()
        return row[0] if row else None

    def insert(self, table: str, row: dict[str, Any], returning: str | None = "id") -> Any:
        """Insert one row; return its `returning` column (the new id)."""
        names = list(row)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        if returning is None:
            self._conn.execute(self._sql(sql), [row[n] for n in names])
            return None
        return self._conn.execute(self._sql(f"{sql} RETURNING {returning}"), [row[n] for n in names]).fetchone()[0]


def is_url(target: Path | str) -> bool:
    """Whether a database target is a PostgreSQL address rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def open_database(target: Path | str) -> Database | PostgresDatabase:
    """The database at `target`: a `postgresql://` address, or a SQLite file path."""
    return PostgresDatabase(str(target)) if is_url(target) else Database(target)


class Database:
    """The SQLite file: created owner-only, in WAL mode, with serialised transactions."""

    backend = "sqlite"
    integrity_errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.RLock()
        in_memory = str(path) == ":memory:"  # for tests: nothing on disk
        try:
            if not in_memory:
                _create_private(self.path)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                                   isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not in_memory and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise friendly(exc, self.path) from exc
        except OSError as exc:
            raise StoreError(f"cannot open the database at {self.path}: {exc.strerror or exc}. "
                             "Set CROSSCHECK_DB to a writable path") from exc
        self.conn = conn

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """All-or-nothing writes; a locked database becomes a StoreError with advice.

        BEGIN IMMEDIATE takes the write lock up front, so two writers (threads or processes)
        wait for each other, up to the busy timeout, instead of failing half-way. A nested
        block is a savepoint of the outer transaction."""
        conn = self.conn
        with self._lock:
            if conn.in_transaction:
                conn.execute("SAVEPOINT nested")
                try:
                    yield Transaction(conn)
                except BaseException:
                    conn.execute("ROLLBACK TO nested")
                    conn.execute("RELEASE nested")
                    raise
                conn.execute("RELEASE nested")
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise friendly(exc, self.path) from exc
            try:
                yield Transaction(conn)
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise friendly(exc, self.path) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # Reads outside a transaction: each is its own consistent snapshot.

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self._lock, self._reading():
            return Transaction(self.conn).query(sql, params)

    def one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._lock, self._reading():
            return Transaction(self.conn).scalar(sql, params)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise friendly(exc, self.path) from exc

    def table_names(self) -> set[str]:
        return {r["name"] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def describe(self) -> str:
        """Where the database is, for messages."""
        return str(self.path)


# PostgreSQL: one advisory lock key for every write transaction (see the module's docstring).
WRITE_LOCK = 0x63726F7373  # "cross"
CONNECT_TIMEOUT_S = 10


class PostgresDatabase:
    """A PostgreSQL database over one psycopg 3 connection, reconnected when it drops."""

    backend = "postgresql"

    def __init__(self, url: str):
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self.path = url  # what messages and `Store.path` show
        self.integrity_errors = (psycopg.errors.IntegrityError,)
        self._lock = threading.RLock()
        self.conn = self._connect()

    def _connect(self) -> Any:
        try:
            # A writer waits for another's lock as long as SQLite's busy timeout, then gives up cleanly.
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                         options=f"-c lock_timeout={BUSY_TIMEOUT_MS}")
        except self._psycopg.Error as exc:
            raise StoreError(f"cannot reach the database {self.describe()}: {str(exc).strip().splitlines()[0]}. "
                             "Check CROSSCHECK_DB and that PostgreSQL is running") from exc

    def describe(self) -> str:
        """The address without its password."""
        return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", self.url)

    def _live(self) -> Any:
        """The connection, opened again if the server dropped it (the next statement just works)."""
        if self.conn.closed or self.conn.broken:
            self.conn = self._connect()
        return self.conn

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """All-or-nothing writes, one writer at a time (a nested block is a savepoint)."""
        with self._lock:
            conn = self._live()
            nested = conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE
            try:
                with conn.transaction():
                    if not nested:
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                    yield Transaction(conn, _pg_sql, "postgresql")
            except self._psycopg.OperationalError as exc:
                raise self._friendly(exc) from exc

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self._lock:
            try:
                return Transaction(self._live(), _pg_sql, "postgresql").query(sql, params)
            except self._psycopg.OperationalError as exc:
                raise self._friendly(exc) from exc

    def one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self._lock:
            try:
                return Transaction(self._live(), _pg_sql, "postgresql").scalar(sql, params)
            except self._psycopg.OperationalError as exc:
                raise self._friendly(exc) from exc

    def table_names(self) -> set[str]:
        return {r["table_name"] for r in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def _friendly(self, exc: Exception) -> StoreError:
        if isinstance(exc, self._psycopg.errors.LockNotAvailable):
            return StoreError(f"the database {self.describe()} is locked by another process (waited "
                              f"{BUSY_TIMEOUT_MS / 1000:g}s); nothing was changed. Try again, or stop the other writer")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"the database {self.describe()} cannot be used right now ({first}); nothing was "
                          "changed. Try again in a moment")


def _pg_sql(sql: str) -> str:
    """The store's SQL for psycopg: `?` placeholders become `%s` (a literal % is doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _create_private(path: Path) -> None:
    """Create the database's folder (0700) and file (0600) if missing: it holds every question
    people asked, with their user ids. Existing files keep the modes their owner gave them."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR))


def friendly(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    """A database error as one line that says what to do."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return StoreError(f"the database {path} is locked by another process (waited "
                          f"{BUSY_TIMEOUT_MS / 1000:g}s); nothing was changed. Try again, or stop the other writer")
    if "readonly" in message:
        return StoreError(f"the database {path} is read-only; set CROSSCHECK_DB to a writable path")
    if "not a database" in message or "malformed" in message:
        return StoreError(f"{path} is not a Crosscheck database (or is damaged): {message}. "
                          "Point CROSSCHECK_DB at another file, or restore a backup")
    return StoreError(f"database error at {path}: {message}")

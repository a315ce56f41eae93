"""Logging checks off the answer's path: a process that answers many checks at once writes their
log rows in the background, in batches, instead of one transaction per answer.

A check's id is known at once (ids are reserved from the database in blocks), so the answer's
buttons can carry it; the row follows within milliseconds. Whoever reads a check that may not be
written yet calls `flush` first. A process killed between an answer and its row loses at most the
rows of one batch: the answers were already given.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any

from claims.store import Store, StoreError, now_iso
from claims.store.checks import LogEntry

log = logging.getLogger(__name__)

ID_BLOCK = 64  # ids reserved at a time: one transaction per 64 checks instead of per check
BATCH = 256  # rows written per transaction at most


class CheckLogWriter:
    """Writes check rows from a thread of its own; `submit` returns the check's id at once."""

    def __init__(self, store: Store):
        self.store = store
        self._ids: deque[int] = deque()
        self._queue: list[LogEntry] = []
        self._pending: set[int] = set()
        self._lock = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="crosscheck-checklog", daemon=True)
        self._thread.start()

    def submit(self, reply: Any, *, workspace_id: str, user_id: str | None = None, guild_id: str | None = None,
               channel_id: str | None = None, via: str = "discord") -> int:
        """Queue a check's row; return its id (reserving a new block of ids when needed)."""
        with self._lock:
            if self._closed:
                raise StoreError("the check log is closed")
            if not self._ids:
                self._ids.extend(self.store.checks.reserve_ids(ID_BLOCK))
            check_id = self._ids.popleft()
            self._queue.append(LogEntry(check_id, now_iso(), reply, workspace_id, user_id, guild_id, channel_id, via))
            self._pending.add(check_id)
            self._lock.notify_all()
            return check_id

    def pending(self, check_id: int) -> bool:
        """Whether a check's row is not written yet."""
        with self._lock:
            return check_id in self._pending

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every row submitted so far is written (or given up on)."""
        with self._lock:
            self._lock.wait_for(lambda: not self._pending, timeout)

    def close(self) -> None:
        """Write what is queued, then stop."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(timeout=10.0)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._queue or self._closed)
                if not self._queue and self._closed:
                    return
                batch, self._queue = self._queue[:BATCH], self._queue[BATCH:]
            try:
                self.store.checks.write(batch)
            except StoreError as exc:  # a locked or unreachable database: the answers were given anyway
                log.error("%d checks answered but not logged: %s", len(batch), exc)
            except Exception:
                log.exception("%d checks answered but not logged", len(batch))
            with self._lock:
                self._pending.difference_update(entry.check_id for entry in batch)
                self._lock.notify_all()

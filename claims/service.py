"""The running product without any chat platform: a store, the engines, and checks that get logged.

The CLI, the console and the Discord bot all go through `Crosscheck.check`, so a statement gets
the same answer, and the same log entry, wherever it is asked. A check asked in a Discord
server is answered from that server's workspace and logged as that server's; one asked in the
terminal uses a named workspace (`default` unless told otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from claims.checklog import CheckLogWriter
from claims.engine import Engine, Reply, clean_statement
from claims.engines import Engines
from claims.store import DEFAULT, Store, StoreError, default_db_path
from claims.store.feed import ChangeRow, FeedFollower

log = logging.getLogger(__name__)


@dataclass
class Checked:
    """A reply and the id of its log entry (None when the log could not be written)."""

    reply: Reply
    check_id: int | None
    workspace_id: str = DEFAULT


class Crosscheck:
    """The claim engines over the workspaces in the database."""

    def __init__(self, store: Store, today: date | None = None, base_dir: Path | None = None,
                 workspace_id: str = DEFAULT):
        self.store = store
        store.ensure_shipped(base_dir)
        self.engines = Engines(store, today=today)
        self.workspace_id = workspace_id
        store.workspaces.require(workspace_id)
        self._log: CheckLogWriter | None = None

    def log_in_background(self) -> None:
        """Write check log rows from a background thread, in batches, off the answer's path (the
        bot does: many checks at once). Call `flush_log` before reading checks just answered."""
        if self._log is None:
            self._log = CheckLogWriter(self.store)

    def flush_log(self) -> None:
        """Wait until every check answered so far is in the log."""
        if self._log is not None:
            self._log.flush()

    def logged_check(self, check_id: int) -> dict[str, Any] | None:
        """A logged check (waiting for its row if it is still being written)."""
        if self._log is not None and self._log.pending(check_id):
            self._log.flush()
        return self.store.checks.get(check_id)

    @classmethod
    def open(cls, db_path: Path | str | None = None, today: date | None = None,
             base_dir: Path | None = None, workspace_id: str = DEFAULT) -> Crosscheck:
        """Open the database (default: $CROSSCHECK_DB) and get ready to answer from `workspace_id`."""
        store = Store(db_path or default_db_path())
        try:
            return cls(store, today=today, base_dir=base_dir, workspace_id=workspace_id)
        except BaseException:
            store.close()
            raise

    @property
    def engine(self) -> Engine:
        """The up-to-date engine of this service's own workspace (the terminal's)."""
        return self.engines.engine(self.workspace_id)

    def engine_for(self, workspace_id: str) -> Engine:
        """The up-to-date engine of a workspace."""
        return self.engines.engine(workspace_id)

    def workspace_of(self, guild_id: str | None) -> str:
        """The workspace a server uses (its own, created on first use); this service's own for None."""
        return self.engines.workspace_of_server(str(guild_id)) if guild_id else self.workspace_id

    def check(self, statement: str, *, user_id: str | None = None, guild_id: str | None = None,
              channel_id: str | None = None, via: str = "cli", workspace_id: str | None = None) -> Checked:
        """Check a statement and log it. A log that cannot be written never costs the answer."""
        clean_statement(statement)  # a statement that cannot be checked is refused before any lookup
        try:
            workspace = workspace_id or self.workspace_of(guild_id)
        except StoreError as exc:
            # A server's first question, with the database locked: its workspace would inherit
            # the default one, so that answers now; the workspace is made at its next question.
            log.error("could not give server %s its workspace yet: %s", guild_id, exc)
            workspace = self.workspace_id
        with self.engines.lock:
            reply = self.engines.engine(workspace).check(statement)
        try:
            write = self._log.submit if self._log is not None else self.store.checks.log
            check_id = write(reply, workspace_id=workspace, user_id=user_id, guild_id=guild_id,
                             channel_id=channel_id, via=via)
        except StoreError as exc:
            log.error("check answered but not logged: %s", exc)
            check_id = None
        return Checked(reply, check_id, workspace)

    def check_against(self, statement: str, claim_id: str, *, guild_id: str | None = None,
                      workspace_id: str | None = None) -> Reply:
        """Judge a statement against a claim the asker picked (a "did you mean" choice)."""
        workspace = workspace_id or self.workspace_of(guild_id)
        with self.engines.lock:
            return self.engines.engine(workspace).check_against(statement, claim_id)

    def sync(self) -> list[ChangeRow]:
        """Catch up with changes made anywhere (this process, the CLI, other bot processes)."""
        return self.engines.sync()

    def follow(self, on_changes: Callable[[list[ChangeRow]], None] | None = None,
               poll_seconds: float = 1.0) -> FeedFollower:
        """Apply changes as soon as any process makes them (not only at the next check), and tell
        `on_changes` what they were (e.g. a digest schedule changed elsewhere, a claim someone
        follows was edited here), whichever thread applied them: a check, an edit or the follower.
        Stop it, and `unfollow(on_changes)`, before closing."""
        if on_changes is not None:
            self.engines.listeners.append(on_changes)
        return FeedFollower(self.store.path, self.sync, poll_seconds).start()

    def unfollow(self, on_changes: Callable[[list[ChangeRow]], None]) -> None:
        """Stop telling `on_changes` of changes."""
        if on_changes in self.engines.listeners:
            self.engines.listeners.remove(on_changes)

    def close(self) -> None:
        """Finish the background writes (the check log, the index entries kept for the next
        start) and close the store."""
        if self._log is not None:
            self._log.close()
        self.engines.wait_saved()
        self.store.close()

"""The running product without any chat platform: a store, an engine, and checks that get logged.

The CLI, the console and the Discord bot all go through `Crosscheck.check`, so a statement gets
the same answer, and the same log entry, wherever it is asked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from claims.engine import Engine, Reply
from claims.store import Store, StoreError, default_db_path

log = logging.getLogger(__name__)


@dataclass
class Checked:
    """A reply and the id of its log entry (None when the log could not be written)."""

    reply: Reply
    check_id: int | None


class Crosscheck:
    """The claim engine over the working base in the database."""

    def __init__(self, store: Store, today: date | None = None, base_dir: Path | None = None):
        self.store = store
        self.engine = Engine(store.ensure_base(base_dir), today=today)

    @classmethod
    def open(cls, db_path: Path | str | None = None, today: date | None = None,
             base_dir: Path | None = None) -> Crosscheck:
        """Open the database (default: $CROSSCHECK_DB) and load the working base."""
        return cls(Store(db_path or default_db_path()), today=today, base_dir=base_dir)

    def check(self, statement: str, *, user_id: str | None = None, guild_id: str | None = None,
              channel_id: str | None = None, via: str = "cli") -> Checked:
        """Check a statement and log it. A log that cannot be written never costs the answer."""
        reply = self.engine.check(statement)
        try:
            check_id = self.store.log_check(reply, user_id=user_id, guild_id=guild_id,
                                            channel_id=channel_id, via=via)
        except StoreError as exc:
            log.error("check answered but not logged: %s", exc)
            check_id = None
        return Checked(reply, check_id)

    def close(self) -> None:
        self.store.close()

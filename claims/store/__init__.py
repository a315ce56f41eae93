"""Storage: every table the project keeps, behind one object, and the only place SQL is written.

    store = Store(path)            # opens (or creates) the database and migrates its schema
    store.objects                  # the layered claim bases of workspaces
    store.workspaces               # workspaces, the servers attached to them, their curators
    store.feed                     # the change feed every process follows
    store.audit                    # moderators' changes, for history and undo
    store.checks                   # what people asked, per server, and the review queue
    store.privacy                  # how long that is kept, the askers' pseudonyms, erasure
    store.settings                 # per-server settings and the database's notes
    store.digests                  # digest schedules and the periods posted
    store.cooldowns                # per-member rate limits, shared by every bot process
    store.terms                    # each claim's index entry, so a restart skips normalising
    store.follows                  # who follows which claim, and the messages owed to people
    store.drafts                   # what articles added by moderators draft, waiting for review

SQLite is the embedded default (one machine). The shipped claim base is imported into the
read-only `shipped` workspace on first run and again whenever a release changes it; the
workspaces built on it keep their own edits.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from claims.load import Base, default_base_dir, load_base
from claims.store.audit import AuditEntry, AuditLog
from claims.store.checks import LOOSE_MATCH, CheckLog, Where
from claims.store.cooldowns import Cooldowns
from claims.store.database import StoreError, Transaction, default_db_path, is_url, now_iso, open_database
from claims.store.digests import DigestStore
from claims.store.drafts import DraftStore
from claims.store.feed import ChangeFeed, record_change
from claims.store.follows import FollowStore
from claims.store.migrations import DEFAULT, SHIPPED, migrate, server_workspace_id
from claims.store.objects import ObjectStore, StaleRevision, Stored
from claims.store.privacy import PrivacyStore
from claims.store.settings import Settings
from claims.store.terms import TermsStore
from claims.store.workspaces import Workspace, WorkspaceError, WorkspaceStore

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT",
    "LOOSE_MATCH",
    "SHIPPED",
    "AuditEntry",
    "StaleRevision",
    "Store",
    "StoreError",
    "Stored",
    "Transaction",
    "Where",
    "Workspace",
    "WorkspaceError",
    "default_db_path",
    "is_url",
    "now_iso",
    "record_change",
    "server_workspace_id",
    "shipped_fingerprint",
]


def shipped_fingerprint(base_dir: Path) -> str:
    """A cheap hash of the shipped base's files, to notice a new release without parsing it."""
    digest = hashlib.sha256()
    files = [base_dir / "sources.yaml", base_dir / "claims" / "base" / "entities.yaml",
             base_dir / "claims" / "base" / "vocabulary.yaml"]
    files += sorted((base_dir / "claims" / "base" / "topics").glob("*.yaml"))
    files += sorted((base_dir / "claims" / "base" / "articles").glob("*.txt"))
    for path in files:
        digest.update(str(path.relative_to(base_dir)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


class Store:
    """The project's database: opened, migrated, and split into one object per kind of data."""

    def __init__(self, target: Path | str):
        """Open the SQLite file at `target`, or the PostgreSQL database at a `postgresql://` address."""
        self.db = open_database(target)
        self.path = self.db.path
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise
        self.objects = ObjectStore(self.db)
        self.workspaces = WorkspaceStore(self.db)
        self.feed = ChangeFeed(self.db)
        self.audit = AuditLog(self.db)
        self.checks = CheckLog(self.db)
        self.privacy = PrivacyStore(self.db)
        self.settings = Settings(self.db)
        self.digests = DigestStore(self.db)
        self.cooldowns = Cooldowns(self.db)
        self.terms = TermsStore(self.db)
        self.follows = FollowStore(self.db)
        self.drafts = DraftStore(self.db)

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        """All-or-nothing writes across the parts (see `Database.transaction`)."""
        return self.db.transaction()

    def ensure_shipped(self, base_dir: Path | None = None) -> bool:
        """Import the shipped base into the `shipped` workspace on first run, and again when a
        release changed it. Returns True when it imported."""
        root = base_dir or default_base_dir()
        fingerprint = shipped_fingerprint(root)
        if self.settings.meta("shipped_fingerprint") == fingerprint:
            return False
        base = load_base(root)
        self.import_base(SHIPPED, base, fingerprint=fingerprint)
        log.info("imported the shipped claim base (%d claims) into %s", len(base.claims), self.path)
        return True

    def import_base(self, workspace_id: str, base: Base, *, fingerprint: str | None = None,
                    actor: str | None = None, source: str | None = None) -> None:
        """Replace a workspace's own base with `base`, atomically. A moderator's import is audited."""
        stamp = now_iso()
        with self.db.transaction() as tx:
            self.objects.replace(tx, workspace_id, base)
            if fingerprint:
                tx.execute("INSERT INTO meta (key, value) VALUES ('shipped_fingerprint', ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value", [fingerprint])
            pending = tx.scalar("SELECT value FROM meta WHERE key = 'dedupe_after_import'")
            if pending and workspace_id == SHIPPED:
                # An upgraded database's edited base keeps only what differs from the shipped one.
                self.objects.drop_redundant(tx, self.workspaces.chain(pending, tx))
                tx.execute("DELETE FROM meta WHERE key = 'dedupe_after_import'")
            if actor:
                self.audit.append(tx, workspace_id=workspace_id, actor=actor, action="base.import",
                                  target_type="base", target_id=source or "", before=None, after=None,
                                  reason=f"imported {len(base.claims)} claims", at=stamp)

    def load_base(self, workspace_id: str = DEFAULT) -> Base:
        """The base a workspace sees (its own rows over its parents')."""
        return self.objects.load(self.workspaces.chain(workspace_id))

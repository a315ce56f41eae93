"""Moderators' changes to a workspace's claim base: validated, atomic, audited, undoable.

    curator = Curator(service, workspace_id="default")          # the terminal's workspace
    curator = Curator(service, guild_id="123")                   # a server's workspace and queue
    curator.add_alias("cli:me", "troops-in-syria", "GIs in Syria")

Every change goes through one write path (`claims.curate.base`); the parts are split by what
they change: claims, sources (outlets and articles), the review queue, and history with undo.
Who may call them is the caller's business (the bot checks moderators and curators).
"""

from __future__ import annotations

from claims.curate.base import Change, ConflictError, CurationError
from claims.curate.claims import new_claim_data
from claims.curate.history import HistoryCuration
from claims.curate.queue import QueueCuration
from claims.curate.sources import SourceCuration
from claims.store import AuditEntry


class Curator(QueueCuration, SourceCuration, HistoryCuration):
    """Every moderation operation on one workspace (and one server's review queue)."""


__all__ = ["AuditEntry", "Change", "ConflictError", "CurationError", "Curator", "new_claim_data"]

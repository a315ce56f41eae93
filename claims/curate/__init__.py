"""Moderators' changes to a workspace's claim base: validated, atomic, audited, undoable.

    curator = Curator(service, workspace_id="default")          # the terminal's workspace
    curator = Curator(service, guild_id="123")                   # a server's workspace and queue
    curator.add_alias("cli:me", "troops-in-syria", "GIs in Syria")

Every change goes through one write path (`claims.curate.base`); the parts are split by what
they change: claims, their versions and sources, entities, the vocabulary, topics, sources
(outlets and articles), the review queue, drafts from articles (`drafts`), and history with
undo; `search` finds claims to curate. A change that is valid but would break answers
(`warnings`) is not written until the moderator accepts its warnings. Who may call them is the
caller's business (the bot checks moderators and curators).
"""

from __future__ import annotations

from claims.curate.base import Change, ConflictError, CurationError
from claims.curate.claims import new_claim_data
from claims.curate.drafts import DraftCuration, Ingested
from claims.curate.entities import EntityCuration, EntityUse
from claims.curate.history import HistoryCuration
from claims.curate.queue import QueueCuration
from claims.curate.search import Found, SearchCuration
from claims.curate.sources import SourceCuration
from claims.curate.topics import Topic, TopicCuration
from claims.curate.versions import (
    VALUE_FIELDS,
    VersionCuration,
    format_values_block,
    parse_values_block,
    value_changes,
    values_from,
)
from claims.curate.vocabulary import VocabularyCuration
from claims.curate.warnings import Accept, CurationWarning, NeedsConfirmation
from claims.store import AuditEntry


class Curator(QueueCuration, DraftCuration, VersionCuration, TopicCuration, SearchCuration, EntityCuration,
              VocabularyCuration, SourceCuration, HistoryCuration):
    """Every moderation operation on one workspace (and one server's review queue)."""


__all__ = [
    "VALUE_FIELDS", "Accept", "AuditEntry", "Change", "ConflictError", "CurationError", "CurationWarning", "Curator",
    "EntityUse", "Found", "Ingested", "NeedsConfirmation", "Topic", "format_values_block", "new_claim_data",
    "parse_values_block", "value_changes", "values_from",
]

"""Drafts as a moderator reads them, in the terminal and in Discord: what each would change,
from which sentence, with which values, and why it was drafted."""

from __future__ import annotations

from itertools import groupby

from claims.ingest.drafting import CLAIM, ENTITY, SOURCE, VERSION
from claims.store.drafts import StoredDraft

VERBS = {SOURCE: "add as a source", VERSION: "new version", CLAIM: "new claim", ENTITY: "new entity"}
VALUE_ORDER = ("date", "as_of", "count", "duration", "scope", "places", "actors", "speaker", "holds")


def target(draft: StoredDraft) -> str:
    """What the draft changes: 'add as a source → final-withdrawal-date/end-2026'."""
    data = draft.data
    if draft.action == SOURCE:
        return f"{VERBS[SOURCE]} → {draft.claim_id}/{draft.version_id}"
    if draft.action == VERSION:
        return f"{VERBS[VERSION]} {data.get('version_id') or draft.version_id} of {draft.claim_id}"
    if draft.action == CLAIM:
        return f"{VERBS[CLAIM]} {data.get('claim_id') or draft.claim_id} ({data.get('kind')})"
    entity = data.get("entity") or {}
    return f"{VERBS[ENTITY]} {entity.get('id')} ({entity.get('kind')}): {', '.join(entity.get('names') or [])}"


def values_line(draft: StoredDraft) -> str:
    """'date: end of 2026 · count: ~2500 · said by: Reuters' (empty when it drafts none)."""
    values = draft.data.get("values") or {}
    parts = []
    for key in VALUE_ORDER:
        value = values.get(key)
        if value not in (None, "", []):
            parts.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    if draft.data.get("said_by"):
        parts.append(f"said by: {draft.data['said_by']}")
    return " · ".join(parts)


def by_article(drafts: list[StoredDraft]) -> list[tuple[str, list[StoredDraft]]]:
    """Drafts grouped by article, in the order given."""
    return [(article, list(group)) for article, group in groupby(drafts, key=lambda d: d.article_id)]

"""Moderators' drafts from articles: add a report, then accept, edit and accept, or reject what it drafts.

    result = curator.add_article_with_drafts("cli:me", text, outlet="eu-today", published="2024-09-09")
    curator.drafts()                                   # pending drafts, grouped by article
    curator.accept_draft("cli:me", 12)                 # as drafted
    curator.accept_draft("cli:me", 13, {"values": {"date": "end of 2026"}})   # edited first
    curator.reject_draft("cli:me", 14, "not about the withdrawal")

The article and its drafts are written in one transaction, or nothing is. Accepting makes the
change a moderator would have made by hand (`add_source`, `add_version`, `add_claim`,
`add_entity`): validated, warned about, audited and undoable the same way, and the draft is
marked accepted in that change's transaction. Undoing the change puts the draft back in the
queue; so does undoing a rejection. Drafts change no verdict until accepted.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from claims.curate.base import Change, CurationError, validated
from claims.curate.claims import new_claim_data
from claims.curate.entities import EntityCuration
from claims.curate.sources import SourceCuration
from claims.curate.versions import VALUE_FIELDS, VersionCuration, value_changes
from claims.curate.warnings import Accept
from claims.ingest import ArticleError, Draft, Skip, article_problem, draft_article
from claims.ingest.drafting import CLAIM, ENTITY, SOURCE, VERSION, clip
from claims.load import normalise_quote
from claims.models import Article
from claims.store import Transaction, now_iso
from claims.store.drafts import ACCEPTED, PENDING, REJECTED, SKIP, SKIPPED, StoredDraft

# What a moderator may change in a draft before accepting it.
EDITABLE = ("quote", "said_by", "values", "text", "statement", "kind", "topic", "unit", "claim_id", "version_id",
            "entity")


@dataclass
class Ingested:
    """What adding an article did: the article (new or already there), the drafts it added, how
    many it had drafted before, and the sentences it skipped."""

    article_id: str
    added: bool
    change: Change | None
    drafts: list[StoredDraft] = field(default_factory=list)
    already: int = 0
    skipped: list[Skip] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: what was added and drafted."""
        kinds = Counter(d.action for d in self.drafts)
        drafted = ", ".join(f"{n} {_plural(action, n)}" for action, n in kinds.items()) or "nothing new"
        head = f"article {self.article_id}" + ("" if self.added else " was already added")
        again = f" ({self.already} drafted before)" if self.already else ""
        return f"{head}; drafted {drafted}{again}; {len(self.skipped)} sentences skipped"


def _plural(action: str, n: int) -> str:
    word = {SOURCE: "source", VERSION: "new version", CLAIM: "new claim", ENTITY: "new entity"}[action]
    return word if n == 1 else (word[:-1] + "ies" if word.endswith("y") else word + "s")


def article_id_for(outlet: str, published: str, text: str) -> str:
    """An article's id from its outlet, date and text: the same text gets the same id."""
    digest = hashlib.sha256(normalise_quote(text).encode()).hexdigest()[:12]
    return f"{outlet}-{published}-{digest}"[:80]


class DraftCuration(VersionCuration, EntityCuration, SourceCuration):
    """Articles added for drafting, and their drafts."""

    def add_article_with_drafts(self, actor: str, text: str, *, outlet: str, published: str, url: str | None = None,
                                title: str | None = None, byline: str | None = None,
                                article_id: str | None = None) -> Ingested:
        """Store an article and draft from it (see `claims.ingest`), in one transaction. The same
        text added again (under any id) drafts only what it had not drafted before. Refused, with
        nothing written, when the text is not an article's, or when it drafts nothing at all."""
        problem = article_problem(text)
        if problem:
            raise CurationError(problem)
        started = time.perf_counter()
        existing = self._article_with_text(text)
        if existing is None and outlet not in self.base.outlets:
            raise CurationError(f"unknown outlet {outlet!r}; add the outlet first (`crosscheck sources add-outlet`, "
                                "or /source add-outlet in Discord)")
        if existing is not None:
            article = self.base.articles[existing]  # drafted again as it was stored (its date, its outlet)
        else:
            new_id = article_id or article_id_for(outlet, published, text)
            article = validated(Article, {"id": new_id, "outlet": outlet, "published": published, "url": url,
                                          "title": title, "byline": byline,
                                          "path": f"claims/base/articles/{new_id}.txt"})
        if existing is None and article.id in self.base.articles:
            raise CurationError(f"an article with id {article.id!r} already exists with another text; choose another "
                                "id (or leave it out: one is made from the outlet, date and text)")
        try:
            drafting = draft_article(self.engine, article.id, text, article.published_date(),
                                     article.published_day_known())
        except ArticleError as exc:
            raise CurationError(str(exc)) from None
        if existing is None:
            copied = self._copy_of(drafting.checked)
            if copied:
                raise CurationError(f"every sentence of this article is already in article {copied!r}: it is a copy, "
                                    "and drafts nothing new; it was not added")
        keys = [d.key for d in drafting.drafts]
        known = self.store.drafts.keys(self.workspace_id, keys) if keys else set()
        new = [d for d in drafting.drafts if d.key not in known]
        if existing is None and not drafting.drafts:
            reasons = Counter(s.reason for s in drafting.skipped).most_common(3)
            why = "; ".join(f"{n}× {reason}" for reason, n in reasons) or "no sentences"
            raise CurationError(f"nothing to draft from this article ({why}); it was not added. Every sentence is "
                                "either already in the base or states nothing checkable")
        rows = [_row(d) for d in new] + [_skip_row(article.id, s) for s in drafting.skipped]
        stamp = now_iso()
        change = None

        def store_drafts(tx: Transaction, _audit_id: int | None = None) -> None:
            self.store.drafts.add(tx, self.workspace_id, article.id, rows, actor, stamp)

        if existing is None:
            change = self.add_article(actor, article.model_dump(), text, then=store_drafts)
        elif new:
            self._require_writable()
            with self.store.transaction() as tx:
                store_drafts(tx)
        stored = [d for d in self.store.drafts.of_article(self.workspace_id, article.id, (PENDING,))
                  if any(d.quote == n.quote and d.action == n.action and d.claim_id == n.claim_id for n in new)]
        return Ingested(article.id, existing is None, change, stored, len(drafting.drafts) - len(new),
                        drafting.skipped, time.perf_counter() - started)

    def _article_with_text(self, text: str) -> str | None:
        """The id of an article of the workspace with this very text, if there is one."""
        wanted = normalise_quote(text)
        base = self.base
        for article_id, body in base.texts.items():
            if len(body) >= len(text) // 2 and normalise_quote(body) == wanted:
                return article_id
        return None

    def _copy_of(self, sentences: list[str]) -> str | None:
        """The article every one of these sentences is already in, word for word, if one is."""
        if not sentences:
            return None
        wanted = [normalise_quote(s) for s in sentences]
        for article_id, body in self.base.texts.items():
            text = normalise_quote(body)
            if all(s in text for s in wanted):
                return article_id
        return None

    # --- the queue ------------------------------------------------------------------------------

    def drafts(self, article_id: str | None = None, limit: int | None = None) -> list[StoredDraft]:
        """Pending drafts, grouped by article in the order they were added, each article's in its order."""
        if article_id is not None:
            return self.store.drafts.of_article(self.workspace_id, article_id)[:limit]
        return self.store.drafts.pending(self.workspace_id, limit)

    def skipped_sentences(self, article_id: str) -> list[StoredDraft]:
        """The article's sentences that drafted nothing, with why."""
        return self.store.drafts.of_article(self.workspace_id, article_id, (SKIPPED,))

    def draft(self, draft_id: int) -> StoredDraft:
        """A draft of this workspace (CurationError when there is none by that number)."""
        found = self.store.drafts.get(self.workspace_id, draft_id)
        if found is None or found.action == SKIP:
            raise CurationError(f"no draft #{draft_id} here")
        return found

    def accept_draft(self, actor: str, draft_id: int, edits: dict[str, Any] | None = None,
                     accept: Accept = ()) -> Change:
        """Make the change a draft proposes (after `edits`, if any: see `EDITABLE`), through the
        same path as a hand-made change; the draft is marked accepted in its transaction."""
        draft = self._pending(draft_id)
        data = edited(draft, edits or {})
        stamp = now_iso()

        def mark(tx: Transaction, audit_id: int) -> None:
            if not self.store.drafts.decide(tx, self.workspace_id, draft.id, ACCEPTED, actor, stamp, audit_id, data):
                raise CurationError(f"draft #{draft.id} was handled by someone else meanwhile; nothing was changed")

        source = {"article": draft.article_id, "quote": data.get("quote"), "said_by": data.get("said_by") or None}
        if draft.action == SOURCE:
            change = self.add_source(actor, data.get("claim_id") or draft.claim_id, data.get("version_id") or
                                     draft.version_id, source, then=mark)
        elif draft.action == VERSION:
            version = {"id": data["version_id"], "text": data["text"], "values": _values(data), "sources": [source]}
            change = self.add_version(actor, draft.claim_id, version, accept=accept, then=mark)
        elif draft.action == CLAIM:
            claim = new_claim_data(data["claim_id"], data["statement"], data["kind"], draft.article_id,
                                   data["quote"], version_text=data["text"], said_by=source["said_by"],
                                   topic=data.get("topic") or "general", values=_values(data), unit=data.get("unit"),
                                   version_id=data.get("version_id") or "reported")
            change = self.add_claim(actor, claim, accept=accept, then=mark)
        else:
            change = self.add_entity(actor, data["entity"], then=mark)
        return replace(change, summary=f"{change.summary} (draft #{draft.id} from {draft.article_id})")

    def reject_draft(self, actor: str, draft_id: int, reason: str | None = None) -> Change:
        """Reject a draft: nothing changes in the base; the rejection is audited and can be undone."""
        draft = self._pending(draft_id)
        self._require_writable()
        stamp = now_iso()
        with self.store.transaction() as tx:
            audit_id = self._audit(tx, actor, "draft.reject", "draft", str(draft.id),
                                   {"article": draft.article_id, "action": draft.action, "quote": draft.quote}, None,
                                   reason, stamp)
            if not self.store.drafts.decide(tx, self.workspace_id, draft.id, REJECTED, actor, stamp, audit_id,
                                            note=reason):
                raise CurationError(f"draft #{draft.id} was handled by someone else meanwhile; nothing was changed")
        return Change(audit_id, "draft.reject", "draft", str(draft.id), f"rejected draft #{draft.id}")

    def _pending(self, draft_id: int) -> StoredDraft:
        draft = self.draft(draft_id)
        if draft.status != PENDING:
            raise CurationError(f"draft #{draft.id} was already {draft.status} (by {draft.decided_by})")
        return draft


def edited(draft: StoredDraft, edits: dict[str, Any]) -> dict[str, Any]:
    """A draft's data with a moderator's edits: `values` holds only the values to change (see
    `value_changes`: '' clears one); the rest replace what was drafted."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise CurationError(f"cannot edit {unknown} of a draft; editable: {', '.join(EDITABLE)}")
    data = dict(draft.data)
    for key, value in edits.items():
        if key == "values":
            changes = value_changes(**value) if value else {}
            merged = {**(data.get("values") or {}), **changes}
            data["values"] = {k: v for k, v in merged.items() if v not in (None, "", [])}
        elif key == "entity":
            data["entity"] = {**(data.get("entity") or {}), **value}
        else:  # None clears (who said it, a unit)
            data[key] = (value.strip() or None) if isinstance(value, str) else value
    return data


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (data.get("values") or {}).items() if k in VALUE_FIELDS}


def _row(draft: Draft) -> dict[str, Any]:
    data = draft.data()
    if draft.action in (VERSION, CLAIM):
        data["text"] = clip(draft.statement or draft.quote, 400)
    if draft.action == SOURCE:
        data.pop("values", None)
    return {"position": draft.position, "action": draft.action, "claim_id": draft.claim_id,
            "version_id": draft.version_id, "quote": draft.quote, "reason": draft.reason, "data": data,
            "dedupe": draft.key, "status": PENDING}


def _skip_row(article_id: str, skip: Skip) -> dict[str, Any]:
    key = hashlib.sha256(f"{article_id}\x1fskip\x1f{skip.position}\x1f{skip.sentence}".encode()).hexdigest()[:32]
    return {"position": skip.position, "action": SKIP, "quote": skip.sentence, "reason": skip.reason, "data": {},
            "dedupe": key, "status": SKIPPED}

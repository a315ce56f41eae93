"""Moderators' changes to the claim base: validated, atomic, audited, undoable.

Every change goes through `Curator._commit`: the changed object is validated by the same
models and cross-reference rules as loading the YAML base, written in one SQLite transaction
together with its audit row (who, when, before, after), and only then shown to the matcher.
A refused change writes nothing. Edits to a claim name the revision the moderator was shown;
if the claim changed since, the save is refused instead of silently overwriting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from claims import review
from claims.load import reference_problems
from claims.models import (
    CRITERIA_POINTS,
    Article,
    Claim,
    Criterion,
    Outlet,
    SourceRef,
    Values,
    Version,
    score_criteria,
)
from claims.service import Crosscheck
from claims.store import now_iso


class CurationError(ValueError):
    """A change was refused; nothing was written. `problems` says what is wrong."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("; ".join(self.problems))


class ConflictError(CurationError):
    """The claim changed since the moderator saw it; reload and edit again."""


@dataclass(frozen=True)
class Change:
    """A change that was written: its audit id and a one-line summary."""

    audit_id: int
    action: str
    target_type: str
    target_id: str
    summary: str
    revision: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    undo_of: int | None
    undone_by: int | None


def _errors(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "value"
        out.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return out


class Curator:
    """The moderation operations over a running `Crosscheck` service."""

    def __init__(self, service: Crosscheck):
        self.service = service
        self.store = service.store
        self.engine = service.engine

    @property
    def base(self):
        return self.engine.base

    # --- reading ----------------------------------------------------------------------------------

    def claim(self, claim_id: str) -> tuple[Claim, int]:
        """A claim and its current revision (for an edit that must not overwrite a newer one)."""
        row = self.store.claim_row(claim_id)
        if row is None:
            raise CurationError(f"no claim with id {claim_id!r}")
        return Claim.model_validate_json(row["data"]), row["revision"]

    def find_claims(self, text: str, limit: int = 25) -> list[Claim]:
        """Claims whose id or statement contains `text`, then the best fuzzy matches (autocomplete)."""
        needle = text.casefold().strip()
        claims = list(self.base.claims.values())
        if not needle:
            return sorted(claims, key=lambda c: c.id)[:limit]
        direct = [c for c in claims if needle in c.id or needle in c.statement.casefold()]
        if len(direct) < limit:
            result = self.engine.matcher.match(text) if len(needle) > 2 else None
            for candidate in (result.suggestions if result else []) + ([result.best] if result and result.best else []):
                claim = self.base.claims.get(candidate.claim_id)
                if claim and claim not in direct:
                    direct.append(claim)
        return direct[:limit]

    def history(self, target_id: str, target_type: str = "claim") -> list[AuditEntry]:
        """Every change to a target, oldest first."""
        rows = self.store.db["audit"].rows_where("target_type = ? and target_id = ?", [target_type, target_id],
                                                 order_by="id")
        return [self._entry(r) for r in rows]

    def recent_changes(self, since: str | None = None) -> list[AuditEntry]:
        """All changes (optionally since an ISO time), oldest first."""
        where, args = ("at >= ?", [since]) if since else (None, [])
        return [self._entry(r) for r in self.store.db["audit"].rows_where(where, args, order_by="id")]

    @staticmethod
    def _entry(row: dict[str, Any]) -> AuditEntry:
        return AuditEntry(
            row["id"], row["at"], row["actor"], row["action"], row["target_type"], row["target_id"],
            json.loads(row["before"]) if row["before"] else None,
            json.loads(row["after"]) if row["after"] else None,
            row["reason"], row["undo_of"], row["undone_by"],
        )

    # --- claims -----------------------------------------------------------------------------------

    def add_claim(self, actor: str, data: dict[str, Any] | Claim, file: str | None = None) -> Change:
        """Add a new claim (with at least one sourced version)."""
        claim = self._validated_claim(data)
        if claim.id in self.base.claims or self.store.claim_row(claim.id):
            raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
        return self._commit_claim(actor, "claim.add", None, claim, None, file=file,
                                  summary=f"added claim {claim.id}")

    def edit_claim(self, actor: str, claim_id: str, expected_revision: int | None, *,
                   statement: str | None = None, kind: str | None = None, due: str | None = None,
                   topic: str | None = None, reason: str | None = None) -> Change:
        """Change a claim's statement, kind, due date or topic."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        data = claim.model_dump()
        for key, value in (("statement", statement), ("kind", kind), ("due", due), ("topic", topic)):
            if value is not None:
                data[key] = value or None if key == "due" else value
        return self._commit_claim(actor, "claim.edit", claim, self._validated_claim(data), revision,
                                  reason=reason, summary=f"edited claim {claim_id}")

    def add_alias(self, actor: str, claim_id: str, alias: str, expected_revision: int | None = None) -> Change:
        """Add another way people say the claim."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        alias = " ".join(alias.split())
        if alias.casefold() in (a.casefold() for a in claim.aliases):
            raise CurationError(f"claim {claim_id!r} already has the alias {alias!r}")
        data = claim.model_dump()
        data["aliases"] = [*claim.aliases, alias]
        return self._commit_claim(actor, "claim.alias.add", claim, self._validated_claim(data), revision,
                                  summary=f"added alias to {claim_id}: {alias}")

    def remove_alias(self, actor: str, claim_id: str, alias: str, expected_revision: int | None = None) -> Change:
        """Remove an alias (matched case-insensitively)."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        kept = [a for a in claim.aliases if a.casefold() != alias.strip().casefold()]
        if len(kept) == len(claim.aliases):
            raise CurationError(f"claim {claim_id!r} has no alias {alias!r}")
        data = claim.model_dump()
        data["aliases"] = kept
        return self._commit_claim(actor, "claim.alias.remove", claim, self._validated_claim(data), revision,
                                  summary=f"removed alias from {claim_id}: {alias}")

    def add_version(self, actor: str, claim_id: str, version: dict[str, Any] | Version,
                    expected_revision: int | None = None) -> Change:
        """Add a version (what another source reports), with its article and verbatim quote."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        data = claim.model_dump()
        new = version.model_dump() if isinstance(version, Version) else version
        data["versions"] = [*data["versions"], new]
        return self._commit_claim(actor, "claim.version.add", claim, self._validated_claim(data), revision,
                                  summary=f"added version {new.get('id')} to {claim_id}")

    def add_source(self, actor: str, claim_id: str, version_id: str, source: dict[str, Any] | SourceRef,
                   expected_revision: int | None = None) -> Change:
        """Add another source (article and quote) to an existing version."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        data = claim.model_dump()
        for v in data["versions"]:
            if v["id"] == version_id:
                v["sources"].append(source.model_dump() if isinstance(source, SourceRef) else source)
                break
        else:
            raise CurationError(f"claim {claim_id!r} has no version {version_id!r}")
        return self._commit_claim(actor, "claim.source.add", claim, self._validated_claim(data), revision,
                                  summary=f"added a source to {claim_id}/{version_id}")

    def set_status(self, actor: str, claim_id: str, status: str, reason: str | None = None,
                   expected_revision: int | None = None) -> Change:
        """Retire a claim (it stops being matched, its history stays) or restore it."""
        claim, revision = self.claim(claim_id)
        self._check_revision(claim_id, revision, expected_revision)
        if claim.status == status:
            raise CurationError(f"claim {claim_id!r} is already {status}")
        data = claim.model_dump()
        data["status"] = status
        action = "claim.retire" if status == "retired" else "claim.restore"
        return self._commit_claim(actor, action, claim, self._validated_claim(data), revision, reason=reason,
                                  summary=f"{'retired' if status == 'retired' else 'restored'} claim {claim_id}")

    def _validated_claim(self, data: dict[str, Any] | Claim) -> Claim:
        try:
            claim = data if isinstance(data, Claim) else Claim.model_validate(data)
        except ValidationError as exc:
            raise CurationError(_errors(exc)) from None
        problems = [message for _, message in reference_problems(
            claim, self.base.articles, self.base.texts, self.base.entities)]
        if problems:
            raise CurationError(problems)
        return claim

    def _check_revision(self, claim_id: str, current: int, expected: int | None) -> None:
        if expected is not None and expected != current:
            raise ConflictError(
                f"claim {claim_id!r} was changed by someone else since you opened it (revision {expected}, "
                f"now {current}); nothing was saved. Show it again and redo your edit")

    def _commit_claim(self, actor: str, action: str, before: Claim | None, after: Claim, revision: int | None,
                      *, reason: str | None = None, summary: str, file: str | None = None,
                      marks: tuple[list[int], str] | None = None) -> Change:
        stamp = now_iso()
        with self.store.transaction() as db:
            if marks:
                review.mark(db, marks[0], marks[1], actor, after.id)
            if before is None:
                db["claims"].insert({
                    "id": after.id, "topic": after.topic, "file": file or f"claims/base/topics/{after.topic}.yaml",
                    "data": after.model_dump_json(), "status": after.status, "revision": 1, "updated_at": stamp})
                new_revision = 1
            else:
                # The revision guard is repeated inside the transaction: a concurrent save between
                # our read and this write still loses, never overwrites.
                cursor = db.execute(
                    "update claims set data = ?, topic = ?, status = ?, revision = revision + 1, updated_at = ? "
                    "where id = ? and revision = ?",
                    [after.model_dump_json(), after.topic, after.status, stamp, after.id, revision])
                if cursor.rowcount != 1:
                    raise ConflictError(f"claim {after.id!r} was changed by someone else meanwhile; nothing was saved")
                new_revision = (revision or 0) + 1
            audit_id = self._audit(db, actor, action, "claim", after.id,
                                   before.model_dump(mode="json") if before else None,
                                   after.model_dump(mode="json"), reason, stamp)
        self.engine.update_claim(after)
        return Change(audit_id, action, "claim", after.id, summary, new_revision)

    @staticmethod
    def _audit(db, actor: str, action: str, target_type: str, target_id: str, before: Any, after: Any,
               reason: str | None, stamp: str, undo_of: int | None = None) -> int:
        return db["audit"].insert({
            "at": stamp, "actor": actor, "action": action, "target_type": target_type, "target_id": target_id,
            "before": json.dumps(before, sort_keys=True) if before is not None else None,
            "after": json.dumps(after, sort_keys=True) if after is not None else None,
            "reason": reason, "undo_of": undo_of, "undone_by": None,
        }).last_pk

    # --- outlets and articles ---------------------------------------------------------------------

    def outlets(self) -> list[Outlet]:
        """Outlets, most credible first."""
        return sorted(self.base.outlets.values(), key=lambda o: (-o.credibility, o.id))

    def rerate_outlet(self, actor: str, outlet_id: str, criterion: str, rating: str, reason: str) -> Change:
        """Change one criterion's rating; the score is recomputed. The reason is required."""
        outlet = self.base.outlets.get(outlet_id)
        if outlet is None:
            raise CurationError(f"no outlet with id {outlet_id!r}")
        if criterion not in CRITERIA_POINTS:
            raise CurationError(f"unknown criterion {criterion!r}; one of {', '.join(CRITERIA_POINTS)}")
        if not reason or not reason.strip():
            raise CurationError("say why: a re-rating needs a reason")
        data = outlet.model_dump()
        try:
            data["criteria"][criterion] = Criterion(rating=rating, note=reason.strip()).model_dump()
        except ValidationError as exc:
            raise CurationError(_errors(exc)) from None
        data["credibility"] = score_criteria({k: Criterion(**v) for k, v in data["criteria"].items()})
        new = self._validated(Outlet, data)
        return self._commit_object(actor, "outlet.rate", "outlet", outlet, new, reason,
                                   f"re-rated {outlet_id}: {criterion} → {rating} ({outlet.credibility} → "
                                   f"{new.credibility})")

    def add_outlet(self, actor: str, data: dict[str, Any]) -> Change:
        """Add an outlet (its nine criteria rated; the score must match them)."""
        if "criteria" in data and "credibility" not in data:
            data = {**data, "credibility": score_criteria(
                {k: Criterion.model_validate(v) for k, v in data["criteria"].items()})}
        outlet = self._validated(Outlet, data)
        if outlet.id in self.base.outlets:
            raise CurationError(f"an outlet with id {outlet.id!r} already exists")
        return self._commit_object(actor, "outlet.add", "outlet", None, outlet, None, f"added outlet {outlet.id}")

    def add_article(self, actor: str, data: dict[str, Any], text: str) -> Change:
        """Add an article with its full text (pasted or from an attached file)."""
        data = {**data, "path": data.get("path") or f"claims/base/articles/{data.get('id')}.txt"}
        article = self._validated(Article, data)
        if article.id in self.base.articles:
            raise CurationError(f"an article with id {article.id!r} already exists")
        if article.outlet not in self.base.outlets:
            raise CurationError(f"unknown outlet {article.outlet!r}; add the outlet first")
        if len(text.strip()) < 50:
            raise CurationError("the article text is missing or too short (under 50 characters)")
        return self._commit_object(actor, "article.add", "article", None, article, None,
                                   f"added article {article.id}", text=text)

    @staticmethod
    def _validated(model, data: dict[str, Any]):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise CurationError(_errors(exc)) from None

    def _commit_object(self, actor: str, action: str, target_type: str, before, after, reason: str | None,
                       summary: str, text: str | None = None) -> Change:
        stamp = now_iso()
        table = {"outlet": "outlets", "article": "articles"}[target_type]
        row: dict[str, Any] = {"id": after.id, "data": after.model_dump_json()}
        if text is not None:
            row["text"] = text
        after_json = after.model_dump(mode="json")
        if text is not None:
            after_json = {**after_json, "_text": text}
        with self.store.transaction() as db:
            db[table].upsert(row, pk="id")
            audit_id = self._audit(db, actor, action, target_type, after.id,
                                   before.model_dump(mode="json") if before else None, after_json, reason, stamp)
        if target_type == "outlet":
            self.base.outlets[after.id] = after
        else:
            self.base.articles[after.id] = after
            self.base.texts[after.id] = text or ""
        return Change(audit_id, action, target_type, after.id, summary)

    # --- the review queue ---------------------------------------------------------------------------

    def review_queue(self, limit: int | None = None) -> list[review.QueueGroup]:
        """Open groups of questions the bot could not answer (or matched loosely)."""
        return review.queue(self.store, self.engine.normaliser, limit)

    def _group(self, key: int) -> review.QueueGroup:
        group = review.find_group(self.store, self.engine.normaliser, key)
        if group is None:
            raise CurationError(f"no open review item #{key}; it may have been handled already")
        return group

    def link(self, actor: str, key: int, claim_id: str) -> Change:
        """Answer a queued question with a claim: its wordings become aliases of the claim."""
        group = self._group(key)
        claim, revision = self.claim(claim_id)
        known = {a.casefold() for a in claim.aliases} | {claim.statement.casefold()}
        new_aliases = [w for w in group.wordings if w.casefold() not in known]
        too_long = [w for w in new_aliases if len(w) > 300]
        if too_long:
            raise CurationError("a queued wording is over 300 characters, too long for an alias; "
                                "add a shorter alias by hand and dismiss the item")
        data = claim.model_dump()
        data["aliases"] = [*claim.aliases, *new_aliases]
        after = self._validated_claim(data)
        change = self._commit_claim(actor, "review.link", claim, after, revision,
                                    summary=f"linked review item #{key} ({group.count} asks) to {claim_id}",
                                    marks=(group.check_ids, "link"))
        return change

    def new_claim_from_queue(self, actor: str, key: int, data: dict[str, Any]) -> Change:
        """Turn a queued question into a new claim (its wordings become the claim's aliases)."""
        group = self._group(key)
        data = {**data, "aliases": list(dict.fromkeys([*data.get("aliases", []),
                                                       *(w for w in group.wordings if len(w) <= 300)]))}
        claim = self._validated_claim(data)
        if claim.id in self.base.claims or self.store.claim_row(claim.id):
            raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
        return self._commit_claim(actor, "review.new_claim", None, claim, None,
                                  summary=f"made review item #{key} into claim {claim.id}",
                                  marks=(group.check_ids, "new_claim"))

    def dismiss(self, actor: str, key: int, reason: str | None = None) -> Change:
        """Drop a queued question (off-topic, spam, not check-worthy)."""
        group = self._group(key)
        stamp = now_iso()
        with self.store.transaction() as db:
            review.mark(db, group.check_ids, "dismissed", actor)
            audit_id = self._audit(db, actor, "review.dismiss", "review", str(key),
                                   {"check_ids": group.check_ids, "statement": group.statement}, None,
                                   reason, stamp)
        return Change(audit_id, "review.dismiss", "review", str(key), f"dismissed review item #{key}")

    # --- undo ---------------------------------------------------------------------------------------

    def undo(self, actor: str, audit_id: int) -> Change:
        """Revert one change, if its target is still as that change left it."""
        rows = list(self.store.db["audit"].rows_where("id = ?", [audit_id]))
        if not rows:
            raise CurationError(f"no change #{audit_id}")
        entry = self._entry(rows[0])
        if entry.undone_by:
            raise CurationError(f"change #{audit_id} was already undone (by #{entry.undone_by})")
        if entry.action == "undo":
            raise CurationError("an undo cannot be undone; make the change again instead")
        if entry.target_type == "review":
            return self._undo_dismiss(actor, entry)
        if entry.target_type == "base":
            raise CurationError("an import cannot be undone; import the export you made before it")
        current = self._current_json(entry.target_type, entry.target_id)
        if current != entry.after:
            raise ConflictError(f"{entry.target_type} {entry.target_id!r} changed after #{audit_id}; "
                                "undo the later changes first (see its history)")
        stamp = now_iso()
        with self.store.transaction() as db:
            self._write_state(db, entry.target_type, entry.target_id, entry.before, stamp)
            if entry.action in ("review.link", "review.new_claim"):
                # The questions go back to the queue with the change undone.
                db.execute("delete from review where claim_id = ? and action = ? and at = ?",
                           [entry.target_id, entry.action.split(".")[1], entry.at])
            undo_id = self._audit(db, actor, "undo", entry.target_type, entry.target_id, entry.after,
                                  entry.before, f"undo of #{audit_id}", stamp, undo_of=audit_id)
            db.execute("update audit set undone_by = ? where id = ?", [undo_id, audit_id])
        self._refresh(entry.target_type, entry.target_id, entry.before)
        return Change(undo_id, "undo", entry.target_type, entry.target_id,
                      f"undid #{audit_id} ({entry.action} {entry.target_id})")

    def _undo_dismiss(self, actor: str, entry: AuditEntry) -> Change:
        stamp = now_iso()
        check_ids = (entry.before or {}).get("check_ids", [])
        with self.store.transaction() as db:
            db.execute(f"delete from review where check_id in ({','.join('?' * len(check_ids))})", check_ids)
            undo_id = self._audit(db, actor, "undo", "review", entry.target_id, None, entry.before,
                                  f"undo of #{entry.id}", stamp, undo_of=entry.id)
            db.execute("update audit set undone_by = ? where id = ?", [undo_id, entry.id])
        return Change(undo_id, "undo", "review", entry.target_id, f"undid #{entry.id}: item back in the queue")

    def _current_json(self, target_type: str, target_id: str) -> dict[str, Any] | None:
        table = {"claim": "claims", "outlet": "outlets", "article": "articles"}[target_type]
        rows = list(self.store.db[table].rows_where("id = ?", [target_id]))
        if not rows:
            return None
        data = json.loads(rows[0]["data"])
        model = {"claim": Claim, "outlet": Outlet, "article": Article}[target_type]
        out = model.model_validate(data).model_dump(mode="json")
        if target_type == "article":
            out["_text"] = rows[0]["text"]
        return out

    def _write_state(self, db, target_type: str, target_id: str, state: dict[str, Any] | None, stamp: str) -> None:
        table = {"claim": "claims", "outlet": "outlets", "article": "articles"}[target_type]
        if state is None:
            db.execute(f"delete from {table} where id = ?", [target_id])
            return
        if target_type == "claim":
            claim = Claim.model_validate(state)
            db.execute("update claims set data = ?, topic = ?, status = ?, revision = revision + 1, updated_at = ? "
                       "where id = ?", [claim.model_dump_json(), claim.topic, claim.status, stamp, target_id])
        else:
            data = {k: v for k, v in state.items() if k != "_text"}
            model = Outlet if target_type == "outlet" else Article
            row = {"id": target_id, "data": model.model_validate(data).model_dump_json()}
            if target_type == "article":
                row["text"] = state.get("_text", "")
            db[table].upsert(row, pk="id")

    def _refresh(self, target_type: str, target_id: str, state: dict[str, Any] | None) -> None:
        if target_type == "claim":
            if state is None:
                self.base.claims.pop(target_id, None)
                self.engine.matcher.remove(target_id)
            else:
                self.engine.update_claim(Claim.model_validate(state))
        elif target_type == "outlet":
            if state is None:
                self.base.outlets.pop(target_id, None)
            else:
                self.base.outlets[target_id] = Outlet.model_validate(state)
        else:
            if state is None:
                self.base.articles.pop(target_id, None)
                self.base.texts.pop(target_id, None)
            else:
                self.base.articles[target_id] = Article.model_validate({k: v for k, v in state.items() if k != "_text"})
                self.base.texts[target_id] = state.get("_text", "")


def new_claim_data(claim_id: str, statement: str, kind: str, article: str, quote: str, *,
                   version_text: str | None = None, said_by: str | None = None, due: str | None = None,
                   aliases: list[str] | None = None, topic: str = "general", values: dict | None = None) -> dict:
    """The data of a claim with one sourced version, as a modal or the CLI collects it."""
    return {
        "id": claim_id, "kind": kind, "statement": statement, "topic": topic, "aliases": aliases or [],
        "due": due or None,
        "versions": [{"id": "reported", "text": version_text or statement,
                      "values": Values.model_validate(values or {}).model_dump(),
                      "sources": [{"article": article, "quote": quote, "said_by": said_by or None}]}],
    }

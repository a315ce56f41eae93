"""The one way a moderator's change reaches a base: validated, guarded, atomic, audited.

`CurationBase._write` reads the target's current state inside the write transaction, builds
the new state from it (so a change is never made to a stale copy), checks the revision the
moderator was shown when there is one, writes the object, its audit row (who, when, before,
after) and its change-feed row in one transaction, and only then lets the engines see it.
A refused change writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from claims.curate.warnings import Accept, CurationWarning, NeedsConfirmation, unaccepted
from claims.engine import Engine
from claims.load import Base
from claims.models import Article, Claim, Entity, Outlet, Term
from claims.places import place_index
from claims.service import Crosscheck
from claims.store import DEFAULT, SHIPPED, StaleRevision, Stored, Transaction, now_iso
from claims.store.objects import MODELS
from claims.text import Normaliser, vocabulary_of

Model = Outlet | Article | Entity | Term | Claim
# Marks on queued questions that answer them: each person who asked is then owed the answer
# (`claims.store.follows.queue_answers`), in the same transaction as the change.
ANSWERING_MARKS = ("link", "new_claim")


class CurationError(ValueError):
    """A change was refused; nothing was written. `problems` says what is wrong."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("; ".join(self.problems))


class ConflictError(CurationError):
    """The target changed since the moderator saw it; reload and edit again."""


@dataclass(frozen=True)
class Change:
    """A change that was written: its audit id and a one-line summary (and the warnings the
    moderator confirmed to make it, if any)."""

    audit_id: int
    action: str
    target_type: str
    target_id: str
    summary: str
    revision: int | None = None
    warnings: tuple[CurationWarning, ...] = ()


@dataclass(frozen=True)
class Step:
    """One object's change within a batch (see `CurationBase._write_batch`)."""

    action: str
    kind: str
    object_id: str
    build: Callable[[Model | None], Model | None]
    reason: str | None = None
    undo_of: int | None = None


def errors_of(exc: ValidationError) -> list[str]:
    """A model's validation errors as 'where: what' lines."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "value"
        out.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return out


def validated(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """`model` built from `data`, or a CurationError listing what is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CurationError(errors_of(exc)) from None


def state_json(stored: Stored) -> dict[str, Any] | None:
    """An object's state as the audit log records it (an article with its text)."""
    if not stored.exists:
        return None
    out = MODELS[stored.kind].model_validate(stored.data).model_dump(mode="json")
    if stored.kind == "article":
        out["_text"] = stored.body or ""
    return out


def model_of(kind: str, state: dict[str, Any] | None) -> Model | None:
    if state is None:
        return None
    return MODELS[kind].model_validate({k: v for k, v in state.items() if k != "_text"})


def same_state(kind: str, a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two audited states are the same object: compared as models, so a state recorded
    before a field was added (without its default) still equals the same object read today."""
    if a is None or b is None:
        return a is b
    return model_of(kind, a) == model_of(kind, b) and a.get("_text") == b.get("_text")


class CurationBase:
    """What every part of the curator shares: the service, the workspace it edits, the server
    whose queue it handles, and the write path."""

    def __init__(self, service: Crosscheck, workspace_id: str | None = None, guild_id: str | None = None):
        self.service = service
        self.store = service.store
        self.guild_id = str(guild_id) if guild_id else None
        self.workspace_id = workspace_id or (service.workspace_of(self.guild_id) if self.guild_id else DEFAULT)
        self.workspace = self.store.workspaces.require(self.workspace_id)

    @property
    def engine(self) -> Engine:
        """The workspace's engine, up to date."""
        return self.service.engine_for(self.workspace_id)

    @property
    def base(self) -> Base:
        """What validation reads: the engine's base when this process holds it, else the
        workspace's outlets, articles and entities from the store, without its claims (an edit
        from the terminal need not index 100,000 claims first)."""
        engine = self.service.engines.loaded_engine(self.workspace_id)
        if engine is not None:
            return engine.base
        return self.store.objects.load(self.chain, kinds=("outlet", "article", "entity", "term"))

    @property
    def normaliser(self) -> Normaliser:
        """How this workspace reads text (for grouping queued questions)."""
        engine = self.service.engines.loaded_engine(self.workspace_id)
        if engine is not None:
            return engine.normaliser
        base = self.base
        vocabulary = vocabulary_of(base.terms.values())
        return Normaliser(place_index(base.entities.values(), vocabulary.titles), vocabulary)

    @property
    def chain(self) -> tuple[str, ...]:
        return self.store.workspaces.chain(self.workspace_id)

    def _require_writable(self) -> None:
        if self.workspace_id == SHIPPED:
            raise CurationError("the shipped base is read-only: curate the `default` workspace (or a "
                                "server's) instead; your changes are kept when a release updates the shipped base")

    def _write(self, actor: str, action: str, kind: str, object_id: str,
               build: Callable[[Model | None], Model | None], *, expected_revision: int | None = None,
               summary: str, reason: str | None = None, file: str | None = None, body: str | None = None,
               marks: tuple[list[int], str] | None = None, undo_of: int | None = None,
               check_undo: Callable[[dict[str, Any] | None], None] | None = None,
               guard: Callable[[Transaction], None] | None = None,
               then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Build the object's new state from its current one and write it, all in one transaction.

        `build` gets the current model (None if it does not exist) and returns the new one
        (None removes it); it raises CurationError to refuse. `expected_revision`, when given,
        is the revision the moderator was shown. `guard` runs first inside the transaction, for a
        check that reads other objects (it raises CurationError to refuse); `then` runs last in
        the same transaction, with the new audit id."""
        self._require_writable()
        self.service.sync()  # validation reads the base: let it be the latest
        stamp = now_iso()
        chain = self.chain
        owed = 0
        try:
            # Nothing inside the transaction may ask the engines (they take their own lock, and
            # a thread answering a check holds that one while it reads the database).
            with self.store.transaction() as tx:
                if guard is not None:
                    guard(tx)
                audit_id, revision = self._write_in(
                    tx, chain, stamp, actor, action, kind, object_id, build, expected_revision=expected_revision,
                    reason=reason, file=file, body=body, undo_of=undo_of, check_undo=check_undo)
                if marks:
                    self.store.checks.mark(tx, marks[0], marks[1], actor, object_id, at=stamp)
                    if marks[1] in ANSWERING_MARKS:
                        owed = self.store.follows.queue_answers(tx, marks[0], object_id, self.workspace_id)
                if then is not None:
                    then(tx, audit_id)
        except StaleRevision as exc:
            raise ConflictError(self._conflict(kind, object_id, exc.expected, exc.current)) from None
        self.service.sync()
        if owed:
            summary += f"; {owed} {'person' if owed == 1 else 'people'} who asked will get the answer"
        return Change(audit_id, action, kind, object_id, summary, revision)

    def _write_batch(self, actor: str, action: str, target_type: str, target_id: str,
                     steps: Callable[[Transaction], list[Step]], *,
                     summary: Callable[[dict[str, int]], str], reason: str | None = None,
                     before: dict[str, Any] | None = None,
                     after: dict[str, Any] | None = None, undo_of: int | None = None,
                     then: Callable[[Transaction, int, dict[str, int]], None] | None = None) -> Change:
        """Write several objects in one transaction, all or none (a whole topic retired at once).

        `steps` says, inside the transaction (so from the objects as they are then), what to
        write; it raises CurationError to refuse. Each object gets its own audit row, as a
        single change would (so each one's history shows it and it can be undone alone); then
        one row for the batch (`target_type`, `target_id`) records, under `after["changes"]`,
        the audit id of every step: the batch's id is that row's, and undoing it undoes every
        step still as the batch left it. `then` runs last in the transaction, with the batch's
        id and the steps' ids by object id; `summary` says what was done, from the same."""
        self._require_writable()
        self.service.sync()
        stamp = now_iso()
        chain = self.chain
        step_ids: dict[str, int] = {}
        try:
            with self.store.transaction() as tx:
                for step in steps(tx):
                    step_ids[step.object_id], _ = self._write_in(
                        tx, chain, stamp, actor, step.action, step.kind, step.object_id, step.build,
                        reason=step.reason if step.reason is not None else reason, undo_of=step.undo_of)
                batch_after = {**(after or {}), "changes": step_ids}
                batch_id = self._audit(tx, actor, action, target_type, target_id, before, batch_after, reason,
                                       stamp, undo_of)
                if then is not None:
                    then(tx, batch_id, step_ids)
        except StaleRevision as exc:
            raise ConflictError(self._conflict(exc.kind, exc.object_id, exc.expected, exc.current)) from None
        self.service.sync()
        return Change(batch_id, action, target_type, target_id, summary(step_ids))

    def _write_in(self, tx: Transaction, chain: tuple[str, ...], stamp: str, actor: str, action: str, kind: str,
                  object_id: str,
                  build: Callable[[Model | None], Model | None], *, expected_revision: int | None = None,
                  reason: str | None = None, file: str | None = None, body: str | None = None,
                  undo_of: int | None = None,
                  check_undo: Callable[[dict[str, Any] | None], None] | None = None) -> tuple[int, int | None]:
        """One object's change inside `tx`: read, check, build, write, audit. Its audit id and revision."""
        current = self.store.objects.get(chain, kind, object_id, tx)
        if expected_revision is not None and current.revision != expected_revision:
            raise ConflictError(self._conflict(kind, object_id, expected_revision, current.revision))
        before = state_json(current)
        if check_undo is not None:
            check_undo(before)
        after_model = build(model_of(kind, before))
        text = body if body is not None else (current.body if kind == "article" else None)
        revision = self.store.objects.write(
            tx, chain, kind, object_id, after_model, expected_revision=current.revision if current.exists else None,
            body=text, file=file, guild_id=self.guild_id)
        after = after_model.model_dump(mode="json") if after_model is not None else None
        if after is not None and kind == "article":
            after["_text"] = text or ""
        audit_id = self._audit(tx, actor, action, kind, object_id, before, after, reason, stamp, undo_of)
        return audit_id, revision if after_model is not None else None  # a removed object has no revision

    def _confirmed(self, warnings: list[CurationWarning], accept: Accept) -> tuple[CurationWarning, ...]:
        """The warnings, if the moderator accepted every one; else NeedsConfirmation (nothing
        is written) listing those not yet accepted."""
        pending = unaccepted(warnings, accept)
        if pending:
            raise NeedsConfirmation(pending)
        return tuple(warnings)

    def _audit(self, tx: Transaction, actor: str, action: str, target_type: str, target_id: str, before: Any,
               after: Any, reason: str | None, stamp: str, undo_of: int | None = None) -> int:
        return self.store.audit.append(tx, workspace_id=self.workspace_id, guild_id=self.guild_id, actor=actor,
                                       action=action, target_type=target_type, target_id=target_id, before=before,
                                       after=after, reason=reason, at=stamp, undo_of=undo_of)

    @staticmethod
    def _conflict(kind: str, object_id: str, expected: int | None, current: int | None) -> str:
        return (f"{kind} {object_id!r} was changed by someone else since you opened it (revision {expected}, "
                f"now {current}); nothing was saved. Show it again and redo your edit")

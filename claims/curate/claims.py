"""Moderators' changes to claims: add, edit, aliases, retire and restore (versions: `versions`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from claims.curate.base import Change, CurationBase, CurationError, errors_of
from claims.curate.warnings import Accept, CurationWarning, alias_warnings, missing_numbers
from claims.load import Base, reference_problems
from claims.models import Claim, Entity
from claims.places import known_place, known_places
from claims.store import Transaction
from claims.text import fold

# The values of a version that name entities, and whether each holds a list of them.
ENTITY_VALUES = {"places": True, "actors": True, "speaker": False}

Edit = Callable[[dict[str, Any]], None]
Checks = Callable[[Claim | None, Claim], list[CurationWarning]]


class ClaimCuration(CurationBase):
    """Claims of the workspace."""

    def claim(self, claim_id: str) -> tuple[Claim, int]:
        """A claim and its current revision (for an edit that must not overwrite a newer one)."""
        stored = self.store.objects.get(self.chain, "claim", claim_id)
        if not stored.exists:
            raise CurationError(f"no claim with id {claim_id!r}")
        return Claim.model_validate(stored.data), stored.revision

    def find_claims(self, text: str, limit: int = 25) -> list[Claim]:
        """Claims whose id or statement contains `text`, then the best fuzzy matches (autocomplete)."""
        needle = text.casefold().strip()
        engine = self.engine
        claims = list(engine.base.claims.values())
        if not needle:
            return sorted(claims, key=lambda c: c.id)[:limit]
        direct = [c for c in claims if needle in c.id or needle in c.statement.casefold()]
        if len(direct) < limit and len(needle) > 2:
            result = engine.matcher.match(text)
            for candidate in [*result.suggestions, *([result.best] if result.best else [])]:
                claim = engine.base.claims.get(candidate.claim_id)
                if claim and claim not in direct:
                    direct.append(claim)
        return direct[:limit]

    def add_claim(self, actor: str, data: dict[str, Any] | Claim, file: str | None = None,
                  accept: Accept = (), then: Callable[[Transaction, int], None] | None = None,
                  reason: str | None = None) -> Change:
        """Add a new claim (with at least one sourced version). `then` runs last in the write's
        transaction, with its audit id (an accepted draft is marked so, in the same transaction).

        Warns (see `claims.curate.warnings`) about versions without a number when the claim
        counts something, and about aliases that would break other answers."""
        claim = self._validated_claim(data)
        self._require_new(claim.id)  # a refusal comes before any warning
        warned = self._confirmed(self._new_claim_warnings(claim), accept)

        def build(current):
            if current is not None:
                raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
            return claim

        change = self._write(actor, "claim.add", "claim", claim.id, build, summary=f"added claim {claim.id}",
                             file=file or topic_file(claim.topic), reason=with_warnings(reason, warned), then=then)
        return replace(change, warnings=warned)

    def edit_claim(self, actor: str, claim_id: str, expected_revision: int | None, *,
                   statement: str | None = None, kind: str | None = None, due: str | None = None,
                   topic: str | None = None, unit: str | None = None, reason: str | None = None,
                   accept: Accept = ()) -> Change:
        """Change a claim's statement, kind, due date, topic or unit ('' clears the due date or
        the unit). Warns when the claim comes to count something its versions give no number for."""
        def change(data: dict[str, Any]) -> None:
            for key, value in (("statement", statement), ("kind", kind), ("due", due), ("topic", topic),
                               ("unit", unit)):
                if value is not None:
                    data[key] = (value.strip() or None) if key in ("due", "unit") else value

        def checks(before: Claim | None, after: Claim) -> list[CurationWarning]:
            if before is not None and counts_the_same(before, after):
                return []
            return missing_numbers(after)

        return self._edit(actor, "claim.edit", claim_id, expected_revision, change, summary=f"edited claim {claim_id}",
                          reason=reason, accept=accept, checks=checks,
                          file=topic_file(topic) if topic else None)

    def add_alias(self, actor: str, claim_id: str, alias: str, expected_revision: int | None = None,
                  accept: Accept = ()) -> Change:
        """Add another way people say the claim. Warns when it shares nothing with the claim,
        when another claim matches it better, or when it says the opposite of the claim."""
        alias = " ".join(alias.split())

        def change(data: dict[str, Any]) -> None:
            if alias.casefold() in (a.casefold() for a in data["aliases"]):
                raise CurationError(f"claim {claim_id!r} already has the alias {alias!r}")
            data["aliases"] = [*data["aliases"], alias]

        engine = self.engine  # asked here, before the write transaction
        return self._edit(actor, "claim.alias.add", claim_id, expected_revision, change, accept=accept,
                          engine_checks=lambda claim: alias_warnings(engine, claim, [alias]),
                          summary=f"added alias to {claim_id}: {alias}")

    def remove_alias(self, actor: str, claim_id: str, alias: str, expected_revision: int | None = None) -> Change:
        """Remove an alias (matched case-insensitively)."""
        def change(data: dict[str, Any]) -> None:
            kept = [a for a in data["aliases"] if a.casefold() != alias.strip().casefold()]
            if len(kept) == len(data["aliases"]):
                raise CurationError(f"claim {claim_id!r} has no alias {alias!r}")
            data["aliases"] = kept

        return self._edit(actor, "claim.alias.remove", claim_id, expected_revision, change,
                          summary=f"removed alias from {claim_id}: {alias}")

    def set_status(self, actor: str, claim_id: str, status: str, reason: str | None = None,
                   expected_revision: int | None = None) -> Change:
        """Retire a claim (it stops being matched, its history stays) or restore it."""
        def change(data: dict[str, Any]) -> None:
            if data["status"] == status:
                raise CurationError(f"claim {claim_id!r} is already {status}")
            data["status"] = status

        action = "claim.retire" if status == "retired" else "claim.restore"
        return self._edit(actor, action, claim_id, expected_revision, change, reason=reason,
                          summary=f"{'retired' if status == 'retired' else 'restored'} claim {claim_id}")

    # --- shared ---------------------------------------------------------------------------------

    def _edit(self, actor: str, action: str, claim_id: str, expected_revision: int | None, change: Edit,
              *, summary: str, reason: str | None = None, marks: tuple[list[int], str] | None = None,
              accept: Accept = (), checks: Checks | None = None,
              engine_checks: Callable[[Claim], list[CurationWarning]] | None = None,
              file: str | None = None, then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Change an existing claim: `change` edits its data (a dict) in place.

        With `checks` (warnings from the claim before and after) or `engine_checks` (warnings
        that ask the engine, so only from here, outside the transaction), the change is first
        previewed on the claim as it is now and refused with NeedsConfirmation unless `accept`
        covers its warnings; inside the transaction `checks` run again on the claim as it is
        then, so a change made meanwhile cannot slip a new warning through."""
        base = self.base  # read before the write transaction: the engines are never asked inside one
        warned: tuple[CurationWarning, ...] = ()
        engine_warnings: list[CurationWarning] = []
        if checks is not None or engine_checks is not None:
            current, _ = self.claim(claim_id)
            data = current.model_dump()
            change(data)
            preview = self._validated_claim(data, base)
            engine_warnings = engine_checks(preview) if engine_checks else []
            warned = self._confirmed([*engine_warnings, *(checks(current, preview) if checks else [])], accept)

        def build(current):
            if current is None:
                raise CurationError(f"no claim with id {claim_id!r}")
            data = current.model_dump()
            change(data)
            claim = self._validated_claim(data, base)
            if checks is not None:
                self._confirmed([*engine_warnings, *checks(current, claim)], accept)
            return claim

        written = self._write(actor, action, "claim", claim_id, build, expected_revision=expected_revision,
                              summary=summary, reason=with_warnings(reason, warned), marks=marks, file=file,
                              then=then)
        return replace(written, warnings=warned)

    def _require_new(self, claim_id: str) -> None:
        if self.store.objects.get(self.chain, "claim", claim_id).exists:
            raise CurationError(f"a claim with id {claim_id!r} already exists; choose another id")

    def _new_claim_warnings(self, claim: Claim) -> list[CurationWarning]:
        """What a new claim risks: versions without numbers, aliases breaking other answers."""
        warnings = missing_numbers(claim)
        if claim.aliases:
            warnings += alias_warnings(self.engine, claim, claim.aliases)
        return warnings

    def _validated_claim(self, data: dict[str, Any] | Claim, base: Base | None = None) -> Claim:
        base = base or self.base
        try:
            claim = data if isinstance(data, Claim) else Claim.model_validate(with_entity_ids(data, base.entities))
        except ValidationError as exc:
            raise CurationError(errors_of(exc)) from None
        problems = [message for _, message in reference_problems(claim, base.articles, base.texts, base.entities)]
        if problems:
            raise CurationError(problems)
        return claim


def with_entity_ids(data: dict[str, Any], entities: dict[str, Entity]) -> dict[str, Any]:
    """A claim's data with the entities its versions' values name given by id.

    A moderator may type an entity's name ("New Zealand") where its id (`new-zealand`) is
    stored, and name any country or region (`claims.places`: "Peru" is `iso-pe`) without adding
    it; a name that is no entity's is refused, saying how to add it."""
    versions = data.get("versions")
    if not isinstance(versions, list):
        return data
    everyone, _ = known_places(entities.values())
    by_name = {fold(name).strip().casefold(): entity.id for entity in everyone for name in entity.names}
    problems: list[str] = []

    def entity_id(value: object, field: str, version_id: object) -> object:
        if not isinstance(value, str) or value in entities or known_place(value):
            return value
        found = by_name.get(fold(value).strip().casefold())
        if found is None:
            problems.append(f"version {version_id!r}: {field}: {value!r} is not an entity here (by id or name); "
                            "add it first (`crosscheck entities add`, or /entity add in Discord)")
            return value
        return found

    out = []
    for version in versions:
        values = version.get("values") if isinstance(version, dict) else None
        if isinstance(values, dict):
            values = dict(values)
            for field, many in ENTITY_VALUES.items():
                given = values.get(field)
                if many and isinstance(given, list):
                    values[field] = [entity_id(v, field, version.get("id")) for v in given]
                elif not many and given:
                    values[field] = entity_id(given, field, version.get("id"))
            if isinstance(values.get("roles"), dict):
                values["roles"] = {role: [entity_id(v, f"roles: {role}", version.get("id")) for v in who]
                                   if isinstance(who, list) else who for role, who in values["roles"].items()}
            version = {**version, "values": values}
        out.append(version)
    if problems:
        raise CurationError(problems)
    return {**data, "versions": out}


def counts_the_same(before: Claim, after: Claim) -> bool:
    """Whether an edit leaves what the claim counts (its kind's being a quantity, its unit) as it was."""
    return (before.kind, before.unit) == (after.kind, after.unit)


def topic_file(topic: str) -> str:
    """The file a topic's claims are exported to."""
    return f"claims/base/topics/{topic}.yaml"


def with_warnings(reason: str | None, warned: tuple[CurationWarning, ...]) -> str | None:
    """The audit reason, saying which warnings the moderator confirmed."""
    if not warned:
        return reason
    confirmed = "confirmed warnings: " + ", ".join(sorted({w.code for w in warned}))
    return f"{reason} ({confirmed})" if reason else confirmed


def new_claim_data(claim_id: str, statement: str, kind: str, article: str, quote: str, *,
                   version_text: str | None = None, said_by: str | None = None, due: str | None = None,
                   aliases: list[str] | None = None, topic: str = "general", values: dict | None = None,
                   unit: str | None = None, version_id: str = "reported") -> dict:
    """The data of a claim with one sourced version, as a modal or the CLI collects it (values
    are validated by the curator, which also reads entity names as their ids)."""
    return {
        "id": claim_id, "kind": kind, "statement": statement, "topic": topic or "general", "aliases": aliases or [],
        "due": due or None, "unit": unit or None,
        "versions": [{"id": version_id or "reported", "text": version_text or statement,
                      "values": {k: v for k, v in (values or {}).items() if v not in (None, "", [])},
                      "sources": [{"article": article, "quote": quote, "said_by": said_by or None}]}],
    }

"""Moderators' changes to entities: the people, places, countries, organisations and groups a
base knows, with the names they go by.

An entity's names are how text finds it ("Wellington", "NZ's capital"), so a name may belong to
one entity only. An entity a claim uses (in a version's places, actors or speaker) or another
entity is part of cannot be removed: the refusal says which claims and entities use it.
Every change to an entity rebuilds the engines that see it (it can change how any text reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from claims.curate.base import Change, CurationBase, CurationError, validated
from claims.models import Claim, Entity, EntityKind
from claims.store import Transaction
from claims.text import fold


@dataclass(frozen=True)
class EntityUse:
    """Where an entity is used: by a claim's version (as what), or as the parent of another entity."""

    where: str  # "claim" or "entity"
    id: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where} {self.id} ({self.detail})"


class EntityCuration(CurationBase):
    """Entities of the workspace."""

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Entities (of one kind, if given), by id."""
        return sorted((e for e in self.base.entities.values() if kind is None or e.kind == kind), key=lambda e: e.id)

    def entity(self, entity_id: str) -> tuple[Entity, int]:
        """An entity and its current revision."""
        stored = self.store.objects.get(self.chain, "entity", entity_id)
        if not stored.exists:
            raise CurationError(f"no entity with id {entity_id!r}; see `entities list`")
        return Entity.model_validate(stored.data), stored.revision

    def entity_uses(self, entity_id: str, claims: list[Claim] | None = None,
                    entities: dict[str, Entity] | None = None) -> list[EntityUse]:
        """Every entity part of this one, and every claim version that refers to it (in the
        base as stored, or in the claims and entities given)."""
        out = [EntityUse("entity", other.id, "part of it")
               for other in (entities if entities is not None else self.base.entities).values()
               if entity_id in other.part_of]
        if claims is None:
            claims = list(self.store.objects.load(self.chain, kinds=("claim",)).claims.values())
        for claim in claims:
            for version in claim.versions:
                uses = [("place", version.values.places), ("actor", version.values.actors),
                        ("speaker", [version.values.speaker] if version.values.speaker else []),
                        *((f"role {role}", ids) for role, ids in version.values.roles.items())]
                roles = [role for role, ids in uses if entity_id in ids]
                if roles:
                    out.append(EntityUse("claim", claim.id, f"version {version.id}: {', '.join(roles)}"))
        return out

    def add_entity(self, actor: str, data: dict[str, Any],
                   then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Add an entity: an id, a kind, the names it goes by, what it is part of."""
        data = {**data, "names": _names(data.get("names") or [])}
        entity = validated(Entity, data)
        entities = self.base.entities
        self._check_names(entity.id, entity.names, entities)
        self._check_parents(entity, entities)

        def build(current):
            if current is not None:
                raise CurationError(f"an entity with id {entity.id!r} already exists ({', '.join(current.names)})")
            return entity

        return self._write(actor, "entity.add", "entity", entity.id, build, then=then,
                           summary=f"added {entity.kind} {entity.id}: {', '.join(entity.names)}")

    def edit_entity(self, actor: str, entity_id: str, expected_revision: int | None = None, *,
                    kind: str | None = None, part_of: list[str] | None = None) -> Change:
        """Change an entity's kind or what it is part of."""
        entities = self.base.entities

        def build(current):
            if current is None:
                raise CurationError(f"no entity with id {entity_id!r}")
            data = current.model_dump()
            if kind is not None:
                data["kind"] = kind
            if part_of is not None:
                data["part_of"] = part_of
            entity = validated(Entity, data)
            self._check_parents(entity, entities)
            return entity

        return self._write(actor, "entity.edit", "entity", entity_id, build, expected_revision=expected_revision,
                           summary=f"edited entity {entity_id}")

    def add_entity_name(self, actor: str, entity_id: str, name: str, expected_revision: int | None = None) -> Change:
        """Add a name the entity goes by."""
        name = " ".join(name.split())
        self._check_names(entity_id, [name], self.base.entities)

        def build(current):
            if current is None:
                raise CurationError(f"no entity with id {entity_id!r}")
            if _key(name) in {_key(n) for n in current.names}:
                raise CurationError(f"entity {entity_id!r} already has the name {name!r}")
            return validated(Entity, {**current.model_dump(), "names": [*current.names, name]})

        return self._write(actor, "entity.name.add", "entity", entity_id, build, expected_revision=expected_revision,
                           summary=f"added name to {entity_id}: {name}")

    def remove_entity_name(self, actor: str, entity_id: str, name: str,
                           expected_revision: int | None = None) -> Change:
        """Remove one of an entity's names; it keeps at least one."""
        def build(current):
            if current is None:
                raise CurationError(f"no entity with id {entity_id!r}")
            kept = [n for n in current.names if _key(n) != _key(name)]
            if len(kept) == len(current.names):
                raise CurationError(f"entity {entity_id!r} has no name {name!r} (it has {', '.join(current.names)})")
            if not kept:
                raise CurationError(f"{name!r} is the only name of {entity_id!r}: add its other name first, or "
                                    "remove the entity")
            return validated(Entity, {**current.model_dump(), "names": kept})

        return self._write(actor, "entity.name.remove", "entity", entity_id, build,
                           expected_revision=expected_revision, summary=f"removed name from {entity_id}: {name}")

    def remove_entity(self, actor: str, entity_id: str, reason: str | None = None) -> Change:
        """Remove an entity no claim or entity uses; refused, saying which, while any does."""
        chain = self.chain

        def unused(tx: Transaction) -> None:
            # Read inside the transaction: a claim using it cannot be added meanwhile.
            base = self.store.objects.load(chain, kinds=("entity", "claim"), tx=tx)
            uses = self.entity_uses(entity_id, list(base.claims.values()), base.entities)
            if uses:
                more = f"; and {len(uses) - 10} more" if len(uses) > 10 else ""
                shown = "; ".join(str(u) for u in uses[:10]) + more
                raise CurationError(f"entity {entity_id!r} is still used by {shown}. Change those first (a "
                                    "version's places, actors, speaker or roles; an entity's part_of), then remove it")

        def build(current):
            if current is None:
                raise CurationError(f"no entity with id {entity_id!r}")
            return None

        return self._write(actor, "entity.remove", "entity", entity_id, build, reason=reason, guard=unused,
                           summary=f"removed entity {entity_id}")

    # --- checks ---------------------------------------------------------------------------------

    @staticmethod
    def _check_names(entity_id: str, names: list[str], entities: dict[str, Entity]) -> None:
        """A name reads as one entity only: refuse one another entity already goes by."""
        problems = []
        for name in names:
            if len(name) < 2:
                problems.append(f"name {name!r} is too short: at least 2 characters")
            for other in entities.values():
                if other.id != entity_id and _key(name) in {_key(n) for n in other.names}:
                    problems.append(f"{name!r} is already a name of entity {other.id!r}: a name can mean one "
                                    "entity only (remove it there first, if it is this one's)")
        if problems:
            raise CurationError(problems)

    @staticmethod
    def _check_parents(entity: Entity, entities: dict[str, Entity]) -> None:
        unknown = [p for p in entity.part_of if p not in entities and p != entity.id]
        if unknown:
            raise CurationError(f"part_of: unknown entit{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
                                "add them first")
        # Walking up from the parents must never come back to this entity.
        seen: set[str] = set()
        stack = list(entity.part_of)
        while stack:
            parent = stack.pop()
            if parent == entity.id:
                raise CurationError(f"part_of: {entity.id!r} would be part of itself")
            if parent not in seen and parent in entities:
                seen.add(parent)
                stack.extend(entities[parent].part_of)


def _key(name: str) -> str:
    return " ".join(fold(name).split()).casefold()


def _names(names: list[str] | str) -> list[str]:
    """Names given as a list, or as text separated by commas; blanks and repeats dropped."""
    items = names.split(",") if isinstance(names, str) else names
    out: list[str] = []
    for item in items:
        name = " ".join(str(item).split())
        if name and _key(name) not in {_key(n) for n in out}:
            out.append(name)
    return out


KINDS = [k.value for k in EntityKind]

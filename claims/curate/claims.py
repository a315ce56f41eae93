"""Moderators' changes to claims: add, edit, aliases, versions, sources, retire and restore."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from claims.curate.base import Change, CurationBase, CurationError, errors_of
from claims.load import Base, reference_problems
from claims.models import Claim, SourceRef, Values, Version


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

    def add_claim(self, actor: str, data: dict[str, Any] | Claim, file: str | None = None) -> Change:
        """Add a new claim (with at least one sourced version)."""
        claim = self._validated_claim(data)

        def build(current):
            if current is not None:
                raise CurationError(f"a claim with id {claim.id!r} already exists; choose another id")
            return claim

        return self._write(actor, "claim.add", "claim", claim.id, build, summary=f"added claim {claim.id}",
                           file=file or f"claims/base/topics/{claim.topic}.yaml")

    def edit_claim(self, actor: str, claim_id: str, expected_revision: int | None, *,
                   statement: str | None = None, kind: str | None = None, due: str | None = None,
                   topic: str | None = None, reason: str | None = None) -> Change:
        """Change a claim's statement, kind, due date or topic."""
        def change(data: dict[str, Any]) -> None:
            for key, value in (("statement", statement), ("kind", kind), ("due", due), ("topic", topic)):
                if value is not None:
                    data[key] = (value or None) if key == "due" else value

        return self._edit(actor, "claim.edit", claim_id, expected_revision, change,
                          summary=f"edited claim {claim_id}", reason=reason)

    def add_alias(self, actor: str, claim_id: str, alias: str, expected_revision: int | None = None) -> Change:
        """Add another way people say the claim."""
        alias = " ".join(alias.split())

        def change(data: dict[str, Any]) -> None:
            if alias.casefold() in (a.casefold() for a in data["aliases"]):
                raise CurationError(f"claim {claim_id!r} already has the alias {alias!r}")
            data["aliases"] = [*data["aliases"], alias]

        return self._edit(actor, "claim.alias.add", claim_id, expected_revision, change,
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

    def add_version(self, actor: str, claim_id: str, version: dict[str, Any] | Version,
                    expected_revision: int | None = None) -> Change:
        """Add a version (what another source reports), with its article and verbatim quote."""
        new = version.model_dump() if isinstance(version, Version) else version

        def change(data: dict[str, Any]) -> None:
            data["versions"] = [*data["versions"], new]

        return self._edit(actor, "claim.version.add", claim_id, expected_revision, change,
                          summary=f"added version {new.get('id')} to {claim_id}")

    def add_source(self, actor: str, claim_id: str, version_id: str, source: dict[str, Any] | SourceRef,
                   expected_revision: int | None = None) -> Change:
        """Add another source (article and quote) to an existing version."""
        def change(data: dict[str, Any]) -> None:
            for v in data["versions"]:
                if v["id"] == version_id:
                    v["sources"] = [*v["sources"], source.model_dump() if isinstance(source, SourceRef) else source]
                    return
            raise CurationError(f"claim {claim_id!r} has no version {version_id!r}")

        return self._edit(actor, "claim.source.add", claim_id, expected_revision, change,
                          summary=f"added a source to {claim_id}/{version_id}")

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

    def _edit(self, actor: str, action: str, claim_id: str, expected_revision: int | None, change,
              *, summary: str, reason: str | None = None, marks: tuple[list[int], str] | None = None) -> Change:
        """Change an existing claim: `change` edits its data (a dict) in place."""
        base = self.base  # read before the write transaction: the engines are never asked inside one

        def build(current):
            if current is None:
                raise CurationError(f"no claim with id {claim_id!r}")
            data = current.model_dump()
            change(data)
            return self._validated_claim(data, base)

        return self._write(actor, action, "claim", claim_id, build, expected_revision=expected_revision,
                           summary=summary, reason=reason, marks=marks)

    def _validated_claim(self, data: dict[str, Any] | Claim, base: Base | None = None) -> Claim:
        try:
            claim = data if isinstance(data, Claim) else Claim.model_validate(data)
        except ValidationError as exc:
            raise CurationError(errors_of(exc)) from None
        base = base or self.base
        problems = [message for _, message in reference_problems(claim, base.articles, base.texts, base.entities)]
        if problems:
            raise CurationError(problems)
        return claim


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

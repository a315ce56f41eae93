"""Moderators' changes to a claim's versions (what each source reports) and their sources.

A version says what one or more sources report, with the details it commits to (`Values`):
a date, an "as of" date for a running tally, a count, a duration, a scope, places, actors, a
speaker, and whether it happened. Values arrive from a terminal's options or a Discord form as
text; `values_from`, `value_changes` and `parse_values_block` turn that text into a version's
values, which the curator then validates like the YAML base (entity names are read as ids).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from claims.curate.base import Change, CurationError
from claims.curate.claims import ClaimCuration, counts_the_same
from claims.curate.warnings import Accept, CurationWarning, missing_numbers
from claims.models import Claim, SourceRef, Values, Version
from claims.store import Transaction

# The values a version can give, in the order they are shown and edited.
VALUE_FIELDS = ("date", "as_of", "count", "duration", "scope", "places", "actors", "speaker", "roles", "holds")
LIST_FIELDS = ("places", "actors")
ROLE_NAMES = ("agent", "patient", "source", "destination", "recipient")
_TRUE = {"true", "yes", "y", "1", "happened"}
_FALSE = {"false", "no", "n", "0", "denied", "did not happen"}


def _listed(value: str | list[str]) -> list[str]:
    """A list given as a list, or as text separated by commas."""
    items = value if isinstance(value, list) else value.split(",")
    return [item.strip() for item in items if item and item.strip()]


def _holds(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CurationError(f"holds: {value!r} is not yes or no (yes: the source reports it happened or holds; "
                        "no: the source reports it did not)")


def _roles(value: str | dict[str, Any]) -> dict[str, list[str]]:
    """Roles given as a mapping, or as text: "agent=us; patient=al-saidi, kataib-hezbollah"."""
    if isinstance(value, dict):
        pairs = [(str(role), who) for role, who in value.items()]
    else:
        pairs = []
        for part in (p.strip() for p in value.split(";")):
            if not part:
                continue
            role, equals, who = part.partition("=")
            if not equals:
                raise CurationError(f"roles: {part!r} is not role=entities; write e.g. "
                                    "'agent=us; patient=al-saidi' (roles: " + ", ".join(ROLE_NAMES) + ")")
            pairs.append((role, who))
    out: dict[str, list[str]] = {}
    for role, who in pairs:
        role = role.strip().casefold()
        if role not in ROLE_NAMES:
            raise CurationError(f"roles: {role!r} is not a role; the roles are {', '.join(ROLE_NAMES)} "
                                "(agent: who acts; patient: who it is done to; source/destination: from/to where; "
                                "recipient: who receives)")
        names = _listed(who)
        if not names:
            raise CurationError(f"roles: {role} names no entity")
        out[role] = names
    return out


def format_roles(roles: dict[str, list[str]]) -> str:
    """Roles as the text `_roles` reads back."""
    return "; ".join(f"{role}={', '.join(who)}" for role, who in roles.items())


def values_from(**given: Any) -> dict[str, Any]:
    """A new version's values from the options a moderator filled in (blank ones left out).

    Lists (places, actors) may be given as "iraq, syria"; `holds` as a bool or yes/no."""
    unknown = sorted(set(given) - set(VALUE_FIELDS))
    if unknown:
        raise CurationError(f"unknown value(s) {unknown}; a version's values are {', '.join(VALUE_FIELDS)}")
    out: dict[str, Any] = {}
    for field, value in given.items():
        if value is None or value == "" or value == []:
            continue
        if field in LIST_FIELDS:
            out[field] = _listed(value)
        elif field == "holds":
            out[field] = _holds(value)
        elif field == "roles":
            out[field] = _roles(value)
        else:
            out[field] = str(value).strip()
    return out


def value_changes(**given: Any) -> dict[str, Any]:
    """Changes to a version's values: None leaves a value as it is, '' clears it (a list to
    none, `holds` back to yes), anything else replaces it."""
    unknown = sorted(set(given) - set(VALUE_FIELDS))
    if unknown:
        raise CurationError(f"unknown value(s) {unknown}; a version's values are {', '.join(VALUE_FIELDS)}")
    out: dict[str, Any] = {}
    for field, value in given.items():
        if value is None:
            continue
        if field in LIST_FIELDS:
            out[field] = _listed(value) if value != "" else []
        elif field == "holds":
            out[field] = _holds(value) if value != "" else True
        elif field == "roles":
            out[field] = _roles(value) if value != "" else {}
        else:
            out[field] = str(value).strip() or None
    return out


def format_values_block(values: Values | Mapping[str, Any]) -> str:
    """A version's values (or a draft's, as a mapping) as `key: value` lines, every field shown
    (blank when unset), for a form."""
    given = values.model_dump() if isinstance(values, Values) else values
    lines = []
    for field in VALUE_FIELDS:
        value = given.get(field)
        if field in LIST_FIELDS:
            text = ", ".join(value or [])
        elif field == "holds":
            text = "" if value is None else ("yes" if value else "no")
        elif field == "roles":
            text = format_roles(value or {})
        else:
            text = "" if value is None else str(value)
        lines.append(f"{field}: {text}".rstrip())
    return "\n".join(lines)


def read_values_block(text: str) -> dict[str, str]:
    """`key: value` lines (as `format_values_block` writes them) as text per field, every field
    given ('' for one left blank or left out); a line that is not one is refused."""
    given = dict.fromkeys(VALUE_FIELDS, "")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip().casefold().replace(" ", "_").replace("-", "_")
        if not colon or key not in VALUE_FIELDS:
            raise CurationError(f"values line {number}: {line.strip()!r} is not `name: value` with a name among "
                                f"{', '.join(VALUE_FIELDS)}")
        given[key] = value.strip()
    return given


def parse_values_block(text: str) -> dict[str, Any]:
    """`key: value` lines as changes to every field: a field left blank or left out is cleared."""
    return value_changes(**read_values_block(text))


class VersionCuration(ClaimCuration):
    """Versions of the workspace's claims, and their sources."""

    def version(self, claim_id: str, version_id: str) -> tuple[Version, int]:
        """A claim's version, and the claim's revision."""
        claim, revision = self.claim(claim_id)
        return _version_of(claim, version_id), revision

    def add_version(self, actor: str, claim_id: str, version: dict[str, Any] | Version,
                    expected_revision: int | None = None, accept: Accept = (),
                    then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Add a version (what another source reports), with its article and verbatim quote.
        Warns when the claim counts something and the version gives no number."""
        new = version.model_dump() if isinstance(version, Version) else version
        version_id = new.get("id")

        def change(data: dict[str, Any]) -> None:
            if any(v["id"] == version_id for v in data["versions"]):
                raise CurationError(f"claim {claim_id!r} already has a version {version_id!r}; choose another id")
            data["versions"] = [*data["versions"], new]

        def checks(_before: Claim | None, after: Claim) -> list[CurationWarning]:
            return missing_numbers(after, [_version_of(after, version_id)])

        return self._edit(actor, "claim.version.add", claim_id, expected_revision, change, accept=accept,
                          checks=checks, summary=f"added version {version_id} to {claim_id}", then=then)

    def edit_version(self, actor: str, claim_id: str, version_id: str, expected_revision: int | None, *,
                     text: str | None = None, values: dict[str, Any] | None = None, reason: str | None = None,
                     accept: Accept = ()) -> Change:
        """Change a version's text and values (`values` holds only the values to change; see
        `value_changes`). Warns when the edit takes away the number of a claim that counts."""
        changes = values or {}
        unknown = sorted(set(changes) - set(VALUE_FIELDS))
        if unknown:
            raise CurationError(f"unknown value(s) {unknown}; a version's values are {', '.join(VALUE_FIELDS)}")
        if text is None and not changes:
            raise CurationError("nothing to change: give the version's new text or values")

        def change(data: dict[str, Any]) -> None:
            found = _version_data(data, claim_id, version_id)
            if text is not None:
                found["text"] = text.strip()
            found["values"] = {**found["values"], **changes}

        def checks(before: Claim | None, after: Claim) -> list[CurationWarning]:
            old = _version_of(before, version_id) if before is not None else None
            if old is not None and old.values.count and counts_the_same(before, after):  # type: ignore[arg-type]
                return missing_numbers(after, [_version_of(after, version_id)])
            return []  # it had no number before this edit: nothing changes about that

        return self._edit(actor, "claim.version.edit", claim_id, expected_revision, change, reason=reason,
                          accept=accept, checks=checks, summary=f"edited version {claim_id}/{version_id}")

    def remove_version(self, actor: str, claim_id: str, version_id: str, expected_revision: int | None = None,
                       reason: str | None = None) -> Change:
        """Remove a version; a claim keeps at least one (retire the claim instead)."""
        def change(data: dict[str, Any]) -> None:
            _version_data(data, claim_id, version_id)
            if len(data["versions"]) == 1:
                raise CurationError(f"{version_id!r} is the only version of {claim_id!r}, and a claim needs a "
                                    "sourced version: add the version that replaces it first, or retire the claim")
            data["versions"] = [v for v in data["versions"] if v["id"] != version_id]

        return self._edit(actor, "claim.version.remove", claim_id, expected_revision, change, reason=reason,
                          summary=f"removed version {claim_id}/{version_id}")

    def add_source(self, actor: str, claim_id: str, version_id: str, source: dict[str, Any] | SourceRef,
                   expected_revision: int | None = None,
                   then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Add another source (article and verbatim quote) to an existing version."""
        new = source.model_dump() if isinstance(source, SourceRef) else source

        def change(data: dict[str, Any]) -> None:
            found = _version_data(data, claim_id, version_id)
            quote = " ".join(str(new.get("quote") or "").split())
            if any(s["article"] == new.get("article") and " ".join(s["quote"].split()) == quote
                   for s in found["sources"]):
                raise CurationError(f"{claim_id}/{version_id} already cites that quote of {new.get('article')!r}")
            found["sources"] = [*found["sources"], new]

        return self._edit(actor, "claim.source.add", claim_id, expected_revision, change, then=then,
                          summary=f"added a source to {claim_id}/{version_id}: {new.get('article')}")

    def remove_source(self, actor: str, claim_id: str, version_id: str, article: str,
                      expected_revision: int | None = None, reason: str | None = None) -> Change:
        """Remove what a version cites from one article; a version keeps at least one source."""
        def change(data: dict[str, Any]) -> None:
            found = _version_data(data, claim_id, version_id)
            kept = [s for s in found["sources"] if s["article"] != article]
            if len(kept) == len(found["sources"]):
                cited = ", ".join(s["article"] for s in found["sources"])
                raise CurationError(f"{claim_id}/{version_id} cites no article {article!r} (it cites {cited})")
            if not kept:
                raise CurationError(f"{article!r} is the only source of {claim_id}/{version_id}, and a version "
                                    "needs one: add the source that replaces it first, or remove the version")
            found["sources"] = kept

        return self._edit(actor, "claim.source.remove", claim_id, expected_revision, change, reason=reason,
                          summary=f"removed the source {article} from {claim_id}/{version_id}")


def _version_of(claim: Claim, version_id: str | None) -> Version:
    found = next((v for v in claim.versions if v.id == version_id), None)
    if found is None:
        known = ", ".join(v.id for v in claim.versions)
        raise CurationError(f"claim {claim.id!r} has no version {version_id!r} (it has {known})")
    return found


def _version_data(data: dict[str, Any], claim_id: str, version_id: str) -> dict[str, Any]:
    """The version's data within a claim's data (to change in place)."""
    for version in data["versions"]:
        if version["id"] == version_id:
            return version
    known = ", ".join(v["id"] for v in data["versions"])
    raise CurationError(f"claim {claim_id!r} has no version {version_id!r} (it has {known})")

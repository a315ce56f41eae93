"""Warnings before a change that is valid but would break answers; the moderator confirms or not.

A refused change (`CurationError`) is wrong and never written. A warned change is allowed but
risky: the curator raises `NeedsConfirmation` listing what would change, writes nothing, and
the caller asks the moderator (the CLI prompts, or takes `--yes`; Discord shows a Confirm
button) and calls again accepting those warnings by key. A warning that was not accepted, such
as one that appeared because the base changed meanwhile, is asked about again.

What is checked, with the engine's own reading and matching of text:

- a version of a quantity claim (or of a claim with a unit) without a number: it can neither
  confirm nor contradict one, so a statement giving any number agrees with it;
- an alias sharing no word with its claim: statements about something else get its verdict;
- an alias (or a queued question linked to a claim) that another claim already matches better:
  statements worded like it, answered from that claim today, would be answered from this one;
- an alias whose polarity differs from the claim's statement ("did not leave" added to "left"):
  the engine reads an alias as the claim itself, so the denial would be judged as affirming it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from claims.engine import Engine
from claims.extract import extract
from claims.match import MATCH
from claims.models import Claim, ClaimKind, Version

# True accepts every warning (the CLI's --yes); otherwise the keys of the warnings accepted.
Accept = bool | Collection[str]


@dataclass(frozen=True)
class CurationWarning:
    """What a change risks: a stable code, what it is about, and a sentence saying what would change."""

    code: str
    subject: str
    message: str

    @property
    def key(self) -> str:
        """Identifies the warning across a confirmation: its code and subject."""
        return f"{self.code}:{self.subject}"


class NeedsConfirmation(Exception):
    """The change was not written: it needs the moderator to confirm these warnings first."""

    def __init__(self, warnings: list[CurationWarning]):
        self.warnings = warnings
        super().__init__("; ".join(w.message for w in warnings))

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(w.key for w in self.warnings)


def unaccepted(warnings: list[CurationWarning], accept: Accept) -> list[CurationWarning]:
    """The warnings `accept` does not cover."""
    if accept is True:
        return []
    accepted = set(accept) if accept else set()
    return [w for w in warnings if w.key not in accepted]


def counts_something(claim: Claim) -> str | None:
    """Why a claim's versions should give a number (it is a quantity, or counts a unit), or None."""
    if claim.unit:
        return f"counts {claim.unit}"
    if claim.kind is ClaimKind.QUANTITY:
        return "is a quantity claim"
    return None


def missing_numbers(claim: Claim, versions: list[Version] | None = None) -> list[CurationWarning]:
    """A warning for each of `versions` (default: all the claim's) that gives no number though
    the claim counts something."""
    why = counts_something(claim)
    if why is None:
        return []
    return [
        CurationWarning(
            "no-number", f"{claim.id}/{version.id}",
            f"version {version.id!r} of {claim.id!r} gives no number, though the claim {why}: it can neither "
            f"confirm nor contradict a number, so a statement giving one is judged by the other versions alone, "
            f"and with none left, is never more than unverified. Give the number the source reports (count), or "
            f"leave the version out if the source gives none.")
        for version in (claim.versions if versions is None else versions) if not version.values.count
    ]


def alias_warnings(engine: Engine, claim: Claim, wordings: list[str], *, what: str = "alias") -> list[CurationWarning]:
    """Warnings for wordings about to become aliases of `claim` (a typed alias, or the questions
    of a review item being linked to it), read and matched as the engine would."""
    out: list[CurationWarning] = []
    # What the claim says besides the new wordings (`claim` may already hold them: a preview).
    new = {w.casefold() for w in wordings}
    texts = [t for t in (*claim.texts(), *(v.text for v in claim.versions)) if t.casefold() not in new]
    known = {t for text in texts for t in engine.normaliser.terms(text)}
    claim_negated = _negated(engine, claim.statement)
    for wording in wordings:
        norm = engine.normaliser.normalise(wording)
        if norm.terms and not set(norm.terms) & known:
            out.append(CurationWarning(
                "alias-unrelated", wording,
                f"the {what} {wording!r} shares no word with {claim.id!r} (its statement, aliases or versions): "
                f"statements worded like it would get the verdict of {claim.id!r} though nothing in them says what "
                "it says. Check that it is the claim you meant."))
        elsewhere = _better_elsewhere(engine, claim, wording)
        if elsewhere is not None:
            other, score, own = elsewhere
            out.append(CurationWarning(
                "alias-matched-elsewhere", wording,
                f"the {what} {wording!r} already matches claim {other!r} better (score {score:.0f}; "
                f"{claim.id!r} scores {own:.0f}): statements worded like it are answered from {other!r} today; with "
                f"it, {claim.id!r} competes for them and answers those it matches better. Add it to {other!r} "
                "instead if that is the claim meant."))
        if norm.terms and _negated(engine, wording) != claim_negated:
            said, claim_said = ("denies", "affirms") if not claim_negated else ("affirms", "denies")
            out.append(CurationWarning(
                "alias-negated", wording,
                f"the {what} {wording!r} {said} what {claim.id!r} {claim_said}: an alias is read as another way of "
                f"saying the claim, so a statement worded like it would be judged as saying {claim.statement!r} "
                "(supported where the claim's sources report it). Word it the way the claim is said, or make the "
                "opposite a claim of its own."))
    return out


def _negated(engine: Engine, text: str) -> bool:
    return extract(engine.normaliser.words(text)[0], units=engine.vocabulary.units).negated


def _better_elsewhere(engine: Engine, claim: Claim, wording: str) -> tuple[str, float, float] | None:
    """The claim (other than `claim`) the engine answers `wording` with today, with its score
    and `claim`'s own, when that other claim scores higher. (A wording the engine only offers
    suggestions for is answered by nothing yet: linking it breaks no answer.)"""
    norm = engine.normaliser.normalise(wording)
    if not norm.terms:
        return None
    kinds = {eid: str(e.kind) for eid, e in engine.entities.entities.items()}
    slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
    result = engine.matcher.match(norm, slots)
    other = result.best
    if other is None or other.claim_id == claim.id or other.score < MATCH:
        return None
    own = 0.0
    if claim.id in engine.base.claims and claim.status == "active":
        try:
            own = engine.matcher.score(norm.terms, engine.matcher.expand(norm.terms), claim.id, slots).score
        except KeyError:  # not indexed yet (a new claim)
            own = 0.0
    if other.score <= own:
        return None
    return other.claim_id, min(other.score, 100.0), min(own, 100.0)

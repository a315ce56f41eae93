"""A claim's standing: the one place where what each version says becomes a verdict.

The verdict of a statement (`claims.verdict`), the standing the digest shows next to a claim and
the rating the ClaimReview export gives a version all come from `decide`, so they cannot
disagree. Each version of a claim is one account of it; `decide` reads, for every account:

- agrees:   nothing in the statement conflicts with it;
- gaps:     parts of the statement it does not settle ("when", "who proposed it", "that it
            happened: the sources report a plan", "that it will: the sources only say it may");
- settles:  it is backed by at least one outlet the curators do not flag as unreliable.

and decides:

- supported:    an account that settles agrees with every part, and no account that settles
                says otherwise;
- disputed:     such an account agrees, but another account that settles says otherwise;
- unverified:   accounts agree but leave a part open, or only flagged outlets back them;
- contradicted: no account agrees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from claims.load import Base
from claims.models import Claim, ClaimKind, Version
from claims.values import parse_date_span

SUPPORTED = "supported"
DISPUTED = "disputed"
CONTRADICTED = "contradicted"
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Account:
    """One version of a claim, as a verdict sees it."""

    id: str
    agrees: bool
    settles: bool = True
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    verdict: str
    rule: str  # which rule decided: agree, disputed, gaps, unreliable, conflict
    note: str | None = None  # for a plan: whether its date has passed


def decide(accounts: Iterable[Account]) -> Standing:
    """The verdict a set of accounts amounts to (see the module docstring)."""
    accounts = list(accounts)
    complete = [a for a in accounts if a.agrees and not a.gaps]
    partial = [a for a in accounts if a.agrees and a.gaps]
    against = [a for a in accounts if not a.agrees and a.settles]
    if not complete and not partial:
        return Standing(CONTRADICTED, "conflict")
    if any(a.settles for a in complete):
        return Standing(DISPUTED, "disputed") if against else Standing(SUPPORTED, "agree")
    if complete and not partial:
        return Standing(UNVERIFIED, "unreliable")
    return Standing(UNVERIFIED, "gaps")


def settles(version: Version, base: Base) -> bool:
    """Whether a version is backed by at least one outlet the curators do not flag as unreliable."""
    for source in version.sources:
        article = base.articles.get(source.article)
        outlet = base.outlets.get(article.outlet) if article else None
        if outlet is not None and not outlet.unreliable:
            return True
    return False


def version_standing(claim: Claim, version: Version, base: Base, today: date | None = None) -> Standing:
    """How the base judges one version's account as stated: it agrees with itself, and the
    claim's other versions are competing accounts (the sources disagree on something)."""
    result = decide(Account(v.id, v.id == version.id, settles(v, base)) for v in claim.versions)
    return Standing(result.verdict, result.rule, plan_note(claim, [version], today) if today else None)


def claim_standing(claim: Claim, base: Base, today: date | None = None) -> Standing:
    """How the base judges a claim as stated, whatever anyone asked about it: as its leading
    account does (the first version that holds, preferring one that settles). A claim whose
    versions all deny it is contradicted."""
    holding = [v for v in claim.versions if v.values.holds]
    if not holding:
        return decide(Account(v.id, False, settles(v, base)) for v in claim.versions)
    lead = next((v for v in holding if settles(v, base)), holding[0])
    result = version_standing(claim, lead, base)
    return Standing(result.verdict, result.rule, plan_note(claim, holding, today) if today else None)


def plan_note(claim: Claim, versions: Iterable[Version], today: date) -> str | None:
    """For a plan: whether the dates the given versions report (or its due date) have passed."""
    if claim.kind is not ClaimKind.PLAN:
        return None
    dates = [v.values.date for v in versions if v.values.date] or claim.due_dates()
    if not dates:
        return None
    spans = sorted((parse_date_span(d) for d in dict.fromkeys(dates)), key=lambda s: s.end)
    labels = " / ".join(date_words(s.label) for s in spans)
    if all(s.end < today for s in spans):
        return f"The sources report a plan due {labels}; that date has passed and no source confirms it happened."
    if any(s.end < today for s in spans):
        return (f"The sources report a plan due {labels}; part of that has passed, and no source "
                "confirms it happened.")
    return f"The sources report a plan due {labels}, still ahead as of {today.isoformat()}."


def date_words(label: str) -> str:
    """A curated date in words: '2026-09' → 'September 2026', '2024-09-08' → '8 September 2024'."""
    try:
        span = parse_date_span(label)
    except ValueError:
        return label
    if span.start == span.end:
        return span.start.strftime("%-d %B %Y")
    if span.start.month == span.end.month and span.start.year == span.end.year:
        return span.start.strftime("%B %Y")
    return label

"""Finding claims to curate: listing them by topic, status and kind, and searching them by text
the way the bot matches statements, plus plain substrings (for ids, names and retired claims,
which the bot no longer matches)."""

from __future__ import annotations

from dataclasses import dataclass

from claims.curate.base import CurationError
from claims.curate.claims import ClaimCuration
from claims.extract import extract
from claims.models import Claim, ClaimKind

# Scoring every claim sharing a word with the text is exact but slow for common words in a very
# large base; past this many, only the claims `match` would show are scored.
MAX_SCORED = 5_000


@dataclass(frozen=True)
class Found:
    """A claim a search found: its score as the bot would match the text (None when only its
    words contain the text), and where the text was found."""

    claim: Claim
    score: float | None
    where: str  # "matched", or where the substring is: "id", "statement", "alias", "version"


class SearchCuration(ClaimCuration):
    """Listing and searching the workspace's claims."""

    def all_claims(self) -> list[Claim]:
        """Every claim of the workspace (retired ones too), in the base's order."""
        engine = self.service.engines.loaded_engine(self.workspace_id)
        if engine is not None:
            return list(engine.base.claims.values())
        return list(self.store.objects.load(self.chain, kinds=("claim",)).claims.values())

    def list_claims(self, topic: str | None = None, status: str | None = None,
                    kind: str | None = None) -> list[Claim]:
        """Claims of a topic, a status (active, retired) and a kind, each filter optional; by id."""
        if status is not None and status not in ("active", "retired"):
            raise CurationError(f"status {status!r} must be active or retired")
        if kind is not None and kind not in {k.value for k in ClaimKind}:
            raise CurationError(f"kind {kind!r} must be one of {', '.join(k.value for k in ClaimKind)}")
        return sorted((c for c in self.all_claims() if (topic is None or c.topic == topic)
                       and (status is None or c.status == status) and (kind is None or c.kind == kind)),
                      key=lambda c: c.id)

    def search_claims(self, text: str, limit: int = 20) -> list[Found]:
        """The claim whose id is `text`, if any; then up to `limit` claims the bot would match
        `text` to, best first with their scores (active claims only); then up to `limit` more
        whose id, statement, aliases or versions contain it (retired ones too)."""
        text = " ".join(text.split())
        if not text:
            raise CurationError("give words to search for")
        engine = self.engine
        matcher = engine.matcher
        norm = engine.normaliser.normalise(text)
        out: list[Found] = []
        if norm.terms:
            kinds = {eid: str(e.kind) for eid, e in engine.entities.entities.items()}
            slots = extract(norm.words, kinds, units=engine.vocabulary.units).slots()
            expanded = matcher.expand(norm.terms)
            candidates = matcher.candidates(expanded)
            if len(candidates) > MAX_SCORED:
                result = matcher.match(norm, slots)
                scored = [result.best] if result.best else result.suggestions
            else:
                scored = matcher.score_many(norm.terms, expanded, sorted(candidates), slots)
                scored = matcher.rank(norm.terms, expanded, [c for c in scored if c.score > 0])
            out = [Found(engine.base.claims[c.claim_id], min(c.score, 100.0), "matched") for c in scored[:limit]]
        exact = engine.base.claims.get(text)
        if exact is not None and exact.id not in {f.claim.id for f in out}:
            out.insert(0, Found(exact, None, "id"))
        seen = {f.claim.id for f in out}
        needle = text.casefold()
        contained = []
        for claim in sorted(engine.base.claims.values(), key=lambda c: c.id):
            if len(contained) >= limit:
                break
            where = _contains(claim, needle) if claim.id not in seen else None
            if where:
                contained.append(Found(claim, None, where))
        return out + contained


def _contains(claim: Claim, needle: str) -> str | None:
    if needle in claim.id:
        return "id"
    if needle in claim.statement.casefold():
        return "statement"
    if any(needle in a.casefold() for a in claim.aliases):
        return "alias"
    if any(needle in v.text.casefold() for v in claim.versions):
        return "version"
    return None

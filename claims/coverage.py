"""What a workspace's claim base covers: its topics and its sources, for `/about`.

Read from the base a server answers from (its own edits over what it inherits), counting only
claims in use: a retired claim answers nothing, so it covers nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from claims.load import Base


@dataclass(frozen=True)
class TopicCoverage:
    name: str
    claims: int


@dataclass(frozen=True)
class SourceCoverage:
    outlet_id: str
    name: str
    credibility: int
    unreliable: bool
    claims: int  # claims in use that quote it


@dataclass(frozen=True)
class Coverage:
    topics: list[TopicCoverage]  # most claims first
    sources: list[SourceCoverage]  # most credible first
    claims: int
    articles: int


def coverage(base: Base) -> Coverage:
    """The topics and sources of the claims in use in `base`."""
    active = [c for c in base.claims.values() if c.status == "active"]
    topics = Counter(c.topic or "general" for c in active)
    quoted: Counter[str] = Counter()
    for claim in active:
        outlets = {base.articles[s.article].outlet for v in claim.versions for s in v.sources
                   if s.article in base.articles}
        quoted.update(outlets)
    sources = [SourceCoverage(o.id, o.name, o.credibility, o.unreliable, quoted[o.id])
               for o in base.outlets.values() if quoted[o.id]]
    return Coverage(
        topics=[TopicCoverage(name, n) for name, n in sorted(topics.items(), key=lambda t: (-t[1], t[0]))],
        sources=sorted(sources, key=lambda s: (-s.credibility, s.name)),
        claims=len(active), articles=len(base.articles))

"""Export the base as schema.org ClaimReview JSON-LD, the format fact-check tools exchange.

One ClaimReview per version: `claimReviewed` is what that version says; `reviewRating` carries
our rating with `alternateName` (the textual rating Google's Fact Check tools show); and
`itemReviewed` is the Claim, with the articles where it appears.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from claims.load import Base
from claims.standing import version_standing

PUBLISHER = {"@type": "Organization", "name": "Crosscheck", "url": "https://github.com/crosscheck-bot/crosscheck"}
# ratingValue on a 1-5 scale, with the words a reader sees.
RATINGS = {
    "supported": (5, "Supported by its sources"),
    "disputed": (3, "Disputed: sources disagree"),
    "unverified": (2, "Unverified: no reliable source settles it"),
    "contradicted": (1, "Contradicted by its sources"),
}


def claimreviews(base: Base, today: date, site: str = "https://crosscheck.invalid/claims/") -> list[dict[str, Any]]:
    """ClaimReview objects for every active claim's versions."""
    out = []
    for claim in base.claims.values():
        if claim.status != "active":
            continue
        for version in claim.versions:
            rating = version_standing(claim, version, base, today)
            value, words = RATINGS[rating.verdict]
            if rating.note:
                words = f"{words}. {rating.note}"
            appearances = []
            first_published = None
            for source in version.sources:
                article = base.articles[source.article]
                outlet = base.outlets[article.outlet]
                published = article.published_date().isoformat()
                first_published = min(first_published or published, published)
                work: dict[str, Any] = {"@type": "CreativeWork", "datePublished": published,
                                        "author": {"@type": "Organization", "name": outlet.name}}
                if article.url:
                    work["url"] = article.url
                if article.title:
                    work["headline"] = article.title
                appearances.append(work)
            speakers = sorted({s.said_by for s in version.sources if s.said_by})
            item: dict[str, Any] = {
                "@type": "Claim",
                "appearance": appearances,
                "firstAppearance": appearances[0],
                "author": ({"@type": "Person", "name": speakers[0]} if speakers else
                           {"@type": "Organization", "name": appearances[0]["author"]["name"]}),
            }
            if first_published:
                item["datePublished"] = first_published
            out.append({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{site}{claim.id}#{version.id}",
                "datePublished": today.isoformat(),
                "author": PUBLISHER,
                "claimReviewed": version.text,
                "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                                 "alternateName": words},
                "itemReviewed": item,
            })
    return out

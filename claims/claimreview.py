"""Export the base as schema.org ClaimReview JSON-LD, the format fact-check tools exchange.

One ClaimReview per version: `claimReviewed` is what that version says; `reviewRating` carries
our rating with `alternateName` (the textual rating Google's Fact Check tools show); and
`itemReviewed` is the Claim, with the articles where it appears.

Dates say no more than the curator knows. schema.org dates are ISO 8601, which allows a month
alone: an article curated as `published: 2024-09` (an estimate, or only the month is known) is
exported as "2024-09", never turned into an exact day; schema.org has no way to flag a date as
an estimate, so the reasoning stays in the base (`published_note`). A review's own
`datePublished` is the day it last changed: the newest change to the claim, or to an article or
outlet it cites, in the store's audit log; a claim nobody edited since it was imported has no
recorded review day, and gets the date of its newest source (the review cannot predate it).

Each review's `url` is where readers find it: the publisher's base URL (required, see
`review_base_url`) followed by the claim id and `#` the version id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from claims.load import Base
from claims.models import Article, Claim
from claims.standing import version_standing
from claims.values import parse_date_span

PUBLISHER = {"@type": "Organization", "name": "Crosscheck", "url": "https://github.com/crosscheck-bot/crosscheck"}
# ratingValue on a 1-5 scale, with the words a reader sees.
RATINGS = {
    "supported": (5, "Supported by its sources"),
    "disputed": (3, "Disputed: sources disagree"),
    "unverified": (2, "Unverified: no reliable source settles it"),
    "contradicted": (1, "Contradicted by its sources"),
}

# (target type, id) -> the day it last changed: ("claim", id), ("article", id), ("outlet", id).
Changes = Mapping[tuple[str, str], date]


def review_base_url(url: str | None) -> str:
    """The validated base of every review's url, ending in "/"; ValueError says what is wrong.

    There is no default: a review's url must be a page where people can read it, and only the
    publisher knows that address."""
    if not url or not url.strip():
        raise ValueError("a ClaimReview needs the public address where the reviews can be read: give "
                         "--base-url https://your.site/claims/ (or set CROSSCHECK_REVIEW_URL); each review's url "
                         "is that address, the claim id and #the version id")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a web address; give one like https://your.site/claims/")
    if parts.hostname.endswith(".invalid") or parts.query or parts.fragment:
        raise ValueError(f"{url!r} cannot be where readers find the reviews: give the public address of the "
                         "page or folder that publishes them, without ?query or #fragment")
    return url if url.endswith("/") else url + "/"


def _newest(articles: list[Article]) -> Article:
    """The article that may have appeared last: "2025-08" (up to the 31st) after "2025-08-18"."""
    return max(articles, key=lambda a: (parse_date_span(a.published).end, parse_date_span(a.published).start, a.id))


def _oldest(articles: list[Article]) -> Article:
    """The article that may have appeared first: "2024-09" (from the 1st) before "2024-09-09"."""
    return min(articles, key=lambda a: (parse_date_span(a.published).start, a.id))


def review_date(claim: Claim, base: Base, changes: Changes) -> str:
    """When the review of `claim` last changed (see the module's docstring), as ISO 8601."""
    cited = [base.articles[s.article] for v in claim.versions for s in v.sources]
    keys = [("claim", claim.id)] + [("article", a.id) for a in cited] + [("outlet", a.outlet) for a in cited]
    days = [changes[key] for key in keys if key in changes]
    if days:
        return max(days).isoformat()
    return _newest(cited).published


def claimreviews(base: Base, today: date, base_url: str, changes: Changes | None = None) -> list[dict[str, Any]]:
    """ClaimReview objects for every active claim's versions.

    `base_url` is checked by `review_base_url`; `changes` holds the audit log's last change of
    each claim, article and outlet (none: every review is dated by its newest source)."""
    site = review_base_url(base_url)
    out = []
    for claim in base.claims.values():
        if claim.status != "active":
            continue
        reviewed = review_date(claim, base, changes or {})
        for version in claim.versions:
            rating = version_standing(claim, version, base, today)
            value, words = RATINGS[rating.verdict]
            if rating.note:
                words = f"{words}. {rating.note}"
            appearances = []
            articles = [base.articles[source.article] for source in version.sources]
            for article in articles:
                outlet = base.outlets[article.outlet]
                # The curator's own precision: "2024-09" stays a month (see the module's docstring).
                work: dict[str, Any] = {"@type": "CreativeWork", "datePublished": article.published,
                                        "author": {"@type": "Organization", "name": outlet.name}}
                if article.url:
                    work["url"] = article.url
                if article.title:
                    work["headline"] = article.title
                appearances.append(work)
            first = articles.index(_oldest(articles))
            speakers = sorted({s.said_by for s in version.sources if s.said_by})
            item: dict[str, Any] = {
                "@type": "Claim",
                "appearance": appearances,
                "firstAppearance": appearances[first],
                "author": ({"@type": "Person", "name": speakers[0]} if speakers else
                           {"@type": "Organization", "name": appearances[first]["author"]["name"]}),
                "datePublished": articles[first].published,
            }
            out.append({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{site}{claim.id}#{version.id}",
                "datePublished": reviewed,
                "author": PUBLISHER,
                "claimReviewed": version.text,
                "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                                 "alternateName": words},
                "itemReviewed": item,
            })
    return out

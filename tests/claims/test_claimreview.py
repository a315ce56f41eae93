"""ClaimReview JSON-LD: what schema.org and Google's Fact Check tools require of every review."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from claims.claimreview import claimreviews
from claims.load import Base
from tests.conftest import TODAY

# Google's Fact Check markup requires claimReviewed, reviewRating (with alternateName) and url,
# and recommends author, datePublished and itemReviewed (a Claim with its appearances).
REQUIRED = {"@context", "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished", "itemReviewed"}


def test_every_version_of_every_claim_gets_a_complete_claimreview(shipped_base: Base) -> None:
    reviews = claimreviews(shipped_base, TODAY)
    assert len(reviews) == sum(len(c.versions) for c in shipped_base.claims.values())
    for review in reviews:
        assert review.keys() >= REQUIRED
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"]
        assert all(a["@type"] == "CreativeWork" and a["datePublished"] for a in item["appearance"])
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        assert review["url"].startswith("https://")
    assert len({r["url"] for r in reviews}) == len(reviews)


def test_conflicting_versions_are_rated_disputed_and_past_plans_say_their_date_passed(shipped_base: Base) -> None:
    by_url = {r["url"].rsplit("/", 1)[1]: r for r in claimreviews(shipped_base, TODAY)}
    assert by_url["final-withdrawal-date#september-2026"]["reviewRating"]["alternateName"].startswith("Disputed")
    # A plan stated as a plan is what its sources say; that its date passed unconfirmed is said too.
    past_plan = by_url["ain-al-asad-departure#september-2025"]["reviewRating"]["alternateName"]
    assert past_plan.startswith("Supported") and "has passed and no source confirms it happened" in past_plan
    assert by_url["isis-defeated-iraq-2017#defeated-2017"]["reviewRating"]["alternateName"].startswith("Supported")


def test_the_cli_writes_json_ld(db_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["claims", "export", str(tmp_path), "--format", "claimreview"],
                                env={"CROSSCHECK_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "claimreview.jsonld").read_text())
    assert data and all(r["@type"] == "ClaimReview" for r in data)

"""ClaimReview JSON-LD: what schema.org and Google's Fact Check tools require of every review,
with dates no more precise than the curators gave them and urls at the publisher's address."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from bot.cli import main
from claims.claimreview import claimreviews, review_base_url
from claims.load import Base
from tests.conftest import TODAY

SITE = "https://factcheck.example.org/claims/"
# Google's Fact Check markup requires claimReviewed, reviewRating (with alternateName) and url,
# and recommends author, datePublished and itemReviewed (a Claim with its appearances).
REQUIRED = {"@context", "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished", "itemReviewed"}


def by_anchor(reviews: list[dict]) -> dict[str, dict]:
    """Reviews by `claim-id#version-id`, the end of their url."""
    return {r["url"].removeprefix(SITE): r for r in reviews}


def test_every_version_of_every_claim_gets_a_complete_claimreview(shipped_base: Base) -> None:
    reviews = claimreviews(shipped_base, TODAY, SITE)
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
        assert review["url"].startswith(SITE)
    assert len({r["url"] for r in reviews}) == len(reviews)


def test_conflicting_versions_are_rated_disputed_and_past_plans_say_their_date_passed(shipped_base: Base) -> None:
    reviews = by_anchor(claimreviews(shipped_base, TODAY, SITE))
    assert reviews["final-withdrawal-date#september-2026"]["reviewRating"]["alternateName"].startswith("Disputed")
    # A plan stated as a plan is what its sources say; that its date passed unconfirmed is said too.
    past_plan = reviews["ain-al-asad-departure#september-2025"]["reviewRating"]["alternateName"]
    assert past_plan.startswith("Supported") and "has passed and no source confirms it happened" in past_plan
    assert reviews["isis-defeated-iraq-2017#defeated-2017"]["reviewRating"]["alternateName"].startswith("Supported")


# --- dates ----------------------------------------------------------------------------------------


def test_estimated_publication_months_stay_months(shipped_base: Base) -> None:
    # Sources: 000 (published 2025-08, an estimate), 002 (2024-09-09, an estimate), 003 (2024-09, an estimate).
    item = by_anchor(claimreviews(shipped_base, TODAY, SITE))["isis-defeated-iraq-2017#defeated-2017"]["itemReviewed"]
    assert [a["datePublished"] for a in item["appearance"]] == ["2025-08", "2024-09-09", "2024-09"]
    # The claim first appeared in September 2024: "2024-09" may be before the 9th.
    assert item["datePublished"] == "2024-09"
    assert item["firstAppearance"] == item["appearance"][2]


def test_no_appearance_is_given_a_day_its_curator_did_not(shipped_base: Base) -> None:
    curated = {a.published for a in shipped_base.articles.values()}
    for review in claimreviews(shipped_base, TODAY, SITE):
        for appearance in review["itemReviewed"]["appearance"]:
            assert appearance["datePublished"] in curated


def test_a_review_nobody_edited_is_dated_by_its_newest_source_not_the_export_day(shipped_base: Base) -> None:
    reviews = by_anchor(claimreviews(shipped_base, TODAY, SITE))
    # 000 (2025-08) may be as late as 31 August, after 004 (2025-08-18).
    assert reviews["final-withdrawal-date#september-2026"]["datePublished"] == "2025-08"
    assert reviews["final-withdrawal-date#end-2026"]["datePublished"] == "2025-08"  # one review of one claim
    assert all(r["datePublished"] != TODAY.isoformat() for r in reviews.values())


def test_a_review_is_dated_by_the_last_change_to_its_claim_or_to_what_it_cites(shipped_base: Base) -> None:
    changes = {("claim", "isis-defeated-iraq-2017"): date(2026, 10, 2),
               ("article", "004_23c18b444b40338d"): date(2026, 11, 5),
               ("outlet", "no-such-outlet"): date(2026, 11, 20)}
    reviews = by_anchor(claimreviews(shipped_base, TODAY, SITE, changes))
    assert reviews["isis-defeated-iraq-2017#defeated-2017"]["datePublished"] == "2026-10-02"
    assert reviews["final-withdrawal-date#september-2026"]["datePublished"] == "2026-11-05"  # cites 004
    assert reviews["final-withdrawal-date#end-2026"]["datePublished"] == "2026-11-05"


# --- the base url ---------------------------------------------------------------------------------


def test_the_base_url_is_required_and_must_be_a_public_web_address() -> None:
    with pytest.raises(ValueError, match="needs the public address where the reviews can be read: give --base-url"):
        review_base_url(None)
    with pytest.raises(ValueError, match="is not a web address"):
        review_base_url("factcheck.example.org/claims")
    with pytest.raises(ValueError, match="cannot be where readers find the reviews"):
        review_base_url("https://crosscheck.invalid/claims/")
    assert review_base_url("https://factcheck.example.org/claims") == "https://factcheck.example.org/claims/"


def test_the_cli_refuses_to_export_without_a_base_url(db_path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file here
    result = CliRunner().invoke(main, ["claims", "export", str(tmp_path / "out"), "--format", "claimreview"],
                                env={"CROSSCHECK_DB": str(db_path), "CROSSCHECK_REVIEW_URL": None})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: a ClaimReview needs the public address where the reviews can be read")
    assert not (tmp_path / "out").exists()


def test_the_cli_writes_json_ld_at_the_configured_address_dated_by_the_audit_log(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file here
    env = {"CROSSCHECK_DB": str(db_path), "CROSSCHECK_REVIEW_URL": SITE}
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)):
        edit = CliRunner().invoke(main, ["claims", "alias", "add", "isis-defeated-iraq-2017",
                                         "When was ISIS beaten in Iraq"], env=env)
    assert edit.exit_code == 0, edit.output
    result = CliRunner().invoke(main, ["claims", "export", str(tmp_path / "out"), "--format", "claimreview"], env=env)
    assert result.exit_code == 0, result.output
    reviews = by_anchor(json.loads((tmp_path / "out" / "claimreview.jsonld").read_text()))
    assert reviews["isis-defeated-iraq-2017#defeated-2017"]["datePublished"] == "2026-11-25"
    assert reviews["final-withdrawal-date#september-2026"]["datePublished"] == "2025-08"  # untouched


def test_the_base_url_option_wins_over_the_setting(db_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["claims", "export", str(tmp_path), "--format", "claimreview",
                                       "--base-url", "https://other.example.net/reviews"],
                                env={"CROSSCHECK_DB": str(db_path), "CROSSCHECK_REVIEW_URL": SITE})
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "claimreview.jsonld").read_text())
    assert all(r["url"].startswith("https://other.example.net/reviews/") for r in data)

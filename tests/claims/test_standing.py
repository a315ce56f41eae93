"""claims/standing.py: one function decides a claim's standing; the digest and the export agree."""

from __future__ import annotations

import pytest

from claims.claimreview import claimreviews
from claims.digest import standing as digest_standing
from claims.load import Base
from claims.standing import Account, claim_standing, decide, version_standing
from tests.conftest import TODAY


@pytest.mark.parametrize(("accounts", "verdict"), [
    ([Account("a", True)], "supported"),
    ([Account("a", True), Account("b", True)], "supported"),
    ([Account("a", True), Account("b", False)], "disputed"),
    ([Account("a", True), Account("b", False, settles=False)], "supported"),
    ([Account("a", False), Account("b", False)], "contradicted"),
    ([Account("a", True, settles=False)], "unverified"),
    ([Account("a", True, gaps=("when",))], "unverified"),
    ([Account("a", True, gaps=("when",)), Account("b", False)], "unverified"),
    ([Account("a", True, gaps=("when",)), Account("b", True)], "supported"),
])
def test_decide_reads_every_account(accounts: list[Account], verdict: str) -> None:
    assert decide(accounts).verdict == verdict


def test_the_digest_shows_each_claims_standing_from_the_one_function(shipped_base: Base) -> None:
    for claim in shipped_base.claims.values():
        assert digest_standing(claim, shipped_base) == claim_standing(claim, shipped_base).verdict


def test_the_export_rates_each_version_with_the_one_function(shipped_base: Base) -> None:
    reviews = claimreviews(shipped_base, TODAY, "https://factcheck.example.org/claims/")
    ratings = {r["url"].rsplit("/", 1)[1]: r["reviewRating"]["alternateName"] for r in reviews}
    words = {"supported": "Supported", "disputed": "Disputed", "unverified": "Unverified",
             "contradicted": "Contradicted"}
    for claim in shipped_base.claims.values():
        for version in claim.versions:
            expected = words[version_standing(claim, version, shipped_base, TODAY).verdict]
            assert ratings[f"{claim.id}#{version.id}"].startswith(expected), (claim.id, version.id)


def test_a_single_account_claim_stands_the_same_in_the_digest_and_the_export(shipped_base: Base) -> None:
    """The three past plans that used to be 'supported' in the digest and 'unverified' in the
    export are now judged once: what their sources say, with the note that the date passed."""
    for claim_id in ("ain-al-asad-departure", "first-phase-hundreds-leave", "relocation-to-erbil"):
        claim = shipped_base.claims[claim_id]
        assert len(claim.versions) == 1
        standing = claim_standing(claim, shipped_base, TODAY)
        assert standing.verdict == digest_standing(claim, shipped_base) == "supported"
        assert standing.verdict == version_standing(claim, claim.versions[0], shipped_base, TODAY).verdict
        assert standing.note and "has passed" in standing.note


def test_competing_accounts_make_a_claim_disputed(shipped_base: Base) -> None:
    assert claim_standing(shipped_base.claims["deal-reached"], shipped_base).verdict == "disputed"
    assert claim_standing(shipped_base.claims["advisers-remain"], shipped_base).verdict == "disputed"
    assert claim_standing(shipped_base.claims["troops-in-iraq"], shipped_base).verdict == "supported"

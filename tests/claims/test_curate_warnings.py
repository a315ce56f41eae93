"""Curation that warns before it breaks answers: each warning says what would change; nothing is
written until the moderator accepts it; accepting applies it, and the audit log says so."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claims.curate import Change, Curator, NeedsConfirmation, value_changes
from claims.match import MATCH
from claims.service import Crosscheck
from tests.claims.test_review import ask

SYRIA = "troops-in-syria"
IRAQ = "troops-in-iraq"
ARTICLE = "003_0d325b8582dc79ca"
SHORT_QUOTE = "an additional 900 in neighbouring Syria"


def warned(curator: Curator, service: Crosscheck, change: Callable[[object], Change]) -> NeedsConfirmation:
    """Make the change without accepting anything: it must warn and write nothing."""
    audit = curator.store.audit.count(curator.workspace_id)
    claims = dict(service.engine.base.claims)
    with pytest.raises(NeedsConfirmation) as caught:
        change(())
    assert curator.store.audit.count(curator.workspace_id) == audit
    assert service.engine.base.claims == claims
    return caught.value


def test_a_version_of_a_quantity_claim_without_a_number_warns_then_applies_when_confirmed(
    curator: Curator, service: Crosscheck
) -> None:
    statement = "There are 5,000 US troops in Syria"
    assert service.engine.check(statement).verdict == "contradicted"
    version = {"id": "vague", "text": "US troops are stationed in Syria.", "values": {"places": ["syria"]},
               "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]}

    caught = warned(curator, service, lambda accept: curator.add_version("mod:alice", SYRIA, version, accept=accept))

    [warning] = caught.warnings
    assert (warning.code, warning.key) == ("no-number", f"no-number:{SYRIA}/vague")
    assert warning.message.startswith(f"version 'vague' of '{SYRIA}' gives no number, though the claim counts "
                                      "troops: it can neither confirm nor contradict a number, so a statement "
                                      "giving one is judged by the other versions alone")
    change = curator.add_version("mod:alice", SYRIA, version, accept=caught.keys)
    assert change.warnings == (warning,)
    assert curator.history(SYRIA)[-1].reason == "confirmed warnings: no-number"
    # As the warning says: the vague version speaks to no number, so the wrong one is still wrong.
    assert service.engine.check(statement).verdict == "contradicted"


def test_making_a_claim_count_something_warns_about_its_versions_without_numbers(
    curator: Curator, service: Crosscheck
) -> None:
    claim, revision = curator.claim("deal-reached")
    assert claim.kind == "event"
    caught = warned(curator, service, lambda accept: curator.edit_claim(
        "mod:alice", "deal-reached", revision, unit="agreements", accept=accept))
    assert {w.subject for w in caught.warnings} == {f"deal-reached/{v.id}" for v in claim.versions}
    assert all("though the claim counts agreements" in w.message for w in caught.warnings)
    # A kind change that counts nothing new does not warn.
    curator.edit_claim("mod:alice", "deal-reached", revision, kind="fact")


def test_taking_the_number_away_from_a_version_warns_but_editing_a_numberless_one_does_not(
    curator: Curator, service: Crosscheck
) -> None:
    caught = warned(curator, service, lambda accept: curator.edit_version(
        "mod:alice", SYRIA, "about-900", None, values=value_changes(count=""), accept=accept))
    assert [w.code for w in caught.warnings] == ["no-number"]
    curator.edit_version("mod:alice", SYRIA, "about-900", None, values=value_changes(count=""), accept=True)
    curator.edit_version("mod:alice", SYRIA, "about-900", None, text="U.S. troops are in Syria.")  # no warning


def test_an_alias_that_shares_nothing_with_its_claim_warns(curator: Curator, service: Crosscheck) -> None:
    caught = warned(curator, service, lambda accept: curator.add_alias(
        "mod:alice", SYRIA, "Bitcoin hit a record price", accept=accept))
    assert [w.code for w in caught.warnings] == ["alias-unrelated"]
    assert caught.warnings[0].message.startswith(
        f"the alias 'Bitcoin hit a record price' shares no word with '{SYRIA}' (its statement, aliases or "
        f"versions): statements worded like it would get the verdict of '{SYRIA}' though nothing in them says "
        "what it says.")


def test_an_alias_another_claim_answers_better_warns_naming_it_and_both_scores(
    curator: Curator, service: Crosscheck
) -> None:
    alias = service.engine.base.claims[IRAQ].statement
    before = service.engine.check(alias)
    assert before.claim is not None and before.claim.id == IRAQ

    caught = warned(curator, service, lambda accept: curator.add_alias("mod:alice", SYRIA, alias, accept=accept))

    [warning] = [w for w in caught.warnings if w.code == "alias-matched-elsewhere"]
    assert f"already matches claim '{IRAQ}' better (score 100; '{SYRIA}' scores " in warning.message
    assert warning.message.endswith(f"answered from '{IRAQ}' today; with it, '{SYRIA}' competes for them and "
                                    f"answers those it matches better. Add it to '{IRAQ}' instead if that is the "
                                    "claim meant.")
    curator.add_alias("mod:alice", SYRIA, alias, accept=caught.keys)
    assert alias in curator.claim(SYRIA)[0].aliases
    # A wording it matches better than troops-in-iraq now goes to it; the tie on the alias itself
    # stays with troops-in-iraq (both have it in their own words; then the id decides).
    assert service.engine.check(alias).claim.id == IRAQ  # type: ignore[union-attr]
    taken = "About 2,500 U.S. troops are stationed in Iraq and Syria"
    assert service.engine.check(taken).claim.id == SYRIA  # type: ignore[union-attr]


def test_a_negated_alias_of_an_affirmative_claim_warns(curator: Curator, service: Crosscheck) -> None:
    alias = "The US has not kept any troops in Syria"
    caught = warned(curator, service, lambda accept: curator.add_alias("mod:alice", SYRIA, alias, accept=accept))
    [warning] = [w for w in caught.warnings if w.code == "alias-negated"]
    assert warning.message.startswith(f"the alias {alias!r} denies what '{SYRIA}' affirms: an alias is read as "
                                      "another way of saying the claim, so a statement worded like it would be "
                                      "judged as saying 'About 900 U.S. troops are stationed in neighbouring Syria.'")


def test_an_alias_in_the_claims_own_words_does_not_warn(curator: Curator) -> None:
    change = curator.add_alias("mod:alice", SYRIA, "Roughly nine hundred American troops are in Syria")
    assert change.warnings == ()


def test_accepting_one_warning_does_not_accept_another(curator: Curator, service: Crosscheck) -> None:
    alias = "Bitcoin hit a record price"
    with pytest.raises(NeedsConfirmation) as caught:
        curator.add_alias("mod:alice", SYRIA, alias, accept={"alias-negated:" + alias})
    assert [w.code for w in caught.value.warnings] == ["alias-unrelated"]


def test_linking_a_queued_question_warns_like_an_alias(curator: Curator, service: Crosscheck) -> None:
    question = "Washington's GIs are not garrisoned next door in Syria"
    ask(service, question, "u1")
    [group] = curator.review_queue()
    caught = warned(curator, service, lambda accept: curator.link("mod:alice", group.key, SYRIA, accept=accept))
    [warning] = caught.warnings
    assert warning.code == "alias-negated"
    assert warning.message.startswith(f"the queued question {question!r} denies what '{SYRIA}' affirms")
    assert [g.key for g in curator.review_queue()] == [group.key]  # still queued
    change = curator.link("mod:alice", group.key, SYRIA, accept=True)
    assert change.warnings == (warning,) and curator.review_queue() == []


def test_a_new_claim_warns_about_its_versions_and_aliases(curator: Curator, service: Crosscheck) -> None:
    iraq = service.engine.base.claims[IRAQ]
    data = {"id": "gis-in-syria", "kind": "quantity", "statement": "The US keeps troops in Syria next door.",
            "aliases": [iraq.statement],
            "versions": [{"id": "reported", "text": "The US keeps troops in Syria.",
                          "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]}]}
    caught = warned(curator, service, lambda accept: curator.add_claim("mod:alice", data, accept=accept))
    assert [w.code for w in caught.warnings] == ["no-number", "alias-matched-elsewhere"]
    assert service.engine.check(iraq.statement).claim.id == IRAQ  # type: ignore[union-attr]
    assert service.engine.check(iraq.statement).claim.score >= MATCH  # type: ignore[union-attr]

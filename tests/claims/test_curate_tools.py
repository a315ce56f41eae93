"""The curator reaches everything the YAML can say: versions with every value, sources of a
version, entities, listing and searching claims, and whole topics retired, restored and undone."""

from __future__ import annotations

import pytest

from claims.curate import (
    ConflictError,
    CurationError,
    Curator,
    NeedsConfirmation,
    format_values_block,
    parse_values_block,
    value_changes,
    values_from,
)
from claims.models import Values
from claims.service import Crosscheck

SYRIA = "troops-in-syria"
ARTICLE = "003_0d325b8582dc79ca"
QUOTE = ("The U.S. currently has approximately 2,500 troops stationed in Iraq and an additional 900 in "
         "neighbouring Syria.")
# Sentences of that article, to quote from.
SHORT_QUOTE = "an additional 900 in neighbouring Syria"


def audit_count(curator: Curator) -> int:
    return curator.store.audit.count(curator.workspace_id)


# --- versions --------------------------------------------------------------------------------------


def test_a_version_takes_every_value_and_entities_by_name_any_kind_for_the_speaker(curator: Curator) -> None:
    values = values_from(date="2026-11", as_of="2026-11-20", count="~900", duration="", scope="some",
                         places="Syria, Iraq", actors=["US"], speaker="Reuters", holds="yes")
    assert "duration" not in values and values["places"] == ["Syria", "Iraq"]
    change = curator.add_version("mod:alice", SYRIA, {
        "id": "reuters-tally", "text": "Reuters counts about 900 U.S. troops in Syria as of 20 November.",
        "values": values, "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE, "said_by": "Reuters"}]})

    assert change.summary == f"added version reuters-tally to {SYRIA}" and change.revision == 2
    version, revision = curator.version(SYRIA, "reuters-tally")
    # Names were read as the entities' ids; an agency (an org) is the speaker.
    assert version.values == Values(date="2026-11", as_of="2026-11-20", count="~900", scope="some",
                                    places=["syria", "iraq"], actors=["us"], speaker="reuters")
    assert revision == 2
    assert curator.engine.base.claims[SYRIA].versions[-1] == version  # the engine sees it at once


def test_roles_are_given_as_text_read_as_entity_ids_and_shown_back_in_the_form(curator: Curator) -> None:
    values = values_from(count="~900", roles="agent = US; patient=Syria , Iraq")
    assert values["roles"] == {"agent": ["US"], "patient": ["Syria", "Iraq"]}
    curator.add_version("mod:alice", SYRIA, {
        "id": "roles", "text": "The U.S. struck targets in Syria and Iraq.", "values": values,
        "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})
    version, _ = curator.version(SYRIA, "roles")
    assert version.values.roles == {"agent": ["us"], "patient": ["syria", "iraq"]}
    assert "roles: agent=us; patient=syria, iraq" in format_values_block(version.values).splitlines()
    assert parse_values_block(format_values_block(version.values))["roles"] == version.values.roles
    assert any("role agent" in use.detail for use in curator.entity_uses("us"))
    assert value_changes(roles="")["roles"] == {}  # '' clears them


@pytest.mark.parametrize(("text", "problem"), [
    ("agent us", "is not role=entities"), ("villain=us", "is not a role"), ("agent=", "names no entity"),
])
def test_roles_that_do_not_read_are_refused_saying_how_to_write_them(text: str, problem: str) -> None:
    with pytest.raises(CurationError, match=problem):
        values_from(roles=text)


def test_a_role_naming_no_entity_is_refused(curator: Curator) -> None:
    with pytest.raises(CurationError, match="roles: agent: 'Atlantis' is not an entity here"):
        curator.add_version("mod:alice", SYRIA, {
            "id": "atlantis", "text": "Atlantis struck.", "values": {"roles": {"agent": ["Atlantis"]}},
            "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})


def test_a_value_naming_no_entity_is_refused_saying_how_to_add_it(curator: Curator) -> None:
    with pytest.raises(CurationError) as refused:
        curator.add_version("mod:alice", SYRIA, {
            "id": "hasakah", "text": "Some U.S. troops are in Hasakah.",
            "values": {"count": "~900", "places": ["Hasakah"]},
            "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})
    [problem] = refused.value.problems
    assert "places: 'Hasakah' is not an entity here" in problem and "entities add" in problem
    assert audit_count(curator) == 0


def test_a_version_is_edited_value_by_value_and_a_stale_edit_is_refused(curator: Curator) -> None:
    _, revision = curator.claim(SYRIA)
    change = curator.edit_version("mod:alice", SYRIA, "about-900", revision,
                                  text="About 900 U.S. troops remain in Syria.",
                                  values=value_changes(as_of="2026-11-01", places="syria, northeastern-syria",
                                                       scope=None))
    version, _ = curator.version(SYRIA, "about-900")
    assert version.text == "About 900 U.S. troops remain in Syria."
    assert version.values == Values(count="~900", as_of="2026-11-01", places=["syria", "northeastern-syria"])
    assert change.revision == revision + 1
    # '' clears a value; a list to none.
    curator.edit_version("mod:alice", SYRIA, "about-900", None, values=value_changes(as_of="", places=""))
    assert curator.version(SYRIA, "about-900")[0].values == Values(count="~900")
    with pytest.raises(ConflictError, match="changed by someone else"):
        curator.edit_version("mod:bob", SYRIA, "about-900", revision, text="Stale edit of the version.")
    with pytest.raises(CurationError, match="has no version 'nope' \\(it has about-900\\)"):
        curator.edit_version("mod:bob", SYRIA, "nope", None, text="Anything at all.")
    with pytest.raises(CurationError, match="nothing to change"):
        curator.edit_version("mod:bob", SYRIA, "about-900", None)


def test_the_last_version_cannot_be_removed_and_a_removed_one_comes_back_with_undo(curator: Curator) -> None:
    with pytest.raises(CurationError, match=r"only version of 'troops-in-syria'.*retire the claim"):
        curator.remove_version("mod:alice", SYRIA, "about-900")
    curator.add_version("mod:alice", SYRIA, {"id": "second", "text": "Some 900 US troops are in Syria.",
                                             "values": {"count": "900"},
                                             "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})
    removed = curator.remove_version("mod:alice", SYRIA, "about-900", reason="merged into 'second'")
    assert [v.id for v in curator.claim(SYRIA)[0].versions] == ["second"]
    assert curator.history(SYRIA)[-1].reason == "merged into 'second'"
    curator.undo("mod:alice", removed.audit_id)
    assert [v.id for v in curator.claim(SYRIA)[0].versions] == ["about-900", "second"]


def test_a_source_is_added_to_a_version_and_removed_but_never_the_last(curator: Curator) -> None:
    other = "001_a545990919b4ebe4"
    change = curator.add_source("mod:alice", SYRIA, "about-900", {
        "article": other, "quote": "The US military presence in northeastern Syria may not be able to continue",
        "said_by": "the Pentagon"})
    assert change.summary == f"added a source to {SYRIA}/about-900: {other}"
    assert [s.article for s in curator.version(SYRIA, "about-900")[0].sources] == [ARTICLE, other]
    with pytest.raises(CurationError, match="already cites that quote"):
        curator.add_source("mod:alice", SYRIA, "about-900", {"article": ARTICLE, "quote": QUOTE})
    with pytest.raises(CurationError, match="quote not found"):
        curator.add_source("mod:alice", SYRIA, "about-900", {"article": ARTICLE, "quote": "9,000 troops in Syria"})
    with pytest.raises(CurationError, match=f"cites no article 'nope' \\(it cites {ARTICLE}, {other}\\)"):
        curator.remove_source("mod:alice", SYRIA, "about-900", "nope")
    removed = curator.remove_source("mod:alice", SYRIA, "about-900", ARTICLE)
    assert removed.summary == f"removed the source {ARTICLE} from {SYRIA}/about-900"
    assert [s.article for s in curator.version(SYRIA, "about-900")[0].sources] == [other]


def test_removing_a_versions_only_article_is_refused(curator: Curator) -> None:
    with pytest.raises(CurationError, match="only source of troops-in-syria/about-900"):
        curator.remove_source("mod:alice", SYRIA, "about-900", ARTICLE)
    assert audit_count(curator) == 0


def test_values_round_trip_through_the_form_block() -> None:
    values = Values(date="2026-11", as_of="2026-11-20", count="~900", places=["syria", "iraq"], speaker="reuters",
                    holds=False)
    block = format_values_block(values)
    assert block.splitlines()[:3] == ["date: 2026-11", "as_of: 2026-11-20", "count: ~900"]
    assert "holds: no" in block and "duration:" in block
    assert Values.model_validate(parse_values_block(block)) == values
    with pytest.raises(CurationError, match="line 2: 'colour: blue' is not `name: value`"):
        parse_values_block("count: 3\ncolour: blue")
    with pytest.raises(CurationError, match="holds: 'maybe' is not yes or no"):
        values_from(holds="maybe")


# --- entities --------------------------------------------------------------------------------------


def test_an_entity_is_added_and_text_reads_it_at_once(curator: Curator, service: Crosscheck) -> None:
    change = curator.add_entity("mod:alice", {"id": "hasakah", "kind": "place", "names": "Hasakah, Hassakeh",
                                              "part_of": ["northeastern-syria"]})
    assert change.summary == "added place hasakah: Hasakah, Hassakeh"
    assert "@hasakah" in service.engine.normaliser.normalise("US troops left Hassakeh").terms
    curator.add_entity_name("mod:alice", "hasakah", "Hasaka")
    assert curator.entity("hasakah")[0].names == ["Hasakah", "Hassakeh", "Hasaka"]
    curator.remove_entity_name("mod:alice", "hasakah", "HASSAKEH")
    assert curator.entity("hasakah")[0].names == ["Hasakah", "Hasaka"]
    assert "@hasakah" not in service.engine.normaliser.normalise("US troops left Hassakeh").terms


@pytest.mark.parametrize(("data", "problem"), [
    ({"id": "damascus2", "kind": "place", "names": ["Syria"]}, "'Syria' is already a name of entity 'syria'"),
    ({"id": "hasakah", "kind": "place", "names": ["Hasakah"], "part_of": ["nowhere"]}, "unknown entity nowhere"),
    ({"id": "hasakah", "kind": "town", "names": ["Hasakah"]}, "kind"),
    ({"id": "iraq", "kind": "country", "names": ["Mesopotamia"]}, "already exists"),
])
def test_entities_are_refused_with_the_reason(curator: Curator, data: dict, problem: str) -> None:
    with pytest.raises(CurationError, match=problem):
        curator.add_entity("mod:alice", data)


def test_an_entity_cannot_be_part_of_itself(curator: Curator) -> None:
    with pytest.raises(CurationError, match="would be part of itself"):
        curator.edit_entity("mod:alice", "iraq", part_of=["northern-iraq"])


def test_an_entity_in_use_cannot_be_removed_and_the_refusal_says_where(curator: Curator) -> None:
    with pytest.raises(CurationError) as refused:
        curator.remove_entity("mod:alice", "erbil")
    [problem] = refused.value.problems
    assert problem.startswith("entity 'erbil' is still used by entity al-harir (part of it); claim ")
    for use in ("claim relocation-to-erbil (version ", "claim erbil-supports-syria-operations (version "
                "support-syria: place)"):
        assert use in problem
    assert problem.endswith("Change those first (a version's places, actors, speaker or roles; an entity's part_of), "
                            "then remove it")
    with pytest.raises(CurationError, match="the only name of 'reuters'"):
        curator.remove_entity_name("mod:alice", "reuters", "Reuters")
    # An entity nobody uses goes; undo brings it back.
    change = curator.remove_entity("mod:alice", "reuters", reason="not needed")
    assert "reuters" not in curator.base.entities
    curator.undo("mod:alice", change.audit_id)
    assert curator.entity("reuters")[0].names == ["Reuters"]


# --- list and search -------------------------------------------------------------------------------


def test_claims_are_listed_by_topic_status_and_kind(curator: Curator) -> None:
    curator.set_status("mod:alice", SYRIA, "retired", "out of scope")
    retired = curator.list_claims(status="retired")
    assert [c.id for c in retired] == [SYRIA]
    quantities = curator.list_claims(topic="withdrawal", kind="quantity", status="active")
    assert quantities and all(c.kind == "quantity" and c.topic == "withdrawal" for c in quantities)
    assert SYRIA not in {c.id for c in quantities}
    assert len(curator.list_claims()) == 74
    with pytest.raises(CurationError, match="kind 'rumour' must be one of"):
        curator.list_claims(kind="rumour")


def test_search_ranks_by_the_engines_matching_then_finds_words_in_any_claim(curator: Curator) -> None:
    found = curator.search_claims("how many american soldiers are in syria")
    assert found[0].claim.id == SYRIA and found[0].where == "matched" and found[0].score == 100
    assert [f.score for f in found if f.score is not None] == sorted(
        [f.score for f in found if f.score is not None], reverse=True)
    curator.set_status("mod:alice", SYRIA, "retired", "out of scope")
    # Retired, the bot no longer matches it, but its words still find it.
    again = curator.search_claims("neighbouring Syria")
    assert (SYRIA, None, "statement") in [(f.claim.id, f.score, f.where) for f in again]
    assert (SYRIA, "id") in [(f.claim.id, f.where) for f in curator.search_claims("troops-in-syria")]


# --- topics ----------------------------------------------------------------------------------------


def test_a_topic_is_retired_at_once_and_one_undo_restores_it(curator: Curator, service: Crosscheck) -> None:
    statement = "ISIS emerged in Syria and Iraq in 2014"
    assert service.engine.check(statement).claim is not None
    curator.set_status("mod:alice", "isis-emerged-2014", "retired", "duplicate")  # already retired: not in it
    before = audit_count(curator)

    change = curator.set_topic_status("mod:alice", "background", "retired", reason="the newsroom covers the quake now")

    assert change.summary == "retired topic background: 40 claims"
    assert {t.name: (t.active, t.retired) for t in curator.topics()} == {"background": (0, 41), "withdrawal": (33, 0)}
    assert audit_count(curator) == before + 41  # a row per claim and one for the topic
    batch = curator.store.audit.get(change.audit_id)
    assert batch is not None and (batch.action, batch.target_type, batch.target_id) == ("topic.retire", "topic",
                                                                                         "background")
    assert len(batch.after["changes"]) == 40 and "isis-emerged-2014" not in batch.after["changes"]
    [entry] = curator.history("us-full-withdrawal-2011")
    assert entry.action == "claim.retire"
    assert entry.reason == "retired with topic background: the newsroom covers the quake now"
    assert service.engine.check(statement).claim is None  # no longer matched

    undone = curator.undo("mod:bob", change.audit_id)

    assert undone.summary == f"undid #{change.audit_id} (topic.retire background): 40 changes"
    assert {t.name: (t.active, t.retired) for t in curator.topics()}["background"] == (40, 1)
    assert curator.claim("isis-emerged-2014")[0].status == "retired"  # retired on its own, stays so
    assert all(curator.store.audit.get(i).undone_by for i in batch.after["changes"].values())
    with pytest.raises(CurationError, match="already undone"):
        curator.undo("mod:bob", change.audit_id)
    with pytest.raises(CurationError, match="an undo cannot be undone"):
        curator.undo("mod:bob", undone.audit_id)


def test_undoing_a_topic_whose_claim_changed_since_undoes_nothing(curator: Curator) -> None:
    change = curator.set_topic_status("mod:alice", "withdrawal", "retired", reason="old news")
    curator.add_alias("mod:bob", SYRIA, "GIs garrisoned in Syria number 900")  # an edit after the retirement
    before = audit_count(curator)
    with pytest.raises(ConflictError, match="troops-in-syria changed after"):
        curator.undo("mod:carol", change.audit_id)
    assert audit_count(curator) == before
    assert {t.name: t.retired for t in curator.topics()}["withdrawal"] == 33
    # Undone one by one, the others can still be restored at once; the changed claim is skipped.
    alias = curator.history(SYRIA)[-1].id
    curator.undo("mod:carol", alias)
    member = curator.store.audit.get(change.audit_id).after["changes"][SYRIA]
    curator.undo("mod:carol", member)
    restored = curator.undo("mod:carol", change.audit_id)
    assert restored.summary.endswith(": 32 changes")
    assert {t.name: t.active for t in curator.topics()}["withdrawal"] == 33


def test_a_topic_needs_a_reason_to_retire_and_claims_to_change(curator: Curator) -> None:
    with pytest.raises(CurationError, match="needs a reason"):
        curator.set_topic_status("mod:alice", "background", "retired")
    with pytest.raises(CurationError, match="no claims in topic 'quake'; the topics here are background, withdrawal"):
        curator.set_topic_status("mod:alice", "quake", "retired", "nothing")
    with pytest.raises(CurationError, match="all 33 claims of topic 'withdrawal' are already active"):
        curator.set_topic_status("mod:alice", "withdrawal", "active")
    restored = curator.set_topic_status("mod:alice", "withdrawal", "retired", "x")
    assert restored.summary == "retired topic withdrawal: 33 claims"
    restored = curator.set_topic_status("mod:alice", "withdrawal", "active")
    assert restored.summary == "restored topic withdrawal: 33 claims"


def test_the_shipped_base_cannot_be_curated(service: Crosscheck) -> None:
    shipped = Curator(service, workspace_id="shipped")
    for attempt in (lambda: shipped.set_topic_status("mod", "background", "retired", "x"),
                    lambda: shipped.add_entity("mod", {"id": "hasakah", "kind": "place", "names": ["Hasakah"]})):
        with pytest.raises(CurationError, match="read-only"):
            attempt()


# --- a refusal comes before a warning --------------------------------------------------------------


def test_a_refused_change_is_refused_even_when_it_would_also_warn(curator: Curator) -> None:
    with pytest.raises(CurationError, match="already has a version 'about-900'"):
        curator.add_version("mod:alice", SYRIA, {"id": "about-900", "text": "US troops are in Syria.",
                                                 "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})
    with pytest.raises(NeedsConfirmation):  # the same without the clash only warns
        curator.add_version("mod:alice", SYRIA, {"id": "vague", "text": "US troops are in Syria.",
                                                 "sources": [{"article": ARTICLE, "quote": SHORT_QUOTE}]})

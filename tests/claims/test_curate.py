"""Moderators' changes: validated like the YAML base, atomic, audited, undoable, never overwriting."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from claims.curate import ConflictError, CurationError, Curator, new_claim_data
from claims.service import Crosscheck
from tests.conftest import TODAY

ARTICLE = "003_0d325b8582dc79ca"
QUOTE = ("The U.S. currently has approximately 2,500 troops stationed in Iraq and an additional 900 in "
         "neighbouring Syria.")


def new_claim(claim_id: str = "us-troops-syria-900", **overrides) -> dict:
    data = new_claim_data(claim_id, "The US keeps about 900 troops in Syria next door.", "quantity", ARTICLE, QUOTE,
                          aliases=["How many GIs are stationed in Syria"], values={"count": "900"})
    data.update(overrides)
    return data


def test_an_added_claim_is_matched_at_once_and_audited(curator: Curator, service: Crosscheck) -> None:
    # Its alias is one troops-in-syria answers today: the moderator confirms taking it over.
    change = curator.add_claim("mod:alice", new_claim(), accept=True)
    assert change.revision == 1
    assert [w.code for w in change.warnings] == ["alias-matched-elsewhere"]
    reply = service.engine.check("How many GIs are stationed in Syria")
    assert reply.claim is not None and reply.claim.id == "us-troops-syria-900"
    [entry] = curator.history("us-troops-syria-900")
    assert (entry.actor, entry.action, entry.before) == ("mod:alice", "claim.add", None)
    assert entry.after["statement"] == "The US keeps about 900 troops in Syria next door."


def test_a_claim_whose_quote_is_not_in_its_article_is_refused_and_nothing_is_written(curator: Curator) -> None:
    with pytest.raises(CurationError) as refused:
        curator.add_claim("mod:alice", new_claim(versions=[{
            "id": "about-9000", "text": "About 9,000 troops.",
            "sources": [{"article": ARTICLE, "quote": "9,000 troops in Syria"}]}]))
    assert any("quote not found" in p for p in refused.value.problems)
    assert not curator.store.objects.get(curator.chain, "claim", "us-troops-syria-900").exists
    assert curator.store.audit.count(curator.workspace_id) == 0


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"kind": "rumour"}, "kind"),
    ({"statement": "short"}, "statement"),
    ({"id": "Not An Id"}, "id"),
    ({"kind": "plan"}, "due date"),
])
def test_invalid_claims_are_refused_with_the_reason(curator: Curator, overrides: dict, expected: str) -> None:
    with pytest.raises(CurationError) as refused:
        curator.add_claim("mod:alice", new_claim(**overrides))
    assert any(expected in p for p in refused.value.problems)


def test_a_claim_id_cannot_be_reused(curator: Curator) -> None:
    with pytest.raises(CurationError, match="already exists"):
        curator.add_claim("mod:alice", new_claim("troops-in-iraq"))


def test_a_second_moderators_stale_edit_is_refused(curator: Curator) -> None:
    _, shown = curator.claim("troops-in-syria")
    curator.edit_claim("mod:alice", "troops-in-syria", shown, statement="Roughly 900 U.S. troops are in Syria.")
    with pytest.raises(ConflictError, match="changed by someone else"):
        curator.edit_claim("mod:bob", "troops-in-syria", shown, statement="Some U.S. troops are in Syria today.")
    claim, revision = curator.claim("troops-in-syria")
    assert claim.statement == "Roughly 900 U.S. troops are in Syria."
    assert revision == shown + 1


def test_aliases_are_added_and_removed(curator: Curator, service: Crosscheck) -> None:
    curator.add_alias("mod:alice", "troops-in-syria", "Are there still GIs garrisoned in Syria")
    assert "Are there still GIs garrisoned in Syria" in curator.claim("troops-in-syria")[0].aliases
    with pytest.raises(CurationError, match="already has"):
        curator.add_alias("mod:alice", "troops-in-syria", "are there still gis garrisoned in syria")
    curator.remove_alias("mod:alice", "troops-in-syria", "Are there still GIs garrisoned in Syria")
    assert "Are there still GIs garrisoned in Syria" not in curator.claim("troops-in-syria")[0].aliases


def test_a_new_version_makes_a_claim_disputed(curator: Curator, service: Crosscheck) -> None:
    assert service.engine.check("About 900 US troops are in Syria").verdict == "supported"
    curator.add_version("mod:alice", "troops-in-syria", {
        "id": "about-2500", "text": "About 2,500 U.S. troops are in Syria.", "values": {"count": "~2500"},
        "sources": [{"article": ARTICLE, "quote": "The U.S. currently has approximately 2,500 troops"}]})
    assert service.engine.check("About 900 US troops are in Syria").verdict == "disputed"


def test_a_retired_claim_is_not_matched_and_can_be_restored(curator: Curator, service: Crosscheck) -> None:
    statement = "About 900 U.S. troops are stationed in neighbouring Syria."
    curator.set_status("mod:alice", "troops-in-syria", "retired", "superseded")
    retired = service.engine.check(statement)
    assert retired.claim is None or retired.claim.id != "troops-in-syria"
    curator.set_status("mod:alice", "troops-in-syria", "active")
    assert service.engine.check(statement).claim.id == "troops-in-syria"


def test_undo_restores_the_previous_state_and_refuses_when_later_changes_exist(curator: Curator) -> None:
    before, _ = curator.claim("troops-in-syria")
    first = curator.edit_claim("mod:alice", "troops-in-syria", None, statement="Roughly 900 U.S. troops are in Syria.")
    second = curator.add_alias("mod:bob", "troops-in-syria", "GIs garrisoned in Syria number 900")
    with pytest.raises(ConflictError, match="undo the later changes first"):
        curator.undo("mod:carol", first.audit_id)
    curator.undo("mod:carol", second.audit_id)
    curator.undo("mod:carol", first.audit_id)
    after, _ = curator.claim("troops-in-syria")
    assert after == before
    with pytest.raises(CurationError, match="already undone"):
        curator.undo("mod:carol", first.audit_id)
    assert [e.action for e in curator.history("troops-in-syria")] == [
        "claim.edit", "claim.alias.add", "undo", "undo"]


def test_undoing_an_added_claim_removes_it(curator: Curator, service: Crosscheck) -> None:
    change = curator.add_claim("mod:alice", new_claim(), accept=True)
    curator.undo("mod:alice", change.audit_id)
    assert not curator.store.objects.get(curator.chain, "claim", "us-troops-syria-900").exists
    reply = service.engine.check("How many GIs are stationed in Syria")
    assert reply.claim is None or reply.claim.id != "us-troops-syria-900"


def test_re_rating_an_outlet_recomputes_its_score_and_needs_a_reason(curator: Curator, service: Crosscheck) -> None:
    with pytest.raises(CurationError, match="reason"):
        curator.rerate_outlet("mod:alice", "iswnews", "authors", "yes", " ")
    old = curator.base.outlets["iswnews"].credibility
    change = curator.rerate_outlet("mod:alice", "iswnews", "authors", "yes", "Bylines appear on the site")
    assert curator.base.outlets["iswnews"].credibility == old + 5
    assert curator.base.outlets["iswnews"].criteria["authors"].note == "Bylines appear on the site"
    assert "30 → 35" in change.summary
    curator.undo("mod:bob", change.audit_id)
    assert curator.base.outlets["iswnews"].credibility == old


def test_articles_need_a_known_outlet_and_real_text(curator: Curator) -> None:
    data = {"id": "005_new_article", "outlet": "eu-today", "published": "2026-10-01", "title": "New"}
    with pytest.raises(CurationError, match="too short"):
        curator.add_article("mod:alice", data, "tiny")
    with pytest.raises(CurationError, match="unknown outlet"):
        curator.add_article("mod:alice", {**data, "outlet": "nobody"}, "x" * 100)
    curator.add_article("mod:alice", data, "A long enough article text about the withdrawal. " * 3)
    assert "005_new_article" in curator.base.articles


def test_a_killed_write_leaves_the_previous_state_intact(db_path: Path) -> None:
    """A moderator's save killed between writing the claim and its audit row changes nothing."""
    child = textwrap.dedent(f"""
        import sys, time
        from claims.curate import Curator
        from claims.service import Crosscheck
        svc = Crosscheck.open({str(db_path)!r})
        curator = Curator(svc)
        def hang(*args, **kwargs):
            print("writing", flush=True)
            time.sleep(60)
        curator._audit = hang  # the claim row is already updated inside the open transaction
        curator.edit_claim("mod:alice", "troops-in-syria", None, statement="A statement that must never land.")
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.05)
    svc = Crosscheck.open(db_path, today=TODAY)
    try:
        claim, revision = Curator(svc).claim("troops-in-syria")
        assert claim.statement == "About 900 U.S. troops are stationed in neighbouring Syria."
        assert revision == 1
        assert svc.store.audit.count("default") == 0
    finally:
        svc.close()


def test_history_records_before_and_after(curator: Curator) -> None:
    curator.edit_claim("mod:alice", "troops-in-syria", 1, statement="Roughly 900 U.S. troops are in Syria.",
                       reason="clearer")
    [entry] = curator.history("troops-in-syria")
    assert entry.before["statement"] == "About 900 U.S. troops are stationed in neighbouring Syria."
    assert entry.after["statement"] == "Roughly 900 U.S. troops are in Syria."
    assert entry.reason == "clearer"
    assert json.loads(json.dumps(entry.after))["id"] == "troops-in-syria"

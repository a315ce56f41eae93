"""The review queue: unanswered questions grouped, then linked, turned into claims, or dismissed."""

from __future__ import annotations

import pytest

from claims.curate import CurationError, Curator, new_claim_data
from claims.service import Crosscheck


def ask(service: Crosscheck, statement: str, user: str) -> str:
    return service.check(statement, user_id=user, via="test").reply.verdict


def test_the_same_question_asked_differently_is_one_item_with_its_count(service: Crosscheck,
                                                                        curator: Curator) -> None:
    assert ask(service, "Will Iraq hold a referendum on the US bases?", "u1") == "no_match"
    ask(service, "iraq referendum on american bases", "u2")
    ask(service, "Will Iraq hold a referendum on the US bases?", "u1")
    ask(service, "NASA will land astronauts on the Moon in 2026", "u3")
    ask(service, "ISIS was defeated in Iraq in 2017", "u4")  # answered: not queued
    groups = curator.review_queue()
    assert [(g.count, len(g.askers)) for g in groups] == [(3, 2), (1, 1)]
    assert groups[0].wordings == ["Will Iraq hold a referendum on the US bases?", "iraq referendum on american bases"]


def test_linking_a_question_answers_the_next_asker(service: Crosscheck, curator: Curator) -> None:
    question = "Are Washington's GIs garrisoned next door in Syria?"
    assert ask(service, question, "u1") == "no_match"
    [group] = curator.review_queue()
    curator.link("mod:alice", group.key, "troops-in-syria")
    reply = service.check(question, user_id="u2").reply
    assert reply.claim is not None and reply.claim.id == "troops-in-syria"
    assert reply.verdict == "supported"
    assert curator.review_queue() == []


def test_undoing_a_link_puts_the_question_back(service: Crosscheck, curator: Curator) -> None:
    ask(service, "Are Washington's GIs garrisoned next door in Syria?", "u1")
    [group] = curator.review_queue()
    change = curator.link("mod:alice", group.key, "troops-in-syria")
    curator.undo("mod:bob", change.audit_id)
    assert [g.key for g in curator.review_queue()] == [group.key]


def test_a_question_becomes_a_new_claim(service: Crosscheck, curator: Curator) -> None:
    question = "Did Iraq's parliament vote to expel foreign troops?"
    ask(service, question, "u1")
    [group] = curator.review_queue()
    data = new_claim_data("coalition-centre-northern-iraq", "Ankara and Baghdad agreed on a joint centre training "
                          "troops in northern Iraq.", "event", "001_a545990919b4ebe4",
                          "Ankara and Baghdad decided in August to run a joint instruction and collaboration center")
    change = curator.new_claim_from_queue("mod:alice", group.key, data)
    claim, _ = curator.claim(change.target_id)
    assert question in claim.aliases
    assert curator.review_queue() == []


def test_dismissed_items_leave_the_queue_and_can_come_back(service: Crosscheck, curator: Curator) -> None:
    ask(service, "Bitcoin will hit 100k by the end of 2026", "u1")  # chatter is not queued at all
    [group] = curator.review_queue()
    change = curator.dismiss("mod:alice", group.key, "not a claim")
    assert curator.review_queue() == []
    with pytest.raises(CurationError, match="no open review item"):
        curator.dismiss("mod:alice", group.key)
    curator.undo("mod:alice", change.audit_id)
    assert len(curator.review_queue()) == 1

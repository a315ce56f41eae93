"""Closing the loop (claims/notify.py, claims/store/follows.py): what is owed to whom, once, and
what privacy takes away; and the queue that takes questions, not chatter (claims/checkworthy.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from claims.checkworthy import COMMAND, FRAGMENT, GREETING, NOT_ENGLISH, NOTHING, OPINION, problem
from claims.curate import Curator
from claims.curate.queue import chatter_line
from claims.notify import NotifyError, follow, message, refresh
from claims.privacy import apply_retention, erase, personal_data
from claims.review import queue
from claims.service import Crosscheck
from claims.store import Store, Where
from claims.store.follows import ANSWER, PENDING, SENDING, VERDICT

GUILD = "111"
UNMATCHED = "Are Washington's GIs garrisoned next door in Syria?"
CLAIM = "troops-in-syria"
SYRIA = "About 900 US troops are in Syria"


def ask(service: Crosscheck, statement: str, user: str, *, via: str = "discord", guild: str | None = GUILD) -> int:
    check_id = service.check(statement, user_id=user, guild_id=guild, channel_id="c1", via=via).check_id
    assert check_id is not None
    return check_id


def notices(service: Crosscheck) -> list[dict]:
    return service.store.db.query("SELECT * FROM notices ORDER BY id")


# --- the queue takes questions, not chatter ---------------------------------------------------------


@pytest.mark.parametrize(("text", "reason"), [
    ("good morning everyone", GREETING), ("ok thanks", GREETING), ("hi", GREETING),
    ("/foo", COMMAND), ("!help me please now", COMMAND),
    ("clear", FRAGMENT), ("Iraq?", FRAGMENT),
    ("lol is this bot even working?", NOTHING), ("are you there", GREETING), ("can you check things for me", NOTHING),
    ("Biden is a clown", OPINION), ("I hope they all leave soon", OPINION),
    ("Les États-Unis ont promis de retirer leurs forces d'Irak", NOT_ENGLISH),
])
def test_chatter_is_told_apart(engine, text: str, reason: str) -> None:
    assert problem(text, engine.normaliser) == reason


@pytest.mark.parametrize("text", [
    "Bitcoin will hit 100k by the end of 2026", "Syria is a dangerous place", UNMATCHED,
    "Is the bot right that ISIS was defeated in Iraq in 2017?", "The withdrawal should be complete by September 2026",
])
def test_questions_and_claims_are_not_chatter(engine, text: str) -> None:
    assert problem(text, engine.normaliser) is None


def test_chatter_is_answered_and_counted_but_not_queued(service: Crosscheck) -> None:
    german = "Der Abzug der US-geführten Koalition aus dem Irak soll in zwei Phasen erfolgen"
    for text in ("lol is this bot even working?", "clear", "/foo", german, "good morning everyone",
                 "Bitcoin will hit 100k by the end of 2026"):
        checked = service.check(text, user_id="u1", guild_id=GUILD, via="discord")
        assert checked.reply.verdict == "no_match"
    curator = Curator(service, guild_id=GUILD)
    assert [g.statement for g in curator.review_queue()] == ["Bitcoin will hit 100k by the end of 2026"]
    counts = curator.not_queued()
    assert counts == {NOTHING: 1, FRAGMENT: 1, COMMAND: 1, NOT_ENGLISH: 1, GREETING: 1}
    assert chatter_line(counts).startswith("Not queued in the last 7 days: 1 ")
    assert [r["not_queued"] for r in service.store.checks.between(Where(GUILD))] == [
        NOTHING, FRAGMENT, COMMAND, NOT_ENGLISH, GREETING, None]


# --- answers to queued questions ----------------------------------------------------------------------


def test_answering_a_queued_question_owes_each_asker_one_message(service: Crosscheck) -> None:
    first = ask(service, UNMATCHED, "u1")
    ask(service, UNMATCHED + " Really?", "u1")  # the same person again: one message
    ask(service, UNMATCHED, "u2", via="private")  # asked privately: never answered in public
    service.flush_log()
    curator = Curator(service, guild_id=GUILD)
    [group] = queue(service.store, curator.normaliser, Where(GUILD))
    assert group.count == 3

    change = curator.link("mod", group.key, CLAIM)

    assert change.summary.endswith("; 2 people who asked will get the answer")
    owed = notices(service)
    assert [(n["kind"], n["user_id"], n["channel_id"], n["status"]) for n in owed] == [
        (ANSWER, "u2", None, PENDING), (ANSWER, "u1", "c1", PENDING)]
    assert all(n["claim_id"] == CLAIM and n["guild_id"] == GUILD for n in owed)
    assert first in [n["check_id"] for n in owed] or len({n["check_id"] for n in owed}) == 2
    assert "u1" not in " ".join(n["dedupe"] for n in owed), "the key that outlives the message holds no user id"

    # Undone and linked again: still one message each.
    curator.undo("mod", change.audit_id)
    curator.link("mod", group.key, CLAIM)
    assert len(notices(service)) == 2


def test_the_answer_is_their_question_judged_against_the_claim(service: Crosscheck) -> None:
    ask(service, UNMATCHED, "u1")
    service.flush_log()
    curator = Curator(service, guild_id=GUILD)
    curator.link("mod", curator.review_queue()[0].key, CLAIM)
    [notice] = service.store.follows.claim_pending(lambda guild: True)
    said = message(service, notice, "in **Server**")
    assert said.text == f"🔔 The moderators answered a question you asked in **Server**: “{UNMATCHED}”"
    assert said.card is not None and said.card.title.startswith("✅ Yes")


def test_each_message_is_sent_by_one_process(service: Crosscheck, db_path: Path) -> None:
    for user in ("u1", "u2", "u3"):
        ask(service, UNMATCHED, user)
    service.flush_log()
    curator = Curator(service, guild_id=GUILD)
    curator.link("mod", curator.review_queue()[0].key, CLAIM)
    other = Store(db_path)
    try:
        mine = service.store.follows.claim_pending(lambda guild: True, limit=2)
        theirs = other.follows.claim_pending(lambda guild: True)
        assert len(mine) == 2 and len(theirs) == 1
        assert not {n.id for n in mine} & {n.id for n in theirs}
        assert service.store.follows.claim_pending(lambda guild: True) == []
        assert {r["status"] for r in notices(service)} == {SENDING}
    finally:
        other.close()


# --- following a claim ----------------------------------------------------------------------------------


def test_a_follower_is_owed_one_message_per_change_however_many_processes_notice(
    service: Crosscheck, db_path: Path
) -> None:
    check_id = ask(service, SYRIA, "u1")
    made, new = follow(service, check_id, "u1", GUILD)
    assert new and made.standing == "supported"
    assert follow(service, check_id, "u1", GUILD)[1] is False, "following twice is one follow"
    with pytest.raises(NotifyError, match="no longer available here"):
        follow(service, check_id, "u1", "222")

    Curator(service, guild_id=GUILD).edit_version("mod", CLAIM, "about-900", None, values={"holds": False})
    other = Crosscheck.open(db_path, today=service.engines.today)
    try:
        other.sync()
        assert refresh(service, {CLAIM}) + refresh(other, {CLAIM}) == 1
        assert refresh(service) == 0
    finally:
        other.close()
    [owed] = notices(service)
    assert (owed["kind"], owed["before"], owed["after"], owed["user_id"]) == (VERDICT, "supported", "contradicted",
                                                                             "u1")
    [after] = service.store.follows.following()
    assert after.standing == "contradicted"


def test_a_retired_claim_is_told_once_and_the_follow_ends(service: Crosscheck) -> None:
    check_id = ask(service, SYRIA, "u1")
    follow(service, check_id, "u1", GUILD)
    Curator(service, guild_id=GUILD).set_status("mod", CLAIM, "retired", reason="outdated")
    assert refresh(service) == 1
    assert service.store.follows.following() == []
    [notice] = service.store.follows.claim_pending(lambda guild: True)
    assert message(service, notice).text.endswith("You no longer follow it: there is nothing left to follow.")


def test_privacy_shows_follows_and_erasure_removes_them_and_what_is_owed(service: Crosscheck) -> None:
    follow(service, ask(service, SYRIA, "u1"), "u1", GUILD)
    ask(service, UNMATCHED, "u1")
    service.flush_log()
    curator = Curator(service, guild_id=GUILD)
    curator.link("mod", curator.review_queue()[0].key, CLAIM)
    assert personal_data(service.store, "u1", GUILD).footprint.follows == 1

    done = erase(service.store, "u1", GUILD)

    assert (done.follows, done.notices) == (1, 1)
    assert service.store.follows.following() == []
    assert [(n["status"], n["user_id"]) for n in notices(service)] == [("dropped", None)]
    assert personal_data(service.store, "u1", GUILD).empty


def test_retention_drops_unsent_messages_and_old_follows(service: Crosscheck) -> None:
    now = datetime.now(UTC)
    with time_machine.travel(now - timedelta(days=400), tick=False):
        follow(service, ask(service, SYRIA, "u1"), "u1", GUILD)
    with time_machine.travel(now - timedelta(days=8), tick=False):
        ask(service, UNMATCHED, "u2")
        service.flush_log()
        curator = Curator(service, guild_id=GUILD)
        curator.link("mod", curator.review_queue()[0].key, CLAIM)
    assert service.store.follows.pending() == 1

    apply_retention(service.store, now)

    assert service.store.follows.pending() == 0
    assert [(n["status"], n["user_id"]) for n in notices(service)] == [("dropped", None)]
    assert service.store.follows.following() == []

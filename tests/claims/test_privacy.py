"""Privacy: retention erases what is due and nothing else, the digests and the review queue keep
their counts, a second run changes nothing, and a person's erasure leaves no trace of them.

Checks, votes and moderators' actions are made with the clock moved (time-machine), through the
real code paths; retention runs at a known moment.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from claims.curate import Curator
from claims.digest import build_digest
from claims.privacy import (
    ASKER_MEMORY,
    PrivacyError,
    apply_retention,
    erase,
    erase_everywhere,
    erase_text,
    parse_retention,
    personal_data,
    set_retention,
)
from claims.review import EXPIRED_WORDING, queue
from claims.service import Crosscheck
from claims.store import Where
from claims.store.privacy import DEFAULT_RETENTION_DAYS

GUILD = "111"
OTHER_GUILD = "222"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

TROOPS = "The US has around 2500 troops in Iraq"  # troops-in-iraq
FINAL = "All US forces will be out of Iraq by the end of the withdrawal"  # final-withdrawal-date
REFERENDUM = "Will Iraq hold a referendum on the US bases?"  # no match: queued
MOON = "NASA will land astronauts on the Moon in 2026"  # no match: queued


def days_ago(days: float, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def ask(service: Crosscheck, when: datetime, statement: str, user: str, guild: str | None = GUILD,
        channel: str = "c1") -> int:
    with time_machine.travel(when, tick=False):
        check_id = service.check(statement, user_id=user, guild_id=guild, channel_id=channel, via="discord").check_id
    assert check_id is not None
    return check_id


def vote(service: Crosscheck, when: datetime, check_id: int, user: str, helpful: bool) -> None:
    with time_machine.travel(when, tick=False):
        service.store.checks.record_feedback(check_id, user, helpful)


def retention(service: Crosscheck, when: datetime = NOW):
    with time_machine.travel(when, tick=False):
        return apply_retention(service.store)


def rows(service: Crosscheck, table: str) -> list[dict[str, Any]]:
    return service.store.db.query(f"SELECT * FROM {table} ORDER BY 1, 2")


def snapshot(service: Crosscheck) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (the schema's own bookkeeping aside), once the index kept for
    the next start (written in the background after the engine is built) is written."""
    service.engines.wait_saved()
    tables = sorted(service.store.db.table_names() - {"sqlite_sequence"})
    return {t: rows(service, t) for t in tables}


PERSONAL = ("statement", "user_id", "channel_id")


def test_retention_erases_the_text_id_and_channel_of_checks_past_the_period_and_nothing_else(
        service: Crosscheck) -> None:
    old = ask(service, days_ago(120), TROOPS, "ann")
    due = ask(service, days_ago(90), FINAL, "bob")  # exactly 90 days: due
    young = ask(service, days_ago(89, 23), TROOPS, "ann")
    fresh = ask(service, days_ago(1), REFERENDUM, "cat")
    dm = ask(service, days_ago(100), TROOPS, "dan", guild=None)  # a direct message: the default too
    before = {r["id"]: r for r in rows(service, "checks")}

    report = retention(service)

    after = {r["id"]: r for r in rows(service, "checks")}
    assert report.checks == 3
    for check_id in (old, due, dm):
        assert all(after[check_id][column] is None for column in PERSONAL)
        assert after[check_id]["erased_at"] == NOW.isoformat()
        # Everything the counts need is still there, unchanged.
        unchanged = {k: v for k, v in before[check_id].items() if k not in (*PERSONAL, "erased_at")}
        assert {k: after[check_id][k] for k in unchanged} == unchanged
        assert after[check_id]["asker"]  # who asked is still counted, as a pseudonym
    for check_id in (young, fresh):
        assert after[check_id] == before[check_id]


def test_a_second_run_changes_nothing(service: Crosscheck) -> None:
    first = ask(service, days_ago(100), TROOPS, "ann")
    ask(service, days_ago(95), REFERENDUM, "bob")
    ask(service, days_ago(2), REFERENDUM, "cat")
    vote(service, days_ago(100), first, "bob", False)
    assert retention(service).changed

    before = snapshot(service)
    again = retention(service, NOW + timedelta(minutes=5))

    assert not again.changed and again.checks == again.votes == again.audit == again.askers == 0
    after = snapshot(service)
    after["meta"] = [r for r in after["meta"] if r["key"] != "privacy.last_retention"]
    before["meta"] = [r for r in before["meta"] if r["key"] != "privacy.last_retention"]
    assert after == before


def test_digests_count_the_same_questions_people_claims_and_verdicts_after_retention(service: Crosscheck) -> None:
    for day, user in ((100, "ann"), (99, "bob"), (98, "ann"), (97, "cat")):
        ask(service, days_ago(day), FINAL, user)
    ask(service, days_ago(99, 2), TROOPS, "ann")
    no_match = ask(service, days_ago(98, 3), MOON, "dan")
    vote(service, days_ago(98, 2), no_match, "dan", False)
    start, end = days_ago(101), days_ago(96)
    before = build_digest(service, start, end, GUILD)

    retention(service)
    after = build_digest(service, start, end, GUILD)

    assert (after.checks, after.askers, after.unmatched) == (before.checks, before.askers, before.unmatched)
    assert (after.checks, after.askers, after.unmatched) == (6, 4, 1)
    assert after.asked == before.asked
    assert [(a.claim_id, a.count, a.askers) for a in after.asked] == [("final-withdrawal-date", 4, 3),
                                                                      ("troops-in-iraq", 1, 1)]
    assert after.fingerprint() == before.fingerprint()  # a digest already posted is not news again
    assert after.moderators and before.moderators
    assert (after.moderators.not_helpful, after.moderators.queued_in_period) == (1, 1)
    assert "“NASA will land" not in after.text() and "a question whose text has expired (no match)" in after.text()


def test_the_queue_keeps_its_counts_and_shows_expired_questions_as_one_item(service: Crosscheck) -> None:
    ask(service, days_ago(100), REFERENDUM, "ann")
    ask(service, days_ago(99), "iraq referendum on american bases", "bob")
    ask(service, days_ago(98), MOON, "ann")
    ask(service, days_ago(3), REFERENDUM, "cat")
    ask(service, days_ago(2), REFERENDUM, "ann")
    normaliser = service.engine.normaliser
    where = Where(GUILD)
    before = queue(service.store, normaliser, where)
    assert [(g.count, len(g.askers)) for g in before] == [(4, 3), (1, 1)]

    retention(service)
    after = queue(service.store, normaliser, where)

    assert sum(g.count for g in after) == sum(g.count for g in before) == 5
    expired = next(g for g in after if g.expired)
    assert (expired.statement, expired.count, len(expired.askers)) == (EXPIRED_WORDING, 3, 2)
    assert expired.wordings == []
    live = next(g for g in after if not g.expired)
    assert (live.statement, live.count, len(live.askers)) == (REFERENDUM, 2, 2)
    # People are pseudonyms here, never user ids.
    assert not {"ann", "bob", "cat"} & set().union(*(g.askers for g in after))


def test_an_expired_queue_item_can_be_dismissed_but_not_linked(service: Crosscheck) -> None:
    from claims.curate import CurationError

    ask(service, days_ago(100), REFERENDUM, "ann")
    retention(service)
    curator = Curator(service, guild_id=GUILD)
    [item] = curator.review_queue()
    with pytest.raises(CurationError, match="text has expired"):
        curator.link("mod", item.key, "troops-in-iraq")
    curator.dismiss("mod", item.key)
    assert curator.review_queue() == []


def test_a_dismissed_questions_wording_leaves_the_audit_log_with_its_text(service: Crosscheck) -> None:
    ask(service, days_ago(100), REFERENDUM, "ann")
    curator = Curator(service, guild_id=GUILD)
    [item] = curator.review_queue()
    with time_machine.travel(days_ago(99), tick=False):
        change = curator.dismiss("mod", item.key, "off topic")
    assert REFERENDUM in (service.store.audit.get(change.audit_id).before or {}).values()

    report = retention(service)

    entry = service.store.audit.get(change.audit_id)
    assert report.audit == 1
    assert entry.before == {"check_ids": [item.key]} and entry.reason == "off topic"
    curator.undo("mod", change.audit_id)  # the undo needs only the check ids
    assert [g.statement for g in curator.review_queue()] == [EXPIRED_WORDING]


def test_each_server_keeps_questions_for_its_own_period(service: Crosscheck) -> None:
    ninety = ask(service, days_ago(30), TROOPS, "ann")
    week = ask(service, days_ago(8), TROOPS, "ann", guild=OTHER_GUILD)
    kept = ask(service, days_ago(6), TROOPS, "ann", guild=OTHER_GUILD)
    with time_machine.travel(days_ago(10), tick=False):
        set_retention(service.store, OTHER_GUILD, 7, "mod")

    retention(service)

    by_id = {r["id"]: r for r in rows(service, "checks")}
    assert by_id[ninety]["statement"] == TROOPS and by_id[kept]["statement"] == TROOPS
    assert by_id[week]["statement"] is None
    assert service.store.privacy.retention(OTHER_GUILD) == 7
    assert service.store.privacy.retention(GUILD) == DEFAULT_RETENTION_DAYS


def test_retention_works_through_in_batches_past_rows_another_server_keeps_longer(service: Crosscheck) -> None:
    with time_machine.travel(days_ago(300), tick=False):
        set_retention(service.store, OTHER_GUILD, 365, "mod")
    for day in range(120, 100, -1):
        ask(service, days_ago(day), TROOPS, f"u{day}", guild=OTHER_GUILD if day % 2 else GUILD)

    # The default's batches pass over the other server's rows, interleaved in time, without stopping.
    erased = service.store.privacy.expire(days_ago(90).isoformat(), NOW.isoformat(), batch=3)

    assert erased == 10
    kept = {r["guild_id"] for r in rows(service, "checks") if r["statement"] is not None}
    assert kept == {OTHER_GUILD} and len([r for r in rows(service, "checks") if r["statement"]]) == 10


def test_shortening_the_period_erases_what_it_makes_due_at_once(service: Crosscheck) -> None:
    ask(service, days_ago(40), TROOPS, "ann")
    ask(service, days_ago(10), TROOPS, "bob")
    with time_machine.travel(NOW, tick=False):
        report = set_retention(service.store, GUILD, 30, "mod")
    assert report.checks == 1
    assert [r["statement"] for r in rows(service, "checks")] == [None, TROOPS]


def test_with_retention_off_no_text_id_or_channel_is_ever_stored_yet_people_are_counted(
        service: Crosscheck) -> None:
    ask(service, days_ago(3), TROOPS, "ann")
    with time_machine.travel(days_ago(2), tick=False):
        report = set_retention(service.store, GUILD, 0, "mod")
    assert report.checks == 1  # what was kept before is erased when retention is turned off
    for day, user in ((1.5, "ann"), (1.4, "bob"), (1.3, "ann"), (1.2, "cat")):
        ask(service, days_ago(day), FINAL, user)
    check_id = ask(service, days_ago(1.1), REFERENDUM, "bob")
    vote(service, days_ago(1), check_id, "bob", True)

    assert all(r[c] is None for r in rows(service, "checks") for c in PERSONAL)
    assert [r["user_id"] for r in rows(service, "feedback")] == [None]
    digest = build_digest(service, days_ago(7), NOW, GUILD)
    assert (digest.checks, digest.askers) == (6, 3)
    assert digest.asked[0].askers == 3
    [item] = queue(service.store, service.engine.normaliser, Where(GUILD))
    assert item.expired and item.count == 1
    # The answer itself was given in full (only the log is without text).
    with time_machine.travel(NOW, tick=False):
        assert service.check(TROOPS, user_id="ann", guild_id=GUILD).reply.statement == TROOPS


def test_votes_lose_their_voters_id_with_the_check_and_still_count(service: Crosscheck) -> None:
    check_id = ask(service, days_ago(100), TROOPS, "ann")
    vote(service, days_ago(100), check_id, "bob", True)
    vote(service, days_ago(5), check_id, "cat", False)  # before retention reached the check
    report = retention(service)
    assert report.votes == 2
    assert [(r["user_id"], r["helpful"]) for r in rows(service, "feedback")] == [(None, 1), (None, 0)]
    # A vote on an answer whose question has expired keeps no id either, and still replaces the voter's own.
    vote(service, NOW, check_id, "cat", True)
    assert sorted((r["user_id"], r["helpful"]) for r in rows(service, "feedback")) == [(None, 1), (None, 1)]


def test_the_link_to_a_persons_pseudonym_is_dropped_when_counts_no_longer_need_it(service: Crosscheck) -> None:
    ask(service, days_ago(200), TROOPS, "ann")
    ask(service, days_ago(95), TROOPS, "bob")
    with time_machine.travel(days_ago(20), tick=False):
        set_retention(service.store, OTHER_GUILD, 0, "mod")
    ask(service, days_ago(9), TROOPS, "cat", guild=OTHER_GUILD)  # off: linked for ASKER_MEMORY only
    ask(service, days_ago(7), TROOPS, "dan", guild=OTHER_GUILD)

    report = retention(service)

    assert report.askers == 3
    assert {(a["scope"], a["user_id"]) for a in rows(service, "askers")} == {(OTHER_GUILD, "dan")}
    assert personal_data(service.store, "ann", GUILD).empty
    assert personal_data(service.store, "cat", OTHER_GUILD).empty
    dan = personal_data(service.store, "dan", OTHER_GUILD)
    assert (dan.footprint.checks, dan.footprint.with_text) == (1, 0)
    assert dan.linked_until == days_ago(7) + ASKER_MEMORY
    # Asking again after that is being counted as someone new.
    ask(service, days_ago(0), TROOPS, "ann")
    assert len({r["asker"] for r in rows(service, "checks") if r["guild_id"] == GUILD}) == 3


def test_what_a_person_sees_about_themselves(service: Crosscheck) -> None:
    first = ask(service, days_ago(120), TROOPS, "ann")
    ask(service, days_ago(40), FINAL, "ann")
    ask(service, days_ago(10), REFERENDUM, "ann")
    ask(service, days_ago(10), REFERENDUM, "bob")
    ask(service, days_ago(5), REFERENDUM, "ann", guild=OTHER_GUILD)
    vote(service, days_ago(119), first, "ann", True)
    retention(service)

    mine = personal_data(service.store, "ann", GUILD)

    assert (mine.footprint.checks, mine.footprint.with_text, mine.footprint.votes) == (3, 2, 1)
    assert mine.footprint.oldest_kept == days_ago(40).isoformat()
    assert mine.kept_until == days_ago(40) + timedelta(days=90)
    assert mine.retention_days == 90
    assert personal_data(service.store, "zed", GUILD).empty


def test_erasing_a_person_leaves_no_trace_of_them_and_keeps_the_counts(service: Crosscheck) -> None:
    secret = "My neighbour Zebulon Quist says the US has 2500 troops in Iraq"
    mine = ask(service, days_ago(3), secret, "ann")
    ask(service, days_ago(3, 1), REFERENDUM, "ann")
    ask(service, days_ago(2), REFERENDUM, "bob")
    bobs = ask(service, days_ago(2, 1), TROOPS, "bob")
    elsewhere = ask(service, days_ago(1), secret, "ann", guild=OTHER_GUILD)
    vote(service, days_ago(2), bobs, "ann", False)
    vote(service, days_ago(2), mine, "bob", True)
    curator = Curator(service, guild_id=GUILD)
    group = next(g for g in curator.review_queue() if g.statement == REFERENDUM)
    with time_machine.travel(days_ago(1), tick=False):
        curator.dismiss("mod", group.key)
        curator.undo("mod", service.store.audit.between((curator.workspace_id,))[-1].id)
    before = build_digest(service, days_ago(7), NOW, GUILD)
    others = [r for r in rows(service, "checks") if r["user_id"] == "bob" or r["id"] == elsewhere]

    with time_machine.travel(NOW, tick=False):
        erased = erase(service.store, "ann", GUILD)

    assert (erased.checks, erased.unlinked, erased.votes) == (2, 2, 1)
    in_guild = [r for r in rows(service, "checks") if r["guild_id"] == GUILD]
    assert all(r["user_id"] != "ann" for r in in_guild)
    assert not any(r["statement"] == secret for r in in_guild)
    assert [r for r in rows(service, "checks") if r["user_id"] == "bob" or r["id"] == elsewhere] == others
    assert personal_data(service.store, "ann", GUILD).empty
    assert personal_data(service.store, "ann", OTHER_GUILD).footprint.with_text == 1
    # Not in any column of any table of this server's data (the other server's copy aside).
    for table, table_rows in snapshot(service).items():
        for row in table_rows:
            if (table, row.get("id") or row.get("scope")) in (("checks", elsewhere), ("askers", OTHER_GUILD)):
                continue
            for column, value in row.items():
                assert "Zebulon" not in str(value), f"{table}.{column}"
                assert value != "ann", f"{table}.{column}"
    after = build_digest(service, days_ago(7), NOW, GUILD)
    assert (after.checks, after.askers, after.asked) == (before.checks, before.askers, before.asked)
    assert after.moderators and before.moderators
    assert (after.moderators.helpful, after.moderators.not_helpful) == (1, 1)
    assert after.moderators.queue_questions == before.moderators.queue_questions


def test_the_operator_erases_a_person_everywhere_and_a_quoted_authors_words(service: Crosscheck) -> None:
    ask(service, days_ago(3), TROOPS, "ann")
    ask(service, days_ago(2), TROOPS, "ann", guild=OTHER_GUILD)
    ask(service, days_ago(2), TROOPS, "ann", guild=None)
    quoted = "Zebulon Quist wrote that the US has 2500 troops in Iraq"
    ask(service, days_ago(1), quoted, "bob")  # bob fact-checked a message Zebulon wrote

    with time_machine.travel(NOW, tick=False):
        everywhere = erase_everywhere(service.store, "ann")
        words = erase_text(service.store, "zebulon quist", GUILD)

    assert set(everywhere) == {GUILD, OTHER_GUILD, None}
    assert sum(e.checks for e in everywhere.values()) == 3
    assert words.checks == 1
    assert not [r for r in rows(service, "checks") if r["user_id"] == "ann" or r["statement"] == quoted]
    with pytest.raises(PrivacyError, match="at least 8 characters"):
        erase_text(service.store, "the", GUILD)


@pytest.mark.sqlite_only
def test_erased_text_does_not_linger_in_the_database_file(service: Crosscheck, db_path: Path) -> None:
    secret = "Quixotic Zebulon says the US has 2500 troops in Iraq"
    for i in range(50):
        ask(service, days_ago(1), f"{secret} {i}", "ann")
    with time_machine.travel(NOW, tick=False):
        erase(service.store, "ann", GUILD)
    raw = db_path.read_bytes() + (db_path.with_name(db_path.name + "-wal").read_bytes()
                                  if db_path.with_name(db_path.name + "-wal").exists() else b"")
    assert b"Quixotic Zebulon" not in raw


def test_retention_periods_are_read_at_the_edge() -> None:
    assert parse_retention("90") == parse_retention("90 days") == parse_retention("90d") == 90
    assert parse_retention("off") == parse_retention("0") == 0
    for bad in ("forever", "-3", "366", "9.5", ""):
        with pytest.raises(PrivacyError):
            parse_retention(bad)


@pytest.mark.sqlite_only
def test_an_older_database_gets_pseudonyms_for_everyone_who_asked_or_voted(tmp_path: Path) -> None:
    from claims.store import Store
    from claims.store.migrations import MIGRATIONS, _statements

    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    from claims.store.migrations import SCHEMA_V1

    for statement in _statements(SCHEMA_V1, "sqlite"):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'workspaces', '2026-01-01T00:00:00+00:00')")
    asked = [(1, "g1", "u1", "2026-05-01T00:00:00+00:00"), (2, "g1", "u1", "2026-05-02T00:00:00+00:00"),
             (3, "g1", "u2", "2026-05-03T00:00:00+00:00"), (4, "g2", "u1", "2026-05-04T00:00:00+00:00"),
             (5, None, None, "2026-05-05T00:00:00+00:00")]
    conn.executemany("INSERT INTO checks (id, guild_id, statement, asked_at, user_id, outcome) "
                     "VALUES (?, ?, 'q', ?, ?, 'match')", [(i, g, at, u) for i, g, u, at in asked])
    conn.execute("INSERT INTO feedback (check_id, user_id, helpful, at) "
                 "VALUES (3, 'u3', 1, '2026-06-01T00:00:00+00:00')")
    conn.commit()
    conn.close()

    store = Store(path)
    try:
        assert {r["version"] for r in store.db.query("SELECT version FROM schema_migrations")} == {
            m.version for m in MIGRATIONS}
        by_id = {r["id"]: r["asker"] for r in store.db.query("SELECT id, asker FROM checks")}
        assert by_id[1] == by_id[2] and len({by_id[1], by_id[3], by_id[4]}) == 3 and by_id[5] is None
        [vote_row] = store.db.query("SELECT * FROM feedback")
        assert vote_row["user_id"] == "u3" and vote_row["voter"]
        links = {(r["scope"], r["user_id"]): r["last_seen"] for r in store.db.query("SELECT * FROM askers")}
        assert links == {("g1", "u1"): "2026-05-02T00:00:00+00:00", ("g1", "u2"): "2026-05-03T00:00:00+00:00",
                         ("g2", "u1"): "2026-05-04T00:00:00+00:00", ("g1", "u3"): "2026-06-01T00:00:00+00:00"}
    finally:
        store.close()

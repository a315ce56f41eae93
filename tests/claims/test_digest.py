"""The digest's content: most asked, changes, disputes, the deadline watch, fingerprints, limits.

Checks, votes and moderator changes are made with the clock moved (time-machine), so they are
logged at known times through the real code paths.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from claims.curate import Curator
from claims.digest import (
    AskedClaim,
    ClaimChange,
    Deadline,
    Digest,
    DisputedClaim,
    ModeratorReport,
    QueueItem,
    VersionWeight,
    build_digest,
    confirmations,
    standing,
)
from claims.engine import Engine
from claims.load import Base
from claims.models import Claim
from claims.render import (
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    Card,
)
from claims.service import Crosscheck
from claims.verdict import weigh

TODAY = date(2026, 11, 21)
LONDON = ZoneInfo("Europe/London")
GUILD = "111"
OTHER_GUILD = "222"

FINAL = "All US forces will be out of Iraq by the end of the withdrawal"  # final-withdrawal-date
TROOPS = "The US has around 2500 troops in Iraq"  # troops-in-iraq
NONSENSE = "The moon is made of green cheese"  # no match


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    """A UTC moment on a day of 2026, e.g. at("11-20", 10)."""
    return datetime.fromisoformat(f"2026-{day}T{hour:02d}:{minute:02d}:00+00:00")


def ask(service: Crosscheck, when: datetime, statement: str, user: str, guild: str = GUILD) -> int | None:
    with time_machine.travel(when, tick=False):
        return service.check(statement, user_id=user, guild_id=guild, via="discord").check_id


def week_to_21_november() -> tuple[datetime, datetime]:
    return datetime(2026, 11, 14, 9, tzinfo=LONDON), datetime(2026, 11, 21, 9, tzinfo=LONDON)


# --- most asked -------------------------------------------------------------------------------


def test_most_asked_groups_checks_by_claim_with_the_claims_standing(service: Crosscheck) -> None:
    for hour, user in ((10, "a"), (11, "b"), (12, "c"), (13, "a")):
        ask(service, at("11-18", hour), FINAL, user)
    ask(service, at("11-19"), TROOPS, "a")
    ask(service, at("11-19", 13), TROOPS, "a")
    ask(service, at("11-19", 14), NONSENSE, "d")
    ask(service, at("11-10"), TROOPS, "e")  # before the period
    ask(service, at("11-18"), TROOPS, "f", guild=OTHER_GUILD)  # another server

    digest = build_digest(service, *week_to_21_november(), GUILD)

    assert digest.checks == 7 and digest.askers == 4 and digest.unmatched == 1
    first, second = digest.asked
    assert (first.claim_id, first.count, first.askers) == ("final-withdrawal-date", 4, 3)
    # The base gives two settling dates for the final withdrawal: disputed, whatever each asker got.
    assert first.verdict == "disputed"
    assert (second.claim_id, second.count, second.askers, second.verdict) == ("troops-in-iraq", 2, 1, "supported")
    text = digest.text()
    assert "asked 4× by 3 people" in text and "⚖️ Disputed" in text


def test_without_a_guild_every_check_counts(service: Crosscheck) -> None:
    ask(service, at("11-18"), TROOPS, "a")
    ask(service, at("11-18", 13), TROOPS, "b", guild=OTHER_GUILD)
    digest = build_digest(service, *week_to_21_november(), None)
    assert digest.asked[0].count == 2 and digest.askers == 2


def test_standing_of_claims(service: Crosscheck) -> None:
    base = service.engine.base
    assert standing(base.claims["troops-in-iraq"], base) == "supported"
    assert standing(base.claims["deal-reached"], base) == "disputed"
    assert standing(base.claims["advisers-remain"], base) == "disputed"
    assert standing(None, base) == "removed"


# --- changes ----------------------------------------------------------------------------------


def test_claims_added_or_changed_come_from_the_audit_log(service: Crosscheck) -> None:
    curator = Curator(service)
    with time_machine.travel(at("11-10"), tick=False):  # before the period: not listed
        curator.add_alias("mod", "troops-in-iraq", "Roughly two and a half thousand GIs are in Iraq")
    with time_machine.travel(at("11-17"), tick=False):
        # (deal-awaiting-approval matches it better today: the moderator confirms the warning)
        curator.add_alias("mod", "deal-reached", "Washington and Baghdad signed off on the pull-out", accept=True)
        curator.set_status("mod", "troops-in-syria", "retired", reason="out of scope")
    with time_machine.travel(at("11-18"), tick=False):
        # Added and undone within the period: cancels out.
        change = curator.add_alias("mod", "two-phase-plan", "The drawdown happens in a pair of stages")
        curator.undo("mod", change.audit_id)

    digest = build_digest(service, *week_to_21_november(), GUILD)

    changes = {c.target_id: c for c in digest.changes}
    assert set(changes) == {"deal-reached", "troops-in-syria"}
    assert changes["deal-reached"].what == ("new wording",)
    assert changes["deal-reached"].verdict == "disputed"
    assert changes["troops-in-syria"].what == ("retired",) and changes["troops-in-syria"].verdict == "retired"
    # A changed disputed claim is listed with its versions even if nobody asked about it.
    assert [d.claim_id for d in digest.disputed] == ["deal-reached"]
    assert digest.has_news() and "✏️ Claims added or changed" in digest.text()


# --- disputes -----------------------------------------------------------------------------------


def test_disputed_claims_show_each_versions_weight(service: Crosscheck) -> None:
    ask(service, at("11-18"), FINAL, "a")
    ask(service, at("11-18", 13), TROOPS, "a")  # one version: not disputed

    digest = build_digest(service, *week_to_21_november(), GUILD)

    (disputed,) = digest.disputed
    base = service.engine.base
    weights = weigh(base.claims["final-withdrawal-date"], base)
    assert disputed.claim_id == "final-withdrawal-date"
    assert {v.id: v.weight for v in disputed.versions} == {k: w for k, (w, _) in weights.items()}
    assert [v.weight for v in disputed.versions] == sorted((v.weight for v in disputed.versions), reverse=True)
    assert "weight 0.90" in digest.text()


# --- the deadline watch -------------------------------------------------------------------------


def test_a_deadline_that_passed_in_the_period_is_flagged_unconfirmed(service: Crosscheck) -> None:
    digest = build_digest(service, datetime(2026, 9, 24, 9, tzinfo=LONDON),
                          datetime(2026, 10, 1, 9, tzinfo=LONDON), GUILD)

    passed = {(d.claim_id, d.due) for d in digest.passed}
    assert passed == {("final-withdrawal-date", "2026-09"), ("kurdistan-departure-date", "2026-09")}
    assert all(not d.confirmed_by and d.last_day == date(2026, 9, 30) for d in digest.passed)
    # The end-of-2026 date of the same plans is within 30 days of the period's end.
    assert {(d.claim_id, d.due) for d in digest.upcoming} == {
        ("final-withdrawal-date", "end of 2026"), ("kurdistan-departure-date", "end of 2026"),
        ("two-phase-plan", "end of 2026")}
    assert "due September 2026, passed on 30 September 2026: ❔ no source confirms it happened" in digest.text()
    assert digest.has_news()  # a deadline passing is news even in a period with no questions


def test_on_21_november_september_is_past_and_the_end_of_the_year_is_coming(service: Crosscheck) -> None:
    digest = build_digest(service, *week_to_21_november(), GUILD)

    assert digest.passed == []  # September 2026 passed before this period
    assert {(d.claim_id, d.due, d.state) for d in digest.deadlines} == {
        ("final-withdrawal-date", "end of 2026", "upcoming"), ("kurdistan-departure-date", "end of 2026", "upcoming"),
        ("two-phase-plan", "end of 2026", "upcoming")}
    assert not digest.has_news() and not digest.is_empty()


def test_september_2025_deadlines_passed_with_no_source_confirming_them(service: Crosscheck) -> None:
    digest = build_digest(service, datetime(2025, 9, 30, 9, tzinfo=UTC), datetime(2025, 10, 1, 9, tzinfo=UTC))
    passed = {d.claim_id for d in digest.passed}
    assert {"ain-al-asad-departure", "baghdad-phase-one", "first-phase-hundreds-leave", "relocation-to-erbil"} <= passed
    # A convoy leaving Ain al-Asad (an event of August 2025) is not all forces leaving it.
    assert all(not d.confirmed_by and not d.late_by for d in digest.passed)


def _with_event(base: Base, claim: dict) -> Engine:
    extra = Claim.model_validate(claim)
    copy = Base(base.outlets, base.articles, base.texts, base.entities, {**base.claims, extra.id: extra},
                dict(base.claim_files), dict(base.terms))
    return Engine(copy, today=TODAY)


def _event(claim_id: str, text: str, date_: str, scope: str | None = "all") -> dict:
    values = {"date": date_, "places": ["ain-al-asad"], **({"scope": scope} if scope else {})}
    return {"id": claim_id, "kind": "event", "topic": "withdrawal", "statement": text,
            "versions": [{"id": "reported", "text": text, "values": values,
                          "sources": [{"article": "001_a545990919b4ebe4", "quote": "a quote long enough"}]}]}


def test_an_event_saying_it_happened_confirms_the_plan(shipped_base: Base) -> None:
    engine = _with_event(shipped_base, _event(
        "coalition-left-ain-al-asad", "All coalition forces left Ain al-Asad air base in September 2025.", "2025-09"))
    plan = engine.base.claims["ain-al-asad-departure"]
    assert confirmations(engine, plan, "2025-09") == (["coalition-left-ain-al-asad"], [])

    digest_end = datetime(2025, 10, 1, 9, tzinfo=UTC)
    from claims.digest import deadline_watch

    watch = {d.claim_id: d for d in deadline_watch(engine, digest_end - timedelta(days=1), digest_end)}
    assert watch["ain-al-asad-departure"].confirmed_by == ("coalition-left-ain-al-asad",)
    assert not watch["baghdad-phase-one"].confirmed_by


def test_a_late_or_partial_event_does_not_confirm_the_plan(shipped_base: Base) -> None:
    late = _with_event(shipped_base, _event(
        "coalition-left-ain-al-asad-late", "All coalition forces left Ain al-Asad air base in December 2025.",
        "2025-12"))
    plan = late.base.claims["ain-al-asad-departure"]
    assert confirmations(late, plan, "2025-09") == ([], ["coalition-left-ain-al-asad-late"])

    partial = _with_event(shipped_base, _event(
        "some-left-ain-al-asad", "Some coalition forces left Ain al-Asad air base in September 2025.", "2025-09",
        scope="some"))
    assert confirmations(partial, partial.base.claims["ain-al-asad-departure"], "2025-09") == ([], [])


def test_an_event_from_before_the_plan_does_not_confirm_it(engine: Engine) -> None:
    # The 2011 withdrawal was complete and left Iraq, but it is not the 2026 plan.
    assert confirmations(engine, engine.base.claims["final-withdrawal-date"], "2026-09") == ([], [])
    assert confirmations(engine, engine.base.claims["final-withdrawal-date"], "end of 2026") == ([], [])


# --- moderators ---------------------------------------------------------------------------------


def test_moderators_report_has_the_queue_and_the_periods_feedback(service: Crosscheck) -> None:
    good = ask(service, at("11-18"), TROOPS, "a")
    bad = ask(service, at("11-18", 13), FINAL, "b")
    ask(service, at("11-18", 14), NONSENSE, "c")
    ask(service, at("11-18", 15), "Green cheese is what the moon is made of", "d")
    assert good is not None and bad is not None
    with time_machine.travel(at("11-19"), tick=False):
        service.store.checks.record_feedback(good, "a", True)
        service.store.checks.record_feedback(bad, "b", False)
        service.store.checks.record_feedback(bad, "c", False)
    with time_machine.travel(at("11-01"), tick=False):
        service.store.checks.record_feedback(good, "z", False)  # outside the period

    digest = build_digest(service, *week_to_21_november(), GUILD)

    mods = digest.moderators
    assert mods is not None
    assert (mods.helpful, mods.not_helpful) == (1, 2)
    assert mods.queue_items == 1 and mods.queue_questions == 2 and mods.queued_in_period == 2
    assert mods.unhelpful[0] == (service.engine.base.claims["final-withdrawal-date"].statement, 2)
    _, card = digest.cards()
    assert card is not None and "👎 **2** not helpful" in card.fields[1].value
    assert build_digest(service, *week_to_21_november(), GUILD, moderators=False).cards()[1] is None


# --- fingerprints and empty periods ---------------------------------------------------------------


def test_fingerprint_is_stable_and_ignores_when(service: Crosscheck) -> None:
    start, end = week_to_21_november()
    ask(service, at("11-18"), TROOPS, "a")
    one = build_digest(service, start, end, GUILD)
    assert one.fingerprint() == build_digest(service, start, end, GUILD).fingerprint()
    assert len(one.fingerprint()) == 32

    # The next day: no questions, the same deadlines coming up. Nothing new to say.
    quiet = build_digest(service, end, end + timedelta(days=1), GUILD)
    assert quiet.fingerprint() != one.fingerprint()
    assert not quiet.has_news() and quiet.unchanged_since(one.fingerprint())
    # A new question makes it news, even one that reads like the last digest's.
    ask(service, at("11-21", 12), TROOPS, "a")
    busy = build_digest(service, end, end + timedelta(days=1), GUILD)
    assert busy.asked == one.asked and not busy.unchanged_since(one.fingerprint())
    assert not quiet.unchanged_since(None)


def test_a_period_with_nothing_to_say_is_empty(service: Crosscheck) -> None:
    digest = build_digest(service, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 2, tzinfo=UTC), GUILD)
    assert digest.is_empty() and digest.deadlines == [] and digest.asked == []
    assert "No questions were checked this period." in digest.text()
    ask(service, datetime(2027, 3, 1, 12, tzinfo=UTC), NONSENSE, "a")
    assert not build_digest(service, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 2, tzinfo=UTC),
                            GUILD).is_empty()


def test_period_must_be_aware_and_forward(service: Crosscheck) -> None:
    with pytest.raises(ValueError):
        build_digest(service, datetime(2026, 11, 1), datetime(2026, 11, 2, tzinfo=UTC))
    with pytest.raises(ValueError):
        build_digest(service, datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))


# --- embed limits -------------------------------------------------------------------------------


def assert_within_limits(card: Card) -> None:
    assert len(card.title) <= TITLE_MAX and len(card.description) <= DESCRIPTION_MAX
    assert len(card.footer) <= FOOTER_MAX and len(card.fields) <= FIELDS_MAX
    assert all(len(f.name) <= FIELD_NAME_MAX and 0 < len(f.value) <= FIELD_VALUE_MAX for f in card.fields)
    assert card.size() <= TOTAL_MAX


def test_huge_activity_still_fits_discords_embed_limits() -> None:
    loud = "@everyone **" + "A very long claim statement with _markdown_ and <@&123> " * 20
    end = datetime(2026, 11, 21, 9, tzinfo=LONDON)
    digest = Digest(
        start=end - timedelta(days=7), end=end, guild_id=GUILD, checks=100_000, askers=40_000, unmatched=5_000,
        asked=[AskedClaim(f"c{i}", loud, "disputed", 1000 - i, 500, (("supported", 600), ("contradicted", 400)))
               for i in range(500)],
        changes=[ClaimChange("claim", f"c{i}", loud, ("new version", "new source"), "supported", (i,))
                 for i in range(500)],
        disputed=[DisputedClaim(f"c{i}", loud, tuple(VersionWeight(f"v{j}", loud, 1.0, 3) for j in range(10)))
                  for i in range(200)],
        deadlines=[Deadline(f"c{i}", loud, "2026-12", "December 2026", date(2026, 12, 31), "upcoming")
                   for i in range(300)],
        moderators=ModeratorReport(9_999, 99_999, tuple(QueueItem(loud, 50, 20) for _ in range(3)), 5_000,
                                   70_000, 30_000, tuple((loud, 99) for _ in range(3))),
    )
    public, mods = digest.cards()
    assert mods is not None
    for card in (public, mods):
        assert_within_limits(card)
        everything = card.title + card.description + card.footer + "".join(f.name + f.value for f in card.fields)
        assert "@everyone" not in everything  # echoed text is defused (zero-width space after @)
    assert len(public.fields) == 4  # every section survives, shortened with "…and N more"
    assert re.search(r"…and \d+ more claims$", public.fields[0].value)


def test_a_real_busy_week_fits_too(service: Crosscheck) -> None:
    claims = list(service.engine.base.claims.values())
    for i, claim in enumerate(claims):
        ask(service, at("11-18") + timedelta(minutes=i), claim.statement, f"user{i % 9}")
    digest = build_digest(service, *week_to_21_november(), GUILD)
    assert digest.checks == len(claims) and len(digest.asked) > 50
    public, mods = digest.cards()
    assert_within_limits(public)
    assert mods is not None
    assert_within_limits(mods)
    assert "more claims" in public.fields[0].value

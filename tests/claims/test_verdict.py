"""claims/verdict.py, through Engine.check: one verdict per statement, weighted by credibility."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from claims.engine import Engine, Reply
from claims.load import Base
from claims.models import (
    CRITERIA_POINTS,
    Article,
    Claim,
    Criterion,
    Entity,
    Outlet,
    SourceRef,
    Values,
    Version,
    score_criteria,
)

TODAY = date(2026, 11, 21)
TOPICS = Path(__file__).resolve().parents[2] / "claims" / "base" / "topics"

# --- one test per verdict, with the shipped base ---------------------------------------------------


def test_a_statement_every_source_agrees_with_is_supported(engine: Engine) -> None:
    reply = engine.check("ISIS was defeated in Iraq in 2017")
    assert reply.verdict == "supported"
    assert reply.claim is not None and reply.claim.id == "isis-defeated-iraq-2017"
    assert reply.explanation.startswith("Supported")
    assert [v.agrees for v in reply.versions] == [True]
    assert {s.outlet for s in reply.versions[0].sources} == {"wellbrock-conflicts", "wuwenjie-wordpress", "eu-today"}


def test_a_statement_agreeing_with_one_of_two_reported_dates_is_disputed(engine: Engine) -> None:
    reply = engine.check("All US forces will be out of Iraq by September 2026")
    assert reply.verdict == "disputed"
    assert reply.claim is not None and reply.claim.id == "final-withdrawal-date"
    assert {v.id: v.agrees for v in reply.versions} == {"september-2026": True, "end-2026": False}
    assert "end of 2026" in reply.explanation


def test_a_statement_no_version_agrees_with_is_contradicted(engine: Engine) -> None:
    reply = engine.check("Only 1,000 US troops are left in Iraq")
    assert reply.verdict == "contradicted"
    assert reply.claim is not None and reply.claim.id == "troops-in-iraq"
    assert not any(v.agrees for v in reply.versions)
    assert "2,500" in reply.explanation
    assert reply.versions[0].conflicts == ["number: 1000 vs ~2500"]


def test_a_plan_stated_as_done_is_unverified(engine: Engine) -> None:
    reply = engine.check("American forces finished leaving Iraq's Kurdistan Region in 2026")
    assert reply.verdict == "unverified"
    assert reply.claim is not None and reply.claim.id == "kurdistan-departure-date"
    assert "only as a plan" in reply.explanation


def test_an_off_topic_statement_has_no_claim_and_borrows_nothing(engine: Engine) -> None:
    reply = engine.check("Bitcoin will hit 100k by the end of 2026")
    assert reply.verdict == "no_match"
    assert reply.claim is None
    assert reply.versions == []
    assert reply.suggestions == []
    assert reply.notes == []
    assert "Nothing in the claim base covers this" in reply.explanation


def test_a_statement_contradicting_a_duration_names_both_durations(engine: Engine) -> None:
    reply = engine.check("Israel and Iran fought a 3-day war in June 2025")
    assert reply.verdict == "contradicted"
    assert reply.versions[0].conflicts == ["duration: 3 days vs 12 days"]


def test_a_statement_naming_the_wrong_speaker_is_contradicted(engine: Engine) -> None:
    reply = engine.check("Lloyd Austin said Iraq can handle ISIS on its own")
    assert reply.claim is not None and reply.claim.id == "iraq-can-handle-isis"
    assert reply.verdict == "contradicted"
    assert any(c.startswith("speaker:") for c in reply.versions[0].conflicts)


def test_naming_the_wrong_channel_for_an_interview_is_contradicted(engine: Engine) -> None:
    reply = engine.check("Defence Minister al-Abassi confirmed the withdrawal deal on Al Jazeera.")
    assert reply.claim is not None and reply.claim.id == "abassi-al-hadath-interview"
    assert reply.verdict == "contradicted"
    assert any("al-hadath" in c for c in reply.versions[0].conflicts)


def test_leaving_a_city_is_about_the_plan_for_that_city_not_the_government_named_after_it(engine: Engine) -> None:
    reply = engine.check("US troops have left Baghdad")
    assert reply.claim is not None and reply.claim.id == "baghdad-phase-one"
    assert reply.verdict in ("unverified", "disputed")


def test_the_wrong_year_of_an_invasion_is_contradicted_not_read_as_the_occupation(engine: Engine) -> None:
    reply = engine.check("The US invaded Iraq in 2005")
    assert reply.claim is not None and reply.claim.id == "us-invasion-2003-toppled-saddam"
    assert reply.verdict == "contradicted"


def test_a_month_long_war_is_contradicted_by_a_12_day_war(engine: Engine) -> None:
    reply = engine.check("Israel and Iran fought a month-long war in June 2025")
    assert reply.claim is not None and reply.claim.id == "israel-iran-12-day-war"
    assert reply.verdict == "contradicted"


def test_denying_what_the_sources_report_is_contradicted(engine: Engine) -> None:
    reply = engine.check("ISIS was not defeated in Iraq in 2017")
    assert reply.verdict == "contradicted"
    assert reply.versions[0].conflicts == ["the statement denies what this version reports"]


@pytest.mark.parametrize("statement", [
    "The withdrawal deal was not yet signed",
    "ISIS is not gone; its remnants are still dangerous in Iraq and Syria.",
    "US officials confirmed the withdrawal timeline has not changed",
    "The Iraqi PM says American strikes are not coordinated with Baghdad",
])
def test_an_alias_worded_with_not_is_not_contradicted_by_its_own_claim(engine: Engine, statement: str) -> None:
    assert engine.check(statement).verdict in ("supported", "disputed")


def test_objecting_to_us_troops_is_not_a_statement_about_a_place(engine: Engine) -> None:
    reply = engine.check("After 2017 more and more Iraqis, especially paramilitary groups, objected to US troops "
                         "staying.")
    assert reply.claim is not None and reply.claim.id == "us-presence-criticised-after-2017"
    assert reply.verdict == "supported"


# Curated wordings (a claim's statement or aliases) the engine judges wrongly today, and why.
WORDING_BUGS: dict[str, str] = {
}


def curated_wordings() -> list:
    """Every shipped claim's statement and aliases, read straight from the YAML for parametrising."""
    out = []
    for path in sorted(TOPICS.glob("*.yaml")):
        for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            for n, wording in enumerate([claim["statement"], *claim.get("aliases", [])]):
                bug = WORDING_BUGS.get(wording)
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                out.append(pytest.param(claim["id"], wording, id=f"{claim['id']}:{n}", marks=marks))
    return out


@pytest.mark.parametrize(("claim_id", "wording"), curated_wordings())
def test_a_curated_wording_finds_its_claim_and_is_not_contradicted_by_it(
    engine: Engine, claim_id: str, wording: str
) -> None:
    reply = engine.check(wording)
    assert reply.claim is not None and reply.claim.id == claim_id
    assert reply.verdict in ("supported", "disputed", "unverified"), reply.explanation


# --- the past-deadline rule ------------------------------------------------------------------------


@pytest.fixture
def engine_on(shipped_base: Base) -> Callable[[date], Engine]:
    """An engine over the shipped base judging deadlines as of a given day."""
    return lambda today: Engine(shipped_base, today=today)


@pytest.mark.parametrize("today", [date(2025, 1, 1), TODAY, date(2030, 6, 1)])
def test_a_plan_stated_as_completed_is_unverified_whatever_the_date(
    engine_on: Callable[[date], Engine], today: date
) -> None:
    reply = engine_on(today).check("American forces finished leaving Iraq's Kurdistan Region in 2026")
    assert reply.verdict == "unverified"
    assert reply.today == today.isoformat()


@pytest.mark.parametrize("statement", [
    "US forces completed their withdrawal from Iraq in September 2026",
    "The last American troops have left Iraq",
    "Every American soldier has now left Iraq",
    "Coalition forces left Ain al-Asad in September 2025",
    "US troops left Erbil",
])
def test_a_completed_withdrawal_is_never_supported_by_a_plan(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.claim is not None and reply.claim.kind == "plan"
    assert reply.verdict == "unverified"


@pytest.mark.parametrize("statement", ["The withdrawal from Iraq is complete", "All US troops are out of Iraq"])
def test_a_completion_in_the_present_tense_is_not_supported_by_a_plan(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.claim is not None and reply.claim.id == "final-withdrawal-date"
    assert reply.verdict == "unverified"


def test_a_plan_whose_date_has_passed_says_so(engine: Engine) -> None:
    reply = engine.check("All US forces will be out of Iraq by September 2026")
    assert "September 2026; that date has passed and no source confirms it happened" in reply.explanation
    assert any("has passed" in note for note in reply.notes)


def test_a_plan_whose_date_is_ahead_says_it_is_still_ahead(engine_on: Callable[[date], Engine]) -> None:
    reply = engine_on(date(2025, 1, 1)).check("All US forces will be out of Iraq by September 2026")
    assert reply.verdict == "disputed"
    assert "still ahead as of 2025-01-01" in reply.explanation
    assert "has passed" not in reply.explanation


def test_today_comes_from_crosscheck_today_when_the_engine_has_none(
    shipped_base: Base, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSCHECK_TODAY", "2025-01-01")
    reply = Engine(shipped_base).check("All US forces will be out of Iraq by September 2026")
    assert reply.today == "2025-01-01"
    assert "still ahead as of 2025-01-01" in reply.explanation


# --- credibility weighting, with a small base of our own -------------------------------------------

ARTICLE_TEXT = ("About 2,500 US troops are in Iraq, officials said. Another estimate put the number at about "
                "1,000 US troops in Iraq. A third source says 2,500 US troops remain in Iraq.")
QUOTE_2500 = "About 2,500 US troops are in Iraq"
QUOTE_2500_AGAIN = "A third source says 2,500 US troops remain in Iraq."
QUOTE_1000 = "about 1,000 US troops in Iraq"


def outlet(ident: str, rated_yes: list[str], unreliable: bool = False) -> Outlet:
    """An outlet meeting the named criteria (the rest unknown), with the credibility they earn."""
    criteria = {name: Criterion(rating="yes" if name in rated_yes else "unknown") for name in CRITERIA_POINTS}
    return Outlet(id=ident, name=ident.replace("-", " ").title(), credibility=score_criteria(criteria),
                  criteria=criteria, unreliable=unreliable)


OUTLETS = {
    o.id: o for o in [
        outlet("high-outlet", list(CRITERIA_POINTS)),  # 100
        outlet("mid-outlet", ["false_content", "responsible"]),  # 40
        outlet("low-outlet", ["management", "authors"]),  # 10
        outlet("flagged-outlet", ["false_content", "responsible"], unreliable=True),  # 40, flagged
    ]
}


def source(outlet_id: str, quote: str, n: int = 1) -> SourceRef:
    return SourceRef(article=f"{outlet_id}-{n}", quote=quote)


def small_base(*versions: Version) -> Base:
    """One troop-count claim with the given versions, over the four outlets above."""
    articles = {
        f"{o}-{n}": Article(id=f"{o}-{n}", outlet=o, published="2024-09", path=f"articles/{o}-{n}.txt")
        for o in OUTLETS for n in (1, 2)
    }
    claim = Claim(id="troops-in-iraq", kind="quantity", unit="troops",
                  statement="About 2,500 U.S. troops are stationed in Iraq.", versions=list(versions))
    entities = {
        "us": Entity(id="us", kind="country", names=["United States", "US", "U.S.", "American"]),
        "iraq": Entity(id="iraq", kind="country", names=["Iraq", "Irak"]),
    }
    return Base(dict(OUTLETS), articles, dict.fromkeys(articles, ARTICLE_TEXT), entities, {claim.id: claim})


def version(ident: str, count: str, *sources: SourceRef) -> Version:
    return Version(id=ident, text=f"{count} US troops are in Iraq.", values=Values(count=count), sources=list(sources))


def weights(reply: Reply) -> dict[str, float]:
    return {v.id: v.weight for v in reply.versions}


def test_two_quotes_from_one_article_count_its_outlet_once() -> None:
    once = small_base(version("about-2500", "~2500", source("mid-outlet", QUOTE_2500)))
    twice = small_base(version("about-2500", "~2500", source("mid-outlet", QUOTE_2500),
                               source("mid-outlet", QUOTE_2500_AGAIN)))
    reply_once = Engine(once, today=TODAY).check("About 2,500 US troops are in Iraq")
    reply_twice = Engine(twice, today=TODAY).check("About 2,500 US troops are in Iraq")
    assert reply_twice.verdict == reply_once.verdict == "supported"
    assert weights(reply_twice) == weights(reply_once) == {"about-2500": 0.4}
    assert reply_twice.versions[0].outlets == ["Mid Outlet"]
    assert len(reply_twice.versions[0].sources) == 2


def test_two_articles_of_one_outlet_on_one_version_count_it_once() -> None:
    base = small_base(version("about-2500", "~2500", source("mid-outlet", QUOTE_2500, 1),
                              source("mid-outlet", QUOTE_2500_AGAIN, 2)))
    assert weights(Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq")) == {"about-2500": 0.4}


def test_an_outlet_reporting_two_versions_splits_its_weight_between_them() -> None:
    base = small_base(
        version("about-2500", "~2500", source("high-outlet", QUOTE_2500), source("mid-outlet", QUOTE_2500)),
        version("about-1000", "~1000", source("mid-outlet", QUOTE_1000, 2)),
    )
    reply = Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq")
    assert weights(reply) == {"about-2500": 1.2, "about-1000": 0.2}
    assert reply.verdict == "disputed"


def test_a_version_backed_only_by_a_flagged_outlet_gives_unverified() -> None:
    base = small_base(version("about-2500", "~2500", source("flagged-outlet", QUOTE_2500)))
    reply = Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq")
    assert reply.verdict == "unverified"
    assert "flag" in reply.explanation and "Flagged Outlet" in reply.explanation
    assert reply.versions[0].settles is False
    assert reply.versions[0].sources[0].unreliable is True


def test_a_flagged_outlet_backing_another_version_does_not_make_it_disputed() -> None:
    base = small_base(
        version("about-2500", "~2500", source("mid-outlet", QUOTE_2500)),
        version("about-1000", "~1000", source("flagged-outlet", QUOTE_1000)),
    )
    assert Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq").verdict == "supported"
    assert Engine(base, today=TODAY).check("About 1,000 US troops are in Iraq").verdict == "unverified"


def test_a_version_backed_by_a_flagged_and_a_reliable_outlet_settles() -> None:
    base = small_base(version("about-2500", "~2500", source("flagged-outlet", QUOTE_2500),
                              source("low-outlet", QUOTE_2500)))
    assert Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq").verdict == "supported"


def test_weights_follow_credibility() -> None:
    base = small_base(
        version("about-2500", "~2500", source("high-outlet", QUOTE_2500)),
        version("about-1000", "~1000", source("low-outlet", QUOTE_1000)),
    )
    reply = Engine(base, today=TODAY).check("Only 500 US troops are in Iraq")
    assert reply.verdict == "contradicted"
    assert weights(reply) == {"about-2500": 1.0, "about-1000": 0.1}
    assert OUTLETS["high-outlet"].credibility > OUTLETS["low-outlet"].credibility
    assert [v.id for v in reply.versions] == ["about-2500", "about-1000"]  # heaviest first


def test_sources_are_listed_most_credible_first() -> None:
    base = small_base(version("about-2500", "~2500", source("low-outlet", QUOTE_2500),
                              source("high-outlet", QUOTE_2500), source("mid-outlet", QUOTE_2500)))
    reply = Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq")
    assert [s.credibility for s in reply.versions[0].sources] == [100, 40, 10]
    assert weights(reply) == {"about-2500": 1.5}


# --- a running tally: a later count replaces an earlier one -----------------------------------------


def tally(ident: str, count: str, as_of: str, *sources: SourceRef) -> Version:
    return Version(id=ident, text=f"{count} US troops are in Iraq.", values=Values(count=count, as_of=as_of),
                   sources=list(sources))


def test_a_later_count_of_a_tally_replaces_the_earlier_one_rather_than_disputing_it() -> None:
    base = small_base(
        tally("count-1000", "~1000", "2024-09-01", source("high-outlet", QUOTE_1000)),
        tally("count-2500", "~2500", "2024-09-20", source("mid-outlet", QUOTE_2500)),
    )
    now = Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq")
    assert now.verdict == "supported"
    assert {v.id: v.judged for v in now.versions} == {"count-2500": True, "count-1000": False}  # shown, not weighed
    assert Engine(base, today=TODAY).check("About 1,000 US troops are in Iraq").verdict == "contradicted"


def test_a_statement_dated_before_the_newest_count_is_judged_against_every_count() -> None:
    base = small_base(
        tally("count-1000", "~1000", "2024-09-01", source("high-outlet", QUOTE_1000)),
        tally("count-2500", "~2500", "2024-09-20", source("mid-outlet", QUOTE_2500)),
    )
    reply = Engine(base, today=TODAY).check("About 1,000 US troops were in Iraq on 1 September 2024")
    assert all(v.judged for v in reply.versions)
    assert reply.verdict != "contradicted"


def test_counts_without_an_as_of_day_are_all_weighed() -> None:
    base = small_base(
        version("about-1000", "~1000", source("high-outlet", QUOTE_1000)),
        tally("count-2500", "~2500", "2024-09-20", source("mid-outlet", QUOTE_2500)),
    )
    assert Engine(base, today=TODAY).check("About 2,500 US troops are in Iraq").verdict == "disputed"

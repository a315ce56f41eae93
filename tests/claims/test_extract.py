"""claims/extract.py: the details a statement commits to, read from its normalised words."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

import pytest

from claims.evidence import modes_of
from claims.extract import Details, extract
from claims.text import Normaliser
from claims.values import Duration

Read = Callable[[str], Details]


@pytest.fixture(scope="module")
def read(normaliser: Normaliser, entity_kinds: dict[str, str]) -> Read:
    """Normalise a statement the way the engine does, then extract its details (the units are
    the starter base's vocabulary's: troops, attacks...)."""

    def _read(statement: str) -> Details:
        return extract(normaliser.words(statement)[0], entity_kinds, units=normaliser.vocabulary.units)

    return _read


# --- dates ----------------------------------------------------------------------------------------


def test_late_2026_and_the_end_of_the_year_are_both_the_last_quarter_of_2026(read: Read) -> None:
    details = read("US troops will leave by late 2026, at the end of the year")
    assert [(d.start, d.end) for d in details.dates] == [(date(2026, 10, 1), date(2026, 12, 31))] * 2
    assert all(d.year_known for d in details.dates)


def test_this_sept_is_september_of_an_unknown_year(read: Read) -> None:
    (span,) = read("they leave this sept").dates
    assert not span.year_known
    assert (span.start.month, span.end.month) == (9, 9)


def test_a_day_month_year_date_is_that_exact_day(read: Read) -> None:
    (span,) = read("Al-Abbasi spoke to Al-Hadath on 8 September 2024").dates
    assert span.start == span.end == date(2024, 9, 8)


def test_a_month_day_year_date_is_that_exact_day(read: Read) -> None:
    (span,) = read("He spoke on September 8, 2024").dates
    assert span.start == span.end == date(2024, 9, 8)


def test_a_month_and_year_is_the_whole_month(read: Read) -> None:
    (span,) = read("All US forces will be out of Iraq by Sept 2026").dates
    assert (span.start, span.end) == (date(2026, 9, 1), date(2026, 9, 30))


def test_a_bare_year_is_a_date_but_a_year_like_count_of_troops_is_not(read: Read) -> None:
    assert [d.label for d in read("ISIS was defeated in Iraq in 2017").dates] == ["2017"]
    details = read("2000 troops stayed")
    assert details.dates == []
    assert [(r.lo, unit) for r, unit in details.counts] == [(2000, "troops")]


# --- counts ---------------------------------------------------------------------------------------


def test_only_1000_us_troops_is_an_exact_count_of_troops(read: Read) -> None:
    ((rng, unit),) = read("only 1,000 US troops").counts
    assert (rng.lo, rng.hi, unit) == (1000, 1000, "troops")


@pytest.mark.parametrize("statement", ["The train derailed at around 3:10 a.m. near the town",
                                       "The convoy left shortly after 3 a.m.", "It happened at 11 pm",
                                       "Rescuers could not reach one of the coaches"])
def test_a_time_of_day_or_one_of_several_is_not_a_count(read: Read, statement: str) -> None:
    assert read(statement).counts == []


def test_a_count_beside_a_time_of_day_is_still_read(read: Read) -> None:
    ((rng, _),) = read("14 coaches derailed at 3.10 a.m.").counts
    assert rng.lo == rng.hi == 14


def test_around_2500_soldiers_is_an_approximate_count_of_troops(read: Read) -> None:
    ((rng, unit),) = read("around 2.500 soldiers").counts
    assert unit == "troops"
    assert rng.lo < 2500 < rng.hi
    assert math.isclose(rng.lo, 2250) and math.isclose(rng.hi, 2750)


def test_at_least_70_attacks_has_no_upper_bound(read: Read) -> None:
    ((rng, unit),) = read("at least 70 attacks").counts
    assert (rng.lo, rng.hi, unit) == (70, math.inf, "attacks")


def test_more_than_and_fewer_than_bound_the_count_and_leave_the_number_out(read: Read) -> None:
    ((more, _),) = read("more than 70 attacks").counts
    ((fewer, _),) = read("fewer than 500 troops").counts
    assert 70 < more.lo < 70.001 and more.hi == math.inf
    assert fewer.lo == 0 and 499.999 < fewer.hi < 500


def test_hundreds_of_troops_is_a_range_of_hundreds(read: Read) -> None:
    ((rng, unit),) = read("hundreds of troops will leave").counts
    assert unit == "troops"
    assert rng.lo >= 100 and rng.hi < 1000


def test_a_million_multiplies_the_number_before_it(read: Read) -> None:
    ((rng, _),) = read("3.4 million people").counts
    assert rng.lo == rng.hi == 3_400_000


@pytest.mark.parametrize(("text", "value"), [("Rs 3.5 lakh for each family", 350_000),
                                            ("2 crore rupees in compensation", 20_000_000)])
def test_lakh_and_crore_multiply_the_number_before_them(read: Read, text: str, value: int) -> None:
    ((rng, _),) = read(text).counts
    assert rng.lo == rng.hi == value


def test_700_million_dollars_is_a_count_of_dollars(read: Read) -> None:
    ((rng, unit),) = read("700 million dollars for the PMU").counts
    assert (rng.lo, unit) == (700_000_000, "dollars")


def test_a_dollar_sign_makes_the_count_dollars(read: Read) -> None:
    ((rng, unit),) = read("Iraq added $700 million for the PMU").counts
    assert (rng.lo, unit) == (700_000_000, "dollars")


def test_an_m_suffix_means_million(read: Read) -> None:
    ((rng, _),) = read("Baghdad boosted funding for the PMF by $700m").counts
    assert rng.lo == 700_000_000


# --- durations ------------------------------------------------------------------------------------


def test_a_12_day_war_is_a_duration_not_a_count(read: Read) -> None:
    details = read("Israel fought a 12-day war with Iran")
    assert details.durations == [Duration(12, "day")]
    assert details.counts == []


def test_a_three_year_timeframe_is_a_duration_in_years(read: Read) -> None:
    details = read("Austin proposed a three-year timeframe")
    assert details.durations == [Duration(3, "year")]
    assert details.counts == []


# --- scope, negation, tense -----------------------------------------------------------------------


@pytest.mark.parametrize(("statement", "scope"), [
    ("All US troops will leave Iraq", "all"),
    ("US forces will fully withdraw", "all"),
    ("Some US troops will leave Iraq", "some"),
    ("A few hundred troops will leave", "some"),
    ("US troops will leave Iraq", None),
])
def test_scope_says_whether_all_or_some_are_meant(read: Read, statement: str, scope: str | None) -> None:
    assert read(statement).scope == scope


@pytest.mark.parametrize(("statement", "negated"), [
    ("US troops did not leave Iraq", True),
    ("US troops didn't leave Iraq", True),
    ("US troops never left Iraq", True),
    ("It is false that US troops left Iraq", True),
    ("US troops left Iraq", False),
    ("It is not true that US troops did not leave Iraq", False),
])
def test_negation_flips_with_each_negating_word(read: Read, statement: str, negated: bool) -> None:
    assert read(statement).negated is negated


@pytest.mark.parametrize(("statement", "tense"), [
    ("US troops will leave Iraq by September 2026", "plan"),
    ("US troops are to leave Iraq by 2026", "plan"),
    ("The withdrawal is scheduled for September 2026", "plan"),
    ("US troops finished leaving Iraq", "done"),
    ("US troops have left Iraq", "done"),
    ("US troops withdrew from Iraq", "done"),
    ("The withdrawal already happened", "done"),
    ("1,000 US troops are left in Iraq", None),
    ("About 2,500 US troops are in Iraq", None),
])
def test_tense_tells_a_plan_from_something_done(read: Read, statement: str, tense: str | None) -> None:
    assert read(statement).tense == tense


# --- who ------------------------------------------------------------------------------------------


def test_a_person_followed_by_said_is_the_speaker(read: Read) -> None:
    details = read("Farhad Alaaldin said Iraq can handle ISIS on its own")
    assert details.speakers == ["farhad-alaaldin"]
    assert details.entities == ["farhad-alaaldin", "iraq", "isis"]


def test_according_to_a_person_makes_them_the_speaker(read: Read) -> None:
    assert read("According to Hussein Alawi, the mission in Baghdad ends").speakers == ["hussein-alawi"]


def test_a_person_who_is_only_mentioned_is_not_a_speaker(read: Read) -> None:
    details = read("Obama pulled the troops out of Iraq in 2011")
    assert details.speakers == []
    assert "obama" in details.entities


def test_a_country_something_happens_in_is_a_place(read: Read) -> None:
    assert read("About 900 US troops are in Syria").places == ["syria"]


def test_a_country_after_objected_to_is_not_a_place(read: Read) -> None:
    assert read("Paramilitary groups objected to US troops staying in Iraq").places == ["iraq"]


def test_slots_name_the_kinds_of_detail_given(read: Read) -> None:
    slots = read("All 2,500 US troops will leave Iraq by the end of 2026").slots()
    assert slots == frozenset({"count:troops", "date", "year:2026", "scope:all", "place:iraq"})
    assert read("Israel fought a 12-day war").slots() == frozenset({"duration"})
    assert read("US troops have left Baghdad").slots() == frozenset({"place:baghdad"})


def test_a_war_a_month_long_lasts_one_month(read: Read) -> None:
    assert read("Israel and Iran fought a month-long war").durations == [Duration(1, "month")]


@pytest.mark.parametrize("statement", ["Officials suspect a rail fracture caused the crash",
                                       "Investigators believe the driver fell asleep"])
def test_what_someone_only_suspects_or_believes_is_hedged(read: Read, statement: str) -> None:
    assert read(statement).hedged


def test_a_source_that_only_suspects_a_cause_says_it_as_possible() -> None:
    words = ["railway", "officials", "suspect", "a", "rail", "fracture"]
    assert modes_of(words) == ["fact", "fact", "fact", "hedged", "hedged", "hedged"]


# --- what a date or a place is of ------------------------------------------------------------------


def test_countries_joined_by_and_after_in_are_both_places(read: Read) -> None:
    assert read("Floods hit villages in Syria and Turkey in 2024").places == ["syria", "turkey"]
    # the second is the one acting, not a place the first's "in" extends to
    assert read("Troops in Syria and Iran attacked the convoy").places == ["syria"]


def test_a_date_after_after_or_following_only_bounds_when_it_happened(read: Read) -> None:
    details = read("Strikes resumed after October 7, 2023")
    assert [d.start for d in details.bounds] == [date(2023, 10, 7)]
    assert read("Strikes resumed following the 2023 election").bounds != []
    assert read("Strikes resumed in October 2023").bounds == []


def test_a_date_counted_from_another_spans_from_where_it_points_to_the_other(read: Read) -> None:
    (span,) = read("The talks end two months before the elections in November 2026").dates
    assert (span.start, span.end) == (date(2026, 9, 1), date(2026, 11, 30))
    assert read("The talks end two months before the elections in November 2026").durations == []
    (later,) = read("Troops returned three years after 2011").dates
    assert (later.start, later.end) == (date(2011, 1, 1), date(2014, 12, 31))


def test_a_place_in_a_phrase_giving_a_cause_or_what_is_opposed_is_an_aside(read: Read) -> None:
    stalled = read("Talks stalled due to tensions sparked by the war in Gaza")
    assert stalled.places == ["gaza"] and stalled.asides == ["gaza"]
    assert read("Protests grew against the presence of foreign troops in Iraq").asides == ["iraq"]
    assert read("Militias attacked US troops in Iraq").asides == []
    assert read("Protests against the deal were held in Basra").asides == []


def test_a_second_figure_that_leaves_its_noun_out_counts_what_the_first_counts(read: Read) -> None:
    (_, _), (second, unit) = read("About 3,000 troops are in Iraq and another 800 in Syria").counts
    assert unit == "troops" and second.nominal == 800 and second.lo < 800 < second.hi  # "about" holds for both
    exact_counts = read("Exactly 3,000 troops are in Iraq and 800 in Syria").counts
    assert exact_counts[1][0].lo == exact_counts[1][0].hi == 800
    assert read("About 3,000 troops are in Iraq and 3 bases were hit").counts[1][1] == "bases"


def test_two_years_later_is_no_duration(read: Read) -> None:
    assert read("Two years later, floods hit villages in Syria").durations == []
    assert read("Israel fought a 12-day war").durations == [Duration(12, "day")]


def test_a_place_saying_something_acts_but_a_place_things_happen_in_stays_a_place(read: Read) -> None:
    assert read("Baghdad has long argued that the talks failed").places == []
    assert read("Mosul has seen heavy fighting").places == ["mosul"]

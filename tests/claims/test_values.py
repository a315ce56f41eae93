"""claims/values.py: curated date spans, counts and durations."""

from __future__ import annotations

import math
from datetime import date

import pytest

from claims.values import (
    DateSpan,
    Duration,
    NumRange,
    month_span,
    parse_count,
    parse_date_span,
    parse_duration,
)

# --- dates ----------------------------------------------------------------------------------------


def test_a_year_spans_the_whole_year() -> None:
    span = parse_date_span("2026")
    assert (span.start, span.end, span.year_known) == (date(2026, 1, 1), date(2026, 12, 31), True)


def test_a_month_spans_its_first_to_last_day() -> None:
    assert (parse_date_span("2026-09").start, parse_date_span("2026-09").end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert parse_date_span("2024-02").end == date(2024, 2, 29)  # a leap year


def test_a_day_is_a_span_of_one_day() -> None:
    span = parse_date_span("2024-09-08")
    assert span.start == span.end == date(2024, 9, 8)


@pytest.mark.parametrize("text", ["end of 2026", "late 2026", "End of 2026", "  late 2026  "])
def test_the_end_of_a_year_is_its_last_quarter(text: str) -> None:
    span = parse_date_span(text)
    assert (span.start, span.end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_early_and_mid_year_are_their_own_parts() -> None:
    assert (parse_date_span("early 2025").start, parse_date_span("early 2025").end) == (date(2025, 1, 1),
                                                                                          date(2025, 4, 30))
    assert (parse_date_span("mid 2025").start, parse_date_span("mid 2025").end) == (date(2025, 5, 1),
                                                                                      date(2025, 8, 31))


def test_a_range_runs_from_the_start_of_the_first_to_the_end_of_the_last() -> None:
    span = parse_date_span("2023-10-07..2024-09")
    assert (span.start, span.end) == (date(2023, 10, 7), date(2024, 9, 30))
    assert parse_date_span("2003..2011").end == date(2011, 12, 31)


def test_the_label_keeps_what_the_curator_wrote() -> None:
    assert parse_date_span("end of 2026").label == "end of 2026"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("2024-13", "month 13"),
        ("1800", "year 1800"),
        ("2101-01", "year 2101"),
        ("2024-02-30", "out of range: no such day"),
        ("sometime soon", "cannot read date"),
        ("2026/09", "cannot read date"),
        ("2026-09..2025-01", "ends before it starts"),
    ],
)
def test_an_impossible_or_unreadable_date_is_refused_with_the_reason(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_date_span(text)


def test_spans_overlap_when_they_share_a_day() -> None:
    september = parse_date_span("2026-09")
    assert september.overlaps(parse_date_span("2026"))
    assert parse_date_span("2026").overlaps(september)
    assert parse_date_span("2026-09-30").overlaps(september)
    assert not september.overlaps(parse_date_span("end of 2026"))
    assert not september.overlaps(parse_date_span("2025-09"))


def test_a_span_is_within_another_only_when_it_lies_inside_it() -> None:
    assert parse_date_span("2026-11").within(parse_date_span("end of 2026"))
    assert parse_date_span("2026-09-15").within(parse_date_span("2026-09"))
    assert not parse_date_span("2026").within(parse_date_span("end of 2026"))
    assert not parse_date_span("2026-09").within(parse_date_span("end of 2026"))


def test_a_span_without_a_known_year_compares_by_month_only() -> None:
    this_september = month_span(2000, 9, 9, "september", year_known=False)
    assert this_september.overlaps(parse_date_span("2026-09"))
    assert this_september.overlaps(parse_date_span("2025-09"))
    assert parse_date_span("2025-09").overlaps(this_september)
    assert not this_september.overlaps(parse_date_span("end of 2026"))
    assert this_september.within(parse_date_span("2026-09"))
    assert not this_september.within(parse_date_span("2026-10"))


def test_a_year_unknown_month_overlaps_any_span_crossing_a_new_year() -> None:
    june = month_span(2000, 6, 6, "june", year_known=False)
    assert june.overlaps(parse_date_span("2023-10-07..2024-09"))


def test_date_spans_are_values() -> None:
    assert parse_date_span("2026-09") == DateSpan(date(2026, 9, 1), date(2026, 9, 30), "2026-09")


# --- counts ---------------------------------------------------------------------------------------


def test_an_exact_count_is_a_single_point() -> None:
    assert parse_count("2500") == NumRange(2500.0, 2500.0, "2500", nominal=2500.0)
    assert (parse_count("168,000").lo, parse_count("168,000").hi) == (168000.0, 168000.0)


def test_an_approximate_count_allows_a_tenth_either_way() -> None:
    about = parse_count("~2500")
    assert math.isclose(about.lo, 2250) and math.isclose(about.hi, 2750)
    assert about.overlaps(parse_count("2700"))
    assert not about.overlaps(parse_count("1000"))


def test_at_least_has_no_upper_bound_and_at_most_starts_at_zero() -> None:
    assert parse_count(">=70") == NumRange(70.0, math.inf, ">=70")
    assert parse_count("<=5") == NumRange(0.0, 5.0, "<=5")
    assert parse_count(">=70").overlaps(parse_count("1000"))
    assert not parse_count(">=70").overlaps(parse_count("10"))


def test_a_count_range_includes_both_ends() -> None:
    hundreds = parse_count("200..900")
    assert (hundreds.lo, hundreds.hi) == (200.0, 900.0)
    assert hundreds.overlaps(parse_count("900")) and hundreds.overlaps(parse_count("200"))
    assert not hundreds.overlaps(parse_count("1000"))


@pytest.mark.parametrize("text", ["lots", "", "~", ">=", ">", "<", "900..200", "2,5oo", "1e"])
def test_an_unreadable_count_is_refused_with_the_forms_allowed(text: str) -> None:
    with pytest.raises(ValueError, match=r"cannot read count .* write 2500, ~2500, >=70, >500, <=5, <20 or 200\.\.900"):
        parse_count(text)


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount", "unit"), [("12 days", 12, "day"), ("3 years", 3, "year"),
                                                      ("1 year", 1, "year"), ("2 Weeks", 2, "week"),
                                                      ("8 years", 8, "year"), ("6 months", 6, "month")])
def test_a_duration_keeps_its_own_unit(text: str, amount: float, unit: str) -> None:
    assert parse_duration(text) == Duration(amount, unit)


def test_durations_agree_across_units_but_not_across_sizes() -> None:
    assert Duration(12, "month").agrees(Duration(1, "year"))
    assert Duration(3, "year").agrees(parse_duration("3 years"))
    assert not Duration(12, "day").agrees(Duration(12, "week"))
    assert not Duration(2, "year").agrees(Duration(3, "year"))


@pytest.mark.parametrize("text", ["twelve days", "12", "12 fortnights", "days 12", ""])
def test_an_unreadable_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read duration"):
        parse_duration(text)

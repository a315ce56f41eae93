"""Dates given relative to today are resolved against it, then compared like written dates."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract import extract
from claims.text import Normaliser

TODAY = date(2026, 11, 30)


def spans(normaliser: Normaliser, text: str) -> list[tuple[date, date]]:
    return [(d.start, d.end) for d in extract(normaliser.words(text)[0], today=TODAY).dates]


@pytest.mark.parametrize(("text", "start", "end"), [
    ("it happened last year", date(2025, 1, 1), date(2025, 12, 31)),
    ("it happens next year", date(2027, 1, 1), date(2027, 12, 31)),
    ("it happened two years ago", date(2024, 1, 1), date(2024, 12, 31)),
    ("it happened twelve years ago", date(2014, 1, 1), date(2014, 12, 31)),
    ("it happened a decade ago", date(2016, 1, 1), date(2016, 12, 31)),
    ("it happens next month", date(2026, 12, 1), date(2026, 12, 31)),
    ("it happened last month", date(2026, 10, 1), date(2026, 10, 31)),
    ("it happens in six months", date(2027, 5, 1), date(2027, 5, 31)),
    ("it happened this past September", date(2026, 9, 1), date(2026, 9, 30)),
    ("due in Q3 2026", date(2026, 7, 1), date(2026, 9, 30)),
    ("due by 09/2026", date(2026, 9, 1), date(2026, 9, 30)),
    ("due by 2026-09", date(2026, 9, 1), date(2026, 9, 30)),
])
def test_relative_and_numeric_dates_resolve_against_today(
        normaliser: Normaliser, text: str, start: date, end: date) -> None:
    assert spans(normaliser, text) == [(start, end)]


def test_without_today_a_relative_date_is_left_out(normaliser: Normaliser) -> None:
    assert extract(normaliser.words("it happened two years ago")[0]).dates == []


def test_the_date_of_a_speech_is_kept_apart_from_the_date_of_what_it_announced(normaliser: Normaliser) -> None:
    details = extract(normaliser.words("In August 2025, officials announced that the withdrawal would begin in "
                                       "September 2025")[0], today=TODAY)
    assert [d.label for d in details.speech_dates] == ["august 2025"]
    assert [d.label for d in details.dates] == ["september 2025"]


def test_relative_time_words_are_not_topic_for_the_matcher(normaliser: Normaliser) -> None:
    assert normaliser.terms("ISIS was defeated two years ago") == normaliser.terms("ISIS was defeated")

"""Quantities compared honestly: comparators, approximations, vague sizes, shares, durations."""

from __future__ import annotations

import pytest

from claims.extract import SHARE, extract
from claims.text import Normaliser
from claims.values import Duration, NumRange, compare_quantity, parse_count


def count(normaliser: Normaliser, text: str) -> NumRange:
    ((rng, _),) = extract(normaliser.words(text)[0], units=normaliser.vocabulary.units).counts
    return rng


@pytest.mark.parametrize(("stated", "source", "outcome"), [
    ("more than 2,000 troops", "~2500", "agree"),  # all the source allows, the statement allows
    ("under 3,000 troops", "~2500", "agree"),
    ("fewer than 1,000 troops", "~2500", "conflict"),
    ("nearly 3,000 troops", "~2500", "conflict"),  # two round figures too far apart
    ("roughly 2,500 troops", "~2500", "agree"),
    ("2,500 troops", "~2500", "agree"),
    ("2,400 troops", "~2500", "unsettled"),  # more precise than the source
    ("more than 140 attacks", ">=70", "unsettled"),  # "at least 70" does not reach "more than 140"
    ("fewer than 50 attacks", ">=70", "conflict"),
    ("at least 600 troops", "200..999", "unsettled"),  # "several hundred" is only a vague floor
    ("hundreds of troops", "200..999", "agree"),
    ("a few hundred troops", "200..999", "agree"),  # vague against vague
    ("about 2,000 troops", "200..999", "conflict"),
    ("more than 500 passengers", ">500", "agree"),  # a curated strict bound, as the report words it
    ("at least 500 passengers", ">500", "agree"),
    ("more than 400 passengers", ">500", "agree"),
    ("500 passengers", ">500", "conflict"),  # "more than 500" excludes 500 itself
    ("more than 600 passengers", ">500", "unsettled"),
    ("fewer than 20 deaths", "<20", "agree"),
    ("20 deaths", "<20", "conflict"),
])
def test_a_source_figure_settles_a_statement_only_when_it_implies_it(
        normaliser: Normaliser, stated: str, source: str, outcome: str) -> None:
    assert compare_quantity(count(normaliser, stated), parse_count(source)) == outcome


@pytest.mark.parametrize(("text", "value"), [
    ("ISIS seized a third of Iraq", 1 / 3), ("ISIS seized half of Iraq", 0.5), ("40 percent of Iraq", 0.4),
    ("40% of Iraq", 0.4), ("two thirds of Iraq", 2 / 3),
])
def test_shares_of_a_whole_are_read(normaliser: Normaliser, text: str, value: float) -> None:
    ((rng, unit),) = extract(normaliser.words(text)[0], units=normaliser.vocabulary.units).counts
    assert unit == SHARE and rng.nominal == pytest.approx(value)


def test_nearly_a_third_is_not_half_nor_40_percent(normaliser: Normaliser) -> None:
    ((source, _),) = extract(normaliser.words("nearly a third of the country")[0]).counts
    for stated in ("half of Iraq", "40 percent of Iraq", "more than a third of Iraq"):
        ((rng, _),) = extract(normaliser.words(stated)[0], units=normaliser.vocabulary.units).counts
        assert compare_quantity(rng, source) == "conflict", stated
    ((about, _),) = extract(normaliser.words("about a third of Iraq")[0]).counts
    assert compare_quantity(about, source) == "agree"


@pytest.mark.parametrize(("text", "duration"), [
    ("it lasted more than a decade", Duration(10, "year", "more")),
    ("it lasted less than two weeks", Duration(2, "week", "less")),
    ("it lasted nearly two weeks", Duration(2, "week", "nearly")),
    ("for more than a month", Duration(1, "month", "more")),
])
def test_durations_keep_their_bound(normaliser: Normaliser, text: str, duration: Duration) -> None:
    assert extract(normaliser.words(text)[0]).durations == [duration]


def test_durations_compare_as_ranges_of_days() -> None:
    twelve_days = Duration(12, "day").range()
    assert compare_quantity(Duration(2, "week", "less").range(), twelve_days) == "agree"
    assert compare_quantity(Duration(2, "week", "nearly").range(), twelve_days) == "agree"
    assert compare_quantity(Duration(1, "month", "more").range(), twelve_days) == "conflict"
    assert compare_quantity(Duration(10, "year", "more").range(), Duration(8, "year").range()) == "conflict"

"""A message split into sentences by a real sentence splitter, and why a sentence is not checked
(claims/sentences.py, claims/checkworthy.py)."""

from __future__ import annotations

import pytest

from claims.sentences import (
    NO_CLAIM,
    NOT_ENGLISH,
    OPINION,
    REPEATED,
    TOO_SHORT,
    Skipped,
    checkworthy_sentences,
    over_limit,
    sentences_of,
    split_message,
)


def test_abbreviations_do_not_end_a_sentence() -> None:
    # The regular expression this replaced checked "Gen. Smith said ... by Sept." on its own.
    assert sentences_of("Gen. Smith said US forces would leave Iraq by Sept. 2026. That is a lie!") == [
        "Gen. Smith said US forces would leave Iraq by Sept. 2026.", "That is a lie!"]


def test_a_title_keeps_its_subject() -> None:
    assert sentences_of("Dr. Al-Sudani met Mr. Biden in Washington. They agreed on a plan.") == [
        "Dr. Al-Sudani met Mr. Biden in Washington.", "They agreed on a plan."]


def test_initials_numbers_and_times_stay_in_their_sentence() -> None:
    assert sentences_of("The U.S. has about 2.500 troops in Iraq. Gen. J. R. Smith arrived on Jan. 5 at 3 p.m. "
                        "and left.") == ["The U.S. has about 2.500 troops in Iraq.",
                                         "Gen. J. R. Smith arrived on Jan. 5 at 3 p.m. and left."]


def test_lines_and_bullets_end_sentences_and_links_and_mentions_are_dropped() -> None:
    text = "- US troops left Baghdad in 2025\n* ISIS was defeated in 2017 https://x.y/z <@123>\n\n"
    assert sentences_of(text) == ["US troops left Baghdad in 2025", "ISIS was defeated in 2017"]


def test_each_sentence_not_checked_says_why() -> None:
    split = split_message("Hi all. US troops will leave Iraq by September 2026. Lol. Biden is a clown. "
                          "Les États-Unis vont retirer leurs troupes d'Irak. /foo bar baz qux. "
                          "US troops will leave Iraq by September 2026.")
    assert split.sentences == ["US troops will leave Iraq by September 2026."]
    assert split.skipped == [
        Skipped("Hi all.", NO_CLAIM), Skipped("Lol.", TOO_SHORT), Skipped("Biden is a clown.", OPINION),
        Skipped("Les États-Unis vont retirer leurs troupes d'Irak.", NOT_ENGLISH),
        Skipped("/foo bar baz qux.", NO_CLAIM), Skipped("US troops will leave Iraq by September 2026.", REPEATED)]


def test_sentences_past_the_limit_are_listed_not_dropped() -> None:
    text = " ".join(f"ISIS was defeated in Iraq in {year}." for year in range(2010, 2017))
    split = split_message(text, limit=5)
    assert len(split.sentences) == 5
    assert split.skipped == [Skipped("ISIS was defeated in Iraq in 2015.", over_limit(5)),
                             Skipped("ISIS was defeated in Iraq in 2016.", over_limit(5))]


@pytest.mark.parametrize("text", ["lol ok", "", "   ", "👍👍"])
def test_a_message_without_a_claim_has_no_sentence_to_check(text: str) -> None:
    assert checkworthy_sentences(text) == []

"""claims/questions.py: a question is judged as the statement it asks about."""

from __future__ import annotations

import pytest

from claims.questions import positive_form


@pytest.mark.parametrize(("question", "statement"), [
    ("Didn't ISIS get defeated in Iraq in 2017?", "did ISIS get defeated in Iraq in 2017?"),
    ("Wasn't the deal reached in 2022?", "was the deal reached in 2022?"),
    ("Doesn't the US have 2,500 troops in Iraq?", "does the US have 2,500 troops in Iraq?"),
    ("Isn't it true that the US invaded Iraq in 2003?", "the US invaded Iraq in 2003?"),
    ("Isn't it the case that the PMF are funded by Iraq?", "the PMF are funded by Iraq?"),
    ("Did the coalition not form in 2014?", "Did the coalition form in 2014?"),
    ("Won't US troops leave by 2026?", "will US troops leave by 2026?"),
])
def test_a_negated_question_asks_about_its_positive_statement(question: str, statement: str) -> None:
    reading = positive_form(question)
    assert reading.text.lower() == statement.lower()
    assert reading.question


def test_a_negation_inside_the_statement_asked_about_stays() -> None:
    reading = positive_form("Is it true that ISIS was not defeated in 2017?")
    assert reading.text == "ISIS was not defeated in 2017?"
    assert reading.question and not reading.negated_question


@pytest.mark.parametrize("statement", ["ISIS was not defeated in 2017", "The US did not leave Iraq in 2011"])
def test_a_statement_is_left_alone(statement: str) -> None:
    reading = positive_form(statement)
    assert reading.text == statement
    assert not reading.question and not reading.negated_question


def test_a_plain_question_keeps_its_words() -> None:
    reading = positive_form("Are the PMU an umbrella group of Sunni militias?")
    assert reading.text == "Are the PMU an umbrella group of Sunni militias?"
    assert reading.question and not reading.negated_question

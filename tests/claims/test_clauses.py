"""claims/clauses.py: a statement is cut into the claims it makes, where both sides can stand."""

from __future__ import annotations

import pytest

from claims.clauses import split


@pytest.mark.parametrize(("statement", "parts"), [
    ("ISIS emerged in 2014 and seized nearly a third of Iraq.",
     ["ISIS emerged in 2014", "ISIS seized nearly a third of Iraq"]),
    ("The PMU have about 150,000 members and are funded by the Iraqi government.",
     ["The PMU have about 150,000 members", "The PMU are funded by the Iraqi government"]),
    ("Talks were postponed over the Gaza war, but the deadline falls after the 2024 election.",
     ["Talks were postponed over the Gaza war", "the deadline falls after the 2024 election"]),
    ("Turkey attacked Kurdish forces, while Ankara and Baghdad agreed to run a joint centre.",
     ["Turkey attacked Kurdish forces", "Ankara and Baghdad agreed to run a joint centre"]),
    ("The coalition was formed in 2014; ISIS was defeated in Iraq in 2017.",
     ["The coalition was formed in 2014", "ISIS was defeated in Iraq in 2017"]),
    ("U.S. troops entered Iraq in 2003 and peaked at 168,000 during the surge.",
     ["U.S. troops entered Iraq in 2003", "U.S. troops peaked at 168,000 during the surge"]),
])
def test_two_assertions_are_two_claims(statement: str, parts: list[str]) -> None:
    assert split(statement) == parts


@pytest.mark.parametrize("statement", [
    "Israel and Iran fought a 12-day war in June 2025.",  # "and" between two names
    "Coalition forces are to leave Baghdad and Ain al-Asad by September 2025.",  # between two places
    "Iran-backed groups have targeted US forces with rockets and drones.",
    "In August 2025 officials announced that the withdrawal from Baghdad and Ain al-Asad would begin.",
    "Hussein Alawi said the mission in Baghdad and Ain al-Asad will end in September 2025.",
    "US forces in Iraq intercepted missiles and drones aimed at Israel.",  # a participle continues the object
    "ISIS emerged in Syria and Iraq three years after US troops left.",  # a verb in a subordinate clause
    "The US promised to leave Iraq and stayed.",  # too little on the right to be a claim
    "Many took a while to realise that a tragedy had hit the train.",  # "a while": the noun
    "The inquiry will be held on Monday and Tuesday, a railway spokesperson said.",  # who said it all
    # Both verbs are the relative clause's: the rescuers extricated the bodies, not the operation.
    "The search is ending, says the rescue force, which has rescued 55 people and extricated 74 bodies.",
])
def test_and_inside_a_phrase_is_not_a_cut(statement: str) -> None:
    assert split(statement) == [statement.rstrip(".")]


def test_empty_pieces_make_no_claims() -> None:
    assert split("and ; and , but while") == ["and", "and , but while"]
    assert split(" ; ; ") == []

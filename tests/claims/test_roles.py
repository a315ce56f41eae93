"""claims/roles.py: who does what to whom, read from normalised words."""

from __future__ import annotations

import pytest

from claims.roles import Role, roles
from claims.text import Normaliser


def read(normaliser: Normaliser, text: str) -> set[tuple[str, str, str]]:
    return {(r.key, r.role, r.entity) for r in roles(normaliser.words(text)[0])}


def test_active_voice_names_the_doer_and_the_one_done_to(normaliser: Normaliser) -> None:
    assert {("attack", "agent", "turkey"), ("attack", "patient", "kurdish-forces")} <= read(
        normaliser, "Turkey attacks Kurdish forces")


def test_passive_voice_with_by_names_the_doer(normaliser: Normaliser) -> None:
    found = read(normaliser, "Mushtaq al-Saidi was killed by a US drone strike in Baghdad")
    assert ("attack", "patient", "mushtaq-al-saidi") in found
    assert ("attack", "agent", "us") in found


def test_a_move_has_a_source_and_a_destination(normaliser: Normaliser) -> None:
    found = read(normaliser, "A US convoy departed Ain al-Asad toward the Syrian border")
    assert ("move", "source", "ain-al-asad") in found and ("move", "destination", "syria") in found


def test_handed_over_to_names_the_recipient(normaliser: Normaliser) -> None:
    assert ("transfer", "recipient", "iraqi-armed-forces") in read(
        normaliser, "The site would be handed over to the Iraqi Armed Forces")


def test_a_possessor_owns_the_doing(normaliser: Normaliser) -> None:
    assert ("agreement", "owner", "trump") in read(normaliser, "Biden carried out Trump's deal")


def test_an_entity_in_a_prepositional_phrase_is_not_the_subject(normaliser: Normaliser) -> None:
    found = read(normaliser, "US forces at Baghdad Airport and the Joint Operations Command will relocate to Erbil")
    assert ("relocate", "agent", "us") in found
    assert not {e for k, r, e in found if k == "relocate" and r == "agent"} - {"us"}


def test_iran_backed_groups_are_not_iran(normaliser: Normaliser) -> None:
    found = read(normaliser, "Iran-backed groups have repeatedly targeted US forces")
    assert ("attack", "agent", "iran") not in found


def test_what_a_speaker_says_is_not_a_patient(normaliser: Normaliser) -> None:
    found = read(normaliser, "Farhad Alaaldin said Iraq can manage the remaining ISIS threat")
    assert ("say", "agent", "farhad-alaaldin") in found
    assert not {r for r in found if r[0] == "say" and r[1] == "patient"}


@pytest.mark.parametrize("text", ["ISIS was defeated in 2017", "the weather is nice"])
def test_a_text_with_no_two_entities_has_few_roles(normaliser: Normaliser, text: str) -> None:
    assert all(isinstance(r, Role) for r in roles(normaliser.words(text)[0]))

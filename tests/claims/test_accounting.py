"""Support means every part is accounted for: opposites, missing parts, hedges, plans, roles."""

from __future__ import annotations

from datetime import date

import pytest

from claims.engine import Engine
from claims.load import Base

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def engine(shipped_base: Base) -> Engine:
    return Engine(shipped_base, today=TODAY)


def conflicts(reply) -> list[str]:
    return [c for v in reply.versions for c in v.conflicts]


@pytest.mark.parametrize(("statement", "found"), [
    ("Iraq's prime minister has applauded the American strikes on Iraqi soil.", "opposite: applauded vs denounced"),
    ("American forces in Iraq have boosted Iranian influence across the region.", "opposite: boosted vs countering"),
    ("Iraq accepted Lloyd Austin's proposal of a three-year withdrawal timeframe.", "opposite: accepted vs reject"),
    ("Are the Popular Mobilization Units an umbrella group of Sunni militias?", "not the same: sunni vs shia"),
])
def test_a_word_the_sources_state_otherwise_contradicts(engine: Engine, statement: str, found: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "contradicted"
    assert any(c.startswith(found) for c in conflicts(reply)), conflicts(reply)


def test_a_part_no_source_speaks_to_leaves_it_unverified_and_is_named(engine: Engine) -> None:
    reply = engine.check("Turkey began attacking Kurdish forces in northern Iraq with warplanes and drones.")
    assert reply.verdict == "unverified"
    assert "drones" in reply.explanation


def test_a_date_the_sources_do_not_give_leaves_it_unverified(engine: Engine) -> None:
    reply = engine.check("Al-Sudani denounced the US strikes in Iraq in 2019.")
    assert reply.verdict == "unverified"
    assert "when it happened" in reply.explanation


def test_a_figure_the_sources_do_not_pin_down_leaves_it_unverified(engine: Engine) -> None:
    reply = engine.check("Militias have attacked US forces in Iraq more than 140 times since October 7, 2023.")
    assert reply.verdict == "unverified"
    assert "at least 70" in reply.explanation and "more than 140" in reply.explanation


@pytest.mark.parametrize("statement", [
    "The US military presence in northeastern Syria has ended.",  # 001: "may not be able to continue"
    "The withdrawal plan will be fully implemented.",  # 004: "it remains unclear whether"
    "The US withdrawal from Baghdad and Ain al-Asad was a direct result of pressure from resistance groups.",
])
def test_a_hedged_source_never_supports_that_it_did_or_will(engine: Engine, statement: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "unverified", reply.explanation
    assert "as possible" in reply.explanation


def test_the_hedged_statement_itself_is_supported(engine: Engine) -> None:
    assert engine.check("It is unclear whether the withdrawal plan will be fully implemented.").verdict == "supported"


def test_a_source_saying_it_will_happen_does_not_settle_that_it_has(engine: Engine) -> None:
    reply = engine.check("Iraq's security ties with the coalition countries have now become stable bilateral "
                         "partnerships.")
    assert reply.verdict == "unverified"
    assert "as planned" in reply.explanation


@pytest.mark.parametrize(("statement", "found"), [
    ("Mushtaq Taleb al-Saidi carried out a drone strike on US forces in Baghdad.", "roles:"),
    ("The Trump administration carried out Joe Biden's deal to pull US troops out of Afghanistan.", "roles:"),
    ("Ankara and Baghdad agreed that the joint training centre in northern Iraq would be handed over to the "
     "Turkish military.", "who: turkey vs iraqi-armed-forces"),
    ("A US convoy left the Syrian border heading for Ain al-Asad.", "direction:"),
    ("US forces in Erbil will relocate to Baghdad Airport in the first phase.", "destination:"),
])
def test_a_participant_in_another_role_contradicts(engine: Engine, statement: str, found: str) -> None:
    reply = engine.check(statement)
    assert reply.verdict == "contradicted"
    assert any(c.startswith(found) for c in conflicts(reply)), conflicts(reply)


def test_the_date_of_a_speech_does_not_contradict_the_date_of_the_event(engine: Engine) -> None:
    reply = engine.check("In August 2025, Iraqi government sources announced that the coalition's withdrawal from "
                         "Baghdad and Ain al-Asad would begin in September 2025.")
    assert reply.verdict == "supported"


def test_what_someone_said_is_judged_against_the_versions_quoting_them(engine: Engine) -> None:
    reply = engine.check("Hussein Alawi said the complete withdrawal is set to be finalized by September 2026.")
    assert reply.verdict == "supported"
    assert [v.id for v in reply.versions if not v.judged] == ["end-2026"]


def test_a_denied_opposite_agrees(engine: Engine) -> None:
    # 001: the presence "may not be able to continue": "end" is its denied opposite, said as possible
    reply = engine.check("The US presence in northeastern Syria may end once US troops leave Iraq.")
    assert reply.verdict == "supported"


def _base_with(shipped_base: Base, claim) -> Base:
    return Base(shipped_base.outlets, shipped_base.articles, shipped_base.texts, shipped_base.entities,
                {claim.id: claim}, terms=shipped_base.terms)


def test_roles_a_curator_records_stand_where_the_texts_cannot_tell(shipped_base: Base) -> None:
    original = shipped_base.claims["al-saidi-killed-us-drone-strike"]
    version = original.versions[0]
    # Texts that do not say who struck whom in words the engine reads ("a drone hit that the US
    # conducted" names no victim by name).
    plain = version.model_copy(update={
        "text": "Al-Saidi died in a drone hit in Baghdad in early January 2024.",
        "sources": [version.sources[0].model_copy(update={
            "quote": "He was killed by a drone hit that the US conducted in early January in Baghdad."})],
    })
    claim = original.model_copy(update={
        "statement": "Mushtaq Taleb al-Saidi died in a drone hit in Baghdad in early January 2024.",
        "aliases": [], "versions": [plain]})
    statement = "Mushtaq Taleb al-Saidi carried out a drone strike on US forces in Baghdad in January 2024."
    # Judged against that claim directly (a one-claim base matches little on its own).
    without = Engine(_base_with(shipped_base, claim), today=TODAY).check_against(statement, claim.id)
    assert without.verdict != "contradicted"
    curated = plain.model_copy(update={"values": plain.values.model_copy(
        update={"roles": {"agent": ["us"], "patient": ["mushtaq-al-saidi"]}})})
    with_roles = Engine(_base_with(shipped_base, claim.model_copy(update={"versions": [curated]})), today=TODAY)
    reply = with_roles.check_against(statement, claim.id)
    assert reply.verdict == "contradicted"
    assert any(c.startswith("roles:") for c in conflicts(reply))

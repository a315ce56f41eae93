"""claims/text.py: the normalisation both the claim base and users' statements go through."""

from __future__ import annotations

import pytest

from claims.text import Normaliser, canonical_numbers


def words(normaliser: Normaliser, text: str) -> list[str]:
    return normaliser.words(text)[0]


def entities(normaliser: Normaliser, text: str) -> list[str]:
    return normaliser.words(text)[1]


# --- entities -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["U.S.", "US", "American", "Yanks", "America", "USA", "the States", "Uncle Sam"])
def test_every_name_of_the_united_states_becomes_the_entity_us(normaliser: Normaliser, name: str) -> None:
    assert words(normaliser, f"{name} troops left") == ["@us", "troops", "left"]
    assert entities(normaliser, f"{name} troops left") == ["us"]


def test_the_us_names_all_normalise_to_the_same_words(normaliser: Normaliser) -> None:
    variants = ["U.S. troops left Iraq", "US troops left Iraq", "American troops left Iraq",
                "Yanks troops left Iraq", "America troops left Iraq"]
    assert {tuple(words(normaliser, v)) for v in variants} == {("@us", "troops", "left", "@iraq")}


def test_lowercase_us_before_troops_is_the_united_states(normaliser: Normaliser) -> None:
    assert words(normaliser, "us troops are still in iraq")[:2] == ["@us", "troops"]
    assert set(entities(normaliser, "us troops are still in iraq")) == {"us", "iraq"}


def test_lowercase_us_as_a_pronoun_is_not_the_united_states(normaliser: Normaliser) -> None:
    assert words(normaliser, "tell us the truth") == ["tell", "us", "the", "truth"]
    assert entities(normaliser, "tell us the truth") == []
    assert entities(normaliser, "let us know") == []


def test_irak_is_iraq(normaliser: Normaliser) -> None:
    assert words(normaliser, "Irak") == ["@iraq"]
    assert words(normaliser, "irak") == ["@iraq"]


@pytest.mark.parametrize("name", ["Ain al Asad", "Al Asad airbase", "Ain al-Asad", "AIN AL ASAD",
                                  "ain al-asad air base", "Ain al-Asad airbase"])
def test_spellings_of_ain_al_asad_become_one_entity(normaliser: Normaliser, name: str) -> None:
    assert words(normaliser, f"US troops left {name}") == ["@us", "troops", "left", "@ain-al-asad"]


def test_entities_are_reported_in_order_of_mention(normaliser: Normaliser) -> None:
    assert entities(normaliser, "US troops left Iraq") == ["us", "iraq"]


@pytest.mark.parametrize("text", ["Defence Minister al-Abassi confirmed it", "defense minister Abbasi confirmed it",
                                  "Minister al-Abbasi confirmed it", "Mr. al-Abassi confirmed it",
                                  "former Defence Minister Thabet al-Abbasi confirmed it"])
def test_a_title_before_a_persons_name_is_part_of_the_name(normaliser: Normaliser, text: str) -> None:
    assert words(normaliser, text) == ["@al-abassi", "confirmed", "it"]


def test_a_title_without_a_name_stays_a_word(normaliser: Normaliser) -> None:
    assert words(normaliser, "the defence minister confirmed it") == ["the", "defence", "minister", "confirmed", "it"]
    assert words(normaliser, "the minister of defence, al-Abassi") == ["the", "minister", "of", "defence",
                                                                        "@al-abassi"]


@pytest.mark.parametrize("text", ["Is it true that US troops left Iraq", "is it true that us troops left iraq",
                                  "ISIS is still a threat"])
def test_the_verb_is_is_not_the_islamic_state(normaliser: Normaliser, text: str) -> None:
    assert words(normaliser, text).count("@isis") == text.count("ISIS")


@pytest.mark.parametrize("text", ["IS", "IS IT TRUE THAT US TROOPS LEFT IRAQ", "THE US IS LEAVING IRAQ"])
def test_the_verb_is_shouted_in_capitals_is_not_the_islamic_state(normaliser: Normaliser, text: str) -> None:
    assert "isis" not in entities(normaliser, text)


def test_a_shouted_question_normalises_like_the_same_question_in_lower_case(normaliser: Normaliser) -> None:
    shouted = normaliser.normalise("ALL US FORCES WILL BE OUT OF IRAQ BY SEPTEMBER 2026!!!")
    quiet = normaliser.normalise("all us forces will be out of iraq by september 2026")
    assert shouted.words == quiet.words
    assert shouted.terms == quiet.terms


@pytest.mark.parametrize("text", ["American troops left Iraq.", "american, troops... left iraq?!",
                                  "AMERICAN TROOPS LEFT IRAQ", "“American” troops — left Iraq"])
def test_case_and_punctuation_do_not_matter(normaliser: Normaliser, text: str) -> None:
    assert words(normaliser, text) == ["@us", "troops", "left", "@iraq"]


# --- months and numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Sept", "sept", "Sep", "sep", "September", "SEPTEMBER"])
def test_abbreviations_of_september_become_september(normaliser: Normaliser, spelling: str) -> None:
    assert words(normaliser, f"by {spelling} 2026") == ["by", "september", "2026"]


@pytest.mark.parametrize("written", ["2,500", "2.500", "2500", "2 500"])
def test_thousands_separators_give_one_canonical_number(normaliser: Normaliser, written: str) -> None:
    assert words(normaliser, f"{written} troops") == ["2500", "troops"]


def test_a_decimal_before_million_keeps_its_decimal_point(normaliser: Normaliser) -> None:
    assert words(normaliser, "3.4 million people") == ["3.4", "million", "people"]


def test_canonical_numbers_reads_k_as_thousands_and_leaves_decimals() -> None:
    assert canonical_numbers("2.5k troops") == "2500 troops"
    assert canonical_numbers("about 3.4 million") == "about 3.4 million"
    assert canonical_numbers("168,000 at the peak") == "168000 at the peak"


# --- concepts and terms ---------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["pulled out", "pulling out", "pull out", "pull-out", "drawdown"])
def test_pulling_out_is_the_concept_withdraw(normaliser: Normaliser, phrase: str) -> None:
    norm = normaliser.normalise(f"US troops {phrase} of Iraq")
    assert "withdraw" in norm.terms


def test_withdrawal_words_share_one_concept_term(normaliser: Normaliser) -> None:
    for text in ("troops withdrew", "soldiers left", "forces departed", "troops evacuated"):
        assert normaliser.normalise(text).terms == ("troop", "withdraw"), text


def test_are_left_in_iraq_says_how_many_are_there_not_that_any_left(normaliser: Normaliser) -> None:
    norm = normaliser.normalise("1,000 troops are left in Iraq")
    assert "withdraw" not in norm.terms
    assert norm.words == ("1000", "troops", "are", "in", "@iraq")


def test_terms_leave_out_stop_words_numbers_and_dates(normaliser: Normaliser) -> None:
    norm = normaliser.normalise("Is it true that 2,500 US troops will leave Iraq by the end of 2026?")
    assert norm.terms == ("@us", "troop", "withdraw", "@iraq")


def test_terms_are_distinct_and_in_order(normaliser: Normaliser) -> None:
    # "troops" and "soldiers", "left": the starter base's vocabulary reads them as one concept each
    assert normaliser.terms("troops soldiers left Iraq troops") == ("troop", "withdraw", "@iraq")

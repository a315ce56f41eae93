"""claims/language.py: statements in another language, or mixing scripts, are not checked."""

from __future__ import annotations

import pytest

from claims.language import english_problem


@pytest.mark.parametrize("statement", [
    "Les États-Unis ont déjà promis de retirer leurs forces d'Irak.",
    "Der Abzug der US-geführten Koalition aus dem Irak soll in zwei Phasen erfolgen.",
    "Estados Unidos retirará todas sus tropas de Irak en 2026.",
    "Türkiye, Kuzey Irak'taki Kürt güçlerine savaş uçaklarıyla saldırdı.",
    "Stany Zjednoczone wycofają wojska z Iraku do 2026 roku.",
    "Amerika Serikat akan menarik pasukannya dari Irak pada tahun 2026.",
    "أكد مسؤولون أمريكيون أن الجدول الزمني لم يتأثر",
    "США выведут войска из Ирака к сентябрю 2026 года.",
    "美国将在2026年9月前从伊拉克撤出所有部队",
])
def test_other_languages_are_recognised(statement: str) -> None:
    assert english_problem(statement) == "it is not written in English"


def test_english_mixed_with_another_script_is_recognised() -> None:
    assert english_problem("US troops left Iraq in 2011, غادرت") == "it mixes English with another script"
    assert english_problem("US troops غادرت العراق in 2011") == "it is not written in English"  # mostly Arabic


@pytest.mark.parametrize("statement", [
    "Hashd al-Shaabi has about 150,000 members.",
    "Türkiye bombed Kurdish fighters in northern Iraq.",
    "Daesh was defeated in Iraq in 2017.",
    "wait r the yanks really leaving ain al-asad this sept??",
    "US troops in Irak number about 2500",
    "see https://english.iswnews.com/?p=38320 for the withdrawal from Baghdad",
    "2017",
])
def test_english_with_foreign_names_and_chat_is_english(statement: str) -> None:
    assert english_problem(statement) is None

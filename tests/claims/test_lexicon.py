"""claims/lexicon and claims/lemmas: the engine's English knowledge, read from shipped tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from claims.lemmas import lemmas, past_form
from claims.lexicon import WORDNET, lexicon, read_polarity

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("a", "b"), [
    ("increase", "decrease"), ("accept", "reject"), ("victory", "defeat"), ("capable", "incapable"),
    ("applaud", "denounce"),  # a kind of "praise" against a kind of "criticize" (WordNet)
    ("praise", "criticism"),  # the noun derived from "criticize"
    ("confirm", "deny"), ("deploy", "withdraw"), ("resume", "cease"), ("counter", "boost"),  # curated
    ("before", "after"), ("impose", "lift"),
])
def test_opposite_meanings_are_known_both_ways(a: str, b: str) -> None:
    assert lexicon().opposite(a, b) and lexicon().opposite(b, a)


@pytest.mark.parametrize(("a", "b"), [("increase", "increase"), ("leave", "depart"), ("attack", "strike"),
                                      ("troops", "forces"), ("praise", "applaud")])
def test_words_that_are_not_opposites(a: str, b: str) -> None:
    assert not lexicon().opposite(a, b)


def test_a_general_word_covers_a_specific_one_and_not_the_reverse() -> None:
    assert lexicon().covers("group", "force")
    assert lexicon().covers("attack", "bomb")
    assert not lexicon().covers("bomb", "attack")


def test_sister_names_exclude_each_other_but_synonyms_do_not() -> None:
    assert lexicon().sisters("sunni", "shia")
    assert not lexicon().sisters("shia", "shiah")
    assert not lexicon().sisters("sunni", "sunni")


def test_the_curated_list_reads_as_axes_of_lemmas() -> None:
    axes = read_polarity()
    assert (["before"], ["after"]) in axes
    assert all(left and right and all(w == w.strip().lower() for w in left + right) for left, right in axes)


@pytest.mark.parametrize(("word", "verb"), [
    ("withdrew", "withdraw"), ("flew", "fly"), ("went", "go"), ("left", "leave"), ("began", "begin"),
    ("leaved", "leave"),  # a regularised irregular verb is still meant as past
    ("withdrw", "withdraw"), ("relocatd", "relocate"), ("departd", "depart"),  # one letter dropped
])
def test_past_forms_irregular_and_misspelt_read_as_past(word: str, verb: str) -> None:
    assert past_form(word) == verb


@pytest.mark.parametrize("word", ["withdraw", "troops", "strikes", "militias", "iraqi", "sunni", "ago"])
def test_words_that_are_not_past_forms(word: str) -> None:
    assert past_form(word) is None


def test_lemmas_know_irregular_forms() -> None:
    assert lemmas("withdrew") == ("withdraw",)
    assert "strike" in lemmas("strikes")


@pytest.mark.skipif(not Path("/usr/share/wordnet/data.noun").exists(), reason="needs Debian's wordnet-base")
def test_the_shipped_table_is_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "wordnet.json.gz"
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_lexicon.py"), "/usr/share/wordnet", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == WORDNET.read_bytes()

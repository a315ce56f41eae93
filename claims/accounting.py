"""Support means every part is accounted for: which parts of a statement a version speaks to.

A statement's content words (its predicate, the nouns and modifiers of its participants) are
each looked for in a version's evidence (`claims.evidence`). A word is accounted for when the
evidence has it: the same word or lemma ("withdrew" / "withdraw"), the same concept ("pulled
out" / "left"), a WordNet synonym, a more specific word ("groups" is said by "forces"), or a
misspelling of one. The firmest way the sources say it must match what the statement asserts:
a plan does not settle that it happened, a "may" does not settle that it will.

A word the evidence does not have is:

- opposite:  the evidence says its opposite next to the same context ("applauded the strikes"
             against "denounced US strikes");
- contrast:  the evidence names a sister alternative in its place ("Sunni militias" against
             "Shia militias");
- missing:   the evidence does not speak to it: at best unverified, and the reply names it.

The opposite and the contrast are tested only here, after a claim is matched, and only against
that claim's texts: WordNet pools word senses, so as a retrieval signal it would over-fire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from claims.evidence import MODES, Evidence, word_forms
from claims.extract import HEDGES, INTENT_VERBS, NEGATIONS, PLAN_MARKERS, SAY_WORDS, Details
from claims.lemmas import lemmas, past_form
from claims.lexicon import Lexicon
from claims.lexicon import lexicon as _lexicon
from claims.text import (
    ENTITY_PREFIX,
    KEEP_WORDS,
    MONTH_NAMES,
    STOP_WORDS,
    SYNONYMS,
    WORD_NUMBERS,
    TermReader,
    term_of,
)

CONCEPTS = frozenset(SYNONYMS)

# Words that carry no claim of their own: light verbs, generic nouns, intensifiers. English
# knowledge, not any topic's.
LIGHT_WORDS = frozenset("""
be become became becomes get gets got take takes took give gives gave put puts let lets seem seems
seemed use used uses help helps helped play plays played want wants need needs try tries tried show shows showed
mean means meant look looks looked keep kept find found include includes included involve involves involved
thing things part parts way ways lot lots kind kinds type types sort sorts number numbers time times fact facts
issue issues matter matters question questions point points case cases role roles level levels amount amounts
effort efforts manner side sides people person persons area areas place places world today tonight
really actually also just even still now currently recently again ever indeed certainly definitely officially
publicly allegedly apparently basically literally various several many much major main key big large small
important significant significantly new other others former current own same different total overall entire whole
further additional another good bad well very so such quite rather pretty fairly truly totally
true false correct right wrong real fake news report reports reported story claim claims rumour rumor
there here something anything everything nothing someone anyone everyone somebody anybody everybody
""".split())  # noqa: SIM905
# Nouns naming who speaks ("US officials said"): the attribution, not what is claimed.
SPEAKER_NOUNS = frozenset({"official", "officials", "source", "sources", "spokesman", "spokeswoman", "spokesperson",
                           "authorities", "government", "ministry", "minister"})
# "during", "since", "until": relations between times, which the dates settle.
TIME_RELATIONS = frozenset({"during", "since", "until", "till"})
QUESTION_WORDS = frozenset({"what", "when", "where", "why", "how", "who", "whom", "which", "whether"})
# Particles that make one verb with the word before them ("carried out", "handed over").
PARTICLES = frozenset({"out", "over", "back", "up", "down", "off", "away", "in", "on"})
# How close (in words) a word's context must be to count as the same place in a sentence.
WINDOW = 4
FUZZY = 85.0


@dataclass(frozen=True)
class Part:
    """A content word of a statement, with the forms it is known by."""

    index: int
    word: str
    forms: frozenset[str]
    lemmas: tuple[str, ...]


@dataclass
class Accounting:
    """How one version accounts for a statement's content words."""

    missing: list[str] = field(default_factory=list)
    opposite: list[tuple[str, str]] = field(default_factory=list)  # (statement word, evidence word)
    contrast: list[tuple[str, str]] = field(default_factory=list)
    unfirm: list[tuple[str, str]] = field(default_factory=list)  # (word, "plan" / "hedged"): said less firmly
    denied: list[str] = field(default_factory=list)  # the sources say it is not so


def content_parts(words: list[str], details: Details, term: TermReader = term_of) -> list[Part]:
    """The statement's content words: what it claims beyond its details, entities and filler
    (`term`: the base's `Vocabulary.term_of`, as its evidence was read with)."""
    parts: list[Part] = []
    skip = set(details.consumed)
    for i, word in enumerate(words):
        if i in skip or word.startswith(ENTITY_PREFIX) or not word.isalpha() or len(word) < 2:
            continue
        if word in MONTH_NAMES or word in WORD_NUMBERS or word in LIGHT_WORDS or word in QUESTION_WORDS:
            continue
        if (word in STOP_WORDS and word not in KEEP_WORDS | {"before", "after"}) or word in TIME_RELATIONS:
            continue
        if word in NEGATIONS or word in HEDGES or word in PLAN_MARKERS or word in ("to", "percent"):
            continue
        if word in PARTICLES and parts and parts[-1].index == i - 1:
            continue  # "carried out": one verb with the word before
        if words[i + 1: i + 2] == ["to"] and (past_form(word) or word) in INTENT_VERBS:
            continue  # "agreed to complete": says the completing is agreed, checked as a plan
        names = list(lemmas(word))
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in PARTICLES:
            verb = past_form(word) or names[0]
            names.insert(0, f"{verb} {nxt}")
        forms = word_forms(word, term) | {n for n in names}
        parts.append(Part(i, word, frozenset(forms), tuple(names)))
    return parts


def account(parts: list[Part], words: list[str], says_not: bool, evidence: Evidence,
            lexicon: Lexicon, statement_mode: str) -> Accounting:
    """How `evidence` accounts for each part; `says_not`: the statement's own words deny;
    `statement_mode` is what it asserts: "done", "plan", "state" or "hedged"."""
    result = Accounting()
    for part in parts:
        if (part.word in SAY_WORDS or part.word in SPEAKER_NOUNS) and evidence.speakers:
            continue  # the attribution ("Iraqi officials said"), checked against who the sources quote
        # The word itself (a concept that groups it with its opposite, "victory" with "defeat",
        # does not count), then its opposite, then synonyms, more specific words, misspellings.
        mode = evidence.mode_of(set(part.forms) - _opposite_concepts(part, lexicon))
        if mode is None:
            found, denied_mode = _opposite(part, words, evidence, lexicon)
            if found and denied_mode is None:
                result.opposite.append((part.word, found))
                continue
            # "will end" against "may not be able to continue": the opposite, denied, agrees
            mode = denied_mode or _related_mode(part, evidence, lexicon)
        if mode is not None:
            if mode == "negated" and not says_not:
                result.denied.append(part.word)
            elif mode == "plan" and statement_mode == "done":
                result.unfirm.append((part.word, "plan"))
            elif mode == "hedged" and statement_mode != "hedged":
                result.unfirm.append((part.word, "hedged"))
            continue
        found = _sister(part, words, evidence, lexicon)
        if found:
            result.contrast.append((part.word, found))
            continue
        result.missing.append(part.word)
    return result


def _opposite_concepts(part: Part, lexicon: Lexicon) -> set[str]:
    """The part's matcher concepts that mean its opposite ("defeat" for "victory")."""
    return set(_opposite_concepts_of(part.forms, part.lemmas))


@lru_cache(maxsize=65536)
def _opposite_concepts_of(forms: frozenset[str], lemmas_: tuple[str, ...]) -> frozenset[str]:
    lexicon = _lexicon()
    return frozenset(f for f in forms if f in CONCEPTS and any(lexicon.opposite(lemma, f) for lemma in lemmas_))


def _related_mode(part: Part, evidence: Evidence, lexicon: Lexicon) -> str | None:
    """The firmest mode of the evidence words that are synonyms of the part, more specific than
    it, or the part misspelt; None when there are none."""
    if not any(lexicon.known(lemma) for lemma in part.lemmas) and len(part.word) < 5:
        return None  # neither a word WordNet knows nor long enough to be a misspelling
    senses = _senses_of(part.lemmas)
    term = evidence.vocabulary.term_of
    modes = [evidence.mode_of(word_forms(w, term)) for w in evidence.words if _related(part.word, senses, w)]
    found = [m for m in modes if m is not None]
    return min(found, key=MODES.index) if found else None


def _related(mine_word: str, senses: frozenset[int], word: str) -> bool:
    """Whether an evidence word says what the part says: the part misspelt, a synonym (a sense in
    common), or a kind of it (one of its senses is, or sits under, a sense of the part)."""
    if len(mine_word) >= 5 and len(word) >= 5 and mine_word[0] == word[0] and fuzz.ratio(mine_word, word) >= FUZZY:
        return True
    return not senses.isdisjoint(_reaches(word))


@lru_cache(maxsize=65536)
def _senses_of(mine: tuple[str, ...]) -> frozenset[int]:
    """The senses of a part's lemmas that WordNet knows."""
    lexicon = _lexicon()
    return frozenset(s for lemma in mine if lexicon.known(lemma) for s in lexicon.senses(lemma))


@lru_cache(maxsize=262144)
def _reaches(word: str) -> frozenset[int]:
    """Every sense of the word's lemmas and what each is a kind of (up the hierarchy): a part is
    related to the word when one of its senses is here. Kept per word, for every claim's evidence."""
    lexicon = _lexicon()
    out: set[int] = set()
    for lemma in lemmas(word):
        for sense in lexicon.senses(lemma):
            out |= lexicon.ancestors(sense)
    return frozenset(out)


def _context(words: list[str], index: int, term: TermReader) -> set[str]:
    """The terms around a word: what makes two mentions be about the same thing."""
    out = set()
    for j in range(max(0, index - WINDOW), min(len(words), index + WINDOW + 1)):
        if j != index:
            found = term(words[j])
            if found:
                out.add(found)
    return out


def _opposite(part: Part, words: list[str], evidence: Evidence, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """An evidence word meaning the opposite of the part, said about the same thing; and, when
    the evidence denies it ("may not ... continue" for "end"), the mode it is said in."""
    if not any(lexicon.has_opposite(lemma) for lemma in part.lemmas):
        return None, None  # no word means its opposite: nothing to look for
    term = evidence.vocabulary.term_of
    mine = _context(words, part.index, term)
    for sentence in evidence.plain:
        for j, word in enumerate(sentence.words):
            if word.startswith(ENTITY_PREFIX) or not word.isalpha():
                continue
            theirs = list(lemmas(word))
            if j + 1 < len(sentence.words) and sentence.words[j + 1] in PARTICLES:
                theirs.insert(0, f"{past_form(word) or theirs[0]} {sentence.words[j + 1]}")
            opposite = any(lexicon.opposite(a, b) for a in part.lemmas for b in theirs)
            if opposite and mine & _context(sentence.words, j, term):
                if sentence.denied[j]:
                    return word, "fact" if sentence.modes[j] == "negated" else sentence.modes[j]
                return word, None
    return None, None


def _sister(part: Part, words: list[str], evidence: Evidence, lexicon: Lexicon) -> str | None:
    """An alternative of the same kind the evidence names in the part's place ("shia" for "sunni")."""
    if not any(lexicon.has_sisters(lemma) for lemma in part.lemmas):
        return None  # it names no alternative of a kind
    neighbours = {w for w in words[max(0, part.index - 2): part.index + 3] if w != part.word}
    for sentence in evidence.plain:
        if sentence.alias:
            continue
        for j, raw in enumerate(sentence.raw):
            if any(lexicon.sisters(mine, raw) for mine in part.lemmas):
                around = set(sentence.raw[max(0, j - 2): j + 3]) - {raw}
                if neighbours & around - STOP_WORDS:
                    return raw
    return None

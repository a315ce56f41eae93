"""Word forms: the lemmas of a word and whether it is a past form, irregular or misspelt ones included.

The Snowball stemmer reads "flew", "withdrew" and "went" as words of their own; `lemminflect`
(an English lemmatiser that ships its tables) knows them as forms of "fly", "withdraw" and "go".
A misspelt past form ("withdrw", "relocatd") is read as the past form one letter away from it.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import lemminflect

_PAST_TAGS = ("VBD", "VBN")
_LOCK = threading.Lock()
_PAST: dict[str, str] | None = None  # past form -> its verb
_PAST_NEAR: dict[str, set[str]] | None = None  # a past form with one letter deleted -> past forms


_LEMMATIZER = lemminflect.Lemmatizer()


@lru_cache(maxsize=65536)
def readings(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of a word by part of speech ({"VERB": ("leave",), ...}), read from
    its tables directly: its own lookup deep-copies them on every call, a cost that shows when a
    large base is read word by word. Treat the result as read-only."""
    word = word.lower()
    found = dict(_LEMMATIZER._getLemmaDict().get(word, {}))
    found.update(_LEMMATIZER._getOverridesDict().get(word, {}))
    return found


def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verbs a word can be a form of."""
    return readings(word).get("VERB", ())


@lru_cache(maxsize=65536)
def lemmas(word: str) -> tuple[str, ...]:
    """The word's lemmas (verb first, then noun, adjective, adverb), or the word itself."""
    found = readings(word)
    out: list[str] = []
    for pos in ("VERB", "AUX", "NOUN", "ADJ", "ADV", "PROPN"):
        for lemma in found.get(pos, ()):
            lemma = lemma.lower()
            if lemma not in out:
                out.append(lemma)
    return tuple(out) or (word,)


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str | None:
    """The verb the word is a form of, if it is one."""
    found = readings(word)
    verbs = found.get("VERB") or found.get("AUX")
    return verbs[0].lower() if verbs else None


def _past_tables() -> tuple[dict[str, str], dict[str, set[str]]]:
    """(past form -> its verb, a past form with one letter deleted -> past forms): the second is
    only for reading misspellings, and is built with the first."""
    global _PAST_NEAR
    past = _past_forms()
    if _PAST_NEAR is None:
        with _LOCK:
            if _PAST_NEAR is None:
                near: dict[str, set[str]] = {}
                for form in past:
                    if len(form) >= 5:
                        for i in range(len(form)):
                            near.setdefault(form[:i] + form[i + 1:], set()).add(form)
                _PAST_NEAR = near
    return past, _PAST_NEAR


def _past_forms() -> dict[str, str]:
    """Every past form lemminflect's tables know, with its verb (the matcher reads irregular
    forms with it: normalising a large base needs only this, not the misspelling index)."""
    global _PAST
    if _PAST is None:
        with _LOCK:
            if _PAST is None:
                past: dict[str, str] = {}
                table = lemminflect.Inflections()._getInflDict()  # the bundled table: lemma -> tag -> forms
                for lemma, forms in table.items():
                    for tag in _PAST_TAGS:
                        for form in forms.get(tag, ()):
                            if form.isalpha() and form.islower():
                                past.setdefault(form, lemma)
                _PAST = past
    return _PAST


@lru_cache(maxsize=16384)
def past_form(word: str) -> str | None:
    """The verb of which `word` is a past form ('withdrew' -> 'withdraw'), else None.

    Regularised irregulars ('leaved') and misspellings one letter away from a past form
    ('withdrw' for 'withdrew') count: what a writer meant as past is read as past."""
    past, near = _past_tables()
    if word in past:
        return past[word]
    if not word.isalpha() or len(word) < 4:
        return None
    known = readings(word)
    if word.endswith("ed") and not (known.get("VERB") or known.get("NOUN")):
        guessed = lemminflect.getAllLemmasOOV(word, "VERB").get("VERB", ())
        if guessed and guessed[0] in _verbs():
            return guessed[0]
    if known or len(word) < 5 or _english_word(word):
        return None
    # One letter dropped ('withdrw'), added ('leftt'), changed ('witdrew') or two swapped.
    candidates = set(near.get(word, ()))
    for i in range(len(word)):
        shorter = word[:i] + word[i + 1:]
        if shorter in past:
            candidates.add(shorter)
        candidates |= {c for c in near.get(shorter, ()) if _one_change(word, c)}
    verbs = {past[c] for c in candidates}
    return verbs.pop() if len(verbs) == 1 else None


def _one_change(a: str, b: str) -> bool:
    """Same length, and one letter changed or two neighbours swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                               and a[diff[1]] == b[diff[0]])


@lru_cache(maxsize=65536)
def irregular_past(word: str) -> str | None:
    """The verb of an irregular past form ("sent" -> "send", "fled" -> "flee"); None for regular
    forms ("attacked") and for everything else. Only the shipped tables are read: no guessing."""
    if not word.isalpha():
        return None
    verb = _past_forms().get(word)
    if verb is None or verb == word:
        return None
    regular = {verb + "ed", verb + "d", verb[:-1] + "ied", verb + verb[-1:] + "ed"}
    return None if word in regular else verb


@lru_cache(maxsize=16384)
def simple_past(word: str) -> bool:
    """Whether `word` can be a simple past ('withdrew', 'left', 'attacked'), not only a participle
    ('withdrawn', 'gone'). A misspelt or regularised past form counts as one."""
    if past_form(word) is None:
        return False
    table = lemminflect.Inflections()._getInflDict()
    verb = _past_forms().get(word)
    if verb is None:
        return True  # read as past from its spelling
    return word in table.get(verb, {}).get("VBD", ())


def _english_word(word: str) -> bool:
    """A real word ('three') is not a misspelt past form ('threw')."""
    from claims.lexicon import lexicon  # the lexicon is read on first use only

    return lexicon().known(word)


def warm_up() -> None:
    """Read every table this module uses now, once, rather than on the first word that needs each
    (the tables take a fraction of a second: better paid by the first check than by the tenth)."""
    _LEMMATIZER._getLemmaDict()
    _past_tables()
    _verbs()
    lemminflect.getAllLemmasOOV("walked", "VERB")  # loads the out-of-vocabulary model


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    return frozenset(lemminflect.Inflections()._getInflDict())

"""What one version of a claim says, read for accounting: its words, how firmly each is said, and who
does what to whom.

A version's evidence is its own text and its sources' quotes (what the sources say), plus the
claim's curated wordings (the claim's statement and aliases: the words the curators use for it).
Each word of the sources' texts carries a mode, read clause by clause:

- "fact":    said as so ("the attacks ceased in April 2024");
- "plan":    said as intended or scheduled, after "will", "is to", "set to", "planned",
             "committed to"... ("the coalition's mission in Baghdad will end");
- "hedged":  said as possible only, after "may", "could", "is expected to", "it remains unclear
             whether", "can be seen as" ("could be made later this month");
- "negated": said not to be so ("has not yet been signed").

A word keeps the firmest mode any of its occurrences has.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import lemminflect

from claims.extract import Details, extract
from claims.lemmas import lemmas, past_form
from claims.models import Claim, Version
from claims.roles import Role, roles
from claims.text import ENTITY_PREFIX, stem, term_of

MODES = ("fact", "plan", "hedged", "negated")  # firmest first
HEDGE_MARKERS = {"may", "might", "could", "possibly", "perhaps", "probably", "likely", "unlikely", "unclear",
                 "uncertain", "whether", "if", "maybe", "potentially", "should", "would"}
PLAN_MARKERS = {"will", "shall", "planned", "scheduled", "set", "due", "going", "committed", "intends", "aims",
                "pledged", "promised", "proposed", "expects", "plans", "plan", "intended", "envisaged"}
NEGATION_MARKERS = {"not", "never", "no", "without", "neither", "nor"}
# Clauses end at punctuation and at words that start another clause.
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]—–]+|\s-\s|\b(?:but|while|whereas|although|though|which|who)\b",
                           re.IGNORECASE)


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """The forms a word is known by: itself, its lemmas, its matcher term and stem."""
    forms = {word, stem(word)}
    term = term_of(word)
    if term:
        forms.add(term)
    for lemma in lemmas(word):
        forms.add(lemma)
        forms.add(stem(lemma))
        term = term_of(lemma)
        if term:
            forms.add(term)
    past = past_form(word)
    if past:
        forms.update((past, stem(past)))
    return frozenset(forms)


def modes_of(words: list[str]) -> list[str]:
    """The mode of each word of one clause: what comes after a marker is said in its mode."""
    out: list[str] = []
    mode = "fact"
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        out.append(mode)  # the marker itself is said as before it ("promised" is a fact)
        if word in HEDGE_MARKERS or (word == "expected" and nxt == "to") or (word == "seen" and nxt == "as"):
            mode = "hedged"
        elif mode == "fact" and (_plan_marker(words, i) or (word in ("is", "are", "was", "were") and nxt == "to")):
            mode = "plan"
        elif word in NEGATION_MARKERS and mode == "fact":
            mode = "negated"
    return out


def _plan_marker(words: list[str], i: int) -> bool:
    """'will', 'set to', 'scheduled'... but not 'due to' a cause ("delayed due to tensions")."""
    if words[i] == "due":
        after = words[i + 1: i + 3]
        return after[:1] in (["by"], ["in"], ["on"], ["for"]) or (
            after[:1] == ["to"] and len(after) == 2 and bool(lemminflect.getAllLemmas(after[1]).get("VERB")))
    return words[i] in PLAN_MARKERS


def clauses(text: str) -> list[str]:
    """The clauses of a text, split where another clause starts."""
    return [c for c in (part.strip() for part in _CLAUSE_BREAK.split(text)) if c]


@dataclass
class Sentence:
    """One clause of an evidence text: its normalised words and the mode of each."""

    words: list[str]
    modes: list[str]
    raw: list[str]  # the clause's own lower-case words, names included ("shia" in "Shia militias")
    source: bool  # from the sources (version text or quote), not a curated wording


@dataclass
class Evidence:
    """Everything one version (with its claim's wordings) says, ready for accounting.

    The word tables are read at once; roles and the details the texts give only when a
    statement needs them (most statements name no figure, and read no roles)."""

    sentences: list[Sentence] = field(default_factory=list)
    best_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the sources' texts
    wording_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the curated wordings
    raw: set[str] = field(default_factory=set)  # every word as written, those inside names included
    speakers: set[str] = field(default_factory=set)
    published: list[date] = field(default_factory=list)
    source_words: list[list[str]] = field(default_factory=list)  # each source text's words
    wording_words: list[list[str]] = field(default_factory=list)  # each curated wording's words

    @cached_property
    def roles(self) -> set[Role]:
        """Who does what to whom in the texts (read across a text: a subject may precede a comma)."""
        out: set[Role] = set()
        for words in (*self.source_words, *self.wording_words):
            out |= roles(words)
        return out

    @cached_property
    def details(self) -> Details:
        """The dates, counts and durations the sources' texts give."""
        return extract([w for words in self.source_words for w in (*words, CLAUSE_MARK)])

    @cached_property
    def wording_details(self) -> Details:
        """...and those the curated wordings give."""
        return extract([w for words in self.wording_words for w in (*words, CLAUSE_MARK)])

    @cached_property
    def words(self) -> frozenset[str]:
        """Every distinct word of the texts (names aside)."""
        return frozenset(w for sentence in self.sentences for w in sentence.words
                         if w.isalpha() and not w.startswith(ENTITY_PREFIX))

    def mode_of(self, forms: set[str]) -> str | None:
        """The firmest mode the sources say any of these forms in; for what only the curated
        wordings say, the mode they say it in (they keep the sources' "may" and "will").
        None: nothing here says it."""
        for table in (self.best_mode, self.wording_mode):
            found = [table[f] for f in forms if f in table]
            if found:
                return min(found, key=MODES.index)
        return "fact" if forms & self.raw else None


_RAW_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


CLAUSE_MARK = "qxbreakq"  # survives normalising, so a text is normalised once and cut after


def read_wordings(claim: Claim, words_of: Callable[[str], list[str]]) -> Evidence:
    """The part of the evidence every version of a claim shares: its curated wordings."""
    evidence = Evidence()
    for text in claim.texts():
        _read_text(evidence, text, words_of, is_source=False)
    return evidence


def read_evidence(claim: Claim, version: Version, words_of: Callable[[str], list[str]],
                  resolve: Callable[[str], str | None], published: list[date],
                  wordings: Evidence | None = None) -> Evidence:
    """Read a version's evidence: `words_of` normalises a text, `resolve` names an entity;
    `wordings` is the claim's `read_wordings`, read once for all its versions."""
    shared = wordings if wordings is not None else read_wordings(claim, words_of)
    evidence = Evidence(published=published, wording_mode=shared.wording_mode, wording_words=shared.wording_words,
                        sentences=list(shared.sentences), raw=set(shared.raw))
    for text in (version.text, *(s.quote for s in version.sources)):
        _read_text(evidence, text, words_of, is_source=True)
    speakers = {version.values.speaker} if version.values.speaker else set()
    speakers |= {resolved for s in version.sources if s.said_by and (resolved := resolve(s.said_by))}
    evidence.speakers = speakers
    return evidence


def _read_text(evidence: Evidence, text: str, words_of: Callable[[str], list[str]], is_source: bool) -> None:
    pieces = clauses(text)
    marked = words_of(f" {CLAUSE_MARK} ".join(pieces))
    (evidence.source_words if is_source else evidence.wording_words).append([w for w in marked if w != CLAUSE_MARK])
    table = evidence.best_mode if is_source else evidence.wording_mode
    for piece, words in zip(pieces, _cut(marked), strict=False):
        if not words:
            continue
        sentence = Sentence(words, modes_of(words), _RAW_WORD.findall(piece.lower().replace("’", "'")), is_source)
        evidence.sentences.append(sentence)
        evidence.raw.update(sentence.raw)
        for word, mode in zip(words, sentence.modes, strict=True):
            if word.startswith(ENTITY_PREFIX):
                continue
            for form in word_forms(word):
                current = table.get(form)
                if current is None or MODES.index(mode) < MODES.index(current):
                    table[form] = mode


def _cut(words: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for word in words:
        if word == CLAUSE_MARK:
            out.append([])
        else:
            out[-1].append(word)
    return out

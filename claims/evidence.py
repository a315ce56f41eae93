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

from claims.extract import OPINION_VERBS, Details, extract
from claims.lemmas import lemmas, past_form, readings
from claims.lexicon import lexicon
from claims.models import Claim, Version
from claims.roles import CURATED, SENTENCE_MARK, Role, roles
from claims.text import ENGLISH, PHRASES, TermReader, Vocabulary, stem, term_of

MODES = ("fact", "plan", "hedged", "negated")  # firmest first
HEDGE_MARKERS = {"may", "might", "could", "possibly", "perhaps", "probably", "likely", "unlikely", "unclear",
                 "uncertain", "whether", "if", "maybe", "potentially", "should", "would", *OPINION_VERBS}
PLAN_MARKERS = {"will", "shall", "planned", "scheduled", "set", "due", "going", "committed", "intends", "aims",
                "pledged", "promised", "proposed", "expects", "plans", "plan", "intended", "envisaged"}
NEGATION_MARKERS = {"not", "never", "no", "without", "neither", "nor"}
# Clauses end at punctuation and at words that start another clause.
# (A point or comma between digits is part of a number: "8.8", "2,500".)
_CLAUSE_BREAK = re.compile(r"(?!(?<=\d)[.,]\d)[,;:.!?()\[\]—–]+|\s-\s"
                           r"|\b(?:but|while|whereas|although|though|which|who)\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def word_forms(word: str, term: TermReader = term_of) -> frozenset[str]:
    """The forms a word is known by: itself, its lemmas, its matcher term (`term`: a base's
    `Vocabulary.term_of`) and stem. A matcher concept that groups the word with its opposite is
    left out ("victory" is not "defeat")."""
    own = {word, *lemmas(word)}
    past = past_form(word)
    if past:
        own.add(past)
    forms = set(own)
    for name in own:
        forms.add(stem(name))
        concept = term(name)
        if concept and not any(lexicon().opposite(mine, concept) for mine in own):
            forms.add(concept)
    return frozenset(forms)


def modes_of(words: list[str]) -> list[str]:
    """The mode of each word of one clause: what comes after a marker is said in its mode."""
    out: list[str] = []
    mode = "fact"
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        out.append(mode)  # the marker itself is said as before it ("promised" is a fact)
        if word in HEDGE_MARKERS or word == "expected" or (word == "seen" and nxt == "as"):
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
        verbs = readings(after[1]).get("VERB") if len(after) == 2 else None
        return after[:1] in (["by"], ["in"], ["on"], ["for"]) or (
            after[:1] == ["to"] and bool(verbs) and (lexicon().mostly_verb(verbs[0]) or after[1] == verbs[0]))
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
    alias: bool = False  # from an alias: worded loosely, to be found, so not read for opposites or roles

    @cached_property
    def denied(self) -> list[bool]:
        """Whether each word comes after a negation in its clause ("may not be able to continue")."""
        out, seen = [], False
        for word in self.words:
            out.append(seen)
            seen = seen or word in NEGATION_MARKERS
        return out


@dataclass
class Evidence:
    """Everything one version (with its claim's wordings) says, ready for accounting.

    The word tables are read at once, from the plain words of the texts (cheap: a large base
    is read claim by claim as statements match it). The texts normalised (names as entities),
    the roles and the details they give are read only when a statement needs them."""

    best_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the sources' texts
    wording_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the curated wordings
    raw: set[str] = field(default_factory=set)  # every word as written, those inside names included
    speakers: set[str] = field(default_factory=set)
    published: list[date] = field(default_factory=list)
    curated_roles: dict[str, list[str]] = field(default_factory=dict)  # the version's `values.roles`
    plain: list[Sentence] = field(default_factory=list)  # each clause's plain words, read at once
    source_texts: list[str] = field(default_factory=list)
    wording_texts: list[str] = field(default_factory=list)
    words_of: Callable[[str], list[str]] | None = None
    names: dict[str, str] = field(default_factory=dict)  # one-word entity names -> "@id"
    vocabulary: Vocabulary = ENGLISH  # the base's topic words (concepts, phrases, units)

    @cached_property
    def _normalised(self) -> tuple[list[Sentence], list[list[str]], list[list[str]]]:
        sentences: list[Sentence] = []
        source_words: list[list[str]] = []
        wording_words: list[list[str]] = []
        assert self.words_of is not None
        texts = [*((t, True, False) for t in self.source_texts),
                 *((t, False, n > 0) for n, t in enumerate(self.wording_texts))]
        for text, is_source, alias in texts:
            pieces = clauses(text)
            marked = self.words_of(f" {CLAUSE_MARK} ".join(pieces))
            (source_words if is_source else wording_words).append([w for w in marked if w != CLAUSE_MARK])
            for piece, words in zip(pieces, _cut(marked), strict=False):
                if words:
                    sentences.append(Sentence(words, modes_of(words), plain_words(piece, self.vocabulary), is_source,
                                              alias))
        return sentences, source_words, wording_words

    @property
    def sentences(self) -> list[Sentence]:
        """Each clause of the texts, normalised, with the mode of each word."""
        return self._normalised[0]

    @cached_property
    def roles(self) -> set[Role]:
        """Who does what to whom in the sources' texts and the claim's statement, sentence by
        sentence. Aliases are left out: they are worded loosely, as questions too, to be found,
        and would lend roles no source gives."""
        assert self.words_of is not None
        out: set[Role] = set()
        for text in (*self.source_texts, *self.wording_texts[:1]):
            marked = _SENTENCE_END.sub(f" {SENTENCE_MARK} ", text)
            out |= roles(self.words_of(marked), self.vocabulary.term_of)
        out |= {Role(CURATED, role, e) for role, ids in self.curated_roles.items() for e in ids}
        return out

    @cached_property
    def details(self) -> Details:
        """The dates, counts and durations the sources' texts give."""
        return extract([w for words in self._normalised[1] for w in (*words, CLAUSE_MARK)], units=self.vocabulary.units)

    @cached_property
    def wording_details(self) -> Details:
        """...and those the curated wordings give."""
        return extract([w for words in self._normalised[2] for w in (*words, CLAUSE_MARK)], units=self.vocabulary.units)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every distinct plain word of the texts."""
        return frozenset(w for w in self.raw if w.isalpha())

    def mode_of(self, forms: set[str]) -> str | None:
        """The firmest mode the sources say any of these forms in; for what only the curated
        wordings say, the mode they say it in (they keep the sources' "may" and "will").
        None: nothing here says it."""
        for table in (self.best_mode, self.wording_mode):
            found = [table[f] for f in forms if f in table]
            if found:
                return min(found, key=MODES.index)
        return None


_PLAIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)”\"])[.;!?]+(?=\s|$)|\s\.\.\.\s")
CLAUSE_MARK = "qxbreakq"  # survives normalising, so a text is normalised once and cut after


def plain_words(text: str, vocabulary: Vocabulary = ENGLISH) -> list[str]:
    """A text's lower-case words as written, with the normaliser's phrase rules applied ("didn't"
    is "did not", "comes to an end" is "ends", and the base's own: "pulled out" is "withdraw"),
    names left as words."""
    text = text.lower().replace("’", "'")
    for guard, pattern, replacement in PHRASES:
        if guard in text:
            text = pattern.sub(replacement, text)
    return _PLAIN_WORD.findall(vocabulary.rewrite(text))


def read_wordings(claim: Claim, words_of: Callable[[str], list[str]], names: dict[str, str] | None = None,
                  vocabulary: Vocabulary = ENGLISH) -> Evidence:
    """The part of the evidence every version of a claim shares: its curated wordings. `names`
    maps one-word entity names to their `@id`, for the plain clauses."""
    evidence = Evidence(wording_texts=claim.texts(), words_of=words_of, names=names or {}, vocabulary=vocabulary)
    for n, text in enumerate(claim.texts()):
        _read_text(evidence, text, is_source=False, alias=n > 0)
    return evidence


def read_evidence(claim: Claim, version: Version, words_of: Callable[[str], list[str]],
                  resolve: Callable[[str], str | None], published: list[date],
                  wordings: Evidence | None = None) -> Evidence:
    """Read a version's evidence: `words_of` normalises a text, `resolve` names an entity;
    `wordings` is the claim's `read_wordings`, read once for all its versions."""
    shared = wordings if wordings is not None else read_wordings(claim, words_of)
    sources = [version.text, *(s.quote for s in version.sources)]
    evidence = Evidence(published=published, wording_mode=shared.wording_mode, raw=set(shared.raw),
                        plain=list(shared.plain), names=shared.names,
                        curated_roles=dict(version.values.roles),
                        source_texts=sources, wording_texts=shared.wording_texts, words_of=words_of,
                        vocabulary=shared.vocabulary)
    for text in sources:
        _read_text(evidence, text, is_source=True)
    speakers = {version.values.speaker} if version.values.speaker else set()
    speakers |= {resolved for s in version.sources if s.said_by and (resolved := resolve(s.said_by))}
    evidence.speakers = speakers
    return evidence


def _read_text(evidence: Evidence, text: str, is_source: bool, alias: bool = False) -> None:
    table = evidence.best_mode if is_source else evidence.wording_mode
    for piece in clauses(text):
        words = plain_words(piece, evidence.vocabulary)
        if not words:
            continue
        modes = modes_of(words)
        named = [evidence.names.get(w, w) for w in words]
        evidence.plain.append(Sentence(named, modes, words, is_source, alias))
        evidence.raw.update(words)
        for word, mode in zip(words, modes, strict=True):
            for form in word_forms(word, evidence.vocabulary.term_of):
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

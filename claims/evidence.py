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


def word_forms(word: str) -> set[str]:
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
    return forms


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
    """Everything one version (with its claim's wordings) says, ready for accounting."""

    sentences: list[Sentence] = field(default_factory=list)
    best_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the sources' texts
    wording_mode: dict[str, str] = field(default_factory=dict)  # form -> firmest mode in the curated wordings
    raw: set[str] = field(default_factory=set)  # every word as written, those inside names included
    roles: set[Role] = field(default_factory=set)
    details: Details = field(default_factory=Details)  # dates, counts, durations the sources' texts give
    wording_details: Details = field(default_factory=Details)  # ...and those the curated wordings give
    speakers: set[str] = field(default_factory=set)
    published: list[date] = field(default_factory=list)

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


def read_evidence(claim: Claim, version: Version, words_of: Callable[[str], list[str]],
                  resolve: Callable[[str], str | None], published: list[date]) -> Evidence:
    """Read a version's evidence: `words_of` normalises a text, `resolve` names an entity."""
    evidence = Evidence(published=published)
    source_texts = [version.text, *(s.quote for s in version.sources)]
    for text, is_source in [*((t, True) for t in source_texts), *((t, False) for t in claim.texts())]:
        for clause in clauses(text):
            words = words_of(clause)
            if not words:
                continue
            sentence = Sentence(words, modes_of(words), _RAW_WORD.findall(clause.lower().replace("’", "'")),
                                is_source)
            evidence.sentences.append(sentence)
            evidence.raw.update(sentence.raw)
            for word, mode in zip(words, sentence.modes, strict=True):
                if word.startswith(ENTITY_PREFIX):
                    continue
                table = evidence.best_mode if is_source else evidence.wording_mode
                for form in word_forms(word):
                    current = table.get(form)
                    if current is None or MODES.index(mode) < MODES.index(current):
                        table[form] = mode
        evidence.roles |= roles(words_of(text))  # roles read across the text: a subject may precede a comma
    joined = " ".join(words_of(". ".join(source_texts)))
    evidence.details = extract(joined.split())
    evidence.wording_details = extract(" ".join(words_of(". ".join(claim.texts()))).split())
    speakers = {version.values.speaker} if version.values.speaker else set()
    speakers |= {resolved for s in version.sources if s.said_by and (resolved := resolve(s.said_by))}
    evidence.speakers = speakers
    return evidence

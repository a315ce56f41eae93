"""General English knowledge for the verdict: opposite words, synonyms, more general words, sisters.

Two sources, both shipped in this package and read once, on first use:

- `wordnet.json.gz`, generated from WordNet 3.0 by `scripts/build_lexicon.py` (see that script
  for what each table holds, and LICENSE-WordNet.txt);
- `polarity.txt`, a short curated list of opposite meanings news writing uses that WordNet's
  antonyms miss (confirm/deny, deploy/withdraw, resume/cease...).

Nothing here knows any news topic: topic knowledge lives in the claim base. WordNet pools the
senses of a word, so these relations are only ever tested between a statement and the texts of
the claim it already matched, never used to find a claim.
"""

from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDNET = HERE / "wordnet.json.gz"
POLARITY = HERE / "polarity.txt"
# Steps up the hierarchy a general word may sit above a specific one ("group" above "force").
ANCESTOR_DEPTH = 4


class Lexicon:
    """The loaded tables, with the relations the verdict asks about. Words are lower-case lemmas."""

    def __init__(self, wordnet: dict, curated_axes: list[tuple[list[str], list[str]]]):
        # Tables of tuples, not lists or sets: the garbage collector stops tracking tuples of
        # numbers, so a table of a hundred thousand words costs no time in every collection.
        sides: dict[str, set[tuple[int, int]]] = {}
        for n, (left, right) in enumerate([*wordnet["axes"], *curated_axes]):
            for side, words in ((0, left), (1, right)):
                for word in words:
                    sides.setdefault(word, set()).add((n, side))
        self._sides: dict[str, tuple[tuple[int, int], ...]] = {w: tuple(sorted(s)) for w, s in sides.items()}
        self._senses: dict[str, tuple[int, ...]] = {w: tuple(s) for w, s in wordnet["senses"].items()}
        self._hypernyms: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in wordnet["hypernyms"].items()}
        self._usage: dict[str, tuple[int, int]] = {w: (c[0], c[1]) for w, c in wordnet["usage"].items()}
        groups: dict[str, set[int]] = {}
        for n, group in enumerate(wordnet["groups"]):
            for word in group:
                groups.setdefault(word, set()).add(n)
        self._groups: dict[str, tuple[int, ...]] = {w: tuple(g) for w, g in groups.items()}

    def known(self, word: str) -> bool:
        """Whether WordNet has the word at all."""
        return word in self._senses

    def has_opposite(self, word: str) -> bool:
        """Whether some word is the opposite of this one (`opposite` can say yes for it)."""
        return word in self._sides

    def has_sisters(self, word: str) -> bool:
        """Whether the word names one of several alternatives of a kind (`sisters` can say yes)."""
        return word in self._groups

    def mostly_verb(self, lemma: str) -> bool:
        """Whether a word is more often used as a verb than as a noun ("fall"; not "troop").
        A word WordNet's tagged texts never used is not taken for a verb."""
        counts = self._usage.get(lemma)
        return counts is not None and counts[1] > counts[0]

    @lru_cache(maxsize=262144)  # noqa: B019 - one Lexicon lives for the whole process
    def opposite(self, a: str, b: str) -> bool:
        """Whether some sense of `a` is the opposite of some sense of `b` ("praise" / "condemn")."""
        sides_a, sides_b = self._sides.get(a), self._sides.get(b)
        if not sides_a or not sides_b or a == b:
            return False
        if len(sides_a) > len(sides_b):
            sides_a, sides_b = sides_b, sides_a
        return any((axis, 1 - side) in sides_b for axis, side in sides_a)

    @lru_cache(maxsize=131072)  # noqa: B019 - one Lexicon lives for the whole process
    def senses(self, word: str) -> frozenset[int]:
        return frozenset(self._senses.get(word, ()))

    def synonyms(self, a: str, b: str) -> bool:
        """Whether the two words share a common sense."""
        return a == b or not self.senses(a).isdisjoint(self._senses.get(b, ()))

    def covers(self, general: str, specific: str) -> bool:
        """Whether `general` names a sense of `specific` or something it is a kind of: what is said
        with `specific` is also said with `general` ("forces" → "groups", "bombed" → "attacked")."""
        wanted = self.senses(general)
        if not wanted:
            return False
        return any(not wanted.isdisjoint(self.ancestors(s)) for s in self.senses(specific))

    @lru_cache(maxsize=65536)  # noqa: B019 - one Lexicon lives for the whole process
    def ancestors(self, synset: int) -> frozenset[int]:
        """A sense and the senses it is a kind of, up to ANCESTOR_DEPTH steps."""
        seen = {synset}
        frontier = [synset]
        for _ in range(ANCESTOR_DEPTH):
            frontier = [up for s in frontier for up in self._hypernyms.get(str(s), ()) if up not in seen]
            seen.update(frontier)
        return frozenset(seen)

    def sisters(self, a: str, b: str) -> bool:
        """Whether two names are alternatives of one kind ("Sunni" / "Shia"), and not synonyms."""
        groups_a, groups_b = self._groups.get(a), self._groups.get(b)
        if not groups_a or not groups_b or a == b or set(groups_a).isdisjoint(groups_b):
            return False  # most words are in no group: the cheap test first
        return not self.synonyms(a, b)


def read_polarity(path: Path = POLARITY) -> list[tuple[list[str], list[str]]]:
    """The curated axes: one per line, 'words | opposite words', '#' starts a comment."""
    axes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        left, right = line.split("|")
        axes.append(([w.strip().lower() for w in left.split(",") if w.strip()],
                     [w.strip().lower() for w in right.split(",") if w.strip()]))
    return axes


_LOCK = threading.Lock()
_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    """The process's lexicon, read on first use (about a quarter of a second)."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                with gzip.open(WORDNET, "rt", encoding="utf-8") as f:
                    lexicon_ = Lexicon(json.load(f), read_polarity())
                from claims.lemmas import warm_up  # the lemma tables are read with it, once

                warm_up()
                _LEXICON = lexicon_
    return _LEXICON

"""Moderators' changes to a base's vocabulary: the topic's own words.

A concept groups the words and phrases a topic uses for one idea ("quake", "earthquake",
"tremor", "seismic event"), so statements and claims worded differently meet; a unit names what
a count counts ("1,000 dead", "1,000 deaths"). English every reader knows stays the engine's.

Each entry is an object of the base (kind `term`, id `concept:quake`): edited through the
curator's one write path (validated, audited, undoable), and a change rebuilds the engines of
the workspaces that see it, only those (it can change how any text reads).
"""

from __future__ import annotations

from claims.curate.base import Change, CurationBase, CurationError, validated
from claims.load import vocabulary_problems
from claims.models import Term, TermKind, term_key

KINDS = [k.value for k in TermKind]


class VocabularyCuration(CurationBase):
    """The vocabulary of the workspace."""

    def vocabulary(self, kind: str | None = None) -> list[Term]:
        """Entries (of one kind, if given), by kind and name."""
        terms = self.store.objects.load(self.chain, kinds=("term",)).terms
        return sorted((t for t in terms.values() if kind is None or t.kind == kind), key=lambda t: t.id)

    def term(self, kind: str, name: str) -> tuple[Term, int]:
        """An entry and its current revision."""
        stored = self.store.objects.get(self.chain, "term", term_key(kind, name))
        if not stored.exists:
            raise CurationError(f"no {kind} {name!r} in the vocabulary; see `vocabulary list`")
        return Term.model_validate(stored.data), stored.revision

    def add_words(self, actor: str, kind: str, name: str, words: list[str],
                  expected_revision: int | None = None) -> Change:
        """Read `words` (words or phrases) as the concept or unit `name`, adding the entry if it
        is new. A word already read as another entry of the same kind is refused."""
        words = _words(words)
        if not words:
            raise CurationError("give at least one word or phrase")
        probe = validated(Term, {"kind": kind, "name": name, "words": words})
        key = probe.id

        def build(current: Term | None) -> Term:
            have = list(current.words) if current is not None else []
            new = [w for w in probe.words if w not in have]
            if not new:
                raise CurationError(f"{probe.kind} {probe.name!r} already has {', '.join(probe.words)}")
            term = validated(Term, {"kind": probe.kind, "name": probe.name, "words": [*have, *new]})
            self._check(term)
            return term

        exists = self.store.objects.get(self.chain, "term", key).exists
        return self._write(actor, "term.words.add" if exists else "term.add", "term", key, build,
                           expected_revision=expected_revision,
                           summary=f"{probe.kind} {probe.name}: reads {', '.join(probe.words)} as {probe.name}")

    def remove_words(self, actor: str, kind: str, name: str, words: list[str],
                     expected_revision: int | None = None) -> Change:
        """Stop reading `words` as the entry; it keeps at least one word."""
        gone = {w.lower() for w in _words(words)}
        key = term_key(kind, name)

        def build(current: Term | None) -> Term:
            if current is None:
                raise CurationError(f"no {kind} {name!r} in the vocabulary")
            missing = sorted(gone - set(current.words))
            if missing:
                raise CurationError(f"{kind} {name!r} has no word {', '.join(map(repr, missing))} (it has "
                                    f"{', '.join(current.words)})")
            kept = [w for w in current.words if w not in gone]
            if not kept:
                raise CurationError(f"that would leave {kind} {name!r} without words: remove the entry instead")
            return validated(Term, {**current.model_dump(), "words": kept})

        return self._write(actor, "term.words.remove", "term", key, build, expected_revision=expected_revision,
                           summary=f"{kind} {name}: no longer reads {', '.join(sorted(gone))}")

    def remove_term(self, actor: str, kind: str, name: str, reason: str | None = None) -> Change:
        """Remove an entry: its words are read as English alone again."""
        key = term_key(kind, name)

        def build(current: Term | None) -> None:
            if current is None:
                raise CurationError(f"no {kind} {name!r} in the vocabulary")
            return None

        return self._write(actor, "term.remove", "term", key, build, reason=reason,
                           summary=f"removed {kind} {name} from the vocabulary")

    def _check(self, term: Term) -> None:
        """The rules a loaded vocabulary follows (`claims.load.vocabulary_problems`), with this
        entry in place of the stored one."""
        others = [t for t in self.vocabulary() if t.id != term.id]
        problems = vocabulary_problems([(t, ()) for t in [*others, term]])
        mine = [message for _, message in problems if f"{term.kind} {term.name!r}" in message]
        if mine:
            raise CurationError(mine)


def _words(words: list[str] | str) -> list[str]:
    """Words given as a list, or as text separated by commas; blanks and repeats dropped."""
    items = words.split(",") if isinstance(words, str) else [p for w in words for p in str(w).split(",")]
    out: list[str] = []
    for item in items:
        word = " ".join(item.lower().split())
        if word and word not in out:
            out.append(word)
    return out

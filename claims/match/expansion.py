"""Fuzzy expansion of a statement's terms: the vocabulary terms within FUZZY_CUTOFF of each (step 1,
retrieval)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process

from claims.match.index import _char_mask
from claims.match.scores import FUZZY_CUTOFF
from claims.text import ENTITY_PREFIX

# Statement terms whose expansion is kept (until the vocabulary changes): chat repeats itself.
_EXPAND_CACHE_MAX = 50_000


class Expansion:
    """Fuzzy expansion over the index's vocabulary, cached until the vocabulary changes."""

    def expand(self, terms: Iterable[str]) -> dict[str, dict[str, float]]:
        """For each statement term, the base terms it stands for, with similarity 0-1."""
        with self._lock:
            if self._expand_generation != self._vocab_generation or len(self._expand_cache) > _EXPAND_CACHE_MAX:
                self._expand_cache = {}
                self._expand_generation = self._vocab_generation
            out: dict[str, dict[str, float]] = {}
            for term in terms:
                hits = self._expand_cache.get(term)
                if hits is None:
                    hits = self._expand_cache[term] = self._expand_term(term)
                out[term] = dict(hits)  # a copy: callers may change what they get
            return out

    def _expand_term(self, term: str) -> dict[str, float]:
        hits: dict[str, float] = {}
        tid = self._term_id.get(term)
        if tid is not None and self._df[tid] > 0:
            hits[term] = 1.0
        if not term.startswith(ENTITY_PREFIX) and len(term) >= 4:
            for other, similarity, _ in process.extract(
                term, self._fuzzy_choices(term), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                if other != term and len(other) >= 4:
                    hits.setdefault(other, similarity / 100 * 0.9)
        return hits

    def _fuzzy_choices(self, term: str) -> list[str]:
        """The vocabulary terms that may reach FUZZY_CUTOFF against `term`, in sorted order.

        rapidfuzz's ratio is 100 * (1 - d / (m + n)) for the insertions and deletions d turning
        one term (length m) into the other (length n), so reaching the cutoff needs
        d <= (1 - cutoff/100) * (m + n). d is at least |m - n|, and at least the number of
        characters only one of the two has; terms failing either bound cannot reach the cutoff.
        Sorted order keeps rapidfuzz's tie-break (the earlier choice first) as over the whole
        vocabulary, so the result is the same as `process.extract` over all of it."""
        m = len(term)
        lengths = self._term_len.view()
        allowed = (1 - FUZZY_CUTOFF / 100) * (lengths + m) + 0.5  # + 0.5: never lose one to rounding
        possible = self._fuzzy_ok.view() & (np.abs(lengths - m) <= allowed)
        ids = np.flatnonzero(possible)
        if len(ids):
            differing = np.bitwise_count(self._term_mask.data[ids] ^ np.uint64(_char_mask(term)))
            ids = ids[differing <= allowed[ids]]
        return sorted(self._term_str[t] for t in ids.tolist())

    def candidates(self, expanded: dict[str, dict[str, float]]) -> set[str]:
        """Claims sharing at least one (expanded) term with the statement."""
        with self._lock:
            arrays = [self._posting(other) for hits in expanded.values() for other in hits]
            if not arrays:
                return set()
            rows = np.unique(np.concatenate(arrays))
            return {claim_id for claim_id in (self._ids[r] for r in rows.tolist()) if claim_id is not None}



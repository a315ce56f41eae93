"""Scoring claims against a statement (step 2): one claim in plain Python, many at once with arrays,
the same floats either way; ties broken by the claims' own wordings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np

from claims.match.columns import _ranges, _spans
from claims.match.scores import (
    COUNT_BONUS,
    MATCH,
    MAX_SUGGESTIONS,
    SLOT_BONUS,
    STATEMENT_SHARE,
    Candidate,
    _Query,
    _recall,
    _recall_rows,
)

# Up to this many rows are scored one by one, in plain Python; more, with arrays.
_ONE_BY_ONE = 6
# Rows scored at once by the full scan (it holds a few arrays of this many rows' wordings).
_SCAN_BLOCK = 4096


class Scoring:
    """Exact scores of indexed claims for a statement."""

    def _query(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
               slots: frozenset[str]) -> _Query:
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        per_term = []
        groups: dict[str, tuple[float, list[tuple[int, float]]]] = {}
        for term in terms:
            items = []
            for other, similarity in expanded.get(term, {}).items():
                tid = self._term_id.get(other)
                if tid is not None:  # a term the index never saw is in no claim
                    items.append((tid, similarity))
            per_term.append((weights[term], items))
            # A term given twice counts twice in recall, as in `score`.
            groups[term] = (groups[term][0] + weights[term] if term in groups else weights[term], items)
        return _Query(tuple(terms), total, per_term, list(groups.values()), slots)

    def _score_rows(self, rows: np.ndarray, q: _Query) -> tuple[list[float], list[int]]:
        """`score` for indexed rows, all at once: each row's score (rounded) and the wording
        (its index in the wording columns, -1 for none) that covered the statement best.

        The same arithmetic in the same order as scoring one claim with plain Python floats
        (see `_Query` and the index's tests), so the same floats whichever rows are scored
        together: the index and the full scan always agree."""
        if len(rows) <= _ONE_BY_ONE:
            pairs = [self._score_one(row, q) for row in rows.tolist()]
            return [score for score, _ in pairs], [wording for _, wording in pairs]
        tids, owners = _spans(self._vocab_start.data[rows], self._vocab_end.data[rows], self._vocab.data)
        recall, hits, columns = _recall_rows(q, len(rows), owners, tids)
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        coverage, best = self._coverage_rows(wordings, np.repeat(np.arange(len(rows)), per_row), len(rows),
                                             hits, columns)
        scores: list[float] = []
        for i, (r, c) in enumerate(zip(recall.tolist(), coverage.tolist(), strict=True)):
            score = 100 * r**STATEMENT_SHARE * c ** (1 - STATEMENT_SHARE)
            if score > 0 and q.slots:
                score += self._bonus_of(int(rows[i]), q.slots)
            scores.append(round(score, 1))
        return scores, best.tolist()

    def _score_one(self, row: int, q: _Query) -> tuple[float, int]:
        """`_score_rows` for one row, in plain Python: quicker for a few rows than the arrays'
        set-up, and the same arithmetic in the same order, so the same floats."""
        start, end = int(self._vocab_start.data[row]), int(self._vocab_end.data[row])
        recall, hit_terms = _recall(q, set(self._vocab.data[start:end].tolist()))
        first, last = int(self._wording_start.data[row]), int(self._wording_end.data[row])
        coverage, best = self._coverage_one(range(first, last), hit_terms)
        score = 100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE)
        if score > 0 and q.slots:
            score += self._bonus_of(row, q.slots)
        return round(score, 1), best

    def _own_one(self, row: int, q: _Query) -> float:
        """`_own_scores` for one row, in plain Python (see `_score_one`)."""
        own_texts = self._own[row]
        first, last = int(self._wording_start.data[row]), int(self._wording_end.data[row])
        mine = [w for w in range(first, last) if int(self._wording_text.data[w]) < own_texts]
        vocabulary: set[int] = set()
        for w in mine:
            start, end = int(self._wording_terms_start.data[w]), int(self._wording_terms_end.data[w])
            vocabulary.update(self._wording_terms.data[start:end].tolist())
        recall, hit_terms = _recall(q, vocabulary)
        coverage, _ = self._coverage_one(mine, hit_terms)
        return round(100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE), 1)

    def _coverage_one(self, wordings: Iterable[int], hit_terms: dict[int, float]) -> tuple[float, int]:
        """`_coverage_rows` for one row's wordings, in plain Python."""
        idf = self._idf_table()[0]
        coverage, best = 0.0, -1
        for w in wordings:
            start, end = int(self._wording_terms_start.data[w]), int(self._wording_terms_end.data[w])
            wording_terms = self._wording_terms.data[start:end].tolist()
            w_total = sum([idf[t] for t in wording_terms]) or 1.0
            covered = sum([idf[t] * hit_terms.get(t, 0.0) for t in wording_terms]) / w_total
            if covered > coverage:
                coverage, best = covered, w
        return coverage, best

    def _bonus_of(self, row: int, slots: frozenset[str]) -> float:
        """The detail bonus a row earns for these statement slots, added in `score`'s order."""
        bonus = 0.0
        entry_slots = self._row_slots[row]
        for slot in slots:
            if slot in entry_slots:
                bonus += COUNT_BONUS if slot.startswith("count:") else SLOT_BONUS
            elif slot == "count" and any(x.startswith("count") for x in entry_slots):
                bonus += SLOT_BONUS
        return bonus

    def _own_scores(self, rows: np.ndarray, q: _Query) -> list[float]:
        """Per row, the score's recall and coverage over the claim's statement and aliases
        alone, without the detail bonus, rounded like the score.

        Two claims can score the same because a version's text (what one source reported)
        carries the words: "the quake killed 300" may tie between the death-toll claim and a
        claim one of whose versions mentions the toll in passing. The claim whose own wording
        says it is the one the statement is about."""
        if len(rows) <= _ONE_BY_ONE:
            return [self._own_one(row, q) for row in rows.tolist()]
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        wording_rows = np.repeat(np.arange(len(rows)), per_row)
        # a row's wordings are its statement, aliases, then versions: the first `_own` are its own
        own_counts = np.array([self._own[r] for r in rows.tolist()], dtype=np.int64)
        mine = self._wording_text.data[wordings] < own_counts[wording_rows]
        wordings, wording_rows = wordings[mine], wording_rows[mine]
        tids, owners = _spans(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings],
                              self._wording_terms.data)
        recall, hits, columns = _recall_rows(q, len(rows), wording_rows[owners], tids)
        coverage, _ = self._coverage_rows(wordings, wording_rows, len(rows), hits, columns)
        return [round(100 * r**STATEMENT_SHARE * c ** (1 - STATEMENT_SHARE), 1)
                for r, c in zip(recall.tolist(), coverage.tolist(), strict=True)]

    def _coverage_rows(self, wordings: np.ndarray, wording_rows: np.ndarray, n: int, hits: np.ndarray,
                       columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row (of `n`), the best coverage among its `wordings` (each wording's row in
        `wording_rows`) and which wording gave it (-1: none covers anything): a wording's
        coverage is the IDF weight of its terms the statement hit (`hits`, per row and statement
        term id in `columns`) over the weight of all its terms, each sum taken term by term."""
        coverage, best = np.zeros(n), np.full(n, -1, dtype=np.int64)
        if not len(wordings):
            return coverage, best
        idf = self._idf_table()[1]
        starts = self._wording_terms_start.data[wordings]
        lengths = self._wording_terms_end.data[wordings] - starts
        width = int(lengths.max()) if len(lengths) else 0
        # A wording per line, its terms left-aligned and zeros after them: summing the columns
        # left to right adds each wording's terms in order, as summing a list does.
        filled = np.arange(width)[None, :] < lengths[:, None]
        term_ids = self._wording_terms.data[(starts[:, None] + np.arange(width)[None, :])[filled]]
        weights = np.zeros((len(wordings), width))
        weights[filled] = idf[term_ids]
        hit = np.zeros((len(wordings), width))
        if len(columns):
            place = np.minimum(np.searchsorted(columns, term_ids), len(columns) - 1)
            known = columns[place] == term_ids
            row_of_term = np.repeat(wording_rows, lengths)
            values = np.zeros(len(term_ids))
            values[known] = hits[place[known], row_of_term[known]]
            hit[filled] = values
        total, covered = np.zeros(len(wordings)), np.zeros(len(wordings))
        for j in range(width):
            total += weights[:, j]
            covered += weights[:, j] * hit[:, j]
        covered /= np.where(total == 0, 1.0, total)
        # per row, the first wording with the highest coverage, if that is above zero
        best_covered = np.zeros(n)
        np.maximum.at(best_covered, wording_rows, covered)
        top = np.flatnonzero((covered > 0) & (covered == best_covered[wording_rows]))
        # `wording_rows` is in order, so a row's first best wording is where its row changes
        top_rows = wording_rows[top]
        first = np.flatnonzero(np.diff(top_rows, prepend=-1))
        found_rows = top_rows[first]
        coverage[found_rows] = best_covered[found_rows]
        best[found_rows] = wordings[top[first]]
        return coverage, best

    def score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str,
              slots: frozenset[str] = frozenset()) -> Candidate:
        """Score one claim against a statement's terms and kinds of detail (0-100)."""
        with self._lock:
            row = self._row_of[claim_id]
            scores, wordings = self._score_rows(np.array([row]), self._query(tuple(terms), expanded, slots))
            return Candidate(claim_id, scores[0], self._wording(row, wordings[0]))

    def score_many(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_ids: list[str],
                   slots: frozenset[str] = frozenset()) -> list[Candidate]:
        """`score` for several claims, computed together (much quicker for many)."""
        with self._lock:
            q = self._query(tuple(terms), expanded, slots)
            rows = np.array([self._row_of[c] for c in claim_ids], dtype=np.int64)
            return [Candidate(self._ids[row], score, self._wording(row, wording))  # type: ignore[arg-type]
                    for row, score, wording in self._scored_in_blocks(rows, q)]

    def _scored_in_blocks(self, rows: np.ndarray, q: _Query) -> Iterator[tuple[int, float, int]]:
        """(row, score, best wording) of each row, scored _SCAN_BLOCK rows at a time (the arrays
        of a block's wordings stay small however many rows there are)."""
        for first in range(0, len(rows), _SCAN_BLOCK):
            block = rows[first: first + _SCAN_BLOCK]
            scores, wordings = self._score_rows(block, q)
            yield from zip(block.tolist(), scores, wordings, strict=True)

    def _wording(self, row: int, wording: int) -> str:
        """The text of one of a row's wordings (its index in the wording columns; -1: none
        matched, the claim's statement). The claim is read here: only the claims shown are."""
        claim = self._source[self._ids[row]]  # type: ignore[index]
        if wording < 0:
            return claim.statement
        texts = (*claim.texts(), *(v.text for v in claim.versions))
        return texts[int(self._wording_text.data[wording])]

    def own_score(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]], claim_id: str) -> float:
        """How well a claim's own statement and aliases match a statement's terms (0-100): what
        breaks a tie between claims of equal score (see `_own_scores`)."""
        with self._lock:
            q = self._query(tuple(terms), expanded, frozenset())
            return self._own_scores(np.array([self._row_of[claim_id]]), q)[0]

    def own_scores(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
                   claim_ids: list[str]) -> list[float]:
        """`own_score` for several claims, computed together."""
        with self._lock:
            q = self._query(tuple(terms), expanded, frozenset())
            return self._own_scores(np.array([self._row_of[c] for c in claim_ids], dtype=np.int64), q)

    def rank(self, terms: tuple[str, ...], expanded: dict[str, dict[str, float]],
             candidates: list[Candidate]) -> list[Candidate]:
        """Scored candidates in the order `match` ranks them: by score, ties broken by how well
        each claim's own statement and aliases match, then by id."""
        with self._lock:
            return self._ranked(candidates, self._query(tuple(terms), expanded, frozenset()), {})

    def _ranked(self, candidates: list[Candidate], q: _Query, own: dict[str, float],
                shown: bool = False) -> list[Candidate]:
        """`candidates` best first: by score; between equal scores, by `_own_scores` (computed
        only for those, and kept in `own`); then by id, so the order never depends on the order
        claims were indexed in.

        With `shown`, only the ones `match` can show: the best when it is a match, else up to
        MAX_SUGGESTIONS; ties are then broken only where they decide who is shown."""
        ordered = sorted(candidates, key=lambda c: -c.score)
        if shown and ordered:
            last = ordered[0] if ordered[0].score >= MATCH else ordered[min(MAX_SUGGESTIONS, len(ordered)) - 1]
            ordered = [c for c in ordered if c.score >= last.score]
        scores = Counter(c.score for c in ordered)
        tied = [c.claim_id for c in ordered if scores[c.score] > 1 and c.claim_id not in own]
        if tied:
            own.update(zip(tied, self._own_scores(np.array([self._row_of[c] for c in tied]), q), strict=True))

        def tie_break(candidate: Candidate) -> float:
            return own[candidate.claim_id] if scores[candidate.score] > 1 else 0.0

        ordered.sort(key=lambda c: (-c.score, -tie_break(c), c.claim_id))
        if shown and ordered:
            return ordered[:1] if ordered[0].score >= MATCH else ordered[:MAX_SUGGESTIONS]
        return ordered



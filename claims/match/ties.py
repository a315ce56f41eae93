"""Ties on score: a claim that could at best tie with the last claim shown, and would lose the tie
on its own wordings' match, is dropped before it is scored."""

from __future__ import annotations

import numpy as np

from claims.match.columns import _ranges
from claims.match.scores import _BOUND_SCALE, STATEMENT_SHARE, Candidate, _Picked, _Query


class Ties:
    """Bounding the tie-break of claims that tie on score (a mixin over `Scoring` and `Index`)."""

    def _able_to_win_ties(self, hopeful: list[int], picked: _Picked, last: Candidate, q: _Query,
                          own: dict[str, float], explained: np.ndarray, gain: np.ndarray,
                          bound_of: dict[int, float], wanted: int) -> list[int]:
        """`hopeful` (positions in `picked`) without the claims that could at best tie with
        `last`, the last claim shown, and would then lose the tie.

        A tie goes to the claim whose own wordings match better (`_ranked`), and `_own_bounds`
        bounds a claim's own score cheaply (once a round: `bound_of`). When that rounds below
        the last shown claim's own score (or to it, for a larger id), the claim is not scored;
        nor when its own score, computed next for the `wanted` best, does. The others come back:
        claims that may beat the bar first, then best own score (or bound) first.
        Many claims sharing one version's text tie on it, and most are dropped so."""
        bar = last.score
        tie_only = [i for i in hopeful if picked.bounds[i] <= bar]
        if not tie_only:
            return hopeful
        if last.claim_id not in own:
            own[last.claim_id] = self._own_scores(np.array([self._row_of[last.claim_id]]), q)[0]
        new = [i for i in tie_only if i not in bound_of]  # bounds are kept for the round
        if new:
            bounds = self._own_bounds(picked.rows[new], explained, q, gain)
            bound_of.update(zip(new, (round(b, 1) for b in bounds.tolist()), strict=True))
        mark = own[last.claim_id]
        ids = picked.ids

        def may_win(i: int, own_score: float) -> bool:  # a tie on own scores goes to the smaller id
            return own_score > mark or (own_score == mark and ids[i] < last.claim_id)

        # Own scores computed already stand in for the bounds; best first, for the first claim
        # scored usually takes the tie and raises the mark above most others' bounds; between
        # equal ones, smallest id first, for it would win the tie (copies of one claim tie on
        # both scores, and then the first ones scored leave the others no tie to win).
        best_of = {i: own.get(ids[i], bound_of[i]) for i in tie_only}

        def order(i: int) -> tuple[float, str]:
            return -best_of[i], ids[i]

        able = sorted((i for i in tie_only if may_win(i, best_of[i])), key=order)
        # The bound is loose (see `_own_bounds`): the next `wanted` claims it lets through get
        # their own scores (which they would need anyway if they tie), and drop out if they lose.
        unknown = [i for i in able[:wanted] if ids[i] not in own]
        if unknown:
            own.update(zip([ids[i] for i in unknown], self._own_scores(picked.rows[unknown], q), strict=True))
            best_of.update((i, own[ids[i]]) for i in unknown)
            able = sorted((i for i in able if may_win(i, best_of[i])), key=order)
        tied = set(tie_only)
        return [i for i in hopeful if i not in tied] + able

    def _own_bounds(self, rows: np.ndarray, explained: np.ndarray, q: _Query, gain: np.ndarray) -> np.ndarray:
        """Per row, an upper bound of `_own_scores`: recall at most the row's explained weight and
        what its own wordings' terms can explain, and each own wording's coverage at most the
        weight of its terms the statement reaches (`gain`, per term id: IDF x the best similarity
        any statement term gives it) over its weight (up to date: `_inverse_min_weights`)."""
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        wording_rows = np.repeat(np.arange(len(rows)), per_row)
        own_counts = np.array([self._own[r] for r in rows.tolist()], dtype=np.int64)
        mine = self._wording_text.data[wordings] < own_counts[wording_rows]
        wordings, wording_rows = wordings[mine], wording_rows[mine]
        terms, per_wording = _ranges(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings])
        tids = self._wording_terms.data[terms]
        of_wording = np.repeat(np.arange(len(wordings)), per_wording)
        covered = np.bincount(of_wording, gain[tids], minlength=len(wordings)) * self._inverse_wording_weight[wordings]
        coverage = np.zeros(len(rows))
        np.maximum.at(coverage, wording_rows, np.minimum(covered, 1.0))
        # Recall over the own wordings' terms alone: each statement term id they use adds what it
        # can to every statement term it is an expansion of (a sum, where recall takes the best).
        adds: dict[int, float] = {}
        for weight, items in q.groups:
            for tid, similarity in items:
                adds[tid] = adds.get(tid, 0.0) + weight * similarity
        known = np.array(sorted(adds), dtype=np.int64)
        own_explained = np.zeros(len(rows))
        if len(known):
            at = np.minimum(np.searchsorted(known, tids), len(known) - 1)
            used = known[at] == tids
            uses = np.zeros((len(rows), len(known)), dtype=bool)  # a term used twice counts once
            uses[wording_rows[of_wording][used], at[used]] = True
            own_explained = uses @ np.array([adds[t] for t in known.tolist()])
        recall = np.minimum(np.minimum(own_explained, explained[rows]) / q.total, 1.0)
        return 100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE) * _BOUND_SCALE

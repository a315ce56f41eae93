"""The search: the best claims for a statement without scoring every claim (bounds over the posting
lists, exact scores best bound first), and the full scan it must equal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from claims.match.columns import _ranges
from claims.match.expansion import Expansion
from claims.match.index import Index
from claims.match.postings import Postings, _Read
from claims.match.scores import (
    _BOUND_SCALE,
    _ROUNDING_SLACK,
    MATCH,
    MAX_SUGGESTIONS,
    POSSIBLE,
    STATEMENT_SHARE,
    Candidate,
    MatchResult,
    _Picked,
    _Query,
    slot_bonus,
)
from claims.match.scoring import Scoring
from claims.match.state import IndexStates
from claims.match.ties import Ties
from claims.text import Normalised

# Claims scored exactly per round of the search; the first round is small because the best
# bounds usually belong to the best claims, which then set the bar for all others. The next are
# large: the claims left with a bound at the bar then usually tie with it (copies of one claim),
# and scoring them all at once costs less than round after round.
_BATCHES = (16, 256, 4096)
# How many of a round's claims are scored at once, best bound first (the last: all the rest).
# Between chunks, claims that could at best tie and would lose the tie are dropped.
_SCORE_CHUNKS = (1, 1, 1 << 30)


class Matcher(Expansion, Scoring, Postings, Ties, IndexStates, Index):
    """Holds the claims' normalised wordings and an inverted index over their terms.

    Safe to use from several threads: reads and edits take a lock. `build_seconds` says how
    long the constructor spent normalising the wordings and building the index."""

    def match(self, statement: str | Normalised, slots: frozenset[str] = frozenset(),
              at_least: float = POSSIBLE) -> MatchResult:
        """Find the claim a statement is about, or the few it might be about, or nothing.

        `slots` are the kinds of detail the statement gives (see `claim_slots`). The result is
        exactly `match_full_scan`'s: the index only skips claims that could not be shown. With
        `at_least` (above MATCH), only a match scoring that much is looked for: the same best
        claim when it scores that much, else nothing, found sooner."""
        norm = statement if isinstance(statement, Normalised) else self.normaliser.normalise(statement)
        if not norm.terms:
            return MatchResult("none", None, [])
        with self._lock:
            q = self._query(norm.terms, self.expand(norm.terms), slots)
            if at_least >= MATCH:
                return _result(self._search(q, at_least))
            # Most statements match a claim, and a search for a match leaves out every claim
            # that could not score MATCH: far fewer than could be a suggestion. The posting lists
            # are read once for both searches.
            read, learnt = self._read_whole(q), _Learnt()
            found = self._search(q, MATCH, read, learnt)
            if found and found[0].score >= MATCH:
                return _result(found)
            return _result(self._search(q, max(at_least, POSSIBLE), read, learnt))

    def match_full_scan(self, statement: str | Normalised, slots: frozenset[str] = frozenset(),
                        at_least: float = POSSIBLE) -> MatchResult:
        """`match` by scoring every indexed claim: the reference the index must equal, and the
        baseline of `crosscheck bench`."""
        result = self._full_scan(statement, slots)
        if at_least > POSSIBLE and (result.best is None or result.best.score < at_least):
            return MatchResult("none", None, [])
        return result

    def _full_scan(self, statement: str | Normalised, slots: frozenset[str]) -> MatchResult:
        norm = statement if isinstance(statement, Normalised) else self.normaliser.normalise(statement)
        if not norm.terms:
            return MatchResult("none", None, [])
        with self._lock:
            q = self._query(norm.terms, self.expand(norm.terms), slots)
            rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(self._row_of))
            scored: list[Candidate] = []
            wording_of: dict[str, int] = {}
            for row, score, wording in self._scored_in_blocks(rows, q):
                claim_id = self._ids[row]
                assert claim_id is not None
                scored.append(Candidate(claim_id, score, ""))
                wording_of[claim_id] = wording
            return _result(self._worded(self._ranked(scored, q, {}, shown=True), wording_of))

    def _search(self, q: _Query, at_least: float = POSSIBLE, read: _Read | None = None,
                learnt: _Learnt | None = None) -> list[Candidate]:
        """The best claims (by score, then id) that `match` can show: up to MAX_SUGGESTIONS, all
        at least POSSIBLE; only the first is exact once it reaches MATCH (nothing else is shown).

        A claim's score is 100 * recall^0.6 * coverage^0.4 (+ its detail bonus), and:

        - recall (the share of the statement's weight the claim explains) is computed exactly
          for every claim sharing a term, from the posting lists: per statement term, the best
          similarity among its expansions that the claim uses;
        - coverage of a wording is at most the weight of its terms the statement reaches (IDF x
          the best similarity any statement term gives the term) over the wording's weight, since
          the score's per-claim similarities are never above those. The coarse bound takes the
          claim's reached terms over its lightest wording (one pass over the postings); the
          refined bound is computed wording by wording, for the claims the coarse one lets through;
        - the detail bonus is computed exactly from the claim's slots.

        Claims are scored exactly, best bound first, and skipped as soon as their bound cannot
        reach the bar: the third suggestion's score, or the best score once it is a match, or
        POSSIBLE (a claim scoring below it is never shown). A claim tying with the bar may still
        win the tie (`_ranked`), so a bound equal to the bar is scored (with slack for the
        rounding). As the bar only rises, every claim that could change the result is scored
        exactly.

        `learnt` keeps the bounds and scores computed, for a later search of the same statement
        at a lower bar: it starts from the claims with the best of those bounds (the first
        search's rounds picked them by the coarse bound, which often ranks the best claims
        lower) and scores none of them twice."""
        rows = len(self._ids)
        if not rows:
            return []
        _, idf = self._idf_table()
        bonus_max = sum(slot_bonus(s) for s in q.slots)
        bar = at_least
        # The recall a claim needs for its bound to reach the bar with full coverage and every
        # bonus: claims below it are dropped before any bound is computed.
        need = ((bar - _ROUNDING_SLACK) / _BOUND_SCALE - bonus_max) / 100
        floor = q.total * need ** (1 / STATEMENT_SHARE) / _BOUND_SCALE if need > 0 else 0.0

        if read is None:
            explained, reached, found, best_similarity = self._explained(q, idf, floor, rows)
        else:  # the posting lists read whole already (`_read_whole`)
            explained, reached, best_similarity = read
            hopeful = (explained >= floor) if floor > 0 else (explained > 0)
            found = np.flatnonzero(self._live(hopeful))
        if not len(found):
            return []
        inverse_min_weights = self._inverse_min_weights(found)
        recall = explained[found] / q.total
        coverage = np.minimum(reached[found] * inverse_min_weights[found], 1.0)
        # The coarse bound without the bonus is 100 * key^(1/5): comparing keys needs no powers.
        key = recall * recall * recall * coverage * coverage
        del recall, coverage  # recomputed for the few claims picked
        bonus: np.ndarray | None = None  # per claim, once few are left (until then: bonus_max)

        # per term id: IDF x the best similarity a statement term gives it (set back to zero at the end)
        gain = self._zeros("gain", len(self._term_str), left_zero=True)
        for tid, similarity in best_similarity.items():
            gain[tid] = idf[tid] * similarity
        top: list[Candidate] = []
        learnt = learnt if learnt is not None else _Learnt()
        own = learnt.own  # tie-break scores computed so far
        wording_of: dict[str, int] = {}  # per claim scored: its best wording
        carried = learnt.bounded()
        if carried is not None:  # a round of its own first, the claims bounded before
            found, key = _without(found, key, carried[0])
        for round_, batch in enumerate(_batches()):
            if q.slots and bonus is None and len(found) <= _BATCHES[-1]:
                bonus = self._bonuses(found, q.slots)  # few claims left: each one's own bonus
            # Dropping the claims whose coarse bound misses the bar is worth it once the first
            # round has raised the bar (usually far above POSSIBLE).
            keep = _may_reach(key, bar, bonus if bonus is not None else bonus_max) if round_ else None
            if keep is not None:
                found, key = found[keep], key[keep]
                bonus = bonus[keep] if bonus is not None else None
            pick: np.ndarray | None = None
            if round_ == 0 and carried is not None:
                rows_picked, refined = carried
            elif not len(found):
                break
            else:
                pick = np.argpartition(-key, batch - 1)[:batch] if len(found) > batch else np.arange(len(found))
                rows_picked = found[pick]
                coverage = np.minimum(reached[rows_picked] * inverse_min_weights[rows_picked], 1.0)
                refined = _bound(explained[rows_picked] / q.total,
                                 np.minimum(self._best_coverage(rows_picked, gain), coverage),
                                 bonus[pick] if bonus is not None else self._bonuses(rows_picked, q.slots))
                learnt.bounds.append((rows_picked, refined))

            # Scores are rounded to 0.1 and rounding never lowers the order of two values, so a
            # claim can show only if its bound rounds to at least the bar (at the bar, it may
            # still win the tie on how well its own wordings match).
            hopeful = np.flatnonzero(refined >= bar - _ROUNDING_SLACK)
            hopeful = hopeful[np.argsort(-refined[hopeful], kind="stable")]
            picked = _Picked(rows_picked[hopeful], [round(b, 1) for b in refined[hopeful].tolist()],
                             [self._ids[row] for row in rows_picked[hopeful].tolist()])  # type: ignore[misc]
            # Best bound first, a few at a time: the first ones scored usually raise the bar
            # above most others' bounds; the rest are scored together, which is cheaper than
            # one by one.
            left = list(range(len(hopeful)))  # positions in `picked`
            own_bounds: dict[int, float] = {}  # per position: its own score's bound
            chunks = iter(_SCORE_CHUNKS)
            while left:
                left = [i for i in left if picked.bounds[i] >= bar]
                chunk = next(chunks, _SCORE_CHUNKS[-1])
                if top and not _shows_no_more(top):
                    chunk = min(chunk, MAX_SUGGESTIONS - len(top))  # the bar rises once they are shown
                if len(left) > min(chunk, len(top)) and _shows_no_more(top) and bar == top[-1].score:
                    left = self._able_to_win_ties(left, picked, top[-1], q, own, explained, gain, own_bounds,
                                                  min(chunk, len(top)))
                    if left and picked.bounds[left[0]] <= bar:
                        # Only claims that could at best tie are left, the likeliest winners
                        # first: as many as are shown at a time, for once they are in, most
                        # others have no tie left to win.
                        chunk = min(chunk, len(top))
                if not left:
                    break
                chosen = picked.rows[left[:chunk]]
                left = left[chunk:]
                entering: list[Candidate] = []
                for row, (score, wording) in zip(chosen.tolist(), self._learnt_scores(chosen, q, learnt),
                                                 strict=True):
                    if score >= POSSIBLE and score >= bar:
                        claim_id = self._ids[row]
                        assert claim_id is not None
                        entering.append(Candidate(claim_id, score, ""))
                        wording_of[claim_id] = wording
                if entering:
                    top = self._ranked([*top, *entering], q, own, shown=True)
                    bar = _bar(top, at_least)
            if pick is not None:
                rest = np.ones(len(found), dtype=bool)
                rest[pick] = False
                found, key = found[rest], key[rest]
                bonus = bonus[rest] if bonus is not None else None
        gain[list(best_similarity)] = 0.0
        return self._worded(top, wording_of)

    def _learnt_scores(self, rows: np.ndarray, q: _Query, learnt: _Learnt) -> list[tuple[float, int]]:
        """Per row, its score and best wording (`_score_rows`), computed only for the rows not
        scored before (kept in `learnt`)."""
        wanted = rows.tolist()
        new = [row for row in wanted if row not in learnt.scores]
        if new:
            scores, wordings = self._score_rows(np.array(new, dtype=np.int64), q)
            learnt.scores.update(zip(new, zip(scores, wordings, strict=True), strict=True))
        return [learnt.scores[row] for row in wanted]

    def _worded(self, candidates: list[Candidate], wording_of: dict[str, int]) -> list[Candidate]:
        """The candidates with the text of the wording that matched best."""
        return [Candidate(c.claim_id, c.score, self._wording(self._row_of[c.claim_id], wording_of[c.claim_id]))
                for c in candidates]

    def _best_coverage(self, rows: np.ndarray, gain: np.ndarray) -> np.ndarray:
        """Per row, an upper bound of its coverage: over its wordings, the most of a wording's
        weight whose terms the statement reaches (`gain`, per term id: IDF x the best similarity
        any statement term gives it). The rows' weights are up to date (`_inverse_min_weights`)."""
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        terms, per_wording = _ranges(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings])
        reached = np.add.reduceat(gain[self._wording_terms.data[terms]], np.cumsum(per_wording) - per_wording)
        covered = reached * self._inverse_wording_weight[wordings]
        return np.minimum(np.maximum.reduceat(covered, np.cumsum(per_row) - per_row), 1.0)


@dataclass
class _Learnt:
    """What searching for one statement computed, for another search of it (each bounds and
    scores a claim the same way, whatever its bar)."""

    bounds: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # rows, their refined bounds
    scores: dict[int, tuple[float, int]] = field(default_factory=dict)  # row: its score, best wording
    own: dict[str, float] = field(default_factory=dict)  # claim id: its own score (`_own_scores`)

    def bounded(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The rows bounded so far (sorted) and their refined bounds; None for none."""
        if not self.bounds:
            return None
        rows = np.concatenate([rows for rows, _ in self.bounds])
        order = np.argsort(rows)
        return rows[order], np.concatenate([bounds for _, bounds in self.bounds])[order]


def _without(found: np.ndarray, key: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`found` (sorted rows) and `key` without `rows` (sorted)."""
    at = np.minimum(np.searchsorted(rows, found), len(rows) - 1)
    kept = rows[at] != found
    return found[kept], key[kept]


def _bound(recall: np.ndarray, coverage: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    """The score formula over arrays, scaled up a hair: floats summed in another order than
    `score` sums them may come out a few ulps lower."""
    return (100 * recall**STATEMENT_SHARE * coverage ** (1 - STATEMENT_SHARE) + bonus) * _BOUND_SCALE


def _may_reach(key: np.ndarray, bar: float, bonus: np.ndarray | float) -> np.ndarray | None:
    """Which claims' coarse bounds (100 * key^(1/5) + bonus, scaled) reach the bar, less the
    rounding slack; None when all may."""
    need = ((bar - _ROUNDING_SLACK) / _BOUND_SCALE - bonus) / 100
    if isinstance(need, float):
        return None if need <= 0 else key >= need**5 / _BOUND_SCALE
    squared = need * need
    return (need <= 0) | (key >= squared * squared * need / _BOUND_SCALE)


def _batches() -> Iterator[int]:
    yield from _BATCHES
    while True:
        yield _BATCHES[-1]


def _shows_no_more(top: list[Candidate]) -> bool:
    """Whether `match` shows no more claims than `top` holds: a claim must displace one."""
    return bool(top) and (top[0].score >= MATCH or len(top) >= MAX_SUGGESTIONS)


def _bar(top: list[Candidate], at_least: float) -> float:
    """The score a claim must reach (at least tie) to change what `match` shows, when claims
    below `at_least` are not wanted."""
    if top and top[0].score >= MATCH:
        return top[0].score  # a match shows only the best claim
    if len(top) >= MAX_SUGGESTIONS:
        return top[-1].score
    return at_least


def _result(scored: list[Candidate]) -> MatchResult:
    """What `match` shows for the best claims, best first."""
    top = scored[0] if scored else None
    if top is None or top.score < POSSIBLE:
        return MatchResult("none", None, [])
    if top.score >= MATCH:
        return MatchResult("match", _capped(top), [])
    return MatchResult("possible", None,
                       [_capped(c) for c in scored[:MAX_SUGGESTIONS] if c.score >= POSSIBLE])


def _capped(candidate: Candidate) -> Candidate:
    return Candidate(candidate.claim_id, min(100.0, candidate.score), candidate.wording)

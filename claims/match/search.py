"""The search: the best claims for a statement without scoring every claim (bounds over the posting
lists, exact scores best bound first), and the full scan it must equal."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from claims.match.columns import _ranges
from claims.match.expansion import Expansion
from claims.match.index import Index
from claims.match.scores import (
    _BOUND_SCALE,
    _ROUNDING_SLACK,
    MATCH,
    MAX_SUGGESTIONS,
    POSSIBLE,
    STATEMENT_SHARE,
    Candidate,
    MatchResult,
    _Query,
    slot_bonus,
)
from claims.match.scoring import Scoring
from claims.match.state import IndexStates
from claims.text import Normalised

# Claims scored exactly per round of the search; the first round is small because the best
# bounds usually belong to the best claims, which then set the bar for all others. The next are
# large: the claims left with a bound at the bar then usually tie with it (copies of one claim),
# and scoring them all at once costs less than round after round.
_BATCHES = (16, 256, 4096)
# How many of a round's claims are scored at once, best bound first (the last: all the rest).
# Between chunks, claims that could at best tie and would lose the tie are dropped.
_SCORE_CHUNKS = (1, 1, 1 << 30)
# A statement term is looked up claim by claim instead of read whole only when its posting lists
# hold this share of the claims (shorter ones cost less to read than to decide about)...
_SKIP_MIN_SHARE = 1 / 32
# ... when a claim must explain this share of the statement (a near-verbatim test: the few claims
# the rarer terms find are then looked up; at lower floors they are too many) ...
_SKIP_FLOOR = 0.5
# ... and when a binary search per claim and term costs less (as this many posting reads).
_LOOKUP_COST = 32


# Per row, the explained and reached weights, with every posting list read; per term id, its best
# similarity (see `Matcher._explained`).
_Read = tuple[np.ndarray, np.ndarray, dict[int, float]]


class Matcher(Expansion, Scoring, IndexStates, Index):
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
            read = self._read_whole(q)
            found = self._search(q, MATCH, read)
            if found and found[0].score >= MATCH:
                return _result(found)
            return _result(self._search(q, max(at_least, POSSIBLE), read))

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

    def used_together(self, terms: tuple[str, ...]) -> bool:
        """Whether some live claim uses every one of `terms` (in one wording or across several).
        When none does, no wording holds them all, whatever a search would score."""
        with self._lock:
            tids = [self._term_id.get(term) for term in set(terms)]
            if not tids or None in tids:
                return False
            by_size = sorted(tids, key=lambda tid: sum(len(p) for p in self._rows_of(tid)))
            parts = self._rows_of(by_size[0])
            rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            for tid in by_size[1:]:
                if not len(rows):
                    return False
                rows = rows[self._uses(rows, tid)]
            return bool(len(rows)) and bool(self._alive.view()[rows].any())

    def _search(self, q: _Query, at_least: float = POSSIBLE, read: _Read | None = None) -> list[Candidate]:
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
        exactly."""
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
            found = np.flatnonzero(hopeful & self._alive.view())
        if not len(found):
            return []
        inverse_min_weights = self._inverse_min_weights(found)
        recall = explained[found] / q.total
        coverage = np.minimum(reached[found] * inverse_min_weights[found], 1.0)
        # The coarse bound without the bonus is 100 * key^(1/5): comparing keys needs no powers.
        key = recall * recall * recall * coverage * coverage
        del recall, coverage  # recomputed for the few claims picked
        bonus: np.ndarray | None = None  # per claim, once few are left (until then: bonus_max)

        # per term id: the best similarity a statement term gives it (set back to zero at the end)
        reach = self._zeros("reach", len(self._term_str), left_zero=True)
        for tid, similarity in best_similarity.items():
            reach[tid] = similarity
        top: list[Candidate] = []
        own: dict[str, float] = {}  # tie-break scores computed so far
        wording_of: dict[str, int] = {}  # per claim scored: its best wording
        for round_, batch in enumerate(_batches()):
            if q.slots and bonus is None and len(found) <= _BATCHES[-1]:
                bonus = self._bonuses(found, q.slots)  # few claims left: each one's own bonus
            # Dropping the claims whose coarse bound misses the bar is worth it once the first
            # round has raised the bar (usually far above POSSIBLE).
            keep = _may_reach(key, bar, bonus if bonus is not None else bonus_max) if round_ else None
            if keep is not None:
                found, key = found[keep], key[keep]
                bonus = bonus[keep] if bonus is not None else None
            if not len(found):
                break
            pick = np.argpartition(-key, batch - 1)[:batch] if len(found) > batch else np.arange(len(found))
            rows_picked = found[pick]
            coverage = np.minimum(reached[rows_picked] * inverse_min_weights[rows_picked], 1.0)
            refined = _bound(explained[rows_picked] / q.total,
                             np.minimum(self._best_coverage(rows_picked, idf, reach), coverage),
                             bonus[pick] if bonus is not None else self._bonuses(rows_picked, q.slots))

            # Scores are rounded to 0.1 and rounding never lowers the order of two values, so a
            # claim can show only if its bound rounds to at least the bar (at the bar, it may
            # still win the tie on how well its own wordings match).
            hopeful = np.flatnonzero(refined >= bar - _ROUNDING_SLACK)
            hopeful = hopeful[np.argsort(-refined[hopeful], kind="stable")].tolist()
            # Best bound first, a few at a time: the first ones scored usually raise the bar
            # above most others' bounds; the rest are scored together, which is cheaper than
            # one by one.
            own_bounds: dict[int, float] = {}  # per index in rows_picked: its own score's bound
            for chunk in _SCORE_CHUNKS:
                hopeful = [i for i in hopeful if round(float(refined[i]), 1) >= bar]
                if len(hopeful) > chunk and _shows_no_more(top) and bar == top[-1].score:
                    hopeful = self._able_to_win_ties(hopeful, refined, rows_picked, top[-1], q, own,
                                                     explained, idf, reach, own_bounds, chunk)
                if not hopeful:
                    break
                chosen = rows_picked[hopeful[:chunk]]
                hopeful = hopeful[chunk:]
                scores, wordings = self._score_rows(chosen, q)
                entering: list[Candidate] = []
                for row, score, wording in zip(chosen.tolist(), scores, wordings, strict=True):
                    if score >= POSSIBLE and score >= bar:
                        claim_id = self._ids[row]
                        assert claim_id is not None
                        entering.append(Candidate(claim_id, score, ""))
                        wording_of[claim_id] = wording
                if entering:
                    top = self._ranked([*top, *entering], q, own, shown=True)
                    bar = _bar(top, at_least)
            rest = np.ones(len(found), dtype=bool)
            rest[pick] = False
            found, key = found[rest], key[rest]
            bonus = bonus[rest] if bonus is not None else None
        reach[list(best_similarity)] = 0.0
        return self._worded(top, wording_of)

    def _able_to_win_ties(self, hopeful: list[int], refined: np.ndarray, rows: np.ndarray, last: Candidate,
                          q: _Query, own: dict[str, float], explained: np.ndarray, idf: np.ndarray,
                          reach: np.ndarray, bound_of: dict[int, float], wanted: int) -> list[int]:
        """`hopeful` (indexes into `rows`, bounds in `refined`) without the claims that could at
        best tie with `last`, the last claim shown, and would then lose the tie.

        A tie goes to the claim whose own wordings match better (`_ranked`), and `_own_bounds`
        bounds a claim's own score cheaply (once a round: `bound_of`). When that rounds below
        the last shown claim's own score (or to it, for a larger id), the claim is not scored;
        nor when its own score, computed next for the `wanted` best, does. The others come back:
        claims that may beat the bar first, then best own score (or bound) first.
        Many claims sharing one version's text tie on it, and most are dropped so."""
        bar = last.score
        tie_only = [i for i in hopeful if round(float(refined[i]), 1) <= bar]
        if not tie_only:
            return hopeful
        if last.claim_id not in own:
            own[last.claim_id] = self._own_scores(np.array([self._row_of[last.claim_id]]), q)[0]
        new = [i for i in tie_only if i not in bound_of]  # bounds are kept for the round
        if new:
            bounds = self._own_bounds(rows[new], explained, q, idf, reach)
            bound_of.update(zip(new, (round(b, 1) for b in bounds.tolist()), strict=True))
        mark = own[last.claim_id]

        def may_win(i: int, own_score: float) -> bool:  # a tie on own scores goes to the smaller id
            return own_score > mark or (own_score == mark and self._ids[int(rows[i])] < last.claim_id)

        # Own scores computed already stand in for the bounds; best first, for the first claim
        # scored usually takes the tie and raises the mark above most others' bounds.
        best_of = {i: own.get(self._ids[int(rows[i])], bound_of[i]) for i in tie_only}
        able = sorted((i for i in tie_only if may_win(i, best_of[i])), key=lambda i: -best_of[i])
        # The bound is loose (see `_own_bounds`): the next `wanted` claims it lets through get
        # their own scores (which they would need anyway if they tie), and drop out if they lose.
        unknown = [i for i in able[:wanted] if self._ids[int(rows[i])] not in own]
        if unknown:
            ids = [self._ids[int(rows[i])] for i in unknown]
            own.update(zip(ids, self._own_scores(rows[unknown], q), strict=True))
            best_of.update((i, own[claim_id]) for i, claim_id in zip(unknown, ids, strict=True))
            able = sorted((i for i in able if may_win(i, best_of[i])), key=lambda i: -best_of[i])
        tied = set(tie_only)
        return [i for i in hopeful if i not in tied] + able

    def _own_bounds(self, rows: np.ndarray, explained: np.ndarray, q: _Query, idf: np.ndarray,
                    reach: np.ndarray) -> np.ndarray:
        """Per row, an upper bound of `_own_scores`: recall at most the row's explained weight and
        what its own wordings' terms can explain, and each own wording's coverage at most the
        weight of its terms the statement reaches (IDF x the best similarity any statement term
        gives the term) over its weight."""
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        wording_rows = np.repeat(np.arange(len(rows)), per_row)
        own_counts = np.array([self._own[r] for r in rows.tolist()], dtype=np.int64)
        mine = self._wording_text.data[wordings] < own_counts[wording_rows]
        wordings, wording_rows = wordings[mine], wording_rows[mine]
        terms, per_wording = _ranges(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings])
        tids = self._wording_terms.data[terms]
        weights = idf[tids]
        of_wording = np.repeat(np.arange(len(wordings)), per_wording)
        total = np.bincount(of_wording, weights, minlength=len(wordings))
        reached = np.bincount(of_wording, weights * reach[tids], minlength=len(wordings))
        covered = reached / np.where(total == 0, 1.0, total)
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

    def _explained(self, q: _Query, idf: np.ndarray, floor: float,
                   rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, float]]:
        """Per row, the statement weight the claim explains (recall's numerator) and the weight
        of its terms the statement reaches (coverage's bound), both exact at the live rows that
        explain at least `floor` (returned, sorted, with each term id's best similarity).

        A claim using none of the statement's rarer terms cannot reach `floor` when its commoner
        terms weigh less than that together: their long posting lists are then not read whole,
        only looked up for the claims the rarer terms found."""
        best_similarity: dict[int, float] = {}
        for _, items in q.groups:
            for tid, similarity in items:
                if similarity > best_similarity.get(tid, 0.0):
                    best_similarity[tid] = similarity
        skipped = self._skippable(q, floor) if floor >= _SKIP_FLOOR * q.total else set()
        kept = [group for i, group in enumerate(q.groups) if i not in skipped]
        later = [q.groups[i] for i in sorted(skipped)]
        dense = {tid for _, items in kept for tid, _ in items}
        explained = self._zeros("explained", rows)
        reached = self._zeros("reached", rows)
        alive = self._alive.view()
        if later:
            self._add_groups(kept, {tid: s for tid, s in best_similarity.items() if tid in dense}, idf,
                             explained, reached, fresh=True)
            slack = sum(weight * max(s for _, s in items) for weight, items in later)
            found = np.flatnonzero((explained >= floor - slack) & alive)
            sparse = {tid: s for tid, s in best_similarity.items() if tid not in dense}
            postings = sum(len(p) for tid in sparse for p in self._rows_of(tid))
            if len(found) * len(sparse) * _LOOKUP_COST < postings:
                self._add_found(later, sparse, idf, found, explained, reached)
                return explained, reached, found[explained[found] >= floor], best_similarity
            self._add_groups(later, sparse, idf, explained, reached, fresh=False)
            return explained, reached, found[explained[found] >= floor], best_similarity
        self._add_groups(q.groups, best_similarity, idf, explained, reached, fresh=True)
        hopeful = (explained >= floor) if floor > 0 else (explained > 0)
        return explained, reached, np.flatnonzero(hopeful & alive), best_similarity

    def _read_whole(self, q: _Query) -> _Read:
        """`_explained`'s arrays with every posting list read whole: right for any floor."""
        explained, reached, _, best_similarity = self._explained(q, self._idf_table()[1], 0.0, len(self._ids))
        return explained, reached, best_similarity

    def _skippable(self, q: _Query, floor: float) -> set[int]:
        """The statement terms (indexes in `q.groups`) not to read whole: those with the longest
        posting lists that together explain less than `floor` (a claim explaining `floor` uses
        another term too)."""
        sizes = [sum(len(p) for tid, _ in items for p in self._rows_of(tid)) for _, items in q.groups]
        skipped: set[int] = set()
        slack = 0.0
        for i in sorted(range(len(q.groups)), key=lambda i: -sizes[i]):
            weight, items = q.groups[i]
            most = weight * max((s for _, s in items), default=0.0)
            if sizes[i] < _SKIP_MIN_SHARE * len(self._ids):
                break
            if slack + most < floor:
                skipped.add(i)
                slack += most
        return skipped

    def _add_groups(self, groups: list[tuple[float, list[tuple[int, float]]]], similarity_of: dict[int, float],
                    idf: np.ndarray, explained: np.ndarray, reached: np.ndarray, fresh: bool) -> None:
        """Add the statement terms `groups` to every row's explained weight, and the term ids of
        `similarity_of` (id: best similarity) to every row's reached weight (`fresh`: both are
        zeros yet)."""
        # A term found exactly, by one statement term only, adds the same to recall's numerator
        # and to the reached weight: such terms are added to both at once.
        shared: set[int] = set()
        for weight, items in groups:
            if len(items) == 1 and items[0][1] == similarity_of.get(items[0][0]) == 1.0 and weight == idf[items[0][0]]:
                shared.add(items[0][0])
        for weight, items in groups:
            if len(items) == 1 and items[0][0] in shared:
                for postings in self._rows_of(items[0][0]):
                    np.add.at(explained, postings, weight)
                    if not fresh:
                        np.add.at(reached, postings, weight)
        if fresh:
            # Both were zeros: the shared terms' weights are copied whole, which costs less than
            # adding them again one posting list at a time.
            reached += explained
        best = self._zeros("best", len(explained), left_zero=True)  # per row, a statement term's best similarity
        for weight, items in groups:
            if len(items) == 1 and items[0][0] in shared:
                continue
            if len(items) == 1:
                tid, similarity = items[0]
                for postings in self._rows_of(tid):
                    np.add.at(explained, postings, weight * similarity)
            elif items:
                touched = []
                for tid, similarity in sorted(items, key=lambda x: x[1]):  # the largest written last
                    for postings in self._rows_of(tid):
                        best[postings] = similarity
                        touched.append(postings)
                if touched:
                    # A row listed twice gets the same sum twice: it is added once.
                    at = np.concatenate(touched)
                    explained[at] += weight * best[at]
                    best[at] = 0.0
        for tid, similarity in similarity_of.items():
            if tid not in shared:
                for postings in self._rows_of(tid):
                    np.add.at(reached, postings, idf[tid] * similarity)

    def _add_found(self, groups: list[tuple[float, list[tuple[int, float]]]], similarity_of: dict[int, float],
                   idf: np.ndarray, found: np.ndarray, explained: np.ndarray, reached: np.ndarray) -> None:
        """`_add_groups` for the rows `found` (sorted) only, by looking them up in the terms'
        posting lists."""
        extra_explained = np.zeros(len(found))
        for weight, items in groups:
            best = np.zeros(len(found))
            for tid, similarity in sorted(items, key=lambda x: x[1]):  # the largest written last
                best[self._uses(found, tid)] = similarity
            extra_explained += weight * best
        extra_reached = np.zeros(len(found))
        for tid, similarity in similarity_of.items():
            extra_reached[self._uses(found, tid)] += idf[tid] * similarity
        explained[found] += extra_explained
        reached[found] += extra_reached

    def _uses(self, rows: np.ndarray, tid: int) -> np.ndarray:
        """Which of `rows` use the term: a binary search of its posting lists (each sorted: rows
        are indexed in order)."""
        out = np.zeros(len(rows), dtype=bool)
        for postings in self._rows_of(tid):
            if not len(postings):
                continue
            wanted = rows.astype(postings.dtype, copy=False)
            at = np.minimum(np.searchsorted(postings, wanted), len(postings) - 1)
            out |= postings[at] == wanted
        return out

    def _worded(self, candidates: list[Candidate], wording_of: dict[str, int]) -> list[Candidate]:
        """The candidates with the text of the wording that matched best."""
        return [Candidate(c.claim_id, c.score, self._wording(self._row_of[c.claim_id], wording_of[c.claim_id]))
                for c in candidates]

    def _zeros(self, name: str, size: int, left_zero: bool = False) -> np.ndarray:
        """`size` zeros in an array kept from one search to the next (searches hold the lock).

        A new array as long as the base costs a page fault per 4 KB each time it is made: ten
        times what zeroing one already mapped costs (~1 ms against 0.1 at 100,000 claims).
        `left_zero`: its users set back to zero what they wrote, so it needs no zeroing."""
        kept = self._scratch.get(name)
        if kept is None or len(kept) < size:
            kept = self._scratch[name] = np.zeros(size + size // 8)  # room for a few more claims
        out = kept[:size]
        if not left_zero:
            out.fill(0.0)
        return out

    def _best_coverage(self, rows: np.ndarray, idf: np.ndarray, reach: np.ndarray) -> np.ndarray:
        """Per row, an upper bound of its coverage: over its wordings, the most of a wording's
        weight whose terms the statement reaches (each term weighted by IDF x best similarity)."""
        wordings, per_row = _ranges(self._wording_start.data[rows], self._wording_end.data[rows])
        terms, per_wording = _ranges(self._wording_terms_start.data[wordings], self._wording_terms_end.data[wordings])
        tids = self._wording_terms.data[terms]
        weights = idf[tids]
        starts = np.cumsum(per_wording) - per_wording
        covered = np.add.reduceat(weights * reach[tids], starts) / np.add.reduceat(weights, starts)
        return np.minimum(np.maximum.reduceat(covered, np.cumsum(per_row) - per_row), 1.0)


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

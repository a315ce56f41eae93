"""Reading a statement's posting lists: per claim, the weight of the statement it explains and of
its own terms the statement reaches, the bounds the search starts from; the commonest terms looked
up claim by claim when the claims that matter are few."""

from __future__ import annotations

import numpy as np

from claims.match.scores import _Query

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


class Postings:
    """The posting-list reads of the matcher (a mixin over `Index`)."""

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

    def _explained(self, q: _Query, idf: np.ndarray, floor: float,
                   rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, float]]:
        """Per row, the statement weight the claim explains (recall's numerator) and the weight
        of its terms the statement reaches (coverage's bound), both exact at the live rows that
        explain at least `floor` (returned, sorted, with each term id's best similarity).

        A claim using none of the statement's rarer terms cannot reach `floor` when its commoner
        terms weigh less than that together: their long posting lists are then not read whole,
        only looked up for the claims the rarer terms found."""
        best_similarity = _best_similarities(q)
        skipped = self._skippable(q, floor) if floor >= _SKIP_FLOOR * q.total else set()
        kept = [group for i, group in enumerate(q.groups) if i not in skipped]
        later = [q.groups[i] for i in sorted(skipped)]
        dense = {tid for _, items in kept for tid, _ in items}
        explained = self._zeros("explained", rows)
        reached = self._scratch_array("reached", rows)  # set whole by `_add_groups`
        if later:
            self._add_groups(kept, {tid: s for tid, s in best_similarity.items() if tid in dense}, idf,
                             explained, reached, fresh=True)
            slack = sum(weight * max(s for _, s in items) for weight, items in later)
            found = np.flatnonzero(self._live(explained >= floor - slack))
            sparse = {tid: s for tid, s in best_similarity.items() if tid not in dense}
            postings = sum(len(p) for tid in sparse for p in self._rows_of(tid))
            if len(found) * len(sparse) * _LOOKUP_COST < postings:
                self._add_found(later, sparse, idf, found, explained, reached)
                return explained, reached, found[explained[found] >= floor], best_similarity
            self._add_groups(later, sparse, idf, explained, reached, fresh=False)
            return explained, reached, found[explained[found] >= floor], best_similarity
        self._add_groups(q.groups, best_similarity, idf, explained, reached, fresh=True)
        hopeful = (explained >= floor) if floor > 0 else (explained > 0)
        return explained, reached, np.flatnonzero(self._live(hopeful)), best_similarity

    def _read_whole(self, q: _Query) -> _Read:
        """`_explained`'s arrays with every posting list read whole: right for any floor."""
        best_similarity = _best_similarities(q)
        explained = self._zeros("explained", len(self._ids))
        reached = self._scratch_array("reached", len(self._ids))  # set whole by `_add_groups`
        self._add_groups(q.groups, best_similarity, self._idf_table()[1], explained, reached, fresh=True)
        return explained, reached, best_similarity

    def _live(self, mask: np.ndarray) -> np.ndarray:
        """A mask over the rows, without the removed claims' rows (as it is when there are none)."""
        return mask if self._alive_count == len(self._ids) else mask & self._alive.view()

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
        `similarity_of` (id: best similarity) to every row's reached weight (`fresh`: the
        explained weights are zeros yet, and the reached ones are set instead of added to)."""
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
            # The shared terms' weights are copied whole, which costs less than adding them again
            # one posting list at a time.
            np.copyto(reached, explained)
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

    def _zeros(self, name: str, size: int, left_zero: bool = False) -> np.ndarray:
        """`size` zeros in an array kept from one search to the next (searches hold the lock).

        A new array as long as the base costs a page fault per 4 KB each time it is made: ten
        times what zeroing one already mapped costs (~1 ms against 0.1 at 100,000 claims).
        `left_zero`: its users set back to zero what they wrote, so it needs no zeroing."""
        out = self._scratch_array(name, size)
        if not left_zero:
            out.fill(0.0)
        return out

    def _scratch_array(self, name: str, size: int) -> np.ndarray:
        """`size` floats, of any value, in an array kept from one search to the next (see `_zeros`)."""
        kept = self._scratch.get(name)
        if kept is None or len(kept) < size:
            kept = self._scratch[name] = np.zeros(size + size // 8)  # room for a few more claims
        return kept[:size]


def _best_similarities(q: _Query) -> dict[int, float]:
    """Per term id among the statement terms' expansions, the best similarity any gives it."""
    best: dict[int, float] = {}
    for _, items in q.groups:
        for tid, similarity in items:
            if similarity > best.get(tid, 0.0):
                best[tid] = similarity
    return best

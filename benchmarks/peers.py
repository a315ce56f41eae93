"""The fair peers of `crosscheck bench`: finding a statement's claim with rapidfuzz, no index.

This is what a competent engineer would write instead of our index: preprocess every wording of
every claim once, then score a statement against all of them with one rapidfuzz call and keep
the claim of the best wording (a claim scores its best wording). Two peers, because which one is
the stronger depends on what it may use (both measured at 10,000 claims, on the bench's base):

- `rapidfuzz` (rapidfuzz alone): `utils.default_process` (lower case, punctuation to spaces),
  `fuzz.token_set_ratio` (is this short statement about that longer wording), through
  `process.cdist(..., workers=-1)`, the call that uses every core. The peer that most often
  finds the very claim a statement paraphrases, and the one issue 15 measured. `extractOne`
  with the same scorer is no faster; `WRatio` through `cdist` is four times slower, and through
  `extractOne` a quarter faster and about as accurate.
- `normalised` (rapidfuzz over our normaliser's terms, joined by spaces): `fuzz.WRatio` through
  `process.extractOne`, which skips every wording whose length alone keeps it below the best score
  so far. Short strings and that pruning make it the fastest peer (3x `rapidfuzz` at the median)
  and about as accurate as our index; building it costs what normalising costs us.
  `token_set_ratio` is a poor scorer here: a statement's few terms are a subset of many
  wordings, which scores 100 for all of them (two right claims in three).

Ties go to the smaller claim id, as in our engine: wordings are held in claim id order, `cdist`
ties are broken by a stable sort and `extractOne` keeps the first best choice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import numpy as np
from rapidfuzz import fuzz, process, utils

from claims.models import Claim

PEERS = ("rapidfuzz", "normalised")


class RapidfuzzPeer:
    """Every claim's wordings, preprocessed once, and the claim of a statement's best wording.

    `normalise` turns a text into our normaliser's terms; without it the peer is `rapidfuzz`
    (default_process, token_set_ratio, cdist on every core), with it `normalised` (the terms
    joined, WRatio, extractOne)."""

    def __init__(self, claims: Iterable[Claim], normalise: Callable[[str], Iterable[str]] | None = None):
        started = time.perf_counter()
        self.name = PEERS[0] if normalise is None else PEERS[1]
        if normalise is None:
            self._preprocess: Callable[[str], str] = utils.default_process
        else:
            self._preprocess = lambda text: " ".join(normalise(text))
        active = sorted((c for c in claims if c.status == "active"), key=lambda c: c.id)
        self.claim_ids = [c.id for c in active]
        self._choices: list[str] = []
        owner: list[int] = []
        for i, claim in enumerate(active):
            texts = [self._preprocess(t) for t in (*claim.texts(), *(v.text for v in claim.versions))]
            self._choices += texts
            owner += [i] * len(texts)
        self._owner = np.array(owner, dtype=np.int64)
        # where each claim's wordings start (every claim has a statement: no claim is empty)
        self._starts = np.flatnonzero(np.r_[True, self._owner[1:] != self._owner[:-1]]) if owner else self._owner
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self._choices)

    def best(self, statement: str) -> tuple[str, float] | None:
        """The claim of the statement's best wording and its score (0-100), if any scores above 0."""
        query = self._preprocess(statement)
        if not self._choices or not query:
            return None
        if self.name == "normalised":
            found = process.extractOne(query, self._choices, scorer=fuzz.WRatio, processor=None, score_cutoff=1)
            return (self.claim_ids[int(self._owner[found[2]])], float(found[1])) if found else None
        scores = process.cdist([query], self._choices, scorer=fuzz.token_set_ratio, processor=None, workers=-1)[0]
        per_claim = np.maximum.reduceat(scores, self._starts)
        top = int(np.argmax(per_claim))  # the first of the best: claims are in id order
        return (self.claim_ids[top], float(per_claim[top])) if per_claim[top] > 0 else None

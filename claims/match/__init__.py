"""Match a statement to the claim it is about: candidate retrieval, then fuzzy scoring.

Matching compares topics, not details: dates and numbers are left out of the terms (they are
the verdict's business), so "Only 1,000 US troops are in Iraq" finds the troop-count claim and
the verdict then finds the number wrong.

Two steps, kept apart so that retrieval can be fast without touching scoring or verdicts:

1. Retrieval: the claims sharing at least one term (exactly, or as a close spelling) with the
   statement. A claim sharing none scores zero, so skipping it never changes the result.
2. `score`: how much of the statement the claim explains and how much of one of the claim's
   wordings the statement covers, each term weighted by its rarity (IDF) in the base, with
   rapidfuzz similarity for misspelt terms. Claims of equal score are ranked by how well their
   own statement and aliases match (a version's text is one source's report, not the claim's
   wording), then by id (`Matcher.rank`).

Retrieval stays fast as the base grows to 100,000 claims without changing any result:

- The index keeps, per term, the rows of the claims using it (one flat numpy array cut by term,
  plus the rows added since it was built), and per claim its terms and wordings as term ids in
  flat arrays, so memory stays small. Edits (`add`, `remove`) update it in place; removed
  claims' rows are skipped until enough of them pile up to rebuild the arrays without them.
- `match` computes, for every claim sharing a term, an upper bound of its score with a few
  vectorised passes over the statement terms' posting lists: the recall part of the score is
  computed exactly, the coverage part bounded from above (see `_search`). Claims are then scored
  exactly, best bound first, until no remaining bound can reach the result: the top claim and
  the suggestions are exactly those a scan scoring every claim finds (`match_full_scan`).
- Fuzzy expansion of a statement term only runs rapidfuzz over the vocabulary terms that could
  reach FUZZY_CUTOFF (a length and character-set filter that never drops one), so its result is
  that of `process.extract` over the whole vocabulary.
"""

from claims.match.entries import (
    BATCH_CLAIMS,
    PARALLEL_FROM,
    batch_of_payloads,
    claim_payload,
    claim_slots,
    claim_terms,
    read_batch,
)
from claims.match.scores import (
    COUNT_BONUS,
    FUZZY_CUTOFF,
    MATCH,
    MAX_SUGGESTIONS,
    POSSIBLE,
    SLOT_BONUS,
    STATEMENT_SHARE,
    Candidate,
    MatchResult,
    Outcome,
    slot_bonus,
)
from claims.match.search import Matcher
from claims.match.state import STATE_ARRAYS, IndexState

__all__ = ["BATCH_CLAIMS", "COUNT_BONUS", "FUZZY_CUTOFF", "MATCH", "MAX_SUGGESTIONS", "PARALLEL_FROM", "POSSIBLE",
           "SLOT_BONUS", "STATEMENT_SHARE", "STATE_ARRAYS", "Candidate", "IndexState", "MatchResult", "Matcher",
           "Outcome", "batch_of_payloads", "claim_payload", "claim_slots", "claim_terms", "read_batch", "slot_bonus"]

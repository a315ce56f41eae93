"""From a news report to drafts a moderator accepts, edits or rejects (issue 13).

    drafting = draft_article(engine, "eu-today-2024-09", text, published=date(2024, 9, 9))
    drafting.drafts     # what the article adds: a source, a version, a claim, an entity
    drafting.skipped    # the sentences that draft nothing, and why

`checks` refuses what is not an article's text (empty, huge, HTML, binary, not English);
`sentences` splits it into verbatim sentences and judges which are worth checking; `drafting`
matches each with the engine's own matcher and verdict rules; `fill` turns what a sentence
says into a version's values; `names` finds who is quoted and the names the workspace does not
know. Nothing here writes: the curator stores drafts and accepts them (`claims.curate.drafts`).
"""

from claims.ingest.checks import ArticleError, article_problem
from claims.ingest.drafting import Draft, Drafting, Skip, draft_article

__all__ = ["ArticleError", "Draft", "Drafting", "Skip", "article_problem", "draft_article"]

"""Is a text an article's text? Refuse, with what to do, what cannot be drafted from.

A moderator may paste the wrong thing: nothing, a whole web page's HTML, a binary file read as
text, a report in another language, or a paste far larger than any report. Each is refused
before anything is stored, so the queue never holds half an article's drafts.
"""

from __future__ import annotations

import re

from claims.language import english_problem

# The shipped base's longest article is 8 kB; the loader refuses article files over 2 MB. A news
# report is rarely over 100 kB: a paste many times that is a book, a feed or a dump.
MAX_ARTICLE_CHARS = 500_000
MIN_ARTICLE_CHARS = 50

_TAG = re.compile(r"<\s*/?\s*(?:html|head|body|div|span|p|a|script|style|meta|link|br|img|li|ul|table|tr|td|"
                  r"!doctype)\b[^>]*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


class ArticleError(ValueError):
    """The text cannot be drafted from; the message says why and what to do."""


def article_problem(text: object) -> str | None:
    """Why `text` is not an article's text to draft from (None when it is)."""
    if not isinstance(text, str):
        return "the article must be text (a UTF-8 .txt file or a paste)"
    stripped = text.strip()
    if not stripped:
        return "the article is empty: paste its text or attach it as a .txt file"
    if len(text) > MAX_ARTICLE_CHARS:
        return (f"the article is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}. Paste one report's "
                "text, not a whole page or feed")
    if len(_CONTROL.findall(text)) > max(3, len(text) // 1000):
        return "the file looks binary (it holds control characters), not text: save the article as plain UTF-8 text"
    if len(stripped) < MIN_ARTICLE_CHARS:
        return f"the article is too short ({len(stripped)} characters; at least {MIN_ARTICLE_CHARS})"
    tags = len(_TAG.findall(text))
    if tags >= 5 or re.match(r"\s*<(?:!doctype|html)\b", text, re.IGNORECASE):
        return ("this is an HTML page, not the article's text: copy the text from the page (a reader view "
                "helps) and paste that")
    sample = " ".join(stripped.split()[:400])
    problem = english_problem(sample)
    if problem:
        return f"{problem}: drafting reads English reports only"
    return None


def require_article(text: object) -> str:
    """The text, or ArticleError saying why it cannot be drafted from."""
    problem = article_problem(text)
    if problem:
        raise ArticleError(problem)
    return text  # type: ignore[return-value]

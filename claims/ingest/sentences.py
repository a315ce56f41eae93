"""An article's sentences, verbatim, each judged worth drafting from or skipped with why.

Sentences are found as `claims.sentences` finds a chat message's (sentencesplit's rules), one
line at a time, and kept as the article writes them: a draft quotes its sentence, so the quote
is in the article by construction. What a reader would skip is skipped, with the reason shown
to the moderator: web-page chrome ("Share it", "Leave a comment"), a heading, byline or caption
that states nothing (no verb), an opinion (the report's own: one it reports someone giving is a
report of their saying so), a condition ("If ..."), a fragment, a sentence in
another language, one said twice, and one too long to quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sentencesplit

from claims import checkworthy
from claims.extract import BE_HAVE, PLAN_MARKERS
from claims.lemmas import readings
from claims.load import quote_in_text
from claims.text import STOP_WORDS, Normaliser

MIN_WORDS = 4
MAX_QUOTE_CHARS = 1000  # a source's quote (claims.models.SourceRef)

# Why a sentence drafts nothing, as the moderator reads it.
CHROME = "page furniture (sharing, comments, navigation), not the report"
NO_VERB = "states nothing (a heading, byline or caption without a verb)"
TOO_SHORT = "too short to state a claim"
REPEATED = "repeats an earlier sentence"
TOO_LONG = f"longer than a quote may be ({MAX_QUOTE_CHARS} characters)"
NOT_QUOTABLE = "could not be quoted verbatim"
CONDITIONAL = "a condition (\"If ...\"): it says what would follow, not what happened or was said"
# A sentence opening with a condition asserts its main clause only under it ("If US forces leave
# Iraq, it will be during a period when ..."): a report of neither.
_CONDITIONAL = re.compile(r"^\W*(?:If|Unless|Even if|Only if)\s")

# Web-page text around a report, in any outlet's page: not news, whatever the topic.
_CHROME = re.compile(
    r"^\W*(?:share(?:\s+(?:it|this|on\s+\w+))?|tweet|print|email|leave a (?:comment|reply)|comments?|reply|"
    r"read (?:more|next|also)|see also|related(?: articles| stories| posts)?|scroll (?:for|to) (?:next|more)\b.*|"
    r"(?:sign up|subscribe)\b.*|follow us\b.*|advertisement|sponsored|click here\b.*|"
    r"(?:all rights reserved|copyright|©)\b.*|cookies?\b.*|photo:.*|image:.*|source:.*|tags?:.*)\W*$",
    re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*|\d[\d,.]*")
# A sentence that says who said what it reports: "Officials said a fault may have caused the
# accident, which, they said, was the worst they had seen" reports a judgement, it makes none.
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|added|according to|stated)\b", re.IGNORECASE)
_FUNCTION_WORDS = frozenset("""over out up down in on off about by for to with as at from into after before since
until like near past round through under""".split())  # noqa: SIM905


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article: its place in order, its verbatim text, and why it is skipped
    (None: worth drafting from)."""

    position: int
    text: str
    skipped: str | None = None


@lru_cache(maxsize=1)
def _segmenter() -> sentencesplit.Segmenter:
    return sentencesplit.Segmenter(language="en", clean=False)


def article_sentences(text: str, normaliser: Normaliser | None = None) -> list[Sentence]:
    """Every sentence of the article in order, each marked with why it is skipped, if it is."""
    out: list[Sentence] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        for piece in _joined(_segmenter().segment(line)):
            sentence = " ".join(piece.split())
            if not sentence:
                continue
            key = sentence.casefold()
            reason = REPEATED if key in seen else skip_reason(sentence, text, normaliser)
            seen.add(key)
            out.append(Sentence(len(out), sentence, reason))
    return out


def _joined(pieces: list[str]) -> list[str]:
    """The pieces with an abbreviation the splitter cut off put back ("U." + "S. Withdrawal from
    Iraq Officially Begins", "U.S." + "Withdrawal ..."): a piece of one short word ending in a full
    stop, followed on the same line, opens the next piece."""
    out: list[str] = []
    carry = ""
    for piece in pieces:
        text = f"{carry} {piece}" if carry else piece
        carry = ""
        words = text.split()
        if len(words) == 1 and len(words[0]) <= 5 and words[0].endswith(".") and words[0][:1].isupper():
            carry = text
            continue
        out.append(text)
    if carry:
        out.append(carry)
    return out


def skip_reason(sentence: str, article: str, normaliser: Normaliser | None = None) -> str | None:
    """Why a sentence of the article drafts nothing (None: it may)."""
    if _CHROME.match(sentence):
        return CHROME
    if len(sentence) > MAX_QUOTE_CHARS:
        return TOO_LONG
    problem = checkworthy.problem(sentence, normaliser)
    if problem == checkworthy.OPINION and _ATTRIBUTED.search(sentence):
        problem = None  # what someone is reported to have said or judged is a report of their saying so
    if problem:
        return problem
    words = _WORD.findall(sentence)
    if len(words) < MIN_WORDS:
        return TOO_SHORT
    if not _has_verb(words):
        return NO_VERB
    if _CONDITIONAL.match(sentence):
        return CONDITIONAL
    if not quote_in_text(sentence, article):
        return NOT_QUOTABLE
    return None


def _has_verb(words: list[str]) -> bool:
    """Whether any word can be a verb: a report states something; a caption only names."""
    for word in words:
        lower = word.lower().rstrip(".")
        if lower in BE_HAVE or lower in PLAN_MARKERS - {"plan", "plans", "set", "due"}:
            return True
        if lower in _FUNCTION_WORDS or lower in STOP_WORDS:
            continue
        found = readings(lower)
        if "VERB" in found or "AUX" in found:
            return True
    return False

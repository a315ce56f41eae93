"""Split a chat message into the sentences worth fact-checking, and say why the others are not.

A long message can hold several claims; the context menu answers each of them, up to a limit.
Sentences are found by sentencesplit (pySBD's rule-based sentence boundary detection, the
"Golden Rules" of English, in its author's maintained fork): "Gen. Smith said US forces would
leave by Sept. 2026." is one sentence, and "Dr. Al-Sudani met Mr. Biden." keeps its subject. A
regular expression cannot know every abbreviation; these rules know hundreds, and numbers,
initials, ellipses and quotes.

Each sentence is then checked or skipped, with the reason the reply gives for skipping it:
too short, an opinion, no claim (a greeting, a command, a remark to the bot), not in English,
said twice, or over the limit of sentences per message (see `claims.checkworthy`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import sentencesplit

from claims import checkworthy

MAX_CLAIMS_PER_MESSAGE = 5
MIN_WORDS = 4

# Why a sentence was not checked, as the reply says it.
TOO_SHORT = "too short"
OPINION = "an opinion"
NO_CLAIM = "no claim"
NOT_ENGLISH = "not in English"
REPEATED = "said twice"
_REASONS = {checkworthy.FRAGMENT: TOO_SHORT, checkworthy.OPINION: OPINION, checkworthy.GREETING: NO_CLAIM,
            checkworthy.COMMAND: NO_CLAIM, checkworthy.NOTHING: NO_CLAIM, checkworthy.NOT_ENGLISH: NOT_ENGLISH}

_URL = re.compile(r"https?://\S+")
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")
_WORDS = re.compile(r"[A-Za-z0-9][\w'.,-]*")


def over_limit(limit: int) -> str:
    return f"over the limit of {limit} sentences per message"


@dataclass(frozen=True)
class Skipped:
    """A sentence of the message that was not checked, and why."""

    text: str
    reason: str


@dataclass
class Split:
    """A message's sentences to check (in order) and those skipped."""

    sentences: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@lru_cache(maxsize=1)
def _segmenter() -> sentencesplit.Segmenter:
    # clean=False: the sentences are the message's own words, not a rewritten copy.
    return sentencesplit.Segmenter(language="en", clean=False)


def sentences_of(text: str) -> list[str]:
    """The message's sentences, trimmed, in order (line breaks and bullets end one too)."""
    text = _DISCORD_MARKUP.sub(" ", _URL.sub(" ", text))
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for piece in _segmenter().segment(line):
            sentence = " ".join(piece.split()).strip(" -*>•")
            if sentence:
                out.append(sentence)
    return out


def split_message(text: str, limit: int = MAX_CLAIMS_PER_MESSAGE) -> Split:
    """The message's check-worthy sentences, at most `limit` (distinct), and the others with why."""
    split = Split()
    seen: set[str] = set()
    for sentence in sentences_of(text):
        key = sentence.casefold()
        if key in seen:
            split.skipped.append(Skipped(sentence, REPEATED))
            continue
        seen.add(key)
        reason = _reason(sentence)
        if reason:
            split.skipped.append(Skipped(sentence, reason))
        elif len(split.sentences) >= limit:
            split.skipped.append(Skipped(sentence, over_limit(limit)))
        else:
            split.sentences.append(sentence)
    return split


def _reason(sentence: str) -> str | None:
    problem = checkworthy.problem(sentence)
    if problem:
        return _REASONS[problem]
    if len(_WORDS.findall(sentence)) < MIN_WORDS:
        return TOO_SHORT
    return None


def checkworthy_sentences(text: str, limit: int = MAX_CLAIMS_PER_MESSAGE) -> list[str]:
    """The message's check-worthy sentences, in order, at most `limit` (distinct, trimmed)."""
    return split_message(text, limit).sentences

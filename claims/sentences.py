"""Split a chat message into the sentences worth fact-checking.

A long message can hold several claims; the context menu answers each of them, up to a limit.
Greetings, questions about the bot, and fragments too short to assert anything are skipped.
"""

from __future__ import annotations

import re

MAX_CLAIMS_PER_MESSAGE = 5
MIN_WORDS = 4

# A sentence ends at . ! or ? and a space, but not after an initial such as the S. of "U.S.".
_SPLIT = re.compile(r"(?<=[.!?])(?<![\s.][A-Z]\.)[\"”')\]]*\s+|\n+")
_URL = re.compile(r"https?://\S+")
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")


def checkworthy_sentences(text: str, limit: int = MAX_CLAIMS_PER_MESSAGE) -> list[str]:
    """The message's check-worthy sentences, in order, at most `limit` (distinct, trimmed)."""
    text = _DISCORD_MARKUP.sub(" ", _URL.sub(" ", text))
    out: list[str] = []
    seen: set[str] = set()
    for piece in _SPLIT.split(text):
        sentence = " ".join(piece.split()).strip(" -*>•")
        words = re.findall(r"[A-Za-z0-9][\w'.,-]*", sentence)
        if len(words) < MIN_WORDS:
            continue
        key = sentence.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(sentence)
        if len(out) >= limit:
            break
    return out

"""Is a message worth a moderator's time? Questions go to the review queue; chatter does not.

"lol is this bot even working?", "clear", "/foo", "bonjour à tous" were answered, rightly, and
queued, wrongly: moderators read them as questions waiting for a claim. A statement is not
queued when it is

- not in English (`claims.language`: the base and the matching are English only);
- a command ("/foo", "!help": typed for another bot, or for this one in the wrong place);
- a greeting or small talk ("good morning everyone", "ok thanks");
- a fragment: fewer than `MIN_WORDS` words ("clear", "Iraq?");
- an opinion: a judgement or a wish, not a report ("Biden is a clown", "I hope they leave");
- nothing checkable: a remark to the bot ("is this bot even working?"), or fewer than two words
  that say anything.

Such a statement is still answered, and still logged and counted (the review queue and the
digest say how many were not queued, and why), so moderators see the volume without reading
each one. The same tests tell which sentences of a message are worth checking (`claims.sentences`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claims.language import english_problem

if TYPE_CHECKING:
    from claims.engine import Reply
    from claims.text import Normaliser

MIN_WORDS = 3

# Reasons, as the card and the counts say them.
NOT_ENGLISH = "not in English"
COMMAND = "a command"
GREETING = "a greeting or small talk"
FRAGMENT = "a fragment"
OPINION = "an opinion"
NOTHING = "nothing checkable"
REASONS = (NOT_ENGLISH, COMMAND, GREETING, FRAGMENT, OPINION, NOTHING)

_COMMAND = re.compile(r"^\s*[/!$?.;>][a-z][\w-]*(?:\s|$)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
GREETING_WORDS = frozenset("""
hi hello hey heya hiya howdy yo sup gm gn morning evening afternoon night good goodnight thanks thank thx ty tysm
cheers bye goodbye cya welcome everyone everybody all guys folks yall y'all there lol lmao lmfao rofl haha hahaha
hehe ok okay k kk cool nice great yes yeah yep yup no nope nah sure please pls plz hmm hm huh oh ah wow omg bot
crosscheck you u how are r is it going what's whats up doing the a and to for with in again friends team server
""".split())  # noqa: SIM905
_GREETS = frozenset("""hi hello hey heya hiya howdy yo sup gm gn morning evening afternoon thanks thank thx ty tysm
cheers bye goodbye cya welcome goodnight""".split())  # noqa: SIM905
# Words that carry no claim of their own: chat, and the bot itself.
CHAT_TERMS = frozenset("""lol lmao rofl haha bot crosscheck work thank thx cool ok okay pleas pls hmm yeah yep nope
good morn even realli actual guy folk everyon anyon someon""".split())  # noqa: SIM905
# A judgement or a wish, not a report of something that happened or is so.
_OPINION = re.compile(
    r"\b(?:i|we)\s+(?:really\s+)?(?:love|hate|like|dislike|prefer|wish|hope|feel\s+like)\b"
    r"|\b(?:imo|imho|in\s+my\s+(?:humble\s+)?opinion|personally)\b"
    r"|\b(?:is|are|was|were)\s+(?:such\s+|so\s+|really\s+|totally\s+|a\s+total\s+|the\s+)?"
    r"(?:a\s+)?(?:clown|clowns|joke|disaster|idiot|idiots|stupid|dumb|evil|terrible|awful|great|amazing|"
    r"awesome|the\s+best|the\s+worst|best|worst|ridiculous|insane|crazy|pathetic|disgusting|brilliant|"
    r"genius|a\s+hero|heroes|a\s+liar|liars|corrupt|useless)\b",
    re.IGNORECASE)
# A remark to the bot about the bot ("is this bot even working", "are you there", "what can you do").
_TO_THE_BOT = re.compile(r"\b(?:bot|crosscheck)\b|\b(?:are|can|do|did|will|would|could)\s+(?:you|u)\b|"
                         r"\b(?:you|u)\s+(?:there|working|alive|awake|broken|dumb)\b", re.IGNORECASE)


def words_of(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def problem(text: str, normaliser: Normaliser | None = None) -> str | None:
    """Why `text` is not a statement to queue for the moderators (None when it is one).

    `normaliser` (the workspace's) tells which words say something; without it, every word
    outside small talk counts."""
    if english_problem(text):
        return NOT_ENGLISH
    if _COMMAND.match(text):
        return COMMAND
    words = words_of(text)
    if words and all(w in GREETING_WORDS for w in words) and any(w in _GREETS for w in words):
        return GREETING
    if len(words) < MIN_WORDS:
        return FRAGMENT if words else NOTHING
    if all(w in GREETING_WORDS for w in words):
        return GREETING
    if _OPINION.search(text):
        return OPINION
    if _TO_THE_BOT.search(text) and not _names_anything(text, normaliser):
        return NOTHING
    if normaliser is not None:
        terms = [t for t in normaliser.normalise(text).terms if t not in CHAT_TERMS]
        if len(terms) < 2:
            return NOTHING
    return None


def _names_anything(text: str, normaliser: Normaliser | None) -> bool:
    """Whether a remark to the bot also names someone or something the base knows."""
    return normaliser is not None and any(t.startswith("@") for t in normaliser.normalise(text).terms)


_QUEUED = re.compile(r"\b([Tt])he question was queued for the moderators")


def triage(reply: Reply, normaliser: Normaliser | None = None) -> Reply:
    """Mark a reply that should not reach the review queue (`reply.not_queued`), and make its
    explanation say so instead of "the question was queued"."""
    reply.not_queued = problem(reply.statement, normaliser)
    if reply.not_queued:
        said = f"t was not queued for the moderators ({reply.not_queued})"
        reply.explanation = _QUEUED.sub(lambda m: ("I" if m.group(1) == "T" else "i") + said, reply.explanation)
    return reply

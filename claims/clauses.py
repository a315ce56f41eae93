"""Split a statement into the claims it makes: "A and B" is two claims when A and B can each stand.

A statement is cut at ";" and at "and", "but", "while", "whereas", "as well as" where both sides
can stand as assertions: each has a verb that makes it one ("ISIS emerged in 2014 and seized a
third of Iraq"). "And" inside a noun phrase is not a cut: "Israel and Iran fought", "leave
Baghdad and Ain al-Asad", "rockets and drones" leave a side with no verb. A right-hand side
that starts with its verb borrows the left-hand side's subject: "The PMU have 150,000 members
and are funded by Iraq" makes "The PMU are funded by Iraq".
"""

from __future__ import annotations

import re

from claims.lemmas import past_form, readings, simple_past
from claims.lexicon import lexicon

# Verbs that make a clause an assertion by themselves ("is", "was", "will", "has"...).
FINITE_AUXILIARIES = {"is", "are", "was", "were", "am", "has", "have", "had", "will", "would", "shall", "should",
                      "can", "could", "may", "might", "must", "did", "does", "do", "isn't", "aren't", "wasn't",
                      "weren't", "hasn't", "haven't", "hadn't", "won't", "didn't", "doesn't", "don't", "can't"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "so"}
_CONJUNCTION = re.compile(r",?\s+(?:and|but|while|whereas|as\s+well\s+as|and\s+also|and\s+then)\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
# Saying words whose object is a clause: "said the mission in Baghdad | and Ain al-Asad will end"
CLAUSE_TAKING = {"said", "says", "say", "argued", "argues", "stated", "states", "claimed", "claims", "believes",
                 "believed", "thinks", "thought", "warned", "stressed", "insisted", "insists", "added", "noted",
                 "explained", "reaffirmed", "reported", "wrote", "writes"}
MAX_PARTS = 6


def _verb_at(words: list[str], i: int, gerund: bool = False) -> bool:
    word = words[i].lower()
    prev = words[i - 1].lower() if i else ""
    if word in FINITE_AUXILIARIES:
        return True
    if simple_past(word) and prev not in DETERMINERS and word not in ("could", "would", "should", "might"):
        return True
    found = readings(word)
    verbs = found.get("VERB")
    if not verbs:
        return False
    if word.endswith("s") and not word.endswith("ss") and prev not in DETERMINERS and (
            lexicon().mostly_verb(verbs[0])):
        return True  # "the deadline falls", "Turkey attacks": a present form after its subject
    return gerund and word.endswith("ing") and i == 0


SUBORDINATORS = {"after", "before", "since", "when", "because", "until", "once", "if", "unless", "although",
                 "though", "whether", "where", "as"}


def first_verb(words: list[str], gerund: bool = False) -> int | None:
    """Where the first verb that makes the words an assertion is, if any. A verb after a word
    opening a subordinate clause ("Syria three years after US troops left") does not count,
    unless the words start with that clause ("After 2017 the groups attacked...")."""
    for i in range(len(words)):
        if i and words[i].lower() in SUBORDINATORS:
            return None
        if _verb_at(words, i, gerund):
            return i
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def split(text: str) -> list[str]:
    """The claims a statement makes, in order (one when it makes one)."""
    parts: list[str] = []
    for segment in text.split(";"):
        parts.extend(_split_segment(segment.strip()))
    return [p for p in (part.strip(" ,.") for part in parts) if p]


def _split_segment(segment: str) -> list[str]:
    if not segment:
        return []
    for m in _CONJUNCTION.finditer(segment):
        left, right = segment[: m.start()].strip(), segment[m.end():].strip()
        left_words, right_words = _words(left), _words(right)
        if not left_words or not right_words:
            continue
        if m.group(0).strip(", ").lower() == "while" and left_words[-1].lower() in DETERMINERS:
            continue  # "took a while to realise": the noun, not the conjunction
        left_verb = first_verb(left_words)
        if left_verb is not None and not _complete(left_words, left_verb):
            continue  # "announced that the withdrawal from Baghdad | and Ain al-Asad would begin"
        gerund = "well" in m.group(0).lower()
        right_verb = first_verb(right_words, gerund)
        if left_verb is None or right_verb is None or _reduced_relative(right_words, right_verb):
            continue
        if right_words[right_verb].lower() in CLAUSE_TAKING and right_verb == len(right_words) - 1:
            continue  # "on Monday and Tuesday, a spokesperson said": who said it all, not a claim
        if right_verb == 0 and len(right_words) < 2:
            continue  # "promised to leave and stayed": too little to be a claim of its own
        if right_verb == 0 and any(w.lower() in ("which", "who") for w in left_words[left_verb + 1:]):
            continue  # "the NDRF, which has rescued 55 people and extricated 74 bodies": one relative clause
        if right_verb == 0 and not m.group(0).strip(", ").lower().startswith(("while", "whereas")):
            right = f"{_subject(left, left_words, left_verb)} {right}".strip()
        elif right_verb == 0:
            continue  # "while stationed in Iraq": no clause of its own
        return [left, *_split_segment(right)]
    return [segment]


def _complete(words: list[str], verb: int) -> bool:
    """Whether a left-hand side is a whole assertion: a clause it opens ("announced that ...",
    "said ...") has a verb of its own."""
    lowered = [w.lower() for w in words]
    if "that" in lowered[verb:]:
        after = len(lowered) - 1 - lowered[::-1].index("that")
        return first_verb(words[after + 1:]) is not None
    if lowered[verb] in CLAUSE_TAKING:
        return first_verb(words[verb + 1:]) is not None
    return True


def _reduced_relative(words: list[str], verb: int) -> bool:
    """'missiles and drones aimed at Israel': a bare noun, then a participle and its preposition,
    continue the left side's object; they make no claim of their own."""
    if verb == 0 or verb + 1 >= len(words) or words[0].lower() in DETERMINERS or words[0][:1].isupper():
        return False
    word = words[verb].lower()
    regular = word.endswith("ed") and (past_form(word) or "") + "ed" != word + "ed"
    return regular and words[verb + 1].lower() in ("at", "in", "on", "by", "to", "from", "for", "with", "into")


def _subject(left: str, words: list[str], verb: int) -> str:
    """The words of `left` before its verb: the subject a verb-first right-hand side shares."""
    if verb == 0:
        return ""
    # The left side's own text up to its verb's first letter (keeps "U.S.", "Iraq's").
    at = 0
    for k, word in enumerate(words[:verb + 1]):
        at = left.find(word, at)
        if k < verb:
            at += len(word)
    subject = left[:at].strip() if at > 0 else " ".join(words[:verb])
    # "Didn't ISIS ..." / "Did ISIS ...": the auxiliary belongs to the question, not the subject
    return re.sub(r"^(?:did|does|do|didn't|doesn't|don't)\s+", "", subject, flags=re.IGNORECASE)


__all__ = ["MAX_PARTS", "first_verb", "past_form", "split"]

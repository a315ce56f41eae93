"""Questions read as questions: a question's verdict is that of the statement it asks about.

"Didn't the coalition form in 2014?" asks whether it formed then; it does not deny it. So a
negation carried by the question's opening auxiliary is dropped ("Didn't X happen?" is judged
as "Did X happen?", that is as "X happened"), and so is a lead-in that only asks for a check
("Isn't it true that X?", "Is it the case that X?", "Fact check: X"). A negation inside the
statement asked about stays: "Is it true that ISIS was not defeated?" asks about the denial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AUXILIARIES = ("do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "will", "would", "could",
               "should", "can", "must", "shall", "might")
_AUX = "|".join(AUXILIARIES)
# "won't" is "will not", "can't" "can not", "ain't" "is not": the auxiliary as the statement has it.
_IRREGULAR = {"won't": "will", "wont": "will", "can't": "can", "cant": "can", "ain't": "is", "shan't": "shall"}

# Lead-ins that ask for a check of what follows; they say nothing themselves.
_LEAD_IN = re.compile(
    r"^\s*(?:(?:so|but|and|wait|hey|ok|okay|hmm|well|honestly|seriously|really)\s*[,.!]?\s+)*"
    r"(?:(?:is|was|isn'?t|wasn'?t|is\s+not|was\s+not)\s+it\s+(?:really\s+)?"
    r"(?:true|correct|right|accurate|the\s+case|a\s+fact)\s+that"
    r"|(?:is\s+)?(?:this|that|it)\s+(?:true|correct|right)\s*[:?,-]"
    r"|true\s+or\s+false\s*[:?,-]"
    r"|fact[\s-]*check\s*[:?,-]?"
    r"|(?:can|could)\s+(?:you|someone|anyone)\s+(?:please\s+)?(?:confirm|check|verify)\s+(?:that|whether|if)?"
    r"|did\s+you\s+know\s+that"
    r"|i\s+(?:heard|read|was\s+told)\s+that)\s*",
    re.IGNORECASE,
)
_NEGATED_AUX = re.compile(rf"^(\s*)((?:{_AUX})n['’]?t|won['’]?t|can['’]?t|ain['’]?t|shan['’]?t)\b", re.IGNORECASE)
# "Did the coalition not form in 2014?": the "not" after the subject of an auxiliary-first question.
_AUX_THEN_NOT = re.compile(rf"^(\s*(?:{_AUX})\b[^?]{{1,80}}?)\s+not\b", re.IGNORECASE)
_STARTS_WITH_AUX = re.compile(rf"^\s*(?:{_AUX})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """The statement a message asks about."""

    text: str
    question: bool  # the message was a question
    negated_question: bool  # its negation belonged to the question ("Didn't...?"), and was dropped


def positive_form(text: str) -> Reading:
    """The statement that `text` asks about; unchanged when it is not a question."""
    question = text.rstrip().endswith("?") or bool(_STARTS_WITH_AUX.match(text))
    stripped = _LEAD_IN.sub("", text, count=1)
    lead_in = stripped != text
    if lead_in:
        question = True
        text = stripped.lstrip(" ,:-")
    negated = False
    m = _NEGATED_AUX.match(text)
    if m:
        word = m.group(2).lower().replace("’", "'")
        aux = _IRREGULAR.get(word) or re.sub(r"n'?t$", "", word)
        if m.group(2)[0].isupper():
            aux = aux.capitalize()
        text = m.group(1) + aux + text[m.end():]
        question = negated = True
    elif question and _STARTS_WITH_AUX.match(text):
        m = _AUX_THEN_NOT.match(text)
        if m:
            text = m.group(1) + text[m.end():]
            negated = True
    return Reading(text.strip(), question, negated)

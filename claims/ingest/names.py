"""Who a sentence quotes, and the names in it that the workspace does not know.

Attribution is read from the sentence's own words: "X said", "said X", "according to X",
"X told Al-Hadath", "X confirmed". The speaker becomes the source's `said_by` as written;
when it is an entity the workspace knows, `claims.ingest.fill` also gives it as the version's
`speaker`. A run of capitalised words the entity index does not resolve (a person, an agency,
a place) becomes an entity draft, its kind guessed from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extract import SAY_WORDS
from claims.lemmas import readings
from claims.text import ENTITY_PREFIX, EntityIndex

_SAY = "|".join(sorted((w for w in SAY_WORDS if w not in ("according",)), key=len, reverse=True))
_WHO = r"((?:[A-Z][\w.'’-]*|al-[\w'’-]+|bin|of|the|for)(?:\s+(?:[A-Z][\w.'’-]*|al-[\w'’-]+|bin|of|the|for)){0,7})"
_LOWER_WHO = r"((?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,4}?(?:officials?|sources?|spokes(?:man|woman|person)|" \
             r"ministry|media|diplomats?|analysts?|observers?)" \
             r"(?:\s+(?:familiar with|close to|briefed on|involved in)\s+the\s+(?:matter|talks|negotiations|plan))?)"
_ACCORDING = re.compile(rf"\baccording to\s+{_WHO}", re.UNICODE)
_ACCORDING_LOWER = re.compile(rf"\baccording to\s+{_LOWER_WHO}", re.IGNORECASE)
# What may stand between a subject and its saying verb: "has long argued", "have repeatedly said".
_BETWEEN = r"(?:(?:has|have|had|also|officially|long|repeatedly|previously|publicly)\s+)*"
_SUBJECT_SAYS = re.compile(rf"{_WHO}\s*,?\s+{_BETWEEN}(?:{_SAY})\b")
_LOWER_SUBJECT_SAYS = re.compile(rf"{_LOWER_WHO}\s+{_BETWEEN}(?:{_SAY})\b", re.IGNORECASE)
# "Hussein Alawi, advisor to the prime minister, stated": the speaker is the one the apposition describes.
_APPOSITIVE_SAYS = re.compile(rf"{_WHO},\s+(?:an?\s+|the\s+)?[a-z][^,]*,\s+(?:has\s+|had\s+|also\s+)*(?:{_SAY})\b")
_SAYS_SUBJECT = re.compile(rf"\b(?:said|says)\s+{_WHO}")
_EDGE_WORDS = {"the", "of", "for", "bin"}
# Words that open a sentence without naming anyone.
NOT_NAMES = frozenset("""a an the this that these those it its he she they we i you his her their our on in at
however but and or so yet then also after before under since while when if as by for from with without during
meanwhile still today yesterday tomorrow there here what who why how although though despite following
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december read share""".split())  # noqa: SIM905
_TITLE_WORDS = frozenset("""minister president prime secretary general gen gen. lt colonel col commander
ambassador senator sen spokesman spokeswoman spokesperson adviser advisor chief deputy vice acting former
mr mr. mrs mrs. ms ms. dr dr. sheikh defense defence foreign interior state cpl cpl. sgt sgt. pm governor mayor
judge professor prof prof. king queen prince emir""".split())  # noqa: SIM905
_ORG_WORDS = frozenset("""agency ministry council committee command forces force army navy corps party front
movement group coalition organisation organization union university institute news tv television channel
times post journal press network department office bureau commission alliance brigade brigades resistance
units company bank fund""".split())  # noqa: SIM905
_PLACE_WORDS = frozenset("""base airbase airport province region city town village district governorate
border river valley street square camp island""".split())  # noqa: SIM905
_PLACE_BEFORE = {"in", "at", "from", "to", "near", "into", "toward", "towards", "across", "outside", "inside"}
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*)(?:\s+(?:(?:of|al|bin|el|de|the)\s+)?"
                              r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*))*")


def said_by(sentence: str) -> str | None:
    """Who the sentence says is speaking, as written ("Iraqi Defense Minister Thabet al-Abbasi",
    "sources familiar with the matter"); None when it quotes no one."""
    for pattern in (_ACCORDING, _ACCORDING_LOWER, _APPOSITIVE_SAYS, _SUBJECT_SAYS, _SAYS_SUBJECT,
                    _LOWER_SUBJECT_SAYS):
        m = pattern.search(sentence)
        if m:
            who = _trim(m.group(1))
            if who and who.split()[0].casefold() not in NOT_NAMES - {"the", "an", "a"}:
                return who
    return None


def _trim(who: str) -> str:
    words = who.split()
    while words and words[-1].casefold() in _EDGE_WORDS:
        words.pop()
    while words and words[0].casefold() in ("the",) and len(words) > 1 and words[1][:1].isupper():
        words.pop(0)
    return " ".join(words).strip(" ,.;:'’\"“”")


@dataclass(frozen=True)
class NewName:
    """A name the workspace does not know, with its guessed kind and the sentence it is in."""

    name: str
    kind: str
    position: int


def unknown_names(sentence: str, position: int, entities: EntityIndex) -> list[NewName]:
    """Names in the sentence that no entity of the workspace goes by (people, agencies, places)."""
    out = []
    for m in _CAPITALISED_RUN.finditer(sentence):
        # Names the workspace knows are taken out first ("Baghdad Airport", "Iraqi" in "Iraqi Defense
        # Minister X"); what is left of the run after the last of them may be a new name.
        replaced = entities.replace(m.group().rstrip(".,;:"))[0]
        words = replaced.split(ENTITY_PREFIX)[-1].split()
        if replaced.count(ENTITY_PREFIX):
            words = words[1:]  # the last known name's id
        # Titles and sentence openers are not part of a name ("Defense Minister X" -> X).
        while words and (words[0].casefold().rstrip(",") in _TITLE_WORDS or words[0].casefold() in NOT_NAMES
                         or not (words[0][:1].isupper() or words[0].startswith("al-"))):
            words.pop(0)  # also what a known name leaves ("-led" of "U.S.-led")
        if not words:
            continue
        name = " ".join(words).strip(" ,.;:'’\"“”").removesuffix("’s").removesuffix("'s")
        if len(name) < 3 or (name.isupper() and len(name) <= 3) or name.casefold() in NOT_NAMES:
            continue
        if len(words) == 1 and m.start() == 0:
            continue  # one capitalised word opening a sentence is usually just its first word
        lowered = [w.casefold().strip(".,’'") for w in words]
        if all(readings(w) for w in lowered) and not set(lowered) & (_ORG_WORDS | _PLACE_WORDS):
            continue  # capitalised English words ("Major Strategic Shift", a heading's "Withdraw"), not a name
        if entities.resolve(name) is not None:
            continue
        before = sentence[:m.start()].split()[-1:] or [""]
        out.append(NewName(name, _kind(words, before[0].casefold()), position))
    return out


def _kind(words: list[str], before: str) -> str:
    lowered = {w.casefold().strip(".,") for w in words}
    if lowered & _ORG_WORDS:
        return "org"
    if lowered & _PLACE_WORDS or before in _PLACE_BEFORE:
        return "place"
    return "person"

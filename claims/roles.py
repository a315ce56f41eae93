"""Who does what to whom: the roles the named entities of a text play.

Read from the normalised words (entities as `@id`), with patterns English marks roles with:

- active:   "@turkey attacked @kurdish-forces"          agent turkey, patient kurdish-forces
- passive:  "@al-saidi was killed by a @us drone"       patient al-saidi, agent us
- by:       "a process initiated by @al-sudani"         agent al-sudani
- possessor "@trump deal", "@iraq proposal"             agent of the deal, of the proposal
- motion:   "from @baghdad-airport to @erbil", "left @ain-al-asad toward @syria"
                                                        source, destination
- transfer: "handed over to @iraqi-armed-forces"        recipient
- target:   "attacks on @us forces", "strikes against"  patient

Each role is tied to its predicate's concept ("attack", "propos", "agreement"), so roles are
compared only between mentions of the same doing. The verdict compares the statement's roles
with those its matched claim's texts give: a swap ("killed by" read as "carried out") or another
entity in the same role ("handed over to the Turkish army") is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from claims.lemmas import past_form, readings
from claims.lexicon import lexicon
from claims.text import ENTITY_PREFIX, STOP_WORDS, TermReader, term_of

# "after Baghdad pledged": a clause's subject, not a preposition's object
SUBORDINATORS = {"after", "before", "since", "until", "when", "because", "once", "while", "as", "if"}
BE = {"is", "are", "was", "were", "be", "been", "being"}
MODALS = {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "to", "did", "does", "do"}
PREPOSITIONS = {"in", "from", "to", "of", "at", "on", "with", "for", "against", "by", "into", "toward", "towards",
                "between", "under", "over", "near", "across", "inside", "within", "outside", "about", "after",
                "before", "during", "since", "through", "via", "among", "like", "than", "as"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "so", "such"}
# Verbs whose object is where the mover leaves from ("left Ain al-Asad").
LEAVING = {"withdraw", "leave", "depart", "exit", "vacate", "quit", "evacuate", "flee", "abandon"}
# Verbs that hand something to someone ("handed over to", "turned over to").
TRANSFER = {"hand", "turn", "give", "transfer", "deliver", "cede", "pass", "return", "sell", "grant"}
TOWARD = {"toward", "towards", "into"}
# Concepts of moving somewhere: their "to X" is where to.
MOVING = {"withdraw", "relocate", "move", "go", "come", "return", "send", "deploy", "redeploy", "head", "travel",
          "march", "fly", "flee", "troop", "retreat", "advanc", "shift", "transfer"}
ATTACKING = {"attack", "kill", "target"}  # concepts whose "on X" / "against X" is the target
INTRANSITIVE_PARTICIPLES = {"gone", "come", "arrived", "departed", "fallen", "risen", "become", "been"}
# "carried out a strike", "conducted a raid": the doing is the noun's.
LIGHT_VERBS = {"carry out", "conduct", "launch", "stage", "mount", "make", "carri"}
COMPOUND_PARTICIPLES = {"backed", "led", "aligned", "funded", "based", "owned", "sponsored", "allied", "run",
                        "controlled", "affiliated", "linked", "armed", "called"}


# The key of the roles a curator records on a version: they are those of what it reports.
CURATED = "*"


@dataclass(frozen=True)
class Role:
    key: str  # the predicate's concept, or "move" / "transfer" for where-from, where-to and to-whom
    role: str  # agent, patient, owner, source, destination, recipient
    entity: str


def _entity(word: str) -> str | None:
    return word[len(ENTITY_PREFIX):] if word.startswith(ENTITY_PREFIX) else None


@lru_cache(maxsize=65536)
def _has_verb_reading(word: str) -> bool:
    found = readings(word)
    return bool(found.get("VERB"))


def _mostly_verb(word: str) -> bool:
    verbs = readings(word).get("VERB")
    return bool(verbs) and lexicon().mostly_verb(verbs[0])


@lru_cache(maxsize=65536)
def _key(word: str, term: TermReader = term_of) -> str:
    verb = past_form(word) or (readings(word).get("VERB") or (word,))[0]
    key = term(verb) or term(word) or word
    return "attack" if key in ATTACKING else key


def verb_positions(words: list[str]) -> list[int]:
    """Positions of the words used as verbs (not nouns or adjectives) in a clause."""
    firm: list[int] = []  # after a modal or "to", a past form, a present participle after "be"
    loose: list[int] = []  # "Turkey attacks...": a present form right after its subject
    for i, word in enumerate(words):
        if _entity(word) or not word.isalpha() or (word in STOP_WORDS and word not in ("left", "out")):
            continue
        prev = words[i - 1] if i else ""
        if prev in MODALS and _has_verb_reading(word):
            firm.append(i)
        elif past_form(word) and word not in ("could", "would", "should", "might", "was", "were", "had", "did"):
            adjectival = prev in DETERMINERS or (word in COMPOUND_PARTICIPLES and (_entity(prev) or not prev))
            if not adjectival:
                firm.append(i)
        elif word.endswith("ing") and _has_verb_reading(word) and (prev in BE or (
                prev not in DETERMINERS and _entity(words[i + 1] if i + 1 < len(words) else ""))):
            firm.append(i)  # "is leaving", "missiles targeting Israel"
        elif word.endswith("s") and i > 0 and _has_verb_reading(word) and (
                _entity(prev) or prev.endswith("s") or prev in ("it", "he", "she")) and _mostly_verb(word) and not (
                i >= 2 and words[i - 2] in DETERMINERS):  # "the US strikes": a noun after its modifier
            loose.append(i)
    # "US forces will relocate": a noun that could be a verb, before the real verb, is a noun.
    loose = [i for i in loose if not any(j > i for j in firm)]
    return sorted(firm + loose)


SENTENCE_MARK = "qxsentenceq"  # where a text's sentences end, kept through normalising


def sentences(words: list[str]) -> list[list[str]]:
    """A text's words cut where a new clause with its own subject starts ("..., but this was...")."""
    out, current = [], []
    for word in words:
        if word == SENTENCE_MARK or (word in ("but", "while", "whereas", "although", "though") and current):
            out.append(current)
            current = []
        else:
            current.append(word)
    return [*out, current] if current else out


def roles(words: list[str], term: TermReader = term_of) -> set[Role]:
    """The roles the entities of a text play (see the module docstring); `term` reads a word as
    its concept (a base's `Vocabulary.term_of`; English alone by default)."""
    return set(_roles(tuple(words), term))


@lru_cache(maxsize=32768)
def _roles(words: tuple[str, ...], term: TermReader) -> frozenset[Role]:
    if not any(w.startswith(ENTITY_PREFIX) for w in words):
        return frozenset()  # roles are played by named entities
    out: set[Role] = set()
    for clause in sentences(list(words)):
        out |= _clause_roles(clause, term)
    return frozenset(out)


def _clause_roles(words: list[str], term: TermReader) -> set[Role]:
    # "US Defense Secretary Lloyd Austin" may leave the same name twice in a row
    words = [w for i, w in enumerate(words) if not (i and w == words[i - 1] and _entity(w))]
    out: set[Role] = set()
    verbs = verb_positions(words)
    bounds = [*verbs, len(words)]
    shared: list[str] = []
    for n, v in enumerate(verbs):
        key = _key(words[v], term)
        # "began attacking X", "stopped attacking X": the roles belong to the attacking too
        nxt = words[v + 1] if v + 1 < len(words) else ""
        keys = [key, _key(nxt, term)] if nxt.endswith("ing") and _has_verb_reading(nxt) else [key]
        if key in LIGHT_VERBS or (nxt == "out" and key == "carri"):
            noun = next((w for w in words[v + 1: v + 6] if w not in DETERMINERS and w != "out" and not _entity(w)
                         and term(w) in ATTACKING | {"attack"}), None)
            if noun:
                keys.append("attack")
        # "was killed", "is to be handed": a past participle after "be" (not "has been bombing",
        # nor "will be gone", where nothing is done to the subject)
        passive = (past_form(words[v]) is not None and words[v] not in INTRANSITIVE_PARTICIPLES
                   and v > 0 and (words[v - 1] in BE or (v > 1 and words[v - 2] in BE and words[v - 1].endswith("ly"))))
        start = verbs[n - 1] + 1 if n else 0
        relative = [j for j in range(start, v) if words[j] in ("that", "which", "who", "whom")]
        if relative:
            start = relative[-1] + 1  # "the invasion that overthrew Saddam": the subject is not named
        subjects = [e for j in range(start, v) if (e := _entity(words[j])) and (
                        not _after_preposition(words, j, start) or (j == v - 1 and words[j - 1] in SUBORDINATORS))
                    and words[j + 1] not in COMPOUND_PARTICIPLES]  # "Iran-backed groups": Iran only backs them
        if v > 0 and words[v - 1] == "to":
            subjects = []  # "a deal to withdraw": whose doing it is, the words do not say
        elif n and v > 0 and words[v - 1] in ("and", "or", "but", "then"):
            subjects = shared  # "X invaded Iraq and toppled Saddam": X did both
        objects = []
        for j in range(v + 1, bounds[n + 1]):
            if words[j] == "that" or words[j] in SUBORDINATORS:
                break  # "attacking US forces once Baghdad promised": Baghdad is the next clause's
            e = _entity(words[j])
            if e and not _after_preposition(words, j, v + 1):
                objects.append(e)
        shared = subjects
        if key == "say":
            # "X said ...", "..., said X": the one saying; what was said is a clause, not a patient
            out.update(Role("say", "agent", e) for e in (subjects if subjects else objects[:1]))
            continue
        for k in keys:
            if passive:
                out.update(Role(k, "patient", e) for e in subjects)
            else:
                out.update(Role(k, "agent", e) for e in subjects)
                leaving = k in LEAVING or (past_form(words[v]) or words[v]) in LEAVING
                out.update(Role("move" if leaving else k, "source" if leaving else "patient", e) for e in objects)
        transfer = (past_form(words[v]) or readings(words[v]).get("VERB", ("",))[0]) in TRANSFER
        for j in range(v + 1, bounds[n + 1]):
            e = _entity(words[j])
            if not e:
                continue
            prep = _preposition_before(words, j)
            if prep == "by":
                # "was killed by X": the passive's doer; "attacks by X": the attacking's doer
                noun = next((w for w in reversed(words[v + 1: j]) if w not in DETERMINERS and w != "by"
                             and not _entity(w) and w.isalpha()), None)
                if noun and term(noun) in ATTACKING | {"attack"}:
                    out.add(Role("attack", "agent", e))
                elif passive or j - v <= 3:
                    out.add(Role(key, "agent", e))
            elif prep == "from" or (prep == "of" and words[j - 2: j] == ["out", "of"]):
                out.add(Role("move", "source", e))
            elif prep in TOWARD or (prep == "for" and words[j - 2] in ("heading", "headed", "bound")):
                out.add(Role("move", "destination", e))
            elif prep == "to":
                if transfer or "over" in words[v + 1: j]:
                    out.add(Role("transfer", "recipient", e))
                elif key in MOVING:
                    out.add(Role("move", "destination", e))
            elif prep in ("on", "against") and "attack" in keys:
                out.add(Role("attack", "patient", e))
    # "@trump deal", "@iraq proposal": the possessor of a doing owns it (weaker than doing it:
    # "the US-Iraq withdrawal deal" is no one's withdrawal).
    for i in range(len(words) - 1):
        e = _entity(words[i])
        nxt = words[i + 1]
        if e and not _entity(nxt) and nxt.isalpha() and nxt not in STOP_WORDS and i + 1 not in verbs:
            out.add(Role(term(nxt) or nxt, "owner", e))
    # "attacks on @us", "strikes against @us" with no verb: the target
    for i in range(1, len(words) - 1):
        if words[i] in ("on", "against") and term(words[i - 1]) in ATTACKING:
            e = next((_entity(w) for w in words[i + 1: i + 3] if _entity(w)), None)
            if e:
                out.add(Role("attack", "patient", e))
    return out


def _preposition_before(words: list[str], j: int) -> str | None:
    """The preposition governing the entity at words[j] ("to the @x", "by a @us drone")."""
    k = j - 1
    # skip what sits between the preposition and the name: "of the US-Iraq", "in northern Iraq"
    while k >= 0 and (words[k] in DETERMINERS or _entity(words[k]) or words[k] in (
            "northern", "southern", "western", "eastern", "central", "neighbouring", "neighboring", "former")):
        k -= 1
    if k >= 0 and words[k] in PREPOSITIONS:
        return words[k]
    # "a @us drone strike" after "by": look one noun further back
    if k >= 1 and words[k - 1] == "by" and not _entity(words[k]):
        return "by"
    return None


def _after_preposition(words: list[str], j: int, start: int) -> bool:
    """Whether the entity at words[j] is in a prepositional phrase: after a preposition, or
    joined by "and" to one that is ("at Baghdad Airport and the Joint Operations Command")."""
    if _preposition_before(words, j) is not None:
        return True
    k = j - 1
    while k >= start and words[k] in DETERMINERS:
        k -= 1
    return k > start and words[k] in ("and", "or") and _after_preposition(words, k - 1, start)

"""Is a statement written in English? The claim base and the matching are English only.

A statement in another language would otherwise be matched on the names and numbers it shares
with a claim ("ISIS", "Irak", "2017") and judged on them alone. No model, no network: two
signals that hold for short messages.

- Script: letters outside the Latin alphabet (Arabic, Cyrillic, CJK...). A few of them in an
  English sentence (a name) are fine; a real share of them is another language, or a mix.
- Function words: every language writes its small words ("der", "les", "que", "och", "yang")
  in nearly every sentence. A statement with more of another language's than of English's is
  not English. Names and numbers count for neither.
"""

from __future__ import annotations

import re
import unicodedata

# Small words of English that rarely occur in other languages' sentences.
ENGLISH = frozenset("""the of and to is are was were has have had will would be been being by with that this
from at for its their it they he she his her we our you not no than then there which who what when where why
how did does do after before about into out over under more most many some any all also only just said says
say against between during since until while because if but or as an a on in""".split())  # noqa: SIM905

# Other languages' small words that are not English words (so names and loans do not count).
OTHER = frozenset("""
der die das den dem des und ist sind war wurde wurden hat haben nicht mit auf zu zum zur ein eine einen
einem einer im vom bei aus nach über für soll sich auch oder wie noch
de le la les des du une est sont été ont avec dans pour sur pas qui que ce cette ces leur leurs ils elle
au aux par été déjà fait contre entre après selon mais où
el los las del por para con una fue fueron sus es más pero como también ha han este esta estos sobre
según desde hasta muy entre ya
il lo gli della delle dei nel nella che non è stata stato sono per con una anche questo dagli dal
os da em uma não foi são com pelo pela seus suas também já até
het een van zijn hun uit niet met ook naar voor wordt werd trekken
och att det som från sina inte för med av till är var har drar
się nie na że jest roku przez od jak z w
ve bir bu ile için olarak gibi daha çok
yang dan dari akan pada untuk dengan tahun ini itu tidak
""".split())  # noqa: SIM905
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LINK = re.compile(r"https?://\S+|www\.\S+|<[^>]*>", re.IGNORECASE)


def _latin(ch: str) -> bool:
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def english_problem(text: str) -> str | None:
    """Why the statement is not one to check in English (None when it is English)."""
    text = _LINK.sub(" ", text)  # links and chat mentions are no language
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    foreign_letters = 0 if text.isascii() else sum(1 for ch in letters if not _latin(ch))
    if foreign_letters >= 0.5 * len(letters):
        return "it is not written in English"
    if foreign_letters >= max(3, 0.1 * len(letters)):
        return "it mixes English with another script"
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    english = sum(1 for w in words if w in ENGLISH)
    other = sum(1 for w in words if w in OTHER or w.split("'")[0] in ("l", "d", "qu", "dell", "nell", "all"))
    if other >= 2 and other > english:
        return "it is not written in English"
    if other >= 1 and english == 0 and len(words) >= 4:
        return "it is not written in English"
    accented = sum(1 for w in words if not w.isascii())
    if len(words) >= 3 and accented >= max(3, 0.4 * len(words)):
        return "it is not written in English"
    return None

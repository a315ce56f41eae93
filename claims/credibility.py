"""An outlet's credibility in words: the band a 0-100 score falls in.

A bare "49/100" asks the reader to know the scale. The bands follow the scale the scores come
from (NewsGuard's nine criteria, `claims.models`): 60 is where NewsGuard calls a site one that
"generally adheres to basic standards of credibility and transparency", so below it a score is
at best mixed; below 40 an outlet fails most of the criteria, and a verdict that rests on such
outlets alone is called weakly sourced (`claims.headline`).
"""

from __future__ import annotations

from collections.abc import Iterable

# (lowest score of the band, its name), highest first.
BANDS: tuple[tuple[int, str], ...] = ((80, "high"), (60, "fair"), (40, "mixed"), (0, "low"))
# A verdict whose every outlet scores below this rests on low-credibility outlets only.
WEAK_BELOW = 40


def band(credibility: int) -> str:
    """The band of a 0-100 credibility score: 'high', 'fair', 'mixed' or 'low'."""
    return next(name for floor, name in BANDS if credibility >= floor)


def in_words(credibility: int) -> str:
    """'credibility 49/100 (mixed)'."""
    return f"credibility {credibility}/100 ({band(credibility)})"


def weak(scores: Iterable[int]) -> bool:
    """Whether these outlets' scores are all low (an empty list is not weak: nothing rests on it)."""
    scores = list(scores)
    return bool(scores) and max(scores) < WEAK_BELOW

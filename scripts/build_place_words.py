#!/usr/bin/env python3
"""Build claims/lexicon/place_words.txt: the one-word names of countries and first-level
subdivisions (ISO 3166, from pycountry) that are also common English words ("chad", "central",
"orange", "victoria"): WordNet has them as a word written lower-case, not only as a name.

    apt-get install -y wordnet-base && .venv/bin/python scripts/build_place_words.py [WORDNET_DIR]

`claims.places` matches these names only when written as names, capital first, so "the chad
fell out" names no country (while "peru" and "texas", names only, match however written). Kept
as a file, not worked out at start-up: the engine reads no WordNet database at run time. Run it
again after upgrading pycountry (a name it adds and this file lacks matches however written).
"""

from __future__ import annotations

import sys
from pathlib import Path

from claims.places import PLACE_WORDS, _gazetteer

HEADER = """# One-word names of ISO 3166 countries and first-level subdivisions that are also common English
# words (WordNet writes them lower-case), lower-case. Built by scripts/build_place_words.py.
"""


def common_words(root: Path) -> set[str]:
    """Every WordNet lemma written lower-case (a common word, not only a name)."""
    out: set[str] = set()
    for name in ("noun", "verb", "adj", "adv"):
        for line in (root / f"data.{name}").open(encoding="latin-1"):
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split(" | ", 1)[0].split()
            for i in range(int(fields[3], 16)):
                word = fields[4 + 2 * i].split("(")[0]
                if word == word.lower():
                    out.add(word)
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet")
    words = common_words(root)
    countries, subdivisions = _gazetteer()
    found = sorted({name.lower() for place in (*countries, *subdivisions) for name in place.names
                    if " " not in name and name.lower() in words})
    Path(PLACE_WORDS).write_text(HEADER + "\n".join(found) + "\n", encoding="utf-8")
    print(f"{len(found)} names written to {PLACE_WORDS}")


if __name__ == "__main__":
    main()

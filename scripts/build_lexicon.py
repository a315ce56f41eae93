#!/usr/bin/env python3
"""Build claims/lexicon/wordnet.json.gz, the engine's English knowledge taken from WordNet 3.0.

    apt-get install -y wordnet-base && python3 scripts/build_lexicon.py [WORDNET_DIR [OUT]]

Reads the WordNet 3.0 database that the Debian package `wordnet-base` installs in
/usr/share/wordnet (or the directory given as the first argument) and writes, for the verdict:

- `axes`: opposite meanings. Each axis is two lists of lemmas, one per side: the lemmas of two
  synsets WordNet marks as antonyms ("increase" / "decrease"), plus the lemmas of their direct
  hyponyms ("applaud" is a kind of "praise"), of adjectives "similar to" them, and the nouns and
  verbs derived from them ("criticism" from "criticize"). Two words are opposite when they sit
  on the two sides of one axis.
- `senses`: each lemma's common senses (synset numbers), for "is this word a synonym or a more
  general word than that one". Only senses WordNet's frequency counts have seen in text (or a
  lemma's first sense when none were), so rare senses do not make unrelated words meet.
- `hypernyms`: each of those synsets' direct hypernyms (for "a force is a kind of group").
- `usage`: how often a word that can be a noun or a verb was tagged as each in WordNet's
  sense-tagged texts ("falls" is mostly a verb, "troops" a noun), for telling a verb from a noun.
- `groups`: sister terms with capitalised names ("Sunni" and "Shia" are both sects; "Catholic"
  and "Protestant" both Christians): alternatives that exclude each other when one replaces the
  other in a statement.

WordNet pools word senses, so the verdict uses these only after a claim has been matched, and
only against that claim's own texts. Nothing is downloaded at run time; CI does not run this.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
OUT = Path(__file__).resolve().parents[1] / "claims" / "lexicon" / "wordnet.json.gz"
# How far up the hierarchy a word's senses are kept for "more general than" (a deeper chain
# reaches words like "entity" that say nothing).
HYPERNYM_DEPTH = 4
# Sister groups larger than this are lists (every city), not alternatives a reader contrasts.
MAX_GROUP = 40


def synset_key(pos: str, offset: str) -> str:
    return ("a" if pos == "s" else pos) + offset


def lemma_text(word: str) -> str:
    """WordNet's 'carry_out' / 'Sunni(a)' as 'carry out' / 'sunni'."""
    return re.sub(r"\(.*\)$", "", word).replace("_", " ").lower()


def read_synsets(root: Path) -> dict[str, dict]:
    synsets: dict[str, dict] = {}
    for pos, name in POS_FILES.items():
        for line in (root / f"data.{name}").open(encoding="latin-1"):
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, ss_type = fields[0], fields[2]
            n_words = int(fields[3], 16)
            raw = [fields[4 + 2 * i] for i in range(n_words)]
            i = 4 + 2 * n_words
            pointers = []
            for _ in range(int(fields[i])):
                symbol, target, target_pos, source_target = fields[i + 1: i + 5]
                pointers.append((symbol, synset_key(target_pos, target), int(source_target[:2], 16),
                                 int(source_target[2:], 16)))
                i += 4
            synsets[synset_key(pos, offset)] = {
                "words": [lemma_text(w) for w in raw],
                "capital": [w[0].isupper() for w in raw],
                "pointers": pointers,
                "satellite": ss_type == "s",
            }
    return synsets


def read_common_senses(root: Path) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """Each lemma's senses seen in WordNet's tagged texts (its first sense when none were), and
    each (lemma, part of speech)'s most frequent sense."""
    common: dict[str, set[str]] = defaultdict(set)
    first: dict[tuple[str, str], str] = {}
    for pos, name in POS_FILES.items():
        for line in (root / f"index.{name}").open(encoding="latin-1"):
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = lemma_text(fields[0])
            n_pointers = int(fields[3])
            tagged = int(fields[5 + n_pointers])
            offsets = fields[6 + n_pointers:]
            keep = offsets[: max(1, tagged)]
            first[(lemma, pos)] = synset_key(pos, offsets[0])
            # Statements are read word by word, plus verb-particle pairs ("carry out"): other
            # multi-word lemmas ("sunni islam") are never looked up.
            if " " in lemma and pos != "v":
                continue
            common[lemma].update(synset_key(pos, o) for o in keep)
    return common, first


def axes(synsets: dict[str, dict], common: dict[str, set[str]], first: dict[tuple[str, str], str]
         ) -> list[list[list[str]]]:
    """Opposite pairs of synsets, each side widened by hyponyms, similar adjectives and derivations."""

    def common_lemmas(key: str) -> set[str]:
        return {w for w in synsets[key]["words"] if key in common.get(w, ())}

    def first_sense_lemmas(key: str) -> set[str]:
        # A word joins an opposite pair through a related synset only when that synset is its
        # most frequent sense: "kill" is a kind of "end" only in a rare sense, "applaud" of "praise"
        # in its second; the curated list names the pairs that matter among those.
        return {w for w in synsets[key]["words"] if first.get((w, key[0])) == key}

    def widened(key: str) -> set[str]:
        out = common_lemmas(key)
        for symbol, target, _, _ in synsets[key]["pointers"]:
            if symbol in ("~", "&") and target in synsets:  # hyponyms / troponyms, similar adjectives
                out |= first_sense_lemmas(target)
            if symbol == "+" and target in synsets and target[0] in "nv":  # derived nouns and verbs
                out |= first_sense_lemmas(target)
        return out

    pairs: set[tuple[str, str]] = set()
    for key, synset in synsets.items():
        for symbol, target, _, _ in synset["pointers"]:
            if symbol == "!" and target in synsets:
                pairs.add((min(key, target), max(key, target)))
    out = []
    for a, b in sorted(pairs):
        side_a, side_b = widened(a), widened(b)
        both = side_a & side_b  # a word on both sides says nothing about either
        side_a, side_b = side_a - both, side_b - both
        if side_a and side_b:
            out.append([sorted(side_a), sorted(side_b)])
    return out


def senses_and_hypernyms(synsets: dict[str, dict], common: dict[str, set[str]]):
    numbers: dict[str, int] = {}

    def number(key: str) -> int:
        return numbers.setdefault(key, len(numbers))

    senses = {lemma: sorted(number(k) for k in sorted(keys) if k in synsets) for lemma, keys in sorted(common.items())}
    hypernyms: dict[int, list[int]] = {}
    frontier = {k for keys in common.values() for k in keys if k in synsets}
    for _ in range(HYPERNYM_DEPTH):
        following = set()
        for key in sorted(frontier):
            ups = [t for s, t, _, _ in synsets[key]["pointers"] if s in ("@", "@i") and t in synsets]
            if ups:
                hypernyms[number(key)] = sorted(number(t) for t in ups)
                following.update(ups)
        frontier = following
    return senses, {str(k): v for k, v in sorted(hypernyms.items())}


def groups(synsets: dict[str, dict]) -> list[list[str]]:
    """Capitalised single-word names that are sisters under one hypernym."""
    out = []
    for _key, synset in sorted(synsets.items()):
        names: set[str] = set()
        for symbol, target, _, _ in synset["pointers"]:
            if symbol in ("~", "~i") and target in synsets:
                child = synsets[target]
                names.update(w for w, cap in zip(child["words"], child["capital"], strict=True)
                             if cap and " " not in w and "-" not in w)
        if 2 <= len(names) <= MAX_GROUP:
            out.append(sorted(names))
    return out


def usage(root: Path) -> dict[str, list[int]]:
    """lemma -> [times tagged as a noun, as a verb] in the sense-tagged texts."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in (root / "cntlist.rev").open(encoding="latin-1"):
        key, _number, tagged = line.split()
        lemma, _, lexsense = key.partition("%")
        pos = lexsense.split(":")[0]
        if pos in ("1", "2"):
            counts[lemma_text(lemma)][int(pos) - 1] += int(tagged)
    return {lemma: c for lemma, c in sorted(counts.items()) if c[0] or c[1]}


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    synsets = read_synsets(root)
    common, first = read_common_senses(root)
    senses, hypernyms = senses_and_hypernyms(synsets, common)
    data = {
        "source": "WordNet 3.0 (Princeton University), see LICENSE-WordNet.txt",
        "axes": axes(synsets, common, first),
        "senses": senses,
        "hypernyms": hypernyms,
        "groups": groups(synsets),
        "usage": usage(root),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    # No name, mtime=0: the same WordNet gives the same bytes, so a rebuild shows no spurious change.
    with out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)
    print(f"{out}: {len(data['axes'])} axes, {len(senses)} lemmas, {len(hypernyms)} synsets with hypernyms, "
          f"{len(data['groups'])} groups, {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()

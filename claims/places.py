"""Every country and first-level subdivision, known as a place without curation.

A base names the places its claims are about. A statement about somewhere else ("an earthquake
in Peru" when the base is about Chile) must still be read as being about a place, so that it
gets "no claim covers that place" (`Engine._foreign_place`) instead of a verdict borrowed from a
claim about another country. The names come from ISO 3166 (`pycountry`): countries with their
common and official names, and their first-level subdivisions (states, provinces, regions).

A base's own entities come first: a country the base already names keeps the base's id (its
subdivisions become part of it), and a name the base gives to any entity is not taken again.
A place name that is also an English word ("Georgia", "Chad", "Victoria") matches only when
written as a name, capital first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from claims.models import Entity, EntityKind
from claims.text import EntityIndex, fold

# Names this short are mostly codes or words ("Ain", "Sud"): left out.
MIN_NAME = 4
PREFIX = "iso-"
# The one-word names that are also English words (built from WordNet by scripts/build_place_words.py).
PLACE_WORDS = Path(__file__).resolve().parent / "lexicon" / "place_words.txt"


@lru_cache(maxsize=1)
def english_place_words() -> frozenset[str]:
    """Place names that are also English words, lower-case (read once per process)."""
    lines = PLACE_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class _Place:
    code: str  # ISO 3166 code: "CL", "CL-RM"
    country: str  # the country's alpha-2 code
    names: tuple[str, ...]


def _plain(name: str) -> str:
    """A name without its accents ("Bío-Bío" is also written "Bio-Bio")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


# Subdivisions named only by where they lie in their country ("Eastern" in Fiji, "North" in
# Cameroon, "Western Province" in Sri Lanka): the words open many other names ("Eastern Circle",
# "North Central Railway") or describe a part of any country ("the western province of Anbar"), and
# name the subdivision only beside its country, so they are not matched alone.
COMPASS_NAMES = frozenset("""central centre center east eastern north northern north-west north-east northwest
northeast south southern south-west south-east southwest southeast west western""".split())  # noqa: SIM905
_GENERIC_PARTS = frozenset("province region district area zone division coast bank highlands river".split())  # noqa: SIM905


def _only_where(name: str) -> bool:
    words = name.casefold().split()
    return bool(words) and words[0] in COMPASS_NAMES and all(w in COMPASS_NAMES | _GENERIC_PARTS for w in words)


def _usable(name: str) -> bool:
    # ISO writes some names inverted or in two languages ("Bruxelles-Capitale, Région de"): not as people write them
    return len(name) >= MIN_NAME and not any(c in name for c in ",()[]/;") and not _only_where(name)


def _names(*candidates: str | None) -> tuple[str, ...]:
    out: list[str] = []
    for name in candidates:
        if not name:
            continue
        for form in (name, _plain(name)):
            form = " ".join(form.split())
            if _usable(form) and form not in out:
                out.append(form)
    return tuple(out)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[tuple[_Place, ...], tuple[_Place, ...]]:
    """Countries and first-level subdivisions as ISO 3166 lists them (read once per process)."""
    countries = tuple(
        _Place(c.alpha_2, c.alpha_2, _names(getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)))
        for c in pycountry.countries)
    subdivisions = tuple(
        _Place(s.code, s.country_code, _names(s.name))
        for s in sorted(pycountry.subdivisions, key=lambda s: s.code) if s.parent_code is None)
    return countries, subdivisions


def _id(code: str) -> str:
    return PREFIX + code.lower()


@lru_cache(maxsize=1)
def _known_ids() -> frozenset[str]:
    countries, subdivisions = _gazetteer()
    return frozenset(_id(p.code) for p in (*countries, *subdivisions))


def known_place(entity_id: str) -> bool:
    """Whether an id is one of the places every base knows ("iso-pe", Peru): a claim may name it
    without the base curating it."""
    return entity_id.startswith(PREFIX) and entity_id in _known_ids()


def known_places(entities: Iterable[Entity]) -> tuple[list[Entity], set[str]]:
    """The base's entities followed by every country and first-level subdivision it does not
    already name; and the names to match only as written (those that are also English words)."""
    curated = list(entities)
    taken = {fold(name).casefold(): entity for entity in curated for name in entity.names}
    ids = {entity.id for entity in curated}
    words = english_place_words()
    out = list(curated)
    as_written: set[str] = set()
    country_ids: dict[str, str] = {}
    countries, subdivisions = _gazetteer()

    def add(place: _Place, kind: EntityKind, part_of: list[str]) -> str | None:
        names = [n for n in place.names if fold(n).casefold() not in taken]
        if not names or _id(place.code) in ids:
            return None
        entity = Entity(id=_id(place.code), kind=kind, names=names, part_of=part_of)
        out.append(entity)
        ids.add(entity.id)
        for name in names:
            taken[fold(name).casefold()] = entity
            if " " not in name and name.lower() in words:
                as_written.add(fold(name).strip())
        return entity.id

    for country in countries:
        # A country the base names (by any of its ISO names) is the base's: its id, its names.
        named = next((taken[fold(n).casefold()] for n in country.names if fold(n).casefold() in taken), None)
        if named is not None and named.kind == EntityKind.COUNTRY:
            country_ids[country.code] = named.id
            continue
        found = add(country, EntityKind.COUNTRY, [])
        if found:
            country_ids[country.code] = found
    for subdivision in subdivisions:
        parent = country_ids.get(subdivision.country)
        add(subdivision, EntityKind.PLACE, [parent] if parent else [])
    return out, as_written


def place_index(entities: Iterable[Entity], titles: Iterable[str] = ()) -> EntityIndex:
    """An entity index of the base's entities and every place `known_places` adds (and the
    base's own titles, `Vocabulary.titles`)."""
    found, as_written = known_places(entities)
    return EntityIndex(found, as_written, titles)

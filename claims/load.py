"""Load and validate the curated claim base from YAML, reporting every problem with file and line.

Layout of a base directory:

    sources.yaml                   outlets (with credibility) and articles
    claims/base/entities.yaml      people, places, countries and groups, with the names they go by
    claims/base/vocabulary.yaml    the topic's own words: concepts and units (optional)
    claims/base/topics/*.yaml      the claims, one file per topic
    claims/base/articles/*.txt     the article texts, unchanged

The shipped base has this layout at the repository root; an installed wheel carries a copy of it
inside the package, under `claims/shipped/` (see `default_base_dir`).

Loading is all or nothing: when any problem is found, `LoadError` lists them all and the caller
keeps whatever it had before.

A base folder may come from anyone (an import), so reading it is fenced: only regular files
inside the folder are read (no absolute paths, no `..`, no symbolic links), each file has a
size limit, and YAML aliases may not expand a small file into a huge one or refer to themselves.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from claims.models import Article, Claim, Entity, Outlet, Term

Loc = tuple[str | int, ...]

# Limits on what an import may make us read. A 100,000-claim base is about 60 MB of YAML over
# its topic files; one topic file past 16 MB should be split.
MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# YAML nodes built per file, aliases expanded: a file's own nodes are fewer than its bytes.
MIN_NODE_BUDGET = 50_000
MAX_TOPIC_FILES = 2_000
# A base's YAML nests flow collections two or three deep ({date: ..., places: [a, b]}).
MAX_FLOW_DEPTH = 64
_BRACKETS = re.compile(r"[\[\]{}]")
# Each fragment of a quote elided with "..." must be a real phrase of the article.
MIN_FRAGMENT_WORDS = 4


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the base, and where. `missing` when a file is absent, not invalid."""

    file: str
    line: int | None
    message: str
    missing: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class LoadError(Exception):
    """The base is invalid; nothing was loaded. `problems` lists every issue found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LazyClaims(MutableMapping[str, Claim]):
    """A base's claims, read from their stored JSON only when one is needed.

    A restart at 100,000 claims must not spend seconds building models nobody looks at: the
    index is built from each claim's stored terms (see `claims.match.claim_payload`), and a claim
    is parsed when a check matches it, or an edit or a digest reads it. Validated when stored.
    """

    def __init__(self, raw: dict[str, str] | None = None, status: dict[str, str] | None = None):
        self._raw: dict[str, str] = dict(raw or {})
        self._status: dict[str, str] = dict(status or {})
        self._parsed: dict[str, Claim] = {}

    def __getitem__(self, claim_id: str) -> Claim:
        claim = self._parsed.get(claim_id)
        if claim is None:
            claim = self._parsed[claim_id] = Claim.model_validate_json(self._raw[claim_id])
        return claim

    def __setitem__(self, claim_id: str, claim: Claim) -> None:
        self._parsed[claim_id] = claim
        self._raw[claim_id] = ""  # the model is the truth now: never parse the old JSON again
        self._status[claim_id] = claim.status

    def __delitem__(self, claim_id: str) -> None:
        del self._raw[claim_id]
        self._parsed.pop(claim_id, None)
        self._status.pop(claim_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._raw

    def status(self, claim_id: str) -> str:
        """A claim's status without parsing it."""
        return self._status.get(claim_id) or self[claim_id].status

    def active_stored(self) -> dict[str, str]:
        """Every active claim's JSON as stored ("" for one replaced since it was read), in order,
        parsing none that was read as active."""
        return {cid: raw for cid, raw in self._raw.items() if (self._status.get(cid) or self[cid].status) == "active"}

    def stored_json(self, claim_id: str) -> str | None:
        """The JSON a claim was stored as, while it has not been replaced since."""
        return self._raw.get(claim_id) or None

    def copy(self) -> LazyClaims:
        other = LazyClaims()
        other._raw, other._status, other._parsed = dict(self._raw), dict(self._status), dict(self._parsed)
        return other


@dataclass
class Base:
    """A validated claim base (`claims` may be read lazily: see `LazyClaims`)."""

    outlets: dict[str, Outlet]
    articles: dict[str, Article]
    texts: dict[str, str]
    entities: dict[str, Entity]
    claims: MutableMapping[str, Claim]
    claim_files: dict[str, str] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)  # the vocabulary, by `Term.id`

    def copy(self) -> Base:
        """A copy whose dictionaries can change apart (the models are shared: they are frozen)."""
        claims = self.claims.copy() if isinstance(self.claims, LazyClaims) else dict(self.claims)
        return Base(dict(self.outlets), dict(self.articles), dict(self.texts), dict(self.entities), claims,
                    dict(self.claim_files), dict(self.terms))

    def fingerprint(self) -> str:
        """A hash of the base's content, to tell whether the shipped base changed."""
        digest = hashlib.sha256()
        for group in (self.outlets, self.articles, self.entities, self.claims, self.terms):
            for key in sorted(group):
                digest.update(group[key].model_dump_json().encode())
        for key in sorted(self.texts):
            digest.update(self.texts[key].encode())
        return digest.hexdigest()[:16]


# Where a built wheel carries the shipped base, inside the `claims` package (pyproject.toml's
# force-include copies sources.yaml and claims/base/ there, keeping the layout above).
PACKAGED_BASE = "shipped"


def default_base_dir() -> Path:
    """Where the shipped base lives: $CROSSCHECK_BASE; else inside the installed package (a wheel,
    `pip install .`, pipx); else the checkout the package is imported from (a clone, `pip install -e`).

    Found through importlib.resources, so it does not matter where the package was installed."""
    configured = os.environ.get("CROSSCHECK_BASE")
    if configured:
        return Path(configured).expanduser()
    package = resources.files("claims")
    packaged = package / PACKAGED_BASE
    if packaged.is_dir():
        return Path(str(packaged))
    # A checkout: the package directory sits at the repository root, next to sources.yaml.
    return Path(str(package)).parent


# --- YAML with line numbers ---------------------------------------------------------------------


class _TooBig(Exception):
    """A YAML file expands past its node budget (an alias bomb) or refers to itself."""


class _Reader:
    """Builds plain Python data from a YAML node tree, remembering the line of every path."""

    def __init__(self, file: str, budget: int = MIN_NODE_BUDGET):
        self.file = file
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")
        self._budget = budget
        self._open: set[int] = set()  # the collections being built: meeting one again is a loop

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise _TooBig(f"line {node.start_mark.line + 1}: the file expands to too many values (YAML aliases "
                          "repeating large parts?); write the values out, or split the file")
        if id(node) in self._open:
            raise _TooBig(f"line {node.start_mark.line + 1}: a YAML anchor refers to itself")
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            self._open.add(id(node))
            try:
                return self._build_collection(node, loc)
            finally:
                self._open.discard(id(node))
        try:
            return self._scalars.construct_object(node)
        except ValueError:
            # An impossible unquoted date (2024-02-30): keep the text, so the model reports it
            # with its line instead of the YAML library crashing.
            return node.value

    def _build_collection(self, node: yaml.Node, loc: Loc) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalars.construct_object(key_node)
                if key in out:
                    self.problems.append(
                        Problem(self.file, key_node.start_mark.line + 1, f"key {key!r} is given twice")
                    )
                out[key] = self.build(value_node, (*loc, key))
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
            return out
        return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None


def read_text_file(path: Path, root: Path, limit: int) -> str:
    """A regular file's UTF-8 text, if it lies inside `root` and is under `limit` bytes.

    Raises OSError (with a reason to show) for a link, a missing or special file, or a big one."""
    relative = path.relative_to(root)  # raises ValueError for a path outside: callers build paths under root
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise OSError(f"{relative} is (or is inside) a symbolic link; a base folder holds real files only")
    if not path.is_file():
        raise OSError(f"{relative}: missing, or not a regular file" if not path.exists()
                      else f"{relative} is not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise OSError(f"{relative} is {size:,} bytes; the limit is {limit:,}")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{relative} grew past {limit:,} bytes while being read")
    return data.decode("utf-8")


def _missing(path: Path) -> bool:
    """Whether nothing is at `path` (not even a dangling link): missing, rather than unreadable."""
    return not path.exists() and not path.is_symlink()


def _nested_deeper_than(text: str, limit: int) -> bool:
    """Whether [ ] and { } nest deeper than `limit` (counted roughly: brackets inside quotes too)."""
    depth = 0
    for bracket in _BRACKETS.finditer(text):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def read_yaml(path: Path, label: str, root: Path | None = None) -> tuple[Any, _Reader]:
    """Parse one YAML file; syntax errors, oversize files and alias bombs become problems with their line."""
    reader = _Reader(label)
    try:
        text = read_text_file(path, root or path.parent, MAX_YAML_BYTES)
    except (OSError, UnicodeDecodeError) as exc:
        if _missing(path):
            reader.problems.append(Problem(label, None, f"missing: there is no file at {path}", missing=True))
        else:
            reader.problems.append(Problem(label, None, f"cannot read file: {exc}"))
        return None, reader
    reader = _Reader(label, budget=MIN_NODE_BUDGET + len(text))
    if _nested_deeper_than(text, MAX_FLOW_DEPTH):
        # PyYAML would take most of a second to give up on such a file, deep in its recursion.
        reader.problems.append(Problem(label, None, f"YAML nested too deeply to read (over {MAX_FLOW_DEPTH} levels "
                                                    "of [ ] or { })"))
        return None, reader
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        reader.problems.append(
            Problem(label, mark.line + 1 if mark else None, f"YAML syntax error: {detail}")
        )
        return None, reader
    except RecursionError:
        reader.problems.append(Problem(label, None, "YAML nested too deeply to read"))
        return None, reader
    if node is None:
        return None, reader
    try:
        return reader.build(node, ()), reader
    except _TooBig as exc:
        reader.problems.append(Problem(label, None, f"refused: {exc}"))
        return None, reader
    except RecursionError:
        reader.problems.append(Problem(label, None, "YAML nested too deeply to read"))
        return None, reader


# --- validation ---------------------------------------------------------------------------------


def _validate_items(
    model: type[BaseModel], items: Any, key: str, reader: _Reader
) -> list[tuple[BaseModel, Loc]]:
    """Validate each entry of a top-level list; collect problems with their lines."""
    if not isinstance(items, list):
        reader.problems.append(Problem(reader.file, reader.line(()), f"expected a list under `{key}:`"))
        return []
    good = []
    for i, item in enumerate(items):
        loc: Loc = (key, i)
        try:
            good.append((model.model_validate(item), loc))
        except ValidationError as exc:
            for err in exc.errors():
                where = (*loc, *err["loc"])
                path = ".".join(str(p) for p in err["loc"]) or "entry"
                ident = item.get("id") if isinstance(item, dict) else None
                prefix = f"{key[:-1]} {ident!r}" if ident else f"{key}[{i}]"
                msg = err["msg"].removeprefix("Value error, ")
                reader.problems.append(Problem(reader.file, reader.line(where), f"{prefix}: {path}: {msg}"))
    return good


def normalise_quote(text: str) -> str:
    """Fold the differences a copy-paste introduces (quote marks, dashes, spacing) but no others."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return re.sub(r"\s+", " ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """Whether the quote occurs verbatim in the text; '...' may elide words between fragments,
    each of which must be a phrase of at least MIN_FRAGMENT_WORDS words, in the article's order
    (single letters stitched together would let a quote say anything)."""
    haystack = normalise_quote(text)
    position = 0
    fragments = [f for f in re.split(r"\s*(?:\.\.\.|…)\s*", normalise_quote(quote)) if f]
    if len(fragments) > 1 and any(len(f.split()) < MIN_FRAGMENT_WORDS for f in fragments):
        return False
    for fragment in fragments:
        found = haystack.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True


def _duplicates(items: Iterable[tuple[BaseModel, Loc]], reader: _Reader, what: str, seen: dict) -> list:
    out = []
    for model, loc in items:
        ident = model.id  # type: ignore[attr-defined]
        if ident in seen:
            reader.problems.append(
                Problem(reader.file, reader.line((*loc, "id")),
                        f"duplicate {what} id {ident!r} (first at {seen[ident]})")
            )
            continue
        seen[ident] = f"{reader.file}:{reader.line((*loc, 'id'))}"
        out.append((model, loc))
    return out


def load_base(base_dir: Path | None = None) -> Base:
    """Load and validate the whole base under `base_dir`; raise `LoadError` listing every problem."""
    root = Path(base_dir) if base_dir else default_base_dir()
    problems: list[Problem] = []

    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    sources_path = root / "sources.yaml"
    data, reader = read_yaml(sources_path, rel(sources_path), root)
    data = data if isinstance(data, dict) else {}
    if not data and not reader.problems:
        reader.problems.append(Problem(reader.file, None, "expected `outlets:` and `articles:` lists"))
    outlets = _duplicates(_validate_items(Outlet, data.get("outlets", []), "outlets", reader), reader, "outlet", {})
    articles = _duplicates(
        _validate_items(Article, data.get("articles", []), "articles", reader), reader, "article", {}
    )
    outlet_map = {m.id: m for m, _ in outlets}
    article_map: dict[str, Article] = {}
    texts: dict[str, str] = {}
    for article, loc in articles:
        if article.outlet not in outlet_map:
            reader.problems.append(
                Problem(reader.file, reader.line((*loc, "outlet")),
                        f"article {article.id!r}: unknown outlet {article.outlet!r}; add it under `outlets:`")
            )
        text_path = root / article.path  # the model refused absolute paths and ".."
        try:
            texts[article.id] = read_text_file(text_path, root, MAX_ARTICLE_BYTES)
        except (OSError, UnicodeDecodeError) as exc:
            if _missing(text_path):
                reader.problems.append(
                    Problem(reader.file, reader.line((*loc, "path")),
                            f"article {article.id!r}: its text is missing: there is no file at {article.path}",
                            missing=True)
                )
            else:
                reader.problems.append(
                    Problem(reader.file, reader.line((*loc, "path")),
                            f"article {article.id!r}: cannot read its text at {article.path}: {exc.strerror or exc}")
                )
        article_map[article.id] = article  # type: ignore[assignment]
    # When sources.yaml cannot even be parsed, every quote would also be reported against a
    # missing article: one root cause, a hundred lines. Report the root cause alone.
    sources_ok = data != {} or not reader.problems
    problems += reader.problems

    entities_path = root / "claims" / "base" / "entities.yaml"
    data, reader = read_yaml(entities_path, rel(entities_path), root)
    data = data if isinstance(data, dict) else {}
    entities = _duplicates(
        _validate_items(Entity, data.get("entities", []), "entities", reader), reader, "entity", {}
    )
    entity_map = {m.id: m for m, _ in entities}
    for entity, loc in entities:
        for parent in entity.part_of:  # type: ignore[attr-defined]
            if parent not in entity_map:
                reader.problems.append(
                    Problem(reader.file, reader.line((*loc, "part_of")),
                            f"entity {entity.id!r}: unknown part_of {parent!r}")  # type: ignore[attr-defined]
                )
    problems += reader.problems

    vocabulary_path = root / "claims" / "base" / "vocabulary.yaml"
    terms: dict[str, Term] = {}
    if not _missing(vocabulary_path):  # a base without a vocabulary reads text with English alone
        data, reader = read_yaml(vocabulary_path, rel(vocabulary_path), root)
        data = data if isinstance(data, dict) else {}
        if not data and not reader.problems:
            reader.problems.append(Problem(reader.file, 1, "expected a mapping with a `vocabulary:` list"))
        found = _validate_items(Term, data.get("vocabulary", []), "vocabulary", reader)
        terms = {t.id: t for t, _ in found}  # type: ignore[attr-defined]
        reader.problems += [Problem(reader.file, reader.line(loc), message)
                            for loc, message in vocabulary_problems([(t, loc) for t, loc in found])]  # type: ignore[misc]
        problems += reader.problems

    claim_map: dict[str, Claim] = {}
    claim_files: dict[str, str] = {}
    seen_claims: dict[str, str] = {}
    topic_dir = root / "claims" / "base" / "topics"
    files = sorted(topic_dir.glob("*.yaml"))
    if not topic_dir.is_dir():
        problems.append(Problem(rel(topic_dir), None, f"missing: there is no directory at {topic_dir}", missing=True))
    elif not files:
        problems.append(Problem(rel(topic_dir), None, "no claim files (*.yaml) found"))
    if len(files) > MAX_TOPIC_FILES:
        problems.append(Problem(rel(topic_dir), None, f"{len(files):,} claim files; the limit is {MAX_TOPIC_FILES:,}"))
        files = []
    for path in files:
        data, reader = read_yaml(path, rel(path), root)
        if data is None and not reader.problems:
            continue  # an empty file is allowed: a topic being started
        if not isinstance(data, dict) or "claims" not in data:
            if not reader.problems:
                reader.problems.append(Problem(reader.file, 1, "expected a mapping with a `claims:` list"))
            problems += reader.problems
            continue
        topic = data.get("topic", path.stem)
        items = data["claims"]
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    item.setdefault("topic", topic)
        claims = _duplicates(_validate_items(Claim, items, "claims", reader), reader, "claim", seen_claims)
        for claim, loc in claims:
            if sources_ok:  # otherwise every quote would also be reported against a missing article
                _check_references(claim, loc, reader, article_map, texts, entity_map)  # type: ignore[arg-type]
            claim_map[claim.id] = claim  # type: ignore[attr-defined]
            claim_files[claim.id] = reader.file  # type: ignore[attr-defined]
        problems += reader.problems

    if problems:
        raise LoadError(problems)
    return Base(outlet_map, article_map, texts, entity_map, claim_map, claim_files, terms)


def _check_references(
    claim: Claim, loc: Loc, reader: _Reader, articles: dict[str, Article], texts: dict[str, str],
    entities: dict[str, Entity],
) -> None:
    """Cross-file rules: known articles and entities, quotes that really occur in the article."""
    for problem_loc, message in reference_problems(claim, articles, texts, entities):
        reader.problems.append(Problem(reader.file, reader.line((*loc, *problem_loc)), message))


def reference_problems(
    claim: Claim, articles: dict[str, Article], texts: dict[str, str], entities: dict[str, Entity]
) -> list[tuple[Loc, str]]:
    """What in a claim points at nothing, or quotes what its article does not say (for loads and edits)."""
    from claims.places import known_place  # the places every base knows (claims.places reads the models)

    out: list[tuple[Loc, str]] = []
    seen_versions: set[str] = set()
    for vi, version in enumerate(claim.versions):
        vloc: Loc = ("versions", vi)
        if version.id in seen_versions:
            out.append(((*vloc, "id"), f"claim {claim.id!r}: version id {version.id!r} is used twice"))
        seen_versions.add(version.id)
        refs = [*version.values.places, *version.values.actors,
                *(ref for ids in version.values.roles.values() for ref in ids)]
        if version.values.speaker:
            refs.append(version.values.speaker)
        for ref in refs:
            if ref not in entities and not known_place(ref):  # every country and region is known
                out.append(((*vloc, "values"),
                            f"claim {claim.id!r} version {version.id!r}: unknown entity {ref!r}; "
                            "add it to entities.yaml"))
        for si, source in enumerate(version.sources):
            sloc: Loc = (*vloc, "sources", si)
            if source.article not in articles:
                out.append(((*sloc, "article"),
                            f"claim {claim.id!r} version {version.id!r}: unknown article {source.article!r}"))
            elif source.article in texts and not quote_in_text(source.quote, texts[source.article]):
                out.append(((*sloc, "quote"),
                            f"claim {claim.id!r} version {version.id!r}: quote not found in article "
                            f"{source.article}: {source.quote[:60]!r}... — copy it verbatim from the text"))
    return out


def vocabulary_problems(terms: list[tuple[Term, Loc]]) -> list[tuple[Loc, str]]:
    """What in a vocabulary cannot be read one way: an entry given twice, a word read as two
    concepts (or counting two units), a word the engine never reads as a topic's (for loads and edits)."""
    from claims.text import KEEP_WORDS, STOP_WORDS  # the English tables (claims.text imports the models)

    out: list[tuple[Loc, str]] = []
    seen: dict[str, Loc] = {}
    # A concept's name is read as itself: no other concept may take it as a word.
    owner: dict[tuple[str, str], str] = {(t.kind, t.name): t.name for t, _ in terms}
    for term, loc in terms:
        if term.id in seen:
            out.append(((*loc, "name"), f"{term.kind} {term.name!r} is given twice; merge its words into one entry"))
        seen[term.id] = loc
        if term.kind == "concept" and term.name in STOP_WORDS and term.name not in KEEP_WORDS:
            out.append(((*loc, "name"), f"concept {term.name!r} is an English filler word the matcher never reads; "
                        "name the concept by a word of its own"))
        for n, word in enumerate(term.words):
            if term.kind == "concept" and word in STOP_WORDS and word not in KEEP_WORDS:
                out.append(((*loc, "words", n), f"{term.kind} {term.name!r}: {word!r} is an English filler word the "
                            "matcher never reads; leave it out"))
            other = owner.setdefault((term.kind, word), term.name)
            if other != term.name:
                out.append(((*loc, "words", n), f"{term.kind} {term.name!r}: {word!r} already belongs to {term.kind} "
                            f"{other!r}; a word can be read one way only"))
    return out

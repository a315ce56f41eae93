"""Write the working base back out as the same YAML files the project ships.

`crosscheck claims export DIR` then `crosscheck claims import DIR` then export again gives the
same bytes: output is deterministic (claims in their stored order, keys in model order,
defaults left out) and nothing is lost between the files and the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from claims.load import Base

HEADER = "# Exported by `crosscheck claims export`; `crosscheck claims import` reads it back.\n"


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, long text folded readably."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _dump(data: Any) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                              default_flow_style=False)


class ExportError(ValueError):
    """The export would write outside its folder; nothing more was written."""


def export_base(base: Base, out_dir: Path) -> list[Path]:
    """Write sources.yaml, entities.yaml, vocabulary.yaml, one file per topic file and the article
    texts; return the paths.

    Every file lands inside `out_dir`: a path that would leave it, or pass through a symbolic
    link inside it, is refused (the paths come from the base, which an import may have filled)."""
    out_dir = Path(out_dir)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        parts = rel.split("/")
        if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ExportError(f"refusing to write {rel!r}: outside the export folder")
        path = out_dir.joinpath(*parts)
        current = out_dir
        for part in parts:
            current = current / part
            if current.is_symlink():
                raise ExportError(f"refusing to write {rel!r}: {current} is a symbolic link")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    write("sources.yaml", _dump({
        "outlets": [o.model_dump(mode="json", exclude_defaults=True) for o in base.outlets.values()],
        "articles": [a.model_dump(mode="json", exclude_defaults=True) for a in base.articles.values()],
    }))
    write("claims/base/entities.yaml", _dump({
        "entities": [e.model_dump(mode="json", exclude_defaults=True) for e in base.entities.values()],
    }))
    if base.terms:  # a base without topic words of its own reads with English alone: no file
        write("claims/base/vocabulary.yaml", _dump({
            "vocabulary": [t.model_dump(mode="json", exclude_defaults=True) for t in base.terms.values()],
        }))
    files: dict[str, list[dict[str, Any]]] = {}
    for claim in base.claims.values():
        rel = base.claim_files.get(claim.id) or f"claims/base/topics/{claim.topic}.yaml"
        if not rel.startswith("claims/base/topics/"):
            rel = f"claims/base/topics/{Path(rel).name}"
        files.setdefault(rel, []).append(claim.model_dump(mode="json", exclude_defaults=True))
    for rel, claims in files.items():
        topic = Path(rel).stem
        # The file's topic is the default; claims keep theirs only where it differs.
        for claim in claims:
            if claim.get("topic") == topic:
                claim.pop("topic")
        write(rel, _dump({"topic": topic, "claims": claims}))
    for article in base.articles.values():
        write(article.path, base.texts.get(article.id, ""))
    return written

"""`crosscheck bench hostile`: how quickly, and at what memory cost, hostile import folders are refused.

Each case is a copy of the shipped base with one hostile change, loaded in a fresh process (so
its peak memory is its own); the figures are the time to refuse it and the peak memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.matching import _peak_rss_mb
from claims.load import LoadError, default_base_dir, load_base

ARTICLE_PATH = "path: claims/base/articles/003_0d325b8582dc79ca.txt"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _absolute(root: Path) -> None:
    _edit(root, "sources.yaml", ARTICLE_PATH, "path: /etc/passwd")


def _climbing(root: Path) -> None:
    _edit(root, "sources.yaml", ARTICLE_PATH, "path: claims/../../../../etc/passwd")


def _symlink(root: Path) -> None:
    text = root / "claims/base/articles/003_0d325b8582dc79ca.txt"
    text.unlink()
    text.symlink_to("/etc/passwd")


def _alias_bomb(root: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(8):
        prev, cur = chr(97 + i), chr(98 + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (root / "claims/base/topics/bomb.yaml").write_text("\n".join(levels) + "\nclaims: []\n", encoding="utf-8")


def _anchor_loop(root: Path) -> None:
    (root / "claims/base/topics/loop.yaml").write_text("claims: &loop [*loop]\n", encoding="utf-8")


def _huge(root: Path) -> None:
    with (root / "claims/base/topics/huge.yaml").open("w", encoding="utf-8") as handle:
        handle.write("claims:\n")
        line = "  - {id: x, kind: fact, statement: " + "y" * 200 + "}\n"
        chunk = line * 1000  # written a chunk at a time: the benchmark's own memory stays small
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            handle.write(chunk)


def _deep(root: Path) -> None:
    (root / "claims/base/topics/deep.yaml").write_text("claims: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                                       encoding="utf-8")


CASES: dict[str, Callable[[Path], None]] = {
    "absolute article path": _absolute, "article path with ..": _climbing, "symlinked article": _symlink,
    "YAML alias bomb (~600 bytes)": _alias_bomb, "self-referencing anchor": _anchor_loop,
    "50 MB topic file": _huge, "100,000 nested brackets": _deep,
}


def measure(case: str) -> dict[str, Any]:
    """Build one hostile folder and time its refusal (in this process)."""
    folder = Path(tempfile.mkdtemp(prefix="cc-hostile-"))
    try:
        root = folder / "base"
        src = default_base_dir()
        root.mkdir()
        shutil.copy(src / "sources.yaml", root / "sources.yaml")
        shutil.copytree(src / "claims" / "base", root / "claims" / "base")
        CASES[case](root)
        before = _peak_rss_mb()
        started = time.perf_counter()
        try:
            load_base(root)
            refused, reason = False, "loaded!"
        except LoadError as exc:
            refused, reason = True, str(exc.problems[0])[:140]
        return {"case": case, "refused": refused, "seconds": round(time.perf_counter() - started, 3),
                "peak_rss_mb": round(_peak_rss_mb(), 1), "rss_before_mb": round(before, 1), "reason": reason}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    out = []
    for case in CASES:
        if progress:
            progress(f"{case} ...")
        done = subprocess.run([sys.executable, "-m", "benchmarks.hostile", case], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{case} failed:\n{done.stderr[-2000:]}")
        out.append(json.loads(done.stdout))
    return {"python": sys.version.split()[0], "cases": out}


def table(report: dict[str, Any]) -> str:
    lines = ["case                           refused  seconds  peak RSS MB (before)  reason"]
    for r in report["cases"]:
        lines.append(f"{r['case']:<30} {'yes' if r['refused'] else 'NO':<8} {r['seconds']:>7}  "
                     f"{r['peak_rss_mb']:>6} ({r['rss_before_mb']})        {r['reason']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    print(json.dumps(measure(" ".join(args))))


if __name__ == "__main__":
    main()

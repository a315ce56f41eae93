"""The behaviour list of issue 10 (tests/claims/behaviour/verdicts.yaml), scored per kind.

Each case gives the verdicts a careful fact-checker accepts. The tests assert a floor of
accepted answers per kind and a ceiling on false "supported" answers (a "supported" the case
does not accept: the worst answer the bot can give). `python tests/claims/test_behaviour.py`
prints the table.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from claims.engine import Engine
from claims.load import Base

CASES_FILE = Path(__file__).parent / "behaviour" / "verdicts.yaml"
HELDOUT_FILE = Path(__file__).parent / "behaviour" / "heldout.yaml"
TODAY = date(2026, 11, 30)
KINDS = ("opposite", "roles", "compound", "quantities", "hedged", "relative", "questions", "tense", "language",
         "bad")
# Share of each kind's cases that must be accepted. Before issue 10's changes the engine scored
# 150/250 with 62 false "supported" (opposite 12/28, roles 18/28, compound 16/26, quantities 19/29,
# hedged 12/25, relative 11/26, questions 10/27, tense 19/26, language 28/29, bad 5/6); after them
# 245/250. The floors sit a case or two under that, so a regression of a kind shows.
FLOORS = {"opposite": 0.89, "roles": 0.96, "compound": 0.96, "quantities": 0.96, "hedged": 0.88, "relative": 0.96,
          "questions": 0.96, "tense": 0.92, "language": 0.96, "bad": 1.0}
# The false "supported" answers the engine still gives, each with why; any other one fails the test,
# and so does fixing one without taking it off this list.
KNOWN_FALSE_SUPPORTED = {
    "The Iraqi government declared defeat against ISIS in December 2017.":
        "an alias says Baghdad 'had defeated ISIS'; 'declared defeat against ISIS' uses the same word for the "
        "opposite outcome, which only who-defeated-whom would tell apart",
}


@dataclass(frozen=True)
class Outcome:
    kind: str
    statement: str
    ok: tuple[str, ...]
    verdict: str
    claim_id: str | None
    accepted: bool

    @property
    def false_supported(self) -> bool:
        return self.verdict == "supported" and "supported" not in self.ok


def load_cases() -> list[dict]:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def judge(engine: Engine, case: dict) -> Outcome:
    """Check one case; a supported or disputed answer must come from the claim the case names."""
    reply = engine.check(case["statement"])
    claim_id = reply.claim.id if reply.claim else None
    accepted = reply.verdict in case["ok"]
    if accepted and case.get("claim") and reply.verdict in ("supported", "disputed"):
        accepted = claim_id == case["claim"]
    return Outcome(case["kind"], case["statement"], tuple(case["ok"]), reply.verdict, claim_id, accepted)


def score(outcomes: list[Outcome]) -> dict[str, tuple[int, int, int]]:
    """Per kind: (accepted, cases, false supported)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for outcome in outcomes:
        row = table[outcome.kind]
        row[0] += outcome.accepted
        row[1] += 1
        row[2] += outcome.false_supported
    return {kind: (a, n, fs) for kind, (a, n, fs) in table.items()}


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'kind':<11} accepted  false-supported"]
    table = score(outcomes)
    for kind in KINDS:
        a, n, fs = table.get(kind, (0, 0, 0))
        lines.append(f"{kind:<11} {a:>3}/{n:<3}  {fs:>3}")
    total = sum(a for a, _, _ in table.values()), sum(n for _, n, _ in table.values())
    lines.append(f"{'all':<11} {total[0]:>3}/{total[1]:<3}  {sum(fs for _, _, fs in table.values()):>3}")
    misses = [o for o in outcomes if not o.accepted]
    lines += [f"  MISS {o.kind:<10} {o.verdict:<12} (ok {'/'.join(o.ok)}; claim {o.claim_id}) {o.statement}"
              for o in misses]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def outcomes(shipped_base: Base) -> list[Outcome]:
    engine = Engine(shipped_base, today=TODAY)
    return [judge(engine, case) for case in load_cases()]


def test_the_list_has_at_least_25_statements_of_each_kind() -> None:
    counts: dict[str, int] = defaultdict(int)
    for case in load_cases():
        assert case["kind"] in KINDS, case
        counts[case["kind"]] += 1
    assert all(counts[kind] >= 25 for kind in KINDS if kind != "bad"), dict(counts)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_answered_acceptably_often(outcomes: list[Outcome], kind: str) -> None:
    accepted, cases, _ = score(outcomes)[kind]
    assert accepted / cases >= FLOORS[kind], report(outcomes)


def test_no_false_supported_answer_but_the_known_ones(outcomes: list[Outcome]) -> None:
    assert {o.statement for o in outcomes if o.false_supported} == set(KNOWN_FALSE_SUPPORTED), report(outcomes)


def test_statements_written_after_the_changes_get_no_false_supported(shipped_base: Base) -> None:
    """heldout.yaml was written after the engine changes, to see whether they generalise."""
    engine = Engine(shipped_base, today=TODAY)
    cases = yaml.safe_load(HELDOUT_FILE.read_text(encoding="utf-8"))["cases"]
    replies = [(case, engine.check(case["statement"]).verdict) for case in cases]
    false_supported = [c["statement"] for c, v in replies if v == "supported" and "supported" not in c["ok"]]
    accepted = sum(v in c["ok"] for c, v in replies)
    assert false_supported == []
    assert accepted / len(cases) >= 0.85, [(c["statement"], v) for c, v in replies if v not in c["ok"]]


if __name__ == "__main__":  # pragma: no cover - a report for humans
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from claims.load import load_base

    engine = Engine(load_base(Path(__file__).resolve().parents[2]), today=TODAY)
    print(report([judge(engine, case) for case in load_cases()]))

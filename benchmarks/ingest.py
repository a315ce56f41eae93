"""`crosscheck bench ingest`: drafting from articles, leave-one-article-out (issue 13's proof).

For each article of a base: build the base without what that article alone contributes (its
sources dropped; versions and claims only it supports dropped), draft from its text
(`claims.ingest`), and compare the drafts with what the curated base records for it:

- recall: of the article's curated links to claims that remain, the share a draft proposes
  correctly (agrees with version V: a source draft on V; a version only it supports: a version
  draft on that claim quoting a sentence the version's curated quotes come from); and of the
  claims only it supports, the share drafted as new claims (a claim draft quoting a sentence its
  curated quotes come from; two from one sentence are paired by the words their statements share);
- precision: the share of drafts (entity drafts apart) that match something the curated base
  records for the article; the rest are what a moderator would reject;
- values: of the values drafted (date, count, places, speaker) on correct drafts, the share equal
  to the curated version's; `missed` counts curated values the drafts left blank;
- seconds: drafting time per article (the engine over the reduced base is built beforehand).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from claims.engine import Engine, today_from_env
from claims.ingest import draft_article
from claims.ingest.drafting import CLAIM, ENTITY, SOURCE, VERSION, Draft
from claims.load import Base, load_base, normalise_quote
from claims.models import Claim, Values
from claims.values import parse_count, parse_date_span

VALUE_KEYS = ("date", "count", "places", "speaker")


@dataclass
class Expected:
    """What the curated base records for one article, relative to the base without it."""

    sources: set[tuple[str, str]]  # (claim, version) links to versions that remain
    versions: dict[str, list[tuple[str, Values, list[str]]]]  # claim -> its versions only the article supports
    claims: dict[str, tuple[Values, list[str]]]  # claims only the article supports -> values, quotes


def without_article(base: Base, article_id: str) -> tuple[Base, Expected]:
    """The base without what `article_id` alone contributes, and what it contributes."""
    reduced = base.copy()
    expected = Expected(set(), {}, {})
    reduced.articles.pop(article_id, None)
    reduced.texts.pop(article_id, None)
    for claim in list(base.claims.values()):
        if not any(s.article == article_id for v in claim.versions for s in v.sources):
            continue
        kept_versions = []
        dropped: list[tuple[str, Values, list[str]]] = []
        for version in claim.versions:
            mine = [s.quote for s in version.sources if s.article == article_id]
            others = [s for s in version.sources if s.article != article_id]
            if others:
                kept_versions.append(version.model_copy(update={"sources": others}))
                if mine:
                    expected.sources.add((claim.id, version.id))
            elif mine:
                dropped.append((version.id, version.values, mine))
        if kept_versions:
            reduced.claims[claim.id] = claim.model_copy(update={"versions": kept_versions})
            if dropped:
                expected.versions[claim.id] = dropped
        else:
            del reduced.claims[claim.id]
            quotes = [q for _, _, qs in dropped for q in qs]
            expected.claims[claim.id] = (dropped[0][1], quotes)
    return reduced, expected


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", normalise_quote(text).casefold())


def same_passage(sentence: str, quote: str) -> bool:
    """Whether a drafted sentence is where a curated quote comes from (a fragment of the quote in
    the sentence, the sentence in the quote, or most of the shorter one's words shared)."""
    s = " ".join(_words(sentence))
    for fragment in re.split(r"\s*(?:\.\.\.|…)\s*", quote):
        f = " ".join(_words(fragment))
        if f and (f in s or s in f):
            return True
    a, b = set(_words(sentence)), set(_words(quote))
    return bool(a and b) and len(a & b) >= 0.6 * min(len(a), len(b))


def _overlap(a: str, b: str) -> int:
    return len(set(_words(a)) & set(_words(b)))


def _value_matches(drafted: dict[str, Any], curated: Values) -> tuple[int, int, int]:
    """(drafted, equal, missed) over date, count, places and speaker."""
    given = equal = missed = 0
    for key in VALUE_KEYS:
        mine, theirs = drafted.get(key), getattr(curated, key)
        if not mine:
            missed += 1 if theirs else 0
            continue
        given += 1
        try:
            if key == "date":
                a, b = parse_date_span(mine), parse_date_span(theirs) if theirs else None
                same = b is not None and (a.start, a.end) == (b.start, b.end)
            elif key == "count":
                a, b = parse_count(mine), parse_count(theirs) if theirs else None
                same = b is not None and (a.lo, a.hi) == (b.lo, b.hi)
            elif key == "places":
                same = set(mine) == set(theirs)
            else:
                same = mine == theirs
        except ValueError:
            same = False
        equal += same
    return given, equal, missed


def score(drafts: list[Draft], expected: Expected, base: Base) -> dict[str, Any]:
    """Compare one article's drafts with what the curated base records for it."""
    found_sources: set[tuple[str, str]] = set()
    found_versions: set[tuple[str, str]] = set()
    found_claims: set[str] = set()
    correct = wrong = 0
    given = equal = missed = 0
    for draft in drafts:
        if draft.action == ENTITY:
            continue
        curated: Values | None = None
        if draft.action == SOURCE and (draft.claim_id, draft.version_id) in expected.sources:
            found_sources.add((draft.claim_id, draft.version_id))
            curated = _version(base.claims[draft.claim_id], draft.version_id).values
        elif draft.action == VERSION:
            dropped = expected.versions.get(draft.claim_id or "", [])
            hit = next(((draft.claim_id, vid, values) for vid, values, quotes in dropped
                        if (draft.claim_id, vid) not in found_versions
                        and any(same_passage(draft.quote, q) for q in quotes)), None)
            if hit:
                found_versions.add(hit[:2])
                curated = hit[2]
        elif draft.action == CLAIM:
            hits = [cid for cid, (_, quotes) in expected.claims.items() if cid not in found_claims
                    and any(same_passage(draft.quote, q) for q in quotes)]
            # Two claims drafted from one sentence are each paired with the curated claim whose
            # statement they share most words with, not with whichever comes first.
            hit = max(hits, key=lambda cid: _overlap(draft.statement or draft.quote, base.claims[cid].statement),
                      default=None)
            if hit:
                found_claims.add(hit)
                curated = expected.claims[hit][0]
        if curated is None:
            wrong += 1
            continue
        correct += 1
        if draft.action == SOURCE:
            continue  # a source adds the article to a version as it is: it drafts no values
        g, e, m = _value_matches(draft.values, curated)
        given, equal, missed = given + g, equal + e, missed + m
    versions = sum(len(dropped) for dropped in expected.versions.values())
    links = len(expected.sources) + versions + len(expected.claims)
    recalled = len(found_sources) + len(found_versions) + len(found_claims)
    return {"links": links, "recalled": recalled, "drafts": correct + wrong, "correct": correct,
            "values_drafted": given, "values_equal": equal, "values_missed": missed,
            "entity_drafts": sum(1 for d in drafts if d.action == ENTITY),
            "expected": {"sources": len(expected.sources), "versions": versions,
                         "claims": len(expected.claims)},
            "found": {"sources": len(found_sources), "versions": len(found_versions), "claims": len(found_claims)}}


def _version(claim: Claim, version_id: str | None):
    return next(v for v in claim.versions if v.id == version_id)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def run(progress: Callable[[str], None] | None = None, base_dir: Path | None = None,
        today: date | None = None) -> dict[str, Any]:
    """Leave each article of the base out in turn, draft from it, and score the drafts."""
    base = load_base(base_dir)
    rows = []
    for article_id in sorted(base.texts):
        reduced, expected = without_article(base, article_id)
        engine = Engine(reduced, today=today or today_from_env())
        article = base.articles[article_id]
        started = time.perf_counter()
        drafting = draft_article(engine, article_id, base.texts[article_id], article.published_date(),
                                 article.published_day_known())
        seconds = time.perf_counter() - started
        row = {"article": article_id, "outlet": article.outlet, "sentences": drafting.sentences,
               "skipped": len(drafting.skipped), "seconds": round(seconds, 3), **score(drafting.drafts, expected, base)}
        rows.append(row)
        if progress:
            progress(f"{article_id}: {row['recalled']}/{row['links']} recalled, {row['correct']}/{row['drafts']} "
                     f"correct, {seconds:.2f} s")
    total = {key: sum(r[key] for r in rows) for key in ("links", "recalled", "drafts", "correct", "values_drafted",
                                                       "values_equal", "values_missed", "entity_drafts")}
    for row in [*rows, total]:
        row["recall"] = _ratio(row["recalled"], row["links"])
        row["precision"] = _ratio(row["correct"], row["drafts"])
        row["values"] = _ratio(row["values_equal"], row["values_drafted"])
    total["seconds_max"] = max((r["seconds"] for r in rows), default=0.0)
    total["seconds_mean"] = round(sum(r["seconds"] for r in rows) / len(rows), 3) if rows else 0.0
    return {"articles": rows, "overall": total,
            "targets": {"recall": 0.8, "precision": 0.7, "values": 0.8, "seconds": 2.0}}


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def table(report: dict[str, Any]) -> str:
    lines = ["article                  recall        precision     values        missed  entities  seconds"]
    for r in report["articles"]:
        lines.append(f"{r['article'][:24]:<24} {_fmt(r['recall'])} ({r['recalled']:>2}/{r['links']:<2})  "
                     f"{_fmt(r['precision'])} ({r['correct']:>2}/{r['drafts']:<2})  "
                     f"{_fmt(r['values'])} ({r['values_equal']:>2}/{r['values_drafted']:<2})  {r['values_missed']:>6}  "
                     f"{r['entity_drafts']:>8}  {r['seconds']:>7.2f}")
    t = report["overall"]
    lines.append(f"{'overall':<24} {_fmt(t['recall'])} ({t['recalled']:>2}/{t['links']:<2})  "
                 f"{_fmt(t['precision'])} ({t['correct']:>2}/{t['drafts']:<2})  "
                 f"{_fmt(t['values'])} ({t['values_equal']:>2}/{t['values_drafted']:<2})  {t['values_missed']:>6}  "
                 f"{t['entity_drafts']:>8}  max {t['seconds_max']:.2f}")
    targets = report["targets"]
    lines.append(f"targets: recall ≥ {targets['recall']}, precision ≥ {targets['precision']}, values ≥ "
                 f"{targets['values']}, under {targets['seconds']} s per article")
    return "\n".join(lines)

"""Moderators' changes to outlets (credibility, criterion by criterion, with reasons) and articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from claims.curate.base import Change, CurationBase, CurationError, errors_of, validated
from claims.models import CRITERIA_POINTS, Article, Criterion, Outlet, score_criteria
from claims.store import Transaction


class SourceCuration(CurationBase):
    """Outlets and articles of the workspace."""

    def outlets(self) -> list[Outlet]:
        """Outlets, most credible first."""
        return sorted(self.base.outlets.values(), key=lambda o: (-o.credibility, o.id))

    def rerate_outlet(self, actor: str, outlet_id: str, criterion: str, rating: str, reason: str,
                      expected_revision: int | None = None) -> Change:
        """Change one criterion's rating; the score is recomputed. The reason is required.

        The outlet is read inside the write transaction: a re-rating made meanwhile by another
        moderator or process is built upon, never overwritten."""
        if criterion not in CRITERIA_POINTS:
            raise CurationError(f"unknown criterion {criterion!r}; one of {', '.join(CRITERIA_POINTS)}")
        if not reason or not reason.strip():
            raise CurationError("say why: a re-rating needs a reason")
        try:
            new_criterion = Criterion(rating=rating, note=reason.strip()).model_dump()
        except ValidationError as exc:
            raise CurationError(errors_of(exc)) from None
        scores: dict[str, int] = {}

        def build(current):
            if current is None:
                raise CurationError(f"no outlet with id {outlet_id!r}")
            data = current.model_dump()
            data["criteria"][criterion] = new_criterion
            data["credibility"] = score_criteria({k: Criterion(**v) for k, v in data["criteria"].items()})
            scores.update(before=current.credibility, after=data["credibility"])
            return validated(Outlet, data)

        change = self._write(actor, "outlet.rate", "outlet", outlet_id, build, expected_revision=expected_revision,
                             reason=reason, summary=f"re-rated {outlet_id}: {criterion} → {rating}")
        summary = f"{change.summary} ({scores['before']} → {scores['after']})"
        return Change(change.audit_id, change.action, change.target_type, change.target_id, summary, change.revision)

    def add_outlet(self, actor: str, data: dict[str, Any]) -> Change:
        """Add an outlet (its nine criteria rated; the score must match them)."""
        if "criteria" in data and "credibility" not in data:
            try:
                criteria = {k: Criterion.model_validate(v) for k, v in data["criteria"].items()}
            except (ValidationError, AttributeError, TypeError) as exc:
                raise CurationError(f"criteria: {exc}") from None
            data = {**data, "credibility": score_criteria(criteria)}
        outlet = validated(Outlet, data)

        def build(current):
            if current is not None:
                raise CurationError(f"an outlet with id {outlet.id!r} already exists")
            return outlet

        return self._write(actor, "outlet.add", "outlet", outlet.id, build, summary=f"added outlet {outlet.id}")

    def add_article(self, actor: str, data: dict[str, Any], text: str,
                    then: Callable[[Transaction, int], None] | None = None) -> Change:
        """Add an article with its full text (pasted or from an attached file). `then` runs last in
        the write's transaction (the article's drafts are stored with it)."""
        data = {**data, "path": data.get("path") or f"claims/base/articles/{data.get('id')}.txt"}
        article = validated(Article, data)
        if article.outlet not in self.base.outlets:
            raise CurationError(f"unknown outlet {article.outlet!r}; add the outlet first")
        if len(text.strip()) < 50:
            raise CurationError("the article text is missing or too short (under 50 characters)")

        def build(current):
            if current is not None:
                raise CurationError(f"an article with id {article.id!r} already exists")
            return article

        return self._write(actor, "article.add", "article", article.id, build, body=text, then=then,
                           summary=f"added article {article.id}")

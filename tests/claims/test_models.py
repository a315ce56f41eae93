"""The models: frozen, and sharing what pydantic would otherwise keep once per model."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from claims.load import Base
from claims.models import Claim


def test_a_claim_cannot_be_changed_in_place(shipped_base: Base) -> None:
    claim = shipped_base.claims["deal-reached"]
    with pytest.raises(ValidationError, match="frozen"):
        claim.statement = "Something else entirely was agreed."  # type: ignore[misc]


def test_models_given_the_same_fields_share_one_fields_set(shipped_base: Base) -> None:
    by_fields: dict[frozenset[str], set[int]] = {}
    models = [m for c in shipped_base.claims.values() for m in (c, *c.versions, *(v.values for v in c.versions))]
    for model in models:
        by_fields.setdefault(frozenset(model.model_fields_set), set()).add(id(model.model_fields_set))
    assert all(len(ids) == 1 for ids in by_fields.values())
    assert len(by_fields) < len(models) / 5  # 234 models hold 34 sets


def test_a_changed_copy_leaves_the_shared_fields_set_alone(shipped_base: Base) -> None:
    claim = shipped_base.claims["deal-reached"]
    before = set(claim.model_fields_set)
    copy = claim.model_copy(update={"unit": "troops", "due": "2026-12-31"})
    assert {"unit", "due"} <= copy.model_fields_set
    assert claim.model_fields_set == before
    again = Claim.model_validate(claim.model_dump(exclude_unset=True))
    assert again.model_fields_set == before
    assert again == claim

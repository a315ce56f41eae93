"""The models: frozen, and sharing what pydantic would otherwise keep once per model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from claims.export import export_base
from claims.load import Base, load_base
from claims.models import Claim, Values


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


# --- "as of": a running tally's date ---------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2026-11-28", "2026-11", "2026", "end of 2026"])
def test_as_of_takes_what_a_date_takes(as_of: str) -> None:
    assert Values(count="300", as_of=as_of).as_of == as_of


def test_as_of_is_validated_like_a_date() -> None:
    for bad in ("2026-02-30", "yesterday", "2026-13"):
        with pytest.raises(ValidationError) as refused:
            Values(count="300", as_of=bad)
        assert refused.value.errors()[0]["loc"] == ("as_of",)
    # A YAML date (unquoted) is read as a date and kept as its text, like `date`.
    assert Values.model_validate({"as_of": date(2026, 11, 28)}).as_of == "2026-11-28"


def test_as_of_is_exported_and_imported_with_the_base(shipped_base: Base, tmp_path: Path) -> None:
    claim = shipped_base.claims["troops-in-syria"]
    version = claim.versions[0]
    tally = claim.model_copy(update={"versions": [
        version.model_copy(update={"values": version.values.model_copy(update={"as_of": "2026-11-20"})}),
        *claim.versions[1:]]})
    base = Base(shipped_base.outlets, shipped_base.articles, shipped_base.texts, shipped_base.entities,
                {**shipped_base.claims, claim.id: tally}, shipped_base.claim_files)
    export_base(base, tmp_path)
    assert "as_of: '2026-11-20'" in (tmp_path / shipped_base.claim_files[claim.id]).read_text(encoding="utf-8")
    assert load_base(tmp_path).claims[claim.id] == tally

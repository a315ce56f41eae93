"""A restart indexes the base from each claim's stored index entry instead of normalising it.

The entries are a cache: the answers after a restart are exactly those before it, an edited
claim is read again, entries made under other entities (another reading) are never used, and a
damaged table costs time, not answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.synthetic import synthetic_base
from claims.curate import Curator
from claims.engine import Engine
from claims.load import Base
from claims.match import Matcher, claim_payload
from claims.render import card_text, reply_card
from claims.service import Crosscheck
from claims.store import Store
from claims.store.terms import KEEP_DAYS
from tests.claims.test_match_index import _index_state
from tests.conftest import TODAY

STATEMENTS = [
    "the americans are leaving erbil by september 2026",
    "Is it true that all coalition troops left Iraq in 2025?",
    "About 2,500 U.S. troops are in Iraq.",
    "Bananas are blue.",
]


def answers(service: Crosscheck) -> list[str]:
    return [card_text(reply_card(service.check(statement).reply)) for statement in STATEMENTS]


def started(target: Path | str) -> tuple[Crosscheck, list[str]]:
    """Open the database as a restarted process does, answer the statements, store the entries."""
    service = Crosscheck.open(target, today=TODAY)
    replies = answers(service)
    service.engines.wait_saved()
    return service, replies


def active_claims(service: Crosscheck) -> int:
    claims = service.engine.base.claims
    return sum(claims[cid].status == "active" for cid in claims)


def test_an_index_read_from_stored_entries_is_the_index_normalising_builds(engine: Engine, shipped_base: Base) -> None:
    claims = [c for c in synthetic_base(shipped_base, 400, seed=9).claims.values() if c.status == "active"]
    normalised = Matcher(engine.normaliser, claims)
    payloads = [(c.id, claim_payload(engine.normaliser, c)) for c in claims]
    restored = Matcher(engine.normaliser, source={c.id: c for c in claims}, payloads=payloads)
    assert _index_state(restored) == _index_state(normalised)
    assert [restored.payload(c.id) for c in claims] == [p for _, p in payloads]
    for statement in STATEMENTS:
        assert restored.match(statement) == normalised.match(statement)


def test_entries_parsed_in_worker_processes_give_the_same_index(
    engine: Engine, shipped_base: Base, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.match as match

    claims = [c for c in synthetic_base(shipped_base, 500, seed=4).claims.values() if c.status == "active"]
    payloads = [(c.id, claim_payload(engine.normaliser, c)) for c in claims]
    source = {c.id: c for c in claims}
    here = Matcher(engine.normaliser, source=source, payloads=payloads)
    monkeypatch.setattr(match, "BATCH_CLAIMS", 61)  # entries straddle batch boundaries
    monkeypatch.setattr(match, "PARALLEL_FROM", 100)
    in_workers = Matcher(engine.normaliser, source=source, payloads=payloads)
    assert _index_state(in_workers) == _index_state(here)


def test_a_restart_reads_every_claims_entry_and_answers_as_before(imported: Path | str) -> None:
    first, before = started(imported)
    assert first.engines.terms_reused == 0  # nothing stored yet: every claim was normalised
    count = active_claims(first)
    first.close()
    second, after = started(imported)
    try:
        assert second.engines.terms_reused == count
        assert after == before
    finally:
        second.close()


def test_an_edited_claim_is_read_again_on_restart_and_answered_as_edited(imported: Path | str) -> None:
    first, _ = started(imported)
    claim_id = next(cid for cid in first.engine.base.claims if first.engine.base.claims[cid].status == "active")
    Curator(first).add_alias("mod:alice", claim_id, "the violet heron treaty", accept=True)
    count = active_claims(first)
    first.close()
    second, _ = started(imported)
    try:
        assert second.engines.terms_reused == count - 1
        reply = second.check("the violet heron treaty").reply
        assert reply.claim is not None and reply.claim.id == claim_id
    finally:
        second.close()


def test_entries_made_under_other_entities_are_not_used(imported: Path | str) -> None:
    first, _ = started(imported)
    entity = next(iter(first.engine.base.entities.values()))
    Curator(first).add_entity_name("mod:alice", entity.id, "the mauve lagoon")
    first.close()
    second, _ = started(imported)
    try:
        assert second.engines.terms_reused == 0 and second.engines.snapshots_restored == 0
        assert f"@{entity.id}" in second.engine.normaliser.terms("news from the mauve lagoon")  # read afresh
    finally:
        second.close()


def test_a_damaged_entry_costs_time_not_answers(imported: Path | str, caplog: pytest.LogCaptureFixture) -> None:
    first, before = started(imported)
    first.close()
    store = Store(imported)
    with store.db.transaction() as tx:
        tx.execute("UPDATE claim_terms SET payload = 'not an entry' WHERE claim_key IN "
                   "(SELECT claim_key FROM claim_terms LIMIT 1)")
    store.terms.forget_snapshots()  # the entries are what a start reads without one
    store.close()
    second, after = started(imported)
    try:
        assert after == before
        assert "do not read back" in caplog.text
        assert second.engines.terms_reused == 0
    finally:
        second.close()
    third, _ = started(imported)  # stored again, whole, for the next start
    try:
        assert third.engines.terms_reused == active_claims(third)
    finally:
        third.close()


def test_entries_of_removed_claims_and_of_readings_long_unused_are_forgotten(imported: Path | str) -> None:
    first, _ = started(imported)
    stored = first.store.terms.count()
    claims = first.engine.base.claims
    # a claim only this workspace stores (the shipped workspace still stores the real ones as they were)
    claim_id = next(cid for cid in claims if claims[cid].status == "active" and cid.startswith("x0"))
    Curator(first).set_status("mod:alice", claim_id, "retired", reason="duplicate")
    first.close()
    second, _ = started(imported)
    try:
        terms = second.store.terms
        assert terms.count() == stored - 1
        terms.save("an-old-release", {"k": "1\t\t0 word"})
        assert terms.forget_unused(now=datetime.now(UTC) + timedelta(days=KEEP_DAYS + 1)) == stored
        assert terms.count() == 0
    finally:
        second.close()

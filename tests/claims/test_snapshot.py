"""A restart restores the base's whole index from its snapshot instead of building it.

The snapshot is a cache, like the claims' index entries: the index it restores is exactly the
one it was taken of, claims changed since are indexed as they are now, a snapshot of another
base is never used, and a damaged one, or one a killed process was writing, costs time, never
answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.matching import bench_queries
from benchmarks.synthetic import synthetic_base
from claims.curate import Curator
from claims.engine import Engine
from claims.load import Base
from claims.match import Matcher
from claims.snapshot import Snapshot, SnapshotError, decode, encode
from claims.store import DEFAULT, Store
from claims.store.terms import MAX_SNAPSHOTS
from tests.claims.test_match_index import _index_state
from tests.claims.test_restart import STATEMENTS, active_claims, started

BASE = (DEFAULT, "shipped")  # the default workspace's base: its own rows over the shipped ones


def edited_index(engine: Engine, shipped_base: Base) -> tuple[Matcher, dict]:
    """An index built in bulk, then edited: claims added one by one (their postings are held
    apart from the bulk-built ones) and removed (their rows stay until compaction)."""
    claims = [c for c in synthetic_base(shipped_base, 400, seed=9).claims.values() if c.status == "active"]
    matcher = Matcher(engine.normaliser, claims[:350])
    for claim in claims[350:]:
        matcher.add(claim)
    for claim in claims[:6]:
        matcher.remove(claim.id)
    return matcher, {c.id: c for c in claims}


def round_trip(matcher: Matcher) -> Snapshot:
    state = matcher.state()
    return decode(bytes(encode(Snapshot(state, [f"key-{cid}" if cid else None for cid in state.ids]))))


def statements(shipped_base: Base) -> list[str]:
    return STATEMENTS + [q.text for q in bench_queries(shipped_base, seed=9)][:40]


def test_a_restored_index_is_exactly_the_index_it_was_taken_of(engine: Engine, shipped_base: Base) -> None:
    original, claims = edited_index(engine, shipped_base)
    snapshot = round_trip(original)
    restored = Matcher.restored(engine.normaliser, snapshot.state, source=dict(claims))
    assert _index_state(restored) == _index_state(original)
    assert snapshot.keys == [f"key-{cid}" if cid else None for cid in original.state().ids]
    assert restored._inverse_min_weights().tolist() == original._inverse_min_weights().tolist()
    wordings = len(original._wording_text.view())
    assert (restored._inverse_wording_weight[:wordings].tolist()
            == original._inverse_wording_weight[:wordings].tolist())
    for statement in statements(shipped_base):
        assert restored.match(statement) == original.match(statement) == restored.match_full_scan(statement)


def test_a_restored_index_edits_as_the_original_does(engine: Engine, shipped_base: Base) -> None:
    original, claims = edited_index(engine, shipped_base)
    restored = Matcher.restored(engine.normaliser, round_trip(original).state, source=dict(claims))
    removed_earlier, indexed = next(iter(claims.values())), list(claims.values())[200]
    for index in (original, restored):
        index.add(removed_earlier)
        index.remove(indexed.id)
        index.add(indexed.model_copy(update={"aliases": [*indexed.aliases, "the violet heron treaty"]}))
    assert _index_state(restored) == _index_state(original)
    for statement in [*statements(shipped_base), "the violet heron treaty"]:
        assert restored.match(statement) == original.match(statement) == restored.match_full_scan(statement)


@pytest.mark.parametrize("damage", ["cut short", "a byte changed in the arrays", "a byte changed in the header",
                                    "another format", "empty"])
def test_a_damaged_snapshot_is_refused_whole(engine: Engine, shipped_base: Base, damage: str) -> None:
    state = edited_index(engine, shipped_base)[0].state()
    blob = encode(Snapshot(state, list(state.ids)))
    if damage == "cut short":
        blob = blob[: len(blob) // 2]
    elif damage == "a byte changed in the arrays":
        blob[-100] ^= 1
    elif damage == "a byte changed in the header":
        blob[40] ^= 1
    elif damage == "another format":
        blob[:9] = b"something"
    else:
        blob = bytearray()
    with pytest.raises(SnapshotError):
        decode(bytes(blob))


def test_a_state_that_does_not_hold_together_is_not_restored(engine: Engine, shipped_base: Base) -> None:
    matcher, claims = edited_index(engine, shipped_base)
    for spoil in ("a term id past the terms", "a row past the rows", "term counts off by one", "a range overlapping"):
        state = matcher.state()
        if spoil == "a term id past the terms":
            state.arrays["vocab"][3] = len(state.terms)
        elif spoil == "a row past the rows":
            state.arrays["posting_rows"][0] = len(state.ids)
        elif spoil == "term counts off by one":
            state.arrays["df"][int(state.arrays["vocab"][0])] += 1
        else:
            state.arrays["vocab_end"][0] += 1
        with pytest.raises(ValueError):
            Matcher.restored(engine.normaliser, state, source=dict(claims))


def test_a_restart_restores_the_snapshot_and_answers_as_before(imported: Path | str) -> None:
    first, before = started(imported)
    assert first.engines.snapshots_restored == 0  # none stored yet
    count = active_claims(first)
    first.close()
    second, after = started(imported)
    try:
        assert second.engines.index_made[BASE] == "snapshot"
        assert second.engines.snapshots_restored == 1 and second.engines.terms_reused == count
        assert after == before
    finally:
        second.close()


def test_claims_changed_after_the_snapshot_are_indexed_as_they_are_now(imported: Path | str) -> None:
    first, _ = started(imported)
    claims = first.engine.base.claims
    active = [cid for cid in claims if claims[cid].status == "active" and cid.startswith("x0")]
    curator = Curator(first)
    curator.add_alias("mod:alice", active[0], "the violet heron treaty", accept=True)
    curator.set_status("mod:alice", active[1], "retired", reason="duplicate")
    first.close()
    second, _ = started(imported)
    try:
        assert second.engines.index_made[BASE] == "snapshot, 2 claims changed since"
        reply = second.check("the violet heron treaty").reply
        assert reply.claim is not None and reply.claim.id == active[0]
        matcher = second.engine.matcher
        assert active[1] not in matcher._row_of
        for statement in [*STATEMENTS, claims[active[1]].statement]:
            assert matcher.match(statement) == matcher.match_full_scan(statement)
    finally:
        second.close()
    third, _ = started(imported)  # the snapshot was taken again, with the changes
    try:
        assert third.engines.index_made[BASE] == "snapshot"
        assert third.check("the violet heron treaty").reply.claim.id == active[0]
    finally:
        third.close()


@pytest.mark.parametrize("changes_it_may_catch_up", [1000, 10])
def test_a_base_replaced_since_its_snapshot_is_answered_as_it_is_now(
    imported: Path | str, shipped_base: Base, monkeypatch: pytest.MonkeyPatch, changes_it_may_catch_up: int
) -> None:
    import claims.engines as engines

    monkeypatch.setattr(engines, "MAX_MISSES", changes_it_may_catch_up)
    first, _ = started(imported)
    first.close()
    store = Store(imported)
    store.import_base(DEFAULT, synthetic_base(shipped_base, 300, seed=6))  # the same claim ids, other claims
    store.close()
    second, after = started(imported)
    try:
        made = second.engines.index_made[BASE]
        if changes_it_may_catch_up < 100:  # too many changed: the snapshot is not used at all
            assert second.engines.snapshots_restored == 0 and not made.startswith("snapshot")
        else:  # restored, and the claims changed indexed again
            assert made.startswith("snapshot, ") and made.endswith(" claims changed since")
        matcher = second.engine.matcher
        for statement in statements(shipped_base):
            assert matcher.match(statement) == matcher.match_full_scan(statement)
        second.store.terms.forget_reading(second.engine.normaliser.fingerprint())
    finally:
        second.close()
    fresh, expected = started(imported)  # nothing stored to start from: every claim normalised
    try:
        assert fresh.engines.snapshots_restored == 0 and fresh.engines.terms_reused == 0
        assert after == expected
    finally:
        fresh.close()


@pytest.mark.parametrize("damage", ["cut short", "a byte changed", "a term id out of range, checksum made again"])
def test_a_damaged_snapshot_costs_time_not_answers(imported: Path | str, damage: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    first, before = started(imported)
    first.close()
    store = Store(imported)
    [(base, fingerprint)] = store.terms.snapshots()
    blob = bytearray(store.terms.load_snapshot(base, fingerprint) or b"")
    if damage == "cut short":
        blob = blob[: len(blob) * 2 // 3]
    elif damage == "a byte changed":
        blob[len(blob) // 2] ^= 0x20
    else:  # what a buggy or hostile writer could store: it reads back, but does not hold together
        snapshot = decode(bytes(blob))
        snapshot.state.arrays["vocab"] = snapshot.state.arrays["vocab"].copy()
        snapshot.state.arrays["vocab"][0] = len(snapshot.state.terms) + 5
        blob = encode(snapshot)
    store.terms.save_snapshot(base, fingerprint, bytes(blob))
    store.close()
    second, after = started(imported)
    try:
        assert after == before
        assert "does not read back" in caplog.text
        assert second.engines.index_made[BASE] == "entries"
    finally:
        second.close()
    third, _ = started(imported)  # taken again, whole, for the next start
    try:
        assert third.engines.index_made[BASE] == "snapshot"
    finally:
        third.close()


# Stores a snapshot through the store's own code, inside a transaction it never commits: killed there.
KILLED_WRITER = """
import sys, time
from claims.store import Store

store = Store(sys.argv[1])
[(base, fingerprint)] = store.terms.snapshots()
with store.db.transaction():
    store.terms.save_snapshot(base, fingerprint, b"the first bytes of a snapshot")
    print("writing", flush=True)
    time.sleep(120)
"""


def test_a_process_killed_while_storing_a_snapshot_leaves_the_one_before(imported: Path | str) -> None:
    first, before = started(imported)
    first.close()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(imported)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    finally:
        writer.kill()
        writer.wait()
    second, after = started(imported)
    try:
        assert second.engines.index_made[BASE] == "snapshot"
        assert after == before
    finally:
        second.close()


def test_snapshots_go_with_their_reading_and_beyond_the_limit(db_path: Path | str) -> None:
    store = Store(db_path)
    try:
        terms = store.terms
        terms.save("reading-a", {})
        for n in range(MAX_SNAPSHOTS + 2):
            terms.save_snapshot((f"ws-{n}",), "reading-a", b"x")
        assert len(terms.snapshots()) == MAX_SNAPSHOTS
        terms.save_snapshot((DEFAULT,), "reading-b", b"y")
        terms.save_snapshot((DEFAULT,), "reading-c", b"z")  # a new release's reading replaces it
        assert terms.load_snapshot((DEFAULT,), "reading-b") is None
        terms.save_snapshot((DEFAULT,), "reading-b", b"y")
        assert terms.load_snapshot((DEFAULT,), "reading-b") == b"y"
        terms.forget_reading("reading-b")
        assert terms.load_snapshot((DEFAULT,), "reading-b") is None
        terms.forget_unused()  # of workspaces that do not exist
        assert terms.snapshots() == []
    finally:
        store.close()

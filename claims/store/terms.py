"""Each claim's index entry, and whole indexes, kept so a restart need not normalise the base again.

An entry is keyed by a hash of the claim as stored (any edit is a new key) and the normaliser's
fingerprint (`Normaliser.fingerprint`: the code, its libraries and the base's entities): an
entry is used only for exactly the claim, and exactly the reading, it was made from.
`forget_unused` drops entries of claims no workspace stores any more, and every entry of a
reading (a fingerprint) no process has used for `KEEP_DAYS` (an old release, a base whose
entities have changed).

A snapshot (`claims.snapshot`) is a base's whole index in one value, under the base (the
workspaces whose rows make it) and the fingerprint; it names the key of every claim it holds,
so whoever reads it can tell which claims changed since. One is kept per base (the latest
reading's), at most `MAX_SNAPSHOTS` in all (a large base's is tens of megabytes), the least
recently used dropped first, and those of a reading forgotten go with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from claims.store.database import Database, PostgresDatabase, now_iso

BATCH = 1000  # rows written per transaction: short enough not to hold up a check for long
KEEP_DAYS = 30
MAX_SNAPSHOTS = 8


def claim_key(stored_json: str) -> str:
    """The key of a claim's entry: a hash of the claim as stored."""
    return hashlib.blake2b(stored_json.encode(), digest_size=16).hexdigest()


def claim_keys(stored: Mapping[str, str]) -> dict[str, str]:
    """`claim_key` of each claim (id -> stored JSON), in one pass: a restart hashes 100,000."""
    blake2b = hashlib.blake2b
    return {claim_id: blake2b(text.encode(), digest_size=16).hexdigest() for claim_id, text in stored.items()}


class TermsStore:
    """The `claim_terms` table (and `claim_term_readings`, when each fingerprint was last used)."""

    def __init__(self, db: Database | PostgresDatabase):
        self.db = db

    def load(self, fingerprint: str) -> dict[str, str]:
        """Every entry stored under a fingerprint (claim key -> payload)."""
        rows = self.db.query("SELECT claim_key, payload FROM claim_terms WHERE fingerprint = ?", [fingerprint])
        return {r["claim_key"]: r["payload"] for r in rows}

    def load_some(self, fingerprint: str, keys: Iterable[str]) -> dict[str, str]:
        """The entries stored under a fingerprint for these claim keys (claim key -> payload)."""
        wanted = sorted(set(keys))
        out: dict[str, str] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            rows = self.db.query(f"SELECT claim_key, payload FROM claim_terms WHERE fingerprint = ? AND claim_key IN "
                                 f"({', '.join('?' * len(chunk))})", [fingerprint, *chunk])
            out.update((r["claim_key"], r["payload"]) for r in rows)
        return out

    def save(self, fingerprint: str, entries: Mapping[str, str]) -> None:
        """Store entries (keys already stored are left as they are: same key, same entry) and
        note that the fingerprint is in use."""
        items = list(entries.items())
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO claim_term_readings (fingerprint, used_at) VALUES (?, ?) "
                       "ON CONFLICT (fingerprint) DO UPDATE SET used_at = excluded.used_at", [fingerprint, now_iso()])
        for start in range(0, len(items), BATCH):
            with self.db.transaction() as tx:
                tx.executemany("INSERT INTO claim_terms (fingerprint, claim_key, payload) VALUES (?, ?, ?) "
                               "ON CONFLICT (fingerprint, claim_key) DO NOTHING",
                               [(fingerprint, key, payload) for key, payload in items[start:start + BATCH]])

    def forget_unused(self, now: datetime | None = None) -> int:
        """Drop entries of claims no workspace stores as they were, and of readings unused for
        `KEEP_DAYS`; return how many entries were dropped."""
        now = now or datetime.now(UTC)
        live = {claim_key(r["data"]) for r in self.db.query(
            "SELECT data FROM objects WHERE kind = 'claim' AND data IS NOT NULL")}
        cutoff = (now - timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")
        old = {r["fingerprint"] for r in self.db.query(
            "SELECT fingerprint FROM claim_term_readings WHERE used_at < ?", [cutoff])}
        stale = [(r["fingerprint"], r["claim_key"]) for r in self.db.query(
            "SELECT fingerprint, claim_key FROM claim_terms") if r["claim_key"] not in live or r["fingerprint"] in old]
        for start in range(0, len(stale), BATCH):
            with self.db.transaction() as tx:
                tx.executemany("DELETE FROM claim_terms WHERE fingerprint = ? AND claim_key = ?",
                               stale[start:start + BATCH])
        with self.db.transaction() as tx:
            tx.executemany("DELETE FROM claim_term_readings WHERE fingerprint = ?", [(f,) for f in sorted(old)])
            # snapshots of a reading forgotten, or of a workspace that is gone
            tx.execute("DELETE FROM index_snapshots WHERE fingerprint NOT IN (SELECT fingerprint FROM "
                       "claim_term_readings) OR workspace_id NOT IN (SELECT id FROM workspaces)")
        return len(stale)

    def forget_reading(self, fingerprint: str) -> None:
        """Drop every entry, and every snapshot, stored under a fingerprint."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM claim_terms WHERE fingerprint = ?", [fingerprint])
            tx.execute("DELETE FROM claim_term_readings WHERE fingerprint = ?", [fingerprint])
            tx.execute("DELETE FROM index_snapshots WHERE fingerprint = ?", [fingerprint])

    # --- snapshots ------------------------------------------------------------------------------

    def load_snapshot(self, base: tuple[str, ...], fingerprint: str) -> bytes | None:
        """The snapshot stored for a base under a fingerprint (None when there is none)."""
        rows = self.db.query("SELECT data FROM index_snapshots WHERE base = ? AND fingerprint = ?",
                             [json.dumps(list(base)), fingerprint])
        return bytes(rows[0]["data"]) if rows else None

    def save_snapshot(self, base: tuple[str, ...], fingerprint: str, data: bytes | bytearray) -> None:
        """Store a base's snapshot (replacing the one stored before, and the base's snapshots under
        other fingerprints: an earlier release's), note that the fingerprint is in use, and drop
        the least recently used snapshots beyond `MAX_SNAPSHOTS`. One transaction: a process
        killed half-way leaves the snapshot stored before."""
        stamp = _precise_now()
        mine = (json.dumps(list(base)), fingerprint)
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO claim_term_readings (fingerprint, used_at) VALUES (?, ?) "
                       "ON CONFLICT (fingerprint) DO UPDATE SET used_at = excluded.used_at", [fingerprint, now_iso()])
            tx.execute("INSERT INTO index_snapshots (base, workspace_id, fingerprint, data, saved_at, used_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (base, fingerprint) DO UPDATE SET data = excluded.data, "
                       "saved_at = excluded.saved_at, used_at = excluded.used_at",
                       [mine[0], base[0], fingerprint, data, stamp, stamp])
            # One per base: at 100,000 claims a snapshot is ~50 MB, and each release reads text anew.
            tx.execute("DELETE FROM index_snapshots WHERE base = ? AND fingerprint <> ?", list(mine))
            others = [(r["base"], r["fingerprint"]) for r in tx.query(
                "SELECT base, fingerprint FROM index_snapshots ORDER BY used_at DESC, saved_at DESC")]
            others.remove(mine)
            tx.executemany("DELETE FROM index_snapshots WHERE base = ? AND fingerprint = ?",
                           others[MAX_SNAPSHOTS - 1:])

    def snapshot_used(self, base: tuple[str, ...], fingerprint: str) -> None:
        """Note that a base's snapshot was restored (the least recently used are dropped first)."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE index_snapshots SET used_at = ? WHERE base = ? AND fingerprint = ?",
                       [_precise_now(), json.dumps(list(base)), fingerprint])

    def forget_snapshots(self) -> None:
        """Drop every snapshot (the next start of each base builds its index from the entries)."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM index_snapshots")

    def snapshots(self) -> list[tuple[tuple[str, ...], str]]:
        """The (base, fingerprint) of every snapshot stored."""
        rows = self.db.query("SELECT base, fingerprint FROM index_snapshots ORDER BY base, fingerprint")
        return [(tuple(json.loads(r["base"])), r["fingerprint"]) for r in rows]

    def readings(self) -> list[str]:
        """The fingerprints entries are stored under."""
        return [r["fingerprint"] for r in self.db.query("SELECT fingerprint FROM claim_term_readings "
                                                        "UNION SELECT DISTINCT fingerprint FROM claim_terms")]

    def count(self, fingerprint: str | None = None) -> int:
        """How many entries are stored (under one fingerprint, or in all)."""
        if fingerprint is None:
            return int(self.db.query("SELECT count(*) AS n FROM claim_terms")[0]["n"])
        return int(self.db.query("SELECT count(*) AS n FROM claim_terms WHERE fingerprint = ?", [fingerprint])[0]["n"])


def _precise_now() -> str:
    # to the microsecond: which snapshot was used last decides which is dropped first
    return datetime.now(UTC).isoformat(timespec="microseconds")

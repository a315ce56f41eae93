"""Each claim's index entry, kept so a restart need not normalise the whole base again.

Keyed by a hash of the claim as stored (any edit is a new key) and the normaliser's fingerprint
(`Normaliser.fingerprint`: the code, its libraries and the base's entities): an entry is used
only for exactly the claim, and exactly the reading, it was made from. `forget_unused` drops
entries of claims no workspace stores any more, and every entry of a reading (a fingerprint)
no process has used for `KEEP_DAYS` (an old release, a base whose entities have changed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from claims.store.database import Database, PostgresDatabase, now_iso

BATCH = 1000  # rows written per transaction: short enough not to hold up a check for long
KEEP_DAYS = 30


def claim_key(stored_json: str) -> str:
    """The key of a claim's entry: a hash of the claim as stored."""
    return hashlib.blake2b(stored_json.encode(), digest_size=16).hexdigest()


class TermsStore:
    """The `claim_terms` table (and `claim_term_readings`, when each fingerprint was last used)."""

    def __init__(self, db: Database | PostgresDatabase):
        self.db = db

    def load(self, fingerprint: str) -> dict[str, str]:
        """Every entry stored under a fingerprint (claim key -> payload)."""
        rows = self.db.query("SELECT claim_key, payload FROM claim_terms WHERE fingerprint = ?", [fingerprint])
        return {r["claim_key"]: r["payload"] for r in rows}

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
        return len(stale)

    def forget_reading(self, fingerprint: str) -> None:
        """Drop every entry stored under a fingerprint."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM claim_terms WHERE fingerprint = ?", [fingerprint])
            tx.execute("DELETE FROM claim_term_readings WHERE fingerprint = ?", [fingerprint])

    def count(self, fingerprint: str | None = None) -> int:
        """How many entries are stored (under one fingerprint, or in all)."""
        if fingerprint is None:
            return int(self.db.query("SELECT count(*) AS n FROM claim_terms")[0]["n"])
        return int(self.db.query("SELECT count(*) AS n FROM claim_terms WHERE fingerprint = ?", [fingerprint])[0]["n"])


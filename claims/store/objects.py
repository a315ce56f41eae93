"""The claim bases of workspaces: outlets, articles, entities, vocabulary terms and claims, layered.

A workspace's base is its parent's base with the workspace's own rows on top: a row adds or
replaces an object, a row whose data is NULL removes it. Reading walks a workspace's chain
(itself, its parent, …) and takes each object from the first workspace that has a row for it.
A server that never edited the shipped base therefore stores nothing of it, and sees every
change the operator makes to the base it inherits, except where it made its own.

Every write names the revision it read: a write based on a stale read is refused, never merged
silently (two moderators, or the CLI and the bot, editing the same outlet or claim).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.load import Base, LazyClaims
from claims.models import Article, Claim, Entity, Outlet, Term
from claims.store.database import Database, StoreError, Transaction, now_iso
from claims.store.feed import record_change

# "term": an entry of the base's vocabulary (`claims.models.Term`), stored under its `Term.id`.
KINDS = ("outlet", "article", "entity", "term", "claim")
MODELS: dict[str, type[Outlet] | type[Article] | type[Entity] | type[Term] | type[Claim]] = {
    "outlet": Outlet, "article": Article, "entity": Entity, "term": Term, "claim": Claim}


class StaleRevision(StoreError):
    """The object changed since it was read; nothing was written."""

    def __init__(self, kind: str, object_id: str, expected: int | None, current: int | None):
        self.kind, self.object_id, self.expected, self.current = kind, object_id, expected, current
        super().__init__(f"{kind} {object_id!r} was changed by someone else since it was read "
                         f"(revision {expected}, now {current}); nothing was saved")


@dataclass(frozen=True)
class Stored:
    """One object as a workspace sees it: its data (None when it does not exist there)."""

    kind: str
    id: str
    data: dict[str, Any] | None
    body: str | None
    revision: int  # 0 when it never existed
    position: int
    file: str | None
    owner: str | None  # the workspace whose row this is

    @property
    def exists(self) -> bool:
        return self.data is not None


def _stored(kind: str, object_id: str, row: dict[str, Any] | None) -> Stored:
    if row is None:
        return Stored(kind, object_id, None, None, 0, -1, None, None)
    data = json.loads(row["data"]) if row["data"] is not None else None
    return Stored(kind, object_id, data, row["body"], row["revision"], row["position"], row["file"],
                  row["workspace_id"])


class ObjectStore:
    """Reads and writes the layered bases of workspaces."""

    def __init__(self, db: Database):
        self.db = db

    # --- reading --------------------------------------------------------------------------------

    def get(self, chain: tuple[str, ...], kind: str, object_id: str, tx: Transaction | None = None) -> Stored:
        """The object as the first workspace of `chain` sees it (read inside `tx` when given)."""
        if not chain:
            return _stored(kind, object_id, None)
        marks = ", ".join("?" * len(chain))
        sql = f"SELECT * FROM objects WHERE kind = ? AND id = ? AND workspace_id IN ({marks})"
        rows = (tx or self.db).query(sql, [kind, object_id, *chain])
        by_ws = {r["workspace_id"]: r for r in rows}
        row = next((by_ws[ws] for ws in chain if ws in by_ws), None)
        return _stored(kind, object_id, row)

    def load(self, chain: tuple[str, ...], kinds: tuple[str, ...] = KINDS, tx: Transaction | None = None,
             lazy: bool = False) -> Base:
        """The base the first workspace of `chain` sees (or only some kinds of its objects; read
        inside `tx` when given). `lazy` leaves the claims as stored until each is asked for
        (`LazyClaims`): what a restart wants, not what an edit does."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        if chain:
            marks = ", ".join("?" * len(chain))
            # Only the columns a base is made of: at 100,000 claims, every column more costs time.
            found = (tx or self.db).query(f"SELECT workspace_id, kind, id, data, body, file, status, position "
                                          f"FROM objects WHERE workspace_id IN ({marks}) AND kind IN "
                                          f"({', '.join('?' * len(kinds))})", [*chain, *kinds])
            depth = {ws: i for i, ws in enumerate(chain)}
            # The nearest workspace wins: apply the farthest first.
            for row in sorted(found, key=lambda r: -depth[r["workspace_id"]]):
                rows[(row["kind"], row["id"])] = row
        live = sorted((r for r in rows.values() if r["data"] is not None), key=lambda r: (r["position"], r["id"]))
        return base_of_rows(live, lazy)

    def own(self, workspace_id: str) -> list[Stored]:
        """The rows a workspace itself holds (additions, replacements and removals)."""
        rows = self.db.query("SELECT * FROM objects WHERE workspace_id = ? ORDER BY position, id", [workspace_id])
        return [_stored(r["kind"], r["id"], r) for r in rows]

    def own_summary(self, workspace_id: str) -> tuple[int, bool]:
        """How many rows a workspace itself holds, and whether any changes how text reads (an
        entity or a vocabulary term), without reading them."""
        # CASE, not max(kind = 'entity'): PostgreSQL has no max() of booleans.
        [row] = self.db.query("SELECT count(*) AS n, coalesce(max(CASE WHEN kind IN ('entity', 'term') THEN 1 "
                              "ELSE 0 END), 0) AS reads_text FROM objects WHERE workspace_id = ?", [workspace_id])
        return int(row["n"]), bool(row["reads_text"])

    def workspaces_with_rows(self) -> set[str]:
        """The workspaces that hold any row of their own."""
        return {r["workspace_id"] for r in self.db.query("SELECT DISTINCT workspace_id FROM objects")}

    def claim_topics(self, chain: tuple[str, ...], tx: Transaction | None = None) -> dict[str, tuple[str, str]]:
        """Every claim the first workspace of `chain` sees, as id -> (topic, status), read from
        the stored columns (no claim is parsed: a base's topics are listed without loading it)."""
        if not chain:
            return {}
        marks = ", ".join("?" * len(chain))
        rows = (tx or self.db).query(f"SELECT workspace_id, id, topic, status, data IS NULL AS gone FROM objects "
                                     f"WHERE kind = 'claim' AND workspace_id IN ({marks})", list(chain))
        depth = {ws: i for i, ws in enumerate(chain)}
        nearest: dict[str, tuple[int, dict[str, Any]]] = {}
        for r in rows:
            d = depth[r["workspace_id"]]
            if r["id"] not in nearest or d < nearest[r["id"]][0]:
                nearest[r["id"]] = (d, r)
        return {cid: (r["topic"], r["status"]) for cid, (_, r) in nearest.items() if not r["gone"]}

    def count(self, chain: tuple[str, ...], kind: str) -> int:
        return sum(1 for _ in self._ids(chain, kind))

    def _ids(self, chain: tuple[str, ...], kind: str) -> list[str]:
        if not chain:
            return []
        marks = ", ".join("?" * len(chain))
        rows = self.db.query(f"SELECT workspace_id, id, data IS NULL AS gone FROM objects WHERE kind = ? "
                             f"AND workspace_id IN ({marks})", [kind, *chain])
        depth = {ws: i for i, ws in enumerate(chain)}
        nearest: dict[str, tuple[int, bool]] = {}
        for r in rows:
            d = depth[r["workspace_id"]]
            if r["id"] not in nearest or d < nearest[r["id"]][0]:
                nearest[r["id"]] = (d, bool(r["gone"]))
        return [i for i, (_, gone) in nearest.items() if not gone]

    # --- writing --------------------------------------------------------------------------------

    def write(self, tx: Transaction, chain: tuple[str, ...], kind: str, object_id: str,
              model: Outlet | Article | Entity | Claim | None, *, expected_revision: int | None,
              body: str | None = None, file: str | None = None, guild_id: str | None = None) -> int:
        """Write an object into the first workspace of `chain` (None removes it there); return its
        new revision. Refused with StaleRevision unless it is still at `expected_revision` (None:
        it must not exist yet). The change is announced on the change feed in the same transaction."""
        workspace_id = chain[0]
        current = self.get(chain, kind, object_id, tx)
        current_revision = current.revision if current.exists else None
        if expected_revision != current_revision:
            raise StaleRevision(kind, object_id, expected_revision, current_revision)
        revision = current.revision + 1
        position = current.position if current.position >= 0 else self._next_position(tx)
        data = model.model_dump_json() if model is not None else None
        row = {
            "workspace_id": workspace_id, "kind": kind, "id": object_id, "data": data,
            "body": body if kind == "article" and model is not None else None,
            "topic": getattr(model, "topic", None), "status": getattr(model, "status", None),
            "file": file or current.file, "revision": revision, "position": position, "updated_at": now_iso(),
        }
        if model is None and not self._inherited(tx, chain, kind, object_id):
            # Nothing beneath to hide: forget the object here instead of keeping a removal row.
            tx.execute("DELETE FROM objects WHERE workspace_id = ? AND kind = ? AND id = ?",
                       [workspace_id, kind, object_id])
        else:
            upsert_object(tx, row)
        record_change(tx, workspace_id, kind, object_id, guild_id)
        return revision

    def _inherited(self, tx: Transaction, chain: tuple[str, ...], kind: str, object_id: str) -> bool:
        return self.get(chain[1:], kind, object_id, tx).exists

    @staticmethod
    def _next_position(tx: Transaction) -> int:
        return int(tx.scalar("SELECT coalesce(max(position), -1) + 1 FROM objects") or 0)

    def replace(self, tx: Transaction, workspace_id: str, base: Base) -> None:
        """Make a workspace's own rows exactly `base` (an import); announced as one change."""
        tx.execute("DELETE FROM objects WHERE workspace_id = ?", [workspace_id])
        stamp = now_iso()
        rows: list[dict[str, Any]] = []
        for kind, objects in (("outlet", base.outlets), ("article", base.articles), ("entity", base.entities),
                              ("term", base.terms), ("claim", base.claims)):
            for model in objects.values():
                rows.append({
                    "workspace_id": workspace_id, "kind": kind, "id": model.id, "data": model.model_dump_json(),
                    "body": base.texts.get(model.id, "") if kind == "article" else None,
                    "topic": getattr(model, "topic", None), "status": getattr(model, "status", None),
                    "file": base.claim_files.get(model.id) if kind == "claim" else None,
                    "revision": 1, "position": len(rows), "updated_at": stamp})
        if rows:
            names = list(rows[0])
            tx.executemany(f"INSERT INTO objects ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                           [[r[n] for n in names] for r in rows])
        record_change(tx, workspace_id, "workspace", workspace_id)

    def drop_redundant(self, tx: Transaction, chain: tuple[str, ...]) -> int:
        """Delete the first workspace's rows that say exactly what it would inherit anyway."""
        dropped = 0
        for row in tx.query("SELECT * FROM objects WHERE workspace_id = ?", [chain[0]]):
            below = self.get(chain[1:], row["kind"], row["id"], tx)
            # Compared as models: a row stored before a field was added lacks the field's default.
            same_data = _as_model(row["kind"], below.data) == _as_model(
                row["kind"], json.loads(row["data"]) if row["data"] is not None else None)
            if same_data and (row["kind"] != "article" or below.body == row["body"]):
                tx.execute("DELETE FROM objects WHERE workspace_id = ? AND kind = ? AND id = ?",
                           [chain[0], row["kind"], row["id"]])
                dropped += 1
        if dropped:
            record_change(tx, chain[0], "workspace", chain[0])
        return dropped


def _as_model(kind: str, data: dict[str, Any] | None) -> Outlet | Article | Entity | Term | Claim | None:
    return MODELS[kind].model_validate(data) if data is not None else None


def upsert_object(tx: Transaction, row: dict[str, Any]) -> None:
    names = list(row)
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in ("workspace_id", "kind", "id"))
    tx.execute(f"INSERT INTO objects ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
               f"ON CONFLICT (workspace_id, kind, id) DO UPDATE SET {updates}", [row[n] for n in names])


def base_of_rows(rows: list[dict[str, Any]], lazy: bool = False) -> Base:
    """Models from stored rows (already resolved and ordered); with `lazy`, claims stay JSON
    until read (`LazyClaims`)."""
    outlets: dict[str, Outlet] = {}
    articles: dict[str, Article] = {}
    texts: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    terms: dict[str, Term] = {}
    claims: dict[str, Claim] = {}
    raw: dict[str, str] = {}
    status: dict[str, str] = {}
    files: dict[str, str] = {}
    for row in rows:
        kind, data = row["kind"], row["data"]
        if kind == "outlet":
            outlets[row["id"]] = Outlet.model_validate_json(data)
        elif kind == "article":
            articles[row["id"]] = Article.model_validate_json(data)
            texts[row["id"]] = row["body"] or ""
        elif kind == "entity":
            entities[row["id"]] = Entity.model_validate_json(data)
        elif kind == "term":
            terms[row["id"]] = Term.model_validate_json(data)
        elif kind == "claim":
            if lazy:
                raw[row["id"]] = data
                status[row["id"]] = row["status"] or "active"
            else:
                claims[row["id"]] = Claim.model_validate_json(data)
            if row["file"]:
                files[row["id"]] = row["file"]
    return Base(outlets, articles, texts, entities, LazyClaims(raw, status) if lazy else claims, files, terms)

"""Workspaces, the servers attached to them, and who curates the shared ones.

By default every Discord server gets a workspace of its own (`guild-<id>`), created on first
use and inheriting from `default`, which inherits from `shipped`. The operator can create a
shared workspace and attach servers to it; such a workspace is curated only by the users, or
the members of a role in its home server, that the operator names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.store.database import Database, StoreError, Transaction, now_iso
from claims.store.feed import record_change
from claims.store.migrations import DEFAULT, SHIPPED, server_workspace_id

WORKSPACE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,79}$")
KINDS = ("shipped", "server", "shared")


class WorkspaceError(StoreError):
    """A workspace operation was refused; nothing was changed."""


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    kind: str
    parent: str | None
    home_guild: str | None
    created_at: str
    created_by: str


@dataclass(frozen=True)
class Curator:
    subject_kind: str  # user | role
    subject_id: str


def _workspace(row: dict) -> Workspace:
    return Workspace(row["id"], row["name"], row["kind"], row["parent"], row["home_guild"], row["created_at"],
                     row["created_by"])


class WorkspaceStore:
    """Workspaces, servers and curators."""

    def __init__(self, db: Database):
        self.db = db

    def all(self) -> list[Workspace]:
        return [_workspace(r) for r in self.db.query("SELECT * FROM workspaces ORDER BY id")]

    def get(self, workspace_id: str, tx: Transaction | None = None) -> Workspace | None:
        row = (tx or self.db).one("SELECT * FROM workspaces WHERE id = ?", [workspace_id])
        return _workspace(row) if row else None

    def require(self, workspace_id: str) -> Workspace:
        found = self.get(workspace_id)
        if found is None:
            known = ", ".join(w.id for w in self.all()[:10])
            raise WorkspaceError(f"no workspace {workspace_id!r}; known: {known} (see `crosscheck workspace list`)")
        return found

    def chain(self, workspace_id: str, tx: Transaction | None = None) -> tuple[str, ...]:
        """The workspace and its ancestors, nearest first."""
        out: list[str] = []
        current: str | None = workspace_id
        while current is not None:
            if current in out:
                raise WorkspaceError(f"workspace {workspace_id!r} inherits from itself ({' → '.join(out)})")
            ws = self.get(current, tx)
            if ws is None:
                break
            out.append(current)
            current = ws.parent
        return tuple(out)

    def parents(self) -> dict[str, str | None]:
        """Every workspace's parent (one read, for the engines' bookkeeping)."""
        return {r["id"]: r["parent"] for r in self.db.query("SELECT id, parent FROM workspaces")}

    def create(self, tx: Transaction, workspace_id: str, *, name: str, kind: str, parent: str | None,
               home_guild: str | None = None, by: str = "") -> Workspace:
        """Create a workspace (refused if the id is taken or malformed, or the parent unknown)."""
        if not WORKSPACE_ID.match(workspace_id):
            raise WorkspaceError(f"workspace id {workspace_id!r} must be 2-80 characters of a-z, 0-9, - and _")
        if kind not in KINDS:
            raise WorkspaceError(f"workspace kind {kind!r} must be one of {', '.join(KINDS)}")
        if self.get(workspace_id, tx) is not None:
            raise WorkspaceError(f"a workspace {workspace_id!r} already exists")
        if parent is not None and self.get(parent, tx) is None:
            raise WorkspaceError(f"no workspace {parent!r} to start from")
        row = {"id": workspace_id, "name": name, "kind": kind, "parent": parent, "home_guild": home_guild,
               "created_at": now_iso(), "created_by": by}
        tx.insert("workspaces", row, returning=None)
        record_change(tx, workspace_id, "workspace", workspace_id)
        return _workspace(row)

    # --- servers --------------------------------------------------------------------------------

    def of_server(self, guild_id: str) -> str | None:
        """The workspace a server is attached to, if any yet."""
        return self.db.scalar("SELECT workspace_id FROM servers WHERE guild_id = ?", [str(guild_id)])

    def ensure_server(self, guild_id: str) -> str:
        """The server's workspace, creating its own (inheriting `default`) on first use."""
        found = self.of_server(guild_id)
        if found:
            return found
        guild = str(guild_id)
        with self.db.transaction() as tx:
            found = tx.scalar("SELECT workspace_id FROM servers WHERE guild_id = ?", [guild])
            if found:
                return str(found)
            ws = server_workspace_id(guild)
            if self.get(ws, tx) is None:
                self.create(tx, ws, name=f"Server {guild}", kind="server", parent=DEFAULT, home_guild=guild,
                            by="first use")
            tx.insert("servers", {"guild_id": guild, "workspace_id": ws, "attached_at": now_iso(),
                                  "attached_by": "first use"}, returning=None)
            record_change(tx, ws, "server", guild, guild)
            return ws

    def attach(self, tx: Transaction, guild_id: str, workspace_id: str, by: str) -> None:
        """Attach a server to a workspace (instead of the one it had)."""
        ws = self.get(workspace_id, tx)
        if ws is None:
            raise WorkspaceError(f"no workspace {workspace_id!r}")
        if ws.kind == "shipped":
            raise WorkspaceError("the shipped base is read-only; attach servers to a workspace made from it")
        if ws.kind == "server" and ws.home_guild != str(guild_id):
            raise WorkspaceError(f"{workspace_id!r} is another server's own workspace; create a shared one "
                                 "(`crosscheck workspace create`) and attach both servers to it")
        tx.execute("INSERT INTO servers (guild_id, workspace_id, attached_at, attached_by) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (guild_id) DO UPDATE SET workspace_id = excluded.workspace_id, "
                   "attached_at = excluded.attached_at, attached_by = excluded.attached_by",
                   [str(guild_id), workspace_id, now_iso(), by])
        record_change(tx, workspace_id, "server", str(guild_id), str(guild_id))

    def servers(self, workspace_id: str | None = None) -> list[tuple[str, str]]:
        """(guild id, workspace id) pairs, optionally of one workspace."""
        if workspace_id is None:
            rows = self.db.query("SELECT guild_id, workspace_id FROM servers ORDER BY guild_id")
        else:
            rows = self.db.query("SELECT guild_id, workspace_id FROM servers WHERE workspace_id = ? ORDER BY guild_id",
                                 [workspace_id])
        return [(r["guild_id"], r["workspace_id"]) for r in rows]

    # --- curators of shared workspaces ----------------------------------------------------------

    def curators(self, workspace_id: str) -> list[Curator]:
        rows = self.db.query("SELECT subject_kind, subject_id FROM curators WHERE workspace_id = ? "
                             "ORDER BY subject_kind, subject_id", [workspace_id])
        return [Curator(r["subject_kind"], r["subject_id"]) for r in rows]

    def add_curator(self, tx: Transaction, workspace_id: str, subject_kind: str, subject_id: str, by: str) -> None:
        if subject_kind not in ("user", "role"):
            raise WorkspaceError("a curator is a user or a role")
        ws = self.get(workspace_id, tx)
        if ws is None or ws.kind != "shared":
            raise WorkspaceError(f"{workspace_id!r} is not a shared workspace: a server's own workspace is curated "
                                 "by that server's moderators, and the shipped base by nobody")
        if subject_kind == "role" and not ws.home_guild:
            raise WorkspaceError(f"give {workspace_id!r} a home server first (`--home-server`): a role belongs "
                                 "to one server")
        tx.execute("INSERT INTO curators (workspace_id, subject_kind, subject_id, added_at, added_by) VALUES "
                   "(?, ?, ?, ?, ?) ON CONFLICT (workspace_id, subject_kind, subject_id) DO NOTHING",
                   [workspace_id, subject_kind, str(subject_id), now_iso(), by])
        record_change(tx, workspace_id, "curators", workspace_id)

    def remove_curator(self, tx: Transaction, workspace_id: str, subject_kind: str, subject_id: str) -> bool:
        removed = tx.execute("DELETE FROM curators WHERE workspace_id = ? AND subject_kind = ? AND subject_id = ?",
                             [workspace_id, subject_kind, str(subject_id)])
        if removed:
            record_change(tx, workspace_id, "curators", workspace_id)
        return bool(removed)

    def set_home(self, tx: Transaction, workspace_id: str, guild_id: str | None) -> None:
        tx.execute("UPDATE workspaces SET home_guild = ? WHERE id = ? AND kind = 'shared'",
                   [str(guild_id) if guild_id else None, workspace_id])
        record_change(tx, workspace_id, "curators", workspace_id)


__all__ = ["DEFAULT", "SHIPPED", "Curator", "Workspace", "WorkspaceError", "WorkspaceStore",
           "server_workspace_id"]

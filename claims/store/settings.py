"""Small settings: the database's own key/value notes, and each server's moderator role."""

from __future__ import annotations

from claims.store.database import Database, now_iso
from claims.store.feed import record_change


class Settings:
    """`meta` and `guild_settings`."""

    def __init__(self, db: Database):
        self.db = db

    def meta(self, key: str) -> str | None:
        return self.db.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str | None) -> None:
        with self.db.transaction() as tx:
            if value is None:
                tx.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                           "value = excluded.value", [key, value])

    def moderator_role(self, guild_id: str) -> str | None:
        """The role that makes a member a moderator in this server, if one was set."""
        role = self.db.scalar("SELECT moderator_role_id FROM guild_settings WHERE guild_id = ?", [str(guild_id)])
        return role or None

    def set_moderator_role(self, guild_id: str, role_id: str | None, by: str) -> None:
        """Set (or clear, with None) the moderator role of a server."""
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO guild_settings (guild_id, moderator_role_id, updated_at, updated_by) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET moderator_role_id = "
                       "excluded.moderator_role_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                       [str(guild_id), role_id, now_iso(), by])
            record_change(tx, None, "settings", str(guild_id), str(guild_id))

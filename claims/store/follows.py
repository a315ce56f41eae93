"""The SQL of closing the loop: who follows which claim, and the messages owed to people.

Two kinds of message are owed (the rules are `claims.notify`'s):

- an **answer**: moderators linked a queued question to a claim, or made it a claim; each
  person who asked it is told, once;
- a **verdict** change: a claim someone follows ("Notify me") is judged otherwise now.

Either is a row in `notices`, written before anything is sent, with a unique `dedupe` key per
person and event; a process sends a row only after moving it from pending to sending itself
(`claim_pending`), so with several bot processes on one database each message goes out once.
A process that dies between the two leaves the row "sending": never sent twice, at worst not
at all. Once a row is done, its user id and channel are cleared: what stays is that a message
of that kind about that claim went out, to a pseudonym at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from claims.store.database import Database, Transaction, now_iso
from claims.store.feed import record_change

PENDING, SENDING, SENT, FAILED, DROPPED = "pending", "sending", "sent", "failed", "dropped"
ANSWER, VERDICT = "answer", "verdict"
# How an answer reaches someone who asked where everyone could see (a public /check, a
# mention): if a DM cannot be sent, a reply in that channel that pings only them. Private
# checks (the context menu, /check private:True) are answered by DM only.
PUBLIC_VIA = frozenset({"discord", "mention"})


@dataclass(frozen=True)
class Follow:
    id: int
    scope: str  # the server's id ('' for direct messages)
    workspace_id: str
    claim_id: str
    user_id: str
    standing: str
    created_at: str

    @property
    def guild_id(self) -> str | None:
        return self.scope or None


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    guild_id: str | None
    workspace_id: str
    claim_id: str
    user_id: str
    channel_id: str | None
    check_id: int | None
    follow_id: int | None
    before: str | None
    after: str | None
    created_at: str


def _follow(row: dict[str, Any]) -> Follow:
    return Follow(int(row["id"]), row["scope"], row["workspace_id"], row["claim_id"], row["user_id"], row["standing"],
                  row["created_at"])


def _notice(row: dict[str, Any]) -> Notice:
    return Notice(int(row["id"]), row["kind"], row["guild_id"], row["workspace_id"], row["claim_id"], row["user_id"],
                  row["channel_id"], row["check_id"], row["follow_id"], row["before"], row["after"], row["created_at"])


class FollowStore:
    """Follows and notices."""

    def __init__(self, db: Database):
        self.db = db

    # --- follows ----------------------------------------------------------------------------------

    def follow(self, scope: str, workspace_id: str, claim_id: str, user_id: str, standing: str) -> tuple[Follow, bool]:
        """Follow a claim (the person asked to); (the follow, whether it is new)."""
        with self.db.transaction() as tx:
            added = tx.execute("INSERT INTO follows (scope, workspace_id, claim_id, user_id, standing, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, claim_id, user_id) DO NOTHING",
                               [scope, workspace_id, claim_id, str(user_id), standing, now_iso()])
            row = tx.one("SELECT * FROM follows WHERE scope = ? AND claim_id = ? AND user_id = ?",
                         [scope, claim_id, str(user_id)])
        assert row is not None
        return _follow(row), bool(added)

    def get(self, follow_id: int) -> Follow | None:
        row = self.db.one("SELECT * FROM follows WHERE id = ?", [follow_id])
        return _follow(row) if row else None

    def of_person(self, scope: str, user_id: str) -> list[Follow]:
        """What a person follows in one server (or in direct messages), oldest first."""
        rows = self.db.query("SELECT * FROM follows WHERE scope = ? AND user_id = ? ORDER BY id", [scope, str(user_id)])
        return [_follow(r) for r in rows]

    def unfollow(self, scope: str, user_id: str, follow_id: int | None = None) -> int:
        """Stop following one claim (`follow_id`) or every claim in this scope; how many follows ended."""
        sql, args = "DELETE FROM follows WHERE scope = ? AND user_id = ?", [scope, str(user_id)]
        if follow_id is not None:
            sql, args = sql + " AND id = ?", [*args, follow_id]
        with self.db.transaction() as tx:
            return tx.execute(sql, args)

    def following(self, claim_ids: Iterable[str] | None = None) -> list[Follow]:
        """Every follow (of these claims)."""
        if claim_ids is None:
            rows = self.db.query("SELECT * FROM follows ORDER BY id")
        else:
            ids = sorted(set(claim_ids))
            if not ids:
                return []
            marks = ", ".join("?" for _ in ids)
            rows = self.db.query(f"SELECT * FROM follows WHERE claim_id IN ({marks}) ORDER BY id", ids)
        return [_follow(r) for r in rows]

    def record_standing(self, follow: Follow, now: str, *, drop: bool = False) -> int | None:
        """The followed claim is judged `now` instead of what the follower last heard: record it and
        owe them a message, in one transaction. The update is a compare-and-set on the standing
        last heard, so of several processes noticing the same change one queues the message; the
        others (and a follow removed meanwhile) get None. `drop` ends the follow too (the claim is
        gone: there is nothing left to follow)."""
        with self.db.transaction() as tx:
            if drop:
                changed = tx.execute("DELETE FROM follows WHERE id = ? AND standing = ?", [follow.id, follow.standing])
            else:
                changed = tx.execute("UPDATE follows SET standing = ? WHERE id = ? AND standing = ?",
                                     [now, follow.id, follow.standing])
            if not changed:
                return None
            stamp = now_iso()
            notice = tx.insert("notices", {
                "dedupe": f"{VERDICT}:{follow.id}:{follow.standing}>{now}:{stamp}", "kind": VERDICT,
                "guild_id": follow.guild_id, "workspace_id": follow.workspace_id, "claim_id": follow.claim_id,
                "user_id": follow.user_id, "channel_id": None, "check_id": None, "follow_id": follow.id,
                "before": follow.standing, "after": now, "status": PENDING, "created_at": stamp})
            record_change(tx, follow.workspace_id, "notice", str(notice), follow.guild_id)
            return int(notice)

    # --- answers to queued questions ----------------------------------------------------------------

    def queue_answers(self, tx: Transaction, check_ids: list[int], claim_id: str, workspace_id: str) -> int:
        """Owe each person who asked these queued questions (and whose id is still kept) the
        answer, once (inside the moderator's transaction); how many messages are owed now."""
        if not check_ids:
            return 0
        key = min(check_ids)
        marks = ", ".join("?" for _ in check_ids)
        rows = tx.query(f"SELECT id, guild_id, user_id, channel_id, asker, via FROM checks WHERE id IN ({marks}) "
                        "AND user_id IS NOT NULL ORDER BY id DESC", list(check_ids))
        owed, people = 0, set()
        stamp = now_iso()
        for row in rows:  # newest first: a person who asked twice is answered about their last wording
            person = row["asker"] or row["user_id"]
            if person in people:
                continue
            people.add(person)
            # The dedupe key holds the asker's pseudonym, never their id: it outlives the message.
            who = row["asker"] or f"check{row['id']}"
            owed += tx.execute(
                "INSERT INTO notices (dedupe, kind, guild_id, workspace_id, claim_id, user_id, channel_id, check_id, "
                "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe) DO NOTHING",
                [f"{ANSWER}:{key}:{who}", ANSWER, row["guild_id"], workspace_id, claim_id, row["user_id"],
                 row["channel_id"] if row["via"] in PUBLIC_VIA else None, row["id"], PENDING, stamp])
        if owed:
            record_change(tx, workspace_id, "notice", None, rows[0]["guild_id"])
        return owed

    # --- sending ------------------------------------------------------------------------------------

    def claim_pending(self, owns: Callable[[str | None], bool], limit: int = 50) -> list[Notice]:
        """Pending messages this process may send (`owns` a notice's server), each now moved from
        pending to sending by this process: no other process will send them."""
        rows = self.db.query("SELECT * FROM notices WHERE status = ? AND user_id IS NOT NULL ORDER BY id LIMIT ?",
                             [PENDING, limit * 4])
        out: list[Notice] = []
        for row in rows:
            if len(out) >= limit or not owns(row["guild_id"]):
                continue
            with self.db.transaction() as tx:
                if tx.execute("UPDATE notices SET status = ? WHERE id = ? AND status = ?",
                              [SENDING, row["id"], PENDING]):
                    out.append(_notice(row))
        return out

    def finish(self, notice_id: int, status: str, delivered: str | None = None) -> None:
        """Record how a message ended (sent, failed, dropped); its user id and channel are cleared."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE notices SET status = ?, delivered = ?, done_at = ?, user_id = NULL, channel_id = NULL "
                       "WHERE id = ?", [status, delivered, now_iso(), notice_id])

    def pending(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM notices WHERE status = ?", [PENDING]) or 0)

    # --- privacy ------------------------------------------------------------------------------------

    def expire(self, pending_before: str, follows_before: str) -> tuple[int, int]:
        """Drop messages still unsent since `pending_before` or whose question's text retention
        erased, and follows made before `follows_before`; (messages, follows) dropped."""
        with self.db.transaction() as tx:
            notices = tx.execute(
                "UPDATE notices SET status = ?, user_id = NULL, channel_id = NULL, done_at = ? WHERE status = ? AND "
                "(created_at < ? OR check_id IN (SELECT id FROM checks WHERE erased_at IS NOT NULL))",
                [DROPPED, now_iso(), PENDING, pending_before])
            follows = tx.execute("DELETE FROM follows WHERE created_at < ?", [follows_before])
        return notices, follows

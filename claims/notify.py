"""Closing the loop: people who asked hear back, and followers hear when a verdict changes.

- When moderators answer a queued question (link it to a claim, or make it a claim), everyone
  who asked it is owed the answer: the moderator's change queues one message per person, in
  its own transaction (`claims.curate.base`, `claims.store.follows.queue_answers`).
- "Notify me" under a reply follows its claim (`follow`). Whenever claims change anywhere,
  `refresh` compares each followed claim's standing (`claims.standing`, as the digest shows it)
  with what its follower last heard and queues a message when it moved. A removed or retired
  claim is told once, and the follow ends with it.
- The bot sends what is owed (`claims.store.follows.claim_pending`); `message` says what to send.

Nothing is sent to anyone who did not ask: a message goes only to the user id of a check
still kept (retention and erasure remove it) or to someone who pressed "Notify me" (shown and
removable with /privacy; erasure removes it). Follows last `FOLLOW_DAYS`; messages not sent
within `NOTICE_DAYS` are dropped (`claims.privacy`, deploy/PRIVACY.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.digest import STANDING_LABELS, standing
from claims.render import Card, clip, escape, reply_card
from claims.store.follows import ANSWER, Follow, Notice

if TYPE_CHECKING:
    from claims.service import Crosscheck

GONE = ("retired", "removed")


class NotifyError(ValueError):
    """A follow cannot be made; the message says why and what to do."""


def scope_of(guild_id: str | None) -> str:
    return str(guild_id) if guild_id else ""


def follow(service: Crosscheck, check_id: int, user_id: str, guild_id: str | None) -> tuple[Follow, bool]:
    """Follow the claim of a logged check (the one "Notify me" was pressed under), for `user_id`
    in this server; (the follow, whether it is new). Raises NotifyError when there is none."""
    row = service.logged_check(check_id)
    if row is None or row["guild_id"] != (str(guild_id) if guild_id else None):
        raise NotifyError("that answer is no longer available here")
    if not row["claim_id"]:
        raise NotifyError("that answer matched no claim, so there is nothing to follow")
    workspace = row["workspace_id"] or service.workspace_of(row["guild_id"])
    base = service.engine_for(workspace).base
    claim = base.claims.get(row["claim_id"])
    if claim is None or claim.status != "active":
        raise NotifyError("that claim is no longer in use here, so there is nothing to follow")
    return service.store.follows.follow(scope_of(guild_id), workspace, claim.id, str(user_id), standing(claim, base))


def refresh(service: Crosscheck, claim_ids: set[str] | None = None) -> int:
    """Queue a message for every follower whose claim is judged otherwise than they last heard
    (only of `claim_ids`, when given); how many this process queued. Safe to run in every process
    at once: each change is queued once (`FollowStore.record_standing`)."""
    queued = 0
    for item in service.store.follows.following(claim_ids):
        base = service.engine_for(item.workspace_id).base
        now = standing(base.claims.get(item.claim_id), base)
        if now != item.standing and service.store.follows.record_standing(item, now, drop=now in GONE) is not None:
            queued += 1
    return queued


def changed_claims(changes) -> set[str] | None:
    """Which followed claims a batch of change-feed rows may have changed: the claims edited, or
    (None) every claim, when a source or a whole base changed (credibility moves standings), or
    its vocabulary (how every statement reads)."""
    claims: set[str] = set()
    for change in changes:
        if change.scope == "claim" and change.target_id:
            claims.add(change.target_id)
        elif change.scope in ("outlet", "article", "workspace", "term"):
            return None
    return claims


@dataclass
class Message:
    """What to send for a notice: a line of text and, when there is a claim to show, its card."""

    text: str
    card: Card | None


def message(service: Crosscheck, notice: Notice, where: str = "") -> Message:
    """The message owed for `notice`; `where` names the server ("in **Server**"), if any."""
    base = service.engine_for(notice.workspace_id).base
    claim = base.claims.get(notice.claim_id)
    place = f" {where}" if where else ""
    if notice.kind == ANSWER:
        row = service.logged_check(notice.check_id) if notice.check_id is not None else None
        statement = row["statement"] if row else None
        asked = f": “{escape(clip(statement, 200))}”" if statement else " (its text is no longer kept)"
        text = f"🔔 The moderators answered a question you asked{place}{asked}"
        if claim is None or claim.status != "active":
            return Message(text + ". The claim they answered it with is no longer in use.", None)
        reply = service.check_against(statement or claim.statement, claim.id, workspace_id=notice.workspace_id)
        return Message(text, reply_card(reply))
    before = STANDING_LABELS.get(notice.before or "", notice.before or "?")
    after = STANDING_LABELS.get(notice.after or "", notice.after or "?")
    what = f"“{escape(clip(claim.statement, 200))}”" if claim else f"`{notice.claim_id}`"
    text = f"🔔 A claim you follow{place} changed: {what} was {before}, is now {after}."
    if claim is None or claim.status != "active":
        return Message(text + " You no longer follow it: there is nothing left to follow.", None)
    reply = service.check_against(claim.statement, claim.id, workspace_id=notice.workspace_id)
    return Message(text, reply_card(reply))

"""The digest of a period: what people asked, what changed, where sources disagree, what falls due.

Computed from the store (the check log, the audit log, feedback, the review queue) and the
engine (how the base judges each claim), with no chat platform involved: the bot posts it as
embeds, `crosscheck digest preview` prints it as text, and both come from the same `Card`s.

A digest has two kinds of content:

- news: what happened in the period [start, end): questions asked (grouped by the claim they
  matched), claims added or changed, feedback, questions queued for the moderators, and plan
  deadlines that passed in the period. Periods do not overlap, so news is new by construction;
- the watch: plan deadlines coming up in the 30 days after the period. It repeats from one
  digest to the next, so a digest with no news whose watch is what the last digest already
  said is "unchanged" and is not posted (see `Digest.fingerprint` and `Digest.unchanged_since`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from claims import review
from claims.engine import Engine
from claims.extract import Details
from claims.load import Base
from claims.match import MATCH
from claims.models import Claim, ClaimKind, Version
from claims.render import FIELD_VALUE_MAX, LABELS, Card, CardField, card_text, clip, escape, fit
from claims.service import Crosscheck
from claims.standing import DISPUTED, claim_standing, settles
from claims.store import Where
from claims.values import DateSpan, parse_count, parse_date_span
from claims.verdict import claim_entity_ids, conflicts_with, weigh

# How far ahead the deadline watch looks, from the end of the period.
DEADLINE_HORIZON = timedelta(days=30)
# How many entries each section lists before "…and N more" (the embed limits cut earlier if needed).
MAX_ASKED = 10
MAX_CHANGES = 12
MAX_DISPUTED = 6
MAX_DEADLINES = 10
MAX_QUEUE = 3
MAX_UNHELPFUL = 3
# One entry never takes more than this, so one huge statement cannot crowd out the rest.
LINE_MAX = 300

COLOUR = 0x5865F2
MOD_COLOUR = 0x7F8C8D
STANDING_LABELS = {**LABELS, "retired": "🗄️ Retired", "removed": "🗑️ Removed"}

# What each audited action did to a claim, in a reader's words.
ACTION_WORDS = {
    "claim.add": "added",
    "review.new_claim": "added (from a question people asked)",
    "claim.edit": "reworded or re-dated",
    "claim.alias.add": "new wording",
    "claim.alias.remove": "wording removed",
    "claim.version.add": "new version",
    "claim.source.add": "new source",
    "claim.retire": "retired",
    "claim.restore": "restored",
    "review.link": "new wordings from questions people asked",
    "undo": "an earlier change undone",
}
OUTLET_ACTION_WORDS = {"outlet.rate": "re-rated", "outlet.add": "added", "undo": "an earlier change undone"}


# --- the parts of a digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class AskedClaim:
    """A claim people asked about in the period, with how the base judges it now."""

    claim_id: str
    statement: str
    verdict: str  # the claim's standing: supported, disputed, contradicted, unverified, retired
    count: int
    askers: int
    answers: tuple[tuple[str, int], ...] = ()  # the verdicts the askers got, most frequent first


@dataclass(frozen=True)
class ClaimChange:
    """A claim (or an outlet) added or changed by moderators in the period."""

    target_type: str  # "claim", "outlet" or "base"
    target_id: str
    statement: str
    what: tuple[str, ...]
    verdict: str | None
    audit_ids: tuple[int, ...]


@dataclass(frozen=True)
class VersionWeight:
    id: str
    text: str
    weight: float
    outlets: int


@dataclass(frozen=True)
class DisputedClaim:
    """A claim whose sources give more than one settling version, with each version's weight."""

    claim_id: str
    statement: str
    versions: tuple[VersionWeight, ...]


@dataclass(frozen=True)
class Deadline:
    """A plan's due date that passed in the period or comes within the next 30 days."""

    claim_id: str
    statement: str
    due: str  # the curated date ("2026-09", "end of 2026")
    due_words: str  # "September 2026"
    last_day: date
    state: str  # "passed" or "upcoming"
    confirmed_by: tuple[str, ...] = ()  # event claims saying it happened by the date
    late_by: tuple[str, ...] = ()  # event claims saying it happened, but after the date


@dataclass(frozen=True)
class QueueItem:
    statement: str
    count: int
    askers: int
    expired: bool = False  # questions whose text is no longer kept (see `claims.review`)


@dataclass(frozen=True)
class ModeratorReport:
    """For the moderators' channel: the review queue and the feedback received."""

    queue_items: int
    queue_questions: int
    top_queue: tuple[QueueItem, ...]
    queued_in_period: int
    helpful: int
    not_helpful: int
    unhelpful: tuple[tuple[str, int], ...] = ()  # (what was asked or matched, not-helpful votes)


@dataclass
class Digest:
    """Everything one digest says about the period [start, end)."""

    start: datetime
    end: datetime
    guild_id: str | None
    checks: int = 0
    askers: int = 0
    unmatched: int = 0
    asked: list[AskedClaim] = field(default_factory=list)
    changes: list[ClaimChange] = field(default_factory=list)
    disputed: list[DisputedClaim] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    moderators: ModeratorReport | None = None
    # Which log rows the news is made of: two periods with the same counts are still different news.
    check_ids: tuple[int, ...] = ()
    vote_ids: tuple[int, ...] = ()

    # --- what is new, and whether to post ---------------------------------------------------------

    @property
    def passed(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.state == "passed"]

    @property
    def upcoming(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.state == "upcoming"]

    def _news(self) -> dict[str, Any]:
        mods = self.moderators
        return {
            "checks": list(self.check_ids) or self.checks,
            "votes": list(self.vote_ids),
            "unmatched": self.unmatched,
            "asked": [[a.claim_id, a.verdict, a.count, a.askers] for a in self.asked],
            "changes": [[c.target_type, c.target_id, list(c.audit_ids)] for c in self.changes],
            "disputed": [[d.claim_id, [[v.id, v.weight] for v in d.versions]] for d in self.disputed],
            "passed": [[d.claim_id, d.due, list(d.confirmed_by), list(d.late_by)] for d in self.passed],
            "feedback": [mods.helpful, mods.not_helpful, mods.queued_in_period] if mods else [0, 0, 0],
        }

    def _watch(self) -> list[Any]:
        return [[d.claim_id, d.due, list(d.confirmed_by), list(d.late_by)] for d in self.upcoming]

    def has_news(self) -> bool:
        """Whether anything happened in the period (questions, changes, feedback, a deadline passing)."""
        mods = self.moderators
        return bool(self.checks or self.changes or self.passed
                    or (mods and (mods.helpful or mods.not_helpful or mods.queued_in_period)))

    def is_empty(self) -> bool:
        """Nothing to say at all: no news and no deadline coming up."""
        return not self.has_news() and not self.upcoming

    def fingerprint(self) -> str:
        """A stable hash of what the digest reports (which questions, votes, changes and deadlines;
        not when it was built): 16 hex digits for the news, 16 for the watch.

        Kept in two halves so that a quiet period can be compared with the last digest posted
        on the watch alone (see `unchanged_since`)."""
        return _hash(self._news()) + _hash(self._watch())

    def unchanged_since(self, previous: str | None) -> bool:
        """Whether this digest says nothing the one with fingerprint `previous` did not already say."""
        if not previous:
            return False
        if previous == self.fingerprint():
            return True
        return not self.has_news() and previous[16:] == _hash(self._watch())

    # --- rendering --------------------------------------------------------------------------------

    def period_label(self) -> str:
        """'20 Nov 09:00 → 21 Nov 2026 09:00 (Europe/London)'."""
        zone = getattr(self.end.tzinfo, "key", None) or self.end.tzname() or "UTC"
        start = self.start.astimezone(self.end.tzinfo)
        same_year = start.year == self.end.year
        first = f"{start.day} {start:%b}{'' if same_year else f' {start.year}'} {start:%H:%M}"
        return f"{first} → {self.end.day} {self.end:%b %Y %H:%M} ({zone})"

    def cards(self) -> tuple[Card, Card | None]:
        """The public card and, when there is a moderators' report, the moderators' card."""
        return self.public_card(), self.moderator_card()

    def public_card(self) -> Card:
        """What everyone sees in the digest channel (within Discord's embed limits)."""
        title = f"📰 Fact-check digest — {self.end.day} {self.end:%B %Y}"
        description = self._summary()
        fields: list[CardField] = []
        if self.asked:
            fields.append(_lines_field("🔥 Most asked", [_asked_line(i, a) for i, a in enumerate(self.asked, 1)],
                                       MAX_ASKED, "claims"))
        if self.deadlines:
            fields.append(_lines_field("⏰ Deadline watch", [_deadline_line(d) for d in self.deadlines],
                                       MAX_DEADLINES, "deadlines"))
        if self.disputed:
            fields.append(_lines_field("⚖️ Where the sources disagree", [_disputed_line(d) for d in self.disputed],
                                       MAX_DISPUTED, "claims"))
        if self.changes:
            fields.append(_lines_field("✏️ Claims added or changed", [_change_line(c) for c in self.changes],
                                       MAX_CHANGES, "changes"))
        footer = f"{self.period_label()} · fact-check anything with /check"
        return fit(Card(title, description, COLOUR, fields, footer))

    def moderator_card(self) -> Card | None:
        """The moderators' report: review queue and feedback (None when there is no report)."""
        mods = self.moderators
        if mods is None:
            return None
        queue = [f"**{mods.queue_items}** open item{_s(mods.queue_items)} "
                 f"({mods.queue_questions} question{_s(mods.queue_questions)}); "
                 f"**{mods.queued_in_period}** new this period"]
        queue += [clip(f"• {_queue_wording(q)} — asked {q.count}× by {q.askers} "
                       f"{'person' if q.askers == 1 else 'people'}", LINE_MAX) for q in mods.top_queue]
        feedback = [f"👍 **{mods.helpful}** helpful · 👎 **{mods.not_helpful}** not helpful"]
        if mods.unhelpful:
            feedback.append("Most 👎:")
            feedback += [clip(f"• {escape(what)} ({n})", LINE_MAX) for what, n in mods.unhelpful]
        fields = [_lines_field("📥 Review queue", queue, MAX_QUEUE + 1, "items"),
                  _lines_field("🗳️ Feedback", feedback, MAX_UNHELPFUL + 2, "answers")]
        return fit(Card(f"🛡️ Moderators' digest — {self.end.day} {self.end:%B %Y}",
                        "The review queue and how answers were received.", MOD_COLOUR, fields,
                        f"{self.period_label()} · /review list to handle the queue"))

    def text(self, moderators: bool = True) -> str:
        """The digest as terminal text: the same cards, plain."""
        public, mods = self.cards()
        out = card_text(public)
        if moderators and mods is not None:
            out += "\n" + card_text(mods)
        return out

    def _summary(self) -> str:
        lines = []
        if self.checks:
            matched = self.checks - self.unmatched
            lines.append(f"**{self.checks}** question{_s(self.checks)} checked by **{self.askers}** "
                         f"{'person' if self.askers == 1 else 'people'}: {matched} matched a claim"
                         + (f", {self.unmatched} had no match and went to the moderators" if self.unmatched else "")
                         + ".")
        else:
            lines.append("No questions were checked this period.")
        extras = []
        if self.changes:
            extras.append(f"{len(self.changes)} claim{_s(len(self.changes))} added or changed")
        if self.passed:
            extras.append(f"{len(self.passed)} deadline{_s(len(self.passed))} passed")
        if self.upcoming:
            extras.append(f"{len(self.upcoming)} coming up in the next 30 days")
        if extras:
            lines.append(" · ".join(extras) + ".")
        return "\n".join(lines)


def _hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _lines_field(name: str, lines: list[str], limit: int, noun: str) -> CardField:
    """A field listing up to `limit` lines, as many as fit in a field, then '…and N more'."""
    shown: list[str] = []
    used = 0
    reserve = 40  # room for the "…and N more" line
    for line in lines[:limit]:
        line = clip(line, FIELD_VALUE_MAX - reserve)  # each line builder keeps itself shorter still
        if used + len(line) + 1 > FIELD_VALUE_MAX - reserve:
            break
        shown.append(line)
        used += len(line) + 1
    hidden = len(lines) - len(shown)
    if hidden:
        shown.append(f"…and {hidden} more {noun}")
    return CardField(name, "\n".join(shown) or "—")


def _queue_wording(item: QueueItem) -> str:
    return escape(item.statement) if item.expired else f"“{escape(item.statement)}”"


def _asked_line(rank: int, item: AskedClaim) -> str:
    label = STANDING_LABELS.get(item.verdict, item.verdict)
    people = "person" if item.askers == 1 else "people"
    answers = ""
    if len(item.answers) > 1:
        answers = " (answers: " + ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in item.answers) + ")"
    # The tail goes first into the budget: a long statement is clipped, the counts never are.
    tail = f" · asked {item.count}× by {item.askers} {people}{answers}"
    head = f"{rank}. {label} — "
    return head + clip(escape(item.statement), max(40, LINE_MAX - len(head) - len(tail))) + tail


def _deadline_line(item: Deadline) -> str:
    if item.state == "passed":
        when = f"due {item.due_words}, passed on {item.last_day:%-d %B %Y}"
    else:
        when = f"due {item.due_words} (by {item.last_day:%-d %B %Y})"
    if item.confirmed_by:
        status = f"✅ a source confirms it happened (`{item.confirmed_by[0]}`)"
    elif item.late_by:
        status = f"⚠️ a source reports it happened only later (`{item.late_by[0]}`)"
    elif item.state == "passed":
        status = "❔ no source confirms it happened"
    else:
        status = "not yet confirmed"
    tail = f" — {when}: {status}"
    icon = "⌛" if item.state == "passed" else "🗓️"
    return f"{icon} " + clip(escape(item.statement), max(40, LINE_MAX - len(tail) - 2)) + tail


def _disputed_line(item: DisputedClaim) -> str:
    # Each version's text is shortened on its own, so every weight stays visible.
    shown = item.versions[:3]
    room = 85 if len(shown) <= 2 else 60
    versions = " vs ".join(f"{clip(escape(v.text), room)} (weight {v.weight:.2f}, {v.outlets} outlet{_s(v.outlets)})"
                           for v in shown)
    more = f" vs {len(item.versions) - len(shown)} more" if len(item.versions) > len(shown) else ""
    return clip(f"• **{clip(escape(item.statement), 100)}** — {versions}{more}", LINE_MAX + 150)


def _change_line(item: ClaimChange) -> str:
    label = f" · now {STANDING_LABELS.get(item.verdict, item.verdict)}" if item.verdict else ""
    what = ", ".join(item.what)
    if item.target_type == "outlet":
        return clip(f"• Source **{escape(item.statement)}**: {what}", LINE_MAX)
    if item.target_type == "base":
        return clip(f"• {escape(item.statement)}", LINE_MAX)
    tail = f" — {what}{label}"
    return "• " + clip(escape(item.statement), max(40, LINE_MAX - len(tail) - 2)) + tail


# --- computing a digest -------------------------------------------------------------------------


def standing(claim: Claim | None, base: Base) -> str:
    """How the base judges a claim as stated, whatever anyone asked about it (see
    `claims.standing.claim_standing`); retired / removed: no longer in use."""
    if claim is None:
        return "removed"
    if claim.status != "active":
        return "retired"
    return claim_standing(claim, base).verdict


def build_digest(service: Crosscheck, start: datetime, end: datetime, guild_id: str | None = None, *,
                 moderators: bool = True) -> Digest:
    """The digest for [start, end): aware datetimes, shown in `end`'s time zone.

    With `guild_id`, everything is that server's: its questions, feedback and review queue, and
    the claim changes and deadlines of the base it sees. Without, it is the terminal's view:
    every check logged, and the service's own workspace."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("a digest period needs timezone-aware start and end")
    if end <= start:
        raise ValueError("a digest period must end after it starts")
    start = start.astimezone(end.tzinfo)
    workspace_id = service.workspace_of(guild_id)
    engine = service.engine_for(workspace_id)
    base = engine.base
    since, until = _iso(start), _iso(end)
    digest = Digest(start, end, guild_id)
    where = Where(str(guild_id), workspace_id) if guild_id is not None else None

    service.flush_log()  # checks this process just answered count too
    rows = service.store.checks.between(where, since, until)
    digest.checks = len(rows)
    digest.check_ids = tuple(r["id"] for r in rows)
    # People are counted by their pseudonyms, which outlive the erasure of user ids (claims.privacy).
    digest.askers = len({r["asker"] or "local" for r in rows})
    digest.unmatched = sum(1 for r in rows if not r["claim_id"])
    digest.asked = _asked(rows, base)
    digest.changes = _changes(service, engine, workspace_id, since, until)
    relevant = [a.claim_id for a in digest.asked] + [c.target_id for c in digest.changes if c.target_type == "claim"]
    digest.disputed = _disputed(relevant, base)
    digest.deadlines = deadline_watch(engine, start, end)
    if moderators:
        queue_where = where or Where(None, workspace_id)
        digest.moderators, digest.vote_ids = _moderator_report(service, engine, rows, since, until, where,
                                                               queue_where)
    return digest


def _iso(moment: datetime) -> str:
    # The log stores UTC times as ISO text (`now_iso`): compare like with like.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _asked(rows: list[dict[str, Any]], base: Base) -> list[AskedClaim]:
    by_claim: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["claim_id"]:
            by_claim[row["claim_id"]].append(row)
    out = []
    for claim_id, checks in by_claim.items():
        claim = base.claims.get(claim_id)
        answers = Counter(r["verdict"] for r in checks)
        out.append(AskedClaim(
            claim_id=claim_id,
            statement=claim.statement if claim else claim_id,
            verdict=standing(claim, base),
            count=len(checks),
            askers=len({r["asker"] or "local" for r in checks}),
            answers=tuple(sorted(answers.items(), key=lambda kv: (-kv[1], kv[0]))),
        ))
    out.sort(key=lambda a: (-a.count, -a.askers, a.claim_id))
    return out


def _changes(service: Crosscheck, engine: Engine, workspace_id: str, since: str, until: str) -> list[ClaimChange]:
    base = engine.base
    # The base a server sees is its workspace's and its ancestors': changes to any of them are news.
    chain = service.store.workspaces.chain(workspace_id)
    rows = [asdict(e) for e in service.store.audit.between(chain, since, until, ("claim", "outlet", "base"))]
    ids = {r["id"] for r in rows}
    # A change undone within the same period cancels out: neither it nor its undo is news.
    rows = [r for r in rows if r["undone_by"] not in ids and r["undo_of"] not in ids]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["target_type"], row["target_id"]), []).append(row)
    out = []
    for (target_type, target_id), entries in grouped.items():
        if target_type == "base":
            for entry in entries:
                out.append(ClaimChange("base", target_id, f"The claim base was re-imported ({entry['reason']})",
                                       ("imported",), None, (entry["id"],)))
            continue
        words = OUTLET_ACTION_WORDS if target_type == "outlet" else ACTION_WORDS
        what = tuple(dict.fromkeys(words.get(e["action"], e["action"]) for e in entries))
        if target_type == "outlet":
            outlet = base.outlets.get(target_id)
            name = outlet.name if outlet else target_id
            out.append(ClaimChange("outlet", target_id, name, what, None, tuple(e["id"] for e in entries)))
            continue
        claim = base.claims.get(target_id)
        statement = claim.statement if claim else _audited_statement(entries) or target_id
        out.append(ClaimChange("claim", target_id, statement, what, standing(claim, base),
                               tuple(e["id"] for e in entries)))
    return out


def _audited_statement(entries: list[dict[str, Any]]) -> str | None:
    for entry in reversed(entries):
        for key in ("after", "before"):
            data = entry[key]
            if isinstance(data, dict) and data.get("statement"):
                return str(data["statement"])
    return None


def _disputed(claim_ids: list[str], base: Base) -> list[DisputedClaim]:
    out = []
    for claim_id in dict.fromkeys(claim_ids):
        claim = base.claims.get(claim_id)
        if claim is None or claim.status != "active":
            continue
        if claim_standing(claim, base).verdict != DISPUTED:
            continue
        settling = [v for v in claim.versions if settles(v, base)]
        weights = weigh(claim, base)
        versions = sorted((VersionWeight(v.id, v.text, weights[v.id][0], len(weights[v.id][1])) for v in settling),
                          key=lambda v: (-v.weight, v.id))
        out.append(DisputedClaim(claim.id, claim.statement, tuple(versions)))
    return out


def _moderator_report(service: Crosscheck, engine: Engine, rows: list[dict[str, Any]], since: str, until: str,
                      where: Where | None, queue_where: Where) -> tuple[ModeratorReport, tuple[int, ...]]:
    groups = review.queue(service.store, engine.normaliser, queue_where)
    queued = sum(1 for r in rows if r["outcome"] != "match" or (r["score"] or 0) < review.LOOSE_MATCH)
    votes = service.store.checks.votes_between(where, since, until)
    unhelpful: Counter[str] = Counter()
    base = engine.base
    for vote in votes:
        if not vote["helpful"]:
            claim = base.claims.get(vote["claim_id"]) if vote["claim_id"] else None
            if claim is not None:
                unhelpful[claim.statement] += 1
            else:
                text = vote["statement"]
                asked = f"“{text}”" if text is not None else "a question whose text has expired"
                unhelpful[f"{asked} (no match)"] += 1
    report = ModeratorReport(
        queue_items=len(groups),
        queue_questions=sum(g.count for g in groups),
        top_queue=tuple(QueueItem(g.statement, g.count, len(g.askers), g.expired) for g in groups[:MAX_QUEUE]),
        queued_in_period=queued,
        helpful=sum(1 for vote in votes if vote["helpful"]),
        not_helpful=sum(1 for vote in votes if not vote["helpful"]),
        unhelpful=tuple(sorted(unhelpful.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_UNHELPFUL]),
    )
    return report, tuple(sorted(vote["id"] for vote in votes))


# --- the deadline watch -------------------------------------------------------------------------


def deadline_watch(engine: Engine, start: datetime, end: datetime,
                   horizon: timedelta = DEADLINE_HORIZON) -> list[Deadline]:
    """Plan due dates that passed in [start, end) or fall (in part) within `horizon` after `end`.

    A due date "passes" when its last day is over, in the period's time zone: "2026-09" passes
    at midnight starting 1 October 2026. Each is checked against the event claims: it counts as
    confirmed only if one of them says it happened (see `confirmations`)."""
    zone = end.tzinfo
    ahead = (end + horizon).astimezone(zone).date()
    events = _event_accounts(engine)
    out: list[Deadline] = []
    for claim in engine.base.claims.values():
        if claim.kind is not ClaimKind.PLAN or claim.status != "active":
            continue
        for due in claim.due_dates():
            try:
                span = parse_date_span(due)
            except ValueError:
                continue
            # In UTC: same-zone datetimes compare by wall clock, wrong in a repeated hour.
            over = datetime.combine(span.end + timedelta(days=1), time(0), zone).astimezone(UTC)
            if start.astimezone(UTC) < over <= end.astimezone(UTC):
                state = "passed"
            elif over > end.astimezone(UTC) and span.start <= ahead:
                state = "upcoming"
            else:
                continue
            on_time, late = confirmations(engine, claim, due, events)
            out.append(Deadline(claim.id, claim.statement, due, _date_words(span), span.end, state,
                                tuple(on_time), tuple(late)))
    out.sort(key=lambda d: (d.state != "passed", d.last_day, d.claim_id))
    return out


def _date_words(span: DateSpan) -> str:
    if span.start == span.end:
        return f"{span.start.day} {span.start:%B %Y}"
    if (span.start.year, span.start.month) == (span.end.year, span.end.month):
        return f"{span.start:%B %Y}"
    if span.start.year == span.end.year and span.start.month == 1 and span.end.month == 12:
        return str(span.start.year)
    return span.label


@dataclass(frozen=True)
class _EventAccount:
    """One version of an event claim: what a source says happened, in the verdict's terms."""

    claim_id: str
    span: DateSpan
    details: Details
    terms: tuple[tuple[str, ...], ...]


def _event_accounts(engine: Engine) -> list[_EventAccount]:
    """Every dated, affirming, settling version of an active event claim."""
    out = []
    for claim in engine.base.claims.values():
        if claim.kind is not ClaimKind.EVENT or claim.status != "active":
            continue
        for version in claim.versions:
            values = version.values
            if not values.date or not values.holds or not settles(version, engine.base):
                continue
            details = Details(
                counts=[(parse_count(values.count), None)] if values.count else [],
                entities=[*values.places, *values.actors],
                places=list(values.places),
                scope=values.scope,
                negated=False,
                tense="done",
            )
            terms = tuple(engine.normaliser.normalise(t).terms for t in (claim.statement, version.text))
            out.append(_EventAccount(claim.id, parse_date_span(values.date), details, terms))
    return out


def confirmations(engine: Engine, plan: Claim, due: str,
                  events: list[_EventAccount] | None = None) -> tuple[list[str], list[str]]:
    """Event claims saying the plan happened: (ids of those dated by `due`, ids of those dated after).

    Deliberately strict, since "confirmed" is a fact-check's word: an event confirms a plan
    only if (1) the matcher judges the event to be about the plan (score at or above MATCH),
    (2) its curated values commit to everything the plan's version commits to — the same
    places, the same scope ("all" needs "all"), an agreeing count — with no conflict by the
    verdict's own rules, and (3) it is dated, no earlier than the plan was first reported
    (the 2011 withdrawal does not fulfil a 2026 plan). A convoy leaving a base does not confirm that
    every force left it."""
    events = _event_accounts(engine) if events is None else events
    due_span = parse_date_span(due)
    versions = [v for v in plan.versions if v.values.holds and (v.values.date == due or plan.due == due)]
    # What happened before anyone reported the plan cannot be its fulfilment (2011 is not 2026).
    reported = [engine.base.articles[s.article].published_date() for v in versions for s in v.sources
                if s.article in engine.base.articles]
    announced = min(reported, default=date.min)
    plan_entities = claim_entity_ids(plan, lambda text: engine.normaliser.words(text)[1])
    on_time: list[str] = []
    late: list[str] = []
    for event in events:
        if event.claim_id in on_time or event.claim_id in late or event.span.end < announced:
            continue
        if not any(_commits_to(event.details, engine, plan, v, plan_entities) for v in versions):
            continue
        if not _about(engine, plan, event):
            continue
        (on_time if event.span.start <= due_span.end else late).append(event.claim_id)
    return on_time, late


def _commits_to(details: Details, engine: Engine, plan: Claim, version: Version, plan_entities: set[str]) -> bool:
    values = version.values
    if values.places and not details.places:
        return False
    if values.scope and details.scope != values.scope:
        return False
    if values.count and not details.counts:
        return False
    return not conflicts_with(details, plan, version, engine.entities, plan_entities, engine.base)


def _about(engine: Engine, plan: Claim, event: _EventAccount) -> bool:
    for terms in event.terms:
        if terms and engine.matcher.score(terms, engine.matcher.expand(terms), plan.id).score >= MATCH:
            return True
    return False


def as_dict(digest: Digest) -> dict[str, Any]:
    """The digest as plain data (for JSON output and tests)."""
    data = asdict(digest)
    data["start"], data["end"] = digest.start.isoformat(), digest.end.isoformat()
    data["fingerprint"] = digest.fingerprint()
    return data

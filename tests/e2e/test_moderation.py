"""End-to-end tests of the moderation feature: /claim, /review, /source and /modrole.

The real `CrosscheckBot` runs against the fake Discord, and moderators (and a plain member) drive
it the way Discord would: slash commands, the modals they open, their submissions and
autocomplete. The assertions are on the HTTP calls the bot makes (callback type 9 for a modal,
type 4 for an ephemeral message that pings nobody, type 8 for autocomplete choices) and on what
the claim store holds afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from embed_checks import (
    EPHEMERAL,
    NO_PINGS,
    assert_no_rejected_calls,
    assert_within_embed_limits,
)
from fakediscord import JSON, Call, FakeDiscord, FakeMember, FakeRole, InteractionHandle, RunBot

from bot.client import CrosscheckBot
from claims.engine import Engine
from claims.models import Claim
from claims.render import escape
from claims.review import QueueGroup, queue
from claims.store import Where

MakeCrosscheckBot = Callable[..., CrosscheckBot]

MODAL = 9
MESSAGE = 4
DEFERRED = 5
AUTOCOMPLETE = 8
NOT_A_MODERATOR = "Only moderators can do that here"

CLAIM = "troops-in-syria"
ARTICLE = "003_0d325b8582dc79ca"
QUOTE = ("The U.S. currently has approximately 2,500 troops stationed in Iraq and an additional 900 in "
         "neighbouring Syria.")
NEW_CLAIM = {
    "id": "us-troops-iraq-and-syria",
    "statement": "The US keeps troops in both Iraq and neighbouring Syria at the same time",
    "kind": "event",
    "article id": ARTICLE,
    "quote": QUOTE,
}
# Asks what troops-in-syria says, in words the matcher does not know (yet).
UNMATCHED = "Are Washington's GIs garrisoned next door in Syria?"


# --------------------------------------------------------------------------- the staff


@dataclass(frozen=True)
class Staff:
    """The people of these tests, besides `server.member` (plain) and `server.moderator`."""

    admin: FakeMember  # the guild owner: every permission
    second_moderator: FakeMember  # another member with the Moderator role (Manage Messages)
    curators: FakeRole  # a role without any permission, to be made the moderator role
    curator: FakeMember  # has only the Curators role


@pytest.fixture
def staff(discord_server: FakeDiscord) -> Staff:
    """Adds a second moderator and a Curators role with one member (before the bot connects)."""
    curators = discord_server.add_role("Curators")
    owner = discord_server.guild.get_member(discord_server.guild.owner_id)
    assert owner is not None
    return Staff(
        admin=owner,
        second_moderator=discord_server.add_member("sam_mod", roles=["Moderator"], global_name="Sam"),
        curators=curators,
        curator=discord_server.add_member("casey", roles=["Curators"], global_name="Casey"),
    )


@pytest.fixture
async def bot(staff: Staff, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot) -> CrosscheckBot:
    """The bot, started after `staff` joined the guild (the guild is sent when it connects)."""
    return await run_bot(make_crosscheck_bot())


# --------------------------------------------------------------------------- helpers


async def command(server: FakeDiscord, name: str, subcommand: str, options: dict[str, Any] | None = None, *,
                  user: FakeMember | None = None) -> tuple[InteractionHandle, Call]:
    """Run `/name subcommand options` as `user` (default: the moderator); the handle and the callback."""
    handle = await server.send_slash_command(name, options or {}, subcommand=subcommand,
                                             user=user or server.moderator)
    return handle, await handle.callback()


def ephemeral_reply(call: Call) -> JSON:
    """The callback's message, checked to be an ephemeral type-4 reply that pings nobody."""
    assert call.status == 200 and call.json["type"] == MESSAGE, (call.status, call.json)
    data = call.json["data"]
    assert int(data.get("flags") or 0) & EPHEMERAL, "a moderation reply is only shown to its user"
    assert data["allowed_mentions"] == NO_PINGS
    return data


def reply_text(call: Call) -> str:
    """The text of an ephemeral reply."""
    return ephemeral_reply(call)["content"]


def reply_embed(call: Call) -> JSON:
    """The one embed of an ephemeral reply."""
    embeds = ephemeral_reply(call).get("embeds") or []
    assert len(embeds) == 1, embeds
    return embeds[0]


def confirmed(text: str, summary: str, revision: int | None = None) -> int:
    """Check a "✅ #12 <summary> (revision 3)" reply (the summary markdown-escaped); its change number."""
    tail = f" (revision {revision})" if revision else ""
    found = re.fullmatch(rf"✅ #(\d+) {re.escape(escape(summary) + tail)}", text)
    assert found, f"expected a confirmation of {summary!r}{tail}, got {text!r}"
    return int(found[1])


def modal_inputs(call: Call) -> dict[str, JSON]:
    """A modal callback's text inputs by the first words of their label ("Kind (event, …)" -> "kind")."""
    inputs: dict[str, JSON] = {}

    def walk(components: list[JSON]) -> None:
        for component in components:
            if component["type"] == 4:
                inputs[component["label"].split(" (")[0].lower()] = component
            walk(component.get("components") or [])
            if component.get("component"):
                walk([component["component"]])

    walk(call.json["data"]["components"])
    return inputs


def modal_values(call: Call, values: dict[str, str]) -> dict[str, str]:
    """Submission fields (text input custom_id -> value) for values given by label ("statement", "kind")."""
    inputs = modal_inputs(call)
    return {inputs[label]["custom_id"]: value for label, value in values.items()}


async def open_modal(server: FakeDiscord, name: str, subcommand: str, options: dict[str, Any] | None = None, *,
                     user: FakeMember | None = None) -> Call:
    """Run a command that answers with a modal; check the modal callback and return it."""
    _, call = await command(server, name, subcommand, options, user=user)
    assert call.status == 200 and call.json["type"] == MODAL, call.json
    return call


async def submit(server: FakeDiscord, modal: Call, values: dict[str, str], *,
                 user: FakeMember | None = None) -> Call:
    """Submit `modal` with `values` (by label); return the bot's callback."""
    fields = modal_values(modal, values)
    handle = await server.send_modal_submit(modal.json["data"]["custom_id"], fields, user=user)
    return await handle.callback()


async def check(server: FakeDiscord, statement: str) -> JSON:
    """/check `statement` as the plain member; the verdict card (answered at once, or after a
    deferral when the machine is slow: the answer is what is checked here, not its speed)."""
    handle = await server.send_slash_command("check", {"statement": statement})
    call = await handle.callback()
    assert call.json["type"] in (MESSAGE, DEFERRED)
    assert await handle.wait_until(lambda h: h.answer is not None, timeout=30)
    answer = handle.answer
    assert answer is not None
    data = answer.json["data"] if "/callback" in answer.path else answer.json
    [embed] = data["embeds"]
    return embed


def server_chain(bot: CrosscheckBot) -> tuple[str, ...]:
    """The workspaces whose base the (one) test server sees, nearest first."""
    store = bot.service.store
    return store.workspaces.chain(bot.service.workspace_of(str(bot.guilds[0].id)))


def stored_claim(bot: CrosscheckBot, claim_id: str) -> tuple[Claim, int] | None:
    """A claim as the server's workspace holds it, with its revision (None if there is none)."""
    stored = bot.service.store.objects.get(server_chain(bot), "claim", claim_id)
    return (Claim.model_validate(stored.data), stored.revision) if stored.exists else None


def audit_rows(bot: CrosscheckBot) -> list[dict]:
    """The audit log, oldest first."""
    return bot.service.store.db.query("SELECT * FROM audit ORDER BY id")


def audit_count(bot: CrosscheckBot) -> int:
    """How many changes the audit log holds."""
    return len(audit_rows(bot))


def server_engine(bot: CrosscheckBot) -> Engine:
    """The engine that answers the (one) test server."""
    return bot.service.engine_for(bot.service.workspace_of(str(bot.guilds[0].id)))


def review_queue(bot: CrosscheckBot) -> list[QueueGroup]:
    """The server's open review queue, as /review list would show it."""
    guild = str(bot.guilds[0].id)
    bot.service.flush_log()  # the checks just answered are in the queue once their rows are written
    return queue(bot.service.store, server_engine(bot).normaliser, Where(guild, bot.service.workspace_of(guild)))








# --------------------------------------------------------------------------- /claim add (the modal)


async def test_a_moderator_adds_a_claim_through_the_modal(discord_server: FakeDiscord, bot: CrosscheckBot) -> None:
    modal = await open_modal(discord_server, "claim", "add")

    data = modal.json["data"]
    assert data["custom_id"] == f"cc:claim-modal:0:{discord_server.moderator.id}"
    assert data["title"] == "New claim"
    inputs = modal_inputs(modal)
    assert list(inputs) == ["id", "statement", "kind", "article id", "quote"]
    assert all(i["custom_id"] and i.get("required", True) for i in inputs.values())
    assert inputs["kind"]["value"] == "event"  # the pre-filled default
    assert stored_claim(bot, NEW_CLAIM["id"]) is None

    answer = await submit(discord_server, modal, NEW_CLAIM)

    number = confirmed(reply_text(answer), f"added claim {NEW_CLAIM['id']}", revision=1)
    stored = stored_claim(bot, NEW_CLAIM["id"])
    assert stored is not None
    claim, revision = stored
    assert (claim.statement, claim.kind, revision) == (NEW_CLAIM["statement"], "event", 1)
    [source] = claim.versions[0].sources
    assert (source.article, source.quote) == (ARTICLE, QUOTE)
    [entry] = audit_rows(bot)
    assert (entry["id"], entry["action"], entry["target_id"]) == (number, "claim.add", NEW_CLAIM["id"])
    assert entry["actor"] == f"discord:{discord_server.moderator.id}:{discord_server.moderator.user.username}"

    # The matcher knows it at once: /check with its statement matches the new claim.
    embed = await check(discord_server, NEW_CLAIM["statement"])
    assert "Supported" in embed["title"]
    assert f"claim {NEW_CLAIM['id']}" in embed["footer"]["text"]


async def test_a_modal_with_a_quote_not_in_the_article_is_refused_and_nothing_is_written(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    modal = await open_modal(discord_server, "claim", "add")
    made_up = "The U.S. currently has 10,000 troops stationed in Syria."

    answer = await submit(discord_server, modal, {**NEW_CLAIM, "quote": made_up})

    text = reply_text(answer)
    assert text.startswith("⛔ Refused, nothing was changed:\n• ")
    assert escape(f"quote not found in article {ARTICLE}: '{made_up}'") in text
    assert "copy it verbatim from the text" in text
    assert stored_claim(bot, NEW_CLAIM["id"]) is None
    assert audit_count(bot) == 0
    assert NEW_CLAIM["id"] not in server_engine(bot).base.claims
    assert f"claim {NEW_CLAIM['id']}" not in (await check(discord_server, NEW_CLAIM["statement"]))["footer"]["text"]


# --------------------------------------------------------------------------- /review


async def test_linking_a_queued_question_to_a_claim_answers_it_next_time(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    first = await check(discord_server, UNMATCHED)
    assert "No match" in first["title"]
    assert "queued for the moderators" in first["description"]
    bot.service.flush_log()
    [logged] = bot.service.store.checks.between(None)
    key = logged["id"]

    listing = reply_embed((await command(discord_server, "review", "list"))[1])
    assert listing["title"] == "Review queue"
    assert f"**#{key}** ×1 (1 person, last " in listing["description"]
    assert f"> {escape(UNMATCHED)}" in listing["description"]
    assert_within_embed_limits(listing)

    _, linked = await command(discord_server, "review", "link", {"item": key, "claim": CLAIM})
    confirmed(reply_text(linked), f"linked review item #{key} (1 asks) to {CLAIM}; 1 person who asked will get the "
                                  "answer", revision=2)
    stored = stored_claim(bot, CLAIM)
    assert stored is not None and UNMATCHED in stored[0].aliases

    again = await check(discord_server, UNMATCHED)
    assert again["title"].startswith("✅ Yes — "), "a yes-or-no question is answered yes or no"
    assert f"claim {CLAIM}" in again["footer"]["text"]
    assert again["fields"][0]["name"] == "✓ Agrees: About 900 U.S. troops are in Syria."
    # Answered now, so nothing is left for the moderators.
    assert reply_text((await command(discord_server, "review", "list"))[1]) == "The review queue is empty. 🎉"


# --------------------------------------------------------------------------- who may curate


async def test_a_member_who_is_not_a_moderator_is_refused_and_nothing_changes(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    # default_permissions only hides the commands by default; a server may hand them to anyone.
    synced = {c["name"]: c for c in discord_server.commands[discord_server.guild.id].values()}
    manage_messages = str(discord.Permissions(manage_messages=True).value)
    assert {synced[n]["default_member_permissions"] for n in ("claim", "source", "review")} == {manage_messages}
    await check(discord_server, UNMATCHED)  # something in the queue to dismiss
    bot.service.flush_log()
    key = bot.service.store.checks.between(None)[0]["id"]
    outlet = next(iter(server_engine(bot).base.outlets.values()))
    before = stored_claim(bot, CLAIM)
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        ("claim", "add", {}),
        ("claim", "retire", {"claim": CLAIM, "reason": "no longer true"}),
        ("review", "dismiss", {"item": key}),
        ("source", "rate", {"outlet": outlet.id, "criterion": "corrections", "rating": "no",
                            "reason": "I do not like them"}),
    ]

    for name, subcommand, options in attempts:
        _, call = await command(discord_server, name, subcommand, options, user=discord_server.member)
        text = reply_text(call)  # type 4, ephemeral, pings nobody: not a modal, not a change
        assert text.startswith(NOT_A_MODERATOR), (name, subcommand, text)
        assert "it needs the Manage Messages permission" in text and "Nothing was changed." in text

    assert audit_count(bot) == 0
    assert stored_claim(bot, CLAIM) == before
    assert server_engine(bot).base.outlets[outlet.id] == outlet
    assert [g.key for g in review_queue(bot)] == [key]  # still queued
    assert not [h for h in discord_server.interactions.values() if h.response_type == MODAL]


async def test_the_moderator_role_decides_who_curates_once_an_admin_sets_it(
    discord_server: FakeDiscord, bot: CrosscheckBot, staff: Staff
) -> None:
    store = bot.service.store
    guild = str(discord_server.guild.id)
    # Only admins choose the role: a moderator (Manage Messages, not Manage Server) may not.
    _, refused = await command(discord_server, "modrole", "set", {"role": staff.curators})
    assert reply_text(refused) == "⛔ Only members with Manage Server can choose the moderator role."
    assert store.settings.moderator_role(guild) is None

    _, done = await command(discord_server, "modrole", "set", {"role": staff.curators}, user=staff.admin)
    assert reply_text(done) == f"✅ Moderators here are now members with {staff.curators.mention}."
    assert store.settings.moderator_role(guild) == str(staff.curators.id)

    # Manage Messages without the role is no longer enough…
    alias = {"claim": CLAIM, "action": "add", "text": "Uncle Sam's soldiers in Syria number nine hundred"}
    _, call = await command(discord_server, "claim", "alias", alias)
    text = reply_text(call)
    assert text.startswith(NOT_A_MODERATOR)
    assert f"it needs the {staff.curators.mention} role" in text
    assert audit_count(bot) == 0
    # …and the role is, without any permission.
    _, allowed = await command(discord_server, "claim", "alias", alias, user=staff.curator)
    confirmed(reply_text(allowed), f"added alias to {CLAIM}: {alias['text']}", revision=2)
    stored = stored_claim(bot, CLAIM)
    assert stored is not None and alias["text"] in stored[0].aliases
    [entry] = store.db.query("SELECT * FROM audit")
    assert entry["actor"] == f"discord:{staff.curator.id}:casey"

    # Back to the default: Manage Messages makes a moderator again.
    _, cleared = await command(discord_server, "modrole", "clear", user=staff.admin)
    assert reply_text(cleared) == "✅ Moderators here are members with the Manage Messages permission."
    _, again = await command(discord_server, "claim", "alias", {**alias, "action": "remove"})
    confirmed(reply_text(again), f"removed alias from {CLAIM}: {alias['text']}", revision=3)


# --------------------------------------------------------------------------- history and undo


async def test_a_change_shows_in_the_history_and_undo_restores_the_claim(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    alias = "GIs in Syria number about nine hundred"
    before = stored_claim(bot, CLAIM)
    assert before is not None and alias not in before[0].aliases

    _, added = await command(discord_server, "claim", "alias", {"claim": CLAIM, "action": "add", "text": alias})
    number = confirmed(reply_text(added), f"added alias to {CLAIM}: {alias}", revision=2)
    after = stored_claim(bot, CLAIM)
    assert after is not None and alias in after[0].aliases

    history = reply_embed((await command(discord_server, "claim", "history", {"claim": CLAIM}))[1])
    assert history["title"] == f"History of {CLAIM}"
    [line] = history["description"].splitlines()
    assert re.match(rf"\*\*#{number}\*\* <t:\d+:f> ", line), "a Discord timestamp, not an ISO string"
    assert line.endswith(f" {escape(discord_server.moderator.user.username)} `claim.alias.add`")
    assert history["footer"]["text"] == "1 in all · Undo a change with /claim undo change:<#>"

    _, undone = await command(discord_server, "claim", "undo", {"change": number})
    undo_number = confirmed(reply_text(undone), f"undid #{number} (claim.alias.add {CLAIM})", revision=3)

    restored = stored_claim(bot, CLAIM)
    assert restored is not None
    assert alias not in restored[0].aliases
    assert restored[0] == before[0] and restored[1] == 3  # the claim as it was, at a new revision
    assert alias not in server_engine(bot).base.claims[CLAIM].aliases  # the matcher forgot it too
    history = reply_embed((await command(discord_server, "claim", "history", {"claim": CLAIM}))[1])
    lines = history["description"].splitlines()
    assert lines[0].endswith(f"`claim.alias.add` ~~undone by #{undo_number}~~")
    assert lines[1].startswith(f"**#{undo_number}** ")
    assert lines[1].endswith(f"`undo` — {escape(f'undo of #{number}')}")

    # Undoing twice is refused, and says why.
    _, twice = await command(discord_server, "claim", "undo", {"change": number})
    problem = f"change #{number} was already undone (by #{undo_number})"
    assert reply_text(twice) == f"⛔ Refused, nothing was changed:\n• {escape(problem)}"


# --------------------------------------------------------------------------- concurrent edits


async def test_a_second_edit_of_a_changed_claim_is_refused(
    discord_server: FakeDiscord, bot: CrosscheckBot, staff: Staff
) -> None:
    stored = stored_claim(bot, CLAIM)
    assert stored is not None
    claim, revision = stored
    first = await open_modal(discord_server, "claim", "edit", {"claim": CLAIM})
    second = await open_modal(discord_server, "claim", "edit", {"claim": CLAIM}, user=staff.second_moderator)

    # Both forms carry the revision they were opened at; each is its opener's own.
    for modal, opener in ((first, discord_server.moderator), (second, staff.second_moderator)):
        assert modal.json["data"]["custom_id"] == f"cc:edit:{CLAIM}:{revision}:{opener.id}"
        assert modal.json["data"]["title"] == f"Edit {CLAIM}"
        inputs = modal_inputs(modal)
        assert inputs["statement"]["value"] == claim.statement and inputs["kind"]["value"] == "quantity"
    mine = "Roughly 900 U.S. troops remain stationed in neighbouring Syria."
    theirs = "Several thousand U.S. troops are stationed in Syria."

    # Discord submits every field as it stands, pre-filled values included.
    kept = {"kind": "quantity", "topic": claim.topic, "unit": claim.unit or ""}
    saved = await submit(discord_server, first, {"statement": mine, **kept})
    refused = await submit(discord_server, second, {"statement": theirs, **kept}, user=staff.second_moderator)

    confirmed(reply_text(saved), f"edited claim {CLAIM}", revision=revision + 1)
    text = reply_text(refused)
    assert text.startswith("⛔ Refused: ")
    assert "was changed by someone else since you opened it" in text
    assert f"(revision {revision}, now {revision + 1}); nothing was saved" in text
    stored = stored_claim(bot, CLAIM)
    assert stored is not None and stored[0].statement == mine and stored[1] == revision + 1
    [entry] = audit_rows(bot)
    assert entry["actor"].startswith(f"discord:{discord_server.moderator.id}:")
    assert server_engine(bot).base.claims[CLAIM].statement == mine


async def test_two_moderators_adding_claims_at_once_are_both_answered(
    discord_server: FakeDiscord, bot: CrosscheckBot, staff: Staff
) -> None:
    first = await open_modal(discord_server, "claim", "add")
    second = await open_modal(discord_server, "claim", "add", user=staff.second_moderator)
    other = {**NEW_CLAIM, "id": "us-troops-syria-900", "statement": "Nine hundred American troops are deployed "
                                                                     "to Syria"}

    saved = await submit(discord_server, first, NEW_CLAIM)
    also_saved = await submit(discord_server, second, other, user=staff.second_moderator)

    confirmed(reply_text(saved), f"added claim {NEW_CLAIM['id']}", revision=1)
    confirmed(reply_text(also_saved), f"added claim {other['id']}", revision=1)
    for data, who in ((NEW_CLAIM, discord_server.moderator), (other, staff.second_moderator)):
        stored = stored_claim(bot, data["id"])
        assert stored is not None and stored[0].statement == data["statement"]
        [entry] = bot.service.store.db.query("SELECT * FROM audit WHERE target_id = ?", [data["id"]])
        assert entry["actor"].startswith(f"discord:{who.id}:")


# --------------------------------------------------------------------------- /claim show


async def test_claim_show_autocompletes_claim_ids(discord_server: FakeDiscord, bot: CrosscheckBot) -> None:
    handle = await discord_server.send_autocomplete("claim", {"claim": "syria"}, "claim", subcommand="show",
                                                    user=discord_server.moderator)
    call = await handle.callback()

    assert call.status == 200 and call.json["type"] == AUTOCOMPLETE
    choices = call.json["data"]["choices"]
    values = [c["value"] for c in choices]
    assert CLAIM in values and "troops-in-iraq" not in values
    assert all(v in server_engine(bot).base.claims for v in values)
    assert 1 <= len(choices) <= 25
    assert all(1 <= len(c["name"]) <= 100 and c["name"].startswith(f"{c['value']} — ") for c in choices)
    # Words from a statement find it too.
    handle = await discord_server.send_autocomplete("claim", {"claim": "900 U.S. troops"}, "claim",
                                                    subcommand="show", user=discord_server.moderator)
    assert CLAIM in [c["value"] for c in (await handle.callback()).json["data"]["choices"]]


async def test_claim_show_is_an_ephemeral_embed_within_limits(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    stored = stored_claim(bot, CLAIM)
    assert stored is not None
    claim, revision = stored

    embed = reply_embed((await command(discord_server, "claim", "show", {"claim": CLAIM}))[1])

    assert embed["title"] == f"{CLAIM} — {claim.statement}"
    assert f"**kind** {claim.kind} · **topic** {claim.topic} · **status** active" in embed["description"]
    assert all(f"• {escape(a)}" in embed["description"] for a in claim.aliases)
    assert len(embed["fields"]) == len(claim.versions)
    assert f"“{escape(QUOTE)}”" in embed["fields"][0]["value"]
    assert embed["footer"]["text"] == f"revision {revision} · edit with /claim edit, history with /claim history"
    assert_within_embed_limits(embed)

    _, unknown = await command(discord_server, "claim", "show", {"claim": "no-such-claim"})
    assert reply_text(unknown) == "⛔ no claim with id 'no-such-claim'"


async def test_claim_show_of_a_huge_claim_stays_within_discord_limits(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    stored = stored_claim(bot, CLAIM)
    assert stored is not None
    huge = oversize(stored[0])
    with bot.service.store.transaction() as tx:  # around validation: no moderator could save this
        tx.execute("UPDATE objects SET data = ? WHERE workspace_id = 'shipped' AND kind = 'claim' AND id = ?",
                   [huge.model_dump_json(), CLAIM])

    _, call = await command(discord_server, "claim", "show", {"claim": CLAIM})

    embed = reply_embed(call)
    assert_within_embed_limits(embed)
    assert embed["title"].startswith(f"{CLAIM} — ")
    footer = embed["footer"]["text"]
    assert footer.startswith("revision 1 · ")
    shown = len(embed["fields"])
    assert 1 <= shown < len(huge.versions)
    assert footer.endswith(f" · {len(huge.versions) - shown} more versions not shown")
    assert_no_rejected_calls(discord_server)


def oversize(claim: Claim, versions: int = 30) -> Claim:
    """`claim` with many versions, long texts and quotes and many aliases, full of markdown."""
    noise = "**bold** __under__ ~~strike~~ ||spoiler|| `code` > quote # head [link](https://x.test) @everyone "
    data = claim.model_dump(mode="json")
    first = data["versions"][0]
    data["aliases"] = [f"{i} {noise * 4}"[:300] for i in range(20)]
    data["versions"] = [
        {**first, "id": f"oversize-{i}", "text": f"{first['text']} ({i}) {noise * 10}"[:400],
         "sources": [{**s, "quote": f"{i}.{j} {noise * 20}"[:1000], "said_by": noise[:90]}
                     for j, s in enumerate(first["sources"] * 3)]}
        for i in range(versions)
    ]
    return Claim.model_validate(data)

"""End-to-end tests of the privacy feature: /privacy show, erase and retention, through the real
`CrosscheckBot` against the fake Discord.

The proof of an erasure is a scan of every column of every table of the database for the
member's statements and their user id; the other members' rows must be exactly as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from embed_checks import EPHEMERAL, NO_PINGS, assert_no_rejected_calls, assert_within_embed_limits
from fakediscord import JSON, Call, FakeDiscord, FakeMember, InteractionHandle, RunBot, run_client

from bot.client import CrosscheckBot
from bot.cogs.check import MENU_NAME, QUESTION_GONE
from claims.digest import build_digest
from claims.store import Store, Where

MakeCrosscheckBot = Callable[..., CrosscheckBot]

MESSAGE, UPDATE = 4, 7
# A member's own words: nowhere in the claim base, so any copy left behind is theirs.
SECRET = "My neighbour Zebulon Quist says the moon base opens in 2027"
SECRET_MATCHED = "The US still has around 2500 troops stationed in Iraq (Zebulon)"
MODS_OWN = "The US has around 2500 troops in Iraq"
UNMATCHED = "Will Iraq hold a referendum on the US bases?"


# --------------------------------------------------------------------------- helpers


async def slash(server: FakeDiscord, name: str, options: dict[str, Any] | None = None, *,
                user: FakeMember | None = None, subcommand: str | None = None,
                guild: Any = True) -> tuple[InteractionHandle, Call]:
    handle = await server.send_slash_command(name, options or {}, user=user, subcommand=subcommand, guild=guild)
    return handle, await handle.callback()


async def privacy(server: FakeDiscord, subcommand: str, options: dict[str, Any] | None = None, *,
                  user: FakeMember | None = None, guild: Any = True) -> tuple[InteractionHandle, JSON]:
    """Run `/privacy <subcommand>`; the handle and its reply, checked to be ephemeral and ping nobody."""
    handle, call = await slash(server, "privacy", options, user=user, subcommand=subcommand, guild=guild)
    assert call.status == 200 and call.json["type"] == MESSAGE, (call.status, call.json)
    data = call.json["data"]
    assert int(data.get("flags") or 0) & EPHEMERAL, "privacy replies are only for the person who asked"
    assert data["allowed_mentions"] == NO_PINGS
    return handle, data


def custom_ids(components: list[JSON]) -> list[str]:
    out: list[str] = []
    for component in components:
        if component.get("custom_id"):
            out.append(component["custom_id"])
        out.extend(custom_ids(component.get("components") or []))
    return out


def button(message: JSON, prefix: str) -> str:
    """The custom id of the message's button that starts with `prefix`."""
    found = [c for c in custom_ids(message.get("components") or []) if c.startswith(prefix)]
    assert len(found) == 1, (prefix, custom_ids(message.get("components") or []))
    return found[0]


async def click(server: FakeDiscord, message: JSON, prefix: str, user: FakeMember | None = None) -> Call:
    handle = await server.send_component(button(message, prefix), message["id"], user=user)
    return await handle.callback()


def every_value(db: Path | str) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every column of every row of every table of the database.

    The bot's log rows are written in the background: `settled` first, where checks were just
    answered."""
    store = Store(db)
    try:
        out = []
        for table in sorted(store.db.table_names()):
            for row in store.db.query(f'SELECT * FROM "{table}"'):
                out.extend((table, name, value) for name, value in row.items())
        return out
    finally:
        store.close()


def traces(db: Path, *needles: str) -> list[tuple[str, str, Any]]:
    """Every value that contains one of `needles` (as text)."""
    return [(t, c, v) for t, c, v in every_value(db) if v is not None and any(n in str(v) for n in needles)]


def rows_of(bot: CrosscheckBot, user_id: int) -> list[dict[str, Any]]:
    bot.service.flush_log()
    return bot.service.store.db.query("SELECT * FROM checks WHERE user_id = ? ORDER BY id", [str(user_id)])


def votes_of(bot: CrosscheckBot, user_id: int) -> list[dict[str, Any]]:
    return bot.service.store.db.query("SELECT * FROM feedback WHERE user_id = ? ORDER BY id", [str(user_id)])


def check_id_of(call: Call) -> int:
    data = call.json["data"] if "/callback" in call.path else call.json
    found = [m for i in custom_ids(data.get("components") or []) if (m := re.fullmatch(r"cc:fb:(\d+):1", i))]
    assert found
    return int(found[0][1])


# --------------------------------------------------------------------------- what a member sees and erases


async def test_a_member_sees_what_is_kept_erases_it_and_no_trace_of_them_is_left_in_any_table(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, crosscheck_db: Path
) -> None:
    server, member, mod = discord_server, discord_server.member, discord_server.moderator
    # The member asks three ways, votes on a moderator's answer; the moderator asks and votes too.
    mine_handle, mine = await slash(server, "check", {"statement": SECRET})
    await slash(server, "check", {"statement": SECRET_MATCHED, "private": True})
    sent = await server.send_message(f"{server.bot_user.mention} {UNMATCHED}", author=member)
    await server.wait_for_call("POST", rf"/channels/{sent['channel_id']}/messages")
    mods_handle, mods = await slash(server, "check", {"statement": MODS_OWN}, user=mod)
    assert mods_handle.original_message is not None
    await (await server.send_component(f"cc:fb:{check_id_of(mods)}:0", mods_handle.original_message["id"],
                                       user=member)).callback()
    assert mine_handle.original_message is not None
    await (await server.send_component(f"cc:fb:{check_id_of(mine)}:1", mine_handle.original_message["id"],
                                       user=mod)).callback()
    await slash(server, "check", {"statement": UNMATCHED}, user=mod)
    service = crosscheck_bot.service
    mods_rows = rows_of(crosscheck_bot, mod.id)
    mods_votes = votes_of(crosscheck_bot, mod.id)
    assert len(rows_of(crosscheck_bot, member.id)) == 3 and len(votes_of(crosscheck_bot, member.id)) == 1
    assert traces(crosscheck_db, SECRET, str(member.id))
    digest_before = build_digest(service, *_today(), str(server.guild.id))

    handle, shown = await privacy(server, "show")

    [embed] = shown["embeds"]
    assert_within_embed_limits(embed)
    assert "**3 questions** you checked in **Crosscheck Test Guild** since <t:" in embed["description"]
    assert "3 with their text, your user id and the channel" in embed["description"]
    assert "**1 vote** on answers" in embed["description"]
    assert "kept for 90 days" in embed["description"]
    assert handle.original_message is not None
    asked = await click(server, handle.original_message, "cc:priv:ask:")
    assert asked.json["type"] == UPDATE
    confirm = asked.json["data"]
    assert confirm["content"].startswith("⚠️ **Erase what Crosscheck keeps about you in Crosscheck Test Guild?**\n"
                                         "This erases the text, your user id and the channel of the 3 questions "
                                         "still kept and the link between you and your 3 questions and 1 vote.")
    assert confirm["embeds"] == []
    erased = await click(server, server.messages[int(handle.original_message["id"])], "cc:priv:erase:")

    assert erased.json["type"] == UPDATE
    assert erased.json["data"]["content"].startswith("✅ Erased in **Crosscheck Test Guild**: the text, your user "
                                                     "id and the channel of 3 questions; 3 questions and 1 vote no "
                                                     "longer linked to you.")
    assert erased.json["data"]["components"] == []
    # No trace of the member's words or id in any column of any table.
    assert traces(crosscheck_db, SECRET, SECRET_MATCHED, "Zebulon", str(member.id)) == []
    # The moderator's data is exactly as it was, and the counts are unchanged.
    assert rows_of(crosscheck_bot, mod.id) == mods_rows and votes_of(crosscheck_bot, mod.id) == mods_votes
    digest_after = build_digest(service, *_today(), str(server.guild.id))
    assert (digest_after.checks, digest_after.askers, digest_after.unmatched) == (
        digest_before.checks, digest_before.askers, digest_before.unmatched) == (5, 2, 3)
    assert digest_after.moderators and digest_after.moderators.helpful == 1
    assert digest_after.moderators.not_helpful == 1
    _, again = await privacy(server, "show")
    assert again["embeds"][0]["description"].startswith("Nothing. I keep no question, vote or id of yours")
    assert "components" not in again or not custom_ids(again.get("components") or [])
    assert_no_rejected_calls(server)


def _today():
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC).replace(microsecond=0)
    return now - timedelta(days=1), now + timedelta(seconds=2)


async def test_the_confirmation_works_after_a_restart_and_only_for_its_person(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot, crosscheck_db: Path
) -> None:
    server = discord_server
    async with run_client(server, make_crosscheck_bot()):
        await slash(server, "check", {"statement": SECRET})
        await slash(server, "check", {"statement": SECRET}, user=server.moderator)
        handle, _ = await privacy(server, "erase")
    assert handle.original_message is not None

    restarted = await run_bot(make_crosscheck_bot())
    message = handle.original_message
    stranger = await click(server, message, "cc:priv:erase:", user=server.moderator)
    assert stranger.json["type"] == MESSAGE
    assert stranger.json["data"]["content"].startswith("That button is not for you")
    assert len(rows_of(restarted, server.member.id)) == 1
    done = await click(server, message, "cc:priv:erase:")
    assert done.json["data"]["content"].startswith("✅ Erased")
    assert rows_of(restarted, server.member.id) == []
    assert traces(crosscheck_db, str(server.member.id)) == []
    [(_, _, kept)] = [t for t in traces(crosscheck_db, SECRET) if t[:2] == ("checks", "statement")]
    assert kept == SECRET  # the moderator's own question, untouched


async def test_cancel_and_an_expired_confirmation_erase_nothing(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = discord_server
    await slash(server, "check", {"statement": SECRET})
    handle, _ = await privacy(server, "erase")
    assert handle.original_message is not None
    cancelled = await click(server, handle.original_message, "cc:priv:keep:")
    assert cancelled.json["data"]["content"] == "Nothing was erased."

    handle, _ = await privacy(server, "erase")
    assert handle.original_message is not None
    module = crosscheck_bot.extensions["bot.cogs.privacy"]
    monkeypatch.setattr(module, "CONFIRM_FOR", -1)
    late = await click(server, handle.original_message, "cc:priv:erase:")
    assert late.json["data"]["content"].startswith("This confirmation has expired; nothing was erased")
    assert len(rows_of(crosscheck_bot, server.member.id)) == 1


# --------------------------------------------------------------------------- retention


async def test_only_moderators_change_retention_and_off_stores_no_text(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, crosscheck_db: Path
) -> None:
    server = discord_server
    await slash(server, "check", {"statement": SECRET})

    _, refused = await privacy(server, "retention", {"days": "7"})
    assert refused["content"].startswith("Only moderators can do that here")
    _, shown = await privacy(server, "retention")
    assert shown["content"].startswith("Questions asked here are kept for 90 days") and "default" in shown["content"]
    _, bad = await privacy(server, "retention", {"days": "forever"}, user=server.moderator)
    assert bad["content"].startswith("⛔ 'forever' is not a retention period")
    _, done = await privacy(server, "retention", {"days": "off"}, user=server.moderator)
    assert done["content"].startswith("✅ Questions asked here are not stored: retention is off.")
    assert "Erased now: the text, user id and channel of 1 older question" in done["content"]
    assert crosscheck_bot.service.store.privacy.retention(str(server.guild.id)) == 0

    # The answer still reaches the asker in full; the log keeps no text, id or channel. Only the
    # link to the asker's pseudonym holds their id, for a week and a day, so digests count people.
    handle, answer = await slash(server, "check", {"statement": SECRET_MATCHED})
    assert SECRET_MATCHED.split()[0] in answer.json["data"]["embeds"][0]["description"]
    crosscheck_bot.service.flush_log()
    assert traces(crosscheck_db, "Zebulon") == []
    assert traces(crosscheck_db, str(server.member.id)) == [("askers", "user_id", str(server.member.id))]
    [row] = crosscheck_bot.service.store.db.query("SELECT * FROM checks WHERE id = ?", [check_id_of(answer)])
    assert (row["statement"], row["user_id"], row["channel_id"], row["claim_id"]) == (
        None, None, None, "troops-in-iraq")
    # Its buttons still work: the sources of the claim it matched, saying the question is not kept.
    assert handle.original_message is not None
    sources = await click(server, handle.original_message, "cc:src:")
    assert sources.json["data"]["embeds"][0]["description"].endswith(QUESTION_GONE)
    _, back = await privacy(server, "retention", {"days": "30"}, user=server.moderator)
    assert back["content"].startswith("✅ Questions asked here are kept for 30 days")


async def test_retention_is_applied_on_the_bots_schedule(crosscheck_bot: CrosscheckBot) -> None:
    cog = crosscheck_bot.get_cog("Privacy")
    assert cog is not None
    scheduler = cog.retention  # type: ignore[attr-defined]
    assert scheduler.running and scheduler.next_run() is not None
    report = await scheduler.run()
    assert report is not None and not report.changed
    assert crosscheck_bot.service.store.privacy.last_run() is not None


# --------------------------------------------------------------------------- whose data it is


async def test_the_context_menu_logs_the_invokers_id_never_the_authors(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, crosscheck_db: Path
) -> None:
    server = discord_server
    author = server.moderator
    target = server.make_message(SECRET_MATCHED, author=author)

    handle = await server.send_message_context_menu(MENU_NAME, target["id"])
    await handle.callback()

    crosscheck_bot.service.flush_log()
    [row] = crosscheck_bot.service.store.db.query("SELECT * FROM checks")
    assert (row["statement"], row["user_id"], row["via"]) == (SECRET_MATCHED, str(server.member.id), "menu")
    assert traces(crosscheck_db, str(author.id)) == []
    # The invoker sees it as theirs, and can erase it.
    _, shown = await privacy(server, "show")
    assert "**1 question**" in shown["embeds"][0]["description"]


async def test_moderators_views_count_people_and_never_show_who_asked(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    server = discord_server
    for user in (server.member, server.moderator, server.member):
        await slash(server, "check", {"statement": UNMATCHED}, user=user)

    _, call = await slash(server, "review", subcommand="list", user=server.moderator)

    [embed] = call.json["data"]["embeds"]
    assert "×3 (2 people" in embed["description"]
    shown = str(call.json)
    for who in (server.member, server.moderator):
        assert str(who.id) not in shown and who.user.username not in shown
    digest = build_digest(crosscheck_bot.service, *_today(), str(server.guild.id))
    mods_card = digest.text()
    assert "asked 3× by 2 people" in mods_card
    assert str(server.member.id) not in mods_card and "alice" not in mods_card
    groups = crosscheck_bot.service.store.checks.queued(Where(str(server.guild.id)))
    assert all("user_id" not in g for g in groups)


async def test_in_direct_messages_privacy_covers_the_dms_own_data(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot, crosscheck_db: Path
) -> None:
    server = discord_server
    await slash(server, "check", {"statement": SECRET}, guild=False)
    await slash(server, "check", {"statement": SECRET_MATCHED})  # in the server: not the DMs' data

    _, shown = await privacy(server, "show", guild=False)
    assert "**1 question** you checked in your direct messages with me" in shown["embeds"][0]["description"]
    _, retention = await privacy(server, "retention", {"days": "7"}, guild=False)
    assert "Retention is set per server by its moderators" in retention["content"]
    handle, _ = await privacy(server, "erase", guild=False)
    assert handle.original_message is not None
    done = await click(server, handle.original_message, "cc:priv:erase:")
    assert done.json["data"]["content"].startswith("✅ Erased in your direct messages with me")
    assert traces(crosscheck_db, SECRET) == []
    assert [r["statement"] for r in rows_of(crosscheck_bot, server.member.id)] == [SECRET_MATCHED]


async def test_a_queued_question_whose_text_is_gone_is_one_item_moderators_can_only_dismiss(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    server = discord_server
    await privacy(server, "retention", {"days": "off"}, user=server.moderator)
    for user in (server.member, server.moderator):
        await slash(server, "check", {"statement": UNMATCHED}, user=user)

    _, listed = await slash(server, "review", subcommand="list", user=server.moderator)
    [embed] = listed.json["data"]["embeds"]
    assert "×2 (2 people" in embed["description"] and "⌛ questions whose text has expired" in embed["description"]
    key = int(re.search(r"\*\*#(\d+)\*\*", embed["description"])[1])  # type: ignore[index]
    _, new = await slash(server, "review", {"item": key}, subcommand="new", user=server.moderator)
    assert new.json["type"] == MESSAGE, "no claim form for a question without words"
    assert new.json["data"]["content"].startswith(f"⛔ Review item #{key} holds questions whose text has expired")
    _, dismissed = await slash(server, "review", {"item": key}, subcommand="dismiss", user=server.moderator)
    done = dismissed.json["data"]["content"]
    assert done.startswith("✅ #") and f"dismissed review item \\#{key}" in done  # markdown-escaped
    assert crosscheck_bot.service.store.checks.queued(Where(str(server.guild.id))) == []

"""Onboarding, end to end: /help, /about, the welcome on joining a server, paging and timestamps."""

from __future__ import annotations

import re

from embed_checks import NO_PINGS, assert_within_embed_limits, is_ephemeral
from fakediscord import JSON, PERM_SEND_MESSAGES, Call, FakeDiscord, Overwrite

from bot.client import CrosscheckBot
from bot.cogs.onboarding import WELCOME
from bot.paging import PAGE_ROWS


def reply_of(call: Call) -> JSON:
    assert call.status == 200 and call.json["type"] == 4, call.json
    return call.json["data"]


def ids_of(message: JSON) -> list[tuple[str, bool]]:
    """A message's buttons: (label, disabled)."""
    return [(c["label"], bool(c.get("disabled"))) for row in message.get("components") or []
            for c in row["components"]]


async def test_help_says_what_it_checks_how_to_read_a_card_and_what_moderators_can_do(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    handle = await discord_server.send_slash_command("help")
    data = reply_of(await handle.callback())
    assert is_ephemeral(data) and data["allowed_mentions"] == NO_PINGS
    [embed] = data["embeds"]
    names = [f["name"] for f in embed["fields"]]
    assert names == ["Ask", "Read an answer", "Buttons", "Moderators", "Privacy"]
    text = "\n".join(f["value"] for f in embed["fields"])
    assert "curated claim base" in embed["description"]
    for needle in ("/check", "Fact-check this message", "Weakly sourced", "credibility", "mixed 40–59",
                   "Notify me", "/review", "/privacy show", "Privacy notice"):
        assert needle in text, needle
    assert_within_embed_limits(embed)


async def test_about_lists_the_topics_and_sources_the_servers_base_covers(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    handle = await discord_server.send_slash_command("about")
    data = reply_of(await handle.callback())
    [embed] = data["embeds"]
    assert embed["title"] == "What Crosscheck covers here"
    base = crosscheck_bot.service.engine_for(crosscheck_bot.service.workspace_of(str(discord_server.guild.id))).base
    assert embed["description"].startswith(f"**{len(base.claims)} claims** from **{len(base.articles)} articles**")
    assert "`withdrawal` — " in embed["description"]
    pages = [embed["description"]]
    while any(label == "Next" and not disabled for label, disabled in ids_of(data)):
        nxt = next(c["custom_id"] for row in data["components"] for c in row["components"] if c["label"] == "Next")
        turned = await discord_server.send_component(nxt, handle.original_message["id"])
        call = await turned.callback()
        assert call.json["type"] == 7
        data = call.json["data"]
        pages.append(data["embeds"][0]["description"])
    everything = "\n".join(pages)
    assert "**EU Today** — 49/100 (mixed), quoted in " in everything


async def test_joining_a_server_posts_a_short_welcome_in_its_system_channel_that_pings_nobody(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    later = discord_server.add_guild("Later", joined=False)
    await discord_server.join_guild(later)
    call = await discord_server.wait_for_call("POST", rf"/channels/{later.channel('general').id}/messages")
    [embed] = call.json["embeds"]
    assert embed["description"] == WELCOME and len(WELCOME) <= 700
    assert call.json["allowed_mentions"] == NO_PINGS
    assert call.response["mentions"] == [] and not call.response["mention_everyone"]


async def test_no_welcome_without_a_system_channel_or_the_permission_to_post_there(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    silent = discord_server.add_guild("No system channel", joined=False, system_channel=None)
    muted = discord_server.add_guild("Muted", joined=False)
    muted.channel("general").overwrites.append(Overwrite(muted.bot_role.id, deny=PERM_SEND_MESSAGES))
    await discord_server.join_guild(silent)
    await discord_server.join_guild(muted)
    probe = discord_server.add_guild("Probe", joined=False)
    await discord_server.join_guild(probe)  # joined last: once its welcome is out, the others were handled
    await discord_server.wait_for_call("POST", rf"/channels/{probe.channel('general').id}/messages")
    posted = discord_server.calls_matching("POST", r"/channels/\d+/messages")
    assert [c.path for c in posted] == [f"/channels/{probe.channel('general').id}/messages"]


async def test_long_moderator_lists_page_and_only_their_reader_turns_the_pages(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    claims = crosscheck_bot.service.engine_for(crosscheck_bot.service.workspace_of(
        str(discord_server.guild.id))).base.claims
    pages = -(-len(claims) // PAGE_ROWS)
    assert pages > 2, "the shipped base is long enough to page"
    handle = await discord_server.send_slash_command("claim", {}, subcommand="list", user=discord_server.moderator)
    data = reply_of(await handle.callback())
    [embed] = data["embeds"]
    assert len(embed["description"].splitlines()) == PAGE_ROWS
    assert embed["footer"]["text"] == f"page 1 of {pages} · {len(claims)} in all"
    assert ids_of(data) == [("Previous", True), ("Next", False)]

    nxt = data["components"][0]["components"][1]["custom_id"]
    other = await discord_server.send_component(nxt, handle.original_message["id"], user=discord_server.member)
    assert reply_of(await other.callback())["content"].startswith("These pages are someone else's")

    turned = await discord_server.send_component(nxt, handle.original_message["id"], user=discord_server.moderator)
    call = await turned.callback()
    assert call.json["type"] == 7
    second = call.json["data"]["embeds"][0]
    assert second["footer"]["text"] == f"page 2 of {pages} · {len(claims)} in all"
    assert second["description"] != embed["description"]
    assert ids_of(call.json["data"]) == [("Previous", False), ("Next", False)]
    # Every claim is on some page.
    seen = set(re.findall(r"`([a-z0-9-]+)`", embed["description"] + second["description"]))
    assert len(seen) == 2 * PAGE_ROWS


async def test_the_review_queue_shows_discord_timestamps_and_the_chatter_it_kept_out(
    discord_server: FakeDiscord, crosscheck_bot: CrosscheckBot
) -> None:
    for statement in ("Bitcoin will hit 100k by the end of 2026", "good morning everyone", "/foo"):
        handle = await discord_server.send_slash_command("check", {"statement": statement})
        assert await handle.wait_until(lambda h: h.answer is not None, timeout=30)
    handle = await discord_server.send_slash_command("review", {}, subcommand="list", user=discord_server.moderator)
    [embed] = reply_of(await handle.callback())["embeds"]
    [line, quoted] = embed["description"].splitlines()
    assert re.fullmatch(r"\*\*#\d+\*\* ×1 \(1 person, last <t:\d+:R>\)", line), line
    assert quoted == "> Bitcoin will hit 100k by the end of 2026"
    assert "Not queued in the last 7 days: 1 a command, 1 a greeting or small talk." in embed["footer"]["text"]

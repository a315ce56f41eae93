"""End-to-end: one part of the Indore-Patna Express corpus (tests/corpus_pukhrayan/) curated from
Discord instead of the terminal: the number injured, on which four outlets disagree.

The operator sets up the server's workspace from the terminal as curate.sh does (an empty
workspace, its outlets and articles) and names the moderator its curator; the moderator then
adds the claim, its other versions and another source with slash commands; members' checks get
the curated answers. The real `CrosscheckBot` runs against the fake Discord (see `test_moderation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakediscord import FakeDiscord, RunBot
from test_moderation import (
    MakeCrosscheckBot,
    audit_rows,
    check,
    command,
    confirmed,
    open_modal,
    reply_text,
    server_chain,
    stored_claim,
    submit,
)

from bot.cli import main
from bot.client import CrosscheckBot
from claims.models import Values

CORPUS = Path(__file__).resolve().parents[1] / "corpus_pukhrayan"
ARTICLES = {  # id: (outlet, published, file), as curate.sh adds them
    "hindu-toll-145": ("the-hindu", "2016-11-21", "thehindu-toll-145.txt"),
    "himalayantimes-96-dead": ("himalayan-times", "2016-11-20", "himalayantimes-96-dead.txt"),
    "ndtv-127-killed": ("ndtv", "2016-11-20", "ndtv-127-killed.txt"),
    "ians-120-killed": ("socialnews", "2016-11-20", "socialnews-ians-120-killed.txt"),
}


def terminal(db: Path | str, *args: str) -> str:
    """One `crosscheck` command, as the operator types it; its output."""
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
async def bot(discord_server: FakeDiscord, crosscheck_db: Path | str, make_crosscheck_bot: MakeCrosscheckBot,
              run_bot: RunBot) -> CrosscheckBot:
    """The server answering from an empty `pukhrayan` workspace holding only outlets and articles."""
    terminal(crosscheck_db, "workspace", "create", "pukhrayan", "--from", "empty",
             "--home-server", str(discord_server.guild.id))
    terminal(crosscheck_db, "workspace", "attach", "pukhrayan", "--server", str(discord_server.guild.id))
    terminal(crosscheck_db, "workspace", "curators", "pukhrayan", "add", "--user", str(discord_server.moderator.id))
    for outlet in sorted({outlet for outlet, _, _ in ARTICLES.values()}):
        terminal(crosscheck_db, "-w", "pukhrayan", "sources", "add-outlet", str(CORPUS / "outlets" / f"{outlet}.yaml"))
    for article, (outlet, published, name) in ARTICLES.items():
        terminal(crosscheck_db, "-w", "pukhrayan", "sources", "add-article", "--id", article, "--outlet", outlet,
                 "--published", published, "--text-file", str(CORPUS / "articles" / name))
    return await run_bot(make_crosscheck_bot())


async def version_add(server: FakeDiscord, **options: Any) -> str:
    _, call = await command(server, "claim", "version add", {"claim": "injured", **options})
    return reply_text(call)


async def test_the_injured_count_is_curated_from_discord_and_answers_members(
    discord_server: FakeDiscord, bot: CrosscheckBot
) -> None:
    assert server_chain(bot) == ("pukhrayan",)  # empty: nothing shipped is seen
    unknown = await check(discord_server, "More than 200 people were injured in the Indore-Patna Express derailment")
    assert "No match" in unknown["title"] or "no claim" in unknown["description"].lower()

    # /claim add: values as options, the rest in the form (4 commands in all, as in curate.sh).
    modal = await open_modal(discord_server, "claim", "add", {
        "article": "hindu-toll-145", "topic": "pukhrayan", "unit": "injured", "count": ">=201",
        "version_id": "over-200"})
    added = await submit(discord_server, modal, {
        "id": "injured", "kind": "quantity", "article id": "hindu-toll-145", "quote": "Over 200 people were injured",
        "statement": "More than 200 people were injured in the Indore-Patna Express derailment"})
    confirmed(reply_text(added), "added claim injured", revision=1)
    _, call = await command(discord_server, "claim", "source add", {
        "claim": "injured", "version": "over-200", "article": "himalayantimes-96-dead",
        "quote": "More than 200 other passengers were injured as some coaches crumpled when they crashed into others"})
    confirmed(reply_text(call), "added a source to injured/over-200: himalayantimes-96-dead", revision=2)
    confirmed(await version_add(discord_server, id="nearly-200", text="Nearly 200 were injured",
                                article="ndtv-127-killed", count="~200",
                                quote="At least 127 people were killed in their sleep and nearly 200 injured"),
              "added version nearly-200 to injured", revision=3)
    confirmed(await version_add(discord_server, id="about-100", text="Around 100 were injured",
                                article="ians-120-killed", count="~100",
                                quote="at least 120 persons were killed and around 100 injured before dawn on Sunday"),
              "added version about-100 to injured", revision=4)

    stored = stored_claim(bot, "injured")
    assert stored is not None
    claim, revision = stored
    assert revision == 4 and claim.topic == "pukhrayan" and claim.unit == "injured"
    assert [(v.id, v.values, [s.article for s in v.sources]) for v in claim.versions] == [
        ("over-200", Values(count=">=201"), ["hindu-toll-145", "himalayantimes-96-dead"]),
        ("nearly-200", Values(count="~200"), ["ndtv-127-killed"]),
        ("about-100", Values(count="~100"), ["ians-120-killed"]),
    ]
    assert [row["action"] for row in audit_rows(bot) if row["workspace_id"] == "pukhrayan"][-4:] == [
        "claim.add", "claim.source.add", "claim.version.add", "claim.version.add"]

    # Members' checks get the answers the terminal-curated base gives (tests/corpus_pukhrayan/cases.yaml).
    disputed = await check(discord_server, "Around 100 people were injured in the Indore-Patna Express derailment")
    assert "Disputed" in disputed["title"]
    contradicted = await check(discord_server, "Fewer than 50 people were injured in the derailment")
    assert "Contradicted" in contradicted["title"]
    supported = await check(discord_server, "More than 200 people were hurt when the Indore-Patna Express derailed")
    assert "Supported" in supported["title"] or "Disputed" in supported["title"]

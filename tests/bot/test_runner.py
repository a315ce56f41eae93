"""bot/runner.py: which start-up failures become one line for the operator, and which stay bugs.

The failures themselves are produced for real in tests/e2e/test_run.py (a rejected token, no
network, privileged intents, missing access); these check the wording that depends on settings."""

from __future__ import annotations

import discord

from bot.runner import EXIT_BAD_SETUP, explain


def test_refused_privileged_intents_are_named() -> None:
    asked = discord.Intents.default()
    asked.members = asked.message_content = True
    explained = explain(discord.PrivilegedIntentsRequired(None), asked)
    assert explained is not None and explained.exit_code == EXIT_BAD_SETUP
    assert str(explained).startswith("Discord refused the privileged intents the bot asks for (members, "
                                     "message_content): switch them on in the Developer Portal")


def test_a_gateway_that_rejects_the_token_reads_like_a_rejected_token() -> None:
    closed = discord.ConnectionClosed(None, shard_id=None, code=4004)  # type: ignore[arg-type]
    explained = explain(closed, discord.Intents.default())
    assert explained is not None and str(explained).startswith("Discord rejected the bot token")


def test_a_bug_is_not_explained_away() -> None:
    assert explain(ValueError("a bug"), discord.Intents.default()) is None
    unexpected_close = discord.ConnectionClosed(None, shard_id=None, code=4000)  # type: ignore[arg-type]
    assert explain(unexpected_close, discord.Intents.default()) is None


"""Concurrent /check interactions are all answered (the load run, small; no timing asserted).

`tests/e2e/load_run.py` is the full run (200 checks, with the acknowledgement times reported).
"""

from __future__ import annotations

from collections.abc import Callable

from fakediscord import FakeDiscord, RunBot
from load_run import fire_checks, statements_for_load

from bot.client import CrosscheckBot

# The `make_crosscheck_bot` fixture (tests/e2e/conftest.py): keyword Settings -> an unstarted bot.
MakeCrosscheckBot = Callable[..., CrosscheckBot]
CONCURRENT = 20


async def test_twenty_concurrent_checks_from_different_users_are_all_answered(
    discord_server: FakeDiscord, make_crosscheck_bot: MakeCrosscheckBot, run_bot: RunBot
) -> None:
    users = [discord_server.add_member(f"load{i:02d}") for i in range(CONCURRENT)]
    await run_bot(make_crosscheck_bot(check_rate=1_000))
    result = await fire_checks(discord_server, statements_for_load(CONCURRENT), users)
    assert result.sent == result.acknowledged == result.answered == CONCURRENT
    discord_server.assert_no_unknown_calls()

"""Edits made by the CLI in its own process reach the running bot's next /check (the edit run, small).

`tests/e2e/edit_run.py` is the full run (100 edits, with the edit-to-visible times reported).
"""

from __future__ import annotations

from edit_run import edit_run


async def test_three_edits_from_the_cli_are_each_seen_at_the_bots_next_check() -> None:
    figures = await edit_run(3)
    assert figures["visible_at_next_check"] == 3
    assert figures["errors_in_fake"] == []

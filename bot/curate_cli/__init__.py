"""Moderators' commands for the terminal: the same operations as the Discord moderation cogs.

    crosscheck claims show|list|search|add|edit|alias|retire|restore|history|undo|export
    crosscheck claims version add|edit|remove      crosscheck claims source add|remove
    crosscheck claims topic list|retire|restore
    crosscheck entities list|show|add|edit|alias|remove
    crosscheck vocabulary list|show|add|remove|history
    crosscheck sources list|rate|add-outlet|add-article
    crosscheck review list|link|new|dismiss
    crosscheck articles add|drafts|skipped|accept|reject

A change that may break answers prints its warnings and asks before writing anything
(`--yes` applies it anyway); a refusal says what is wrong and exits non-zero (see `common`).
"""

from __future__ import annotations

import click

from bot.curate_cli import articles, entities, review, sources, topics, versions, vocabulary
from bot.curate_cli import claims as claims_commands


def register(claims: click.Group, main: click.Group) -> None:
    """Add the moderation commands to the CLI."""
    claims_commands.register(claims)
    versions.register(claims)
    topics.register(claims)
    entities.register(main)
    vocabulary.register(main)
    sources.register(main)
    review.register(main)
    articles.register(main)

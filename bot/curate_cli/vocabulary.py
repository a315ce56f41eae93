"""`crosscheck vocabulary list|show|add|remove|history`: the topic's own words — concepts (words
and phrases read as one idea), units (what a count counts) and titles (written before a person's
name) — beside the English the engine knows. Every change is audited and undone with `crosscheck claims undo #`."""

from __future__ import annotations

import click

from bot.curate_cli.common import actor_option, curator, done, reason_option, run
from claims.curate.vocabulary import KINDS
from claims.models import term_key


def word_changes(before: dict | None, after: dict | None) -> str:
    """What a change did to an entry's words ("added: a, b; removed: c")."""
    if before is None:
        return "created: " + ", ".join((after or {}).get("words", []))
    if after is None:
        return "removed: " + ", ".join(before.get("words", []))
    old, new = before.get("words", []), after.get("words", [])
    parts = [f"added: {', '.join(w for w in new if w not in old)}" if set(new) - set(old) else "",
             f"removed: {', '.join(w for w in old if w not in new)}" if set(old) - set(new) else ""]
    return "; ".join(p for p in parts if p) or "no change to its words"


def register(main: click.Group) -> None:
    """Add `crosscheck vocabulary ...`."""

    @main.group()
    def vocabulary() -> None:
        """The topic's words: concepts (quake: earthquake), units (deaths: dead), titles (seismologist)."""

    @vocabulary.command("list")
    @click.option("--kind", type=click.Choice(KINDS), default=None)
    @click.pass_context
    def list_(ctx: click.Context, kind: str | None) -> None:
        """Every entry, with the words read as it."""
        found = curator(ctx).vocabulary(kind)
        if not found:
            click.echo("no vocabulary" + (f" of kind {kind}" if kind else " yet: add words with `vocabulary add`"))
        for term in found:
            click.echo(f"{term.kind:<8} {term.name:<16} {', '.join(term.words)}")

    @vocabulary.command()
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("name")
    @click.pass_context
    def show(ctx: click.Context, kind: str, name: str) -> None:
        """One entry, its words and its revision."""
        term, revision = run(lambda: curator(ctx).term(kind, name))
        click.echo(f"# revision {revision}")
        click.echo(f"{term.kind} {term.name}: {', '.join(term.words)}")

    @vocabulary.command()
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("name")
    @click.argument("words", nargs=-1, required=True)
    @actor_option
    @click.pass_context
    def add(ctx: click.Context, kind: str, name: str, words: tuple[str, ...], actor: str) -> None:
        """Read WORDS (words, or phrases in quotes) as the concept, unit or titles NAME; adds NAME if new.

        e.g. `crosscheck vocabulary add concept quake earthquake tremor "seismic event"`"""
        found = curator(ctx)
        done(run(lambda: found.add_words(actor, kind, name, list(words))))

    @vocabulary.command()
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("name")
    @click.argument("words", nargs=-1)
    @reason_option
    @actor_option
    @click.pass_context
    def remove(ctx: click.Context, kind: str, name: str, words: tuple[str, ...], reason: str | None,
               actor: str) -> None:
        """Stop reading WORDS as NAME; without WORDS, remove the entry NAME."""
        found = curator(ctx)
        if words:
            done(run(lambda: found.remove_words(actor, kind, name, list(words))))
        else:
            done(run(lambda: found.remove_term(actor, kind, name, reason=reason)))

    @vocabulary.command()
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("name")
    @click.pass_context
    def history(ctx: click.Context, kind: str, name: str) -> None:
        """Every change to an entry: who, when, what (use the # with `crosscheck claims undo`)."""
        entries = curator(ctx).history(term_key(kind, name), "term")
        if not entries:
            click.echo(f"no changes recorded for {kind} {name}")
        for e in entries:
            undone = f" (undone by #{e.undone_by})" if e.undone_by else ""
            click.echo(f"#{e.id} {e.at} {e.actor} {e.action}{undone}" + (f" — {e.reason}" if e.reason else ""))
            click.echo(f"    {word_changes(e.before, e.after)}")

"""`crosscheck articles add|drafts|skipped|accept|reject`: add a news report and review what it drafts.

    crosscheck articles add report.txt --outlet eu-today --published 2024-09-09 [--url URL]
    crosscheck articles drafts                   pending drafts, grouped by article, with why
    crosscheck articles accept 12 [--date "end of 2026" --said-by Reuters ...]    (edits, then accepts)
    crosscheck articles reject 13 --reason "not about the withdrawal"
    crosscheck articles skipped ARTICLE_ID       the sentences that drafted nothing, and why
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.curate_cli.common import (
    EXIT_REFUSED,
    actor_option,
    curator,
    done,
    pop_values,
    run,
    run_confirmed,
    value_options,
    yes_option,
)
from claims.curate import Curator, Ingested
from claims.ingest.checks import MAX_ARTICLE_CHARS
from claims.ingest.present import by_article, target, values_line
from claims.models import ClaimKind, EntityKind
from claims.store.drafts import StoredDraft

# A file this large is refused before it is read whole (a UTF-8 character is at most 4 bytes).
MAX_FILE_BYTES = MAX_ARTICLE_CHARS * 4


def read_article(path: Path) -> str:
    """The text of an article file, or a clear refusal (not there, too large, not UTF-8 text)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _refuse(f"{path} is {size:,} bytes; an article's text is at most {MAX_ARTICLE_CHARS:,} characters")
        data = path.read_bytes()
    except OSError as exc:
        _refuse(f"cannot read {path}: {exc.strerror or exc}")
    if b"\x00" in data:
        _refuse(f"{path} is a binary file, not text: save the article as plain UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse(f"{path} is not UTF-8 text (byte {exc.start}): save the article as plain UTF-8 text")
    raise AssertionError  # unreachable: _refuse exits


def _refuse(message: str) -> None:
    click.echo("refused, nothing was changed:", err=True)
    click.echo(f"  - {message}", err=True)
    sys.exit(EXIT_REFUSED)


def show_drafts(drafts: list[StoredDraft]) -> None:
    """Drafts as a moderator reads them, grouped by article."""
    for article, group in by_article(drafts):
        click.echo(f"article {article}: {len(group)} draft{'s' if len(group) != 1 else ''}")
        for draft in group:
            click.echo(f"  #{draft.id}  {target(draft)}")
            click.echo(f"        why: {draft.reason}")
            if draft.action != "entity":
                click.echo(f"        quote: “{draft.quote}”")
            line = values_line(draft)
            if line:
                click.echo(f"        {line}")


def _report(result: Ingested, found: Curator) -> None:
    if result.change is not None:
        done(result.change)
    click.echo(result.summary() + f" ({result.seconds:.2f} s)")
    show_drafts(result.drafts)
    if result.skipped:
        click.echo(f"skipped sentences: `crosscheck articles skipped {result.article_id}`")
    if result.drafts:
        click.echo("accept: `crosscheck articles accept ID` (with options to edit first) · reject: "
                   "`crosscheck articles reject ID`")


def register(main: click.Group) -> None:
    """Add `crosscheck articles ...`."""

    @main.group()
    def articles() -> None:
        """Add a news report and review the sources, versions, claims and entities it drafts."""

    @articles.command()
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--outlet", required=True, help="The outlet's id (`crosscheck sources list`).")
    @click.option("--published", required=True, help="YYYY-MM-DD (or YYYY-MM): relative dates are read from it.")
    @click.option("--url", default=None)
    @click.option("--title", default=None)
    @click.option("--byline", default=None)
    @click.option("--id", "article_id", default=None, help="The article's id (default: from outlet, date and text).")
    @actor_option
    @click.pass_context
    def add(ctx: click.Context, file: Path, outlet: str, published: str, url: str | None, title: str | None,
            byline: str | None, article_id: str | None, actor: str) -> None:
        """Store an article's text and draft, for each check-worthy sentence, what it adds to the base.
        Adding the same text again drafts nothing twice."""
        text = read_article(file)
        found = curator(ctx)
        result = run(lambda: found.add_article_with_drafts(actor, text, outlet=outlet, published=published, url=url,
                                                           title=title, byline=byline, article_id=article_id))
        _report(result, found)

    @articles.command()
    @click.argument("article_id", required=False)
    @click.option("--limit", type=int, default=None)
    @click.pass_context
    def drafts(ctx: click.Context, article_id: str | None, limit: int | None) -> None:
        """Pending drafts (of one article, or all), grouped by article, with the reason for each."""
        pending = curator(ctx).drafts(article_id, limit)
        if not pending:
            click.echo("no drafts waiting")
        show_drafts(pending)

    @articles.command()
    @click.argument("article_id")
    @click.pass_context
    def skipped(ctx: click.Context, article_id: str) -> None:
        """The article's sentences that drafted nothing, and why."""
        rows = curator(ctx).skipped_sentences(article_id)
        if not rows:
            click.echo(f"no skipped sentences recorded for {article_id}")
        for row in rows:
            click.echo(f"  [{row.reason}] {row.quote}")

    @articles.command()
    @click.argument("draft_id", type=int)
    @click.option("--quote", default=None, help="Another verbatim quote of the article.")
    @click.option("--said-by", default=None, help="Who the article quotes.")
    @click.option("--text", default=None, help="A new version's (or claim's first version's) text.")
    @click.option("--statement", default=None, help="A new claim's statement.")
    @click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), default=None, help="A new claim's kind.")
    @click.option("--topic", default=None, help="A new claim's topic.")
    @click.option("--unit", default=None, help="What a new quantity claim counts.")
    @click.option("--id", "new_id", default=None, help="The new claim's or version's id.")
    @click.option("--entity-kind", type=click.Choice([k.value for k in EntityKind]), default=None)
    @click.option("--entity-name", "entity_names", multiple=True, help="A new entity's names (repeatable).")
    @value_options(editing=True)
    @yes_option
    @actor_option
    @click.pass_context
    def accept(ctx: click.Context, draft_id: int, quote: str | None, said_by: str | None, text: str | None,
               statement: str | None, kind: str | None, topic: str | None, unit: str | None, new_id: str | None,
               entity_kind: str | None, entity_names: tuple[str, ...], yes: bool, actor: str,
               **values: str | None) -> None:
        """Accept draft #DRAFT_ID, after the edits given (if any): the change is made as by hand
        (validated, warned about, audited, undoable)."""
        found = curator(ctx)
        draft = run(lambda: found.draft(draft_id))
        edits: dict = {k: v for k, v in (("quote", quote), ("said_by", said_by), ("text", text),
                                          ("statement", statement), ("kind", kind), ("topic", topic),
                                          ("unit", unit)) if v is not None}
        changed = {k: v for k, v in pop_values(values).items() if v is not None}
        if changed:
            edits["values"] = changed
        if new_id:
            edits["claim_id" if draft.action == "claim" else "version_id"] = new_id
        entity = {k: v for k, v in (("kind", entity_kind), ("names", list(entity_names) or None),
                                    ("id", new_id if draft.action == "entity" else None)) if v}
        if entity:
            edits.pop("version_id", None)
            edits["entity"] = entity
        done(run_confirmed(lambda accepted: found.accept_draft(actor, draft_id, edits, accept=accepted), yes))

    @articles.command()
    @click.argument("draft_id", type=int)
    @click.option("--reason", default=None, help="Why (kept in the audit log).")
    @actor_option
    @click.pass_context
    def reject(ctx: click.Context, draft_id: int, reason: str | None, actor: str) -> None:
        """Reject draft #DRAFT_ID: nothing changes in the base (undo puts it back in the queue)."""
        done(run(lambda: curator(ctx).reject_draft(actor, draft_id, reason)))

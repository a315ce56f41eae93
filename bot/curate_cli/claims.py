"""`crosscheck claims show|list|search|add|edit|alias|retire|restore|history|undo|export`."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click
import yaml

from bot.curate_cli.common import (
    EXIT_REFUSED,
    actor_option,
    curator,
    diff,
    done,
    pop_values,
    reason_option,
    run,
    run_confirmed,
    value_options,
    yes_option,
)
from claims.claimreview import claimreviews, review_base_url
from claims.curate import new_claim_data, values_from
from claims.export import ExportError, export_base
from claims.match import MATCH, POSSIBLE
from claims.models import ClaimKind

KINDS = [k.value for k in ClaimKind]
HISTORY_OF = ("claim", "entity", "term", "topic", "outlet", "article")


def _export_claimreview(ctx: click.Context, out_dir: Path, base_url: str | None) -> None:
    """Write OUT_DIR/claimreview.jsonld; refused (exit 2) without a usable base URL."""
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        site = review_base_url(base_url or Settings().crosscheck_review_url)
    except ValidationError as exc:  # another setting is malformed: say which, not a traceback
        click.echo(f"error: bad setting: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    found = curator(ctx)
    # Each review is dated by the last audited change of its claim or of what it cites.
    changes: dict[tuple[str, str], date] = {}
    for entry in found.recent_changes():
        if entry.target_type in ("claim", "article", "outlet"):
            changes[(entry.target_type, entry.target_id)] = datetime.fromisoformat(entry.at).date()
    reviews = claimreviews(found.engine.base, found.engine.today(), site, changes)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "claimreview.jsonld"
    path.write_text(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"wrote {len(reviews)} ClaimReviews to {path} (dates as precise as the curators gave them: "
               "an estimated month stays a month)")


def register(claims: click.Group) -> None:
    """Add the commands on claims themselves to `crosscheck claims`."""

    @claims.command()
    @click.argument("claim_id")
    @click.pass_context
    def show(ctx: click.Context, claim_id: str) -> None:
        """Show a claim as YAML, with its revision (pass it to `edit --revision`)."""
        found = curator(ctx)
        claim, revision = run(lambda: found.claim(claim_id))
        click.echo(f"# revision {revision}")
        click.echo(yaml.safe_dump(claim.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                                  allow_unicode=True, width=100))

    @claims.command("list")
    @click.option("--topic", default=None)
    @click.option("--status", type=click.Choice(["active", "retired"]), default=None)
    @click.option("--kind", type=click.Choice(KINDS), default=None)
    @click.pass_context
    def list_(ctx: click.Context, topic: str | None, status: str | None, kind: str | None) -> None:
        """Claims by id, optionally of one topic, status and kind."""
        listed = run(lambda: curator(ctx).list_claims(topic=topic, status=status, kind=kind))
        if not listed:
            click.echo("no claims" + (" match those filters" if topic or status or kind else " yet"))
        for claim in listed:
            retired = "  [retired]" if claim.status == "retired" else ""
            click.echo(f"{claim.id:<40} {claim.kind:<11} {claim.topic:<16} {claim.statement}{retired}")

    @claims.command()
    @click.argument("text")
    @click.option("--limit", type=int, default=10, show_default=True)
    @click.pass_context
    def search(ctx: click.Context, text: str, limit: int) -> None:
        """Claims the bot would match TEXT to, with their scores, then claims containing TEXT."""
        found = run(lambda: curator(ctx).search_claims(text, limit))
        if not found:
            click.echo("nothing found")
        for hit in found:
            if hit.score is not None:
                label = "match" if hit.score >= MATCH else "maybe" if hit.score >= POSSIBLE else "weak"
                score = f"{hit.score:5.1f} {label:<5}"
            else:
                score = f"  in {hit.where:<7}"
            retired = "  [retired]" if hit.claim.status == "retired" else ""
            click.echo(f"{score} {hit.claim.id:<40} {hit.claim.statement}{retired}")

    @claims.command()
    @click.option("--id", "claim_id", required=True)
    @click.option("--statement", required=True)
    @click.option("--kind", type=click.Choice(KINDS), required=True)
    @click.option("--topic", default="general", show_default=True)
    @click.option("--unit", default=None, help="What a quantity counts (troops, deaths, people).")
    @click.option("--due", default=None, help="A plan's due date (YYYY, YYYY-MM, 'end of 2026').")
    @click.option("--alias", "aliases", multiple=True, help="Another way people say it (repeatable).")
    @click.option("--article", required=True, help="The article id the quote comes from.")
    @click.option("--quote", required=True, help="Verbatim from the article.")
    @click.option("--said-by", default=None, help="Who the source quotes or relays.")
    @click.option("--version-id", default="reported", show_default=True, help="The first version's id.")
    @click.option("--version-text", default=None, help="What the source reports (default: the statement).")
    @value_options(editing=False)
    @yes_option
    @actor_option
    @click.pass_context
    def add(ctx: click.Context, claim_id: str, statement: str, kind: str, topic: str, unit: str | None,
            due: str | None, aliases: tuple[str, ...], article: str, quote: str, said_by: str | None,
            version_id: str, version_text: str | None, yes: bool, actor: str, **values: str | None) -> None:
        """Add a claim with its first sourced version and every value that version gives."""
        found = curator(ctx)
        data = new_claim_data(claim_id, statement, kind, article, quote, version_text=version_text,
                              said_by=said_by, due=due, aliases=list(aliases), topic=topic, unit=unit,
                              version_id=version_id, values=run(lambda: values_from(**pop_values(values))))
        done(run_confirmed(lambda accept: found.add_claim(actor, data, accept=accept), yes))

    @claims.command()
    @click.argument("claim_id")
    @click.option("--revision", type=int, default=None,
                  help="The revision you were shown (see `show`): refused if the claim changed since.")
    @click.option("--statement", default=None)
    @click.option("--kind", type=click.Choice(KINDS), default=None)
    @click.option("--topic", default=None)
    @click.option("--unit", default=None, help="What a quantity counts; '' clears it.")
    @click.option("--due", default=None, help="New due date; '' clears it.")
    @reason_option
    @yes_option
    @actor_option
    @click.pass_context
    def edit(ctx: click.Context, claim_id: str, revision: int | None, statement: str | None, kind: str | None,
             topic: str | None, unit: str | None, due: str | None, reason: str | None, yes: bool, actor: str) -> None:
        """Change a claim's statement, kind, topic, unit or due date (versions: `claims version edit`)."""
        found = curator(ctx)
        done(run_confirmed(lambda accept: found.edit_claim(
            actor, claim_id, revision, statement=statement, kind=kind, due=due, topic=topic, unit=unit,
            reason=reason, accept=accept), yes))

    @claims.command()
    @click.argument("action", type=click.Choice(["add", "remove"]))
    @click.argument("claim_id")
    @click.argument("text")
    @yes_option
    @actor_option
    @click.pass_context
    def alias(ctx: click.Context, action: str, claim_id: str, text: str, yes: bool, actor: str) -> None:
        """Add or remove an alias of a claim (adding one warns when it may break answers)."""
        found = curator(ctx)
        if action == "add":
            done(run_confirmed(lambda accept: found.add_alias(actor, claim_id, text, accept=accept), yes))
        else:
            done(run(lambda: found.remove_alias(actor, claim_id, text)))

    @claims.command()
    @click.argument("claim_id")
    @click.option("--reason", required=True)
    @actor_option
    @click.pass_context
    def retire(ctx: click.Context, claim_id: str, reason: str, actor: str) -> None:
        """Retire a claim: it is no longer matched; its history stays (a whole topic: `claims topic retire`)."""
        found = curator(ctx)
        done(run(lambda: found.set_status(actor, claim_id, "retired", reason)))

    @claims.command()
    @click.argument("claim_id")
    @actor_option
    @click.pass_context
    def restore(ctx: click.Context, claim_id: str, actor: str) -> None:
        """Restore a retired claim."""
        found = curator(ctx)
        done(run(lambda: found.set_status(actor, claim_id, "active")))

    @claims.command()
    @click.argument("target_id")
    @click.option("--of", "target_type", type=click.Choice(HISTORY_OF), default="claim", show_default=True,
                  help="What TARGET_ID is.")
    @click.pass_context
    def history(ctx: click.Context, target_id: str, target_type: str) -> None:
        """Every change to a claim (or entity, topic, outlet, article): who, when, what (use the # with `undo`)."""
        found = curator(ctx)
        entries = found.history(target_id, target_type)
        if not entries:
            click.echo(f"no changes recorded for {target_type} {target_id}")
        for e in entries:
            undone = f" (undone by #{e.undone_by})" if e.undone_by else ""
            click.echo(f"#{e.id} {e.at} {e.actor} {e.action}{undone}" + (f" — {e.reason}" if e.reason else ""))
            if target_type == "topic":
                count = len((e.after or {}).get("changes") or {})
                click.echo(f"    {count} claim{'s' if count != 1 else ''} changed at once")
                continue
            for line in diff(e.before, e.after):
                click.echo(f"    {line}")

    @claims.command()
    @click.argument("audit_id", type=int)
    @actor_option
    @click.pass_context
    def undo(ctx: click.Context, audit_id: int, actor: str) -> None:
        """Undo change #AUDIT_ID, or a whole topic's (refused if its target changed since)."""
        found = curator(ctx)
        done(run(lambda: found.undo(actor, audit_id)))

    @claims.command()
    @click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["yaml", "claimreview"]), default="yaml")
    @click.option("--base-url", metavar="URL", help="ClaimReview: the public address the reviews are read at "
                  "(default: the CROSSCHECK_REVIEW_URL setting); each url is URL + claim id + #version.")
    @click.pass_context
    def export(ctx: click.Context, out_dir: Path, fmt: str, base_url: str | None) -> None:
        """Write the working base to OUT_DIR: the shipped YAML layout, or ClaimReview JSON-LD."""
        if fmt == "claimreview":
            _export_claimreview(ctx, out_dir, base_url)
            return
        found = curator(ctx)
        try:
            written = export_base(found.service.store.load_base(found.workspace_id), out_dir)
        except (ExportError, OSError) as exc:
            click.echo(f"refused: {exc}", err=True)
            sys.exit(EXIT_REFUSED)
        click.echo(f"wrote {len(written)} files to {out_dir}")

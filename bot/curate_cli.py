"""Moderators' commands for the terminal: the same operations as the Discord moderation cog.

    crosscheck claims show|add|edit|alias|version|retire|restore|history|undo|export
    crosscheck sources list|rate|add-outlet|add-article
    crosscheck review list|link|new|dismiss
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path

import click
import yaml

from claims.claimreview import claimreviews, review_base_url
from claims.curate import Change, ConflictError, CurationError, Curator, new_claim_data
from claims.export import ExportError, export_base
from claims.models import CRITERIA_POINTS, ClaimKind
from claims.store import StoreError

EXIT_REFUSED = 2
EXIT_CONFLICT = 4

actor_option = click.option("--as", "actor", default=lambda: f"cli:{getpass.getuser()}", show_default="cli:$USER",
                            help="Who makes the change (for the audit log).")


def _curator(ctx: click.Context) -> Curator:
    """The curator of the workspace the command names (and of a server's queue, for `review --server`)."""
    from bot.cli import open_service

    service = open_service(None, None)
    ctx.call_on_close(service.close)
    server = (ctx.find_object(dict) or {}).get("server")
    try:
        return Curator(service, workspace_id=service.workspace_of(server) if server else service.workspace_id,
                       guild_id=server)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_REFUSED)


def _done(change: Change) -> None:
    revision = f", revision {change.revision}" if change.revision else ""
    click.echo(f"#{change.audit_id} {change.summary}{revision}")


def _run(action):
    """Run a curation action; refusals become one clear line and a non-zero exit."""
    try:
        return action()
    except ConflictError as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(EXIT_CONFLICT)
    except CurationError as exc:
        click.echo("refused, nothing was changed:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(EXIT_REFUSED)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(3)


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
    curator = _curator(ctx)
    # Each review is dated by the last audited change of its claim or of what it cites.
    changes: dict[tuple[str, str], date] = {}
    for entry in curator.recent_changes():
        if entry.target_type in ("claim", "article", "outlet"):
            changes[(entry.target_type, entry.target_id)] = datetime.fromisoformat(entry.at).date()
    reviews = claimreviews(curator.engine.base, curator.engine.today(), site, changes)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "claimreview.jsonld"
    path.write_text(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"wrote {len(reviews)} ClaimReviews to {path} (dates as precise as the curators gave them: "
               "an estimated month stays a month)")


def register(claims: click.Group, main: click.Group) -> None:
    """Add the moderation commands to the CLI."""

    @claims.command()
    @click.argument("claim_id")
    @click.pass_context
    def show(ctx: click.Context, claim_id: str) -> None:
        """Show a claim as YAML, with its revision (pass it to `edit --revision`)."""
        curator = _curator(ctx)
        claim, revision = _run(lambda: curator.claim(claim_id))
        click.echo(f"# revision {revision}")
        click.echo(yaml.safe_dump(claim.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                                  allow_unicode=True, width=100))

    @claims.command()
    @click.option("--id", "claim_id", required=True)
    @click.option("--statement", required=True)
    @click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), required=True)
    @click.option("--article", required=True, help="The article id the quote comes from.")
    @click.option("--quote", required=True, help="Verbatim from the article.")
    @click.option("--said-by", default=None)
    @click.option("--version-text", default=None, help="What the source reports (default: the statement).")
    @click.option("--due", default=None, help="A plan's due date (YYYY, YYYY-MM, 'end of 2026').")
    @click.option("--date", "when", default=None, help="The date the version reports.")
    @click.option("--alias", "aliases", multiple=True)
    @click.option("--topic", default="general")
    @actor_option
    @click.pass_context
    def add(ctx: click.Context, claim_id: str, statement: str, kind: str, article: str, quote: str,
            said_by: str | None, version_text: str | None, due: str | None, when: str | None,
            aliases: tuple[str, ...], topic: str, actor: str) -> None:
        """Add a claim with one sourced version."""
        curator = _curator(ctx)
        data = new_claim_data(claim_id, statement, kind, article, quote, version_text=version_text,
                              said_by=said_by, due=due, aliases=list(aliases), topic=topic,
                              values={"date": when} if when else None)
        _done(_run(lambda: curator.add_claim(actor, data)))

    @claims.command()
    @click.argument("claim_id")
    @click.option("--revision", type=int, required=True, help="The revision you were shown (see `show`).")
    @click.option("--statement", default=None)
    @click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), default=None)
    @click.option("--due", default=None, help="New due date; '' clears it.")
    @click.option("--reason", default=None)
    @actor_option
    @click.pass_context
    def edit(ctx: click.Context, claim_id: str, revision: int, statement: str | None, kind: str | None,
             due: str | None, reason: str | None, actor: str) -> None:
        """Change a claim's statement, kind or due date (refused if it changed since `show`)."""
        curator = _curator(ctx)
        _done(_run(lambda: curator.edit_claim(actor, claim_id, revision, statement=statement, kind=kind, due=due,
                                              reason=reason)))

    @claims.command()
    @click.argument("action", type=click.Choice(["add", "remove"]))
    @click.argument("claim_id")
    @click.argument("text")
    @actor_option
    @click.pass_context
    def alias(ctx: click.Context, action: str, claim_id: str, text: str, actor: str) -> None:
        """Add or remove an alias of a claim."""
        curator = _curator(ctx)
        if action == "add":
            _done(_run(lambda: curator.add_alias(actor, claim_id, text)))
        else:
            _done(_run(lambda: curator.remove_alias(actor, claim_id, text)))

    @claims.command()
    @click.argument("claim_id")
    @click.option("--id", "version_id", required=True)
    @click.option("--text", required=True, help="What this source reports.")
    @click.option("--article", required=True)
    @click.option("--quote", required=True)
    @click.option("--said-by", default=None)
    @click.option("--date", "when", default=None)
    @click.option("--count", default=None)
    @click.option("--scope", type=click.Choice(["all", "some"]), default=None)
    @actor_option
    @click.pass_context
    def version(ctx: click.Context, claim_id: str, version_id: str, text: str, article: str, quote: str,
                said_by: str | None, when: str | None, count: str | None, scope: str | None, actor: str) -> None:
        """Add a version (another source's account) to a claim."""
        curator = _curator(ctx)
        values = {k: v for k, v in (("date", when), ("count", count), ("scope", scope)) if v}
        data = {"id": version_id, "text": text, "values": values,
                "sources": [{"article": article, "quote": quote, "said_by": said_by}]}
        _done(_run(lambda: curator.add_version(actor, claim_id, data)))

    @claims.command()
    @click.argument("claim_id")
    @click.option("--reason", required=True)
    @actor_option
    @click.pass_context
    def retire(ctx: click.Context, claim_id: str, reason: str, actor: str) -> None:
        """Retire a claim: it is no longer matched; its history stays."""
        curator = _curator(ctx)
        _done(_run(lambda: curator.set_status(actor, claim_id, "retired", reason)))

    @claims.command()
    @click.argument("claim_id")
    @actor_option
    @click.pass_context
    def restore(ctx: click.Context, claim_id: str, actor: str) -> None:
        """Restore a retired claim."""
        curator = _curator(ctx)
        _done(_run(lambda: curator.set_status(actor, claim_id, "active")))

    @claims.command()
    @click.argument("claim_id")
    @click.pass_context
    def history(ctx: click.Context, claim_id: str) -> None:
        """Every change to a claim: who, when, what (use the # with `undo`)."""
        curator = _curator(ctx)
        entries = curator.history(claim_id)
        if not entries:
            click.echo(f"no changes recorded for {claim_id}")
        for e in entries:
            undone = f" (undone by #{e.undone_by})" if e.undone_by else ""
            click.echo(f"#{e.id} {e.at} {e.actor} {e.action}{undone}" + (f" — {e.reason}" if e.reason else ""))
            for line in _diff(e.before, e.after):
                click.echo(f"    {line}")

    @claims.command()
    @click.argument("audit_id", type=int)
    @actor_option
    @click.pass_context
    def undo(ctx: click.Context, audit_id: int, actor: str) -> None:
        """Undo change #AUDIT_ID (refused if its target changed since)."""
        curator = _curator(ctx)
        _done(_run(lambda: curator.undo(actor, audit_id)))

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
        curator = _curator(ctx)
        try:
            written = export_base(curator.service.store.load_base(curator.workspace_id), out_dir)
        except (ExportError, OSError) as exc:
            click.echo(f"refused: {exc}", err=True)
            sys.exit(EXIT_REFUSED)
        click.echo(f"wrote {len(written)} files to {out_dir}")

    @main.group()
    def sources() -> None:
        """Outlets, their credibility, and articles."""

    @sources.command("list")
    @click.pass_context
    def list_(ctx: click.Context) -> None:
        """Outlets with their credibility, most credible first."""
        for outlet in _curator(ctx).outlets():
            flag = "  [flagged unreliable]" if outlet.unreliable else ""
            click.echo(f"{outlet.credibility:>3}/100  {outlet.id:<22} {outlet.name}{flag}")

    @sources.command()
    @click.argument("outlet_id")
    @click.argument("criterion", type=click.Choice(list(CRITERIA_POINTS)))
    @click.argument("rating", type=click.Choice(["yes", "partly", "no", "unknown"]))
    @click.option("--reason", required=True)
    @actor_option
    @click.pass_context
    def rate(ctx: click.Context, outlet_id: str, criterion: str, rating: str, reason: str, actor: str) -> None:
        """Re-rate one of an outlet's nine criteria; the score is recomputed."""
        _done(_run(lambda: _curator(ctx).rerate_outlet(actor, outlet_id, criterion, rating, reason)))

    @sources.command("add-outlet")
    @click.argument("yaml_file", type=click.File("r"))
    @actor_option
    @click.pass_context
    def add_outlet(ctx: click.Context, yaml_file, actor: str) -> None:
        """Add an outlet described in a YAML file (the shape of an entry in sources.yaml)."""
        try:
            data = yaml.safe_load(yaml_file)
        except yaml.YAMLError as exc:
            click.echo(f"refused: {yaml_file.name} is not valid YAML: {exc}", err=True)
            sys.exit(EXIT_REFUSED)
        _done(_run(lambda: _curator(ctx).add_outlet(actor, data if isinstance(data, dict) else {})))

    @sources.command("add-article")
    @click.option("--id", "article_id", required=True)
    @click.option("--outlet", required=True)
    @click.option("--title", default=None)
    @click.option("--byline", default=None)
    @click.option("--published", required=True, help="YYYY-MM-DD, or YYYY-MM with --estimate")
    @click.option("--estimate", is_flag=True, help="The date is an estimate.")
    @click.option("--url", default=None)
    @click.option("--text-file", type=click.File("r", encoding="utf-8"), required=True)
    @actor_option
    @click.pass_context
    def add_article(ctx: click.Context, article_id: str, outlet: str, title: str | None, byline: str | None,
                    published: str, estimate: bool, url: str | None, text_file, actor: str) -> None:
        """Add an article and its full text."""
        data = {"id": article_id, "outlet": outlet, "title": title, "byline": byline, "published": published,
                "published_estimate": estimate, "url": url}
        _done(_run(lambda: _curator(ctx).add_article(actor, data, text_file.read())))

    @main.group()
    @click.option("--server", "server", default=None, metavar="GUILD_ID",
                  help="A Discord server's queue (default: the questions asked in the terminal).")
    @click.pass_context
    def review(ctx: click.Context, server: str | None) -> None:
        """The queue of questions the bot could not answer."""
        ctx.ensure_object(dict)
        ctx.obj = {**ctx.obj, "server": server}

    @review.command("list")
    @click.option("--limit", type=int, default=20)
    @click.pass_context
    def review_list(ctx: click.Context, limit: int) -> None:
        """Open items: grouped questions, how many asked and when."""
        groups = _curator(ctx).review_queue(limit)
        if not groups:
            click.echo("the review queue is empty")
        for g in groups:
            people = len(g.askers)
            click.echo(f"#{g.key}  asked {g.count}× by {people} {'person' if people == 1 else 'people'}, "
                       f"last {g.last_asked}: {g.statement}")
            if g.suggestions:
                click.echo(f"      suggestions: {', '.join(g.suggestions)}")

    @review.command()
    @click.argument("key", type=int)
    @click.argument("claim_id")
    @actor_option
    @click.pass_context
    def link(ctx: click.Context, key: int, claim_id: str, actor: str) -> None:
        """Answer item #KEY with a claim (its wordings become aliases)."""
        _done(_run(lambda: _curator(ctx).link(actor, key, claim_id)))

    @review.command()
    @click.argument("key", type=int)
    @click.option("--reason", default=None)
    @actor_option
    @click.pass_context
    def dismiss(ctx: click.Context, key: int, reason: str | None, actor: str) -> None:
        """Dismiss item #KEY."""
        _done(_run(lambda: _curator(ctx).dismiss(actor, key, reason)))

    @review.command("new")
    @click.argument("key", type=int)
    @click.option("--id", "claim_id", required=True)
    @click.option("--statement", required=True)
    @click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), required=True)
    @click.option("--article", required=True)
    @click.option("--quote", required=True)
    @click.option("--said-by", default=None)
    @click.option("--due", default=None)
    @actor_option
    @click.pass_context
    def review_new(ctx: click.Context, key: int, claim_id: str, statement: str, kind: str, article: str,
                   quote: str, said_by: str | None, due: str | None, actor: str) -> None:
        """Turn item #KEY into a new claim."""
        data = new_claim_data(claim_id, statement, kind, article, quote, said_by=said_by, due=due)
        _done(_run(lambda: _curator(ctx).new_claim_from_queue(actor, key, data)))


def _diff(before: dict | None, after: dict | None) -> list[str]:
    """Human lines for what changed between two states."""
    if before is None:
        return ["created"]
    if after is None:
        return ["removed"]
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            old = json.dumps(before.get(key), ensure_ascii=False)
            new = json.dumps(after.get(key), ensure_ascii=False)
            lines.append(f"{key}: {old[:120]} → {new[:120]}")
    return lines

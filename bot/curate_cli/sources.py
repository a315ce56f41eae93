"""`crosscheck sources list|rate|add-outlet|add-article`: outlets, their credibility, and articles."""

from __future__ import annotations

import sys

import click
import yaml

from bot.curate_cli.common import EXIT_REFUSED, actor_option, curator, done, run
from claims.models import CRITERIA_POINTS


def register(main: click.Group) -> None:
    """Add `crosscheck sources ...`."""

    @main.group()
    def sources() -> None:
        """Outlets, their credibility, and articles."""

    @sources.command("list")
    @click.pass_context
    def list_(ctx: click.Context) -> None:
        """Outlets with their credibility, most credible first."""
        outlets = curator(ctx).outlets()
        if not outlets:
            click.echo("no outlets yet: add one with `sources add-outlet`")
        for outlet in outlets:
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
        done(run(lambda: curator(ctx).rerate_outlet(actor, outlet_id, criterion, rating, reason)))

    @sources.command("add-outlet")
    @click.argument("yaml_file", type=click.File("r"), required=False)
    @click.option("--id", "outlet_id", default=None, help="Without a YAML file: the outlet's id.")
    @click.option("--name", default=None, help="Without a YAML file: its display name.")
    @click.option("--url", default=None)
    @click.option("--affiliation", default=None, help="Any affiliation or slant readers should know.")
    @actor_option
    @click.pass_context
    def add_outlet(ctx: click.Context, yaml_file, outlet_id: str | None, name: str | None, url: str | None,
                   affiliation: str | None, actor: str) -> None:
        """Add an outlet: from a YAML file (the shape of an entry in sources.yaml), or with --id and
        --name, every criterion 'unknown' until rated with `sources rate` (as /source add-outlet does)."""
        if yaml_file is not None:
            if outlet_id or name:
                raise click.UsageError("give a YAML file or --id and --name, not both")
            try:
                data = yaml.safe_load(yaml_file)
            except yaml.YAMLError as exc:
                click.echo(f"refused: {yaml_file.name} is not valid YAML: {exc}", err=True)
                sys.exit(EXIT_REFUSED)
            data = data if isinstance(data, dict) else {}
        elif outlet_id and name:
            data = {"id": outlet_id, "name": name, "url": url, "affiliation": affiliation,
                    "criteria": {k: {"rating": "unknown", "note": "not yet rated"} for k in CRITERIA_POINTS}}
        else:
            raise click.UsageError("give a YAML file, or --id and --name")
        done(run(lambda: curator(ctx).add_outlet(actor, data)))

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
        done(run(lambda: curator(ctx).add_article(actor, data, text_file.read())))

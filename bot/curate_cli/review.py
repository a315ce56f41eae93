"""`crosscheck review list|link|new|dismiss`: the questions the bot could not answer."""

from __future__ import annotations

import click

from bot.curate_cli.articles import show_drafts
from bot.curate_cli.common import (
    actor_option,
    curator,
    done,
    pop_values,
    run,
    run_confirmed,
    value_options,
    yes_option,
)
from claims.curate import new_claim_data, values_from
from claims.curate.queue import chatter_line
from claims.models import ClaimKind


def register(main: click.Group) -> None:
    """Add `crosscheck review ...`."""

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
        found = curator(ctx)
        groups = found.review_queue(limit)
        drafts = found.drafts(limit=limit)
        if not groups and not drafts:
            click.echo("the review queue is empty")
        chatter = chatter_line(found.not_queued())
        if chatter:
            click.echo(chatter)
        for g in groups:
            people = len(g.askers)
            click.echo(f"#{g.key}  asked {g.count}× by {people} {'person' if people == 1 else 'people'}, "
                       f"last {g.last_asked}: {g.statement}")
            if g.suggestions:
                click.echo(f"      suggestions: {', '.join(g.suggestions)}")
        if drafts:
            click.echo("drafts from articles (accept or reject with `crosscheck articles accept|reject ID`):")
            show_drafts(drafts)

    @review.command()
    @click.argument("key", type=int)
    @click.argument("claim_id")
    @yes_option
    @actor_option
    @click.pass_context
    def link(ctx: click.Context, key: int, claim_id: str, yes: bool, actor: str) -> None:
        """Answer item #KEY with a claim (its wordings become aliases; warns as an alias does)."""
        found = curator(ctx)
        done(run_confirmed(lambda accept: found.link(actor, key, claim_id, accept=accept), yes))

    @review.command()
    @click.argument("key", type=int)
    @click.option("--reason", default=None)
    @actor_option
    @click.pass_context
    def dismiss(ctx: click.Context, key: int, reason: str | None, actor: str) -> None:
        """Dismiss item #KEY."""
        done(run(lambda: curator(ctx).dismiss(actor, key, reason)))

    @review.command("new")
    @click.argument("key", type=int)
    @click.option("--id", "claim_id", required=True)
    @click.option("--statement", required=True)
    @click.option("--kind", type=click.Choice([k.value for k in ClaimKind]), required=True)
    @click.option("--topic", default="general", show_default=True)
    @click.option("--unit", default=None, help="What a quantity counts.")
    @click.option("--article", required=True)
    @click.option("--quote", required=True)
    @click.option("--said-by", default=None)
    @click.option("--due", default=None)
    @click.option("--version-text", default=None, help="What the source reports (default: the statement).")
    @value_options(editing=False)
    @yes_option
    @actor_option
    @click.pass_context
    def review_new(ctx: click.Context, key: int, claim_id: str, statement: str, kind: str, topic: str,
                   unit: str | None, article: str, quote: str, said_by: str | None, due: str | None,
                   version_text: str | None, yes: bool, actor: str, **values: str | None) -> None:
        """Turn item #KEY into a new claim (its wordings become the claim's aliases)."""
        found = curator(ctx)
        data = new_claim_data(claim_id, statement, kind, article, quote, said_by=said_by, due=due, topic=topic,
                              unit=unit, version_text=version_text,
                              values=run(lambda: values_from(**pop_values(values))))
        done(run_confirmed(lambda accept: found.new_claim_from_queue(actor, key, data, accept=accept), yes))

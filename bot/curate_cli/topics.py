"""`crosscheck claims topic list|retire|restore`: a subject's claims, all at once."""

from __future__ import annotations

import click

from bot.curate_cli.common import actor_option, curator, done, run


def register(claims: click.Group) -> None:
    """Add `claims topic ...`."""

    @claims.group()
    def topic() -> None:
        """Topics: retire or restore every claim of one at once (undo with the # it prints)."""

    @topic.command("list")
    @click.pass_context
    def topic_list(ctx: click.Context) -> None:
        """Every topic, with how many of its claims are active and retired."""
        topics = curator(ctx).topics()
        if not topics:
            click.echo("no topics yet: add a claim with `claims add --topic NAME`")
        for t in topics:
            click.echo(f"{t.name:<24} {t.active:>5} active {t.retired:>5} retired")

    @topic.command("retire")
    @click.argument("name")
    @click.option("--reason", required=True, help="Why (kept in every claim's history).")
    @actor_option
    @click.pass_context
    def topic_retire(ctx: click.Context, name: str, reason: str, actor: str) -> None:
        """Retire every active claim of topic NAME in one change (`claims undo #` restores them)."""
        found = curator(ctx)
        done(run(lambda: found.set_topic_status(actor, name, "retired", reason)))

    @topic.command("restore")
    @click.argument("name")
    @click.option("--reason", default=None)
    @actor_option
    @click.pass_context
    def topic_restore(ctx: click.Context, name: str, reason: str | None, actor: str) -> None:
        """Restore every retired claim of topic NAME in one change."""
        found = curator(ctx)
        done(run(lambda: found.set_topic_status(actor, name, "active", reason)))

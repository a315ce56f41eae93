"""`crosscheck claims version add|edit|remove` and `crosscheck claims source add|remove`: what
each source reports about a claim, with every value, and the articles and quotes behind it."""

from __future__ import annotations

import click

from bot.curate_cli.common import (
    actor_option,
    curator,
    done,
    pop_values,
    reason_option,
    run,
    run_confirmed,
    value_options,
    yes_option,
)
from claims.curate import value_changes, values_from


def register(claims: click.Group) -> None:
    """Add `claims version ...` and `claims source ...`."""

    @claims.group()
    def version() -> None:
        """A claim's versions: what each source reports, with the details it commits to."""

    @version.command("add")
    @click.argument("claim_id")
    @click.option("--id", "version_id", required=True, help="The version's id, e.g. toll-300.")
    @click.option("--text", required=True, help="What this source reports.")
    @click.option("--article", required=True, help="The article id the quote comes from.")
    @click.option("--quote", required=True, help="Verbatim from the article.")
    @click.option("--said-by", default=None, help="Who the source quotes or relays.")
    @value_options(editing=False)
    @yes_option
    @actor_option
    @click.pass_context
    def version_add(ctx: click.Context, claim_id: str, version_id: str, text: str, article: str, quote: str,
                    said_by: str | None, yes: bool, actor: str, **values: str | None) -> None:
        """Add a version (another source's account) to a claim."""
        found = curator(ctx)
        data = {"id": version_id, "text": text, "values": run(lambda: values_from(**pop_values(values))),
                "sources": [{"article": article, "quote": quote, "said_by": said_by}]}
        done(run_confirmed(lambda accept: found.add_version(actor, claim_id, data, accept=accept), yes))

    @version.command("edit")
    @click.argument("claim_id")
    @click.argument("version_id")
    @click.option("--revision", type=int, default=None,
                  help="The claim's revision you were shown (see `claims show`): refused if it changed since.")
    @click.option("--text", default=None, help="What this source reports.")
    @value_options(editing=True)
    @reason_option
    @yes_option
    @actor_option
    @click.pass_context
    def version_edit(ctx: click.Context, claim_id: str, version_id: str, revision: int | None, text: str | None,
                     reason: str | None, yes: bool, actor: str, **values: str | None) -> None:
        """Change a version's text or values: only those given change ('' clears one)."""
        found = curator(ctx)
        changes = run(lambda: value_changes(**pop_values(values)))
        done(run_confirmed(lambda accept: found.edit_version(
            actor, claim_id, version_id, revision, text=text, values=changes, reason=reason, accept=accept), yes))

    @version.command("remove")
    @click.argument("claim_id")
    @click.argument("version_id")
    @reason_option
    @actor_option
    @click.pass_context
    def version_remove(ctx: click.Context, claim_id: str, version_id: str, reason: str | None, actor: str) -> None:
        """Remove a version (never a claim's last: retire the claim instead)."""
        found = curator(ctx)
        done(run(lambda: found.remove_version(actor, claim_id, version_id, reason=reason)))

    @claims.group()
    def source() -> None:
        """The sources of a claim's version: articles and the verbatim quotes from them."""

    @source.command("add")
    @click.argument("claim_id")
    @click.argument("version_id")
    @click.option("--article", required=True, help="The article id the quote comes from.")
    @click.option("--quote", required=True, help="Verbatim from the article.")
    @click.option("--said-by", default=None, help="Who the source quotes or relays.")
    @actor_option
    @click.pass_context
    def source_add(ctx: click.Context, claim_id: str, version_id: str, article: str, quote: str,
                   said_by: str | None, actor: str) -> None:
        """Add another article (and its quote) reporting what a version says."""
        found = curator(ctx)
        data = {"article": article, "quote": quote, "said_by": said_by}
        done(run(lambda: found.add_source(actor, claim_id, version_id, data)))

    @source.command("remove")
    @click.argument("claim_id")
    @click.argument("version_id")
    @click.argument("article")
    @reason_option
    @actor_option
    @click.pass_context
    def source_remove(ctx: click.Context, claim_id: str, version_id: str, article: str, reason: str | None,
                      actor: str) -> None:
        """Remove what a version cites from ARTICLE (never a version's last source)."""
        found = curator(ctx)
        done(run(lambda: found.remove_source(actor, claim_id, version_id, article, reason=reason)))

"""`crosscheck entities list|show|add|edit|alias|remove`: the people, places, countries,
organisations and groups the base knows, and the names text finds them by."""

from __future__ import annotations

import click
import yaml

from bot.curate_cli.common import actor_option, curator, done, reason_option, run
from claims.models import EntityKind

KINDS = [k.value for k in EntityKind]


def _listed(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def register(main: click.Group) -> None:
    """Add `crosscheck entities ...`."""

    @main.group()
    def entities() -> None:
        """Entities: who and where claims are about, with the names text finds them by."""

    @entities.command("list")
    @click.option("--kind", type=click.Choice(KINDS), default=None)
    @click.pass_context
    def list_(ctx: click.Context, kind: str | None) -> None:
        """Entities by id, with their kind and names."""
        found = curator(ctx).entities(kind)
        if not found:
            click.echo("no entities" + (f" of kind {kind}" if kind else " yet: add one with `entities add`"))
        for entity in found:
            part = f"  (part of {', '.join(entity.part_of)})" if entity.part_of else ""
            click.echo(f"{entity.id:<28} {entity.kind:<8} {', '.join(entity.names)}{part}")

    @entities.command()
    @click.argument("entity_id")
    @click.pass_context
    def show(ctx: click.Context, entity_id: str) -> None:
        """An entity, its revision, and every claim and entity that uses it."""
        found = curator(ctx)
        entity, revision = run(lambda: found.entity(entity_id))
        click.echo(f"# revision {revision}")
        click.echo(yaml.safe_dump(entity.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                                  allow_unicode=True, width=100).rstrip())
        uses = found.entity_uses(entity_id)
        click.echo("used by: " + ("—" if not uses else ""))
        for use in uses:
            click.echo(f"  {use}")

    @entities.command()
    @click.option("--id", "entity_id", required=True, help="lowercase-with-dashes, e.g. new-zealand")
    @click.option("--kind", type=click.Choice(KINDS), required=True,
                  help="country, place (a city, a region), person, org (an agency, a company), group.")
    @click.option("--name", "names", multiple=True, required=True,
                  help="A name text may call it (repeatable; the first is its display name).")
    @click.option("--part-of", default=None, help="Entities it lies in or belongs to, comma-separated ids.")
    @actor_option
    @click.pass_context
    def add(ctx: click.Context, entity_id: str, kind: str, names: tuple[str, ...], part_of: str | None,
            actor: str) -> None:
        """Add an entity."""
        found = curator(ctx)
        data = {"id": entity_id, "kind": kind, "names": list(names), "part_of": _listed(part_of) or []}
        done(run(lambda: found.add_entity(actor, data)))

    @entities.command()
    @click.argument("entity_id")
    @click.option("--kind", type=click.Choice(KINDS), default=None)
    @click.option("--part-of", default=None, help="Comma-separated ids ('' for none).")
    @actor_option
    @click.pass_context
    def edit(ctx: click.Context, entity_id: str, kind: str | None, part_of: str | None, actor: str) -> None:
        """Change an entity's kind or what it is part of (names: `entities alias`)."""
        found = curator(ctx)
        done(run(lambda: found.edit_entity(actor, entity_id, kind=kind, part_of=_listed(part_of))))

    @entities.command()
    @click.argument("action", type=click.Choice(["add", "remove"]))
    @click.argument("entity_id")
    @click.argument("name")
    @actor_option
    @click.pass_context
    def alias(ctx: click.Context, action: str, entity_id: str, name: str, actor: str) -> None:
        """Add or remove a name of an entity (a name means one entity only; an entity keeps one)."""
        found = curator(ctx)
        if action == "add":
            done(run(lambda: found.add_entity_name(actor, entity_id, name)))
        else:
            done(run(lambda: found.remove_entity_name(actor, entity_id, name)))

    @entities.command()
    @click.argument("entity_id")
    @reason_option
    @actor_option
    @click.pass_context
    def remove(ctx: click.Context, entity_id: str, reason: str | None, actor: str) -> None:
        """Remove an entity no claim or entity uses (refused, saying which, while any does)."""
        found = curator(ctx)
        done(run(lambda: found.remove_entity(actor, entity_id, reason=reason)))

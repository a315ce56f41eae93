"""The operator's commands for workspaces: who sees which claim base, and who curates it.

    crosscheck workspace list|show|create|attach|detach|curators
"""

from __future__ import annotations

import getpass
import sys

import click

from claims.store import DEFAULT, SHIPPED, StoreError, WorkspaceError, server_workspace_id

EXIT_REFUSED = 2


def _store(ctx: click.Context):
    from bot.cli import open_service

    service = open_service(None, None)
    ctx.call_on_close(service.close)
    return service


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _run(action):
    try:
        return action()
    except WorkspaceError as exc:
        click.echo(f"refused, nothing was changed: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(3)


def register(main: click.Group) -> None:
    """Add the workspace commands to the CLI."""

    @main.group()
    def workspace() -> None:
        """Workspaces: each owns a claim base; servers use their own or a shared one."""

    @workspace.command("list")
    @click.pass_context
    def list_(ctx: click.Context) -> None:
        """Every workspace: its kind, what it inherits, its servers and how much it holds itself."""
        service = _store(ctx)
        store = service.store
        own = {ws: len(store.objects.own(ws)) for ws in store.objects.workspaces_with_rows()}
        servers: dict[str, list[str]] = {}
        for guild, ws in store.workspaces.servers():
            servers.setdefault(ws, []).append(guild)
        for ws in store.workspaces.all():
            parent = f" ← {ws.parent}" if ws.parent else ""
            attached = servers.get(ws.id, [])
            where = f", {len(attached)} server{'s' if len(attached) != 1 else ''}" if attached else ""
            click.echo(f"{ws.id:<28} {ws.kind:<8}{parent:<14} {own.get(ws.id, 0)} own objects{where}  {ws.name}")

    @workspace.command()
    @click.argument("workspace_id")
    @click.pass_context
    def show(ctx: click.Context, workspace_id: str) -> None:
        """One workspace: its chain, its servers, its curators, what it holds."""
        store = _store(ctx).store
        ws = _run(lambda: store.workspaces.require(workspace_id))
        chain = store.workspaces.chain(ws.id)
        base = store.objects.load(chain)
        click.echo(f"{ws.id} ({ws.kind}): {ws.name}")
        click.echo(f"  sees: {' ← '.join(chain)}")
        click.echo(f"  base: {len(base.claims)} claims, {len(base.outlets)} outlets, {len(base.articles)} articles, "
                   f"{len(base.entities)} entities; {len(store.objects.own(ws.id))} of its own rows")
        if ws.home_guild:
            click.echo(f"  home server: {ws.home_guild}")
        servers = [guild for guild, _ in store.workspaces.servers(ws.id)]
        click.echo(f"  servers: {', '.join(servers) or '—'}")
        curators = store.workspaces.curators(ws.id)
        if ws.kind == "shared":
            names = ", ".join(f"{c.subject_kind} {c.subject_id}" for c in curators)
            click.echo(f"  curators: {names or '— (only the terminal can change it)'}")
        elif ws.kind == "server":
            click.echo("  curators: that server's moderators")

    @workspace.command()
    @click.argument("workspace_id")
    @click.option("--name", default=None, help="A readable name.")
    @click.option("--from", "parent", default=DEFAULT, show_default=True, metavar="WORKSPACE|empty",
                  help="What it starts from and keeps inheriting: a workspace, or `empty` for a blank base.")
    @click.option("--home-server", default=None, metavar="GUILD_ID", help="Where its curator roles live.")
    @click.pass_context
    def create(ctx: click.Context, workspace_id: str, name: str | None, parent: str,
               home_server: str | None) -> None:
        """Create a shared workspace (attach servers to it with `attach`)."""
        store = _store(ctx).store

        def go():
            with store.transaction() as tx:
                return store.workspaces.create(tx, workspace_id, name=name or workspace_id, kind="shared",
                                               parent=None if parent == "empty" else parent,
                                               home_guild=home_server, by=_by())

        ws = _run(go)
        click.echo(f"created workspace {ws.id}" + (f", inheriting {ws.parent}" if ws.parent else ", empty"))

    @workspace.command()
    @click.argument("workspace_id")
    @click.option("--server", "guild_id", required=True, metavar="GUILD_ID")
    @click.pass_context
    def attach(ctx: click.Context, workspace_id: str, guild_id: str) -> None:
        """Make a server answer from WORKSPACE_ID (its own workspace stays, unused)."""
        store = _store(ctx).store

        def go():
            with store.transaction() as tx:
                store.workspaces.attach(tx, guild_id, workspace_id, _by())

        _run(go)
        click.echo(f"server {guild_id} now uses workspace {workspace_id}")

    @workspace.command()
    @click.option("--server", "guild_id", required=True, metavar="GUILD_ID")
    @click.pass_context
    def detach(ctx: click.Context, guild_id: str) -> None:
        """Give a server back its own workspace."""
        store = _store(ctx).store
        own = server_workspace_id(guild_id)

        def go():
            with store.transaction() as tx:
                if store.workspaces.get(own, tx) is None:
                    store.workspaces.create(tx, own, name=f"Server {guild_id}", kind="server", parent=DEFAULT,
                                            home_guild=guild_id, by=_by())
                store.workspaces.attach(tx, guild_id, own, _by())

        _run(go)
        click.echo(f"server {guild_id} uses its own workspace {own} again")

    @workspace.command()
    @click.argument("workspace_id")
    @click.argument("action", type=click.Choice(["add", "remove", "list"]))
    @click.option("--user", "user_id", default=None, metavar="USER_ID")
    @click.option("--role", "role_id", default=None, metavar="ROLE_ID", help="A role of the home server.")
    @click.option("--home-server", default=None, metavar="GUILD_ID", help="Set the home server first.")
    @click.pass_context
    def curators(ctx: click.Context, workspace_id: str, action: str, user_id: str | None, role_id: str | None,
                 home_server: str | None) -> None:
        """Name who curates a shared workspace: users anywhere, or a role of its home server."""
        store = _store(ctx).store
        if action == "list":
            for c in store.workspaces.curators(workspace_id):
                click.echo(f"{c.subject_kind} {c.subject_id}")
            return
        if bool(user_id) == bool(role_id):
            raise click.UsageError("give exactly one of --user or --role")
        kind, subject = ("user", user_id) if user_id else ("role", role_id)
        assert subject is not None

        def go():
            with store.transaction() as tx:
                if home_server:
                    store.workspaces.set_home(tx, workspace_id, home_server)
                if action == "add":
                    store.workspaces.add_curator(tx, workspace_id, kind, subject, _by())
                    return True
                return store.workspaces.remove_curator(tx, workspace_id, kind, subject)

        done = _run(go)
        click.echo(f"{'added' if action == 'add' else 'removed' if done else 'was not a curator:'} {kind} {subject}"
                   f" {'to' if action == 'add' else 'of'} {workspace_id}")


__all__ = ["SHIPPED", "register"]

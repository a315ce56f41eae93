"""Workspaces: what one server changes reaches only those who use its base; every process
sees every edit at its next check; bases not edited are shared, not copied."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from claims.curate import ConflictError, CurationError, Curator
from claims.service import Crosscheck
from claims.store import DEFAULT, SHIPPED, Where
from tests.conftest import TODAY

REPO = Path(__file__).resolve().parents[2]
DEFEATED = "ISIS was defeated in Iraq in 2017"
DEFEATED_CLAIM = "isis-defeated-iraq-2017"
ALIAS = "GIs in Syria number about nine hundred"


def answered_by(service: Crosscheck, statement: str, guild: str | None = None) -> str | None:
    """The claim that answers a statement there (None: no match)."""
    claim = service.check(statement, guild_id=guild).reply.claim
    return claim.id if claim else None


def test_a_servers_edits_reach_only_that_server(service: Crosscheck) -> None:
    attacker = Curator(service, guild_id="666")
    attacker.set_status("discord:1:owner", DEFEATED_CLAIM, "retired", "mine now")
    attacker.rerate_outlet("discord:1:owner", "iswnews", "false_content", "yes", "trust me")
    attacker.add_alias("discord:1:owner", "troops-in-syria", ALIAS)
    assert answered_by(service, DEFEATED, "666") != DEFEATED_CLAIM
    assert answered_by(service, DEFEATED, "111") == DEFEATED_CLAIM
    assert answered_by(service, DEFEATED) == DEFEATED_CLAIM
    assert service.engine_for("guild-111").base.outlets["iswnews"].criteria["false_content"].rating != "yes"
    assert ALIAS not in service.engine_for("guild-111").base.claims["troops-in-syria"].aliases


def test_a_server_cannot_undo_or_see_the_history_of_another_servers_changes(service: Crosscheck) -> None:
    mine = Curator(service, guild_id="111").add_alias("discord:2:mod", "troops-in-syria", ALIAS)
    other = Curator(service, guild_id="666")
    with pytest.raises(CurationError, match="no change #"):
        other.undo("discord:1:owner", mine.audit_id)
    assert other.history("troops-in-syria") == []
    assert ALIAS in service.engine_for("guild-111").base.claims["troops-in-syria"].aliases


def test_each_server_has_its_own_review_queue(service: Crosscheck) -> None:
    service.check("Are Washington's GIs garrisoned next door in Syria?", guild_id="111", user_id="a")
    service.check("Bitcoin will reach 100k", guild_id="666", user_id="b")
    assert [g.statement for g in Curator(service, guild_id="666").review_queue()] == ["Bitcoin will reach 100k"]
    with pytest.raises(CurationError, match="no open review item"):
        Curator(service, guild_id="666").dismiss("discord:1:owner", 1)
    assert len(Curator(service, guild_id="111").review_queue()) == 1


def test_the_shipped_base_is_read_only(service: Crosscheck) -> None:
    with pytest.raises(CurationError, match="read-only"):
        Curator(service, workspace_id=SHIPPED).add_alias("cli:op", "troops-in-syria", ALIAS)


def test_the_operators_default_reaches_every_server_that_did_not_change_the_same_claim(service: Crosscheck) -> None:
    Curator(service, guild_id="111").add_alias("discord:2:mod", "troops-in-syria", "GIs garrisoned in Syria")
    Curator(service).set_status("cli:op", DEFEATED_CLAIM, "retired", "superseded")
    Curator(service).add_alias("cli:op", "troops-in-syria", ALIAS)
    for guild in ("111", "222"):
        assert answered_by(service, DEFEATED, guild) != DEFEATED_CLAIM
    assert ALIAS in service.engine_for("guild-222").base.claims["troops-in-syria"].aliases
    # Server 111 changed that claim itself: its version stands.
    assert ALIAS not in service.engine_for("guild-111").base.claims["troops-in-syria"].aliases


def test_a_thousand_servers_that_never_edited_share_one_engine(service: Crosscheck) -> None:
    for guild in range(1000, 2000):
        service.workspace_of(str(guild))
    engines = {id(service.engine_for(service.workspace_of(str(g)))) for g in range(1000, 2000, 37)}
    assert len(engines) == 1
    assert service.engines.loaded() == 1
    Curator(service, guild_id="1500").add_alias("discord:3:mod", "troops-in-syria", ALIAS)
    assert service.engine_for("guild-1500") is not service.engine_for("guild-1501")
    assert service.engines.loaded() == 2


def test_an_outlet_rerated_meanwhile_elsewhere_is_built_upon_not_overwritten(db_path: Path) -> None:
    first = Crosscheck.open(db_path, today=TODAY)
    second = Crosscheck.open(db_path, today=TODAY)
    try:
        stale = Curator(second)
        assert stale.base.outlets["iswnews"].criteria["authors"].rating != "yes"  # loaded before the edit
        Curator(first).rerate_outlet("cli:op", "iswnews", "authors", "yes", "bylines added")
        stale.rerate_outlet("discord:2:mod", "iswnews", "corrections", "partly", "a corrections page now")
        outlet = Crosscheck.open(db_path, today=TODAY).engine.base.outlets["iswnews"]
        assert (outlet.criteria["authors"].rating, outlet.criteria["corrections"].rating) == ("yes", "partly")
    finally:
        first.close()
        second.close()


def test_concurrent_rerating_from_many_threads_loses_no_update(db_path: Path) -> None:
    services = [Crosscheck.open(db_path, today=TODAY) for _ in range(4)]
    criteria = ["false_content", "responsible", "corrections", "news_opinion", "headlines", "ownership", "ads",
                "management"]
    errors: list[str] = []

    def rate(index: int) -> None:
        try:
            for criterion in criteria[index::4]:
                Curator(services[index]).rerate_outlet(f"mod{index}", "iswnews", criterion, "partly", "checked")
        except Exception as exc:  # collected: an assert in a thread would not fail the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=rate, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        outlet = services[0].engine.base.outlets["iswnews"]
        assert all(outlet.criteria[c].rating == "partly" for c in criteria)
    finally:
        for svc in services:
            svc.close()


def test_a_stale_edit_of_a_claim_is_refused_across_processes(db_path: Path) -> None:
    first = Crosscheck.open(db_path, today=TODAY)
    second = Crosscheck.open(db_path, today=TODAY)
    try:
        _, shown = Curator(second).claim("troops-in-syria")
        Curator(first).edit_claim("cli:op", "troops-in-syria", shown, statement="Roughly 900 U.S. troops are in Syria.")
        with pytest.raises(ConflictError, match="was changed by someone else"):
            Curator(second).edit_claim("discord:2:mod", "troops-in-syria", shown,
                                       statement="Some U.S. troops are in Syria today.")
    finally:
        first.close()
        second.close()


def test_an_edit_from_another_process_is_seen_at_the_next_check(db_path: Path) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    try:
        assert answered_by(service, DEFEATED, "111") == DEFEATED_CLAIM
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--db", str(db_path), "claims", "retire", DEFEATED_CLAIM,
             "--reason", "superseded"], capture_output=True, text=True, cwd=REPO, timeout=120)
        assert result.returncode == 0, result.stderr
        assert answered_by(service, DEFEATED, "111") != DEFEATED_CLAIM
        assert answered_by(service, DEFEATED) != DEFEATED_CLAIM
    finally:
        service.close()


def test_a_workspace_made_empty_answers_nothing_until_curated(service: Crosscheck) -> None:
    with service.store.transaction() as tx:
        service.store.workspaces.create(tx, "quakes", name="Earthquakes", kind="shared", parent=None)
        service.store.workspaces.attach(tx, "333", "quakes", "cli:op")
    reply = service.check(DEFEATED, guild_id="333").reply
    assert reply.verdict == "no_match"
    assert service.store.checks.between(Where("333"))[0]["workspace_id"] == "quakes"
    assert service.check(DEFEATED, guild_id="111").reply.verdict == "supported"


def test_the_cli_names_its_workspace(service: Crosscheck) -> None:
    assert service.workspace_id == DEFAULT
    with pytest.raises(Exception, match="no workspace 'nope'"):
        Crosscheck.open(service.store.path, workspace_id="nope")

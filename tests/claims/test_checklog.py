"""Check log rows written in the background: ids known at once and never shared between
processes, every row written by a flush or a close, a row for every answer."""

from __future__ import annotations

import threading
from pathlib import Path

from claims.checklog import ID_BLOCK, CheckLogWriter
from claims.service import Crosscheck
from claims.store import Where
from tests.conftest import TODAY


def test_a_check_has_its_id_at_once_and_its_row_after_a_flush(db_path: Path | str) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    service.log_in_background()
    try:
        checked = service.check("ISIS was defeated in Iraq in 2017", guild_id="1", user_id="u")
        assert checked.check_id is not None
        service.flush_log()
        row = service.store.checks.get(checked.check_id)
        assert row is not None and row["verdict"] == "supported" and row["guild_id"] == "1"
        assert service.logged_check(checked.check_id) == row
    finally:
        service.close()


def test_closing_writes_what_was_still_queued(db_path: Path | str) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    service.log_in_background()
    ids = [service.check(f"US troops leave Iraq in 2026 ({n})", guild_id="1").check_id for n in range(50)]
    service.close()
    reopened = Crosscheck.open(db_path, today=TODAY)
    try:
        assert sorted(r["id"] for r in reopened.store.checks.between(Where("1"))) == sorted(ids)
    finally:
        reopened.close()


def test_two_processes_logging_at_once_never_share_an_id(db_path: Path | str) -> None:
    services = [Crosscheck.open(db_path, today=TODAY) for _ in range(2)]
    services[0].log_in_background()  # one in the background, one the terminal's way
    ids: list[int] = []
    lock = threading.Lock()

    def ask(service: Crosscheck, n: int) -> None:
        for i in range(ID_BLOCK + 10):  # past one block of ids
            checked = service.check(f"The US has troops in Syria ({n}/{i})", guild_id=str(n))
            with lock:
                ids.append(checked.check_id)

    threads = [threading.Thread(target=ask, args=(s, n)) for n, s in enumerate(services)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for service in services:
        service.close()
    assert None not in ids and len(set(ids)) == len(ids) == 2 * (ID_BLOCK + 10)


def test_a_writer_reserves_ids_a_block_at_a_time(db_path: Path | str) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    writer = CheckLogWriter(service.store)
    try:
        reply = service.engine.check("good morning everyone")
        first = [writer.submit(reply, workspace_id="default") for _ in range(3)]
        assert first == list(range(first[0], first[0] + 3))
        writer.flush()
        assert not writer.pending(first[0])
    finally:
        writer.close()
        service.close()

"""The bot logs checks from worker threads that share one connection: none may be lost."""

from __future__ import annotations

import threading
from pathlib import Path

from claims.service import Crosscheck
from tests.conftest import TODAY


def test_checks_and_feedback_from_many_threads_are_all_recorded(db_path: Path) -> None:
    service = Crosscheck.open(db_path, today=TODAY)
    errors: list[str] = []

    def ask(user: int) -> None:
        try:
            for n in range(10):
                checked = service.check(f"US troops will leave Iraq in 2026 ({user}/{n})", user_id=str(user))
                assert checked.check_id is not None
                service.store.checks.record_feedback(checked.check_id, str(user), helpful=n % 2 == 0)
        except Exception as exc:  # collected: an assert in a thread would not fail the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=ask, args=(user,)) for user in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert service.store.db.scalar("SELECT count(*) FROM checks") == 120
        assert service.store.db.scalar("SELECT count(*) FROM feedback") == 120
    finally:
        service.close()

"""Per-member rate limits in the database: they hold across processes, per server."""

from __future__ import annotations

import threading
from pathlib import Path

from claims.store import Store


def test_a_member_is_limited_in_a_window_and_free_again_after_it(db_path: Path | str) -> None:
    store = Store(db_path)
    try:
        assert [store.cooldowns.hit("1", "u", rate=2, per=30, now=100 + i) for i in range(3)] == [None, None, 28.0]
        assert store.cooldowns.hit("1", "u", rate=2, per=30, now=131) is None
        assert store.cooldowns.hit("2", "u", rate=2, per=30, now=102) is None  # another server: its own limit
    finally:
        store.close()


def test_the_limit_holds_across_processes_hitting_at_once(db_path: Path | str) -> None:
    stores = [Store(db_path) for _ in range(3)]
    allowed: list[bool] = []
    lock = threading.Lock()

    def ask(store: Store) -> None:
        for _ in range(10):
            ok = store.cooldowns.hit("1", "u", rate=5, per=3600) is None
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=ask, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert sum(allowed) == 5 and len(allowed) == 30

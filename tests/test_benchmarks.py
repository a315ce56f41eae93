"""Small runs of the benchmarks that have no test of their own: they must keep working as the
engine and the curation rules change (a bench that broke was found only when it was needed)."""

from __future__ import annotations

from benchmarks.workspaces import measure_edit, measure_servers


def test_the_workspaces_benchmark_sees_each_edit_at_the_next_check() -> None:
    report = measure_edit(300, 3)
    assert report["visible_at_next_check"] == "3/3"
    assert report["first_check_after_edit_ms_p99"] > 0


def test_the_workspaces_benchmark_counts_engines_shared_by_servers() -> None:
    report = measure_servers(20, 2)
    assert (report["engines_unedited"], report["engines_after_edits"]) == (1, 3)

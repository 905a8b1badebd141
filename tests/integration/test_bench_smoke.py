"""dckg's own part of the benchmark at 10k rows, so that bench/run.py cannot rot."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import run as bench


def test_the_benchmark_runs_at_10k_rows_without_baselines() -> None:
    results = bench.run([10_000], repeat=1, baselines=False, load_max=0)
    text = "\n".join(results.rows)
    assert "| 10,000 | dckg `kg build --formats nt,ttl`" in text
    assert "130,000 table triples" in text
    assert "bytes identical to dckg's: yes" in text  # the ceiling writes what dckg writes
    assert "dckg/ceiling = " in text and "n/a" not in text  # each ratio once both are known
    # Every stored query answers something on the smallest table, or the run fails.
    assert results.failures == []
    assert "| indicator-values | indicator=bench-ind-01 | 3070 |" in text  # one per coded area
    assert "| area-vs-national | area=bench-p1, country=id:area/bench-land |" in text
    assert "| indicator-values | 3070 |" in text  # the in-process table
    assert "| top10-lists |" in text


def test_a_slow_or_empty_query_fails_the_run() -> None:
    import query_times

    slow = query_times.QueryTime("slow", "12", (2.5, 2.4, 2.6))
    empty = query_times.QueryTime("empty", "0", (0.5,))
    false = query_times.QueryTime("ask", "false", (0.5,))
    fast = query_times.QueryTime("fast", "3", (1.9, 2.1, 1.8))
    assert query_times.failures(1_000_000, 10_000, [slow, fast]) == [
        "slow: 2.50 s at 1,000,000 rows (over 2 s)"
    ]
    assert query_times.failures(10_000, 10_000, [slow, empty, false, fast]) == [
        "empty: empty answer at 10,000 rows",
        "ask: empty answer at 10,000 rows",
    ]


def test_results_section_is_replaced_in_place(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "RESULTS.md"
    path.write_text("# Benchmark results\n\nother section\n", encoding="utf-8")
    bench.write_section(path, "first\n")
    bench.write_section(path, "second\n")
    text = path.read_text(encoding="utf-8")
    assert "other section" in text and "second" in text and "first" not in text
    assert text.count(bench.START) == 1

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
    assert "| indicator-values | 3069 |" in text  # bench-ind-01: one row per coded area
    assert "| area-statements |" in text
    assert "| top10-lists |" in text


def test_results_section_is_replaced_in_place(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "RESULTS.md"
    path.write_text("# Benchmark results\n\nother section\n", encoding="utf-8")
    bench.write_section(path, "first\n")
    bench.write_section(path, "second\n")
    text = path.read_text(encoding="utf-8")
    assert "other section" in text and "second" in text and "first" not in text
    assert text.count(bench.START) == 1

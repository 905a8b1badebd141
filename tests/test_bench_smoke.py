"""dckg's own part of the benchmark at 10k rows, so that bench/run.py cannot rot."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import run as bench


def test_the_benchmark_runs_at_10k_rows_without_baselines() -> None:
    rows = bench.run([10_000], repeat=1, baselines=False)
    text = "\n".join(rows)
    assert "| 10,000 | dckg `kg build`" in text
    assert "130,000 table triples" in text
    assert "(ceiling)" in text and "`kg query indicator-values`" in text


def test_results_section_is_replaced_in_place(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "RESULTS.md"
    path.write_text("# Benchmark results\n\nother section\n", encoding="utf-8")
    bench.write_section(path, "first\n")
    bench.write_section(path, "second\n")
    text = path.read_text(encoding="utf-8")
    assert "other section" in text and "second" in text and "first" not in text
    assert text.count(bench.START) == 1

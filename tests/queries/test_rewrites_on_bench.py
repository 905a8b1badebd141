"""The stored queries rewritten for big tables answer as their plain formulations did.

``oracles/NAME.rq`` is the query as first written: the straightforward text, which Oxigraph
runs far too slowly on a million table rows. On the curated data the expected answers of
``expected/`` pin each rewrite (test_queries.py); here each rewrite and its oracle run on the
benchmark's 10,000-row project (bench/generator.py: made-up areas, indicators, sources and a
table beside the curated data), where the table's rows are among the answers. Building that
project takes a minute or more, so the test is marked ``bench`` (run it with
``pytest -m bench tests/queries/test_rewrites_on_bench.py``; ``KG_BENCH_PROJECT=DIR`` uses a
10k-row project already built there, such as bench/run.py's).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import REPO, normalised_answer
from kg import queries
from kg.pipeline import build_project
from kg.project import find_project
from kg.store import open_store

sys.path.insert(0, str(REPO / "bench"))

from generator import make_project
from query_times import PARAMS

ORACLES = Path(__file__).resolve().parent / "oracles"
CASES = sorted(p.stem for p in ORACLES.glob("*.rq"))
ROWS = 10_000

# Besides the benchmark's own parameters: a search that finds a table's own label (it lives
# in the table's graph), the other plan, the area queries on a curated area.
EXTRA: list[tuple[str, dict[str, str]]] = [
    ("search-labels", {"text": "statistics"}),
    ("search-labels", {"text": "带宽"}),
    ("plan-period-facts", {"plan": "13th-five-year-plan"}),
    ("indicator-values", {}),
    ("area-vs-national", {}),
]


@pytest.fixture(scope="module")
def bench_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built 10k-row project's out folder."""
    if os.environ.get("KG_BENCH_PROJECT"):
        return Path(os.environ["KG_BENCH_PROJECT"]) / "out"
    folder = tmp_path_factory.mktemp("bench") / "project"
    make_project(folder, ROWS, curated=True)
    return build_project(find_project(explicit=folder)).out_dir


def _answer(out: Path, text: str) -> str:
    return normalised_answer(queries.run_local(open_store(out / "store"), text))


def test_every_rewrite_has_its_oracle_in_the_stored_queries() -> None:
    stored = {q.name for q in queries.list_queries(REPO / "queries")}
    assert CASES and set(CASES) <= stored


@pytest.mark.bench
@pytest.mark.parametrize(
    ("name", "params"),
    [(name, PARAMS.get(name, {})) for name in CASES] + EXTRA,
    ids=[*CASES, *(f"{n}-{'-'.join(p.values()) or 'defaults'}" for n, p in EXTRA)],
)
def test_rewrite_answers_as_its_oracle_on_10k_rows(
    name: str, params: dict[str, str], bench_built: Path
) -> None:
    stored = queries.find_query(REPO / "queries", name)
    oracle = queries.load_query(ORACLES / f"{name}.rq")
    mine = _answer(bench_built, queries.bind(stored, params))
    expected = _answer(bench_built, queries.bind(oracle, params))
    assert len(expected.splitlines()) > 1 or expected == "true\n", f"{name}: nothing to compare"
    assert mine == expected

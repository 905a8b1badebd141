"""Each stored query on a built graph: dckg's runner, pyoxigraph directly, and rdflib.

    python bench/queries_bench.py OUT_DIR QUERIES_DIR [--repeat 3] [--rdflib] [--param [QUERY:]k=v ...]

Prints one tab-separated line per query: name, rows, dckg seconds (``kg.queries.run_local``
on ``OUT_DIR/store``, results collected into dckg's terms), pyoxigraph seconds (the same
bound text through ``Store.query``, results listed), rdflib seconds (``OUT_DIR/kg.nt`` parsed
into one Graph, the query's union default graph, then ``Graph.query``; "-" without --rdflib,
"timeout" past --rdflib-timeout). Each figure is the median of --repeat runs in this process
(one run where the first took over 20 s).
The SERVICE query (wikidata-code-check) is skipped: it needs the network.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from kg.errors import InputError
from kg.queries import QueryResult, bind, list_queries, run_local

SKIPPED = {"wikidata-code-check"}  # SERVICE to Wikidata: not a local measurement


SLOW = 20.0  # seconds: a query slower than this once is not run again (median of 1)


def median_seconds(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times: list[float] = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        if times[-1] > SLOW:
            break
    return statistics.median(times), result


class Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise Timeout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib", action="store_true")
    parser.add_argument("--rdflib-timeout", type=int, default=120)
    parser.add_argument("--param", action="append", default=[])
    args = parser.parse_args()
    params: dict[str, dict[str, str]] = {}  # query name ("" for every query) -> its values
    for item in args.param:
        key, value = item.split("=", 1)
        name, _, key = key.rpartition(":")
        params.setdefault(name, {})[key] = value
    store = pyoxigraph.Store.read_only(str(args.out / "store"))
    graph = None
    if args.rdflib:
        from rdflib import Graph

        started = time.perf_counter()
        graph = Graph()
        graph.parse(args.out / "kg.nt", format="nt")
        print(f"# rdflib parse\t{len(graph)}\t{time.perf_counter() - started:.2f}", flush=True)
    signal.signal(signal.SIGALRM, _alarm)
    for query in list_queries(args.queries):
        if query.name in SKIPPED:
            continue
        given = {**params.get("", {}), **params.get(query.name, {})}
        mine = {k: v for k, v in given.items() if any(p.name == k for p in query.parameters)}
        try:
            text = bind(query, mine)
        except InputError as error:
            print(f"# {query.name}: {error}", file=sys.stderr)
            continue
        dckg_s, result = median_seconds(
            args.repeat, lambda text=text, name=query.name: run_local(store, text, name)
        )
        assert isinstance(result, QueryResult)
        rows = result.triples if result.form in ("CONSTRUCT", "DESCRIBE") else len(result.rows)
        direct_s, _ = median_seconds(
            args.repeat,
            lambda text=text: _listed(store.query(text, use_default_graph_as_union=True)),
        )
        rdflib_text = "-"
        if graph is not None:
            signal.alarm(args.rdflib_timeout)
            try:
                seconds, _ = median_seconds(1, lambda text=text: list(graph.query(text)))
                rdflib_text = f"{seconds:.3f}"
            except Timeout:
                rdflib_text = "timeout"
            except Exception as error:  # rdflib's SPARQL fails on some queries: say which
                rdflib_text = f"error ({type(error).__name__})"
            finally:
                signal.alarm(0)
        print(f"{query.name}\t{rows}\t{dckg_s:.3f}\t{direct_s:.3f}\t{rdflib_text}", flush=True)


def _listed(result: object) -> object:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return bool(result)
    return list(result)  # type: ignore[call-overload]


if __name__ == "__main__":
    main()

"""Measure `kg load` upload speed into real stores for a synthetic graph of N triples.

    .venv/bin/python bench/load_big.py --triples 1000000 [--stores oxigraph,virtuoso]

Writes a store holding one named graph of N synthetic triples (test namespace
https://example.org/dckg-bench/, made-up values), starts each store on 127.0.0.1 in a
temporary folder, loads with `kg.load.load` (staging graph + MOVE), and prints triples per
second for the upload and for the whole replace (upload + count + switch + count).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "tests" / "integration"))

from stores import oxigraph, virtuoso  # noqa: E402

from kg import load as loading  # noqa: E402

NS = "https://example.org/dckg-bench/"
GRAPH = "https://example.org/dckg-bench/graph/synthetic"


def synthetic_store(folder: Path, triples: int) -> Path:
    path = folder / "store"
    store = pyoxigraph.Store(str(path))
    graph = pyoxigraph.NamedNode(GRAPH)
    value = pyoxigraph.NamedNode(NS + "value")
    area = pyoxigraph.NamedNode(NS + "area")
    integer = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def quads():
        for i in range(triples // 2):
            subject = pyoxigraph.NamedNode(f"{NS}obs/{i}")
            yield pyoxigraph.Quad(
                subject, value, pyoxigraph.Literal(str(i * 7 % 100003), datatype=integer), graph
            )
            yield pyoxigraph.Quad(
                subject, area, pyoxigraph.NamedNode(f"{NS}area/{i % 3000}"), graph
            )

    store.bulk_extend(quads())
    store.flush()
    del store
    return path


def measure(name: str, target: loading.Target, path: Path, chunk: int) -> None:
    uploaded: list[float] = []
    started = time.perf_counter()

    def progress(graph: str, done: int, total: int) -> None:
        if done == total:
            uploaded.append(time.perf_counter() - started)

    report = loading.load(path, target, chunk_size=chunk, progress=progress)
    upload = uploaded[0] if uploaded else report.seconds
    print(
        f"| {name} | {report.triples:,} | {chunk:,} | {upload:.1f} s | {report.triples / upload:,.0f} | "
        f"{report.seconds:.1f} s | {report.triples_per_second:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, python {platform.python_version()}")
    print(
        "| store | triples | chunk | upload | upload triples/s | replace (upload+count+MOVE+count) | overall triples/s |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = synthetic_store(folder, args.triples)
        if "oxigraph" in args.stores:
            with oxigraph(folder / "oxigraph") as (store, _process):
                measure(
                    "Oxigraph 0.5 (oxigraph serve)",
                    loading.Target(
                        gsp=store.gsp, sparql=store.sparql, update=store.update, timeout=3600
                    ),
                    path,
                    args.chunk,
                )
        if "virtuoso" in args.stores:
            with virtuoso(folder / "virtuoso", password="bench") as store:
                target = loading.Target(
                    gsp=store.gsp,
                    sparql=store.sparql,
                    update=store.update,
                    user="dba",
                    password="bench",
                    auth="digest",
                    timeout=3600,
                )
                measure("Virtuoso 7.2 (Debian)", target, path, args.chunk)


if __name__ == "__main__":
    main()

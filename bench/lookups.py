"""A lookup from a bound IRI, on a built store as the build leaves it and compacted.

    .venv/bin/python bench/lookups.py PROJECT/out/store [--lookups 5000] [--repeat 2]

Times `quads_for_pattern(statement, dckg:value, None, None)` for random statements of the
benchmark's table (bench/generator.py's `bench-table`), in process, CPU time per lookup, on the
store as `kg build` leaves it (not compacted: docs/benchmarks.md), then on a copy of it that
`Store.optimize()` compacted (the copy is removed afterwards). Needs the disk for one more copy
of the store (4 GB at 1M rows).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph

STATEMENT = "https://w3id.org/dckg/id/statement/table/bench-table/r"
VALUE = pyoxigraph.NamedNode("https://w3id.org/dckg/ontology#value")


def per_lookup(store: Path, rows: list[int]) -> float:
    """CPU microseconds a lookup, the store opened read-only."""
    opened = pyoxigraph.Store.read_only(str(store))
    started = time.process_time()
    for row in rows:
        list(opened.quads_for_pattern(pyoxigraph.NamedNode(f"{STATEMENT}{row}"), VALUE, None, None))
    return (time.process_time() - started) / len(rows) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rows", type=int, default=1_000_000, help="the table's rows")
    args = parser.parse_args()
    rows = random.Random(7).choices(range(2, args.rows + 2), k=args.lookups)
    with tempfile.TemporaryDirectory(dir=args.store.parent) as tmp:
        compacted = Path(tmp) / "store"
        shutil.copytree(args.store, compacted)
        pyoxigraph.Store(str(compacted)).optimize()
        for name, store in (("as built", args.store), ("compacted", compacted)):
            files = sum(1 for _ in store.iterdir())
            times = ", ".join(f"{per_lookup(store, rows):.0f}" for _ in range(args.repeat))
            print(f"{name}: {times} us of CPU a lookup ({args.lookups} lookups; {files} files)")


if __name__ == "__main__":
    main()

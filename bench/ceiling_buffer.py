"""The nt,ttl build against the pure-write ceiling written 8 KiB and 1 MiB a write call.

    .venv/bin/python bench/ceiling_buffer.py [--rows 1m] [--repeat 3]

dckg writes kg.nt and statements.csv 1 MiB a write call (kg.streaming.WRITE_BUFFER); the
ceiling of bench/run.py writes with Python's default buffer (8 KiB). This runs dckg's
`kg build --formats nt,ttl` and both ceilings in turns (dckg, 8 KiB, 1 MiB, dckg, ...), each
a whole process on a quiet disk, on bench/run.py's generated project, and prints the medians
and the ratios to each ceiling, so that the part of the ratio that is the buffer shows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    CEILING_TEXT,
    HERE,
    KG,
    PY,
    make_project,
    measure,
    measure_fresh,
    parse_size,
    scratch_folder,
    settled,
)

OPEN = 'open(out, "w", encoding="utf-8", newline="\\n")'
assert OPEN in CEILING_TEXT  # the ceiling's one write
CEILING_1MIB = CEILING_TEXT.replace(OPEN, OPEN[:-1] + ", buffering=1 << 20)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=parse_size, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as tmp:
        folder = Path(tmp) / "project"
        table = make_project(folder, args.rows)
        out = folder / "out"
        kg = [*KG, "--project", str(folder), "build", "--force", "--formats", "nt,ttl"]
        steps = {
            "dckg nt,ttl": lambda: settled(measure(kg), out),
            "ceiling, 8 KiB writes": lambda: measure_fresh(
                Path(tmp) / "c8.nt", [PY, "-c", CEILING_TEXT, str(table), f"{tmp}/c8.nt", str(HERE)]
            ),
            "ceiling, 1 MiB writes": lambda: measure_fresh(
                Path(tmp) / "c1.nt", [PY, "-c", CEILING_1MIB, str(table), f"{tmp}/c1.nt", str(HERE)]
            ),
        }
        runs: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(args.repeat):
            for name, step in steps.items():
                runs[name].append(step().seconds)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    for name, times in runs.items():
        spread = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name}: median {medians[name]:.2f} s ({spread})")
    for name in list(steps)[1:]:
        print(f"dckg / {name}: {medians['dckg nt,ttl'] / medians[name]:.2f}x")


if __name__ == "__main__":
    main()

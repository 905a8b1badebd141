"""Where a build's time goes: each step `kg build` reports, with the seconds since the start.

    /usr/bin/time -v .venv/bin/python bench/stages.py --project PROJECT [--formats nt,ttl]

Runs the build of the project (always, as `kg build --force`) in this process, printing each
progress step with its time to stderr; run it under `/usr/bin/time -v` for the whole
process's wall time, CPU and peak memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg.outputs import ALL_FORMATS, parse_formats
from kg.pipeline import build_project
from kg.project import find_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path.cwd())
    parser.add_argument("--formats", help="as kg build --formats (default: every format)")
    args = parser.parse_args()
    formats = parse_formats(args.formats) if args.formats else ALL_FORMATS
    started = last = time.perf_counter()

    def progress(step: str) -> None:
        nonlocal last
        now = time.perf_counter()
        print(f"{now - started:8.2f} s (+{now - last:6.2f}) {step}", file=sys.stderr, flush=True)
        last = now

    project = find_project(explicit=args.project)
    build_project(project, progress=progress, formats=formats)
    progress("done")


if __name__ == "__main__":
    main()

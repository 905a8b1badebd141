"""Before and after: one `kg` command from two installs, interleaved, on bench/run.py's project.

    .venv/bin/python bench/interleaved.py --before OLD/.venv/bin/kg [--after .venv/bin/kg]
        [--rows 1m] [--repeat 5] [--formats nt,ttl]

Generates the synthetic project of bench/run.py once (its generator, unchanged), then runs
`kg build --formats FORMATS` with the before and the after executable in turn (before,
after, before, after ...), each a whole process measured with wait4, so that load from other
work on the machine falls on both alike. Checks that both write the same bytes, and prints
each run, the medians, their spread (min-max) and the ratio after/before.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make_project, measure, parse_size  # bench/run.py, as a module


def _digest(folder: Path, names: list[str]) -> dict[str, str]:
    found = {}
    for name in names:
        digest = hashlib.sha256()
        with open(folder / name, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        found[name] = digest.hexdigest()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the old install's kg")
    parser.add_argument("--after", type=Path, default=Path(sys.executable).parent / "kg")
    parser.add_argument("--rows", default="1m")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--formats", default="nt,ttl")
    args = parser.parse_args()
    rows = parse_size(args.rows)
    files = ["statements.csv", *(f"kg.{f}" for f in args.formats.split(",") if f in ("nt", "ttl"))]
    with tempfile.TemporaryDirectory(dir=os.environ.get("KG_BENCH_TMP")) as tmp:
        project = Path(tmp) / "project"
        make_project(project, rows)
        times: dict[str, list[float]] = {"before": [], "after": []}
        memory: dict[str, list[float]] = {"before": [], "after": []}
        digests: dict[str, dict[str, str]] = {}
        for run in range(args.repeat):
            for name, kg in (("before", args.before), ("after", args.after)):
                out = Path(tmp) / f"out-{name}"
                command = [str(kg), "--project", str(project), "build"]
                command += ["--formats", args.formats, "--out", str(out)]
                seconds, mib = measure(command)
                times[name].append(seconds)
                memory[name].append(mib)
                print(f"run {run + 1} {name}: {seconds:.2f} s, {mib:.0f} MiB", flush=True)
                if run == 0:
                    digests[name] = _digest(out, files)
                shutil.rmtree(out)
        same = digests["before"] == digests["after"]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(f"command: kg --project P build --formats {args.formats} --out O ({rows} rows)")
        for name in ("before", "after"):
            values = times[name]
            print(
                f"{name}: median {statistics.median(values):.2f} s "
                f"(min {min(values):.2f}, max {max(values):.2f}), peak {max(memory[name]):.0f} MiB"
            )
        ratio = statistics.median(times["after"]) / statistics.median(times["before"])
        print(f"after/before: {ratio:.3f}; outputs byte-identical: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()

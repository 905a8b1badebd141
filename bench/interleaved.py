"""Before and after: one `kg` command from two installs, interleaved, on bench/run.py's project.

    .venv/bin/python bench/interleaved.py --before OLD/.venv/bin/kg [--after .venv/bin/kg]
        [--rows 1m] [--repeat 5] [--formats nt,ttl]

Generates the synthetic project of bench/run.py once (its generator, unchanged), then runs
`kg build --formats FORMATS` with the before and the after executable in turn (before,
after, before, after ...), each a whole process measured with wait4 (wall and CPU time, peak memory), so that load from other
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
import subprocess
import time

from run import make_project, parse_size, scratch_folder


def measure(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds user+system, peak MiB) of one whole process, from wait4.

    The CPU time counts the build's forked child too (it is waited for), and is less moved
    than the wall time by other work on a shared machine.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def forcing(kg: list[str], env: dict[str, str] | None = None) -> list[str]:
    """``["--force"]`` when this kg has it: since its up-to-date check, a repeated build of
    an unchanged project builds nothing, and a benchmark would time that instead; an older kg
    (a "before") always builds and has no such flag."""
    shown = subprocess.run(
        [*kg, "build", "--help"], capture_output=True, text=True, env=env, check=False
    )
    return ["--force"] if "--force" in shown.stdout else []


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
    with tempfile.TemporaryDirectory(dir=scratch_folder()) as tmp:
        project = Path(tmp) / "project"
        make_project(project, rows)
        os.sync()  # the generated files on disk: their write-back is not charged to a run
        times: dict[str, list[float]] = {"before": [], "after": []}
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        memory: dict[str, list[float]] = {"before": [], "after": []}
        digests: dict[str, dict[str, str]] = {}
        forced = {"before": forcing([str(args.before)]), "after": forcing([str(args.after)])}
        for run in range(args.repeat):
            for name, kg in (("before", args.before), ("after", args.after)):
                out = Path(tmp) / f"out-{name}"
                command = [str(kg), "--project", str(project), "build", *forced[name]]
                command += ["--formats", args.formats, "--out", str(out)]
                seconds, cpu_seconds, mib = measure(command)
                times[name].append(seconds)
                cpu[name].append(cpu_seconds)
                memory[name].append(mib)
                print(
                    f"run {run + 1} {name}: {seconds:.2f} s wall, {cpu_seconds:.2f} s CPU, "
                    f"{mib:.0f} MiB",
                    flush=True,
                )
                if run == 0:
                    digests[name] = _digest(out, files)
                shutil.rmtree(out)
        same = digests["before"] == digests["after"]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(f"command: kg --project P build --formats {args.formats} --out O ({rows} rows)")
        for name in ("before", "after"):
            for what, values in (("wall", times[name]), ("CPU", cpu[name])):
                print(
                    f"{name} {what}: median {statistics.median(values):.2f} s "
                    f"(min {min(values):.2f}, max {max(values):.2f})"
                )
            print(f"{name} peak: {max(memory[name]):.0f} MiB")
        for what, values in (("wall", times), ("CPU", cpu)):
            ratio = statistics.median(values["after"]) / statistics.median(values["before"])
            print(f"after/before ({what} medians): {ratio:.3f}")
        print(f"outputs byte-identical: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()

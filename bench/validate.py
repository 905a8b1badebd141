"""The validator against the plain rdflib baseline, whole processes, interleaved (issue 16).

    .venv/bin/python bench/validate.py [--project DIR] [--repeat 5] [--before OLD_SRC] [--pyshacl]

In each round, one after the other: the baseline (`python -c` that parses out/kg.ttl with
rdflib and writes it as Turtle), `kg validate out/kg.ttl` (the compiled engine) and `kg build --formats nt,ttl` into a
temporary folder (with ``--pyshacl`` also `kg validate --engine pyshacl out/kg.ttl`); with
``--before OLD_SRC`` (the ``src`` folder of an older checkout, run with this interpreter) also
that version's `kg validate` and `kg build --formats nt,ttl`. Each is a whole process
measured with wait4 (wall and CPU time), so that load from other work falls on all alike.
Prints the median of each, its spread, and its ratio to the baseline's median (wall and CPU).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interleaved import forcing, measure

BASELINE = (
    "import sys, rdflib; g = rdflib.Graph().parse(sys.argv[1]); "
    "open(sys.argv[2], 'w').write(g.serialize(format='turtle'))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=Path.cwd())
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", type=Path, help="src/ of an older checkout, to compare")
    parser.add_argument("--only-before", action="store_true", help="the baseline and --before")
    parser.add_argument("--pyshacl", action="store_true", help="also kg validate --engine pyshacl")
    args = parser.parse_args()
    project = args.project.resolve()
    ttl = project / "out" / "kg.ttl"
    if not ttl.is_file():
        sys.exit(f"{ttl}: no build; run kg build in {project} first")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="kg-bench-validate-") as tmp:
        work = Path(tmp)
        kg = [python, "-m", "kg", "--project", str(project)]
        steps: dict[str, list[str]] = {
            "baseline: rdflib parse + Turtle write": [
                python,
                "-c",
                BASELINE,
                str(ttl),
                str(work / "copy.ttl"),
            ],
            "kg validate out/kg.ttl": [*kg, "validate", str(ttl)],
            "kg build --formats nt,ttl": [
                *kg,
                "build",
                *forcing(kg),
                "--formats",
                "nt,ttl",
                "--out",
                str(work / "out"),
            ],
        }
        if args.pyshacl:
            steps["kg validate --engine pyshacl out/kg.ttl"] = [
                *kg,
                "validate",
                "--engine",
                "pyshacl",
                str(ttl),
            ]
        before_env = None
        if args.before is not None:
            before_env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
            steps["before: kg validate out/kg.ttl"] = [*kg, "validate", str(ttl)]
            steps["before: kg build --formats nt,ttl"] = [
                *kg,
                "build",
                *forcing(kg, before_env),
                "--formats",
                "nt,ttl",
                "--out",
                str(work / "out-before"),
            ]
        if args.only_before:
            steps = {n: c for n, c in steps.items() if n.startswith(("baseline", "before"))}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
        for round_number in range(args.repeat):
            for name, command in steps.items():
                env = before_env if name.startswith("before:") else None
                wall, cpu, _ = measure(command) if env is None else _measure_with(command, env)
                runs[name].append((wall, cpu))
                print(f"round {round_number + 1}: {name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    base_wall = statistics.median(w for w, _ in runs["baseline: rdflib parse + Turtle write"])
    base_cpu = statistics.median(c for _, c in runs["baseline: rdflib parse + Turtle write"])
    print(
        f"\n{platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
        f"median of {args.repeat}, whole processes"
    )
    print("| command | wall (min-max) | CPU | wall / baseline | CPU / baseline |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in runs.items():
        walls = [w for w, _ in values]
        wall = statistics.median(walls)
        cpu = statistics.median(c for _, c in values)
        print(
            f"| {name} | {wall:.2f} s ({min(walls):.2f}-{max(walls):.2f}) | {cpu:.2f} s | "
            f"{wall / base_wall:.2f}x | {cpu / base_cpu:.2f}x |"
        )


def _measure_with(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return measure(command)
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    main()

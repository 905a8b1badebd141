"""The curator's loop, whole process: how long a build, a validation and a rebuild take.

    .venv/bin/python bench/loop.py [--repeat 5] [--out bench/RESULTS.md]

Measures, each as its own process (wall and CPU time from wait4), median of --repeat runs,
every step taking turns with the baseline so that both see the same load:
- the baseline: a plain rdflib parse of out/kg.ttl and a Turtle write of it;
- start-up: `kg --version`, `python -c "import kg.cli"`, `kg query lower-bounds`;
- `kg build --formats nt,ttl`; `kg validate out/kg.ttl`;
- the default `kg build` cold (no out/), with the previous out/ present and no change, and
  after editing one statement (its value changed and changed back in turns);
- `kg build --watch --formats nt,ttl`: from the save of one edit to the summary line;
- with 10x the curated data (bench/tenfold.py: the sources replicated under new ids, about
  1,100 statements), `kg build --formats nt,ttl`.
Each figure is given as a ratio to the baseline's median of the same run, and absolute.
The projects are copies in a temporary folder; the repository's out/ is not touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tenfold import copy_project, make_tenfold

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
KG = [PY, "-m", "kg.cli"]
BASELINE = (
    "import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle'); "
    "g.serialize(sys.argv[2], format='turtle')"
)
# The edit: one statement's translated label (a curator's fix that passes every check; a
# figure cannot be changed alone, since its wording and quote must agree with it), toggled.
EDITED = "the HarmonyOS 2 system had more than 220 million users."
EDITS = (EDITED, EDITED.replace("users.", "users in all."))
SECTION = "## The curator's loop"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.wall)

    def spread(self) -> str:
        return f"{min(self.wall):.2f}-{max(self.wall):.2f}"


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children included) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("KG_WORKERS", None)
    env["NO_COLOR"] = "1"
    return env


def watch_latency(project: Path, statement_file: Path, rounds: int) -> list[float]:
    """Seconds from saving one edit to the summary line of `kg build --watch`, ``rounds`` edits."""
    process = subprocess.Popen(
        [*KG, "--project", str(project), "build", "--watch", "--formats", "nt,ttl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
    )
    assert process.stdout is not None
    latencies: list[float] = []
    try:
        _wait_for(process, "Built ")  # the first build, at start
        for number in range(rounds):
            time.sleep(1)  # an edit of its own, not a burst with the last one
            saved = toggle(statement_file, number)
            _wait_for(process, "Built ")
            latencies.append(time.perf_counter() - saved)
    finally:
        process.send_signal(signal.SIGTERM)  # stops the watch as Ctrl-C does (SIGINT may be
        process.wait(timeout=60)  # ignored in a background job)
        process.stdout.close()
    return latencies


def toggle(statement_file: Path, _number: int = 0) -> float:
    """Save the edit (the one form of the label for the other); the time of the save."""
    text = statement_file.read_text(encoding="utf-8")
    old, new = EDITS if EDITS[0] in text else EDITS[::-1]
    assert old in text, f"{statement_file} has no {old!r}"
    saved = time.perf_counter()
    statement_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return saved


def _wait_for(process: subprocess.Popen[str], start: str, timeout: float = 300) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"kg build --watch ended (exit {process.poll()})")
        if line.startswith(start):
            return line
        if line.startswith("Error"):
            raise SystemExit(f"kg build --watch: {line}")
    raise SystemExit("kg build --watch printed no summary in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the results into this Markdown file")
    parser.add_argument("--skip-watch", action="store_true")
    args = parser.parse_args()

    started_load = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="kg-loop-"))
    try:
        results = measure(work, args.repeat, watch=not args.skip_watch)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(results, args.repeat, started_load)
    print(text)
    if args.out:
        write_section(args.out, text)


Steps = dict[str, Timing]


def measure(work: Path, repeat: int, *, watch: bool) -> Steps:
    project = copy_project(REPO, work / "project")
    tenfold = make_tenfold(REPO, work / "tenfold")
    statement = project / "data" / "sources" / "dcdr-2021.yaml"
    assert EDITED in statement.read_text(encoding="utf-8")
    out = project / "out"
    kg = [*KG, "--project", str(project)]
    run([*kg, "build"])  # warm the caches (fonts, .pyc) and make out/kg.ttl for the baseline
    turtle = work / "kg.ttl"
    shutil.copy(out / "kg.ttl", turtle)

    def edit(number: int) -> None:
        toggle(statement, number)

    steps: dict[str, Callable[[int], list[str]]] = {
        "baseline": lambda _: [PY, "-c", BASELINE, str(turtle), str(work / "again.ttl")],
        "kg --version": lambda _: [*KG, "--version"],
        'python -c "import kg.cli"': lambda _: [PY, "-c", "import kg.cli"],
        "kg query lower-bounds": lambda _: [*kg, "query", "lower-bounds", "--format", "csv"],
        "kg validate out/kg.ttl": lambda _: [*kg, "validate", str(turtle)],
        "kg build --formats nt,ttl": lambda _: [*kg, "build", "--formats", "nt,ttl"],
        "kg build, cold (no out/)": lambda _: [*kg, "build"],
        "kg build, previous out/, no change": lambda _: [*kg, "build"],
        "kg build, previous out/, one statement edited": lambda _: [*kg, "build"],
        "10x data: kg build --formats nt,ttl": lambda _: [
            *KG,
            "--project",
            str(tenfold),
            "build",
            "--formats",
            "nt,ttl",
        ],
    }
    before: dict[str, Callable[[int], None]] = {
        "kg build, cold (no out/)": lambda _: [  # as in a fresh clone: no out/, no .kg-cache/
            shutil.rmtree(path, ignore_errors=True) for path in (out, project / ".kg-cache")
        ],
        "kg build, previous out/, one statement edited": edit,
    }
    found: Steps = {name: Timing() for name in steps}
    for number in range(repeat):
        for name, command in steps.items():
            if name in before:  # "no change" follows the cold build: out/ is of these very files
                before[name](number)
            wall, cpu = run(command(number))
            found[name].wall.append(wall)
            found[name].cpu.append(cpu)
            print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)
    if watch:
        timing = Timing()
        timing.wall = watch_latency(project, statement, repeat)
        for latency in timing.wall:
            print(
                f"kg build --watch: {latency:.2f} s from the save to the summary", file=sys.stderr
            )
        found["kg build --watch --formats nt,ttl: save to summary line"] = timing
    return found


def report(found: Steps, repeat: int, started: tuple[float, float, float]) -> str:
    base = found["baseline"].median()
    load = os.getloadavg()
    lines = [
        SECTION,
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at the start "
        f"{started[0]:.1f} / {started[1]:.1f} / {started[2]:.1f}, at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).",
        "",
        f"Command: `.venv/bin/python {' '.join(sys.argv)}`. Each step is one whole process, median of "
        f"{repeat}, the steps taking turns with the baseline (a plain rdflib parse of "
        "out/kg.ttl and a Turtle write of it, one process). Ratios are to the baseline's "
        "median of the same run.",
        "",
        "| step | wall (median) | spread | CPU (median) | wall / baseline | CPU / baseline |",
        "|---|---|---|---|---|---|",
    ]
    base_cpu = statistics.median(found["baseline"].cpu)
    for name, timing in found.items():
        cpu, cpu_ratio = "", ""
        if timing.cpu:
            cpu = f"{statistics.median(timing.cpu):.2f} s"
            cpu_ratio = f"{statistics.median(timing.cpu) / base_cpu:.2f}x"
        ratio = timing.median() / base
        lines.append(
            f"| {name} | {timing.median():.2f} s | {timing.spread()} s | {cpu} | {ratio:.2f}x "
            f"| {cpu_ratio} |"
        )
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace the loop's section of ``path`` (or append it), leaving the rest as it was."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + (old[end + 1 :] if end >= 0 else "")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()

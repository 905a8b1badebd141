"""The curator's loop, whole process (issue 16): how long a build, a validation and a rebuild take.

    .venv/bin/python bench/loop.py [--repeat 5] [--steps speed,views] [--out bench/RESULTS.md]

Each measured command is one function below (``Context`` -> argv) registered in ``STEPS`` with
its group and its target; ``--steps`` picks groups or step names. Each runs as its own process
(wall and CPU time, user + system with children, from wait4), median of --repeat runs, the
steps taking turns with the baseline in every round so that all see the same load:
- the baseline: a plain rdflib parse of out/kg.ttl and a Turtle write of it;
- group ``speed``: `kg build --formats nt,ttl` (into an out folder of its own, which holds the
  previous nt,ttl build, as in a curator's loop; with --force, since nothing changes between
  the rounds), `kg validate out/kg.ttl`, and `kg build --formats nt,ttl` on the curated data
  copied 3 and 10 times (bench/tenfold.py: the sources replicated under new ids; 1,320 and
  4,400 statements: the issue's "10x, about 1,100 statements" was of the 111 of its start);
- group ``start``: `kg --version`, `python -c "import kg.cli"`, `kg query lower-bounds`;
- group ``views``: the default `kg build` cold (no out/ and no .kg-cache/, as a fresh clone), with the previous out/ present and
  no change (out/ is up to date: not built again), and after editing one statement (its value changed and changed back in turns);
  `kg build --watch --formats nt,ttl`: from the save of one edit to the summary line.
Each figure is given as a ratio to the baseline's median of the same run (wall and CPU), and
absolute. The projects are copies in a temporary folder; the repository's out/ is not touched.
"""

from __future__ import annotations

import argparse
import datetime
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tenfold import copy_project, make_tenfold

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
KG = [PY, "-m", "kg"]
BASELINE = (
    "import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle'); "
    "g.serialize(sys.argv[2], format='turtle')"
)
# The edit: one statement's translated label (a curator's fix that passes every check; a
# figure cannot be changed alone, since its wording and quote must agree with it), toggled.
EDITED = "the HarmonyOS 2 system had more than 220 million users."
EDITS = (EDITED, EDITED.replace("users.", "users in all."))
SECTION = "## Issue 16: the curator's loop"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.wall)

    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

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


# ---------------------------------------------------------------------------------------------
# The measured commands: one function each, from the run's Context to the command line
# ---------------------------------------------------------------------------------------------


@dataclass
class Context:
    """The copies a run works on: the project, its 3x and 10x copies, the baseline's Turtle."""

    work: Path
    project: Path
    tenfold: Path | None
    threefold: Path | None
    turtle: Path  # a copy of the project's out/kg.ttl, read by the baseline and kg validate

    @property
    def kg(self) -> list[str]:
        return [*KG, "--project", str(self.project)]

    @property
    def statement(self) -> Path:
        return self.project / "data" / "sources" / "dcdr-2021.yaml"


def baseline(ctx: Context, _: int) -> list[str]:
    """A plain rdflib parse of out/kg.ttl and a Turtle write of it: what the ratios divide by."""
    return [PY, "-c", BASELINE, str(ctx.turtle), str(ctx.work / "again.ttl")]


def build_nt_ttl(ctx: Context, _: int) -> list[str]:
    """`kg build --formats nt,ttl` into its own out folder, which holds the previous such build
    (--force: with nothing changed, it would not build again)."""
    out = ctx.work / "out-nt-ttl"
    return [*ctx.kg, "build", "--force", "--formats", "nt,ttl", "--out", str(out)]


def validate_ttl(ctx: Context, _: int) -> list[str]:
    """`kg validate out/kg.ttl` with the compiled engine (the default)."""
    return [*ctx.kg, "validate", str(ctx.turtle)]


def tenfold_nt_ttl(ctx: Context, _: int) -> list[str]:
    """`kg build --formats nt,ttl` on 10x the curated data (bench/tenfold.py)."""
    assert ctx.tenfold is not None
    return _copies_nt_ttl(ctx.tenfold, ctx.work / "out-tenfold")


def threefold_nt_ttl(ctx: Context, _: int) -> list[str]:
    """`kg build --formats nt,ttl` on 3x the curated data (1,320 statements)."""
    assert ctx.threefold is not None
    return _copies_nt_ttl(ctx.threefold, ctx.work / "out-threefold")


def _copies_nt_ttl(project: Path, out: Path) -> list[str]:
    """--force: with nothing changed between the rounds, it would not build again."""
    return [
        *KG,
        "--project",
        str(project),
        "build",
        "--force",
        "--formats",
        "nt,ttl",
        "--out",
        str(out),
    ]


def version(_: Context, __: int) -> list[str]:
    return [*KG, "--version"]


def import_cli(_: Context, __: int) -> list[str]:
    return [PY, "-c", "import kg.cli"]


def query_lower_bounds(ctx: Context, _: int) -> list[str]:
    return [*ctx.kg, "query", "lower-bounds", "--format", "csv"]


def build_default(ctx: Context, _: int) -> list[str]:
    """The default `kg build` into the project's out/ (every format, the store, the views)."""
    return [*ctx.kg, "build"]


def remove_out(ctx: Context, _: int) -> None:
    """As a fresh clone is: no out/ and no .kg-cache/ (the views' keys, the kept font subsets,
    the build's fingerprint)."""
    shutil.rmtree(ctx.project / "out", ignore_errors=True)
    shutil.rmtree(ctx.project / ".kg-cache", ignore_errors=True)


def edit_statement(ctx: Context, number: int) -> None:
    """Save one edit of the statement file (a translated label, one form for the other)."""
    toggle(ctx.statement, number)


def toggle(statement_file: Path, _number: int = 0) -> float:
    """Save the edit (the one form of the label for the other); the time of the save."""
    text = statement_file.read_text(encoding="utf-8")
    old, new = EDITS if EDITS[0] in text else EDITS[::-1]
    assert old in text, f"{statement_file} has no {old!r}"
    saved = time.perf_counter()
    statement_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return saved


@dataclass(frozen=True)
class Step:
    """One measured command: its group (for --steps), its target, what to do before each run."""

    group: str
    command: Callable[[Context, int], list[str]]
    target: str = ""  # as the issue states it, for the table
    before: Callable[[Context, int], None] | None = None


BASELINE_STEP = "baseline: rdflib parse + Turtle write of out/kg.ttl"
TENFOLD_STEP = "10x data (4,400 statements): kg build --formats nt,ttl"
THREEFOLD_STEP = "3x data (1,320 statements): kg build --formats nt,ttl"
# In the order of a round; "no change" follows the cold build, so out/ is of these very files.
STEPS: dict[str, Step] = {
    BASELINE_STEP: Step("baseline", baseline),
    "kg build --formats nt,ttl": Step("speed", build_nt_ttl, "at most 2.0x (about 1.5 s)"),
    "kg validate out/kg.ttl": Step("speed", validate_ttl, "at most 2.0x"),
    THREEFOLD_STEP: Step("speed", threefold_nt_ttl, "at most 3 s (the issue's ~1,100 statements)"),
    TENFOLD_STEP: Step("speed", tenfold_nt_ttl, "(10x today's data; the target is for ~1,100)"),
    "kg --version": Step("start", version),
    'python -c "import kg.cli"': Step("start", import_cli),
    "kg query lower-bounds": Step("start", query_lower_bounds),
    "kg build, cold (no out/, no .kg-cache/)": Step(
        "views", build_default, "at most 8 s", remove_out
    ),
    "kg build, previous out/, no change": Step("views", build_default, "at most 2 s"),
    "kg build, previous out/, one statement edited": Step(
        "views", build_default, "at most 4 s", edit_statement
    ),
}
WATCH_STEP = "kg build --watch --formats nt,ttl: save to summary line"
GROUPS = ("speed", "start", "views")


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
    parser.add_argument(
        "--steps",
        default=",".join(GROUPS),
        help=f"groups ({', '.join(GROUPS)}) or step names, comma-separated; the baseline always runs",
    )
    parser.add_argument("--out", type=Path, help="write the results into this Markdown file")
    parser.add_argument("--skip-watch", action="store_true")
    args = parser.parse_args()
    wanted = {part.strip() for part in args.steps.split(",") if part.strip()}
    chosen = [
        name
        for name, step in STEPS.items()
        if step.group == "baseline" or step.group in wanted or name in wanted
    ]
    unknown = wanted - set(GROUPS) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    watch = "views" in wanted and not args.skip_watch

    started = datetime.datetime.now(datetime.UTC)
    work = Path(tempfile.mkdtemp(prefix="kg-loop-"))
    try:
        results = measure(work, chosen, args.repeat, watch=watch)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = " ".join(["bench/loop.py", *sys.argv[1:]])
    text = report(results, args.repeat, command, started)
    print(text)
    if args.out:
        write_section(args.out, text)


Steps = dict[str, Timing]


def measure(work: Path, chosen: list[str], repeat: int, *, watch: bool) -> Steps:
    """Every chosen step, ``repeat`` rounds of all of them in turn."""
    project = copy_project(REPO, work / "project")
    tenfold = make_tenfold(REPO, work / "tenfold") if TENFOLD_STEP in chosen else None
    threefold = make_tenfold(REPO, work / "threefold", 3) if THREEFOLD_STEP in chosen else None
    ctx = Context(work, project, tenfold, threefold, work / "kg.ttl")
    assert EDITED in ctx.statement.read_text(encoding="utf-8")
    run(build_default(ctx, 0))  # warm the caches (fonts, .pyc) and make out/kg.ttl
    shutil.copy(project / "out" / "kg.ttl", ctx.turtle)
    if tenfold is not None:  # its .pyc and source texts warm too, and a previous out folder
        run(tenfold_nt_ttl(ctx, 0))
    if threefold is not None:
        run(threefold_nt_ttl(ctx, 0))
    run(build_nt_ttl(ctx, 0))
    found: Steps = {name: Timing() for name in chosen}
    for number in range(repeat):
        for name in chosen:
            step = STEPS[name]
            if step.before is not None:
                step.before(ctx, number)
            wall, cpu = run(step.command(ctx, number))
            found[name].wall.append(wall)
            found[name].cpu.append(cpu)
            print(
                f"round {number + 1}: {name}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr
            )
    if watch:
        timing = Timing()
        timing.wall = watch_latency(project, ctx.statement, repeat)
        found[WATCH_STEP] = timing
    return found


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        load = os.getloadavg()
        return f"load average: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"


def report(found: Steps, repeat: int, command: str, started: datetime.datetime) -> str:
    base = found[BASELINE_STEP]
    base_wall, base_cpu = base.median(), base.cpu_median()
    ended = datetime.datetime.now(datetime.UTC)
    lines = [
        SECTION,
        "",
        f"Measured {started:%Y-%m-%d %H:%M}-{ended:%H:%M} UTC on {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; `uptime` at the end: `{_uptime()}`.",
        "",
        f"Command: `.venv/bin/python {command}`. Each step is one whole process, median of "
        f"{repeat}, the steps taking turns with the baseline in every round (a plain rdflib "
        "parse of out/kg.ttl and a Turtle write of it, one process). CPU is user + system "
        "time from wait4 (children included); ratios are to the baseline's median of the same "
        "run. On a shared machine the CPU figures are the ones to read.",
        "",
        "| step | wall (median) | wall spread | CPU (median) | wall / baseline | CPU / baseline | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, timing in found.items():
        cpu = timing.cpu_median()
        cpu_text = f"{cpu:.2f} s" if cpu is not None else ""
        cpu_ratio = f"{cpu / base_cpu:.2f}x" if cpu is not None and base_cpu else ""
        step = STEPS.get(name)
        target = step.target if step is not None else "within 1 s"
        lines.append(
            f"| {name} | {timing.median():.2f} s | {timing.spread()} s | {cpu_text} | "
            f"{timing.median() / base_wall:.2f}x | {cpu_ratio} | {target} |"
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

"""Every stored query as a user runs it: `kg query NAME --format csv > file`, whole process.

    python bench/query_times.py PROJECT [--repeat 3]    # on a project already built

Used by bench/run.py on the benchmark project that holds the curated data beside the table
(so every query has an answer); each query runs --repeat times in its own process, the
queries taking turns, and the answer's size is read from the file it wrote.

A run fails where a stored query gives an empty answer on the smallest table (the generator
must give each one something to find), or takes more than LIMIT seconds (median) at
LIMIT_ROWS rows or more.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.queries import list_queries

LIMIT = 2.0  # seconds, whole process, median of the runs
LIMIT_ROWS = 1_000_000
SKIPPED = {"wikidata-code-check"}  # SERVICE to Wikidata: not a local measurement

# Parameters that point a query at the table's made-up entities, so that its work grows with
# the table (the defaults name curated entities): a county, a province against the country.
PARAMS: dict[str, dict[str, str]] = {
    "area-statements": {"area": "bench-p1-c01-k01"},
    "area-subgraph": {"area": "bench-p1-c01-k01"},
    "area-vs-national": {"area": "bench-p1", "country": "id:area/bench-land"},
    "indicator-over-time": {"indicator": "bench-ind-01", "area": "bench-p1-c01-k01"},
    "indicator-values": {"indicator": "bench-ind-01"},
}


@dataclass(frozen=True)
class QueryTime:
    """One stored query's whole-process runs and the size of its answer."""

    name: str
    answer: str  # rows (SELECT), triples (CONSTRUCT) or true/false (ASK)
    times: tuple[float, ...]
    cpu: tuple[float, ...] = ()  # user + system seconds of each run, where measured

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def empty(self) -> bool:
        return self.answer in ("0", "false", "none (stopped)")

    @property
    def cpu_seconds(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    def spread(self) -> str:
        return f"{min(self.times):.2f}-{max(self.times):.2f} s"


def forms(queries: Path) -> dict[str, str]:
    """Each stored query's name and form (SELECT, ASK, CONSTRUCT ...), but the skipped ones."""
    found = {q.name: q.form for q in list_queries(queries)}
    return {name: form for name, form in sorted(found.items()) if name not in SKIPPED}


def command(kg: list[str], project: Path, name: str, form: str) -> list[str]:
    """The user's command; a graph answer as N-Triples (one triple a line, to count)."""
    params = [f"--param={k}={v}" for k, v in sorted(PARAMS.get(name, {}).items())]
    fmt = "ntriples" if form in ("CONSTRUCT", "DESCRIBE") else "csv"
    return [*kg, "--project", str(project), "query", name, *params, "--format", fmt]


def answer_size(path: Path, form: str) -> str:
    """Rows of a CSV answer (less its header), triples of an N-Triples one, or true/false."""
    text = path.read_text(encoding="utf-8")
    if not text:
        return "none (stopped)"
    if form == "ASK":
        return text.strip()
    lines = sum(1 for line in text.splitlines() if line.strip())
    return str(lines - 1 if form == "SELECT" else lines)


def measure_all(
    project: Path,
    kg: list[str],
    repeat: int,
    timed: Callable[[list[str], Path], tuple[float, float]],
    scratch: Path,
) -> list[QueryTime]:
    """Every stored query ``repeat`` times, in turns.

    ``timed`` runs a command into a file and returns its wall and CPU seconds.
    """
    kinds = forms(project / "queries")
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    answers: dict[str, str] = {}
    for _ in range(repeat):
        for name, times in found.items():
            out = scratch / f"{name}.answer"
            times.append(timed(command(kg, project, name, kinds[name]), out))
            answers[name] = answer_size(out, kinds[name])
    return [
        QueryTime(name, answers[name], tuple(w for w, _ in runs), tuple(c for _, c in runs))
        for name, runs in found.items()
    ]


def failures(size: int, smallest: int, measured: list[QueryTime]) -> list[str]:
    """What fails the run: an empty answer on the smallest table, a slow query at 1M rows."""
    problems = []
    for query in measured:
        if size == smallest and query.empty:
            problems.append(f"{query.name}: empty answer at {size:,} rows")
        if size >= LIMIT_ROWS and query.seconds > LIMIT:
            problems.append(
                f"{query.name}: {query.seconds:.2f} s at {size:,} rows (over {LIMIT:.0f} s)"
            )
    return problems


def table(size: int, measured: list[QueryTime], repeat: int) -> list[str]:
    """The Markdown rows of one size's whole-process query times."""
    rows = [
        "",
        f"Every stored query on the {size:,}-row project (curated data + table), whole process: "
        f"`kg query NAME --format csv > file`, median of {repeat} (queries taking turns); "
        f"limit {LIMIT:.0f} s at {LIMIT_ROWS:,} rows:",
        "",
        "| query | parameters | answer | wall (median) | spread | CPU (median) |",
        "|---|---|---|---|---|---|",
    ]
    for query in measured:
        params = ", ".join(f"{k}={v}" for k, v in sorted(PARAMS.get(query.name, {}).items()))
        flag = " **over the limit**" if size >= LIMIT_ROWS and query.seconds > LIMIT else ""
        rows.append(
            f"| {query.name} | {params or 'defaults'} | {query.answer} | "
            f"{query.seconds:.2f} s{flag} | {query.spread()} | "
            f"{'-' if query.cpu_seconds is None else f'{query.cpu_seconds:.2f} s'} |"
        )
    print("\n".join(rows), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    import argparse
    import os
    import resource
    import subprocess
    import tempfile
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a built project (bench/run.py makes one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=LIMIT_ROWS, help="the table's rows")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="stop a run after this many seconds"
    )
    args = parser.parse_args()

    def timed(command: list[str], out: Path) -> tuple[float, float]:
        """Wall and CPU seconds of one run; the timeout (and an empty answer) if stopped."""
        with open(out, "wb") as handle, tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=handle, stderr=errors)
            try:
                process.wait(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                handle.truncate(0)
                return args.timeout, children_cpu()
            seconds = time.perf_counter() - started
            cpu = children_cpu()
            if process.returncode not in (0, 1):  # 1: an ASK that is false
                errors.seek(0)
                raise SystemExit(errors.read().decode("utf-8", "replace"))
        return seconds, cpu

    spent = [0.0]  # CPU seconds of the children reaped so far

    def children_cpu() -> float:
        """User + system seconds of the child reaped last."""
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime - spent[0]
        spent[0] += cpu
        return cpu

    with tempfile.TemporaryDirectory() as scratch:
        kg = [sys.executable, "-m", "kg.cli"]
        measured = measure_all(args.project, kg, args.repeat, timed, Path(scratch))
    rows = table(args.rows, measured, args.repeat)
    print(f"load average (5 min) {os.getloadavg()[1]:.1f}\n" + "\n".join(rows))
    problems = failures(args.rows, 0, measured)
    for problem in problems:
        print(f"- FAILED: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

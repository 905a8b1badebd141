"""Benchmark dckg on bulk tables against the tools a user would otherwise pick, in one run.

    .venv/bin/python bench/run.py --sizes 10k,100k,1m [--repeat 3] [--heavy-repeat 1]
        [--baselines] [--only builds|queries] [--out bench/RESULTS.md]

Generates a synthetic project shaped like provincial statistics (about 3,000 made-up areas
with codes 90xxxx-99xxxx that GB/T 2260 does not assign, 50 indicators, years 2015-2025,
1,000 sources) and measures wall time, CPU time and peak memory (each step in its own
process, read with wait4) of:
- dckg: `kg build --formats nt,ttl` (load, validate, N-Triples and Turtle) taking turns with
  the ceiling, the full `kg build` taking turns with `oxigraph load` of its quads (N-Quads
  dumped from its store, not timed);
- the ceiling: the same table bytes written from the CSV with no checks (compared with
  dckg's), each file fsynced as dckg does; and pyoxigraph term objects streamed to N-Triples;
- every stored query, whole process (bench/query_times.py), and in-process against
  pyoxigraph running the same text and rdflib up to 100k rows (bench/queries_bench.py), on a
  second project that also holds the repository's curated data, so that every query has an
  answer; the run fails if one answers nothing at the smallest size or takes over 2 s at 1M;
- baselines (with --baselines): rdflib building a Graph and serialising it (up to 100k rows),
  pyshacl on the 10k table graph (100k did not finish in 4 minutes), Morph-KGC with an
  equivalent RML mapping (bench/morph-mapping.ttl), from its own virtual environment made
  here (bench/.venv-morph: it pins pyoxigraph<0.4), `kg load` into an `oxigraph serve` on
  127.0.0.1 (up to --load-max-rows).
Each step runs --repeat times (median wall time and spread, peak memory from wait4); the
heavy ones (the full build against `oxigraph load`, Morph-KGC) --heavy-repeat times, which
defaults to --repeat.
Set KG_BENCH_TMP to put the projects (about 8 GB at 1M rows) on another disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import query_times
from generator import make_project

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
KG = [PY, "-m", "kg.cli"]
# pyshacl with dckg's shapes (one SPARQL-based constraint among them) did not finish the
# 100k-row table graph (1.3M triples) in 4 minutes here; it runs at 10k only.
PYSHACL_MAX_ROWS = 10_000
RDFLIB_MAX_ROWS = 100_000  # rdflib needs about 1 KB a triple: 13 GB at 1M rows


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, peak MiB and CPU seconds (user + system), from wait4."""

    seconds: float
    mib: float
    cpu: float


def measure(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
    ok: tuple[int, ...] = (0,),
) -> Run:
    """One process, measured with wait4 (the child's own rusage); its output to ``stdout``.

    It starts on a quiet disk (:func:`quiet_disk`)."""
    quiet_disk(Path(scratch_folder() or tempfile.gettempdir()))
    with (
        tempfile.TemporaryFile() as errors,  # a file, not a pipe: a chatty child cannot block
        open(stdout or os.devnull, "wb") as out,
    ):
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    if process.returncode not in ok:
        raise RuntimeError(f"{' '.join(command)} failed: {err[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def dump_quads(store: Path, target: Path) -> None:
    """The store's quads as N-Quads (not timed): the bulk loader then fills the same named
    graphs, six indexes each, as dckg's store holds; kg.nt's triples would go to the default
    graph and its three indexes only (70 s instead of 117 s at 1M rows here)."""
    import pyoxigraph

    with open(target, "wb") as handle:
        pyoxigraph.Store.read_only(str(store)).dump(handle, pyoxigraph.RdfFormat.N_QUADS)


def scratch_folder() -> str | None:
    """``KG_BENCH_TMP``, made if it is missing (None: the system's temporary folder)."""
    scratch = os.environ.get("KG_BENCH_TMP")
    if scratch:
        os.makedirs(scratch, exist_ok=True)
    return scratch


def quiet_disk(path: Path, timeout: float = 120.0) -> None:
    """Sync, then wait until the disk under ``path`` has had no request in flight for a second.

    The previous step's write-back, and the discards of the files it deleted (this machine's
    disk is mounted with ``discard``), otherwise land on the next step: a 1M-row nt,ttl build
    took 12.8 s of CPU in one run and 21.5 s in another, its system time doubled.
    """
    os.sync()
    device = os.stat(path).st_dev
    inflight = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}/inflight")
    if not inflight.exists():
        return
    deadline, quiet_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = time.monotonic()
        if sum(int(n) for n in inflight.read_text().split()) == 0:
            quiet_since = quiet_since or now
            if now - quiet_since >= 1.0:
                return
        else:
            quiet_since = None
        time.sleep(0.05)


def measure_fresh(output: Path, command: list[str]) -> Run:
    """``command`` measured after its previous ``output`` (and its Turtle copy) is removed, as
    dckg's previous out/ is removed outside its own time (by a detached process)."""
    for path in (output, output.with_name(output.name + ".ttl")):
        path.unlink(missing_ok=True)
    return measure(command)


def settled(run: Run, out: Path) -> Run:
    """``run`` once the previous build of ``out`` is gone: a big one is removed in the
    background after the build returns (kg.serialize.discard), and that removal should not
    slow down the next step measured."""
    while list(out.parent.glob(f".{out.name}.removing-*")):
        time.sleep(0.1)
    return run


@dataclass(frozen=True)
class Runs:
    """Repeated runs of one step: median wall time with its spread, largest peak memory."""

    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def mib(self) -> float:
        return max(r.mib for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def cpu_percent(self) -> float:
        return 100 * statistics.median(r.cpu / r.seconds for r in self.runs)

    @property
    def spread(self) -> str:
        if len(self.runs) == 1:
            return "1 run"
        times = sorted(r.seconds for r in self.runs)
        return f"{len(times)} runs, {times[0]:.2f}-{times[-1]:.2f} s"


def interleaved(repeat: int, *steps: Callable[[], Run]) -> list[Runs]:
    """Each step ``repeat`` times, taking turns (a, b, a, b ...): contention hits all alike."""
    found: list[list[Run]] = [[] for _ in steps]
    for _ in range(repeat):
        for runs, step in zip(found, steps, strict=True):
            runs.append(step())
    return [Runs(tuple(runs)) for runs in found]


def median_of(repeat: int, command: list[str], **kwargs: Any) -> Runs:
    return interleaved(repeat, lambda: measure(command, **kwargs))[0]


CEILING_TERMS = r"""
import csv, sys, pyoxigraph as o
NS = "https://w3id.org/dckg/"
table, out = sys.argv[1], sys.argv[2]
def triples():
    value, area, ind, per = o.NamedNode(NS+"ontology#value"), o.NamedNode(NS+"ontology#area"), o.NamedNode(NS+"ontology#indicator"), o.NamedNode(NS+"ontology#refPeriod")
    integer = o.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    with open(table, encoding="utf-8") as h:
        r = csv.reader(h); next(r)
        for line, (code, indicator, year, v, source) in enumerate(r, start=2):
            s = o.NamedNode(f"{NS}id/statement/table/bench-table/r{line}")
            yield o.Triple(s, area, o.NamedNode(f"{NS}id/area/{code}"))
            yield o.Triple(s, ind, o.NamedNode(f"{NS}id/indicator/{indicator}"))
            yield o.Triple(s, per, o.NamedNode(f"{NS}id/period/{year}"))
            yield o.Triple(s, value, o.Literal(v, datatype=integer))
            for k in range(9):  # as many triples per row as dckg writes (13)
                yield o.Triple(s, o.NamedNode(f"{NS}ontology#p{k}"), o.Literal(str(k)))
with open(out, "wb") as f:
    o.serialize(triples(), f, format=o.RdfFormat.N_TRIPLES)
"""

# The pure-write ceiling: the same table bytes as dckg writes (checked by the benchmark),
# from the CSV with plain dict lookups and no checks, then Turtle as a copy of them; each file
# flushed to disk (fsync) as dckg does, so that the ratio measures checks and extra files.
CEILING_TEXT = r"""
import csv, os, shutil, sys
sys.path.insert(0, sys.argv[3])
from generator import areas
from kg.build import KIND_CONCEPTS, QUALIFIER_CONCEPTS
table, out = sys.argv[1], sys.argv[2]
NS, O = "https://w3id.org/dckg/id/", "https://w3id.org/dckg/ontology#"
X = "http://www.w3.org/2001/XMLSchema#"
T, L, D = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://www.w3.org/2000/01/rdf-schema#label>", "<http://www.w3.org/ns/prov#wasDerivedFrom>"
ids = {code: area for area, _, code, _ in areas() if code}
tail = (f"<{O}unit> <http://qudt.org/vocab/unit/NUM> .\n", f"<{O}qualifier> <{QUALIFIER_CONCEPTS['exact']}> .\n", f"<{O}statementKind> <{KIND_CONCEPTS['total']}> .\n", f"<{O}inTable> <{NS}table/bench-table> .\n")
with open(table, encoding="utf-8", newline="") as h, open(out, "w", encoding="utf-8", newline="\n") as f:
    r = csv.reader(h); next(r)
    for line, (code, ind, year, v, source) in enumerate(r, start=2):
        s = f"<{NS}statement/table/bench-table/r{line}> "
        a, i = ids[code], ind.rsplit("-", 1)[1].lstrip("0")
        f.write(
            f"{s}{T} <{O}Observation> .\n"
            f'{s}{L} "{a}, indicator {i} (total), {year}: {v}"@en .\n'
            f'{s}{L} "地区{a}指标{i}（总量，{year}年）：{v}"@zh .\n'
            f"{s}{D} <{NS}source/{source}> .\n{s}<{O}area> <{NS}area/{a}> .\n"
            f"{s}<{O}indicator> <{NS}indicator/{ind}> .\n{s}<{O}refPeriod> <{NS}period/{year}> .\n"
            f'{s}<{O}value> "{v}"^^<{X}integer> .\n'
            f"{s}{tail[0]}{s}{tail[1]}{s}{tail[2]}{s}{tail[3]}"
            f'{s}<{O}tableRow> "{line}"^^<{X}positiveInteger> .\n'
        )
    f.flush()
    os.fsync(f.fileno())  # as dckg flushes each file it writes to disk
shutil.copyfile(out, out + ".ttl")
with open(out + ".ttl", "rb") as copy:
    os.fsync(copy.fileno())
"""

RDFLIB = r"""
import sys
from rdflib import Graph
g = Graph()
g.parse(sys.argv[1], format="nt")
g.serialize(sys.argv[2], format="nt")
"""

PYSHACL = r"""
import sys
from pyshacl import validate
from rdflib import Graph
data = Graph().parse(sys.argv[1], format="nt")
for path in sys.argv[3:]:
    data.parse(path)
shapes = Graph().parse(sys.argv[2])
validate(data, shacl_graph=shapes, inference="none")
"""

MORPH_KGC = "morph-kgc==2.10.0"  # pins pyoxigraph<0.4: only ever in its own environment
MORPH_VENV = HERE / ".venv-morph"


def morph_python() -> Path:
    """Morph-KGC's own virtual environment (made once, beside this script, git-ignored)."""
    python = MORPH_VENV / "bin" / "python"
    if not (MORPH_VENV / ".installed").exists():
        print(f"making {MORPH_VENV} with {MORPH_KGC} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(MORPH_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", MORPH_KGC], check=True)
        (MORPH_VENV / ".installed").touch()
    return python


def morph_config(folder: Path, table: Path) -> Path:
    """The RML mapping (bench/morph-mapping.ttl) pointed at the table, and its config."""
    mapping = folder / "mapping.ttl"
    text = (HERE / "morph-mapping.ttl").read_text(encoding="utf-8")
    mapping.write_text(text.replace("TABLE.csv", str(table)), encoding="utf-8")
    config = folder / "morph.ini"
    config.write_text(
        "[CONFIGURATION]\n"
        f"output_file={folder / 'morph.nt'}\noutput_format=N-TRIPLES\nnumber_of_processes=1\n\n"
        f"[DataSource1]\nmappings={mapping}\n",
        encoding="utf-8",
    )
    return config


def _table_triples(path: Path) -> Iterator[str]:
    """The N-Triples lines of the table's rows in a build's kg.nt."""
    with open(path, encoding="utf-8") as handle:
        yield from (line for line in handle if "/statement/table/" in line)


def _digest(lines: Iterator[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


class Results:
    """Rows of the results table, each step's seconds for the ratios, and what failed."""

    HEADER = (
        "| rows | step | wall (median) | spread | CPU (median, % of wall) | peak memory | load | note |",
        "|---|---|---|---|---|---|---|---|",
    )

    def __init__(self) -> None:
        self.rows = list(self.HEADER)
        self.seconds: dict[tuple[int, str], float] = {}
        self.cpu: dict[tuple[int, str], float] = {}
        self.failures: list[str] = []

    def add(
        self, size: int, key: str, step: str, runs: Runs, note: str | Callable[[], str] = ""
    ) -> None:
        """One step's row; a note that computes ratios is called once the step is recorded."""
        self.seconds[(size, key)] = runs.seconds
        self.cpu[(size, key)] = runs.cpu
        text = note() if callable(note) else note
        load = os.getloadavg()[0]  # the machine's load as the step ends (1 min average)
        self.rows.append(
            f"| {size:,} | {step} | {runs.seconds:.2f} s | {runs.spread} | {runs.cpu:.1f} s "
            f"({runs.cpu_percent:.0f}%) | {runs.mib:.0f} MiB | {load:.1f} | {text} |"
        )
        print(self.rows[-1], flush=True)

    def ratio(self, size: int, a: str, *b: str) -> str:
        """Step a / the sum of steps b at one size, in wall time and in CPU time."""
        if (size, a) in self.seconds and all((size, k) in self.seconds for k in b):
            wall = self.seconds[(size, a)] / sum(self.seconds[(size, k)] for k in b)
            cpu = self.cpu[(size, a)] / max(sum(self.cpu[(size, k)] for k in b), 1e-9)
            return f"{wall:.2f}x (CPU {cpu:.2f}x)"
        return "n/a"

    def section(self, rows: list[str]) -> None:
        """Another table (queries) between rows of this one."""
        self.rows += [*rows, "", *self.HEADER]


PARTS = ("builds", "queries")


def run(
    sizes: list[int],
    repeat: int,
    baselines: bool,
    load_max: int,
    parts: tuple[str, ...] = PARTS,
    heavy: int | None = None,
) -> Results:
    results = Results()
    scratch = scratch_folder()
    for size in sizes:
        if "builds" in parts:
            with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                build_figures(
                    results, Path(tmp), size, (repeat, heavy or repeat), baselines, load_max
                )
        if "queries" in parts:
            with tempfile.TemporaryDirectory(dir=scratch) as tmp:
                query_figures(results, Path(tmp), size, repeat, baselines, smallest=min(sizes))
    return results


def build_figures(
    results: Results,
    tmp: Path,
    size: int,
    repeats: tuple[int, int],
    baselines: bool,
    load_max: int,
) -> None:
    """dckg's builds against the ceiling, the bulk loader and the baselines, in turns.

    ``repeats``: how often each step runs, the heavy ones (full build, Morph-KGC) second.
    """
    repeat, heavy = repeats
    folder = tmp / "project"
    table = make_project(folder, size)
    os.sync()  # the generated files on disk now: their write-back is not charged to a build run
    kg = [*KG, "--project", str(folder), "build", "--force"]  # each run builds, up to date or not
    out = folder / "out"
    ceiling = tmp / "ceiling.nt"
    target, ceiling_runs = interleaved(
        repeat,
        lambda: settled(measure([*kg, "--formats", "nt,ttl"]), out),
        lambda: measure_fresh(
            ceiling, [PY, "-c", CEILING_TEXT, str(table), str(ceiling), str(HERE)]
        ),
    )
    table_lines = sum(1 for _ in _table_triples(out / "kg.nt"))
    results.add(
        size,
        "target",
        "dckg `kg build --formats nt,ttl` (load, validate, NT + Turtle, statements.csv)",
        target,
        f"{table_lines:,} table triples; {target.cpu_percent:.0f}% CPU",
    )
    same = _digest(_table_triples(ceiling)) == _digest(_table_triples(out / "kg.nt"))
    results.add(
        size,
        "ceiling",
        "pure write: the same table bytes, NT + Turtle, fsynced, no checks (ceiling)",
        ceiling_runs,
        lambda: (
            f"bytes identical to dckg's: {'yes' if same else 'NO'}; "
            f"dckg/ceiling = {results.ratio(size, 'target', 'ceiling')}"
        ),
    )
    bulk = tmp / "bulk"
    oxigraph = str(Path(PY).with_name("oxigraph"))
    quads = tmp / "kg.nq"

    def bulk_load() -> Run:
        if not quads.exists():  # the quads of the full build's store: its named graphs too
            dump_quads(out / "store", quads)
        shutil.rmtree(bulk, ignore_errors=True)
        return measure([oxigraph, "load", "--location", str(bulk), "--file", str(quads)])

    full, loader = interleaved(heavy, lambda: settled(measure(kg), out), bulk_load)
    results.add(size, "full", "dckg `kg build` (also TriG, JSON-LD, embedded store)", full)
    results.add(
        size,
        "bulk",
        "`oxigraph load` bulk loader of the same build's quads (N-Quads dumped from its store)",
        loader,
        lambda: (
            f"{(table_lines + 30_000) / loader.seconds:,.0f} triples/s; {loader.cpu_percent:.0f}% CPU; "
            f"full build / (this + nt,ttl build) = {results.ratio(size, 'full', 'bulk', 'target')}; "
            f"/ this alone = {results.ratio(size, 'full', 'bulk')}; "
            f"peak memory full/this = {full.mib / loader.mib:.2f}x"
        ),
    )
    terms = median_of(1, [PY, "-c", CEILING_TERMS, str(table), str(tmp / "terms.nt")])
    results.add(
        size,
        "terms",
        "pyoxigraph term objects, CSV -> N-Triples, no checks",
        terms,
        lambda: f"dckg/this = {results.ratio(size, 'target', 'terms')}",
    )
    if not baselines:
        return
    morph = morph_python()
    s = median_of(heavy, [str(morph), "-m", "morph_kgc", str(morph_config(tmp, table))])
    results.add(
        size,
        "morph",
        "Morph-KGC 2.10 (RML, 1 process, its own venv) CSV -> N-Triples, no checks",
        s,
        lambda: f"12 triples a row; Morph-KGC/dckg = {results.ratio(size, 'morph', 'target')}",
    )
    if size <= RDFLIB_MAX_ROWS:
        only_table = tmp / "table.nt"
        with open(only_table, "w", encoding="utf-8") as handle:
            handle.writelines(_table_triples(out / "kg.nt"))
        s = median_of(1, [PY, "-c", RDFLIB, str(only_table), str(tmp / "rdflib.nt")])
        results.add(
            size,
            "rdflib",
            "rdflib: the table's N-Triples into a Graph, serialised",
            s,
            lambda: f"rdflib/dckg = {results.ratio(size, 'rdflib', 'target')}",
        )
        if size <= PYSHACL_MAX_ROWS:
            s = median_of(
                1,
                [
                    PY,
                    "-c",
                    PYSHACL,
                    str(only_table),
                    str(REPO / "ontology" / "shapes.ttl"),
                    str(REPO / "ontology" / "dckg.ttl"),
                ],
            )
            results.add(
                size,
                "pyshacl",
                "pyshacl on the table graph (inference none)",
                s,
                lambda: f"pyshacl/dckg = {results.ratio(size, 'pyshacl', 'target')}",
            )
    if size <= load_max:
        seconds, mib, note = measure_load(out, tmp)
        results.add(
            size,
            "load",
            "`kg load` into `oxigraph serve` (100k-triple chunks, staging graph + MOVE)",
            Runs((Run(seconds, mib, 0.0),)),
            note,
        )


def _wall_cpu(run: Run) -> tuple[float, float]:
    return run.seconds, run.cpu


def query_figures(
    results: Results, tmp: Path, size: int, repeat: int, baselines: bool, *, smallest: int
) -> None:
    """Every stored query on the curated data + the table: whole process, then in-process."""
    folder = tmp / "project"
    make_project(folder, size, curated=True)
    build = median_of(1, [*KG, "--project", str(folder), "build"])
    results.add(
        size,
        "queries-build",
        "dckg `kg build` of the query project (curated data + the same table)",
        build,
    )
    scratch = tmp / "answers"
    scratch.mkdir()
    measured = query_times.measure_all(
        folder,
        KG,
        repeat,
        lambda command, out: _wall_cpu(measure(command, stdout=out, ok=(0, 1))),  # ASK false: 1
        scratch,
    )
    rows = query_times.table(size, measured, repeat)
    results.failures += query_times.failures(size, smallest, measured)
    params = [
        f"--param={name}:{k}={v}"
        for name, values in sorted(query_times.PARAMS.items())
        for k, v in sorted(values.items())
    ]
    query_lines = subprocess.run(
        [
            PY,
            str(HERE / "queries_bench.py"),
            str(folder / "out"),
            str(folder / "queries"),
            "--repeat",
            str(repeat),
            *params,
            *(["--rdflib"] if baselines and size <= RDFLIB_MAX_ROWS else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    rows += [
        "",
        f"The same queries in-process on the {size:,}-row project (median of {repeat}; rdflib: one run on kg.nt parsed into a Graph):",
        "",
        "| query | rows | dckg (`run_local`) | pyoxigraph directly | dckg/pyoxigraph | rdflib | rdflib/dckg |",
        "|---|---|---|---|---|---|---|",
    ]
    for line in query_lines:
        if line.startswith("#"):
            rows.append(f"<!-- {line.lstrip('# ')} -->")
            continue
        name, count, mine, direct, rdf = line.split("\t")
        ratio = f"{float(mine) / max(float(direct), 1e-4):.2f}"
        rdf_ratio = f"{float(rdf) / max(float(mine), 1e-4):.0f}x" if rdf[:1].isdigit() else "-"
        rows.append(f"| {name} | {count} | {mine} s | {direct} s | {ratio} | {rdf} | {rdf_ratio} |")
    results.section(rows)


def measure_load(out: Path, tmp: Path) -> tuple[float, float, str]:
    """Seconds of `kg load` of every graph into a fresh `oxigraph serve`; the server's peak MiB."""
    sys.path.insert(0, str(REPO / "tests"))
    sys.path.insert(0, str(REPO / "tests" / "integration"))
    from stores import oxigraph  # the test suite's own server fixture

    from kg import load as loading

    with oxigraph(tmp / "server") as (store, process):
        target = loading.Target(gsp=store.gsp, sparql=store.sparql, update=store.update)
        report = loading.load(out / "store", target, chunk_size=100_000)
        status = Path(f"/proc/{process.pid}/status").read_text(encoding="utf-8")
        peak = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")
        )
    return (
        report.seconds,
        peak / 1024,
        f"{report.triples_per_second:,.0f} triples/s; peak memory is the server's",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--heavy-repeat",
        type=int,
        help="runs of the full build, its oxigraph load and Morph-KGC (default: --repeat)",
    )
    parser.add_argument("--baselines", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--load-max-rows",
        type=parse_size,
        default=100_000,
        help="measure `kg load` up to this many rows (staging graph + MOVE is slow on Oxigraph)",
    )
    parser.add_argument(
        "--only",
        choices=PARTS,
        help="measure only the builds (and baselines) or only the stored queries",
    )
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()[1]
    parts = (args.only,) if args.only else PARTS
    results = run(sizes, args.repeat, args.baselines, args.load_max_rows, parts, args.heavy_repeat)
    machine = f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.machine()}, Python {platform.python_version()}"
    load = (
        f"load average (5 min) {load_before:.1f} at the start, {os.getloadavg()[1]:.1f} at the end"
    )
    command = " ".join(["python", "bench/run.py", *sys.argv[1:]])
    failed = [f"- FAILED: {problem}" for problem in results.failures] or ["Every check passed."]
    text = "\n".join(
        [f"Machine: {machine}; {load}", f"Command: `{command}`", "", *results.rows, "", *failed]
    )
    print(text)
    if args.out:
        write_section(args.out, text + "\n")
    if results.failures:
        sys.exit(1)


START, END = "<!-- bench/run.py:start -->", "<!-- bench/run.py:end -->"


def write_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of RESULTS.md (added at the end the first time)."""
    section = f"{START}\n## Bulk tables: dckg against the field\n\n{text}{END}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        current = before + section + after
    else:
        current = current.rstrip("\n") + "\n\n" + section
    path.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()

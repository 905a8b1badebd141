"""Benchmark dckg on bulk tables against the tools a user would otherwise pick, in one run.

    .venv/bin/python bench/run.py --sizes 10k,100k,1m [--repeat 3] [--baselines] [--out bench/RESULTS.md]

Generates a synthetic project shaped like provincial statistics (about 3,000 made-up areas
with codes 91xxxx-99xxxx that GB/T 2260 does not assign, 50 indicators, years 2015-2025,
1,000 sources) and measures wall time and peak memory (each step in its own process, read
with wait4) of:
- dckg: `kg build` (load, validate, stream to NT/Turtle/TriG, store), stored queries;
- the ceiling: pyoxigraph writing the same row triples as N-Triples with no checks;
- baselines (with --baselines): rdflib building a Graph and serialising it (up to 100k rows),
  pyshacl on the 10k and 100k table graphs, the `oxigraph load` bulk loader.
Morph-KGC is not run yet: it pins pyoxigraph<0.4 and needs its own virtual environment.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
KG = [PY, "-m", "kg.cli"]
AREAS_PER_PREFECTURE = 16
PREFECTURES = 20
PROVINCES = 9
INDICATORS = 50
YEARS = range(2015, 2026)
SOURCES = 1000
# pyshacl with dckg's shapes (one SPARQL-based constraint among them) did not finish the
# 100k-row table graph (1.3M triples) in 4 minutes here; it runs at 10k only.
PYSHACL_MAX_ROWS = 10_000


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1_000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


# ---------------------------------------------------------------------------------------------
# The synthetic project
# ---------------------------------------------------------------------------------------------


def areas() -> list[tuple[str, str, str, str | None]]:
    """(id, type, code, parent) for about 3,000 made-up areas."""
    found: list[tuple[str, str, str, str | None]] = [("bench-land", "country", "", None)]
    for p in range(1, PROVINCES + 1):
        province = f"bench-p{p}"
        found.append((province, "province", f"9{p}0000", "bench-land"))
        for c in range(1, PREFECTURES + 1):
            city = f"{province}-c{c:02d}"
            found.append((city, "prefecture-level-city", f"9{p}{c:02d}00", province))
            for k in range(1, AREAS_PER_PREFECTURE + 1):
                found.append((f"{city}-k{k:02d}", "county", f"9{p}{c:02d}{k:02d}", city))
    return found


def make_project(folder: Path, rows: int) -> Path:
    """Write the synthetic project; the path of its table CSV."""
    shutil.copytree(REPO / "ontology", folder / "ontology")
    reference = folder / "data" / "reference"
    sources = folder / "data" / "sources"
    tables = folder / "data" / "tables"
    for path in (reference, sources, tables):
        path.mkdir(parents=True)
    lines = [
        "# Made-up reference data for dckg's benchmark (codes 91xxxx-99xxxx are not assigned).",
        "code_datasets:",
        "  - {id: bench-codes, repository: example/bench-codes, path: codes.json}",
        "areas:",
    ]
    for area_id, kind, code, parent in areas():
        code_part = f', code: "{code}", code_sources: [bench-codes]' if code else ""
        parent_part = f", parent: {parent}" if parent else ""
        lines.append(
            f"  - {{id: {area_id}, type: {kind}{code_part}, label: {{en: {area_id}, zh: 地区{area_id}}}{parent_part}}}"
        )
    lines += [
        "units:",
        '  - {id: count, iri: "http://qudt.org/vocab/unit/NUM", label: {en: number, zh: 个数}, symbol: "", integer: true}',
        "indicators:",
    ]
    lines += [
        f"  - {{id: bench-ind-{i:02d}, label: {{en: indicator {i}, zh: 指标{i}}}, definition: {{en: A made-up indicator., zh: 虚构指标。}}, unit: count}}"
        for i in range(1, INDICATORS + 1)
    ]
    lines += ["periods:"] + [
        f'  - {{id: "{y}", start: {y}-01-01, end: {y}-12-31, label: {{en: "{y}", zh: {y}年}}}}'
        for y in YEARS
    ]
    lines += ["organisations:", "  - {id: bench-office, label: {en: Bench Office, zh: 基准办公室}}"]
    (reference / "reference.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for s in range(SOURCES):
        (sources / f"bench-source-{s:04d}.yaml").write_text(
            f"source:\n  id: bench-source-{s:04d}\n  type: report\n"
            f'  title: {{en: Bench report {s}, zh: 基准报告{s}}}\n  publisher: bench-office\n  published: "2022-07"\n',
            encoding="utf-8",
        )
    (tables / "bench-table.yaml").write_text(
        "table:\n  id: bench-table\n  label: {en: Synthetic statistics, zh: 合成统计}\n  source: bench-source-0000\n  columns:\n"
        "    area_code: code\n    indicator: indicator\n    period: year\n    value: value\n"
        "    unit: {value: count}\n    qualifier: {value: exact}\n    kind: {value: total}\n    source: source\n",
        encoding="utf-8",
    )
    coded = [code for _, _, code, _ in areas() if code]
    path = tables / "bench-table.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "indicator", "year", "value", "source"])
        for i in range(rows):
            area = coded[i % len(coded)]
            indicator = (i // len(coded)) % INDICATORS + 1
            year = YEARS[(i // (len(coded) * INDICATORS)) % len(YEARS)]
            writer.writerow(
                [
                    area,
                    f"bench-ind-{indicator:02d}",
                    year,
                    (i * 7919) % 100_003,
                    f"bench-source-{i % SOURCES:04d}",
                ]
            )
    return path


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def measure(
    command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(seconds, peak MiB) of one process, read with wait4 (the child's own rusage)."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty child cannot block
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def median_of(repeat: int, command: list[str], **kwargs: object) -> tuple[float, float]:
    runs = [measure(command, **kwargs) for _ in range(repeat)]  # type: ignore[arg-type]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


CEILING = r"""
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


def _table_triples(path: Path) -> Iterator[str]:
    """The N-Triples lines of the table's rows in a build's kg.nt."""
    with open(path, encoding="utf-8") as handle:
        yield from (line for line in handle if "/statement/table/" in line)


def run(sizes: list[int], repeat: int, baselines: bool) -> list[str]:
    rows_out = ["| rows | step | wall (median) | peak memory | note |", "|---|---|---|---|---|"]
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "project"
            table = make_project(folder, size)
            # --no-views: the graph build alone, comparable with earlier results and baselines
            build_s, build_mb = median_of(
                repeat, [*KG, "--project", str(folder), "build", "--no-views"]
            )
            out = folder / "out"
            table_lines = sum(1 for _ in _table_triples(out / "kg.nt"))
            rows_out.append(
                f"| {size:,} | dckg `kg build` (load, validate, NT+Turtle+TriG, store) | {build_s:.1f} s | {build_mb:.0f} MiB | {table_lines:,} table triples |"
            )
            ceiling_s, ceiling_mb = median_of(
                repeat, [PY, "-c", CEILING, str(table), str(Path(tmp) / "ceiling.nt")]
            )
            rows_out.append(
                f"| {size:,} | pyoxigraph writes the row triples, no checks (ceiling) | {ceiling_s:.1f} s | {ceiling_mb:.0f} MiB | dckg/ceiling = {build_s / ceiling_s:.1f}x |"
            )
            for name in ("indicator-values", "area-statements"):
                q_s, q_mb = median_of(
                    repeat,
                    [
                        *KG,
                        "--project",
                        str(folder),
                        "query",
                        "--format",
                        "csv",
                        str(REPO / "queries" / f"{name}.rq"),
                        "--param",
                        "indicator=bench-ind-01"
                        if name == "indicator-values"
                        else "area=bench-p1-c01-k01",
                    ],
                )
                rows_out.append(
                    f"| {size:,} | `kg query {name}` (process start included) | {q_s:.2f} s | {q_mb:.0f} MiB | |"
                )
            if baselines:
                oxi = Path(PY).with_name("oxigraph")
                load_s, load_mb = median_of(
                    1,
                    [
                        str(oxi),
                        "load",
                        "--location",
                        str(Path(tmp) / "bulk"),
                        "--file",
                        str(out / "kg.nt"),
                    ],
                )
                rows_out.append(
                    f"| {size:,} | `oxigraph load` bulk loader of kg.nt | {load_s:.1f} s | {load_mb:.0f} MiB | |"
                )
                if size <= 100_000:
                    only_table = Path(tmp) / "table.nt"
                    with open(only_table, "w", encoding="utf-8") as handle:
                        handle.writelines(_table_triples(out / "kg.nt"))
                    r_s, r_mb = median_of(
                        1, [PY, "-c", RDFLIB, str(only_table), str(Path(tmp) / "rdflib.nt")]
                    )
                    rows_out.append(
                        f"| {size:,} | rdflib: parse the table's N-Triples into a Graph, serialise | {r_s:.1f} s | {r_mb:.0f} MiB | rdflib/dckg = {r_s / build_s:.1f}x |"
                    )
                if size <= PYSHACL_MAX_ROWS:
                    s_s, s_mb = median_of(
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
                    rows_out.append(
                        f"| {size:,} | pyshacl on the table graph (inference none) | {s_s:.1f} s | {s_mb:.0f} MiB | pyshacl/dckg build = {s_s / build_s:.1f}x |"
                    )
    return rows_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baselines", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    table = run(sizes, args.repeat, args.baselines)
    machine = f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.machine()}, Python {platform.python_version()}"
    command = " ".join(["python", "bench/run.py", *sys.argv[1:]])
    text = "\n".join([f"Machine: {machine}", f"Command: `{command}`", "", *table]) + "\n"
    print(text)
    if args.out:
        write_section(args.out, text)


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

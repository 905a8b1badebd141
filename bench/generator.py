"""The benchmark's synthetic projects: made-up areas, indicators, sources and one big table.

About 3,000 areas with codes 90xxxx-99xxxx, which GB/T 2260 does not assign (the country
`bench-land` is 900000), 50 indicators, years 2015-2025 and 1,000 source files; with
``curated``, the repository's curated data beside them (see docs/benchmarks.md).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
AREAS_PER_PREFECTURE = 16
PREFECTURES = 20
PROVINCES = 9
INDICATORS = 50
YEARS = range(2015, 2026)
SOURCES = 1000


# ---------------------------------------------------------------------------------------------


def areas() -> list[tuple[str, str, str, str | None]]:
    """(id, type, code, parent) for about 3,000 made-up areas."""
    found: list[tuple[str, str, str, str | None]] = [("bench-land", "country", "900000", None)]
    for p in range(1, PROVINCES + 1):
        province = f"bench-p{p}"
        found.append((province, "province", f"9{p}0000", "bench-land"))
        for c in range(1, PREFECTURES + 1):
            city = f"{province}-c{c:02d}"
            found.append((city, "prefecture-level-city", f"9{p}{c:02d}00", province))
            for k in range(1, AREAS_PER_PREFECTURE + 1):
                found.append((f"{city}-k{k:02d}", "county", f"9{p}{c:02d}{k:02d}", city))
    return found


CURATED = ("reference", "sources", "links")  # data/ folders copied from the repo


def curated_ids(folder: Path, key: str) -> set[str]:
    """Ids listed under ``key:`` in the curated reference files (so the bench adds no twin)."""
    yaml = YAML(typ="safe")
    found: set[str] = set()
    for path in sorted((folder / "data" / "reference").glob("*.yaml")):
        items = (yaml.load(path.read_text(encoding="utf-8")) or {}).get(key) or []
        found.update(str(item["id"]) for item in items)
    return found


def make_project(folder: Path, rows: int, *, curated: bool = False) -> Path:
    """Write the synthetic project; the path of its table CSV.

    The made-up areas, indicators, sources and a table of ``rows`` rows; with ``curated``,
    the repo's curated data beside them, so that every stored query has an answer (the
    project the queries are measured on; the build figures use the one without).
    """
    shutil.copytree(REPO / "ontology", folder / "ontology")
    shutil.copytree(REPO / "queries", folder / "queries")
    for name in CURATED if curated else ():
        shutil.copytree(REPO / "data" / name, folder / "data" / name)
    reference = folder / "data" / "reference"
    sources = folder / "data" / "sources"
    tables = folder / "data" / "tables"
    for path in (reference, sources, tables):
        path.mkdir(parents=True, exist_ok=True)
    periods = curated_ids(folder, "periods")
    lines = [
        "# Made-up reference data for dckg's benchmark (codes 90xxxx-99xxxx are not assigned).",
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
    if "count" not in curated_ids(folder, "units"):
        lines += [
            "units:",
            '  - {id: count, iri: "http://qudt.org/vocab/unit/NUM", label: {en: number, zh: 个数}, symbol: "", integer: true}',
        ]
    lines += ["indicators:"]
    lines += [
        f"  - {{id: bench-ind-{i:02d}, label: {{en: indicator {i}, zh: 指标{i}}}, definition: {{en: A made-up indicator., zh: 虚构指标。}}, unit: count}}"
        for i in range(1, INDICATORS + 1)
    ]
    lines += ["periods:"] + [
        f'  - {{id: "{y}", start: {y}-01-01, end: {y}-12-31, label: {{en: "{y}", zh: {y}年}}}}'
        for y in YEARS
        if str(y) not in periods
    ]
    lines += ["organisations:", "  - {id: bench-office, label: {en: Bench Office, zh: 基准办公室}}"]
    (reference / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
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

"""Table sidecars: ``data/tables/NAME.yaml`` beside ``NAME.csv``, read and checked.

The rows themselves are streamed by :mod:`kg.rows`. A sidecar maps statement fields to CSV
columns (a header name) or constants::

    table:
      id: county-broadband
      label: {en: ..., zh: ...}
      source: dcdr-2021            # the source document the figures come from
      columns:
        area_code: code            # GB/T 2260 code of an area in data/reference/
        indicator: indicator       # an indicator id
        period: year               # a period id
        value: value
        unit: {value: count}       # a constant
        qualifier: {value: exact}
        kind: {value: total}
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg import numbers
from kg.errors import Origin, RecordError, did_you_mean
from kg.model import KINDS, QUALIFIERS, Records, Text
from kg.sources.fields import DataErrors, Fields
from kg.sources.nodes import YamlMap
from kg.sources.yaml import read_yaml, yaml_files

FIELDS = (
    "area_code",
    "area",
    "indicator",
    "period",
    "value",
    "unit",
    "qualifier",
    "kind",
    "source",
)
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")  # a value cell: digits, normalised
REQUIRED = ("indicator", "period", "value", "unit", "qualifier", "kind")


@dataclass(frozen=True)
class Column:
    header: str | None = None  # a CSV column
    constant: str | None = None  # or a value for every row


@dataclass(frozen=True)
class TableSpec:
    id: str
    label: Text
    source: str | None
    csv_path: Path
    columns: dict[str, Column]
    origin: Origin


def _spec(path: Path, errors: list[RecordError]) -> TableSpec | None:
    node = read_yaml(path)
    top = Fields(node, path, errors)
    top.allow("table")
    table = node.get("table")
    if not isinstance(table, YamlMap):
        top.error(None, "a table sidecar needs a table: mapping")
        return None
    f = Fields(table, path, errors)
    f.allow("id", "label", "source", "columns")
    columns: dict[str, Column] = {}
    raw = table.get("columns")
    if not isinstance(raw, YamlMap):
        f.error("columns", "columns must map statement fields to CSV columns or {value: constant}")
    else:
        c = Fields(raw, path, errors)
        c.allow(*FIELDS)
        for name, value in raw.items():
            if isinstance(value, str) and value.strip():
                columns[str(name)] = Column(header=value.strip())
            elif (
                isinstance(value, YamlMap)
                and set(value) == {"value"}
                and value["value"] is not None
            ):
                columns[str(name)] = Column(constant=str(value["value"]))
            else:
                c.error(
                    str(name), f"column {name!r} must be a CSV column name or {{value: constant}}"
                )
        missing = [n for n in REQUIRED if n not in columns]
        if "area_code" not in columns and "area" not in columns:
            missing.append("area_code (or area)")
        if missing:
            c.error(None, f"columns lack {', '.join(missing)}")
    spec = TableSpec(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        source=f.slug("source", required=False),
        csv_path=path.with_suffix(".csv"),
        columns=columns,
        origin=f.origin,
    )
    if spec.source is None and "source" not in columns:
        f.error(None, "a table needs a source: (a source document id) or a source column")
    if not spec.csv_path.is_file():
        f.error(None, f"no CSV file {spec.csv_path.name} beside the sidecar")
    return spec if f.ok else None


def load_specs(tables_dir: Path) -> list[TableSpec]:
    """The sidecars of ``data/tables/``; DataErrors (exit 2) for malformed ones."""
    errors: list[RecordError] = []
    specs = [spec for path in yaml_files(tables_dir) if (spec := _spec(path, errors)) is not None]
    seen: dict[str, Origin] = {}
    for spec in specs:
        if spec.id in seen:
            errors.append(
                RecordError(
                    spec.origin, f"duplicate table id {spec.id!r} (first at {seen[spec.id]})"
                )
            )
        seen[spec.id] = spec.origin
    if errors:
        raise DataErrors(errors)
    return sorted(specs, key=lambda s: s.id)


@dataclass(frozen=True)
class Known:
    """The ids (and area codes) a table's cells may name, from the records."""

    area_codes: frozenset[str]
    areas: frozenset[str]
    indicators: frozenset[str]
    periods: frozenset[str]
    units: frozenset[str]
    sources: frozenset[str]
    whole_number_units: frozenset[str]

    @classmethod
    def of(cls, records: Records) -> Known:
        return cls(
            frozenset(a.code for a in records.areas if a.code),
            frozenset(a.id for a in records.areas),
            frozenset(i.id for i in records.indicators),
            frozenset(p.id for p in records.periods),
            frozenset(u.id for u in records.units),
            frozenset(s.id for s in records.sources),
            frozenset(u.id for u in records.units if u.integer),
        )


def cell_errors(
    spec: TableSpec, line: int, cells: list[str], positions: dict[str, int], known: Known
) -> list[RecordError]:
    """Every input error of a row (file:line), each naming its column or constant."""
    path = spec.csv_path
    errors: list[RecordError] = []

    def get(name: str) -> str:
        return _getter(spec.columns.get(name), positions)(cells)

    def error(name: str, message: str, hint: str | None = None) -> None:
        column = spec.columns.get(name)
        where = f"column {column.header!r}" if column and column.header else f"{name} (constant)"
        errors.append(RecordError(Origin(path, line), f"{where}: {message}", hint=hint))

    if "area_code" in spec.columns:
        code = get("area_code")
        if code not in known.area_codes:
            error(
                "area_code",
                f"{code!r} is not the GB/T 2260 code of an area in data/reference/",
                hint=did_you_mean(code, known.area_codes),
            )
    elif get("area") not in known.areas:
        error(
            "area",
            f"{get('area')!r} is not a known area id",
            hint=did_you_mean(get("area"), known.areas),
        )
    if get("indicator") not in known.indicators:
        error(
            "indicator",
            f"{get('indicator')!r} is not a known indicator",
            hint=did_you_mean(get("indicator"), known.indicators),
        )
    if get("period") not in known.periods:
        error(
            "period",
            f"{get('period')!r} is not a known period",
            hint='periods are in data/reference/ (e.g. "2021")',
        )
    if get("unit") not in known.units:
        error(
            "unit",
            f"{get('unit')!r} is not a known unit",
            hint=did_you_mean(get("unit"), known.units),
        )
    qualifier, kind = get("qualifier"), get("kind")
    if qualifier not in QUALIFIERS:
        error("qualifier", f"{qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    if kind not in KINDS:
        error("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    source = get("source") if "source" in spec.columns else (spec.source or "")
    if source not in known.sources:
        error("source", f"{source!r} is not a source document in data/sources/")
    raw = get("value")
    if not NUMBER.match(raw):
        error(
            "value",
            f"{raw!r} is not a number",
            hint=f"write digits, normalised ({numbers.normalised_example(raw)})",
        )
    elif "." in raw and get("unit") in known.whole_number_units:
        # the same input error as in a YAML record (documents._value), not a shape violation
        error(
            "value",
            f"value {raw} is in {get('unit')!r}, a whole-number unit, but has a decimal point",
            hint="write a whole number",
        )
    return errors


def _getter(column: Column | None, positions: dict[str, int]) -> Callable[[list[str]], str]:
    """A function from a row's cells to one field's text: a CSV cell, a constant or ""."""
    if column is None:
        return lambda cells: ""
    if column.constant is not None:
        constant = column.constant
        return lambda cells: constant
    index = positions[column.header or ""]
    return lambda cells: cells[index].strip() if index < len(cells) else ""

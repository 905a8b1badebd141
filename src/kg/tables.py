"""Bulk statistical tables: ``data/tables/NAME.csv`` with a ``NAME.yaml`` sidecar, streamed.

A table's rows never enter an rdflib graph. Each row is checked against the (small)
reference data and turned into N-Triples and Turtle text from terms vetted once, so memory
stays flat as rows grow. The shapes' constraints on a row's observation are compiled into
checks that run as the rows stream (:func:`check_value`, duplicates in :class:`TableWriter`);
a test proves they report what pyshacl reports on the same triples. A table's triples follow
its row order, so no global sort is needed and the output is the same from build to build.

A sidecar maps statement fields to CSV columns (a header name) or constants::

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

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from ruamel.yaml.comments import CommentedMap

from kg.build import (
    KIND_CONCEPTS,
    QUALIFIER_CONCEPTS,
    Builder,
    format_value,
    observation_labels,
)
from kg.errors import Origin, RecordError
from kg.model import Observation, Records, Text
from kg.sources import KINDS, QUALIFIERS, Fields, read_yaml
from kg.validate import Violation
from kg.vocab import DCKG, ID, mint

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
VIOLATION = f"{SH}Violation"
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
REQUIRED = ("indicator", "period", "value", "unit", "qualifier", "kind")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

# The messages of the shapes these checks compile (ontology/shapes.ttl); kept identical.
INTEGER_MESSAGE = "a value in an integer-valued unit (a count, a rank) must be an xsd:integer"
NON_NEGATIVE_MESSAGE = (
    "a total, a number new in a period, a share, a rank or a ratio cannot be negative"
)
SHARE_MESSAGE = "a share is stated in percent (unit:PERCENT), between 0 and 100"
RANK_MESSAGE = "a rank is an xsd:integer of at least 1"
CONFLICT_MESSAGE = (
    "another statement of the same source gives a different value ({value}) for the same "
    "indicator, area, kind and time: {other}"
)
PERCENT = "http://qudt.org/vocab/unit/PERCENT"

# Predicates and classes as N-Triples text, made once (rdflib's Namespace makes a new term,
# checked, on every attribute access).
_OBSERVATION = f"<{DCKG.Observation}>"
_AREA = f"<{DCKG.area}>"
_INTABLE = f"<{DCKG.inTable}>"
_INDICATOR = f"<{DCKG.indicator}>"
_QUALIFIER = f"<{DCKG.qualifier}>"
_REFPERIOD = f"<{DCKG.refPeriod}>"
_STATEMENTKIND = f"<{DCKG.statementKind}>"
_TABLEROW = f"<{DCKG.tableRow}>"
_UNIT = f"<{DCKG.unit}>"
_VALUE = f"<{DCKG.value}>"
_KIND_TEXT = {kind: f"<{iri}>" for kind, iri in KIND_CONCEPTS.items()}
_QUALIFIER_TEXT = {name: f"<{iri}>" for name, iri in QUALIFIER_CONCEPTS.items()}


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

    @property
    def iri(self) -> str:
        return str(mint("table", self.id))


def _spec(path: Path, errors: list[RecordError]) -> TableSpec | None:
    node = read_yaml(path)
    top = Fields(node, path, errors)
    top.allow("table")
    table = node.get("table")
    if not isinstance(table, CommentedMap):
        top.error(None, "a table sidecar needs a table: mapping")
        return None
    f = Fields(table, path, errors)
    f.allow("id", "label", "source", "columns")
    columns: dict[str, Column] = {}
    raw = table.get("columns")
    if not isinstance(raw, CommentedMap):
        f.error("columns", "columns must map statement fields to CSV columns or {value: constant}")
    else:
        c = Fields(raw, path, errors)
        c.allow(*FIELDS)
        for name, value in raw.items():
            if isinstance(value, str) and value.strip():
                columns[str(name)] = Column(header=value.strip())
            elif (
                isinstance(value, CommentedMap)
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
    from kg.sources import DataErrors, yaml_files

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


# ---------------------------------------------------------------------------------------------
# Terms as text, vetted once
# ---------------------------------------------------------------------------------------------

# pyoxigraph's N-Triples escapes: \\ \" \n \r \t \b \f, other control characters as \\uXXXX.
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\b": "\\b",
        "\f": "\\f",
    }
)


def nt_string(text: str) -> str:
    """A string literal's body as pyoxigraph writes it in N-Triples."""
    return text.translate(_ESCAPES)


def nt_literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    body = f'"{nt_string(text)}"'
    if lang:
        return f"{body}@{lang}"
    if datatype and datatype != f"{XSD}string":
        return f"{body}^^<{datatype}>"
    return body


@dataclass
class RowProblems:
    """Input errors (exit 2) and violations (exit 1) found while streaming."""

    errors: list[RecordError] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def check_value(
    statement: str,
    value: Decimal,
    integer_literal: bool,
    unit_iri: str,
    unit_integer: bool,
    kind: str,
    origin: Origin,
) -> list[Violation]:
    """The row-local shape constraints on one observation (IntegerValue, NonNegative, Share, Rank)."""
    found = []

    def violation(message: str) -> Violation:
        return Violation(
            focus=statement,
            path="",
            component=f"{SH}OrConstraintComponent",
            message=message,
            value=statement,
            severity=VIOLATION,
            origin=origin,
        )

    if unit_integer and not integer_literal:
        found.append(violation(INTEGER_MESSAGE))
    if kind in ("total", "new", "share", "rank", "ratio") and value < 0:
        found.append(violation(NON_NEGATIVE_MESSAGE))
    if kind == "share" and (value > 100 or unit_iri != PERCENT):
        found.append(violation(SHARE_MESSAGE))
    if kind == "rank" and (not integer_literal or value < 1):
        found.append(violation(RANK_MESSAGE))
    return found


class TableWriter:
    """Streams the rows of tables into N-Triples and Turtle text, checking each row."""

    def __init__(self, records: Records) -> None:
        self.builder = Builder(records)
        self.records = records
        self.area_by_code = {a.code: a for a in records.areas if a.code}
        self.area_by_id = {a.id: a for a in records.areas}
        self.source_ids = {s.id for s in records.sources}
        self.iris: dict[tuple[str, str], str] = {}
        # key (indicator, area, kind, source, period) -> (statement, value literal) for duplicates
        self.seen: dict[tuple[str, str, str, str, str], list[tuple[str, str, Decimal]]] = {}
        self.origins: dict[str, Origin] = {}  # curated statement IRI -> its record, for conflicts
        self.table_paths: dict[str, Path] = {}  # table id -> its CSV (a row's IRI holds its line)
        for statement in records.statements:
            if (
                isinstance(statement, Observation)
                and statement.when.period
                and statement.about is None
            ):
                key = (
                    statement.indicator,
                    statement.area,
                    statement.kind,
                    statement.source,
                    statement.when.period,
                )
                literal = _value_lexical(
                    statement.value, self.builder.units[statement.unit].integer
                )
                iri = str(mint("statement", statement.source, statement.id))
                self.seen.setdefault(key, []).append((iri, literal, statement.value))
                self.origins[iri] = statement.origin

    def _origin_of(self, statement: str) -> Origin | None:
        """The record or CSV row of an earlier statement (``…/statement/table/ID/rLINE``)."""
        if statement in self.origins:
            return self.origins[statement]
        table, _, row = statement.removeprefix(f"{ID}statement/table/").rpartition("/r")
        path = self.table_paths.get(table)
        return Origin(path, int(row)) if path is not None and row.isdigit() else None

    def _iri(self, kind: str, key: str) -> str:
        """The IRI of a reference entity, minted once and then reused for every row."""
        cached = self.iris.get((kind, key))
        if cached is None:
            cached = str(self.builder.unit_iri(key)) if kind == "unit" else str(mint(kind, key))
            self.iris[(kind, key)] = cached
        return cached

    def table_node(self, spec: TableSpec) -> list[str]:
        """The table's own triples, as N-Triples lines."""
        node = f"<{spec.iri}>"
        lines = [
            f"{node} {RDF_TYPE} <{DCKG.StatisticalTable}> .",
            f"{node} <{DCKG.tableFile}> {nt_literal(f'data/tables/{spec.csv_path.name}')} .",
        ]
        for lang, text in spec.label.items:
            lines.append(f"{node} {RDFS_LABEL} {nt_literal(text, lang=lang)} .")
        if spec.source:
            lines.append(f"{node} {PROV_DERIVED} <{mint('source', spec.source)}> .")
        return lines

    def rows(
        self, spec: TableSpec, problems: RowProblems
    ) -> Iterator[tuple[int, list[str], dict[str, str]]]:
        """(CSV line, N-Triples lines, statements.csv row) for each good row; problems collected."""
        path = spec.csv_path
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader)
            except StopIteration:
                problems.errors.append(
                    RecordError(
                        Origin(path, 1), "the table is empty", hint="a header row is needed"
                    )
                )
                return
            positions = {name: index for index, name in enumerate(header)}
            for name, column in spec.columns.items():
                if column.header is not None and column.header not in positions:
                    problems.errors.append(
                        RecordError(
                            Origin(path, 1),
                            f"no column {column.header!r} (for {name}) in the header",
                        )
                    )
            if problems.errors:
                return
            for line, cells in enumerate(reader, start=2):
                if not cells:
                    continue
                made = self._row(spec, line, cells, positions, problems)
                if made is not None:
                    yield line, made[0], made[1]

    def _cell(self, spec: TableSpec, name: str, cells: list[str], positions: dict[str, int]) -> str:
        column = spec.columns.get(name)
        if column is None:
            return ""
        if column.constant is not None:
            return column.constant
        index = positions[column.header or ""]
        return cells[index].strip() if index < len(cells) else ""

    def _row(
        self,
        spec: TableSpec,
        line: int,
        cells: list[str],
        positions: dict[str, int],
        problems: RowProblems,
    ) -> tuple[list[str], dict[str, str]] | None:
        path = spec.csv_path

        def get(name: str) -> str:
            return self._cell(spec, name, cells, positions)

        def error(name: str, message: str, hint: str | None = None) -> None:
            column = spec.columns.get(name)
            where = (
                f"column {column.header!r}" if column and column.header else f"{name} (constant)"
            )
            problems.errors.append(
                RecordError(Origin(path, line), f"{where}: {message}", hint=hint)
            )

        ok = True
        area = None
        if "area_code" in spec.columns:
            code = get("area_code")
            area = self.area_by_code.get(code)
            if area is None:
                error(
                    "area_code", f"{code!r} is not the GB/T 2260 code of an area in data/reference/"
                )
                ok = False
        else:
            area = self.area_by_id.get(get("area"))
            if area is None:
                error("area", f"{get('area')!r} is not a known area id")
                ok = False
        indicator = self.builder.indicators.get(get("indicator"))
        if indicator is None:
            error("indicator", f"{get('indicator')!r} is not a known indicator")
            ok = False
        period = self.builder.periods.get(get("period"))
        if period is None:
            error(
                "period",
                f"{get('period')!r} is not a known period",
                hint='periods are in data/reference/ (e.g. "2021")',
            )
            ok = False
        unit = self.builder.units.get(get("unit"))
        if unit is None:
            error("unit", f"{get('unit')!r} is not a known unit")
            ok = False
        qualifier, kind = get("qualifier"), get("kind")
        if qualifier not in QUALIFIERS:
            error("qualifier", f"{qualifier!r} is not one of {', '.join(QUALIFIERS)}")
            ok = False
        if kind not in KINDS:
            error("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
            ok = False
        source = get("source") if "source" in spec.columns else (spec.source or "")
        if source not in self.source_ids:
            error("source", f"{source!r} is not a source document in data/sources/")
            ok = False
        raw = get("value")
        if not _DECIMAL.match(raw):
            error(
                "value",
                f"{raw!r} is not a number",
                hint="write digits, normalised (142.5万 -> 1425000)",
            )
            ok = False
        if not ok or area is None or indicator is None or period is None or unit is None:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
        integer_literal = unit.integer and value == value.to_integral_value() and "." not in raw
        lexical = _value_lexical(value, integer_literal)
        statement = f"{ID}statement/table/{spec.id}/r{line}"  # = mint(...), the slugs vetted
        origin = Origin(path, line)
        unit_iri = self._iri("unit", unit.id)
        problems.violations.extend(
            check_value(statement, value, integer_literal, unit_iri, unit.integer, kind, origin)
        )
        key = (indicator.id, area.id, kind, source, period.id)
        same_key = self.seen.setdefault(key, [])
        for other, other_lexical, other_value in same_key:
            if other_value == value:
                continue
            for focus, partner, partner_value in (
                (statement, other, other_lexical),
                (other, statement, lexical),
            ):
                problems.violations.append(
                    Violation(
                        focus=focus,
                        path="",
                        component=f"{SH}SPARQLConstraintComponent",
                        message=CONFLICT_MESSAGE.format(value=partner_value, other=partner),
                        value=focus,
                        severity=VIOLATION,
                        origin=origin if focus == statement else self._origin_of(focus),
                    )
                )
        same_key.append((statement, lexical, value))
        self.table_paths[spec.id] = path
        datatype = f"{XSD}integer" if integer_literal else f"{XSD}decimal"
        s = f"<{statement}>"
        number = format_value(value)
        label_en, label_zh = observation_labels(
            area.label,
            indicator.label,
            kind,
            qualifier,
            value,
            unit,
            (period.label.get("en") or "", period.label.get("zh") or ""),
        )
        row = {
            "statement": statement,
            "type": "observation",
            "source": source,
            "area": area.id,
            "area_code": area.code or "",
            "area_en": area.label.get("en") or "",
            "area_zh": area.label.get("zh") or "",
            "indicator": indicator.id,
            "indicator_en": indicator.label.get("en") or "",
            "kind": kind,
            "value": number,
            "unit": unit_iri,
            "qualifier": qualifier,
            "period": period.id,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "time_stated": "true",
            "label_en": label_en,
            "label_zh": label_zh,
            "table": spec.id,
            "table_row": str(line),
        }
        return [
            f"{s} {RDF_TYPE} {_OBSERVATION} .",
            f"{s} {RDFS_LABEL} {nt_literal(label_en, lang='en')} .",
            f"{s} {RDFS_LABEL} {nt_literal(label_zh, lang='zh')} .",
            f"{s} {PROV_DERIVED} <{self._iri('source', source)}> .",
            f"{s} {_AREA} <{self._iri('area', area.id)}> .",
            f"{s} {_INDICATOR} <{self._iri('indicator', indicator.id)}> .",
            f"{s} {_REFPERIOD} <{self._iri('period', period.id)}> .",
            f'{s} {_VALUE} "{lexical}"^^<{datatype}> .',
            f"{s} {_UNIT} <{unit_iri}> .",
            f"{s} {_QUALIFIER} {_QUALIFIER_TEXT[qualifier]} .",
            f"{s} {_STATEMENTKIND} {_KIND_TEXT[kind]} .",
            f"{s} {_INTABLE} <{spec.iri}> .",
            f'{s} {_TABLEROW} "{line}"^^<{XSD}positiveInteger> .',
        ], row


def _value_lexical(value: Decimal, integer: bool) -> str:
    text = format_value(value)
    if integer:
        return text
    return text if "." in text else text + ".0"


def write_table(
    writer: TableWriter,
    spec: TableSpec,
    nt: TextIO,
    rows: csv.DictWriter[str],
    problems: RowProblems,
) -> tuple[int, int]:
    """Stream one table into ``nt`` (N-Triples in row order) and ``rows`` (statements.csv).

    Returns the numbers of triples and of statements written.
    """
    count = statements = 0
    for line in writer.table_node(spec):
        nt.write(line + "\n")
        count += 1
    for _, triples, row in writer.rows(spec, problems):
        nt.write("\n".join(triples) + "\n")
        rows.writerow(row)
        count += len(triples)
        statements += 1
    return count, statements

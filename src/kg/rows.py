"""The row writer: a bulk table's rows streamed to N-Triples, JSON-LD and statements.csv text.

A table's rows never enter an rdflib graph. Each row is checked against the (small)
reference data and turned into text from terms vetted once, so memory stays flat as rows
grow. The shapes' constraints on an observation run on each row as compiled
:class:`~kg.validate.Checks` (duplicate keys in :class:`TableWriter`'s index); a test proves
they report what pyshacl reports on the same triples. A table's triples follow its row
order, so no global sort is needed and the output is the same from build to build. The
sidecars are read by :mod:`kg.sources.tables`.
"""

from __future__ import annotations

import contextlib
import csv
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice, pairwise
from pathlib import Path
from typing import TextIO

from kg.build import Builder
from kg.csvparts import FIRST_ROW, Part, part_lines
from kg.errors import Origin, RecordError
from kg.model import KINDS, Area, Indicator, Observation, Period, Records, Unit
from kg.observation import KIND_CONCEPTS, KIND_LABELS, QUALIFIER_SIGNS, format_value, value_lexical
from kg.render import (
    CSV_SPECIAL,
    compile_row,
    csv_field,
    json_node,
    json_string,
    nt_literal,
    nt_string,
)
from kg.sources.tables import NUMBER, Known, TableSpec, cell_errors
from kg.validate import Checks, Violation
from kg.vocab import DCKG, ID, mint

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
XSD = "http://www.w3.org/2001/XMLSchema#"

_KIND_IRIS = {kind: str(iri) for kind, iri in KIND_CONCEPTS.items()}


def table_iri(spec: TableSpec) -> str:
    """The IRI of a table's own node."""
    return str(mint("table", spec.id))


def _kinds_to_check(checks: Checks, records: Records) -> frozenset[str]:
    """The statement kinds whose digits-only values (0 or more) some check can refuse.

    A row of digits is written as an xsd:integer in an integer-valued unit and as an
    xsd:decimal otherwise; only the kinds found here need a Decimal and the checks.
    """
    return frozenset(
        kind
        for kind, iri in _KIND_IRIS.items()
        for unit in records.units
        if checks.can_fail(
            unit.integer,
            unit.iri or str(mint("unit", unit.id)),
            unit.integer,
            iri,
            minimum=Decimal(0),
        )
    )


@dataclass
class RowProblems:
    """Input errors (exit 2) and violations (exit 1) found while streaming."""

    errors: list[RecordError] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class _Term:
    """A reference entity as the row writer needs it: id, IRI text and escaped label parts."""

    id: str
    index: int  # its position in the records, for the duplicate-key index
    iri: str  # "<...>"
    en: str  # the label as str() of Text.get, N-Triples-escaped
    zh: str
    plain_en: str  # the same, unescaped, for statements.csv's labels
    plain_zh: str
    csv: str  # its statements.csv columns, quoted: id,code,en,zh | id,en | id,start,end
    csv_plain: bool  # its labels need no quoting in CSV
    json_iri: str  # '{"@id": "..."}'
    en_json: str  # the label parts escaped for a JSON string
    zh_json: str


@dataclass(frozen=True)
class _Source:
    index: int
    iri: str  # "<...>"
    csv: str
    json_iri: str


@dataclass(frozen=True)
class _UnitParts:
    """A unit's IRI and the words that end a label (" 个" or "", labels are right-stripped)."""

    iri: str
    en: str
    zh: str
    en_nt: str  # the same, N-Triples-escaped
    zh_nt: str
    csv: str
    csv_plain: bool
    en_json: str  # the same, escaped for a JSON string
    zh_json: str


class TableWriter:
    """Streams the rows of tables into N-Triples text, checking each row as it goes.

    Reference entities are looked up once per distinct cell text and kept with their IRI
    and escaped label parts; a row then costs a few dict lookups and one f-string. The
    duplicate-key index holds one small string per (indicator, area, kind, source, period),
    keyed by one integer, so memory stays near 150 bytes a row.
    """

    def __init__(self, records: Records, checks: Checks) -> None:
        self.builder = Builder(records)
        self.checks = checks
        self._checked_kinds = _kinds_to_check(checks, records)
        self.records = records
        self.area_by_code = {a.code: a for a in records.areas if a.code}
        self.area_by_id = {a.id: a for a in records.areas}
        self.known = Known.of(records)
        self.iris: dict[tuple[str, str], str] = {}
        self._index = {
            "area": {a.id: n for n, a in enumerate(records.areas)},
            "indicator": {i.id: n for n, i in enumerate(records.indicators)},
            "kind": {k: n for n, k in enumerate(KINDS)},
            "source": {s.id: n for n, s in enumerate(records.sources)},
            "period": {p.id: n for n, p in enumerate(records.periods)},
        }
        self._radix = [len(self._index[name]) + 1 for name in DUPLICATE_KEY]
        # key -> "statement IRI\x1flexical" of the first statement with that key; keys with
        # two or more different values keep every (IRI, lexical, value) in _several.
        self.seen: dict[int, str] = {}
        # with a list here, every key that _remember sees goes into it (see keys_touched)
        self.touched: list[int] | None = None
        self._several: dict[int, list[tuple[str, str, Decimal]]] = {}
        self._terms: dict[tuple[str, str], _Term | None] = {}
        self._found: dict[str, dict[str, _Term]] = {
            kind: {} for kind in ("area_code", "area", "indicator", "period")
        }
        self._source_parts = {
            s.id: _Source(
                n,
                f"<{mint('source', s.id)}>",
                csv_field(s.id),
                json_node(str(mint("source", s.id))),
            )
            for n, s in enumerate(records.sources)
        }
        self._units: dict[str, _UnitParts] = {}
        self.origins: dict[str, Origin] = {}  # curated statement IRI -> its record, for conflicts
        self.table_paths: dict[str, Path] = {}  # table id -> its CSV (a row's IRI holds its line)
        for statement in records.statements:
            if (
                isinstance(statement, Observation)
                and statement.when.period
                and statement.about is None
            ):
                key = self._key(
                    statement.indicator,
                    statement.area,
                    statement.kind,
                    statement.source,
                    statement.when.period,
                )
                literal = value_lexical(statement.value, self.builder.units[statement.unit].integer)
                iri = str(mint("statement", statement.source, statement.id))
                self._remember(key, iri, literal, statement.value, statement.origin, [])
                self.origins[iri] = statement.origin

    def _key(self, indicator: str, area: str, kind: str, source: str, period: str) -> int:
        key = 0
        for name, value, radix in zip(
            DUPLICATE_KEY, (indicator, area, kind, source, period), self._radix, strict=True
        ):
            key = key * radix + self._index[name][value]
        return key

    def _remember(
        self,
        key: int,
        statement: str,
        lexical: str,
        value: Decimal | None,
        origin: Origin,
        violations: list[Violation],
    ) -> None:
        """Index a statement's value under its key; a different value already there conflicts."""
        if self.touched is not None:
            self.touched.append(key)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = f"{statement}\x1f{lexical}"
            return
        if key not in self._several:
            other, other_lexical = first.split("\x1f")
            if other_lexical == lexical:
                return  # the same value again (the common case): no conflict, nothing to keep
            self._several[key] = [(other, other_lexical, Decimal(other_lexical))]
        number = Decimal(lexical) if value is None else value
        same_key = self._several[key]
        for other, other_lexical, other_value in same_key:
            if other_value == number:
                continue
            for focus, partner, partner_value in (
                (statement, other, other_lexical),
                (other, statement, lexical),
            ):
                violations.append(
                    self.checks.conflict(
                        focus,
                        partner,
                        partner_value,
                        origin if focus == statement else self._origin_of(focus),
                        shown=lexical if focus == statement else other_lexical,
                    )
                )
        same_key.append((statement, lexical, number))

    def keys_touched(self, since: int) -> set[int]:
        """The duplicate keys of the rows written since :attr:`seen` held ``since`` keys (with
        :attr:`touched` a list since then): new keys and keys seen before alike."""
        return self.keys_between([(since, 0), self.mark()])[0]

    def mark(self) -> tuple[int, int]:
        """How many keys :attr:`seen` and :attr:`touched` hold now, for :meth:`keys_between`."""
        return len(self.seen), len(self.touched or ())

    def keys_between(self, marks: Sequence[tuple[int, int]]) -> list[set[int]]:
        """The duplicate keys of the rows written between each :meth:`mark` and the next (as
        :meth:`keys_touched`), in one pass over :attr:`seen`."""
        first = marks[0][0]
        new, touched = list(islice(self.seen, first, None)), self.touched or []
        return [
            set(new[seen - first : seen_end - first]).union(touched[start:end])
            for (seen, start), (seen_end, end) in pairwise(marks)
        ]

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

    def _term(self, kind: str, cell: str) -> _Term | None:
        """The area (by code or id), indicator or period that a cell names; None if none."""
        cached = self._terms.get((kind, cell), MISSING)
        if cached is not MISSING:
            return cached  # type: ignore[return-value]
        found: Area | Indicator | Period | None
        if kind == "area_code":
            found = self.area_by_code.get(cell)
        elif kind == "area":
            found = self.area_by_id.get(cell)
        elif kind == "indicator":
            found = self.builder.indicators.get(cell)
        else:
            found = self.builder.periods.get(cell)
        term = None
        if found is not None:
            group = "area" if kind.startswith("area") else kind
            en, zh = str(found.label.get("en")), str(found.label.get("zh"))
            if isinstance(found, Period):  # a period's label may be missing: "" as before
                en, zh = found.label.get("en") or "", found.label.get("zh") or ""
            term = _Term(
                id=found.id,
                index=self._index[group][found.id],
                iri=f"<{self._iri(group, found.id)}>",
                en=nt_string(en),
                zh=nt_string(zh),
                plain_en=en,
                plain_zh=zh,
                csv=_csv_columns(found),
                csv_plain=not CSV_SPECIAL.search(en + zh),
                json_iri=json_node(self._iri(group, found.id)),
                en_json=json_string(en),
                zh_json=json_string(zh),
            )
            self._found[kind][cell] = term
        self._terms[(kind, cell)] = term
        return term

    def _unit_parts(self, unit: Unit) -> _UnitParts:
        parts = self._units.get(unit.id)
        if parts is None:
            en = unit.symbol if unit.symbol is not None else unit.label.get("en") or ""
            zh = unit.symbol if unit.symbol is not None else unit.label.get("zh") or ""
            en, zh = f" {en}".rstrip(), f" {zh}".rstrip()
            iri = self._iri("unit", unit.id)
            parts = _UnitParts(
                iri,
                en,
                zh,
                nt_string(en),
                nt_string(zh),
                csv_field(iri),
                not CSV_SPECIAL.search(en + zh),
                json_string(en),
                json_string(zh),
            )
            self._units[unit.id] = parts
        return parts

    def table_node(self, spec: TableSpec) -> list[str]:
        """The table's own triples, as N-Triples lines."""
        node = f"<{table_iri(spec)}>"
        lines = [
            f"{node} {RDF_TYPE} <{DCKG.StatisticalTable}> .",
            f"{node} <{DCKG.tableFile}> {nt_literal(f'data/tables/{spec.csv_path.name}')} .",
        ]
        for lang, text in spec.label.items:
            lines.append(f"{node} {RDFS_LABEL} {nt_literal(text, lang=lang)} .")
        if spec.source:
            lines.append(f"{node} {PROV_DERIVED} <{mint('source', spec.source)}> .")
        return lines

    def table_node_json(self, spec: TableSpec) -> str:
        """The table's own node as a JSON-LD node object (the same triples as table_node)."""
        labels = ", ".join(
            f'{{"@language": "{lang}", "@value": "{json_string(text)}"}}'
            for lang, text in spec.label.items
        )
        derived = (
            f', "prov:wasDerivedFrom": {json_node(str(mint("source", spec.source)))}'
            if spec.source
            else ""
        )
        return (
            f'{{"@id": "{json_string(table_iri(spec))}", "@type": "dckg:StatisticalTable", '
            f'"dckg:tableFile": "{json_string(f"data/tables/{spec.csv_path.name}")}", '
            f'"rdfs:label": [{labels}]{derived}}}'
        )

    def write(
        self,
        spec: TableSpec,
        nt: TextIO,
        rows: TextIO,
        problems: RowProblems,
        jsonld: TextIO | None = None,
        *,
        part: Part | None = None,
    ) -> tuple[int, int]:
        """Stream one table: N-Triples into ``nt`` in row order, statements.csv lines into ``rows``.

        With ``jsonld``, also one JSON-LD node object a row (after the table's own), each
        line but the first starting with a comma: the body of the table's ``@graph`` array.
        With ``part`` (see :func:`kg.csvparts.parts`), only that part's rows, and the table's own node
        only with the first part. Returns the numbers of triples and of statements written.
        Bad cells become errors (exit 2) and broken values violations (exit 1), both in
        ``problems``.
        """
        triples, statements = 0, 0
        if part is None or part.first:
            head = self.table_node(spec)
            nt.write("".join(line + "\n" for line in head))
            if jsonld is not None:
                jsonld.write(self.table_node_json(spec))
            triples = len(head)
        path = spec.csv_path
        self.table_paths[spec.id] = path
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                problems.errors.append(
                    RecordError(
                        Origin(path, 1), "the table is empty", hint="a header row is needed"
                    )
                )
                return triples, statements
            positions = {name: index for index, name in enumerate(header)}
            missing = [
                RecordError(
                    Origin(path, 1), f"no column {column.header!r} (for {name}) in the header"
                )
                for name, column in spec.columns.items()
                if column.header is not None and column.header not in positions
            ]
            if missing:  # (errors of earlier rows or tables do not stop this one)
                if part is None or part.first:  # once a table, not once a part
                    problems.errors += missing
                return triples, statements
            with contextlib.ExitStack() as stack:
                if part is not None:  # the part's rows, read as the whole file's are
                    reader = csv.reader(stack.enter_context(part_lines(path, part)))
                written = self._write_rows(
                    spec,
                    reader,
                    FIRST_ROW if part is None else part.first_line,
                    positions,
                    len(header),
                    nt,
                    rows,
                    problems,
                    jsonld,
                )
        return triples + written[0], written[1]

    def _write_rows(
        self,
        spec: TableSpec,
        reader: Iterator[list[str]],
        first_line: int,
        positions: dict[str, int],
        width: int,
        nt: TextIO,
        rows: TextIO,
        problems: RowProblems,
        jsonld: TextIO | None,
    ) -> tuple[int, int]:
        """The rows of ``reader``, the first of them on ``first_line``: see :meth:`write`."""
        triples = statements = 0
        path = spec.csv_path
        area_kind = "area_code" if "area_code" in spec.columns else "area"
        fetch, constants = _fetcher(spec, area_kind, positions, width)
        # hits go straight to these dicts; a miss goes through self._term once per cell text
        areas, indicators, periods = (
            self._found[area_kind],
            self._found["indicator"],
            self._found["period"],
        )
        term, units, sources = self._term, self.builder.units, self._source_parts
        kind_index, radix = self._index["kind"], self._radix
        checks, checked_kinds, kind_iris = self.checks, self._checked_kinds, _KIND_IRIS
        render_row, row_triples = compile_row(table_iri(spec), spec.id, jsonld=jsonld is not None)
        statement_base = f"{ID}statement/table/{spec.id}/r"  # = mint(...), slugs vetted
        for line, cells in enumerate(reader, start=first_line):
            if not cells:
                continue
            if len(cells) != width:
                cells = (cells + [""] * width)[:width]
            cells += constants  # the constant fields after the CSV's: one fetch gets all
            row = cells
            while True:  # a second pass, on stripped cells, only where the first failed
                (
                    area_cell,
                    indicator_cell,
                    period_cell,
                    unit_cell,
                    qualifier,
                    kind,
                    raw,
                    source_cell,
                ) = fetch(row)
                area = areas.get(area_cell) or term(area_kind, area_cell)
                indicator = indicators.get(indicator_cell) or term("indicator", indicator_cell)
                period = periods.get(period_cell) or term("period", period_cell)
                unit = units.get(unit_cell)
                source = sources.get(source_cell)
                fast = raw.isdigit() and raw.isascii()
                ok = not (
                    area is None
                    or indicator is None
                    or period is None
                    or unit is None
                    or source is None
                    or qualifier not in QUALIFIER_SIGNS
                    or kind not in KIND_LABELS
                    or not (fast or NUMBER.match(raw))
                    or (not fast and unit.integer and "." in raw)  # a decimal count
                )
                if ok or row is not cells:
                    break
                row = [cell.strip() for cell in cells]  # spaces around a cell (rare)
            if not ok:
                problems.errors.extend(cell_errors(spec, line, cells, positions, self.known))
                continue
            assert area and indicator and period and unit and source  # for mypy: ok says so
            statement = f"{statement_base}{line}"
            words = self._unit_parts(unit)
            if fast:  # digits only: no Decimal needed, and only shares and ranks can break
                number = raw.lstrip("0") or "0"
                integer_literal = unit.integer
                lexical = number if integer_literal else number + ".0"
                value = Decimal(number) if kind in checked_kinds else None
            else:
                value = Decimal(raw)
                integer_literal = (
                    unit.integer and value == value.to_integral_value() and "." not in raw
                )
                lexical = value_lexical(value, integer_literal)
                number = format_value(value)
            if value is not None:
                failing = checks.failing(
                    value, integer_literal, words.iri, unit.integer, kind_iris[kind]
                )
                if failing:
                    problems.violations += checks.violations(
                        failing, statement, Origin(path, line), shown=f"{value:f}"
                    )
            key = (
                ((indicator.index * radix[1] + area.index) * radix[2] + kind_index[kind]) * radix[3]
                + source.index
            ) * radix[4] + period.index
            if key in self.seen or value is not None:
                self._remember(
                    key, statement, lexical, value, Origin(path, line), problems.violations
                )
            else:
                self.seen[key] = f"{statement}\x1f{lexical}"
            nt_text, json_text, csv_text = render_row(
                statement,
                line,
                area,
                indicator,
                period,
                source,
                words,
                qualifier,
                kind,
                lexical,
                integer_literal,
                number,
            )
            nt.write(nt_text)
            if jsonld is not None:
                jsonld.write(json_text)
            rows.write(csv_text)
            triples += row_triples
            statements += 1
        return triples, statements


MISSING = object()
DUPLICATE_KEY = ("indicator", "area", "kind", "source", "period")


def _csv_columns(found: Area | Indicator | Period) -> str:
    if isinstance(found, Area):
        parts = [
            found.id,
            found.code or "",
            found.label.get("en") or "",
            found.label.get("zh") or "",
        ]
    elif isinstance(found, Indicator):
        parts = [found.id, found.label.get("en") or ""]
    else:
        parts = [found.id, found.start.isoformat(), found.end.isoformat()]
    return ",".join(csv_field(part) for part in parts)


def _fetcher(
    spec: TableSpec, area_kind: str, positions: dict[str, int], width: int
) -> tuple[Callable[[list[str]], tuple[str, ...]], list[str]]:
    """One C-level getter for a row's eight fields, and the constants to put after its cells.

    The fields, in order: area (code or id), indicator, period, unit, qualifier, kind, value,
    source. A CSV column is read at its position; a constant at width + its index.
    """
    indices: list[int] = []
    constants: list[str] = []
    for name in (area_kind, "indicator", "period", "unit", "qualifier", "kind", "value", "source"):
        column = spec.columns.get(name)
        if column is not None and column.header is not None:
            indices.append(positions[column.header])
            continue
        indices.append(width + len(constants))
        if column is not None and column.constant is not None:
            constants.append(column.constant)
        else:  # no source column: the sidecar's source for every row
            constants.append(spec.source or "" if name == "source" else "")
    return operator.itemgetter(*indices), constants

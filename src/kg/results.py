"""What a query answered, as Python sees it and as other tools read it.

:class:`QueryResult` holds rows of :class:`Term` (SELECT), a boolean (ASK) or N-Triples
(CONSTRUCT, DESCRIBE); the writers turn it into the SPARQL 1.1 CSV, TSV and JSON results
formats, or Turtle. :mod:`kg.queries` runs the queries and re-exports these names.
"""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kg.prefixes import PREFIXES


def escape_string(text: str) -> str:
    """``text`` for a SPARQL ``"..."`` literal: what the grammar forbids raw, escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


@dataclass(frozen=True)
class Term:
    """An RDF term as the SPARQL 1.1 JSON results format has it."""

    type: str  # uri | literal | bnode
    value: str
    datatype: str | None = None
    language: str | None = None

    def ntriples(self) -> str:
        if self.type == "uri":
            return f"<{self.value}>"
        if self.type == "bnode":
            return f"_:{self.value}"
        text = escape_string(self.value)
        if self.language:
            return f'"{text}"@{self.language}'
        if self.datatype and self.datatype != XSD_STRING:
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def python(self) -> PythonValue:
        """The term as a plain Python value: an IRI as its str, xsd numbers as int or
        Decimal, xsd:date as a date, xsd:boolean as bool; any other literal as its text."""
        if self.type != "literal" or self.datatype is None:
            return self.value
        local = self.datatype.removeprefix(XSD)
        try:
            if local in INTEGER_TYPES:
                return int(self.value)
            if local in ("decimal", "double", "float"):
                return Decimal(self.value)
            if local == "boolean":
                return self.value in ("true", "1")
            if local == "date":
                return datetime.date.fromisoformat(self.value)
        except (ValueError, ArithmeticError):
            return self.value  # an ill-typed literal stays as written
        return self.value

    def json(self) -> dict[str, str]:
        out = {"type": self.type, "value": self.value}
        if self.language:
            out["xml:lang"] = self.language
        elif self.datatype and self.datatype != XSD_STRING:
            out["datatype"] = self.datatype
        return out


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(
    [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)
PythonValue = str | int | Decimal | bool | datetime.date


@dataclass(frozen=True)
class QueryResult:
    """What a query answered: rows (SELECT), a boolean (ASK) or RDF (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: tuple[str, ...] = ()
    rows: Sequence[Mapping[str, Term]] = ()
    boolean: bool | None = None
    ntriples: str = ""  # CONSTRUCT/DESCRIBE: sorted N-Triples
    triples: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    # The answer already written in a format ("csv", "tsv"), for :func:`render` to print as
    # is: a precomputed answer (kg.answers) keeps its TSV, and its CSV needs no terms made.
    prerendered: Mapping[str, Callable[[], str]] = field(default_factory=dict, compare=False)

    def values(self) -> list[dict[str, PythonValue]]:
        """The rows with plain Python values (see :meth:`Term.python`); unbound names absent."""
        return [{name: term.python() for name, term in row.items()} for row in self.rows]


# ---------------------------------------------------------------------------------------------
# Result formats (SPARQL 1.1 CSV, TSV and JSON results)
# ---------------------------------------------------------------------------------------------


class ResultFormat(enum.Enum):
    """How ``kg query`` prints an answer (``--format``)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    TURTLE = "turtle"
    NTRIPLES = "ntriples"


def render(result: QueryResult, fmt: ResultFormat) -> str | None:
    """The answer as text in ``fmt``; None where it is a table for people to read.

    ASK answers ``true``/``false`` (or SPARQL JSON); CONSTRUCT and DESCRIBE N-Triples or,
    in any other format, Turtle; SELECT the SPARQL 1.1 CSV, TSV or JSON results, or a table
    (None) for the other formats.
    """
    if result.form == "ASK":
        if fmt is ResultFormat.JSON:
            return to_json(result)
        return "true\n" if result.boolean else "false\n"
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return result.ntriples if fmt is ResultFormat.NTRIPLES else to_turtle(result.ntriples)
    ready = result.prerendered.get(fmt.value)
    if ready is not None:
        return ready()
    writers = {ResultFormat.CSV: to_csv, ResultFormat.TSV: to_tsv, ResultFormat.JSON: to_json}
    writer = writers.get(fmt)
    return None if writer is None else writer(result)


def to_csv(result: QueryResult) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([row[v].value if v in row else "" for v in result.variables])
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(row[v].ntriples() if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
    document = {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [{v: t.json() for v, t in row.items()} for row in result.rows]},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_turtle(ntriples: str) -> str:
    """N-Triples as Turtle with dckg's prefixes (for CONSTRUCT results)."""
    from rdflib import Graph

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.parse(data=ntriples, format="nt")
    return graph.serialize(format="turtle")

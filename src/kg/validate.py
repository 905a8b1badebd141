"""SHACL validation with pyshacl, its report mapped back to the file:line that made each node."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import rdflib
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import BNode, Node

from kg.errors import InputError, Origin
from kg.vocab import SH, Shortener


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, with the record that produced its focus node where known."""

    focus: str
    path: str
    component: str
    message: str
    value: str
    severity: str
    origin: Origin | None = None
    path_iri: str = ""  # the path when it is a single property

    def line(self, shorten: Shortener) -> str:
        where = f"{self.origin}: " if self.origin else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        component = shorten(self.component).removeprefix("sh:")
        return f"{where}{shorten(self.focus)}{path}: {self.message}{value} [{component}]"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """The human-readable report, as in ``validation.txt``."""
        shorten = Shortener()
        if self.conforms:
            return "Conforms: the graph satisfies every shape.\n"
        lines = [f"Does not conform: {len(self.violations)} violation(s)."]
        lines += [v.line(shorten) for v in self.violations]
        return "\n".join(lines) + "\n"

    def turtle(self) -> str:
        """The machine-readable report as deterministic Turtle (a SHACL ValidationReport)."""
        out = [
            "@prefix sh: <http://www.w3.org/ns/shacl#> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "",
            "[] a sh:ValidationReport ;",
            f"    sh:conforms {'true' if self.conforms else 'false'}"
            + (" ." if not self.violations else " ;"),
        ]
        for index, v in enumerate(self.violations):
            last = index == len(self.violations) - 1
            fields = [
                f"sh:focusNode {_term(v.focus)}",
                f"sh:resultSeverity <{v.severity}>",
                f"sh:sourceConstraintComponent <{v.component}>",
                f"sh:resultMessage {Literal(v.message).n3()}",
            ]
            if v.path_iri:
                fields.append(f"sh:resultPath <{v.path_iri}>")
            if v.value:
                fields.append(f"sh:value {_term(v.value)}")
            body = " ;\n        ".join(f for f in fields if f)
            out.append(f"    sh:result [\n        {body}\n    ]" + (" ." if last else " ,"))
        return "\n".join(out) + "\n"


def _term(text: str) -> str:
    if text.startswith(("http://", "https://", "urn:")):
        return f"<{text}>"
    return Literal(text).n3()


@contextlib.contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """rdflib normalises literals on parse ("1e5"^^xsd:decimal -> 100000): turn that off."""
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


# Formats (as rdflib names them) that pyoxigraph checks first: strictly, with line and column,
# and without fetching anything (no remote JSON-LD contexts, no XML external entities).
_STRICT_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _strict_check(path: Path, fmt: str) -> None:
    """Parse with pyoxigraph, which refuses what rdflib lets through (IRIs with spaces, ...)."""
    strict = _STRICT_FORMATS.get(fmt)
    if strict is None:  # N3, HexTuples ...: rdflib alone, which fetches nothing for these
        return
    try:
        for _ in pyoxigraph.parse(path=path, format=strict, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        message = str(exc.msg if isinstance(exc.msg, str) else exc).strip()
        message = re.sub(r" \(" + re.escape(str(path)) + r", line \d+\)$", "", message)
        columns = re.match(r"Parser error at line \d+ between columns (\d+) and (\d+): ", message)
        if columns:
            message = f"{message[columns.end() :]} (columns {columns[1]}-{columns[2]})"
        remote = "LoadDocumentCallback" in message or "remote context" in message
        line = exc.lineno or _line_of(path, "@context" if remote else "<!ENTITY")
        where = f"{path}:{line}" if line else str(path)
        if remote:
            raise InputError(
                f"{where}: not valid RDF ({fmt}): the JSON-LD @context is a URL, which dckg does not fetch",
                hint="put the context in the file itself (an object under @context)",
            ) from None
        if "ENTITY" in message:
            raise InputError(
                f"{where}: not valid RDF ({fmt}): an XML entity declaration (<!ENTITY ...>), which dckg does not read",
                hint="write the values out in full; entities can pull in other files or URLs",
            ) from None
        hint = "fix the file at that line"
        if "IRI" in message:
            hint += '; an IRI holds no spaces and none of <>"{}|^`\\'
        raise InputError(f"{where}: not valid RDF ({fmt}): {message}", hint=hint) from None


def _line_of(path: Path, needle: str) -> int | None:
    """The first line of ``path`` that holds ``needle`` (for parsers that give no line)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def parse_rdf(paths: Iterable[Path], into: Graph | None = None) -> Graph:
    """Parse RDF files (format from the extension) into one graph; InputError with the line.

    Nothing is fetched: a file is read from disk only, never taken as a URL, and remote JSON-LD
    contexts or XML external entities are refused before rdflib sees the file.
    """
    graph = into if into is not None else Graph()
    with _lexical_forms_kept():
        for path in paths:
            fmt = rdflib.util.guess_format(str(path)) or "turtle"
            if not path.is_file():
                raise InputError(f"{path}: no such file", hint="check the path")
            _strict_check(path, fmt)
            try:
                with open(path, "rb") as handle:
                    graph.parse(handle, format=fmt, publicID=path.resolve().as_uri())
            except Exception as exc:  # rdflib raises many parser-specific errors
                message = (
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                )
                raise InputError(f"{path}: not valid RDF ({fmt}): {message}") from None
    return graph


_PREFIX_LINE = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE
)
_SUBJECT = re.compile(r"^(?:<([^>\s]+)>|([A-Za-z][\w.-]*)?:([^\s;,.]\S*?))(?=[\s;,]|$)")


def subject_lines(paths: Iterable[Path]) -> dict[URIRef, Origin]:
    """Where each IRI first starts a line of a Turtle, TriG or N-Triples file (as a subject).

    Good enough to point ``kg validate`` at the triples of a focus node; a node the files
    never write at the start of a line gets no origin.
    """
    origins: dict[URIRef, Origin] = {}
    for path in paths:
        if path.suffix not in (".ttl", ".trig", ".nt", ".nq"):
            continue
        prefixes: dict[str, str] = {}
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.split("\n"), start=1):
            declared = _PREFIX_LINE.match(line)
            if declared:
                prefixes[declared.group(1) or ""] = declared.group(2)
                continue
            found = _SUBJECT.match(line)
            if not found:
                continue
            if found.group(1):
                iri = found.group(1)
            elif (found.group(2) or "") in prefixes:
                iri = prefixes[found.group(2) or ""] + found.group(3)
            else:
                continue
            origins.setdefault(URIRef(iri), Origin(path, number))
    return origins


def _render_path(graph: Graph, node: Node, shorten: Shortener) -> str:
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, BNode):
        if (node, RDF.first, None) in graph:
            return "/".join(_render_path(graph, item, shorten) for item in Collection(graph, node))
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + _render_path(graph, inverse, shorten)
        for key, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = graph.value(node, key)
            if inner is not None:
                return _render_path(graph, inner, shorten) + suffix
    return ""


def validate_graph(
    data: Graph, shapes: Graph, origins: Mapping[URIRef, Origin] | None = None
) -> ValidationReport:
    """Validate ``data`` (which already holds the ontology it needs) against ``shapes``."""
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    shorten = Shortener()
    origins = origins or {}
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        component = results.value(result, SH.sourceConstraintComponent)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                path=_render_path(results, path, shorten) if path is not None else "",
                component=str(component) if component is not None else "",
                message=str(message) if message is not None else "",
                value="" if value is None or isinstance(value, BNode) else str(value),
                severity=str(severity),
                path_iri=str(path) if isinstance(path, URIRef) else "",
                origin=origins.get(focus) if isinstance(focus, URIRef) else None,
            )
        )
    unique = tuple(sorted(set(violations), key=lambda v: (v.origin or Origin(Path(""), 0), v)))
    return ValidationReport(conforms=bool(conforms), violations=unique)

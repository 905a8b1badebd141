"""RDF files read strictly: pyoxigraph first (line and column, nothing fetched), lexical forms kept.

``parse_rdf`` gives an rdflib graph (pyshacl's input); ``read_triples`` gives the triples for
the compiled shapes without rdflib's parser (pyoxigraph's terms made rdflib's, lexical forms as
written); ``subject_lines`` where each subject's triples start, for messages at file:line.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError, Origin

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


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


def _strict_parse(path: Path, fmt: str) -> list[pyoxigraph.Triple | pyoxigraph.Quad] | None:
    """Parse with pyoxigraph, which refuses what rdflib lets through (IRIs with spaces, ...);
    None for a format it does not read."""
    strict = _STRICT_FORMATS.get(fmt)
    if strict is None:  # N3, HexTuples ...: rdflib alone, which fetches nothing for these
        return None
    try:
        return list(pyoxigraph.parse(path=path, format=strict, base_iri=path.resolve().as_uri()))
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
            _strict_parse(path, fmt)
            try:
                with open(path, "rb") as handle:
                    if fmt in _QUAD_FORMATS:  # every named graph's triples, not the default's alone
                        dataset = Dataset()
                        dataset.parse(handle, format=fmt, publicID=path.resolve().as_uri())
                        for s, p, o, _ in dataset.quads():
                            graph.add((s, p, o))
                    else:
                        graph.parse(handle, format=fmt, publicID=path.resolve().as_uri())
            except Exception as exc:  # rdflib raises many parser-specific errors
                message = (
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                )
                raise InputError(f"{path}: not valid RDF ({fmt}): {message}") from None
    return graph


def read_triples(paths: Iterable[Path]) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of RDF files as rdflib terms, read by pyoxigraph where it reads the format
    (the same checks and errors as :func:`parse_rdf`, without rdflib's slower parser).

    Of quads (TriG, N-Quads) the triples are kept, as rdflib's graph of such a file has them.
    """
    for path in paths:
        fmt = rdflib.util.guess_format(str(path)) or "turtle"
        if not path.is_file():
            raise InputError(f"{path}: no such file", hint="check the path")
        parsed = _strict_parse(path, fmt)
        if parsed is None:
            yield from parse_rdf([path])
            continue
        terms: dict[object, Node] = {}
        for triple in parsed:
            yield (
                _rdflib_term(triple.subject, terms),
                _rdflib_term(triple.predicate, terms),
                _rdflib_term(triple.object, terms),
            )


def read_graph(paths: Iterable[Path]) -> Graph:
    """:func:`read_triples` into an rdflib graph (for shapes: faster than rdflib's parser)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in read_triples(paths))
    return graph


def _rdflib_term(node: object, seen: dict[object, Node]) -> Node:
    """pyoxigraph's term as rdflib's parser would give it (a plain literal has no datatype)."""
    found = seen.get(node)
    if found is not None:
        return found
    if isinstance(node, pyoxigraph.NamedNode):
        made: Node = URIRef(node.value)
    elif isinstance(node, pyoxigraph.BlankNode):
        made = BNode(node.value)
    elif isinstance(node, pyoxigraph.Literal):
        datatype = node.datatype.value
        if node.language:
            made = Literal(node.value, lang=node.language, normalize=False)
        elif datatype == _XSD_STRING:
            made = Literal(node.value, normalize=False)
        else:
            made = Literal(node.value, datatype=URIRef(datatype), normalize=False)
    else:
        raise InputError(f"not supported here: a quoted triple ({node})")
    seen[node] = made
    return made


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

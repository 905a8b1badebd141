"""pyshacl as the oracle of the compiled shapes: both engines on one graph must report the same.

``agree(data, shapes)`` runs pyshacl once and the compiled engine once and asserts that they
give the same set of (focus node, path, constraint component, source shape, value, severity),
and the same report (the lines a user reads, messages and file:line included). The shape
corpus, the graph mutations and the bad inputs that reach validation call it on each graph.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg import shacl
from kg.errors import Origin
from kg.validate import ValidationReport, pyshacl_report, run_pyshacl, validate_data, values_of
from kg.vocab import SH

Row = tuple[str, str, str, str, str, str]


def _path(graph: Graph, node: Node | None) -> str:
    """A path node as SPARQL-like text with full IRIs (the same from either engine's graph)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return node.n3()
    if (node, RDF.first, None) in graph:
        return "(" + " / ".join(_path(graph, n) for n in Collection(graph, node)) + ")"
    for key, mark in (
        (SH.inversePath, "^"),
        (SH.alternativePath, "|"),
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(node, key)
        if inner is not None:
            return f"{mark}{_path(graph, inner)}"
    return f"unknown path {node}"


def _n3(node: Node | None) -> str:
    return "" if node is None else node.n3()


def pyshacl_rows(results: Graph) -> set[Row]:
    rows = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        rows.add(
            (
                _n3(results.value(r, SH.focusNode)),
                _path(results, results.value(r, SH.resultPath)),
                _n3(results.value(r, SH.sourceConstraintComponent)),
                _n3(results.value(r, SH.sourceShape)),
                _n3(results.value(r, SH.value)),
                _n3(results.value(r, SH.resultSeverity)),
            )
        )
    return rows


def compiled_rows(results: list[shacl.Result], shapes: Graph) -> set[Row]:
    return {
        (
            _n3(r.focus),  # type: ignore[arg-type]
            _path(shapes, r.path),
            _n3(r.component),
            _n3(r.shape),
            _n3(r.value),  # type: ignore[arg-type]
            _n3(r.severity),
        )
        for r in results
    }


def agree(
    data: Graph, shapes: Graph, origins: Mapping[URIRef, Origin] | None = None
) -> ValidationReport:
    """Assert that the compiled engine reports what pyshacl reports on ``data``; its report."""
    conforms, results = run_pyshacl(data, shapes)
    compiled = shacl.compile_shapes(shapes)
    indexed = shacl.DataGraph.of(data)
    found = compiled.validate(indexed)
    if compiled.leftover is not None:  # shapes left to pyshacl are pyshacl's on both sides
        _, rest = run_pyshacl(data, compiled.leftover)
        assert pyshacl_rows(rest) <= pyshacl_rows(results)
        expected = pyshacl_rows(results) - pyshacl_rows(rest)
    else:
        expected = pyshacl_rows(results)
    got = compiled_rows(found, shapes)
    assert got == expected, (
        f"pyshacl only: {sorted(expected - got)}\ncompiled only: {sorted(got - expected)}"
    )
    theirs = pyshacl_report(conforms, results, origins or {}, values_of(data))
    ours = validate_data(indexed, shapes, origins)
    assert ours.conforms == theirs.conforms
    assert ours.text() == theirs.text()
    assert ours.turtle() == theirs.turtle()
    return ours

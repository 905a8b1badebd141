"""SHACL in Python: the shapes compiled once into checks, run over a data graph indexed once.

``compile_shapes(shapes)`` gives :class:`CompiledShapes`; ``validate(DataGraph.of(graph))`` its
:class:`Result` list, the set that pyshacl reports for the same graphs (a test holds the two
together on the shape corpus, the graph mutations and the bad inputs). A shape that uses
something the compiler does not know is listed in ``uncompiled``, and ``leftover`` holds it
(with what it refers to) as a shapes graph of its own, for pyshacl to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.shacl.compiler import Compiler, Result, Shape, Uncompilable
from kg.shacl.components import COMPONENTS
from kg.shacl.data import DataGraph, Key, Path, key, term
from kg.shacl.sparql import sparql_constraint
from kg.vocab import SH

__all__ = [
    "CompiledShapes",
    "DataGraph",
    "Key",
    "Path",
    "Result",
    "Uncompilable",
    "compile_shapes",
    "key",
    "term",
]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Root:
    """A shape with targets: what it checks and which nodes it checks."""

    shape: Shape
    classes: tuple[Key, ...] = ()
    nodes: tuple[Key, ...] = ()
    subjects_of: tuple[Key, ...] = ()
    objects_of: tuple[Key, ...] = ()

    def focus_nodes(self, data: DataGraph) -> Iterator[Key]:
        seen: dict[Key, None] = {}
        for cls in self.classes:
            seen.update(dict.fromkeys(data.instances(cls)))
        seen.update(dict.fromkeys(self.nodes))
        for predicate in self.subjects_of:
            seen.update(dict.fromkeys(data.subjects_of(predicate)))
        for predicate in self.objects_of:
            seen.update(dict.fromkeys(data.objects_of(predicate)))
        return iter(seen)


@dataclass(frozen=True)
class CompiledShapes:
    roots: tuple[Root, ...]
    uncompiled: tuple[tuple[str, str], ...] = ()  # (shape, what the compiler did not know)
    leftover: Graph | None = None  # the uncompiled shapes as a shapes graph, for pyshacl

    def validate(self, data: DataGraph) -> list[Result]:
        """Every result of the compiled shapes on ``data`` (``leftover`` is not run here)."""
        results: list[Result] = []
        for root in self.roots:
            shape = root.shape
            for focus in root.focus_nodes(data):
                results.extend(shape.validate(data, focus))
        return [
            replace(r, focus=term(r.focus), value=None if r.value is None else term(r.value))
            for r in results
        ]


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Every shape of ``shapes`` that has a target, compiled (or set aside for pyshacl)."""
    roots: list[Root] = []
    uncompiled: list[tuple[str, str]] = []
    nodes = {s for key in _TARGETS for s in shapes.subjects(key, None)}
    for node in sorted(nodes, key=str):
        try:
            types = set(shapes.objects(node, RDF.type))
            if types & {RDFS.Class, OWL.Class}:
                raise Uncompilable("an implicit class target")
            compiler = Compiler(shapes, COMPONENTS, sparql_constraint)
            shape = compiler.shape(node)
            _check_messages(shape)
            roots.append(
                Root(
                    shape,
                    *(
                        tuple(key(t) for t in sorted(shapes.objects(node, target), key=str))
                        for target in _TARGETS
                    ),
                )
            )
        except Uncompilable as exc:
            uncompiled.append((str(node), str(exc)))
    leftover = _subgraph(shapes, [n for n in nodes if str(n) in dict(uncompiled)])
    return CompiledShapes(tuple(roots), tuple(uncompiled), leftover)


def _check_messages(shape: Shape, seen: set[Node] | None = None) -> None:
    """A shape whose results are reported says what is wrong (sh:message): pyshacl's generic
    texts are not reproduced here."""
    seen = seen if seen is not None else set()
    if shape.node in seen:
        return
    seen.add(shape.node)
    if shape.plain and not shape.messages:
        raise Uncompilable(f"{shape.node}: a constraint without sh:message")
    for prop in shape.properties:
        _check_messages(prop, seen)


def _subgraph(shapes: Graph, nodes: list[Node]) -> Graph | None:
    """``nodes`` and everything they refer to in ``shapes`` (blank nodes, other shapes)."""
    if not nodes:
        return None
    out = Graph()
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace)
    todo = list(nodes)
    seen = set(todo)
    while todo:
        node = todo.pop()
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if (
                not isinstance(o, Literal)
                and o not in seen
                and (isinstance(o, BNode) or (o, None, None) in shapes)
            ):
                seen.add(o)
                todo.append(o)
    return out

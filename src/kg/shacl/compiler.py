"""The shapes graph compiled into Python: one :class:`Shape` per shape, each constraint a function.

The constraint components themselves are in :mod:`kg.shacl.components`, the SPARQL-based
constraints in :mod:`kg.shacl.sparql`. A shape that uses a construct the compiler does not
know raises :class:`Uncompilable` (the caller leaves that shape to pyshacl).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.shacl.data import DataGraph, Key, Path
from kg.vocab import SH


class Uncompilable(ValueError):
    """A shape uses a construct that the compiler does not know."""


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, as pyshacl reports it (``messages``: the first is shown)."""

    focus: Key
    path: Node | None  # the sh:path node of the shapes graph (a blank node for a complex path)
    component: URIRef
    shape: Node  # the source shape
    value: Key | None
    severity: Node
    messages: tuple[str, ...] = ()


# What a constraint finds on one focus node: the value (or None), the component, and for a
# SPARQL-based constraint the variables its messages name and its own messages.
Found = tuple[Key | None, URIRef, dict[str, Key] | None, tuple[str, ...]]
Evaluate = Callable[[DataGraph, Key, Iterable[Key]], Iterator[Found]]


@dataclass
class Shape:
    """A node or property shape: its path (property shapes), its constraints, its wording."""

    node: Node
    path: Path | None = None
    path_node: Node | None = None
    severity: Node = SH.Violation
    messages: tuple[str, ...] = ()
    constraints: list[Evaluate] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    deactivated: bool = False
    plain: int = 0  # constraints other than SPARQL-based ones (their results need sh:message)

    def validate(self, data: DataGraph, focus: Key) -> Iterator[Result]:
        """The results of ``focus`` against this shape (and its property shapes)."""
        if self.deactivated:
            return
        values: Iterable[Key] = (focus,) if self.path is None else data.values(focus, self.path)
        for evaluate in self.constraints:
            for value, component, bound, extra in evaluate(data, focus, values):
                yield Result(
                    focus,
                    self.path_node,
                    component,
                    self.node,
                    value,
                    self.severity,
                    _format(self.messages, bound, extra) if bound or extra else self.messages,
                )
        for prop in self.properties:
            yield from prop.validate(data, focus)

    def conforms(self, data: DataGraph, focus: Key) -> bool:
        return next(iter(self.validate(data, focus)), None) is None


def _format(
    messages: tuple[str, ...], bound: dict[str, Key] | None, extra: tuple[str, ...]
) -> tuple[str, ...]:
    """pyshacl's messages of a SPARQL-based result: the constraint's, then the shape's, each
    with the variables it names filled in."""
    out = []
    for message in (*(m for m in extra if m not in messages), *messages):
        for name, value in (bound or {}).items():
            message = re.sub("{[?$]" + name + "}", str(value), message)
        out.append(message)
    return tuple(out)


# Keys of a shape that carry no constraint (or belong to one handled with another key).
_PASSIVE: set[Node] = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.path,
    SH.flags,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.declare,
    SH.prefixes,
}


Builder = Callable[["Compiler", Node, Node], Evaluate]


class Compiler:
    """Compiles shapes of one shapes graph, each once (shapes refer to each other).

    ``components``: a builder per constraint parameter (sh:class, sh:minCount ...);
    ``sparql``: the builder of sh:sparql constraints.
    """

    def __init__(self, shapes: Graph, components: dict[Key, Builder], sparql: Builder) -> None:
        self.graph = shapes
        self._done: dict[Node, Shape] = {}
        self._components = components
        self._sparql = sparql

    def shape(self, node: Node) -> Shape:
        found = self._done.get(node)
        if found is not None:
            return found
        g = self.graph
        shape = self._done[node] = Shape(node)
        shape.severity = g.value(node, SH.severity) or SH.Violation
        shape.messages = tuple(str(m) for m in g.objects(node, SH.message))
        shape.deactivated = any(
            isinstance(d, Literal) and d.value is True for d in g.objects(node, SH.deactivated)
        )
        path = g.value(node, SH.path)
        if path is not None:
            shape.path, shape.path_node = self.path(path), path
        for key in sorted(set(g.predicates(node)) - _PASSIVE, key=str):
            objects = sorted(g.objects(node, key), key=str)
            if key == SH.property:
                shape.properties += [self.shape(p) for p in objects]
            elif key == SH.sparql:
                shape.constraints += [self._sparql(self, node, o) for o in objects]
            else:
                build = self._components.get(key)
                if build is None:
                    raise Uncompilable(f"{node}: {key}")
                shape.constraints += [build(self, node, o) for o in objects]
                shape.plain += len(objects)
        return shape

    def path(self, node: Node) -> Path:
        g = self.graph
        if isinstance(node, URIRef):
            return Path("iri", str(node))
        if (node, RDF.first, None) in g:
            return Path("sequence", parts=tuple(self.path(p) for p in Collection(g, node)))
        for key, kind in (
            (SH.alternativePath, "alternative"),
            (SH.inversePath, "inverse"),
            (SH.zeroOrMorePath, "zeroOrMore"),
            (SH.oneOrMorePath, "oneOrMore"),
            (SH.zeroOrOnePath, "zeroOrOne"),
        ):
            inner = g.value(node, key)
            if inner is None:
                continue
            if kind == "alternative":
                return Path(kind, parts=tuple(self.path(p) for p in Collection(g, inner)))
            part = self.path(inner)
            if kind == "inverse" and part.kind != "iri":
                raise Uncompilable("an inverse of a complex path")
            return Path(kind, parts=(part,))
        raise Uncompilable(f"path {node}")

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def value(self, shape: Node, key: Node) -> Node | None:
        return self.graph.value(shape, key)

"""The data graph as the compiled shapes read it: indexes by subject and by object, SHACL paths.

Terms are rdflib's (blank nodes, literals with their lexical forms as parsed), so that
equality and literal values are exactly those pyshacl sees, but an IRI is held as a plain
``str`` (see :func:`key`): rdflib hashes and compares its terms in Python, and the indexes are
looked up a few hundred thousand times on 10x the project's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

Key = Node | str  # a term as the indexes hold it (see key)
Index = dict[Key, dict[Key, dict[Key, None]]]  # node -> predicate -> nodes (an ordered set)
_EMPTY: dict[Key, None] = {}
_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)


def key(term: Key) -> Key:
    """A term as the indexes hold it: an IRI as a plain ``str`` (never equal to a literal or a
    blank node, which are rdflib's), anything else as it is."""
    return str(term) if isinstance(term, URIRef) else term


def term(node: Key) -> Node:
    """The rdflib term of an index key."""
    return URIRef(node) if isinstance(node, str) and not isinstance(node, Node) else node


@dataclass(frozen=True)
class Path:
    """A SHACL property path: ``kind`` is one of iri, sequence, alternative, inverse, zeroOrMore,
    oneOrMore, zeroOrOne; ``iri`` for an IRI, ``parts`` for the others."""

    kind: str
    iri: str | None = None
    parts: tuple[Path, ...] = ()


class DataGraph:
    """A data graph indexed once, read many times by the compiled shapes."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        out: Index = {}
        inverse: Index = {}
        for subject, predicate, obj in triples:
            s, p, o = key(subject), key(predicate), key(obj)
            out.setdefault(s, {}).setdefault(p, {})[o] = None
            inverse.setdefault(o, {}).setdefault(p, {})[s] = None
        self.out = out
        self.inverse = inverse
        self._superclasses: dict[Key, frozenset[Key]] = {}
        self._instances: dict[Key, list[Key]] = {}
        self._graph: Graph | None = None
        self.memo: dict[str, object] = {}  # what a constraint works out once per graph

    @classmethod
    def of(cls, graph: Graph) -> DataGraph:
        data = cls(graph)
        data._graph = graph
        return data

    def rdflib_graph(self) -> Graph:
        """The same triples as an rdflib graph (for the SPARQL constraints that stay queries)."""
        if self._graph is None:
            graph = Graph()
            for s, by_predicate in self.out.items():
                for p, objects in by_predicate.items():
                    for o in objects:
                        graph.add((term(s), term(p), term(o)))
            self._graph = graph
        return self._graph

    def objects(self, subject: Key, predicate: Key) -> dict[Key, None]:
        return self.out.get(subject, {}).get(predicate, _EMPTY)

    def subjects(self, predicate: Key, obj: Key) -> dict[Key, None]:
        return self.inverse.get(obj, {}).get(predicate, _EMPTY)

    def has_subject(self, node: Key) -> bool:
        return node in self.out

    def subjects_of(self, predicate: Key) -> list[Key]:
        return [s for s, by_predicate in self.out.items() if predicate in by_predicate]

    def objects_of(self, predicate: Key) -> list[Key]:
        return [o for o, by_predicate in self.inverse.items() if predicate in by_predicate]

    def superclasses(self, cls: Key) -> frozenset[Key]:
        """``cls`` and every class it is a subclass of (rdfs:subClassOf*, in the data graph)."""
        found = self._superclasses.get(cls)
        if found is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._superclasses[cls] = frozenset(seen)
        return found

    def is_instance(self, node: Key, cls: Key) -> bool:
        """SHACL instance: ``node`` has a type that is ``cls`` or one of its subclasses."""
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: Key) -> list[Key]:
        """The SHACL instances of ``cls``, in a stable order (that of the data)."""
        found = self._instances.get(cls)
        if found is None:
            subclasses = [cls]
            seen = {cls}
            for sub in subclasses:
                for child in self.subjects(_SUBCLASS, sub):
                    if child not in seen:
                        seen.add(child)
                        subclasses.append(child)
            members: dict[Key, None] = {}
            for sub in subclasses:
                members.update(self.subjects(_TYPE, sub))
            found = self._instances[cls] = list(members)
        return found

    def values(self, focus: Key, path: Path) -> dict[Key, None]:
        """The value nodes of ``focus`` for ``path`` (a set, in a stable order)."""
        if path.kind == "iri":
            return self.objects(focus, path.iri)  # type: ignore[arg-type]
        return self._walk({focus: None}, path)

    def _walk(self, nodes: dict[Key, None], path: Path) -> dict[Key, None]:
        found: dict[Key, None] = {}
        if path.kind == "iri":
            for node in nodes:
                found.update(self.objects(node, path.iri))  # type: ignore[arg-type]
        elif path.kind == "inverse":
            (inner,) = path.parts
            if inner.kind == "iri":
                for node in nodes:
                    found.update(self.subjects(inner.iri, node))  # type: ignore[arg-type]
            else:
                raise NotImplementedError("an inverse of a complex path")
        elif path.kind == "sequence":
            found = nodes
            for part in path.parts:
                found = self._walk(found, part)
        elif path.kind == "alternative":
            for part in path.parts:
                found.update(self._walk(nodes, part))
        else:  # zeroOrMore, oneOrMore, zeroOrOne
            (inner,) = path.parts
            if path.kind != "oneOrMore":
                found.update(nodes)
            step = self._walk(nodes, inner)
            found.update(step)
            if path.kind != "zeroOrOne":
                frontier = step
                while frontier:
                    frontier = {n: None for n in self._walk(frontier, inner) if n not in found}
                    found.update(frontier)
        return found

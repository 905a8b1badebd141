"""The curated graph as plain quads: what the writers of a build read, kept once.

Filling an rdflib Dataset with the curated quads, and a union Graph with its triples, took
about a second at 10x the curated data, on the critical path of every build; most writers need
neither. N-Triples and N-Quads are rdflib's lines of each triple, sorted; the Turtle writer
(:mod:`kg.turtle`) and the compiled shapes (:mod:`kg.shacl`) take triples. A :class:`QuadSet`
keeps each named graph's triples and their union in insertion-ordered dicts (rdflib's own
equality of terms, so the same de-duplication as its stores) and makes the rdflib Dataset only
for the writers that still need one (TriG, JSON-LD), once, where they run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nquads import _nq_row
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from kg.vocab import PREFIXES

Triple = tuple[Node, Node, Node]


def bound_graph() -> Graph:
    """An empty rdflib Graph with the project's prefixes bound (as every written graph has)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sorted_lines(lines: Iterable[str]) -> str:
    """Lines de-duplicated and sorted, blank ones left out: byte-identical for the same set."""
    return "\n".join(sorted({line for line in lines if line.strip()})) + "\n"


class QuadSet:
    """Named graphs of triples and their union, in the order the quads came."""

    def __init__(
        self,
        quads: Iterable[tuple[Node, Node, Node, URIRef]],
        extra: Iterable[tuple[URIRef, Iterable[Triple]]] = (),
    ) -> None:
        graphs: dict[URIRef, dict[Triple, None]] = {}
        for s, p, o, g in quads:
            named = graphs.get(g)
            if named is None:
                named = graphs[g] = {}
            named[(s, p, o)] = None
        for name, triples in extra:
            named = graphs.setdefault(name, {})
            for triple in triples:
                named[triple] = None
        self.graphs = graphs
        union: dict[Triple, None] = {}
        for named in graphs.values():
            union.update(named)
        self.union = union
        self._dataset: Dataset | None = None
        self._instances: dict[Node, set[Node]] | None = None

    def __len__(self) -> int:
        """The triples of the union graph."""
        return len(self.union)

    def quad_count(self) -> int:
        return sum(len(named) for named in self.graphs.values())

    def graph_sizes(self) -> dict[URIRef, int]:
        """Each named graph that holds a triple, with its number of triples."""
        return {name: len(named) for name, named in self.graphs.items() if named}

    def instances(self) -> dict[Node, set[Node]]:
        """Each class that a subject has as its ``rdf:type``, with those subjects."""
        if self._instances is None:
            found: dict[Node, set[Node]] = {}
            for s, p, o in self.union:
                if p == RDF.type:
                    found.setdefault(o, set()).add(s)
            self._instances = found
        return self._instances

    def subjects_of_type(self, cls: Node) -> set[Node]:
        return self.instances().get(cls, set())

    def ntriples(self) -> str:
        """The union as sorted, de-duplicated N-Triples (rdflib's lines)."""
        return sorted_lines(_nt_row(triple)[:-1] for triple in self.union)  # each ends in \n

    def nquads(self) -> str:
        """Every named graph as sorted, de-duplicated N-Quads (rdflib's lines)."""
        return sorted_lines(self._nquad_lines())

    def _nquad_lines(self) -> Iterator[str]:
        for name, named in self.graphs.items():
            for triple in named:
                yield _nq_row(triple, name)[:-1]  # type: ignore[no-untyped-call]

    def dataset(self) -> Dataset:
        """The quads as an rdflib Dataset, made on first use."""
        if self._dataset is None:
            dataset = Dataset()
            for prefix, namespace in PREFIXES.items():
                dataset.bind(prefix, namespace, override=True, replace=True)
            for name, named in self.graphs.items():
                graph = dataset.graph(name)
                for triple in named:
                    graph.add(triple)
            self._dataset = dataset
        return self._dataset

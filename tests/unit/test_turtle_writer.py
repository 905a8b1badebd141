"""kg.serialize.turtle writes what rdflib's Turtle writer writes, byte for byte, in less time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from conftest import REPO
from kg import serialize
from kg.validate import parse_rdf

BOUND = Namespace("https://example.org/test/bound#")
UNBOUND = Namespace(
    "https://example.org/test/unbound/"
)  # no prefix: rdflib makes one for a predicate

iris = st.sampled_from(
    [
        BOUND.a,
        BOUND.b,
        UNBOUND.c,
        UNBOUND["d/e"],
        URIRef("https://example.org/test/id/x"),
        URIRef("https://example.org/test/id/y."),
        RDF.type,
        RDFS.label,
        RDFS.Class,
    ]
)
literals = st.one_of(
    st.text(max_size=8).map(Literal),
    st.integers(-5, 5).map(Literal),
    st.sampled_from(["en", "zh"]).map(lambda lang: Literal("名", lang=lang)),
    st.sampled_from(["2021-12-31", "x"]).map(lambda v: Literal(v, datatype=XSD.date)),
)
triples = st.lists(st.tuples(iris, iris, st.one_of(iris, literals)), max_size=25)


def _graph(triples: list[tuple[URIRef, URIRef, object]]) -> Graph:
    graph = Graph()
    graph.bind("b", BOUND)
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return graph


@settings(max_examples=200, deadline=None)
@given(triples)
def test_the_same_bytes_as_rdflib_on_any_graph(found: list[tuple[URIRef, URIRef, object]]) -> None:
    # A graph each: a writer binds the prefixes it makes up in the graph it writes.
    expected = _graph(found).serialize(format="turtle", encoding="utf-8").decode("utf-8")
    assert serialize.turtle(_graph(found)) == expected


def test_the_same_bytes_as_rdflib_on_the_repositorys_graph() -> None:
    golden = [REPO / "tests" / "golden" / "repo" / "kg.ttl"]
    expected = parse_rdf(golden).serialize(format="turtle", encoding="utf-8").decode("utf-8")
    assert serialize.turtle(parse_rdf(golden)) == expected

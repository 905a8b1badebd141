"""kg.serialize.turtle (kg.turtle's writer, rdflib's for the rest) writes rdflib's Turtle bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from conftest import REPO
from kg import serialize
from kg import turtle as turtle_writer
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


# Graphs the writer of kg.turtle takes on itself (no blank node, every predicate named by a
# bound prefix): it must give rdflib's bytes, and not hand them back to rdflib.
predicates = st.sampled_from([BOUND.a, BOUND["p%41"], RDF.type, RDFS.label, RDFS.comment])
terms = st.sampled_from(
    [
        BOUND.a,
        BOUND["b(c)"],
        BOUND["50%"],
        BOUND["dot."],
        BOUND[""],
        UNBOUND.c,
        UNBOUND["d/e"],
        URIRef("https://example.org/test/bound#"),
        URIRef("urn:x-test:1"),
        RDF.nil,
        RDF.type,
        RDFS.Class,
        XSD.string,
    ]
)
typed = st.sampled_from(
    [
        Literal("1.50", datatype=XSD.decimal),
        Literal("1e3", datatype=XSD.double),
        Literal("true", datatype=XSD.boolean),
        Literal("07", datatype=XSD.integer),
        Literal("x", datatype=XSD.string),
        Literal("y", datatype=BOUND.kind),
        Literal("z", datatype=UNBOUND.kind),
        Literal('a "quote"\nand a line\\', lang="en"),
        Literal("tab\there"),
    ]
)
named_triples = st.lists(
    st.tuples(terms, predicates, st.one_of(terms, literals, typed)), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(named_triples)
def test_the_same_bytes_as_rdflib_without_handing_back(
    found: list[tuple[URIRef, URIRef, object]],
) -> None:
    expected = _graph(found).serialize(format="turtle", encoding="utf-8").decode("utf-8")
    graph = _graph(found)
    assert turtle_writer.write(graph, graph.namespace_manager) == expected


def test_graphs_it_does_not_cover_go_to_rdflib() -> None:
    with_blank = _graph([(BOUND.a, BOUND.a, BNode())])
    unnamed_predicate = _graph([(BOUND.a, UNBOUND.c, BOUND.b)])
    for graph in (with_blank, unnamed_predicate):
        assert turtle_writer.write(graph, graph.namespace_manager) is None
        expected = graph.serialize(format="turtle", encoding="utf-8").decode("utf-8")
        assert serialize.turtle(graph) == expected


def test_the_repositorys_graph_is_written_without_rdflib() -> None:
    golden = REPO / "tests" / "golden" / "repo" / "kg.ttl"
    graph = parse_rdf([golden])
    assert turtle_writer.write(graph, graph.namespace_manager) == golden.read_text(encoding="utf-8")

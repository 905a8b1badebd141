"""The ontology documents itself: labels in en and zh, a definition, a domain and a range."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.pipeline import load_ontology
from kg.project import Project
from kg.vocab import DCKG


@pytest.fixture(scope="module")
def ontology(repo_project: Project) -> Graph:
    return load_ontology(repo_project)


def _terms(graph: Graph, kind: object) -> list[object]:
    return sorted(s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(DCKG)))


def test_every_term_has_labels_and_definitions_in_english_and_chinese(ontology: Graph) -> None:
    terms = [
        *_terms(ontology, OWL.Class),
        *_terms(ontology, OWL.ObjectProperty),
        *_terms(ontology, OWL.DatatypeProperty),
    ]
    assert len(terms) > 50
    for term in terms:
        assert {lit.language for lit in ontology.objects(term, RDFS.label)} == {"en", "zh"}, term
        assert {lit.language for lit in ontology.objects(term, SKOS.definition)} == {"en", "zh"}, (
            term
        )


def test_every_property_has_a_domain_and_a_range(ontology: Graph) -> None:
    for term in [*_terms(ontology, OWL.ObjectProperty), *_terms(ontology, OWL.DatatypeProperty)]:
        assert ontology.value(term, RDFS.domain) is not None, term
        assert ontology.value(term, RDFS.range) is not None, term


def test_the_ontology_has_version_licence_and_creator(ontology: Graph) -> None:
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    node = URIRef("https://w3id.org/dckg/ontology")
    assert ontology.value(node, OWL.versionIRI) is not None
    assert ontology.value(node, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(node, DCTERMS.creator) is not None


def test_every_class_the_data_uses_has_a_node_shape(repo_project: Project) -> None:
    from kg.pipeline import load_shapes
    from kg.vocab import SH

    shapes = load_shapes(repo_project)
    targeted = set(shapes.objects(None, SH.targetClass))
    ontology = load_ontology(repo_project)
    for cls in _terms(ontology, OWL.Class):
        ancestors = {cls, *ontology.transitive_objects(cls, RDFS.subClassOf)}
        assert ancestors & targeted, f"no shape targets {cls} or a class above it"


def _constrained_paths(repo_project: Project, *keys: str) -> set[object]:
    """The sh:path of every property shape that has one of ``keys`` (sh:maxCount, sh:class ...)."""
    from kg.pipeline import load_shapes
    from kg.vocab import SH

    shapes = load_shapes(repo_project)
    found = set()
    for shape, path in shapes.subject_objects(SH.path):
        if any(shapes.value(shape, SH[key]) is not None for key in keys):
            found.add(path)
    return found


def test_every_functional_property_has_a_max_count_in_the_shapes(
    ontology: Graph, repo_project: Project
) -> None:
    """A second value for a single-valued property is a violation, not a silent extra triple."""
    limited = _constrained_paths(repo_project, "maxCount")
    functional = _terms(ontology, OWL.FunctionalProperty)
    assert len(functional) > 20
    assert [p for p in functional if p not in limited] == []


def test_every_object_property_says_what_it_points_to(
    ontology: Graph, repo_project: Project
) -> None:
    """sh:class (or a choice of classes): a dangling or untyped reference fails."""
    typed = _constrained_paths(repo_project, "class", "or")
    assert [p for p in _terms(ontology, OWL.ObjectProperty) if p not in typed] == []

"""Issue 14, item 13: bookkeeping entities (code-list files, periods, concept schemes) stay
out of the findings. They are marked as bookkeeping by class in the ontology (never picked
by IRI), so a code-list file added to the data stays out of "Most connected entities" too."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from conftest import REPO
from kg.analyse import analyse
from kg.pipeline import BuildResult, build_project
from kg.project import Project
from kg.store import open_store
from kg.vocab import DCKG

BOOKKEEPING = ("ReferenceDataset", "Period", "ConceptScheme")


def test_the_ontology_marks_the_bookkeeping_classes() -> None:
    ontology = Graph().parse(REPO / "ontology" / "dckg.ttl")
    marked = set(ontology.subjects(DCKG.bookkeeping, Literal(True)))
    assert marked == {
        URIRef(DCKG.ReferenceDataset),
        URIRef(DCKG.Period),
        URIRef(SKOS.ConceptScheme),
    }


def test_the_repositorys_most_connected_entities_are_findings(built: BuildResult) -> None:
    result = analyse(open_store(built.out_dir / "store"))
    kinds = {
        c.node: result.projection("entities").graph.nodes[c.node]["kind"]
        for c in result.measures.central
    }
    assert len(kinds) == 15
    assert not set(kinds.values()) & set(BOOKKEEPING), kinds
    assert not [n for n in kinds if n.startswith(("dataset/", "period/", "scheme/"))], kinds


def test_a_new_code_list_file_stays_out_of_the_most_connected(mini: Project) -> None:
    reference = mini.data_dir / "reference" / "reference.yaml"
    text = reference.read_text(encoding="utf-8")
    text = text.replace(
        "code_datasets:\n",
        "code_datasets:\n"
        '  - {id: more-test-codes, repository: example/more-test-codes, path: all.csv, revision: "fictional"}\n',
    ).replace("code_sources: [test-codes]", "code_sources: [test-codes, more-test-codes]")
    reference.write_text(text, encoding="utf-8")
    built = build_project(mini)
    result = analyse(open_store(built.out_dir / "store"))
    graph = result.projection("entities").graph
    assert graph.degree("dataset/more-test-codes") == 3  # cited by the three coded areas
    central = [c.node for c in result.measures.central]
    assert (
        central and "dataset/more-test-codes" not in central and "dataset/test-codes" not in central
    )
    assert not {graph.nodes[n]["kind"] for n in central} & set(BOOKKEEPING)
    index = (built.out_dir / "site" / "index.html").read_text(encoding="utf-8")
    table = index.split("<h3>Most connected entities", 1)[1].split("</table>", 1)[0]
    assert "more-test-codes" not in table and "Test evaluation indicators" not in table

"""The compiled shapes (kg.shacl): what they leave to pyshacl, and `kg validate --engine`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from kg import shacl
from kg.cli import main
from kg.pipeline import load_shapes
from kg.project import Project
from kg.validate import parse_rdf
from oracle import agree

BASE = Path(__file__).resolve().parents[1] / "shapes" / "base.ttl"
TEST = "https://example.org/dckg-test#"
PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix dckg: <https://w3id.org/dckg/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    f"@prefix t: <{TEST}> .\n"
)


def _data(repo_project: Project, extra: str = "") -> Graph:
    graph = parse_rdf([BASE, *repo_project.ontology_files()])
    if extra:
        graph.parse(data=PREFIXES + extra, format="turtle")
    return graph


def test_a_shape_the_compiler_does_not_know_is_left_to_pyshacl(repo_project: Project) -> None:
    """sh:closed is not compiled: that one shape runs on pyshacl, the others compiled."""
    shapes = load_shapes(repo_project)
    shapes.parse(
        data=PREFIXES + "t:Closed a sh:NodeShape ; sh:targetClass dckg:Unit ; sh:closed true ;\n"
        '  sh:ignoredProperties ( rdfs:label ) ; sh:message "a unit has only labels" .\n',
        format="turtle",
    )
    compiled = shacl.compile_shapes(shapes)
    assert [shape for shape, _ in compiled.uncompiled] == [f"{TEST}Closed"]
    assert compiled.leftover is not None
    report = agree(_data(repo_project), shapes)
    assert not report.conforms
    assert {v.message for v in report.violations} == {"a unit has only labels"}


def test_a_sparql_constraint_of_other_text_runs_as_a_query(repo_project: Project) -> None:
    """A query that is not one of the project's two is run per focus node, as pyshacl runs it."""
    shapes = load_shapes(repo_project)
    shapes.parse(
        data=PREFIXES + "t:Quoted a sh:NodeShape ; sh:targetClass dckg:Quotation ;\n"
        "  sh:sparql [ a sh:SPARQLConstraint ;\n"
        '    sh:message "page {?page} is beyond the document" ;\n'
        '    sh:select """SELECT $this ?page WHERE { $this <https://w3id.org/dckg/ontology#page> ?page .\n'
        '      FILTER (?page > 1) }""" ] .\n',
        format="turtle",
    )
    compiled = shacl.compile_shapes(shapes)
    assert compiled.uncompiled == ()
    report = agree(_data(repo_project), shapes)
    assert {v.message for v in report.violations} == {"page 2 is beyond the document"}


def test_validate_engines_print_the_same(
    repo_project: Project, mini: Project, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    text = BASE.read_text(encoding="utf-8")
    broken.write_text(text.replace('dckg:adminCode "990000"', 'dckg:adminCode "99"'), "utf-8")
    outputs = []
    for engine in ("compiled", "pyshacl"):
        result = CliRunner().invoke(
            main, ["--project", str(mini.root), "validate", "--engine", engine, str(broken)]
        )
        assert result.exit_code == 1, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    assert "GB/T 2260 code must be one string of six digits" in outputs[0]


def test_validate_reads_every_named_graph_of_trig(mini: Project, tmp_path: Path) -> None:
    """A TriG file is validated whole (rdflib alone read only its default graph), both engines."""
    broken = BASE.read_text(encoding="utf-8").replace(
        'dckg:adminCode "990000"', 'dckg:adminCode "99"'
    )
    prefixes = "".join(line + "\n" for line in broken.splitlines() if line.startswith("@prefix"))
    body = "".join(line + "\n" for line in broken.splitlines() if not line.startswith("@prefix"))
    trig = tmp_path / "broken.trig"
    trig.write_text(f"{prefixes}<https://example.org/dckg-test#g> {{\n{body}}}\n", "utf-8")
    for engine in ("compiled", "pyshacl"):
        result = CliRunner().invoke(
            main, ["--project", str(mini.root), "validate", "--engine", engine, str(trig)]
        )
        assert result.exit_code == 1, result.output
        assert "GB/T 2260 code must be one string of six digits" in result.output

"""One negative case per shape constraint: each folder patches base.ttl and names the messages.

A case folder holds ``patch.ru`` (a SPARQL Update applied to ``base.ttl``) and
``expected.txt`` (the SHACL result messages, one per line, that the broken graph must produce:
exactly these, so that each case shows one constraint at work). The messages are checked on
the default (compiled) engine; pyshacl, the oracle, must report the same on every graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import load_shapes
from kg.project import Project
from kg.validate import parse_rdf, validate_graph
from oracle import agree

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.iterdir() if (p / "patch.ru").is_file())
PREFIXES = (HERE / "prefixes.ru").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shapes(repo_project: Project) -> Graph:
    return load_shapes(repo_project)


def _graph(repo_project: Project, patch: str | None) -> Graph:
    # The ontology is in the graph before the patch, so that a case can break the ontology too.
    graph = parse_rdf([HERE / "base.ttl", *repo_project.ontology_files()])
    if patch:
        patch = re.sub(r"\bid:([a-z0-9/-]+)", r"<https://w3id.org/dckg/id/\1>", patch)
        graph.update(PREFIXES + patch)
    return graph


def test_base_conforms(repo_project: Project, shapes: Graph) -> None:
    report = validate_graph(_graph(repo_project, None), shapes)
    assert report.conforms, report.text()


def test_there_is_a_case_for_every_shape_message(shapes: Graph) -> None:
    from kg.vocab import SH

    messages = {str(m) for m in shapes.objects(None, SH.message)}
    expected = set()
    for case in CASES:
        expected |= set((case / "expected.txt").read_text(encoding="utf-8").splitlines())
    # SPARQL messages are templates; compare their fixed start.
    covered = {m for m in messages if any(e.startswith(m.split("{")[0]) for e in expected)}
    assert messages - covered == set()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_graph_fails_with_expected_messages(
    case: Path, repo_project: Project, shapes: Graph
) -> None:
    patch = (case / "patch.ru").read_text(encoding="utf-8")
    expected = set((case / "expected.txt").read_text(encoding="utf-8").splitlines())
    report = validate_graph(_graph(repo_project, patch), shapes)
    assert not report.conforms
    assert {v.message for v in report.violations} == expected


@pytest.mark.parametrize("case", [None, *CASES], ids=["base", *(c.name for c in CASES)])
def test_engines_agree(case: Path | None, repo_project: Project, shapes: Graph) -> None:
    """pyshacl and the compiled shapes report the same results on the base and every case."""
    patch = (case / "patch.ru").read_text(encoding="utf-8") if case else None
    agree(_graph(repo_project, patch), shapes)

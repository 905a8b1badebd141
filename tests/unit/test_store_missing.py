"""The hint when there is no store says why: no build yet, or a build that left the store out."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import build_project
from kg.project import Project


def test_query_after_a_build_without_the_store_says_the_build_left_it_out(mini: Project) -> None:
    build_project(mini, formats=frozenset({"nt", "ttl"}))
    result = CliRunner().invoke(main, ["--project", str(mini.root), "stats"])
    assert result.exit_code == 2, result.output
    assert "left out the store" in result.output
    assert "run `kg build` first" not in result.output
    assert "--formats" in result.output


def test_query_before_any_build_says_to_build(mini: Project) -> None:
    result = CliRunner().invoke(main, ["--project", str(mini.root), "stats"])
    assert result.exit_code == 2, result.output
    assert "run `kg build` first" in result.output


def test_stats_shortens_iris_with_the_projects_prefixes(mini: Project) -> None:
    """ "Entities by class" once showed full IRIs, cut mid-word in a narrow table."""
    build_project(mini)
    result = CliRunner().invoke(main, ["--project", str(mini.root), "stats"])
    assert result.exit_code == 0, result.output
    assert "dckg:Observation" in result.output
    assert "https://w3id.org/" not in result.output
    assert "id:indicator/widgets" in result.output

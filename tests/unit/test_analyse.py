"""The networks of the built graph: expected measures, checked against the curated YAML."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from ruamel.yaml import YAML

from conftest import REPO
from kg.analyse import Analysis, Projection, analyse, centrality, exact_betweenness, is_tree
from kg.pipeline import BuildResult, build_project
from kg.project import Project
from kg.store import open_store

SOURCES = REPO / "data" / "sources"


@pytest.fixture(scope="session")
def analysis(built: BuildResult) -> Analysis:
    return analyse(open_store(built.out_dir / "store"))


def _statements(name: str) -> list[dict[str, object]]:
    data = YAML(typ="safe").load((SOURCES / f"{name}.yaml").read_text(encoding="utf-8"))
    return [*data.get("statements", []), *data.get("claims", [])]


def _top10_lists() -> dict[str, list[str]]:
    """The report's top-10 lists as curated in data/sources/dcdr-2021.yaml: dimension -> members."""
    return {
        str(s["dimension"]): [str(m) for m in s["members"]]  # type: ignore[union-attr]
        for s in _statements("dcdr-2021")
        if s.get("group") == "top-10"
    }


def test_membership_counts_are_those_of_the_curated_lists(analysis: Analysis) -> None:
    lists = _top10_lists()
    assert len(lists) == 8  # the overall level and the seven dimensions
    expected = Counter(member for members in lists.values() for member in members)
    found = {m.area: m.lists for m in analysis.measures.top10 if m.lists}
    assert found == {f"area/{area}": count for area, count in expected.items()}
    for member in analysis.measures.top10:
        dimensions = {d.removeprefix("dimension/") for d in member.dimensions}
        assert dimensions == {d for d, m in lists.items() if member.area[5:] in m}


def test_provinces_leading_across_dimensions(analysis: Analysis) -> None:
    measures = analysis.measures
    assert len(measures.top10) == 31  # every provincial-level division, in a list or not
    assert {m.area for m in measures.in_at_least(4)} == {
        f"area/{a}"
        for a in (
            [
                "beijing",
                "guangdong",
                "shanghai",
                "zhejiang",
                "jiangsu",
                "shandong",
                "fujian",
                "sichuan",
                "tianjin",
                "hubei",
            ]
        )
    }
    assert [m.area for m in measures.top10 if m.lists == 8] == [
        "area/beijing",
        "area/guangdong",
        "area/shanghai",
        "area/zhejiang",
    ]
    assert sum(1 for m in measures.top10 if m.lists == 0) == 13
    henan = next(m for m in measures.top10 if m.area == "area/henan")
    assert (henan.lists, henan.dimensions, henan.first_tier) == (
        1,
        ("dimension/digital-infrastructure",),
        True,
    )


def test_the_article_and_the_report_agree_on_eight_of_ten(analysis: Analysis) -> None:
    by_topic = {a.topic: a for a in analysis.measures.agreements}
    infrastructure = by_topic["dimension/digital-infrastructure"]
    assert (infrastructure.source_a, infrastructure.source_b) == (
        "source/dahe-2022-08-16",
        "source/dcdr-2021",
    )
    first_tier = next(
        s["members"] for s in _statements("dahe-2022-08-16") if s.get("group") == "first-tier"
    )
    assert len(infrastructure.shared) == len(first_tier) == 8  # type: ignore[arg-type]
    assert infrastructure.only_a == ()
    assert infrastructure.only_b == ("area/shandong", "area/sichuan")
    assert infrastructure.jaccard == 0.8 and not infrastructure.agree
    dimensions = by_topic["EvaluatedDimensions"]
    assert dimensions.only_b == (
        "dimension/cybersecurity",
        "dimension/digital-development-environment",
    )
    assert len(dimensions.shared) == 5
    assert analysis.measures.shared_observations == 0  # the sources give no figure twice
    assert analysis.measures.conflicting_observations == ()


def test_the_administrative_hierarchy_is_a_tree(analysis: Analysis) -> None:
    tree = analysis.projection("admin-hierarchy").graph
    assert analysis.measures.hierarchy_is_tree
    assert [n for n in tree if tree.in_degree(n) == 0] == ["area/cn"]
    assert tree.out_degree("area/cn") == 31
    assert tree.out_degree("area/henan") == 18  # 17 prefecture-level cities and Jiyuan
    assert tree.number_of_nodes() == tree.number_of_edges() + 1


def test_a_cycle_or_a_second_root_is_not_a_tree() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    assert is_tree(Projection("t", "t", "t", graph))
    graph.add_edge("c", "a")
    assert not is_tree(Projection("t", "t", "t", graph))
    assert not is_tree(Projection("t", "t", "t", nx.DiGraph([("a", "b"), ("c", "d")])))


def test_no_entity_is_isolated(analysis: Analysis) -> None:
    measures = analysis.measures
    assert measures.isolated == ()
    assert measures.components == (measures.nodes["entities"],)  # one component, all entities


def test_an_unreferenced_entity_is_reported(mini: Project) -> None:
    reference = mini.data_dir / "reference" / "reference.yaml"
    text = reference.read_text(encoding="utf-8").replace(
        "organisations:\n",
        "organisations:\n  - {id: lonely-office, label: {en: Lonely Office, zh: 孤立办公室}}\n",
    )
    reference.write_text(text, encoding="utf-8")
    built = build_project(mini)
    result = analyse(open_store(built.out_dir / "store"))
    assert result.measures.isolated == ("org/lonely-office",)
    measures = json.loads((built.out_dir / "analysis" / "measures.json").read_text("utf-8"))
    assert measures["isolated"] == ["org/lonely-office"]
    assert (built.out_dir / "site" / "index.html").is_file()


def test_coverage_counts_statements_per_area_and_source(analysis: Analysis) -> None:
    expected: dict[str, Counter[str]] = {}
    areas = {p for p in analysis.labels if p.startswith("area/")}
    for source in ("dahe-2022-08-16", "dcdr-2021"):
        for statement in _statements(source):
            mentioned = {statement.get("area"), *(statement.get("members") or [])}  # type: ignore[misc]
            for area in mentioned:
                if f"area/{area}" in areas:
                    expected.setdefault(f"area/{area}", Counter())[f"source/{source}"] += 1
    assert analysis.measures.coverage_areas == {k: dict(v) for k, v in expected.items()}
    assert analysis.measures.coverage_areas["area/henan"] == {
        "source/dahe-2022-08-16": 22,
        "source/dcdr-2021": 1,
    }
    indicators = analysis.measures.coverage_indicators
    assert indicators["indicator/5g-base-stations"] == {
        "source/dahe-2022-08-16": 2,
        "source/dcdr-2021": 3,
    }


def test_centrality_ranks_the_hubs(analysis: Analysis) -> None:
    central = analysis.measures.central
    assert central[0].node == "source/dcdr-2021"
    degrees = [c.degree for c in central]
    assert degrees == sorted(degrees, reverse=True)
    henan = next(c for c in central if c.node == "area/henan")
    # Henan joins its cities and the article to the rest; the report's many national figures
    # (issue 18: 409 statements) dilute its share of shortest paths from 0.1 to about 0.075
    assert henan.betweenness > 0.05


def test_exports_read_back_in_networkx(built: BuildResult, analysis: Analysis) -> None:
    folder: Path = built.out_dir / "analysis"
    for projection in analysis.projections:
        nodes = analysis.measures.nodes[projection.name]
        graphml = nx.read_graphml(folder / f"{projection.name}.graphml")
        gexf_text = (folder / f"{projection.name}.gexf").read_text(encoding="utf-8")
        assert "lastmodifieddate" not in gexf_text
        gexf = nx.read_gexf(folder / f"{projection.name}.gexf")
        data = json.loads((folder / f"{projection.name}.json").read_text(encoding="utf-8"))
        linked = nx.node_link_graph(data, edges="edges")
        for graph in (graphml, gexf, linked):
            assert graph.number_of_nodes() == nodes, projection.name
            assert graph.number_of_edges() == analysis.measures.edges[projection.name]
        assert graphml.nodes["area/henan" if "area/henan" in graphml else next(iter(graphml))]
    henan = nx.read_graphml(folder / "admin-hierarchy.graphml").nodes["area/henan"]
    assert (henan["label_en"], henan["label_zh"]) == ("Henan", "河南省")


def _networkx_betweenness(graph: nx.Graph) -> dict[str, float]:
    return dict(nx.betweenness_centrality(graph, normalized=True))


def test_exact_betweenness_is_networkx_s_on_the_project_graph(analysis: Analysis) -> None:
    graph = analysis.projection("entities").graph
    ours, theirs = exact_betweenness(graph), _networkx_betweenness(graph)
    assert list(ours) == list(graph.nodes)
    assert all(abs(ours[n] - theirs[n]) < 1e-14 for n in graph.nodes)
    assert exact_betweenness(graph) == ours  # one thread: the same digits every time


@pytest.mark.parametrize(
    "graph",
    [
        nx.empty_graph(0),
        nx.empty_graph(1),
        nx.path_graph(2),
        nx.path_graph(7),
        nx.star_graph(6),
        nx.barbell_graph(5, 3),
        nx.gnm_random_graph(120, 300, seed=3),
        nx.gnm_random_graph(60, 150, seed=5, directed=True),
        nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"n{(n * 7) % 34}"),
    ],
    ids=["empty", "one", "edge", "path", "star", "barbell", "random", "directed", "karate"],
)
def test_exact_betweenness_is_networkx_s(graph: nx.Graph) -> None:
    ours, theirs = exact_betweenness(graph), _networkx_betweenness(graph)
    assert set(ours) == set(theirs)
    assert all(abs(ours[n] - theirs[n]) < 1e-14 for n in graph.nodes), graph


def test_betweenness_differing_in_the_last_digits_is_a_tie() -> None:
    """Entities of one degree whose betweenness differs only by float rounding rank by name."""
    graph = nx.Graph()
    graph.add_nodes_from(["b", "a", "hub"], label_en="x")
    graph.add_edges_from([("hub", "a"), ("hub", "b")])
    noise = {"hub": 1.0, "a": 0.25, "b": 0.25 + 1e-16 * 2}  # b's sum added in another order
    memo = _Recall(noise)
    central = centrality(Projection("p", "", "", graph), memo=memo)
    assert [c.node for c in central] == ["hub", "a", "b"]


class _Recall:
    """A memo that answers every betweenness with ``values``."""

    def __init__(self, values: dict[str, float]) -> None:
        self.values = values

    def recall(self, key: str) -> object:
        return self.values

    def remember(self, key: str, value: object) -> None:
        pass

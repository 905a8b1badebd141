"""The repository's own data, built end to end: conformance, determinism, golden file, facts."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from conftest import REPO, shared_sources
from kg.pipeline import OUTPUT_FILES, BuildResult, build_project
from kg.project import Project
from kg.quotes import check_quotes
from kg.sources import load_records
from kg.store import open_store, select

GOLDEN = REPO / "tests" / "golden" / "repo" / "kg.ttl"


def test_the_graph_conforms(built: BuildResult) -> None:
    assert built.report.conforms, built.report.text()
    assert built.sources >= 3
    assert built.statements >= 100


def test_rebuild_is_byte_identical(
    repo_project: Project, built: BuildResult, tmp_path: Path
) -> None:
    again = build_project(repo_project, out_dir=tmp_path / "out")
    for name in OUTPUT_FILES:
        assert (again.out_dir / name).read_bytes() == (built.out_dir / name).read_bytes(), name
    for folder in ("analysis", "site"):  # figures, pages and network exports too
        first = sorted(p.relative_to(built.out_dir) for p in (built.out_dir / folder).rglob("*"))
        second = sorted(p.relative_to(again.out_dir) for p in (again.out_dir / folder).rglob("*"))
        assert first == second
        for path in first:
            if (built.out_dir / path).is_file():
                assert (built.out_dir / path).read_bytes() == (again.out_dir / path).read_bytes(), (
                    path
                )


def test_golden_turtle(built: BuildResult) -> None:
    """kg.ttl as reviewed; after a deliberate change run `make golden` and review the diff."""
    text = (built.out_dir / "kg.ttl").read_text(encoding="utf-8")
    if os.environ.get("KG_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.is_file(), "no golden file yet: run `make golden`"
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "kg.ttl differs from tests/golden/repo/kg.ttl"
    )


def test_every_file_parses_with_rdflib_and_pyoxigraph_alike(built: BuildResult) -> None:
    out = built.out_dir
    expected = built.triples
    for name, rdflib_format, oxigraph_format in (
        ("kg.nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("kg.ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
    ):
        assert len(Graph().parse(out / name, format=rdflib_format)) == expected, name
        assert (
            len(set(pyoxigraph.parse(path=str(out / name), format=oxigraph_format))) == expected
        ), name
    for name, rdflib_format, oxigraph_format in (
        ("kg.trig", "trig", pyoxigraph.RdfFormat.TRIG),
        ("kg.jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
    ):
        dataset = Dataset()
        dataset.parse(out / name, format=rdflib_format)
        assert len({(s, p, o) for s, p, o, _ in dataset.quads()}) == expected, name
        quads = set(pyoxigraph.parse(path=str(out / name), format=oxigraph_format))
        assert len(quads) == built.quads, name
        assert len({(q.subject, q.predicate, q.object) for q in quads}) == expected, name


def test_store_holds_every_quad(built: BuildResult) -> None:
    store = open_store(built.out_dir / "store")
    assert len(store) == built.quads


@pytest.mark.sources
def test_every_quote_is_in_its_source_on_its_page(repo_project: Project) -> None:
    problems, checked = check_quotes(load_records(repo_project.data_dir), shared_sources())
    assert checked >= 100
    assert [str(p) for p in problems] == []


# -- The facts DESIGN.md lists, as the graph must hold them ---------------------------------

ID = "https://w3id.org/dckg/id/"
NUM = "http://qudt.org/vocab/unit/NUM"
PERCENT = "http://qudt.org/vocab/unit/PERCENT"
GBPS = "http://qudt.org/vocab/unit/GigaBIT-PER-SEC"
CNY = "http://qudt.org/vocab/unit/CCY_CNY"

FACTS = [
    # (source, area, value, unit, qualifier, period or None for "as reported")
    ("dahe-2022-08-16", "henan", "27600", NUM, "LowerBound", None),
    ("dahe-2022-08-16", "henan", "124700", NUM, "Exact", None),
    ("dahe-2022-08-16", "zhengzhou", "1", ID + "unit/rank", "Exact", None),
    ("dahe-2022-08-16", "henan", "99", PERCENT, "LowerBound", None),
    ("dahe-2022-08-16", "henan", "35000", NUM, "Exact", None),
    ("dahe-2022-08-16", "henan", "79289000", NUM, "Exact", None),
    ("dahe-2022-08-16", "zhengzhou", "1820", GBPS, "Exact", None),
    ("dahe-2022-08-16", "zhengzhou", "200", GBPS, "Exact", None),
    ("dahe-2022-08-16", "henan", "2922", NUM, "Exact", "2021"),
    ("dahe-2022-08-16", "henan", "59.5", PERCENT, "Exact", "2021"),
    ("dahe-2022-08-16", "henan", "919", NUM, "Exact", "2021"),
    ("dahe-2022-08-16", "henan", "4", NUM, "Exact", "2021"),
    ("dahe-2022-08-16", "henan", "188", NUM, "Exact", None),
    ("dahe-2022-08-16", "henan", "121", NUM, "Exact", None),
    ("dahe-2022-08-16", "henan", "99", NUM, "Exact", None),
    ("dahe-2022-08-16", "henan", "90", PERCENT, "LowerBound", None),
    ("dcdr-2021", "cn", "1425000", NUM, "Exact", "2021"),
    ("dcdr-2021", "cn", "60", PERCENT, "LowerBound", "2021"),
    ("dcdr-2021", "cn", "355000000", NUM, "Exact", "2021"),
    ("dcdr-2021", "cn", "34560000", NUM, "Exact", None),
    ("dcdr-2021", "cn", "608000000", NUM, "Exact", "2021"),
    ("dcdr-2021", "cn", "2.3", ID + "unit/zettabyte", "Exact", "2017"),
    ("dcdr-2021", "cn", "6.6", ID + "unit/zettabyte", "Exact", "2021"),
    ("dcdr-2021", "cn", "470000000000", CNY, "Exact", "2017"),
    ("dcdr-2021", "cn", "1300000000000", CNY, "Exact", "2021"),
    ("dcdr-2021", "cn", "5", NUM, "Exact", "2017"),
    ("dcdr-2021", "cn", "24", NUM, "Exact", "2021"),
    ("dcdr-2021", "cn", "654000", NUM, "Exact", "2021"),
    ("dcdr-2021", "cn", "10.1", ID + "unit/per-10000-people", "Exact", "2021"),
    ("dcdr-2021", "cn", "1399000000", NUM, "Exact", None),
    ("dcdr-2021", "cn", "168", NUM, "Exact", None),
    ("dcdr-2021", "cn", "19", NUM, "Exact", None),
    ("dcdr-2021", "cn", "63052", NUM, "Exact", "2021"),
]


@pytest.mark.parametrize(("source", "area", "value", "unit", "qualifier", "period"), FACTS)
def test_design_fact_is_in_the_graph(
    built: BuildResult,
    source: str,
    area: str,
    value: str,
    unit: str,
    qualifier: str,
    period: str | None,
) -> None:
    store = open_store(built.out_dir / "store")
    time = (
        f"?s dckg:refPeriod <{ID}period/{period}> ."
        if period
        else "?s dckg:timeStated false ; dckg:reportedOn ?day ."
    )
    rows = select(
        store,
        f"""PREFIX dckg: <https://w3id.org/dckg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?s ?quote WHERE {{
          ?s a dckg:Observation ; prov:wasDerivedFrom <{ID}source/{source}> ;
             dckg:area <{ID}area/{area}> ; dckg:value ?v ; dckg:unit <{unit}> ;
             dckg:qualifier dckg:{qualifier} ; dckg:originalWording ?w ;
             dckg:evidence/oa:exact ?quote .
          {time}
          FILTER (?v = {value})
        }}""",
    )
    assert rows, f"no {qualifier} {value} <{unit}> for {area} in {source}"


def _members(store: pyoxigraph.Store, source: str, group: str, dimension: str) -> set[str]:
    rows = select(
        store,
        f"""PREFIX dckg: <https://w3id.org/dckg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?m WHERE {{
          ?c a dckg:GroupClaim ; prov:wasDerivedFrom <{ID}source/{source}> ;
             dckg:groupKind dckg:{group} ; dckg:dimension <{ID}dimension/{dimension}> ;
             dckg:member ?m .
        }}""",
    )
    return {row["m"].rsplit("/", 1)[-1] for row in rows}


def test_the_sources_disagree_side_by_side(built: BuildResult) -> None:
    store = open_store(built.out_dir / "store")
    first_tier = _members(store, "dahe-2022-08-16", "FirstTier", "digital-infrastructure")
    top_ten = _members(store, "dcdr-2021", "TopTen", "digital-infrastructure")
    assert first_tier == {
        "henan",
        "beijing",
        "shanghai",
        "zhejiang",
        "jiangsu",
        "tianjin",
        "guangdong",
        "chongqing",
    }
    assert top_ten == first_tier | {"shandong", "sichuan"}


def test_the_report_has_eight_top_ten_lists(built: BuildResult) -> None:
    store = open_store(built.out_dir / "store")
    rows = select(
        store,
        """PREFIX dckg: <https://w3id.org/dckg/ontology#>
        SELECT ?c (COUNT(DISTINCT ?m) AS ?n) WHERE {
          ?c dckg:groupKind dckg:TopTen ; dckg:member ?m ; dckg:dimension ?d .
        } GROUP BY ?c""",
    )
    assert len(rows) == 8
    assert {row["n"] for row in rows} == {"10"}
    overall = _members(store, "dcdr-2021", "TopTen", "overall")
    assert overall == {
        "zhejiang",
        "beijing",
        "shanghai",
        "guangdong",
        "jiangsu",
        "shandong",
        "tianjin",
        "fujian",
        "hubei",
        "sichuan",
    }


def test_dimension_counts_differ_by_source(built: BuildResult) -> None:
    store = open_store(built.out_dir / "store")
    rows = select(
        store,
        """PREFIX dckg: <https://w3id.org/dckg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?source (COUNT(DISTINCT ?m) AS ?n) WHERE {
          ?c dckg:groupKind dckg:EvaluatedDimensions ; dckg:member ?m ; prov:wasDerivedFrom ?source .
        } GROUP BY ?source""",
    )
    assert {row["source"].rsplit("/", 1)[-1]: row["n"] for row in rows} == {
        "dahe-2022-08-16": "5",
        "dcdr-2021": "7",
    }


def test_another_process_with_another_hash_seed_writes_the_same_bytes(
    built: BuildResult, tmp_path: Path
) -> None:
    """Set and dict order inside rdflib, networkx or pyLODE must not reach the files."""
    import subprocess
    import sys

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "--project", str(REPO), "build", "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    files = sorted(
        p.relative_to(built.out_dir)
        for p in built.out_dir.rglob("*")
        if p.is_file() and "store" not in p.relative_to(built.out_dir).parts
    )
    assert len(files) > 50
    for path in files:
        assert (out / path).read_bytes() == (built.out_dir / path).read_bytes(), path

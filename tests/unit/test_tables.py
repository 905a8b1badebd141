"""Bulk tables: streamed rows, errors at file:row:column, checks equal to pyshacl's."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, VOID

from conftest import TABLE_SIDECAR as SIDECAR
from conftest import with_table as _with_table
from kg import serialize
from kg.build import build
from kg.errors import InputError, OutputError
from kg.pipeline import NotConforming, build_project, load_ontology, load_shapes
from kg.project import Project
from kg.rows import RowProblems, TableWriter, nt_literal
from kg.sources import load_records
from kg.sources.tables import load_specs
from kg.validate import Engine, compile_shapes, validate_graph

GOOD = [
    ("990000", "widgets", "2021", "12", "count", "new"),
    ("980000", "widgets", "2021", "7", "count", "total"),
    ("990100", "widgets", "2021", "3", "count", "total"),
    ("980000", "widget-share", "2021", "40.5", "percent", "share"),
]
BROKEN = [
    ("990100", "widgets", "2021", "-4", "count", "new"),  # negative count
    ("990000", "widget-share", "2021", "140", "percent", "share"),  # share above 100
    ("990100", "widget-share", "2021", "5", "count", "share"),  # share not in percent
    ("980000", "widgets", "2021", "0", "rank", "rank"),  # rank 0
    ("980000", "widget-share", "2021", "41.25", "percent", "share"),  # a decimal that conflicts
    ("980000", "widgets", "2021", "8", "count", "total"),  # conflicts with row 3 (7)
    ("980000", "widgets", "2021", "7", "count", "total"),  # the same value again: no conflict
]


def test_a_valid_table_builds_in_row_order(mini: Project) -> None:
    _with_table(mini, GOOD)
    result = build_project(mini)
    assert result.report.conforms
    assert result.statements == 5 + len(GOOD)
    nt = (mini.out_dir / "kg.nt").read_text(encoding="utf-8")
    rows = [
        line
        for line in nt.splitlines()
        if "/statement/table/widget-census/r" in line and "tableRow" in line
    ]
    assert [int(line.split('"')[1]) for line in rows] == [2, 3, 4, 5]  # row order, no global sort
    store = pyoxigraph.Store.read_only(str(mini.out_dir / "store"))
    graph = pyoxigraph.NamedNode("https://w3id.org/dckg/graph/table/widget-census")
    assert sum(1 for _ in store.quads_for_pattern(None, None, None, graph)) == 4 * 13 + 5
    assert len(Graph().parse(mini.out_dir / "kg.ttl", format="turtle")) == result.triples
    trig = pyoxigraph.parse(path=str(mini.out_dir / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    assert sum(1 for q in trig if q.graph_name == graph) == 4 * 13 + 5
    with open(mini.out_dir / "statements.csv", encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert [r["table_row"] for r in csv_rows if r["table"]] == ["2", "3", "4", "5"]
    void = Graph().parse(mini.out_dir / "void.ttl", format="turtle")
    subset = URIRef("https://w3id.org/dckg/id/dataset/dckg/graph/table/widget-census")
    assert int(void.value(subset, VOID.triples)) == 4 * 13 + 5
    assert int(void.value(subset, VOID.entities)) == 4 + 1
    dataset = URIRef("https://w3id.org/dckg/id/dataset/dckg")
    assert int(void.value(dataset, VOID.triples)) == result.triples
    before = {p.name: p.read_bytes() for p in mini.out_dir.iterdir() if p.is_file()}
    build_project(mini)
    assert {p.name: p.read_bytes() for p in mini.out_dir.iterdir() if p.is_file()} == before


def test_rows_are_written_as_pyoxigraph_writes_them(mini: Project) -> None:
    _with_table(mini, GOOD)
    build_project(mini)
    lines = [
        line
        for line in (mini.out_dir / "kg.nt").read_text(encoding="utf-8").splitlines()
        if "widget-census" in line
    ]
    again = pyoxigraph.serialize(
        pyoxigraph.parse("\n".join(lines).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    assert again is not None
    assert again.decode("utf-8").splitlines() == lines


def test_a_bad_row_names_file_row_and_column(mini: Project) -> None:
    path = _with_table(
        mini,
        [
            *GOOD,
            ("123456", "widgets", "2021", "1", "count", "total"),
            ("990000", "widgets", "2021", "many", "count", "total"),
        ],
    )
    with pytest.raises(InputError) as caught:
        build_project(mini)
    message = str(caught.value)
    assert f"{path}:6: column 'code': '123456' is not the GB/T 2260 code of an area" in message
    assert f"{path}:7: column 'value': 'many' is not a number" in message


def test_a_decimal_count_is_an_input_error_as_in_yaml(mini: Project) -> None:
    path = _with_table(mini, [*GOOD, ("990100", "widgets", "2021", "2.5", "count", "new")])
    with pytest.raises(InputError) as caught:
        build_project(mini)
    assert f"{path}:6: column 'value': value 2.5 is in 'count', a whole-number unit" in str(
        caught.value
    )


def test_a_broken_value_is_a_violation_at_its_row(mini: Project) -> None:
    path = _with_table(mini, [*GOOD, BROKEN[1]])
    with pytest.raises(NotConforming) as caught:
        build_project(mini)
    assert f"{path}:6: " in str(caught.value)
    assert "a share is stated in percent (unit:PERCENT), between 0 and 100" in str(caught.value)


def _keys(violations: list[object]) -> set[tuple[str, str, str, str]]:
    return {(v.focus, v.path, v.component, v.value) for v in violations}  # type: ignore[attr-defined]


def test_streaming_checks_report_exactly_what_pyshacl_reports(mini: Project) -> None:
    """Valid and broken samples: the same (focus, path, component, value) from both."""
    for sample in (GOOD, GOOD + BROKEN):
        _with_table(mini, sample)
        records = load_records(mini.data_dir)
        writer = TableWriter(records, compile_shapes(load_shapes(mini)))
        spec = load_specs(mini.data_dir / "tables")[0]
        problems = RowProblems()
        nt = io.StringIO()
        sink = io.StringIO()
        writer.write(spec, nt, sink, problems)
        assert problems.errors == []
        quads, _ = build(records)
        graph = serialize.union_graph(serialize.to_dataset(quads))
        graph.parse(data=nt.getvalue(), format="nt")
        for triple in load_ontology(mini):
            graph.add(triple)
        report = validate_graph(graph, load_shapes(mini), engine=Engine.PYSHACL)
        assert _keys(problems.violations) == _keys(list(report.violations))
        assert (problems.violations == []) == (sample is GOOD)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from([None, "en", "zh"]),
)
def test_literals_are_written_byte_for_byte_as_pyoxigraph_writes_them(
    text: str, lang: str | None
) -> None:
    literal = pyoxigraph.Literal(text, language=lang) if lang else pyoxigraph.Literal(text)
    triple = pyoxigraph.Triple(
        pyoxigraph.NamedNode("http://example.org/s"),
        pyoxigraph.NamedNode("http://example.org/p"),
        literal,
    )
    want = pyoxigraph.serialize([triple], format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert want is not None
    got = f"<http://example.org/s> <http://example.org/p> {nt_literal(text, lang=lang)} .\n"
    assert got == want.decode("utf-8")


def test_a_table_row_is_labelled_and_exported_as_a_curated_observation(mini: Project) -> None:
    """Labels and statements.csv columns of a row match the curated builder's own."""
    from kg.observation import columns, observation_labels

    COLUMNS = columns()

    _with_table(mini, [*GOOD, ("990000", "widgets", "2021", "0012", "count", "total")])
    build_project(mini)
    records = load_records(mini.data_dir)
    areas = {a.code: a for a in records.areas}
    indicators = {i.id: i for i in records.indicators}
    units = {u.id: u for u in records.units}
    periods = {p.id: p for p in records.periods}
    with open(mini.out_dir / "statements.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle)]
    assert all(len(r) == len(COLUMNS) for r in rows)
    table_rows = [dict(zip(COLUMNS, r, strict=True)) for r in rows if r[-2] == "widget-census"]
    assert [r["value"] for r in table_rows] == ["12", "7", "3", "40.5", "12"]
    graph = Graph().parse(mini.out_dir / "kg.nt", format="nt")
    for (code, indicator, year, value, unit, kind), row in zip(
        [*GOOD, ("990000", "widgets", "2021", "0012", "count", "total")], table_rows, strict=True
    ):
        period = periods[year]
        want = observation_labels(
            areas[code].label,
            indicators[indicator].label,
            kind,
            "exact",
            Decimal(value),
            units[unit],
            (period.label.get("en") or "", period.label.get("zh") or ""),
        )
        assert (row["label_en"], row["label_zh"]) == want
        assert row["area_en"] == areas[code].label.get("en")
        assert row["period_start"] == period.start.isoformat()
        labels = {
            (lit.language, str(lit))
            for lit in graph.objects(URIRef(row["statement"]), RDFS.label)
            if isinstance(lit, Literal)
        }
        assert labels == {("en", want[0]), ("zh", want[1])}


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_append_ranges_copies_every_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_copy: bool
) -> None:
    """A table's bytes are appended by the kernel where it can, by Python where it cannot."""
    import errno
    import os

    if not kernel_copy:

        def refuse(*_: object) -> int:
            raise OSError(errno.EXDEV, "cross-device")

        monkeypatch.setattr(os, "copy_file_range", refuse)
    head = "curated “1+37” 🙂\n".encode()
    source = tmp_path / "kg.nt"
    body = bytes(range(256)) * 9000
    source.write_bytes(head + body + b"tail")
    target = tmp_path / "kg.trig"
    target.write_bytes(head)
    serialize.append_ranges(target, [(source, len(head), len(body))], before="{\n", after="}\n")
    serialize.append_ranges(target, [(source, 0, 0)], before="{\n", after="}\n")
    assert target.read_bytes() == head + b"{\n" + body + b"}\n{\n}\n"
    fresh = tmp_path / "new.ttl"
    serialize.append_ranges(fresh, [(source, len(head), len(body) + 4)])
    assert fresh.read_bytes() == body + b"tail"
    two = tmp_path / "two.ttl"  # a table written in two halves: its segments in order
    serialize.append_ranges(two, [(source, len(head) + 7, 100), (source, 0, len(head))])
    assert two.read_bytes() == (head + body)[len(head) + 7 : len(head) + 107] + head


@pytest.mark.parametrize("failing", ["kg.trig", "kg.ttl"])
def test_a_disk_error_in_either_process_leaves_out_as_it_was(
    mini: Project, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The curated kg.trig is written by the validating child, kg.ttl's table part by the parent."""
    import errno

    _with_table(mini, GOOD)
    build_project(mini)
    before = {p.name: p.read_bytes() for p in mini.out_dir.iterdir() if p.is_file()}
    real_write, real_append = serialize.write_text, serialize.append_ranges

    def full(path: Path, *args: object, **kwargs: object) -> None:
        if path.name == failing == "kg.trig":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, *args, **kwargs)  # type: ignore[arg-type]

    def full_append(target: Path, *args: object, **kwargs: object) -> None:
        if target.name == failing == "kg.ttl":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_append(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(serialize, "write_text", full)
    monkeypatch.setattr(serialize, "append_ranges", full_append)
    with pytest.raises(OutputError) as caught:
        build_project(mini)
    assert "No space left on device" in str(caught.value) and failing in str(caught.value)
    assert {p.name: p.read_bytes() for p in mini.out_dir.iterdir() if p.is_file()} == before
    assert not list(mini.root.glob(".out.building-*"))


def test_cells_with_spaces_around_them_are_read_stripped(mini: Project) -> None:
    _with_table(mini, [(" 990000", "widgets ", " 2021 ", " 12", "count", " new ")])
    result = build_project(mini)
    assert result.statements == 5 + 1
    nt = (mini.out_dir / "kg.nt").read_text(encoding="utf-8")
    assert '/widget-census/r2> <https://w3id.org/dckg/ontology#value> "12"^^' in nt


def test_json_ld_holds_the_tables_as_trig_does(mini: Project) -> None:
    """kg.jsonld (the tables' graphs written as rows stream) has exactly the quads of kg.trig."""
    folder = mini.data_dir / "tables"
    _with_table(mini, GOOD)
    second = folder / "widget-census-b.yaml"
    second.write_text(
        SIDECAR.replace("id: widget-census", "id: widget-census-b").replace(
            "Widget census", 'Widget "census" B\\\\'
        ),
        encoding="utf-8",
    )
    (folder / "widget-census-b.csv").write_text(
        "code,indicator,year,value,unit,kind\n990100,widgets,2021,5,count,net-increase\n",
        encoding="utf-8",
    )
    build_project(mini)
    import json

    json.loads((mini.out_dir / "kg.jsonld").read_text(encoding="utf-8"))  # one JSON document
    trig = set(
        pyoxigraph.parse(path=str(mini.out_dir / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    )
    jsonld = set(
        pyoxigraph.parse(path=str(mini.out_dir / "kg.jsonld"), format=pyoxigraph.RdfFormat.JSON_LD)
    )
    tables_graphs = {q.graph_name for q in trig if "/graph/table/" in str(q.graph_name)}
    assert len(tables_graphs) == 2
    assert jsonld == trig


def test_views_draw_on_the_curated_graphs_and_count_the_tables(mini: Project) -> None:
    """Networks and pages are per entity: a big table would swamp them, so they leave it out."""
    import json

    _with_table(mini, GOOD)
    build_project(mini)
    index = (mini.out_dir / "site" / "index.html").read_text(encoding="utf-8")
    assert f"Bulk tables add {4 * 13 + 5:,} triples" in index
    exported = json.loads(
        (mini.out_dir / "analysis" / "statement-sources.json").read_text(encoding="utf-8")
    )
    ids = [str(n["id"]) for n in exported["nodes"]]
    assert [i for i in ids if "statement/test-report/" in i]  # curated statements are there
    assert not [i for i in ids if "statement/table/" in i]

"""The observation template and the row text it compiles to, without a full build."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg import observation, serialize
from kg.build import build
from kg.errors import Origin
from kg.export import statements_csv
from kg.model import Text, Unit
from kg.observation import (
    Part,
    columns,
    format_value,
    label_pieces,
    observation_labels,
    parts,
    unit_words,
    value_lexical,
)
from kg.pipeline import load_shapes
from kg.project import Project
from kg.render import compact, compile_row, csv_field, json_node, json_string, nt_literal
from kg.rows import RowProblems, TableWriter, table_iri
from kg.sources import load_records
from kg.sources.tables import load_specs
from kg.validate import compile_shapes
from kg.vocab import DCKG, PREFIXES

TEST = Namespace("https://example.org/dckg-test#")  # a test namespace, not ours
SIDECAR = (  # a table whose rows are lower bounds, so that every label has a sign
    "table: {id: widget-census, label: {en: Widget census, zh: 部件普查}, source: test-report,\n"
    "  columns: {area_code: code, indicator: indicator, period: year, value: value,\n"
    "            unit: unit, qualifier: {value: lower-bound}, kind: kind}}\n"
)
ROWS = "code,indicator,year,value,unit,kind\n990000,widgets,2021,12,count,new\n980000,widget-share,2021,40.5,percent,share\n"


def _unit(en: str, zh: str, symbol: str | None = None) -> Unit:
    return Unit("u", None, Text.of({"en": en, "zh": zh}), False, Origin(Path("t.yaml"), 1), symbol)


def _table(project: Project) -> None:
    folder = project.data_dir / "tables"
    folder.mkdir(exist_ok=True)
    (folder / "widget-census.yaml").write_text(SIDECAR, encoding="utf-8")
    (folder / "widget-census.csv").write_text(ROWS, encoding="utf-8")


def _stream(project: Project) -> tuple[str, str, str, RowProblems]:
    """A table of the project streamed by the row writer: N-Triples, JSON-LD body, CSV lines."""
    records = load_records(project.data_dir)
    writer = TableWriter(records, compile_shapes(load_shapes(project)))
    spec = load_specs(project.data_dir / "tables")[0]
    nt, js, rows, problems = io.StringIO(), io.StringIO(), io.StringIO(), RowProblems()
    writer.write(spec, nt, rows, problems, js)
    return nt.getvalue(), js.getvalue(), rows.getvalue(), problems


def test_a_part_added_to_the_template_reaches_every_writer(
    mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One edit to the template: the curated Turtle, a table's N-Triples and JSON-LD, and
    both kinds of statements.csv row carry the new part, with no other module changed."""
    monkeypatch.setattr(
        observation, "PARTS", (*observation.PARTS, Part(TEST.kindAgain, "kind", "kind_again"))
    )
    _table(mini)
    records = load_records(mini.data_dir)
    quads, _ = build(records)
    turtle = serialize.turtle(serialize.union_graph(serialize.to_dataset(quads)))
    curated = Graph().parse(data=turtle, format="turtle")
    observations = set(curated.subjects(RDF.type, DCKG.Observation))
    assert observations
    for node in observations:
        kind = curated.value(node, DCKG.statementKind)
        assert kind is not None and curated.value(node, TEST.kindAgain) == kind

    nt, js, rows, problems = _stream(mini)
    assert problems.errors == [] and problems.violations == []
    table = Graph().parse(data=nt, format="nt")
    rows_nodes = set(table.subjects(RDF.type, DCKG.Observation))
    assert len(rows_nodes) == 2
    for node in rows_nodes:
        assert table.value(node, TEST.kindAgain) == table.value(node, DCKG.statementKind)

    document = json.dumps({"@context": PREFIXES, "@graph": json.loads(f"[{js}]")})
    from_json = Dataset().parse(data=document, format="json-ld")
    assert set(from_json.triples((None, TEST.kindAgain, None))) == set(
        table.triples((None, TEST.kindAgain, None))
    )

    assert columns()[-1] == "kind_again"
    header = columns()
    for row in [
        *csv.DictReader(io.StringIO(statements_csv(records))),
        *csv.DictReader(io.StringIO(rows), fieldnames=header),
    ]:
        assert row["kind_again"] == (row["kind"] if row["type"] == "observation" else "")
    assert {r["kind_again"] for r in csv.DictReader(io.StringIO(rows), fieldnames=header)} == {
        "new",
        "share",
    }


def test_a_new_label_wording_reaches_the_rows_and_the_builder(
    mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(observation.LABELS, "en", "{sign}{number}{unit} ({kind}) in {area}")
    _table(mini)
    nt, _, rows, _ = _stream(mini)
    assert '"> 12 (new in period) in Alpha"@en' in nt
    assert ",> 12 (new in period) in Alpha," in rows
    unit = _unit("things", "个")
    en, _ = observation_labels(
        Text.of({"en": "A", "zh": "甲"}),
        Text.of({"en": "I", "zh": "乙"}),
        "total",
        "exact",
        Decimal(5),
        unit,
        ("2021", "2021年"),
    )
    assert en == "5 things (total) in A"


def test_parts_name_known_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [p.slot for p in parts()] == list(observation.SLOTS)
    monkeypatch.setattr(observation, "PARTS", (Part(TEST.x, "colour"),))
    with pytest.raises(ValueError, match="unknown slot 'colour'"):
        parts()


def test_columns_are_the_base_ones_in_order() -> None:
    assert columns() == observation.BASE_COLUMNS
    assert columns()[:3] == ("statement", "type", "source")


def test_label_pieces_split_a_template_at_its_slots() -> None:
    pieces = label_pieces("en")
    assert pieces[0] == ("", "area")
    assert [slot for _, slot in pieces] == [
        "area",
        "indicator",
        "kind",
        "when",
        "sign",
        "number",
        "unit",
    ]


def test_format_value_and_value_lexical() -> None:
    assert format_value(Decimal("1.30E+12")) == "1300000000000"
    assert format_value(Decimal("99.0")) == "99"
    assert value_lexical(Decimal("99"), integer=False) == "99.0"
    assert value_lexical(Decimal("40.50"), integer=False) == "40.5"
    assert value_lexical(Decimal("12"), integer=True) == "12"


def test_unit_words_use_the_symbol_or_the_label() -> None:
    percent = _unit("percent", "百分比", "%")
    bare = _unit("number", "个数", "")
    worded = _unit("households", "户")
    assert unit_words(percent) == (" %", " %")
    assert unit_words(bare) == ("", "")
    assert unit_words(worded) == (" households", " 户")


def test_observation_labels_in_both_languages() -> None:
    unit = _unit("percent", "百分比", "%")
    labels = observation_labels(
        Text.of({"en": "Alpha", "zh": "甲省"}),
        Text.of({"en": "widget share", "zh": "部件占比"}),
        "share",
        "lower-bound",
        Decimal("99.0"),
        unit,
        ("2021", "2021年"),
    )
    assert labels == (
        "Alpha, widget share (share), 2021: > 99 %",
        "甲省部件占比（占比，2021年）：> 99 %",
    )


def test_text_helpers_escape_as_the_formats_do() -> None:
    assert nt_literal('a "b"\n', lang="en") == '"a \\"b\\"\\n"@en'
    assert nt_literal("7", datatype="http://www.w3.org/2001/XMLSchema#integer").endswith(
        "#integer>"
    )
    assert json_string('a "b"') == 'a \\"b\\"'
    assert json_node("https://example.org/x") == '{"@id": "https://example.org/x"}'
    assert compact(str(DCKG.area)) == "dckg:area"
    assert compact("https://example.org/dckg-test#x") == "https://example.org/dckg-test#x"
    assert csv_field("plain") == "plain"
    assert csv_field('a,"b"') == '"a,""b"""'


def test_a_compiled_row_is_what_pyoxigraph_reads() -> None:
    render, triples = compile_row("https://example.org/dckg-test/table/t", "t", jsonld=True)
    assert triples == 1 + 2 + len(parts()) + 2

    class Term:
        def __init__(self, iri: str, label: str, csv_columns: str) -> None:
            self.iri, self.json_iri, self.id = f"<{iri}>", json_node(iri), iri.rsplit("/", 1)[1]
            self.en = self.zh = self.plain_en = self.plain_zh = label
            self.en_json = self.zh_json = label
            self.csv, self.csv_plain = csv_columns, True

    class Words:
        iri, csv, csv_plain = (
            "http://qudt.org/vocab/unit/NUM",
            "http://qudt.org/vocab/unit/NUM",
            True,
        )
        en = zh = en_nt = zh_nt = en_json = zh_json = ""

    base = "https://example.org/dckg-test/"
    area = Term(f"{base}a", "a", "a,990000,a,甲")
    indicator = Term(f"{base}i", "i", "i,i")
    period = Term(f"{base}p", "p", "p,2021-01-01,2021-12-31")
    source = Term(f"{base}s", "s", "s")
    nt, js, row = render(
        "https://example.org/dckg-test/r2",
        2,
        area,
        indicator,
        period,
        source,
        Words(),
        "exact",
        "total",
        "7",
        True,
        "7",
    )
    quads = list(pyoxigraph.parse(nt.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(quads) == triples
    value = str(DCKG.value)
    assert [str(q.object.value) for q in quads if q.predicate.value == value] == ["7"]
    node = json.loads(js.removeprefix(",\n"))
    assert node["@id"] == f"{base}r2" and node["dckg:value"]["@value"] == "7"
    fields = dict(zip(columns(), next(csv.reader(io.StringIO(row))), strict=True))
    assert fields["area_zh"] == "甲" and fields["period_end"] == "2021-12-31"
    assert fields["label_en"] == "a, i (total), p: 7" and fields["table_row"] == "2"


def test_table_iri_and_the_tables_own_node(mini: Project) -> None:
    _table(mini)
    spec = load_specs(mini.data_dir / "tables")[0]
    assert table_iri(spec) == "https://w3id.org/dckg/id/table/widget-census"
    writer = TableWriter(load_records(mini.data_dir), compile_shapes(load_shapes(mini)))
    lines = writer.table_node(spec)
    assert Graph().parse(data="\n".join(lines), format="nt").value(
        URIRef(table_iri(spec)), DCKG.tableFile
    ) == Literal("data/tables/widget-census.csv")
    node = json.loads(writer.table_node_json(spec))
    assert node["@id"] == table_iri(spec) and node["@type"] == "dckg:StatisticalTable"

"""Each stage by itself: the modules of kg.sources, the builder and the compiled checks.

No full build here: each test calls one public function on a few records.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.build import (
    Builder,
    build,
    quote_iri,
    source_graph,
    statement_iri,
    value_literal,
)
from kg.errors import Origin, RecordError
from kg.model import Observation, Records
from kg.observation import KIND_CONCEPTS, parts
from kg.pipeline import load_shapes
from kg.project import Project
from kg.sources import DataErrors, load_records
from kg.sources.checks import check_references
from kg.sources.documents import read_claim, read_observation, read_source
from kg.sources.fields import Fields, clean, items_of, kind_of, require_languages
from kg.sources.links import read_links
from kg.sources.reference import REFERENCE_SECTIONS
from kg.sources.tables import Known, cell_errors, load_specs
from kg.sources.yaml import read_yaml, yaml_files
from kg.validate import Checks, ObservationFacts, compile_shapes
from kg.vocab import DCKG, ID

PERCENT = "http://qudt.org/vocab/unit/PERCENT"


def _fields(tmp_path: Path, text: str) -> tuple[Fields, list[RecordError]]:
    path = tmp_path / "records.yaml"
    path.write_text(text, encoding="utf-8")
    errors: list[RecordError] = []
    return Fields(read_yaml(path), path, errors), errors


# -- kg.sources.yaml -----------------------------------------------------------------------


def test_read_yaml_keeps_lines_and_refuses_aliases(tmp_path: Path) -> None:
    fields, _ = _fields(tmp_path, "# a comment\nareas:\n  - {id: a}\n")
    assert fields.origin_of("areas") == Origin(tmp_path / "records.yaml", 2)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    with pytest.raises(RecordError, match="alias"):
        read_yaml(bomb)


def test_yaml_files_are_sorted_and_only_yaml(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "notes.txt", ".hidden.yaml"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    assert [p.name for p in yaml_files(tmp_path)] == ["a.yml", "b.yaml"]
    assert yaml_files(tmp_path / "missing") == []


# -- kg.sources.fields ---------------------------------------------------------------------


def test_fields_record_each_problem_at_its_line(tmp_path: Path) -> None:
    fields, errors = _fields(
        tmp_path, 'id: Not A Slug\ncount: -1\nday: "2021-02-30"\ncolour: red\n'
    )
    fields.allow("id", "count", "day")
    assert fields.slug("id") is None
    assert fields.integer("count", minimum=0) is None
    assert fields.day("day") is None
    assert not fields.ok
    assert sorted(e.origin.line for e in errors) == [1, 2, 3, 4]
    assert "unknown key 'colour'" in " ".join(e.message for e in errors)


def test_items_of_yields_the_mappings_of_a_list(tmp_path: Path) -> None:
    fields, errors = _fields(tmp_path, "areas:\n  - {id: a}\n  - just text\n  - {id: b}\n")
    assert [item.node["id"] for item in items_of(fields, "areas")] == ["a", "b"]
    assert [e.origin.line for e in errors] == [3]


def test_small_helpers_of_fields(tmp_path: Path) -> None:
    assert clean("  two  words ") == "two  words"
    assert kind_of(True) == "true/false" and kind_of([1]) == "a list" and kind_of(3) == "a number"
    fields, errors = _fields(tmp_path, "label: {en: Alpha}\n")
    require_languages(fields, "label", fields.text("label"), ("en", "zh"))
    assert errors[0].message.endswith("records.yaml:1: 'label' lacks zh")


# -- kg.sources.reference, documents, links, checks, tables ------------------------------


def test_a_reference_parser_per_kind(tmp_path: Path) -> None:
    fields, errors = _fields(
        tmp_path,
        "areas:\n  - {id: alpha, type: province, code: '990000', code_sources: [test-codes],\n"
        "     label: {en: Alpha, zh: 甲省}, parent: testland}\n",
    )
    (item,) = items_of(fields, "areas")
    area = REFERENCE_SECTIONS["areas"](item)
    assert (area.id, area.code, area.label.get("zh")) == ("alpha", "990000", "甲省")
    assert errors == []
    assert set(REFERENCE_SECTIONS) >= {"areas", "units", "indicators", "periods", "people"}


def test_a_source_document_its_observation_and_its_claim(tmp_path: Path) -> None:
    fields, errors = _fields(
        tmp_path,
        "source: {id: test-doc, type: report, title: {en: Doc, zh: 文件}, publisher: test-office,\n"
        "  languages: [zh],\n"
        "  published: '2022-07'}\n"
        "statement: {id: s1, area: alpha, indicator: widgets, kind: total, value: 12,\n"
        "  unit: count, qualifier: exact, wording: {zh: 12个}, period: '2021',\n"
        "  quotes: [{zh: 共12个}]}\n"
        "claim: {id: c1, type: fact, label: {en: A fact., zh: 一个事实。}, period: '2021',\n"
        "  quotes: [{zh: 一个事实}]}\n",
    )
    source, nested = read_source(Fields(fields.node["source"], fields.path, errors))
    assert source is not None and nested == [] and source.published == "2022-07"
    observation = read_observation(
        Fields(fields.node["statement"], fields.path, errors), source, {"count"}
    )
    assert observation is not None and observation.value == Decimal(12)
    claim = read_claim(Fields(fields.node["claim"], fields.path, errors), source)
    assert claim is not None and claim.label.get("en") == "A fact."
    assert errors == []


def test_read_links_takes_accepted_area_links(tmp_path: Path) -> None:
    (tmp_path / "test.sssom.tsv").write_text(
        "#curie_map:\n#  dckgid: https://w3id.org/dckg/id/\n#  ex: https://example.org/dckg-test/\n"
        "subject_id\tobject_id\tpredicate_id\tmapping_justification\n"
        "dckgid:area/alpha\tex:alpha\tskos:exactMatch\tsemapv:ManualMappingCuration\n"
        "dckgid:area/beta\tex:beta\tskos:closeMatch\tsemapv:ManualMappingCuration\n",
        encoding="utf-8",
    )
    errors: list[RecordError] = []
    links = read_links(tmp_path, errors)
    assert [(link.area, link.target, link.object) for link in links] == [
        ("alpha", "test", "https://example.org/dckg-test/alpha")
    ]
    assert len(errors) == 1 and "closeMatch" in errors[0].message


def test_check_references_finds_a_dangling_one(mini: Project) -> None:
    records = load_records(mini.data_dir)
    assert check_references(records) == []
    city = next(a for a in records.areas if a.id == "alpha-city")
    areas = tuple(replace(a, parent="gamma") if a is city else a for a in records.areas)
    broken = replace(records, areas=areas)
    (error,) = check_references(broken)
    assert "parent 'gamma' is not a known area" in error.message


def test_load_specs_and_cell_errors(mini: Project) -> None:
    folder = mini.data_dir / "tables"
    folder.mkdir()
    (folder / "t.yaml").write_text(
        "table: {id: t, label: {en: T, zh: 表}, source: test-report, columns: {area_code: code,\n"
        "  indicator: {value: widgets}, period: {value: '2021'}, value: value,\n"
        "  unit: {value: count}, qualifier: {value: exact}, kind: {value: total}}}\n",
        encoding="utf-8",
    )
    (folder / "t.csv").write_text("code,value\n990000,12\n", encoding="utf-8")
    (spec,) = load_specs(folder)
    assert spec.columns["indicator"].constant == "widgets"
    known = Known.of(load_records(mini.data_dir))
    assert cell_errors(spec, 2, ["990000", "12"], {"code": 0, "value": 1}, known) == []
    messages = [
        e.message for e in cell_errors(spec, 3, ["123", "x"], {"code": 0, "value": 1}, known)
    ]
    assert messages == [
        f"{folder / 't.csv'}:3: column 'code': '123' is not the GB/T 2260 code of an area in data/reference/",
        f"{folder / 't.csv'}:3: column 'value': 'x' is not a number",
    ]
    (folder / "t.csv").unlink()
    with pytest.raises(DataErrors, match=r"no CSV file t\.csv"):
        load_specs(folder)


# -- kg.build ------------------------------------------------------------------------------


def test_builder_yields_an_observation_from_its_template(mini: Project) -> None:
    records = load_records(mini.data_dir)
    builder = Builder(records)
    observation = next(s for s in records.statements if isinstance(s, Observation))
    node = statement_iri(observation)
    assert node == URIRef(f"{ID}statement/test-report/{observation.id}")
    quads = [q for q in builder.quads() if q[0] == node]
    assert {q[3] for q in quads} == {source_graph("test-report")}
    predicates = {q[1] for q in quads}
    assert {
        p.predicate for p in parts() if p.slot != "period" or observation.when.period
    } <= predicates
    assert (node, RDF.type, DCKG.Observation) in {q[:3] for q in quads}
    kind = builder.part_term(observation, next(p for p in parts() if p.slot == "kind"))
    assert kind == KIND_CONCEPTS[observation.kind]
    labels = {str(q[2]) for q in quads if q[1] == RDFS.label}
    assert {builder.statement_label(observation).get(lang) for lang in ("en", "zh")} == labels


def test_builder_iris_and_origins(mini: Project) -> None:
    records = load_records(mini.data_dir)
    builder = Builder(records)
    assert builder.unit_iri("percent") == URIRef(PERCENT)
    assert builder.unit_iri("rank") == URIRef(f"{ID}unit/rank")
    assert builder.about_iri("test-plan") == URIRef(f"{ID}plan/test-plan")
    quads, built = build(records)
    triples = {q[:3] for q in quads}
    alpha = URIRef(f"{ID}area/alpha")
    assert (alpha, RDFS.label, Literal("甲省", lang="zh")) in triples
    assert built.origins[alpha].path.name == "reference.yaml"
    statement = records.statements[0]
    quote = statement.quotes[0]
    assert quote_iri("test-report", quote) == quote_iri("test-report", quote)
    assert (
        statement_iri(statement),
        PROV.wasDerivedFrom,
        URIRef(f"{ID}source/test-report"),
    ) in triples


def test_value_literal_forms() -> None:
    assert value_literal(Decimal("12"), integer=True) == Literal("12", datatype=XSD.integer)
    assert str(value_literal(Decimal("99"), integer=False)) == "99.0"
    assert value_literal(Decimal("99"), integer=False).datatype == XSD.decimal


def test_records_without_statements_build_reference_data_only() -> None:
    quads, _ = build(Records())
    assert {q[3] for q in quads} <= {URIRef("https://w3id.org/dckg/graph/reference")}


# -- kg.validate: the compiled checks ------------------------------------------------------


def _checks(mini: Project) -> Checks:
    return compile_shapes(load_shapes(mini))


def test_compile_shapes_reads_the_messages_from_the_shapes(mini: Project) -> None:
    checks = _checks(mini)
    shapes = load_shapes(mini)
    for check in checks.observation:
        assert (
            str(shapes.value(URIRef(check.shape), URIRef("http://www.w3.org/ns/shacl#message")))
            == check.message
        )
    assert {c.shape.rsplit("#", 1)[1] for c in checks.observation} == {
        "IntegerValueShape",
        "NonNegativeValueShape",
        "RankShape",
        "ShareShape",
    }
    assert "{other}" in checks.conflict_message and "{otherValue}" in checks.conflict_message


def test_checks_run_on_one_observation(mini: Project) -> None:
    checks = _checks(mini)
    share = str(DCKG.Share)
    ok = ObservationFacts(Decimal("40.5"), False, PERCENT, False, share)
    assert checks.run("s", ok, None) == []
    too_big = ObservationFacts(Decimal("140"), False, PERCENT, False, share)
    (violation,) = checks.run("s", too_big, None)
    assert violation.message.startswith("a share is stated in percent")
    negative_rank = ObservationFacts(Decimal("-1"), True, f"{ID}unit/rank", True, str(DCKG.Rank))
    assert len(checks.run("s", negative_rank, None)) == 2  # negative, and a rank below 1


def test_a_conflict_names_the_other_statement(mini: Project) -> None:
    violation = _checks(mini).conflict("https://example.org/a", "https://example.org/b", "7", None)
    assert violation.message.endswith(
        "(7) for the same indicator, area, kind and time: https://example.org/b"
    )
    assert violation.component.endswith("SPARQLConstraintComponent")


def test_a_shape_the_compiler_does_not_know_is_left_to_pyshacl(mini: Project) -> None:
    shapes = load_shapes(mini)
    shapes.parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix dckg: <https://w3id.org/dckg/ontology#> .\n"
        "<https://example.org/dckg-test#S> a sh:NodeShape ; sh:targetClass dckg:Observation ;\n"
        '  sh:or ( [ sh:path dckg:value ; sh:pattern "^1" ] ) ; sh:message "starts with 1" .\n',
        format="turtle",
    )
    checks = compile_shapes(shapes)
    assert "https://example.org/dckg-test#S" in checks.uncompiled
    assert all(c.message != "starts with 1" for c in checks.observation)


def test_failing_is_looked_up_by_stretch_between_bounds(mini: Project) -> None:
    """The lookup answers as the predicates do, at the bounds, between them and beyond."""
    checks = _checks(mini)
    for kind in (DCKG.Share, DCKG.Rank, DCKG.Total):
        for unit, integer in ((PERCENT, False), (f"{ID}unit/rank", True)):
            for text in ("-5", "-0.5", "0", "0.5", "1", "2", "99.9", "100", "100.1", "1e30"):
                facts = ObservationFacts(Decimal(text), integer, unit, integer, str(kind))
                want = tuple(c for c in checks.observation if not c.holds(facts))
                assert checks.failing(Decimal(text), integer, unit, integer, str(kind)) == want


def test_can_fail_tells_which_kinds_need_checks_on_digits(mini: Project) -> None:
    checks = _checks(mini)
    number = "http://qudt.org/vocab/unit/NUM"
    assert not checks.can_fail(True, number, True, str(DCKG.Total), minimum=Decimal(0))
    assert checks.can_fail(True, number, True, str(DCKG.Total), minimum=Decimal(-1))
    assert checks.can_fail(True, number, True, str(DCKG.Share), minimum=Decimal(0))
    assert checks.can_fail(True, number, True, str(DCKG.Rank), minimum=Decimal(0))


def test_sources_know_records_not_rdf() -> None:
    """Nothing under kg/sources imports the builder, validation or IRI minting."""
    import ast

    import kg.sources

    folder = Path(kg.sources.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {alias.name for alias in node.names}
                assert node.module not in ("kg.build", "kg.validate", "kg.rows"), path.name
                assert not (node.module == "kg.vocab" and "mint" in names), path.name
                assert not (node.module == "kg" and names & {"build", "validate", "rows"}), (
                    path.name
                )

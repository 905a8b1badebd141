"""Report sections (``sections:`` of a source file) and ``reviewed:``: loaded, checked, built."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from conftest import REPO, with_table
from kg.build import build
from kg.errors import InputError
from kg.export import statements_csv
from kg.observation import columns
from kg.pipeline import build_project
from kg.project import Project
from kg.sources import load_records
from kg.vocab import DCKG

REPORT = "data/sources/test-report.yaml"
SECTIONS = """sections:
  - id: ch-1
    number: 一、
    title: {zh: 部件, en: Widgets}
    page: 1
    sections:
      - {id: ch-1-1, number: （一）, title: {zh: 部件总量, en: Widget totals}, page: 1}
      - {id: ch-1-2, number: （二）, title: {zh: 部件名次, en: Widget ranks}, page: 2}
  - {id: ch-2, number: 二、, title: {zh: 小器具, en: Gadgets}, page: 2}
statements:
"""


def _edit(project: Project, old: str, new: str) -> None:
    path = project.root / REPORT
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(project: Project) -> str:
    with pytest.raises(InputError) as caught:
        load_records(project.data_dir)
    return str(caught.value)


def _with_sections(project: Project) -> None:
    _edit(project, "statements:\n", SECTIONS)
    _edit(project, "    wording: {zh: 第二}\n", "    wording: {zh: 第二}\n    section: ch-1-2\n")


def test_sections_load_nested_in_order(mini: Project) -> None:
    _with_sections(mini)
    records = load_records(mini.data_dir)
    found = [(s.id, s.parent, s.order, s.number, s.page) for s in records.sections]
    assert found == [
        ("ch-1", None, 1, "一、", 1),
        ("ch-1-1", "ch-1", 1, "（一）", 1),
        ("ch-1-2", "ch-1", 2, "（二）", 2),
        ("ch-2", None, 2, "二、", 2),
    ]
    rank = next(s for s in records.statements if s.id == "alpha-widgets-rank")
    assert rank.section == "ch-1-2"


def test_sections_in_the_graph(mini: Project) -> None:
    _with_sections(mini)
    quads, _ = build(load_records(mini.data_dir))
    triples = {(s, p, o) for s, p, o, _ in quads}
    section = URIRef("https://w3id.org/dckg/id/section/test-report/ch-1-2")
    statement = URIRef("https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank")
    assert (statement, DCKG.inSection, section) in triples
    assert (
        section,
        DCKG.subsectionOf,
        URIRef("https://w3id.org/dckg/id/section/test-report/ch-1"),
    ) in triples
    assert (section, DCKG.sectionOrder, Literal("2", datatype=XSD.positiveInteger)) in triples
    assert (section, DCKG.sectionNumber, Literal("（二）")) in triples


def test_a_statement_names_a_section_of_its_source(mini: Project) -> None:
    _with_sections(mini)
    _edit(mini, "section: ch-1-2", "section: ch-1-3")
    message = _errors(mini)
    assert "section 'ch-1-3' is not a section of source 'test-report'" in message
    assert "did you mean ch-1-2" in message


def test_a_section_needs_both_titles_and_a_page(mini: Project) -> None:
    _edit(mini, "statements:\n", "sections:\n  - {id: ch-1, title: {zh: 部件}}\nstatements:\n")
    message = _errors(mini)
    assert "missing required key 'page'" in message
    assert "title" in message and "en" in message


def test_a_section_id_twice(mini: Project) -> None:
    _edit(
        mini,
        "statements:\n",
        "sections:\n  - {id: ch-1, title: {zh: 甲, en: A}, page: 1}\n"
        "  - {id: ch-1, title: {zh: 乙, en: B}, page: 2}\nstatements:\n",
    )
    assert "section id 'ch-1' is used twice" in _errors(mini)


def test_reviewed_names_the_fields_checked(mini: Project) -> None:
    _edit(
        mini, "    wording: {zh: 第二}\n", "    wording: {zh: 第二}\n    reviewed: [value, time]\n"
    )
    rank = next(s for s in load_records(mini.data_dir).statements if s.id == "alpha-widgets-rank")
    assert rank.reviewed == ("value", "time")
    _edit(mini, "reviewed: [value, time]", "reviewed: [value, colour]")
    message = _errors(mini)
    assert "reviewed names 'colour', not a field a curator checks" in message


SECTION_COLUMNS = ("section", "section_en", "section_zh")


def test_statements_csv_gives_each_statements_section(mini: Project) -> None:
    """A curated row carries its section's id and headings; a table's row leaves them empty."""
    _with_sections(mini)
    with_table(mini, [("990000", "widgets", "2021", "12", "count", "new")])
    result = build_project(mini)
    with open(result.out_dir / "statements.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == list(columns())
    assert all(len(row) == len(header) for row in rows)
    found = {row[0].rpartition("/")[2]: dict(zip(header, row, strict=True)) for row in rows}
    rank = found["alpha-widgets-rank"]
    assert [rank[c] for c in SECTION_COLUMNS] == ["ch-1-2", "Widget ranks", "部件名次"]
    assert [found["widgets-2021"][c] for c in SECTION_COLUMNS] == ["", "", ""]  # none named
    table_rows = [row for row in found.values() if row["table"] == "widget-census"]
    assert len(table_rows) == 1
    assert [table_rows[0][c] for c in SECTION_COLUMNS] == ["", "", ""]


def test_the_reports_statements_carry_their_section_in_statements_csv() -> None:
    records = load_records(REPO / "data")
    rows = {row["statement"]: row for row in csv.DictReader(io.StringIO(statements_csv(records)))}
    row = rows["https://w3id.org/dckg/id/statement/dcdr-2021/cn-5g-base-stations-new-2021"]
    assert row["section"] == "ch-3-1"
    assert row["section_zh"] == "网络基础设施加速迈向“双千兆”时代"
    assert row["section_en"] == 'Network infrastructure moving fast into the "dual gigabit" era'
    with_section = sum(1 for s in records.statements if s.section)
    assert with_section > 400
    assert sum(1 for r in rows.values() if r["section"]) == with_section

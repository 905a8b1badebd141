"""Linking logic without a server: code forms, mapping sets, decisions, GeoNames files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import link, sssom
from kg.errors import InputError, RecordError
from kg.project import Project
from kg.sources import load_records


@pytest.mark.parametrize(
    ("code", "short"),
    [
        ("110000", "11"),
        ("410000", "41"),
        ("410100", "41 01"),
        ("419001", "41 90 01"),
        ("310110", "31 01 10"),
    ],
)
def test_p442_form(code: str, short: str) -> None:
    assert link.p442_form(code) == short


def test_mapping_set_round_trip_keeps_rows_sorted(tmp_path: Path) -> None:
    rows = [
        sssom.Link(
            "dckgid:area/b",
            "wd:Q2",
            mapping_justification=sssom.MANUAL,
            comment="from two datasets",
        ),
        sssom.Link("dckgid:area/a", "wd:Q1", confidence="0.90", comment='tabs\tand "quotes"'),
    ]
    path = tmp_path / "x.sssom.tsv"
    sssom.write(path, link.metadata("wikidata"), rows)
    again = sssom.read(path)
    assert [r.subject_id for r in again.mappings] == ["dckgid:area/a", "dckgid:area/b"]
    assert set(again.mappings) == set(rows)
    assert again.metadata["license"] == sssom.LICENCE
    assert sssom.expand("wd:Q1", again.curie_map) == "http://www.wikidata.org/entity/Q1"


def test_a_malformed_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.sssom.tsv"
    path.write_text(
        "#mapping_set_id: x\nsubject_id\tobject_id\tpredicate_id\tmapping_justification\tconfidence\n"
        "dckgid:area/a\twd:Q1\tskos:exactMatch\tsemapv:LexicalMatching\t1.5\n",
        encoding="utf-8",
    )
    with pytest.raises(
        RecordError, match=r"x.sssom.tsv:3: confidence '1.5' is not between 0 and 1"
    ):
        sssom.read(path)


def _area(mini: Project, area_id: str) -> object:
    return next(a for a in load_records(mini.data_dir).areas if a.id == area_id)


def test_decide_accepts_a_clear_best_and_sends_rivals_to_review(mini: Project) -> None:
    areas = list(load_records(mini.data_dir).areas)
    strong = link.Candidate(
        "alpha",
        "http://www.wikidata.org/entity/Q_T1",
        code_match=True,
        zh_match=True,
        en_match=True,
        parent_match=True,
    )
    weak = link.Candidate("alpha", "https://example.org/test/T2", zh_match=True)
    tie_a = link.Candidate("beta", "https://example.org/test/T3", code_match=True, zh_match=True)
    tie_b = link.Candidate("beta", "https://example.org/test/T4", code_match=True, zh_match=True)
    result = link.decide([strong, weak, tie_a, tie_b], areas, None, min_confidence=0.8, tool="test")
    assert [(m.subject_id, m.object_id, m.confidence) for m in result.accepted] == [
        ("dckgid:area/alpha", "wd:Q_T1", "1.00")
    ]
    review = {(m.subject_id, m.object_id) for m in result.review}
    assert ("dckgid:area/alpha", "https://example.org/test/T2") in review
    assert {
        ("dckgid:area/beta", "https://example.org/test/T3"),
        ("dckgid:area/beta", "https://example.org/test/T4"),
    } <= review
    assert any("ambiguous" in m.comment for m in result.review)


def test_historical_items_are_never_accepted(mini: Project) -> None:
    areas = list(load_records(mini.data_dir).areas)
    old = link.Candidate(
        "alpha",
        "https://example.org/test/T5",
        code_match=True,
        zh_match=True,
        en_match=True,
        parent_match=True,
        dissolved=True,
    )
    result = link.decide([old], areas, None, min_confidence=0.8, tool="test")
    assert result.accepted == () and "historical" in result.review[0].comment


def test_curated_rows_and_rejections_are_kept(mini: Project) -> None:
    areas = list(load_records(mini.data_dir).areas)
    curated = sssom.Link("dckgid:area/alpha", "wd:Q_T1", mapping_justification=sssom.MANUAL)
    rejected = sssom.Link(
        "dckgid:area/beta",
        "https://example.org/test/T3",
        predicate_modifier="Not",
        mapping_justification=sssom.MANUAL,
    )
    existing = sssom.MappingSet({}, (curated, rejected))
    proposals = [
        link.Candidate(
            "alpha",
            "http://www.wikidata.org/entity/Q_T1",
            code_match=True,
            zh_match=True,
            en_match=True,
            parent_match=True,
        ),
        link.Candidate(
            "beta",
            "https://example.org/test/T3",
            code_match=True,
            zh_match=True,
            en_match=True,
            parent_match=True,
        ),
    ]
    result = link.decide(proposals, areas, existing, min_confidence=0.8, tool="test")
    assert set(result.kept) == {curated, rejected}
    assert result.accepted == ()  # alpha is curated already; beta's only candidate was rejected
    assert all(m.object_id != "https://example.org/test/T3" for m in result.review)


def test_geonames_admin_files(tmp_path: Path, mini: Project) -> None:
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text(
        "CN.99\tAlpha Sheng\tAlpha Sheng\t9990001\nCN.98\tBeta\tBeta\t9990002\n", encoding="utf-8"
    )
    admin2 = tmp_path / "admin2Codes.txt"
    admin2.write_text(
        "CN.99.0001\tAlpha City Shi\tAlpha City Shi\t9990011\n"
        "CN.98.0002\tAlpha City Shi\tAlpha City Shi\t9990012\n",  # same name in another province
        encoding="utf-8",
    )
    candidates = link.geonames_candidates(list(load_records(mini.data_dir).areas), [admin1, admin2])
    by_item = {c.item: c for c in candidates}
    assert by_item["https://sws.geonames.org/9990001/"].area == "alpha"
    assert by_item["https://sws.geonames.org/9990011/"].parent_match
    assert not by_item["https://sws.geonames.org/9990012/"].parent_match
    bad = tmp_path / "bad.txt"
    bad.write_text("not a geonames line\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.txt:1: not a GeoNames admin-code line"):
        link.geonames_candidates([], [bad])

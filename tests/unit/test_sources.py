"""Loader errors: each names the file and line, says what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.project import Project
from kg.sources import DataErrors, load_records

REPORT = "data/sources/test-report.yaml"
REFERENCE = "data/reference/reference.yaml"


def _replace(project: Project, name: str, old: str, new: str) -> Path:
    path = project.root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _errors(project: Project) -> str:
    with pytest.raises(InputError) as caught:
        load_records(project.data_dir)
    return str(caught.value)


def test_the_mini_project_loads(mini: Project) -> None:
    records = load_records(mini.data_dir)
    assert len(records.statements) == 5
    assert {a.id for a in records.areas} == {"testland", "alpha", "beta", "alpha-city"}


def test_an_exclusions_file_is_not_a_source(mini: Project) -> None:
    # data/sources/ID.exclusions.yaml is the coverage test's, with keys no source has
    (mini.data_dir / "sources" / "test-report.exclusions.yaml").write_text(
        "pages_done: [1]\nexclusions: []\n", encoding="utf-8"
    )
    assert len(load_records(mini.data_dir).statements) == 5
    (mini.data_dir / "sources" / "test-report.exclusion.yaml").write_text(
        "pages_done: [1]\n", encoding="utf-8"
    )
    assert "unknown key 'pages_done'" in _errors(mini)


def test_unnormalised_value_names_file_line_and_fix(mini: Project) -> None:
    path = _replace(mini, REPORT, "value: 1425000", "value: 142.5万")
    message = _errors(mini)
    assert (
        f"{path}:{_line_of(path, 'value: 142.5万')}: value '142.5万' is not normalised" in message
    )
    assert "142.5万 -> 1425000" in message


def test_value_that_disagrees_with_its_wording(mini: Project) -> None:
    path = _replace(mini, REPORT, "value: 1425000", "value: 142500")
    message = _errors(mini)
    line = _line_of(path, "wording: {zh: 142.5万个}")
    assert (
        f"{path}:{line}: value 142500 does not match the wording '142.5万个', which reads as 1425000"
        in message
    )


def test_qualifier_that_contradicts_the_wording(mini: Project) -> None:
    _replace(mini, REPORT, "qualifier: lower-bound", "qualifier: exact")
    assert "qualifier is 'exact' but the wording '60%以上' says lower-bound" in _errors(mini)


def test_float_for_a_count(mini: Project) -> None:
    _replace(mini, REPORT, "value: 1425000", "value: 1425000.5")
    assert "a whole-number unit, but has a decimal point" in _errors(mini)


def test_unknown_reference_with_a_suggestion(mini: Project) -> None:
    path = _replace(mini, REPORT, "area: alpha\n", "area: alfa\n")
    message = _errors(mini)
    assert f"{path}:" in message and "area 'alfa' is not a known area" in message
    assert "did you mean alpha" in message


def test_duplicate_id(mini: Project) -> None:
    _replace(mini, REFERENCE, "{id: beta, type: province", "{id: alpha, type: province")
    assert "duplicate area id 'alpha' (first at" in _errors(mini)


def test_duplicate_yaml_key(mini: Project) -> None:
    path = _replace(mini, REPORT, "    unit: count\n", "    unit: count\n    unit: count\n")
    message = _errors(mini)
    assert f"{path}:" in message and "malformed YAML" in message and "duplicate" in message


def test_tab_indentation(mini: Project) -> None:
    _replace(mini, REPORT, "    area: testland", "\tarea: testland")
    assert "malformed YAML" in _errors(mini)


def test_unknown_key_lists_the_allowed_ones(mini: Project) -> None:
    _replace(mini, REPORT, "    unit: count", "    units: count")
    message = _errors(mini)
    assert "unknown key 'units'" in message and "allowed keys:" in message


def test_date_that_does_not_exist(mini: Project) -> None:
    _replace(
        mini, REFERENCE, "start: 2021-01-01, end: 2021-12-31", "start: 2021-02-30, end: 2021-12-31"
    )
    assert "'start' is '2021-02-30', not a date" in _errors(mini)


def test_period_that_ends_before_it_starts(mini: Project) -> None:
    _replace(
        mini, REFERENCE, "start: 2021-01-01, end: 2021-12-31", "start: 2021-01-01, end: 2020-12-31"
    )
    assert "period ends (2020-12-31) before it starts (2021-01-01)" in _errors(mini)


def test_malformed_code(mini: Project) -> None:
    _replace(mini, REFERENCE, 'code: "990000"', 'code: "99000"')
    assert "code '99000' is not a six-digit GB/T 2260 code" in _errors(mini)


def test_unquoted_code(mini: Project) -> None:
    _replace(mini, REFERENCE, 'code: "990000"', "code: 990000")
    assert "must be quoted text" in _errors(mini)


def test_missing_chinese_label(mini: Project) -> None:
    _replace(mini, REFERENCE, "label: {en: Beta, zh: 乙省}", "label: {en: Beta}")
    assert "'label' lacks zh" in _errors(mini)


def test_person_without_latin_name(mini: Project) -> None:
    _replace(
        mini, REFERENCE, "label: {zh: 测试者, zh-Latn-pinyin: Ceshizhe}", "label: {zh: 测试者}"
    )
    assert "a person needs an English name or a pinyin transliteration" in _errors(mini)


def test_members_differ_from_declared_count(mini: Project) -> None:
    _replace(mini, REPORT, "members: [alpha, beta]", "members: [alpha]")
    assert "1 members listed but the source declares 2" in _errors(mini)


def test_quote_without_page_in_a_paginated_source(mini: Project) -> None:
    _replace(mini, REPORT, "{page: 1, zh: 甲省部件占比60%以上}", "{zh: 甲省部件占比60%以上}")
    assert "a quote from a paginated source needs its PDF page" in _errors(mini)


def test_quote_in_a_language_the_source_lacks(mini: Project) -> None:
    _replace(
        mini, REPORT, "{page: 2, zh: 目前甲省部件数量位居第二}", "{page: 2, en: Alpha ranks second}"
    )
    assert "the source has no en text to quote" in _errors(mini)


def test_time_not_stated_with_a_period(mini: Project) -> None:
    _replace(
        mini,
        REPORT,
        "time: {stated: false, wording: {zh: 目前}}",
        'period: "2021"\n    time: {stated: false}',
    )
    assert "a statement whose time is not stated has no period" in _errors(mini)


def test_empty_file(mini: Project) -> None:
    (mini.data_dir / "reference" / "empty.yaml").write_text("", encoding="utf-8")
    assert "empty.yaml:1: file is empty" in _errors(mini)


def test_file_not_utf8(mini: Project) -> None:
    (mini.data_dir / "reference" / "latin1.yaml").write_bytes(
        "areas: []\n# caf\xe9\n".encode("latin-1")
    )
    assert "latin1.yaml:2: file is not UTF-8" in _errors(mini)


def test_control_character(mini: Project) -> None:
    _replace(mini, REFERENCE, "label: {en: Beta, zh: 乙省}", "label: {en: Be\x07ta, zh: 乙省}")
    assert "control character U+0007 in text" in _errors(mini)


def test_all_problems_are_reported_together(mini: Project) -> None:
    _replace(mini, REPORT, "area: alpha\n", "area: alfa\n")
    _replace(mini, REPORT, "indicator: widgets\n", "indicator: gizmos\n")
    with pytest.raises(DataErrors) as caught:
        load_records(mini.data_dir)
    assert len(caught.value.errors) == 2


def test_yaml_aliases_are_refused(mini: Project) -> None:
    bomb = mini.data_dir / "reference" / "bomb.yaml"
    bomb.write_text('a: &a ["x", "x"]\nb: &b [*a, *a]\nareas: [*b, *b]\n', encoding="utf-8")
    assert "bomb.yaml:2: YAML alias *a is not allowed in curated data" in _errors(mini)


def test_a_symlink_loop_is_an_input_error(mini: Project) -> None:
    loop = mini.data_dir / "reference" / "loop.yaml"
    loop.symlink_to(loop)
    assert "cannot be read (broken link or symlink loop)" in _errors(mini)


def test_a_file_over_the_size_limit(mini: Project) -> None:
    from kg.sources.yaml import MAX_FILE_BYTES

    big = mini.data_dir / "reference" / "big.yaml"
    big.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    message = _errors(mini)
    assert "over the 2097152 byte limit for curated data" in message and "data/tables/" in message


def test_windows_line_endings_and_a_utf8_bom_are_fine(mini: Project) -> None:
    """Not every odd byte is an error: CRLF line ends and UTF-8's byte order mark load as usual."""
    for name in (REFERENCE, REPORT):
        path = mini.root / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    records = load_records(mini.data_dir)
    assert len(records.statements) == 5
    assert {a.label.get("zh") for a in records.areas} >= {"甲省", "乙省"}

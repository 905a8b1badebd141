"""Figure, wording and quote agree (kg.agreement), on copies of the mini project's records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import agreement
from kg.errors import RecordError
from kg.model import Records
from kg.sources import DataErrors, load_records

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"

STATEMENT = """  - id: gadgets-2021
    area: alpha
    indicator: widgets
    kind: total
    value: {value}
    unit: {unit}
    qualifier: {qualifier}
    wording: {{{lang}: "{wording}"}}
    period: "2021"
    quotes:
      - {{page: 1, {lang}: "{quote}"}}
"""


def _records(tmp_path: Path, **fields: str) -> Records:
    """The mini records with one more statement (a source in en and zh), loaded and checked."""
    shutil.copytree(MINI / "data", tmp_path / "data")
    path = tmp_path / "data" / "sources" / "test-report.yaml"
    text = path.read_text(encoding="utf-8").replace("languages: [zh]", "languages: [en, zh]")
    values = {"unit": "count", "qualifier": "exact", "lang": "zh", **fields}
    text = text.replace("statements:\n", "statements:\n" + STATEMENT.format(**values), 1)
    path.write_text(text, encoding="utf-8")
    return load_records(tmp_path / "data")


def _messages(errors: list[RecordError]) -> list[str]:
    return [str(e).split("\n")[0].split(": ", 1)[1] for e in errors]


def test_a_wording_the_quote_does_not_say_is_refused_with_the_quote_s_number(
    tmp_path: Path,
) -> None:
    records = _records(
        tmp_path,
        value="124800",
        lang="en",
        wording="124.8 thousand",
        quote="124.7 thousand 5G base stations in total",
    )
    errors = agreement.statement_problems(records)
    assert _messages(errors) == [
        "wording '124.8 thousand' does not occur in the statement's en quote; "
        "the quote says '124.7 thousand'"
    ]
    assert errors[0].origin.line == 13  # the statement's own line


def test_a_wording_in_its_quote_passes(tmp_path: Path) -> None:
    records = _records(tmp_path, value="1425000", wording="142.5万个", quote="共142.5万个部件")
    assert agreement.statement_problems(records) == []


def test_a_quote_with_extraction_spaces_still_holds_the_wording(tmp_path: Path) -> None:
    records = _records(tmp_path, value="1425000", wording="142.5万个", quote="共142.5 万个部件")
    assert agreement.statement_problems(records) == []


def test_more_than_is_a_lower_bound_not_an_exact_figure(tmp_path: Path) -> None:
    share = {"value": "60", "unit": "percent", "wording": "超过60%", "quote": "占比超过60%"}
    bound = _records(tmp_path / "a", qualifier="lower-bound", **share)
    assert agreement.statement_problems(bound) == []
    with pytest.raises(DataErrors) as caught:
        _records(tmp_path / "b", qualifier="exact", **share)
    assert "qualifier is 'exact' but the wording '超过60%' says lower-bound" in str(caught.value)


def test_percentage_points_are_not_a_percent(tmp_path: Path) -> None:
    records = _records(
        tmp_path,
        value="2.1",
        unit="percent",
        wording="2.1个百分点",
        quote="比上年提高2.1个百分点",
    )
    assert _messages(agreement.statement_problems(records)) == [
        "wording '2.1个百分点' is in percentage points, but the unit is 'percent'"
    ]


def test_quotes_are_found_in_the_source_text_on_their_page(tmp_path: Path) -> None:
    records = _records(tmp_path, value="1425000", wording="142.5万个", quote="共142.5万个部件")
    check = agreement.quote_check(records, MINI / "texts")
    assert check.checked == 6
    assert [e.origin.line for e in check.errors] == [23]  # the new quote's line
    assert "quote from test-report not found in the source text" in str(check.errors[0])
    assert check.note is None


def test_without_the_texts_the_check_says_it_did_not_run(tmp_path: Path) -> None:
    records = load_records(MINI / "data")
    check = agreement.quote_check(records, tmp_path / "nowhere", shown_as="../texts")
    assert check.errors == () and check.checked == 0
    assert check.note == (
        "Note: the quote check did not run: no source texts at ../texts (see dckg.toml)"
    )

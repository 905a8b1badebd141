"""``kg.queries.run`` for a library caller: plain Python values, messages meant for code."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO
from kg import queries
from kg.errors import InputError
from kg.pipeline import BuildResult
from kg.project import Project


def test_rows_as_python_values(built: BuildResult) -> None:
    result = queries.run(
        "area-statements", {"area": "henan"}, project=Project(REPO), out_dir=built.out_dir
    )
    rows = result.values()
    assert rows, "Henan has statements"
    first = rows[0]
    assert isinstance(first["statement"], str) and first["statement"].startswith(
        "https://w3id.org/dckg/id/"
    )
    numbers = [row["value"] for row in rows if row.get("value") is not None]
    assert numbers and all(isinstance(n, (int, Decimal)) for n in numbers)
    assert any(isinstance(row.get("reported_on"), datetime.date) for row in rows)
    assert all(isinstance(row["label_zh"], str) for row in rows)


def test_terms_to_python() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    cases = [
        (
            queries.Term("uri", "https://w3id.org/dckg/id/area/henan"),
            "https://w3id.org/dckg/id/area/henan",
        ),
        (queries.Term("literal", "42", datatype=xsd + "integer"), 42),
        (queries.Term("literal", "2.5", datatype=xsd + "decimal"), Decimal("2.5")),
        (queries.Term("literal", "true", datatype=xsd + "boolean"), True),
        (queries.Term("literal", "2022-08-16", datatype=xsd + "date"), datetime.date(2022, 8, 16)),
        (queries.Term("literal", "河南省", language="zh"), "河南省"),
        (queries.Term("literal", "2021", datatype=xsd + "gYear"), "2021"),
    ]
    for term, expected in cases:
        assert term.python() == expected and type(term.python()) is type(expected), term


def test_outside_a_project_the_message_is_for_a_library_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        queries.run("top10-lists")
    assert "--project" not in (caught.value.hint or "")
    assert "project=" in (caught.value.hint or "")

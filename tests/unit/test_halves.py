"""The last table written by two processes: the same bytes and findings as one process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import with_table
from kg import streaming
from kg.csvparts import FIRST_ROW, halves, part_lines
from kg.errors import InputError
from kg.pipeline import NotConforming, build_project, load_shapes
from kg.project import Project
from kg.rows import RowProblems, TableWriter
from kg.sources import load_records
from kg.sources.tables import load_specs
from kg.validate import compile_shapes
from kg.workers import mode

pytestmark = pytest.mark.skipif(mode() != "fork", reason="the halves need fork (Linux)")

GOOD = [
    ("990000", "widgets", "2021", "12", "count", "new"),
    ("980000", "widgets", "2021", "7", "count", "total"),
    ("990100", "widgets", "2021", "3", "count", "total"),
    ("980000", "widget-share", "2021", "40.5", "percent", "share"),
]


# ---------------------------------------------------------------------------------------------
# Where a table is cut
# ---------------------------------------------------------------------------------------------


def _csv(tmp_path: Path, text: bytes) -> Path:
    path = tmp_path / "table.csv"
    path.write_bytes(text)
    return path


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_halves_cut_after_a_line_and_number_the_second_part(tmp_path: Path, ending: bytes) -> None:
    lines = [b"code,value"] + [b"9%05d,%d" % (n, n) for n in range(1, 101)]
    path = _csv(tmp_path, ending.join(lines) + ending)
    parts = halves(path, minimum=1)
    assert parts is not None
    first, second = parts
    data = path.read_bytes()
    assert first.start == len(lines[0] + ending) and first.end == second.start
    assert second.end == len(data) and data[second.start - 1 : second.start] == b"\n"
    assert abs((first.end - first.start) - (second.end - second.start)) < 20
    with part_lines(path, first) as one, part_lines(path, second) as two:
        texts = one.read(), two.read()
    assert (texts[0] + texts[1]).encode() == data[first.start :]
    assert first.first_line == FIRST_ROW
    row = texts[1].splitlines()[0].encode()
    assert second.first_line == lines.index(row) + 1  # the header is line 1
    shorter = halves(path, minimum=1, lead=400)  # the first part's writer has other work
    assert shorter is not None and shorter[0].end < first.end - 150
    assert halves(path, minimum=1, lead=len(data)) is None  # no rows left for the first part


@pytest.mark.parametrize(
    "text",
    [
        b'code,label\n1,"two\nlines"\n' + b"2,x\n" * 50,  # a quote may hold a line break
        b"code,value\r" + b"2,x\r" * 50,  # the csv module ends a row at a bare CR
        b"code,value\n" + b"2,x\n" * 3,  # under the minimum
        b"code,value\n2,x",  # no second row to cut before
    ],
)
def test_no_halves_where_the_bytes_cannot_tell_the_rows(tmp_path: Path, text: bytes) -> None:
    assert halves(_csv(tmp_path, text), minimum=30) is None


# ---------------------------------------------------------------------------------------------
# A build, cut or not
# ---------------------------------------------------------------------------------------------


def _outputs(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in project.out_dir.iterdir() if p.is_file()}


def _build(
    project: Project, monkeypatch: pytest.MonkeyPatch, *, cut: bool, formats: str = ""
) -> object:
    """The project's build, its last table in two halves or in one process; the outputs or
    the error's message."""
    calls: list[object] = []
    real = streaming.Split.finish

    def counted(self: streaming.Split, *args: object, **kwargs: object) -> tuple[int, int]:
        calls.append(args)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(streaming, "SPLIT_BYTES", 1 if cut else 1 << 60)
    monkeypatch.setattr(streaming, "LEAD_PER_QUAD", 0)  # the mini project's table is tiny
    monkeypatch.setattr(streaming, "LEAD_FIXED", 0)
    monkeypatch.setattr(streaming.Split, "finish", counted)
    try:
        build_project(project, **({"formats": formats.split(",")} if formats else {}))
        found: object = _outputs(project)
    except (InputError, NotConforming) as error:
        found = str(error)
    assert len(calls) == int(cut)
    assert not list(project.root.glob("out/.half*")) and not list(project.root.glob(".out.*-*"))
    return found


ROWS = {
    "good rows": GOOD * 6,
    # the same key in both halves, with another value in the second: only the rows in order
    # can judge it, so this process checks the second half again
    "a conflict across the halves": GOOD * 3
    + [("980000", "widgets", "2021", "8", "count", "total")],
    "broken values in each half": [
        ("990100", "widgets", "2021", "-4", "count", "new"),
        *GOOD,
        ("990000", "widget-share", "2021", "140", "percent", "share"),
    ],
    "bad cells in each half": [
        ("123456", "widgets", "2021", "1", "count", "total"),
        *GOOD,
        ("990000", "widgets", "2021", "many", "count", "total"),
    ],
}


@pytest.mark.parametrize("case", [*sorted(ROWS), "a column missing from the header"])
def test_a_cut_table_builds_as_an_uncut_one(
    mini: Project, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    path = with_table(mini, ROWS.get(case, GOOD * 6))
    if case not in ROWS:  # reported once, not once a half
        path.write_text(path.read_text(encoding="utf-8").replace(",kind\n", ",sort\n", 1))
    whole = _build(mini, monkeypatch, cut=False)
    assert _build(mini, monkeypatch, cut=True) == whole
    if case == "good rows":
        assert isinstance(whole, dict) and {"kg.nt", "kg.trig", "kg.jsonld"} <= set(whole)
    else:
        assert isinstance(whole, str) and "widget-census.csv:" in whole


# ---------------------------------------------------------------------------------------------
# The writer itself, on any rows
# ---------------------------------------------------------------------------------------------

CELLS = st.tuples(
    st.sampled_from(["990000", "980000", "990100", "123456"]),
    st.sampled_from(["widgets", "widget-share"]),
    st.sampled_from(["2020", "2021"]),
    st.sampled_from(["0", "3", "7", "40.5", "140", "-4", "x"]),
    st.sampled_from(["count", "percent"]),
    st.sampled_from(["new", "total", "share"]),
)


def _write(writer: TableWriter, spec: object, staging: Path, *, cut: bool) -> tuple[object, ...]:
    """kg.nt's and statements.csv's table text, the errors and the sorted violations (the
    JSON-LD is compared by the builds above)."""
    nt, rows, problems = io.StringIO(), io.StringIO(), RowProblems()
    if cut:
        parts = halves(spec.csv_path, minimum=1)  # type: ignore[attr-defined]
        assert parts is not None
        split = streaming.Split(writer, spec, parts, staging, with_jsonld=False)  # type: ignore[arg-type]
        split.finish((nt, rows, None), problems)
        for name, handle in zip(streaming.HALF_FILES[:2], (nt, rows), strict=True):
            handle.write((staging / name).read_text(encoding="utf-8"))
    else:
        writer.write(spec, nt, rows, problems)  # type: ignore[arg-type]
    return (
        nt.getvalue(),
        rows.getvalue(),
        [str(error) for error in problems.errors],
        sorted(problems.violations),
    )


_LOADED: dict[Path, tuple[object, object]] = {}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(CELLS, min_size=2, max_size=12))
def test_two_processes_find_what_one_finds(
    mini: Project, tmp_path: Path, rows: list[tuple[str, ...]]
) -> None:
    path = with_table(mini, rows)
    assume(halves(path, minimum=1) is not None)  # two rows or more after the middle byte
    if mini.root not in _LOADED:  # the records and shapes, the same for every example
        _LOADED[mini.root] = (load_records(mini.data_dir), compile_shapes(load_shapes(mini)))
    records, checks = _LOADED[mini.root]
    (spec,) = load_specs(mini.data_dir / "tables")
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    whole = _write(TableWriter(records, checks), spec, staging, cut=False)  # type: ignore[arg-type]
    assert _write(TableWriter(records, checks), spec, staging, cut=True) == whole  # type: ignore[arg-type]


def test_a_cut_table_builds_without_kg_nt(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg.nt is written all the same (Turtle and the store take its bytes) and removed once
    its second half is appended and on disk."""
    with_table(mini, ROWS["good rows"])
    whole = _build(mini, monkeypatch, cut=False, formats="ttl,trig,store")
    assert _build(mini, monkeypatch, cut=True, formats="ttl,trig,store") == whole
    assert isinstance(whole, dict) and "kg.nt" not in whole and "kg.ttl" in whole

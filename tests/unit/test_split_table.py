"""The last table written by two processes, which take its parts from either end: the same
bytes and findings as one process."""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import with_table
from kg import streaming, workers
from kg.csvparts import FIRST_ROW, part_lines, parts
from kg.errors import InputError
from kg.pipeline import NotConforming, build_project, load_shapes
from kg.project import Project
from kg.rows import RowProblems, TableWriter
from kg.sources import load_records
from kg.sources.tables import load_specs
from kg.validate import compile_shapes
from kg.workers import mode

pytestmark = pytest.mark.skipif(mode() != "fork", reason="a split table needs fork (Linux)")

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
def test_parts_cut_after_a_line_and_number_their_first_rows(tmp_path: Path, ending: bytes) -> None:
    lines = [b"code,value"] + [b"9%05d,%d" % (n, n) for n in range(1, 101)]
    path = _csv(tmp_path, ending.join(lines) + ending)
    found = parts(path, minimum=1, count=8)
    assert found is not None and len(found) == 8
    data = path.read_bytes()
    assert found[0].start == len(lines[0] + ending) and found[-1].end == len(data)
    texts = []
    for before, part in zip([None, *found], found, strict=False):
        assert before is None or before.end == part.start
        assert data[part.start - 1 : part.start] == b"\n"
        assert abs((part.end - part.start) - len(data) / 8) < 60
        with part_lines(path, part) as handle:
            texts.append(handle.read())
        row = texts[-1].splitlines()[0].encode()
        assert part.first_line == lines.index(row) + 1  # the header is line 1
        assert part.first == (part is found[0])
    assert "".join(texts).encode() == data[found[0].start :]
    assert found[0].first_line == FIRST_ROW


def test_parts_are_whole_rows_however_long(tmp_path: Path) -> None:
    """More parts asked for than there are rows: one a row, none empty."""
    path = _csv(tmp_path, b"code,value\n" + b"".join(b"9%05d,%d\n" % (n, n) for n in range(5)))
    found = parts(path, minimum=1, count=32)
    assert found is not None and [p.first_line for p in found] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "text",
    [
        b'code,label\n1,"two\nlines"\n' + b"2,x\n" * 50,  # a quote may hold a line break
        b"code,value\r" + b"2,x\r" * 50,  # the csv module ends a row at a bare CR
        b"code,value\n" + b"2,x\n" * 3,  # under the minimum
        b"code,value\n2,x",  # no second row to cut before
    ],
)
def test_no_parts_where_the_bytes_cannot_tell_the_rows(tmp_path: Path, text: bytes) -> None:
    assert parts(_csv(tmp_path, text), minimum=30, count=4) is None


# ---------------------------------------------------------------------------------------------
# Two processes taking items from either end
# ---------------------------------------------------------------------------------------------


def _take(ends: workers.BothEnds, back: bool, results: multiprocessing.Queue[list[int]]) -> None:
    taken = []
    while (item := ends.back() if back else ends.front()) is not None:
        taken.append(item)
    results.put(taken)


def test_both_ends_give_every_item_once_in_a_run_from_each_end() -> None:
    context = multiprocessing.get_context("fork")
    for _ in range(20):
        ends = workers.BothEnds(200)
        results: multiprocessing.Queue[list[int]] = context.Queue()
        child = context.Process(target=_take, args=(ends, True, results))
        child.start()
        _take(ends, False, results)
        first, second = results.get(timeout=30), results.get(timeout=30)
        child.join()
        front, back = (
            (first, second) if first[:1] == [0] or second[:1] == [199] else (second, first)
        )
        assert front == list(range(len(front)))  # from the front, in order
        assert back == list(range(199, 199 - len(back), -1))  # from the back, in order
        assert len(front) + len(back) == 200


class MeetAt:
    """Both ends meeting at a chosen item, whichever process is faster (the real meeting
    point depends on timing); each process keeps its own count after the fork."""

    def __init__(self, count: int, meet: float) -> None:
        self.next_front, self.next_back = 0, count
        self.meet = round(count * meet)

    def front(self) -> int | None:
        if self.next_front >= self.meet:
            return None
        self.next_front += 1
        return self.next_front - 1

    def back(self) -> int | None:
        if self.next_back <= self.meet:
            return None
        self.next_back -= 1
        return self.next_back


# ---------------------------------------------------------------------------------------------
# A build, cut or not
# ---------------------------------------------------------------------------------------------


def _outputs(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in project.out_dir.iterdir() if p.is_file()}


def _build(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    *,
    meet: float | None,
    formats: str = "",
) -> object:
    """The project's build, its last table in one process (``meet`` None) or split, this
    process taking the first ``meet`` share of its parts; the outputs or the error's message."""
    calls: list[object] = []
    real = streaming.Split.finish

    def counted(self: streaming.Split, *args: object, **kwargs: object) -> tuple[int, int]:
        calls.append(args)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    cut = meet is not None
    monkeypatch.setattr(streaming, "SPLIT_BYTES", 1 if cut else 1 << 60)
    monkeypatch.setattr(streaming, "PARTS", 4)  # the mini project's table has a few rows
    monkeypatch.setattr(workers, "BothEnds", lambda count: MeetAt(count, meet or 0))
    monkeypatch.setattr(streaming.Split, "finish", counted)
    try:
        build_project(project, **({"formats": formats.split(",")} if formats else {}))
        found: object = _outputs(project)
    except (InputError, NotConforming) as error:
        found = str(error)
    assert len(calls) == int(cut)
    assert not list(project.root.glob("out/.parts*")) and not list(project.root.glob(".out.*-*"))
    return found


MEETINGS = [0, 0.5, 1]  # the child takes every part, half of them, none


ROWS = {
    "good rows": GOOD * 6,
    # the same key in a part of each process, with another value in the second: only the
    # rows in order can judge it, so this process checks the child's parts again
    "a conflict across the parts": GOOD * 3
    + [("980000", "widgets", "2021", "8", "count", "total")],
    "broken values in the first part and the last": [
        ("990100", "widgets", "2021", "-4", "count", "new"),
        *GOOD,
        ("990000", "widget-share", "2021", "140", "percent", "share"),
    ],
    "bad cells in the first part and the last": [
        ("123456", "widgets", "2021", "1", "count", "total"),
        *GOOD,
        ("990000", "widgets", "2021", "many", "count", "total"),
    ],
}


@pytest.mark.parametrize("meet", MEETINGS)
@pytest.mark.parametrize("case", [*sorted(ROWS), "a column missing from the header"])
def test_a_cut_table_builds_as_an_uncut_one(
    mini: Project, monkeypatch: pytest.MonkeyPatch, case: str, meet: float
) -> None:
    path = with_table(mini, ROWS.get(case, GOOD * 6))
    if case not in ROWS:  # reported once, not once a part
        path.write_text(path.read_text(encoding="utf-8").replace(",kind\n", ",sort\n", 1))
    whole = _build(mini, monkeypatch, meet=None)
    assert _build(mini, monkeypatch, meet=meet) == whole
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


def _write(
    writer: TableWriter, spec: object, staging: Path, *, meet: float | None
) -> tuple[object, ...]:
    """kg.nt's and statements.csv's table text, the errors and the sorted violations (the
    JSON-LD is compared by the builds above); split as :func:`_build` does."""
    nt, rows, problems = io.StringIO(), io.StringIO(), RowProblems()
    if meet is not None:
        found = parts(spec.csv_path, minimum=1, count=4)  # type: ignore[attr-defined]
        assert found is not None
        split = streaming.Split(writer, spec, found, staging, with_jsonld=False)  # type: ignore[arg-type]
        split.finish((nt, rows, None), problems)
        for kind, handle in enumerate((nt, rows)):
            for segment in split.segments(kind):
                with open(segment.path, "rb") as text:
                    text.seek(segment.offset)
                    handle.write(text.read(segment.length).decode("utf-8"))
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
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(CELLS, min_size=2, max_size=12), meet=st.sampled_from([0, 0.25, 0.5, 1]))
def test_two_processes_find_what_one_finds(
    mini: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[tuple[str, ...]],
    meet: float,
) -> None:
    path = with_table(mini, rows)
    assume(parts(path, minimum=1, count=4) is not None)  # two rows or more
    if mini.root not in _LOADED:  # the records and shapes, the same for every example
        _LOADED[mini.root] = (load_records(mini.data_dir), compile_shapes(load_shapes(mini)))
    records, checks = _LOADED[mini.root]
    (spec,) = load_specs(mini.data_dir / "tables")
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    monkeypatch.setattr(workers, "BothEnds", lambda count: MeetAt(count, meet))
    whole = _write(TableWriter(records, checks), spec, staging, meet=None)  # type: ignore[arg-type]
    assert _write(TableWriter(records, checks), spec, staging, meet=meet) == whole  # type: ignore[arg-type]


@pytest.mark.parametrize("meet", MEETINGS)
def test_a_cut_table_builds_without_kg_nt(
    mini: Project, monkeypatch: pytest.MonkeyPatch, meet: float
) -> None:
    """kg.nt is written all the same (Turtle and the store take its bytes) and removed once
    the child's parts are appended to it and it is on disk."""
    with_table(mini, ROWS["good rows"])
    whole = _build(mini, monkeypatch, meet=None, formats="ttl,trig,store")
    assert _build(mini, monkeypatch, meet=meet, formats="ttl,trig,store") == whole
    assert isinstance(whole, dict) and "kg.nt" not in whole and "kg.ttl" in whole

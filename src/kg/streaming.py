"""The bulk tables streamed into the build's files: kg.nt and statements.csv row by row, then
the same bytes into Turtle, TriG, JSON-LD and the store.

A table's rows go straight into the output files, never into a graph. The last table, if
big, is written by two processes, a half each (:func:`kg.csvparts.halves`): the second half goes to
files of its own in the staging folder, which the kernel appends to kg.nt and statements.csv
while the copies into Turtle and TriG, and the store's load, read the same bytes from there.
Either way the bytes, and the findings, are those of one process writing every row in order.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, cast

from kg import csvparts, rows, serialize, workers
from kg.errors import RecordError
from kg.export import statements_csv
from kg.model import Records
from kg.outputs import Build, OutputFormat
from kg.quadset import QuadSet
from kg.sources.tables import TableSpec
from kg.validate import Violation
from kg.vocab import graph_iri
from kg.workers import Forked, Threaded, Worker

Progress = Callable[[str], None]

WRITE_BUFFER = 1 << 20  # bytes a write call: fewer calls into the kernel than the default 8 KiB
MAX_ERRORS = 200  # the bad rows reported at most
SPLIT_BYTES = 1 << 20  # a last table's CSV this big is written by two processes (~20k rows)
JSONLD_TABLES = ".tables.jsonld"  # the tables' graphs for kg.jsonld, until it is written
HALF_FILES = (".half.nt", ".half.csv", ".half.jsonld")  # the second half's text, until copied


def table_graph(table_id: str) -> str:
    return str(graph_iri("table", table_id))


@dataclass(frozen=True)
class Segment:
    """``length`` bytes of a file from ``offset``: a table's N-Triples, or part of them."""

    path: Path
    offset: int
    length: int


@dataclass
class TableStats:
    """What streaming the tables produced: counts, where each table's N-Triples are, the
    files still to be appended to kg.nt and statements.csv, and any violations."""

    triples: int = 0
    statements: int = 0
    per_table: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (triples, rows)
    segments: dict[str, list[Segment]] = field(default_factory=dict)  # id -> its N-Triples
    pending: list[tuple[Path, Path]] = field(default_factory=list)  # (file, to append it to)
    violations: list[Violation] = field(default_factory=list)


def stream_tables(
    staging: Path,
    specs: list[TableSpec],
    writer: rows.TableWriter,
    curated: QuadSet,
    records: Records,
    progress: Progress,
    with_jsonld: bool,
    split: Split | None = None,
) -> TableStats:
    """kg.nt and statements.csv: the curated graph's part, then each table's in row order;
    the last table's second half by ``split``'s child (:meth:`Split.start`), if it has one.

    Each table's bytes are kept as segments of files, so that Turtle, TriG and the store
    take the same bytes. DataErrors on bad rows (the caller cancels ``split`` on any error).
    The files are not complete yet: the caller finishes them with :func:`finish_files` (in a
    thread, while the copies are made).
    """
    from kg.sources import DataErrors

    stats = TableStats()
    problems = rows.RowProblems()
    out = Build(staging)
    with_jsonld = with_jsonld and bool(specs)
    with contextlib.ExitStack() as files:
        nt = files.enter_context(
            open(out.nt, "w", encoding="utf-8", newline="\n", buffering=WRITE_BUFFER)
        )
        rows_file = files.enter_context(
            open(out.statements_csv, "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER)
        )
        jsonld = None
        if with_jsonld:
            jsonld = files.enter_context(
                open(out.path(JSONLD_TABLES), "w", encoding="utf-8", newline="\n")
            )
        nt.write(curated.ntriples())
        rows_file.write(statements_csv(records))
        for number, spec in enumerate(specs):
            progress(f"streaming table {spec.id}")
            nt.flush()
            start = os.fstat(nt.fileno()).st_size
            if jsonld is not None:  # one named graph object a table, to go into kg.jsonld
                separator = ",\n" if number else ""
                jsonld.write(f'{separator}{{"@id": "{table_graph(spec.id)}", "@graph": [\n')
            if split is None or spec is not specs[-1]:
                triples, statements = writer.write(spec, nt, rows_file, problems, jsonld)
            else:
                triples, statements = split.finish((nt, rows_file, jsonld), problems)
                stats.pending += [(split.nt, out.nt), (split.csv, out.statements_csv)]
            if jsonld is not None:
                jsonld.write("\n]}")
            nt.flush()
            stats.segments[spec.id] = [
                Segment(out.nt, start, os.fstat(nt.fileno()).st_size - start)
            ]
            if split is not None and spec is specs[-1]:
                stats.segments[spec.id].append(Segment(split.nt, 0, split.nt.stat().st_size))
            stats.per_table[spec.id] = (triples, statements)
            stats.triples += triples
            stats.statements += statements
    if problems.errors:
        raise DataErrors(problems.errors[:MAX_ERRORS])
    stats.violations = problems.violations
    return stats


def finish_files(stats: TableStats, files: Sequence[Path]) -> None:
    """Append the pending halves to their files, then flush ``files`` to disk."""
    for source, target in stats.pending:
        serialize.append_ranges(target, [(source, 0, source.stat().st_size)])
    serialize.sync_files(files)


def remove_halves(stats: TableStats) -> None:
    """The second half's files, once everything that reads them is done."""
    for source, _ in stats.pending:
        source.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Half:
    """What the child found in its half of a table: see :class:`Split`."""

    triples: int
    statements: int
    errors: list[RecordError]
    violations: list[Violation]
    keys: list[int]


LEAD_PER_QUAD = 20  # CSV bytes that take as long to write as one curated quad's lines
LEAD_FIXED = 1 << 19  # CSV bytes written in the time the other children take to fork


class Split:
    """The last table written by two processes, one half each, with the same bytes and the
    same findings as one process writing every row in order.

    A child forked before anything else takes the second half of the rows into files
    of its own (their N-Triples and CSV appended later by :func:`finish_files`, the JSON-LD by
    :meth:`finish`), while this process writes the curated graph's lines, the earlier tables
    and the first half, which is shorter by about as many bytes as that other work takes.
    Each half checks its rows against the keys known when the child was forked; if both
    processes wrote a key, which only the rows in order can judge, this process checks the
    second half's rows again, in order, and the child's findings are dropped. Only the last
    table is split, so the child's index of keys is not needed after it.
    """

    def __init__(
        self,
        writer: rows.TableWriter,
        spec: TableSpec,
        parts: tuple[csvparts.Part, csvparts.Part],
        staging: Path,
        with_jsonld: bool,
    ) -> None:
        self.writer, self.spec, (self.first, self.second) = writer, spec, parts
        self.nt, self.csv, self.jsonld = (staging / name for name in HALF_FILES)
        self.before = len(writer.seen)
        writer.touched = []
        self.child = Forked(_second_half, writer, spec, self.second, staging, with_jsonld)

    @classmethod
    def start(
        cls,
        writer: rows.TableWriter,
        specs: list[TableSpec],
        curated: QuadSet,
        staging: Path,
        with_jsonld: bool,
    ) -> Split | None:
        """The child started on the last table's second half; None where it is not cut.

        Start it first: the longer this process has other work before the first half (the
        curated graph's lines, the earlier tables, forking the other children), the fewer
        rows it takes.
        """
        if not specs or workers.mode() != "fork":
            return None
        lead = LEAD_FIXED + LEAD_PER_QUAD * curated.quad_count()
        lead += sum(spec.csv_path.stat().st_size for spec in specs[:-1])
        parts = csvparts.halves(specs[-1].csv_path, SPLIT_BYTES, lead=lead)
        return None if parts is None else cls(writer, specs[-1], parts, staging, with_jsonld)

    def finish(
        self, files: tuple[TextIO, TextIO, TextIO | None], problems: rows.RowProblems
    ) -> tuple[int, int]:
        """The first half written here, the child's findings taken in: triples, statements."""
        writer, spec = self.writer, self.spec
        try:
            triples, statements = writer.write(
                spec, *files[:2], problems, files[2], part=self.first
            )
            mine = writer.keys_touched(self.before)
            half = self.child.result()
        finally:
            writer.touched = None
        if mine.isdisjoint(half.keys):
            problems.errors += half.errors
            problems.violations += half.violations
        else:  # a key in both halves: judged with the rows in order
            discard = cast(TextIO, _Discard())
            writer.write(spec, discard, discard, problems, files[2] and discard, part=self.second)
        if files[2] is not None:
            files[2].flush()
            serialize.append_file(files[2], self.jsonld)
            self.jsonld.unlink()
        return triples + half.triples, statements + half.statements

    def cancel(self) -> None:
        self.child.cancel()
        self.writer.touched = None


def _second_half(
    writer: rows.TableWriter, spec: TableSpec, part: csvparts.Part, staging: Path, with_jsonld: bool
) -> _Half:
    """The forked child's half of :class:`Split`, written as stream_tables writes."""
    before = len(writer.seen)
    problems = rows.RowProblems()
    with contextlib.ExitStack() as stack:

        def create(name: str, newline: str) -> TextIO:
            path = staging / name
            return stack.enter_context(
                open(path, "w", encoding="utf-8", newline=newline, buffering=WRITE_BUFFER)
            )

        nt, rows_file = create(HALF_FILES[0], "\n"), create(HALF_FILES[1], "")
        jsonld = create(HALF_FILES[2], "\n") if with_jsonld else None
        triples, statements = writer.write(spec, nt, rows_file, problems, jsonld, part=part)
    return _Half(
        triples,
        statements,
        problems.errors[:MAX_ERRORS],
        problems.violations,
        sorted(writer.keys_touched(before)),
    )


class _Discard:
    """A text sink that keeps nothing: the second half's rows checked again, not written."""

    def write(self, text: str) -> int:
        return len(text)


def start_appending(
    folder: Path,
    written: Sequence[Worker[None]],
    stats: TableStats,
    chosen: frozenset[OutputFormat],
) -> Threaded[None] | None:
    """The tables' bytes appended to Turtle, TriG and JSON-LD in a thread, once the children
    wrote the curated graph's part (long done after a big table); None without a table.

    The kernel copies the bytes (the GIL is free), so the copies run beside void.ttl, the
    stored answers and the views, after the store's bulk load, which then has the disk to
    itself. (Started beside the load instead, a 1M-row build took 259.6 s against 265.2 s:
    one run each, within this machine's spread from run to run.)
    """
    if not stats.segments:
        return None
    for child in written:
        child.result()
    return Threaded(_append_all, folder, stats, chosen)


def _append_all(folder: Path, stats: TableStats, chosen: frozenset[OutputFormat]) -> None:
    """The tables' part of kg.trig, kg.ttl and kg.jsonld, after the curated graph's part."""
    out = Build(folder)
    if OutputFormat.TRIG in chosen:
        _append_tables(out.trig, stats, trig=True)
    if OutputFormat.TTL in chosen:
        _append_tables(out.ttl, stats, trig=False)
    if OutputFormat.JSONLD in chosen:
        serialize.splice_jsonld(out.jsonld, out.path(JSONLD_TABLES))
        out.path(JSONLD_TABLES).unlink()


def _append_tables(target: Path, stats: TableStats, *, trig: bool) -> None:
    """Each table's N-Triples appended: N-Triples lines are valid Turtle and TriG."""
    for name in sorted(stats.segments):
        before, after = (f"\n<{table_graph(name)}> {{\n", "}\n") if trig else ("\n", "")
        parts = [(s.path, s.offset, s.length) for s in stats.segments[name]]
        serialize.append_ranges(target, parts, before=before, after=after)


def store_parts(stats: TableStats) -> list[tuple[Path, int, int, str]]:
    """(file, offset, length, graph) of every table's N-Triples, for the store's load."""
    return [
        (segment.path, segment.offset, segment.length, table_graph(name))
        for name in sorted(stats.segments)
        for segment in stats.segments[name]
    ]

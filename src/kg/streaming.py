"""The bulk tables streamed into the build's files: kg.nt and statements.csv row by row, then
the same bytes into Turtle, TriG, JSON-LD and the store.

A table's rows go straight into the output files, never into a graph. The last table, if
big, is cut into parts (:func:`kg.csvparts.parts`) that two processes take from either end
(:class:`Split`): a child's parts go to files of its own in the staging folder, which the
kernel appends to kg.nt and statements.csv in order while the copies into Turtle and TriG, and
the store's load, read the same bytes from there. Either way the bytes, and the findings, are
those of one process writing every row in order.
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
PARTS = 32  # the parts of a split table: the faster process takes more of them
JSONLD_TABLES = ".tables.jsonld"  # the tables' graphs for kg.jsonld, until it is written
PART_FILES = (".parts.nt", ".parts.csv", ".parts.jsonld")  # the child's parts, until copied


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
    pending: list[tuple[Path, list[Segment]]] = field(default_factory=list)  # file, its rest
    scratch: list[Path] = field(default_factory=list)  # files to remove once they are copied
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
    the last table's parts shared with ``split``'s child (:meth:`Split.start`), if it has one.

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
        # (handed to the disk as they grow, for their fsync at the end; the child's files of a
        # split table are not: they are copied and removed before the kernel writes them)
        nt = files.enter_context(
            serialize.open_written_back(out.nt, newline="\n", buffering=WRITE_BUFFER)
        )
        rows_file = files.enter_context(
            serialize.open_written_back(out.statements_csv, newline="", buffering=WRITE_BUFFER)
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
                stats.pending += [
                    (out.nt, split.segments(0)),
                    (out.statements_csv, split.segments(1)),
                ]
                stats.scratch += split.files[:2]
            if jsonld is not None:
                jsonld.write("\n]}")
            nt.flush()
            stats.segments[spec.id] = [
                Segment(out.nt, start, os.fstat(nt.fileno()).st_size - start)
            ]
            if split is not None and spec is specs[-1]:
                stats.segments[spec.id] += split.segments(0)
            stats.per_table[spec.id] = (triples, statements)
            stats.triples += triples
            stats.statements += statements
    if problems.errors:
        raise DataErrors(problems.errors[:MAX_ERRORS])
    stats.violations = problems.violations
    return stats


def finish_files(stats: TableStats, files: Sequence[Path]) -> None:
    """Append the pending parts to their files, then flush ``files`` to disk."""
    for target, segments in stats.pending:
        serialize.append_ranges(target, [(s.path, s.offset, s.length) for s in segments])
    serialize.sync_files(files)


def remove_parts(stats: TableStats) -> None:
    """The child's files of a split table, once everything that reads them is done."""
    for path in stats.scratch:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Taken:
    """One part of a split table as the child wrote it: where its text is in the child's
    files (offset and length in each of N-Triples, CSV and JSON-LD) and what it found."""

    index: int
    text: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    triples: int
    statements: int
    errors: list[RecordError]
    violations: list[Violation]
    keys: set[int]


class Split:
    """The last table written by two processes, with the same bytes and the same findings as
    one process writing every row in order.

    Its CSV is cut into :data:`PARTS` parts. A child forked before anything else takes them
    one at a time from the back, into files of its own; this process, once it has written the
    curated graph's lines and the earlier tables, takes them from the front into kg.nt and
    statements.csv until the two meet (:class:`kg.workers.BothEnds`): whichever has less other
    work takes more rows, and neither waits for the other. The child's parts are then appended
    in order (:func:`finish_files`; the JSON-LD by :meth:`finish`). Each part's rows are checked
    against the keys its process knew before it; if the same key was written by both
    processes, or in two of the child's parts (it takes them back to front), which only the
    rows in order can judge, this process checks the child's parts again, in order, and the
    child's findings are dropped. Only the last table is split, so the child's index of keys
    is not needed after it.
    """

    def __init__(
        self,
        writer: rows.TableWriter,
        spec: TableSpec,
        parts: list[csvparts.Part],
        staging: Path,
        with_jsonld: bool,
    ) -> None:
        self.writer, self.spec, self.parts = writer, spec, parts
        self.files = [staging / name for name in PART_FILES]
        self.taken: list[_Taken] = []  # the child's parts in order, once it is done
        self.before = len(writer.seen)
        writer.touched = []
        self.ends = workers.BothEnds(len(parts))
        self.child = Forked(_take_from_back, writer, spec, parts, self.ends, staging, with_jsonld)

    @classmethod
    def start(
        cls, writer: rows.TableWriter, specs: list[TableSpec], staging: Path, with_jsonld: bool
    ) -> Split | None:
        """The child started on the last table's parts; None where it is not cut."""
        if not specs or workers.mode() != "fork":
            return None
        parts = csvparts.parts(specs[-1].csv_path, SPLIT_BYTES, PARTS)
        return None if parts is None else cls(writer, specs[-1], parts, staging, with_jsonld)

    def finish(
        self, files: tuple[TextIO, TextIO, TextIO | None], problems: rows.RowProblems
    ) -> tuple[int, int]:
        """This process's parts written, the child's findings taken in: triples, statements."""
        writer, spec = self.writer, self.spec
        triples = statements = 0
        try:
            while (index := self.ends.front()) is not None:
                written = writer.write(spec, *files[:2], problems, files[2], part=self.parts[index])
                triples, statements = triples + written[0], statements + written[1]
            mine = writer.keys_touched(self.before)
            self.taken = sorted(self.child.result(), key=lambda taken: taken.index)
        finally:
            writer.touched = None
        if _apart(mine, *(taken.keys for taken in self.taken)):
            for taken in self.taken:
                problems.errors += taken.errors
                problems.violations += taken.violations
        else:  # a key in two processes' parts, or in two of the child's: the rows in order
            discard = cast(TextIO, _Discard())
            for taken in self.taken:
                part = self.parts[taken.index]
                writer.write(spec, discard, discard, problems, files[2] and discard, part=part)
        if files[2] is not None:
            files[2].flush()
            serialize.append_file(files[2], self.files[2], [t.text[2] for t in self.taken])
            self.files[2].unlink()
        return (
            triples + sum(taken.triples for taken in self.taken),
            statements + sum(taken.statements for taken in self.taken),
        )

    def segments(self, kind: int) -> list[Segment]:
        """The child's parts in order in its N-Triples (``kind`` 0) or CSV (1) file."""
        path = self.files[kind]
        return [Segment(path, *taken.text[kind]) for taken in self.taken if taken.text[kind][1]]

    def cancel(self) -> None:
        self.child.cancel()
        self.writer.touched = None


def _apart(*key_sets: set[int]) -> bool:
    """Whether no key is in two of ``key_sets``."""
    union: set[int] = set()
    for keys in key_sets:
        if not union.isdisjoint(keys):
            return False
        union |= keys
    return True


def _take_from_back(
    writer: rows.TableWriter,
    spec: TableSpec,
    parts: list[csvparts.Part],
    ends: workers.BothEnds,
    staging: Path,
    with_jsonld: bool,
) -> list[_Taken]:
    """The forked child's share of :class:`Split`: parts from the back, each written as
    stream_tables writes, one after another into the child's files."""
    taken: list[tuple[int, list[tuple[int, int]], int, int, rows.RowProblems]] = []
    marks = [writer.mark()]
    with contextlib.ExitStack() as stack:

        def create(name: str, newline: str) -> TextIO:
            path = staging / name
            return stack.enter_context(
                open(path, "w", encoding="utf-8", newline=newline, buffering=WRITE_BUFFER)
            )

        nt, rows_file = create(PART_FILES[0], "\n"), create(PART_FILES[1], "")
        jsonld = create(PART_FILES[2], "\n") if with_jsonld else None
        files = [file for file in (nt, rows_file, jsonld) if file is not None]
        while (index := ends.back()) is not None:
            problems = rows.RowProblems()
            before = [_flushed_size(file) for file in files]
            triples, statements = writer.write(
                spec, nt, rows_file, problems, jsonld, part=parts[index]
            )
            after = [_flushed_size(file) for file in files]
            text = [(start, end - start) for start, end in zip(before, after, strict=True)]
            taken.append((index, text, triples, statements, problems))
            marks.append(writer.mark())
    keys = writer.keys_between(marks)
    return [
        _Taken(
            index,
            (text[0], text[1], text[2] if with_jsonld else (0, 0)),
            triples,
            statements,
            problems.errors[:MAX_ERRORS],
            problems.violations,
            part_keys,
        )
        for (index, text, triples, statements, problems), part_keys in zip(taken, keys, strict=True)
    ]


def _flushed_size(file: TextIO) -> int:
    file.flush()
    return os.fstat(file.fileno()).st_size


class _Discard:
    """A text sink that keeps nothing: the child's rows checked again, not written."""

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


def store_parts(stats: TableStats) -> list[tuple[str, list[tuple[Path, int, int]]]]:
    """(graph, parts) of every table's N-Triples, each part (file, offset, length), for the
    store's load."""
    return [
        (table_graph(name), [(s.path, s.offset, s.length) for s in stats.segments[name]])
        for name in sorted(stats.segments)
    ]

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
) -> TableStats:
    """kg.nt and statements.csv: the curated graph's part, then each table's in row order.

    Each table's bytes are kept as segments of files, so that Turtle, TriG and the store
    take the same bytes. DataErrors on bad rows. The files are not complete yet: the caller
    finishes them with :func:`finish_files` (in a thread, while the copies are made).
    """
    from kg.sources import DataErrors

    stats = TableStats()
    problems = rows.RowProblems()
    out = Build(staging)
    with contextlib.ExitStack() as files:
        nt = files.enter_context(
            open(out.nt, "w", encoding="utf-8", newline="\n", buffering=WRITE_BUFFER)
        )
        rows_file = files.enter_context(
            open(out.statements_csv, "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER)
        )
        jsonld = None
        if with_jsonld and specs:
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
            parts = None
            if number == len(specs) - 1 and workers.mode() == "fork":
                parts = csvparts.halves(spec.csv_path, SPLIT_BYTES)
            if parts is None:
                triples, statements = writer.write(spec, nt, rows_file, problems, jsonld)
            else:
                triples, statements = _write_halves(
                    writer, spec, parts, staging, (nt, rows_file, jsonld), problems
                )
                half_nt, half_csv = (staging / name for name in HALF_FILES[:2])
                stats.pending += [(half_nt, out.nt), (half_csv, out.statements_csv)]
            if jsonld is not None:
                jsonld.write("\n]}")
            nt.flush()
            stats.segments[spec.id] = [
                Segment(out.nt, start, os.fstat(nt.fileno()).st_size - start)
            ]
            if parts is not None:
                stats.segments[spec.id].append(Segment(half_nt, 0, half_nt.stat().st_size))
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
    """What the second process found in its half of a table: see :func:`_write_halves`."""

    triples: int
    statements: int
    errors: list[RecordError]
    violations: list[Violation]
    keys: list[int]


def _write_halves(
    writer: rows.TableWriter,
    spec: TableSpec,
    parts: tuple[csvparts.Part, csvparts.Part],
    staging: Path,
    files: tuple[TextIO, TextIO, TextIO | None],
    problems: rows.RowProblems,
) -> tuple[int, int]:
    """The last table's rows written by two processes, one half each, with the same bytes
    and the same findings as one process writing them in order.

    A forked child writes the second half into files of its own (the N-Triples and CSV are
    appended later by :func:`finish_files`, the JSON-LD here). Each half checks its rows
    against the keys known when it started (the curated data, the earlier tables); if both
    halves wrote a key, which only the rows in order can judge, this process checks the second
    half's rows again, in order, and the child's findings are dropped. Only the last table is
    split, so the child's index of keys is not needed after it.
    """
    first, second = parts
    before = len(writer.seen)
    writer.touched = []
    child = Forked(_second_half, writer, spec, second, staging, files[2] is not None)
    try:
        triples, statements = writer.write(spec, *files[:2], problems, files[2], part=first)
        mine = writer.keys_touched(before)
        half = child.result()
    except BaseException:
        child.cancel()
        raise
    finally:
        writer.touched = None
    if mine.isdisjoint(half.keys):
        problems.errors += half.errors
        problems.violations += half.violations
    else:  # a key in both halves: judged with the rows in order
        discard = cast(TextIO, _Discard())
        writer.write(spec, discard, discard, problems, files[2] and discard, part=second)
    if files[2] is not None:
        files[2].flush()
        serialize.append_file(files[2], staging / HALF_FILES[2])
        (staging / HALF_FILES[2]).unlink()
    return triples + half.triples, statements + half.statements


def _second_half(
    writer: rows.TableWriter, spec: TableSpec, part: csvparts.Part, staging: Path, with_jsonld: bool
) -> _Half:
    """The forked child's half of :func:`_write_halves`, written as stream_tables writes."""
    before = len(writer.seen)
    problems = rows.RowProblems()
    with contextlib.ExitStack() as stack:
        nt, rows_file, jsonld = (
            stack.enter_context(
                open(staging / name, "w", encoding="utf-8", newline=newline, buffering=WRITE_BUFFER)
            )
            for name, newline in zip(HALF_FILES, ("\n", "", "\n"), strict=True)
        )
        triples, statements = writer.write(
            spec, nt, rows_file, problems, jsonld if with_jsonld else None, part=part
        )
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

"""A table's CSV cut into parts of whole rows, for two processes to write between them.

The cut is made from the file's bytes, without parsing it, wherever that is safe; each
part is then read exactly as the whole file is (UTF-8, the csv module's line endings).
"""

from __future__ import annotations

import io
import itertools
import mmap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

FIRST_ROW = 2  # a table's first row is on its second line, after the header


@dataclass(frozen=True)
class Part:
    """Whole rows of a table's CSV: bytes ``start`` to ``end``, the first row on ``first_line``."""

    start: int
    end: int
    first_line: int

    @property
    def first(self) -> bool:
        """Whether the part starts with the table's first row."""
        return self.first_line == FIRST_ROW


def parts(path: Path, minimum: int, count: int) -> list[Part] | None:
    """A table's rows cut into ``count`` parts of about as many bytes each (fewer where rows
    are long), for two processes to take from either end.

    None for a file under ``minimum`` bytes, for one with fewer than two parts' worth of
    rows, and for one whose rows cannot be found from its bytes alone: a quote (a quoted cell
    may hold a line break) or a carriage return that does not end a line (the csv module ends
    a row there). Otherwise every line feed ends a row, so a part's first line number is a
    count of them.
    """
    if path.stat().st_size < minimum:
        return None
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b'"') >= 0 or _count(data, b"\r") != _count(data, b"\r\n"):
            return None
        body = data.find(b"\n") + 1
        if body == 0:
            return None
        share = (len(data) - body) / count
        cuts = [body]
        for number in range(1, count):
            cut = data.find(b"\n", max(cuts[-1], body + int(share * number))) + 1
            if cut == 0 or cut == len(data):
                break
            if cut > cuts[-1]:
                cuts.append(cut)
        cuts.append(len(data))
        if len(cuts) < 3:
            return None
        found, line = [], FIRST_ROW
        for start, end in itertools.pairwise(cuts):
            found.append(Part(start, end, line))
            line += _count(data, b"\n", start, end)
        return found


def _count(data: mmap.mmap, pattern: bytes, start: int = 0, end: int | None = None) -> int:
    """Occurrences of a one- or two-byte ``pattern`` in ``data[start:end]``, read 16 MiB at a
    time (a table can be gigabytes; the file is never read whole into memory)."""
    end = len(data) if end is None else end
    if data.find(pattern[:1], start, end) < 0:
        return 0
    found, step = 0, 1 << 24
    for offset in range(start, end, step):
        # a chunk overlaps the next by len(pattern) - 1 bytes, so a pattern across them counts once
        found += data[offset : min(offset + step + len(pattern) - 1, end)].count(pattern)
    return found


class _Slices(io.RawIOBase):
    """Byte ranges (file, start, end) of files, one after another, as a file of their own."""

    def __init__(self, ranges: Iterable[tuple[Path, int, int]]) -> None:
        super().__init__()
        self._ranges = iter(ranges)
        self._file: io.FileIO | None = None
        self._left = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while True:
            if self._left == 0:
                if self._file is not None:
                    self._file.close()
                    self._file = None
                following = next(self._ranges, None)
                if following is None:
                    return 0
                path, start, end = following
                self._file = io.FileIO(path, "rb")
                self._file.seek(start)
                self._left = end - start
                continue
            assert self._file is not None
            count = self._file.readinto(memoryview(buffer)[: self._left]) or 0
            if count == 0:  # the file is shorter than its range said: on to the next
                self._left = 0
                continue
            self._left -= count
            return count

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def byte_range(path: Path, start: int, end: int) -> io.BufferedReader:
    """Bytes ``start`` to ``end`` of a file, read as a file of their own (a part of a table's
    CSV here)."""
    return byte_ranges([(path, start, end)])


def byte_ranges(ranges: Iterable[tuple[Path, int, int]]) -> io.BufferedReader:
    """Byte ranges (file, start, end), one after another, read as one file (a table's
    N-Triples for the store's bulk load: its part in kg.nt, then the other process's parts)."""
    return io.BufferedReader(_Slices(ranges), 1 << 16)


def part_lines(path: Path, part: Part) -> io.TextIOWrapper:
    """The text of a part of a table's CSV, read as the whole file is (UTF-8, newline="")."""
    return io.TextIOWrapper(byte_range(path, part.start, part.end), encoding="utf-8", newline="")

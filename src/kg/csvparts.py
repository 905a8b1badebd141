"""A table's CSV cut into parts of whole rows, for two processes to write a half each.

The cut is made from the file's bytes, without parsing it, wherever that is safe; each
part is then read exactly as the whole file is (UTF-8, the csv module's line endings).
"""

from __future__ import annotations

import io
import mmap
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


def halves(path: Path, minimum: int, *, lead: int = 0) -> tuple[Part, Part] | None:
    """A table's rows cut in two near the middle of its bytes, for two processes to write;
    the first part shorter by ``lead`` bytes (its writer has other work to do first).

    None for a file under ``minimum`` bytes, and for one whose rows cannot be found from its
    bytes alone: a quote (a quoted cell may hold a line break) or a carriage return that does
    not end a line (the csv module ends a row there). Otherwise every line feed ends a row,
    so the second part's first line number is a count of them.
    """
    if path.stat().st_size < minimum:
        return None
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b'"') >= 0 or _count(data, b"\r") != _count(data, b"\r\n"):
            return None
        body = data.find(b"\n") + 1
        share = (len(data) - body - lead) // 2
        middle = data.find(b"\n", body + share) + 1
        if body == 0 or share <= 0 or middle == 0 or middle == len(data):
            return None
        second_line = FIRST_ROW + _count(data, b"\n", body, middle)
        return Part(body, middle, FIRST_ROW), Part(middle, len(data), second_line)


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


class _Slice(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, as a file of their own."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer)[: self._left]
        count = self._file.readinto(view) or 0
        self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def byte_range(path: Path, start: int, end: int) -> io.BufferedReader:
    """Bytes ``start`` to ``end`` of a file, read as a file of their own (a part of a table's
    CSV here; a table's N-Triples in kg.nt for the store's bulk load)."""
    return io.BufferedReader(_Slice(path, start, end), 1 << 16)


def part_lines(path: Path, part: Part) -> io.TextIOWrapper:
    """The text of a part of a table's CSV, read as the whole file is (UTF-8, newline="")."""
    return io.TextIOWrapper(byte_range(path, part.start, part.end), encoding="utf-8", newline="")

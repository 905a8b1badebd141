"""Big files handed to the disk as they are written, and read or copied in byte ranges."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from kg import serialize
from kg.csvparts import byte_ranges

TEXT = "".join(f"<https://example.org/s{n}> <https://example.org/p> “{n}” .\n" for n in range(9000))


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (offset, length) ranges handed to the disk from now on, 64 KiB at a time."""
    handed: list[tuple[int, int]] = []
    monkeypatch.setattr(serialize, "WRITEBACK_BYTES", 1 << 16)
    monkeypatch.setattr(
        serialize, "start_writeback", lambda _fd, offset, length: handed.append((offset, length))
    )
    return handed


def _contiguous(handed: list[tuple[int, int]], start: int) -> int:
    """Where the ranges end, checked to follow one another from ``start``."""
    for offset, length in handed:
        assert offset == start and length > 0
        start += length
    return start


def test_a_written_back_file_holds_its_text_and_goes_to_disk_as_it_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = _recorded(monkeypatch)
    path = tmp_path / "kg.nt"
    with serialize.open_written_back(path, newline="\n", buffering=1 << 14) as handle:
        for start in range(0, len(TEXT), 5000):
            handle.write(TEXT[start : start + 5000])
    data = path.read_bytes()
    assert data == TEXT.encode("utf-8")
    end = _contiguous(handed, 0)
    assert all(length >= 1 << 16 for _, length in handed)
    assert len(handed) >= 5 and len(data) - end < 1 << 16  # the rest: for the fsync


def test_appended_ranges_go_to_disk_as_they_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "parts.nt"
    source.write_text(TEXT, encoding="utf-8")
    data = source.read_bytes()
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"@prefix x: <https://example.org/> .\n")
    before = target.stat().st_size
    handed = _recorded(monkeypatch)
    ranges = [(source, 1000, 300_000), (source, 0, 1000), (source, 301_000, len(data) - 301_000)]
    serialize.append_ranges(target, ranges)
    assert target.read_bytes()[before:] == data[1000:301_000] + data[:1000] + data[301_000:]
    assert _contiguous(handed, before) == target.stat().st_size


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sync_file_range is Linux's")
def test_the_kernel_takes_the_writeback(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * 100_000)
    assert serialize._sync_file_range() is not None
    with open(path, "rb") as handle:
        serialize.start_writeback(handle.fileno(), 0, 100_000)  # read-only: refused, no error
    with open(path, "r+b") as handle:
        serialize.start_writeback(handle.fileno(), 0, 100_000)


def test_append_file_copies_the_ranges_in_the_order_given(tmp_path: Path) -> None:
    source = tmp_path / "parts.jsonld"
    source.write_bytes(b"0123456789")
    target = tmp_path / "kg.jsonld"
    with open(target, "w", encoding="utf-8") as out:
        out.write("[")
        out.flush()
        serialize.append_file(out, source, [(7, 3), (0, 2), (5, 0)])
        out.write("]")
    assert target.read_text(encoding="utf-8") == "[78901]"


def test_byte_ranges_read_as_one_file(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.write_bytes(b"abcdefgh")
    two.write_bytes(b"12345")
    # a range past a file's end gives what is there, and the next range follows
    ranges = [(two, 3, 5), (one, 0, 0), (one, 2, 4), (two, 4, 99), (one, 6, 8)]
    with byte_ranges(ranges) as handle:
        assert handle.read() == b"45cd5gh"
    with io.TextIOWrapper(byte_ranges([(one, 0, 3), (two, 0, 2)]), encoding="utf-8") as text:
        assert text.read() == "abc12"

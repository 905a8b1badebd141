"""The swap that puts a new build in place, and the removal of the previous one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import serialize


def _build(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "kg.nt").write_text(text, encoding="utf-8")
    (folder / "store").mkdir()
    (folder / "store" / "CURRENT").write_text(text, encoding="utf-8")
    return folder


def _beside(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p != target)


def test_a_small_previous_build_is_gone_when_the_swap_returns(tmp_path: Path) -> None:
    target = _build(tmp_path / "out", "old")
    serialize.swap_in(_build(tmp_path / ".out.building-1", "new"), target)
    assert (target / "kg.nt").read_text(encoding="utf-8") == "new"
    assert _beside(target) == []


def test_a_big_previous_build_is_removed_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serialize, "REMOVE_LATER_BYTES", 3)  # "old" is 3 bytes: big enough
    monkeypatch.setattr(serialize, "_REMOVERS", [])  # this test's removers only
    target = _build(tmp_path / "out", "old")
    serialize.swap_in(_build(tmp_path / ".out.building-1", "new"), target)
    assert (target / "kg.nt").read_text(encoding="utf-8") == "new"
    assert (target / "store" / "CURRENT").read_text(encoding="utf-8") == "new"
    assert len(serialize._REMOVERS) == 1, "the previous build was not handed to a process"
    assert all(name.startswith(".out.removing-") for name in _beside(target))
    for remover in serialize._REMOVERS:  # the detached processes, still this one's children
        remover.wait(timeout=30)
    assert _beside(target) == []


def test_the_next_build_removes_what_a_background_removal_left(tmp_path: Path) -> None:
    target = _build(tmp_path / "out", "current")
    _build(tmp_path / ".out.removing-1-2", "interrupted")
    _build(tmp_path / ".out.building-3", "killed")
    serialize.clean_stale(target)
    assert _beside(target) == []
    assert (target / "kg.nt").read_text(encoding="utf-8") == "current"


def test_a_big_previous_build_is_removed_here_when_no_process_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(serialize, "REMOVE_LATER_BYTES", 3)
    monkeypatch.setattr(serialize.subprocess, "Popen", refuse)
    target = _build(tmp_path / "out", "old")
    serialize.swap_in(_build(tmp_path / ".out.building-1", "new"), target)
    assert (target / "kg.nt").read_text(encoding="utf-8") == "new"
    assert _beside(target) == []

"""The build's worker machinery: the path without fork or prctl gives the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project
from kg import workers
from kg.errors import InputError
from kg.pipeline import BuildResult, build_project


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(out).parts
    }


def test_the_inline_path_writes_the_same_bytes_as_the_forked_one(
    built_mini: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork or prctl is missing (macOS, Windows) the build runs in one process."""
    monkeypatch.delenv("KG_WORKERS", raising=False)
    assert workers.mode() == "fork"  # Linux: the session's build forked
    monkeypatch.setenv("KG_WORKERS", "inline")
    assert workers.mode() == "inline"
    forked = []
    monkeypatch.setattr(workers, "Forked", lambda *a: forked.append(a))  # must not be used
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    result = build_project(project)
    assert not forked
    made, want = _files(result.out_dir), _files(built_mini.out_dir)
    assert sorted(made) == sorted(want)
    for name in sorted(want):
        assert made[name] == want[name], name
    assert (result.out_dir / "store" / "CURRENT").is_file()


def test_without_fork_the_platform_gets_the_inline_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_WORKERS", raising=False)
    monkeypatch.setattr(workers.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert workers.mode() == "inline"
    monkeypatch.setattr(workers.multiprocessing, "get_all_start_methods", lambda: ["fork"])
    monkeypatch.setattr(workers.sys, "platform", "darwin")  # fork, but no prctl
    assert workers.mode() == "inline"


def test_an_unknown_worker_mode_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_WORKERS", "threads")
    with pytest.raises(InputError, match="KG_WORKERS"):
        workers.mode()


def test_an_inline_call_runs_once_and_not_after_cancel() -> None:
    calls: list[int] = []
    worker = workers.Inline(lambda n: calls.append(n) or n * 2, 21)
    assert calls == []  # deferred: the caller's own work goes first
    assert worker.result() == 42 and worker.result() == 42 and calls == [21]
    cancelled = workers.Inline(calls.append, 1)
    cancelled.cancel()
    assert calls == [21]


@pytest.mark.skipif(workers.mode() != "fork", reason="needs fork and prctl (Linux)")
def test_a_niced_child_runs_at_a_lower_priority_and_the_caller_does_not() -> None:
    own = os.nice(0)
    assert workers.beside(os.nice, 0, nice=3).result() == own + 3
    assert workers.beside(os.nice, 0).result() == own
    assert os.nice(0) == own


def test_an_inline_call_is_never_niced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_WORKERS", "inline")
    own = os.nice(0)
    assert workers.beside(os.nice, 0, nice=3).result() == own

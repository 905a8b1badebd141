"""The watch loop of ``kg build --watch`` (kg.watch.rebuilds) with a stand-in build: no save
may fall between the look at the files and the start of the file watcher."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

import kg.watch
from conftest import FIXTURES, copy_project
from kg.watch import Outcome, Snapshot, rebuilds

SOURCE = Path("data/sources/test-report.yaml")
WAIT = 30.0


def test_a_save_right_after_the_loop_looks_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI once hung here: the loop saw no change, then started watching, and the save that came
    in between was never seen. The save is made at that worst moment, on purpose."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    looks = 0
    real_snapshot = kg.watch.snapshot

    def snapshot_then_save(project_: object) -> Snapshot:
        nonlocal looks
        found = real_snapshot(project)
        looks += 1
        if looks == 2:  # the loop's first look after the first build
            path = project.root / SOURCE
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return found

    monkeypatch.setattr(kg.watch, "snapshot", snapshot_then_save)
    outcomes: queue.Queue[Outcome[int]] = queue.Queue()
    builds = iter(range(100))

    def run() -> None:
        for outcome in rebuilds(project, lambda: next(builds)):
            outcomes.put(outcome)
            if outcome.result == 1:
                return

    threading.Thread(target=run, daemon=True).start()
    assert outcomes.get(timeout=WAIT).changed == ()
    second = outcomes.get(timeout=WAIT)
    assert (second.changed, second.result) == ((str(SOURCE),), 1)

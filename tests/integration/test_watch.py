"""``kg build --watch`` as a real process on a copy of the mini project: it rebuilds on a save,
shows a user error as ``kg build`` does and goes on, and stops on Ctrl-C with exit code 0,
no traceback and a whole out/."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project

pytestmark = pytest.mark.watch

SOURCE = Path("data/sources/test-report.yaml")
TRANSLATION = ("Alpha, Beta and others, 2 provinces", "Alpha, Beta and the others, 2 provinces")
WAIT = 300.0  # seconds for one build on a loaded machine


class Watch:
    """The watching process, its merged stdout/stderr read line by line in a thread."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        env.pop("KG_WORKERS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "build", "--watch"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            # Ctrl-C as in a terminal, even when the tests run in a background job (which
            # starts its children with SIGINT ignored)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, start: str) -> str:
        """The next line that starts with ``start``; fails if the process ends first."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"kg build --watch ended before {start!r}:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if line.startswith(start):
                return line
        pytest.fail(f"no {start!r} within {WAIT} s:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        """Ctrl-C, then the exit code; the pipe is read to its end and closed."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=WAIT)
        self._reader.join(timeout=30)
        while (line := self.lines.get_nowait() if not self.lines.empty() else None) is not None:
            self.seen.append(line)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Watch, Path]]:
    root = copy_project(FIXTURES / "mini", tmp_path / "mini").root
    watch = Watch(root)
    try:
        yield watch, root
    finally:
        watch.close()


def _edit(root: Path, old: str, new: str) -> None:
    path = root / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _out(root: Path) -> dict[str, bytes]:
    out = root / "out"
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != "store"
    }


def _whole(root: Path) -> None:
    """out/ is one complete build and nothing is left beside it but the lock and the cache."""
    out = root / "out"
    for name in ("kg.ttl", "kg.nt", "void.ttl", "site/index.html", "store/CURRENT"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [
        ".kg-cache",
        ".out.lock",
    ]


def test_watch_rebuilds_shows_errors_and_stops(watching: tuple[Watch, Path]) -> None:
    watch, root = watching
    assert watch.wait_for("Watching ").startswith("Watching data/, ontology/ and dckg.toml in ")
    watch.wait_for("Built ")

    _edit(root, *TRANSLATION)
    assert watch.wait_for("Changed: ") == f"Changed: {SOURCE}"
    assert "conforms to the shapes" in watch.wait_for("Built ")
    assert TRANSLATION[1] in (root / "out" / "kg.ttl").read_text(encoding="utf-8")
    good = _out(root)

    _edit(root, "    value: 60\n", "    value: 60x\n")  # what kg build reports at file:line
    watch.wait_for("Changed: ")
    assert watch.wait_for("Error: ") == "Error: 1 problem in the data:"
    assert watch.wait_for(str(SOURCE)) == (f"{SOURCE}:29: value '60x' must be a number, not text")
    assert watch.wait_for("  hint: ").startswith("  hint: write the number in digits")
    assert _out(root) == good  # the failed build left out/ as it was

    _edit(root, "    value: 60x\n", "    value: 60\n")  # it is still watching
    watch.wait_for("Changed: ")
    watch.wait_for("Built ")

    assert watch.stop() == 0
    assert watch.seen[-1] == "Stopped watching."
    assert not [line for line in watch.seen if "Traceback" in line]
    assert _out(root) == good
    _whole(root)


def test_ctrl_c_during_a_build_leaves_a_whole_out(watching: tuple[Watch, Path]) -> None:
    watch, root = watching
    watch.wait_for("Built ")
    before = _out(root)
    _edit(root, *TRANSLATION)
    watch.wait_for("Changed: ")
    time.sleep(0.3)  # the build is under way
    assert watch.stop() == 0
    assert not [line for line in watch.seen if "Traceback" in line]
    assert watch.seen[-1] == "Stopped watching."
    after = _out(root)
    assert after == before or TRANSLATION[1] in after["kg.ttl"].decode("utf-8")
    _whole(root)

"""A build that is killed, or that races another one, never leaves a half or mixed out/."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from kg.pipeline import OUTPUT_FILES, build_project
from kg.project import Project


def _complete(out: Path) -> bool:
    return (
        all((out / name).is_file() for name in OUTPUT_FILES)
        and (out / "store" / "CURRENT").is_file()
    )


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def _start_build(project: Project) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--project", str(project.root), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_at_random_points_leaves_the_previous_out_whole(mini: Project) -> None:
    started = time.monotonic()
    assert _start_build(mini).wait() == 0
    duration = time.monotonic() - started  # kill times are drawn within one build's duration
    before = _snapshot(mini.out_dir)
    rng = random.Random(20221)
    killed_mid_build = 0
    for _ in range(12):
        process = _start_build(mini)
        time.sleep(rng.uniform(0.1 * duration, 0.95 * duration))
        if process.poll() is None:
            killed_mid_build += 1
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _complete(mini.out_dir), "out/ is not a complete build"
        assert _snapshot(mini.out_dir) == before, (
            "out/ mixes two builds or holds a half-written file"
        )
    assert killed_mid_build >= 3  # the loop did kill builds in flight
    # The next build cleans up what the killed ones left and succeeds.
    build_project(mini)
    assert _snapshot(mini.out_dir) == before
    assert not list(mini.root.glob(".out.building-*"))


def test_a_second_build_at_the_same_time_is_refused_with_a_message(mini: Project) -> None:
    import fcntl

    lock = mini.root / ".out.lock"
    with open(lock, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        result = subprocess.run(
            [sys.executable, "-m", "kg.cli", "--project", str(mini.root), "build"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert "another build is writing" in result.stderr
    assert "Traceback" not in result.stderr

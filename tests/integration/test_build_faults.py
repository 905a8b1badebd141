"""A build that is killed, or that races another one, never leaves a half or mixed out/."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.pipeline import OUTPUT_FILES, build_project
from kg.project import Project
from kg.views import manifest_path


def _complete(out: Path) -> bool:
    return (
        all((out / name).is_file() for name in OUTPUT_FILES)
        and (out / "store" / "CURRENT").is_file()
    )


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def _start_build(project: Project) -> subprocess.Popen[bytes]:
    """``kg build --force``: a build that does its work, though out/ may be up to date."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--project", str(project.root), "build", "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_at_random_points_leaves_the_previous_out_whole(mini: Project) -> None:
    assert _start_build(mini).wait() == 0
    started = time.monotonic()
    assert _start_build(mini).wait() == 0  # a build that reuses the views: the shortest
    duration = time.monotonic() - started  # kill times are drawn within one build's duration
    before = _snapshot(mini.out_dir)
    rng = random.Random(20221)
    killed_mid_build = 0
    for _ in range(12):
        if rng.random() < 0.5:  # no manifest: every view is drawn (forked children) again
            shutil.rmtree(manifest_path(mini.out_dir).parent, ignore_errors=True)
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


def test_two_builds_at_once_do_not_interleave(mini: Project) -> None:
    """Both start together: each one builds whole or is refused by the lock, and out/ is one build."""
    build_project(mini)
    reference = _snapshot(mini.out_dir)
    first, second = (
        subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "--project", str(mini.root), "build", "--force"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    )
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert "Traceback" not in err
        assert process.returncode == 0 or (
            process.returncode == 2 and "another build is writing" in err
        ), err
    assert _complete(mini.out_dir)
    assert _snapshot(mini.out_dir) == reference
    assert not list(mini.root.glob(".out.building-*"))


@pytest.mark.parametrize("step", ["files", "store"])
def test_a_full_disk_fails_cleanly(
    step: str, mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails with ENOSPC (simulated) stops the build with exit 2; out/ is kept."""
    from click.testing import CliRunner

    from kg import pipeline, serialize
    from kg.cli import main

    build_project(mini)
    before = _snapshot(mini.out_dir)
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if step == "files":
        written: list[Path] = []
        real = serialize.write_text

        def write_text(path: Path, text: str) -> None:
            written.append(path)
            if len(written) == 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            real(path, text)

        monkeypatch.setattr(serialize, "write_text", write_text)
    else:

        def load_store(*_: object) -> None:
            raise full

        monkeypatch.setattr(pipeline, "load_store", load_store)
    result = CliRunner().invoke(
        main, ["--project", str(mini.root), "build"], catch_exceptions=False
    )
    assert result.exit_code == 2, result.output
    assert "cannot write the build (No space left on device" in result.output
    assert "was left as it was" in result.output and "hint: free some space" in result.output
    assert _snapshot(mini.out_dir) == before and _complete(mini.out_dir)
    assert not list(mini.root.glob(".out.building-*"))


def _open_in(folder: Path) -> list[str]:
    """The files under ``folder`` (or deleted from it) that this process holds open."""
    found = []
    for entry in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{entry}")
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_a_failed_build_closes_its_store(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails after its store is loaded closes the store, though the error's
    traceback keeps the build's frame: left open, the store was closed later by whichever
    forked child collected it, which then hung on RocksDB's locks (a test session did)."""
    from kg import serialize

    real = serialize.write_text

    def full(path: Path, text: str) -> None:
        if path.name == "validation.txt":  # written once the store's load has started
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, text)

    monkeypatch.setattr(serialize, "write_text", full)
    with pytest.raises(Exception) as caught:
        build_project(mini)
    assert "No space left on device" in str(caught.value)
    assert caught.tb is not None  # the frames, and whatever they hold, are kept
    assert _open_in(mini.root) == []


def test_a_full_disk_fails_cleanly_on_a_small_tmpfs(mini: Project, tmp_path: Path) -> None:
    """The same on a real full file system: a tmpfs a quarter larger than the previous out/.

    Needs user namespaces (``unshare -rm``, util-linux) to mount it without root.
    """
    import shutil

    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode
    ):
        pytest.skip("needs `unshare -rm` (util-linux, user namespaces) to mount a small tmpfs")
    build_project(mini)
    used = subprocess.run(["du", "-sk", str(mini.out_dir)], capture_output=True, text=True)
    size_k = int(int(used.stdout.split()[0]) * 1.25)  # the old out/ fits, a second one does not
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f'mount -t tmpfs -o size={size_k}k tmpfs "{disk}" || exit 90\n'
        f'cp -a "{mini.out_dir}" "{disk}/out"\n'
        f'"{sys.executable}" -m kg.cli --project "{mini.root}" build --out "{disk}/out"\n'
        'echo "exit=$?"\n'
        f'diff -r "{mini.out_dir}" "{disk}/out" >/dev/null && echo same\n'
        f'ls -A "{disk}"\n'
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120
    )
    if "exit=" not in result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert "exit=2" in result.stdout, result.stdout + result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert "same" in result.stdout.splitlines(), "the previous out/ changed"
    assert [line for line in result.stdout.splitlines()[-2:] if ".out.building" in line] == []

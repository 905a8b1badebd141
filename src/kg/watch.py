"""``kg build --watch``: build again on each save, for a curator at work. No printing here.

The files a build reads are watched (``data/`` but its ``drafts/``, ``ontology/``, ``queries/``
and ``dckg.toml``) with watchfiles (inotify on Linux, in Rust); saves that come together (an
editor's temporary file and rename, a ``git checkout``) are one rebuild: changes are gathered
until none has come for ``QUIET_MS``. A build that fails with a user error is reported and the
watch goes on; a save during a build is seen when it ends. Ctrl-C (KeyboardInterrupt) ends
the loop; a build it interrupts leaves the previous out/ whole, as every build does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from kg.errors import KgError
from kg.project import CONFIG_FILE, Project

T = TypeVar("T")

WATCHED = ("data", "ontology", "queries")
IGNORED = (("data", "drafts"),)  # kg build never reads drafts (kg extract writes them)
QUIET_MS = 50  # changes are gathered until none came for this long (watchfiles' own step)...
MOST_MS = 1600  # ... or for this long at most
LOOK_MS = 1000  # the files are looked at this often even when no event comes


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """One build of the loop: what changed before it, its result or its error, its seconds."""

    changed: tuple[str, ...]
    result: T | None
    error: KgError | None
    seconds: float


def watched(project: Project) -> list[Path]:
    """The folders and the settings file a build reads, those that exist."""
    paths = [project.root / name for name in WATCHED]
    paths.append(project.root / CONFIG_FILE)
    return [p for p in paths if p.exists()]


def read_by_build(project: Project) -> Callable[[object, str], bool]:
    """A watchfiles filter: the changes a build would see (editors' own files left out)."""
    parts_read = _parts_read_by_build(project)
    return lambda change, path: parts_read(change, path, None) is not None


def _parts_read_by_build(
    project: Project,
) -> Callable[[object, str, str | None], tuple[str, ...] | None]:
    """The parts of a path below the project (resolved once) if a build reads it, else None;
    ``resolved``, where the caller knows it, saves resolving the path again. Paths are
    strings: a thousand files took 30 ms more as pathlib's."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    below_root = os.path.join(project.root.resolve(), "")  # with its separator at the end

    def parts_read(
        change: object, path: str, resolved: str | None = None
    ) -> tuple[str, ...] | None:
        if not default(change, path):  # type: ignore[arg-type]
            return None
        real = resolved or os.path.realpath(path)
        if not real.startswith(below_root):
            return None
        parts = tuple(real[len(below_root) :].split(os.sep))
        if parts == (CONFIG_FILE,):
            return parts
        if parts[0] in WATCHED and parts[:2] not in IGNORED:
            return parts
        return None

    return parts_read


Snapshot = dict[str, tuple[int, int]]  # path -> (mtime in ns, size)


def files_read(project: Project) -> dict[str, os.stat_result]:
    """The files a build reads, by their path in the project, each with its ``stat``.

    One stat a file, and a resolve only for a symbolic link: the fingerprint of every build
    takes this (1,000 source files took 0.14 s when each was resolved twice and stat-ed three
    times, and 0.08 s resolved once).
    """
    from watchfiles import Change

    parts_read = _parts_read_by_build(project)
    found: dict[str, os.stat_result] = {}
    for top in watched(project):
        if top.is_file():
            paths: list[tuple[str, str | None]] = [(str(top), None)]
        else:
            real = os.path.realpath(top)
            paths = sorted(
                ((path, below and os.path.join(real, below)) for path, below in _files_below(top)),
                key=lambda item: item[0].split(os.sep),  # as pathlib orders paths
            )
        for path, resolved in paths:
            parts = parts_read(Change.modified, path, resolved)
            if parts is None:
                continue
            try:
                found[os.path.join(*parts)] = os.stat(path)
            except OSError:
                continue  # removed meanwhile: the next snapshot tells
    return found


def _files_below(top: Path) -> Iterator[tuple[str, str | None]]:
    """The files below ``top`` (not in folders reached by a symbolic link), each with its
    path relative to ``top``, or None for a link (resolved by the caller)."""
    start = len(os.path.join(top, ""))
    folders = [str(top)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_symlink():
                    if os.path.isfile(entry.path):
                        yield entry.path, None
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path, entry.path[start:]


def snapshot(project: Project) -> Snapshot:
    """The files a build reads, each with its modification time and size."""
    return {name: (s.st_mtime_ns, s.st_size) for name, s in files_read(project).items()}


def _once(build: Callable[[], T], changed: tuple[str, ...]) -> Outcome[T]:
    started = time.perf_counter()
    try:
        result = build()
    except KgError as error:
        return Outcome(changed, None, error, time.perf_counter() - started)
    return Outcome(changed, result, None, time.perf_counter() - started)


def _differ(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    return tuple(sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p)))


def rebuilds(project: Project, build: Callable[[], T]) -> Iterator[Outcome[T]]:
    """``build()`` now, then again after each burst of changes, until KeyboardInterrupt.

    What changed is told by the files' times and sizes against those the last build started
    from: a save while a build runs gives one more build when it ends, and a burst that
    watchfiles reports after it (or a save that left the bytes' time as they were) gives none.
    The watcher runs before each look at the files, so a save just after a look is an event;
    and the files are looked at again every ``LOOK_MS`` anyway, where no event comes (a
    file system without inotify).
    """
    from watchfiles import watch

    built_from = snapshot(project)
    yield _once(build, ())
    changes = watch(
        *watched(project),
        watch_filter=read_by_build(project),
        debounce=MOST_MS,
        step=QUIET_MS,
        rust_timeout=LOOK_MS,
        yield_on_timeout=True,
        raise_interrupt=True,
    )
    next(changes)  # the watcher starts here: from now on no save goes unseen
    while True:
        now = snapshot(project)
        changed = _differ(built_from, now)
        if not changed:  # nothing new since the last build started: wait for a save
            next(changes)
            continue
        previous, built_from = built_from, _settled(project, now)
        yield _once(build, _differ(previous, built_from) or changed)


def _settled(project: Project, first: Snapshot) -> Snapshot:
    """The files once they stay the same for QUIET_MS (at most MOST_MS): a file caught between
    an editor's truncate and its write is not built from."""
    deadline = time.monotonic() + MOST_MS / 1000
    current = first
    while time.monotonic() < deadline:
        time.sleep(QUIET_MS / 1000)
        again = snapshot(project)
        if again == current:
            break
        current = again
    return current

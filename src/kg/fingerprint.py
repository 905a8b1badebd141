"""Whether out/ is up to date: ``kg build`` with nothing changed does not build again, as make
and dbt do not. No printing here, and nothing of rdflib, pyoxigraph or matplotlib is imported.

A build's fingerprint is everything its output depends on:

- the files it reads (:func:`kg.watch.files_read`: ``data/`` but ``drafts/``, ``ontology/``,
  ``queries/``, ``dckg.toml``) and the source texts of the quote check (every file of the folder
  that ``dckg.toml`` names), each by its modification and change times, size and SHA-256;
- the options that change the output (``--formats``), the out folder and the project's;
- the code: kg's own files and version and the libraries whose bytes end up in out/
  (:func:`kg.views.key`, with the libraries of :data:`BUILD_LIBRARIES` and Python's version).

After a build that landed (exit 0), or one that found problems and left out/ as it was
(exit 1), its fingerprint is kept in ``.kg-cache/build-out.json`` beside out/ (not in it:
out/'s files stay the same bytes from build to build), with what the build printed and the
name, size, modification and change times and inode of every file of out/. The next build is
skipped when all of that is the same: a file it reads whose time changed but whose bytes did
not (a save without an edit, a ``git checkout``) counts as the same; a file of out/ added,
removed or touched since does not. A build that failed (exit 2 or 3) keeps no record, nor
does one during which a file it reads changed: the next build runs.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import views
from kg.errors import KgError, ProblemFound
from kg.outputs import OutputFormat
from kg.project import Project
from kg.watch import files_read

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

RECORD_FORMAT = 1
# Besides kg's own code and the libraries that draw the views (kg.views.DRAWING_LIBRARIES):
# the libraries that read the records or write and check the graph.
BUILD_LIBRARIES = ("pyshacl", "owlrl", "ruamel.yaml", "PyYAML")

Stat = tuple[int, int, int]  # (modification and change times in ns, size)


def record_path(target: Path) -> Path:
    """Where the fingerprint of the build at ``target`` is kept (beside it, not in it)."""
    return target.parent / views.CACHE_DIR / f"build-{target.name}.json"


@dataclass(frozen=True)
class Summary:
    """What the summary line of a build says; ``up_to_date`` when it was not built again."""

    out_dir: Path
    triples: int
    graphs: int
    entities: int
    statements: int
    sources: int
    notes: tuple[str, ...] = ()
    up_to_date: bool = False

    @classmethod
    def of(cls, result: BuildResult) -> Summary:
        return cls(
            out_dir=result.out_dir,
            triples=result.triples,
            graphs=result.graphs,
            entities=result.entities,
            statements=result.statements,
            sources=result.sources,
            notes=result.notes,
        )


@dataclass(frozen=True)
class Fingerprint:
    """The build about to run, or whose out/ may be reused: its key and the files it reads."""

    project: Project
    target: Path
    key: str
    files: dict[str, Stat]  # project files by their path in the project; texts by their own

    def path(self, name: str) -> Path:
        return self.project.root / name


def take(project: Project, target: Path, formats: Iterable[OutputFormat]) -> Fingerprint:
    """The fingerprint of a build of ``project`` into ``target`` (resolved) with ``formats``.

    InputError for a malformed dckg.toml, as the build itself would say.
    """
    texts = project.config().texts_dir
    files = {name: _stat_of(stat) for name, stat in files_read(project).items()}
    names = [str(p) for p in sorted(texts.rglob("*")) if p.is_file()] if texts.is_dir() else []
    for name in names:
        try:
            files[name] = _stat(project.root / name)
        except OSError:
            continue  # removed meanwhile: it is not in what the build reads either
    build_key = views.key(
        "build",
        views.versions(BUILD_LIBRARIES),
        sys.version,
        str(project.root),
        str(target),
        ",".join(sorted(f.value for f in formats)),
        f"texts {texts} {texts.is_dir()}",
    )
    return Fingerprint(project, target, build_key, files)


def _stat(path: Path) -> Stat:
    """The change time too: a file edited and given its old modification time back differs."""
    return _stat_of(path.stat())


def _stat_of(stat: os.stat_result) -> Stat:
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


def _listing(folder: Path) -> dict[str, list[int]]:
    """Every file under ``folder`` (none if it is missing): [mtime, ctime (ns), size, inode].

    The change time is the kernel's: a file edited and given its old modification time back
    still differs. Reading, querying the store and serving do not change any of them. Stat
    rather than SHA-256: out/ of the project's data is 435 files and 20 MB (about 5 ms to
    stat, 40 ms to hash), and a big table's is gigabytes."""
    found: dict[str, list[int]] = {}
    for top, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(top, name)
            stat = os.stat(path, follow_symlinks=False)
            found[os.path.relpath(path, folder)] = [
                stat.st_mtime_ns,
                stat.st_ctime_ns,
                stat.st_size,
                stat.st_ino,
            ]
    return dict(sorted(found.items()))


def kept(fingerprint: Fingerprint) -> Summary:
    """The summary of the build in out/ if nothing it was made from changed since.

    Raises :class:`Outdated` when out/ must be built again; re-raises the problems (exit 1)
    of a build that found them if nothing changed since that build.
    """
    try:
        data = json.loads(record_path(fingerprint.target).read_text(encoding="utf-8"))
        if data.get("format") != RECORD_FORMAT or data.get("key") != fingerprint.key:
            raise Outdated
        inputs = data["inputs"]
        if set(inputs) != set(fingerprint.files):
            raise Outdated
        for name, stat in fingerprint.files.items():
            *known, digest = inputs[name]
            if tuple(known) == stat:
                continue
            if known[2] != stat[2] or views.file_digest(fingerprint.path(name)) != digest:
                raise Outdated
        if _listing(fingerprint.target) != data["out"]:
            raise Outdated
        problem = data.get("problem")
        if problem is not None:
            raise ProblemFound(_up_to_date(problem["message"]), hint=problem["hint"] or None)
        summary = data["summary"]
        return Summary(
            **{**summary, "out_dir": Path(summary["out_dir"]), "notes": tuple(summary["notes"])},
            up_to_date=True,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise Outdated from None  # no record, or one that is not ours: build


def _known_digests(path: Path) -> dict[tuple[Any, ...], str]:
    """The digests of the last record at ``path`` by (name, times, size): a file whose times
    and size did not change is not read again (1,000 source files and a 100k-row table took
    0.03 s to hash after every build)."""
    try:
        inputs = json.loads(path.read_text(encoding="utf-8"))["inputs"]
        return {(name, *entry[:-1]): entry[-1] for name, entry in inputs.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


class Outdated(Exception):
    """out/ is not the build of the present inputs: build."""


def _up_to_date(message: str) -> str:
    first, newline, rest = message.partition("\n")
    return f"{first} (up to date: nothing changed since the build that found this){newline}{rest}"


def record(
    fingerprint: Fingerprint, summary: Summary | None = None, problem: KgError | None = None
) -> None:
    """Keep ``fingerprint`` with the build's ``summary`` (exit 0) or ``problem`` (exit 1).

    Keeps nothing if a file the build reads changed while it ran; best effort (a read-only
    folder keeps nothing, and the next build runs).
    """
    path = record_path(fingerprint.target)
    try:
        known = _known_digests(path)
        inputs: dict[str, list[Any]] = {}
        for name, stat in fingerprint.files.items():
            if _stat(fingerprint.path(name)) != stat:
                path.unlink(missing_ok=True)
                return  # edited during the build: its output may be of either version
            # the same times and size: the same bytes, as kept() holds
            digest = known.get((name, *stat))
            inputs[name] = [*stat, digest or views.file_digest(fingerprint.path(name))]
        shown = None
        if summary is not None:
            shown = {**asdict(summary), "out_dir": str(summary.out_dir)}
            del shown["up_to_date"]
        text = json.dumps(
            {
                "format": RECORD_FORMAT,
                "key": fingerprint.key,
                "inputs": inputs,
                "out": _listing(fingerprint.target),
                "summary": shown,
                "problem": None
                if problem is None
                else {"message": problem.message, "hint": problem.hint},
            },
            indent=1,
            sort_keys=True,
            ensure_ascii=False,
        )
        views.keep_text(path, text + "\n")
    except OSError:
        pass

"""The views of a build, ``analysis/`` and ``site/``, each reused from the previous out/ when its
inputs did not change, and drawn on the second core when they did.

A view's *key* is the SHA-256 of everything it is made from: the code that makes it (every
file of the ``kg`` package and the versions of the libraries that draw), and its data:

- all of ``analysis/`` and ``site/`` together: the curated graphs of the store (their quads,
  sorted), the bulk tables' triple count, the ontology files, the stored queries and the
  validation report; when this key matches, both folders are taken over whole;
- the ontology's page: the ontology files;
- each figure: what it shows (its spec, :class:`kg.figures.Drawing`), so an edit that no
  figure shows redraws none;
- the CJK font subset: the characters of the pages.

The keys, and the SHA-256 of every file each view wrote, are kept in a manifest outside out/
(``.kg-cache/views-out.json`` beside it), since every file of out/ but the store must be the
same bytes from one build to the next. A view is reused only if its key matches and every one
of its files in the previous out/ still has its recorded digest; then its files are hard-linked
(or copied) into the new build's folder, which is swapped in whole as before. Anything else (no
manifest, a corrupt one, a file changed or missing) draws the view again. The manifest is
written after the swap, so it never describes a build that did not land.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kg._version import __version__
from kg.errors import KgError
from kg.outputs import Build
from kg.project import Project
from kg.workers import Worker, beside

T = TypeVar("T")
Progress = Callable[[str], None]

CACHE_DIR = ".kg-cache"
MANIFEST_FORMAT = 1
# The libraries whose output is in the views: a new version may draw other bytes.
DRAWING_LIBRARIES = (
    "matplotlib",
    "networkx",
    "rustworkx",
    "pylode",
    "fonttools",
    "uharfbuzz",
    "jinja2",
    "mplfonts",
    "pyoxigraph",
    "rdflib",
)
WHOLE = "analysis+site"


def manifest_path(target: Path) -> Path:
    """Where the keys of the views of the build at ``target`` are kept (not in out/)."""
    return target.parent / CACHE_DIR / f"views-{target.name}.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@functools.cache
def code_digest() -> str:
    """The code that draws the views: kg's own files and the drawing libraries' versions."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"kg {__version__}\n".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".txt"):
            digest.update(f"{path.relative_to(package)}\n".encode())
            digest.update(path.read_bytes())
    digest.update(versions(DRAWING_LIBRARIES).encode())
    return digest.hexdigest()


def versions(names: Iterable[str]) -> str:
    """``name version`` of each installed library, one a line (``-`` for one not installed)."""
    from importlib import metadata

    lines = []
    for name in names:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        lines.append(f"{name} {version}\n")
    return "".join(lines)


def key(*parts: str | bytes) -> str:
    """One key from the code's digest and ``parts`` (each length-prefixed: no two lists collide)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """The names and bytes of ``paths``, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes()
        digest.update(f"{path.name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass
class ViewCache:
    """The previous build's views (read from its manifest) and the new build's (to be written).

    ``previous`` is None when there is nothing to reuse (``kg report``, ``kg analyse``).
    """

    previous: Path | None
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    made: dict[str, dict[str, Any]] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    known_memo: dict[str, Any] = field(default_factory=dict)  # computations, by their key
    memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, previous: Path | None) -> ViewCache:
        """The cache of the build at ``previous``; empty if it has no readable manifest."""
        cache = cls(previous)
        if previous is None or not previous.is_dir():
            return cache
        try:
            data = json.loads(manifest_path(previous).read_text(encoding="utf-8"))
            if data.get("format") == MANIFEST_FORMAT and isinstance(data.get("views"), dict):
                cache.known = data["views"]
                if isinstance(data.get("memo"), dict):
                    cache.known_memo = data["memo"]
        except (OSError, ValueError, AttributeError):
            pass  # no manifest, or one that is not ours: every view is drawn
        return cache

    def reuse(self, name: str, view_key: str, staging: Path) -> bool:
        """Link the files of view ``name`` from the previous build if its key and bytes match."""
        entry = self.known.get(name)
        if self.previous is None or not isinstance(entry, dict) or entry.get("key") != view_key:
            return False
        files = entry.get("files")
        if not isinstance(files, dict) or not files:
            return False
        try:
            for relative, digest in files.items():
                source = self.previous / relative
                if ".." in Path(relative).parts or not source.is_file():
                    return False
                if file_digest(source) != digest:
                    return False
            for relative in files:
                _link(self.previous / relative, staging / relative)
        except OSError:
            return False
        self.made[name] = {"key": view_key, "files": dict(sorted(files.items()))}
        self.reused.append(name)
        return True

    def recall(self, memo_key: str) -> Any:
        """A computation's result kept by the previous build (kg.analyse.Memo), or None."""
        entry = self.known_memo.get(memo_key)
        if not isinstance(entry, dict) or "value" not in entry:
            return None
        value = entry["value"]
        if entry.get("sha256") != _sha256(_canonical(value)):
            return None  # changed by hand or cut short: computed again
        self.memo[memo_key] = entry
        return value

    def remember(self, memo_key: str, value: Any) -> None:
        self.memo[memo_key] = {"value": value, "sha256": _sha256(_canonical(value))}

    def keep_parts_of(self, name: str) -> None:
        """Keep the entries of the views within view ``name``, just reused: their files are
        among its files, with the same digests, so the next build may reuse them one by one."""
        whole = self.made[name]["files"]
        for part, entry in self.known.items():
            files = entry.get("files") if isinstance(entry, dict) else None
            if part == name or not isinstance(files, dict) or not files:
                continue
            if all(whole.get(relative) == digest for relative, digest in files.items()):
                self.made[part] = entry
        self.memo.update(self.known_memo)

    def record(self, name: str, view_key: str, staging: Path, paths: Iterable[Path]) -> None:
        """Note the files view ``name`` wrote into ``staging``, for the next build to reuse."""
        files = {str(p.relative_to(staging)): file_digest(p) for p in paths}
        self.made[name] = {"key": view_key, "files": dict(sorted(files.items()))}

    def commit(self, target: Path) -> None:
        """Write the manifest of the build now at ``target`` (after the swap); best effort."""
        path = manifest_path(target)
        text = json.dumps(
            {
                "format": MANIFEST_FORMAT,
                "views": dict(sorted(self.made.items())),
                "memo": dict(sorted(self.memo.items())),
            },
            indent=1,
            sort_keys=True,
        )
        # a read-only folder: the next build draws everything, nothing else changes
        with contextlib.suppress(OSError):
            keep_text(path, text + "\n")


def keep_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (in .kg-cache/) whole or not at all: a new file, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def _view(function: Callable[..., T], *args: object) -> tuple[T | None, KgError | None]:
    """``function(*args)``, with a user error returned instead of raised (it crosses a pipe)."""
    try:
        return function(*args), None
    except KgError as error:
        return None, error


def _outcome(worker: Worker[tuple[T | None, KgError | None]]) -> T:
    value, error = worker.result()
    if error is not None:
        raise error
    return value  # type: ignore[return-value]


def curated_digest(store: Any) -> str:
    """The quads of ``store`` (the curated graphs), sorted: the data every view reads."""
    from pyoxigraph import RdfFormat

    lines = store.dump(format=RdfFormat.N_QUADS).splitlines()
    lines.sort()
    return _sha256(b"\n".join(lines))


@dataclass
class Views:
    """What :func:`write_views` made: the analysis (None if reused whole) and the cache."""

    analysis: Any
    cache: ViewCache

    def commit(self, target: Path) -> None:
        self.cache.commit(target)


def write_views(
    project: Project,
    folder: Path,
    validation: str,
    progress: Progress,
    *,
    analysis: bool = True,
    site: bool = True,
    previous: Path | None = None,
) -> Views:
    """``folder/analysis`` and ``folder/site`` from ``folder/store``, reusing ``previous``'s views.

    Independent views run beside each other, so that both cores stay busy: the ontology's page
    and each figure in a forked child of its own (kg.workers), the analysis, the pages and the
    font subset (which needs the pages) in this process meanwhile.
    """
    from pyoxigraph import Store

    from kg.analyse import analyse
    from kg.graphfiles import export_names
    from kg.queries import list_queries
    from kg.report import FONTS, ONTOLOGY, ontology_style
    from kg.store import without_tables

    cache = ViewCache.of(previous)
    out = Build(folder)
    ontology = project.ontology_files()
    queries = sorted(project.queries_dir.glob("*.rq")) if project.queries_dir.is_dir() else []
    store, left_out = without_tables(Store.read_only(str(out.store)))
    try:
        whole = key(
            WHOLE,
            curated_digest(store),
            str(left_out),
            files_digest(ontology),
            files_digest(queries),
            validation,
            f"analysis={analysis} site={site}",
        )
        if analysis and site and cache.reuse(WHOLE, whole, folder):
            progress("reusing the analysis and the report")
            cache.keep_parts_of(WHOLE)
            return Views(None, cache)

        pending: list[_Pending] = []  # work in forked children, waited for at the end
        try:
            docs_key = key("ontology-docs", files_digest(ontology), ontology_style())
            docs_page = out.site / ONTOLOGY / "index.html"
            if site and not cache.reuse("ontology-docs", docs_key, folder):
                worker = beside(_view, _ontology_page, ontology, docs_page.parent, ontology_style())
                pending.append(_Pending("ontology-docs", docs_key, worker))
            progress("analysing the graph")
            result = analyse(store, memo=cache)
            # This process's own chain is analysis -> pages -> font (the font holds the pages'
            # characters); the figures, started first, and the exports fill the time around it.
            if site:
                pending += _figures(store, result, out, cache, progress)
                exports = export_names(result) if analysis else _names(out.analysis)
                queries_found = list_queries(project.queries_dir)
                _pages(store, result, out, validation, queries_found, exports, left_out)
                # the ontology's page is one of the pages whose characters the font holds
                _wait(pending, folder, cache, lambda p: p.name == "ontology-docs")
                _font(out, cache, FONTS)
            if analysis:
                _exports(result, out, cache)
            _wait(pending, folder, cache, lambda p: True)
        finally:
            for left in pending:
                left.worker.cancel()
        if analysis and site:
            cache.record(
                WHOLE, whole, folder, sorted(p for d in (out.analysis, out.site) for p in _files(d))
            )
        return Views(result, cache)
    finally:
        del store


def _wait(
    pending: list[_Pending], folder: Path, cache: ViewCache, which: Callable[[_Pending], bool]
) -> None:
    """Wait for the ``pending`` work ``which`` names and note its files; the rest goes on."""
    for item in [p for p in pending if which(p)]:
        cache.record(item.name, item.key, folder, _outcome(item.worker))
        pending.remove(item)


@dataclass(frozen=True)
class _Pending:
    """A view being made in a forked child: its name and key, for the manifest, once it is done."""

    name: str
    key: str
    worker: Worker[tuple[list[Path] | None, KgError | None]]


def _ontology_page(ontology: Sequence[Path], folder: Path, style: str) -> list[Path]:
    from kg.ontodocs import write_ontology_docs

    return [write_ontology_docs(ontology, folder, style=style)]


def _names(folder: Path) -> list[str]:
    """The names of the files in ``folder`` (none if there is no such folder), sorted."""
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _exports(result: Any, out: Build, cache: ViewCache) -> None:
    """``analysis/``: each projection's files, its GraphML and GEXF reused if its JSON is the same."""
    from kg.graphfiles import write_analysis

    def keep(name: str, text: str) -> bool:
        """A projection's GraphML and GEXF from the previous build, if its JSON is the same."""
        exports_key = key("exports", name, text)
        files = [out.analysis / f"{name}{suffix}" for suffix in (".graphml", ".gexf")]
        if cache.reuse(f"exports {name}", exports_key, out.folder):
            return True
        pending.append((f"exports {name}", exports_key, files))
        return False

    pending: list[tuple[str, str, list[Path]]] = []
    write_analysis(result, out.analysis, keep=keep)
    for name, exports_key, files in pending:
        cache.record(name, exports_key, out.folder, files)


def _figures(
    store: Any, result: Any, out: Build, cache: ViewCache, progress: Progress
) -> list[_Pending]:
    """The figures whose spec changed, each started in a forked child of its own."""
    from kg.figures import draw, drawings, prepare
    from kg.report import FIGURES

    figures = out.site / FIGURES
    todo = []
    for item in drawings(store, result):
        figure_key = key("figure", item.digest)
        if not cache.reuse(f"figure {item.name}", figure_key, out.folder):
            todo.append((item, figure_key))
    if not todo:
        return []
    progress("drawing the figures and writing the report")
    prepare()  # matplotlib imported once, here, rather than in every child
    started: list[_Pending] = []
    try:
        for item, figure_key in todo:
            worker = beside(_view, draw, [item], figures, nice=FIGURES_NICE)
            started.append(_Pending(f"figure {item.name}", figure_key, worker))
    except BaseException:
        for pending in started:
            pending.worker.cancel()
        raise
    return started


def _pages(
    store: Any,
    result: Any,
    out: Build,
    validation: str,
    queries: Sequence[Any],
    exports: Sequence[str],
    left_out: int,
) -> None:
    """The report's pages, which list the ``exports`` of analysis/ (the figures and the
    ontology's page are drawn beside them)."""
    from kg.report import write_pages

    write_pages(
        store,
        result,
        out.site,
        validation=validation,
        queries=queries,
        exports=exports,
        table_triples=left_out,
    )


def _font(out: Build, cache: ViewCache, fonts: str) -> None:
    """The CJK subset of the characters of every page: reused from the previous out/ if those
    are the same, else taken from the subsets kept in ``.kg-cache/fonts/``, else cut anew."""
    from kg.webfont import characters, cjk_font, subset_font

    pages = sorted(p for p in _files(out.site) if p.suffix == ".html")
    used = characters(p.read_text(encoding="utf-8") for p in pages)
    font_key = key("font", json.dumps(used), file_digest(cjk_font()))
    if cache.reuse("font", font_key, out.folder):
        return
    kept = FontStore(out.folder.parent / CACHE_DIR / FONT_STORE)
    written = kept.take(font_key, out.site / fonts)
    if written is None:
        written = subset_font(["".join(map(chr, used))], out.site / fonts)
        kept.keep(font_key, written)
    cache.record("font", font_key, out.folder, written)


# The figures' children yield to this process: its chain (analysis, pages, font) is the longest
# that cannot be split, and the figures fill the cores around it.
FIGURES_NICE = 5
FONT_STORE = "fonts"
FONTS_KEPT = 4  # subsets kept in .kg-cache/fonts/ (about 0.4 MB each), the most recent ones


@dataclass(frozen=True)
class FontStore:
    """Font subsets kept beside out/ by their key (the characters, the font file, the code), so
    that a build without a previous out/ (``rm -rf out``) need not cut the same subset again
    (about 1.5 s). Each entry is a folder of the files with their SHA-256 in ``files.json``; an
    entry whose files do not match it is ignored and replaced."""

    folder: Path

    def take(self, font_key: str, target: Path) -> list[Path] | None:
        """The kept subset's files copied into ``target``, or None if there is none (intact)."""
        entry = self.folder / font_key
        try:
            files = json.loads((entry / "files.json").read_text(encoding="utf-8"))
            if not isinstance(files, dict) or not files:
                return None
            for name, digest in files.items():
                if Path(name).name != name or file_digest(entry / name) != digest:
                    return None
            target.mkdir(parents=True, exist_ok=True)
            copied = []
            for name in sorted(files):
                shutil.copyfile(entry / name, target / name)
                copied.append(target / name)
            _touch(entry)  # most recently used: kept longest
        except (OSError, ValueError):
            return None
        return copied

    def keep(self, font_key: str, written: Sequence[Path]) -> None:
        """Keep a copy of ``written`` under ``font_key``, and only the FONTS_KEPT most recent
        entries; best effort (a read-only folder keeps nothing)."""
        entry = self.folder / font_key
        partial = self.folder / f".{font_key}.{os.getpid()}"
        try:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            for path in written:
                shutil.copyfile(path, partial / path.name)
            files = {path.name: file_digest(partial / path.name) for path in written}
            (partial / "files.json").write_text(json.dumps(files, sort_keys=True), "utf-8")
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(partial, entry)
            _touch(entry)
            entries = sorted(
                (e for e in self.folder.iterdir() if e.is_dir() and not e.name.startswith(".")),
                key=lambda e: e.stat().st_mtime_ns,
                reverse=True,
            )
            for old in entries[FONTS_KEPT:]:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)


def _touch(path: Path) -> None:
    """Set ``path``'s modification time to now, to the nanosecond (the file system's own clock
    may give two entries made within a few milliseconds the same time)."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))

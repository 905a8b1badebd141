"""Deterministic files and an atomic swap of the output folder.

The same quads always give byte-identical files: N-Triples and N-Quads are sorted lines,
Turtle and TriG come from rdflib's Turtle writer (which orders subjects and predicates), and
JSON-LD is re-ordered by ``@id``. A build writes a new folder beside ``out/`` and swaps it in
with one ``renameat2(RENAME_EXCHANGE)`` where the kernel has it, so readers see the old build
or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import functools
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from kg import turtle as turtle_writer
from kg.build import Quad
from kg.errors import InputError, OutputError
from kg.outputs import ALWAYS_WRITTEN
from kg.quadset import QuadSet, Triple, bound_graph, sorted_lines
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def to_dataset(quads: Iterable[Quad], extra: Iterable[tuple[URIRef, Graph]] = ()) -> Dataset:
    """An rdflib Dataset of ``quads`` (a build itself keeps a :class:`~kg.quadset.QuadSet`)."""
    return QuadSet(quads, extra).dataset()


def union_graph(dataset: Dataset) -> Graph:
    graph = bound_graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _sorted_lines(text: str) -> str:
    # N-Triples lines end at "\n" only: splitlines() would also cut at U+2028, U+0085 ... in literals.
    return sorted_lines(text.split("\n"))


def ntriples(graph: Graph) -> str:
    """Sorted, de-duplicated N-Triples: byte-identical for the same triples."""
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8").decode("utf-8"))


def nquads(dataset: Dataset) -> str:
    """Sorted, de-duplicated N-Quads (what the embedded store is loaded from)."""
    return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8"))


class _Turtle(TurtleSerializer):
    """rdflib's Turtle writer, the same bytes, with each IRI's prefixed name worked out once.

    rdflib computes a name for every occurrence of an IRI and caches only the names it finds:
    each of our data IRIs (``id:area/henan`` has no prefixed form) was split and matched again
    at each use, a third of the writer's time. A name not found is kept only until rdflib next
    looks up a name it may make a prefix for (``gen_prefix``): a prefix made then could give
    the IRI a name.
    """

    def reset(self) -> None:
        super().reset()
        self._names: dict[tuple[Node, bool], str] = {}
        self._unnamed: set[tuple[Node, bool, int]] = set()
        self._prefixes_made = 0  # lookups that may have made a prefix

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        name = self._names.get((uri, gen_prefix))
        if name is not None:
            return name
        unnamed = (uri, gen_prefix, self._prefixes_made)
        if unnamed in self._unnamed:
            return None
        if gen_prefix:
            self._prefixes_made += 1
        name = super().get_pname(uri, gen_prefix)
        if name is None:
            self._unnamed.add((uri, gen_prefix, self._prefixes_made))
        else:
            self._names[(uri, gen_prefix)] = name
        return name


def turtle(graph: Graph) -> str:
    """Turtle as rdflib writes it (subjects and predicates in its order), in less time."""
    text = turtle_writer.write(graph, graph.namespace_manager)
    if text is not None:
        return text
    return _rdflib_turtle(graph)


def turtle_of(quadset: QuadSet) -> str:
    """The Turtle of a quad set's union graph (:func:`turtle`'s bytes)."""
    return turtle_of_triples(quadset.union)


def turtle_of_triples(
    triples: Collection[Triple], prefixes: Mapping[str, str] | None = None
) -> str:
    """:func:`turtle` of a graph of ``triples`` with the project's prefixes and ``prefixes``,
    with no Graph made unless rdflib's writer is needed (blank nodes, a predicate without a
    prefix)."""
    graph = bound_graph()
    for prefix, namespace in (prefixes or {}).items():
        graph.bind(prefix, namespace)
    text = turtle_writer.write(triples, graph.namespace_manager)
    if text is not None:
        return text
    for triple in triples:
        graph.add(triple)
    return _rdflib_turtle(graph)


def _rdflib_turtle(graph: Graph) -> str:
    out = io.BytesIO()
    _Turtle(graph).serialize(out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def trig(dataset: Dataset | QuadSet) -> str:
    """TriG with the named graphs in IRI order (rdflib's own TriG writer orders them by chance)."""
    if isinstance(dataset, QuadSet):
        graphs = dataset.graphs
    else:
        graphs = {g.identifier: dict.fromkeys(g) for g in dataset.graphs()}  # type: ignore[misc]
    prefixes: dict[str, str] = {}
    blocks: list[str] = []
    for name in sorted(graphs, key=str):
        if not graphs[name] or not isinstance(name, URIRef):
            continue
        text = turtle_of_triples(graphs[name])
        head, _, body = text.partition("\n\n")
        if not all(line.startswith("@prefix ") for line in head.splitlines()):
            head, body = "", text  # no prefixes used
        for line in head.splitlines():
            _, prefix, namespace, _ = line.split(" ", 3)
            if prefixes.setdefault(prefix, namespace) != namespace:
                raise ValueError(f"prefix {prefix} bound to two namespaces")
        # Not indented: a multi-line literal must keep its lines exactly.
        blocks.append(f"<{name}> {{\n{body.strip(chr(10))}\n}}\n")
    header = "".join(f"@prefix {p} {ns} .\n" for p, ns in sorted(prefixes.items()))
    return header + "\n" + "\n".join(blocks)


def jsonld(dataset: Dataset) -> str:
    """JSON-LD with a context of our prefixes, its nodes ordered by ``@id``."""
    context = {prefix: namespace for prefix, namespace in PREFIXES.items()}
    text = dataset.serialize(format="json-ld", context=context, encoding="utf-8").decode("utf-8")
    document = json.loads(text)
    _sort_nodes(document)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sort_nodes(node: object) -> None:
    if isinstance(node, dict):
        for value in node.values():
            _sort_nodes(value)
    elif isinstance(node, list):
        for value in node:
            _sort_nodes(value)
        if all(isinstance(v, dict) for v in node):
            node.sort(key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
        elif all(isinstance(v, str | int | float | bool) for v in node):
            node.sort(key=lambda v: (type(v).__name__, str(v)))


WRITEBACK_BYTES = 16 << 20  # written bytes handed to the disk at a time (start_writeback)
_SYNC_FILE_RANGE_WRITE = 2  # linux/fs.h: start writing the range, do not wait


@functools.cache
def _sync_file_range() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    try:
        function = ctypes.CDLL(name, use_errno=True).sync_file_range if name else None
    except (OSError, AttributeError):
        return None
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def start_writeback(descriptor: int, offset: int, length: int) -> None:
    """Start writing ``length`` bytes of a file from ``offset`` to disk, without waiting.

    The kernel otherwise keeps a fresh file's pages until its fsync, which then writes them all
    while the build waits; started as the bytes come, the writes run beside the build's work.
    (400 MB written with CPU work between: the closing fsync took 0.15 s, and 0.006 s with
    this every 16 MiB.) Nothing where Linux's sync_file_range is missing or refuses.
    """
    function = _sync_file_range()
    if function is not None and length > 0:
        function(descriptor, offset, length, _SYNC_FILE_RANGE_WRITE)


class WrittenBack(io.FileIO):
    """A file opened for writing whose bytes go to disk every :data:`WRITEBACK_BYTES` written
    (:func:`start_writeback`), for big files that will be fsynced."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "w")
        self._written = self._handed = 0

    def write(self, data: ReadableBuffer, /) -> int:
        written = super().write(data)
        self._written += written
        if self._written - self._handed >= WRITEBACK_BYTES:
            start_writeback(self.fileno(), self._handed, self._written - self._handed)
            self._handed = self._written
        return written


def open_written_back(path: Path, *, newline: str, buffering: int) -> io.TextIOWrapper:
    """A new UTF-8 text file of ``buffering`` bytes a write call, written back as it grows
    (:class:`WrittenBack`)."""
    raw = io.BufferedWriter(WrittenBack(path), buffering)
    return io.TextIOWrapper(raw, encoding="utf-8", newline=newline)


def append_ranges(
    target: Path,
    parts: Iterable[tuple[Path, int, int]],
    *,
    before: str = "",
    after: str = "",
) -> None:
    """Append each (file, offset, length) of ``parts`` to ``target``, then flush it to disk.

    Tables can be gigabytes: the kernel copies the bytes (copy_file_range: 2 GB in about 1 s
    here, 5x faster than reading and writing them in Python); where it cannot, Python does.
    """
    with open(target, "r+b" if target.exists() else "wb", buffering=0) as out:
        out.seek(0, os.SEEK_END)
        _write_all(out, before.encode("utf-8"))
        for source, offset, length in parts:
            with open(source, "rb", buffering=0) as handle:
                handle.seek(offset)
                _copy_rest(handle, out, length, writeback=True)
        _write_all(out, after.encode("utf-8"))
        os.fsync(out.fileno())


def append_file(
    out: IO[str], source: Path, ranges: Iterable[tuple[int, int]] | None = None
) -> None:
    """Append ``source`` to ``out``, an open text file flushed by the caller: the whole file,
    or its (offset, length) ``ranges`` in that order (the kernel copies the bytes, as
    :func:`append_ranges` does)."""
    target = cast(io.RawIOBase, io.FileIO(out.fileno(), "wb", closefd=False))
    with open(source, "rb", buffering=0) as handle:
        if ranges is None:
            _copy_rest(handle, target)
        for offset, length in ranges or ():
            handle.seek(offset)
            _copy_rest(handle, target, length)
    out.seek(0, os.SEEK_END)  # the text file's own idea of its position, after the kernel's


JSONLD_END = b"\n  ]\n}\n"  # how jsonld() ends its top-level @graph array and the document


def splice_jsonld(document: Path, graphs: Path) -> None:
    """Add named-graph objects (JSON text, comma-separated) to the end of kg.jsonld's @graph."""
    with open(document, "r+b", buffering=0) as out:
        size = os.fstat(out.fileno()).st_size
        out.seek(size - len(JSONLD_END))
        if out.read(len(JSONLD_END)) != JSONLD_END:  # pragma: no cover - jsonld() writes it
            raise ValueError(f"{document} does not end as kg.jsonld does")
        out.seek(size - len(JSONLD_END))
        out.truncate()
        _write_all(out, b",\n")
        with open(graphs, "rb", buffering=0) as source:
            _copy_rest(source, out, writeback=True)
        _write_all(out, JSONLD_END)
        os.fsync(out.fileno())


def _write_all(out: io.RawIOBase, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = out.write(view)
        view = view[written or 0 :]


def _copy_rest(
    source: io.RawIOBase, out: io.RawIOBase, length: int | None = None, *, writeback: bool = False
) -> None:
    """Copy ``source`` from its offset (to its end, or ``length`` bytes) into ``out``; with
    ``writeback``, each chunk copied is handed to the disk (:func:`start_writeback`)."""
    remaining = (1 << 62) if length is None else length
    try:
        while remaining > 0:
            position = out.tell() if writeback else 0
            size = min(remaining, WRITEBACK_BYTES if writeback else 1 << 30)
            copied = os.copy_file_range(source.fileno(), out.fileno(), size)
            if copied == 0:
                break
            if writeback:
                start_writeback(out.fileno(), position, copied)
            remaining -= copied
        return
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
            raise
    while remaining > 0 and (chunk := source.read(min(remaining, 1 << 20))):
        _write_all(out, chunk)  # where the kernel cannot: from where it stopped
        remaining -= len(chunk)


def sync_files(paths: Iterable[Path]) -> None:
    """Flush files written and closed earlier to disk (fsync leaves the GIL: a thread's work)."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_text(path: Path, text: str) -> None:
    """Write a file and flush it to disk, so a later swap never exposes a half-written file."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


# ---------------------------------------------------------------------------------------------
# The output folder: build beside, swap in, keep one lock
# ---------------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def swap_in(new: Path, target: Path) -> None:
    """Make ``new`` the folder at ``target``; the previous one is removed afterwards.

    With ``renameat2(RENAME_EXCHANGE)`` the exchange is one atomic step. Without it (another
    OS or file system), ``target`` is renamed aside and ``new`` renamed in: two steps, and
    :func:`recover` puts the old folder back if a crash falls between them.
    """
    if not target.exists():
        os.replace(new, target)
        return
    exchange = _renameat2()
    if exchange is not None:
        result = exchange(_AT_FDCWD, bytes(new), _AT_FDCWD, bytes(target), _RENAME_EXCHANGE)
        if result == 0:
            discard(new, target)  # ``new`` now holds the previous build
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(target))
    aside = target.with_name(f".{target.name}.previous")
    shutil.rmtree(aside, ignore_errors=True)
    os.replace(target, aside)
    os.replace(new, target)
    discard(aside, target)


REMOVE_LATER_BYTES = 64 << 20  # a previous build this big is removed in the background


def discard(folder: Path, target: Path) -> None:
    """Remove ``folder``, the previous build of ``target``; a big one without waiting for it.

    Removing the files of a million-row build (12 GB, the store's thousands of files) took
    15 s here, after the new build was already in place. Such a folder is renamed to
    ``.out.removing-*`` and removed by a detached process; :func:`clean_stale` removes what
    a killed one left. A small folder is removed here and now.
    """
    try:
        size = sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        size = 0
    if size < REMOVE_LATER_BYTES:
        shutil.rmtree(folder, ignore_errors=True)
        return
    doomed = target.with_name(f".{target.name}.removing-{os.getpid()}-{time.time_ns()}")
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    _REMOVERS[:] = [remover for remover in _REMOVERS if remover.poll() is None]  # reap
    try:
        os.replace(folder, doomed)
        remover = subprocess.Popen(
            [sys.executable, "-c", code, str(doomed)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in the terminal does not stop it half-way
        )
    except OSError:  # the new build is in place already: remove the old one here, then
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(doomed, ignore_errors=True)
        return
    _REMOVERS.append(remover)


_REMOVERS: list[subprocess.Popen[bytes]] = []  # running ones, reaped by the next discard()


def recover(target: Path) -> None:
    """Undo a swap that a crash interrupted between its two renames (fallback path only)."""
    aside = target.with_name(f".{target.name}.previous")
    if aside.exists() and not target.exists():
        os.replace(aside, target)


def staging_dir(target: Path) -> Path:
    """A fresh folder beside ``target`` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def clean_stale(target: Path) -> None:
    """Remove staging folders left by builds that were killed, and previous builds that a
    background removal (:func:`discard`) has not finished."""
    for pattern in (f".{target.name}.building-*", f".{target.name}.removing-*"):
        for stale in target.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one gets a clear message.

    An OSError while the lock is held (a full disk, a folder without write permission) becomes
    :class:`~kg.errors.OutputError`: the staging folder is gone by then and ``target`` untouched.
    """
    check_target(target)
    lock_path = target.with_name(f".{target.name}.lock")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise write_failed(exc, target) from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"another build is writing {target} (lock {lock_path})",
                hint="wait for it to finish, then run the build again",
            ) from None
        try:
            yield
        except OSError as exc:
            raise write_failed(exc, target) from None
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


# Files every build writes, whatever its --formats: a folder that holds them (or nothing)
# may be replaced by a build.
BUILD_MARKERS = ALWAYS_WRITTEN


def check_target(target: Path) -> None:
    """Refuse to replace a folder that is not a previous build (a project, data/, a home...).

    The swap deletes the folder it replaces; only an empty folder or an earlier build may go.
    """
    if not target.exists():
        return
    if not target.is_dir():
        raise InputError(
            f"{target} is a file, not an output folder", hint="choose a folder for --out"
        )
    if any(target.iterdir()) and not all((target / name).is_file() for name in BUILD_MARKERS):
        raise InputError(
            f"{target} holds files that are not a dckg build; a build would replace it whole",
            hint="give --out a new or empty folder, or the folder of an earlier build",
        )


def write_failed(exc: OSError, target: Path) -> OutputError:
    """The error for a build that could not write its files, with what to do about it."""
    where = f": {exc.filename}" if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = f"free some space on the disk that holds {target.parent}, or build elsewhere with --out DIR"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = f"check that you may write to {target.parent}, or build elsewhere with --out DIR"
    else:
        hint = "check the disk and the folder, then build again"
    return OutputError(
        f"cannot write the build ({reason}{where}); {target} was left as it was", hint=hint
    )

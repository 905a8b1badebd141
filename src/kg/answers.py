"""Stored answers: what the build precomputed for stored queries, kept in ``out/store/answers/``.

Some stored queries return a large share of a big table (every value of one indicator, every
statement of a Five-Year Plan's period); each row costs the store a dozen lookups, so no
rewording of the query answers a million-row table in seconds. A query that opts in
(``#+ precomputed:``) is answered by the build instead (:mod:`kg.answerers`), and
``kg query`` serves that answer (:func:`lookup`, called by :func:`kg.queries.run`) as long as
it is the answer of the text it would run, on this store:

- each answer is keyed by the SHA-256 of the query text *with its parameters bound*
  (:func:`kg.queries.bind`), the very text ``kg query`` would run: an edited query (even a
  comment), another parameter value or another default has another key, finds nothing, and
  runs on the store as before;
- ``manifest.json`` holds a fingerprint of the store it was computed on: RocksDB's
  ``IDENTITY`` (a random id, new with every store) and the name and size of each of the
  store's files, which any write to the store changes; and the pyoxigraph version, whose
  engine the answers must agree with. A mismatch serves nothing.

Where: inside ``store/``, because the answers belong to that store and go wherever it goes
(``kg report`` links the store into its staging folder), and because every file of ``out/``
but ``store/`` is byte-identical from build to build, which the fingerprint is not. They are
not RDF: no named graph holds them and ``void.ttl`` does not describe them.

Each answer is its SPARQL 1.1 TSV results (:func:`kg.results.to_tsv`'s bytes), gzipped:
TSV is lossless (every term in N-Triples syntax), so the rows read back are the terms the
query gives; ``--format tsv`` is served as stored, ``--format csv`` from the cells without
making terms, and the rows themselves (``--format json``, the table, :meth:`QueryResult.values`)
are parsed on first use (:class:`StoredRows`).

For users: docs/benchmarks.md ("Precomputed answers"); the figures: bench/RESULTS.md.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

from kg.results import XSD_STRING, QueryResult, Term

FOLDER = "answers"  # inside the store's folder
MANIFEST = "manifest.json"
FORMAT = 1
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
COMPRESSION = 6  # gzip level: at 1M rows, see bench/RESULTS.md for time and bytes


def answer_key(text: str) -> str:
    """The key of an answer: the SHA-256 of the bound query text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def engine() -> str:
    """The engine whose answers the stored ones stand for."""
    import pyoxigraph

    return f"pyoxigraph {pyoxigraph.__version__}"


def store_fingerprint(store: Path) -> str:
    """The store's identity and the name and size of each of its files (its logs aside).

    A read-only open changes none of them; a write, or an open for writing, adds or grows a
    file. Cheap: one directory listing.
    """
    digest = hashlib.sha256()
    identity = store / "IDENTITY"
    if identity.is_file():
        digest.update(identity.read_bytes())
    for entry in sorted(os.scandir(store), key=lambda e: e.name):
        if entry.name == FOLDER or entry.name == "LOCK" or entry.name.startswith("LOG"):
            continue
        size = entry.stat().st_size if entry.is_file() else -1
        digest.update(f"\n{entry.name} {size}".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Writing (during a build)
# ---------------------------------------------------------------------------------------------


class AnswerWriter:
    """Writes the answers of one build into ``store/answers/``; :meth:`close` adds the manifest.

    >>> writer = AnswerWriter(store_folder)                               # doctest: +SKIP
    >>> writer.add("q", {}, text, ("x",), ['"1"^^<...#integer>'])       # doctest: +SKIP
    >>> writer.close()                                                   # doctest: +SKIP
    """

    def __init__(self, store: Path) -> None:
        self.store = store
        self.folder = store / FOLDER
        self.folder.mkdir(exist_ok=True)
        self.entries: dict[str, dict[str, object]] = {}

    def add(
        self,
        query: str,
        params: Mapping[str, str],
        text: str,
        variables: Sequence[str],
        lines: Iterable[str],
    ) -> int:
        """One answer: its TSV lines (terms as :meth:`Term.ntriples`, tab-separated, an
        unbound one empty), in the answer's order. Returns the number of rows."""
        key = answer_key(text)
        rows = 0
        with open(self.folder / f"{key}.tsv.gz", "wb") as raw:
            with gzip.GzipFile(
                fileobj=raw, mode="wb", compresslevel=COMPRESSION, mtime=0, filename=""
            ) as packed:
                out = io.TextIOWrapper(packed, encoding="utf-8", newline="\n")
                out.write("\t".join(f"?{v}" for v in variables) + "\n")
                lines = iter(lines)
                while chunk := list(itertools.islice(lines, 4096)):
                    out.write("\n".join(chunk) + "\n")
                    rows += len(chunk)
                out.flush()
                out.detach()
            raw.flush()
            os.fsync(raw.fileno())
        self.entries[key] = {"query": query, "params": dict(params), "rows": rows}
        return rows

    def add_result(
        self, query: str, params: Mapping[str, str], text: str, result: QueryResult
    ) -> int:
        """One answer from a query's result (run on the store)."""
        return self.add(query, params, text, result.variables, tsv_lines(result))

    def close(self) -> None:
        """The manifest: the store's fingerprint (the store is complete by now), the engine."""
        manifest = {
            "format": FORMAT,
            "engine": engine(),
            "store": store_fingerprint(self.store),
            "answers": dict(sorted(self.entries.items())),
        }
        path = self.folder / MANIFEST
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())


def tsv_lines(result: QueryResult) -> Iterator[str]:
    """A SELECT's rows as the TSV lines :func:`kg.results.to_tsv` writes."""
    for row in result.rows:
        yield "\t".join(row[v].ntriples() if v in row else "" for v in result.variables)


# ---------------------------------------------------------------------------------------------
# Serving (kg query)
# ---------------------------------------------------------------------------------------------


def lookup(store: Path, text: str) -> QueryResult | None:
    """The stored answer of ``text`` on the store at ``store``, or None: no answer for this
    text, or answers of another store or engine."""
    manifest_path = store / FOLDER / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    key = answer_key(text)
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or key not in (manifest.get("answers") or {})
        or manifest.get("engine") != engine()
        or manifest.get("store") != store_fingerprint(store)
    ):
        return None
    try:
        with gzip.open(store / FOLDER / f"{key}.tsv.gz", "rt", encoding="utf-8", newline="") as f:
            tsv = f.read()
    except (OSError, EOFError, UnicodeDecodeError):
        return None
    head, _, body = tsv.partition("\n")
    variables = tuple(name[1:] for name in head.split("\t")) if head else ()
    rows = StoredRows(variables, body)
    return QueryResult(
        form="SELECT",
        variables=variables,
        rows=rows,
        prerendered={"tsv": lambda: tsv, "csv": rows.csv},
    )


class StoredRows(Sequence[Mapping[str, Term]]):
    """The rows of a stored answer, parsed from its TSV on first use."""

    def __init__(self, variables: tuple[str, ...], body: str) -> None:
        self._variables = variables
        self._lines = body.split("\n")[:-1] if body else []  # the body ends with "\n"
        self._rows: tuple[Mapping[str, Term], ...] | None = None

    def _parsed(self) -> tuple[Mapping[str, Term], ...]:
        if self._rows is None:
            cache: dict[str, Term] = {}
            names = self._variables
            rows = []
            for line in self._lines:
                row = {}
                for name, cell in zip(names, line.split("\t"), strict=True):
                    if cell:
                        found = cache.get(cell)
                        if found is None:
                            found = parse_cell(cell)
                            if len(cache) < 50_000:
                                cache[cell] = found
                        row[name] = found
                rows.append(row)
            self._rows = tuple(rows)
        return self._rows

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> Mapping[str, Term]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Mapping[str, Term]]: ...

    def __getitem__(self, index: int | slice) -> Mapping[str, Term] | Sequence[Mapping[str, Term]]:
        return self._parsed()[index]

    def __iter__(self) -> Iterator[Mapping[str, Term]]:
        return iter(self._parsed())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def csv(self) -> str:
        """The SPARQL 1.1 CSV results (:func:`kg.results.to_csv`'s text), from the cells."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self._variables)
        values: dict[str, str] = {}
        for line in self._lines:
            row = []
            for cell in line.split("\t"):
                value = values.get(cell)
                if value is None:
                    value = cell_value(cell) if cell else ""
                    if len(values) < 50_000:
                        values[cell] = value
                row.append(value)
            writer.writerow(row)
        return buffer.getvalue()


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def _unescape(text: str) -> str:
    """The inverse of :func:`kg.results.escape_string`."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(0)), text)


def parse_cell(cell: str) -> Term:
    """A TSV cell (a term as :meth:`Term.ntriples` writes it) as the term the query gave."""
    if cell.startswith("<"):
        return Term("uri", cell[1:-1])
    if cell.startswith("_:"):
        return Term("bnode", cell[2:])
    end = cell.rindex('"')
    value, suffix = _unescape(cell[1:end]), cell[end + 1 :]
    if suffix.startswith("@"):
        return Term("literal", value, datatype=RDF_LANGSTRING, language=suffix[1:])
    if suffix.startswith("^^<"):
        return Term("literal", value, datatype=suffix[3:-1])
    return Term("literal", value, datatype=XSD_STRING)


def cell_value(cell: str) -> str:
    """A TSV cell's term's value (its IRI, or a literal's text), as CSV results write it."""
    if cell.startswith("<"):
        return cell[1:-1]
    if cell.startswith("_:"):
        return cell[2:]
    return _unescape(cell[1 : cell.rindex('"')])


def remove(store: Path) -> None:
    """Drop a store's answers (a build that could not finish them leaves none)."""
    folder = store / FOLDER
    with contextlib.suppress(FileNotFoundError):
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()

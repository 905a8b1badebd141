"""The embedded store: a pyoxigraph database in ``out/store/`` that stored queries run on.

Queries see the union of the named graphs as their default graph, so the same query text
answers the same here and on a triplestore filled with one named graph per source.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QuerySolutions, QueryTriples, RdfFormat, Store

from kg.errors import InputError


def write_store(path: Path, trig: Path) -> None:
    """Create the store at ``path`` from a TriG file (pyoxigraph's bulk loader, GIL released)."""
    store = Store(str(path))
    store.bulk_load(path=str(trig), format=RdfFormat.TRIG)
    store.flush()
    del store


def open_store(path: Path) -> Store:
    """The built store, read-only; InputError when there is none yet."""
    if not (path / "CURRENT").exists():
        raise InputError(f"no store at {path}", hint="run `kg build` first")
    return Store.read_only(str(path))


def select(store: Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT on the union graph, each value as its plain string."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, QueryTriples) or not isinstance(result, QuerySolutions):
        raise ValueError("select() needs a SELECT query")
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            row[name] = "" if term is None else term.value
        rows.append(row)
    return rows

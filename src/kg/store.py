"""The embedded store: a pyoxigraph database in ``out/store/`` that stored queries run on.

Queries see the union of the named graphs as their default graph, so the same query text
answers the same here and on a triplestore filled with one named graph per source.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QuerySolutions, QueryTriples, RdfFormat, Store

from kg.errors import InputError


def write_store(path: Path, nquads: str) -> int:
    """Create the store at ``path`` from N-Quads text; the number of quads it holds."""
    store = Store(str(path))
    store.bulk_load(nquads.encode("utf-8"), RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    return count


def append_to_store(path: Path, ntriples: Path, graph: str) -> None:
    """Bulk-load an N-Triples file into one named graph of the store at ``path``."""
    from pyoxigraph import NamedNode

    store = Store(str(path))
    store.bulk_load(path=str(ntriples), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
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

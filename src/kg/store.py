"""The embedded store: a pyoxigraph database in ``out/store/`` that stored queries run on.

Queries see the union of the named graphs as their default graph, so the same query text
answers the same here and on a triplestore filled with one named graph per source.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import NamedNode, QuerySolutions, QueryTriples, RdfFormat, Store

from kg.csvparts import byte_ranges
from kg.errors import InputError


def load_store(
    path: Path, nquads: bytes, tables: Iterable[tuple[str, list[tuple[Path, int, int]]]] = ()
) -> Store:
    """Create the store at ``path``: N-Quads, then each table's N-Triples into its graph.

    ``tables`` are (graph, parts): a table's N-Triples as (file, offset, length) parts, its
    rows in kg.nt and those written by a second process, read as one file for one bulk load
    a table. pyoxigraph's bulk loader parses outside the GIL; N-Triples loads 1.7x faster
    than the same triples as TriG.

    The store comes back loaded and flushed, and is not compacted: on the 1M-row query project
    (13M triples) a lookup of a statement's value took 21-28 us of CPU either way, and every
    stored query the same time, and a build took 22 s less CPU without it (docs/benchmarks.md).
    """
    store = Store(str(path))
    store.bulk_load(nquads, RdfFormat.N_QUADS)
    for graph, parts in tables:
        ranges = [(file, offset, offset + length) for file, offset, length in parts]
        with byte_ranges(ranges) as handle:
            store.bulk_load(input=handle, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))
    store.flush()
    return store


def memory_store(nquads: bytes) -> Store:
    """An in-memory store of ``nquads`` (a build's curated graphs: the store's but the
    tables', as :func:`curated_copy` takes them from a loaded store)."""
    store = Store()
    store.bulk_load(nquads, RdfFormat.N_QUADS)
    return store


TABLE_GRAPHS = "https://w3id.org/dckg/graph/table/"  # kg.vocab.graph_iri("table", ID)


def without_tables(store: Store) -> tuple[Store, int]:
    """The store's graphs but those of bulk tables, in memory, and the triples left out.

    The analysis and the report work entity by entity, which does not scale to a table of a
    million rows; they draw on the curated graphs, and a table is summarised in void.ttl.
    """
    memory = curated_copy(store)
    if memory is store:
        return store, 0
    return memory, len(store) - len(memory)


def curated_copy(store: Store) -> Store:
    """The store's graphs but those of bulk tables, in memory (the store itself if it has no
    table); without :func:`without_tables`'s count, which reads every quad of the store."""
    graphs = [graph for graph in store.named_graphs() if isinstance(graph, NamedNode)]
    if not any(graph.value.startswith(TABLE_GRAPHS) for graph in graphs):
        return store
    memory = Store()
    for graph in graphs:
        if not graph.value.startswith(TABLE_GRAPHS):
            data = store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph)
            if data:
                memory.bulk_load(data, RdfFormat.N_TRIPLES, to_graph=graph)
    return memory


def open_store(path: Path) -> Store:
    """The built store, read-only; InputError when there is none yet."""
    if not (path / "CURRENT").exists():
        raise missing_store(path)
    return Store.read_only(str(path))


def missing_store(path: Path) -> InputError:
    """Why there is no store at ``path``: no build yet, or a build that left it out."""
    build = path.parent
    if (build / "void.ttl").exists():  # written by every build, whatever --formats chose
        return InputError(
            f"no store at {path}: the build in {build} left out the store",
            hint="build it with `kg build` (all formats) or `kg build --formats nt,ttl,store`",
        )
    return InputError(f"no store at {path}", hint="run `kg build` first")


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

"""The graph as networks: projections of the store into networkx graphs, and measures on them.

Every projection is read from the embedded store with SPARQL (never through an rdflib
graph), so it costs one query per projection however large the tables grow. Nodes are
named by their IRI without the ``https://w3id.org/dckg/id/`` base (``area/<id>``) and
carry ``iri``, ``label_en``, ``label_zh`` and ``kind`` (the local name of their class).
Nodes and edges are added in sorted order, so the exports are the same from one build to
the next.

The projections:

- ``admin-hierarchy``: country -> provinces -> cities -> counties (``dckg:parentArea``); a tree.
- ``province-dimensions``: provinces x evaluation dimensions, bipartite; an edge per list a
  province is in (``top10``: the report's eight top-10 lists) with the article's first-tier
  claim beside it (``first_tier``).
- ``infrastructure-areas``: infrastructure and nodes -> the areas they are located in, and
  the systems they are part of.
- ``statement-sources``: statements -> the source they were derived from, and the areas and
  indicators they are about.
- ``entities``: every entity, linked by every triple between two entities (undirected); its
  components and isolated entities are a curation check.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
from pyoxigraph import Store

from kg.concordance import PREFIXES as _PREFIXES
from kg.concordance import (
    Agreement,
    Conflict,
    group_agreements,
    local_name,
    observation_agreements,
)
from kg.store import select
from kg.vocab import DCKG, ID, node_id

_ENTITIES = (
    _PREFIXES
    + """
SELECT ?s (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?types)
       (MIN(?en) AS ?label_en) (MIN(?zh) AS ?label_zh) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER (?g != <https://w3id.org/dckg/graph/ontology> && STRSTARTS(STR(?s), "%(id)s"))
  OPTIONAL { ?s rdfs:label ?en . FILTER (lang(?en) = "en") }
  OPTIONAL { ?s rdfs:label ?zh . FILTER (lang(?zh) = "zh") }
} GROUP BY ?s
"""
)

# Entities of a class the ontology marks as bookkeeping (dckg:bookkeeping true), or of a
# subclass of one: code-list files, periods, concept schemes. They stay out of the findings.
_BOOKKEEPING = (
    _PREFIXES
    + """
SELECT DISTINCT ?s WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER (?g != <https://w3id.org/dckg/graph/ontology> && STRSTARTS(STR(?s), "%(id)s"))
  ?class rdfs:subClassOf* ?marked . ?marked dckg:bookkeeping true .
}
"""
)

_ENTITY_LINKS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER (isIRI(?o) && STRSTARTS(STR(?s), "%(id)s") && STRSTARTS(STR(?o), "%(id)s"))
}
"""

_PARENTS = _PREFIXES + "SELECT ?child ?parent WHERE { ?child dckg:parentArea ?parent }"

_GROUPS = (
    _PREFIXES
    + """
SELECT ?claim ?kind ?dimension ?source ?member WHERE {
  ?claim a dckg:GroupClaim ; dckg:groupKind ?kind ; dckg:dimension ?dimension ;
         prov:wasDerivedFrom ?source ; dckg:member ?member .
  VALUES ?kind { dckg:TopTen dckg:FirstTier }
}
"""
)

_LOCATED = (
    _PREFIXES
    + """
SELECT ?thing ?predicate ?place WHERE {
  ?thing ?predicate ?place . VALUES ?predicate { dckg:locatedIn dckg:partOf }
}
"""
)

_STATEMENTS = (
    _PREFIXES
    + """
SELECT ?statement ?source ?predicate ?topic WHERE {
  ?statement prov:wasDerivedFrom ?source .
  VALUES ?class { dckg:Observation dckg:GroupClaim dckg:FactClaim }
  ?statement a ?class .
  OPTIONAL {
    ?statement ?predicate ?topic .
    VALUES ?predicate { dckg:area dckg:member dckg:indicator dckg:dimension dckg:about }
  }
}
"""
)

TOP10 = "https://w3id.org/dckg/ontology#TopTen"
FIRST_TIER = "https://w3id.org/dckg/ontology#FirstTier"
DIMENSION_ORDER = (
    "dimension/overall",
    "dimension/digital-infrastructure",
    "dimension/digital-technology-innovation",
    "dimension/digital-economy",
    "dimension/digital-development-environment",
    "dimension/digital-government",
    "dimension/digital-society",
    "dimension/cybersecurity",
)


@dataclass(frozen=True)
class Projection:
    """A named networkx graph with a sentence on what it shows."""

    name: str
    title: str
    description: str
    graph: Any  # nx.Graph or nx.DiGraph (networkx has no type hints)


@dataclass(frozen=True)
class ListMembership:
    """A province and the report's top-10 lists it is in, with the article's first tier."""

    area: str
    label_en: str
    label_zh: str
    lists: int
    dimensions: tuple[str, ...]
    first_tier: bool


@dataclass(frozen=True)
class Centrality:
    node: str
    label_en: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class Measures:
    """What the analysis found: every field is a plain value, exported as ``measures.json``."""

    top10: tuple[ListMembership, ...]
    coverage_areas: dict[str, dict[str, int]]
    coverage_indicators: dict[str, dict[str, int]]
    components: tuple[int, ...]
    isolated: tuple[str, ...]
    central: tuple[Centrality, ...]
    agreements: tuple[Agreement, ...]
    shared_observations: int
    conflicting_observations: tuple[Conflict, ...]
    hierarchy_is_tree: bool
    betweenness_pivots: int  # 0: exact; else the number of sampled pivots
    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)

    def in_at_least(self, lists: int) -> list[ListMembership]:
        return [m for m in self.top10 if m.lists >= lists]


@dataclass(frozen=True)
class Analysis:
    projections: tuple[Projection, ...]
    measures: Measures
    labels: dict[str, tuple[str, str]]  # node id -> (en, zh)

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(name)


# ---------------------------------------------------------------------------------------------
# Projections
# ---------------------------------------------------------------------------------------------


def _entities(store: Store) -> dict[str, dict[str, str]]:
    """Every entity of our own IRIs with its class and labels, keyed by node id."""
    rows = select(store, _ENTITIES % {"id": ID})
    nodes: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: r["s"]):
        nodes[node_id(row["s"])] = {
            "iri": row["s"],
            "kind": _kind(row["types"].split()),
            "label_en": row["label_en"],
            "label_zh": row["label_zh"],
        }
    return nodes


def _kind(classes: list[str]) -> str:
    """The entity's class, preferring dckg's own (an indicator is a dckg:Indicator, not a skos:Concept)."""
    return local_name(min(classes, key=lambda c: (not c.startswith(str(DCKG)), c)))


def _add_nodes(graph: Any, ids: Iterable[str], entities: dict[str, dict[str, str]]) -> None:
    for name in sorted(set(ids)):
        attributes = entities.get(name) or {
            "iri": str(ID) + name,
            "kind": "",
            "label_en": name,
            "label_zh": "",
        }
        graph.add_node(name, **attributes)


def admin_hierarchy(store: Store, entities: dict[str, dict[str, str]]) -> Projection:
    graph = nx.DiGraph(name="admin-hierarchy")
    edges = sorted((node_id(r["parent"]), node_id(r["child"])) for r in select(store, _PARENTS))
    areas = [n for n, a in entities.items() if n.startswith("area/")]
    _add_nodes(graph, [*areas, *(n for e in edges for n in e)], entities)
    graph.add_edges_from(edges, relation="parentArea")
    return Projection(
        "admin-hierarchy",
        "Administrative hierarchy",
        "Country, provincial-level divisions, cities and counties, each under the area it "
        "belongs to (dckg:parentArea): a tree rooted at China.",
        graph,
    )


def province_dimensions(store: Store, entities: dict[str, dict[str, str]]) -> Projection:
    graph = nx.Graph(name="province-dimensions")
    rows = select(store, _GROUPS)
    provinces = [n for n, a in entities.items() if a["kind"] == "ProvincialLevelDivision"]
    dimensions = [node_id(r["dimension"]) for r in rows]
    for name in sorted(set(provinces) | {node_id(r["member"]) for r in rows}):
        graph.add_node(name, bipartite=0, **_attributes(name, entities))
    for name in sorted(set(dimensions) | set(DIMENSION_ORDER) & set(entities)):
        graph.add_node(name, bipartite=1, **_attributes(name, entities))
    flags: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"top10": set(), "first_tier": set()}
    )
    for row in rows:
        key = (node_id(row["member"]), node_id(row["dimension"]))
        flags[key]["top10" if row["kind"] == TOP10 else "first_tier"].add(node_id(row["source"]))
    for (member, dimension), flag in sorted(flags.items()):
        graph.add_edge(
            member,
            dimension,
            top10=bool(flag["top10"]),
            first_tier=bool(flag["first_tier"]),
            sources=" ".join(sorted(flag["top10"] | flag["first_tier"])),
            top10_sources=" ".join(sorted(flag["top10"])),
            first_tier_sources=" ".join(sorted(flag["first_tier"])),
        )
    return Projection(
        "province-dimensions",
        "Provinces x evaluation dimensions",
        "Bipartite: a province is linked to a dimension when a source puts it in that "
        "dimension's top-10 list (top10) or in its first tier (first_tier), with the sources "
        "of each (top10_sources, first_tier_sources); members unordered.",
        graph,
    )


def infrastructure_areas(store: Store, entities: dict[str, dict[str, str]]) -> Projection:
    graph = nx.DiGraph(name="infrastructure-areas")
    edges = sorted(
        (node_id(r["thing"]), node_id(r["place"]), local_name(r["predicate"]))
        for r in select(store, _LOCATED)
    )
    _add_nodes(graph, [n for e in edges for n in e[:2]], entities)
    for thing, place, relation in edges:
        graph.add_edge(thing, place, relation=relation)
    return Projection(
        "infrastructure-areas",
        "Infrastructure and nodes in areas",
        "Networks, connection points and identifier-resolution nodes -> the area each is "
        "located in (locatedIn) and the system it is part of (partOf).",
        graph,
    )


def statement_sources(store: Store, entities: dict[str, dict[str, str]]) -> Projection:
    graph = nx.DiGraph(name="statement-sources")
    rows = select(store, _STATEMENTS)
    edges: set[tuple[str, str, str]] = set()
    for row in rows:
        statement = node_id(row["statement"])
        edges.add((statement, node_id(row["source"]), "wasDerivedFrom"))
        if row["topic"]:
            edges.add((statement, node_id(row["topic"]), local_name(row["predicate"])))
    _add_nodes(graph, [n for e in edges for n in e[:2]], entities)
    for statement, target, relation in sorted(edges):
        graph.add_edge(statement, target, relation=relation)
    return Projection(
        "statement-sources",
        "Statements and their sources",
        "Each statement -> the source it was derived from (wasDerivedFrom) and the areas, "
        "indicators and dimensions it is about: which source supports what.",
        graph,
    )


def entity_graph(store: Store, entities: dict[str, dict[str, str]]) -> Projection:
    graph = nx.Graph(name="entities")
    _add_nodes(graph, entities, entities)
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in select(store, _ENTITY_LINKS % {"id": ID}):
        a, b = sorted((node_id(row["s"]), node_id(row["o"])))
        if a != b and a in entities and b in entities:
            links[(a, b)].add(local_name(row["p"]))
    for (a, b), predicates in sorted(links.items()):
        graph.add_edge(a, b, relation=" ".join(sorted(predicates)))
    return Projection(
        "entities",
        "Entity graph",
        "Every entity of the graph, linked when a triple joins two of them (any predicate): "
        "its connected components, and entities with no link at all (curation errors).",
        graph,
    )


def _attributes(name: str, entities: dict[str, dict[str, str]]) -> dict[str, str]:
    return entities.get(name) or {
        "iri": str(ID) + name,
        "kind": "",
        "label_en": name,
        "label_zh": "",
    }


# ---------------------------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------------------------


def top10_membership(projection: Projection) -> tuple[ListMembership, ...]:
    """Provinces by the number of top-10 lists they are in (most first, then by name)."""
    graph = projection.graph
    found = []
    for node, data in graph.nodes(data=True):
        if data["bipartite"] != 0:
            continue
        top = sorted(d for d in graph[node] if graph[node][d]["top10"])
        tier = any(graph[node][d]["first_tier"] for d in graph[node])
        found.append(
            ListMembership(
                node, data["label_en"], data["label_zh"], len(top), tuple(top), first_tier=tier
            )
        )
    return tuple(sorted(found, key=lambda m: (-m.lists, m.label_en)))


def coverage(projection: Projection, prefix: str) -> dict[str, dict[str, int]]:
    """For each topic whose id starts with ``prefix``: the number of statements per source."""
    graph = projection.graph
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for statement in graph.nodes:
        targets = graph[statement]
        sources = [t for t in targets if targets[t]["relation"] == "wasDerivedFrom"]
        for topic in targets:
            if topic.startswith(prefix) and targets[topic]["relation"] != "wasDerivedFrom":
                for source in sources:
                    table[topic][source] += 1
    return {topic: dict(sorted(table[topic].items())) for topic in sorted(table)}


EXACT_BETWEENNESS = 2_000  # nodes; beyond, betweenness is estimated from sampled pivots
PIVOTS = 32
SEED = 7
# Betweenness ranks entities of the same degree to this many digits, then their names do: two
# ways of adding the same paths may differ in the last digits of a float (1e-16), not in these.
TIE_DIGITS = 12


def bookkeeping(store: Store) -> frozenset[str]:
    """The node ids of entities whose class the ontology marks as bookkeeping."""
    return frozenset(node_id(r["s"]) for r in select(store, _BOOKKEEPING % {"id": ID}))


class Memo(Protocol):
    """Results of slow computations kept from one build to the next (kg.views), by a key that
    names everything they were computed from."""

    def recall(self, key: str) -> Any: ...

    def remember(self, key: str, value: Any) -> None: ...


def exact_betweenness(graph: nx.Graph) -> dict[str, float]:
    """Normalised betweenness of every node, as networkx computes it, by rustworkx (compiled).

    The same definition as ``nx.betweenness_centrality(graph, normalized=True)``, about 30x
    faster; the sums are added in another order, so a value may differ from networkx's in its
    last digit or two (below 1e-14). One thread, so the sums, and the digits, are the same
    from one build to the next.
    """
    import rustworkx as rx

    nodes = list(graph.nodes)
    index = {node: number for number, node in enumerate(nodes)}
    copy: rx.PyGraph[str, None] | rx.PyDiGraph[str, None]
    copy = rx.PyDiGraph(multigraph=False) if graph.is_directed() else rx.PyGraph(multigraph=False)
    copy.add_nodes_from(nodes)
    copy.add_edges_from_no_data([(index[a], index[b]) for a, b in graph.edges])
    values = rx.betweenness_centrality(copy, normalized=True, parallel_threshold=len(nodes) + 1)
    return {node: float(values[number]) for number, node in enumerate(nodes)}


def _betweenness(graph: nx.Graph, sample: int | None, memo: Memo | None) -> dict[str, float]:
    """Normalised betweenness of every node; from ``memo`` if the graph is the same."""
    key = ""
    if memo is not None:
        shape = json.dumps(
            [sorted(graph.nodes), sorted(sorted(edge) for edge in graph.edges), sample, SEED]
        )
        key = "betweenness " + hashlib.sha256(shape.encode("utf-8")).hexdigest()
        found = memo.recall(key)
        if isinstance(found, dict) and set(found) == set(graph.nodes):
            return {node: float(found[node]) for node in graph.nodes}
    if sample is None:
        betweenness = exact_betweenness(graph)
    else:
        computed = nx.betweenness_centrality(graph, k=sample, normalized=True, seed=SEED)
        betweenness = {node: float(value) for node, value in computed.items()}
    if memo is not None:
        memo.remember(key, betweenness)
    return betweenness


def centrality(
    projection: Projection,
    top: int = 15,
    *,
    leave_out: frozenset[str] = frozenset(),
    memo: Memo | None = None,
) -> tuple[Centrality, ...]:
    """The entities with the highest degree, with their normalised betweenness.

    Entities in ``leave_out`` (bookkeeping) count in the graph but are not ranked.

    Exact up to EXACT_BETWEENNESS nodes (O(nodes x edges)); on bigger graphs (bulk tables)
    estimated from PIVOTS source nodes drawn with a fixed seed, so it stays reproducible.
    """
    graph = projection.graph
    sample = PIVOTS if graph.number_of_nodes() > EXACT_BETWEENNESS else None
    betweenness = _betweenness(graph, sample, memo)
    ranked = sorted(
        (n for n in graph.nodes if n not in leave_out),
        key=lambda n: (-graph.degree[n], -round(betweenness[n], TIE_DIGITS), n),
    )[:top]
    return tuple(
        Centrality(n, graph.nodes[n]["label_en"], graph.degree[n], round(betweenness[n], 4))
        for n in ranked
    )


def is_tree(projection: Projection) -> bool:
    graph = projection.graph
    return graph.number_of_nodes() > 0 and bool(nx.is_arborescence(graph))


def analyse(store: Store, *, memo: Memo | None = None) -> Analysis:
    """Every projection and measure, read from ``store`` (the slow ones kept in ``memo``)."""
    entities = _entities(store)
    projections = (
        admin_hierarchy(store, entities),
        province_dimensions(store, entities),
        infrastructure_areas(store, entities),
        statement_sources(store, entities),
        entity_graph(store, entities),
    )
    by_name = {p.name: p for p in projections}
    entity = by_name["entities"]
    support = by_name["statement-sources"]
    shared, conflicts = observation_agreements(store)
    measures = Measures(
        top10=top10_membership(by_name["province-dimensions"]),
        coverage_areas=coverage(support, "area/"),
        coverage_indicators=coverage(support, "indicator/"),
        components=tuple(
            sorted((len(c) for c in nx.connected_components(entity.graph)), reverse=True)
        ),
        isolated=tuple(sorted(nx.isolates(entity.graph))),
        central=centrality(entity, leave_out=bookkeeping(store), memo=memo),
        agreements=group_agreements(store),
        shared_observations=shared,
        conflicting_observations=conflicts,
        hierarchy_is_tree=is_tree(by_name["admin-hierarchy"]),
        betweenness_pivots=PIVOTS if entity.graph.number_of_nodes() > EXACT_BETWEENNESS else 0,
        nodes={p.name: p.graph.number_of_nodes() for p in projections},
        edges={p.name: p.graph.number_of_edges() for p in projections},
    )
    labels = {n: (a["label_en"], a["label_zh"]) for n, a in entities.items()}
    return Analysis(projections, measures, labels)

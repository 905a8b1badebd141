"""Where sources agree and where they conflict: group claims compared member by member, and
observations that two sources give for the same area, indicator, kind and time.

Read from the embedded store with SPARQL; topics are named with the labels of the data (a
dimension) or of the ontology (a group kind such as ``dckg:EvaluatedAreas``), so that a
reader never sees a raw id. Everything is sorted, so the measures are the same from one
build to the next.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import Store

from kg.store import select
from kg.vocab import node_id

# The prefixes of the SPARQL queries here and in kg.analyse.
PREFIXES = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_ALL_GROUPS = (
    PREFIXES
    + """
SELECT ?claim ?kind ?about ?dimension ?source ?member ?declared WHERE {
  ?claim a dckg:GroupClaim ; dckg:groupKind ?kind ; prov:wasDerivedFrom ?source .
  OPTIONAL { ?claim dckg:about ?about }
  OPTIONAL { ?claim dckg:dimension ?dimension }
  OPTIONAL { ?claim dckg:member ?member }
  OPTIONAL { ?claim dckg:declaredCount ?declared }
}
"""
)

_LABELS = (
    PREFIXES
    + """
SELECT ?term (MIN(?en) AS ?label_en) (MIN(?zh) AS ?label_zh) WHERE {
  VALUES ?term { %s }
  OPTIONAL { ?term rdfs:label ?en . FILTER (lang(?en) = "en") }
  OPTIONAL { ?term rdfs:label ?zh . FILTER (lang(?zh) = "zh") }
} GROUP BY ?term
"""
)

_OBSERVATIONS = (
    PREFIXES
    + """
SELECT ?statement ?source ?area ?indicator ?kind ?value ?qualifier ?period ?reported WHERE {
  ?statement a dckg:Observation ; prov:wasDerivedFrom ?source ; dckg:area ?area ;
             dckg:indicator ?indicator ; dckg:statementKind ?kind ; dckg:value ?value ;
             dckg:qualifier ?qualifier .
  OPTIONAL { ?statement dckg:refPeriod ?period }
  OPTIONAL { ?statement dckg:reportedOn ?reported }
}
"""
)


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri)[-1]


@dataclass(frozen=True)
class Agreement:
    """Two sources' claims about the same group: what both name and what only one names.

    ``jaccard`` is None when neither claim lists its members: there is nothing to compare,
    and ``agree`` then says whether their declared counts (``declared``) are the same.
    """

    topic: str  # a dimension's node id, or the local name of the group kind
    topic_en: str
    topic_zh: str
    source_a: str
    source_b: str
    shared: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    jaccard: float | None
    agree: bool
    declared: tuple[str, str] | None = None  # both declared counts ("?" where one is missing)

    @property
    def title(self) -> str:
        """The topic for people: its labels, and the declared counts where they were compared."""
        return self._titled(f"{self.topic_en} {self.topic_zh}".strip())

    @property
    def title_en(self) -> str:
        """The topic's English label, and the declared counts where they were compared."""
        return self._titled(self.topic_en)

    def _titled(self, title: str) -> str:
        if self.declared is not None:
            title += f" (declared count {self.declared[0]} / {self.declared[1]})"
        return title


@dataclass(frozen=True)
class Conflict:
    """Two sources' observations of the same area, indicator, kind and time whose values differ."""

    area: str
    indicator: str
    kind: str  # the statement kind's English label
    time: str  # the period's node id, or the date the figures were reported on
    value_a: str
    qualifier_a: str  # the qualifier's English label: exact, lower bound ...
    source_a: str
    value_b: str
    qualifier_b: str
    source_b: str


def _labels(store: Store, iris: set[str]) -> dict[str, tuple[str, str]]:
    if not iris:
        return {}
    rows = select(store, _LABELS % " ".join(f"<{iri}>" for iri in sorted(iris)))
    return {row["term"]: (row["label_en"] or "", row["label_zh"] or "") for row in rows}


def group_agreements(store: Store) -> tuple[Agreement, ...]:
    """Pairs of group claims by different sources on the same group, and how far they agree.

    The same group is the same evaluation and dimension, or, for claims without a dimension,
    the same evaluation and group kind. Claims that list no members are compared by their
    declared counts.
    """
    members: dict[str, set[str]] = defaultdict(set)
    declared: dict[str, str] = {}
    keys: dict[str, tuple[str, str]] = {}
    topics: dict[str, str] = {}  # claim -> the IRI its topic is labelled by
    sources: dict[str, str] = {}
    for row in select(store, _ALL_GROUPS):
        claim = node_id(row["claim"])
        if not row["about"]:
            continue
        topic = node_id(row["dimension"]) if row["dimension"] else local_name(row["kind"])
        keys[claim] = (node_id(row["about"]), topic)
        topics[claim] = row["dimension"] or row["kind"]
        sources[claim] = node_id(row["source"])
        if row["member"]:
            members[claim].add(node_id(row["member"]))
        if row["declared"]:
            declared[claim] = row["declared"]
    labels = _labels(store, set(topics.values()))
    found = []
    claims = sorted(keys)
    for index, a in enumerate(claims):
        for b in claims[index + 1 :]:
            if keys[a] != keys[b] or sources[a] == sources[b]:
                continue
            if sources[a] > sources[b]:
                a, b = b, a
            ma, mb = members[a], members[b]
            en, zh = labels.get(topics[a]) or (keys[a][1], "")
            if not ma and not mb:
                counts = (declared.get(a, "?"), declared.get(b, "?"))
                same = a in declared and declared.get(a) == declared.get(b)
                found.append(
                    Agreement(
                        keys[a][1], en, zh, sources[a], sources[b], (), (), (), None, same, counts
                    )
                )
                continue
            found.append(
                Agreement(
                    keys[a][1],
                    en,
                    zh,
                    sources[a],
                    sources[b],
                    tuple(sorted(ma & mb)),
                    tuple(sorted(ma - mb)),
                    tuple(sorted(mb - ma)),
                    round(len(ma & mb) / len(ma | mb), 4),
                    ma == mb,
                )
            )
    return tuple(sorted(found, key=lambda g: (g.topic, g.source_a, g.source_b)))


def observation_agreements(store: Store) -> tuple[int, tuple[Conflict, ...]]:
    """Observations by two sources for the same area, indicator, kind and time.

    Returns how many such pairs there are and each pair whose values differ (a lower bound
    agrees with any value at or above it).
    """
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in select(store, _OBSERVATIONS):
        key = (row["area"], row["indicator"], row["kind"], row["period"] or row["reported"])
        groups[key].append(row)
    terms = {key[2] for key in groups} | {r["qualifier"] for rows in groups.values() for r in rows}
    labels = _labels(store, terms)

    def label(iri: str) -> str:
        return (labels.get(iri) or (local_name(iri), ""))[0]

    shared = 0
    conflicts = []
    for (area, indicator, kind, time), rows in sorted(groups.items()):
        for index, a in enumerate(rows):
            for b in rows[index + 1 :]:
                if a["source"] == b["source"]:
                    continue
                shared += 1
                if _compatible(a, b):
                    continue
                if a["source"] > b["source"]:
                    a, b = b, a
                conflicts.append(
                    Conflict(
                        node_id(area),
                        node_id(indicator),
                        label(kind),
                        node_id(time),
                        a["value"],
                        label(a["qualifier"]),
                        node_id(a["source"]),
                        b["value"],
                        label(b["qualifier"]),
                        node_id(b["source"]),
                    )
                )
    return shared, tuple(sorted(conflicts, key=lambda c: (c.area, c.indicator, c.kind, c.time)))


def _compatible(a: dict[str, str], b: dict[str, str]) -> bool:
    va, vb = float(a["value"]), float(b["value"])
    lower_a, lower_b = a["qualifier"].endswith("LowerBound"), b["qualifier"].endswith("LowerBound")
    if lower_a and lower_b:
        return True
    if lower_a:
        return vb >= va
    if lower_b:
        return va >= vb
    return va == vb

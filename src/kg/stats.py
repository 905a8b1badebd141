"""Counts that describe a built graph: by class, by source, by indicator."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Store

from kg.store import select

_BY_CLASS = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER (?g != <https://w3id.org/dckg/graph/ontology>)
} GROUP BY ?class ORDER BY DESC(?count) ?class
"""

_BY_SOURCE = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?label (COUNT(DISTINCT ?st) AS ?count) WHERE {
  ?st prov:wasDerivedFrom ?source .
  ?source rdfs:label ?label . FILTER (lang(?label) = "en")
} GROUP BY ?source ?label ORDER BY ?source
"""

_BY_INDICATOR = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?indicator ?label (COUNT(DISTINCT ?st) AS ?count) WHERE {
  ?st dckg:indicator ?indicator .
  ?indicator rdfs:label ?label . FILTER (lang(?label) = "en")
} GROUP BY ?indicator ?label ORDER BY DESC(?count) ?indicator
"""


@dataclass(frozen=True)
class Stats:
    by_class: list[dict[str, str]]
    by_source: list[dict[str, str]]
    by_indicator: list[dict[str, str]]


def graph_stats(store: Store) -> Stats:
    return Stats(
        by_class=select(store, _BY_CLASS),
        by_source=select(store, _BY_SOURCE),
        by_indicator=select(store, _BY_INDICATOR),
    )

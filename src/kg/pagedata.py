"""What the report's pages show, read from the embedded store with SPARQL.

:func:`statements` gives every statement with its areas and quotes; :func:`facts` the
codes and links of each area and the titles and dates of each source. Sorted, so that the
pages are the same from one build to the next.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Store

from kg.store import select
from kg.vocab import node_id

_PREFIXES = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_STATEMENTS = (
    _PREFIXES
    + """
SELECT ?st ?class ?en ?zh ?source ?value ?unit ?qualifier ?time WHERE {
  ?st prov:wasDerivedFrom ?source .
  VALUES ?class { dckg:Observation dckg:GroupClaim dckg:FactClaim }
  ?st a ?class .
  OPTIONAL { ?st rdfs:label ?en . FILTER (lang(?en) = "en") }
  OPTIONAL { ?st rdfs:label ?zh . FILTER (lang(?zh) = "zh") }
  OPTIONAL { ?st dckg:value ?value }
  OPTIONAL { ?st dckg:unit/rdfs:label ?unit . FILTER (lang(?unit) = "en") }
  OPTIONAL { ?st dckg:qualifier/rdfs:label ?qualifier . FILTER (lang(?qualifier) = "en") }
  OPTIONAL { ?st dckg:refPeriod/rdfs:label ?period . FILTER (lang(?period) = "en") }
  OPTIONAL { ?st dckg:reportedOn ?reported }
  BIND (COALESCE(?period, CONCAT("as reported on ", STR(?reported)), "") AS ?time)
}
"""
)

_TOPICS = _PREFIXES + "SELECT ?st ?area WHERE { ?st dckg:area|dckg:member ?area }"

_QUOTES = (
    _PREFIXES
    + """
SELECT ?st ?quote ?exact ?lang ?translation ?page WHERE {
  ?st dckg:evidence ?quote . ?quote oa:exact ?exact . BIND (lang(?exact) AS ?lang)
  OPTIONAL { ?quote dckg:curatorTranslation ?translation }
  OPTIONAL { ?quote dckg:page ?page }
}
"""
)

_AREA_FACTS = (
    _PREFIXES
    + """
SELECT ?area ?code ?parent ?link WHERE {
  ?area a ?class .
  OPTIONAL { ?area dckg:adminCode ?code }
  OPTIONAL { ?area dckg:parentArea ?parent }
  OPTIONAL { ?area skos:exactMatch ?link }
  FILTER (STRSTARTS(STR(?area), "https://w3id.org/dckg/id/area/"))
}
"""
)

_SOURCE_FACTS = (
    _PREFIXES
    + """
SELECT ?source ?title ?published ?publisher ?based WHERE {
  VALUES ?class { dckg:Report dckg:NewsArticle }
  ?source a ?class .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source schema:datePublished ?published }
  OPTIONAL { ?source schema:publisher/rdfs:label ?publisher . FILTER (lang(?publisher) = "en") }
  OPTIONAL { ?source schema:isBasedOn ?based }
}
"""
)

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_LINKS = "SELECT ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }"


@dataclass(frozen=True)
class Quote:
    text: str
    lang: str
    translation: str
    page: str


@dataclass(frozen=True)
class Statement:
    id: str
    kind: str
    label_en: str
    label_zh: str
    source: str
    value: str
    unit: str
    qualifier: str
    time: str
    areas: tuple[str, ...]
    quotes: tuple[Quote, ...]


def statements(store: Store) -> list[Statement]:
    """Every statement with its areas and quotes, sorted by id."""
    topics: dict[str, set[str]] = defaultdict(set)
    for row in select(store, _TOPICS):
        topics[row["st"]].add(node_id(row["area"]))
    quotes: dict[str, set[Quote]] = defaultdict(set)
    for row in select(store, _QUOTES):
        quotes[row["st"]].add(Quote(row["exact"], row["lang"], row["translation"], row["page"]))
    found = {}
    for row in select(store, _STATEMENTS):
        found[row["st"]] = Statement(
            node_id(row["st"]),
            row["class"].rsplit("#", 1)[-1],
            row["en"],
            row["zh"],
            node_id(row["source"]),
            row["value"],
            row["unit"],
            row["qualifier"],
            row["time"],
            tuple(sorted(topics[row["st"]])),
            tuple(sorted(quotes[row["st"]], key=lambda q: (q.page, q.lang, q.text))),
        )
    return [found[k] for k in sorted(found)]


def facts(store: Store) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(area id -> code and links, source id -> titles, date, publisher, original)."""
    areas: dict[str, dict[str, Any]] = defaultdict(lambda: {"links": set()})
    for row in select(store, _AREA_FACTS):
        area = areas[node_id(row["area"])]
        area["code"] = row["code"]
        if row["link"]:
            area["links"].add(row["link"])
    sources: dict[str, dict[str, Any]] = defaultdict(lambda: {"titles": set()})
    for row in select(store, _SOURCE_FACTS):
        source = sources[node_id(row["source"])]
        if row["title"]:
            source["titles"].add(row["title"])
        source["published"] = row["published"]
        source["publisher"] = row["publisher"]
        source["based"] = node_id(row["based"]) if row["based"] else ""
    return areas, sources


def triple_count(store: Store) -> str:
    """Distinct triples in the union of the named graphs, as the store writes the number."""
    return select(store, _TRIPLES)[0]["n"]


def links_by_target(store: Store) -> list[tuple[str, int]]:
    """``skos:exactMatch`` links counted by the host they point to, sorted by host."""
    targets: dict[str, int] = defaultdict(int)
    for row in select(store, _LINKS):
        targets[row["o"].split("/")[2] if "://" in row["o"] else row["o"]] += 1
    return sorted(targets.items())

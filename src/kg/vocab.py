"""Namespaces and IRI minting: every data IRI is made here, from a kind and a slug.

Data IRIs are readable and deterministic: ``https://w3id.org/dckg/id/<kind>/<slug>``.
Slugs are checked once, so that two distinct keys can never give one IRI. The strings
(prefixes, slugs, ``Shortener``) are :mod:`kg.prefixes`'s, re-exported here.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from kg.prefixes import BASE as BASE
from kg.prefixes import DATA, GRAPHS, ONTOLOGY, SLUG
from kg.prefixes import KINDS as KINDS
from kg.prefixes import PREFIXES as PREFIXES
from kg.prefixes import SLUG_PATH as SLUG_PATH
from kg.prefixes import Shortener as Shortener
from kg.prefixes import is_slug as is_slug

DCKG = Namespace(ONTOLOGY)
ID = Namespace(DATA)
GRAPH = Namespace(GRAPHS)
SCHEMA = Namespace(PREFIXES["schema"])
OA = Namespace(PREFIXES["oa"])
QUDT = Namespace(PREFIXES["qudt"])
UNIT = Namespace(PREFIXES["unit"])
SH = Namespace(PREFIXES["sh"])


def mint(kind: str, *slugs: str) -> URIRef:
    """The data IRI of a thing of ``kind`` named by ``slugs``.

    >>> mint("area", "henan")
    rdflib.term.URIRef('https://w3id.org/dckg/id/area/henan')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}")
    for slug in slugs:
        if not SLUG.fullmatch(slug):
            raise ValueError(f"not a slug: {slug!r}")
    return URIRef(f"{ID}{kind}/{'/'.join(slugs)}")


def graph_iri(*slugs: str) -> URIRef:
    """The IRI of a named graph: ``graph/ontology``, ``graph/source/<id>`` ..."""
    for slug in slugs:
        if not SLUG.fullmatch(slug):
            raise ValueError(f"not a slug: {slug!r}")
    return URIRef(f"{GRAPH}{'/'.join(slugs)}")


ONTOLOGY_GRAPH = graph_iri("ontology")
REFERENCE_GRAPH = graph_iri("reference")
LINKS_GRAPH = graph_iri("links")


def node_id(iri: str) -> str:
    """``https://w3id.org/dckg/id/area/henan`` -> ``area/henan``; other IRIs are kept whole."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri

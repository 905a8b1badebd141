"""Namespaces and IRI minting: every data IRI is made here, from a kind and a slug.

Data IRIs are readable and deterministic: ``https://w3id.org/dckg/id/<kind>/<slug>``.
Slugs are checked once, so that two distinct keys can never give one IRI. ``Shortener``
writes IRIs back as prefixed names for people to read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/dckg/"
DCKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "dckg": str(DCKG),
    "id": str(ID),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "time": str(TIME),
    "oa": str(OA),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}

# A slug: lowercase ASCII letters, digits and hyphens, segments joined by "/".
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
SLUG_PATH = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")

KINDS = frozenset(
    {
        "area",
        "unit",
        "indicator",
        "period",
        "dataset",
        "software",
        "plan",
        "dimension",
        "scheme",
        "evaluation",
        "org",
        "person",
        "infrastructure",
        "source",
        "statement",
        "quote",
        "section",
        "table",
    }
)


def is_slug(text: str) -> bool:
    """True if ``text`` can be used as one segment of a data IRI."""
    return bool(SLUG.fullmatch(text))  # not match(): "$" lets a final newline in


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


class Shortener:
    """Writes IRIs as prefixed names where a known prefix fits (for people to read, not parse)."""

    def __init__(self, prefixes: Mapping[str, str] = PREFIXES) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>" if iri.startswith(("http://", "https://", "urn:")) else iri

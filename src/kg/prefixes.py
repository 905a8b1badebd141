"""The project's IRIs as plain text: namespaces, prefixes, slugs and IRI kinds (no rdflib).

What a command that never builds a graph needs (``kg query`` binds ``area=henan`` to an IRI,
result tables shorten IRIs to prefixed names), without importing rdflib; :mod:`kg.vocab`
makes rdflib namespaces of the same strings and mints the IRIs.

>>> Shortener()("https://w3id.org/dckg/id/area/henan")
'id:area/henan'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

BASE = "https://w3id.org/dckg/"
ONTOLOGY = BASE + "ontology#"
DATA = BASE + "id/"
GRAPHS = BASE + "graph/"

# Prefix -> namespace, for SPARQL headers, Turtle and the prefixed names people read. The
# standard namespaces are rdflib's (a test checks that they are the same strings).
PREFIXES: dict[str, str] = {
    "dckg": ONTOLOGY,
    "id": DATA,
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# A slug: lowercase ASCII letters, digits and hyphens, segments joined by "/".
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
SLUG_PATH = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")

# The kinds of thing a data IRI names: https://w3id.org/dckg/id/<kind>/<slug>.
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


class Shortener:
    """Writes IRIs as prefixed names where a known prefix fits (for people to read, not parse)."""

    def __init__(self, prefixes: Mapping[str, str] = PREFIXES) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>" if iri.startswith(("http://", "https://", "urn:")) else iri

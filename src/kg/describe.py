"""The VoID / DCAT description of a build (``void.ttl``): counts, graphs, licence, tool version."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, VOID, XSD

from kg._version import __version__
from kg.build import DCKG_LICENCE
from kg.quadset import QuadSet, Triple
from kg.vocab import BASE, DCKG, GRAPH, ID, PREFIXES, SCHEMA, mint

PAV = "http://purl.org/pav/"
SD = "http://www.w3.org/ns/sparql-service-description#"
DATASET = mint("dataset", "dckg")
VOID_PREFIXES = {"pav": PAV, "sd": SD}  # void.ttl's prefixes besides the project's own


def _slug(iri: str) -> str:
    """A slug for a class IRI: dckg:FiveYearPlan -> dckg-five-year-plan."""
    prefix, local = "x", iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    for candidate, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            prefix, local = candidate, iri[len(namespace) :]
            break
    local = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()
    local = re.sub(r"[^a-z0-9]+", "-", local).strip("-")
    return f"{prefix}-{local}"


def describe(curated: QuadSet, tables: dict[str, tuple[int, int]] | None = None) -> list[Triple]:
    """A VoID description of the ``curated`` graphs and of streamed tables, as triples.

    ``tables`` maps each table id to (triples, rows) of what was streamed. Triples, not an
    rdflib Graph: with a thousand sources the description is 7,000 triples, and adding them
    to a Graph took longer than writing them (:data:`VOID_PREFIXES` are its Turtle prefixes
    besides the project's).
    """
    tables = tables or {}
    table_triples = sum(t for t, _ in tables.values())
    table_entities = sum(rows for _, rows in tables.values()) + len(tables)
    void: list[Triple] = []
    add = void.append
    d = DATASET
    add((d, RDF.type, VOID.Dataset))
    add((d, RDF.type, DCAT.Dataset))
    add((d, RDFS.label, Literal("Digital China Knowledge Graph", lang="en")))
    add((d, RDFS.label, Literal("数字中国知识图谱", lang="zh")))
    add((d, DCTERMS.title, Literal("Digital China Knowledge Graph", lang="en")))
    add((d, DCTERMS.title, Literal("数字中国知识图谱", lang="zh")))
    add((d, DCTERMS.license, DCKG_LICENCE))
    add((d, VOID.uriSpace, Literal(str(ID))))
    add((d, VOID.vocabulary, URIRef(BASE + "ontology")))
    tool = mint("software", f"dckg-{__version__.replace('.', '-')}")
    add((d, URIRef(PAV + "createdWith"), tool))
    add((tool, RDF.type, SCHEMA.SoftwareApplication))
    add((tool, RDFS.label, Literal(f"dckg {__version__}", lang="en")))
    add((tool, RDFS.label, Literal(f"dckg {__version__}", lang="zh")))
    add((tool, SCHEMA.softwareVersion, Literal(__version__)))

    union = curated.union
    subjects = {s for s, _, _ in union}
    entities = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    add((d, VOID.triples, Literal(len(union) + table_triples, datatype=XSD.integer)))
    add((d, VOID.entities, Literal(len(entities) + table_entities, datatype=XSD.integer)))
    add((d, VOID.distinctSubjects, Literal(len(subjects) + table_entities, datatype=XSD.integer)))
    predicates = {p for _, p, _ in union}
    add((d, VOID.properties, Literal(len(predicates), datatype=XSD.integer)))
    classes = set(curated.instances())
    if tables:
        classes |= {DCKG.Observation, DCKG.StatisticalTable}
    streamed = {DCKG.Observation: table_entities - len(tables), DCKG.StatisticalTable: len(tables)}
    add((d, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    documents = curated.subjects_of_type(DCKG.NewsArticle) | curated.subjects_of_type(DCKG.Report)
    for source in sorted(documents, key=str):
        add((d, DCTERMS.source, source))

    sizes = curated.graph_sizes()
    for name in sorted(sizes, key=str):
        if not isinstance(name, URIRef) or not str(name).startswith(str(GRAPH)):
            continue
        slugs = str(name)[len(str(GRAPH)) :].split("/")
        subset = mint("dataset", "dckg", "graph", *slugs)
        add((d, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, URIRef(SD + "name"), name))
        add((subset, VOID.triples, Literal(sizes[name], datatype=XSD.integer)))
        add((subset, RDFS.label, Literal(f"named graph {'/'.join(slugs)}", lang="en")))
        add((subset, RDFS.label, Literal(f"命名图 {'/'.join(slugs)}", lang="zh")))

    homepages = {"wikidata": "https://www.wikidata.org/", "geonames": "https://www.geonames.org/"}
    targets = {
        "wikidata": "http://www.wikidata.org/entity/",
        "geonames": "https://sws.geonames.org/",
    }
    matches = [(s, o) for s, p, o in union if p == SKOS.exactMatch]
    for target, namespace in targets.items():
        links = [(s, o) for s, o in matches if str(o).startswith(namespace)]
        if not links:
            continue
        linkset = mint("dataset", "dckg", "linkset", target)
        add((d, VOID.subset, linkset))
        add((linkset, RDF.type, VOID.Linkset))
        add((linkset, RDFS.label, Literal(f"links to {target}", lang="en")))
        add((linkset, RDFS.label, Literal(f"到{target}的链接", lang="zh")))
        add((linkset, VOID.subjectsTarget, d))
        other = mint("dataset", target)
        add((linkset, VOID.objectsTarget, other))
        add((other, RDF.type, VOID.Dataset))
        title = {"wikidata": "Wikidata", "geonames": "GeoNames"}[target]
        add((other, RDFS.label, Literal(title, lang="en")))
        add((other, RDFS.label, Literal(title, lang="zh")))
        add((other, FOAF.homepage, URIRef(homepages[target])))
        add((linkset, VOID.linkPredicate, SKOS.exactMatch))
        add((linkset, VOID.triples, Literal(len(links), datatype=XSD.integer)))
        add((linkset, URIRef(SD + "name"), URIRef(str(GRAPH) + "links")))

    for table, (triples, rows) in sorted(tables.items()):
        subset = mint("dataset", "dckg", "graph", "table", table)
        add((d, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, URIRef(SD + "name"), URIRef(f"{GRAPH}table/{table}")))
        add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
        add((subset, VOID.entities, Literal(rows + 1, datatype=XSD.integer)))
        add((subset, RDFS.label, Literal(f"named graph table/{table}", lang="en")))
        add((subset, RDFS.label, Literal(f"命名图 table/{table}", lang="zh")))

    for cls in sorted(classes, key=str):
        if not isinstance(cls, URIRef):
            continue
        partition = mint("dataset", "dckg", "class", _slug(str(cls)))
        add((d, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        count = len(curated.subjects_of_type(cls)) + streamed.get(cls, 0)
        add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    return void

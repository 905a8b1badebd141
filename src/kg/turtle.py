"""Turtle text from plain triples: rdflib's Turtle writer's bytes in a fraction of its time.

rdflib's writer walks its store once per subject and once per term and works out an IRI's
prefixed name at every use; most of a curated build's Turtle time went there (3.2 s of 96,740
triples). This writer takes the triples as they are, indexes them once, and keeps rdflib's
layout rules exactly (tests/unit/test_turtle_writer.py holds it to rdflib's bytes):

- the prefixes used, sorted, one ``@prefix`` line each, and nothing made up;
- subjects typed ``rdfs:Class`` first, then by how often they are an object, then by term;
- ``rdf:type`` (as ``a``) and ``rdfs:label`` first among a subject's predicates, then the
  others in order; objects in term order, indented as rdflib does.

Graphs it does not cover are left to rdflib (:func:`write` returns None): blank nodes (rdflib
nests or lists them), a predicate whose namespace has no prefix (rdflib makes one up, ``ns1``)
and a prefix rdflib would rename (one starting with ``_``). The project's graphs have none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, NamespaceManager
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # must be escaped in a local name
_INDENT = "    "


class _NeedsRdflib(Exception):
    """The graph needs a rule of rdflib's writer that this one does not have."""


class _Names:
    """Prefixed names of IRIs, each worked out once, and the prefixes they used."""

    def __init__(self, namespaces: NamespaceManager) -> None:
        self._namespaces = namespaces
        self._names: dict[Node, str | None] = {}
        self._unprefixed: set[Node] = set()  # IRIs whose namespace has no prefix
        self.used: dict[str, str] = {}

    def __call__(self, iri: Node, *, verb: bool = False) -> str | None:
        try:
            name = self._names[iri]
        except KeyError:
            name = self._names[iri] = self._name(iri)
        if verb and iri in self._unprefixed:
            raise _NeedsRdflib  # rdflib would make a prefix up for this predicate
        return name

    def _name(self, iri: Node) -> str | None:
        """What rdflib's ``TurtleSerializer.get_pname`` gives, with no prefix made up."""
        if not isinstance(iri, URIRef):
            return None
        try:
            prefix, namespace, local = self._namespaces.compute_qname(iri, generate=False)
        except KeyError:  # its namespace has no prefix: rdflib makes one for a predicate
            self._unprefixed.add(iri)
            return self._whole(iri)
        except Exception:  # not splittable: a name only if it is a namespace itself
            return self._whole(iri)
        local = _LONE_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):
            return None
        self._use(prefix, str(namespace))
        return f"{prefix}:{local}"

    def _whole(self, iri: URIRef) -> str | None:
        prefix = self._namespaces.store.prefix(iri)
        if prefix is None:
            return None
        self._use(prefix, str(iri))
        return f"{prefix}:"

    def _use(self, prefix: str, namespace: str) -> None:
        if prefix.startswith("_") or self.used.setdefault(prefix, namespace) != namespace:
            raise _NeedsRdflib  # rdflib renames such a prefix (p_...)


def write(triples: Iterable[Triple], namespaces: NamespaceManager) -> str | None:
    """The Turtle text of ``triples`` with ``namespaces``' prefixes, or None (see the module)."""
    try:
        return _write(triples, namespaces)
    except _NeedsRdflib:
        return None


# rdflib's namespace attributes are looked up on each use (about 90,000 in a write of the
# project's graph): the terms the writer compares with, looked up once.
_TYPE, _NIL, _CLASS, _LABEL = RDF.type, RDF.nil, RDFS.Class, RDFS.label


def _write(triples: Iterable[Triple], namespaces: NamespaceManager) -> str:
    names = _Names(namespaces)
    by_subject: dict[Node, dict[Node, dict[Node, None]]] = {}
    references: Counter[Node] = Counter()
    classes: list[Node] = []
    for s, p, o in triples:
        if isinstance(s, BNode) or isinstance(o, BNode) or isinstance(p, BNode):
            raise _NeedsRdflib
        by_predicate = by_subject.setdefault(s, {})
        objects = by_predicate.setdefault(p, {})
        if o in objects:  # a triple given twice (a graph holds it once)
            continue
        objects[o] = None
        references[o] += 1
        if p == _TYPE and o == _CLASS:
            classes.append(s)
    # rdflib's first pass: a name for every subject, object and datatype, a made-up prefix
    # for a predicate (refused here); rdf:type as a predicate is written "a" and needs none.
    for s, by_predicate in by_subject.items():
        names(s)
        for p, objects in by_predicate.items():
            if p != _TYPE:
                names(p, verb=True)
            for o in objects:
                if isinstance(o, Literal):
                    if o.datatype is not None:
                        names(o.datatype)
                else:
                    names(o)

    literals: dict[Literal, str] = {}

    def label(node: Node) -> str:
        if node == _NIL:
            return "()"
        if isinstance(node, Literal):
            text = literals.get(node)
            if text is None:
                text = literals[node] = node._literal_n3(use_plain=True, qname_callback=names)
            return text
        return names(node) or node.n3()

    first = _in_order(set(classes))
    typed = set(first)
    rest = sorted((False, references[s], s) for s in by_subject if s not in typed)
    out = [
        f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(names.used.items())
    ]
    for subject in [*first, *(s for _, _, s in rest)]:
        by_predicate = by_subject[subject]
        out.append("\n" + label(subject))
        ordered: list[Node] = [p for p in (_TYPE, _LABEL) if p in by_predicate]
        ordered += _in_order(p for p in by_predicate if p != _TYPE and p != _LABEL)
        for number, predicate in enumerate(ordered):
            verb = "a" if predicate == _TYPE else label(predicate)
            out.append(f" {verb}" if number == 0 else f" ;\n{_INDENT}{verb}")
            in_order = _in_order(by_predicate[predicate])
            out.append(" " + label(in_order[0]))
            for obj in in_order[1:]:
                out.append(f",\n{_INDENT * 2}{label(obj)}")
        out.append(" .\n")
    out.append("\n")
    return "".join(out).encode("utf-8", "replace").decode("utf-8")


def _in_order(terms: Iterable[Node]) -> list[Node]:
    """Terms in rdflib's order (its terms compare by kind, then by value or text)."""
    return sorted(terms)  # type: ignore[type-var]

"""SPARQL-based constraints (sh:sparql): the project's two as Python, any other as a query.

pyshacl parses a constraint's query text again for every focus node (most of its time on the
project's data). Here a query whose text (whitespace aside) is one of the two that
ontology/shapes.ttl has (a different value for the same key; a declared member count that
differs from the members listed) runs as the Python below, which reads the same triples; any
other query is parsed once and run per focus node with rdflib, as pyshacl runs it. Either way
each row becomes a result as pyshacl makes it (value, message variables, duplicates dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import product

from rdflib import Literal, URIRef
from rdflib.namespace import Namespace
from rdflib.term import Node

from kg.shacl.compiler import Compiler, Evaluate, Found, Uncompilable
from kg.shacl.data import DataGraph, Key, key, term
from kg.vocab import DCKG, SH

PROV = Namespace("http://www.w3.org/ns/prov#")
_INDICATOR, _AREA, _KIND, _SOURCE = (
    str(DCKG.indicator),
    str(DCKG.area),
    str(DCKG.statementKind),
    str(PROV.wasDerivedFrom),
)
_VALUE, _PERIOD, _ABOUT = str(DCKG.value), str(DCKG.refPeriod), str(DCKG.about)
_MEMBER, _DECLARED = str(DCKG.member), str(DCKG.declaredCount)
Rows = Callable[[DataGraph, Key], list[dict[str, Key]]]
_COMPONENT = URIRef(f"{SH}SPARQLConstraintComponent")
_NONE = Literal("none")


def _normalised(query: str) -> str:
    return " ".join(query.split())


CONFLICT = _normalised("""
    SELECT $this ?other ?otherValue WHERE {
        $this dckg:indicator ?indicator ; dckg:area ?area ; dckg:statementKind ?kind ;
              prov:wasDerivedFrom ?source ; dckg:value ?value .
        ?other dckg:indicator ?indicator ; dckg:area ?area ; dckg:statementKind ?kind ;
               prov:wasDerivedFrom ?source ; dckg:value ?otherValue .
        FILTER (?other != $this && ?otherValue != ?value)
        OPTIONAL { $this dckg:refPeriod ?period }
        OPTIONAL { ?other dckg:refPeriod ?otherPeriod }
        FILTER (COALESCE(?period, "none") = COALESCE(?otherPeriod, "none"))
        OPTIONAL { $this dckg:about ?about }
        OPTIONAL { ?other dckg:about ?otherAbout }
        FILTER (COALESCE(?about, "none") = COALESCE(?otherAbout, "none"))
    }
""")

MEMBER_COUNT = _normalised("""
    SELECT $this ?declared ?listed WHERE {
        $this dckg:declaredCount ?declared .
        { SELECT $this (COUNT(DISTINCT ?member) AS ?listed) WHERE { $this dckg:member ?member } GROUP BY $this }
        FILTER (?listed > 0 && ?listed != ?declared)
    }
""")


def _number(node: Key) -> int | float | Decimal | None:
    if isinstance(node, Literal):
        value = node.value
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return value
    return None


def _differ(a: Key, b: Key) -> bool:
    """SPARQL's ``a != b`` where it is true (false where it is false or an error)."""
    if a == b:
        return False
    if not (isinstance(a, Literal) and isinstance(b, Literal)):
        return True  # an IRI or blank node and another term: different terms
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        if isinstance(x, float) or isinstance(y, float):
            return float(x) != float(y)
        return x != y
    if a.datatype == b.datatype and a.language == b.language and a.value is not None:
        return bool(a.value != b.value)
    return False  # literals that SPARQL cannot compare: an error, so no row


_KEYS = (_INDICATOR, _AREA, _KIND, _SOURCE)


def _groups(data: DataGraph) -> dict[tuple[Key, ...], list[Key]]:
    """The nodes by each (indicator, area, kind, source) they have, worked out once a graph."""
    found = data.memo.get("conflict-groups")
    if found is None:
        groups: dict[tuple[Key, ...], list[Key]] = {}
        for node in data.subjects_of(_INDICATOR):
            for combination in product(*(data.objects(node, k) for k in _KEYS)):
                groups.setdefault(combination, []).append(node)
        found = data.memo["conflict-groups"] = groups
    return found  # type: ignore[return-value]


def _conflicts(data: DataGraph, this: Key) -> list[dict[str, Key]]:
    """Rows of CONFLICT for one focus node."""
    values = data.objects(this, _VALUE)
    if not values:
        return []
    groups = _groups(data)
    candidates: dict[Key, None] = {}
    for combination in product(*(data.objects(this, k) for k in _KEYS)):
        candidates.update(dict.fromkeys(groups.get(combination, ())))
    periods = list(data.objects(this, _PERIOD)) or [_NONE]
    abouts = list(data.objects(this, _ABOUT)) or [_NONE]
    rows = []
    for other in candidates:
        if not _differ(other, this):
            continue
        if not any(p in periods for p in data.objects(other, _PERIOD) or [_NONE]):
            continue
        if not any(a in abouts for a in data.objects(other, _ABOUT) or [_NONE]):
            continue
        for other_value in data.objects(other, _VALUE):
            if any(_differ(other_value, value) for value in values):
                rows.append({"this": this, "other": other, "otherValue": other_value})
    return rows


def _member_counts(data: DataGraph, this: Key) -> list[dict[str, Key]]:
    """Rows of MEMBER_COUNT for one focus node."""
    listed = len(data.objects(this, _MEMBER))
    if not listed:
        return []
    rows = []
    for declared in data.objects(this, _DECLARED):
        number = _number(declared)
        differs = (
            number is not None and number != listed
            if isinstance(declared, Literal)
            else True  # an IRI is never equal to a number
        )
        if differs:
            rows.append({"this": this, "declared": declared, "listed": Literal(listed)})
    return rows


_KNOWN: dict[str, Rows] = {CONFLICT: _conflicts, MEMBER_COUNT: _member_counts}


def _as_query(compiler: Compiler, constraint: Node, select: str) -> Rows:
    """Any other SELECT: parsed once, run per focus node with $this bound, as pyshacl runs it."""
    if re.search(r"[$?](shapesGraph|currentShape|path)\b", select):
        raise Uncompilable("a SPARQL constraint that uses $shapesGraph, $currentShape or $path")
    prefixes = []
    for declared in compiler.graph.objects(constraint, SH.prefixes):
        for entry in compiler.graph.objects(declared, SH.declare):
            prefix = compiler.value(entry, SH.prefix)
            namespace = compiler.value(entry, SH.namespace)
            prefixes.append(f"PREFIX {prefix}: <{namespace}>")
    from rdflib.plugins.sparql import prepareQuery  # 0.5 s of imports: only for such a query

    query = prepareQuery("\n".join([*prefixes, select]))

    def rows(data: DataGraph, this: Key) -> list[dict[str, Key]]:
        bindings: dict[str, Node] = {"this": term(this)}
        answer = data.rdflib_graph().query(query, initBindings=bindings)  # type: ignore[arg-type]
        return [{str(k): key(v) for k, v in row.asdict().items()} for row in answer]  # type: ignore[union-attr]

    return rows


def sparql_constraint(compiler: Compiler, shape: Node, constraint: Node) -> Evaluate:
    """One sh:sparql constraint of ``shape`` as a compiled constraint."""
    g = compiler.graph
    select = compiler.value(constraint, SH.select)
    if select is None:
        raise Uncompilable(f"{constraint}: a SPARQL constraint without sh:select")
    if any(
        isinstance(d, Literal) and d.value is True for d in g.objects(constraint, SH.deactivated)
    ):
        return _nothing
    if compiler.value(shape, SH.path) is not None:
        raise Uncompilable(f"{shape}: a SPARQL constraint on a property shape")
    extra = tuple(str(m) for m in g.objects(constraint, SH.message))
    if not extra and compiler.value(shape, SH.message) is None:
        raise Uncompilable(f"{constraint}: a SPARQL constraint without a message")
    rows = _KNOWN.get(_normalised(str(select))) or _as_query(compiler, constraint, str(select))

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        seen: list[tuple[Key | None, Key | None, dict[str, Key]]] = []
        failed = False
        for row in rows(data, focus):
            if row.pop("failure", None) is not None:
                if not failed:
                    failed = True
                    yield focus, _COMPONENT, dict(row), extra
                continue
            this = row.pop("this", None)
            value = row.pop("value", None)
            if this is None and value is None:
                continue
            if (this, value, row) in seen:
                continue
            seen.append((this, value, row))
            shown = value if value is not None else focus
            bound = {**row, "this": this or focus, "value": shown}
            yield shown, _COMPONENT, bound, extra

    return evaluate


def _nothing(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
    return iter(())

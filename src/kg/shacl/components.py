"""The SHACL Core constraint components, each compiled into a function of the value nodes.

Each follows pyshacl 0.40's reading of the spec where the two could differ (which values a
result names, how a language tag or a datatype matches, how literals compare), so that the
results are pyshacl's; a test compares them on every graph of the corpora.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kg.shacl.compiler import Builder, Compiler, Evaluate, Found, Uncompilable
from kg.shacl.data import DataGraph, Key, key
from kg.vocab import SH


def _component(name: str) -> URIRef:
    return URIRef(f"{SH}{name}ConstraintComponent")


# --- value type and node kind ---------------------------------------------------------------


def _class(compiler: Compiler, shape: Node, cls: Node) -> Evaluate:
    component = _component("Class")
    wanted_class = key(cls)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if isinstance(v, Literal) or not data.is_instance(v, wanted_class):
                yield v, component, None, ()

    return evaluate


_ACTUAL: dict[Key, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _datatype_matches(v: Key, wanted: Node) -> bool:
    """pyshacl's DatatypeConstraintComponent on one value (ill-typed literals fail)."""
    if not isinstance(v, Literal):
        return False
    actual = _ACTUAL.get(wanted)
    if v.datatype == wanted:
        if getattr(v, "ill_typed", None) is True:
            return False
        return actual is None or isinstance(v.value, actual)
    if wanted == RDFS.Literal:
        return True
    if wanted == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and wanted == XSD.string:
        return isinstance(v.value, (str, bytes))
    if wanted == RDF.langString and v.language:
        return isinstance(v.value, (str, bytes))
    return False


def _datatype(compiler: Compiler, shape: Node, wanted: Node) -> Evaluate:
    component = _component("Datatype")

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if not _datatype_matches(v, wanted):
                yield v, component, None, ()

    return evaluate


_KINDS: dict[Node, str] = {
    SH.IRI: "I",
    SH.BlankNode: "B",
    SH.Literal: "L",
    SH.BlankNodeOrIRI: "BI",
    SH.BlankNodeOrLiteral: "BL",
    SH.IRIOrLiteral: "IL",
}


def _kind(v: Key) -> str:
    return "L" if isinstance(v, Literal) else "B" if isinstance(v, BNode) else "I"


def _node_kind(compiler: Compiler, shape: Node, kind: Node) -> Evaluate:
    component = _component("NodeKind")
    allowed = _KINDS.get(kind)
    if allowed is None:
        raise Uncompilable(f"sh:nodeKind {kind}")

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if _kind(v) not in allowed:
                yield v, component, None, ()

    return evaluate


# --- cardinality ----------------------------------------------------------------------------


def _count(name: str, within: Callable[[int, int], bool]) -> Builder:
    component = _component(name)

    def build(compiler: Compiler, shape: Node, bound: Node) -> Evaluate:
        if not isinstance(bound, Literal) or not isinstance(bound.value, int):
            raise Uncompilable(f"sh:{name} {bound}")
        limit = bound.value

        def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
            if not within(len(list(values)), limit):
                yield None, component, None, ()

        return evaluate

    return build


# --- value range ----------------------------------------------------------------------------


def _compare(v: Literal, bound: Literal) -> int:
    """-1, 0 or 1 as pyshacl's compare_literal, numbers directly."""
    a, b = v.value, bound.value
    numbers = (int, float, Decimal)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        if isinstance(a, float) != isinstance(b, float):  # mixed float and exact: as pyshacl
            a, b = float(a), float(b)
        return int((a > b) - (a < b))
    from pyshacl.rdfutil.compare import compare_literal  # dates and others: pyshacl's own

    return int(compare_literal(v, bound))  # type: ignore[no-untyped-call]


def _range(name: str, holds: Callable[[int], bool]) -> Builder:
    component = _component(name)

    def build(compiler: Compiler, shape: Node, bound: Node) -> Evaluate:
        if not isinstance(bound, Literal):
            raise Uncompilable(f"sh:{name} {bound}")
        bound_is_string = isinstance(bound.value, str)

        def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
            for v in values:
                ok = False
                if isinstance(v, Literal) and isinstance(v.value, str) == bound_is_string:
                    try:
                        ok = holds(_compare(v, bound))
                    except (TypeError, NotImplementedError):
                        ok = False
                if not ok:
                    yield v, component, None, ()

        return evaluate

    return build


# --- strings --------------------------------------------------------------------------------


def _as_string(v: Key) -> str:
    if (
        isinstance(v, Literal)
        and v.value is not None
        and v.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(v.value)
    return str(v)


def _length(name: str, within: Callable[[int, int], bool]) -> Builder:
    component = _component(name)

    def build(compiler: Compiler, shape: Node, bound: Node) -> Evaluate:
        if not isinstance(bound, Literal) or not isinstance(bound.value, int) or bound.value < 0:
            raise Uncompilable(f"sh:{name} {bound}")
        limit = bound.value

        def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
            for v in values:
                if name == "MinLength" and limit == 0:
                    continue
                if isinstance(v, BNode) or not within(len(_as_string(v)), limit):
                    yield v, component, None, ()

        return evaluate

    return build


def _pattern(compiler: Compiler, shape: Node, pattern: Node) -> Evaluate:
    component = _component("Pattern")
    flags_node = compiler.value(shape, SH.flags)
    flags = 0
    if isinstance(flags_node, Literal):
        text = str(flags_node.value).lower()
        for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
            if letter in text:
                flags |= flag
    regex = re.compile(str(pattern), flags)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if isinstance(v, BNode) or not regex.search(_as_string(v)):
                yield v, component, None, ()

    return evaluate


def _language_in(compiler: Compiler, shape: Node, languages: Node) -> Evaluate:
    component = _component("LanguageIn")
    wanted = {str(t.value).lower() for t in compiler.items(languages) if isinstance(t, Literal)}
    anything = "*" in wanted

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            lang = v.language if isinstance(v, Literal) else None
            if not (
                lang
                and (anything or lang.lower() in wanted or lang.split("-")[0].lower() in wanted)
            ):
                yield v, component, None, ()

    return evaluate


def _unique_lang(compiler: Compiler, shape: Node, flag: Node) -> Evaluate:
    component = _component("UniqueLang")
    on = isinstance(flag, Literal) and flag.value is True

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        if not on:
            return
        seen: set[str] = set()
        twice: set[str] = set()
        for v in values:
            if isinstance(v, Literal) and v.language:
                lang = v.language.lower()
                (twice if lang in seen else seen).add(lang)
        for _ in twice:
            yield None, component, None, ()

    return evaluate


# --- property pairs -------------------------------------------------------------------------


def _equals(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    component = _component("Equals")
    predicate = key(other)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        mine = set(values)
        theirs = set(data.objects(focus, predicate))
        for v in (*(mine - theirs), *(theirs - mine)):
            yield v, component, None, ()

    return evaluate


def _disjoint(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    component = _component("Disjoint")
    predicate = key(other)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        theirs = data.objects(focus, predicate)
        for v in values:
            if v in theirs:
                yield v, component, None, ()

    return evaluate


def _comparable(node: Key) -> tuple[object, bool]:
    if isinstance(node, BNode):
        raise Uncompilable("sh:lessThanOrEquals on a blank node")
    if isinstance(node, Literal):
        return (node.value, True) if isinstance(node.value, str) else (node, False)
    return str(node), True  # an IRI


def _less_than_or_equals(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    component = _component("LessThanOrEquals")
    if not isinstance(other, URIRef):
        raise Uncompilable("sh:lessThanOrEquals is not an IRI")
    predicate = key(other)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        theirs = list(data.objects(focus, predicate))
        for v in set(values):
            mine, mine_text = _comparable(v)
            for w in theirs:
                their, their_text = _comparable(w)
                if mine_text != their_text or not mine <= their:  # type: ignore[operator]
                    yield v, component, None, ()

    return evaluate


# --- other ----------------------------------------------------------------------------------


def _in(compiler: Compiler, shape: Node, members: Node) -> Evaluate:
    component = _component("In")
    allowed = {key(m) for m in compiler.items(members)}

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if v not in allowed:
                yield v, component, None, ()

    return evaluate


def _has_value(compiler: Compiler, shape: Node, wanted: Node) -> Evaluate:
    component = _component("HasValue")
    expected = key(wanted)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        if not any(v == expected for v in values):
            yield None, component, None, ()

    return evaluate


# --- shapes in shapes -----------------------------------------------------------------------


def _node(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    component = _component("Key")
    inner = compiler.shape(other)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if not inner.conforms(data, v):
                yield v, component, None, ()

    return evaluate


def _not(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    component = _component("Not")
    inner = compiler.shape(other)

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        for v in values:
            if inner.conforms(data, v):
                yield v, component, None, ()

    return evaluate


def _logical(name: str, holds: Callable[[int, int], bool]) -> Builder:
    """sh:and, sh:or, sh:xone: ``holds(conforming, members)`` for each value node."""
    component = _component(name)

    def build(compiler: Compiler, shape: Node, members: Node) -> Evaluate:
        inner = [compiler.shape(m) for m in compiler.items(members)]

        def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
            for v in values:
                if name == "Or":
                    ok = any(s.conforms(data, v) for s in inner)
                elif name == "And":
                    ok = all(s.conforms(data, v) for s in inner)
                else:
                    ok = holds(sum(s.conforms(data, v) for s in inner), len(inner))
                if not ok:
                    yield v, component, None, ()

        return evaluate

    return build


def _qualified(compiler: Compiler, shape: Node, other: Node) -> Evaluate:
    g = compiler.graph
    if any(
        isinstance(d, Literal) and d.value is True
        for d in g.objects(shape, SH.qualifiedValueShapesDisjoint)
    ):
        raise Uncompilable("sh:qualifiedValueShapesDisjoint true")
    inner = compiler.shape(other)
    bounds = []
    for parameter, name in ((SH.qualifiedMinCount, "Min"), (SH.qualifiedMaxCount, "Max")):
        for bound in g.objects(shape, parameter):
            if not isinstance(bound, Literal) or not isinstance(bound.value, int):
                raise Uncompilable(f"{parameter} {bound}")
            bounds.append((name, bound.value, _component(f"Qualified{name}Count")))

    def evaluate(data: DataGraph, focus: Key, values: Iterable[Key]) -> Iterator[Found]:
        conforming = sum(1 for v in values if inner.conforms(data, v))
        for name, limit, component in bounds:
            if (conforming < limit) if name == "Min" else (conforming > limit):
                yield None, component, None, ()

    return evaluate


COMPONENTS: dict[Key, Builder] = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minCount: _count("MinCount", lambda n, limit: n >= limit),
    SH.maxCount: _count("MaxCount", lambda n, limit: n <= limit),
    SH.minInclusive: _range("MinInclusive", lambda c: c >= 0),
    SH.maxInclusive: _range("MaxInclusive", lambda c: c <= 0),
    SH.minExclusive: _range("MinExclusive", lambda c: c > 0),
    SH.maxExclusive: _range("MaxExclusive", lambda c: c < 0),
    SH.minLength: _length("MinLength", lambda n, limit: n >= limit),
    SH.maxLength: _length("MaxLength", lambda n, limit: n <= limit),
    SH.pattern: _pattern,
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
    SH.equals: _equals,
    SH.disjoint: _disjoint,
    SH.lessThanOrEquals: _less_than_or_equals,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.node: _node,
    SH["not"]: _not,
    SH["and"]: _logical("And", lambda n, m: n == m),
    SH["or"]: _logical("Or", lambda n, m: n > 0),
    SH.xone: _logical("Xone", lambda n, m: n == 1),
    SH.qualifiedValueShape: _qualified,
}

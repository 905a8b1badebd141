"""SHACL validation: the compiled shapes (default) or pyshacl, the report mapped to file:line.

Two engines give the same results (a test holds them together): ``compiled`` runs the shapes as
Python checks (:mod:`kg.shacl`), ``pyshacl`` runs pyshacl, the reference, which the compiled
engine also calls for any shape it cannot compile. Below the report: the row checks, the
shapes on observations compiled into checks that need no graph (a table's rows as they stream).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import BNode, Node

from kg import shacl
from kg.errors import Origin
from kg.outputs import Engine as Engine  # where the CLI can name it without rdflib
from kg.rdffiles import parse_rdf, read_graph, read_triples, subject_lines
from kg.vocab import DCKG, SH, Shortener

__all__ = [
    "Engine",
    "ValidationReport",
    "Violation",
    "compile_shapes",
    "parse_rdf",
    "pyshacl_report",
    "read_graph",
    "read_triples",
    "run_pyshacl",
    "subject_lines",
    "validate_data",
    "validate_files",
    "validate_graph",
    "values_of",
]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, with the record that produced its focus node where known."""

    focus: str
    path: str
    component: str
    message: str
    value: str
    severity: str
    origin: Origin | None = None
    path_iri: str = ""  # the path when it is a single property
    # What a person reads as the value when SHACL's value is the focus node itself (a node-level
    # constraint on an observation): the observation's own number. Not part of the result.
    shown: str = field(default="", compare=False)

    def line(self, shorten: Shortener) -> str:
        where = f"{self.origin}: " if self.origin else ""
        path = f" {self.path}" if self.path else ""
        value = self.value
        if value == self.focus:
            value = as_written(self.shown)
        value = f" (value: {value})" if value else ""
        component = shorten(self.component).removeprefix("sh:")
        return f"{where}{shorten(self.focus)}{path}: {self.message}{value} [{component}]"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """The human-readable report, as in ``validation.txt``."""
        shorten = Shortener()
        if self.conforms:
            return "Conforms: the graph satisfies every shape.\n"
        lines = [f"Does not conform: {len(self.violations)} violation(s)."]
        lines += [v.line(shorten) for v in self.violations]
        return "\n".join(lines) + "\n"

    def turtle(self) -> str:
        """The machine-readable report as deterministic Turtle (a SHACL ValidationReport)."""
        out = [
            "@prefix sh: <http://www.w3.org/ns/shacl#> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "",
            "[] a sh:ValidationReport ;",
            f"    sh:conforms {'true' if self.conforms else 'false'}"
            + (" ." if not self.violations else " ;"),
        ]
        for index, v in enumerate(self.violations):
            last = index == len(self.violations) - 1
            fields = [
                f"sh:focusNode {_term(v.focus)}",
                f"sh:resultSeverity <{v.severity}>",
                f"sh:sourceConstraintComponent <{v.component}>",
                f"sh:resultMessage {Literal(v.message).n3()}",
            ]
            if v.path_iri:
                fields.append(f"sh:resultPath <{v.path_iri}>")
            if v.value:
                fields.append(f"sh:value {_term(v.value)}")
            body = " ;\n        ".join(f for f in fields if f)
            out.append(f"    sh:result [\n        {body}\n    ]" + (" ." if last else " ,"))
        return "\n".join(out) + "\n"


def _term(text: str) -> str:
    if text.startswith(("http://", "https://", "urn:")):
        return f"<{text}>"
    return Literal(text).n3()


def _render_path(graph: Graph, node: Node, shorten: Shortener) -> str:
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, BNode):
        if (node, RDF.first, None) in graph:
            return "/".join(_render_path(graph, item, shorten) for item in Collection(graph, node))
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + _render_path(graph, inverse, shorten)
        for key, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = graph.value(node, key)
            if inner is not None:
                return _render_path(graph, inner, shorten) + suffix
    return ""


def validate_graph(
    data: Graph,
    shapes: Graph,
    origins: Mapping[URIRef, Origin] | None = None,
    *,
    engine: Engine = Engine.COMPILED,
) -> ValidationReport:
    """Validate ``data`` (which already holds the ontology it needs) against ``shapes``."""
    if engine is Engine.PYSHACL:
        return _pyshacl_report(data, shapes, origins or {}, values_of(data))
    return validate_data(shacl.DataGraph.of(data), shapes, origins)


def validate_files(
    files: Sequence[Path],
    ontology: Sequence[Path],
    shapes: Callable[[], Graph],
    *,
    engine: Engine = Engine.COMPILED,
) -> ValidationReport:
    """Validate RDF files, with the ontology mixed in, against the shapes ``shapes()`` reads.

    The compiled engine reads the files with pyoxigraph alone (rdflib's parser is most of the
    time pyshacl's way takes besides pyshacl itself); the same errors either way.
    """
    if engine is Engine.PYSHACL:
        data = parse_rdf(ontology, into=parse_rdf(files))
        return validate_graph(data, shapes(), subject_lines(files), engine=engine)
    indexed = shacl.DataGraph(chain(read_triples(files), read_triples(ontology)))
    return validate_data(indexed, shapes(), subject_lines(files))


def validate_data(
    data: shacl.DataGraph, shapes: Graph, origins: Mapping[URIRef, Origin] | None = None
) -> ValidationReport:
    """The compiled engine on an indexed graph; pyshacl for the shapes it could not compile."""
    compiled = shacl.compile_shapes(shapes)
    origins = origins or {}
    value_key = str(DCKG.value)

    def own_value(node: shacl.Key) -> str:
        return next((str(v) for v in data.objects(shacl.key(node), value_key)), "")

    shorten = Shortener()
    violations = [
        _violation(
            r.focus,
            r.path,
            r.component,
            r.messages[0] if r.messages else "",
            r.value,
            r.severity,
            shapes,
            shorten,
            origins,
            own_value,
        )
        for r in compiled.validate(data)
    ]
    conforms = all(v.severity != str(SH.Violation) for v in violations)
    if compiled.leftover is not None:
        rest = _pyshacl_report(data.rdflib_graph(), compiled.leftover, origins, own_value)
        violations += rest.violations
        conforms = conforms and rest.conforms
    return _report(conforms, violations)


def as_written(lexical: str) -> str:
    """A whole decimal as a curator writes it (``160``), not in xsd:decimal's canonical form
    (``160.0``), which the graph holds; any other lexical form unchanged."""
    whole = lexical.removesuffix(".0")
    return whole if whole != lexical and whole.lstrip("-").isdigit() else lexical


def values_of(data: Graph) -> Callable[[shacl.Key], str]:
    """What a report shows as the value of an observation that is itself the value."""

    def own_value(node: shacl.Key) -> str:
        """The dckg:value of ``node`` (an observation), as written; empty if it has none."""
        found = data.value(node, DCKG.value)  # type: ignore[arg-type]
        return str(found) if found is not None else ""

    return own_value


def _pyshacl_report(
    data: Graph,
    shapes: Graph,
    origins: Mapping[URIRef, Origin],
    own_value: Callable[[shacl.Key], str],
) -> ValidationReport:
    conforms, results = run_pyshacl(data, shapes)
    return pyshacl_report(conforms, results, origins, own_value)


def run_pyshacl(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """pyshacl as dckg runs it: whether ``data`` conforms, and the results graph."""
    from pyshacl import validate as shacl_validate  # imported only when it runs

    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    return bool(conforms), results


def pyshacl_report(
    conforms: bool,
    results: Graph,
    origins: Mapping[URIRef, Origin],
    own_value: Callable[[shacl.Key], str],
) -> ValidationReport:
    """pyshacl's results graph as a :class:`ValidationReport`."""
    shorten = Shortener()
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(result, SH.resultMessage)
        violations.append(
            _violation(
                results.value(result, SH.focusNode),
                results.value(result, SH.resultPath),
                results.value(result, SH.sourceConstraintComponent),
                str(message) if message is not None else "",
                results.value(result, SH.value),
                results.value(result, SH.resultSeverity),
                results,
                shorten,
                origins,
                own_value,
            )
        )
    return _report(conforms, violations)


def _violation(
    focus: shacl.Key | None,
    path: Node | None,
    component: Node | None,
    message: str,
    value: shacl.Key | None,
    severity: Node | None,
    paths: Graph,
    shorten: Shortener,
    origins: Mapping[URIRef, Origin],
    own_value: Callable[[shacl.Key], str],
) -> Violation:
    """One result as a :class:`Violation` (``paths``: the graph that holds its path's nodes)."""
    return Violation(
        focus=str(focus),
        path=_render_path(paths, path, shorten) if path is not None else "",
        component=str(component) if component is not None else "",
        message=message,
        value="" if value is None or isinstance(value, BNode) else str(value),
        severity=str(severity),
        path_iri=str(path) if isinstance(path, URIRef) else "",
        origin=origins.get(focus) if isinstance(focus, URIRef) else None,
        shown=own_value(focus) if focus is not None and value == focus else "",
    )


def _report(conforms: bool, violations: Iterable[Violation]) -> ValidationReport:
    unique = tuple(sorted(set(violations), key=lambda v: (v.origin or Origin(Path(""), 0), v)))
    return ValidationReport(conforms=conforms, violations=unique)


# ---------------------------------------------------------------------------------------------
# Shapes compiled into checks that run without a graph (a table's rows, as they stream)
# ---------------------------------------------------------------------------------------------

# The paths a compiled check can read from one observation, by the key it is read with.
_FACT_PATHS: dict[tuple[str, ...], str] = {
    (str(DCKG.value),): "value",
    (str(DCKG.unit),): "unit",
    (str(DCKG.unit), str(DCKG.integerValued)): "unit_integer",
    (str(DCKG.statementKind),): "kind",
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_COMBINATORS: dict[Node, str] = {
    SH["or"]: "OrConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["not"]: "NotConstraintComponent",
}
_SHAPE_KEYS = {RDF.type, SH.targetClass, SH.message, SH.severity, SH.name, SH.description}


class Uncompilable(ValueError):
    """A shape uses a construct that the check compiler does not know."""


@dataclass(frozen=True)
class ObservationFacts:
    """What a compiled check can see of one observation (each path has exactly one value)."""

    value: Decimal
    integer_literal: bool  # the value is written as an xsd:integer (else an xsd:decimal)
    unit: str  # the unit's IRI
    unit_integer: bool  # the unit is integer-valued
    kind: str  # the statement kind's IRI


Predicate = Callable[[ObservationFacts], bool]


@dataclass(frozen=True)
class Check:
    """One constraint of a node shape, compiled: a predicate and what to say when it fails."""

    shape: str
    component: str
    message: str
    severity: str
    holds: Predicate


@dataclass(frozen=True)
class Checks:
    """The shapes on observations as checks: graph-free, for rows that never enter a graph.

    ``uncompiled`` names the shapes on observations that the compiler left to pyshacl
    (structural ones that a row satisfies by construction, such as cardinalities). The
    shape of a different value for the same key (a SPARQL constraint) gives
    ``conflict_message``, a template with the names of its variables.
    """

    observation: tuple[Check, ...]
    conflict_message: str
    uncompiled: tuple[str, ...] = ()
    bounds: tuple[Decimal, ...] = ()  # every numeric bound of the shapes, sorted
    _tables: dict[tuple[bool, str, bool, str], tuple[tuple[Check, ...], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def run(self, focus: str, facts: ObservationFacts, origin: Origin | None) -> list[Violation]:
        """The violations of one observation, in the order of the checks."""
        failing = self.failing(
            facts.value, facts.integer_literal, facts.unit, facts.unit_integer, facts.kind
        )
        return self.violations(failing, focus, origin, shown=f"{facts.value:f}")

    def failing(
        self, value: Decimal, integer_literal: bool, unit: str, unit_integer: bool, kind: str
    ) -> tuple[Check, ...]:
        """The checks an observation fails (the arguments are :class:`ObservationFacts`').

        A value enters the checks only through comparisons with the shapes' bounds, so for
        given other facts the answer is the same between two neighbouring bounds: it is
        worked out once per stretch and then looked up (a row costs a bisection).
        """
        key = (integer_literal, unit, unit_integer, kind)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = self._table(key)
        index = bisect_left(self.bounds, value)
        exact = index < len(self.bounds) and self.bounds[index] == value
        return table[2 * index + 1 if exact else 2 * index]

    def can_fail(
        self, integer_literal: bool, unit: str, unit_integer: bool, kind: str, *, minimum: Decimal
    ) -> bool:
        """Whether some value of at least ``minimum`` fails a check, given the other facts."""
        self.failing(minimum, integer_literal, unit, unit_integer, kind)  # fills the table
        table = self._tables[(integer_literal, unit, unit_integer, kind)]
        for region, failing in enumerate(table):
            index, point = divmod(region, 2)
            if point:
                reaches = self.bounds[index] >= minimum
            else:  # the stretch below bounds[index] (above the last bound if it is past them)
                reaches = index == len(self.bounds) or self.bounds[index] > minimum
            if failing and reaches:
                return True
        return False

    def violations(
        self, failing: tuple[Check, ...], focus: str, origin: Origin | None, *, shown: str = ""
    ) -> list[Violation]:
        """The failed checks of one observation as violations, pyshacl's way (``shown``: its
        value as a person reads it)."""
        return [
            Violation(
                focus=focus,
                path="",
                component=check.component,
                message=check.message,
                value=focus,
                severity=check.severity,
                origin=origin,
                shown=shown,
            )
            for check in failing
        ]

    def _table(self, key: tuple[bool, str, bool, str]) -> tuple[tuple[Check, ...], ...]:
        """The failed checks in each stretch: below the first bound, at it, between it and
        the next, ..., above the last."""
        bounds = self.bounds
        points: list[Decimal] = []
        for index, bound in enumerate(bounds):
            below = bound - 1 if index == 0 else (bounds[index - 1] + bound) / 2
            points += [below, bound]
        points.append(bounds[-1] + 1 if bounds else Decimal(0))
        return tuple(
            tuple(c for c in self.observation if not c.holds(ObservationFacts(point, *key)))
            for point in points
        )

    def conflict(
        self, focus: str, other: str, other_value: str, origin: Origin | None, *, shown: str = ""
    ) -> Violation:
        """The violation of ``focus`` (whose own value is ``shown``) that differs from
        ``other``'s for the same key."""
        return Violation(
            focus=focus,
            path="",
            component=str(SH.SPARQLConstraintComponent),
            message=self.conflict_message.format(other=other, otherValue=other_value),
            value=focus,
            severity=str(SH.Violation),
            origin=origin,
            shown=shown,
        )


def compile_shapes(shapes: Graph) -> Checks:
    """The node shapes that target dckg:Observation, compiled into :class:`Checks`.

    A shape made of sh:or / sh:and / sh:not over property shapes with sh:hasValue, sh:in,
    sh:datatype, sh:minInclusive and sh:maxInclusive on the paths of
    :class:`ObservationFacts` becomes a predicate; its sh:message is read from the shapes.
    """
    checks: list[Check] = []
    uncompiled: list[str] = []
    conflict = ""
    for shape in sorted(shapes.subjects(SH.targetClass, DCKG.Observation), key=str):
        message = str(shapes.value(shape, SH.message) or "")
        severity = str(shapes.value(shape, SH.severity) or SH.Violation)
        for sparql in shapes.objects(shape, SH.sparql):
            template = str(shapes.value(sparql, SH.message) or message)
            if "{?other}" in template and "{?otherValue}" in template:
                conflict = re.sub(r"\{[?$](\w+)\}", r"{\1}", template)
        keys = set(shapes.predicates(shape)) - _SHAPE_KEYS - {SH.sparql}
        try:
            if not keys or not keys <= set(_COMBINATORS):
                raise Uncompilable(f"{shape}: {sorted(map(str, keys))}")
            for key in sorted(keys, key=str):
                holds = _compile_node(shapes, shape, only=key)
                component = f"{SH}{_COMBINATORS[key]}"
                checks.append(Check(str(shape), component, message, severity, holds))
        except Uncompilable:
            if not (keys == set() and conflict):
                uncompiled.append(str(shape))
    bounds = {
        Decimal(str(term))
        for key in (SH.minInclusive, SH.maxInclusive)
        for term in shapes.objects(None, key)
        if isinstance(term, Literal) and isinstance(term.toPython(), int | float | Decimal)
    }
    return Checks(tuple(checks), conflict, tuple(uncompiled), tuple(sorted(bounds)))


def _compile_node(shapes: Graph, node: Node, only: Node | None = None) -> Predicate:
    """A node shape (or one of its constraints) as a predicate on one observation."""
    parts: list[Predicate] = []
    keys = (
        [only] if only is not None else sorted(set(shapes.predicates(node)) - {RDF.type}, key=str)
    )
    for key in keys:
        if key == SH.path:
            parts.append(_compile_property(shapes, node))
        elif key in _PROPERTY_KEYS:
            continue  # part of the property shape compiled above
        elif key == SH["not"]:
            parts.append(_negation(_compile_node(shapes, _one(shapes, node, key))))
        elif key in (SH["or"], SH["and"]):
            members = [
                _compile_node(shapes, m) for m in Collection(shapes, _one(shapes, node, key))
            ]
            parts.append(_any(members) if key == SH["or"] else _all(members))
        else:
            raise Uncompilable(f"{node}: {key}")
    if SH.path not in keys and _PROPERTY_KEYS & set(keys):
        raise Uncompilable(f"{node}: a value constraint without a path")
    return _all(parts)


_PROPERTY_KEYS = {SH.hasValue, SH["in"], SH.datatype, SH.minInclusive, SH.maxInclusive}


def _compile_property(shapes: Graph, node: Node) -> Predicate:
    path = _one(shapes, node, SH.path)
    steps = (
        tuple(str(step) for step in Collection(shapes, path))
        if isinstance(path, BNode)
        else (str(path),)
    )
    fact = _FACT_PATHS.get(steps)
    if fact is None:
        raise Uncompilable(f"path {steps}")
    tests: list[Predicate] = []
    for key, term in shapes.predicate_objects(node):
        if key == SH.path:
            continue
        if fact == "value" and key in (SH.hasValue, SH["in"]):
            raise Uncompilable("a value compared with given values")  # only bounds: see failing
        if key == SH.hasValue:
            tests.append(_equals(fact, _python(term)))
        elif key == SH["in"]:
            tests.append(_member(fact, frozenset(_python(t) for t in Collection(shapes, term))))
        elif key == SH.datatype and fact == "value":
            integer = str(term) == f"{_XSD}integer"
            if not integer and str(term) != f"{_XSD}decimal":
                raise Uncompilable(f"datatype {term}")
            tests.append(_equals("integer_literal", integer))
        elif key in (SH.minInclusive, SH.maxInclusive) and fact == "value":
            bound = Decimal(str(term))
            tests.append(_at_least(bound) if key == SH.minInclusive else _at_most(bound))
        else:
            raise Uncompilable(f"{key} on {steps}")
    return _all(tests)


def _negation(inner: Predicate) -> Predicate:
    return lambda facts: not inner(facts)


def _any(members: list[Predicate]) -> Predicate:
    return lambda facts: any(member(facts) for member in members)


def _all(members: list[Predicate]) -> Predicate:
    return lambda facts: all(member(facts) for member in members)


def _equals(name: str, wanted: object) -> Predicate:
    return lambda facts: bool(getattr(facts, name) == wanted)


def _member(name: str, allowed: frozenset[object]) -> Predicate:
    return lambda facts: getattr(facts, name) in allowed


def _at_least(bound: Decimal) -> Predicate:
    return lambda facts: facts.value >= bound


def _at_most(bound: Decimal) -> Predicate:
    return lambda facts: facts.value <= bound


def _python(term: Node) -> object:
    """An IRI as its text, a literal as its Python value (true -> True, 100 -> 100)."""
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def _one(shapes: Graph, node: Node, key: Node) -> Node:
    values = list(shapes.objects(node, key))
    if len(values) != 1:
        raise Uncompilable(f"{node}: {len(values)} values of {key}")
    return values[0]

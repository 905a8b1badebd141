"""Graph mutations: corrupt the built graph as a curator's mistake would, and see the shapes catch it.

Six operators, each applied to nodes of as many different classes as the graph offers (seeded,
so the same samples every run): a typed literal made a plain string, a reference to a node that
does not exist, a referenced node's types removed, a mandatory value removed, a second value
for a single-valued property, a Chinese label removed. A mutation is killed only when the
project's validator reports a problem that names the mutated node (as focus node or as value).

What is mandatory and what is single-valued comes from DESIGN.md's model, written out below,
not from the shapes under test (else the harness would only check the shapes against
themselves).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from conftest import REPO
from kg.pipeline import load_shapes
from kg.project import Project
from kg.validate import parse_rdf, validate_graph
from kg.vocab import DCKG
from oracle import agree

SEED = 15
PER_OPERATOR = 4  # samples of each operator, each on a different class where there are enough
MIN_RATE = 0.95
MAX_EXCLUDED = 0.05
REFERRERS = 12  # referrers of a mutated node kept in its neighbourhood

PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"

# DESIGN.md's model: what each class must have (one value or more).
MANDATORY: dict[str, tuple[str, ...]] = {
    str(DCKG.Observation): (
        str(DCKG.value),
        str(DCKG.unit),
        str(DCKG.qualifier),
        str(DCKG.indicator),
        str(DCKG.area),
        str(DCKG.statementKind),
        PROV + "wasDerivedFrom",
        str(DCKG.evidence),
        str(DCKG.originalWording),
    ),
    str(DCKG.GroupClaim): (str(DCKG.groupKind), PROV + "wasDerivedFrom", str(DCKG.evidence)),
    str(DCKG.FactClaim): (PROV + "wasDerivedFrom", str(DCKG.evidence)),
    str(DCKG.Quotation): (OA + "exact", PROV + "wasQuotedFrom"),
    str(DCKG.Report): (SCHEMA + "publisher", DCTERMS + "license"),
    str(DCKG.NewsArticle): (SCHEMA + "publisher", DCTERMS + "license"),
    str(DCKG.ProvincialLevelDivision): (
        str(DCKG.adminCode),
        str(DCKG.parentArea),
        str(DCKG.divisionType),
        str(DCKG.adminCodeSource),
    ),
    str(DCKG.PrefectureLevelDivision): (
        str(DCKG.adminCode),
        str(DCKG.parentArea),
        str(DCKG.divisionType),
    ),
    str(DCKG.CountyLevelDivision): (str(DCKG.adminCode), str(DCKG.parentArea)),
    str(DCKG.Period): (str(DCKG.startDate), str(DCKG.endDate)),
    str(DCKG.FiveYearPlan): (str(DCKG.planPeriod), str(DCKG.ordinal)),
    str(DCKG.Evaluation): (PROV + "wasAssociatedWith", str(DCKG.reportedIn)),
    str(DCKG.Indicator): (str(SKOS.inScheme), str(SKOS.definition), str(SKOS.prefLabel)),
    str(DCKG.EvaluationSubIndicator): (str(SKOS.broader), str(SKOS.inScheme)),
    str(DCKG.Unit): (str(DCKG.integerValued),),
    str(DCKG.IdentifierResolutionNode): (str(DCKG.locatedIn), str(DCKG.partOf)),
    str(DCKG.ReferenceDataset): (DCTERMS + "source",),
    str(OWL.Class): (str(RDFS.label), str(SKOS.definition)),
    str(OWL.ObjectProperty): (str(RDFS.domain), str(RDFS.range)),
    str(OWL.DatatypeProperty): (str(RDFS.domain), str(RDFS.range)),
}

# Single-valued by the model beyond the ontology's owl:FunctionalProperty declarations.
SINGLE_VALUED = {
    SCHEMA + "publisher",
    DCTERMS + "license",
    PROV + "wasQuotedFrom",
    OA + "exact",
    SCHEMA + "datePublished",
}


@dataclass(frozen=True)
class Mutation:
    operator: str
    node: URIRef  # the node a report must name
    cls: str
    description: str
    remove: tuple[tuple[object, object, object], ...] = ()
    add: tuple[tuple[object, object, object], ...] = ()
    excluded: str = ""  # why the mutated graph is legitimately valid, if it is


class Sample(Protocol):
    """What the report prints of a mutation, graph or record."""

    @property
    def operator(self) -> str: ...
    @property
    def node(self) -> object: ...
    @property
    def cls(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def excluded(self) -> str: ...


S = TypeVar("S", bound=Sample)


@dataclass(frozen=True)
class Outcome:
    mutation: Sample
    killed: bool


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The built graph of the repository's own data, ontology included (as reviewed)."""
    return parse_rdf([REPO / "tests" / "golden" / "repo" / "kg.ttl"])


def _class_of(graph: Graph, node: object) -> str:
    types = sorted(str(t) for t in graph.objects(node, RDF.type))  # type: ignore[arg-type]
    ours = [t for t in types if t.startswith(str(DCKG))]
    return (ours or types or [""])[0]


def _ours(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(("https://w3id.org/dckg/",))


def spread(candidates: list[S], rng: random.Random, count: int = PER_OPERATOR) -> list[S]:
    """``count`` samples, one class after another (sorted, then seeded choice within each)."""
    by_class: dict[str, list[S]] = defaultdict(list)
    for mutation in candidates:
        by_class[mutation.cls].append(mutation)
    classes = sorted(by_class)
    rng.shuffle(classes)
    chosen: list[S] = []
    while len(chosen) < count and any(by_class.values()):
        for cls in classes:
            if by_class[cls] and len(chosen) < count:
                pool = by_class[cls]
                chosen.append(pool.pop(rng.randrange(len(pool))))
    return chosen


def _replaced(graph: Graph, operator: str, triple: tuple[Node, Node, Node], new: Node) -> Mutation:
    """The object of ``triple`` replaced by ``new``."""
    s, p, o = triple
    return Mutation(
        operator,
        s,  # type: ignore[arg-type]
        _class_of(graph, s),
        f"{p} {o.n3()} -> {new.n3()}",
        remove=(triple,),
        add=((s, p, new),),
    )


def _literal_as_string(graph: Graph) -> Iterator[Mutation]:
    for s, p, o in sorted(graph):
        if (
            _ours(s)
            and isinstance(o, Literal)
            and o.datatype is not None
            and o.datatype not in (XSD.string, RDF.langString)
        ):
            yield _replaced(graph, "literal made a string", (s, p, o), Literal(str(o)))


def _dangling_reference(graph: Graph) -> Iterator[Mutation]:
    subjects = set(graph.subjects())
    for s, p, o in sorted(graph):
        if _ours(s) and p != RDF.type and isinstance(o, URIRef) and o in subjects and _ours(o):
            missing = URIRef(str(o) + "-missing")
            yield _replaced(graph, "reference to a missing node", (s, p, o), missing)


def _type_removed(graph: Graph) -> Iterator[Mutation]:
    referenced = {o for s, p, o in graph if p != RDF.type and _ours(s) and isinstance(o, URIRef)}
    for node in sorted(referenced):
        types = tuple((node, RDF.type, t) for t in graph.objects(node, RDF.type))
        if types and _ours(node):
            yield Mutation(
                "referenced node's type removed",
                node,
                _class_of(graph, node),
                "rdf:type removed",
                remove=types,
            )


def _mandatory_removed(graph: Graph) -> Iterator[Mutation]:
    for cls, properties in MANDATORY.items():
        for node in sorted(graph.subjects(RDF.type, URIRef(cls))):
            if not _ours(node):
                continue
            for prop in properties:
                values = tuple((node, URIRef(prop), o) for o in graph.objects(node, URIRef(prop)))
                if values:
                    yield Mutation(
                        "mandatory value removed",
                        node,  # type: ignore[arg-type]
                        cls,
                        f"{prop} removed",
                        remove=values,
                    )


def _second_value(graph: Graph) -> Iterator[Mutation]:
    single = {str(p) for p in graph.subjects(RDF.type, OWL.FunctionalProperty)} | SINGLE_VALUED
    by_range: dict[str, list[object]] = defaultdict(list)
    for _, p, o in sorted(graph):
        if str(p) in single:
            by_range[str(p)].append(o)
    for s, p, o in sorted(graph):
        if not _ours(s) or str(p) not in single:
            continue
        others = [v for v in by_range[str(p)] if v != o]
        if isinstance(o, Literal):
            if o.language:
                second: object = Literal(str(o) + " (2)", lang=o.language)
            else:
                second = next((v for v in others if isinstance(v, Literal)), None)
        else:
            second = next((v for v in others if isinstance(v, URIRef)), None)
        if second is None or second == o:
            continue
        yield Mutation(
            "second value for a single-valued property",
            s,  # type: ignore[arg-type]
            _class_of(graph, s),
            f"{p} + {second}",
            add=((s, p, second),),
        )


def _zh_label_removed(graph: Graph) -> Iterator[Mutation]:
    for s, p, o in sorted(graph.triples((None, RDFS.label, None))):
        if isinstance(o, Literal) and o.language == "zh" and isinstance(s, URIRef):
            yield Mutation(
                "Chinese label removed",
                s,
                _class_of(graph, s),
                f"rdfs:label {o.n3()} removed",
                remove=((s, p, o),),
            )


OPERATORS: tuple[Callable[[Graph], Iterator[Mutation]], ...] = (
    _literal_as_string,
    _dangling_reference,
    _type_removed,
    _mandatory_removed,
    _second_value,
    _zh_label_removed,
)


def sample(graph: Graph) -> list[Mutation]:
    rng = random.Random(SEED)
    return [m for operator in OPERATORS for m in spread(list(operator(graph)), rng)]


def _neighbourhood(graph: Graph, node: URIRef) -> Graph:
    """What the shapes read to judge ``node`` and the nodes that point at it.

    The node, its referrers and what they point at (with those nodes' own triples), and every
    triple outside the data namespace (the ontology and its controlled values). Validating this
    instead of the whole graph keeps each sample to a fraction of a second; pyshacl's own
    focus-node option was tried first and missed qualified-value-shape violations. Of the
    referrers the first ``REFERRERS`` (in IRI order) are kept: the report and the qualifiers
    have one per statement, and all of them made two samples a minute of pyshacl's time.
    """
    data = "https://w3id.org/dckg/id/"
    near = {node, *sorted(set(graph.subjects(None, node)), key=str)[:REFERRERS]}
    near |= {o for n in list(near) for o in graph.objects(n) if isinstance(o, URIRef)}
    sub = Graph()
    for s, p, o in graph:
        if s in near or not str(s).startswith(data):
            sub.add((s, p, o))
    return sub


def _named(graph: Graph, shapes: Graph, node: str) -> set[tuple[str, str, str, str]]:
    report = validate_graph(graph, shapes)
    return {
        (v.focus, v.path, v.message, v.value)
        for v in report.violations
        if v.focus == node or v.value == node
    }


def mutated(graph: Graph, mutation: Mutation) -> tuple[Graph, Graph]:
    """The neighbourhood of the mutated node before and after the mutation."""
    before = _neighbourhood(graph, mutation.node)
    after = Graph()
    for triple in before:
        after.add(triple)
    for triple in mutation.remove:
        after.remove(triple)  # type: ignore[arg-type]
    for triple in mutation.add:
        after.add(triple)  # type: ignore[arg-type]
    return before, after


def run(graph: Graph, shapes: Graph, mutation: Mutation) -> Outcome:
    before, after = mutated(graph, mutation)
    baseline = _named(before, shapes, str(mutation.node))
    # A problem counts only if the mutation made it: not one the cut-out neighbourhood has anyway.
    return Outcome(mutation, killed=bool(_named(after, shapes, str(mutation.node)) - baseline))


def test_graph_mutations_are_killed(
    graph: Graph, repo_project: Project, summary: Callable[[str], None]
) -> None:
    shapes = load_shapes(repo_project)
    assert validate_graph(graph, shapes).conforms, "the unmutated graph must conform"
    mutations = sample(graph)
    assert len({m.operator for m in mutations}) == len(OPERATORS)
    assert len(mutations) >= 8
    assert len({m.cls for m in mutations}) >= 8, "samples must spread over classes"
    outcomes = [run(graph, shapes, m) for m in mutations]
    report(outcomes, "graph", summary)


def test_engines_agree_on_the_graph_and_its_mutations(graph: Graph, repo_project: Project) -> None:
    """pyshacl, the oracle, and the compiled shapes on the project's graph and each mutation."""
    shapes = load_shapes(repo_project)
    agree(graph, shapes)
    for mutation in sample(graph):
        agree(mutated(graph, mutation)[1], shapes)


def report(outcomes: list[Outcome], kind: str, summary: Callable[[str], None]) -> None:
    """The kill rate in the run's summary, every survivor and exclusion printed; the rates."""
    excluded = [o for o in outcomes if o.mutation.excluded]
    counted = [o for o in outcomes if not o.mutation.excluded]
    killed = [o for o in counted if o.killed]
    rate = len(killed) / len(counted)
    summary(
        f"{kind} mutations: {len(killed)} of {len(counted)} killed ({rate:.0%}); "
        f"{len(excluded)} excluded of {len(outcomes)} samples"
    )
    for outcome in outcomes:
        m = outcome.mutation
        state = (
            f"excluded ({m.excluded})"
            if m.excluded
            else ("killed" if outcome.killed else "SURVIVED")
        )
        print(f"  {state}: {m.operator} on {m.node} [{m.cls}]: {m.description}")
    assert len(excluded) <= MAX_EXCLUDED * len(outcomes)
    assert rate >= MIN_RATE, f"{kind} kill rate {rate:.0%} is below {MIN_RATE:.0%}"

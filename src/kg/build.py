"""Records -> RDF: a pure function that yields quads, one named graph per source.

The builder never touches files. It yields ``(subject, predicate, object, graph)`` tuples as a
stream, so a writer can consume millions of them without an in-memory graph, and it returns
the origin (file:line) of every node it mints, so validation can point at the record at fault.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.errors import Origin
from kg.model import (
    Area,
    CodeDataset,
    Dimension,
    Evaluation,
    FactClaim,
    GroupClaim,
    Indicator,
    Infrastructure,
    Observation,
    Organisation,
    Period,
    Person,
    Plan,
    Quote,
    Records,
    Scheme,
    Section,
    Source,
    Statement,
    Text,
    Unit,
)
from kg.observation import (
    KIND_CONCEPTS,
    QUALIFIER_CONCEPTS,
    Part,
    format_value,
    observation_labels,
    parts,
    value_lexical,
)
from kg.vocab import DCKG, LINKS_GRAPH, OA, REFERENCE_GRAPH, SCHEMA, graph_iri, mint

__all__ = [
    "KIND_CONCEPTS",
    "QUALIFIER_CONCEPTS",
    "Builder",
    "Built",
    "Quad",
    "build",
    "format_value",
    "quote_iri",
    "source_graph",
    "statement_iri",
    "value_literal",
]

Quad = tuple[URIRef, URIRef, Node, URIRef]

AREA_CLASSES: dict[str, tuple[URIRef, URIRef]] = {
    "country": (DCKG.Country, DCKG.CountryType),
    "municipality": (DCKG.ProvincialLevelDivision, DCKG.Municipality),
    "province": (DCKG.ProvincialLevelDivision, DCKG.Province),
    "autonomous-region": (DCKG.ProvincialLevelDivision, DCKG.AutonomousRegion),
    "prefecture-level-city": (DCKG.PrefectureLevelDivision, DCKG.PrefectureLevelCity),
    "sub-prefecture-level-city": (DCKG.CountyLevelDivision, DCKG.SubPrefectureLevelCity),
    "county": (DCKG.CountyLevelDivision, DCKG.County),
}
INFRASTRUCTURE_CLASSES: dict[str, URIRef] = {
    "network": DCKG.Network,
    "backbone-direct-connection-point": DCKG.BackboneDirectConnectionPoint,
    "identifier-resolution-system": DCKG.IdentifierResolutionSystem,
    "identifier-resolution-node": DCKG.IdentifierResolutionNode,
    "platform-system": DCKG.PlatformSystem,
}
SOURCE_CLASSES: dict[str, URIRef] = {"news-article": DCKG.NewsArticle, "report": DCKG.Report}
GROUP_CONCEPTS: dict[str, URIRef] = {
    "top-10": DCKG.TopTen,
    "first-tier": DCKG.FirstTier,
    "first-group": DCKG.FirstGroup,
    "evaluated-dimensions": DCKG.EvaluatedDimensions,
    "evaluated-areas": DCKG.EvaluatedAreas,
}
GROUP_LABELS = {
    "top-10": ("top 10", "前10名"),
    "first-tier": ("first tier", "第一梯队"),
    "first-group": ("national first group", "全国第一方阵"),
    "evaluated-dimensions": ("dimensions evaluated", "评估维度"),
    "evaluated-areas": ("areas evaluated", "评估地区"),
}
INDICATOR_SCHEME = mint("scheme", "indicators")
DCKG_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def source_graph(source_id: str) -> URIRef:
    """The named graph that holds one source document and its statements."""
    return graph_iri("source", source_id)


def statement_iri(statement: Statement) -> URIRef:
    return mint("statement", statement.source, statement.id)


def quote_iri(source_id: str, quote: Quote) -> URIRef:
    """Deterministic and stable: the same words on the same page of a source give the same IRI."""
    key = f"{quote.language}\n{quote.page or ''}\n{quote.text}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return mint("quote", source_id, f"q{digest}")


def value_literal(value: Decimal, integer: bool) -> Literal:
    """xsd:integer for integer-valued units, else xsd:decimal in XSD 1.0 canonical form ("99.0").

    That is the form Turtle's decimal shorthand writes, so every output file holds the same
    literal. (Oxigraph stores decimals in XSD 1.1 form, "99": the same value.)
    """
    if integer:
        return Literal(str(int(value)), datatype=XSD.integer)
    return Literal(value_lexical(value, False), datatype=XSD.decimal)


@dataclass
class Built:
    """What the builder knows besides the quads: where each minted node came from."""

    origins: dict[URIRef, Origin] = field(default_factory=dict)


class Builder:
    """Turns checked records into quads; one instance per build."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.built = Built()
        self.areas = {a.id: a for a in records.areas}
        self.units = {u.id: u for u in records.units}
        self.indicators = {i.id: i for i in records.indicators}
        self.periods = {p.id: p for p in records.periods}
        self.sources = {s.id: s for s in records.sources}
        self.dimension_ids = {d.id for d in records.dimensions}
        self.abouts: dict[str, URIRef] = {}
        for kind, ids in (
            ("source", [s.id for s in records.sources]),
            ("plan", [p.id for p in records.plans]),
            ("evaluation", [e.id for e in records.evaluations]),
            ("infrastructure", [i.id for i in records.infrastructure]),
        ):
            self.abouts.update({item: mint(kind, item) for item in ids})  # first kinds lose ties

    # -- IRIs -------------------------------------------------------------------------------

    def unit_iri(self, unit_id: str) -> URIRef:
        unit = self.units[unit_id]
        return URIRef(unit.iri) if unit.iri else mint("unit", unit.id)

    def about_iri(self, about: str) -> URIRef:
        """The IRI of what a statement is about (references are checked at load)."""
        return self.abouts[about]

    # -- helpers ----------------------------------------------------------------------------

    def _origin(self, node: URIRef, origin: Origin) -> None:
        self.built.origins.setdefault(node, origin)

    def _entity(
        self, node: URIRef, origin: Origin, cls: URIRef, label: Text, g: URIRef
    ) -> Iterator[Quad]:
        """A record's node: where it came from, its class and its labels."""
        self._origin(node, origin)
        yield node, RDF.type, cls, g
        yield from self._labels(node, label, g)

    def _concept(self, node: URIRef, label: Text, definition: Text, g: URIRef) -> Iterator[Quad]:
        """A SKOS concept's preferred labels (its labels again) and definition."""
        yield from self._labels(node, label, g, SKOS.prefLabel)
        yield from self._labels(node, definition, g, SKOS.definition)

    @staticmethod
    def _labels(
        node: URIRef, text: Text, graph: URIRef, prop: URIRef = RDFS.label
    ) -> Iterator[Quad]:
        for lang, value in text.items:
            yield node, prop, Literal(value, lang=lang), graph

    # -- the stream -------------------------------------------------------------------------

    def quads(self) -> Iterator[Quad]:
        """Every quad of the graph: reference data first, then each source in id order."""
        yield from self._reference()
        for source in sorted(self.records.sources, key=lambda s: s.id):
            yield from self._source(source)
        by_source: dict[str, list[Statement]] = {}
        for statement in self.records.statements:
            by_source.setdefault(statement.source, []).append(statement)
        for source_id in sorted(by_source):
            for statement in sorted(by_source[source_id], key=lambda s: s.id):
                yield from self._statement(statement)
        for link in sorted(self.records.links, key=lambda k: (k.target, k.area, k.object)):
            yield mint("area", link.area), SKOS.exactMatch, URIRef(link.object), LINKS_GRAPH

    def _reference(self) -> Iterator[Quad]:
        """Reference data, one method per kind of record (as in kg.sources.reference)."""
        g = REFERENCE_GRAPH
        r = self.records
        for ds in r.code_datasets:
            yield from self._code_dataset(ds, g)
        for area in r.areas:
            yield from self._area(area, g)
        for unit in r.units:
            yield from self._unit(unit, g)
        yield from self._indicator_scheme(g)
        for ind in r.indicators:
            yield from self._indicator(ind, g)
        for period in r.periods:
            yield from self._period(period, g)
        for plan in r.plans:
            yield from self._plan(plan, g)
        for scheme in r.schemes:
            yield from self._scheme(scheme, g)
        for dim in r.dimensions:
            yield from self._dimension(dim, g)
        for org in r.organisations:
            yield from self._organisation(org, g)
        for person in r.people:
            yield from self._person(person, g)
        for infra in r.infrastructure:
            yield from self._infrastructure(infra, g)
        for ev in r.evaluations:
            yield from self._evaluation(ev, g)

    def _code_dataset(self, ds: CodeDataset, g: URIRef) -> Iterator[Quad]:
        node = mint("dataset", ds.id)
        self._origin(node, ds.origin)
        yield node, RDF.type, DCKG.ReferenceDataset, g
        name = f"{ds.repository}/{ds.path}"
        yield node, RDFS.label, Literal(name, lang="en"), g
        yield node, RDFS.label, Literal(name, lang="zh"), g
        yield node, DCTERMS.source, URIRef(f"https://github.com/{ds.repository}"), g
        yield node, DCKG.repositoryPath, Literal(ds.path), g
        if ds.commit:
            yield node, DCKG.repositoryCommit, Literal(ds.commit), g
        if ds.revision:
            yield node, DCTERMS.description, Literal(ds.revision, lang="en"), g

    def _unit(self, unit: Unit, g: URIRef) -> Iterator[Quad]:
        node = self.unit_iri(unit.id)
        yield from self._entity(node, unit.origin, DCKG.Unit, unit.label, g)
        yield node, DCKG.integerValued, Literal(unit.integer), g
        if unit.symbol:
            yield node, DCKG.symbol, Literal(unit.symbol), g
        yield from self._labels(node, unit.definition, g, SKOS.definition)

    def _indicator_scheme(self, g: URIRef) -> Iterator[Quad]:
        yield INDICATOR_SCHEME, RDF.type, SKOS.ConceptScheme, g
        yield INDICATOR_SCHEME, RDFS.label, Literal("dckg indicators", lang="en"), g
        yield INDICATOR_SCHEME, RDFS.label, Literal("dckg指标体系", lang="zh"), g
        yield INDICATOR_SCHEME, SKOS.prefLabel, Literal("dckg indicators", lang="en"), g
        yield INDICATOR_SCHEME, SKOS.prefLabel, Literal("dckg指标体系", lang="zh"), g

    def _indicator(self, ind: Indicator, g: URIRef) -> Iterator[Quad]:
        node = mint("indicator", ind.id)
        yield from self._entity(node, ind.origin, DCKG.Indicator, ind.label, g)
        yield from self._concept(node, ind.label, ind.definition, g)
        yield node, SKOS.inScheme, INDICATOR_SCHEME, g
        if ind.broader:
            yield node, SKOS.broader, mint("indicator", ind.broader), g
        else:
            yield node, SKOS.topConceptOf, INDICATOR_SCHEME, g
        if ind.unit:
            yield node, DCKG.defaultUnit, self.unit_iri(ind.unit), g

    def _period(self, period: Period, g: URIRef) -> Iterator[Quad]:
        node = mint("period", period.id)
        yield from self._entity(node, period.origin, DCKG.Period, period.label, g)
        yield node, DCKG.startDate, Literal(period.start.isoformat(), datatype=XSD.date), g
        yield node, DCKG.endDate, Literal(period.end.isoformat(), datatype=XSD.date), g

    def _plan(self, plan: Plan, g: URIRef) -> Iterator[Quad]:
        node = mint("plan", plan.id)
        yield from self._entity(node, plan.origin, DCKG.FiveYearPlan, plan.label, g)
        yield from self._labels(node, plan.alt_label, g, SKOS.altLabel)
        yield node, DCKG.ordinal, Literal(str(plan.ordinal), datatype=XSD.positiveInteger), g
        yield node, DCKG.planPeriod, mint("period", plan.period), g

    def _scheme(self, scheme: Scheme, g: URIRef) -> Iterator[Quad]:
        node = mint("scheme", scheme.id)
        yield from self._entity(node, scheme.origin, SKOS.ConceptScheme, scheme.label, g)
        yield from self._concept(node, scheme.label, scheme.definition, g)
        if scheme.source:
            yield node, DCTERMS.source, mint("source", scheme.source), g

    def _dimension(self, dim: Dimension, g: URIRef) -> Iterator[Quad]:
        node = mint("dimension", dim.id)
        in_scheme = mint("scheme", dim.scheme)
        cls = DCKG.EvaluationSubIndicator if dim.broader else DCKG.EvaluationDimension
        yield from self._entity(node, dim.origin, cls, dim.label, g)
        yield from self._concept(node, dim.label, dim.definition, g)
        yield node, SKOS.inScheme, in_scheme, g
        if dim.broader:
            yield node, SKOS.broader, mint("dimension", dim.broader), g
            yield from self._labels(node, dim.key_elements, g, DCKG.keyElements)
        else:
            yield node, SKOS.topConceptOf, in_scheme, g
            yield node, DCKG.scored, Literal(dim.scored), g

    def _organisation(self, org: Organisation, g: URIRef) -> Iterator[Quad]:
        node = mint("org", org.id)
        yield from self._entity(node, org.origin, DCKG.Organisation, org.label, g)
        for lang, name in org.alt_label:
            yield node, SKOS.altLabel, Literal(name, lang=lang), g

    def _person(self, person: Person, g: URIRef) -> Iterator[Quad]:
        node = mint("person", person.id)
        yield from self._entity(node, person.origin, DCKG.Person, person.label, g)
        if person.note:
            yield node, SKOS.note, Literal(person.note, lang="en"), g

    def _infrastructure(self, infra: Infrastructure, g: URIRef) -> Iterator[Quad]:
        node = mint("infrastructure", infra.id)
        cls = INFRASTRUCTURE_CLASSES[infra.type]
        yield from self._entity(node, infra.origin, cls, infra.label, g)
        for area_id in infra.located_in:
            yield node, DCKG.locatedIn, mint("area", area_id), g
        if infra.part_of:
            yield node, DCKG.partOf, mint("infrastructure", infra.part_of), g

    def _evaluation(self, ev: Evaluation, g: URIRef) -> Iterator[Quad]:
        node = mint("evaluation", ev.id)
        yield from self._entity(node, ev.origin, DCKG.Evaluation, ev.label, g)
        yield node, PROV.wasAssociatedWith, mint("org", ev.evaluator), g
        yield node, DCKG.reportedIn, mint("source", ev.reported_in), g
        if ev.period:
            yield node, DCKG.evaluationPeriod, mint("period", ev.period), g

    def _area(self, area: Area, g: URIRef) -> Iterator[Quad]:
        node = mint("area", area.id)
        self._origin(node, area.origin)
        cls, division_type = AREA_CLASSES[area.type]
        yield node, RDF.type, cls, g
        yield node, DCKG.divisionType, division_type, g
        yield from self._labels(node, area.label, g)
        if area.short_zh:
            yield node, SKOS.altLabel, Literal(area.short_zh, lang="zh"), g
        if area.code:
            yield node, DCKG.adminCode, Literal(area.code), g
            for ds in area.code_sources:
                yield node, DCKG.adminCodeSource, mint("dataset", ds), g
        if area.parent:
            yield node, DCKG.parentArea, mint("area", area.parent), g

    def _source(self, source: Source) -> Iterator[Quad]:
        g = source_graph(source.id)
        node = mint("source", source.id)
        self._origin(node, source.origin)
        yield node, RDF.type, SOURCE_CLASSES[source.type], g
        yield from self._labels(node, source.title, g, DCTERMS.title)
        label = source.label or source.title
        yield from self._labels(node, label, g)
        if source.publisher:
            yield node, SCHEMA.publisher, mint("org", source.publisher), g
        if source.published:
            yield node, SCHEMA.datePublished, _date_literal(source.published), g
        for lang in source.languages:
            yield node, SCHEMA.inLanguage, Literal(lang), g
        if source.text_file:
            yield node, DCKG.textExtraction, Literal(source.text_file), g
        if source.page_count:
            yield (
                node,
                DCKG.pageCount,
                Literal(str(source.page_count), datatype=XSD.positiveInteger),
                g,
            )
        for prop, people in (
            (SCHEMA.author, source.authors),
            (DCKG.compiler, source.compilers),
            (DCKG.reviewer, source.reviewers),
            (SCHEMA.editor, source.editors),
        ):
            for person in people:
                yield node, prop, mint("person", person), g
        if source.based_on:
            yield node, SCHEMA.isBasedOn, mint("source", source.based_on), g
        if source.url:
            yield node, SCHEMA.url, URIRef(source.url), g
        yield node, DCTERMS.license, DCKG_LICENCE, g
        for section in self.records.sections:
            if section.source == source.id:
                yield from self._section(section, node, g)

    def _section(self, section: Section, document: URIRef, g: URIRef) -> Iterator[Quad]:
        """A heading of the document: its title, number, page and order among its siblings."""
        node = mint("section", section.source, section.id)
        yield from self._entity(node, section.origin, DCKG.ReportSection, section.title, g)
        yield node, DCKG.sectionOfDocument, document, g
        if section.parent:
            yield node, DCKG.subsectionOf, mint("section", section.source, section.parent), g
        order = Literal(str(section.order), datatype=XSD.positiveInteger)
        yield node, DCKG.sectionOrder, order, g
        if section.number:
            yield node, DCKG.sectionNumber, Literal(section.number), g
        if section.page is not None:
            page = Literal(str(section.page), datatype=XSD.positiveInteger)
            yield node, DCKG.startPage, page, g

    def _statement(self, statement: Statement) -> Iterator[Quad]:
        source = self.sources[statement.source]
        g = source_graph(source.id)
        node = statement_iri(statement)
        self._origin(node, statement.origin)
        if not isinstance(statement, Observation):  # an observation's come from its template
            yield node, PROV.wasDerivedFrom, mint("source", source.id), g
            if statement.area:
                yield node, DCKG.area, mint("area", statement.area), g
            if statement.indicator:
                yield node, DCKG.indicator, mint("indicator", statement.indicator), g
        if statement.about:
            yield node, DCKG.about, self.about_iri(statement.about), g
        if statement.section:
            yield node, DCKG.inSection, mint("section", source.id, statement.section), g
        when = statement.when
        if when.period and not isinstance(statement, Observation):
            yield node, DCKG.refPeriod, mint("period", when.period), g
        if not when.stated:
            yield node, DCKG.timeStated, Literal(False), g
            assert source.published is not None  # checked at load
            yield node, DCKG.reportedOn, _date_literal(source.published[:10]), g
        yield from self._labels(node, when.wording, g, DCKG.timeWording)
        if isinstance(statement, Observation):
            yield from self._observation(node, statement, g)
        elif isinstance(statement, GroupClaim):
            yield from self._group(node, statement, g)
        else:
            yield from self._fact(node, statement, g)
        for quote in statement.quotes:
            q = quote_iri(source.id, quote)
            yield node, DCKG.evidence, q, g
            yield from self._quote(q, quote, source, g)

    def _quote(self, node: URIRef, quote: Quote, source: Source, g: URIRef) -> Iterator[Quad]:
        self._origin(node, quote.origin)
        yield node, RDF.type, DCKG.Quotation, g
        yield node, OA.exact, Literal(quote.text, lang=quote.language), g
        yield node, PROV.wasQuotedFrom, mint("source", source.id), g
        title_en = (source.label or source.title).get("en") or source.id
        title_zh = (source.label or source.title).get("zh") or title_en
        if quote.page is not None:
            yield node, DCKG.page, Literal(str(quote.page), datatype=XSD.positiveInteger), g
            yield (
                node,
                RDFS.label,
                Literal(f"Quotation from {title_en}, PDF page {quote.page}", lang="en"),
                g,
            )
            yield node, RDFS.label, Literal(f"《{title_zh}》PDF第{quote.page}页引文", lang="zh"), g
        else:
            yield node, RDFS.label, Literal(f"Quotation from {title_en}", lang="en"), g
            yield node, RDFS.label, Literal(f"《{title_zh}》引文", lang="zh"), g
        if quote.printed_page is not None:
            yield node, DCKG.printedPage, Literal(quote.printed_page), g
        if quote.translation:
            yield node, DCKG.curatorTranslation, Literal(quote.translation, lang="en"), g

    def _observation(self, node: URIRef, obs: Observation, g: URIRef) -> Iterator[Quad]:
        """The observation's template (:mod:`kg.observation`), then the source's wording."""
        yield node, RDF.type, DCKG.Observation, g
        yield from self._labels(node, self.statement_label(obs), g)
        for part in parts():
            term = self.part_term(obs, part)
            if term is not None:
                yield node, part.predicate, term, g
        yield from self._labels(node, obs.wording, g, DCKG.originalWording)

    def part_term(self, obs: Observation, part: Part) -> Node | None:
        """The RDF term that fills one part of an observation's template (None: no period)."""
        slot = part.slot
        if slot == "source":
            return mint("source", obs.source)
        if slot in ("area", "indicator"):
            return mint(slot, obs.area if slot == "area" else obs.indicator)
        if slot == "period":
            return mint("period", obs.when.period) if obs.when.period else None
        if slot == "value":
            return value_literal(obs.value, self.units[obs.unit].integer)
        if slot == "unit":
            return self.unit_iri(obs.unit)
        if slot == "qualifier":
            return QUALIFIER_CONCEPTS[obs.qualifier]
        return KIND_CONCEPTS[obs.kind]

    def _when_labels(self, statement: Statement) -> tuple[str, str]:
        if statement.when.period:
            period = self.periods[statement.when.period].label
            return period.get("en") or "", period.get("zh") or ""
        published = (self.sources[statement.source].published or "")[:10]
        return f"as reported on {published}", f"{published}报道"

    def _group(self, node: URIRef, claim: GroupClaim, g: URIRef) -> Iterator[Quad]:
        yield node, RDF.type, DCKG.GroupClaim, g
        yield node, DCKG.groupKind, GROUP_CONCEPTS[claim.group], g
        if claim.dimension:
            yield node, DCKG.dimension, mint("dimension", claim.dimension), g
        member_kind = "dimension" if claim.group == "evaluated-dimensions" else "area"
        for member in claim.members:
            yield node, DCKG.member, mint(member_kind, member), g
        if claim.declared_count is not None:
            yield (
                node,
                DCKG.declaredCount,
                Literal(str(claim.declared_count), datatype=XSD.positiveInteger),
                g,
            )
        yield from self._labels(node, self.statement_label(claim), g)

    def _fact(self, node: URIRef, claim: FactClaim, g: URIRef) -> Iterator[Quad]:
        yield node, RDF.type, DCKG.FactClaim, g
        yield from self._labels(node, self.statement_label(claim), g)

    def statement_label(self, statement: Statement) -> Text:
        """The statement's labels: the curator's where given, else made from its parts."""
        if isinstance(statement, FactClaim):
            return statement.label
        when_en, when_zh = self._when_labels(statement)
        if isinstance(statement, GroupClaim):
            if statement.label:
                return statement.label
            group_en, group_zh = GROUP_LABELS[statement.group]
            subject_en = subject_zh = ""
            if statement.dimension:
                dim = next(d for d in self.records.dimensions if d.id == statement.dimension).label
                subject_en, subject_zh = f" in {dim.get('en')}", dim.get("zh") or ""
            source = self.sources[statement.source]
            source_en = (source.label or source.title).get("en")
            source_zh = (source.label or source.title).get("zh") or source_en
            return Text.of(
                {
                    "en": f"{group_en}{subject_en}, {when_en} (according to {source_en})",
                    "zh": f"{subject_zh}{group_zh}（{when_zh}，据{source_zh}）",
                }
            )
        labels = observation_labels(
            self.areas[statement.area].label,
            self.indicators[statement.indicator].label,
            statement.kind,
            statement.qualifier,
            statement.value,
            self.units[statement.unit],
            (when_en, when_zh),
        )
        return Text.of({"en": labels[0], "zh": labels[1]})


def _date_literal(text: str) -> Literal:
    if "T" in text:
        return Literal(text, datatype=XSD.dateTime)
    if len(text) == 10:
        return Literal(text, datatype=XSD.date)
    if len(text) == 7:
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(text, datatype=XSD.gYear)


def build(records: Records) -> tuple[Iterator[Quad], Built]:
    """The quads of ``records`` as a stream, and the origins it fills in as it goes."""
    builder = Builder(records)
    return builder.quads(), builder.built

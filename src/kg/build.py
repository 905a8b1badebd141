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
    FactClaim,
    GroupClaim,
    Observation,
    Quote,
    Records,
    Source,
    Statement,
    Text,
    Unit,
)
from kg.vocab import DCKG, LINKS_GRAPH, OA, REFERENCE_GRAPH, SCHEMA, graph_iri, mint

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
KIND_CONCEPTS: dict[str, URIRef] = {
    "total": DCKG.Total,
    "new": DCKG.NewInPeriod,
    "net-increase": DCKG.NetIncrease,
    "share": DCKG.Share,
    "rank": DCKG.Rank,
    "yoy-growth": DCKG.YearOnYearGrowth,
    "growth": DCKG.GrowthOverPeriod,
    "average-annual-growth": DCKG.AverageAnnualGrowth,
    "ratio": DCKG.Ratio,
}
QUALIFIER_CONCEPTS: dict[str, URIRef] = {
    "exact": DCKG.Exact,
    "lower-bound": DCKG.LowerBound,
    "upper-bound": DCKG.UpperBound,
    "approximate": DCKG.Approximate,
}
QUALIFIER_SIGNS = {"exact": "", "lower-bound": "> ", "upper-bound": "< ", "approximate": "≈ "}
GROUP_CONCEPTS: dict[str, URIRef] = {
    "top-10": DCKG.TopTen,
    "first-tier": DCKG.FirstTier,
    "first-group": DCKG.FirstGroup,
    "evaluated-dimensions": DCKG.EvaluatedDimensions,
    "evaluated-areas": DCKG.EvaluatedAreas,
}
KIND_LABELS = {
    "total": ("total", "总量"),
    "new": ("new in period", "期内新增"),
    "net-increase": ("net increase", "净增"),
    "share": ("share", "占比"),
    "rank": ("rank", "名次"),
    "yoy-growth": ("year-on-year growth", "同比增长"),
    "growth": ("growth over period", "期间增长"),
    "average-annual-growth": ("average annual growth", "年均增长"),
    "ratio": ("ratio", "比率"),
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
    text = format_value(value)
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def format_value(value: Decimal) -> str:
    """A number without exponent or trailing zeros: 1.30E+12 -> "1300000000000", 99.0 -> "99"."""
    return format(value.normalize(), "f")


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
        g = REFERENCE_GRAPH
        r = self.records
        for ds in r.code_datasets:
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
        for area in r.areas:
            yield from self._area(area, g)
        for unit in r.units:
            node = self.unit_iri(unit.id)
            self._origin(node, unit.origin)
            yield node, RDF.type, DCKG.Unit, g
            yield from self._labels(node, unit.label, g)
            yield node, DCKG.integerValued, Literal(unit.integer), g
            if unit.symbol:
                yield node, DCKG.symbol, Literal(unit.symbol), g
            yield from self._labels(node, unit.definition, g, SKOS.definition)
        yield INDICATOR_SCHEME, RDF.type, SKOS.ConceptScheme, g
        yield INDICATOR_SCHEME, RDFS.label, Literal("dckg indicators", lang="en"), g
        yield INDICATOR_SCHEME, RDFS.label, Literal("dckg指标体系", lang="zh"), g
        yield INDICATOR_SCHEME, SKOS.prefLabel, Literal("dckg indicators", lang="en"), g
        yield INDICATOR_SCHEME, SKOS.prefLabel, Literal("dckg指标体系", lang="zh"), g
        for ind in r.indicators:
            node = mint("indicator", ind.id)
            self._origin(node, ind.origin)
            yield node, RDF.type, DCKG.Indicator, g
            yield from self._labels(node, ind.label, g)
            yield from self._labels(node, ind.label, g, SKOS.prefLabel)
            yield from self._labels(node, ind.definition, g, SKOS.definition)
            yield node, SKOS.inScheme, INDICATOR_SCHEME, g
            if ind.broader:
                yield node, SKOS.broader, mint("indicator", ind.broader), g
            else:
                yield node, SKOS.topConceptOf, INDICATOR_SCHEME, g
            if ind.unit:
                yield node, DCKG.defaultUnit, self.unit_iri(ind.unit), g
        for period in r.periods:
            node = mint("period", period.id)
            self._origin(node, period.origin)
            yield node, RDF.type, DCKG.Period, g
            yield from self._labels(node, period.label, g)
            yield node, DCKG.startDate, Literal(period.start.isoformat(), datatype=XSD.date), g
            yield node, DCKG.endDate, Literal(period.end.isoformat(), datatype=XSD.date), g
        for plan in r.plans:
            node = mint("plan", plan.id)
            self._origin(node, plan.origin)
            yield node, RDF.type, DCKG.FiveYearPlan, g
            yield from self._labels(node, plan.label, g)
            yield from self._labels(node, plan.alt_label, g, SKOS.altLabel)
            yield node, DCKG.ordinal, Literal(str(plan.ordinal), datatype=XSD.positiveInteger), g
            yield node, DCKG.planPeriod, mint("period", plan.period), g
        for scheme in r.schemes:
            node = mint("scheme", scheme.id)
            self._origin(node, scheme.origin)
            yield node, RDF.type, SKOS.ConceptScheme, g
            yield from self._labels(node, scheme.label, g)
            yield from self._labels(node, scheme.label, g, SKOS.prefLabel)
            yield from self._labels(node, scheme.definition, g, SKOS.definition)
            if scheme.source:
                yield node, DCTERMS.source, mint("source", scheme.source), g
        for dim in r.dimensions:
            node = mint("dimension", dim.id)
            in_scheme = mint("scheme", dim.scheme)
            self._origin(node, dim.origin)
            yield (
                node,
                RDF.type,
                DCKG.EvaluationSubIndicator if dim.broader else DCKG.EvaluationDimension,
                g,
            )
            yield from self._labels(node, dim.label, g)
            yield from self._labels(node, dim.label, g, SKOS.prefLabel)
            yield from self._labels(node, dim.definition, g, SKOS.definition)
            yield node, SKOS.inScheme, in_scheme, g
            if dim.broader:
                yield node, SKOS.broader, mint("dimension", dim.broader), g
                yield from self._labels(node, dim.key_elements, g, DCKG.keyElements)
            else:
                yield node, SKOS.topConceptOf, in_scheme, g
                yield node, DCKG.scored, Literal(dim.scored), g
        for org in r.organisations:
            node = mint("org", org.id)
            self._origin(node, org.origin)
            yield node, RDF.type, DCKG.Organisation, g
            yield from self._labels(node, org.label, g)
            for lang, name in org.alt_label:
                yield node, SKOS.altLabel, Literal(name, lang=lang), g
        for person in r.people:
            node = mint("person", person.id)
            self._origin(node, person.origin)
            yield node, RDF.type, DCKG.Person, g
            yield from self._labels(node, person.label, g)
            if person.note:
                yield node, SKOS.note, Literal(person.note, lang="en"), g
        for infra in r.infrastructure:
            node = mint("infrastructure", infra.id)
            self._origin(node, infra.origin)
            yield node, RDF.type, INFRASTRUCTURE_CLASSES[infra.type], g
            yield from self._labels(node, infra.label, g)
            for area_id in infra.located_in:
                yield node, DCKG.locatedIn, mint("area", area_id), g
            if infra.part_of:
                yield node, DCKG.partOf, mint("infrastructure", infra.part_of), g
        for ev in r.evaluations:
            node = mint("evaluation", ev.id)
            self._origin(node, ev.origin)
            yield node, RDF.type, DCKG.Evaluation, g
            yield from self._labels(node, ev.label, g)
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

    def _statement(self, statement: Statement) -> Iterator[Quad]:
        source = self.sources[statement.source]
        g = source_graph(source.id)
        node = statement_iri(statement)
        self._origin(node, statement.origin)
        yield node, PROV.wasDerivedFrom, mint("source", source.id), g
        if statement.area:
            yield node, DCKG.area, mint("area", statement.area), g
        if statement.indicator:
            yield node, DCKG.indicator, mint("indicator", statement.indicator), g
        if statement.about:
            yield node, DCKG.about, self.about_iri(statement.about), g
        when = statement.when
        if when.period:
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
        unit = self.units[obs.unit]
        yield node, RDF.type, DCKG.Observation, g
        yield node, DCKG.value, value_literal(obs.value, unit.integer), g
        yield node, DCKG.unit, self.unit_iri(obs.unit), g
        yield node, DCKG.qualifier, QUALIFIER_CONCEPTS[obs.qualifier], g
        yield node, DCKG.statementKind, KIND_CONCEPTS[obs.kind], g
        yield from self._labels(node, obs.wording, g, DCKG.originalWording)
        yield from self._labels(node, self.statement_label(obs), g)

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


def observation_labels(
    area: Text,
    indicator: Text,
    kind: str,
    qualifier: str,
    value: Decimal,
    unit: Unit,
    when: tuple[str, str],
) -> tuple[str, str]:
    """An observation's (en, zh) labels: "Henan, 5G base stations (total), 2021: 124700"."""
    kind_en, kind_zh = KIND_LABELS[kind]
    sign = QUALIFIER_SIGNS[qualifier]
    number = format_value(value)
    unit_en = unit.symbol if unit.symbol is not None else unit.label.get("en") or ""
    unit_zh = unit.symbol if unit.symbol is not None else unit.label.get("zh") or ""
    en = f"{area.get('en')}, {indicator.get('en')} ({kind_en}), {when[0]}: {sign}{number} {unit_en}"
    zh = f"{area.get('zh')}{indicator.get('zh')}（{kind_zh}，{when[1]}）：{sign}{number} {unit_zh}"
    return en.rstrip(), zh.rstrip()


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

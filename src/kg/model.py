"""Typed records: what the curated data files say, checked, before it becomes RDF.

Every record keeps its :class:`~kg.errors.Origin` (file and line), so that a SHACL violation
on the node it produced can be reported at the line a curator has to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kg.errors import Origin

# Language tags a text may carry: English, Chinese, and pinyin marked as a transliteration.
LANGUAGES = ("en", "zh", "zh-Latn-pinyin")

# The values a record's choice fields may take.
AREA_TYPES = (
    "country",
    "municipality",
    "province",
    "autonomous-region",
    "prefecture-level-city",
    "sub-prefecture-level-city",
    "county",
)
INFRASTRUCTURE_TYPES = (
    "network",
    "backbone-direct-connection-point",
    "identifier-resolution-system",
    "identifier-resolution-node",
    "platform-system",
)
SOURCE_TYPES = ("news-article", "report")
KINDS = (
    "total",
    "new",
    "net-increase",
    "share",
    "rank",
    "yoy-growth",
    "growth",
    "average-annual-growth",
    "ratio",
)
QUALIFIERS = ("exact", "lower-bound", "upper-bound", "approximate")
GROUP_KINDS = ("top-10", "first-tier", "first-group", "evaluated-dimensions", "evaluated-areas")


@dataclass(frozen=True)
class Text:
    """One text in several languages, e.g. a label in English and Chinese."""

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> Text:
        return cls(tuple(sorted(mapping.items())))

    def get(self, language: str) -> str | None:
        for lang, text in self.items:
            if lang == language:
                return text
        return None

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class CodeDataset:
    id: str
    repository: str
    path: str
    commit: str | None
    revision: str | None
    origin: Origin


@dataclass(frozen=True)
class Area:
    id: str
    type: str  # country | municipality | province | autonomous-region | prefecture-level-city | ...
    label: Text
    origin: Origin
    code: str | None = None
    code_sources: tuple[str, ...] = ()
    short_zh: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Unit:
    id: str
    iri: str | None  # QUDT's IRI where QUDT has the unit; None: a dckg unit is minted
    label: Text
    integer: bool
    origin: Origin
    symbol: str | None = None
    definition: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: Text
    definition: Text
    origin: Origin
    unit: str | None = None
    broader: str | None = None


@dataclass(frozen=True)
class Period:
    id: str
    start: date
    end: date
    label: Text
    origin: Origin


@dataclass(frozen=True)
class Plan:
    id: str
    ordinal: int
    label: Text
    period: str
    origin: Origin
    alt_label: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Scheme:
    """A SKOS concept scheme that curated concepts (evaluation dimensions) belong to."""

    id: str
    label: Text
    definition: Text
    origin: Origin
    source: str | None = None  # the document that defines the scheme


@dataclass(frozen=True)
class Dimension:
    """A dimension (first-level indicator) of an evaluation, or a sub-indicator under one."""

    id: str
    scheme: str
    label: Text
    definition: Text
    origin: Origin
    broader: str | None = None  # set for a sub-indicator
    key_elements: Text = field(default_factory=Text)
    scored: bool = True


@dataclass(frozen=True)
class Organisation:
    id: str
    label: Text
    origin: Origin
    alt_label: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    label: Text  # zh, and en or zh-Latn-pinyin
    origin: Origin
    note: str | None = None


@dataclass(frozen=True)
class Infrastructure:
    id: str
    type: str
    label: Text
    origin: Origin
    located_in: tuple[str, ...] = ()
    part_of: str | None = None


@dataclass(frozen=True)
class Evaluation:
    id: str
    label: Text
    evaluator: str
    reported_in: str
    origin: Origin
    period: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    type: str  # news-article | report
    origin: Origin
    title: Text = field(default_factory=Text)
    label: Text = field(default_factory=Text)
    publisher: str | None = None
    published: str | None = None  # lexical form; its datatype follows from its shape
    languages: tuple[str, ...] = ()
    text_file: str | None = None
    page_count: int | None = None
    authors: tuple[str, ...] = ()
    compilers: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    based_on: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Quote:
    """The source's own words, in one language, with the PDF page where it starts."""

    language: str
    text: str
    origin: Origin
    page: int | None = None
    printed_page: str | None = None
    translation: str | None = None  # curators' English for a Chinese quote


@dataclass(frozen=True)
class When:
    """The time a statement refers to, or the flag that its source states none."""

    period: str | None
    stated: bool
    wording: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Observation:
    id: str
    source: str
    area: str
    indicator: str
    kind: str
    value: Decimal
    unit: str
    qualifier: str
    wording: Text
    when: When
    quotes: tuple[Quote, ...]
    origin: Origin
    about: str | None = None
    section: str | None = None  # the id of the report section it stands in
    reviewed: tuple[str, ...] = ()  # the fields a curator checked against the quote


@dataclass(frozen=True)
class GroupClaim:
    id: str
    source: str
    group: str
    members: tuple[str, ...]
    when: When
    quotes: tuple[Quote, ...]
    origin: Origin
    label: Text = field(default_factory=Text)
    declared_count: int | None = None
    dimension: str | None = None
    indicator: str | None = None
    about: str | None = None
    area: str | None = None
    section: str | None = None
    reviewed: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactClaim:
    id: str
    source: str
    label: Text
    when: When
    quotes: tuple[Quote, ...]
    origin: Origin
    about: str | None = None
    area: str | None = None
    indicator: str | None = None
    section: str | None = None
    reviewed: tuple[str, ...] = ()


Statement = Observation | GroupClaim | FactClaim

# What a curator may say was checked of a statement against its sentence (``reviewed:``).
REVIEWED_FIELDS = (
    "value",
    "qualifier",
    "kind",
    "time",
    "indicator",
    "area",
    "quote",
    "page",
    "translation",
)


@dataclass(frozen=True)
class Section:
    """A heading of a source document: a part, chapter or section, in order among its siblings."""

    id: str
    source: str
    title: Text  # zh as printed; en the curators' translation
    page: int | None  # the PDF page where the heading stands
    order: int  # 1, 2, ... among the sections of the same parent
    origin: Origin
    number: str | None = None  # as printed: 一、 （三） 第一篇
    parent: str | None = None  # the enclosing section's id; None at the top


@dataclass(frozen=True)
class AreaLink:
    """An accepted link from one of our areas to another graph (a row of data/links/*.sssom.tsv)."""

    area: str
    target: str  # the mapping set's name: wikidata, geonames ...
    object: str  # full IRI
    origin: Origin


@dataclass(frozen=True)
class Records:
    """Everything a project's data folder says, checked and cross-referenced."""

    code_datasets: tuple[CodeDataset, ...] = ()
    areas: tuple[Area, ...] = ()
    units: tuple[Unit, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    periods: tuple[Period, ...] = ()
    plans: tuple[Plan, ...] = ()
    schemes: tuple[Scheme, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    people: tuple[Person, ...] = ()
    infrastructure: tuple[Infrastructure, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    sources: tuple[Source, ...] = ()
    statements: tuple[Statement, ...] = ()
    links: tuple[AreaLink, ...] = ()
    sections: tuple[Section, ...] = ()

"""The observation template: what one observation says, in every writer's words.

An observation is its class, two labels (en and zh) worded by :data:`LABELS`, and the
:data:`PARTS` (predicate and the slot that fills it), plus its ``statements.csv`` columns
(:func:`columns`). The curated builder (:mod:`kg.build`), the streaming row writer
(:mod:`kg.rows`, which compiles this template into one function per build) and the
statements export (:mod:`kg.export`) all render through it, so a new part or a new wording
is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from string import Formatter

from rdflib import URIRef
from rdflib.namespace import PROV

from kg.model import Text, Unit
from kg.vocab import DCKG

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

# The labels, by language. Slots: the area's, the indicator's and the kind's labels in that
# language, the time ("2021", or "as reported on ..."), the qualifier's sign, the number as
# written in the graph, and the unit's words (" 个", or "" for a unit without words).
LABELS: dict[str, str] = {
    "en": "{area}, {indicator} ({kind}), {when}: {sign}{number}{unit}",
    "zh": "{area}{indicator}（{kind}，{when}）：{sign}{number}{unit}",
}
LABEL_SLOTS = frozenset({"area", "indicator", "kind", "when", "sign", "number", "unit"})

# What fills a part: the source document, the area, indicator and period (IRIs of reference
# records), the value (a literal), the unit, and the qualifier and kind (concepts).
SLOTS = ("source", "area", "indicator", "period", "value", "unit", "qualifier", "kind")


@dataclass(frozen=True)
class Part:
    """One predicate of an observation, the slot that fills it, and its statements.csv column."""

    predicate: URIRef
    slot: str
    column: str | None = None  # a column of its own, after the base columns, if not None


PARTS: tuple[Part, ...] = (
    Part(PROV.wasDerivedFrom, "source"),
    Part(DCKG.area, "area"),
    Part(DCKG.indicator, "indicator"),
    Part(DCKG.refPeriod, "period"),
    Part(DCKG.value, "value"),
    Part(DCKG.unit, "unit"),
    Part(DCKG.qualifier, "qualifier"),
    Part(DCKG.statementKind, "kind"),
)

BASE_COLUMNS = (
    "statement",
    "type",
    "source",
    "area",
    "area_code",
    "area_en",
    "area_zh",
    "indicator",
    "indicator_en",
    "kind",
    "value",
    "unit",
    "qualifier",
    "period",
    "period_start",
    "period_end",
    "time_stated",
    "reported_on",
    "time_wording",
    "wording_en",
    "wording_zh",
    "group",
    "dimension",
    "members",
    "label_en",
    "label_zh",
    "pages",
    "section",
    "section_en",
    "section_zh",
    "quote_en",
    "quote_zh",
    "translation_en",
    "table",
    "table_row",
)


def parts() -> tuple[Part, ...]:
    """The template's parts, read when called (a test may add one)."""
    for part in PARTS:
        if part.slot not in SLOTS:
            raise ValueError(f"part {part.predicate}: unknown slot {part.slot!r}")
    return PARTS


def columns() -> tuple[str, ...]:
    """The columns of statements.csv: the base ones, then those of parts that have their own."""
    extra = tuple(p.column for p in parts() if p.column and p.column not in BASE_COLUMNS)
    return BASE_COLUMNS + extra


def label_pieces(lang: str) -> list[tuple[str, str | None]]:
    """A label's template as (literal text, slot or None) pieces, in order."""
    pieces = []
    for literal, slot, _, _ in Formatter().parse(LABELS[lang]):
        if slot is not None and slot not in LABEL_SLOTS:
            raise ValueError(f"label {lang}: unknown slot {slot!r}")
        pieces.append((literal, slot))
    return pieces


def format_value(value: Decimal) -> str:
    """A number without exponent or trailing zeros: 1.30E+12 -> "1300000000000", 99.0 -> "99"."""
    return format(value.normalize(), "f")


def value_lexical(value: Decimal, integer: bool) -> str:
    """The value's lexical form: an xsd:integer's digits, or an XSD 1.0 canonical decimal."""
    text = format_value(value)
    if integer:
        return text
    return text if "." in text else text + ".0"


def unit_words(unit: Unit) -> tuple[str, str]:
    """The (en, zh) words that end a label: " " and the symbol or label, right-stripped."""
    en = unit.symbol if unit.symbol is not None else unit.label.get("en") or ""
    zh = unit.symbol if unit.symbol is not None else unit.label.get("zh") or ""
    return f" {en}".rstrip(), f" {zh}".rstrip()


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
    words = unit_words(unit)
    labels = []
    for index, lang in enumerate(("en", "zh")):
        slots = {
            "area": str(area.get(lang)),
            "indicator": str(indicator.get(lang)),
            "kind": KIND_LABELS[kind][index],
            "when": when[index],
            "sign": QUALIFIER_SIGNS[qualifier],
            "number": format_value(value),
            "unit": words[index],
        }
        labels.append(LABELS[lang].format(**slots))
    return labels[0], labels[1]

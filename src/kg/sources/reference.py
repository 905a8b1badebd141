"""The reference records of ``data/reference/``: one parser per kind (areas, units ...)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from kg.model import (
    AREA_TYPES,
    INFRASTRUCTURE_TYPES,
    Area,
    CodeDataset,
    Dimension,
    Evaluation,
    Indicator,
    Infrastructure,
    Organisation,
    Period,
    Person,
    Plan,
    Scheme,
    Unit,
)
from kg.sources.fields import Fields, clean, require_languages

# ---------------------------------------------------------------------------------------------
# Reference records
# ---------------------------------------------------------------------------------------------


def _code_dataset(f: Fields) -> CodeDataset | None:
    f.allow("id", "repository", "path", "commit", "revision")
    rec = CodeDataset(
        id=f.slug("id") or "",
        repository=f.string("repository") or "",
        path=f.string("path") or "",
        commit=f.string("commit", required=False),
        revision=f.string("revision", required=False),
        origin=f.origin,
    )
    if rec.repository and not re.fullmatch(r"[\w.-]+/[\w.-]+", rec.repository):
        f.error("repository", f"repository {rec.repository!r} is not owner/name")
    return rec if f.ok else None


def _area(f: Fields) -> Area | None:
    f.allow("id", "type", "code", "code_sources", "label", "short_zh", "parent")
    code = f.raw("code", False)
    if code is not None and not isinstance(code, str):
        f.error("code", f"code {code!r} must be quoted text", hint='write code: "410000"')
        code = None
    if isinstance(code, str) and not re.fullmatch(r"[1-9]\d{5}", code):
        f.error(
            "code",
            f"code {code!r} is not a six-digit GB/T 2260 code",
            hint='six digits, the first not 0, quoted: code: "410000"',
        )
    rec = Area(
        id=f.slug("id") or "",
        type=f.string("type", choices=AREA_TYPES) or "",
        label=f.text("label", languages=("en", "zh")),
        code=code,
        code_sources=f.slugs("code_sources"),
        short_zh=f.string("short_zh", required=False),
        parent=f.slug("parent", required=False),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    if rec.code and not rec.code_sources:
        f.error("code", "a code needs code_sources: the datasets it was found in")
    if rec.type != "country" and rec.parent is None:
        f.error(None, "an area other than a country needs a parent")
    return rec if f.ok else None


def _unit(f: Fields) -> Unit | None:
    f.allow("id", "iri", "label", "symbol", "integer", "definition")
    iri = f.string("iri", required=False)
    if iri is not None and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
        f.error(
            "iri",
            f"iri {iri!r} is not an http(s) IRI",
            hint='an IRI has no spaces and none of <>"{}|\\^`; leave iri out to mint one',
        )
    rec = Unit(
        id=f.slug("id") or "",
        iri=iri,
        label=f.text("label", languages=("en", "zh")),
        symbol=_symbol(f),
        integer=f.flag("integer", False),
        definition=f.text("definition", required=False, languages=("en", "zh")),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _symbol(f: Fields) -> str | None:
    """A unit's symbol for labels; an empty one means "none" (counts read best bare)."""
    value = f.raw("symbol", False)
    if value is None or value == "":
        return None if value is None else ""
    if not isinstance(value, str):
        f.error("symbol", "symbol must be text")
        return None
    return value.strip()


def _indicator(f: Fields) -> Indicator | None:
    f.allow("id", "label", "definition", "unit", "broader")
    rec = Indicator(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        unit=f.slug("unit", required=False),
        broader=f.slug("broader", required=False),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _period(f: Fields) -> Period | None:
    f.allow("id", "start", "end", "label")
    start, end = f.day("start"), f.day("end")
    if start and end and end < start:
        f.error(
            "end",
            f"period ends ({end}) before it starts ({start})",
            hint="check the two dates; start is the first day, end the last",
        )
    rec = Period(
        id=f.slug("id") or "",
        start=start or date.min,
        end=end or date.min,
        label=f.text("label", languages=("en", "zh")),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _plan(f: Fields) -> Plan | None:
    f.allow("id", "ordinal", "label", "alt_label", "period")
    rec = Plan(
        id=f.slug("id") or "",
        ordinal=f.integer("ordinal", minimum=1) or 0,
        label=f.text("label", languages=("en", "zh")),
        alt_label=f.text("alt_label", required=False, languages=("en", "zh")),
        period=f.slug("period") or "",
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _scheme(f: Fields) -> Scheme | None:
    f.allow("id", "label", "definition", "source")
    rec = Scheme(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        source=f.slug("source", required=False),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _dimension(f: Fields) -> Dimension | None:
    f.allow("id", "scheme", "label", "definition", "broader", "key_elements", "scored")
    rec = Dimension(
        id=f.slug("id") or "",
        scheme=f.slug("scheme") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        broader=f.slug("broader", required=False),
        key_elements=f.text("key_elements", required=False, languages=("en", "zh")),
        scored=f.flag("scored", True),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _organisation(f: Fields) -> Organisation | None:
    f.allow("id", "label", "alt_label")
    alt = f.raw("alt_label", False)
    alt_items: list[tuple[str, str]] = []
    if alt is not None:
        if not isinstance(alt, Mapping):
            f.error("alt_label", "alt_label must map languages to a list of names")
        else:
            for lang, names in alt.items():
                names = names if isinstance(names, list) else [names]
                if lang not in ("en", "zh") or not all(
                    isinstance(n, str) and n.strip() for n in names
                ):
                    f.error("alt_label", "alt_label must map en/zh to names")
                    continue
                alt_items.extend((str(lang), clean(n)) for n in names)
    rec = Organisation(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        alt_label=tuple(sorted(alt_items)),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _person(f: Fields) -> Person | None:
    f.allow("id", "label", "note")
    rec = Person(
        id=f.slug("id") or "",
        label=f.text("label"),
        note=f.string("note", required=False),
        origin=f.origin,
    )
    if rec.label and rec.label.get("zh") is None:
        f.error("label", "a person needs a Chinese name (zh)")
    if rec.label and rec.label.get("en") is None and rec.label.get("zh-Latn-pinyin") is None:
        f.error(
            "label",
            "a person needs an English name or a pinyin transliteration",
            hint="add zh-Latn-pinyin: the name in pinyin, when the source gives no English name",
        )
    return rec if f.ok else None


def _infrastructure(f: Fields) -> Infrastructure | None:
    f.allow("id", "type", "label", "located_in", "part_of")
    rec = Infrastructure(
        id=f.slug("id") or "",
        type=f.string("type", choices=INFRASTRUCTURE_TYPES) or "",
        label=f.text("label", languages=("en", "zh")),
        located_in=f.slugs("located_in"),
        part_of=f.slug("part_of", required=False),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _evaluation(f: Fields) -> Evaluation | None:
    f.allow("id", "label", "evaluator", "reported_in", "period")
    rec = Evaluation(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        evaluator=f.slug("evaluator") or "",
        reported_in=f.slug("reported_in") or "",
        period=f.slug("period", required=False),
        origin=f.origin,
    )
    require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


REFERENCE_SECTIONS: dict[str, Callable[[Fields], Any]] = {
    "code_datasets": _code_dataset,
    "areas": _area,
    "units": _unit,
    "indicators": _indicator,
    "periods": _period,
    "plans": _plan,
    "schemes": _scheme,
    "dimensions": _dimension,
    "organisations": _organisation,
    "people": _person,
    "infrastructure": _infrastructure,
    "evaluations": _evaluation,
}

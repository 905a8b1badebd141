"""The source documents of ``data/sources/``: the document, its statements and claims."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kg import numbers
from kg.errors import RecordError, did_you_mean
from kg.model import (
    GROUP_KINDS,
    KINDS,
    QUALIFIERS,
    REVIEWED_FIELDS,
    SOURCE_TYPES,
    FactClaim,
    GroupClaim,
    Observation,
    Quote,
    Section,
    Source,
    Statement,
    When,
)
from kg.sources.fields import Fields, items_of, kind_of, require_languages
from kg.sources.nodes import YamlList, YamlMap

# ---------------------------------------------------------------------------------------------
# Source documents and their statements
# ---------------------------------------------------------------------------------------------

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")


def _published(f: Fields) -> str | None:
    value = f.raw("published", False)
    if value is None:
        return None
    text = str(value).strip()
    if _DATETIME.match(text):
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return text
        except ValueError:
            pass
    elif _DATE.match(text):
        try:
            date.fromisoformat(text)
            return text
        except ValueError:
            pass
    elif _YEAR_MONTH.match(text) or _YEAR.match(text):
        return text
    f.error(
        "published",
        f"published is {text!r}, not a date that exists",
        hint="write YYYY-MM-DDThh:mm:ss+08:00, YYYY-MM-DD, YYYY-MM or YYYY",
    )
    return None


def read_source(f: Fields, nested: bool = False) -> tuple[Source | None, list[Source]]:
    keys = [
        "id",
        "type",
        "title",
        "label",
        "publisher",
        "published",
        "languages",
        "text_file",
        "page_count",
        "authors",
        "compilers",
        "reviewers",
        "editors",
        "based_on",
        "url",
    ]
    f.allow(*keys)
    extra: list[Source] = []
    based_on: str | None = None
    nested_node = f.raw("based_on", False)
    if isinstance(nested_node, YamlMap):
        inner, more = read_source(Fields(nested_node, f.path, f.errors), nested=True)
        extra.extend(more)
        if inner is not None:
            extra.append(inner)
            based_on = inner.id
    elif nested_node is not None:
        based_on = f.slug("based_on")
    languages = f.raw("languages", False) or []
    if not isinstance(languages, list) or not all(lang in ("en", "zh") for lang in languages):
        f.error("languages", "languages must be a list of en/zh")
        languages = []
    rec = Source(
        id=f.slug("id") or "",
        type=f.string("type", choices=SOURCE_TYPES) or "",
        title=f.text("title", required=not nested, languages=("en", "zh")),
        label=f.text("label", required=False, languages=("en", "zh")),
        publisher=f.slug("publisher"),
        published=_published(f),
        languages=tuple(str(lang) for lang in languages),
        text_file=f.string("text_file", required=False),
        page_count=f.integer("page_count", required=False, minimum=1),
        authors=f.slugs("authors"),
        compilers=f.slugs("compilers"),
        reviewers=f.slugs("reviewers"),
        editors=f.slugs("editors"),
        based_on=based_on,
        url=f.string("url", required=False),
        origin=f.origin,
    )
    if not nested and f.raw("published", False) is None:
        f.error(None, "a source document needs its publication date (published)")
    if rec.title.get("en") is None and rec.label.get("en") is None:
        f.error(
            "title",
            "a source needs an English title or label",
            hint="add label: {en: ..., zh: ...} for an untitled document",
        )
    return (rec if f.ok else None), extra


def _quotes(f: Fields, source: Source) -> tuple[Quote, ...]:
    value = f.raw("quotes", True)
    if value is None:
        return ()
    if not isinstance(value, YamlList) or not value:
        f.error(
            "quotes",
            "quotes must be a non-empty list",
            hint="each item: {page: N, zh: ..., translation: ...}",
        )
        return ()
    quotes: list[Quote] = []
    for item in items_of(f, "quotes"):
        item.allow("page", "printed_page", "en", "zh", "translation")
        page = item.integer("page", required=False, minimum=1)
        printed = item.raw("printed_page", False)
        translation = item.string("translation", required=False)
        texts = {lang: item.string(lang, required=False) for lang in ("en", "zh")}
        if not any(texts.values()):
            item.error(None, "a quote needs the source's words in en or zh")
        if source.page_count is not None:
            if page is None:
                item.error(None, "a quote from a paginated source needs its PDF page (page: N)")
            elif page > source.page_count:
                item.error(
                    "page",
                    f"page {page} is beyond the source's {source.page_count} pages",
                    hint="page is the PDF page (=====PAGE N===== in the text); check page_count",
                )
        if translation is not None and texts["zh"] is None:
            item.error("translation", "translation is for a Chinese quote (zh)")
        for lang, text in texts.items():
            if text is None:
                continue
            if lang not in source.languages:
                item.error(
                    lang,
                    f"the source has no {lang} text to quote",
                    hint="translations go under translation:",
                )
            quotes.append(
                Quote(
                    language=lang,
                    text=text,
                    page=page,
                    printed_page=None if printed is None else str(printed),
                    translation=translation if lang == "zh" else None,
                    origin=item.origin_of(lang),
                )
            )
    return tuple(quotes)


def _when(f: Fields, source: Source) -> When:
    period = f.slug("period", required=False)
    node = f.raw("time", False)
    if node is None:
        if period is None:
            f.error(
                None,
                "a statement needs period: (the year or years it refers to), or time: {stated: false, wording: ...}",
            )
        return When(period=period, stated=True)
    if not isinstance(node, YamlMap):
        f.error("time", "time must be a mapping like {stated: false, wording: {en: Since January}}")
        return When(period=period, stated=True)
    t = Fields(node, f.path, f.errors)
    t.allow("stated", "wording")
    stated = t.flag("stated", True)
    wording = t.text("wording", required=False, languages=("en", "zh"))
    if not t.ok:
        f.ok = False
    if stated and period is None:
        f.error(
            "time",
            "time is stated but no period is given",
            hint="add period: <id>, or stated: false",
        )
    if not stated and period is not None:
        f.error(
            "time",
            "a statement whose time is not stated has no period",
            hint="remove period, or stated: false",
        )
    if not stated and source.published is None:
        f.error(
            "time",
            "a statement without a stated time is recorded as reported on the publication date, which the source lacks",
        )
    return When(period=period, stated=stated, wording=wording)


def _value(f: Fields, integer_units: set[str], unit: str | None) -> Decimal | None:
    raw = f.raw("value", True)
    if raw is None:
        return None
    if isinstance(raw, bool):
        f.error("value", f"value must be a number, not {raw!r}")
        return None
    if isinstance(raw, str):
        example = numbers.normalised_example(raw)
        hint = f"write the number in digits, normalised ({example}), and keep the source's words in wording:"
        if numbers.looks_unnormalised(raw):
            f.error("value", f"value {raw!r} is not normalised", hint=hint)
        else:
            f.error("value", f"value {raw!r} must be a number, not text", hint=hint)
        return None
    if isinstance(raw, float):
        try:
            value = Decimal(repr(raw))
        except InvalidOperation:
            f.error(
                "value", f"value {raw!r} is not a finite number", hint="write the number in digits"
            )
            return None
        if not value.is_finite():
            f.error(
                "value", f"value {raw!r} is not a finite number", hint="write the number in digits"
            )
            return None
        if unit in integer_units:
            f.error(
                "value",
                f"value {raw!r} is in {unit!r}, a whole-number unit, but has a decimal point",
                hint="write a whole number",
            )
            return None
        return value
    if isinstance(raw, int):
        return Decimal(int(raw))
    f.error("value", f"value must be a number, not {kind_of(raw)}")
    return None


def read_observation(f: Fields, source: Source, integer_units: set[str]) -> Observation | None:
    f.allow(
        "id",
        "type",
        "area",
        "indicator",
        "kind",
        "value",
        "unit",
        "qualifier",
        "wording",
        "period",
        "time",
        "quotes",
        "about",
        "section",
        "reviewed",
    )
    unit = f.slug("unit")
    value = _value(f, integer_units, unit)
    qualifier = f.string("qualifier", choices=QUALIFIERS) or ""
    wording = f.text("wording", languages=("en", "zh"))
    for _lang, text in wording.items:
        amount = numbers.parse_amount(text)
        if amount is None and unit == "rank":
            amount = numbers.parse_rank(text)  # 第二, topped: a rank said in words
        if amount is not None and value is not None and amount != value:
            f.error(
                "wording",
                f"value {value} does not match the wording {text!r}, which reads as {amount.normalize():f}",
                hint="normalise the number: 万 = 10^4, 亿 = 10^8, thousand = 10^3",
            )
        cues = numbers.qualifier_cues(text)
        if qualifier and cues and qualifier not in cues:
            f.error(
                "qualifier",
                f"qualifier is {qualifier!r} but the wording {text!r} says {', '.join(sorted(cues))}",
                hint="'more than', 'over', 超过, 以上 are lower bounds; 近, 左右 approximate",
            )
        if qualifier and qualifier != "exact" and not cues:
            f.error(
                "qualifier",
                f"qualifier is {qualifier!r} but the wording {text!r} has no word that says so",
            )
    rec = Observation(
        id=f.slug("id") or "",
        source=source.id,
        area=f.slug("area") or "",
        indicator=f.slug("indicator") or "",
        kind=f.string("kind", choices=KINDS) or "",
        value=value if value is not None else Decimal(0),
        unit=unit or "",
        qualifier=qualifier,
        wording=wording,
        when=_when(f, source),
        quotes=_quotes(f, source),
        about=f.slug("about", required=False),
        origin=f.origin,
        section=f.slug("section", required=False),
        reviewed=_reviewed(f),
    )
    return rec if f.ok else None


def read_claim(f: Fields, source: Source) -> GroupClaim | FactClaim | None:
    kind = f.string("type", choices=("group", "fact"))
    if kind == "group":
        f.allow(
            "id",
            "type",
            "group",
            "members",
            "declared_count",
            "dimension",
            "indicator",
            "about",
            "area",
            "label",
            "period",
            "time",
            "quotes",
            "section",
            "reviewed",
        )
        group = GroupClaim(
            id=f.slug("id") or "",
            source=source.id,
            group=f.string("group", choices=GROUP_KINDS) or "",
            members=f.slugs("members"),
            declared_count=f.integer("declared_count", required=False, minimum=1),
            dimension=f.slug("dimension", required=False),
            indicator=f.slug("indicator", required=False),
            about=f.slug("about", required=False),
            area=f.slug("area", required=False),
            label=f.text("label", required=False, languages=("en", "zh")),
            when=_when(f, source),
            quotes=_quotes(f, source),
            origin=f.origin,
            section=f.slug("section", required=False),
            reviewed=_reviewed(f),
        )
        if not group.members and group.declared_count is None:
            f.error(None, "a group claim needs members or declared_count")
        if len(set(group.members)) != len(group.members):
            f.error("members", "a member is listed twice")
        if group.members and group.declared_count and len(group.members) != group.declared_count:
            f.error(
                "members",
                f"{len(group.members)} members listed but the source declares {group.declared_count}",
            )
        return group if f.ok else None
    f.allow(
        "id",
        "type",
        "label",
        "about",
        "area",
        "indicator",
        "period",
        "time",
        "quotes",
        "section",
        "reviewed",
    )
    fact = FactClaim(
        id=f.slug("id") or "",
        source=source.id,
        label=f.text("label", languages=("en", "zh")),
        about=f.slug("about", required=False),
        area=f.slug("area", required=False),
        indicator=f.slug("indicator", required=False),
        when=_when(f, source),
        quotes=_quotes(f, source),
        origin=f.origin,
        section=f.slug("section", required=False),
        reviewed=_reviewed(f),
    )
    require_languages(f, "label", fact.label, ("en", "zh"))
    return fact if f.ok else None


def _reviewed(f: Fields) -> tuple[str, ...]:
    """``reviewed: [value, qualifier, ...]``: what a curator checked against the sentence."""
    value = f.raw("reviewed", False)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        f.error("reviewed", "reviewed must be a list of the fields checked, such as [value, time]")
        return ()
    unknown = [v for v in value if v not in REVIEWED_FIELDS]
    if unknown:
        f.error(
            "reviewed",
            f"reviewed names {', '.join(map(repr, unknown))}, not a field a curator checks",
            hint=f"name some of: {', '.join(REVIEWED_FIELDS)}",
        )
        return ()
    if len(set(value)) != len(value):
        f.error("reviewed", "reviewed names a field twice")
    return tuple(str(v) for v in value)


# ---------------------------------------------------------------------------------------------
# The document's headings: parts, chapters and sections, nested, in order
# ---------------------------------------------------------------------------------------------


def read_sections(
    items: Iterator[Fields], source: Source, parent: str | None = None
) -> list[Section]:
    """The sections listed under ``sections:`` (each may list its own), in document order."""
    found: list[Section] = []
    for order, f in enumerate(items, start=1):
        f.allow("id", "number", "title", "page", "sections")
        page = f.integer("page", required=source.page_count is not None, minimum=1)
        if page is not None and source.page_count is not None and page > source.page_count:
            f.error("page", f"page {page} is beyond the source's {source.page_count} pages")
        number = f.raw("number", False)
        title = f.text("title", languages=("en", "zh"))
        require_languages(f, "title", title, ("en", "zh"))
        section = Section(
            id=f.slug("id") or "",
            source=source.id,
            title=title,
            page=page,
            order=order,
            origin=f.origin,
            number=None if number is None else str(number),
            parent=parent,
        )
        children = read_sections(items_of(f, "sections"), source, section.id)
        if f.ok:
            found.append(section)
        found.extend(children)
    return found


def check_sections(
    f: Fields, items: list[Fields], sections: list[Section], statements: list[Statement]
) -> None:
    """Section ids are unique in their source; a statement names one of its source's sections."""
    seen: set[str] = set()
    for section in sections:
        if section.id in seen:
            f.errors.append(RecordError(section.origin, f"section id {section.id!r} is used twice"))
        seen.add(section.id)
    for item, statement in zip(items, statements, strict=True):
        if statement.section is not None and statement.section not in seen:
            item.error(
                "section",
                f"section {statement.section!r} is not a section of source {statement.source!r}",
                hint=did_you_mean(statement.section, seen) or "list it under sections:",
            )

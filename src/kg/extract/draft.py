"""Drafting: a source's sentences -> draft statement records, for a curator to review.

Each figure of each sentence becomes one draft statement: its value, unit, qualifier and kind
(from :mod:`kg.extract.figures`), its time as the sentence states it (never guessed), its
area and indicator matched against the reference data (:mod:`kg.extract.matching`) and its
quote (the sentence, verbatim after whitespace normalisation) with its page. The same
figure stated twice (in the summary and in a chapter, or in English and in Chinese) is one
statement with two quotes. Fractions (三分之一) are drafted as fact claims, as curators
record them. Pure: text and records in, a :class:`Draft` out; :mod:`kg.extract.yaml_out`
writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kg.extract.figures import Figure, figures_of
from kg.extract.matching import Match, Reference
from kg.extract.text import Sentence

_GROWTH_KINDS = {"growth", "average-annual-growth"}
_RATES = {"yoy-growth", "growth", "average-annual-growth"}
LOW = 0.6
_ZH_AS_OF = re.compile(r"截至\s*(\d{4})年(?:底|末|\d{1,2}月(?:底|末)?)?")
_ZH_SPAN = re.compile(r"(\d{4})\s*年?\s*(?:到|至|-|－|—|~)\s*(\d{4})\s*年")
_ZH_YEAR = re.compile(r"(?<!\d)(\d{4})年(?:\d{1,2}月)?")
_ZH_UNSTATED = re.compile(
    r"近\d+年|比上年末|比上年|上年同期|较上年同期|已有|目前|今年|去年|上半年|前三季度|第[一二三四]季度"
)
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_EN_AS_OF = re.compile(
    rf"\b(?:by the end of|as of(?: the end of)?|at the end of|as at|by)\s+(?:{_EN_MONTH}\s+)?(\d{{4}})",
    re.I,
)
_EN_YEAR = re.compile(r"\b(?:in|during|for)\s+(\d{4})\b")
_EN_UNSTATED = re.compile(
    r"\b(?:since\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|the start of the year)|so far|to date"
    r"|(?:by the end of |at the end of )?(?:last|this|the previous|the past) (?:year|month|quarter))\b",
    re.I,
)


@dataclass(frozen=True)
class When:
    """The time a sentence states for a figure: a period id, or not stated."""

    period: str | None
    wording: str = ""


@dataclass
class DraftQuote:
    text: str
    lang: str
    page: int | None


@dataclass
class DraftStatement:
    """One statement for the curator, with what the tool was unsure of."""

    figure: Figure
    lang: str
    area: Match
    indicator: Match
    when: When
    quotes: list[DraftQuote]
    section: str
    wordings: dict[str, str] = field(default_factory=dict)
    id: str = ""
    copy: int = 0  # the n-th of the subjects one figure is stated for (行政村、脱贫村…均达)


@dataclass
class DraftClaim:
    """A fraction (三分之一), drafted as a fact claim."""

    words: str
    quote: DraftQuote
    area: Match
    id: str = ""


@dataclass
class DraftGroup:
    """A count of a list of areas (北京、上海…等10个省): a group claim, as curators record it."""

    members: list[str]
    count: int
    quote: DraftQuote
    id: str = ""


@dataclass
class Draft:
    """Everything drafted from one source text."""

    source: str
    statements: list[DraftStatement]
    claims: list[DraftClaim]
    groups: list[DraftGroup]
    new_indicators: dict[str, str]  # id -> proposed label (zh or en), for the curator
    sentences: int


def when_of(sentence: str, figure: Figure, lang: str) -> When:
    """The time the sentence states for ``figure``; When(None) where it states none."""
    if lang == "en":
        return _en_when(sentence, figure)
    before = sentence[: figure.start]
    span = _ZH_SPAN.search(sentence)
    if span:
        first, last = span.group(1), span.group(2)
        if figure.kind in _GROWTH_KINDS or (figure.kind == "rank" and "稳居" in figure.wording):
            return When(f"{first}-{last}")
        own = re.search(r"(\d{4})年的?$", before)
        if own:
            return When(own.group(1))
        if re.search(r"(?:从|由)$", before):
            return When(first)
        return When(last)
    as_of = _ZH_AS_OF.search(sentence)
    if as_of:
        return When(as_of.group(1), as_of.group(0))
    years = [m for m in _ZH_YEAR.finditer(sentence) if not _in_title(sentence, m.start())]
    if years:
        compared = re.search(r"比(\d{4})年", before)
        stated = [m for m in years if sentence[m.start() - 1 : m.start()] != "比"]
        if compared and stated and figure.kind in _GROWTH_KINDS | {"yoy-growth"}:
            return When(f"{compared.group(1)}-{stated[0].group(1)}")
        if stated:
            chosen = [m for m in stated if m.start() < figure.start] or stated
            return When(chosen[-1].group(1), chosen[-1].group(0))
    unstated = _ZH_UNSTATED.search(sentence)
    return When(None, unstated.group(0) if unstated else "")


def _en_when(sentence: str, figure: Figure) -> When:
    """The time of the figure's own clause first, then of its sentence."""
    cut = max(sentence.rfind(", ", 0, figure.start), sentence.rfind("; ", 0, figure.start))
    ends = [i for i in (sentence.find(", ", figure.end), sentence.find("; ", figure.end)) if i >= 0]
    clause = sentence[cut + 1 : min(ends) if ends else len(sentence)]
    for text in (clause, sentence):
        stated = _EN_AS_OF.search(text) or _EN_YEAR.search(text)
        unstated = _EN_UNSTATED.search(text)
        if unstated and (stated is None or unstated.start() < stated.start()):
            return When(None, _capital(unstated.group(0)))
        if stated:
            return When(stated.group(1), _capital(stated.group(0)))
    return When(None)


def _capital(words: str) -> str:
    return words[0].upper() + words[1:]


def _in_title(sentence: str, position: int) -> bool:
    opened = sentence.rfind("《", 0, position)
    return opened >= 0 and sentence.find("》", opened) > position


def draft_statements(
    source: str, sentences: Iterable[Sentence], reference: Reference, *, paginated: bool
) -> Draft:
    """Draft every figure of ``sentences``; a paginated text's lines before page 1 are skipped."""
    statements: list[DraftStatement] = []
    claims: list[DraftClaim] = []
    groups: list[DraftGroup] = []
    index: dict[_Key, list[DraftStatement]] = {}
    count = 0
    carried: Match = Match(reference.country, 0.3) if reference.country else Match(None, 0.0)
    for sentence in sentences:
        if paginated and sentence.page is None:
            continue
        count += 1
        text = sentence.text
        figures, fractions = figures_of(text, sentence.lang)
        previous: Match | None = None
        respectively = _respectively(text, figures)
        for number, figure in enumerate(figures):
            quote = DraftQuote(text, sentence.lang, sentence.page)
            members = reference.area_list(text[: figure.start])
            if members and figure.unit == "count" and figure.value == len(members):
                groups.append(DraftGroup(members, len(members), quote))
                continue
            area = reference.area(text, figure, sentence.lang)
            if area.id is None:
                area = Match(carried.id, min(carried.confidence, 0.5))
            subjects = [respectively[number]] if number in respectively else _subjects(text, figure)
            for copy, clause in enumerate(subjects):
                indicator = reference.indicator(text, figure, sentence.lang, clause)
                if figure.kind in _RATES and previous is not None and indicator.confidence < LOW:
                    # "2,922 new units, a year-on-year increase of 59.5 percent": the rate is
                    # of the figure before it.
                    indicator = Match(previous.id, min(previous.confidence, 0.6), previous.label)
                statement = DraftStatement(
                    figure=figure,
                    lang=sentence.lang,
                    area=area,
                    indicator=indicator,
                    when=when_of(text, figure, sentence.lang),
                    quotes=[quote],
                    section=sentence.section,
                    wordings={sentence.lang: figure.wording},
                    copy=copy if len(subjects) > 1 else 0,
                )
                _add(statements, index, statement)
                if figure.kind not in _RATES:
                    previous = statement.indicator
        for words in fractions:
            quote = DraftQuote(text, sentence.lang, sentence.page)
            claims.append(DraftClaim(words, quote, carried))
        named = reference.mentioned(text, sentence.lang)
        if named is not None:
            carried = Match(named, 0.5)
    new_indicators = _name(source, statements, claims, groups)
    return Draft(source, statements, claims, groups, new_indicators, count)


def _respectively(sentence: str, figures: list[Figure]) -> dict[int, str]:
    """A、B和C…分别达x、y、z: the i-th figure is of the i-th subject; its matching clause."""
    clauses: dict[int, str] = {}
    for hit in re.finditer(r"分别(?:达到|达|为|是|占|增长|增加|提升)?", sentence):
        head = re.split(r"[，；。：]", sentence[: hit.start()])[-1]
        items = [i for i in re.split(r"、|和|及|与", head) if i]
        clause_end = min([sentence.find(p, hit.end()) % (len(sentence) + 1) for p in "，；。"])
        run = [n for n, f in enumerate(figures) if hit.end() <= f.start < clause_end]
        if len(items) < 2 or len(items) != len(run):
            continue
        tail = items[-1].split("的", 1)[1] if "的" in items[-1] else ""
        for item, n in zip(items, run, strict=True):
            clauses[n] = item + ("的" + tail if tail and not item.endswith(tail) else "")
    return clauses


def _subjects(sentence: str, figure: Figure) -> list[str | None]:
    """One figure said of several subjects (行政村、脱贫村通宽带率达100%; A、B比例均超过99%):
    the clause each copy is matched by; [None] for the usual single subject."""
    left = re.split(r"[，；。：]", sentence[: figure.start])[-1]
    shared = re.search(r"均(?:超过|达到|达|为|超|突破|在)?$", left) or re.search(
        r"(?:率|比例|占比)(?:均)?(?:达到|达|为|超过)$", left
    )
    if not shared or "、" not in left:
        return [None]
    items = left.split("、")
    if len(items) > 6 or any(len(item) < 2 for item in items):
        return [None]
    tail = items[-1]
    return [item + tail if i < len(items) - 1 else tail for i, item in enumerate(items)]


def _same(a: DraftStatement, b: DraftStatement) -> bool:
    fa, fb = a.figure, b.figure
    if (fa.value, fa.qualifier, fa.unit) != (fb.value, fb.qualifier, fb.unit):
        return False
    if a.lang != b.lang:
        # The same figure in the other language of a bilingual source.
        return a.when.period is None or b.when.period is None or a.when.period == b.when.period
    if fa.kind != fb.kind or a.when.period != b.when.period or a.area.id != b.area.id:
        return False
    if a.copy != b.copy:
        return False
    return a.indicator.id is not None and a.indicator.id == b.indicator.id


_Key = tuple[Decimal, str, str]


def _add(
    statements: list[DraftStatement],
    index: dict[_Key, list[DraftStatement]],
    statement: DraftStatement,
) -> None:
    f = statement.figure
    same_figure = index.setdefault((f.value, f.qualifier, f.unit), [])
    for existing in same_figure:
        if _same(existing, statement):
            quote = statement.quotes[0]
            if all(q.text != quote.text for q in existing.quotes):
                existing.quotes.append(quote)
            existing.wordings.setdefault(statement.lang, statement.figure.wording)
            if existing.when.period is None and statement.when.period is not None:
                existing.when = statement.when
            return
    statements.append(statement)
    same_figure.append(statement)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _name(
    source: str,
    statements: list[DraftStatement],
    claims: list[DraftClaim],
    groups: list[DraftGroup],
) -> dict[str, str]:
    """Give every statement and claim an id, unique in the source; name new indicators."""
    new: dict[str, str] = {}
    labels: dict[str, str] = {}
    used: set[str] = set()
    for statement in statements:
        if statement.indicator.id is None:
            label = statement.indicator.label or statement.figure.wording
            key = labels.get(label)
            if key is None:
                key = labels[label] = f"new-indicator-{len(labels) + 1}"
                new[key] = label
            statement.indicator = Match(key, statement.indicator.confidence, label)
        parts = [statement.area.id or "area", statement.indicator.id or "indicator"]
        kind = statement.figure.kind
        if kind != "total" and not (statement.indicator.id or "").endswith(kind):
            parts.append(kind)
        if statement.when.period:
            parts.append(statement.when.period)
        statement.id = _unique(_slug("-".join(p for p in parts if p)), used)
    for n, claim in enumerate(claims, start=1):
        claim.id = _unique(f"fraction-{n}", used)
    for n, group in enumerate(groups, start=1):
        group.id = _unique(f"group-{n}", used)
    return new


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def value_text(value: Decimal) -> str:
    """A normalised value as the record format writes it: 1425000, 13.6, 1.1."""
    return f"{value.normalize():f}"

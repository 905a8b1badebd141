"""Figures in a sentence: the numbers a source asserts, normalised, with unit, qualifier and kind.

A figure is a number with what makes it a quantity: a scale word (万, 亿, million), a unit
(%, 个百分点, 元, ZB, percent) or a measure word (个, 户, 家, 项). Numbers that are not
statements stay out: years and dates (2021年, 2017-2021, 3月), ordinals (第十四个, 14th,
首批), list numbers (一是, （三）), names (5G, IPv6, "1+37", 十四五, 10GPON), numbers in
document titles (《…》), in brackets and in short quoted names (“…”), durations (连续五年,
近5年) and single-digit Chinese numerals used as words (三家基础电信企业, 五级).

Ranks are figures too: 位居世界第一, 全球排名第二, "ranking 1st". Fractions (三分之一, 1/3)
are found but kept apart: the curators record them as fact claims.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from kg.numbers import zh_numeral

_SCALE_CHARS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

# Units written after a number: (pattern, unit id, factor on the value).
_ZH_UNIT_WORDS: tuple[tuple[str, str, int], ...] = (
    ("个百分点", "percentage-point", 1),
    ("百分点", "percentage-point", 1),
    ("%", "percent", 1),
    ("％", "percent", 1),
    ("成", "percent", 10),
    ("美元", "usd", 1),
    ("欧元", "eur", 1),
    ("港元", "hkd", 1),
    ("元", "cny", 1),
    ("ZB", "zettabyte", 1),
    ("EB", "exbibyte", 1),
    ("EFLOPS", "eflops", 1),
    ("Gbps", "gigabit-per-second", 1),
    ("G", "gigabit-per-second", 1),
    ("TEU", "teu", 1),
    ("公里", "kilometre", 1),
    ("倍", "times", 1),
)
_EN_UNIT_WORDS: tuple[tuple[str, str, int], ...] = (
    ("percentage points", "percentage-point", 1),
    ("percentage point", "percentage-point", 1),
    ("per cent", "percent", 1),
    ("percent", "percent", 1),
    ("%", "percent", 1),
    ("yuan", "cny", 1),
    ("U.S. dollars", "usd", 1),
    ("US dollars", "usd", 1),
    ("dollars", "usd", 1),
    ("giga bytes", "gigabit-per-second", 1),
    ("GB", "gigabit-per-second", 1),
    ("Gbps", "gigabit-per-second", 1),
    ("G", "gigabit-per-second", 1),
    ("times", "times", 1),
)
# Measure words: the number counts things.
_MEASURE = (
    "台套|人次|万人|个|户|家|件|项|篇|台|套|座|所|条|次|人|张|名|款|块|架|笔|种|门|辆|部|批|颗"
    "|份|册|处|场|类|省|县|城市|万|亿|余|多|位|只|枚|根|单|起|宗|例|株"
)
# A measure word of time makes a duration or a date, not a statement.
_TIME_AFTER = re.compile(r"^(?:多|余)?(?:年|月|日|天|周|小时|分钟|秒|季度|个月|号)")

_NUM_ZH = r"[零〇一二两三四五六七八九十百千]+"
_NUM_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH_FIGURE = re.compile(
    rf"(?P<num>{_NUM_AR}|{_NUM_ZH})\s*(?P<scale>[十百千]?(?:万亿|亿|万)|千(?!兆))?"
)
_EN_FIGURE = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUM_AR})(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_ZH_PERCENT_WORDS = re.compile(rf"百分之(?P<num>{_NUM_ZH})")
# A range: 3-5倍, 10%-15%, 3至5个 (a year range is a span of time, not a figure).
_ZH_RANGE = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)(?:%|％)?\s*(?:-|－|—|~|～|至|到)\s*(?P<b>\d+(?:\.\d+)?)"
)
_FRACTION = re.compile(rf"(?:{_NUM_ZH}|\d+)分之(?:{_NUM_ZH}|\d+)|(?<![\d/])\d+/\d+(?![\d/])")

_ZH_RANK = re.compile(
    rf"(?:位居|位列|排名|排在|居|列|稳居|提升至|跃居|保持)(?:全球|世界|全国|国内|亚洲)?"
    rf"(?:排名)?第(?P<num>\d+|{_NUM_ZH})(?:位|名)?"
)
_EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_EN_RANK = re.compile(
    r"(?:rank(?:s|ed|ing)?|placed|came|was|finished)\s+(?:No\.\s?)?"
    rf"(?:(?P<num>\d+)(?:st|nd|rd|th)|(?P<word>{'|'.join(_EN_ORDINALS)}))\b"
    r"|(?P<first>topped)\b",
    re.IGNORECASE,
)

_ZH_BEFORE = {
    "lower-bound": ("超过", "超出", "突破", "逾", "多于", "高于", "大于", "不低于", "至少", "超"),
    "upper-bound": ("不到", "不足", "低于", "少于", "不超过"),
    "approximate": ("接近", "将近", "大约", "近", "约"),
}
_ZH_AFTER = {
    "lower-bound": ("以上", "余", "多"),
    "upper-bound": ("以下", "以内"),
    "approximate": ("左右", "上下"),
}
_EN_BEFORE = {
    "lower-bound": ("more than", "over", "exceeded", "exceeding", "exceeds", "above", "at least"),
    "upper-bound": ("less than", "under", "below", "up to", "at most", "fewer than"),
    "approximate": ("nearly", "almost", "about", "around", "approximately", "roughly", "some"),
}


@dataclass(frozen=True)
class Figure:
    """A number a sentence asserts, normalised to its unit."""

    value: Decimal
    unit: str  # a unit id: count, percent, cny, ... (new ones are marked for the curator)
    qualifier: str  # exact | lower-bound | upper-bound | approximate
    kind: str  # total | new | net-increase | share | rank | yoy-growth | growth | ...
    wording: str  # the source's words for the number, cue words included
    start: int  # where the number is in the sentence
    end: int


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    value = zh_numeral(text)
    return None if value is None else Decimal(value)


def _scale(text: str | None) -> int:
    factor = 1
    for char in text or "":
        factor *= _SCALE_CHARS[char]
    return factor


def _scan(
    pattern: re.Pattern[str],
    sentence: str,
    mask: list[bool],
    taken: list[tuple[int, int]],
    make: Callable[[str, re.Match[str]], Figure | None],
) -> list[Figure]:
    """The figures ``make`` reads at each number of ``pattern`` not masked or taken already."""
    found = []
    for match in pattern.finditer(sentence):
        start = match.start("num")
        if mask[start] or any(a <= start < b for a, b in taken):
            continue
        figure = make(sentence, match)
        if figure is not None:
            found.append(figure)
    return found


def _is_word_char(char: str) -> bool:
    return bool(char) and (char.isalnum() or "\u4e00" <= char <= "\u9fff")


def _masked(sentence: str) -> list[bool]:
    """True where a number is inside 《…》, brackets or a short “…” name."""
    mask = [False] * len(sentence)
    for pattern in (r"《[^》]*》", r"[（(][^）)]*[）)]", r"“[^”]{1,12}”", r"\"[^\"]{1,12}\""):
        for match in re.finditer(pattern, sentence):
            for i in range(match.start(), match.end()):
                mask[i] = True
    return mask


def _zh_qualifier(before: str, after: str) -> tuple[str, str, str]:
    """(qualifier, cue before, cue after) from the words next to a number."""
    for qualifier, cues in _ZH_AFTER.items():
        for cue in cues:
            if after.startswith(cue):
                return qualifier, "", cue
    for qualifier, cues in _ZH_BEFORE.items():
        for cue in cues:
            if before.endswith(cue):
                return qualifier, cue, ""
    return "exact", "", ""


def _zh_kind(before: str, unit: str, sentence: str, start: int) -> str:
    near = before[-12:]
    clause = re.split(r"[，；。：]", before)[-1]
    if unit in ("percent", "percentage-point") and re.search(
        r"同比.{0,3}?(?:增长|提高|提升|增加|下降)?$|比上年(?:同期)?(?:分别)?(?:增长|提高)$", near
    ):
        return "yoy-growth"
    if re.search(r"年均|平均增长|复合增长率|平均增速", clause) and unit == "percent":
        return "average-annual-growth"
    if re.search(r"净增(?:加)?$", near) or (
        unit not in ("percent", "percentage-point")
        and re.search(r"(?:增长|增加|(?<![新净])增)了?$", near)
    ):
        return "net-increase"
    if re.search(r"新增(?:了)?$|新建(?:了)?$", near) or (unit != "percent" and "新增" in clause):
        return "new"
    if unit == "percentage-point":
        return "growth"
    if unit == "percent":
        if re.search(r"(?:增长|提升|提高|增加|增速|增幅|下降)(?:了|达|达到|超过|近)?$", near):
            return "growth"
        return "share"
    if unit.startswith("per-") or re.search(r"每(?:万|百|千)?人", clause):
        return "ratio"
    return "total"


def zh_figures(sentence: str) -> tuple[list[Figure], list[str]]:
    """The figures of a Chinese sentence, and the fractions it states (as their words)."""
    mask = _masked(sentence)
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for match in _ZH_RANK.finditer(sentence):
        value = _number(match.group("num"))
        tier = re.match(r"(?:梯队|方阵|批|阶段|层级)", sentence[match.end() :])
        if value is None or mask[match.start("num")] or tier:
            continue
        figures.append(
            Figure(value, "rank", "exact", "rank", match.group(0), match.start(), match.end())
        )
        taken.append((match.start(), match.end()))
    fractions = [m.group(0) for m in _FRACTION.finditer(sentence) if not mask[m.start()]]
    for m in _FRACTION.finditer(sentence):
        taken.append((m.start(), m.end()))
    for match in _ZH_PERCENT_WORDS.finditer(sentence):
        number = zh_numeral(match.group("num"))
        if number is None or mask[match.start()]:
            continue
        qualifier, cue_before, cue_after = _zh_qualifier(
            sentence[: match.start()], sentence[match.end() :]
        )
        start, end = match.start() - len(cue_before), match.end() + len(cue_after)
        kind = _zh_kind(sentence[:start], "percent", sentence, start)
        figures.append(
            Figure(Decimal(number), "percent", qualifier, kind, sentence[start:end], start, end)
        )
        taken.append((match.start(), match.end()))
    for match in _ZH_RANGE.finditer(sentence):
        if mask[match.start()] or re.fullmatch(r"(?:19|20)\d{2}", match.group("a")):
            continue
        taken.append((match.start(), match.end("b")))
        upper = _ZH_FIGURE.match(sentence, match.start("b"))
        high = _zh_figure(sentence, upper, in_range=True) if upper else None
        if high is None:
            continue
        factor = high.value / Decimal(match.group("b"))
        words = sentence[match.start() : high.end]
        for value, qualifier in (
            (Decimal(match.group("a")) * factor, "lower-bound"),
            (high.value, "upper-bound"),
        ):
            figures.append(
                Figure(value, high.unit, qualifier, high.kind, words, match.start(), high.end)
            )
    figures.extend(_scan(_ZH_FIGURE, sentence, mask, taken, _zh_figure))
    figures.sort(key=lambda f: (f.start, f.qualifier))
    return _shared_units(sentence, figures), fractions


def _shared_units(sentence: str, figures: list[Figure]) -> list[Figure]:
    """从27.2万亿增至45.5万亿元: the first amount takes the unit written after the second."""
    result = list(figures)
    for i, (first, second) in enumerate(itertools.pairwise(figures)):
        between = sentence[first.end : second.start]
        if (
            first.unit == "count"
            and second.unit == "cny"
            and first.wording[-1:] in ("万", "亿")
            and re.fullmatch(
                r"(?:增长|增加|提升|上升)?(?:至|到)|增至|、|和|与|或|-|－|~|—|，", between
            )
        ):
            result[i] = Figure(
                first.value,
                "cny",
                first.qualifier,
                first.kind,
                first.wording,
                first.start,
                first.end,
            )
    return result


def _zh_figure(sentence: str, match: re.Match[str], *, in_range: bool = False) -> Figure | None:
    raw, scale_word = match.group("num"), match.group("scale")
    start, num_end = match.start("num"), match.end("num")
    pos = match.end("scale") if scale_word else num_end
    before, after = sentence[:start], sentence[num_end:]
    # Names and codes: a number glued to Latin letters, dots or plus signs (5G, IPv6, 1+37).
    glued = r"[A-Za-z+＋.:：]$" if in_range else r"[A-Za-z+＋.\-/－:：]$"
    if re.search(glued, before) or re.match(r"\s*[+＋:：]\d", after):
        return None
    # Ordinals, list numbers, years, dates and durations.
    if before.endswith(("第", "首", "前", "“", "表", "图", "附件", "附录")) or re.match(
        r"\s*(?:是|、|）|\))", after
    ):
        return None
    if re.match(r"\s*[-－—~至到]\s*\d{4}", after) or re.match(r"\s*年", after):
        return None
    more = re.match(r"(?:余|多)(?!年|月|天|小时)", sentence[pos:])
    if more:
        pos += 1
    rest = sentence[pos:]
    if _TIME_AFTER.match(rest.lstrip()):
        return None
    is_zh = not raw[0].isdigit()
    value = _number(raw)
    if value is None:
        return None
    pos += len(rest) - len(rest.lstrip())
    rest = rest.lstrip()
    unit, unit_word, unit_factor = "count", "", 1
    for word, unit_id, word_factor in _ZH_UNIT_WORDS:
        glued = rest[len(word) : len(word) + 1]
        if (
            word in ("G", "Gbps")
            and rest.startswith(word)
            and ("带宽" not in sentence or _is_word_char(glued))
        ):
            continue  # 5G基站, 4G/5G: names; G is a bandwidth only where the sentence says so
        if rest.startswith(word) and not (word.isascii() and re.match(r"[A-Za-z]", glued)):
            unit, unit_word, unit_factor = unit_id, word, word_factor
            break
    if unit_word == "成" and not is_zh:
        unit, unit_word, unit_factor = "count", "", 1
    if not unit_word and re.match(r"[A-Za-z]", rest):
        return None  # 10GPON, 4G
    found = None if unit_word else re.match(rf"(?:{_MEASURE})", rest)
    measure = found.group(0) if found else ""
    if is_zh and not scale_word and unit_word != "成" and (value < 10 or not measure):
        return None  # single Chinese digits used as words (三家企业, 五级); 三十一个 counts
    if not (scale_word or unit_word or measure or more):
        # A bare number counts only after a verb that reports it (降低到1.1左右).
        if not re.search(r"(?:达到|达|为|降低到|降至|增至)$", before):
            return None
        unit = "unitless"
    value = value * _scale(scale_word) * unit_factor
    if re.search(r"每(?:万|百|千|十万)人(?:拥有|口)?[^，；。]*$", before):
        unit = "per-10000-people" if "每万人" in before else "per-capita"
    if unit == "count" and value != value.to_integral_value():
        return None
    end = pos + len(unit_word or measure)
    qualifier, cue_before, cue_after = _zh_qualifier(before, sentence[end:])
    if more:
        qualifier = "lower-bound"
    elif cue_after:
        end += len(cue_after)
    wording_start = start - len(cue_before)
    kind = _zh_kind(sentence[:wording_start], unit, sentence, start)
    if kind == "net-increase" and sentence[:wording_start].endswith("净增"):
        wording_start -= 2
    return Figure(value, unit, qualifier, kind, sentence[wording_start:end], wording_start, end)


_EMPTY = re.match("", "")
assert _EMPTY is not None


def en_figures(sentence: str) -> tuple[list[Figure], list[str]]:
    """The figures of an English sentence, and the fractions it states."""
    mask = _masked(sentence)
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for match in _EN_RANK.finditer(sentence):
        if match.group("first"):
            value, start = Decimal(1), match.start("first")
        elif match.group("word"):
            value, start = Decimal(_EN_ORDINALS[match.group("word").lower()]), match.start("word")
        else:
            value, start = Decimal(match.group("num")), match.start("num")
        if mask[start]:
            continue
        end = match.end()
        rest = re.match(r"\s+(?:in|among|across|of)\s+[A-Z][\w ]*?(?=[,.;]|$)", sentence[end:])
        if rest and not match.group("first"):
            end += rest.end()
        figures.append(
            Figure(value, "rank", "exact", "rank", sentence[match.start() : end], start, end)
        )
        taken.append((match.start(), end))
    fractions = [m.group(0) for m in _FRACTION.finditer(sentence) if not mask[m.start()]]
    figures.extend(_scan(_EN_FIGURE, sentence, mask, taken, _en_figure))
    figures.sort(key=lambda f: f.start)
    return figures, fractions


_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    "|july|august|september|october|november|december"
)
_EN_CURRENCY_BEFORE = (("RMB", "cny"), ("CNY", "cny"), ("¥", "cny"), ("US$", "usd"), ("$", "usd"))
_EN_AFTER = {
    "lower-bound": ("or more", "and above", "and more", "plus", "-plus"),
    "upper-bound": ("or less", "or fewer", "and below"),
}


def _en_figure(sentence: str, match: re.Match[str]) -> Figure | None:
    raw, scale_word = match.group("num"), match.group("scale")
    start = match.start("num")
    before = sentence[:start]
    after = sentence[match.end("scale") if scale_word else match.end("num") :]
    if re.match(r"(?:st|nd|rd|th)\b|[A-Za-z](?!bps)", after):
        return None  # 14th, 5G, 100Mbps
    if re.match(r"\s*[-–+/:]\s*\d", after) or re.search(r"[-–+/:]$", before):
        return None  # 2016-2020, 1+37, 18:44
    if re.search(r"(?:No\.|Article|Section|Table|Figure|page|Phase)\s*$", before, re.IGNORECASE):
        return None
    if re.search(rf"\b(?:{_MONTHS})\.?\s*$", before, re.IGNORECASE) or re.match(
        rf"\s*(?:{_MONTHS})\b", after, re.IGNORECASE
    ):
        return None  # Aug 16, 16 August
    if re.fullmatch(r"(?:19|20)\d{2}", raw) and not scale_word:
        return None
    if re.match(r"\s*(?:years?|months?|days?|weeks?|hours?|minutes?|seconds?)\b", after, re.I):
        return None
    value = Decimal(raw.replace(",", "")) * _EN_SCALES.get((scale_word or "").lower(), 1)
    rest = after.lstrip()
    unit, unit_word = "count", ""
    for word, unit_id, _factor in _EN_UNIT_WORDS:
        if rest.startswith(word) and not re.match(r"[A-Za-z]", rest[len(word) : len(word) + 1]):
            unit, unit_word = unit_id, word
            break
    wording_start = start
    for symbol, currency in _EN_CURRENCY_BEFORE:
        if before.rstrip().endswith(symbol) and unit == "count":
            unit = currency
            wording_start = before.rstrip().rfind(symbol)
            break
    if unit == "count" and value != value.to_integral_value():
        return None
    qualifier, cue = "exact", ""
    lowered = sentence[:wording_start].lower()
    for name, cues in _EN_BEFORE.items():
        for word in cues:
            hit = re.search(rf"\b{word}\s+(?:(?:the|a|an)\s+)?$", lowered)
            if hit:
                qualifier, cue, wording_start = name, word, hit.start()
                break
        if cue:
            break
    end = match.end("scale") if scale_word else start + len(raw)
    if unit_word:
        end = end + (len(after) - len(rest)) + len(unit_word)
    if unit_word == "giga bytes" and sentence[end:].startswith(" (GB)"):
        end += len(" (GB)")
    if qualifier == "exact":
        for name, words in _EN_AFTER.items():
            hit = re.match(rf"\s*(?:{'|'.join(re.escape(w) for w in words)})\b", sentence[end:])
            if hit:
                qualifier, end = name, end + hit.end()
                break
    fortified = re.match(r"\s+fortified\b", sentence[end:])
    if fortified:
        end += fortified.end()
    kind = _en_kind(lowered[-40:], sentence[end : end + 40].lower(), unit)
    return Figure(value, unit, qualifier, kind, sentence[wording_start:end], wording_start, end)


def _en_kind(near: str, following: str, unit: str) -> str:
    if re.search(r"year[- ]on[- ]year (?:increase|growth|rise|jump) of\s*$", near) or (
        unit == "percent"
        and re.match(r"\s*(?:year[- ]on[- ]year|from a year earlier|y-o-y)", following)
    ):
        return "yoy-growth"
    if re.search(r"average annual|annual average|cagr|annual growth rate of\s*$", near):
        return "average-annual-growth"
    if unit in ("percent", "percentage-point"):
        if re.search(
            r"(?:increase|growth|grew|rose|up|climbed|jumped|surged|fell|down)(?: by| of)?\s*$",
            near,
        ):
            return "growth"
        return "growth" if unit == "percentage-point" else "share"
    if re.search(r"\b(?:new|newly)\b", following[:20] + " " + near[-12:]):
        return "new"
    if re.search(r"\bbuilt more than\s*$|\bhas built\s*$|\badded\s*$", near):
        return "new"
    return "total"


def figures_of(sentence: str, lang: str) -> tuple[list[Figure], list[str]]:
    """The figures and fractions of a sentence in ``lang`` ("zh" or "en")."""
    return zh_figures(sentence) if lang == "zh" else en_figures(sentence)

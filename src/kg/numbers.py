"""Numbers as sources write them: scale words (万, 亿, thousand) and qualifier cues (超过, more than).

Curators store the normalised value and keep the source's wording beside it; these functions
let the loader check that the two agree, so that "142.5万" can never be stored as 142500.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Longest first: 万亿 before 万 and 亿, 千亿 (2千亿, 200 billion) before 千 and 亿.
SCALES: tuple[tuple[str, Decimal], ...] = (
    ("万亿", Decimal(10) ** 12),
    ("千亿", Decimal(10) ** 11),
    ("百亿", Decimal(10) ** 10),
    ("千万", Decimal(10) ** 7),
    ("百万", Decimal(10) ** 6),
    ("亿", Decimal(10) ** 8),
    ("万", Decimal(10) ** 4),
    ("千", Decimal(10) ** 3),
    ("trillion", Decimal(10) ** 12),
    ("billion", Decimal(10) ** 9),
    ("million", Decimal(10) ** 6),
    ("thousand", Decimal(10) ** 3),
)

# 余 or 多 between a number and its scale word (1700余亿次) is a cue, not the end of the number.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(?:[余多]?("
    + "|".join(s for s, _ in SCALES)
    + r"))?",
)

# Words that make a value a bound or an approximation rather than an exact figure.
QUALIFIER_CUES: dict[str, tuple[str, ...]] = {
    "lower-bound": (
        "超过",
        "以上",
        "突破",
        "超",
        "余",
        "多",  # 20多个, 1万多项: "20-odd", more than 20
        "more than",
        "over",
        "exceeded",
        "above",
        "at least",
    ),
    "upper-bound": ("不到", "以下", "以内", "不足", "less than", "under", "at most"),
    "approximate": ("近", "左右", "约", "nearly", "about", "around", "approximately"),
}

_CHINESE_NUMERALS = re.compile(
    r"[零〇一二三四五六七八九十百千万亿两]+(?:点[零〇一二三四五六七八九]+)?"
)


def parse_amount(wording: str) -> Decimal | None:
    """The first number in ``wording``, scaled by its scale word; None if it has none.

    >>> parse_amount("142.5万个")
    Decimal('1425000.0')
    >>> parse_amount("more than 27.6 thousand")
    Decimal('27600.0')
    >>> parse_amount("1,820 G")
    Decimal('1820')
    >>> parse_amount("1700余亿次"), parse_amount("超2千亿次")
    (Decimal('170000000000'), Decimal('200000000000'))
    """
    match = _NUMBER.search(wording)
    if match is None:
        return None
    whole, fraction, scale = match.groups()
    try:
        number = Decimal(whole.replace(",", "") + (fraction or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    for word, factor in SCALES:
        if scale == word:
            return number * factor
    return number


def find_amounts(text: str) -> list[tuple[str, Decimal]]:
    """Every number in ``text``, as written and as read (scaled).

    >>> find_amounts("已建成142.5万个5G基站，占全球60%以上")
    [('142.5万', Decimal('1425000.0')), ('5', Decimal('5')), ('60', Decimal('60'))]
    """
    found = []
    for match in _NUMBER.finditer(text):
        amount = parse_amount(match.group(0))
        if amount is not None:
            found.append((match.group(0).strip(), amount))
    return found


def normalised_example(raw: str) -> str:
    """``raw -> its normalised number`` for a hint, with the curator's own figure where it reads.

    >>> normalised_example("3.5万")
    '3.5万 -> 35000'
    """
    amount = parse_amount(raw)
    if amount is None or not looks_unnormalised(raw):
        return "142.5万 -> 1425000"
    return f"{raw} -> {amount.normalize():f}"


def qualifier_cues(wording: str) -> set[str]:
    """The qualifiers whose cue words occur in ``wording`` (empty for an exact figure)."""
    lowered = wording.lower()
    found = set()
    for qualifier, cues in QUALIFIER_CUES.items():
        for cue in cues:
            if re.search(r"[a-z]", cue):
                if re.search(rf"\b{re.escape(cue)}\b", lowered):
                    found.add(qualifier)
            elif cue in wording:
                found.add(qualifier)
    return found


def looks_unnormalised(text: str) -> bool:
    """True for a value written with scale words or Chinese numerals instead of digits."""
    if any(word in text for word, _ in SCALES):
        return True
    return bool(_CHINESE_NUMERALS.fullmatch(text.strip()))


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_ZH_DIGITS.update({"七": 7, "八": 8, "九": 9})
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def zh_numeral(text: str) -> int | None:
    """三十一 -> 31, 两 -> 2, 一百二十 -> 120; None if ``text`` is not a Chinese numeral."""
    if not text or any(c not in _ZH_DIGITS and c not in _ZH_UNITS for c in text):
        return None
    if all(c in _ZH_DIGITS for c in text):
        return int("".join(str(_ZH_DIGITS[c]) for c in text)) if len(text) > 1 else _ZH_DIGITS[text]
    total, digit = 0, 0
    for char in text:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        else:
            total += (digit or 1) * _ZH_UNITS[char]
            digit = 0
    return total + digit


_RANK_WORDS = {"topped": 1, "first": 1, "second": 2, "third": 3, "榜首": 1, "首位": 1}


def parse_rank(wording: str) -> Decimal | None:
    """The position a rank's wording names in words (第二, topped), so a changed rank is caught.

    >>> parse_rank("位居世界第二"), parse_rank("topped other capital cities"), parse_rank("第十一")
    (Decimal('2'), Decimal('1'), Decimal('11'))
    """
    match = re.search(r"第([一二两三四五六七八九十]+)", wording)
    if match:
        position = zh_numeral(match.group(1))
        return None if position is None else Decimal(position)
    lowered = wording.lower()
    for word, position in _RANK_WORDS.items():
        if re.search(r"[a-z]", word):
            if re.search(rf"\b{word}\b", lowered):
                return Decimal(position)
        elif word in wording:
            return Decimal(position)
    return None

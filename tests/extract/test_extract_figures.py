"""Figures in words: what counts as a statement's number, normalised, and what stays out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.draft import when_of
from kg.extract.figures import en_figures, zh_figures, zh_numeral


def _zh(text: str) -> list[tuple[Decimal, str, str, str]]:
    return [(f.value, f.unit, f.qualifier, f.kind) for f in zh_figures(text)[0]]


def _en(text: str) -> list[tuple[Decimal, str, str, str]]:
    return [(f.value, f.unit, f.qualifier, f.kind) for f in en_figures(text)[0]]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三十一", 31), ("两", 2), ("十", 10), ("一百二十", 120), ("二〇二一", 2021), ("八", 8)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert zh_numeral(numeral) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我国已建成142.5万个5G基站", [(Decimal("1425000"), "count", "exact", "total")]),
        ("用户数达到3.55亿户", [(Decimal("355000000"), "count", "exact", "total")]),
        (
            "从2017年的4700亿元增长至2021年的1.3万亿元",
            [
                (Decimal("470000000000"), "cny", "exact", "total"),
                (Decimal("1300000000000"), "cny", "exact", "total"),
            ],
        ),
        (
            "数字经济规模从27.2万亿增至45.5万亿元",
            [
                (Decimal("27200000000000"), "cny", "exact", "total"),
                (Decimal("45500000000000"), "cny", "exact", "total"),
            ],
        ),
        ("支撑全国调用超2千亿次", [(Decimal("200000000000"), "count", "lower-bound", "total")]),
        ("总量占全球60%以上", [(Decimal("60"), "percent", "lower-bound", "share")]),
        ("开放的有效数据集增至近25万个", [(Decimal("250000"), "count", "approximate", "total")]),
        ("PUE已降低到1.1左右", [(Decimal("1.1"), "unitless", "approximate", "total")]),
        ("营收同比增长21.2%", [(Decimal("21.2"), "percent", "exact", "yoy-growth")]),
        ("年均复合增长率达13.6%", [(Decimal("13.6"), "percent", "exact", "average-annual-growth")]),
        ("差异缩小11.9个百分点", [(Decimal("11.9"), "percentage-point", "exact", "growth")]),
        ("超八成产品开始试点", [(Decimal("80"), "percent", "lower-bound", "share")]),
        ("完成全国三十一个省份互联", [(Decimal("31"), "count", "exact", "total")]),
        ("比上年末净增2.64亿户", [(Decimal("264000000"), "count", "exact", "net-increase")]),
        ("每万人拥有5G基站数达到10.1个", [(Decimal("10.1"), "per-10000-people", "exact", "ratio")]),
        ("IPv6地址资源总量位居世界第一", [(Decimal("1"), "rank", "exact", "rank")]),
        (
            "扩容网间带宽200G、总带宽达到1820G",
            [
                (Decimal("200"), "gigabit-per-second", "exact", "total"),
                (Decimal("1820"), "gigabit-per-second", "exact", "total"),
            ],
        ),
    ],
)
def test_zh_figures(text: str, expected: list[tuple[Decimal, str, str, str]]) -> None:
    assert _zh(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2021年，党的十九大报告明确提出",  # a year
        "2017-2021年我国数据产量",  # a span of years
        "《“十四五”数字经济发展规划》",  # a title
        "一是建成全球规模最大的网络",  # a list number
        "（三）IPv6规模部署",  # a heading number, IPv6 a name
        "第十四个五年规划",  # an ordinal
        "初步建立“1+37”工业互联网平台体系",  # a name
        "新建5G网络全面支持IPv6，主流4G/5G手机终端",  # names
        "三家基础电信企业，建成五级网络",  # small Chinese numerals used as words
        "连续五年位居世界前列，近5年来",  # durations
        "运行时间由2天压缩至4小时以内",  # durations
        "检察业务应用系统2.0全面部署",  # a version
        "存储容量（1EB=1024PB）",  # a definition in brackets
    ],
)
def test_numbers_that_are_not_statements(text: str) -> None:
    assert _zh(text) == []


def test_fractions_are_kept_apart() -> None:
    figures, fractions = zh_figures("全球占比超过三分之一")
    assert figures == [] and fractions == ["三分之一"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Henan has built more than 27.6 thousand 5G base stations",
            [
                (Decimal("27600"), "count", "lower-bound", "new"),
            ],
        ),
        ("79.289 million terminals", [(Decimal("79289000"), "count", "exact", "total")]),
        (
            "the ratio has exceeded 99 percent, ranking 1st in China",
            [
                (Decimal("99"), "percent", "lower-bound", "share"),
                (Decimal("1"), "rank", "exact", "rank"),
            ],
        ),
        (
            "a year-on-year increase of 59.5 percent",
            [
                (Decimal("59.5"), "percent", "exact", "yoy-growth"),
            ],
        ),
        ("revenue of 1.2 trillion yuan", [(Decimal("1200000000000"), "cny", "exact", "total")]),
        ("nearly 2,000 firms", [(Decimal("2000"), "count", "approximate", "total")]),
        ("less than 5 percent of villages", [(Decimal("5"), "percent", "upper-bound", "share")]),
        ("During the 13th Five-Year Plan period (2016-2020), in 2021, 5G and IPv6", []),
        ("Published:2022-08-16 18:44", []),
    ],
)
def test_en_figures(text: str, expected: list[tuple[Decimal, str, str, str]]) -> None:
    assert _en(text) == expected


@pytest.mark.parametrize(
    ("sentence", "figure", "period", "wording"),
    [
        ("截至2021年底，我国已建成142.5万个5G基站", 0, "2021", "截至2021年底"),
        ("2017年到2021年，我国数据产量从2.3ZB增长至6.6ZB", 0, "2017", ""),
        ("2017年到2021年，我国数据产量从2.3ZB增长至6.6ZB", 1, "2021", ""),
        ("2017年到2021年，年均复合增长率达13.6%", 0, "2017-2021", ""),
        ("近5年算力年均增速超过30%", 0, None, "近5年"),
        ("千兆用户规模达3456万户", 0, None, ""),
    ],
)
def test_time_as_stated(sentence: str, figure: int, period: str | None, wording: str) -> None:
    when = when_of(sentence, zh_figures(sentence)[0][figure], "zh")
    assert (when.period, when.wording) == (period, wording)


def test_english_time_never_guessed() -> None:
    sentence = "Since January, Henan has built more than 27.6 thousand 5G base stations."
    when = when_of(sentence, en_figures(sentence)[0][0], "en")
    assert (when.period, when.wording) == (None, "Since January")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "运行效率平均提升3-5倍",
            [
                (Decimal("3"), "times", "lower-bound", "total"),
                (Decimal("5"), "times", "upper-bound", "total"),
            ],
        ),
        ("占比达到百分之三十", [(Decimal("30"), "percent", "exact", "share")]),
        ("出口额达120亿美元", [(Decimal("12000000000"), "usd", "exact", "total")]),
    ],
)
def test_zh_ranges_percent_words_and_currencies(
    text: str, expected: list[tuple[Decimal, str, str, str]]
) -> None:
    assert _zh(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Revenue rose 12.3% year on year to 1.2 trillion yuan ($180 billion) on Aug 16.",
            [
                (Decimal("12.3"), "percent", "exact", "yoy-growth"),
                (Decimal("1200000000000"), "cny", "exact", "total"),
            ],
        ),
        ("exports of US$ 3 billion", [(Decimal("3000000000"), "usd", "exact", "total")]),
        ("5,000-plus firms joined", [(Decimal("5000"), "count", "lower-bound", "total")]),
    ],
)
def test_en_currencies_and_cues_after_the_number(
    text: str, expected: list[tuple[Decimal, str, str, str]]
) -> None:
    assert _en(text) == expected


@pytest.mark.parametrize(
    ("sentence", "figure", "period", "wording"),
    [
        (
            "Stations exceeded 1.4 million by the end of last year, and users were 1.05 billion "
            "as of June 2022.",
            0,
            None,
            "By the end of last year",
        ),
        (
            "Stations exceeded 1.4 million by the end of last year, and users were 1.05 billion "
            "as of June 2022.",
            1,
            "2022",
            "As of June 2022",
        ),
        ("The economy reached 45.5 trillion yuan in 2021.", 0, "2021", "In 2021"),
    ],
)
def test_english_time_of_the_figures_clause(
    sentence: str, figure: int, period: str | None, wording: str
) -> None:
    when = when_of(sentence, en_figures(sentence)[0][figure], "en")
    assert (when.period, when.wording) == (period, wording)


def test_english_ranks_in_words() -> None:
    assert _en("Guangdong ranked first, while Jiangsu came second.") == [
        (Decimal("1"), "rank", "exact", "rank"),
        (Decimal("2"), "rank", "exact", "rank"),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("较2021年12月增长1919万", "net-increase"),
        ("比上年末净增4875万户", "net-increase"),
        ("同比名义增长10.3%", "yoy-growth"),
        ("互联网业务经营单位新增2922家", "new"),
        ("数据集由8398个增至近25万个", "total"),
    ],
)
def test_zh_kinds(text: str, kind: str) -> None:
    assert zh_figures(text)[0][0].kind == kind

from decimal import Decimal

import pytest

from kg.numbers import looks_unnormalised, parse_amount, parse_rank, qualifier_cues


@pytest.mark.parametrize(
    ("wording", "amount"),
    [
        ("142.5万个", Decimal("1425000")),
        ("3.55亿户", Decimal("355000000")),
        ("1.3万亿元", Decimal("1300000000000")),
        ("4700亿元", Decimal("470000000000")),
        ("more than 27.6 thousand", Decimal("27600")),
        ("79.289 million", Decimal("79289000")),
        ("1,820 giga bytes (GB)", Decimal("1820")),
        ("2,922", Decimal("2922")),
        ("近25万个", Decimal("250000")),
        ("59.5%", Decimal("59.5")),
        ("ranking 1st in China", Decimal("1")),
        ("63052块", Decimal("63052")),
        # a compound scale, and 余/多 between the number and its scale (report, pages 34-35)
        ("超2千亿次", Decimal("200000000000")),
        ("超6千万条", Decimal("60000000")),
        ("1700余亿次", Decimal("170000000000")),
        ("1700多家", Decimal("1700")),
        ("1000余项", Decimal("1000")),
        ("1600万余条", Decimal("16000000")),
    ],
)
def test_parse_amount_scales_the_first_number(wording: str, amount: Decimal) -> None:
    assert parse_amount(wording) == amount


def test_parse_amount_without_digits_is_none() -> None:
    assert parse_amount("三分之一") is None
    assert parse_amount("topped other capital cities") is None


@pytest.mark.parametrize(
    ("wording", "cues"),
    [
        ("more than 27.6 thousand", {"lower-bound"}),
        ("exceeded 99 percent", {"lower-bound"}),
        ("60%以上", {"lower-bound"}),
        ("超过3亿户", {"lower-bound"}),
        ("突破8000万次", {"lower-bound"}),
        ("20多个", {"lower-bound"}),
        ("1万多项", {"lower-bound"}),
        ("近25万个", {"approximate"}),
        ("1.1左右", {"approximate"}),
        ("不到5%", {"upper-bound"}),
        # the report's chapter 8 (PDF pages 39-41): 多 is more than, 以内 within
        ("1700多家", {"lower-bound"}),
        ("4小时以内", {"upper-bound"}),
        ("约5800多万", {"approximate", "lower-bound"}),
        ("124.7 thousand", set()),
        ("142.5万个", set()),
        ("moreover 5", set()),
    ],
)
def test_qualifier_cues(wording: str, cues: set[str]) -> None:
    assert qualifier_cues(wording) == cues


@pytest.mark.parametrize("text", ["142.5万", "3.55亿", "三百", "27.6 thousand"])
def test_unnormalised_values_are_recognised(text: str) -> None:
    assert looks_unnormalised(text)


@pytest.mark.parametrize("text", ["1425000", "many", ""])
def test_other_text_is_not_called_unnormalised(text: str) -> None:
    assert not looks_unnormalised(text)


@pytest.mark.parametrize(
    ("wording", "rank"),
    [
        ("位居世界第一", 1),
        ("全球排名第二", 2),
        ("第十一", 11),
        ("蝉联第一", 1),
        ("topped other capital cities", 1),
    ],
)
def test_ranks_said_in_words_are_read(wording: str, rank: int) -> None:
    assert parse_rank(wording) == rank


def test_a_wording_without_a_rank_word_reads_as_none() -> None:
    assert parse_rank("领先") is None

"""Every number of the report is in a statement or excluded with a category (issue 18).

The numbers come from a tokenizer of this folder's own (``number_scan``), not from
``kg extract``, so that what the extractor missed cannot go missing unnoticed. Pages listed in
``pages_done`` of ``data/sources/dcdr-2021.exclusions.yaml`` must be covered in full; on the
others the test reports how many numbers remain (``python tests/coverage/number_scan.py``
lists them, page by page).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from number_scan import (
    CATEGORIES,
    Claimed,
    Coverage,
    Exclusion,
    Number,
    Page,
    claimed,
    cover,
    numbers_in,
    read_exclusions,
    read_pages,
)

from conftest import shared_sources
from kg.project import Project
from kg.sources import load_records

pytestmark = pytest.mark.sources

EXCLUSIONS = "data/sources/dcdr-2021.exclusions.yaml"


@pytest.fixture(scope="module")
def report(repo_project: Project) -> tuple[Coverage, set[int], dict[int, Page]]:
    pages = read_pages(shared_sources() / "dcdr-2021-zh.txt")
    records = load_records(repo_project.data_dir)
    done, exclusions = read_exclusions(repo_project.root / EXCLUSIONS)
    return cover(pages, claimed(records, "dcdr-2021"), exclusions), done, pages


def _where(numbers: list[Number], pages: dict[int, Page]) -> str:
    lines = []
    for n in numbers[:40]:
        text = pages[n.page].text
        lines.append(
            f"  page {n.page}: {text[max(0, n.start - 10) : n.start]}[{n.text}]{text[n.end : n.end + 10]}"
        )
    return "\n".join(lines)


def test_every_number_on_a_done_page_is_covered(
    report: tuple[Coverage, set[int], dict[int, Page]],
) -> None:
    coverage, done, pages = report
    missing = coverage.uncovered(done)
    assert not missing, (
        f"{len(missing)} numbers on pages done are in no statement and not excluded "
        f"(add a statement, or an exclusion with its category, to {EXCLUSIONS}):\n"
        + _where(missing, pages)
    )


def test_the_exclusions_file_is_consistent(
    report: tuple[Coverage, set[int], dict[int, Page]],
) -> None:
    coverage, _, _ = report
    assert not coverage.problems, "\n".join(coverage.problems)


def test_what_remains_on_the_other_pages(
    report: tuple[Coverage, set[int], dict[int, Page]], summary: Callable[[str], None]
) -> None:
    coverage, done, _ = report
    left = coverage.uncovered()
    pages = sorted({n.page for n in left})
    assert not set(pages) & done
    summary(
        f"dcdr-2021: {len(coverage.numbers)} numbers; {len(coverage.by_statement)} in "
        f"statements, {len(coverage.by_exclusion)} excluded; pages done {sorted(done)}; "
        f"{len(left)} uncovered on {len(pages)} other pages"
    )
    # The curation only adds: every page done stays done, and some pages are done.
    assert done and len(coverage.by_statement) > 0


# ---------------------------------------------------------------------------------------------
# The tokenizer and the coverage rules themselves, on made-up text (so that they can fail)
# ---------------------------------------------------------------------------------------------


def _numbers(text: str) -> list[str]:
    return [n.text for n in numbers_in(Page(1, text, None))]


def test_the_tokenizer_reads_digits_and_chinese_numerals() -> None:
    assert _numbers("截至2021年底，已建成142.5万个5G基站，占60%以上") == [
        "2021",
        "142.5",
        "5",
        "60",
    ]
    assert _numbers("全球占比超过三分之一，三家企业，第十四个五年规划") == [
        "三分之一",
        "三",
        "十四",
        "五",
    ]
    # 一 counts only where it counts or orders; scale characters and words are no numbers
    assert _numbers("一是进一步统一，（一）第一，一个千兆万物百姓十分零售四川") == [
        "一",
        "一",
        "一",
    ]


def _coverage(text: str, statements: list[Claimed], exclusions: list[Exclusion]) -> Coverage:
    return cover({1: Page(1, text, None)}, statements, exclusions)


def test_a_number_is_covered_by_the_wording_inside_the_quote_only() -> None:
    text = "2021年新增5G基站65.4万个，共享基站84万个。"
    st = Claimed("s", ((1, "2021年新增5G基站65.4万个，"),), ("65.4万个",), ("2021",))
    coverage = _coverage(text, [st], [])
    assert [n.text for n in coverage.uncovered()] == ["5", "84"]


def test_an_exclusion_must_be_found_and_counted() -> None:
    text = "5G基站和5G用户"
    ok = Exclusion(1, "5", "name", "5G", 2, None, 3)
    assert not _coverage(text, [], [ok]).uncovered()
    assert not _coverage(text, [], [ok]).problems
    wrong_times = Exclusion(1, "5", "name", "5G", 1, None, 3)
    assert "occurs 2 times" in _coverage(text, [], [wrong_times]).problems[0]
    not_there = Exclusion(1, "4", "name", "4G", 1, None, 4)
    assert _coverage(text, [], [not_there]).problems
    other = Exclusion(1, "5", "other", "5G", 2, None, 5)
    assert "needs a reason" in _coverage(text, [], [other]).problems[0]
    assert "bulk" not in CATEGORIES


def test_an_exclusion_of_a_number_in_a_statement_is_an_error() -> None:
    text = "共享基站84万个。"
    st = Claimed("s", ((1, text),), ("84万个",), ())
    ex = Exclusion(1, "84", "other", "基站84万", 1, "none", 7)
    assert "already in statement s" in _coverage(text, [st], [ex]).problems[0]

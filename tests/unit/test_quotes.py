from pathlib import Path

from kg.quotes import SourceText, check_quotes, normalise
from kg.sources import load_records

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def test_normalise_drops_extraction_spaces_near_chinese() -> None:
    assert (
        normalise("截至2021 年底，我国已建成142.5 万个5G 基站")
        == "截至2021年底，我国已建成142.5万个5G基站"
    )
    assert normalise("加快推进 IPv6\n规模部署") == "加快推进IPv6规模部署"
    assert normalise("more  than\n27.6 thousand") == "more than 27.6 thousand"


def test_page_of_a_quote_is_checked(tmp_path: Path) -> None:
    text = SourceText.read(MINI / "texts" / "test-report.txt")
    assert text.locate("截至2021年底，测试国已建成142.5万个部件", 1) is None
    assert (
        text.locate("截至2021年底，测试国已建成142.5万个部件", 2)
        == "not on page 2 (found on page 1)"
    )
    assert text.locate("甲、乙等2个省位列小器具前列", 2) is None
    assert text.locate("不在原文中", None) == "not found in the source text"
    # A quote may run over a page break; the printed page number between is not its words.
    assert text.locate("甲省部件占比60%以上。目前甲省", 1) is None


def test_all_quotes_of_the_mini_project_are_found() -> None:
    problems, checked = check_quotes(load_records(MINI / "data"), MINI / "texts")
    assert checked == 5
    assert problems == []

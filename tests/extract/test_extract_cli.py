"""``kg extract`` on the command line: drafts, --compare, and the exit codes of the contract."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import REPO, shared_sources
from kg.cli import main
from kg.errors import InputError
from kg.extract.compare import read_items
from kg.sources import load_records

ARTICLE = "dahe-2022-08-16-henan-digital-infrastructure.txt"
PARAGRAPH = """=====PAGE 1=====
1
（一）网络基础设施
截至2021 年底，全国已建成测试基站1.5 万个，比上年末净增
3000 个，覆盖超过90%的县城。
"""


def _kg(*args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(REPO), *args])


def test_drafts_a_paginated_text(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text(PARAGRAPH, encoding="utf-8")
    result = _kg("extract", str(text), "--source", "test-source", "--out", str(tmp_path / "d.yaml"))
    assert result.exit_code == 0, result.output
    assert "Drafted 3 statements" in result.output
    items, source = read_items(tmp_path / "d.yaml")
    assert source["id"] == "test-source"
    assert [(str(i.value), i.qualifier, i.page, i.period) for i in items] == [
        ("15000", "exact", 1, "2021"),
        ("3000", "exact", 1, "2021"),
        ("90", "lower-bound", 1, "2021"),
    ]
    assert all(i.area == "cn" for i in items)


def test_same_text_same_bytes(tmp_path: Path) -> None:
    texts = shared_sources()
    for name in ("a.yaml", "b.yaml"):
        result = _kg("extract", str(texts / ARTICLE), "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


def test_default_out_is_data_drafts(tmp_path: Path) -> None:
    project = tmp_path / "p"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(REPO / folder, project / folder)
    text = tmp_path / "news.txt"
    text.write_text("China built 1.2 million 5G base stations by the end of 2021.\n", "utf-8")
    result = CliRunner().invoke(main, ["--project", str(project), "extract", str(text)])
    assert result.exit_code == 0, result.output
    assert (project / "data" / "drafts" / "news.yaml").is_file()
    load_records(project / "data")  # kg build never reads data/drafts/


def test_lang_filter(tmp_path: Path) -> None:
    result = _kg(
        "extract",
        str(shared_sources() / ARTICLE),
        "--lang",
        "zh",
        "--out",
        str(tmp_path / "d.yaml"),
    )
    assert result.exit_code == 0, result.output
    items, _ = read_items(tmp_path / "d.yaml")
    assert items and all(re.search(r"[\u4e00-\u9fff]", i.quotes[0]) for i in items)


def test_compare_prints_recall_and_precision(tmp_path: Path) -> None:
    texts = shared_sources()
    assert _kg("extract", str(texts / ARTICLE), "--out", str(tmp_path / "d.yaml")).exit_code == 0
    gold = Path(__file__).parent / "gold" / "dahe-2022-08-16.yaml"
    result = _kg("extract", "--compare", str(tmp_path / "d.yaml"), str(gold))
    assert result.exit_code == 0, result.output
    assert re.search(r"^recall\s+\d+\.\d%", result.output, re.M)
    assert re.search(r"^precision\s+\d+\.\d%", result.output, re.M)
    for name in ("areas", "indicators", "times", "pages"):
        assert re.search(rf"^{name}\s+\d+\.\d%\s+agree", result.output, re.M), name


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (None, "no such file")],
)
def test_unreadable_file_exits_2(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "t.txt"
    if content is not None:
        path.write_bytes(content)
    result = _kg("extract", str(path), "--out", str(tmp_path / "d.yaml"))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "fr", "x.txt"],
        ["--pages", "4-2", "x.txt"],
        ["--pages", "two", "x.txt"],
        ["--compare", "only-one.yaml"],
        ["a.txt", "b.txt"],
        ["--source", "Not A Slug", str(REPO / "README.md")],
    ],
)
def test_bad_command_lines_exit_2(args: list[str]) -> None:
    result = _kg("extract", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_library_refuses_an_unknown_language(tmp_path: Path) -> None:
    from kg.extract import extract_file

    with pytest.raises(InputError, match="unknown language"):
        extract_file(tmp_path / "x.txt", load_records(REPO / "data"), source="x", lang="fr")

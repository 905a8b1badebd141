"""Issue 14, item 11: conflicting observations are named, not only counted: each with its
area, indicator, time, both values and both sources, on the report's index page and in
``kg analyse``'s output."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import BuildResult


def test_the_index_lists_each_conflict(built_news: BuildResult) -> None:
    index = (built_news.out_dir / "site" / "index.html").read_text(encoding="utf-8")
    assert "conflicting: 1." in index
    section = index.split("conflicting: 1.", 1)[1].split("<h3>", 1)[0]
    for text in (
        "Testland 测试国",
        "widgets 部件",
        "1425000",
        "the test report",
        "1400000",
        "the test news",
        "2021",
    ):
        assert text in section, text


def test_kg_analyse_lists_each_conflict(built_news: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built_news.out_dir, out)
    project = built_news.out_dir.parent
    result = CliRunner().invoke(
        main, ["--project", str(project), "analyse", "--out", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Conflicting observations (1)" in result.stdout
    table = result.stdout.split("Conflicting observations (1)", 1)[1]
    line = next(line for line in table.splitlines() if "Testland" in line)
    for text in ("widgets", "2021", "1425000", "the test report", "1400000", "the test news"):
        assert text in line, (text, line)

"""Issue 14, item 12: "Agreement between sources" names its topics with the labels of the
ontology and the data (not ``EvaluatedAreas`` or ``dimension/...``), and two claims that
list no members have nothing to compare: no Jaccard of 1.00, no "agree: yes"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import REPO
from kg.cli import main
from kg.pipeline import BuildResult


def _agreement_rows(index: str) -> list[list[str]]:
    table = index.split("<h3>Agreement between sources on shared claims</h3>", 1)[1]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_index_labels_topics_and_compares_nothing_when_both_lists_are_empty(
    built: BuildResult,
) -> None:
    index = (built.out_dir / "site" / "index.html").read_text(encoding="utf-8")
    rows = {row[0]: row for row in _agreement_rows(index)}
    assert set(rows) == {
        "areas evaluated 评估地区 (declared count 31 / 31)",
        "dimensions evaluated 评估维度",
        "digital infrastructure 数字基础设施",
    }, sorted(rows)
    areas = rows["areas evaluated 评估地区 (declared count 31 / 31)"]
    assert areas[6] == "nothing to compare"  # the Jaccard column: neither source lists areas
    assert areas[7] == "same declared count"
    infrastructure = rows["digital infrastructure 数字基础设施"]
    assert (infrastructure[6], infrastructure[7]) == ("0.80", "no")


def test_kg_analyse_labels_topics_and_compares_nothing_when_both_lists_are_empty(
    built: BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built.out_dir, out)
    result = CliRunner().invoke(
        main, ["--project", str(REPO), "analyse", "--out", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    table = result.stdout.split("Agreement between sources on shared claims", 1)[1]
    assert "EvaluatedAreas" not in table and "dimension/" not in table
    assert "areas evaluated" in table and "digital infrastructure" in table
    line = next(line for line in table.splitlines() if "areas evaluated" in line)
    assert "nothing to compare" in line and "1.00" not in line

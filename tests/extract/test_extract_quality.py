"""The quality bars of ``kg extract`` (issue 17), measured against curated files, never drafts.

The gold is a frozen copy of the curated sources (tests/extract/gold/); the held-out gold
(tests/extract/heldout/) was curated by hand before any extraction rule was written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, shared_sources
from kg.extract import Comparison, compare_files, extract_file, parse_pages, write_draft
from kg.extract.compare import read_items
from kg.quotes import SourceText
from kg.sources import load_records

HERE = Path(__file__).resolve().parent
REPORT = "dcdr-2021-zh.txt"
ARTICLE = "dahe-2022-08-16-henan-digital-infrastructure.txt"
CASES = {
    # name: (text, source id, curated file, pages compared)
    "report": (REPORT, "dcdr-2021", HERE / "gold" / "dcdr-2021.yaml", "2-4,26-28,53-59"),
    "article": (ARTICLE, "dahe-2022-08-16", HERE / "gold" / "dahe-2022-08-16.yaml", None),
    "heldout": (REPORT, "dcdr-2021", HERE / "heldout" / "dcdr-2021-p29-36.yaml", "29-36"),
}

pytestmark = pytest.mark.sources


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Comparison]:
    texts = shared_sources()
    records = load_records(REPO / "data")
    folder = tmp_path_factory.mktemp("drafts")
    results = {}
    for name, (text, source, curated, pages) in CASES.items():
        draft = extract_file(texts / text, records, source=source)
        write_draft(draft, folder / f"{name}.yaml")
        results[name] = compare_files(
            folder / f"{name}.yaml", curated, pages=parse_pages(pages), texts_dir=texts
        )
        results[name + "-file"] = folder / f"{name}.yaml"  # type: ignore[assignment]
    return results


def _pooled(comparisons: dict[str, Comparison], *names: str) -> Comparison:
    parts = [comparisons[n] for n in names]
    agree = {key: sum(p.agree[key] for p in parts) for key in parts[0].agree}
    return Comparison(
        sum(p.curated for p in parts),
        sum(p.drafted for p in parts),
        sum(p.found for p in parts),
        agree,
    )


def test_gold_has_the_89_observations_in_scope() -> None:
    counts = {name: len(read_items(CASES[name][2])[0]) for name in ("report", "article")}
    assert counts == {"report": 72, "article": 17}


def test_gold_recall_and_precision(comparisons: dict[str, Comparison]) -> None:
    gold = _pooled(comparisons, "report", "article")
    assert gold.curated == 89
    assert gold.recall >= 0.95, comparisons["report"].summary()
    assert gold.precision >= 0.90, comparisons["report"].summary()


def test_gold_areas_and_indicators_right_for_80_percent(comparisons: dict[str, Comparison]) -> None:
    gold = _pooled(comparisons, "report", "article")
    assert gold.agree["both"] / gold.found >= 0.80


def test_heldout_recall_and_precision(comparisons: dict[str, Comparison]) -> None:
    heldout = comparisons["heldout"]
    assert heldout.curated == 77
    assert heldout.recall >= 0.85, heldout.summary()
    assert heldout.precision >= 0.80, heldout.summary()


@pytest.mark.parametrize("name", ["report", "article"])
def test_every_drafted_quote_is_verbatim_on_its_page(
    comparisons: dict[str, Comparison], name: str
) -> None:
    text = SourceText.read(shared_sources() / CASES[name][0])
    path: Path = comparisons[name + "-file"]  # type: ignore[assignment]
    items, _ = read_items(path)
    from ruamel.yaml import YAML

    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    quotes = [q for s in document["statements"] for q in s["quotes"]]
    assert len(items) > 10 and quotes
    wrong = [
        (q.get("page"), q.get("zh") or q.get("en"))
        for q in quotes
        if text.locate(q.get("zh") or q.get("en"), q.get("page")) is not None
    ]
    assert wrong == []


def test_a_poor_draft_fails_the_bars(tmp_path: Path) -> None:
    """The measure can fail: a draft missing half the gold has half the recall."""
    curated = CASES["article"][2]
    lines = curated.read_text(encoding="utf-8").split("\n  - id: ")
    kept = "\n  - id: ".join(lines[: len(lines) // 2])
    (tmp_path / "half.yaml").write_text(kept.split("\nclaims:")[0] + "\n", encoding="utf-8")
    result = compare_files(tmp_path / "half.yaml", curated)
    assert result.precision == 1.0
    assert result.found == 13 and result.recall < 0.95

"""Issue 14, item 14: the area-vs-country figure gives a share only where both figures are
of the same period (a figure reported on a date with no stated time never matches a period)
and says why not otherwise; its file name and the captions come from the data, and the
site's code names no province and no source."""

from __future__ import annotations

import re

from conftest import REPO
from kg.analyse import analyse
from kg.figures import comparisons
from kg.pipeline import BuildResult
from kg.store import open_store


def test_a_figure_reported_on_a_date_gets_no_share_of_a_years_total(built: BuildResult) -> None:
    rows = comparisons(open_store(built.out_dir / "store"), "area/henan", "area/cn")
    stations = [r for r in rows if r.indicator.startswith("5G base stations") and r.kind == "total"]
    assert stations, [r.indicator for r in rows]
    for row in stations:
        assert row.share is None  # 124,700 as reported on 2022-08-16 against the end of 2021
        assert "2022-08-16" in row.no_share and "2021" in row.no_share, row.no_share


def test_figures_of_the_same_period_get_their_share(built_news: BuildResult) -> None:
    rows = comparisons(open_store(built_news.out_dir / "store"), "area/alpha", "area/testland")
    totals = sorted(
        (r.area_value, r.national_value, r.share, r.no_share) for r in rows if r.kind == "total"
    )
    assert totals == [
        (285000.0, 1400000.0, 100 * 285000 / 1400000, ""),
        (285000.0, 1425000.0, 20.0, ""),
        (
            300000.0,
            1400000.0,
            None,
            "no share: Alpha's figure as reported on 2022-08-01, Testland's for 2021",
        ),
        (
            300000.0,
            1425000.0,
            None,
            "no share: Alpha's figure as reported on 2022-08-01, Testland's for 2021",
        ),
    ]


def test_the_figures_name_and_captions_come_from_the_data(built_news: BuildResult) -> None:
    site = built_news.out_dir / "site"
    assert (site / "figures" / "alpha-vs-testland.svg").is_file()
    assert not list(site.glob("figures/henan*"))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="figures/alpha-vs-testland.svg"' in index
    captions = " ".join(re.findall(r"<figcaption>(.*?)</figcaption>", index))
    for text in ("Alpha", "Testland", "the test report", "the test news"):
        assert text in captions, text
    for text in ("Henan", "China", "dahe", "31"):
        assert text not in captions, text
    result = analyse(open_store(built_news.out_dir / "store"))
    assert "dahe" not in result.projection("province-dimensions").description


def test_the_sites_code_names_no_province_and_no_source() -> None:
    code = [
        *(REPO / "src" / "kg").glob("templates/*.html"),
        *(REPO / "src" / "kg" / name for name in ("report.py", "figures.py", "analyse.py")),
    ]
    for path in code:
        text = path.read_text(encoding="utf-8")
        for name in ("henan", "河南", "dahe", "大河"):
            assert name not in text.lower(), f"{path.name} names {name}: take it from the data"

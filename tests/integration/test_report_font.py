"""Issue 14, item 10: the report's pages bring their own CJK font.

On a machine without a CJK font every Chinese label of the pages was a box. The site now
serves a subset of Noto Sans CJK SC (from mplfonts) through ``@font-face``, with the font's
SIL Open Font License beside it; the subset is the same bytes from one build to the next, and
a real browser renders a Chinese heading with it, not with a system font.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import chromium
from fontTools.ttLib import TTFont

from kg.pipeline import BuildResult, build_project
from kg.project import Project

FONT = Path("fonts") / "NotoSansCJKsc-subset.woff"
LICENCE = Path("fonts") / "OFL.txt"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.parent.name != "ontology")


def test_the_site_serves_a_subset_with_every_character_of_its_pages(built: BuildResult) -> None:
    site = built.out_dir / "site"
    font = TTFont(site / FONT)
    assert font.flavor == "woff"
    assert font["name"].getDebugName(16) == "Noto Sans CJK SC"  # the typographic family
    covered = set(font.getBestCmap())
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        rule = re.search(r"@font-face \{[^}]*\}", text)
        assert rule, f"{page.name}: no @font-face rule"
        href = re.search(r'url\("([^"]+)"\)', rule.group(0))
        assert href and (page.parent / href.group(1)).resolve() == (site / FONT).resolve()
        chinese = {ord(c) for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"}
        assert chinese, page.name
        assert chinese <= covered, (page.name, sorted(chr(c) for c in chinese - covered)[:10])
    assert len(covered) < 5_000  # a subset, not the 65,000 glyphs of the whole font
    licence = (site / LICENCE).read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence
    assert "Adobe" in licence  # the font's own copyright line, read from its name table


def test_the_subset_is_the_same_bytes_from_one_build_to_the_next(
    built_mini: BuildResult, mini: Project
) -> None:
    again = build_project(mini)
    for name in (FONT, LICENCE):
        assert (again.out_dir / "site" / name).read_bytes() == (
            built_mini.out_dir / "site" / name
        ).read_bytes(), name


@pytest.mark.browser
def test_a_chinese_heading_renders_with_the_served_font(built: BuildResult, tmp_path: Path) -> None:
    page = built.out_dir / "site" / "provinces" / "henan.html"
    with chromium(tmp_path / "profile") as browser:
        browser.get(page.as_uri())
        loaded = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "document.fonts.ready.then(() => done("
            "Array.from(document.fonts).map(f => [f.family, f.status])));"
        )
        assert ["dckg Noto Sans CJK SC", "loaded"] in [list(f) for f in loaded], loaded
        browser.execute_cdp_cmd("DOM.enable", {})
        browser.execute_cdp_cmd("CSS.enable", {})
        root = browser.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
        heading = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "h1"})
        fonts = browser.execute_cdp_cmd(
            "CSS.getPlatformFontsForNode", {"nodeId": heading["nodeId"]}
        )["fonts"]
        assert fonts, "no font reported for the heading"
        # every glyph of the heading, Latin and Chinese, from the served file, none from the system
        assert [(f["postScriptName"], f["isCustomFont"]) for f in fonts] == [
            ("NotoSansCJKsc-Regular", True)
        ], fonts
        assert fonts[0]["familyName"].startswith("Noto Sans CJK SC")
        text = browser.execute_script("return document.querySelector('h1').textContent")
        assert "河南省" in text

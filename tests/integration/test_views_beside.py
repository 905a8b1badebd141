"""The independent views of a cold build run side by side (kg.views): each figure and the
ontology's page in a forked child of its own, all started before the font is subset in this
process; the figures are not waited for until the font is done, the ontology's page is (the
font holds its characters too); the bytes are those of one process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, copy_project
from kg import views
from kg.figures import FIGURE_KINDS
from kg.pipeline import build_project
from kg.webfont import FONT_FILE, characters, cjk_font


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != "store"
    }


def test_figures_and_the_ontology_page_draw_while_the_font_is_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_beside, real_font = views.beside, views._font

    class Recorded:
        def __init__(self, what: str, worker: Any) -> None:
            self.what, self.worker = what, worker

        def result(self) -> Any:
            events.append(f"waited {self.what}")
            return self.worker.result()

        def cancel(self) -> None:
            self.worker.cancel()

    def beside(function: Any, *args: Any, **options: Any) -> Recorded:
        work = args[0]
        what = work.__name__
        if work.__name__ == "draw":
            what = "figure " + ",".join(item.kind for item in args[1])
        events.append(f"started {what}")
        return Recorded(what, real_beside(function, *args, **options))

    def font(*args: Any) -> None:
        events.append("font")
        real_font(*args)
        events.append("font done")

    monkeypatch.setattr(views, "beside", beside)
    monkeypatch.setattr(views, "_font", font)
    built = build_project(copy_project(FIXTURES / "mini", tmp_path / "beside"))

    font_at = events.index("font")
    started = sorted(e for e in events[:font_at] if e.startswith("started"))
    assert started == sorted(
        ["started _ontology_page", *(f"started figure {kind}" for kind in FIGURE_KINDS)]
    ), events
    assert [e for e in events[:font_at] if e.startswith("waited")] == ["waited _ontology_page"]
    assert len([e for e in events if e.startswith("waited")]) == len(started), events

    monkeypatch.setenv("KG_WORKERS", "inline")  # the same views, one after the other
    monkeypatch.setattr(views, "beside", real_beside)
    alone = build_project(copy_project(FIXTURES / "mini", tmp_path / "inline"))
    assert _files(built.out_dir) == _files(alone.out_dir)
    _font_holds_every_page(built.out_dir / "site")


def _font_holds_every_page(site: Path) -> None:
    """The subset has a glyph for each character of every page that the full font has."""
    from fontTools.ttLib import TTFont

    pages = sorted(site.rglob("*.html"))
    assert site / "ontology" / "index.html" in pages
    used = set(characters(p.read_text(encoding="utf-8") for p in pages))
    with TTFont(cjk_font(), lazy=True) as font, TTFont(site / "fonts" / FONT_FILE) as cut:
        full, subset = set(font.getBestCmap()), set(cut.getBestCmap())
    assert subset == used & full

"""The font subsets kept in .kg-cache/fonts/ (kg.views.FontStore): a build without a previous
out/ takes the subset of the same characters from there instead of cutting it again, with the
bytes a fresh build cuts; a kept subset that was changed is cut again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, copy_project
from kg import webfont
from kg.pipeline import build_project
from kg.views import CACHE_DIR, FONT_STORE, FONTS_KEPT, FontStore

FONT = Path("site/fonts") / webfont.FONT_FILE


def _subsets(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of subset_font from here on."""
    calls: list[int] = []
    real = webfont.subset_font

    def counted(*args: Any) -> list[Path]:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(webfont, "subset_font", counted)
    return calls


def test_a_build_without_out_takes_the_kept_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    calls = _subsets(monkeypatch)
    first = build_project(project)
    assert len(calls) == 1
    cut = (first.out_dir / FONT).read_bytes()
    licence = (first.out_dir / "site/fonts" / webfont.LICENCE_FILE).read_bytes()
    kept = project.root / CACHE_DIR / FONT_STORE
    (entry,) = [e for e in kept.iterdir() if e.is_dir()]

    shutil.rmtree(project.out_dir)
    again = build_project(project)
    assert len(calls) == 1  # taken from .kg-cache/fonts/, not cut again
    assert (again.out_dir / FONT).read_bytes() == cut
    assert (again.out_dir / "site/fonts" / webfont.LICENCE_FILE).read_bytes() == licence

    shutil.rmtree(project.out_dir)
    (entry / webfont.FONT_FILE).write_bytes(cut[:1000])  # cut short, as on a full disk
    third = build_project(project)
    assert len(calls) == 2  # the changed subset is not used: cut again
    assert (third.out_dir / FONT).read_bytes() == cut
    assert (entry / webfont.FONT_FILE).read_bytes() == cut  # and kept whole again


def test_only_the_most_recent_subsets_are_kept(tmp_path: Path) -> None:
    store = FontStore(tmp_path / "fonts")
    made = tmp_path / "made"
    made.mkdir()
    for number in range(FONTS_KEPT + 2):
        font = made / webfont.FONT_FILE
        font.write_bytes(b"font %d" % number)
        store.keep(f"key{number}", [font])
    kept = sorted(e.name for e in store.folder.iterdir())
    assert len(kept) == FONTS_KEPT
    assert "key0" not in kept and f"key{FONTS_KEPT + 1}" in kept
    assert store.take(f"key{FONTS_KEPT + 1}", tmp_path / "site") == [
        tmp_path / "site" / webfont.FONT_FILE
    ]
    assert (tmp_path / "site" / webfont.FONT_FILE).read_bytes() == b"font %d" % (FONTS_KEPT + 1)
    assert store.take("key0", tmp_path / "other") is None

"""Views reused from the previous out/ (kg.views): the same bytes as a cold build, always.

Each warm build (previous out/ and its manifest present) is compared, file by file but
store/, with a cold build of the same data in a fresh copy (no out/, no .kg-cache/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project
from kg.pipeline import BuildResult, build_project
from kg.project import Project
from kg.views import WHOLE, manifest_path

SOURCE = Path("data/sources/test-report.yaml")
REFERENCE = Path("data/reference/reference.yaml")
# Only the quote's translation changes: the pages show it, no figure does.
TRANSLATION = ("Alpha, Beta and others, 2 provinces", "Alpha, Beta and the others, 2 provinces")


def _label_edit(project: Path) -> None:
    """Beta's English label: the figures that name Beta show it."""
    path = project / REFERENCE
    text = path.read_text(encoding="utf-8")
    assert "en: Beta," in text
    path.write_text(text.replace("en: Beta,", "en: Beta Province,", 1), encoding="utf-8")


def _translation_edit(project: Path) -> None:
    path = project / SOURCE
    text = path.read_text(encoding="utf-8")
    assert TRANSLATION[0] in text
    path.write_text(text.replace(*TRANSLATION, 1), encoding="utf-8")


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != "store"
    }


def _same(warm: BuildResult, cold: BuildResult) -> None:
    got, expected = _files(warm.out_dir), _files(cold.out_dir)
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, f"a warm build differs from a cold one in {differ}"


def _cold(tmp_path: Path, name: str, *edits: object) -> BuildResult:
    project = copy_project(FIXTURES / "mini", tmp_path / name)
    for edit in edits:
        edit(project.root)  # type: ignore[operator]
    assert not manifest_path(project.out_dir).exists()
    result = build_project(project)
    assert result.reused == ()
    return result


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """Cold builds of the mini project: as it is, with the translation edit, with the label edit."""
    base = tmp_path_factory.mktemp("cold")
    return {
        "none": _cold(base, "none"),
        "translation": _cold(base, "translation", _translation_edit),
        "label": _cold(base, "label", _label_edit),
    }


@pytest.fixture
def warm(tmp_path: Path, cold: dict[str, BuildResult]) -> Project:
    """A copy of the unedited cold build, its out/ and manifest included."""
    target = tmp_path / "warm"
    shutil.copytree(cold["none"].out_dir.parent, target, symlinks=True)
    assert manifest_path(target / "out").exists()
    return Project(target)


def test_no_change_takes_the_views_over_whole(warm: Project, cold: dict[str, BuildResult]) -> None:
    again = build_project(warm)
    assert again.reused == (WHOLE,)
    _same(again, cold["none"])
    assert build_project(warm).reused == (WHOLE,)  # and from a build that reused them


@pytest.mark.parametrize("first", ["cold", "after a build that reused everything"])
def test_an_edit_no_figure_shows_redraws_no_figure(
    warm: Project, cold: dict[str, BuildResult], first: str
) -> None:
    if first != "cold":
        assert build_project(warm).reused == (WHOLE,)  # its manifest keeps the parts too
    _translation_edit(warm.root)
    result = build_project(warm)
    assert WHOLE not in result.reused
    assert {
        "ontology-docs",
        "figure top10-heatmap",
        "figure admin-tree",
        "font",
        "exports entities",
    } <= set(result.reused)
    _same(result, cold["translation"])


def test_an_edit_a_figure_shows_redraws_it(warm: Project, cold: dict[str, BuildResult]) -> None:
    before = (warm.out_dir / "site" / "figures" / "top10-heatmap.svg").read_bytes()
    _label_edit(warm.root)
    result = build_project(warm)
    assert "figure top10-heatmap" not in result.reused
    assert "ontology-docs" in result.reused  # the ontology did not change
    assert (result.out_dir / "site" / "figures" / "top10-heatmap.svg").read_bytes() != before
    _same(result, cold["label"])


def test_a_corrupt_manifest_draws_everything(warm: Project, cold: dict[str, BuildResult]) -> None:
    manifest_path(warm.out_dir).write_text('{"format": 1, "views": [', encoding="utf-8")
    result = build_project(warm)
    assert result.reused == ()
    _same(result, cold["none"])
    assert build_project(warm).reused == (WHOLE,)  # the manifest was written anew


def test_a_missing_manifest_draws_everything(warm: Project, cold: dict[str, BuildResult]) -> None:
    shutil.rmtree(manifest_path(warm.out_dir).parent)
    result = build_project(warm)
    assert result.reused == ()
    _same(result, cold["none"])


def test_a_changed_file_in_the_previous_out_is_drawn_again(
    warm: Project, cold: dict[str, BuildResult]
) -> None:
    figure = warm.out_dir / "site" / "figures" / "top10-heatmap.png"
    figure.write_bytes(figure.read_bytes()[:100])  # a truncated file, as after a full disk
    (warm.out_dir / "site" / "ontology" / "index.html").unlink()
    result = build_project(warm)
    assert WHOLE not in result.reused
    assert "figure top10-heatmap" not in result.reused
    assert "ontology-docs" not in result.reused
    assert "figure admin-tree" in result.reused
    _same(result, cold["none"])

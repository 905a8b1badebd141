"""The report's pages, file by file, against golden copies (tests/golden/<case>/site/).

``mini``: every file of the fixture project's out/site/ (pages and figures); ``repo``: the
HTML pages of the repository's own build. After a deliberate change run `make golden` and
review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import REPO
from kg.pipeline import BuildResult

GOLDEN = REPO / "tests" / "golden"


def _files(site: Path, pattern: str) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob(pattern))
        if p.is_file()
    }


def _compare(site: Path, case: str, pattern: str) -> None:
    golden = GOLDEN / case / "site"
    made = _files(site, pattern)
    if os.environ.get("KG_UPDATE_GOLDEN") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in made.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    assert golden.is_dir(), f"no golden copy in {golden}: run `make golden`"
    kept = _files(golden, pattern)
    assert sorted(made) == sorted(kept), "the site's files differ from the golden copy's"
    for name in sorted(made):
        assert made[name] == kept[name], f"site/{name} differs from {golden / name}"


def test_the_fixture_projects_site_is_the_golden_copy(built_mini: BuildResult) -> None:
    _compare(built_mini.out_dir / "site", "mini", "*")


def test_the_repositorys_site_pages_are_the_golden_copy(built: BuildResult) -> None:
    _compare(built.out_dir / "site", "repo", "*.html")

"""Shared fixtures: the repository's own project, a tiny fictional one, and the source texts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.pipeline import BuildResult, build_project
from kg.project import Project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_SOURCES = REPO.parent / "shared" / "sources"


def shared_sources() -> Path:
    """``../shared/sources``: present in CI (a failure there if missing), else the test skips."""
    if SHARED_SOURCES.is_dir():
        return SHARED_SOURCES
    if os.environ.get("CI") == "true":
        pytest.fail(f"{SHARED_SOURCES} is missing; CI must have ../shared beside the clone")
    pytest.skip(f"{SHARED_SOURCES} is not present (clone the project with ../shared beside it)")


def copy_project(source: Path, target: Path) -> Project:
    """A writable copy of a project folder, with the repository's ontology and shapes."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("out", ".out*"))
    if not (target / "ontology").exists():
        shutil.copytree(REPO / "ontology", target / "ontology")
    return Project(target)


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """The fictional project of tests/fixtures/mini, copied so a test may change it."""
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


@pytest.fixture(scope="session")
def repo_project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, repo_project: Project) -> BuildResult:
    """The repository's data, built once per test session into a temporary out/."""
    out = tmp_path_factory.mktemp("build") / "out"
    return build_project(repo_project, out_dir=out)

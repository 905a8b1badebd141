"""Regression: a build written with --formats that leave out kg.nt could not be rebuilt
("holds files that are not a dckg build"): the marker files were kg.nt and void.ttl."""

from __future__ import annotations

from kg.outputs import ALWAYS_WRITTEN
from kg.pipeline import build_project
from kg.project import Project


def test_a_build_without_kg_nt_is_replaced_by_the_next_build(mini: Project) -> None:
    build_project(mini, formats=["ttl"])
    out = mini.build()
    assert not out.nt.exists() and all(out.path(name).is_file() for name in ALWAYS_WRITTEN)
    build_project(mini)  # raised InputError before the fix
    assert out.nt.is_file() and out.store.is_dir()

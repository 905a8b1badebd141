"""The project folder, like dbt's: the folder that holds ``ontology/``, ``data/`` and ``queries/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.outputs import Build


@dataclass(frozen=True)
class Project:
    """Paths of one project; the ontology and queries are the project's files, not package data."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def build(self, out_dir: Path | None = None) -> Build:
        """The build in ``out_dir`` (default: ``out/`` in the project)."""
        return Build(out_dir or self.out_dir)

    def ontology_files(self) -> list[Path]:
        """The ontology's Turtle files: everything in ``ontology/`` but the shapes."""
        return sorted(p for p in self.ontology_dir.glob("*.ttl") if not p.name.startswith("shapes"))

    def shapes_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("shapes*.ttl"))


def is_project(folder: Path) -> bool:
    return (folder / "ontology").is_dir() and (folder / "data").is_dir()


def find_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """The project at ``explicit``, or the nearest folder upwards from ``start`` that is one."""
    if explicit is not None:
        folder = explicit.resolve()
        if not is_project(folder):
            raise InputError(
                f"{explicit} is not a dckg project: it needs ontology/ and data/ folders",
                hint="pass the folder that holds ontology/, data/ and queries/",
            )
        return Project(folder)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    raise InputError(
        f"no dckg project in {here} or above it (a folder with ontology/ and data/)",
        hint="cd into the project, or pass --project DIR",
    )

"""The project folder, like dbt's: the folder that holds ``ontology/``, ``data/`` and ``queries/``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.outputs import Build

CONFIG_FILE = "dckg.toml"
DEFAULT_TEXTS = "../shared/sources"
# The keys dckg.toml may hold, by table, with what each must be.
_CONFIG_KEYS = {"sources": {"texts": "a path (a string), relative to the project folder"}}


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

    def config(self) -> ProjectConfig:
        """The project's settings from ``dckg.toml`` (defaults where it is absent)."""
        return read_config(self.root)


@dataclass(frozen=True)
class ProjectConfig:
    """What ``dckg.toml`` sets; every key has a default, so the file is optional."""

    texts: str  # where the source texts are, as written (relative to the project folder)
    texts_dir: Path


def read_config(root: Path) -> ProjectConfig:
    """Read ``root/dckg.toml``; InputError (exit 2) with file:line for a malformed one.

    ```toml
    [sources]
    texts = "../shared/sources"   # the plain-text extractions the quotes are checked against
    ```
    """
    path = root / CONFIG_FILE
    settings: dict[str, Any] = {}
    if path.is_file():
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{path}: is not UTF-8 text", hint="save it as UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
            where = f"{path}:{found.group(1)}" if found else str(path)
            message = re.sub(r" \(at line \d+, column \d+\)$", "", str(exc))
            raise InputError(
                f"{where}: not valid TOML: {message}",
                hint='see the README: [sources] texts = "../shared/sources"',
            ) from None
        _check_keys(path, settings)
    texts = settings.get("sources", {}).get("texts", DEFAULT_TEXTS)
    return ProjectConfig(texts=texts, texts_dir=(root / texts).resolve())


def _check_keys(path: Path, settings: dict[str, Any]) -> None:
    for table, value in settings.items():
        keys = _CONFIG_KEYS.get(table)
        if keys is None or not isinstance(value, dict):
            known = ", ".join(f"[{t}]" for t in _CONFIG_KEYS)
            raise InputError(f"{path}: unknown setting {table!r}", hint=f"dckg.toml knows {known}")
        for key, item in value.items():
            if key not in keys:
                known = ", ".join(keys)
                raise InputError(
                    f"{path}: unknown key {key!r} in [{table}]", hint=f"[{table}] knows {known}"
                )
            if not isinstance(item, str) or not item.strip():
                raise InputError(
                    f"{path}: [{table}] {key} must be {keys[key]}, not {item!r}",
                    hint=f'write it in quotes: {key} = "{DEFAULT_TEXTS}"',
                )


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

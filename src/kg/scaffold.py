"""``kg init``: a new project folder of one's own, from the ontology and queries dckg ships.

A wheel carries copies of the project's ``ontology/`` and ``queries/`` (setup.py puts them
under ``kg/skeleton/``); a source checkout has the originals two folders above this file.
The new project holds one reference record, China, so that its first ``kg build`` passes;
everything else is the curator's, with data files only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from kg.errors import InputError

SKELETON_FOLDERS = ("ontology", "queries")  # copied whole from the package or the checkout

AREAS = """\
# Reference data: areas. Each area needs labels in en and zh; a code (GB/T 2260) needs the
# datasets it was found in (code_sources). See the dckg README for every record kind.
# Licence of the data: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)
areas:
  - {id: china, type: country, label: {en: China, zh: 中国}}
"""

README = """\
# {name}: a dckg project

Made by `kg init`. A dckg project is this folder: `ontology/` (the OWL ontology and the SHACL
shapes), `data/` (curated records and tables), `queries/` (stored SPARQL queries).

What to do next:

1. `kg build` here: it checks every record, builds the graph, validates it and writes `out/`.
2. Add a province, an indicator, a unit or a source as YAML under `data/reference/` and
   `data/sources/` (the format is in dckg's data/README.md); build again: every problem is
   reported at its file and line.
3. `kg query --list` shows the stored queries; `kg query sources` runs one.
4. `kg extract TEXT` drafts a source's statements for you to review (where installed).

`out/` is build output: keep it out of version control.
"""


@dataclass(frozen=True)
class Scaffold:
    """What ``kg init`` wrote: the folder and its files, relative to it."""

    root: Path
    files: tuple[str, ...]


def _bundled() -> Traversable | None:
    skeleton = resources.files("kg") / "skeleton"
    return skeleton if skeleton.is_dir() else None


def _checkout() -> Path | None:
    root = Path(__file__).resolve().parents[2]
    return root if all((root / name).is_dir() for name in SKELETON_FOLDERS) else None


def skeleton_files() -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of the shipped ontology and queries, in name order."""
    base: Traversable | Path | None = _bundled() or _checkout()
    if base is None:
        raise InputError(
            "this installation of dckg carries no ontology or queries to start a project from",
            hint="reinstall dckg from its wheel or a source checkout",
        )
    for folder in SKELETON_FOLDERS:
        entries = sorted(base.joinpath(folder).iterdir(), key=lambda entry: entry.name)
        for entry in entries:
            if entry.is_file() and entry.name.endswith((".ttl", ".rq")):
                yield f"{folder}/{entry.name}", entry.read_bytes()


def init_project(root: Path) -> Scaffold:
    """Write a minimal project into ``root`` (new or empty); InputError if it holds files."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InputError(
            f"{root} exists and is not an empty folder",
            hint="kg init writes a new project: give it a new folder's name",
        )
    files = [
        *skeleton_files(),
        ("data/reference/areas.yaml", AREAS.encode()),
        ("README.md", README.format(name=root.resolve().name).encode()),
        (".gitignore", b"out/\n.out*\n.kg-cache/\n"),
    ]
    for name, data in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "data" / "sources").mkdir(exist_ok=True)
    return Scaffold(root, tuple(name for name, _ in files))

"""dckg: the Digital China Knowledge Graph builder.

The library behind the ``kg`` command: load curated records, build RDF, validate it with
SHACL, write deterministic files. The CLI is a thin layer over :mod:`kg.pipeline`.

The pipeline's names (``build_project``, ``validate_files``, ``BuildResult``) are imported
when first used, so that ``import kg`` (and ``kg --version``, ``kg query``) does not load
rdflib, pyshacl and matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg._version import __version__
from kg.errors import InputError, KgError, ProblemFound, RecordError, RemoteError
from kg.project import Project, find_project

if TYPE_CHECKING:
    from kg.pipeline import BuildResult, build_project, validate_files

__all__ = [
    "BuildResult",
    "InputError",
    "KgError",
    "ProblemFound",
    "Project",
    "RecordError",
    "RemoteError",
    "__version__",
    "build_project",
    "find_project",
    "validate_files",
]

_FROM_PIPELINE = ("BuildResult", "build_project", "validate_files")


def __getattr__(name: str) -> Any:
    """The pipeline's public names, imported on first use."""
    if name in _FROM_PIPELINE:
        from kg import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

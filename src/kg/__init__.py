"""dckg: the Digital China Knowledge Graph builder.

The library behind the ``kg`` command: load curated records, build RDF, validate it with
SHACL, write deterministic files. The CLI is a thin layer over :mod:`kg.pipeline`.
"""

from __future__ import annotations

from kg._version import __version__
from kg.errors import InputError, KgError, ProblemFound, RecordError, RemoteError
from kg.pipeline import BuildResult, build_project, validate_files
from kg.project import Project, find_project

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

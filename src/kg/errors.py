"""Errors a user can act on, and the exit code each one maps to.

The tree::

    KgError                     exit 2 unless a subclass says otherwise
    ├── InputError              exit 2: a data file, a command-line value or a project layout is wrong
    │   └── RecordError         ... with the file and line of the record at fault
    ├── ProblemFound            exit 1: the work ran and found a problem (SHACL violations, ...)
    └── RemoteError             exit 3: a remote service failed (refused, timeout, HTTP error)

The CLI prints ``Error: <message>`` plus the hint and exits with ``exit_code``; it never
shows a traceback for these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_INPUT = 2
EXIT_REMOTE = 3


class KgError(Exception):
    """Base class of every error meant for a user."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n  hint: {self.hint}"


class InputError(KgError):
    """The user's input (project, data file, option) is wrong; exit code 2."""


@dataclass(frozen=True, order=True)
class Origin:
    """Where a record came from: a file and a 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class RecordError(InputError):
    """A record in a data file is malformed; carries file:line."""

    def __init__(self, origin: Origin, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{origin}: {message}", hint=hint)
        self.origin = origin


class ProblemFound(KgError):
    """The work ran and found a problem (e.g. the graph does not conform); exit code 1."""

    exit_code = EXIT_PROBLEM


class RemoteError(KgError):
    """A remote service failed: refused, timed out, or answered an error; exit code 3."""

    exit_code = EXIT_REMOTE

"""Errors a user can act on, and the exit code each one maps to.

The tree::

    KgError                     exit 2 unless a subclass says otherwise
    ├── InputError              exit 2: a data file, a command-line value or a project layout is wrong
    │   └── RecordError         ... with the file and line of the record at fault
    ├── OutputError             exit 2: out/ cannot be written (disk full, no permission)
    ├── ProblemFound            exit 1: the work ran and found a problem (SHACL violations, ...)
    └── RemoteError             exit 3: a remote service failed (refused, timeout, HTTP error)

The CLI prints ``Error: <message>`` plus the hint and exits with ``exit_code``; it never
shows a traceback for these.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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
        return f"{shown_path(self.path)}:{self.line}"


def shown_path(path: Path) -> Path:
    """``path`` as a user wrote it from here: relative to the current folder when under it."""
    try:
        return path.relative_to(Path.cwd()) if path.is_absolute() else path
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return path


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    """A hint naming the known values closest to a mistyped one, or None if none is close."""
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(close)}?" if close else None


class RecordError(InputError):
    """A record in a data file is malformed; carries file:line."""

    def __init__(self, origin: Origin, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{origin}: {message}", hint=hint)
        self.origin = origin
        self.detail = message

    def __reduce__(self) -> tuple[object, ...]:
        """Picklable (a forked child sends the errors of its rows back): made again from the
        origin and the message, the rest of its state restored as it was."""
        return (type(self), (self.origin, self.detail), self.__dict__)


class OutputError(KgError):
    """The build could not be written (disk full, no permission); exit code 2, out/ untouched."""


class ProblemFound(KgError):
    """The work ran and found a problem (e.g. the graph does not conform); exit code 1."""

    exit_code = EXIT_PROBLEM


class RemoteError(KgError):
    """A remote service failed: refused, timed out, or answered an error; exit code 3."""

    exit_code = EXIT_REMOTE


def redact_url(url: str) -> str:
    """``url`` as messages may show it: a user name or password in it becomes ``***``."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "<a malformed URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def network_failure(url: str, exc: BaseException, timeout: float) -> tuple[str, str]:
    """What went wrong talking to the server at ``url``, and what to do: ``(message, hint)``.

    Credentials in ``url`` are never shown (see :func:`redact_url`).
    """
    import http.client
    import socket
    import urllib.error

    shown = redact_url(url)
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return (
            f"{shown} did not answer within {timeout:g} s",
            "raise --timeout, or try again later",
        )
    if isinstance(reason, http.client.IncompleteRead):
        expected = "" if reason.expected is None else f" of {len(reason.partial) + reason.expected}"
        return (
            f"{shown} cut its answer short ({len(reason.partial)}{expected} bytes arrived)",
            "try again; if it happens again, the server's log says why",
        )
    if isinstance(reason, http.client.HTTPException):
        return (
            f"{shown} answered something that is not HTTP ({type(reason).__name__}: {str(reason)[:60]!r})",
            "check the URL: is this the SPARQL endpoint's host and port?",
        )
    if isinstance(reason, ConnectionRefusedError):
        return (
            f"cannot reach {shown}: connection refused",
            "is the server running? check the URL and port",
        )
    if isinstance(reason, ConnectionError):
        return (
            f"{shown} dropped the connection: {reason}",
            "try again; the server's log may say why",
        )
    return f"cannot reach {shown}: {reason}", "check the URL and the network"

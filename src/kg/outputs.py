"""What a build writes: the formats a user may choose, and the layout of an out folder.

:class:`OutputFormat` names each optional output of ``kg build`` (its file or folder and
what it needs); :func:`parse_formats` is the one check of a combination. :class:`Build`
gives the path of every file of one out folder, so that no other module spells them.

>>> sorted(f.value for f in parse_formats("nt,store"))
['nt', 'store']
>>> Build(Path("out")).store
PosixPath('out/store')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError


class OutputFormat(enum.Enum):
    """An optional output of ``kg build``; void.ttl, validation.* and statements.csv always are."""

    NT = "nt"
    TTL = "ttl"
    TRIG = "trig"
    JSONLD = "jsonld"
    STORE = "store"
    VIEWS = "views"

    @property
    def files(self) -> tuple[str, ...]:
        """The files or folders of ``out/`` that this format writes."""
        return _FILES[self]

    @property
    def needs(self) -> frozenset[OutputFormat]:
        """The formats this one is drawn from."""
        return frozenset({OutputFormat.STORE}) if self is OutputFormat.VIEWS else frozenset()


_FILES = {
    OutputFormat.NT: ("kg.nt",),
    OutputFormat.TTL: ("kg.ttl",),
    OutputFormat.TRIG: ("kg.trig",),
    OutputFormat.JSONLD: ("kg.jsonld",),
    OutputFormat.STORE: ("store",),
    OutputFormat.VIEWS: ("analysis", "site"),
}

ALL_FORMATS = frozenset(OutputFormat)  # what a build writes by default
FORMAT_NAMES = tuple(sorted(f.value for f in OutputFormat))


class FormatError(InputError):
    """A combination of ``--formats`` that cannot be built (exit code 2)."""


def parse_formats(text: str | Iterable[str]) -> frozenset[OutputFormat]:
    """``"nt,ttl"`` (or the names) -> the formats; FormatError on unknown or unmet ones."""
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = {name.strip() for name in names if name.strip()}
    unknown = chosen - set(FORMAT_NAMES)
    if not chosen or unknown:
        raise FormatError(
            f"unknown format {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(FORMAT_NAMES)}"
        )
    formats = frozenset(OutputFormat(name) for name in chosen)
    for fmt in sorted(formats, key=lambda f: f.value):
        if not fmt.needs <= formats:
            raise FormatError(
                f"{fmt.value} are drawn from the embedded store: add store, or leave out {fmt.value}"
            )
    return formats


@dataclass(frozen=True)
class Build:
    """One out folder (a build), beside :class:`~kg.project.Project`: where each output is."""

    folder: Path

    @property
    def nt(self) -> Path:
        return self.folder / "kg.nt"

    @property
    def ttl(self) -> Path:
        return self.folder / "kg.ttl"

    @property
    def trig(self) -> Path:
        return self.folder / "kg.trig"

    @property
    def jsonld(self) -> Path:
        return self.folder / "kg.jsonld"

    @property
    def void(self) -> Path:
        return self.folder / "void.ttl"

    @property
    def validation_ttl(self) -> Path:
        return self.folder / "validation.ttl"

    @property
    def validation_txt(self) -> Path:
        return self.folder / "validation.txt"

    @property
    def statements_csv(self) -> Path:
        return self.folder / "statements.csv"

    @property
    def store(self) -> Path:
        return self.folder / "store"

    @property
    def analysis(self) -> Path:
        return self.folder / "analysis"

    @property
    def site(self) -> Path:
        return self.folder / "site"

    def path(self, name: str) -> Path:
        """A file or folder of the build by its name in ``out/`` (``"kg.nt"``, ``"site"``)."""
        return self.folder / name


# The files a build writes whatever its formats.
ALWAYS_WRITTEN = ("void.ttl", "validation.ttl", "validation.txt", "statements.csv")

# The files every complete build holds (the graph in each format, its description, its report).
OUTPUT_FILES = (
    "kg.ttl",
    "kg.nt",
    "kg.trig",
    "kg.jsonld",
    "void.ttl",
    "validation.ttl",
    "validation.txt",
    "statements.csv",
)


class Engine(enum.StrEnum):
    """Which validator runs the shapes."""

    COMPILED = "compiled"  # the shapes compiled into Python checks (kg.shacl); the default
    PYSHACL = "pyshacl"  # pyshacl itself: the reference the compiled engine is tested against

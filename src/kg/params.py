"""The options that several ``kg`` commands share, declared once (as dbt-core's ``cli/params.py``).

Each is a decorator: ``@params.out("The build to publish ...")`` on a command adds
``--out DIR``. A command's own options stay beside it in :mod:`kg.cli`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.outputs import FORMAT_NAMES, Engine, FormatError, OutputFormat, parse_formats
from kg.results import ResultFormat

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]


def out(help_text: str) -> Decorator[Any]:
    """``--out DIR``: the build a command writes or reads (build, stats, query, load, serve, ...)."""
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=help_text
    )


def timeout(default: float, help_text: str) -> Decorator[Any]:
    """``--timeout SECONDS``: how long to wait for a remote service."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        help=help_text,
    )


def endpoint(help_text: str) -> Decorator[Any]:
    """``--endpoint URL``: a SPARQL 1.1 query endpoint."""
    return click.option("--endpoint", metavar="URL", help=help_text)


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> frozenset[OutputFormat]:
    try:
        return parse_formats(value)
    except FormatError as error:
        raise click.BadParameter(error.message, param_hint="--formats") from None


def build_formats() -> Decorator[Any]:
    """``--formats LIST``: what ``kg build`` writes, checked by :func:`kg.outputs.parse_formats`."""
    return click.option(
        "--formats",
        default=",".join(FORMAT_NAMES),
        show_default=True,
        metavar="LIST",
        callback=_formats,
        help="What to write, comma-separated: nt, ttl, trig, jsonld (kg.*), store (the embedded "
        "store), views (out/analysis and out/site, drawn from the store). void.ttl, validation.* "
        "and statements.csv are always written. Leaving out the store saves most of a big "
        "table's build time, but then kg query, kg analyse and kg report have nothing to run on.",
    )


def result_format() -> Decorator[Any]:
    """``--format/-f``: how ``kg query`` prints an answer."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice([f.value for f in ResultFormat]),
        default=ResultFormat.TABLE.value,
        show_default=True,
        callback=lambda _ctx, _param, value: ResultFormat(value),
        help="Output: a table, or SPARQL 1.1 CSV/TSV/JSON results; Turtle or N-Triples for CONSTRUCT.",
    )


def links_dir() -> Decorator[Any]:
    """``--links-dir DIR`` for ``kg link``, with ``--out`` kept as a deprecated alias."""

    def decorate(function: F) -> F:
        function = click.option(
            "--out",
            "links_dir_deprecated",
            type=click.Path(file_okay=False, path_type=Path),
            hidden=True,
            help="Deprecated alias of --links-dir.",
        )(function)
        return click.option(
            "--links-dir",
            "links_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Where the mapping sets go (default: data/links/ in the project).",
        )(function)

    return decorate


def engine() -> Decorator[Any]:
    """``--engine``: which validator runs the shapes (``kg validate``)."""
    return click.option(
        "--engine",
        type=click.Choice([e.value for e in Engine]),
        default=Engine.COMPILED.value,
        show_default=True,
        callback=lambda _ctx, _param, value: Engine(value),
        help="compiled: the shapes as Python checks (fast); pyshacl: pyshacl itself, the "
        "reference they are tested against. Both report the same results.",
    )


def name_values(values: tuple[str, ...]) -> dict[str, str]:
    """``--param NAME=VALUE`` (repeated) as a dict; BadParameter for an item without ``=``."""
    found: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not name=value", param_hint="--param")
        found[name.strip()] = value
    return found

"""The ``kg`` command: a thin click layer over the library.

Every command runs inside :class:`KgGroup`, which turns a :class:`~kg.errors.KgError` into
one ``Error: ...`` message on stderr and the exit code of the contract (0 ok, 1 problem
found, 2 bad input, 3 remote failure), never a traceback.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg import __version__
from kg.errors import KgError
from kg.pipeline import build_project, validate_files
from kg.project import Project, find_project

err_console = Console(stderr=True, highlight=False)
console = Console(highlight=False)


class KgGroup(click.Group):
    """Applies the exit-code contract to every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            err_console.print(f"[bold red]Error:[/] {error.message}", markup=True, soft_wrap=True)
            if error.hint:
                err_console.print(f"  hint: {error.hint}", markup=False, soft_wrap=True)
            ctx.exit(error.exit_code)


@contextmanager
def steps() -> Iterator[Any]:
    """A spinner naming the current step on a terminal; silent in pipes and CI logs."""
    if not err_console.is_terminal:
        yield lambda _message: None
        return
    with err_console.status("starting") as status:
        yield lambda message: status.update(f"{message}…")


def _project(ctx: click.Context) -> Project:
    explicit: Path | None = ctx.obj.get("project") if ctx.obj else None
    return find_project(explicit=explicit)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="kg", message="%(prog)s (dckg) %(version)s"
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project folder (holds ontology/, data/, queries/). Default: found from the current folder upwards.",
)
@click.pass_context
def main(ctx: click.Context, project: Path | None) -> None:
    """Build, validate and query the Digital China Knowledge Graph."""
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: out/ in the project). Replaced whole, only when the graph conforms.",
)
@click.pass_context
def build(ctx: click.Context, out_dir: Path | None) -> None:
    """Load the records, build the graph, validate it with SHACL and write out/."""
    project = _project(ctx)
    started = time.perf_counter()
    with steps() as progress:
        result = build_project(project, out_dir=out_dir, progress=progress)
    seconds = time.perf_counter() - started
    console.print(
        f"Built {result.out_dir}: {_count(result.triples, 'triple')} in "
        f"{_count(result.graphs, 'named graph')}, {_count(result.entities, 'entity', 'entities')}, "
        f"{_count(result.statements, 'statement')} from {_count(result.sources, 'source')}; "
        f"conforms to the shapes ({seconds:.1f} s).",
        soft_wrap=True,
    )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Validate RDF FILES against the project's shapes; exit 1 if they do not conform."""
    project = _project(ctx)
    report = validate_files(project, list(files))
    console.print(report.text().rstrip(), markup=False, soft_wrap=True)
    if not report.conforms:
        ctx.exit(1)


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The build to describe (default: out/ in the project).",
)
@click.pass_context
def stats(ctx: click.Context, out_dir: Path | None) -> None:
    """Counts of the built graph by class, source and indicator."""
    from kg.stats import graph_stats
    from kg.store import open_store

    project = _project(ctx)
    store = open_store((out_dir or project.out_dir) / "store")
    result = graph_stats(store)
    for title, rows, key in (
        ("Entities by class", result.by_class, "class"),
        ("Statements by source", result.by_source, "source"),
        ("Statements by indicator", result.by_indicator, "indicator"),
    ):
        table = Table(title=title, title_justify="left")
        columns = [c for c in rows[0]] if rows else [key, "count"]
        for column in columns:
            table.add_column(column, justify="right" if column == "count" else "left")
        for row in rows:
            table.add_row(*(row[c] for c in columns))
        console.print(table)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

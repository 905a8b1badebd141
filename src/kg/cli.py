"""The ``kg`` command: a thin click layer over the library.

Every command runs inside :class:`KgGroup`, which turns a :class:`~kg.errors.KgError` into
one ``Error: ...`` message on stderr and the exit code of the contract (0 ok, 1 problem
found, 2 bad input, 3 remote failure), never a traceback.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.errors import KgError, redact_url
from kg.pipeline import FORMATS as BUILD_FORMATS
from kg.pipeline import build_project, validate_files
from kg.project import Project, find_project
from kg.queries import QueryResult as QueryResultType

# Text from the user's files is printed as written: rich would turn ":100:" (a line number)
# into an emoji and "[red]" into a colour. Markup is asked for where it is meant.
err_console = Console(stderr=True, highlight=False, emoji=False, markup=False)
console = Console(highlight=False, emoji=False, markup=False)


# `kg --help` lists the commands in the order a user runs them, not alphabetically.
WORKFLOW = (
    "init",
    "build",
    "validate",
    "stats",
    "query",
    "serve",
    "load",
    "link",
    "analyse",
    "report",
)


class KgGroup(click.Group):
    """Applies the exit-code contract to every command; lists them in workflow order."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        order = {name: i for i, name in enumerate(WORKFLOW)}
        return sorted(names, key=lambda name: (order.get(name, len(order)), name))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            # The message may quote the user's text: "[/]" there is text, not markup.
            err_console.print(
                f"[bold red]Error:[/] {escape(error.message)}", markup=True, soft_wrap=True
            )
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


def out_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--out DIR``: the build a command writes or reads; shared by build, stats, load, serve."""
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=help_text
    )


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
    """Build, validate and query the Digital China Knowledge Graph.

    \b
    Example: kg build && kg query first-tier-vs-top10
    """
    ctx.ensure_object(dict)
    ctx.obj["project"] = project


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Start a project of your own in FOLDER: ontology, shapes, queries, one reference file.

    FOLDER must be new or empty. `kg build` then works in it at once.
    """
    from kg.scaffold import init_project

    made = init_project(folder)
    click.echo(
        f"Created {folder}: {len(made.files)} files (ontology/, queries/, data/reference/areas.yaml, "
        f"README.md). Next: cd {folder} && kg build"
    )


@main.command()
@out_option(
    "Output folder (default: out/ in the project). Replaced whole, only when the graph conforms."
)
@click.option(
    "--formats",
    default=",".join(sorted(BUILD_FORMATS)),
    show_default=True,
    metavar="LIST",
    help="What to write, comma-separated: nt, ttl, trig, jsonld (kg.*), store (the embedded "
    "store), views (out/analysis and out/site, drawn from the store). void.ttl, validation.* "
    "and statements.csv are always written. Leaving out the store saves most of a big "
    "table's build time, but then kg query, kg analyse and kg report have nothing to run on.",
)
@click.pass_context
def build(ctx: click.Context, out_dir: Path | None, formats: str) -> None:
    """Load the records, build the graph, validate it with SHACL and write out/.

    Also writes out/analysis (kg analyse) and out/site (kg report) inside the same swap.
    """
    project = _project(ctx)
    chosen = frozenset(name.strip() for name in formats.split(",") if name.strip())
    if not chosen or not chosen <= BUILD_FORMATS:
        unknown = ", ".join(sorted(chosen - BUILD_FORMATS)) or "(none)"
        raise click.BadParameter(
            f"unknown format {unknown}; choose from {', '.join(sorted(BUILD_FORMATS))}",
            param_hint="--formats",
        )
    if "views" in chosen and "store" not in chosen:
        raise click.BadParameter(
            "views are drawn from the embedded store: add store, or leave out views",
            param_hint="--formats",
        )
    started = time.perf_counter()
    with steps() as progress:
        result = build_project(project, out_dir=out_dir, progress=progress, formats=chosen)
    seconds = time.perf_counter() - started
    console.print(
        f"Built {escape(str(result.out_dir))}: {_count(result.triples, 'triple')} in "
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
        err_console.print(
            "  hint: fix the triples of each focus node (at the file:line shown), then validate again",
            markup=False,
            soft_wrap=True,
        )
        ctx.exit(1)


@main.command()
@out_option("The build to describe (default: out/ in the project).")
@click.pass_context
def stats(ctx: click.Context, out_dir: Path | None) -> None:
    """Counts of the built graph by class, source and indicator."""
    from kg.stats import graph_stats
    from kg.store import open_store
    from kg.validate import Shortener  # moves to kg.vocab with the restructure

    project = _project(ctx)
    store = open_store((out_dir or project.out_dir) / "store")
    result = graph_stats(store)
    shorten = Shortener()
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
            table.add_row(*(Text(shorten(row[c]) if c == key else row[c]) for c in columns))
        console.print(table)


@main.command()
@click.option(
    "--gsp",
    required=True,
    metavar="URL",
    help="The store's Graph Store Protocol endpoint (Oxigraph: /store; Virtuoso: /sparql-graph-crud-auth).",
)
@click.option(
    "--sparql",
    required=True,
    metavar="URL",
    help="The store's SPARQL query endpoint, for the counts (Oxigraph: /query; Virtuoso: /sparql).",
)
@click.option(
    "--update",
    metavar="URL",
    help="The SPARQL Update endpoint for the atomic switch (Oxigraph: /update; Virtuoso: /sparql-auth). Default: --sparql.",
)
@click.option(
    "--user",
    metavar="NAME",
    help="User name; the password is read from the environment variable KG_STORE_PASSWORD.",
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    default="digest",
    show_default=True,
    help="HTTP authentication scheme.",
)
@click.option(
    "--replace/--append",
    default=True,
    show_default=True,
    help="Replace each graph atomically, or add to it.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print what would be sent and replaced; send nothing."
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="Triples per upload request.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
@click.option(
    "--retries",
    type=click.IntRange(0),
    default=5,
    show_default=True,
    help="Retries of a request that fails for a passing reason (refused, timeout, 502/503/504).",
)
@click.option(
    "--no-transaction",
    is_flag=True,
    help="Oxigraph only: upload each chunk outside a transaction (its no_transaction "
    "option), about 3x faster for big graphs. With --replace the chunks go into the staging "
    "graph, so readers still see the old graph or the new one.",
)
@out_option("The build to publish (default: out/ in the project).")
@click.pass_context
def load(
    ctx: click.Context,
    gsp: str,
    sparql: str,
    update: str | None,
    user: str | None,
    auth: str,
    replace: bool,
    dry_run: bool,
    chunk_size: int,
    timeout: float,
    retries: int,
    no_transaction: bool,
    out_dir: Path | None,
) -> None:
    """Publish the built graph into a SPARQL 1.1 triplestore, one named graph per source.

    Each graph is uploaded into a staging graph, counted, and switched in with one SPARQL
    Update (MOVE), so readers of a graph see the old or the new one; counts are checked after.
    """
    import os

    from kg import load as loading

    project = _project(ctx)
    store_path = (out_dir or project.out_dir) / "store"
    graphs = loading.plan(store_path)
    if dry_run:
        gsp, sparql = redact_url(gsp), redact_url(sparql)  # the plan is shown: no passwords
        update = None if update is None else redact_url(update)
        table = Table(title="kg load --dry-run: nothing is sent", title_justify="left")
        for column in ("graph", "triples", "requests", "action"):
            table.add_column(
                column, justify="right" if column in ("triples", "requests") else "left"
            )
        for graph in graphs:
            requests = -(-graph.triples // chunk_size)
            action = (
                f"upload to a staging graph, then MOVE into the graph at {update or sparql}"
                if replace
                else "append (POST) to the graph"
            )
            table.add_row(graph.name, str(graph.triples), str(requests), action)
        console.print(table)
        if replace and update is None:
            candidates = loading.update_candidates(loading.Target(gsp=gsp, sparql=sparql))
            console.print(
                "Warning: no --update given: kg load will look for the SPARQL Update endpoint at "
                f"{', then '.join(candidates)} (the first that takes a no-op update) before it "
                "sends anything; pass --update URL to name it.",
                soft_wrap=True,
            )
        switch = f", switch each in with one SPARQL Update at {update or sparql}" if replace else ""
        console.print(
            f"Would send {sum(g.triples for g in graphs)} triples to {gsp}{switch}, then count them at {sparql}.",
            soft_wrap=True,
        )
        return
    target = loading.Target(
        gsp=gsp,
        sparql=sparql,
        update=update,
        user=user,
        password=os.environ.get("KG_STORE_PASSWORD") if user else None,
        auth=auth,
        timeout=timeout,
        retries=retries,
        no_transaction=no_transaction,
    )
    with _load_progress(graphs) as progress:
        report = loading.load(
            store_path, target, replace=replace, chunk_size=chunk_size, progress=progress
        )
    console.print(
        f"Loaded {_count(len(report.graphs), 'graph')}, {_count(report.triples, 'triple')} in "
        f"{report.seconds:.1f} s ({report.triples_per_second:,.0f} triples/s); "
        f"the store's counts match{' (replaced atomically)' if replace else ''}.",
        soft_wrap=True,
    )


@contextmanager
def _load_progress(graphs: list[Any]) -> Iterator[Any]:
    """Graphs, triples and speed on a terminal; nothing in pipes and CI logs."""
    if not err_console.is_terminal:
        yield lambda _graph, _done, _total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = sum(g.triples for g in graphs)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TextColumn("{task.fields[speed]}"),
        TimeElapsedColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task("loading", total=total, speed="")
        done_before: dict[str, int] = {}
        started = time.perf_counter()

        def update(graph: str, done: int, _total: int) -> None:
            done_before[graph] = done
            sent = sum(done_before.values())
            rate = sent / max(time.perf_counter() - started, 1e-9)
            bar.update(
                task, completed=sent, description=graph.rsplit("/", 1)[-1], speed=f"{rate:,.0f}/s"
            )

        yield update


@main.command()
@click.option(
    "--target",
    type=click.Choice(["wikidata", "geonames"]),
    required=True,
    help="The graph to link to.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="A Wikidata-shaped SPARQL endpoint (default: Wikidata's own, for --target wikidata).",
)
@click.option(
    "--dump",
    "dumps",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Work offline: an RDF dump in Wikidata's model, or GeoNames admin1CodesASCII.txt / admin2Codes.txt (repeatable).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.8,
    show_default=True,
    help="Accept a single best candidate at or above this confidence; the rest go to review.",
)
@click.option(
    "--out",
    "links_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the mapping sets go (default: data/links/ in the project).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Cache endpoint answers here (default: .kg-cache/link/ in the project).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the endpoint.",
)
@click.pass_context
def link(
    ctx: click.Context,
    target: str,
    endpoint: str | None,
    dumps: tuple[Path, ...],
    min_confidence: float,
    links_dir: Path | None,
    cache_dir: Path | None,
    timeout: float,
) -> None:
    """Discover links from areas to Wikidata or GeoNames, as SSSOM mapping sets to review.

    Writes data/links/TARGET.sssom.tsv (accepted and curated links, read by kg build) and
    TARGET.review.sssom.tsv (candidates for a curator). Curated rows and rejections are kept.
    """
    from kg import link as linking
    from kg.sources import load_records

    project = _project(ctx)
    records = load_records(project.data_dir)
    select = None
    if target == "wikidata":
        if dumps:
            select = linking.dump_select(dumps[0])
        else:
            select = linking.Endpoint(
                endpoint or linking.WIKIDATA_ENDPOINT,
                cache_dir=cache_dir or project.root / ".kg-cache" / "link",
                timeout=timeout,
            )
    result = linking.link_areas(
        records,
        target,
        select=select,
        geonames_files=list(dumps),
        links_dir=links_dir or project.data_dir / "links",
        min_confidence=min_confidence,
    )
    for change in result.changes:
        console.print(change, markup=False, soft_wrap=True)
    console.print(
        f"{target}: {len(result.accepted)} accepted, {len(result.review)} to review, "
        f"{len(result.kept)} curated or rejected kept; {len(result.changes)} changed since the last run.",
        soft_wrap=True,
    )


FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not name=value", param_hint="--param")
        params[name.strip()] = value
    return params


@main.command()
@click.argument("name", required=False)
@click.option(
    "--list",
    "list_only",
    is_flag=True,
    help="List the stored queries with their summaries and parameters.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter: area=henan binds ?_area_iri (an id, a prefixed name or a full IRI).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output: a table, or SPARQL 1.1 CSV/TSV/JSON results; Turtle or N-Triples for CONSTRUCT.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run on this SPARQL 1.1 query endpoint instead of the embedded store.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for --endpoint.",
)
@click.pass_context
def query(
    ctx: click.Context,
    name: str | None,
    list_only: bool,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Run a stored query (queries/NAME.rq, or a .rq file) and print its answer.

    ASK queries print true or false and exit 0 or 1.
    """
    from kg import queries

    project = _project(ctx)
    if list_only or name is None:
        listed = [
            (
                stored.name,
                stored.form,
                stored.summary,
                "\n".join(queries.describe_parameters(stored)),
            )
            for stored in queries.list_queries(project.queries_dir)
        ]
        headers = ("name", "form", "summary", "parameters")
        if not _fitted_table(headers, listed, whole={0, 1}, title="Stored queries"):
            _records(headers, listed)
        if name is None and not list_only:
            ctx.exit(2)
        return
    stored = queries.find_query(project.queries_dir, name)
    queries.check_format(stored, fmt)
    values = _parse_params(params)
    text = queries.bind(stored, values)
    execute = queries.executor(
        endpoint, project.out_dir / "store", timeout=timeout, origin=str(stored.path)
    )
    queries.check_iri_parameters(
        stored, values, execute, lambda message: err_console.print(f"Warning: {message}")
    )
    result = execute(text, stored.form)
    if result.form == "ASK":
        answer = bool(result.boolean)
        click.echo(
            queries.to_json(result) if fmt == "json" else ("true" if answer else "false"),
            nl=fmt != "json",
        )
        ctx.exit(0 if answer else 1)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        click.echo(
            result.ntriples if fmt == "ntriples" else queries.to_turtle(result.ntriples), nl=False
        )
        return
    if fmt == "csv":
        click.echo(queries.to_csv(result), nl=False)
    elif fmt == "tsv":
        click.echo(queries.to_tsv(result), nl=False)
    elif fmt == "json":
        click.echo(queries.to_json(result), nl=False)
    else:
        _print_table(result)


def _print_table(result: QueryResultType) -> None:
    from kg.validate import Shortener  # moves to kg.vocab with the restructure

    shorten = Shortener()
    rows = []
    whole = set()  # IRIs are never split across lines
    for row in result.rows:
        cells = []
        for index, variable in enumerate(result.variables):
            term = row.get(variable)
            if term is not None and term.type == "uri":
                whole.add(index)
            cells.append(
                "" if term is None else shorten(term.value) if term.type == "uri" else term.value
            )
        rows.append(tuple(cells))
    if not _fitted_table(tuple(result.variables), rows, whole=whole):
        _records(tuple(result.variables), rows)
        err_console.print(
            f"{len(result.variables)} columns do not fit {console.width} as a table: each row "
            "is shown as a record; --format csv (or tsv, json) gives a table for other tools.",
            soft_wrap=True,
        )
    err_console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


def _records(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """Rows one after the other, a line a value: for answers too wide to be a table."""
    label = max(len(h) for h in headers)
    for number, row in enumerate(rows, 1):
        console.print(f"-- row {number} " + "-" * max(0, 40 - len(str(number))))
        for header, cell in zip(headers, row, strict=True):
            if cell:
                lines = cell.split("\n")
                console.print(f"{header:<{label}}  {lines[0]}", soft_wrap=True)
                for line in lines[1:]:
                    console.print(f"{'':<{label}}  {line}", soft_wrap=True)


FOLDED_MIN = 12  # a column of text is folded at words, never narrower than this
ASCII_WORD = re.compile(r"[!-~]+")  # ids and IRIs; Chinese text may break between characters


def _fitted_table(
    headers: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    *,
    whole: set[int],
    title: str | None = None,
) -> bool:
    """Print a table whose ``whole`` columns (ids, IRIs, names) are never split and whose
    text columns fold between words (never inside an ASCII word); False, printing nothing,
    when even so it cannot fit the terminal."""
    cells = [[row[i].split("\n") for row in rows] for i in range(len(headers))]
    natural = [
        max([cell_len(header), *(cell_len(line) for cell in column for line in cell)])
        for header, column in zip(headers, cells, strict=True)
    ]
    longest_word = [
        max(
            [
                FOLDED_MIN,
                *(len(w) for cell in column for line in cell for w in ASCII_WORD.findall(line)),
            ]
        )
        for column in cells
    ]
    folded = [i for i in range(len(headers)) if i not in whole]
    borders = 3 * len(headers) + 1
    fixed = sum(natural[i] for i in whole) + borders
    least = fixed + sum(min(natural[i], longest_word[i]) for i in folded)
    if least > console.width:
        return False
    room = console.width - fixed  # for the folded columns
    widths = list(natural)
    want = sum(natural[i] for i in folded)
    if want > room:  # share the room in proportion to each column's text, never below a word
        floor = {i: min(natural[i], longest_word[i]) for i in folded}
        spare = room - sum(floor.values())
        extra = want - sum(floor.values()) or 1
        for i in folded:
            widths[i] = floor[i] + spare * (natural[i] - floor[i]) // extra
    table = Table(title=title, title_justify="left", show_lines=False)
    for index, header in enumerate(headers):
        if index in whole:
            table.add_column(header, no_wrap=True, width=widths[index])
        else:
            table.add_column(header, overflow="fold", width=widths[index])
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    return True


@main.command()
@out_option("The build to analyse (default: out/ in the project); writes its analysis/ folder.")
@click.pass_context
def analyse(ctx: click.Context, out_dir: Path | None) -> None:
    """Analyse the built graph as networks; write GraphML, GEXF and JSON to out/analysis/.

    Prints what the measures find: provinces by top-10 lists, agreement between sources,
    connected components and isolated entities.
    """
    from kg.pipeline import refresh_views

    project = _project(ctx)
    with steps() as progress:
        result, target = refresh_views(project, out_dir, progress, site=False)
    _print_findings(result)
    console.print(f"Wrote {target / 'analysis'}.", soft_wrap=True)


@main.command()
@out_option("The build to report on (default: out/ in the project); writes its site/ folder.")
@click.pass_context
def report(ctx: click.Context, out_dir: Path | None) -> None:
    """Write the browsable report to out/site/: figures, pages per province and source, ontology docs."""
    from kg.pipeline import refresh_views

    project = _project(ctx)
    with steps() as progress:
        _result, target = refresh_views(project, out_dir, progress, analysis=False)
    console.print(f"Wrote {target / 'site' / 'index.html'}.", soft_wrap=True)


def _print_findings(result: Any) -> None:
    measures = result.measures
    table = Table(title="Provinces by the report's top-10 lists (of 8)", title_justify="left")
    for column in ("province", "lists", "first tier (article)"):
        table.add_column(column, justify="right" if column == "lists" else "left")
    for member in measures.top10:
        if member.lists or member.first_tier:
            table.add_row(
                f"{member.label_en} {member.label_zh}",
                str(member.lists),
                "yes" if member.first_tier else "",
            )
    console.print(table)
    agreements = Table(title="Agreement between sources on shared claims", title_justify="left")
    for column in ("topic", "source", "other source", "both name", "named by one only", "Jaccard"):
        agreements.add_column(
            column, justify="right" if column in ("both name", "Jaccard") else "left"
        )

    def label(node: str) -> str:
        return str(result.labels.get(node, (node, ""))[0])

    for item in measures.agreements:
        agreements.add_row(
            label(item.topic),
            label(item.source_a),
            label(item.source_b),
            str(len(item.shared)),
            "\n".join(label(n) for n in (*item.only_a, *item.only_b)),
            f"{item.jaccard:.2f}",
        )
    console.print(agreements)
    isolated = ", ".join(measures.isolated) or "none"
    console.print(
        f"{len(measures.in_at_least(4))} provinces in at least 4 of the 8 lists; "
        f"entity graph: {_count(len(measures.components), 'connected component')}, "
        f"isolated entities: {isolated}; administrative hierarchy "
        f"{'is' if measures.hierarchy_is_tree else 'is NOT'} a tree.",
        soft_wrap=True,
    )


@main.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port on 127.0.0.1.",
)
@out_option("The build to serve (default: out/ in the project).")
@click.pass_context
def serve(ctx: click.Context, port: int, out_dir: Path | None) -> None:
    """Serve the built graph as a read-only SPARQL endpoint with a query page (Oxigraph).

    Listens on 127.0.0.1 only; queries see the union of the named graphs. Ctrl-C stops it.
    """
    from kg.server import serve_store

    project = _project(ctx)

    def announce(message: str) -> None:
        click.echo(message)
        sys.stdout.flush()  # a supervisor reading our stdout sees the URL at once

    serve_store((out_dir or project.out_dir) / "store", port=port, announce=announce)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

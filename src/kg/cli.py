"""The ``kg`` command: a thin click layer over the library.

Every command runs inside :class:`KgGroup`, which turns a :class:`~kg.errors.KgError` into
one ``Error: ...`` message on stderr and the exit code of the contract (0 ok, 1 problem
found, 2 bad input, 3 remote failure), never a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from kg import params
from kg._version import __version__
from kg.errors import KgError, redact_url
from kg.outputs import Engine, OutputFormat
from kg.project import Project, find_project
from kg.results import ResultFormat
from kg.terminal import console, count, err_console, steps

if TYPE_CHECKING:
    from kg.fingerprint import Summary

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
            print_error(error)
            ctx.exit(error.exit_code)


def print_error(error: KgError) -> None:
    """``Error: message`` and its hint on stderr, as every command shows a user error."""
    # The message may quote the user's text: "[/]" there is text, not markup.
    err_console.print(f"[bold red]Error:[/] {escape(error.message)}", markup=True, soft_wrap=True)
    if error.hint:
        err_console.print(f"  hint: {error.hint}", markup=False, soft_wrap=True)


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
@params.out(
    "Output folder (default: out/ in the project). Replaced whole, only when the graph conforms."
)
@params.build_formats()
@click.option(
    "--watch",
    is_flag=True,
    help="Build again on each save under data/, ontology/ and queries/ and of dckg.toml, "
    "printing the problems or the summary each time; Ctrl-C stops.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build even if out/ is up to date (nothing it is built from changed since).",
)
@click.pass_context
def build(
    ctx: click.Context,
    out_dir: Path | None,
    formats: frozenset[OutputFormat],
    watch: bool,
    force: bool,
) -> None:
    """Load the records, build the graph, validate it with SHACL and write out/.

    Also writes out/analysis (kg analyse) and out/site (kg report) inside the same swap;
    those whose inputs did not change are taken over from the previous out/. If nothing the
    build reads changed since the build in out/ (and out/ is as that build left it), nothing
    is built: its summary, notes and exit code are given again.
    """
    project = _project(ctx)
    target = (out_dir or project.out_dir).resolve()
    if watch:
        _watch(project, lambda: _build_or_keep(project, target, formats, force))
        return
    started = time.perf_counter()
    summary = _build_or_keep(project, target, formats, force)
    _built(summary, time.perf_counter() - started)


def _build_or_keep(
    project: Project, target: Path, formats: frozenset[OutputFormat], force: bool
) -> Summary:
    """Build, unless out/ is up to date; keep the build's fingerprint for the next one."""
    from kg import fingerprint

    taken = fingerprint.take(project, target, formats)
    if not force:
        try:
            return fingerprint.kept(taken)
        except fingerprint.Outdated:
            pass
    from kg.pipeline import NotConforming, build_project

    try:
        with steps() as progress:
            result = build_project(project, out_dir=target, progress=progress, formats=formats)
    except NotConforming as problem:
        fingerprint.record(taken, problem=problem)
        raise
    summary = fingerprint.Summary.of(result)
    fingerprint.record(taken, summary)
    return summary


def _built(summary: Summary, seconds: float) -> None:
    """The summary line of a build, then its notes."""
    timing = (
        f"; up to date, nothing it is built from changed ({seconds:.1f} s)."
        if summary.up_to_date
        else f" ({seconds:.1f} s)."
    )
    console.print(
        f"Built {summary.out_dir}: {count(summary.triples, 'triple')} in "
        f"{count(summary.graphs, 'named graph')}, {count(summary.entities, 'entity', 'entities')}, "
        f"{count(summary.statements, 'statement')} from {count(summary.sources, 'source')}; "
        f"conforms to the shapes{timing}",
        soft_wrap=True,
    )
    for note in summary.notes:
        err_console.print(note, markup=False, soft_wrap=True)


def _watch(project: Project, build: Callable[[], Summary]) -> None:
    """``kg build --watch``: a build per burst of saves; a user error is shown, not fatal."""
    from kg.watch import rebuilds, watched

    names = [f"{p.name}/" if p.is_dir() else p.name for p in watched(project)]
    listed = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    err_console.print(f"Watching {listed} in {project.root} (Ctrl-C stops).", soft_wrap=True)

    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt  # `kill` stops the watch as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    try:
        for outcome in rebuilds(project, build):
            if outcome.changed:
                shown = ", ".join(outcome.changed[:3])
                more = len(outcome.changed) - 3
                err_console.print(
                    f"Changed: {shown}{f' and {more} more' if more > 0 else ''}", soft_wrap=True
                )
            if outcome.error is not None:
                print_error(outcome.error)
            elif outcome.result is not None:
                _built(outcome.result, outcome.seconds)
    except KeyboardInterrupt:
        err_console.print("Stopped watching.")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@params.engine()
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], engine: Engine) -> None:
    """Validate RDF FILES against the project's shapes; exit 1 if they do not conform."""
    from kg.pipeline import validate_files

    project = _project(ctx)
    report = validate_files(project, list(files), engine)
    console.print(report.text().rstrip(), markup=False, soft_wrap=True)
    if not report.conforms:
        err_console.print(
            "  hint: fix the triples of each focus node (at the file:line shown), then validate again",
            markup=False,
            soft_wrap=True,
        )
        ctx.exit(1)


@main.command()
@params.out("The build to describe (default: out/ in the project).")
@click.pass_context
def stats(ctx: click.Context, out_dir: Path | None) -> None:
    """Counts of the built graph by class, source and indicator."""
    from kg.stats import graph_stats
    from kg.store import open_store
    from kg.terminal import print_stats

    print_stats(graph_stats(open_store(_project(ctx).build(out_dir).store)))


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
@params.timeout(120.0, "Seconds to wait for each request.")
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
@params.out("The build to publish (default: out/ in the project).")
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
    from kg.terminal import load_progress

    store_path = _project(ctx).build(out_dir).store
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
    with load_progress(graphs) as progress:
        report = loading.load(
            store_path, target, replace=replace, chunk_size=chunk_size, progress=progress
        )
    console.print(
        f"Loaded {count(len(report.graphs), 'graph')}, {count(report.triples, 'triple')} in "
        f"{report.seconds:.1f} s ({report.triples_per_second:,.0f} triples/s); "
        f"the store's counts match{' (replaced atomically)' if replace else ''}.",
        soft_wrap=True,
    )


@main.command()
@click.option(
    "--target",
    type=click.Choice(["wikidata", "geonames"]),
    required=True,
    help="The graph to link to.",
)
@params.endpoint(
    "A Wikidata-shaped SPARQL endpoint (default: Wikidata's own, for --target wikidata)."
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
@params.links_dir()
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Cache endpoint answers here (default: .kg-cache/link/ in the project).",
)
@params.timeout(60.0, "Seconds to wait for the endpoint.")
@click.pass_context
def link(
    ctx: click.Context,
    target: str,
    endpoint: str | None,
    dumps: tuple[Path, ...],
    min_confidence: float,
    links_dir: Path | None,
    links_dir_deprecated: Path | None,
    cache_dir: Path | None,
    timeout: float,
) -> None:
    """Discover links from areas to Wikidata or GeoNames, as SSSOM mapping sets to review.

    Writes data/links/TARGET.sssom.tsv (accepted and curated links, read by kg build) and
    TARGET.review.sssom.tsv (candidates for a curator). Curated rows and rejections are kept.
    """
    from kg import link as linking
    from kg.sources import load_records

    if links_dir_deprecated is not None:
        err_console.print(
            "Warning: kg link --out is deprecated (elsewhere --out names the build folder); "
            "use --links-dir",
            markup=False,
            soft_wrap=True,
        )
        links_dir = links_dir or links_dir_deprecated
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
    "bindings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter: area=henan binds ?_area_iri (an id, a prefixed name or a full IRI).",
)
@params.result_format()
@params.endpoint("Run on this SPARQL 1.1 query endpoint instead of the embedded store.")
@params.timeout(60.0, "Seconds to wait for --endpoint.")
@params.out("The build to query (default: out/ in the project); not used with --endpoint.")
@click.pass_context
def query(
    ctx: click.Context,
    name: str | None,
    list_only: bool,
    bindings: tuple[str, ...],
    fmt: ResultFormat,
    endpoint: str | None,
    timeout: float,
    out_dir: Path | None,
) -> None:
    """Run a stored query (queries/NAME.rq, or a .rq file) and print its answer.

    ASK queries print true or false and exit 0 or 1.
    """
    from kg import queries
    from kg.terminal import print_queries, print_table

    project = _project(ctx)
    if list_only or name is None:
        print_queries(queries.list_queries(project.queries_dir))
        if name is None and not list_only:
            ctx.exit(2)
        return
    queries.check_format(queries.find_query(project.queries_dir, name), fmt)
    result = queries.run(
        name,
        params.name_values(bindings),
        endpoint,
        project=project,
        out_dir=out_dir,
        timeout=timeout,
        warn=lambda message: err_console.print(f"Warning: {message}", soft_wrap=True),
    )
    text = queries.render(result, fmt)
    if text is None:
        print_table(result)
    else:
        click.echo(text, nl=False)
    if result.form == "ASK":
        ctx.exit(0 if result.boolean else 1)


@main.command()
@click.argument(
    "texts_dir", required=False, type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.pass_context
def quotes(ctx: click.Context, texts_dir: Path | None) -> None:
    """Check that every quote occurs in its source's text, on its page; exit 1 if one does not.

    TEXTS_DIR holds the source texts (default: [sources] texts of dckg.toml, ../shared/sources).
    """
    from kg.quotes import check_quotes
    from kg.sources import load_records

    project = _project(ctx)
    texts = texts_dir or project.config().texts_dir
    problems, checked = check_quotes(load_records(project.data_dir), texts)
    for problem in problems:
        console.print(str(problem), markup=False, soft_wrap=True)
    console.print(f"{checked} quotes checked, {len(problems)} problems", soft_wrap=True)
    if problems:
        ctx.exit(1)


@main.command()
@params.out("The build to analyse (default: out/ in the project); writes its analysis/ folder.")
@click.pass_context
def analyse(ctx: click.Context, out_dir: Path | None) -> None:
    """Analyse the built graph as networks; write GraphML, GEXF and JSON to out/analysis/.

    Prints what the measures find: provinces by top-10 lists, agreement between sources,
    connected components and isolated entities.
    """
    from kg.pipeline import refresh_views
    from kg.terminal import print_findings

    project = _project(ctx)
    with steps() as progress:
        result, target = refresh_views(project, out_dir, progress, site=False)
    print_findings(result)
    console.print(f"Wrote {target / 'analysis'}.", soft_wrap=True)


@main.command()
@params.out("The build to report on (default: out/ in the project); writes its site/ folder.")
@click.pass_context
def report(ctx: click.Context, out_dir: Path | None) -> None:
    """Write the browsable report to out/site/: figures, pages per province and source, ontology docs."""
    from kg.pipeline import refresh_views

    project = _project(ctx)
    with steps() as progress:
        _result, target = refresh_views(project, out_dir, progress, analysis=False)
    console.print(f"Wrote {target / 'site' / 'index.html'}.", soft_wrap=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", "source_id", help="The draft's source id (default: from the file name).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Only sentences in this language.")
@click.option("--pages", metavar="LIST", help="Only these PDF pages, e.g. 2-4,26-28.")
@click.option(
    "--out", "out_file", type=click.Path(path_type=Path), help="Default: data/drafts/ID.yaml."
)
@click.option(
    "--compare", is_flag=True, help="FILES are DRAFT CURATED: print recall and precision."
)
@click.pass_context
def extract(
    ctx: click.Context,
    files: tuple[Path, ...],
    source_id: str | None,
    lang: str | None,
    pages: str | None,
    out_file: Path | None,
    compare: bool,
) -> None:
    """Draft a source's statements from its text (TEXT_FILE), for a curator to review.

    With --compare DRAFT CURATED, measure a draft against a curated source file instead.
    """
    from kg import extract as ex
    from kg.sources import load_records

    project = _project(ctx)
    chosen = ex.parse_pages(pages)
    texts = project.root.parent / "shared" / "sources"
    if compare:
        if len(files) != 2:
            raise click.UsageError("--compare takes two files: DRAFT CURATED")
        console.print(ex.compare_files(*files, pages=chosen, texts_dir=texts).summary())
        return
    if len(files) != 1:
        raise click.UsageError("give one TEXT_FILE (or --compare DRAFT CURATED)")
    source = source_id or ex.default_source_id(files[0])
    records = load_records(project.data_dir)
    draft = ex.extract_file(files[0], records, source=source, lang=lang, pages=chosen)
    target = out_file or project.data_dir / "drafts" / f"{source}.yaml"
    ex.write_draft(draft, target)
    console.print(
        f"Drafted {count(len(draft.draft.statements), 'statement')} from "
        f"{count(draft.draft.sentences, 'sentence')} into {target}.",
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
@params.out("The build to serve (default: out/ in the project).")
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

    serve_store(project.build(out_dir).store, port=port, announce=announce)


def run() -> None:
    """The ``kg`` command: :func:`main`, then an exit that skips the interpreter's teardown.

    Once a command is done, freeing every module and object took 0.05-0.1 s (after a
    100k-row build, about 4% of its time), for nothing: the process ends. So the other
    threads are joined, the atexit handlers run and the output streams are flushed, as at a
    normal exit, and then the process ends at once (``os._exit``) with the command's exit code.
    """
    try:
        main(prog_name="kg")
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    """What ``sys.exit(code)`` would end the process with (a message is printed, exit 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    run()

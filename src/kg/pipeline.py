"""The build as a pipeline: load -> build -> validate -> write -> swap. No CLI, no printing."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from kg import agreement, rows, serialize, streaming, views
from kg import build as builder
from kg import validate as validation
from kg.describe import VOID_PREFIXES, describe
from kg.errors import InputError, ProblemFound
from kg.outputs import ALL_FORMATS, OUTPUT_FILES, Build, OutputFormat, parse_formats
from kg.project import Project
from kg.quadset import QuadSet, Triple
from kg.shacl import DataGraph
from kg.sources import load_records
from kg.sources.tables import load_specs
from kg.store import load_store, memory_store
from kg.validate import (
    Engine,
    ValidationReport,
    compile_shapes,
    parse_rdf,
    read_graph,
)
from kg.vocab import DCKG, ID, ONTOLOGY_GRAPH
from kg.workers import Threaded, Worker, beside

if TYPE_CHECKING:  # networkx and the views load only when the views are written
    from pyoxigraph import Store

    from kg.analyse import Analysis

Progress = Callable[[str], None]

__all__ = ["OUTPUT_FILES", "BuildResult", "NotConforming", "build_project", "validate_files"]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the summary line and for tests."""

    out_dir: Path
    triples: int
    quads: int
    entities: int
    statements: int
    sources: int
    graphs: int
    report: ValidationReport
    notes: tuple[str, ...] = ()  # one line each, for the user (a check that could not run)
    reused: tuple[str, ...] = ()  # the views taken over from the previous out/ (kg.views)


class NotConforming(ProblemFound):
    """The built graph violates the shapes; nothing was written."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(
            f"the graph does not conform to the shapes; out/ was left as it was\n{report.text().rstrip()}",
            hint="fix the records at the file:line shown, then build again",
        )
        self.report = report


def _noop(_: str) -> None:
    return None


def load_ontology(project: Project) -> Graph:
    files = project.ontology_files()
    if not files:
        raise InputError(f"no ontology in {project.ontology_dir}", hint="add ontology/dckg.ttl")
    return parse_rdf(files)


def load_shapes(project: Project) -> Graph:
    files = project.shapes_files()
    if not files:
        raise InputError(f"no shapes in {project.ontology_dir}", hint="add ontology/shapes.ttl")
    return read_graph(files)


def build_project(
    project: Project,
    out_dir: Path | None = None,
    progress: Progress = _noop,
    formats: Iterable[OutputFormat | str] = ALL_FORMATS,
) -> BuildResult:
    """Build, validate and write ``out_dir`` (default ``project/out``) in one swap.

    ``formats`` are :class:`~kg.outputs.OutputFormat` members or their names. Raises
    DataErrors (exit 2) for malformed records, FormatError (exit 2) for a combination of
    formats that cannot be built and NotConforming (exit 1) for SHACL violations; in each
    case ``out_dir`` is left as it was.
    """
    chosen = parse_formats(f.value if isinstance(f, OutputFormat) else f for f in formats)
    target = (out_dir or project.out_dir).resolve()
    progress("loading records")
    config = project.config()
    agree = agreement.BuildChecks(config.texts_dir, config.texts)  # figure, wording, quote
    records = load_records(project.data_dir, checks=(agree,))
    shapes = load_shapes(project)

    specs = load_specs(project.data_dir / "tables")
    writer = rows.TableWriter(records, compile_shapes(shapes))

    with serialize.build_lock(target):
        serialize.recover(target)
        serialize.clean_stale(target)
        staging = serialize.staging_dir(target)
        out = Build(staging)
        validated: Worker[ValidationReport] | None = None
        written: list[Worker[None]] = []
        store: Threaded[Store] | None = None
        appended: Threaded[None] | None = None
        synced: Threaded[None] | None = None
        answer_notes: list[str] = []  # from the stored answers (kg.answerers), with a store
        drawn: views.Views | None = None
        split: streaming.Split | None = None
        loaded: list[Store] = []  # the loaded store, until the answers are written
        with_jsonld = OutputFormat.JSONLD in chosen and bool(specs)
        try:
            # The last table, if it is big, is cut into parts that a child forked first takes
            # from the back while this process builds the graph, and that this one takes from
            # the front once it gets to that table (kg.streaming.Split)
            split = streaming.Split.start(writer, specs, staging, with_jsonld)
            progress("building the graph")
            quads, built = builder.build(records)
            curated = QuadSet(quads, extra=[(ONTOLOGY_GRAPH, load_ontology(project))])
            # the tables' own nodes are small: checked with the curated graph
            checked: list[Triple] = []
            if specs:
                checked = list(
                    Graph().parse(
                        data="\n".join(line for spec in specs for line in writer.table_node(spec)),
                        format="nt",
                    )
                )
            for spec in specs:
                built.origins[URIRef(rows.table_iri(spec))] = spec.origin
            # The shapes, and the curated graph's Turtle, TriG and JSON-LD, each run in a child
            # process of its own (JSON-LD, the longest, takes about a second) while this one
            # streams the tables and describes the dataset: on two cores they are off the
            # critical path. (The files go to the staging folder whatever the shapes say; a
            # graph that does not conform leaves them there, to be removed.)
            progress("validating with SHACL")
            validated = beside(_validate, curated, checked, shapes, built)
            for fmt in [f for f in CURATED_WRITERS if f in chosen]:
                written.append(beside(_write_curated, staging, curated, fmt))
            table_stats = streaming.stream_tables(
                staging, specs, writer, curated, records, progress, with_jsonld, split
            )
            del writer  # its duplicate-key index (about 150 bytes a row) is not needed past here
            # kg.nt and statements.csv are finished (a split table's other parts appended) and
            # go to disk beside the rest (the tables' JSON-LD is a scratch file, spliced into
            # kg.jsonld and removed: it is never synced)
            synced = Threaded(streaming.finish_files, table_stats, [out.nt, out.statements_csv])
            if table_stats.violations:  # the curated graph's own come first
                report = validated.result()
                if report.conforms:
                    report = ValidationReport(
                        conforms=False, violations=tuple(sorted(table_stats.violations))
                    )
                raise NotConforming(report)
            if OutputFormat.STORE in chosen:
                # The bulk load leaves the GIL: it runs while the children check the shapes and
                # write the curated graph's files, and while this process writes void.ttl.
                progress("loading the embedded store")
                curated_nquads = curated.nquads().encode("utf-8")
                store = Threaded(_load_store, staging, curated_nquads, table_stats)
            else:
                appended = streaming.start_appending(staging, written, table_stats, chosen)
            void = describe(curated, table_stats.per_table)
            serialize.write_text(out.void, serialize.turtle_of_triples(void, VOID_PREFIXES))
            report = validated.result()
            if not report.conforms:
                raise NotConforming(report)
            serialize.write_text(out.validation_ttl, report.turtle())
            serialize.write_text(out.validation_txt, report.text())
            if store is not None:
                # This thread precomputes the stored queries' answers (#+ precomputed:): those
                # made of the curated graphs and statements.csv, then the rest on the loaded
                # store, which is not compacted by the build (docs/benchmarks.md); it is closed
                # before the answers' manifest takes its files' fingerprint, and before the
                # views open it.
                from kg import answerers  # (a build without the store never needs it)

                loaded.append(store.result())
                store = None
                appended = streaming.start_appending(staging, written, table_stats, chosen)
                # (after the load, not beside it: RocksDB compacts the freshly loaded store in
                # the background while it is open, and a store closed right after its load
                # answered the slowest stored queries 2.5-4x slower; docs/benchmarks.md)
                if specs:  # (a store without a table gets no answers)
                    synced.result()  # statements.csv whole: the child's parts appended

                def settle() -> None:
                    loaded.clear()  # the last reference: the store closes

                answer_notes = answerers.write_answers(
                    project.queries_dir,
                    staging,
                    progress,
                    store=loaded[0],
                    settle=settle,
                    curated=memory_store(curated_nquads) if specs else None,
                ).notes
            if OutputFormat.VIEWS in chosen:  # out/analysis and out/site, from the store
                # each view is reused from the previous out/ if its inputs did not change; they
                # need the store and the report, not the files the children still write
                drawn = views.write_views(
                    project, staging, report.text(), progress, previous=target
                )
            progress("writing files")
            if appended is not None:
                appended.result()
            else:  # no table: the children's files are the whole files
                for child in written:
                    child.result()
            synced.result()  # (kg.nt complete and on disk before it may go)
            if OutputFormat.NT not in chosen:  # written all the same: Turtle and the store copy it
                out.nt.unlink()
            streaming.remove_parts(table_stats)  # read by the copies and the store: done
            progress("swapping in the new output")
            serialize.swap_in(staging, target)
            if drawn is not None:
                drawn.commit(target)  # the views' keys, kept beside out/ for the next build
        except BaseException:
            if split is not None:
                split.cancel()
            if validated is not None:
                validated.cancel()
            for child in written:
                child.cancel()
            for thread in (store, appended, synced):
                if thread is not None:
                    thread.wait()  # a thread cannot be stopped: let it finish before cleaning up
            # The store closes here: the traceback keeps this frame, and a store still open in
            # a process that goes on (a test session, a library user) is closed by whichever
            # forked child collects it, which then waits forever on RocksDB's threads' locks.
            store = None
            loaded.clear()
            shutil.rmtree(staging, ignore_errors=True)
            raise

    entities = {s for s, _, _ in curated.union if str(s).startswith(str(ID))}
    kinds = (DCKG.Observation, DCKG.GroupClaim, DCKG.FactClaim)
    return BuildResult(
        out_dir=target,
        triples=len(curated) + table_stats.triples,
        quads=curated.quad_count() + table_stats.triples,
        entities=len(entities) + table_stats.statements + len(specs),
        statements=sum(len(curated.subjects_of_type(kind)) for kind in kinds)
        + table_stats.statements,
        sources=len(records.sources),
        graphs=len(curated.graph_sizes()) + len(specs),
        report=report,
        notes=tuple(agree.notes) + tuple(answer_notes),
        reused=tuple(drawn.cache.reused) if drawn is not None else (),
    )


def _validate(
    curated: QuadSet, tables: Sequence[Triple], shapes: Graph, built: builder.Built
) -> ValidationReport:
    """The curated graph (with the ``tables``' own nodes) against the shapes."""
    data = DataGraph(chain(curated.union, tables))
    return validation.validate_data(data, shapes, built.origins)


def _write_curated(folder: Path, curated: QuadSet, fmt: OutputFormat) -> None:
    """The curated graph's part of a file of ``fmt`` (the tables' part is appended later)."""
    (file_name,) = fmt.files
    serialize.write_text(folder / file_name, CURATED_WRITERS[fmt](curated))


# The writers of the curated graph's part of a file; kg.nt and the store are written apart.
CURATED_WRITERS: dict[OutputFormat, Callable[[QuadSet], str]] = {
    OutputFormat.TTL: serialize.turtle_of,
    OutputFormat.TRIG: serialize.trig,
    OutputFormat.JSONLD: lambda curated: serialize.jsonld(curated.dataset()),
}


def _load_store(folder: Path, curated: bytes, table_stats: streaming.TableStats) -> Store:
    """The embedded store: the ``curated`` N-Quads, then each table's N-Triples into its graph."""
    return load_store(Build(folder).store, curated, streaming.store_parts(table_stats))


def validate_files(
    project: Project, files: Sequence[Path], engine: Engine = Engine.COMPILED
) -> ValidationReport:
    """Validate any RDF files against the project's shapes (with its ontology mixed in)."""
    if not files:
        raise InputError("no files to validate", hint="kg validate FILE...")
    return validation.validate_files(
        files, project.ontology_files(), lambda: load_shapes(project), engine=engine
    )


def write_views(
    project: Project,
    folder: Path,
    validation: str,
    progress: Progress = _noop,
    *,
    analysis: bool = True,
    site: bool = True,
) -> Analysis:
    """``folder/analysis`` (networks) and ``folder/site`` (the report) from ``folder/store``."""
    result: Analysis = views.write_views(
        project, folder, validation, progress, analysis=analysis, site=site
    ).analysis
    return result


def refresh_views(
    project: Project,
    out_dir: Path | None = None,
    progress: Progress = _noop,
    *,
    analysis: bool = True,
    site: bool = True,
) -> tuple[Analysis, Path]:
    """Rewrite ``out/analysis`` and/or ``out/site`` of an existing build, each swapped in whole.

    For ``kg analyse`` and ``kg report``; ``kg build`` writes both inside its own swap.
    """
    from kg.store import open_store

    target = (out_dir or project.out_dir).resolve()
    built = Build(target)
    open_store(built.store)  # InputError with a hint when there is no build yet
    validation_file = built.validation_txt
    validation = validation_file.read_text(encoding="utf-8") if validation_file.exists() else ""
    with serialize.build_lock(target):
        staging = serialize.staging_dir(target)
        new = Build(staging)
        try:
            new.store.symlink_to(built.store)
            if not analysis and built.analysis.is_dir():
                new.analysis.symlink_to(built.analysis)
            result = write_views(
                project, staging, validation, progress, analysis=analysis, site=site
            )
            for wanted, made, kept in (
                (analysis, new.analysis, built.analysis),
                (site, new.site, built.site),
            ):
                if wanted:
                    serialize.swap_in(made, kept)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result, target

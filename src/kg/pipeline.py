"""The build as a pipeline: load -> build -> validate -> write -> swap. No CLI, no printing."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kg import build as builder
from kg import serialize, tables
from kg.analyse import Analysis
from kg.describe import describe
from kg.errors import InputError, ProblemFound
from kg.export import statements_csv
from kg.model import Records
from kg.project import Project
from kg.sources import load_records
from kg.store import append_to_store, write_store
from kg.validate import ValidationReport, Violation, parse_rdf, validate_graph
from kg.vocab import DCKG, ID, ONTOLOGY_GRAPH, graph_iri

Progress = Callable[[str], None]

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
    return parse_rdf(files)


def build_project(
    project: Project,
    out_dir: Path | None = None,
    progress: Progress = _noop,
    *,
    views: bool = True,
) -> BuildResult:
    """Build, validate and write ``out_dir`` (default ``project/out``) in one swap.

    Raises DataErrors (exit 2) for malformed records and NotConforming (exit 1) for SHACL
    violations; in both cases ``out_dir`` is left as it was.
    """
    target = (out_dir or project.out_dir).resolve()
    progress("loading records")
    records = load_records(project.data_dir)
    ontology = load_ontology(project)
    shapes = load_shapes(project)

    specs = tables.load_specs(project.data_dir / "tables")

    progress("building the graph")
    quads, built = builder.build(records)
    dataset = serialize.to_dataset(quads, extra=[(ONTOLOGY_GRAPH, ontology)])
    union = serialize.union_graph(dataset)
    writer = tables.TableWriter(records)

    progress("validating with SHACL")
    checked = union
    if specs:  # the tables' own nodes are small: pyshacl checks them with the curated graph
        checked = union + Graph().parse(
            data="\n".join(line for spec in specs for line in writer.table_node(spec)), format="nt"
        )
    for spec in specs:
        built.origins[URIRef(spec.iri)] = spec.origin
    report = validate_graph(checked, shapes, built.origins)
    if not report.conforms:
        raise NotConforming(report)

    with serialize.build_lock(target):
        serialize.recover(target)
        serialize.clean_stale(target)
        staging = serialize.staging_dir(target)
        try:
            table_stats = _stream_tables(staging, specs, writer, progress)
            if table_stats.violations:
                report = ValidationReport(
                    conforms=False, violations=tuple(sorted(table_stats.violations))
                )
                raise NotConforming(report)
            progress("writing files")
            _write(staging, dataset, union, report, records, table_stats)
            progress("loading the embedded store")
            write_store(staging / "store", serialize.nquads(dataset))
            for spec in specs:
                append_to_store(
                    staging / "store", staging / TABLES_DIR / f"{spec.id}.nt", table_graph(spec.id)
                )
            shutil.rmtree(staging / TABLES_DIR)
            if views:  # out/analysis and out/site
                write_views(project, staging, report.text(), progress)
            progress("swapping in the new output")
            serialize.swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    entities = {s for s in union.subjects() if str(s).startswith(str(ID))}
    return BuildResult(
        out_dir=target,
        triples=len(union) + table_stats.triples,
        quads=len(dataset) + table_stats.triples,
        entities=len(entities) + table_stats.statements + len(specs),
        statements=len(set(union.subjects(RDF.type, DCKG.Observation)))
        + len(set(union.subjects(RDF.type, DCKG.GroupClaim)))
        + len(set(union.subjects(RDF.type, DCKG.FactClaim)))
        + table_stats.statements,
        sources=len(records.sources),
        graphs=sum(1 for g in dataset.graphs() if len(g) > 0) + len(specs),
        report=report,
    )


TABLES_DIR = ".tables"


def table_graph(table_id: str) -> str:
    return str(graph_iri("table", table_id))


@dataclass
class TableStats:
    """What streaming the tables produced: counts per table, and any violations."""

    triples: int = 0
    statements: int = 0
    per_table: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (triples, rows)
    violations: list[Violation] = field(default_factory=list)


def _stream_tables(
    staging: Path, specs: list[tables.TableSpec], writer: tables.TableWriter, progress: Progress
) -> TableStats:
    """Write each table's N-Triples (row order) and statements.csv rows; DataErrors on bad rows."""
    import csv

    from kg.export import COLUMNS
    from kg.sources import DataErrors

    stats = TableStats()
    folder = staging / TABLES_DIR
    folder.mkdir()
    problems = tables.RowProblems()
    with open(folder / "statements.csv", "w", encoding="utf-8", newline="") as rows_file:
        rows = csv.DictWriter(rows_file, fieldnames=COLUMNS, lineterminator="\n", restval="")
        for spec in specs:
            progress(f"streaming table {spec.id}")
            with open(folder / f"{spec.id}.nt", "w", encoding="utf-8", newline="\n") as nt:
                triples, statements = tables.write_table(writer, spec, nt, rows, problems)
            stats.per_table[spec.id] = (triples, statements)
            stats.triples += triples
            stats.statements += statements
    if problems.errors:
        raise DataErrors(problems.errors[:200])
    stats.violations = problems.violations
    return stats


def _write(
    folder: Path,
    dataset: Dataset,
    union: Graph,
    report: ValidationReport,
    records: Records,
    table_stats: TableStats,
) -> None:
    """The curated graph's files, then each table's triples appended in row order.

    N-Triples lines are valid Turtle and TriG, so a table is appended as it was streamed.
    """
    parts = sorted(table_stats.per_table)
    table_files = [folder / TABLES_DIR / f"{name}.nt" for name in parts]
    serialize.write_text(folder / "kg.nt", serialize.ntriples(union))
    serialize.append_files(folder / "kg.nt", table_files)
    serialize.write_text(folder / "kg.ttl", serialize.turtle(union))
    serialize.append_files(folder / "kg.ttl", table_files, before="\n")
    serialize.write_text(folder / "kg.trig", serialize.trig(dataset))
    for name, path in zip(parts, table_files, strict=True):
        serialize.append_files(
            folder / "kg.trig", [path], before=f"\n<{table_graph(name)}> {{\n", after="}\n"
        )
    serialize.write_text(folder / "kg.jsonld", serialize.jsonld(dataset))
    serialize.write_text(
        folder / "void.ttl", serialize.turtle(describe(dataset, union, table_stats.per_table))
    )
    serialize.write_text(folder / "validation.ttl", report.turtle())
    serialize.write_text(folder / "validation.txt", report.text())
    serialize.write_text(folder / "statements.csv", statements_csv(records))
    serialize.append_files(folder / "statements.csv", [folder / TABLES_DIR / "statements.csv"])


def validate_files(project: Project, files: Sequence[Path]) -> ValidationReport:
    """Validate any RDF files against the project's shapes (with its ontology mixed in)."""
    if not files:
        raise InputError("no files to validate", hint="kg validate FILE...")
    data = parse_rdf(files)
    data = parse_rdf(project.ontology_files(), into=data)
    return validate_graph(data, load_shapes(project))


ANALYSIS_DIR = "analysis"
SITE_DIR = "site"


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
    from pyoxigraph import Store

    from kg.analyse import analyse, write_analysis
    from kg.queries import list_queries

    progress("analysing the graph")
    store = Store.read_only(str(folder / "store"))
    try:
        result = analyse(store)
        exports: list[str] = []
        if analysis:
            exports = [p.name for p in write_analysis(result, folder / ANALYSIS_DIR)]
        elif (folder / ANALYSIS_DIR).is_dir():
            exports = sorted(p.name for p in (folder / ANALYSIS_DIR).iterdir())
        if site:
            from kg.report import write_site

            progress("drawing the figures and writing the report")
            write_site(
                store,
                result,
                folder / SITE_DIR,
                ontology=project.ontology_files(),
                validation=validation,
                queries=list_queries(project.queries_dir),
                exports=exports,
            )
    finally:
        del store
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
    open_store(target / "store")  # InputError with a hint when there is no build yet
    validation_file = target / "validation.txt"
    validation = validation_file.read_text(encoding="utf-8") if validation_file.exists() else ""
    with serialize.build_lock(target):
        staging = serialize.staging_dir(target)
        try:
            (staging / "store").symlink_to(target / "store")
            if not analysis and (target / ANALYSIS_DIR).is_dir():
                (staging / ANALYSIS_DIR).symlink_to(target / ANALYSIS_DIR)
            result = write_views(
                project, staging, validation, progress, analysis=analysis, site=site
            )
            for name, wanted in ((ANALYSIS_DIR, analysis), (SITE_DIR, site)):
                if wanted:
                    serialize.swap_in(staging / name, target / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result, target

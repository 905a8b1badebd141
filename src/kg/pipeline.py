"""The build as a pipeline: load -> build -> validate -> write -> swap. No CLI, no printing."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from kg import build as builder
from kg import serialize
from kg.describe import describe
from kg.errors import InputError, ProblemFound
from kg.export import statements_csv
from kg.model import Records
from kg.project import Project
from kg.sources import load_records
from kg.store import write_store
from kg.validate import ValidationReport, parse_rdf, validate_graph
from kg.vocab import DCKG, ID, ONTOLOGY_GRAPH

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
    project: Project, out_dir: Path | None = None, progress: Progress = _noop
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

    progress("building the graph")
    quads, built = builder.build(records)
    dataset = serialize.to_dataset(quads, extra=[(ONTOLOGY_GRAPH, ontology)])
    union = serialize.union_graph(dataset)

    progress("validating with SHACL")
    report = validate_graph(union, shapes, built.origins)
    if not report.conforms:
        raise NotConforming(report)

    with serialize.build_lock(target):
        serialize.recover(target)
        serialize.clean_stale(target)
        staging = serialize.staging_dir(target)
        try:
            progress("writing files")
            _write(staging, dataset, union, report, records)
            progress("loading the embedded store")
            write_store(staging / "store", serialize.nquads(dataset))
            progress("swapping in the new output")
            serialize.swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    entities = {s for s in union.subjects() if str(s).startswith(str(ID))}
    return BuildResult(
        out_dir=target,
        triples=len(union),
        quads=len(dataset),
        entities=len(entities),
        statements=len(set(union.subjects(RDF.type, DCKG.Observation)))
        + len(set(union.subjects(RDF.type, DCKG.GroupClaim)))
        + len(set(union.subjects(RDF.type, DCKG.FactClaim))),
        sources=len(records.sources),
        graphs=sum(1 for g in dataset.graphs() if len(g) > 0),
        report=report,
    )


def _write(
    folder: Path, dataset: Dataset, union: Graph, report: ValidationReport, records: Records
) -> None:
    serialize.write_text(folder / "kg.nt", serialize.ntriples(union))
    serialize.write_text(folder / "kg.ttl", serialize.turtle(union))
    serialize.write_text(folder / "kg.trig", serialize.trig(dataset))
    serialize.write_text(folder / "kg.jsonld", serialize.jsonld(dataset))
    serialize.write_text(folder / "void.ttl", serialize.turtle(describe(dataset, union)))
    serialize.write_text(folder / "validation.ttl", report.turtle())
    serialize.write_text(folder / "validation.txt", report.text())
    serialize.write_text(folder / "statements.csv", statements_csv(records))


def validate_files(project: Project, files: Sequence[Path]) -> ValidationReport:
    """Validate any RDF files against the project's shapes (with its ontology mixed in)."""
    if not files:
        raise InputError("no files to validate", hint="kg validate FILE...")
    data = parse_rdf(files)
    data = parse_rdf(project.ontology_files(), into=data)
    return validate_graph(data, load_shapes(project))

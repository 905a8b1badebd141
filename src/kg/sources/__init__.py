"""Load and check the curated records of a project's ``data/`` folder, with file:line for every error.

YAML is read with the line of every key and item kept (:mod:`.yaml`), duplicate keys rejected.
Each record is checked field by field (unknown keys, types, slugs, number wording), then the
whole set is checked for duplicate ids and references to things that are not there. All the
errors found are reported together, each at its file and line.

The package, by job: :mod:`.yaml` (safe reading), :mod:`.fields` (typed access to one
mapping), :mod:`.reference` (one parser per reference kind), :mod:`.documents` (source
documents and their statements), :mod:`.links` (SSSOM links), :mod:`.checks` (across
records) and :mod:`.tables` (table sidecars and bad cells). It knows records, not RDF: it
imports neither the builder, nor IRI minting, nor validation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import RecordError
from kg.model import Records, Section, Source, Statement
from kg.sources.checks import ANY_ID, check_references
from kg.sources.documents import (
    check_sections,
    read_claim,
    read_observation,
    read_sections,
    read_source,
)
from kg.sources.fields import DataErrors, Fields, items_of
from kg.sources.links import read_links
from kg.sources.nodes import YamlMap
from kg.sources.reference import REFERENCE_SECTIONS, SECTION_KINDS
from kg.sources.yaml import read_yaml, yaml_files
from kg.vocab import is_slug

# ``data/sources/ID.exclusions.yaml``: the numbers of a source's text that are no statements
# (with a category each), for the coverage test; not a source document, so the build skips it.
EXCLUSIONS_SUFFIX = ".exclusions.yaml"


def load_records(
    data_dir: Path, checks: Sequence[Callable[[Records], list[RecordError]]] = ()
) -> Records:
    """Read and check every record of ``data_dir``; InputError with every problem found.

    Every check runs over every record that loaded: a broken record is reported once, and the
    references to it are not reported again. ``checks`` run last, on the records that loaded.
    """
    errors: list[RecordError] = []
    broken: dict[str, set[str]] = {}  # kind -> ids of records that did not load
    sections: dict[str, list[Any]] = {name: [] for name in REFERENCE_SECTIONS}
    reference_dir = data_dir / "reference"
    for path in yaml_files(reference_dir):
        document = Fields(read_yaml(path), path, errors)
        before = len(errors)
        document.allow(*REFERENCE_SECTIONS)
        if len(errors) > before:  # an unknown section: any kind of record may be missing
            broken.update({kind: {ANY_ID} for kind in SECTION_KINDS.values()})
        for name, make in REFERENCE_SECTIONS.items():
            kind = SECTION_KINDS[name]
            for item in items_of(document, name):
                record = make(item)
                if record is not None:
                    sections[name].append(record)
                    continue
                given = item.node.get("id")
                broken_id = given if isinstance(given, str) and is_slug(given) else ANY_ID
                broken.setdefault(kind, set()).add(broken_id)

    integer_units = {unit.id for unit in sections["units"] if unit.integer}
    sources: list[Source] = []
    statements: list[Statement] = []
    report_sections: list[Section] = []
    for path in yaml_files(data_dir / "sources"):
        if path.name.endswith(EXCLUSIONS_SUFFIX):
            continue  # a source's numbers that are no statements: read by the coverage test
        document = Fields(read_yaml(path), path, errors)
        document.allow("source", "sections", "statements", "claims")
        node = document.raw("source", True)
        if not isinstance(node, YamlMap):
            if node is not None:
                document.error("source", "source must be a mapping describing the document")
            continue
        source, extra = read_source(Fields(node, path, errors))
        sources.extend(extra)
        if source is None:
            if isinstance(node.get("id"), str):
                broken.setdefault("source", set()).add(node["id"])
            continue
        sources.append(source)
        found = read_sections(items_of(document, "sections"), source)
        read: list[Fields] = []
        of_source: list[Statement] = []
        for item in items_of(document, "statements"):
            observation = read_observation(item, source, integer_units)
            if observation is not None:
                read.append(item)
                of_source.append(observation)
        for item in items_of(document, "claims"):
            claim = read_claim(item, source)
            if claim is not None:
                read.append(item)
                of_source.append(claim)
        check_sections(document, read, found, of_source)
        report_sections.extend(found)
        statements.extend(of_source)

    links = read_links(data_dir / "links", errors)
    records = Records(
        code_datasets=tuple(sections["code_datasets"]),
        areas=tuple(sections["areas"]),
        units=tuple(sections["units"]),
        indicators=tuple(sections["indicators"]),
        periods=tuple(sections["periods"]),
        plans=tuple(sections["plans"]),
        schemes=tuple(sections["schemes"]),
        dimensions=tuple(sections["dimensions"]),
        organisations=tuple(sections["organisations"]),
        people=tuple(sections["people"]),
        infrastructure=tuple(sections["infrastructure"]),
        evaluations=tuple(sections["evaluations"]),
        sources=tuple(sources),
        statements=tuple(statements),
        links=tuple(links),
        sections=tuple(report_sections),
    )
    skipped: set[str] = set()
    errors.extend(check_references(records, broken, skipped))
    for check in checks:
        errors.extend(check(records))
    if errors:
        notes = [
            f"references to {kind} records were not checked: one of them is broken (above)"
            for kind in sorted(skipped)
        ]
        raise DataErrors(errors, notes)
    return records


__all__ = ["EXCLUSIONS_SUFFIX", "DataErrors", "load_records"]

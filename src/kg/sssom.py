"""SSSOM mapping sets as TSV: the links a curator reviews and commits (``data/links/*.sssom.tsv``).

A file is a YAML metadata block in ``#`` comment lines (curie_map, mapping_set_id, license,
mapping_tool) followed by a TSV table, one mapping per row. A row whose
``predicate_modifier`` is ``Not`` records a rejected mapping: ``kg link`` never proposes it
again. Rows are written sorted, so a rerun changes only what changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from ruamel.yaml import YAML

from kg.errors import InputError, Origin, RecordError

CURIE_MAP: dict[str, str] = {
    "dckgid": "https://w3id.org/dckg/id/",
    "wd": "http://www.wikidata.org/entity/",
    "gn": "https://sws.geonames.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "orcid": "https://orcid.org/",
}
MANUAL = "semapv:ManualMappingCuration"
CROSS_REFERENCE = "semapv:DatabaseCrossReference"
LEXICAL = "semapv:LexicalMatching"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True, order=True)
class Link:
    """One row of a mapping set (subject and object as CURIEs)."""

    subject_id: str
    object_id: str
    predicate_id: str = "skos:exactMatch"
    predicate_modifier: str = ""
    subject_label: str = ""
    object_label: str = ""
    mapping_justification: str = LEXICAL
    confidence: str = ""
    mapping_tool: str = ""
    comment: str = ""

    @property
    def rejected(self) -> bool:
        return self.predicate_modifier == "Not"

    @property
    def curated(self) -> bool:
        return self.mapping_justification == MANUAL

    def key(self) -> tuple[str, str, str]:
        return (self.subject_id, self.predicate_id, self.object_id)


COLUMNS = tuple(f.name for f in fields(Link))
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")


def expand(curie: str, curie_map: Mapping[str, str] = CURIE_MAP) -> str:
    """A CURIE as a full IRI; an IRI is returned as it is."""
    if curie.startswith(("http://", "https://")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in curie_map:
        raise ValueError(f"unknown prefix in {curie!r}")
    return curie_map[prefix] + local


def compress(iri: str, curie_map: Mapping[str, str] = CURIE_MAP) -> str:
    for prefix, namespace in sorted(curie_map.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass(frozen=True)
class MappingSet:
    metadata: dict[str, object]
    mappings: tuple[Link, ...]
    lines: tuple[int, ...] = field(default=(), compare=False)  # each mapping's line in the file

    @property
    def curie_map(self) -> dict[str, str]:
        found = self.metadata.get("curie_map")
        return {**CURIE_MAP, **(found if isinstance(found, dict) else {})}

    def accepted(self) -> list[Link]:
        return [m for m in self.mappings if not m.rejected]


def read(path: Path) -> MappingSet:
    """Read a mapping set; RecordError with the line of a malformed row."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the mapping set: {exc}") from None
    header = [line[1:] for line in text.splitlines() if line.startswith("#")]
    body_lines = [line for line in text.splitlines() if not line.startswith("#")]
    offset = len(header)
    metadata: dict[str, object] = {}
    if header:
        loaded = YAML(typ="safe").load("\n".join(header))
        if isinstance(loaded, dict):
            metadata = loaded
    if not body_lines:
        return MappingSet(metadata, ())
    reader = csv.DictReader(io.StringIO("\n".join(body_lines)), delimiter="\t")
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise RecordError(
            Origin(path, offset + 1), f"the mapping table lacks columns: {', '.join(missing)}"
        )
    rows = []
    numbers = []
    for number, row in enumerate(reader, start=offset + 2):
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        if not all(values[c] for c in REQUIRED):
            raise RecordError(
                Origin(path, number),
                "a mapping needs subject_id, predicate_id, object_id and mapping_justification",
            )
        if values["predicate_modifier"] not in ("", "Not"):
            raise RecordError(Origin(path, number), "predicate_modifier must be empty or Not")
        if values["confidence"]:
            try:
                confidence = float(values["confidence"])
            except ValueError:
                confidence = -1.0
            if not 0.0 <= confidence <= 1.0:
                raise RecordError(
                    Origin(path, number),
                    f"confidence {values['confidence']!r} is not between 0 and 1",
                )
        rows.append(Link(**values))
        numbers.append(number)
    return MappingSet(metadata, tuple(rows), tuple(numbers))


def write(path: Path, metadata: Mapping[str, object], mappings: Iterable[Link]) -> None:
    """Write a mapping set, rows sorted by subject and object (deterministic)."""
    buffer = io.StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    meta = io.StringIO()
    yaml.dump(dict(metadata), meta)
    for line in meta.getvalue().splitlines():
        buffer.write(f"#{line}\n")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for mapping in sorted(set(mappings)):
        writer.writerow([getattr(mapping, c) for c in COLUMNS])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")

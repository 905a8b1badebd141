"""The accepted links of ``data/links/NAME.sssom.tsv`` as typed records."""

from __future__ import annotations

from pathlib import Path

from kg.errors import Origin, RecordError
from kg.model import (
    AreaLink,
)


def read_links(folder: Path, errors: list[RecordError]) -> list[AreaLink]:
    """Accepted rows of ``data/links/NAME.sssom.tsv`` (not the ``.review`` sets, not rejections)."""
    links: list[AreaLink] = []
    if not folder.is_dir():
        return links
    from kg import sssom  # (and ruamel.yaml: a project without links needs neither)

    area_prefix = "dckgid:area/"
    for path in sorted(folder.glob("*.sssom.tsv")):
        if path.name.endswith(".review.sssom.tsv"):
            continue
        target = path.name.removesuffix(".sssom.tsv")
        try:
            mapping_set = sssom.read(path)
        except RecordError as exc:
            errors.append(exc)
            continue
        for mapping, line in zip(mapping_set.mappings, mapping_set.lines, strict=True):
            if mapping.rejected:
                continue
            origin = Origin(path, line)
            if not mapping.subject_id.startswith(area_prefix):
                errors.append(
                    RecordError(
                        origin, f"subject {mapping.subject_id!r} is not an area (dckgid:area/ID)"
                    )
                )
                continue
            if mapping.predicate_id != "skos:exactMatch":
                errors.append(
                    RecordError(
                        origin,
                        f"predicate {mapping.predicate_id!r}: dckg reads skos:exactMatch links only",
                    )
                )
                continue
            try:
                target_iri = sssom.expand(mapping.object_id, mapping_set.curie_map)
            except ValueError as exc:
                errors.append(
                    RecordError(
                        origin,
                        str(exc),
                        hint="add the prefix to the curie_map of the file's header",
                    )
                )
                continue
            links.append(
                AreaLink(mapping.subject_id[len(area_prefix) :], target, target_iri, origin)
            )
    return links

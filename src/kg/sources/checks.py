"""Checks across records: duplicate ids and references to things that are not there."""

from __future__ import annotations

import difflib
from typing import Any

from kg.errors import Origin, RecordError
from kg.model import (
    GroupClaim,
    Observation,
    Records,
)


def check_references(records: Records) -> list[RecordError]:
    """Duplicate ids, and references to things that are not in the records."""
    errors: list[RecordError] = []
    index: dict[str, dict[str, Origin]] = {}

    def register(kind: str, items: tuple[Any, ...]) -> None:
        seen = index.setdefault(kind, {})
        for item in items:
            if item.id in seen:
                errors.append(
                    RecordError(
                        item.origin,
                        f"duplicate {kind} id {item.id!r} (first at {seen[item.id]})",
                        hint="ids must be unique; rename one",
                    )
                )
            else:
                seen[item.id] = item.origin

    register("code dataset", records.code_datasets)
    register("area", records.areas)
    register("unit", records.units)
    register("indicator", records.indicators)
    register("period", records.periods)
    register("plan", records.plans)
    register("scheme", records.schemes)
    register("dimension", records.dimensions)
    register("organisation", records.organisations)
    register("person", records.people)
    register("infrastructure", records.infrastructure)
    register("evaluation", records.evaluations)
    register("source", records.sources)
    seen_statements: dict[tuple[str, str], Origin] = {}
    for statement in records.statements:
        key = (statement.source, statement.id)
        if key in seen_statements:
            errors.append(
                RecordError(
                    statement.origin,
                    f"duplicate statement id {statement.id!r} in source {statement.source!r} (first at {seen_statements[key]})",
                    hint="ids must be unique within a source; rename one",
                )
            )
        else:
            seen_statements[key] = statement.origin

    def ref(origin: Origin, kind: str, value: str | None, field: str) -> None:
        if value is None or value in index[kind]:
            return
        close = difflib.get_close_matches(value, sorted(index[kind]), n=3, cutoff=0.6)
        folder = "data/sources/" if kind == "source" else "data/reference/"
        hint = (
            f"did you mean {' or '.join(close)}?"
            if close
            else f"add the {kind} to {folder}, or fix {field}"
        )
        errors.append(RecordError(origin, f"{field} {value!r} is not a known {kind}", hint=hint))

    for area in records.areas:
        ref(area.origin, "area", area.parent, "parent")
        for ds in area.code_sources:
            ref(area.origin, "code dataset", ds, "code_sources")
    for indicator in records.indicators:
        ref(indicator.origin, "unit", indicator.unit, "unit")
        ref(indicator.origin, "indicator", indicator.broader, "broader")
    for plan in records.plans:
        ref(plan.origin, "period", plan.period, "period")
    for scheme in records.schemes:
        ref(scheme.origin, "source", scheme.source, "source")
    for dimension in records.dimensions:
        ref(dimension.origin, "scheme", dimension.scheme, "scheme")
        ref(dimension.origin, "dimension", dimension.broader, "broader")
    for infra in records.infrastructure:
        for area_id in infra.located_in:
            ref(infra.origin, "area", area_id, "located_in")
        ref(infra.origin, "infrastructure", infra.part_of, "part_of")
    for evaluation in records.evaluations:
        ref(evaluation.origin, "organisation", evaluation.evaluator, "evaluator")
        ref(evaluation.origin, "source", evaluation.reported_in, "reported_in")
        ref(evaluation.origin, "period", evaluation.period, "period")
    for source in records.sources:
        ref(source.origin, "organisation", source.publisher, "publisher")
        ref(source.origin, "source", source.based_on, "based_on")
        for role, people in (
            ("authors", source.authors),
            ("compilers", source.compilers),
            ("reviewers", source.reviewers),
            ("editors", source.editors),
        ):
            for person in people:
                ref(source.origin, "person", person, role)

    for link in records.links:
        ref(link.origin, "area", link.area, "subject_id")
    about_kinds = ("infrastructure", "evaluation", "plan", "source")
    for statement in records.statements:
        ref(statement.origin, "period", statement.when.period, "period")
        if statement.about is not None and not any(
            statement.about in index[k] for k in about_kinds
        ):
            errors.append(
                RecordError(
                    statement.origin,
                    f"about {statement.about!r} is not a known infrastructure, evaluation, plan or source",
                    hint="add it to data/reference/ (a source to data/sources/), or fix about",
                )
            )
        if isinstance(statement, Observation):
            ref(statement.origin, "area", statement.area, "area")
            ref(statement.origin, "indicator", statement.indicator, "indicator")
            ref(statement.origin, "unit", statement.unit, "unit")
        elif isinstance(statement, GroupClaim):
            ref(statement.origin, "area", statement.area, "area")
            ref(statement.origin, "dimension", statement.dimension, "dimension")
            ref(statement.origin, "indicator", statement.indicator, "indicator")
            member_kind = "dimension" if statement.group == "evaluated-dimensions" else "area"
            for member in statement.members:
                ref(statement.origin, member_kind, member, "members")
        else:
            ref(statement.origin, "area", statement.area, "area")
            ref(statement.origin, "indicator", statement.indicator, "indicator")
    return errors

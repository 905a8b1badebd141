"""Record mutations: edit the curated YAML as a curator types, and see the build refuse it.

Five operators on the repository's own records (seeded; spread over the kinds of record:
statements, claims, areas, indicators, sources, infrastructure ...): a value changed with its
quote kept, a reference to an id that does not exist, a mandatory field removed, a number
written as a string, a qualifier that contradicts the wording. A mutation is killed only when
what ``kg build`` does before it writes anything (load and check the records, build the graph,
validate it) reports a problem at the mutated record's file:line (a line of the record).
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from test_graph_mutations import Outcome, report, spread

from conftest import REPO
from kg import build as builder
from kg import serialize
from kg.errors import InputError, Origin
from kg.pipeline import load_ontology, load_shapes
from kg.project import Project
from kg.sources import DataErrors, load_records
from kg.validate import validate_graph

SEED = 15
PER_OPERATOR = 3

REFERENCES = (
    "area",
    "indicator",
    "unit",
    "period",
    "parent",
    "publisher",
    "evaluator",
    "part_of",
    "reported_in",
    "scheme",
    "broader",
    "about",
)
MANDATORY = ("unit", "qualifier", "kind", "area", "indicator", "label", "publisher", "wording")


@dataclass(frozen=True)
class Edit:
    """One line of one file replaced (or removed, when ``new`` is None)."""

    operator: str
    file: str  # relative to the project
    line: int  # 1-based
    old: str
    new: str | None
    cls: str  # the section the record is in (statements, areas ...)
    span: tuple[int, int]  # the record's first and last line
    excluded: str = ""

    @property
    def node(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def description(self) -> str:
        return f"{self.old.strip()!r} -> {self.new.strip() if self.new else None!r}"


@dataclass(frozen=True)
class _Line:
    file: str
    number: int
    text: str
    section: str
    span: tuple[int, int]


def _record_lines(root: Path) -> Iterator[_Line]:
    """Every line of a record (a ``  - id:`` item of a top-level list) in data/*.yaml that
    kg build reads: not the coverage test's exclusions, not kg extract's drafts."""
    for path in sorted((root / "data").rglob("*.yaml")):
        if path.name.endswith(".exclusions.yaml") or "drafts" in path.relative_to(root).parts:
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        section, start = "", 0
        starts: list[tuple[int, str]] = []
        for number, text in enumerate(lines, start=1):
            top = re.match(r"^([a-z_]+):", text)
            if top:
                section = top.group(1)
            if text.startswith("  - id:"):
                starts.append((number, section))
        ends = [s for s, _ in starts[1:]] + ([len(lines) + 1] if starts else [])
        for (start, section), end in zip(starts, ends, strict=True):
            last = end - 1
            for number in range(start, end):
                text = lines[number - 1]
                if re.match(r"^[a-z_#]", text):  # the next section's key or a comment block
                    last = number - 1
                    break
            for number in range(start, last + 1):
                yield _Line(
                    str(path.relative_to(root)), number, lines[number - 1], section, (start, last)
                )


def _edit(line: _Line, operator: str, new: str | None) -> Edit:
    return Edit(operator, line.file, line.number, line.text, new, line.section, line.span)


def _value_changed(lines: list[_Line]) -> Iterator[Edit]:
    for line in lines:
        found = re.fullmatch(r"(\s+value: )(\d+)", line.text)
        if found:
            changed = f"{found.group(1)}{int(found.group(2)) + 1}"
            yield _edit(line, "value changed, quote kept", changed)


def _missing_reference(lines: list[_Line]) -> Iterator[Edit]:
    keys = "|".join(REFERENCES)
    for line in lines:
        found = re.fullmatch(rf"(\s+(?:- )?(?:{keys}): )([a-z0-9-]+)", line.text)
        listed = re.fullmatch(r"(\s+located_in: \[)([a-z0-9-]+)(.*)", line.text)
        if found:
            yield _edit(line, "reference to a missing id", f"{found.group(1)}{found.group(2)}-x")
        elif listed:
            yield _edit(line, "reference to a missing id", f"{listed[1]}{listed[2]}-x{listed[3]}")


def _mandatory_removed(lines: list[_Line]) -> Iterator[Edit]:
    keys = "|".join(MANDATORY)
    for line in lines:
        if re.fullmatch(rf"    (?:{keys}): \S.*", line.text):
            yield _edit(line, "mandatory field removed", None)


def _number_as_string(lines: list[_Line]) -> Iterator[Edit]:
    for line in lines:
        found = re.fullmatch(r"(\s+(?:- )?(?:value|page|page_count|ordinal): )(\d+)", line.text)
        if found:
            yield _edit(line, "number written as a string", f'{found.group(1)}"{found.group(2)}"')


def _qualifier_contradicts(lines: list[_Line]) -> Iterator[Edit]:
    swap = {"exact": "lower-bound", "lower-bound": "exact", "approximate": "exact"}
    for line in lines:
        found = re.fullmatch(r"(\s+qualifier: )([a-z-]+)", line.text)
        if found and found.group(2) in swap:
            changed = f"{found.group(1)}{swap[found.group(2)]}"
            yield _edit(line, "qualifier contradicts the wording", changed)


OPERATORS: tuple[Callable[[list[_Line]], Iterator[Edit]], ...] = (
    _value_changed,
    _missing_reference,
    _mandatory_removed,
    _number_as_string,
    _qualifier_contradicts,
)


def _problems(project: Project) -> list[Origin]:
    """The origins of what the build reports before writing: record errors, then violations."""
    try:
        records = load_records(project.data_dir)
    except DataErrors as errors:
        return [e.origin for e in errors.errors]
    except InputError:
        return []
    quads, built = builder.build(records)
    graph = serialize.union_graph(serialize.to_dataset(quads))
    graph += load_ontology(project)
    result = validate_graph(graph, load_shapes(project), built.origins)
    return [v.origin for v in result.violations if v.origin is not None]


def _run(project: Project, edit: Edit) -> Outcome:
    path = project.root / edit.file
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    assert lines[edit.line - 1] == edit.old
    if edit.new is None:
        del lines[edit.line - 1]
    else:
        lines[edit.line - 1] = edit.new
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        origins = _problems(project)
    finally:
        path.write_text(original, encoding="utf-8")
    first, last = edit.span
    target = path.resolve()
    hit = any(o.path.resolve() == target and first <= o.line <= last for o in origins)
    return Outcome(edit, killed=hit)


def test_record_mutations_are_killed(tmp_path: Path, summary: Callable[[str], None]) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "queries").mkdir()
    project = Project(root)
    assert _problems(project) == [], "the unmutated records must build"
    lines = list(_record_lines(root))
    rng = random.Random(SEED)
    edits = [e for op in OPERATORS for e in spread(list(op(lines)), rng, PER_OPERATOR)]
    assert len(edits) >= 8
    assert len({e.cls for e in edits}) >= 4, "samples must spread over kinds of record"
    report([_run(project, e) for e in edits], "record", summary)

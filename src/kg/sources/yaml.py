"""Curated YAML read safely: UTF-8, no control characters, no aliases or tags, every line kept.

A file is read by libyaml's C parser into :class:`~kg.sources.nodes.YamlMap` and
:class:`~kg.sources.nodes.YamlList` (the line of every key and item kept), or, where that
fast path does not take it on (anything unusual, and every broken file), by ruamel.yaml,
which rejects duplicate keys, aliases and tags with their line. A file that cannot be read
is one RecordError at its file:line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kg.errors import InputError, Origin, RecordError
from kg.sources.nodes import NotFast, YamlMap, from_events, from_ruamel

MAX_FILE_BYTES = 2 * 1024 * 1024  # curated YAML; bulk data belongs in data/tables/

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


def read_yaml(path: Path) -> YamlMap:
    """One YAML file as a mapping with line information; InputError if it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise RecordError(
            Origin(path, 1),
            f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit for curated data",
            hint="put bulk data in data/tables/ as CSV with a YAML sidecar",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecordError(
            Origin(path, line), "file is not UTF-8", hint="save it as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, line_text in enumerate(text.splitlines(), start=1):
        found = _CONTROL.search(line_text)
        if found:
            raise RecordError(
                Origin(path, number),
                f"control character U+{ord(found.group()):04X} in text",
                hint="remove it; only newlines and tabs are allowed",
            )
    try:
        document = from_events(text)
    except NotFast:
        document = from_ruamel(_read_with_ruamel(text, path))
    if document is None:
        raise RecordError(Origin(path, 1), "file is empty", hint="remove it or add records")
    if not isinstance(document, YamlMap):
        raise RecordError(
            Origin(path, 1),
            "the file must be a mapping of sections (areas:, statements: ...)",
            hint="start each section at the beginning of a line (areas:), its items below it",
        )
    return document


def _read_with_ruamel(text: str, path: Path) -> Any:
    """The careful reader: ruamel.yaml's round-trip loader, every refusal at its line.

    Imported here: most builds never need it.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import MarkedYAMLError

    class _Constructor(RoundTripConstructor):
        """Dates stay text, so that a date that does not exist is reported at its own line."""

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        _refuse_aliases_and_tags(yaml, text, path)
        document = yaml.load(text)
    except RecordError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "malformed YAML"
        raise RecordError(
            Origin(path, line), f"malformed YAML: {problem}", hint=_yaml_hint(problem)
        ) from None
    except RecursionError:
        raise RecordError(
            Origin(path, 1),
            "the file nests lists or mappings too deeply to read",
            hint="curated records nest a few levels at most; flatten the structure",
        ) from None
    except Exception as exc:  # ruamel raises a few non-marked errors
        raise RecordError(
            Origin(path, 1), f"malformed YAML: {exc}", hint=_yaml_hint(str(exc))
        ) from None
    if isinstance(document, CommentedMap):
        _check_strings(document, path, 1)
    return document


def _yaml_hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "duplicate key" in problem:
        return "a key may appear once in a mapping; remove or rename one of the two"
    return "check the indentation (spaces only), the brackets and the quotes on this line and the one before"


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_strings(node: Any, path: Path, line: int) -> None:
    """Escapes in quoted YAML ("\\x07", "\\ud800") make characters the raw-text check cannot see."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for key, value in node.items():
            key_line = node.lc.key(key)[0] + 1 if key in node.lc.data else line
            _check_strings(key, path, key_line)
            _check_strings(value, path, key_line)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            item_line = node.lc.item(index)[0] + 1 if index in node.lc.data else line
            _check_strings(item, path, item_line)
    elif isinstance(node, str):
        found = _CONTROL.search(node)
        if found:
            raise RecordError(
                Origin(path, line),
                f"control character U+{ord(found.group()):04X} in text (written as an escape)",
                hint="remove it; only newlines and tabs are allowed",
            )
        found = _SURROGATE.search(node)
        if found:
            raise RecordError(
                Origin(path, line),
                f"unpaired surrogate U+{ord(found.group()):04X} in text: half of a UTF-16 pair, not a character",
                hint="write the character itself, or one \\U escape of 8 hex digits (\\U0001F600)",
            )


# The tags a curated file may carry: the implicit ones, which may also be written (!!str).
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


def _refuse_aliases_and_tags(yaml: Any, text: str, path: Path) -> None:
    """Refuse anchors and aliases (they can expand without bound: a YAML bomb) and tags."""
    from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

    if "*" not in text and "!" not in text:  # no alias, no tag: spare the second parse
        return
    for event in yaml.parse(text):
        if isinstance(event, AliasEvent):
            raise RecordError(
                Origin(path, event.start_mark.line + 1),
                f"YAML alias *{event.anchor} is not allowed in curated data",
                hint="write the values out in full; anchors and aliases can expand without bound",
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            tag = str(event.tag)
            if tag not in _PLAIN_TAGS:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise RecordError(
                    Origin(path, event.start_mark.line + 1),
                    f"YAML tag {shown} is not allowed in curated data",
                    hint="remove the tag: curated data is mappings, lists, text, numbers and dates",
                )


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of ``folder``, sorted by name; symlink loops and non-files are errors."""
    if folder.is_symlink() or folder.exists():
        _resolvable(folder, hint="make it a folder, or a link to one")
    if not folder.is_dir():
        return []
    found: list[Path] = []
    with os.scandir(folder) as entries:  # (a link is resolved, a plain file is not: 1,000 files)
        listed = sorted((entry.name, entry) for entry in entries)
    for name, entry in listed:
        if not name.endswith((".yaml", ".yml")) or name.startswith("."):
            continue
        path = folder / name
        if entry.is_symlink():
            _resolvable(path, hint="remove the link, or point it at a YAML file")
        if not entry.is_file():
            raise InputError(f"{path}: is not a file", hint="rename it, or move it out of data/")
        found.append(path)
    return found


def _resolvable(path: Path, *, hint: str) -> None:
    """InputError with ``hint`` if ``path`` is a broken link or a symlink loop."""
    try:
        path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(
            f"{path}: cannot be read (broken link or symlink loop)", hint=hint
        ) from None

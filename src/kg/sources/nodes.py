"""YAML mappings and lists that know the line of every key and item, and the fast way to read them.

:class:`YamlMap` and :class:`YamlList` are a ``dict`` and a ``list`` with 1-based lines
beside their contents: ``line`` (where the mapping or list starts), ``key_lines`` and
``item_lines``. :func:`from_events` builds them from the events of libyaml's C parser
(PyYAML's ``CSafeLoader``), about 20 times faster than ruamel.yaml's round-trip loader.

The fast path reads the YAML that curated files are made of: block and flow mappings and
lists of text, whole and decimal numbers, true/false and null, resolved as YAML 1.2 does
(``yes`` is text, ``017`` is 17, dates stay text). Whatever it does not take on (an anchor,
an alias or a tag, a duplicate key, a directive, a number written as 1_000, 0x1F or .inf, a
complex key, a nesting deeper than :data:`MAX_FAST_DEPTH`, a parse error, a character
outside YAML's printable set or a line break of YAML 1.1 only) raises :class:`NotFast`, and
:func:`kg.sources.yaml.read_yaml` reads the file with ruamel.yaml instead: every message
about a broken file comes from one reader, word for word as before.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

__all__ = ["MAX_FAST_DEPTH", "NotFast", "YamlList", "YamlMap", "from_events", "from_ruamel"]

_C_LOADER = getattr(yaml, "CSafeLoader", None)  # PyYAML's wheels carry libyaml; a build may not
MAX_FAST_DEPTH = 64  # curated records nest a few levels; deeper files go the careful way


class YamlMap(dict[Any, Any]):
    """A mapping read from YAML, with the line where it starts and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or the mapping's own line if it has no such key."""
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A list read from YAML, with the line where it starts and the line of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class NotFast(Exception):
    """The fast reader does not take this file on; ruamel.yaml reads it."""


# YAML 1.2 core schema as ruamel.yaml resolves plain scalars (its resolver's 1.2 rules).
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")
# What ruamel.yaml reads as a number (or a merge key, or '='), in a form the fast path leaves to it.
_OTHER_NUMBER = re.compile(
    r"[-+]?(?:0b[0-1_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+"
    r"|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)|<<|="
)
# Characters ruamel.yaml's reader refuses, line breaks it counts that YAML 1.2 does not, and
# tabs (where the two parsers could differ on what a tab may separate).
_NOT_FAST_TEXT = re.compile(
    "[^\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff"
)
# A block scalar's header as ruamel.yaml takes it: indicators, then a blank or the line's end.
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ \r]|$)")
# What an escape in double quotes can make that the raw-text checks cannot see.
_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


def _plain(value: str) -> Any:
    """A plain scalar's value, resolved as YAML 1.2 does."""
    if value in _NULLS:
        return None
    found = _BOOLS.get(value)
    if found is not None:
        return found
    if value[0] in "-+0123456789.<=":
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if _OTHER_NUMBER.fullmatch(value):
            raise NotFast(value)
    return value  # text, and dates, which stay text so that an impossible date is reported


def from_events(text: str) -> Any:
    """The document of ``text`` as YamlMap, YamlList and scalars; NotFast if it needs ruamel."""
    if _C_LOADER is None:
        raise NotFast("PyYAML without libyaml")
    if _NOT_FAST_TEXT.search(text):
        raise NotFast("character")
    loader = _C_LOADER(text)
    try:
        return _build(loader, text)
    except yaml.YAMLError as error:
        raise NotFast("parse") from error
    finally:
        loader.dispose()


def _build(loader: Any, text: str) -> Any:
    get = loader.get_event
    lines: list[str] = []
    if not isinstance(get(), StreamStartEvent):
        raise NotFast("stream")
    event = get()
    if isinstance(event, StreamEndEvent):
        return None
    if event.version is not None or event.tags:
        raise NotFast("directive")
    # Containers being filled, innermost last; a mapping waits for its value after a key.
    stack: list[YamlMap | YamlList] = []
    keys: list[Any] = []  # the pending key of each mapping on the stack (_NO_KEY if none)
    root: Any = None
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise NotFast("anchor or tag")
            line = event.start_mark.line + 1
            style = event.style
            if style:
                value: Any = event.value
                if style == '"' and _ESCAPED.search(value):
                    raise NotFast("escape")  # ruamel's reader says which character, where
                if style in "|>":
                    lines = lines or text.split("\n")
                    header = _BLOCK_HEADER.match(lines[line - 1], event.start_mark.column)
                    if not header or line >= len(lines) or not lines[line].strip():
                        raise NotFast("block scalar")  # libyaml takes more than ruamel there
            elif event.value:
                value = _plain(event.value)
            elif stack and (isinstance(stack[-1], YamlList) or keys[-1] is _NO_KEY):
                raise NotFast("empty item or key")  # the parsers place it on different lines
            else:
                value = None
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise NotFast("anchor or tag")
            line = event.start_mark.line + 1
            value = YamlMap(line) if kind is MappingStartEvent else YamlList(line)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            done = stack.pop()
            keys.pop()
            if not stack:
                root = done
                continue
            _add(stack[-1], keys, done, done.line)
            continue
        elif kind is DocumentEndEvent:
            if not isinstance(get(), StreamEndEvent):
                raise NotFast("more than one document")
            if not isinstance(root, YamlMap):
                raise NotFast("not a mapping")  # ruamel says what is wrong with it first
            return root
        elif kind is AliasEvent:
            raise NotFast("alias")
        else:
            raise NotFast(kind.__name__)
        if isinstance(value, YamlMap | YamlList):
            if stack and isinstance(stack[-1], YamlMap) and keys[-1] is _NO_KEY:
                raise NotFast("complex key")
            stack.append(value)
            keys.append(_NO_KEY)
            if len(stack) > MAX_FAST_DEPTH:
                raise NotFast("deep")
            continue
        if not stack:
            root = value
            continue
        _add(stack[-1], keys, value, line)


_NO_KEY = object()


def _add(container: YamlMap | YamlList, keys: list[Any], value: Any, line: int) -> None:
    """``value`` (first seen at ``line``) into the innermost container: an item, a key or its value."""
    if isinstance(container, YamlList):
        container.append(value)
        container.item_lines.append(line)
        return
    key = keys[-1]
    if key is _NO_KEY:
        if value in container.key_lines:
            raise NotFast("duplicate key")  # ruamel says which, at which line
        keys[-1] = value
        container.key_lines[value] = line
        return
    container[key] = value
    keys[-1] = _NO_KEY


def from_ruamel(node: Any) -> Any:
    """A document read by ruamel.yaml (CommentedMap, CommentedSeq) as YamlMap and YamlList."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        mapping = YamlMap(node.lc.line + 1)
        for key, value in node.items():
            mapping.key_lines[key] = (
                node.lc.key(key)[0] + 1 if key in node.lc.data else mapping.line
            )
            mapping[key] = from_ruamel(value)
        return mapping
    if isinstance(node, CommentedSeq):
        items = YamlList(node.lc.line + 1)
        for index, value in enumerate(node):
            items.append(from_ruamel(value))
            items.item_lines.append(
                node.lc.item(index)[0] + 1 if index in node.lc.data else items.line
            )
        return items
    return node

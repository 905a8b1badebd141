"""Typed access to one YAML mapping, every problem recorded at its file:line; DataErrors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg.errors import InputError, Origin, RecordError
from kg.model import (
    LANGUAGES,
    Text,
)
from kg.sources.nodes import YamlList, YamlMap
from kg.vocab import is_slug


class Fields:
    """Typed access to one YAML mapping; every problem is recorded with its file:line."""

    def __init__(self, node: YamlMap, path: Path, errors: list[RecordError]) -> None:
        self.node = node
        self.path = path
        self.errors = errors
        self.ok = True

    @property
    def origin(self) -> Origin:
        return Origin(self.path, self.node.line)

    def origin_of(self, key: str) -> Origin:
        return Origin(self.path, self.node.line_of(key))

    def error(self, key: str | None, message: str, hint: str | None = None) -> None:
        origin = self.origin if key is None else self.origin_of(key)
        self.errors.append(RecordError(origin, message, hint=hint))
        self.ok = False

    def allow(self, *keys: str) -> None:
        """Report keys that are not among ``keys`` (usually typos)."""
        for key in self.node:
            if key not in keys:
                self.error(
                    str(key), f"unknown key {key!r}", hint=f"allowed keys: {', '.join(keys)}"
                )

    def raw(self, key: str, required: bool) -> Any:
        if key not in self.node or self.node[key] is None:
            if required:
                self.error(None, f"missing required key {key!r}")
            return None
        return self.node[key]

    def string(self, key: str, required: bool = True, choices: tuple[str, ...] = ()) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, f"{key!r} must be text, not {kind_of(value)}", hint="quote it")
            return None
        value = value.strip()
        if not value:
            self.error(key, f"{key!r} is empty")
            return None
        if choices and value not in choices:
            self.error(key, f"{key!r} is {value!r}; expected one of: {', '.join(choices)}")
            return None
        return value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        return self._slug(key, value)

    def _slug(self, key: str, value: Any) -> str | None:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not is_slug(text):
            self.error(
                key,
                f"{key!r} is {value!r}, not an id",
                hint="ids are lowercase ASCII letters, digits and hyphens, e.g. henan or 5g-base-stations",
            )
            return None
        return text

    def slugs(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.raw(key, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            value = [value]
        found = [self._slug(key, item) for item in value]
        return tuple(item for item in found if item is not None)

    def text(self, key: str, required: bool = True, languages: tuple[str, ...] = LANGUAGES) -> Text:
        value = self.raw(key, required)
        if value is None:
            return Text()
        if not isinstance(value, Mapping):
            self.error(
                key,
                f"{key!r} must map languages to text",
                hint=f"write {key}: {{en: ..., zh: ...}}",
            )
            return Text()
        items: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in languages:
                self.error(
                    key, f"{key!r} has language {lang!r}; expected one of: {', '.join(languages)}"
                )
            elif not isinstance(text, str) or not text.strip():
                self.error(key, f"{key!r} in {lang!r} must be non-empty text")
            else:
                items[str(lang)] = clean(text)
        return Text.of(items)

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"{key!r} must be true or false, not {value!r}")
            return default
        return value

    def integer(self, key: str, required: bool = True, minimum: int | None = None) -> int | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"{key!r} must be a whole number, not {value!r}", hint="write digits")
            return None
        if minimum is not None and value < minimum:
            self.error(
                key, f"{key!r} is {value}; it must be at least {minimum}", hint="check the source"
            )
            return None
        return int(value)

    def day(self, key: str, required: bool = True) -> date | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(
                key, f"{key!r} is {value!r}, not a date", hint="write YYYY-MM-DD, a day that exists"
            )
            return None


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """Text as stored: surrounding blanks stripped, inner runs of whitespace kept as written."""
    return text.strip()


def items_of(fields: Fields, key: str) -> Iterator[Fields]:
    """The mappings listed under ``key``."""
    value = fields.node.get(key)
    if value is None:
        return
    if not isinstance(value, YamlList):
        fields.error(key, f"{key!r} must be a list of records")
        return
    for index, item in enumerate(value):
        if not isinstance(item, YamlMap):
            line = value.item_lines[index]
            fields.errors.append(
                RecordError(Origin(fields.path, line), f"an item of {key!r} must be a mapping")
            )
            continue
        yield Fields(item, fields.path, fields.errors)


def require_languages(f: Fields, key: str, text: Text, languages: tuple[str, ...]) -> None:
    if not text:
        return
    missing = [lang for lang in languages if text.get(lang) is None]
    if missing:
        f.error(
            key,
            f"{key!r} lacks {' and '.join(missing)}",
            hint="every entity has labels in en and zh",
        )


class DataErrors(InputError):
    """One or more records are wrong; each error carries its file:line."""

    def __init__(self, errors: list[RecordError], notes: Sequence[str] = ()) -> None:
        self.errors = sorted(errors, key=lambda e: (e.origin, e.message))
        count = len(self.errors)
        lines = "\n".join([*(str(e) for e in self.errors), *notes])
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data:\n{lines}")

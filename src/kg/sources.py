"""Load and check the curated records of a project's ``data/`` folder, with file:line for every error.

YAML is read with ruamel.yaml, which keeps the line of every key and rejects duplicate keys.
Each record is checked field by field (unknown keys, types, slugs, number wording), then the
whole set is checked for duplicate ids and references to things that are not there. All the
errors found are reported together, each at its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from kg import numbers
from kg.errors import InputError, Origin, RecordError, did_you_mean
from kg.model import (
    LANGUAGES,
    Area,
    AreaLink,
    CodeDataset,
    Dimension,
    Evaluation,
    FactClaim,
    GroupClaim,
    Indicator,
    Infrastructure,
    Observation,
    Organisation,
    Period,
    Person,
    Plan,
    Quote,
    Records,
    Scheme,
    Source,
    Statement,
    Text,
    Unit,
    When,
)
from kg.vocab import is_slug

MAX_FILE_BYTES = 2 * 1024 * 1024  # curated YAML; bulk data belongs in data/tables/

AREA_TYPES = (
    "country",
    "municipality",
    "province",
    "autonomous-region",
    "prefecture-level-city",
    "sub-prefecture-level-city",
    "county",
)
INFRASTRUCTURE_TYPES = (
    "network",
    "backbone-direct-connection-point",
    "identifier-resolution-system",
    "identifier-resolution-node",
    "platform-system",
)
SOURCE_TYPES = ("news-article", "report")
KINDS = (
    "total",
    "new",
    "net-increase",
    "share",
    "rank",
    "yoy-growth",
    "growth",
    "average-annual-growth",
    "ratio",
)
QUALIFIERS = ("exact", "lower-bound", "upper-bound", "approximate")
GROUP_KINDS = ("top-10", "first-tier", "first-group", "evaluated-dimensions", "evaluated-areas")

T = TypeVar("T")


class Fields:
    """Typed access to one YAML mapping; every problem is recorded with its file:line."""

    def __init__(self, node: CommentedMap, path: Path, errors: list[RecordError]) -> None:
        self.node = node
        self.path = path
        self.errors = errors
        self.ok = True

    @property
    def origin(self) -> Origin:
        return Origin(self.path, self.node.lc.line + 1)

    def origin_of(self, key: str) -> Origin:
        if key in self.node:
            line, _ = self.node.lc.key(key)
            return Origin(self.path, line + 1)
        return self.origin

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
            self.error(key, f"{key!r} must be text, not {_kind(value)}", hint="quote it")
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
                items[str(lang)] = _clean(text)
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


def _kind(value: Any) -> str:
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


def _clean(text: str) -> str:
    """Text as stored: surrounding blanks stripped, inner runs of whitespace kept as written."""
    return text.strip()


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


class _Constructor(RoundTripConstructor):
    """Dates stay text, so that a date that does not exist is reported at its own line."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def read_yaml(path: Path) -> CommentedMap:
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
    if document is None:
        raise RecordError(Origin(path, 1), "file is empty", hint="remove it or add records")
    if not isinstance(document, CommentedMap):
        raise RecordError(
            Origin(path, 1),
            "the file must be a mapping of sections (areas:, statements: ...)",
            hint="start each section at the beginning of a line (areas:), its items below it",
        )
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


def _refuse_aliases_and_tags(yaml: YAML, text: str, path: Path) -> None:
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


def _items(fields: Fields, key: str) -> Iterator[Fields]:
    """The mappings listed under ``key``."""
    value = fields.node.get(key)
    if value is None:
        return
    if not isinstance(value, CommentedSeq):
        fields.error(key, f"{key!r} must be a list of records")
        return
    for index, item in enumerate(value):
        if not isinstance(item, CommentedMap):
            line, _ = value.lc.item(index)
            fields.errors.append(
                RecordError(Origin(fields.path, line + 1), f"an item of {key!r} must be a mapping")
            )
            continue
        yield Fields(item, fields.path, fields.errors)


def _build(fields: Fields, make: Callable[[], T]) -> T | None:
    result = make()
    return result if fields.ok else None


# ---------------------------------------------------------------------------------------------
# Reference records
# ---------------------------------------------------------------------------------------------


def _code_dataset(f: Fields) -> CodeDataset | None:
    f.allow("id", "repository", "path", "commit", "revision")
    rec = CodeDataset(
        id=f.slug("id") or "",
        repository=f.string("repository") or "",
        path=f.string("path") or "",
        commit=f.string("commit", required=False),
        revision=f.string("revision", required=False),
        origin=f.origin,
    )
    if rec.repository and not re.fullmatch(r"[\w.-]+/[\w.-]+", rec.repository):
        f.error("repository", f"repository {rec.repository!r} is not owner/name")
    return rec if f.ok else None


def _area(f: Fields) -> Area | None:
    f.allow("id", "type", "code", "code_sources", "label", "short_zh", "parent")
    code = f.raw("code", False)
    if code is not None and not isinstance(code, str):
        f.error("code", f"code {code!r} must be quoted text", hint='write code: "410000"')
        code = None
    if isinstance(code, str) and not re.fullmatch(r"[1-9]\d{5}", code):
        f.error(
            "code",
            f"code {code!r} is not a six-digit GB/T 2260 code",
            hint='six digits, the first not 0, quoted: code: "410000"',
        )
    rec = Area(
        id=f.slug("id") or "",
        type=f.string("type", choices=AREA_TYPES) or "",
        label=f.text("label", languages=("en", "zh")),
        code=code,
        code_sources=f.slugs("code_sources"),
        short_zh=f.string("short_zh", required=False),
        parent=f.slug("parent", required=False),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    if rec.code and not rec.code_sources:
        f.error("code", "a code needs code_sources: the datasets it was found in")
    if rec.type != "country" and rec.parent is None:
        f.error(None, "an area other than a country needs a parent")
    return rec if f.ok else None


def _unit(f: Fields) -> Unit | None:
    f.allow("id", "iri", "label", "symbol", "integer", "definition")
    iri = f.string("iri", required=False)
    if iri is not None and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
        f.error(
            "iri",
            f"iri {iri!r} is not an http(s) IRI",
            hint='an IRI has no spaces and none of <>"{}|\\^`; leave iri out to mint one',
        )
    rec = Unit(
        id=f.slug("id") or "",
        iri=iri,
        label=f.text("label", languages=("en", "zh")),
        symbol=_symbol(f),
        integer=f.flag("integer", False),
        definition=f.text("definition", required=False, languages=("en", "zh")),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _symbol(f: Fields) -> str | None:
    """A unit's symbol for labels; an empty one means "none" (counts read best bare)."""
    value = f.raw("symbol", False)
    if value is None or value == "":
        return None if value is None else ""
    if not isinstance(value, str):
        f.error("symbol", "symbol must be text")
        return None
    return value.strip()


def _indicator(f: Fields) -> Indicator | None:
    f.allow("id", "label", "definition", "unit", "broader")
    rec = Indicator(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        unit=f.slug("unit", required=False),
        broader=f.slug("broader", required=False),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _period(f: Fields) -> Period | None:
    f.allow("id", "start", "end", "label")
    start, end = f.day("start"), f.day("end")
    if start and end and end < start:
        f.error(
            "end",
            f"period ends ({end}) before it starts ({start})",
            hint="check the two dates; start is the first day, end the last",
        )
    rec = Period(
        id=f.slug("id") or "",
        start=start or date.min,
        end=end or date.min,
        label=f.text("label", languages=("en", "zh")),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _plan(f: Fields) -> Plan | None:
    f.allow("id", "ordinal", "label", "alt_label", "period")
    rec = Plan(
        id=f.slug("id") or "",
        ordinal=f.integer("ordinal", minimum=1) or 0,
        label=f.text("label", languages=("en", "zh")),
        alt_label=f.text("alt_label", required=False, languages=("en", "zh")),
        period=f.slug("period") or "",
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _scheme(f: Fields) -> Scheme | None:
    f.allow("id", "label", "definition", "source")
    rec = Scheme(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        source=f.slug("source", required=False),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _dimension(f: Fields) -> Dimension | None:
    f.allow("id", "scheme", "label", "definition", "broader", "key_elements", "scored")
    rec = Dimension(
        id=f.slug("id") or "",
        scheme=f.slug("scheme") or "",
        label=f.text("label", languages=("en", "zh")),
        definition=f.text("definition", languages=("en", "zh")),
        broader=f.slug("broader", required=False),
        key_elements=f.text("key_elements", required=False, languages=("en", "zh")),
        scored=f.flag("scored", True),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _organisation(f: Fields) -> Organisation | None:
    f.allow("id", "label", "alt_label")
    alt = f.raw("alt_label", False)
    alt_items: list[tuple[str, str]] = []
    if alt is not None:
        if not isinstance(alt, Mapping):
            f.error("alt_label", "alt_label must map languages to a list of names")
        else:
            for lang, names in alt.items():
                names = names if isinstance(names, list) else [names]
                if lang not in ("en", "zh") or not all(
                    isinstance(n, str) and n.strip() for n in names
                ):
                    f.error("alt_label", "alt_label must map en/zh to names")
                    continue
                alt_items.extend((str(lang), _clean(n)) for n in names)
    rec = Organisation(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        alt_label=tuple(sorted(alt_items)),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _person(f: Fields) -> Person | None:
    f.allow("id", "label", "note")
    rec = Person(
        id=f.slug("id") or "",
        label=f.text("label"),
        note=f.string("note", required=False),
        origin=f.origin,
    )
    if rec.label and rec.label.get("zh") is None:
        f.error("label", "a person needs a Chinese name (zh)")
    if rec.label and rec.label.get("en") is None and rec.label.get("zh-Latn-pinyin") is None:
        f.error(
            "label",
            "a person needs an English name or a pinyin transliteration",
            hint="add zh-Latn-pinyin: the name in pinyin, when the source gives no English name",
        )
    return rec if f.ok else None


def _infrastructure(f: Fields) -> Infrastructure | None:
    f.allow("id", "type", "label", "located_in", "part_of")
    rec = Infrastructure(
        id=f.slug("id") or "",
        type=f.string("type", choices=INFRASTRUCTURE_TYPES) or "",
        label=f.text("label", languages=("en", "zh")),
        located_in=f.slugs("located_in"),
        part_of=f.slug("part_of", required=False),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _evaluation(f: Fields) -> Evaluation | None:
    f.allow("id", "label", "evaluator", "reported_in", "period")
    rec = Evaluation(
        id=f.slug("id") or "",
        label=f.text("label", languages=("en", "zh")),
        evaluator=f.slug("evaluator") or "",
        reported_in=f.slug("reported_in") or "",
        period=f.slug("period", required=False),
        origin=f.origin,
    )
    _require_languages(f, "label", rec.label, ("en", "zh"))
    return rec if f.ok else None


def _require_languages(f: Fields, key: str, text: Text, languages: tuple[str, ...]) -> None:
    if not text:
        return
    missing = [lang for lang in languages if text.get(lang) is None]
    if missing:
        f.error(
            key,
            f"{key!r} lacks {' and '.join(missing)}",
            hint="every entity has labels in en and zh",
        )


REFERENCE_SECTIONS: dict[str, Callable[[Fields], Any]] = {
    "code_datasets": _code_dataset,
    "areas": _area,
    "units": _unit,
    "indicators": _indicator,
    "periods": _period,
    "plans": _plan,
    "schemes": _scheme,
    "dimensions": _dimension,
    "organisations": _organisation,
    "people": _person,
    "infrastructure": _infrastructure,
    "evaluations": _evaluation,
}
ANY_ID = "*"  # in the broken ids of a kind: a record of that kind whose id is unknown
# The kind of record each section holds, as check_references names it.
SECTION_KINDS = {
    "code_datasets": "code dataset",
    "areas": "area",
    "units": "unit",
    "indicators": "indicator",
    "periods": "period",
    "plans": "plan",
    "schemes": "scheme",
    "dimensions": "dimension",
    "organisations": "organisation",
    "people": "person",
    "infrastructure": "infrastructure",
    "evaluations": "evaluation",
}


# ---------------------------------------------------------------------------------------------
# Source documents and their statements
# ---------------------------------------------------------------------------------------------

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")


def _published(f: Fields) -> str | None:
    value = f.raw("published", False)
    if value is None:
        return None
    text = str(value).strip()
    if _DATETIME.match(text):
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return text
        except ValueError:
            pass
    elif _DATE.match(text):
        try:
            date.fromisoformat(text)
            return text
        except ValueError:
            pass
    elif _YEAR_MONTH.match(text) or _YEAR.match(text):
        return text
    f.error(
        "published",
        f"published is {text!r}, not a date that exists",
        hint="write YYYY-MM-DDThh:mm:ss+08:00, YYYY-MM-DD, YYYY-MM or YYYY",
    )
    return None


def _source(f: Fields, nested: bool = False) -> tuple[Source | None, list[Source]]:
    keys = [
        "id",
        "type",
        "title",
        "label",
        "publisher",
        "published",
        "languages",
        "text_file",
        "page_count",
        "authors",
        "compilers",
        "reviewers",
        "editors",
        "based_on",
        "url",
    ]
    f.allow(*keys)
    extra: list[Source] = []
    based_on: str | None = None
    nested_node = f.raw("based_on", False)
    if isinstance(nested_node, CommentedMap):
        inner, more = _source(Fields(nested_node, f.path, f.errors), nested=True)
        extra.extend(more)
        if inner is not None:
            extra.append(inner)
            based_on = inner.id
    elif nested_node is not None:
        based_on = f.slug("based_on")
    languages = f.raw("languages", False) or []
    if not isinstance(languages, list) or not all(lang in ("en", "zh") for lang in languages):
        f.error("languages", "languages must be a list of en/zh")
        languages = []
    rec = Source(
        id=f.slug("id") or "",
        type=f.string("type", choices=SOURCE_TYPES) or "",
        title=f.text("title", required=not nested, languages=("en", "zh")),
        label=f.text("label", required=False, languages=("en", "zh")),
        publisher=f.slug("publisher"),
        published=_published(f),
        languages=tuple(str(lang) for lang in languages),
        text_file=f.string("text_file", required=False),
        page_count=f.integer("page_count", required=False, minimum=1),
        authors=f.slugs("authors"),
        compilers=f.slugs("compilers"),
        reviewers=f.slugs("reviewers"),
        editors=f.slugs("editors"),
        based_on=based_on,
        url=f.string("url", required=False),
        origin=f.origin,
    )
    if not nested and f.raw("published", False) is None:
        f.error(None, "a source document needs its publication date (published)")
    if rec.title.get("en") is None and rec.label.get("en") is None:
        f.error(
            "title",
            "a source needs an English title or label",
            hint="add label: {en: ..., zh: ...} for an untitled document",
        )
    return (rec if f.ok else None), extra


def _quotes(f: Fields, source: Source) -> tuple[Quote, ...]:
    value = f.raw("quotes", True)
    if value is None:
        return ()
    if not isinstance(value, CommentedSeq) or not value:
        f.error(
            "quotes",
            "quotes must be a non-empty list",
            hint="each item: {page: N, zh: ..., translation: ...}",
        )
        return ()
    quotes: list[Quote] = []
    for item in _items(f, "quotes"):
        item.allow("page", "printed_page", "en", "zh", "translation")
        page = item.integer("page", required=False, minimum=1)
        printed = item.raw("printed_page", False)
        translation = item.string("translation", required=False)
        texts = {lang: item.string(lang, required=False) for lang in ("en", "zh")}
        if not any(texts.values()):
            item.error(None, "a quote needs the source's words in en or zh")
        if source.page_count is not None:
            if page is None:
                item.error(None, "a quote from a paginated source needs its PDF page (page: N)")
            elif page > source.page_count:
                item.error(
                    "page",
                    f"page {page} is beyond the source's {source.page_count} pages",
                    hint="page is the PDF page (=====PAGE N===== in the text); check page_count",
                )
        if translation is not None and texts["zh"] is None:
            item.error("translation", "translation is for a Chinese quote (zh)")
        for lang, text in texts.items():
            if text is None:
                continue
            if lang not in source.languages:
                item.error(
                    lang,
                    f"the source has no {lang} text to quote",
                    hint="translations go under translation:",
                )
            quotes.append(
                Quote(
                    language=lang,
                    text=text,
                    page=page,
                    printed_page=None if printed is None else str(printed),
                    translation=translation if lang == "zh" else None,
                    origin=item.origin_of(lang),
                )
            )
    return tuple(quotes)


def _when(f: Fields, source: Source) -> When:
    period = f.slug("period", required=False)
    node = f.raw("time", False)
    if node is None:
        if period is None:
            f.error(
                None,
                "a statement needs period: (the year or years it refers to), or time: {stated: false, wording: ...}",
            )
        return When(period=period, stated=True)
    if not isinstance(node, CommentedMap):
        f.error("time", "time must be a mapping like {stated: false, wording: {en: Since January}}")
        return When(period=period, stated=True)
    t = Fields(node, f.path, f.errors)
    t.allow("stated", "wording")
    stated = t.flag("stated", True)
    wording = t.text("wording", required=False, languages=("en", "zh"))
    if not t.ok:
        f.ok = False
    if stated and period is None:
        f.error(
            "time",
            "time is stated but no period is given",
            hint="add period: <id>, or stated: false",
        )
    if not stated and period is not None:
        f.error(
            "time",
            "a statement whose time is not stated has no period",
            hint="remove period, or stated: false",
        )
    if not stated and source.published is None:
        f.error(
            "time",
            "a statement without a stated time is recorded as reported on the publication date, which the source lacks",
        )
    return When(period=period, stated=stated, wording=wording)


def _value(f: Fields, integer_units: set[str], unit: str | None) -> Decimal | None:
    raw = f.raw("value", True)
    if raw is None:
        return None
    if isinstance(raw, bool):
        f.error("value", f"value must be a number, not {raw!r}")
        return None
    if isinstance(raw, str):
        example = numbers.normalised_example(raw)
        hint = f"write the number in digits, normalised ({example}), and keep the source's words in wording:"
        if numbers.looks_unnormalised(raw):
            f.error("value", f"value {raw!r} is not normalised", hint=hint)
        else:
            f.error("value", f"value {raw!r} must be a number, not text", hint=hint)
        return None
    if isinstance(raw, float):
        try:
            value = Decimal(repr(raw))
        except InvalidOperation:
            f.error(
                "value", f"value {raw!r} is not a finite number", hint="write the number in digits"
            )
            return None
        if not value.is_finite():
            f.error(
                "value", f"value {raw!r} is not a finite number", hint="write the number in digits"
            )
            return None
        if unit in integer_units:
            f.error(
                "value",
                f"value {raw!r} is in {unit!r}, a whole-number unit, but has a decimal point",
                hint="write a whole number",
            )
            return None
        return value
    if isinstance(raw, int):
        return Decimal(int(raw))
    f.error("value", f"value must be a number, not {_kind(raw)}")
    return None


def _observation(f: Fields, source: Source, integer_units: set[str]) -> Observation | None:
    f.allow(
        "id",
        "type",
        "area",
        "indicator",
        "kind",
        "value",
        "unit",
        "qualifier",
        "wording",
        "period",
        "time",
        "quotes",
        "about",
    )
    unit = f.slug("unit")
    value = _value(f, integer_units, unit)
    qualifier = f.string("qualifier", choices=QUALIFIERS) or ""
    wording = f.text("wording", languages=("en", "zh"))
    for _lang, text in wording.items:
        amount = numbers.parse_amount(text)
        if amount is not None and value is not None and amount != value:
            f.error(
                "wording",
                f"value {value} does not match the wording {text!r}, which reads as {amount.normalize():f}",
                hint="normalise the number: 万 = 10^4, 亿 = 10^8, thousand = 10^3",
            )
        cues = numbers.qualifier_cues(text)
        if qualifier and cues and qualifier not in cues:
            f.error(
                "qualifier",
                f"qualifier is {qualifier!r} but the wording {text!r} says {', '.join(sorted(cues))}",
                hint="'more than', 'over', 超过, 以上 are lower bounds; 近, 左右 approximate",
            )
        if qualifier and qualifier != "exact" and not cues:
            f.error(
                "qualifier",
                f"qualifier is {qualifier!r} but the wording {text!r} has no word that says so",
            )
    rec = Observation(
        id=f.slug("id") or "",
        source=source.id,
        area=f.slug("area") or "",
        indicator=f.slug("indicator") or "",
        kind=f.string("kind", choices=KINDS) or "",
        value=value if value is not None else Decimal(0),
        unit=unit or "",
        qualifier=qualifier,
        wording=wording,
        when=_when(f, source),
        quotes=_quotes(f, source),
        about=f.slug("about", required=False),
        origin=f.origin,
    )
    return rec if f.ok else None


def _claim(f: Fields, source: Source) -> GroupClaim | FactClaim | None:
    kind = f.string("type", choices=("group", "fact"))
    if kind == "group":
        f.allow(
            "id",
            "type",
            "group",
            "members",
            "declared_count",
            "dimension",
            "indicator",
            "about",
            "area",
            "label",
            "period",
            "time",
            "quotes",
        )
        group = GroupClaim(
            id=f.slug("id") or "",
            source=source.id,
            group=f.string("group", choices=GROUP_KINDS) or "",
            members=f.slugs("members"),
            declared_count=f.integer("declared_count", required=False, minimum=1),
            dimension=f.slug("dimension", required=False),
            indicator=f.slug("indicator", required=False),
            about=f.slug("about", required=False),
            area=f.slug("area", required=False),
            label=f.text("label", required=False, languages=("en", "zh")),
            when=_when(f, source),
            quotes=_quotes(f, source),
            origin=f.origin,
        )
        if not group.members and group.declared_count is None:
            f.error(None, "a group claim needs members or declared_count")
        if len(set(group.members)) != len(group.members):
            f.error("members", "a member is listed twice")
        if group.members and group.declared_count and len(group.members) != group.declared_count:
            f.error(
                "members",
                f"{len(group.members)} members listed but the source declares {group.declared_count}",
            )
        return group if f.ok else None
    f.allow("id", "type", "label", "about", "area", "indicator", "period", "time", "quotes")
    fact = FactClaim(
        id=f.slug("id") or "",
        source=source.id,
        label=f.text("label", languages=("en", "zh")),
        about=f.slug("about", required=False),
        area=f.slug("area", required=False),
        indicator=f.slug("indicator", required=False),
        when=_when(f, source),
        quotes=_quotes(f, source),
        origin=f.origin,
    )
    _require_languages(f, "label", fact.label, ("en", "zh"))
    return fact if f.ok else None


# ---------------------------------------------------------------------------------------------
# The whole data folder
# ---------------------------------------------------------------------------------------------


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of ``folder``, sorted by name; symlink loops and non-files are errors."""
    if folder.is_symlink() or folder.exists():
        try:
            folder.resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputError(
                f"{folder}: cannot be read (broken link or symlink loop)",
                hint="make it a folder, or a link to one",
            ) from None
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputError(
                f"{path}: cannot be read (broken link or symlink loop)",
                hint="remove the link, or point it at a YAML file",
            ) from None
        if not path.is_file():
            raise InputError(f"{path}: is not a file", hint="rename it, or move it out of data/")
        found.append(path)
    return found


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
            for item in _items(document, name):
                record = make(item)
                if record is not None:
                    sections[name].append(record)
                    continue
                given = item.node.get("id")
                valid = isinstance(given, str) and is_slug(given)
                broken.setdefault(kind, set()).add(given if valid else ANY_ID)

    integer_units = {unit.id for unit in sections["units"] if unit.integer}
    sources: list[Source] = []
    statements: list[Statement] = []
    for path in yaml_files(data_dir / "sources"):
        document = Fields(read_yaml(path), path, errors)
        document.allow("source", "statements", "claims")
        node = document.raw("source", True)
        if not isinstance(node, CommentedMap):
            if node is not None:
                document.error("source", "source must be a mapping describing the document")
            continue
        source, extra = _source(Fields(node, path, errors))
        sources.extend(extra)
        if source is None:
            if isinstance(node.get("id"), str):
                broken.setdefault("source", set()).add(node["id"])
            continue
        sources.append(source)
        for item in _items(document, "statements"):
            observation = _observation(item, source, integer_units)
            if observation is not None:
                statements.append(observation)
        for item in _items(document, "claims"):
            claim = _claim(item, source)
            if claim is not None:
                statements.append(claim)

    links = _links(data_dir / "links", errors)
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


def _links(folder: Path, errors: list[RecordError]) -> list[AreaLink]:
    """Accepted rows of ``data/links/NAME.sssom.tsv`` (not the ``.review`` sets, not rejections)."""
    from kg import sssom

    links: list[AreaLink] = []
    if not folder.is_dir():
        return links
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


class DataErrors(InputError):
    """One or more records are wrong; each error carries its file:line."""

    def __init__(self, errors: list[RecordError], notes: Sequence[str] = ()) -> None:
        self.errors = sorted(errors, key=lambda e: (e.origin, e.message))
        count = len(self.errors)
        lines = "\n".join([*(str(e) for e in self.errors), *notes])
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data:\n{lines}")


def check_references(
    records: Records,
    broken: Mapping[str, set[str]] | None = None,
    skipped: set[str] | None = None,
) -> list[RecordError]:
    """Duplicate ids, and references to things that are not in the records.

    A reference to a record in ``broken`` (kind -> ids that did not load, already reported;
    ``ANY_ID`` for a record whose id is unknown) is not reported again; where the id is
    unknown, the kind goes into ``skipped`` so that the caller can say so once.
    """
    broken = broken or {}
    skipped = skipped if skipped is not None else set()

    def is_broken(kind: str, value: str) -> bool:
        ids = broken.get(kind, set())
        if value in ids:
            return True
        if ANY_ID in ids:
            skipped.add(kind)
            return True
        return False

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
        if value is None or value in index[kind] or is_broken(kind, value):
            return
        folder = "data/sources/" if kind == "source" else "data/reference/"
        hint = did_you_mean(value, index[kind]) or f"add the {kind} to {folder}, or fix {field}"
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
            statement.about in index[k] or is_broken(k, statement.about) for k in about_kinds
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

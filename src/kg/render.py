"""Row text: terms written as N-Triples, JSON and CSV text, and the observation template
compiled into one function that writes a table row in all three.

The row writer makes a million rows; a term object or a format call per row would cost
more than the bytes themselves. So :func:`compile_row` turns :mod:`kg.observation`'s
template, once per table, into the source of one Python function of f-strings, and compiles
it. The function takes a row's parts (reference entities as :class:`RowTerm`-like objects
whose texts are escaped once) and returns its N-Triples lines, its JSON-LD node and its
statements.csv line. Literal text of the template is escaped here, at compile time.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib.namespace import RDF, RDFS

from kg import observation
from kg.vocab import DCKG, PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"

# pyoxigraph's N-Triples escapes: \\ \" \n \r \t \b \f, other control characters as \\uXXXX.
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
        "\b": "\\b",
        "\f": "\\f",
    }
)


def nt_string(text: str) -> str:
    """A string literal's body as pyoxigraph writes it in N-Triples."""
    return text.translate(_ESCAPES)


def nt_literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal as pyoxigraph writes it in N-Triples."""
    body = f'"{nt_string(text)}"'
    if lang:
        return f"{body}@{lang}"
    if datatype and datatype != f"{XSD}string":
        return f"{body}^^<{datatype}>"
    return body


def json_string(text: str) -> str:
    """A string's body as JSON writes it (without the quotes; escapes are per character)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def json_node(iri: str) -> str:
    """A node reference in JSON-LD: ``{"@id": "..."}``."""
    return f'{{"@id": "{json_string(iri)}"}}'


def compact(iri: str) -> str:
    """An IRI as a JSON-LD key: prefixed with the longest of our prefixes that fits."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def _quoted_by_csv() -> frozenset[str]:
    """The characters that make the csv module quote a field (it differs between versions)."""
    found = set()
    for char in ',"\r\n':
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([f"a{char}b", "x"])
        if buffer.getvalue().startswith('"'):
            found.add(char)
    return frozenset(found)


CSV_SPECIAL = re.compile("[" + re.escape("".join(sorted(_quoted_by_csv()))) + "]")


def csv_field(text: str) -> str:
    """One field as csv.writer writes it (minimal quoting), for rows made as text."""
    if CSV_SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---------------------------------------------------------------------------------------------
# The template compiled
# ---------------------------------------------------------------------------------------------

RowFunction = Callable[..., tuple[str, str, str]]
ROW_ARGUMENTS = (
    "statement",  # the row's statement IRI (text, vetted)
    "line",  # its line in the CSV
    "area",  # reference entities: .iri .json_iri .id .csv .csv_plain, labels .en .zh ...
    "indicator",
    "period",
    "source",  # .iri .json_iri .csv
    "words",  # the unit: .iri .csv .csv_plain, words .en .zh .en_nt .zh_nt .en_json .zh_json
    "qualifier",
    "kind",
    "lexical",  # the value's lexical form
    "integer_literal",  # written as an xsd:integer
    "number",  # the value as labels write it
)
_LANGS = ("en", "zh")


@dataclass(frozen=True)
class _Code:
    """A piece of an f-string: literal text (escaped when joined) or an expression."""

    text: str
    expression: bool = False


def _e(code: str) -> _Code:
    return _Code(code, expression=True)


def _l(text: str) -> _Code:
    return _Code(text)


def _fstring(pieces: list[_Code]) -> str:
    body = "".join(
        "{" + p.text + "}"
        if p.expression
        else p.text.replace("\\", "\\\\")
        .replace("{", "{{")
        .replace("}", "}}")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        for p in pieces
    )
    return f'f"{body}"'


_NT_SLOTS: dict[str, list[_Code]] = {
    "source": [_e("source.iri")],
    "area": [_e("area.iri")],
    "indicator": [_e("indicator.iri")],
    "period": [_e("period.iri")],
    "value": [_l('"'), _e("lexical"), _l(f'"^^<{XSD}'), _e("datatype"), _l(">")],
    "unit": [_l("<"), _e("words.iri"), _l(">")],
    "qualifier": [_e("QUALIFIER_TEXT[qualifier]")],
    "kind": [_e("KIND_TEXT[kind]")],
}
_JSON_SLOTS: dict[str, list[_Code]] = {
    "source": [_e("source.json_iri")],
    "area": [_e("area.json_iri")],
    "indicator": [_e("indicator.json_iri")],
    "period": [_e("period.json_iri")],
    "value": [_l('{"@type": "xsd:'), _e("datatype"), _l('", "@value": "'), _e("lexical"), _l('"}')],
    "unit": [_l('{"@id": "'), _e("words.iri"), _l('"}')],
    "qualifier": [_e("QUALIFIER_JSON[qualifier]")],
    "kind": [_e("KIND_JSON[kind]")],
}
_CSV_SLOTS = {
    "source": "source.csv",
    "area": "area.id",
    "indicator": "indicator.id",
    "period": "period.id",
    "value": "number",
    "unit": "words.csv",
    "qualifier": "qualifier",
    "kind": "kind",
}
# The base columns a row fills; a reference entity's .csv covers its group of columns.
_CSV_COLUMNS: dict[str, tuple[str, int]] = {
    "statement": ("statement", 1),
    "source": ("source.csv", 1),
    "area": ("area.csv", 4),  # area, area_code, area_en, area_zh
    "indicator": ("indicator.csv", 2),  # indicator, indicator_en
    "kind": ("kind", 1),
    "value": ("number", 1),
    "unit": ("words.csv", 1),
    "qualifier": ("qualifier", 1),
    "period": ("period.csv", 3),  # period, period_start, period_end
    "label_en": ("label_en", 1),
    "label_zh": ("label_zh", 1),
    "table": ("TABLE_CSV", 1),
    "table_row": ("line", 1),
}
_CSV_CONSTANTS = {"type": "observation", "time_stated": "true"}
# Every other column (wording, quotes, section ...) is an empty cell in a table's row.
# A label slot in each format: (N-Triples, JSON, plain) expressions; {lang} is en or zh.
_LABEL_SLOTS = {
    "area": ("area.{lang}", "area.{lang}_json", "area.plain_{lang}"),
    "indicator": ("indicator.{lang}", "indicator.{lang}_json", "indicator.plain_{lang}"),
    "when": ("period.{lang}", "period.{lang}_json", "period.plain_{lang}"),
    "kind": ("kind_{lang}", "kind_{lang}", "kind_{lang}"),
    "sign": ("sign", "sign", "sign"),
    "number": ("number", "number", "number"),
    "unit": ("words.{lang}_nt", "words.{lang}_json", "words.{lang}"),
}
_PLAIN_CHECK = {"area": "area", "indicator": "indicator", "when": "period", "unit": "words"}


def _label(lang: str, form: int) -> list[_Code]:
    escape = (nt_string, json_string, str)[form]
    pieces: list[_Code] = []
    for literal, slot in observation.label_pieces(lang):
        if literal:
            pieces.append(_l(escape(literal)))
        if slot is not None:
            pieces.append(_e(_LABEL_SLOTS[slot][form].format(lang=lang)))
    return pieces


def _csv_label(lang: str) -> str:
    """The code that makes label_LANG a CSV field, quoting only where it can be needed."""
    pieces = observation.label_pieces(lang)
    index = _LANGS.index(lang)
    variable = [observation.KIND_LABELS[k][index] for k in observation.KIND_LABELS]
    variable += list(observation.QUALIFIER_SIGNS.values())
    literal = "".join(text for text, _ in pieces)
    plain = " and ".join(
        f"{_PLAIN_CHECK[slot]}.csv_plain" for _, slot in pieces if slot in _PLAIN_CHECK
    )
    if any(CSV_SPECIAL.search(text) for text in variable) or '"' in literal or not plain:
        return f"label_{lang} = csv_field(label_{lang})"
    quoted = f"'\"' + label_{lang} + '\"'" if CSV_SPECIAL.search(literal) else f"label_{lang}"
    return f"label_{lang} = {quoted} if {plain} else csv_field(label_{lang})"


def compile_row(table_iri: str, table_id: str, *, jsonld: bool) -> tuple[RowFunction, int]:
    """The function that writes one row of a table, and the number of triples it writes."""
    nt_lines = [[_e("s"), _l(" "), _l(f"<{RDF.type}> <{DCKG.Observation}> .\n")]]
    for lang in _LANGS:
        nt_lines.append([_e("s"), _l(f' <{RDFS.label}> "'), *_label(lang, 0), _l(f'"@{lang} .\n')])
    for part in observation.parts():
        nt_lines.append([_e("s"), _l(f" <{part.predicate}> "), *_NT_SLOTS[part.slot], _l(" .\n")])
    nt_lines.append([_e("s"), _l(f" <{DCKG.inTable}> <{table_iri}> .\n")])
    nt_lines.append(
        [_e("s"), _l(f' <{DCKG.tableRow}> "'), _e("line"), _l(f'"^^<{XSD}positiveInteger> .\n')]
    )

    json_fields: list[list[_Code]] = [
        [_l(f'"@type": "{compact(str(DCKG.Observation))}"')],
        [
            _l(f'"{compact(str(RDFS.label))}": ['),
            *[
                piece
                for index, lang in enumerate(_LANGS)
                for piece in [
                    _l(", " if index else ""),
                    _l(f'{{"@language": "{lang}", "@value": "'),
                    *_label(lang, 1),
                    _l('"}'),
                ]
            ],
            _l("]"),
        ],
    ]
    for part in observation.parts():
        json_fields.append(
            [_l(f'"{json_string(compact(str(part.predicate)))}": '), *_JSON_SLOTS[part.slot]]
        )
    json_fields.append([_l(f'"{compact(str(DCKG.inTable))}": {json_node(table_iri)}')])
    json_fields.append(
        [
            _l(f'"{compact(str(DCKG.tableRow))}": {{"@type": "xsd:positiveInteger", "@value": "'),
            _e("line"),
            _l('"}'),
        ]
    )
    json_row: list[_Code] = [_l(',\n{"@id": "'), _e("statement"), _l('", ')]
    for index, field in enumerate(json_fields):
        json_row += [_l(", ")] * bool(index) + field
    json_row.append(_l("}"))

    csv_row: list[_Code] = []
    skip = 0
    for number, column in enumerate(observation.columns()):
        if skip:
            skip -= 1
            continue
        csv_row.append(_l("," if number else ""))
        own = [p for p in observation.parts() if p.column == column and column not in _CSV_COLUMNS]
        if column in _CSV_COLUMNS:
            code, width = _CSV_COLUMNS[column]
            csv_row.append(_e(code))
            skip = width - 1
        elif own:
            csv_row.append(_e(_CSV_SLOTS[own[0].slot]))
        elif column in _CSV_CONSTANTS:
            csv_row.append(_l(_CSV_CONSTANTS[column]))
    csv_row.append(_l("\n"))

    source = "\n".join(
        [
            f"def row({', '.join(ROW_ARGUMENTS)}):",
            '    s = f"<{statement}>"',
            "    kind_en, kind_zh = KIND_LABELS[kind]",
            "    sign = QUALIFIER_SIGNS[qualifier]",
            '    datatype = "integer" if integer_literal else "decimal"',
            "    nt = " + _fstring([piece for line in nt_lines for piece in line]),
            "    js = " + (_fstring(json_row) if jsonld else '""'),
            *[f"    label_{lang} = {_fstring(_label(lang, 2))}" for lang in _LANGS],
            *[f"    {_csv_label(lang)}" for lang in _LANGS],
            f"    return nt, js, {_fstring(csv_row)}",
        ]
    )
    namespace: dict[str, object] = {
        "KIND_LABELS": observation.KIND_LABELS,
        "QUALIFIER_SIGNS": observation.QUALIFIER_SIGNS,
        "KIND_TEXT": {k: f"<{iri}>" for k, iri in observation.KIND_CONCEPTS.items()},
        "QUALIFIER_TEXT": {k: f"<{iri}>" for k, iri in observation.QUALIFIER_CONCEPTS.items()},
        "KIND_JSON": {k: json_node(str(iri)) for k, iri in observation.KIND_CONCEPTS.items()},
        "QUALIFIER_JSON": {
            k: json_node(str(iri)) for k, iri in observation.QUALIFIER_CONCEPTS.items()
        },
        "TABLE_CSV": csv_field(table_id),
        "csv_field": csv_field,
    }
    exec(compile(source, f"<row of table {table_id}>", "exec"), namespace)
    function = namespace["row"]
    assert callable(function)
    return function, len(nt_lines)

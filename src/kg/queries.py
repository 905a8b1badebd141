"""Stored SPARQL queries: read their grlc headers, bind parameters safely, run them anywhere.

A stored query is a ``queries/NAME.rq`` file whose header follows the grlc convention::

    #+ summary: Which provinces are in each top-10 list of the report
    #+ tags:
    #+   - evaluation
    #+ defaults:
    #+   - area_iri: https://w3id.org/dckg/id/area/henan

Parameters are the variables ``?_name_type`` (grlc), bound by ``name``: ``?_area_iri`` is the
parameter ``area``. A value is checked against its type and written as a SPARQL term (an IRI
in ``<>``, an escaped string, a number), then substituted for the variable, so no value can
change the query's structure. The same text runs on the embedded store (pyoxigraph, the
union of the named graphs as default graph) or on any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from kg import answers
from kg.errors import InputError, RemoteError, network_failure, redact_url
from kg.prefixes import DATA, KINDS, PREFIXES, is_slug
from kg.project import Project
from kg.results import XSD, XSD_STRING
from kg.results import QueryResult as QueryResult
from kg.results import ResultFormat as ResultFormat
from kg.results import Term as Term
from kg.results import escape_string as escape_string
from kg.results import render as render
from kg.results import to_csv as to_csv
from kg.results import to_json as to_json
from kg.results import to_tsv as to_tsv
from kg.results import to_turtle as to_turtle

PARAMETER = re.compile(r"\?_([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")
TYPES = ("iri", "integer", "decimal", "number", "string", "literal", "date", "boolean")
# A parameter named after an IRI kind takes a bare id: area=henan -> id:area/henan.
KIND_OF_PARAMETER = {k: k for k in KINDS}
USER_AGENT = "dckg/0.1 (https://w3id.org/dckg/; stored SPARQL queries)"


@dataclass(frozen=True)
class Parameter:
    """A query parameter: ``?_area_iri`` is named ``area`` and of type ``iri``."""

    variable: str  # without "?", e.g. "_area_iri"
    name: str
    type: str
    default: str | None = None


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    form: str = "SELECT"  # SELECT | CONSTRUCT | ASK | DESCRIBE
    # ``#+ precomputed:``: the parameter whose every value the build answers (kg.answerers),
    # "defaults" for the default binding only, or None: the query always runs.
    precomputed: str | None = None

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name or parameter.variable.lstrip("_") == name:
                return parameter
        known = [p.name for p in self.parameters]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        guess = f"did you mean {close[0]}? " if close else ""
        raise InputError(
            f"query {self.name} has no parameter {name!r}",
            hint=f"{guess}its parameters: {', '.join(known) or 'none'}",
        )


# ---------------------------------------------------------------------------------------------
# Reading stored queries
# ---------------------------------------------------------------------------------------------


def _header(text: str, path: Path) -> dict[str, object]:
    lines = [
        line[3:] if line.startswith("#+ ") else line[2:]
        for line in text.splitlines()
        if line.startswith("#+")
    ]
    if not lines:
        return {}
    from ruamel.yaml import YAML  # imported here: kg --help and kg --version read no header
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load("\n".join(lines))
    except YAMLError as exc:
        raise InputError(f"{path}: the #+ header is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the #+ header must be key: value lines")
    return data


def _form(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r'"(?:[^"\\]|\\.)*"|<[^>\s]*>', " ", body)  # strings and IRIs may hold keywords
    match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def load_query(path: Path) -> StoredQuery:
    """One stored query with its header and parameters; InputError if it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the query: {exc}") from None
    header = _header(text, path)
    defaults: dict[str, str] = {}
    raw_defaults = header.get("defaults") or []
    if isinstance(raw_defaults, dict):
        raw_defaults = [raw_defaults]
    if not isinstance(raw_defaults, list):
        raise InputError(f"{path}: defaults must be a list of '- name: value'")
    for item in raw_defaults:
        if not isinstance(item, dict):
            raise InputError(f"{path}: defaults must be a list of '- name: value'")
        defaults.update({str(k): str(v) for k, v in item.items()})
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    parameters: dict[str, Parameter] = {}
    for match in PARAMETER.finditer(body):
        variable = "_" + match.group(1)
        parts = match.group(1).split("_")
        kind = parts[-1] if len(parts) > 1 and parts[-1] in TYPES else "literal"
        name = (
            "_".join(parts[:-1]) if kind != "literal" or parts[-1] == "literal" else match.group(1)
        )
        default = defaults.get(variable.lstrip("_"), defaults.get(name))
        parameters.setdefault(
            variable, Parameter(variable=variable, name=name, type=kind, default=default)
        )
    tags = header.get("tags") or []
    form = _form(text)
    precomputed = _precomputed(header, path, form, tuple(parameters.values()))
    return StoredQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "") or "").strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])),
        parameters=tuple(parameters.values()),
        form=form,
        precomputed=precomputed,
    )


def _precomputed(
    header: Mapping[str, object], path: Path, form: str, parameters: tuple[Parameter, ...]
) -> str | None:
    """The ``#+ precomputed:`` header checked: a parameter named after a kind of entity
    (``indicator``: every indicator of the graph gets an answer) or ``defaults``."""
    if "precomputed" not in header:
        return None
    value = str(header["precomputed"] or "defaults").strip()
    where = f"{path}: #+ precomputed: {value}"
    if form != "SELECT":
        raise InputError(f"{where}: only a SELECT's answer is precomputed, this is a {form}")
    if value == "defaults":
        missing = [p.name for p in parameters if p.default is None]
        if missing:
            raise InputError(
                f"{where}: parameter {missing[0]} has no default",
                hint="give it one under #+ defaults:, or name a parameter to precompute",
            )
        return value
    named = [p for p in parameters if p.name == value]
    if not named:
        raise InputError(
            f"{where}: the query has no parameter {value!r}",
            hint=f"name one of {', '.join(p.name for p in parameters) or 'none'}, or write defaults",
        )
    parameter = named[0]
    if parameter.type != "iri" or parameter.name not in KIND_OF_PARAMETER:
        raise InputError(
            f"{where}: only an iri parameter named after a kind of entity has values to enumerate",
            hint=f"kinds: {', '.join(sorted(KIND_OF_PARAMETER))}; or write defaults",
        )
    others = [p.name for p in parameters if p is not parameter and p.default is None]
    if others:
        raise InputError(
            f"{where}: parameter {others[0]} has no default",
            hint="every other parameter needs a default under #+ defaults:",
        )
    return value


def list_queries(folder: Path) -> list[StoredQuery]:
    return [load_query(path) for path in sorted(folder.glob("*.rq"))]


def find_query(folder: Path, name_or_path: str) -> StoredQuery:
    """A stored query by name (``top10-lists``) or by file path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        return load_query(candidate)
    path = folder / f"{name_or_path}.rq"
    if path.is_file():
        return load_query(path)
    known = [q.stem for q in sorted(folder.glob("*.rq"))]
    import difflib

    close = difflib.get_close_matches(name_or_path, known, n=3)
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else "kg query --list shows the stored queries"
    )
    raise InputError(f"no stored query {name_or_path!r} in {folder}", hint=hint)


# ---------------------------------------------------------------------------------------------
# Binding parameters
# ---------------------------------------------------------------------------------------------

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x20]*")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _valid_iri(value: str) -> bool:
    """What the store itself accepts as an absolute IRI (RFC 3987), not just our pattern."""
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True


def sparql_term(parameter: Parameter, value: str) -> str:
    """``value`` as a SPARQL term of the parameter's type; InputError if it is not one.

    Patterns must match the whole value (``fullmatch``: ``$`` would let a final newline in).
    """
    kind = parameter.type
    if re.search(r"[\ud800-\udfff]", value):
        raise InputError(
            f"parameter {parameter.name}: {value.encode('utf-8', 'replace')!r} is not valid text",
            hint="a byte that is not UTF-8 reached the command line; check the terminal's encoding",
        )
    if kind == "iri":
        if is_slug(value) and parameter.name in KIND_OF_PARAMETER:
            value = f"{DATA}{KIND_OF_PARAMETER[parameter.name]}/{value}"
        elif ":" in value and not value.startswith(("http://", "https://", "urn:")):
            prefix, _, local = value.partition(":")
            if prefix in PREFIXES:
                value = PREFIXES[prefix] + local
        if not _IRI.fullmatch(value) or not _valid_iri(value):
            raise InputError(
                f"parameter {parameter.name}: {value!r} is not an IRI",
                hint=f"give a full IRI, a prefixed name (id:area/henan) or, for {parameter.name}, an id",
            )
        return f"<{value}>"
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            raise InputError(f"parameter {parameter.name}: {value!r} is not an integer")
        return value
    if kind in ("decimal", "number"):
        if not _DECIMAL.fullmatch(value):
            raise InputError(f"parameter {parameter.name}: {value!r} is not a number")
        return value
    if kind == "boolean":
        if value not in ("true", "false"):
            raise InputError(f"parameter {parameter.name}: {value!r} is not true or false")
        return value
    if kind == "date":
        if not _DATE.fullmatch(value):
            raise InputError(f"parameter {parameter.name}: {value!r} is not a date (YYYY-MM-DD)")
        return f'"{value}"^^<{XSD}date>'
    return f'"{escape_string(value)}"'


# What each query form can print; "table" is the default, for a graph it means Turtle.
FORMATS_OF_FORM = {
    "SELECT": ("table", "csv", "tsv", "json"),
    "ASK": ("table", "csv", "tsv", "json"),  # true/false as text, or SPARQL JSON
    "CONSTRUCT": ("table", "turtle", "ntriples"),
    "DESCRIBE": ("table", "turtle", "ntriples"),
}


def check_format(query: StoredQuery, format_: ResultFormat | str) -> None:
    """InputError when the query's form cannot be printed as ``fmt`` (a SELECT as Turtle)."""
    fmt = format_.value if isinstance(format_, ResultFormat) else format_
    takes = FORMATS_OF_FORM.get(query.form, ())
    if fmt in takes:
        return
    named = [f for f in takes if f != "table" or query.form in ("SELECT", "ASK")]
    raise InputError(
        f"query {query.name} is a {query.form}: it takes --format "
        f"{', '.join(named[:-1])}{' or ' if len(named) > 1 else ''}{named[-1]}, not {fmt}",
        hint="CONSTRUCT and DESCRIBE print Turtle or N-Triples; SELECT prints rows; ASK true/false",
    )


def bind(query: StoredQuery, params: Mapping[str, str]) -> str:
    """The query text with every parameter replaced by its value (or default) as a SPARQL term."""
    values: dict[str, str] = {}
    for name, value in params.items():
        parameter = query.parameter(name)
        values[parameter.variable] = sparql_term(parameter, value)
    for parameter in query.parameters:
        if parameter.variable not in values:
            if parameter.default is None:
                raise InputError(
                    f"query {query.name} needs --param {parameter.name}=VALUE ({parameter.type})",
                    hint="kg query --list shows each query's parameters and defaults",
                )
            values[parameter.variable] = sparql_term(parameter, parameter.default)
    lines = []
    for line in query.text.split("\n"):  # not splitlines(): U+2028 may sit in a string
        if line.lstrip().startswith("#"):
            lines.append(line)
            continue
        lines.append(PARAMETER.sub(lambda m: values.get("_" + m.group(1), m.group(0)), line))
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# Checking that an iri parameter names something
# ---------------------------------------------------------------------------------------------

Execute = Callable[[str, str], "QueryResult"]  # (query text, form) -> result


def check_iri_parameters(
    query: StoredQuery,
    params: Mapping[str, str],
    execute: Execute,
    warn: Callable[[str], None],
) -> None:
    """InputError when an ``iri`` parameter the user gave names nothing in the graph.

    A misspelt id (``area=zhengzou``) would otherwise give an empty answer or an ASK's
    "false", indistinguishable from a real "no". One ASK per parameter; when the store
    refuses it (RemoteError), one warning, and the query runs unchecked.
    """
    for name, value in params.items():
        parameter = query.parameter(name)
        if parameter.type != "iri":
            continue
        term = sparql_term(parameter, value)
        try:
            found = execute(f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}", "ASK")
        except RemoteError as exc:
            warn(f"could not check that {parameter.name}={value} names something: {exc.message}")
            return
        if found.boolean is None:  # not an ASK's answer: the store did not take the check
            warn(f"could not check that {parameter.name}={value} names something: no true/false")
            return
        if found.boolean:
            continue
        raise InputError(
            f"parameter {parameter.name}: {value!r} names nothing in the graph",
            hint=_suggest(parameter, value, execute),
        )


def _suggest(parameter: Parameter, value: str, execute: Execute) -> str:
    """ "did you mean …" from the ids and labels of the parameter's kind of entity."""
    kind = KIND_OF_PARAMETER.get(parameter.name)
    if kind is None:
        return "check the IRI; kg query area-subgraph or search-labels show what the graph holds"
    prefix = f"{DATA}{kind}/"
    rows = execute(
        "SELECT DISTINCT ?s ?label WHERE { ?s a ?class . "
        f'FILTER(STRSTARTS(STR(?s), "{prefix}")) '
        "OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } }",
        "SELECT",
    ).rows
    names: dict[str, str] = {}  # an id or a lower-cased label -> the id
    for row in rows:
        iri = row["s"].value
        ident = iri[len(prefix) :]
        names.setdefault(ident, ident)
        if "label" in row:
            names.setdefault(row["label"].value.lower(), ident)
    typed = value.rsplit("/", 1)[-1].lower() if value.startswith(("http", "id:")) else value.lower()
    close = [names[m] for m in difflib.get_close_matches(typed, list(names), n=5, cutoff=0.6)]
    guesses = list(dict.fromkeys(close))[:3]
    if guesses:
        return f"did you mean {' or '.join(guesses)}?"
    return f"{parameter.name} takes the id of one of the graph's {kind}s, e.g. {min(names.values(), default='…')}"


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def _term(term: object) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Term("literal", term.value, datatype=term.datatype.value, language=term.language)
    raise TypeError(f"unexpected term {term!r}")


def run_local(store: pyoxigraph.Store, text: str, origin: str = "query") -> QueryResult:
    """Run query text on the embedded store, the union of its named graphs as default graph."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
        return _collect(result)
    except SyntaxError as exc:
        raise InputError(f"{origin}: SPARQL syntax error: {exc}") from None
    except OSError as exc:  # a SERVICE clause could not reach its endpoint
        raise RemoteError(
            f"{origin}: a SERVICE endpoint of the query failed: {exc}",
            hint="this query needs a remote endpoint; check the network, or run it with --endpoint",
        ) from None


def _collect(
    result: pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions | pyoxigraph.QueryTriples,
) -> QueryResult:
    """Read a pyoxigraph result whole (SERVICE calls happen while it is read)."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult(form="ASK", boolean=bool(result))
    if isinstance(result, pyoxigraph.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _term(value)
            rows.append(row)
        return QueryResult(form="SELECT", variables=names, rows=tuple(rows))
    return _graph_result("CONSTRUCT", result)


def _graph_result(form: str, triples: Iterable[pyoxigraph.Triple]) -> QueryResult:
    """A CONSTRUCT/DESCRIBE answer as sorted, de-duplicated N-Triples."""
    lines = sorted(
        {
            f"{_term(t.subject).ntriples()} {_term(t.predicate).ntriples()} {_term(t.object).ntriples()} ."
            for t in triples
        }
    )
    return QueryResult(
        form=form, ntriples="".join(line + "\n" for line in lines), triples=len(lines)
    )


def run_remote(endpoint: str, text: str, form: str, timeout: float = 60.0) -> QueryResult:
    """Run query text on a SPARQL 1.1 endpoint; RemoteError when it is down or answers an error."""
    import http.client
    from urllib.error import HTTPError

    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setTimeout(max(1, math.ceil(timeout)))  # 0 would mean: wait forever
    client.setMethod(POST)
    client.setQuery(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        client.setReturnFormat(TURTLE)
    else:
        client.setReturnFormat(JSON)
    shown = redact_url(endpoint)
    try:
        response = client.query()
        raw = response.response.read()
        content_type = response.response.headers.get("Content-Type", "")
    except SPARQLWrapperException as exc:
        message = str(exc).splitlines()[0]
        raise RemoteError(
            f"{shown} answered an error: {message}",
            hint="check the query and the endpoint's log",
        ) from None
    except HTTPError as exc:
        exc.close()
        raise RemoteError(f"{shown} answered HTTP {exc.code} {exc.reason}") from None
    except (OSError, http.client.HTTPException) as exc:  # URLError is an OSError
        message, hint = network_failure(endpoint, exc, timeout)
        raise RemoteError(message, hint=hint) from None
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = (
            pyoxigraph.RdfFormat.N_TRIPLES
            if "n-triples" in content_type
            else pyoxigraph.RdfFormat.TURTLE
        )
        try:
            triples = list(pyoxigraph.parse(raw, fmt))
        except SyntaxError as exc:
            raise RemoteError(f"{shown} answered something that is not RDF: {exc}") from None
        return _graph_result(form, triples)
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        start = raw[:80].decode("utf-8", "replace")
        raise RemoteError(
            f"{shown} did not answer with SPARQL JSON results (Content-Type {content_type!r}, starts {start!r})",
            hint="is the URL the endpoint's query URL (e.g. .../sparql or .../query)?",
        ) from None
    if not isinstance(document, dict) or ("boolean" not in document and "results" not in document):
        raise RemoteError(f"{shown} answered JSON that is not SPARQL results")
    if "boolean" in document:
        return QueryResult(form="ASK", boolean=bool(document["boolean"]))
    names = tuple(document.get("head", {}).get("vars", []))
    rows = []
    for binding in document["results"].get("bindings", []):
        row = {}
        for name, value in binding.items():
            kind = (
                "uri"
                if value.get("type") == "uri"
                else "bnode"
                if value.get("type") == "bnode"
                else "literal"
            )
            datatype = value.get("datatype")
            language = value.get("xml:lang")
            if kind == "literal" and datatype is None and language is None:
                datatype = XSD_STRING
            row[name] = Term(kind, value.get("value", ""), datatype=datatype, language=language)
        rows.append(row)
    return QueryResult(form="SELECT", variables=names, rows=tuple(rows))


def run(
    name: str,
    params: Mapping[str, str] | None = None,
    endpoint: str | None = None,
    *,
    project: Project | None = None,
    out_dir: Path | None = None,
    timeout: float = 60.0,
    warn: Callable[[str], None] = lambda _message: None,
) -> QueryResult:
    """Run a stored query by name on the embedded store of a build, or on ``endpoint``.

    ``name`` is a stored query's name or a ``.rq`` file; the build is ``out_dir`` (default:
    ``out/`` in the project). Where the build precomputed the answer of the bound text on
    its store (``#+ precomputed:``, :mod:`kg.answers`), that answer is returned, the same
    rows; otherwise, and always with ``endpoint``, the query runs. ``warn`` receives the one warning of an endpoint that refuses
    the parameter check. Rows hold :class:`Term` objects; :meth:`QueryResult.values` gives
    plain Python values.

    >>> result = run("top10-frequency")          # doctest: +SKIP
    >>> result.values()[0]["area_en"]             # doctest: +SKIP
    'Beijing'
    """
    from kg.project import find_project

    if project is None:
        try:
            project = find_project()
        except InputError as exc:
            raise InputError(
                exc.message,
                hint="pass project=kg.project.Project(Path('the/project/folder')) to kg.queries.run",
            ) from None
    query = find_query(project.queries_dir, name)
    text = bind(query, params or {})
    store = project.build(out_dir).store
    execute = executor(endpoint, store, timeout=timeout, origin=str(query.path))
    check_iri_parameters(query, params or {}, execute, warn)
    if endpoint is None:  # the build's own answer of this very text on this store, if it has one
        stored = answers.lookup(store, text)
        if stored is not None:
            return stored
    return execute(text, query.form)


def executor(endpoint: str | None, store: Path, *, timeout: float, origin: str) -> Execute:
    """Run query texts on ``endpoint`` when given, else on the embedded store at ``store``."""
    if endpoint:
        return lambda text, form: run_remote(endpoint, text, form, timeout=timeout)
    from kg.store import open_store

    opened = open_store(store)
    return lambda text, _form: run_local(opened, text, origin=origin)


def describe_parameters(query: StoredQuery) -> Sequence[str]:
    """``area (iri, default id:area/henan)`` for each parameter."""
    from kg.vocab import Shortener

    shorten = Shortener()
    described = []
    for p in query.parameters:
        default = (
            "required"
            if p.default is None
            else f"default {shorten(p.default) if p.type == 'iri' else p.default}"
        )
        described.append(f"{p.name} ({p.type}, {default})")
    return described

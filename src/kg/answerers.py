"""The build's answers to the stored queries that opt in, written into the store (kg.answers).

A stored query opts in with a header line::

    #+ precomputed: indicator      # every indicator of the graph gets its answer
    #+ precomputed: defaults       # only the default binding

:func:`write_answers` (one call at the end of a build's store) answers it once for each
value: every entity of the parameter's kind (``id:indicator/...``), the other parameters at
their defaults. Each answer is the answer of the bound text on the built store, so
``kg query`` can serve it in place of running the text (:func:`kg.answers.lookup`). Two ways:

- **run**: the bound text runs on the built store, for the default binding only. Right for
  any query by construction, but it costs what the query costs: once per value it would be
  hours on a big table (indicator-values took about 10 s an indicator on a 1M-row store, 366
  indicators), so a query opted in for a parameter's every value gets its defaults' answer
  only, and a note (the build summary's) says that ``kg query`` runs the other values.
- **fast**: for a query text it knows (:data:`FAST`, keyed by :func:`body_digest`, the SPARQL
  without its comment lines), an answerer that takes the table rows from ``statements.csv``
  (the build has just written it: one line per table statement) instead of looking each row
  up in the store. It holds for queries of which every answer row comes from at most one
  table statement, whose other triples are curated: then the answer is (a) the bound text
  run on the curated graphs alone (the store without the tables' graphs, in memory: the
  engine's own answer) and (b) one or more rows per table statement that the answerer writes
  from the statement's cells and the curated terms it joins (labels, periods), merged in the
  query's order. The query's ``ORDER BY`` must name every projected variable (``?v`` or
  ``STR(?v)``), so that the order is total and can be reproduced: the engine's comparison
  (IRIs and strings by code point, numbers by value, unbound first) is mirrored by
  :func:`order_key`, and an answer is left out rather than written when two different rows
  would tie, when a column mixes kinds of terms that compare otherwise, or when the
  engine's own order of the curated rows disagrees with the mirrored one.

An edited query text has another digest: it is answered by running (or not at all, when the
header is gone), never by an answerer written for another text.

Nothing is precomputed on a store without a bulk table (the curated data alone): there every
stored query answers in well under a second, and the answers cost the build about 0.75 s of
CPU (347 answers on the curated data), which the curator's loop would pay on every build. Tests compare every answer
with the text run on the store, on the curated data and on the benchmark's project.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple, Protocol

import pyoxigraph

from kg import answers
from kg.observation import KIND_CONCEPTS, QUALIFIER_CONCEPTS
from kg.outputs import Build
from kg.prefixes import DATA
from kg.queries import StoredQuery, bind, list_queries, run_local, sparql_term
from kg.results import XSD, XSD_STRING, QueryResult, Term, escape_string
from kg.store import TABLE_GRAPHS, curated_copy, open_store
from kg.vocab import mint

Progress = Callable[[str], None]
RDF_LANGSTRING = answers.RDF_LANGSTRING
INTEGER, DECIMAL = f"{XSD}integer", f"{XSD}decimal"
NUMERIC = frozenset({INTEGER, DECIMAL})
BOOLEAN = f"{XSD}boolean"


@dataclass
class Summary:
    """What :func:`write_answers` did: answers written, and notes for the user."""

    answers: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def write_answers(
    queries_dir: Path,
    folder: Path,
    progress: Progress,
    store: pyoxigraph.Store | None = None,
    settle: Callable[[], None] = lambda: None,
    curated: pyoxigraph.Store | None = None,
) -> Summary:
    """Precompute the opted-in queries of ``queries_dir`` on the build in ``folder``.

    Runs once its store holds every quad: ``store``, open, or else the one in ``folder``;
    ``curated``, its graphs but the tables' in memory, if the caller has them (a build loads
    them from its own N-Quads: copying them out of a 1M-row store took 1.7 s). Writes
    ``folder/store/answers/``, unless the store holds no bulk table (then nothing).
    ``settle`` returns once the store's files are final and it is closed (this function drops
    its own reference first): the manifest then takes their fingerprint. Notes say which
    answers were left out and why (``kg query`` runs those).
    """
    summary = Summary()
    build = Build(folder)
    if store is None:  # (not `store or ...`: a Store's truth is its length, every quad counted)
        store = open_store(build.store)
    writer = _answer_all(queries_dir, build, progress, store, summary, curated)
    del store  # the last reference here: the caller's settle() may close it now
    settle()
    if writer is not None:
        writer.close()
    return summary


def _answer_all(
    queries_dir: Path,
    build: Build,
    progress: Progress,
    store: pyoxigraph.Store,
    summary: Summary,
    curated: pyoxigraph.Store | None,
) -> answers.AnswerWriter | None:
    """The answers of :func:`write_answers`, written but for their manifest; None when the
    store holds no table or no query opts in (nothing is written)."""
    if not has_tables(store):  # every query is fast on the curated data: nothing to save
        return None  # (and reading the queries' headers alone takes 0.15 s)
    opted = [q for q in list_queries(queries_dir) if q.precomputed]
    if not opted:
        return None
    progress("precomputing stored answers")
    if curated is None:
        curated = curated_copy(store)
    writer = answers.AnswerWriter(build.store)
    fast: list[tuple[StoredQuery, Answerer]] = []
    for query in opted:
        make = FAST.get(body_digest(query.text))
        one_iri = len(query.parameters) == 1 and query.parameters[0].type == "iri"
        if make is not None and one_iri and order_by(query.text) is not None:
            fast.append((query, make(curated)))
        else:  # run on the store: its defaults only (once per value would take hours)
            text = bind(query, {})
            summary.rows += writer.add_result(query.name, {}, text, run_local(store, text))
            summary.answers += 1
            if query.precomputed != "defaults":
                summary.notes.append(
                    f"{query.name}: only its defaults precomputed (no fast answer for this "
                    f"text, and running it for every {query.precomputed} on the tables would "
                    "take long); kg query runs it for the other values"
                )
    if fast:
        for row in table_rows(build.statements_csv):
            for _, answerer in fast:
                answerer.take(row)
        for query, answerer in fast:
            (parameter,) = query.parameters
            for params, text in bindings(query, curated):
                value = sparql_term(parameter, params.get(parameter.name) or str(parameter.default))
                try:
                    variables, lines = _merged(query, text, answerer, value[1:-1], curated)
                except Unordered as why:
                    shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
                    summary.notes.append(
                        f"{query.name} ({shown}) not precomputed: {why}; kg query runs it"
                    )
                    continue
                summary.rows += writer.add(query.name, params, text, variables, lines)
                summary.answers += 1
    return writer


def has_tables(store: pyoxigraph.Store) -> bool:
    """Whether the store holds a bulk table's graph (without reading its quads)."""
    return any(
        isinstance(graph, pyoxigraph.NamedNode) and graph.value.startswith(TABLE_GRAPHS)
        for graph in store.named_graphs()
    )


def bindings(query: StoredQuery, curated: pyoxigraph.Store) -> Iterator[tuple[dict[str, str], str]]:
    """(parameters, bound text) of each answer to precompute, in a stable order."""
    if query.precomputed == "defaults":
        yield {}, bind(query, {})
        return
    name = str(query.precomputed)
    for iri in entities(curated, name):
        yield {name: iri}, bind(query, {name: iri})


def entities(store: pyoxigraph.Store, kind: str) -> list[str]:
    """The IRIs of a kind (``indicator``: ``id:indicator/...``) that the graph names, sorted."""
    prefix = f"{DATA}{kind}/"
    found = store.query(
        "SELECT DISTINCT ?e WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } "
        f'FILTER (isIRI(?e) && STRSTARTS(STR(?e), "{prefix}")) }}',
        use_default_graph_as_union=True,
    )
    assert isinstance(found, pyoxigraph.QuerySolutions)
    return sorted({str(row["e"].value) for row in found})


def body_digest(text: str) -> str:
    """The SHA-256 of a query's SPARQL, comment lines and blank lines left out."""
    lines = [
        line.rstrip()
        for line in text.split("\n")
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# The order of an answer, as the engine sorts it
# ---------------------------------------------------------------------------------------------

_MASK = re.compile(r'"(?:[^"\\]|\\.)*"|<[^>\s]*>')
_ORDER_KEY = re.compile(r"\s*(?:(STR|ASC)\s*\(\s*\?(\w+)\s*\)|\?(\w+))", re.IGNORECASE)


def order_by(text: str) -> list[tuple[str, bool]] | None:
    """The outer ``ORDER BY`` as (variable, compared as STR) pairs; None unless it is only
    ``?v``, ``ASC(?v)`` and ``STR(?v)`` items (no DESC, no LIMIT or OFFSET after it)."""
    body = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))
    body = re.sub(r"#[^\n]*", " ", _MASK.sub(" ", body))  # strings and IRIs, then comments
    tail = body[body.rfind("}") + 1 :]
    match = re.fullmatch(r"\s*ORDER\s+BY(?P<keys>.*?)\s*", tail, re.IGNORECASE | re.DOTALL)
    if match is None:
        return None
    keys, rest = [], match.group("keys")
    while rest.strip():
        item = _ORDER_KEY.match(rest)
        if item is None:
            return None
        function, inner, plain = item.groups()
        keys.append((inner or plain, (function or "").upper() == "STR"))
        rest = rest[item.end() :]
    return keys or None


class Unordered(Exception):
    """The answer's order cannot be reproduced exactly; it is left out (and runs)."""


# Kinds of terms, in the engine's order for those that compare across kinds (unbound first,
# then IRIs, then literals); literals of two kinds never share a column (see _merged).
UNBOUND, IRI, NUMBER, STRING, LANG, TRUTH = range(6)
_I64 = 2**63
_DECIMAL_LIMIT = Decimal(2**127) / Decimal(10**18)  # the engine's xsd:decimal: i128, 18 digits

Info = tuple[str, tuple[object, ...], object]  # (TSV cell, sort key, kind of term)
NO_TERM: Info = ("", (UNBOUND,), None)


def order_key(term: Term, as_string: bool) -> tuple[tuple[object, ...], object]:
    """A term's sort key and kind, as the engine's ORDER BY compares it (``STR(?v)``: as
    a plain string); Unordered for a term whose order is not mirrored."""
    if term.type == "bnode":
        raise Unordered("a blank node in the order")
    if as_string:
        return (STRING, term.value), STRING
    if term.type == "uri":
        return (IRI, term.value), IRI
    datatype = term.datatype or XSD_STRING
    if term.language:
        return (LANG, term.value), (LANG, term.language)
    if datatype == XSD_STRING:
        return (STRING, term.value), STRING
    if datatype in NUMERIC:
        return (NUMBER, _number(term.value, datatype)), NUMBER
    if datatype == BOOLEAN and term.value in ("true", "false"):
        return (TRUTH, term.value == "true"), TRUTH
    raise Unordered(f"a literal of type {datatype} in the order")


def _number(lexical: str, datatype: str) -> Decimal:
    """A number the engine compares by value (an i64 integer, an i128 fixed-point decimal)."""
    if len(lexical) < 19 and lexical.isdigit():  # the common case, well within both
        return Decimal(lexical)
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        raise Unordered(f"{lexical!r} is not a number") from None
    if not value.is_finite():
        raise Unordered(f"{lexical!r} is not a finite number")
    if datatype.endswith("#integer"):
        if not -_I64 <= value < _I64 or value != value.to_integral_value():
            raise Unordered(f"{lexical} is beyond the engine's integers")
    else:
        exponent = value.as_tuple().exponent
        if abs(value) >= _DECIMAL_LIMIT or (isinstance(exponent, int) and exponent < -18):
            raise Unordered(f"{lexical} is beyond the engine's decimals")
    return value


class Terms:
    """The TSV cell, sort key and kind of a term, made once per term (they repeat)."""

    def __init__(self, keys: list[tuple[str, bool]], variables: tuple[str, ...]) -> None:
        self.order = keys
        self.variables = variables
        self._cache: dict[tuple[Term, bool], Info] = {}

    def info(self, term: Term | None, as_string: bool = False) -> Info:
        if term is None:
            return NO_TERM
        found = self._cache.get((term, as_string))
        if found is None:
            key, kind = order_key(term, as_string)
            found = (term.ntriples(), key, kind)
            self._cache[(term, as_string)] = found
        return found


# ---------------------------------------------------------------------------------------------
# Table rows, from statements.csv
# ---------------------------------------------------------------------------------------------


class TableRow(NamedTuple):
    """A table statement as statements.csv has it (ids, the unit's IRI, the value's digits)."""

    statement: str
    source: str
    area: str
    indicator: str
    kind: str
    value: str
    unit: str
    qualifier: str
    period: str
    label_en: str


def table_rows(path: Path) -> Iterator[TableRow]:
    """The rows of statements.csv that come from a table (its ``table`` column filled)."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        table = header.index("table")
        fields = operator.itemgetter(*(header.index(name) for name in TableRow._fields))
        make = TableRow._make
        for cells in reader:
            if len(cells) > table and cells[table]:
                yield make(fields(cells))


def value_term(digits: str, integer: bool) -> Term:
    """A table statement's value as the engine answers it, from statements.csv's ``value``.

    statements.csv writes the number without exponent or trailing zeros (kg.observation's
    format_value); the graph holds an xsd:integer in an integer-valued unit, else an
    xsd:decimal ("99.0"); the engine gives numbers back in its own canonical form, which is
    format_value's but for a negative zero ("3.0" -> "3", "-0.0" -> "0", "007" -> "7").
    """
    if integer:
        return Term("literal", str(int(digits)), datatype=INTEGER)
    return Term("literal", "0" if digits == "-0" else digits, datatype=DECIMAL)


# ---------------------------------------------------------------------------------------------
# Answerers: the table part of known query texts
# ---------------------------------------------------------------------------------------------


class Answerer(Protocol):
    """The table statements' part of a known query's answers."""

    variables: tuple[str, ...]

    def take(self, row: TableRow) -> None:
        """Keep what the answers need of one table statement (called for every one)."""

    def solutions(self, value: str, terms: Terms) -> Iterable[list[Info]]:
        """The table statements' rows of the answer for ``value``: one Info per variable."""


def _select(store: pyoxigraph.Store, text: str) -> list[dict[str, Term]]:
    return [dict(row) for row in run_local(store, text).rows]


def _en_labels(store: pyoxigraph.Store) -> dict[str, list[Term]]:
    found: dict[str, list[Term]] = {}
    for row in _select(
        store,
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER (isIRI(?s) && lang(?label) = "en") }',
    ):
        found.setdefault(row["s"].value, []).append(row["label"])
    return found


def _iri_info(iri: str, as_string: bool) -> Info:
    """:meth:`Terms.info` of an IRI, without making the term (one per table row)."""
    return f"<{iri}>", ((STRING, iri) if as_string else (IRI, iri)), STRING if as_string else IRI


def _lang_info(text: str, language: str, as_string: bool) -> Info:
    """:meth:`Terms.info` of a language-tagged string, without making the term."""
    if as_string:
        return f'"{escape_string(text)}"@{language}', (STRING, text), STRING
    return f'"{escape_string(text)}"@{language}', (LANG, text), (LANG, language)


def _number_info(digits: str, integer: bool, as_string: bool) -> Info:
    """:meth:`Terms.info` of a table statement's value (:func:`value_term`), without the term."""
    if integer:
        lexical, datatype = (
            (digits if digits.isdigit() and digits[:1] != "0" else str(int(digits))),
            INTEGER,
        )
    else:
        lexical, datatype = ("0" if digits == "-0" else digits), DECIMAL
    key = (STRING, lexical) if as_string else (NUMBER, _number(lexical, datatype))
    return f'"{lexical}"^^<{datatype}>', key, STRING if as_string else NUMBER


class IndicatorValues:
    """``queries/indicator-values.rq``: every value of one indicator.

    A table statement of the indicator gives one row per English label of its area, its
    kind and its qualifier (one each, as the shapes require) and, for ``?time``, per English
    label of its period (unbound if the period has none: table rows have no reportedOn).
    """

    variables: tuple[str, ...] = ("area_en", "kind", "value", "unit", "qualifier", "time", "source")

    def __init__(self, curated: pyoxigraph.Store) -> None:
        self.labels = _en_labels(curated)
        self.integer_units = {
            row["u"].value
            for row in _select(
                curated,
                "SELECT ?u WHERE { ?u <https://w3id.org/dckg/ontology#integerValued> true }",
            )
        }
        self.rows: dict[str, list[tuple[str, ...]]] = {}
        self._same: dict[str, str] = {}
        self._indicators: dict[str, str] = {}

    def take(self, row: TableRow) -> None:
        same = self._same.setdefault
        indicator = self._indicators.get(row.indicator)
        if indicator is None:
            indicator = self._indicators[row.indicator] = str(mint("indicator", row.indicator))
        self.rows.setdefault(indicator, []).append(
            (
                same(row.area, row.area),
                same(row.kind, row.kind),
                same(row.qualifier, row.qualifier),
                same(row.period, row.period),
                same(row.source, row.source),
                same(row.unit, row.unit),
                row.value,
            )
        )

    def solutions(self, value: str, terms: Terms) -> Iterator[list[Info]]:
        strings = dict(terms.order)

        def labelled(iri: str, variable: str) -> list[Info]:
            return [terms.info(t, strings[variable]) for t in self.labels.get(iri, [])]

        areas: dict[str, list[Info]] = {}
        kinds: dict[str, list[Info]] = {}
        qualifiers: dict[str, list[Info]] = {}
        times: dict[str, list[Info]] = {}
        iris: dict[str, Info] = {}
        integer_units, value_string = self.integer_units, strings["value"]
        for area, kind, qualifier, period, source, unit, digits in self.rows.get(value, []):
            area_labels = areas.get(area)
            if area_labels is None:
                area_labels = areas[area] = labelled(str(mint("area", area)), "area_en")
            kind_labels = kinds.get(kind)
            if kind_labels is None:
                kind_labels = kinds[kind] = labelled(str(KIND_CONCEPTS[kind]), "kind")
            qualifier_labels = qualifiers.get(qualifier)
            if qualifier_labels is None:
                qualifier_labels = qualifiers[qualifier] = labelled(
                    str(QUALIFIER_CONCEPTS[qualifier]), "qualifier"
                )
            time_labels = times.get(period)
            if time_labels is None:  # no English label: ?time unbound (no reportedOn either)
                time_labels = times[period] = labelled(str(mint("period", period)), "time")
                time_labels = time_labels or [NO_TERM]
                times[period] = time_labels
            unit_info = iris.get(unit)
            if unit_info is None:
                unit_info = iris[unit] = _iri_info(unit, strings["unit"])
            source_info = iris.get(source)
            if source_info is None:
                source_info = iris[source] = _iri_info(
                    str(mint("source", source)), strings["source"]
                )
            value_info = _number_info(digits, unit in integer_units, value_string)
            for a in area_labels:
                for k in kind_labels:
                    for q in qualifier_labels:
                        for t in time_labels:
                            yield [a, k, value_info, unit_info, q, t, source_info]


class PlanPeriodFacts:
    """``queries/plan-period-facts.rq``: the statements that fall in a plan's period.

    A table statement whose period lies within the plan's (the query's own sub-``SELECT``,
    run here for every plan on the curated graphs) gives one row per English label of that
    period, with its own English label and source; ``?time_stated`` is true. Table
    statements have no ``timeStated false``: the other branch finds curated ones only.
    """

    variables: tuple[str, ...] = ("statement", "label_en", "time", "time_stated", "source")
    PERIODS = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?plan ?period ?time WHERE {
  ?plan dckg:planPeriod ?plan_period .
  ?plan_period dckg:startDate ?plan_start ; dckg:endDate ?plan_end .
  ?period dckg:startDate ?start ; dckg:endDate ?end .
  FILTER (YEAR(?start) >= YEAR(?plan_start) && YEAR(?end) <= YEAR(?plan_end))
  ?period rdfs:label ?time .
  FILTER (lang(?time) = "en")
}"""

    def __init__(self, curated: pyoxigraph.Store) -> None:
        self.periods: dict[str, list[tuple[str, Term]]] = {}
        for row in _select(curated, self.PERIODS):
            self.periods.setdefault(row["plan"].value, []).append(
                (row["period"].value, row["time"])
            )
        self.wanted = {period for found in self.periods.values() for period, _ in found}
        self.rows: dict[str, list[tuple[str, str, str]]] = {}
        self._same: dict[str, str] = {}
        self._period_iris: dict[str, str] = {}

    def take(self, row: TableRow) -> None:
        period = self._period_iris.get(row.period)
        if period is None:
            period = self._period_iris[row.period] = str(mint("period", row.period))
        if period in self.wanted:
            same = self._same.setdefault
            self.rows.setdefault(period, []).append(
                (row.statement, row.label_en, same(row.source, row.source))
            )

    def solutions(self, value: str, terms: Terms) -> Iterator[list[Info]]:
        info, strings = terms.info, dict(terms.order)
        true = info(Term("literal", "true", datatype=BOOLEAN), strings["time_stated"])
        sources: dict[str, Info] = {}
        statement_string, label_string = strings["statement"], strings["label_en"]
        for period, time in self.periods.get(value, []):
            time_info = info(time, strings["time"])
            for statement, label, source in self.rows.get(period, []):
                source_info = sources.get(source)
                if source_info is None:
                    source_info = sources[source] = _iri_info(
                        str(mint("source", source)), strings["source"]
                    )
                yield [
                    _iri_info(statement, statement_string),
                    _lang_info(label, "en", label_string),
                    time_info,
                    true,
                    source_info,
                ]


# The answerers, by the body_digest of the query text each was written for (a test checks
# that the repository's queries still have these digests).
FAST: dict[str, Callable[[pyoxigraph.Store], Answerer]] = {
    "5a637ff17fa5b171ab400fcf50c92e1f495290623c66384fe610b21ea5e5c6fe": IndicatorValues,
    "ce336338afc9a2def42f2eb5a9db019d4816baf78ebe7447fb559cddf5a67078": PlanPeriodFacts,
}


def _merged(
    query: StoredQuery, text: str, answerer: Answerer, value: str, curated: pyoxigraph.Store
) -> tuple[tuple[str, ...], Iterator[str]]:
    """The answer's variables and TSV lines: the curated part, run, and the table part,
    sorted together by the query's ORDER BY; Unordered where that order is not certain."""
    keys = order_by(query.text)
    assert keys is not None
    result: QueryResult = run_local(curated, text, origin=str(query.path))
    variables = result.variables
    if variables != answerer.variables:
        raise Unordered(f"the query's variables are {', '.join(variables)}")
    position = {v: i for i, v in enumerate(variables)}
    if len(keys) != len(variables) or {v for v, _ in keys} != set(variables):
        raise Unordered("its ORDER BY does not name every variable")
    terms = Terms(keys, variables)
    strings = dict(keys)
    curated_rows = [[terms.info(row.get(v), strings[v]) for v in variables] for row in result.rows]
    order = [position[v] for v, _ in keys]
    chosen = operator.itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
    cell, key, kind = (operator.itemgetter(i) for i in range(3))
    decorated: list[tuple[tuple[object, ...], str]] = []
    append = decorated.append
    kinds: set[tuple[object, ...]] = set()
    for row in itertools.chain(curated_rows, answerer.solutions(value, terms)):
        picked = chosen(row)
        kinds.add(tuple(map(kind, picked)))
        append((tuple(map(key, picked)), "\t".join(map(cell, row))))
    engine_order = [sort_key for sort_key, _ in decorated[: len(curated_rows)]]
    if engine_order != sorted(engine_order):
        raise Unordered("the engine orders the curated rows otherwise")
    for index, variable in enumerate(v for v, _ in keys):
        if len({found[index] for found in kinds} - {None}) > 1:
            raise Unordered(f"?{variable} mixes terms that compare otherwise")
    decorated.sort(key=operator.itemgetter(0))
    for (key_a, line_a), (key_b, line_b) in itertools.pairwise(decorated):
        if key_a == key_b and line_a != line_b:
            raise Unordered("two different rows tie in its ORDER BY")
    return variables, map(operator.itemgetter(1), decorated)

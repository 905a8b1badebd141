"""Precomputed answers (``#+ precomputed:``, kg.answerers and kg.answers) are the answers of
the query text run on the store: the same rows and terms, the same CSV, TSV and JSON bytes.

Every answer a build wrote is compared with the bound text run on its store: on the curated
data (the session's build) and on the benchmark's 10,000-row project (bench/generator.py,
built here), whose table rows are most of the answers. The generator puts all 10,000 rows in
2015, outside both Five-Year Plans, so the project here spreads its rows over the years
2015-2025 (the year column rewritten) for plan-period-facts to have table rows to answer.
An edited query, a changed store, another engine: the text runs, never a stale answer.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from conftest import REPO, with_table
from kg import answerers, answers, queries
from kg.cli import main
from kg.errors import InputError
from kg.observation import format_value, value_lexical
from kg.pipeline import BuildResult, build_project
from kg.prefixes import DATA
from kg.project import Project, find_project
from kg.results import XSD_STRING, ResultFormat, Term, render
from kg.store import open_store

sys.path.insert(0, str(REPO / "bench"))

from generator import YEARS, make_project

SAFE = ["", "é", "Z", "中", "~", "%20", "\U0001f600"]  # characters an IRI may hold
OPTED = ("indicator-values", "plan-period-facts")
FORMATS = (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON)


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / "store" / "answers" / "manifest.json").read_text(encoding="utf-8"))
    answers_: dict[str, dict[str, object]] = data["answers"]
    return answers_


def _compare_all(out: Path, queries_dir: Path, formats: int = 20) -> dict[str, list[int]]:
    """Every stored answer against its text run on the store; the answers' sizes by query.

    Rows and terms are compared for all, the rendered formats for the first ``formats``
    answers of each query and for every answer of more than 1,000 rows."""
    store = open_store(out / "store")
    sizes: dict[str, list[int]] = {}
    for key, entry in sorted(_manifest(out).items()):
        name = str(entry["query"])
        stored = queries.find_query(queries_dir, name)
        text = queries.bind(stored, dict(entry["params"]))  # type: ignore[arg-type]
        assert answers.answer_key(text) == key
        served = answers.lookup(out / "store", text)
        ran = queries.run_local(store, text)
        assert served is not None, entry
        assert served.variables == ran.variables
        assert tuple(served.rows) == tuple(ran.rows), entry
        sizes.setdefault(name, []).append(len(ran.rows))
        if len(sizes[name]) <= formats or len(ran.rows) > 1000:
            for fmt in FORMATS:
                assert render(served, fmt) == render(ran, fmt), (entry, fmt)
    return sizes


def test_the_curated_build_precomputes_nothing(built: BuildResult, repo_project: Project) -> None:
    """Without a bulk table every query is fast: the build writes no answers, queries run."""
    assert not (built.out_dir / "store" / "answers").exists()
    store = open_store(built.out_dir / "store")
    assert not answerers.has_tables(store)
    for name in OPTED:
        text = queries.bind(queries.find_query(REPO / "queries", name), {})
        assert answers.lookup(built.out_dir / "store", text) is None
        result = queries.run(name, project=repo_project, out_dir=built.out_dir)
        assert result == queries.run_local(store, text) and len(result.rows) > 1


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's 10k-row project with its rows spread over 2015-2025, built."""
    folder = tmp_path_factory.mktemp("bench") / "project"
    table = make_project(folder, 10_000, curated=True)
    with open(table, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(
            [*row[:2], str(YEARS[number % len(YEARS)]), *row[3:]] for number, row in enumerate(rows)
        )
    return build_project(find_project(explicit=folder)).out_dir


def test_the_bench_project_serves_the_answers_of_the_query_texts(bench: Path) -> None:
    sizes = _compare_all(bench, bench.parent / "queries")
    assert set(sizes) == set(OPTED)
    values = sizes["indicator-values"]
    assert 0 in values and sum(1 for n in values if n > 1000) >= 3  # the table's indicators
    assert len(sizes["plan-period-facts"]) == 2 and min(sizes["plan-period-facts"]) > 4000


def test_kg_query_prints_the_stored_answer_as_the_query_would(bench: Path) -> None:
    """The command a user types, each format, against the text run on the store."""
    project = bench.parent
    store = open_store(bench / "store")
    for name, params in (
        ("indicator-values", {"indicator": "bench-ind-02"}),
        ("indicator-values", {"indicator": "bench-ind-40"}),  # no rows at 10k: empty
        ("plan-period-facts", {}),
        ("plan-period-facts", {"plan": "13th-five-year-plan"}),
    ):
        stored = queries.find_query(project / "queries", name)
        text = queries.bind(stored, params)
        assert answers.lookup(bench / "store", text) is not None
        ran = queries.run_local(store, text)
        for fmt in FORMATS:
            args = ["--project", str(project), "query", name, "--format", fmt.value]
            args += [f"--param={k}={v}" for k, v in params.items()]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output
            assert result.stdout_bytes.decode("utf-8") == render(ran, fmt)


def _copy(out: Path, target: Path) -> Path:
    """A copy of a built project (its out/ included), to change."""
    shutil.copytree(out.parent, target, symlinks=True)
    return target


def test_an_edited_query_runs_its_text(bench: Path, tmp_path: Path) -> None:
    """After the build, the query's text changes: the stored answer is not the new text's."""
    project = Project(_copy(bench, tmp_path / "p"))
    path = project.queries_dir / "indicator-values.rq"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "ORDER BY ?area_en ?kind", "ORDER BY DESC(?area_en) ?kind"
        ),
        encoding="utf-8",
    )
    params = {"indicator": "bench-ind-01"}
    text = queries.bind(queries.find_query(project.queries_dir, "indicator-values"), params)
    assert answers.lookup(project.out_dir / "store", text) is None
    result = queries.run("indicator-values", params, project=project)
    expected = queries.run_local(open_store(project.out_dir / "store"), text)
    assert len(result.rows) > 1000 and result == expected
    first = [row["area_en"].value for row in result.rows[:2]]
    assert first == sorted(first, reverse=True)


def test_a_changed_store_runs_the_query(bench: Path, tmp_path: Path) -> None:
    """A write into the store after the build (a new value): its answers are not served."""
    project = Project(_copy(bench, tmp_path / "p"))
    params = {"indicator": "bench-ind-03"}
    text = queries.bind(queries.find_query(project.queries_dir, "indicator-values"), params)
    before = answers.lookup(project.out_dir / "store", text)
    assert before is not None
    statement = pyoxigraph.NamedNode(f"{DATA}statement/extra")
    graph = pyoxigraph.NamedNode("https://w3id.org/dckg/graph/extra")
    store = pyoxigraph.Store(str(project.out_dir / "store"))
    (first,) = store.query(
        "SELECT ?s WHERE { ?s <https://w3id.org/dckg/ontology#indicator> "
        f"<{DATA}indicator/bench-ind-03> }} LIMIT 1",
        use_default_graph_as_union=True,
    )
    for quad in list(store.quads_for_pattern(first["s"], None, None)):
        value = quad.object
        if quad.predicate.value.endswith("#value"):
            value = pyoxigraph.Literal("424242", datatype=pyoxigraph.NamedNode(answerers.INTEGER))
        store.add(pyoxigraph.Quad(statement, quad.predicate, value, graph))
    store.flush()
    del store
    assert answers.lookup(project.out_dir / "store", text) is None
    result = queries.run("indicator-values", params, project=project)
    assert len(result.rows) == len(before.rows) + 1
    assert any(row["value"].value == "424242" for row in result.rows)


def test_answers_of_another_engine_are_not_served(bench: Path, tmp_path: Path) -> None:
    project = Project(_copy(bench, tmp_path / "p"))
    manifest = project.out_dir / "store" / "answers" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    text = queries.bind(queries.find_query(project.queries_dir, "plan-period-facts"), {})
    assert answers.lookup(project.out_dir / "store", text) is not None
    manifest.write_text(json.dumps({**data, "engine": "pyoxigraph 0.0.1"}), encoding="utf-8")
    assert answers.lookup(project.out_dir / "store", text) is None


# -- The build: which texts it answers, and how ------------------------------------------------

# Counts and shares: "40.0" is 40.0 in the graph (an xsd:decimal) and 40 as the engine gives
# it back, "007" is 7.
ROWS = [
    ("990000", "widgets", "2021", "12", "count", "new"),
    ("980000", "widgets", "2021", "007", "count", "total"),
    ("990100", "widgets", "2021", "300", "count", "total"),
    ("980000", "widget-share", "2021", "40.0", "percent", "share"),
    ("990100", "widget-share", "2021", "12.50", "percent", "share"),
]


def _mini_with_table(mini: Project, query_texts: dict[str, str]) -> Project:
    with_table(mini, ROWS)
    mini.queries_dir.mkdir()
    for name, text in query_texts.items():
        (mini.queries_dir / f"{name}.rq").write_text(text, encoding="utf-8")
    return mini


def test_an_edited_query_text_is_answered_by_running_it(mini: Project) -> None:
    """The fast answerer is for the text it was written for: an edited text with the header
    still on (a filter that drops a table row) is answered by the store, rightly, and only
    for its defaults (once per indicator would take hours on a big table); a note says so,
    and kg query runs it for another indicator."""
    original = (REPO / "queries" / "indicator-values.rq").read_text(encoding="utf-8")
    edited = original.replace("  BIND (COALESCE(", "  FILTER (?value < 100)\n  BIND (COALESCE(", 1)
    assert edited != original
    project = _mini_with_table(mini, {"indicator-values": edited, "plain": original})
    built = build_project(project)
    store = open_store(built.out_dir / "store")
    written = [entry["query"] for entry in _manifest(built.out_dir).values()]
    assert written.count("indicator-values") == 1 and written.count("plain") > 1
    assert [n for n in built.notes if n.startswith("indicator-values:")] == [
        "indicator-values: only its defaults precomputed (no fast answer for this text, and "
        "running it for every indicator on the tables would take long); kg query runs it "
        "for the other values"
    ]
    edited_query = queries.find_query(project.queries_dir, "indicator-values")
    default = queries.bind(edited_query, {})
    served = answers.lookup(built.out_dir / "store", default)
    assert served is not None and served == queries.run_local(store, default)
    for name in ("indicator-values", "plain"):
        stored = queries.find_query(project.queries_dir, name)
        text = queries.bind(stored, {"indicator": "widgets"})
        served = answers.lookup(built.out_dir / "store", text)
        assert (served is None) == (name == "indicator-values")
        result = queries.run(name, {"indicator": "widgets"}, project=project, out_dir=built.out_dir)
        assert result == queries.run_local(store, text)
        values = sorted(row["value"].value for row in result.rows)
        assert ("300" in values) == (name == "plain"), values
    text = queries.bind(
        queries.find_query(project.queries_dir, "plain"), {"indicator": "widget-share"}
    )
    served = answers.lookup(built.out_dir / "store", text)
    assert served is not None and served == queries.run_local(store, text)
    assert {row["value"].value for row in served.rows} >= {"40", "12.5"}
    assert answerers.body_digest(edited) not in answerers.FAST
    assert answerers.body_digest(original) in answerers.FAST


def test_a_query_without_the_header_is_not_precomputed(mini: Project) -> None:
    text = (REPO / "queries" / "indicator-values.rq").read_text(encoding="utf-8")
    text = text.replace("#+ precomputed: indicator\n", "")
    built = build_project(_mini_with_table(mini, {"indicator-values": text}))
    assert not (built.out_dir / "store" / "answers").exists()


def test_the_repository_queries_have_their_fast_answerers() -> None:
    """An edit of one of these queries needs its answerer reviewed and its digest updated
    (answerers.FAST); without it the build would run the query once per value."""
    for name in OPTED:
        text = (REPO / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        assert answerers.body_digest(text) in answerers.FAST, name
        assert answerers.order_by(text) is not None, name


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ precomputed: area", "has no parameter 'area'"),
        ("#+ precomputed: text", "only an iri parameter named after a kind"),
    ],
)
def test_a_wrong_precomputed_header_is_an_input_error(
    tmp_path: Path, header: str, message: str
) -> None:
    path = tmp_path / "q.rq"
    path.write_text(
        f"{header}\nSELECT ?s WHERE {{ ?s ?p ?_indicator_iri . ?s ?q ?_text_string }}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=message):
        queries.load_query(path)


def test_a_construct_or_a_parameter_without_default_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ precomputed: defaults\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="only a SELECT"):
        queries.load_query(path)
    path.write_text(
        "#+ precomputed: defaults\nSELECT ?s WHERE { ?s ?p ?_area_iri }\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="parameter area has no default"):
        queries.load_query(path)


# -- The order the engine sorts by, mirrored ---------------------------------------------------


def _engine_order(terms: list[Term], as_string: bool) -> list[int]:
    values = " ".join(f"({t.ntriples()} {i})" for i, t in enumerate(terms))
    key = "STR(?x)" if as_string else "?x"
    found = pyoxigraph.Store().query(
        f"SELECT ?x ?i WHERE {{ VALUES (?x ?i) {{ {values} }} }} ORDER BY {key} ?i"
    )
    assert isinstance(found, pyoxigraph.QuerySolutions)
    return [int(row["i"].value) for row in found]


def _engine_terms(terms: list[Term]) -> list[Term]:
    """The terms as the engine gives them back (numbers in its canonical form: 3.0 -> 3)."""
    values = " ".join(f"({t.ntriples()} {i})" for i, t in enumerate(terms))
    found = pyoxigraph.Store().query(f"SELECT ?x ?i WHERE {{ VALUES (?x ?i) {{ {values} }} }}")
    assert isinstance(found, pyoxigraph.QuerySolutions)
    back = {int(row["i"].value): row["x"] for row in found}
    return [
        Term("literal", back[i].value, datatype=back[i].datatype.value) for i in range(len(terms))
    ]


def test_a_table_value_reads_as_the_engine_gives_it() -> None:
    """From statements.csv's digits to the term the engine answers for the graph's literal."""
    for raw in (
        "7",
        "007",
        "0",
        "-0",
        "-0.0",
        "12.50",
        "99.0",
        "0.000001",
        "-3.25",
        "1300000000000",
    ):
        for integer in (True, False):
            if integer and "." in raw:
                continue  # a decimal count: refused by the table reader
            graph = Term(
                "literal",
                value_lexical(Decimal(raw), integer),
                datatype=answerers.INTEGER if integer else answerers.DECIMAL,
            )
            (engine,) = _engine_terms([graph])
            assert answerers.value_term(format_value(Decimal(raw)), integer) == engine, raw
            info = answerers._number_info(format_value(Decimal(raw)), integer, False)
            assert info[0] == engine.ntriples()


def _mirrored_order(terms: list[Term], as_string: bool) -> list[int]:
    keys = [answerers.order_key(t, as_string)[0] for t in terms]
    return sorted(range(len(terms)), key=lambda i: (keys[i], i))


def _words(rng: random.Random, count: int) -> list[str]:
    chars = 'aAzZ09 -_,."\\\t\né中国e\u0301ÿ\U0001f600'
    return ["".join(rng.choice(chars) for _ in range(rng.randrange(0, 6))) for _ in range(count)]


def test_the_mirrored_order_is_the_engines() -> None:
    """For each kind of term an answer may be sorted by, Python's order is Oxigraph's."""
    rng = random.Random(19)
    words = _words(rng, 400)
    numbers = [
        rng.choice(
            [
                str(rng.randrange(-50, 50)),
                f"{rng.randrange(-5000, 5000) / 100}",
                str(rng.randrange(0, 10**15)),
                f"{rng.randrange(0, 10**15)}.5",
                "5",
                "5.0",
                "0.000001",
            ]
        )
        for _ in range(400)
    ]
    integer, decimal = answerers.INTEGER, answerers.DECIMAL
    kinds = {
        "iri": [
            Term("uri", f"http://example.org/{w.encode().hex()}{rng.choice(SAFE)}") for w in words
        ],
        "string": [Term("literal", w, datatype=XSD_STRING) for w in words],
        "lang": [Term("literal", w, datatype=answers.RDF_LANGSTRING, language="en") for w in words],
        "number": _engine_terms(
            [Term("literal", n, datatype=decimal if "." in n else integer) for n in numbers]
        ),
        "boolean": [
            Term("literal", rng.choice(["true", "false"]), datatype=answerers.BOOLEAN)
            for _ in range(50)
        ],
    }
    kinds["mixed, as STR"] = kinds["iri"][:100] + kinds["lang"][:100] + kinds["string"][:100]
    for name, terms in kinds.items():
        for as_string in (False, True) if name != "mixed, as STR" else (True,):
            assert _mirrored_order(terms, as_string) == _engine_order(terms, as_string), name


def test_terms_beyond_the_mirror_are_refused() -> None:
    for term in (
        Term("bnode", "b0"),
        Term("literal", "2021-01-01", datatype="http://www.w3.org/2001/XMLSchema#date"),
        Term("literal", str(2**64), datatype=answerers.INTEGER),
        Term("literal", "1." + "1" * 20, datatype=answerers.DECIMAL),
    ):
        with pytest.raises(answerers.Unordered):
            answerers.order_key(term, as_string=False)
    key, _ = answerers.order_key(Term("literal", "5.0", datatype=answerers.DECIMAL), False)
    assert key == (answerers.NUMBER, Decimal(5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o } ORDER BY ?s STR(?o)", [("s", False), ("o", True)]),
        ("SELECT * { ?s ?p ?o } order by asc(?s) ?p", [("s", False), ("p", False)]),
        ("SELECT * { ?s ?p ?o } ORDER BY DESC(?s)", None),
        ("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 10", None),
        ("SELECT * { ?s ?p ?o }", None),
        ('SELECT * { ?s ?p "} ORDER BY ?x" } ORDER BY ?s # ?p', [("s", False)]),
        ("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s } }", None),
    ],
)
def test_the_order_by_that_can_be_mirrored(
    text: str, expected: list[tuple[str, bool]] | None
) -> None:
    assert answerers.order_by(text) == expected


# -- Stored terms read back --------------------------------------------------------------------


def test_a_stored_cell_reads_back_as_the_term(tmp_path: Path) -> None:
    rng = random.Random(7)
    for word in [*_words(rng, 300), "", "\\", '"', "a\tb\nc\r", "\u2028"]:
        for term in (
            Term("literal", word, datatype=XSD_STRING),
            Term("literal", word, datatype=answers.RDF_LANGSTRING, language="zh"),
            Term("literal", word, datatype="http://example.org/type"),
        ):
            assert answers.parse_cell(term.ntriples()) == term
            assert answers.cell_value(term.ntriples()) == term.value
    for term in (Term("uri", "http://example.org/a"), Term("bnode", "b1")):
        assert answers.parse_cell(term.ntriples()) == term


def test_a_copied_store_keeps_its_answers(bench: Path, tmp_path: Path) -> None:
    """The answers live in store/: a copy of the build (its store with them) serves them."""
    copied = tmp_path / "out"
    shutil.copytree(bench, copied)
    text = queries.bind(queries.find_query(bench.parent / "queries", "indicator-values"), {})
    served = answers.lookup(copied / "store", text)
    assert served is not None and len(served.rows) > 1
    assert served == queries.run_local(open_store(copied / "store"), text)

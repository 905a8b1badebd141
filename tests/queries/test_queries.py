"""Every stored query with its expected answer, on the embedded store and over HTTP.

``expected/NAME.tsv`` (SELECT, SPARQL 1.1 TSV), ``expected/NAME.nt`` (CONSTRUCT, sorted
N-Triples) or ``expected/NAME.txt`` (ASK: true/false) is the answer with the query's default
parameters; ``expected/NAME--PARAM=VALUE.*`` with that parameter bound. After a deliberate
change of data or query, regenerate with ``KG_UPDATE_QUERIES=1`` and review the diff.

An expected answer is never empty (an equality test against nothing proves nothing, and a
query that has stopped matching would pass it). A quality check that finds nothing on the
curated data has its case in ``expected-mini/``, on the fictional project of
tests/fixtures/mini, and a test of its own that the curated data passes it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import (
    FIXTURES,
    REPO,
    WIKIDATA_SERVICE,
    copy_project,
    normalised_answer,
    query_case,
    query_cases,
)
from kg import queries
from kg.errors import InputError, RemoteError
from kg.pipeline import BuildResult, build_project
from kg.project import Project
from kg.store import open_store

QUERIES = REPO / "queries"
CASES = query_cases()
MINI_EXPECTED = Path(__file__).resolve().parent / "expected-mini"
MINI_CASES = sorted(p for p in MINI_EXPECTED.iterdir() if p.suffix in (".tsv", ".nt", ".txt"))
PASSING_CHECKS = ["quality-areas-without-wikidata"]  # nothing to find on the curated data


def answers_something(case: Path, text: str) -> bool:
    """A SELECT with a row, a CONSTRUCT with a triple, an ASK with true or false."""
    if case.suffix == ".txt":
        return text in ("true\n", "false\n")
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > (1 if case.suffix == ".tsv" else 0)


def _run(
    case: Path,
    endpoint: str | None,
    project: Project,
    built: BuildResult,
    request: pytest.FixtureRequest,
) -> str:
    name, params = query_case(case)
    stored = queries.find_query(project.queries_dir, name)
    text = queries.bind(stored, params)
    if WIKIDATA_SERVICE in text:  # a remote service: use the local stand-in in its place
        text = text.replace(WIKIDATA_SERVICE, f"<{request.getfixturevalue('wikidata_stand_in')}>")
    if endpoint:
        return normalised_answer(queries.run_remote(endpoint, text, stored.form, timeout=30))
    return normalised_answer(queries.run_local(open_store(built.out_dir / "store"), text))


def test_every_stored_query_has_an_expected_answer() -> None:
    answered = {query_case(c)[0] for c in CASES + MINI_CASES}
    stored = {q.name for q in queries.list_queries(QUERIES)}
    assert len(stored) >= 15
    assert stored - answered == set()


@pytest.mark.parametrize("case", CASES + MINI_CASES, ids=[c.name for c in CASES + MINI_CASES])
def test_no_expected_answer_is_empty(case: Path) -> None:
    assert answers_something(case, case.read_text(encoding="utf-8")), f"{case} answers nothing"


def test_every_ask_query_has_a_case_that_is_true() -> None:
    asks = {q.name for q in queries.list_queries(QUERIES) if q.form == "ASK"}
    true = {query_case(c)[0] for c in CASES if c.suffix == ".txt" and c.read_text() == "true\n"}
    assert asks and asks - true == set()


def test_empty_answers_are_caught() -> None:
    header_only = "?area\t?area_en\n"
    assert not answers_something(Path("x.tsv"), header_only)
    assert not answers_something(Path("x.nt"), "")
    assert answers_something(Path("x.tsv"), header_only + '<a:b>\t"B"@en\n')


def test_every_stored_query_has_a_summary_and_tags() -> None:
    for stored in queries.list_queries(QUERIES):
        assert stored.summary, stored.name
        assert stored.tags, stored.name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_expected_answer_on_the_embedded_store(
    case: Path, repo_project: Project, built: BuildResult, request: pytest.FixtureRequest
) -> None:
    answer = _run(case, None, repo_project, built, request)
    if os.environ.get("KG_UPDATE_QUERIES") == "1":
        case.write_text(answer, encoding="utf-8")
    expected = case.read_text(encoding="utf-8")
    assert answers_something(case, expected), f"{case} answers nothing: it proves nothing"
    assert answer == expected


@pytest.fixture(scope="module")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fictional project of tests/fixtures/mini, built once for this module."""
    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("mini") / "mini")
    return build_project(project)


@pytest.mark.parametrize("case", MINI_CASES, ids=[c.stem for c in MINI_CASES])
def test_expected_answer_on_the_fictional_project(
    case: Path, mini_built: BuildResult, request: pytest.FixtureRequest
) -> None:
    answer = _run(case, None, Project(REPO), mini_built, request)  # the repo's stored queries
    if os.environ.get("KG_UPDATE_QUERIES") == "1":
        case.write_text(answer, encoding="utf-8")
    expected = case.read_text(encoding="utf-8")
    assert answers_something(case, expected), f"{case} answers nothing: it proves nothing"
    assert answer == expected


@pytest.mark.parametrize("name", PASSING_CHECKS)
def test_the_curated_data_passes_the_quality_check(
    name: str, repo_project: Project, built: BuildResult
) -> None:
    stored = queries.find_query(repo_project.queries_dir, name)
    result = queries.run_local(open_store(built.out_dir / "store"), queries.bind(stored, {}))
    assert result.form == "SELECT" and result.rows == (), [dict(r) for r in result.rows]


@pytest.mark.server
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_expected_answer_over_http(
    case: Path,
    repo_project: Project,
    built: BuildResult,
    endpoint: str,
    request: pytest.FixtureRequest,
) -> None:
    assert _run(case, endpoint, repo_project, built, request) == case.read_text(encoding="utf-8")


# -- Parameters, errors ----------------------------------------------------------------------

HOSTILE = [
    '"} ; DROP ALL #',
    'x" . ?s ?p ?o . FILTER("',
    "}}}#",
    'a\\"b',
    "\n} INSERT DATA { <a:b> <a:c> <a:d> }",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_text_parameter_stays_a_string(
    value: str, repo_project: Project, built: BuildResult
) -> None:
    stored = queries.find_query(repo_project.queries_dir, "search-labels")
    text = queries.bind(stored, {"text": value})
    result = queries.run_local(open_store(built.out_dir / "store"), text)
    assert result.form == "SELECT" and result.rows == ()
    # The structure is the stored query's: only the string literal differs.
    assert text.count("{") == stored.text.count("{") + value.count("{")
    assert text.count("}") == stored.text.count("}") + value.count("}")


@pytest.mark.parametrize(
    "value", ["<a> } #", "henan> . ?s ?p ?o", "http://ex/a b", "javascript:{}", ""]
)
def test_a_hostile_iri_parameter_is_refused(value: str, repo_project: Project) -> None:
    stored = queries.find_query(repo_project.queries_dir, "area-statements")
    with pytest.raises(InputError, match="is not an IRI"):
        queries.bind(stored, {"area": value})


def test_parameters_take_ids_prefixed_names_and_iris(repo_project: Project) -> None:
    stored = queries.find_query(repo_project.queries_dir, "area-statements")
    for value in ("zhengzhou", "id:area/zhengzhou", "https://w3id.org/dckg/id/area/zhengzhou"):
        assert "<https://w3id.org/dckg/id/area/zhengzhou>" in queries.bind(stored, {"area": value})


def test_unknown_and_malformed_parameters(repo_project: Project) -> None:
    stored = queries.find_query(repo_project.queries_dir, "area-statements")
    with pytest.raises(InputError, match="has no parameter 'province'"):
        queries.bind(stored, {"province": "henan"})


def test_an_unknown_query_suggests_a_name(repo_project: Project) -> None:
    with pytest.raises(InputError, match="did you mean top10-lists"):
        queries.find_query(repo_project.queries_dir, "top10-list")


def test_a_syntax_error_names_the_line(tmp_path: Path, built: BuildResult) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("#+ summary: broken\nSELECT * WHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    stored = queries.load_query(broken)
    with pytest.raises(InputError, match=r"broken.rq: SPARQL syntax error: error at \d+:\d+"):
        queries.run_local(
            open_store(built.out_dir / "store"), queries.bind(stored, {}), origin=str(broken)
        )


def test_an_endpoint_that_is_down(free_port: int) -> None:
    with pytest.raises(RemoteError, match="cannot reach"):
        queries.run_remote(f"http://127.0.0.1:{free_port}/query", "ASK {}", "ASK", timeout=5)


@pytest.mark.server
def test_an_endpoint_that_answers_500(http_server: str) -> None:
    with pytest.raises(RemoteError, match="500"):
        queries.run_remote(f"{http_server}/status/500", "ASK {}", "ASK", timeout=5)


@pytest.mark.server
def test_an_endpoint_that_answers_html(http_server: str) -> None:
    with pytest.raises(RemoteError, match="did not answer with SPARQL JSON results"):
        queries.run_remote(f"{http_server}/html", "SELECT * {}", "SELECT", timeout=5)


@pytest.mark.server
def test_a_slow_endpoint_times_out(http_server: str) -> None:
    with pytest.raises(RemoteError, match=r"did not answer within|timed out"):
        queries.run_remote(f"{http_server}/slow", "SELECT * {}", "SELECT", timeout=1)

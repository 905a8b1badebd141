"""Hostile values cannot change a query; secrets stay secret; nothing is fetched or executed.

- parameter values and curated labels become SPARQL terms that mean exactly the value;
- a password (in KG_STORE_PASSWORD or in a URL) never reaches the output, the log or out/;
- ``kg serve`` binds 127.0.0.1 and runs Oxigraph read-only;
- a YAML file cannot run code; a hostile RDF file cannot make ``kg validate`` fetch a URL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import copy_built, pick_free_port, serving
from kg import link, queries
from kg.cli import main
from kg.errors import InputError, redact_url
from kg.pipeline import BuildResult
from kg.project import Project
from kg.vocab import PREFIXES

SECRET = "s3cret-Pa55"
HOSTILE = [
    '" } ; DROP ALL ; #',
    "'\" } INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    "end with a backslash \\",
    'quote """ three',
    "line\nbreak\rreturn\ttab",
    "> } <urn:evil",
    "“1+37” 🚀 数字中国，第一梯队！",
]


def _query(text: str, *parameters: queries.Parameter) -> queries.StoredQuery:
    return queries.StoredQuery(
        name="probe", path=Path("probe.rq"), text=text, summary="", parameters=parameters
    )


TEXT_QUERY = _query(
    "SELECT ?x WHERE { BIND(?_text AS ?x) }", queries.Parameter("_text", "text", "literal")
)
IRI_QUERY = _query(
    "SELECT ?x WHERE { BIND(?_thing_iri AS ?x) }", queries.Parameter("_thing_iri", "thing", "iri")
)


def _answer(text: str) -> pyoxigraph.Term:
    result = pyoxigraph.Store().query(text)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    rows = list(result)
    assert len(rows) == 1
    value = rows[0]["x"]
    assert value is not None
    return value


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
@example(HOSTILE[0])
@example(HOSTILE[1])
@example(HOSTILE[2])
@example(HOSTILE[3])
@example(HOSTILE[4])
@example(HOSTILE[6])
def test_a_text_parameter_means_exactly_its_value(value: str) -> None:
    bound = queries.bind(TEXT_QUERY, {"text": value})
    answer = _answer(bound)
    assert isinstance(answer, pyoxigraph.Literal) and answer.value == value


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=30), st.text(max_size=20).map(lambda t: "https://x.org/" + t)))
@example(HOSTILE[5])
@example("https://x.org/a\n")
@example("https://x.org/a> } ; DROP ALL ; #")
@example("dckg:Area")
def test_an_iri_parameter_is_refused_or_means_exactly_its_value(value: str) -> None:
    try:
        bound = queries.bind(IRI_QUERY, {"thing": value})
    except InputError:
        return
    prefix, _, local = value.partition(":")
    expected = PREFIXES[prefix] + local if prefix in PREFIXES else value  # id:area/x, dckg:y
    answer = _answer(bound)
    assert isinstance(answer, pyoxigraph.NamedNode) and answer.value == expected


def test_a_value_that_is_not_text_is_refused() -> None:
    """A byte that is not UTF-8 on the command line arrives as a lone surrogate."""
    with pytest.raises(InputError, match="not valid text"):
        queries.bind(TEXT_QUERY, {"text": "caf\udce9"})


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30), st.sampled_from([None, "en", "zh"]))
@example(HOSTILE[0], "zh")
@example(HOSTILE[4], None)
def test_a_label_sent_to_wikidata_means_exactly_itself(text: str, lang: str | None) -> None:
    answer = _answer(f"SELECT ?x WHERE {{ VALUES ?x {{ {link._literal(text, lang)} }} }}")
    assert isinstance(answer, pyoxigraph.Literal)
    assert answer.value == text and answer.language == lang


# ---------------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory, built_mini: BuildResult) -> Project:
    """A copy of the session's built mini project, with a stored query."""
    project = copy_built(built_mini, tmp_path_factory.mktemp("security") / "mini")
    project.queries_dir.mkdir(exist_ok=True)
    (project.queries_dir / "any.rq").write_text(
        "#+ summary: anything\nASK { ?s ?p ?o }\n", encoding="utf-8"
    )
    return project


def test_redact_url() -> None:
    assert (
        redact_url(f"http://dba:{SECRET}@127.0.0.1:8890/sparql")
        == "http://***@127.0.0.1:8890/sparql"
    )
    assert redact_url("http://127.0.0.1:8890/sparql?x=1") == "http://127.0.0.1:8890/sparql?x=1"


@pytest.mark.parametrize(
    "command",
    [
        ["load", "--dry-run", "--gsp", "{url}/store", "--sparql", "{url}/query"],
        [
            "load",
            "--user",
            "dba",
            "--gsp",
            "{url}/store",
            "--sparql",
            "{url}/query",
            "--retries",
            "0",
        ],
        ["query", "any", "--endpoint", "{url}/query", "--timeout", "2"],
        ["link", "--target", "wikidata", "--endpoint", "{url}/sparql", "--timeout", "2"],
    ],
    ids=["load-dry-run", "load", "query", "link"],
)
def test_a_password_is_never_shown_logged_or_written(
    command: list[str], built_mini: Project, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://dba:{SECRET}@127.0.0.1:{pick_free_port()}"
    args = [part.replace("{url}", url) for part in command]
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(
            main,
            ["--project", str(built_mini.root), *args],
            env={"KG_STORE_PASSWORD": SECRET},
            catch_exceptions=False,
        )
    assert result.exit_code in (0, 3), result.output
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    assert SECRET not in caplog.text
    for path in built_mini.root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# ---------------------------------------------------------------------------------------------
# kg serve, YAML, hostile RDF
# ---------------------------------------------------------------------------------------------


def test_serve_binds_loopback_and_read_only(
    built_mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.server

    started: list[list[str]] = []

    class Process:
        """A server that runs until waited for, then has exited with 0."""

        returncode: int | None = None
        stderr = None

        def __init__(self, args: list[str], **_: object) -> None:
            started.append(args)

        def poll(self) -> int | None:
            return self.returncode

        def wait(self, timeout: float | None = None) -> int:
            self.returncode = 0
            return 0

        def communicate(self) -> tuple[bytes, bytes]:
            return b"", b""

    monkeypatch.setattr(kg.server.subprocess, "Popen", Process)
    monkeypatch.setattr(kg.server, "wait_for_port", lambda *_, **__: None)
    result = CliRunner().invoke(
        main, ["--project", str(built_mini.root), "serve", "--port", "7999"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    (args,) = started
    assert "serve-read-only" in args
    assert args[args.index("--bind") + 1] == "127.0.0.1:7999"
    assert "http://127.0.0.1:7999/query" in result.output
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--bind" not in help_text and "--host" not in help_text


def test_yaml_cannot_run_code(mini: Project, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (mini.data_dir / "reference" / "evil.yaml").write_text(
        f'areas: !!python/object/apply:os.system ["touch {marker}"]\n'
        f'units: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--project", str(mini.root), "build"])
    assert result.exit_code == 2
    assert "YAML tag !!python/object/apply:os.system is not allowed" in result.output
    assert not marker.exists()


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = json.dumps({"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}})
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            return None

    with serving(Handler) as url:
        yield url, seen


ALPHA = "https://w3id.org/dckg/id/area/alpha"
HOSTILE_RDF = {  # file name: (content, with {url} for the recorder, expected exit code)
    "context.jsonld": ('{"@context": "{url}/context.jsonld", "@id": "ALPHA", "label": "A"}', 2),
    "import.jsonld": (
        '{"@context": {"@import": "{url}/context.jsonld"}, "@id": "ALPHA", "label": "A"}',
        2,
    ),
    "imports.ttl": (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:x> a owl:Ontology ; rdfs:label "x"@en, "x"@zh ; owl:imports <{url}/ontology.ttl> .\n',
        0,
    ),
    "entity.rdf": (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{url}/entity.txt">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
        '<rdf:Description rdf:about="ALPHA"><rdfs:label>&e;</rdfs:label></rdf:Description></rdf:RDF>\n',
        2,
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_RDF))
def test_a_hostile_rdf_file_fetches_nothing(
    name: str, recorder: tuple[str, list[str]], mini: Project, tmp_path: Path
) -> None:
    url, seen = recorder
    template, exit_code = HOSTILE_RDF[name]
    path = tmp_path / name
    path.write_text(template.replace("{url}", url).replace("ALPHA", ALPHA), encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(mini.root), "validate", str(path)])
    assert seen == [], f"kg validate fetched {seen}"
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output


def test_a_url_given_as_a_file_is_not_fetched(
    recorder: tuple[str, list[str]], mini: Project
) -> None:
    url, seen = recorder
    result = CliRunner().invoke(main, ["--project", str(mini.root), "validate", f"{url}/x.ttl"])
    assert result.exit_code == 2 and "no such file" in result.output
    assert seen == []


def test_graph_names_from_a_store_cannot_inject_an_update() -> None:
    """``kg load`` drops stale staging graphs that the store lists: only names of our own form."""
    from kg import load as loading

    class Store(loading.Client):
        def __init__(self) -> None:
            self.updates: list[str] = []

        def select(self, text: str) -> list[dict[str, str]]:
            return [
                {"g": "urn:dckg:staging:0123456789ab:0123456789ab"},
                {"g": "urn:dckg:staging:x> } ; DROP ALL ; #"},
                {"g": "urn:dckg:staging:x>\nCLEAR ALL"},
            ]

        def update(self, text: str) -> None:
            self.updates.append(text)

    store = Store()
    loading._drop_stale_staging(store, True)
    assert store.updates == ["DROP SILENT GRAPH <urn:dckg:staging:0123456789ab:0123456789ab>"]

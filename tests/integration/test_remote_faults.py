"""Every command that talks to a server fails clearly, with exit 3 and no traceback, and soon.

``kg query --endpoint``, ``kg load`` and ``kg link`` against: nothing listening, a server slower
than ``--timeout``, a response cut short, an answer that is not HTTP, SPARQL JSON that breaks
off, an HTML page instead of results, and an HTTP error.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from conftest import copy_built, pick_free_port
from kg.cli import main
from kg.pipeline import BuildResult
from kg.project import Project

pytestmark = pytest.mark.server

FAULTS = {
    # fault: (path on the misbehaving server, words the message must contain)
    "refused": (None, "cannot reach"),
    "slow": ("/slow", "1 s"),
    "truncated": ("/truncated", "cut its answer short"),
    "not-http": ("/garbage", "not HTTP"),
    "broken-json": ("/badjson", "SPARQL JSON results"),
    "html-page": ("/html", "SPARQL JSON results"),
    "http-500": ("/status/500", "500"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, built_mini: BuildResult) -> Project:
    """The mini project, built (kg load needs out/store), with one stored query."""
    project = copy_built(built_mini, tmp_path_factory.mktemp("faults") / "mini")
    project.queries_dir.mkdir(exist_ok=True)
    (project.queries_dir / "any.rq").write_text(
        "#+ summary: anything\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8"
    )
    return project


def _command(name: str, url: str, project: Project) -> list[str]:
    if name == "query":
        return ["query", "any", "--endpoint", url, "--timeout", "1"]
    if name == "load":
        return ["load", "--gsp", url, "--sparql", url, "--timeout", "1", "--retries", "0"]
    cache = project.root / ".kg-cache" / f"faults-{time.monotonic_ns()}"
    return [
        "link",
        "--target",
        "wikidata",
        "--endpoint",
        url,
        "--timeout",
        "1",
        "--cache",
        str(cache),
    ]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", ["query", "load", "link"])
def test_a_failing_server_is_a_clear_error(
    command: str, fault: str, project: Project, http_server: str
) -> None:
    path, words = FAULTS[fault]
    url = f"http://127.0.0.1:{pick_free_port()}/sparql" if path is None else http_server + path
    started = time.monotonic()
    result = CliRunner().invoke(
        main,
        ["--project", str(project.root), *_command(command, url, project)],
        catch_exceptions=False,
    )
    assert time.monotonic() - started < 15, "the command hung"
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: "), result.output
    assert words in result.output, result.output


def test_a_timeout_below_one_second_still_applies(project: Project, http_server: str) -> None:
    """SPARQLWrapper takes whole seconds, and 0 means "wait forever": 0.5 must not become 0."""
    slow = ["query", "any", "--endpoint", f"{http_server}/slow", "--timeout", "0.5"]
    result = CliRunner().invoke(
        main, ["--project", str(project.root), *slow], catch_exceptions=False
    )
    assert result.exit_code == 3 and "did not answer within 0.5 s" in result.output
    refused = CliRunner().invoke(
        main, ["--project", str(project.root), "query", "any", "--endpoint", "x", "--timeout", "0"]
    )
    assert refused.exit_code == 2 and "--timeout" in refused.output

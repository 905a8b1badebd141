"""An ``iri`` parameter that names nothing in the graph is the user's typo, not a "no".

``--param area=zhengzou`` once printed 0 rows and exited 0, and ``is-in-top10`` with a
misspelt dimension printed ``false``, exit 1, the answer of a real "no".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import serving
from kg.cli import main


@pytest.fixture(scope="module")
def project(linked_repo: Path) -> Path:
    return linked_repo


def _kg(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project), "query", *args])
    return result.exit_code, result.output


def _where(remote: bool, request: pytest.FixtureRequest) -> list[str]:
    """Options to run on the embedded store, or on a real Oxigraph server of the same build."""
    return ["--endpoint", request.getfixturevalue("endpoint")] if remote else []


@pytest.mark.parametrize("remote", [False, pytest.param(True, marks=pytest.mark.server)])
def test_a_misspelt_area_is_exit_2_with_did_you_mean(
    project: Path, remote: bool, request: pytest.FixtureRequest
) -> None:
    code, output = _kg(
        project,
        "area-statements",
        "--param",
        "area=zhengzou",
        *_where(remote, request),
    )
    assert code == 2, output
    assert "names nothing in the graph" in output
    assert "did you mean zhengzhou" in output


@pytest.mark.parametrize("remote", [False, pytest.param(True, marks=pytest.mark.server)])
def test_a_misspelt_dimension_is_not_a_false(
    project: Path, remote: bool, request: pytest.FixtureRequest
) -> None:
    code, output = _kg(
        project,
        "is-in-top10",
        "--param",
        "area=henan",
        "--param",
        "dimension=digital-econ",
        *_where(remote, request),
    )
    assert code == 2, output
    assert "did you mean digital-economy" in output
    assert "false" not in output.split()


def test_a_real_no_is_still_false_exit_1(project: Path) -> None:
    code, output = _kg(
        project, "is-in-top10", "--param", "area=henan", "--param", "dimension=digital-economy"
    )
    assert (code, output.strip()) == (1, "false")


def test_a_misspelt_parameter_name_gets_did_you_mean(project: Path) -> None:
    code, output = _kg(project, "area-statements", "--param", "arae=henan")
    assert code == 2, output
    assert "did you mean area" in output


@pytest.mark.server
def test_an_endpoint_that_refuses_the_check_warns_once_and_runs(project: Path) -> None:
    """A server that answers the query but refuses the ASK: one warning, then the answer."""
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs, urlsplit

    class AnswersSelectOnly(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode() if length else urlsplit(self.path).query
            text = parse_qs(form).get("query", [""])[0]
            if text.lstrip().upper().startswith("ASK") or "ASK {" in text:
                self.send_response(400)
                self.end_headers()
                return
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    with serving(AnswersSelectOnly) as url:
        code, output = _kg(project, "area-statements", "--param", "area=henan", "--endpoint", url)
    assert code == 0, output
    assert output.count("Warning") == 1
    assert "could not check" in output

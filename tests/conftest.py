"""Shared fixtures: the repository's own project, a tiny fictional one, and the source texts."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.pipeline import BuildResult, build_project
from kg.project import Project
from kg.queries import QueryResult, to_tsv

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_SOURCES = REPO.parent / "shared" / "sources"


def pytest_configure(config: pytest.Config) -> None:
    # A pytest-xdist worker starts with COLUMNS set to the controller's width (80 in a pipe),
    # and rich's consoles in kg.terminal would keep it from their import on: the tests that
    # give the CLI a width of their own (CliRunner's env) then see 80 columns. Each test
    # process starts as a plain one does, without it.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


SUMMARY = "dckg-summary"  # the user property of a line for the run's end summary
_summary_lines: list[str] = []


@pytest.fixture
def summary(record_property: Callable[[str, object], None]) -> Callable[[str], None]:
    """Say a line at the end of the run, under "dckg" in pytest's summary (the figures a test
    measures, such as the console blocks run): a report property, so that it reaches the
    terminal from a pytest-xdist worker too, where a print would be lost."""
    return lambda line: record_property(SUMMARY, line)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _summary_lines.extend(str(v) for k, v in report.user_properties if k == SUMMARY)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _summary_lines:
        terminalreporter.section("dckg")
        for line in sorted(_summary_lines):
            terminalreporter.write_line(line)


QUERY_EXPECTED = REPO / "tests" / "queries" / "expected"


def query_cases() -> list[Path]:
    """The expected answers of the stored queries (see tests/queries/test_queries.py)."""
    return sorted(p for p in QUERY_EXPECTED.iterdir() if p.suffix in (".tsv", ".nt", ".txt"))


def query_case(path: Path) -> tuple[str, dict[str, str]]:
    """``NAME--PARAM=VALUE.tsv`` -> (NAME, {PARAM: VALUE})."""
    name, *params = path.stem.split("--")
    return name, dict(p.split("=", 1) for p in params)


UNORDERED = {"dimensions": "; ", "people": "; ", "pages": " ", "links": " "}


def normalised_answer(result: QueryResult) -> str:
    """The answer as text that does not depend on row order or GROUP_CONCAT order."""
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    if result.form != "SELECT":
        return result.ntriples
    header, *rows = to_tsv(result).rstrip("\n").split("\n")
    columns = [c.lstrip("?") for c in header.split("\t")]
    fixed = []
    for row in rows:
        cells = row.split("\t")
        for index, column in enumerate(columns):
            separator = UNORDERED.get(column)
            literal = re.fullmatch(r'"(.*)"(@[A-Za-z-]+|\^\^<[^>]*>)?', cells[index])
            if separator and literal:
                parts = sorted(literal.group(1).split(separator))
                cells[index] = f'"{separator.join(parts)}"{literal.group(2) or ""}'
        fixed.append("\t".join(cells))
    return "\n".join([header, *sorted(fixed)]) + "\n"


def shared_sources() -> Path:
    """``../shared/sources``: present in CI (a failure there if missing), else the test skips."""
    if SHARED_SOURCES.is_dir():
        return SHARED_SOURCES
    if os.environ.get("CI") == "true":
        pytest.fail(f"{SHARED_SOURCES} is missing; CI must have ../shared beside the clone")
    pytest.skip(f"{SHARED_SOURCES} is not present (clone the project with ../shared beside it)")


def copy_project(source: Path, target: Path) -> Project:
    """A writable copy of a project folder, with the repository's ontology and shapes."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("out", ".out*"))
    if not (target / "ontology").exists():
        shutil.copytree(REPO / "ontology", target / "ontology")
    return Project(target)


TABLE_SIDECAR = """\
table:
  id: widget-census
  label: {en: Widget census, zh: 部件普查}
  source: test-report
  columns:
    area_code: code
    indicator: indicator
    period: year
    value: value
    unit: unit
    qualifier: {value: exact}
    kind: kind
"""


def with_table(project: Project, rows: list[tuple[str, ...]]) -> Path:
    """A bulk table (widget-census) in a copy of the mini project: its rows, in the columns
    code, indicator, year, value, unit, kind."""
    folder = project.data_dir / "tables"
    folder.mkdir(exist_ok=True)
    (folder / "widget-census.yaml").write_text(TABLE_SIDECAR, encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "indicator", "year", "value", "unit", "kind"])
    writer.writerows(rows)
    path = folder / "widget-census.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """The fictional project of tests/fixtures/mini, copied so a test may change it."""
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fictional project of tests/fixtures/mini, built once per test session (read only)."""
    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("built-mini") / "mini")
    return build_project(project)


@pytest.fixture(scope="session")
def built_news(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The mini project with a second fictional source (tests/fixtures/news), built once.

    The two sources give Testland's widgets for 2021 differently (a conflict) and claim the
    same top-10 list; the news gives Alpha's widgets for 2021 and as reported on its date.
    """
    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("built-news") / "mini")
    shutil.copy2(FIXTURES / "news" / "test-news.yaml", project.data_dir / "sources")
    return build_project(project)


def copy_built(built: BuildResult, target: Path) -> Project:
    """A writable copy of a built project, its out/ included: a second build saved."""
    shutil.copytree(built.out_dir.parent, target, symlinks=True)
    return Project(target)


@pytest.fixture
def mini_built(built_mini: BuildResult, tmp_path: Path) -> Project:
    """A writable copy of the mini project with its out/ (built once per session)."""
    return copy_built(built_mini, tmp_path / "mini")


@pytest.fixture(scope="session")
def repo_project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, repo_project: Project) -> BuildResult:
    """The repository's data, built once per test session into a temporary out/."""
    out = tmp_path_factory.mktemp("build") / "out"
    return build_project(repo_project, out_dir=out)


@pytest.fixture(scope="module")
def linked_repo(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's project seen through links, with the session's build as out/."""
    root = tmp_path_factory.mktemp("linked")
    for name in ("ontology", "queries", "data"):
        (root / name).symlink_to(REPO / name)
    (root / "out").symlink_to(built.out_dir)
    return root


@pytest.fixture(scope="session")
def endpoint(built: BuildResult) -> Iterator[str]:
    """A real ``oxigraph serve-read-only`` on the session's build, union default graph."""
    from kg.server import start_read_only, stop

    port = pick_free_port()
    process = start_read_only(built.out_dir / "store", port)
    try:
        yield f"http://127.0.0.1:{port}/query"
    finally:
        stop(process)


def pick_free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (free at the time it is chosen)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def free_port() -> int:
    return pick_free_port()


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def http_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that misbehaves on purpose.

    /status/CODE answers CODE; /html an HTML page with 200; /slow waits 3 s; /truncated
    promises 1000 bytes of SPARQL JSON, sends 30 and hangs up; /garbage answers something
    that is not HTTP; /badjson sends SPARQL JSON that breaks off (with a right length).
    """
    import time

    class Misbehaving(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length", 0) or 0)
            self.rfile.read(length)
            if self.path.startswith("/status/"):
                code = int(self.path.rsplit("/", 1)[-1])
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                if code == 429:
                    self.send_header("Retry-After", "7")
                self.end_headers()
                self.wfile.write(b"Internal error: the store is broken\n")
            elif self.path.startswith("/html"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body>Maintenance</body></html>")
            elif self.path.startswith("/slow"):
                time.sleep(3)
                self.send_response(200)
                self.end_headers()
            elif self.path.startswith("/truncated"):
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"head": {"vars": ["s"]}, "resu')
                self.close_connection = True
            elif self.path.startswith("/garbage"):
                self.wfile.write(b"SSH-2.0-OpenSSH_9.2\r\n")
                self.close_connection = True
            elif self.path.startswith("/badjson"):
                body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": '
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, *args: object) -> None:
            return None

    with serving(Misbehaving) as url:
        yield url


WIKIDATA_SERVICE = "<https://query.wikidata.org/sparql>"


@pytest.fixture(scope="session")
def wikidata_stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1 holding tests/fixtures/wikidata/stand-in.ttl."""
    import urllib.request

    from kg.server import start_oxigraph, stop

    folder = tmp_path_factory.mktemp("wikidata")
    port = pick_free_port()
    process = start_oxigraph(folder / "store", port, read_only=False)
    try:
        data = (FIXTURES / "wikidata" / "stand-in.ttl").read_bytes()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/store?default",
            data=data,
            method="POST",
            headers={"Content-Type": "text/turtle"},
        )
        with urllib.request.urlopen(request, timeout=30):
            pass
        yield f"http://127.0.0.1:{port}/query"
    finally:
        stop(process)

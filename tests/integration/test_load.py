"""`kg load` into real stores: Oxigraph (PyPI) and Virtuoso 7 (Debian), started here on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from proxy import Script, proxy
from stores import Store, oxigraph, restart_oxigraph, virtuoso

from conftest import (
    FIXTURES,
    REPO,
    WIKIDATA_SERVICE,
    copy_built,
    copy_project,
    normalised_answer,
    query_case,
    query_cases,
)
from kg import load as loading
from kg import queries
from kg.cli import main
from kg.errors import ProblemFound, RemoteError
from kg.pipeline import BuildResult, build_project
from kg.store import open_store

pytestmark = pytest.mark.server

from conftest import QUERY_EXPECTED as EXPECTED  # noqa: E402


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "oxigraph":
        with oxigraph(tmp_path / "oxigraph") as (started, _process):
            yield started
    else:
        with virtuoso(tmp_path / "virtuoso", password="load-test-secret") as started:
            yield started


def target(store: Store, **changes: object) -> loading.Target:
    values: dict[str, object] = dict(
        gsp=store.gsp,
        sparql=store.sparql,
        update=store.update,
        user=store.user,
        password=store.password,
        auth=store.auth or "digest",
        timeout=30.0,
        backoff=0.05,
    )
    values.update(changes)
    return loading.Target(**values)  # type: ignore[arg-type]


def counts(store: Store, graphs: list[str]) -> dict[str, int]:
    client = loading.Client(target(store))
    return {g: client.count(g) for g in graphs}


def test_load_counts_and_a_stored_query_answers_as_on_the_embedded_store(
    store: Store, built: BuildResult
) -> None:
    path = built.out_dir / "store"
    report = loading.load(path, target(store))
    plans = {g.name: g.triples for g in loading.plan(path)}
    assert {g.name: g.count_after for g in report.graphs} == plans
    assert counts(store, list(plans)) == plans
    query = queries.load_query(REPO / "queries" / "top10-frequency.rq")
    remote = queries.run_remote(store.sparql, queries.bind(query, {}), query.form, timeout=30)
    local = queries.run_local(open_store(path), queries.bind(query, {}))
    expected = (EXPECTED / "top10-frequency.tsv").read_text(encoding="utf-8")
    assert normalised_answer(remote) == normalised_answer(local) == expected


def _mini_build(tmp_path: Path, name: str, drop: str | None = None) -> Path:
    project = copy_project(FIXTURES / "mini", tmp_path / name)
    if drop:
        report = project.data_dir / "sources" / "test-report.yaml"
        text = report.read_text(encoding="utf-8")
        start = text.index(f"  - id: {drop}\n")
        end = text.find("\n  - id:", start + 1)
        report.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    build_project(project)
    return project.out_dir / "store"


def test_reload_with_a_changed_source_replaces_only_that_graph(
    store: Store, tmp_path: Path, built_mini: BuildResult
) -> None:
    first = copy_built(built_mini, tmp_path / "v1").build().store
    second = _mini_build(tmp_path, "v2", drop="widget-share-2021")
    loading.load(first, target(store))
    before = {g.name: g.triples for g in loading.plan(first)}
    after = {g.name: g.triples for g in loading.plan(second)}
    source_graph = "https://w3id.org/dckg/graph/source/test-report"
    assert after[source_graph] < before[source_graph]
    loading.load(second, target(store))
    assert counts(store, list(after)) == after
    # The statement that was removed is gone; the other graphs did not change.
    client = loading.Client(target(store))
    gone = client.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> ?p ?o } }"
    )
    assert gone[0]["n"] == "0"
    assert all(after[g] == before[g] for g in after if g != source_graph)


def test_replace_is_atomic_for_a_reader_of_the_graph(
    store: Store, tmp_path: Path, built_mini: BuildResult
) -> None:
    first = copy_built(built_mini, tmp_path / "v1").build().store
    second = _mini_build(tmp_path, "v2", drop="widget-share-2021")
    graph = "https://w3id.org/dckg/graph/reference"
    source_graph = "https://w3id.org/dckg/graph/source/test-report"
    loading.load(first, target(store))
    old, new = (
        counts(store, [source_graph])[source_graph],
        next(g.triples for g in loading.plan(second) if g.name == source_graph),
    )
    assert old != new
    seen: set[int] = set()
    done = threading.Event()

    def reader() -> None:
        client = loading.Client(target(store))
        while not done.is_set():
            seen.add(client.count(source_graph))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        loading.load(second, target(store), chunk_size=7)  # many small uploads
        loading.load(first, target(store), chunk_size=7)
    finally:
        done.set()
        thread.join()
    assert seen <= {old, new}, f"a reader saw {sorted(seen)}; only {old} or {new} are allowed"
    assert len(seen) >= 1
    assert counts(store, [graph])[graph] > 0


def test_killed_server_mid_upload_keeps_the_previous_graph(
    tmp_path: Path, built_mini: BuildResult
) -> None:
    first = copy_built(built_mini, tmp_path / "v1").build().store
    second = _mini_build(tmp_path, "v2", drop="widget-share-2021")
    source_graph = "https://w3id.org/dckg/graph/source/test-report"
    with oxigraph(tmp_path / "oxigraph") as (store, process):
        loading.load(first, target(store))
        old = counts(store, [source_graph])[source_graph]
        killed = threading.Event()

        def kill_midway(graph: str, done: int, total: int) -> None:
            if graph == source_graph and 0 < done < total and not killed.is_set():
                process.kill()
                process.wait()
                killed.set()

        with pytest.raises(RemoteError, match="cannot reach"):
            loading.load(second, target(store, retries=1), chunk_size=5, progress=kill_midway)
        assert killed.is_set()
        if process.stderr is not None:
            process.stderr.close()
        restarted = restart_oxigraph(store)
        try:
            assert counts(store, [source_graph])[source_graph] == old
            loading.load(second, target(store))  # and the next load cleans the stale staging graph
            client = loading.Client(target(store))
            staging = client.select(
                'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), "urn:dckg:staging:")) }'
            )
            assert staging == []
        finally:
            from kg.server import stop

            stop(restarted)


def test_transient_503_is_retried(tmp_path: Path, built_mini: BuildResult) -> None:
    path = copy_built(built_mini, tmp_path / "v1").build().store
    with oxigraph(tmp_path / "oxigraph") as (store, _process):
        script = Script(upstream=f"http://127.0.0.1:{store.port}", fail_first=2, status=503)
        with proxy(script) as url:
            sleeps: list[float] = []
            client = loading.Client(
                loading.Target(
                    gsp=f"{url}/store", sparql=f"{url}/query", update=f"{url}/update", backoff=0.01
                ),
                sleep=sleeps.append,
            )
            report = loading.load(path, client.target, client=client)
        assert report.triples == sum(g.triples for g in loading.plan(path))
        assert sleeps == [0.01, 0.02]  # two failures, exponential backoff, then success


def test_401_stops_at_once_without_the_password(tmp_path: Path, built_mini: BuildResult) -> None:
    path = copy_built(built_mini, tmp_path / "v1").build().store
    with oxigraph(tmp_path / "oxigraph") as (store, _process):
        script = Script(upstream=f"http://127.0.0.1:{store.port}", fail_first=1000, status=401)
        with proxy(script) as url:
            secret = "do-not-print-me"
            with pytest.raises(RemoteError) as caught:
                loading.load(
                    path,
                    loading.Target(
                        gsp=f"{url}/store",
                        sparql=f"{url}/query",
                        user="someone",
                        password=secret,
                        auth="basic",
                        backoff=0.01,
                    ),
                )
        assert "refused the credentials (HTTP 401)" in str(caught.value)
        assert secret not in str(caught.value)
        assert script.requests == 1


def test_wrong_password_on_virtuoso(tmp_path: Path, built: BuildResult) -> None:
    with virtuoso(tmp_path / "virtuoso", password="right-secret") as store:
        runner = CliRunner()
        result = runner.invoke(
            main,
            [
                "load",
                "--out",
                str(built.out_dir),
                "--gsp",
                store.gsp,
                "--sparql",
                store.sparql,
                "--update",
                store.update,
                "--user",
                "dba",
                "--auth",
                "digest",
            ],
            env={"KG_STORE_PASSWORD": "wrong-secret"},
        )
        assert result.exit_code == 3
        assert "refused the credentials" in result.output
        assert "wrong-secret" not in result.output and "right-secret" not in result.output


def test_nothing_listens(free_port: int, built: BuildResult) -> None:
    url = f"http://127.0.0.1:{free_port}"
    with pytest.raises(RemoteError, match=r"cannot reach .* after 3 attempts"):
        loading.load(
            built.out_dir / "store",
            loading.Target(gsp=f"{url}/store", sparql=f"{url}/query", retries=2, backoff=0.01),
        )


def test_count_mismatch_is_a_problem_found(tmp_path: Path, built_mini: BuildResult) -> None:
    """A store that drops triples is caught by the count check (exit 1), and nothing is switched."""
    path = copy_built(built_mini, tmp_path / "v1").build().store
    with oxigraph(tmp_path / "oxigraph") as (store, _process):

        class Lossy(loading.Client):
            def post_ntriples(self, graph: str, data: bytes) -> None:
                super().post_ntriples(graph, b"\n".join(data.splitlines()[1:]) + b"\n")

        client = Lossy(target(store))
        with pytest.raises(ProblemFound, match="the graph was not replaced"):
            loading.load(path, client.target, client=client)
        assert counts(store, ["https://w3id.org/dckg/graph/reference"]) == {
            "https://w3id.org/dckg/graph/reference": 0
        }


def test_dry_run_sends_nothing(built: BuildResult, free_port: int) -> None:
    result = CliRunner().invoke(
        main,
        [
            "load",
            "--out",
            str(built.out_dir),
            "--gsp",
            f"http://127.0.0.1:{free_port}/store",
            "--sparql",
            f"http://127.0.0.1:{free_port}/query",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "nothing is sent" in result.output
    assert (
        f"Would send {built.quads} triples to http://127.0.0.1:{free_port}/store, switch each in"
        in result.output
    )
    # No --update: it says where it will look before sending anything.
    assert "no --update given" in result.output
    assert f"http://127.0.0.1:{free_port}/update" in result.output


def test_cli_load_prints_a_summary(tmp_path: Path, built: BuildResult) -> None:
    with oxigraph(tmp_path / "oxigraph") as (store, _process):
        result = CliRunner().invoke(
            main,
            [
                "load",
                "--out",
                str(built.out_dir),
                "--gsp",
                store.gsp,
                "--sparql",
                store.sparql,
                "--update",
                store.update,
            ],
        )
    assert result.exit_code == 0, result.output
    assert f"{built.quads} triples" in result.output and "the store's counts match" in result.output


def test_every_stored_query_answers_the_same_after_kg_load_into_oxigraph(
    tmp_path: Path, built: BuildResult, wikidata_stand_in: str
) -> None:
    """Named graphs as kg load writes them + the union default graph = the embedded store's answers."""
    with oxigraph(tmp_path / "oxigraph") as (store, _process):
        loading.load(built.out_dir / "store", target(store))
        for case in query_cases():
            name, params = query_case(case)
            query = queries.load_query(REPO / "queries" / f"{name}.rq")
            text = queries.bind(query, params).replace(WIKIDATA_SERVICE, f"<{wikidata_stand_in}>")
            answer = queries.run_remote(store.sparql, text, query.form, timeout=30)
            assert normalised_answer(answer) == case.read_text(encoding="utf-8"), case.name


def test_no_transaction_uploads_into_oxigraph_count_and_switch(
    tmp_path: Path, built_mini: BuildResult
) -> None:
    """Oxigraph's no_transaction mode: the same counts, chunk after chunk into the staging graph."""
    store_path = copy_built(built_mini, tmp_path / "v1").build().store
    seen: list[str] = []
    with oxigraph(tmp_path / "oxigraph") as (started, _process):
        client = loading.Client(target(started, no_transaction=True))
        real = client.request

        def recording(method: str, url: str, *args: object, **kwargs: object) -> bytes:
            seen.append(url)
            return real(method, url, *args, **kwargs)  # type: ignore[arg-type]

        client.request = recording  # type: ignore[method-assign]
        report = loading.load(store_path, target(started), chunk_size=7, client=client)
        want = {g.name: g.triples for g in loading.plan(store_path)}
        assert counts(started, list(want)) == want
    assert report.triples == sum(want.values())
    uploads = [url for url in seen if "graph=" in url]
    assert len(uploads) > len(want) and all("&no_transaction" in url for url in uploads)


def test_load_without_update_finds_the_stores_update_endpoint(store: Store, tmp_path: Path) -> None:
    """Oxigraph's /update beside /query, Virtuoso's /sparql-auth beside /sparql: found, not guessed wrong."""
    out = _mini_build(tmp_path, "found")
    report = loading.load(out, target(store, update=None))
    assert report.triples == sum(g.count_after for g in report.graphs) > 0


def test_load_refuses_before_sending_when_no_update_endpoint_answers(
    tmp_path: Path, built: BuildResult
) -> None:
    """A store whose endpoints take no SPARQL Update: exit 2 with a hint, and nothing uploaded."""
    with oxigraph(tmp_path / "oxigraph") as (store, _process):
        result = CliRunner().invoke(
            main,
            [
                "load",
                "--out",
                str(built.out_dir),
                "--gsp",
                store.gsp,
                "--sparql",
                store.sparql,
                "--update",
                store.sparql,  # the query endpoint: Oxigraph refuses updates there
            ],
        )
        assert result.exit_code == 2, result.output
        assert "does not take SPARQL Update" in result.output
        assert "--update" in result.output
        names = loading.Client(target(store)).select("SELECT ?g WHERE { GRAPH ?g { } }")
        assert names == []

"""``kg load``: publish the built graph into any SPARQL 1.1 triplestore, one named graph per source.

Only the SPARQL 1.1 Graph Store HTTP Protocol (to upload) and the SPARQL 1.1 Protocol (to
count, and to switch a graph in) are used; nothing assumes a vendor.

Replacing a graph is atomic for readers of that graph: the new content is uploaded, in
chunks, into a staging graph (``urn:dckg:staging:…``), counted there, and switched in with
one SPARQL Update request, ``MOVE SILENT GRAPH <staging> TO GRAPH <target>``, which the store
runs as one transaction (Oxigraph; Virtuoso). Readers of the target graph see the old graph
or the new one. A load that fails or is killed before the switch leaves the target as it
was; the next load removes the stale staging graph. Caveat: while it is being uploaded, the
staging graph is part of a store's union default graph.

Transient failures (refused connection, 502/503/504, timeouts) are retried with exponential
backoff, a bounded number of times; 400/401/403 stop at once with what to check.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import itertools
import re
import secrets
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.errors import InputError, ProblemFound, RemoteError, network_failure, redact_url
from kg.store import open_store

STAGING_PREFIX = "urn:dckg:staging:"
STAGING_NAME = re.compile(r"urn:dckg:staging:[0-9a-f]{12}:[0-9a-f]{12}")  # see staging_graph()
TRANSIENT_STATUS = (502, 503, 504)
USER_AGENT = "dckg-load/0.1"


NOT_AN_UPDATE_ENDPOINT = (400, 404, 405, 415)  # answers of an endpoint that takes no update


class Refused(Exception):
    """An HTTP status the caller asked to handle itself (see Client.request)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(status)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """Where to publish: the store's endpoints and credentials (the password never printed)."""

    gsp: str
    sparql: str
    update: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"  # basic | digest
    timeout: float = 120.0
    retries: int = 5
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    no_transaction: bool = False  # Oxigraph's ?no_transaction on uploads: 3-4x faster


@dataclass(frozen=True)
class GraphPlan:
    name: str
    triples: int


@dataclass(frozen=True)
class GraphLoaded:
    name: str
    triples: int
    seconds: float
    count_after: int


@dataclass(frozen=True)
class LoadReport:
    graphs: tuple[GraphLoaded, ...]
    triples: int
    seconds: float

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[str, int, int], None]  # graph, triples sent so far, triples in the graph


def _quiet(_graph: str, _done: int, _total: int) -> None:
    return None


# ---------------------------------------------------------------------------------------------
# HTTP with authentication and retries
# ---------------------------------------------------------------------------------------------


class Client:
    """A small HTTP client for one store: auth, bounded retries, errors mapped to RemoteError."""

    def __init__(self, target: Target, sleep: Callable[[float], None] = time.sleep) -> None:
        self.target = target
        self.sleep = sleep
        handlers: list[urllib.request.BaseHandler] = []
        if target.user is not None:
            if target.password is None:
                raise InputError(
                    f"--user {target.user} needs a password in the environment variable KG_STORE_PASSWORD",
                    hint="export KG_STORE_PASSWORD=... (it is never read from the command line)",
                )
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (target.gsp, target.sparql, *update_candidates(target)):
                manager.add_password(None, url, target.user, target.password)
            if target.auth == "basic":
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
            else:
                handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self.opener = urllib.request.build_opener(*handlers)
        self.update_url = target.update or target.sparql

    def find_update_endpoint(self) -> str:
        """The first candidate that takes a no-op SPARQL Update; InputError when none does.

        Run before anything is uploaded, so a store without a usable update endpoint costs
        the user one request, not a whole upload that fails at the switch. A candidate that
        answers 400, 404, 405 or 415 does not take updates; any other failure is the
        store's, told as for every request (retries, credentials, exit 3).
        """
        refused: list[str] = []
        body = urllib.parse.urlencode({"update": "INSERT DATA { }"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for url in update_candidates(self.target):
            try:
                self.request(
                    "POST",
                    url,
                    body,
                    headers,
                    "looking for the SPARQL Update endpoint",
                    refusals=NOT_AN_UPDATE_ENDPOINT,
                )
            except Refused as refusal:
                refused.append(f"{_origin(url)} (HTTP {refusal.status}{refusal.detail})")
                continue
            self.update_url = url
            return url
        raise InputError(
            "no SPARQL Update endpoint, so no graph can be switched in: "
            + "; ".join(f"{item} does not take SPARQL Update" for item in refused),
            hint="pass the store's update endpoint with --update URL "
            "(Oxigraph: .../update; Virtuoso: .../sparql-auth)",
        )

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        what: str,
        *,
        refusals: tuple[int, ...] = (),
    ) -> bytes:
        """Send a request; retry transient failures; RemoteError on anything else.

        A status in ``refusals`` raises :class:`Refused` instead, for the caller to decide.
        """
        headers = {"User-Agent": USER_AGENT, **headers}
        delay = self.target.backoff
        for attempt in range(self.target.retries + 1):
            last = attempt == self.target.retries
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with self.opener.open(request, timeout=self.target.timeout) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                detail = _first_line(exc)
                exc.close()  # an HTTPError holds the connection open
                if exc.code in refusals:
                    raise Refused(exc.code, detail) from None
                if exc.code in (401, 403):
                    raise RemoteError(
                        f"{what}: the store refused the credentials (HTTP {exc.code}) at {_origin(url)}",
                        hint="check --user, --auth (basic or digest) and the password in KG_STORE_PASSWORD",
                    ) from None
                if exc.code in TRANSIENT_STATUS and not last:
                    self.sleep(delay)
                    delay *= 2
                    continue
                raise RemoteError(
                    f"{what}: HTTP {exc.code} {exc.reason} from {_origin(url)}{detail}"
                ) from None
            except (OSError, http.client.HTTPException) as exc:  # URLError is an OSError
                if not last:
                    self.sleep(delay)
                    delay *= 2
                    continue
                message, hint = network_failure(_origin(url), exc, self.target.timeout)
                raise RemoteError(
                    f"{what}: {message}, after {self.target.retries + 1} attempts", hint=hint
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- the three operations kg load needs ----------------------------------------------

    def post_ntriples(self, graph: str, data: bytes) -> None:
        params = {"graph": graph}
        if self.target.no_transaction:  # Oxigraph: a flag without a value (see its server docs)
            params["no_transaction"] = ""
        url = _with_query(self.target.gsp, params)
        self.request(
            "POST", url, data, {"Content-Type": "application/n-triples"}, f"uploading into {graph}"
        )

    def update(self, text: str) -> None:
        endpoint = self.update_url
        body = urllib.parse.urlencode({"update": text}).encode()
        self.request(
            "POST",
            endpoint,
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
            "SPARQL Update",
        )

    def select(self, text: str) -> list[dict[str, str]]:
        import json

        body = urllib.parse.urlencode({"query": text}).encode()
        raw = self.request(
            "POST",
            self.target.sparql,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
            "SPARQL query",
        )
        try:
            document = json.loads(raw)
            return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]
        except (ValueError, KeyError, TypeError):
            start = raw[:80].decode("utf-8", "replace")
            raise RemoteError(
                f"{redact_url(self.target.sparql)} did not answer with SPARQL JSON results (starts {start!r})",
                hint="is --sparql the store's query endpoint?",
            ) from None

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]) if rows else 0


def update_candidates(target: Target) -> list[str]:
    """Where the store's SPARQL Update endpoint may be: ``--update``, else beside ``--sparql``.

    Stores put it next to the query endpoint under their own name: Oxigraph and Fuseki
    ``.../update`` beside ``.../query``, Virtuoso ``/sparql-auth`` beside ``/sparql``; some
    take updates at the query endpoint itself, which is tried last.
    """
    if target.update:
        return [target.update]
    parts = urllib.parse.urlsplit(target.sparql)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    siblings = {"query": f"{head}/update", "sparql": f"{path}-auth"}
    found = [parts._replace(path=siblings[last]).geturl()] if last in siblings else []
    return [*found, target.sparql]


def _first_line(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(400).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f": {text.splitlines()[0]}" if text else ""


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return (
        f"{parts.scheme}://{parts.hostname}:{parts.port}{parts.path}"
        if parts.port
        else f"{parts.scheme}://{parts.hostname}{parts.path}"
    )


def _with_query(url: str, params: dict[str, str]) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}{urllib.parse.urlencode(params)}"


# ---------------------------------------------------------------------------------------------
# What to load
# ---------------------------------------------------------------------------------------------


def plan(store_path: Path) -> list[GraphPlan]:
    """The named graphs of the built store and their triple counts, in IRI order."""
    store = open_store(store_path)
    counts = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )  # counted by the store, not by Python: a table's graph has millions of triples
    assert isinstance(counts, pyoxigraph.QuerySolutions)
    found = {
        row["g"].value: int(row["n"].value)
        for row in counts
        if isinstance(row["g"], pyoxigraph.NamedNode)
    }
    return [GraphPlan(name, found[name]) for name in sorted(found)]


def chunks(store_path: Path, graph: str, size: int) -> Iterator[tuple[bytes, int]]:
    """The graph's triples as N-Triples, ``size`` triples a chunk: (bytes, triples).

    The store dumps the graph to a temporary file (in Rust, one line a triple), which is then
    read ``size`` lines at a time: memory holds one chunk, whatever the graph's size.
    """
    store = open_store(store_path)
    with tempfile.TemporaryFile() as dumped:
        store.dump(
            dumped, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(graph)
        )
        dumped.seek(0)
        while lines := list(itertools.islice(dumped, size)):
            yield b"".join(lines), len(lines)


def staging_graph(graph: str) -> str:
    return (
        f"{STAGING_PREFIX}{hashlib.sha256(graph.encode()).hexdigest()[:12]}:{secrets.token_hex(6)}"
    )


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def load(
    store_path: Path,
    target: Target,
    *,
    replace: bool = True,
    chunk_size: int = 100_000,
    progress: Progress = _quiet,
    client: Client | None = None,
) -> LoadReport:
    """Publish every named graph of the built store into ``target``; ProblemFound on a wrong count."""
    if chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    http = client or Client(target)
    graphs = plan(store_path)
    started = time.perf_counter()
    if replace:
        http.find_update_endpoint()
    _drop_stale_staging(http, replace)
    loaded = []
    for graph in graphs:
        began = time.perf_counter()
        if replace:
            count = _replace_graph(http, store_path, graph, chunk_size, progress)
        else:
            count = _append_graph(http, store_path, graph, chunk_size, progress)
        loaded.append(GraphLoaded(graph.name, graph.triples, time.perf_counter() - began, count))
    return LoadReport(tuple(loaded), sum(g.triples for g in graphs), time.perf_counter() - started)


def _upload(
    http: Client, store_path: Path, into: str, graph: GraphPlan, size: int, progress: Progress
) -> None:
    sent = 0
    progress(graph.name, 0, graph.triples)
    for data, triples in chunks(store_path, graph.name, size):
        http.post_ntriples(into, data)
        sent += triples
        progress(graph.name, sent, graph.triples)


def _replace_graph(
    http: Client, store_path: Path, graph: GraphPlan, size: int, progress: Progress
) -> int:
    staging = staging_graph(graph.name)
    try:
        _upload(http, store_path, staging, graph, size, progress)
        staged = http.count(staging)
        if staged != graph.triples:
            raise ProblemFound(
                f"{graph.name}: the store holds {staged} triples of the {graph.triples} sent; "
                "the graph was not replaced",
                hint="check the store's log; a store that rewrites literals can merge triples",
            )
        http.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph.name}>")
    except BaseException:
        with contextlib.suppress(Exception):
            http.update(f"DROP SILENT GRAPH <{staging}>")
        raise
    after = http.count(graph.name)
    if after != graph.triples:
        raise ProblemFound(f"{graph.name}: {after} triples after the switch, {graph.triples} sent")
    return after


def _append_graph(
    http: Client, store_path: Path, graph: GraphPlan, size: int, progress: Progress
) -> int:
    before = http.count(graph.name)
    _upload(http, store_path, graph.name, graph, size, progress)
    after = http.count(graph.name)
    if after < max(before, graph.triples):
        raise ProblemFound(
            f"{graph.name}: {after} triples after appending {graph.triples} to {before}"
        )
    return after


def _drop_stale_staging(http: Client, replace: bool) -> None:
    """Remove staging graphs that a killed load left behind."""
    if not replace:
        return
    # GRAPH ?g {} lists the named graphs without reading their triples.
    rows = http.select(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER (STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
    )
    for row in rows:
        if STAGING_NAME.fullmatch(row.get("g", "")):  # a name from the store goes into an update
            http.update(f"DROP SILENT GRAPH <{row['g']}>")

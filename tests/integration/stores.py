"""Real triplestores for integration tests, started on free ports of 127.0.0.1 and stopped.

- Oxigraph: ``oxigraph serve`` from the PyPI package (writable, union default graph).
- Virtuoso 7: Debian's ``virtuoso-opensource``, with a throw-away database folder and an ini
  file whose paths and ports point into it. Missing Virtuoso skips the test with how to
  install it; in CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import pick_free_port
from kg.server import start_oxigraph, stop, wait_for_port

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_DB = "/var/lib/virtuoso-opensource-7/db"


@dataclass(frozen=True)
class Store:
    name: str
    gsp: str
    sparql: str
    update: str
    user: str | None = None
    password: str | None = None
    auth: str | None = None
    location: Path | None = None
    port: int = 0


@contextmanager
def oxigraph(folder: Path) -> Iterator[tuple[Store, subprocess.Popen[bytes]]]:
    port = pick_free_port()
    process = start_oxigraph(folder, port, read_only=False)
    try:
        base = f"http://127.0.0.1:{port}"
        yield (
            Store(
                "oxigraph",
                f"{base}/store",
                f"{base}/query",
                f"{base}/update",
                location=folder,
                port=port,
            ),
            process,
        )
    finally:
        stop(process)


def restart_oxigraph(store: Store) -> subprocess.Popen[bytes]:
    """Start ``oxigraph serve`` again on the same folder and port (after a kill)."""
    assert store.location is not None
    return start_oxigraph(store.location, store.port, read_only=False)


def need_virtuoso() -> str:
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        message = "Virtuoso 7 is not installed: sudo apt-get install virtuoso-opensource"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI installs it in .ci/run)")
        pytest.skip(message)
    return binary


@contextmanager
def virtuoso(folder: Path, password: str = "dba") -> Iterator[Store]:
    """A throw-away Virtuoso: its own ini, database folder and ports; dba's password set."""
    binary = need_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    isql_port, http_port = pick_free_port(), pick_free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace(VIRTUOSO_DB, str(folder))
    ini = re.sub(r"(?m)^ServerPort(\s*)= 1111$", rf"ServerPort\g<1>= {isql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)= 8890$", rf"ServerPort\g<1>= {http_port}", ini)
    ini = ini.replace("localhost:8890", f"127.0.0.1:{http_port}")
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    log = open(folder / "server.out", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [binary, "-c", "virtuoso.ini", "+foreground"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(http_port, timeout=60, process=process)
        _isql(isql_port, "dba", f"USER_CHANGE_PASSWORD('dba','dba','{password}');")
        base = f"http://127.0.0.1:{http_port}"
        yield Store(
            "virtuoso",
            gsp=f"{base}/sparql-graph-crud-auth",
            sparql=f"{base}/sparql",
            update=f"{base}/sparql-auth",
            user="dba",
            password=password,
            auth="digest",
            location=folder,
            port=http_port,
        )
    finally:
        stop(process, timeout=30)  # Virtuoso checkpoints on SIGTERM
        log.close()


def _isql(port: int, password: str, statement: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        result = subprocess.run(
            ["isql-vt", str(port), "dba", password, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode == 0 and "Error" not in result.stdout:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"isql failed: {result.stdout}{result.stderr}")
        time.sleep(0.5)

"""`kg serve`: a real Oxigraph server on 127.0.0.1, read-only, stopped by Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import pick_free_port
from kg.project import Project
from kg.server import wait_for_port

pytestmark = pytest.mark.server


def test_serve_answers_queries_refuses_updates_and_stops_on_ctrl_c(mini_built: Project) -> None:
    mini = mini_built  # a copy of the session's build: nothing is built here
    port = pick_free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--project", str(mini.root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process=process)
        assert process.stdout is not None
        first = process.stdout.readline().decode()  # printed once the server listens
        assert f"http://127.0.0.1:{port}/query" in first
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/query?{query}", headers={"Accept": "text/csv"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            count = int(response.read().decode().splitlines()[1])
        assert count > 1000  # the union of the named graphs, not an empty default graph
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"INSERT DATA { <a:b> <a:c> <a:d> }",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=10)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
        assert "Stopped." in out.decode()
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_serve_on_a_busy_port_is_an_input_error_without_a_banner(mini_built: Project) -> None:
    """A port another program holds is the user's to change: exit 2, no banner, no "Stopped."."""
    import socket

    mini = mini_built
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "--project",
                str(mini.root),
                "serve",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "SPARQL endpoint" not in done.stdout
    assert "Stopped." not in done.stdout
    assert f"port {port} is in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr

"""``kg serve``: the built store behind Oxigraph's own HTTP server, read-only, on 127.0.0.1."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError, RemoteError
from kg.store import missing_store


def oxigraph_command() -> str:
    """The ``oxigraph`` executable (from the PyPI package), next to this Python or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise InputError(
            "the oxigraph server is not installed", hint="pip install 'oxigraph>=0.5,<0.6'"
        )
    return found


def wait_for_port(
    port: int, timeout: float = 20.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Return once 127.0.0.1:port accepts connections; RemoteError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RemoteError(
                f"the server exited with code {process.returncode} before it listened on port {port}"
            )
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RemoteError(f"nothing listens on 127.0.0.1:{port} after {timeout:g} s")


def start_read_only(store: Path, port: int) -> subprocess.Popen[bytes]:
    """Start ``oxigraph serve-read-only`` on the built store; wait until it listens."""
    if not (store / "CURRENT").exists():
        raise missing_store(store)
    return start_oxigraph(store, port, read_only=True)


def ensure_port_free(port: int) -> None:
    """InputError when another program listens on 127.0.0.1:port.

    Waiting for the port alone cannot tell our server from one already there: a busy port
    would look like a server that started and then stopped at once.
    """
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise InputError(
                f"port {port} is in use on 127.0.0.1",
                hint="stop the program that holds it, or pick another port with --port N",
            ) from None


def start_oxigraph(location: Path, port: int, *, read_only: bool) -> subprocess.Popen[bytes]:
    """Start an Oxigraph server on 127.0.0.1:port with a union default graph; wait until it listens."""
    ensure_port_free(port)
    process = subprocess.Popen(
        [
            oxigraph_command(),
            "serve-read-only" if read_only else "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process=process)
        if process.poll() is not None:  # it listened, then died: not ours that answers
            raise RemoteError(f"the server exited with code {process.returncode} at start")
    except KeyboardInterrupt:
        stop(process)
        raise
    except RemoteError:
        process.kill()
        _, err = process.communicate()
        if process.stderr is not None:
            process.stderr.close()
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(
            f"cannot start the server on port {port}: {message[-1] if message else 'no message'}",
            hint="is the port taken? try --port N",
        ) from None
    return process


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop a server started here: SIGTERM, then SIGKILL after ``timeout`` s; close its pipe."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr is not None:
        process.stderr.close()


def serve_store(store: Path, port: int, announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C (or SIGTERM), then stop the server cleanly."""
    # Ctrl-C must stop us even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = start_read_only(store, port)
    except KeyboardInterrupt:
        announce("Stopped.")
        return
    announce(
        f"SPARQL endpoint: http://127.0.0.1:{port}/query (query page: http://127.0.0.1:{port}/)"
    )
    announce("Read-only; queries see the union of the named graphs. Press Ctrl-C to stop.")
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        code = process.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _, err = process.communicate() if process.poll() is not None else (b"", b"")
        stop(process)
    if code != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(
            f"the server stopped by itself with code {code}: {lines[-1] if lines else 'no message'}"
        )
    announce("Stopped.")

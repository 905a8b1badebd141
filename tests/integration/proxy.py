"""A real HTTP proxy in front of a real store, misbehaving on purpose for fault tests."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from conftest import serving


@dataclass
class Script:
    """What the proxy does: the first ``fail_first`` requests answer ``status``, then forward."""

    upstream: str
    fail_first: int = 0
    status: int = 503
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def proxy(script: Script) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            with script.lock:
                script.requests += 1
                fail = script.requests <= script.fail_first
            if fail:
                self.send_response(script.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"try again later\n")
                return
            headers = {
                k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
            }
            request = urllib.request.Request(
                script.upstream + self.path,
                data=body if body else None,
                method=self.command,
                headers=headers,
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, payload, kind = (
                        response.status,
                        response.read(),
                        response.headers.get("Content-Type"),
                    )
            except urllib.error.HTTPError as exc:
                status, payload, kind = exc.code, exc.read(), exc.headers.get("Content-Type")
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _handle
        do_POST = _handle
        do_PUT = _handle

        def log_message(self, *args: object) -> None:
            return None

    with serving(Handler) as url:
        yield url

"""A web server on 127.0.0.1 that serves files by path, as LinkedIn's CDN serves profile
pictures, and counts the requests each path received."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler

from tests.fakes.loopback_http import LoopbackServer


class PictureServer(LoopbackServer):
    name = "fake-picture-server"

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[str, bytes]] = {}  # path -> (content type, body)
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests[self.path] += 1
                    found = server.files.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                kind, body = found
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet test output

        self._listen(Handler)

    def serve(self, path: str, body: bytes, kind: str = "image/png") -> str:
        """Serve `body` at `path`; returns its full address."""
        with self._lock:
            self.files[path] = (kind, body)
        return self.base_url + path

    def count(self, path: str) -> int:
        with self._lock:
            return self.requests[path]

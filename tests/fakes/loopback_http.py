"""The plumbing every fake server of ours shares: real HTTP on 127.0.0.1, a port of its own,
a thread that serves, and a stop that is quick and wakes handlers sleeping in injected delays."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Subclasses set `name` and call `_listen(handler)` at the end of their __init__."""

    name = "fake-server"

    def __init__(self) -> None:
        self._stopping = threading.Event()

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            # A short poll keeps stop() quick: every test starts and stops its own server.
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.name,
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in an injected delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

"""The plumbing every fake server of ours shares: real HTTP on 127.0.0.1, a port of its own,
a thread that serves, a stop that is quick and wakes handlers sleeping in injected delays, and
`trickle`: an answer written one byte at a time, which notices a client that hangs up."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Self


class LoopbackServer:
    """Subclasses set `name` and call `_listen(handler)` at the end of their __init__."""

    name = "fake-server"

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._hung_up = threading.Event()

    def trickle(self, out: BufferedIOBase, data: bytes, every_s: float) -> bool:
        """Write `data` one byte every `every_s` seconds; False when the client hung up first."""
        for index in range(len(data)):
            if index and self._stopping.wait(every_s):
                return False
            try:
                out.write(data[index : index + 1])
                out.flush()
            except OSError:  # the client closed its end: it gave up on this answer
                self._hung_up.set()
                return False
        return True

    def wait_for_hang_up(self, timeout_s: float = 10.0) -> bool:
        """True once a client has hung up in the middle of a trickled answer."""
        return self._hung_up.wait(timeout_s)

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

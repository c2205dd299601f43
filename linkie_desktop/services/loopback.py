"""The one-shot loopback HTTP server that receives LinkedIn's OAuth redirect on 127.0.0.1.

It answers only `GET /callback` (anything else: 404/405 and keep waiting), lets the caller judge the
query before the browser gets its page, and can be cancelled from another thread at any moment.
"""

from __future__ import annotations

import contextlib
import errno
import html
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
# A browser may open a connection and send nothing (preconnect); don't let it hold the server.
_REQUEST_READ_TIMEOUT_S = 5.0


class CallbackError(Exception):
    """Base of the ways a wait for the redirect can end without a usable answer."""


class PortInUseError(CallbackError):
    def __init__(self, port: int) -> None:
        self.port = port
        super().__init__(
            f"Port {port} on this computer is already used by another program, so Linkie can't "
            "receive LinkedIn's answer there. Close that program, or choose another redirect "
            "port in Settings → LinkedIn (or set LINKIE_OAUTH_PORT) and register the matching "
            f"redirect URL (http://127.0.0.1:<port>{CALLBACK_PATH}) in LinkedIn's developer portal."
        )


class WaitCancelledError(CallbackError):
    def __init__(self) -> None:
        super().__init__("The LinkedIn login was cancelled. Nothing was changed.")


class WaitTimedOutError(CallbackError):
    def __init__(self, timeout_s: float) -> None:
        minutes = max(1, round(timeout_s / 60))
        super().__init__(
            f"LinkedIn did not answer within {minutes} minute{'s' if minutes != 1 else ''}. "
            "Nothing was changed; press Connect to try again."
        )


# Judges the callback's query: returns the text of the page the browser shows, or raises an
# exception whose message the page shows instead (and which the wait then raises).
Judge = Callable[[Mapping[str, str]], str]


def _page(title: str, message: str) -> bytes:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;"
        "color:#1d2226}h1{font-size:1.4em}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        "<p>You can close this tab and go back to Linkie Desktop.</p></body></html>"
    ).encode()


class CallbackServer:
    """Bind at construction (so a taken port fails before anything else happens), then `wait`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._judge: Judge | None = None
        self._outcome: Mapping[str, str] | BaseException | None = None
        self._cancelled = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_lock = threading.Lock()
        try:
            self._httpd = HTTPServer(("127.0.0.1", port), self._handler_class(), False)
            # On POSIX SO_REUSEADDR only lets us rebind while the last attempt's socket sits in
            # TIME_WAIT; on Windows it would let us steal a port another program listens on.
            self._httpd.allow_reuse_address = os.name != "nt"
            self._httpd.server_bind()
            self._httpd.server_activate()
        except OSError as exc:
            self._close_wake()
            self._httpd.server_close()
            if exc.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                raise PortInUseError(port) from None
            raise

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            timeout = _REQUEST_READ_TIMEOUT_S

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != CALLBACK_PATH:
                    self._reply(404, "Not found", "This address is not part of Linkie's login.")
                    return
                query = dict(parse_qsl(url.query, keep_blank_values=True))
                status, title, message = owner._settle(query)
                self._reply(status, title, message)

            def do_POST(self) -> None:
                self._reply(405, "Not allowed", "Linkie's login page only answers GET.")

            do_PUT = do_DELETE = do_HEAD = do_POST  # noqa: N815

            def _reply(self, status: int, title: str, message: str) -> None:
                body = _page(title, message)
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                # The default writes the request line (with code and state) to stderr: never.
                log.debug("loopback request answered")

        return Handler

    def _settle(self, query: Mapping[str, str]) -> tuple[int, str, str]:
        judge = self._judge
        assert judge is not None
        try:
            message = judge(query)
        except Exception as exc:  # noqa: BLE001 - carried to wait(), which raises it
            self._outcome = exc
            return 400, "Linkie could not finish connecting", str(exc)
        self._outcome = dict(query)
        return 200, "LinkedIn answered Linkie", message

    def wait(self, judge: Judge, timeout_s: float) -> Mapping[str, str]:
        """Serve until one `/callback` request is answered; its query once `judge` accepted it.

        Raises what `judge` raised, WaitCancelledError after `cancel()`, WaitTimedOutError after
        `timeout_s`.
        """
        self._judge = judge
        deadline = time.monotonic() + timeout_s
        try:
            while self._outcome is None:
                if self._cancelled.is_set():
                    raise WaitCancelledError()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimedOutError(timeout_s)
                ready, _, _ = select.select(
                    [self._httpd.socket, self._wake_reader], [], [], remaining
                )
                if self._cancelled.is_set():
                    raise WaitCancelledError()
                if self._httpd.socket in ready:
                    self._httpd.handle_request()
        finally:
            self.close()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def cancel(self) -> None:
        """End a running (or the next) wait with WaitCancelledError; safe from any thread."""
        self._cancelled.set()
        # OSError: already closed, the wait is over anyway.
        with self._wake_lock, contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def close(self) -> None:
        self._httpd.server_close()
        self._close_wake()

    def _close_wake(self) -> None:
        with self._wake_lock:
            self._wake_reader.close()
            self._wake_writer.close()

"""The one-shot loopback HTTP server that receives LinkedIn's OAuth redirect on 127.0.0.1.

Any web page the member has open can make requests to it, so it lets in only what the awaited
answer looks like: the `Host` 127.0.0.1:PORT or localhost:PORT (a foreign name is DNS rebinding:
421), `GET /callback` (anything else: 404/405), and then the caller's judge decides whether the
query is the answer (it ends the wait) or not ours (400, and the wait goes on). Each connection is
served on its own thread with a deadline for its request, so a slow or idle client can't hold the
listener. The wait can be cancelled from another thread at any moment.
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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
# The whole request head must arrive within this, however slowly it trickles in: a browser's
# idle preconnect or a hostile client gives its thread back instead of keeping it for good.
_REQUEST_DEADLINE_S = 10.0


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


class NotTheAnswerError(Exception):
    """Raised by a judge for a callback that isn't the awaited answer (no state, another one):
    the browser is shown its message with a 400, and the wait goes on."""


# Judges the callback's query: returns the text of the page the browser shows (the wait ends
# with the query), raises NotTheAnswerError (400, the wait goes on), or raises another exception
# whose message the page shows instead (the wait ends and raises it).
Judge = Callable[[Mapping[str, str]], str]
Outcome = Mapping[str, str] | BaseException


@dataclass(frozen=True)
class _Verdict:
    """What one callback request gets: its page, and the wait's outcome if it ends the wait."""

    status: int
    title: str
    message: str
    outcome: Outcome | None


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
        self._outcome: Outcome | None = None
        # Set once a request has ended the wait (or the wait is over): later ones are not judged.
        self._settled = False
        self._settle_lock = threading.Lock()
        self._cancelled = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_lock = threading.Lock()
        self._allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        try:
            self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class(), False)
            # A slow client's thread must neither delay the end of the wait nor outlive the app.
            self._httpd.daemon_threads = True
            self._httpd.block_on_close = False
            # wait() calls handle_request only once select saw a connection: if that one is
            # gone by then, don't sit in handle_request where cancel() can't reach.
            self._httpd.timeout = 0
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
            def setup(self) -> None:
                super().setup()
                # Cutting the connection makes the blocked read return: the thread ends.
                self._deadline = threading.Timer(_REQUEST_DEADLINE_S, self._cut_off)
                self._deadline.daemon = True
                self._deadline.start()

            def _cut_off(self) -> None:
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            def parse_request(self) -> bool:
                parsed = super().parse_request()  # reads the headers too: the head is in
                self._deadline.cancel()
                return parsed

            def finish(self) -> None:
                self._deadline.cancel()
                super().finish()

            def do_GET(self) -> None:
                if not self._host_allowed():
                    return
                url = urlsplit(self.path)
                if url.path != CALLBACK_PATH:
                    self._reply(404, "Not found", "This address is not part of Linkie's login.")
                    return
                verdict = owner._judge_query(dict(parse_qsl(url.query, keep_blank_values=True)))
                try:
                    self._reply(verdict.status, verdict.title, verdict.message)
                finally:
                    # Only now: the browser has its page before the wait (and maybe the app) ends.
                    if verdict.outcome is not None:
                        owner._end_wait(verdict.outcome)

            def do_POST(self) -> None:
                if self._host_allowed():
                    self._reply(405, "Not allowed", "Linkie's login page only answers GET.")

            do_PUT = do_DELETE = do_HEAD = do_POST  # noqa: N815

            def _host_allowed(self) -> bool:
                # A page of a name that resolves to 127.0.0.1 (DNS rebinding) would be able to
                # read our answers; its requests carry that name, so only ours are served.
                if (self.headers.get("Host") or "").strip().lower() in owner._allowed_hosts:
                    return True
                self._reply(
                    421, "Wrong address", "Linkie's login only answers at 127.0.0.1 or localhost."
                )
                return False

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

    def _judge_query(self, query: Mapping[str, str]) -> _Verdict:
        # One judge at a time, and none once the wait is settled: two copies of the answer
        # arriving together must not both be used.
        with self._settle_lock:
            judge = self._judge
            if self._settled or judge is None:
                return _Verdict(
                    400,
                    "Linkie is not waiting for this",
                    "Linkie is not waiting for an answer from LinkedIn right now.",
                    None,
                )
            try:
                message = judge(query)
            except NotTheAnswerError as exc:
                log.info("a request that is not LinkedIn's answer was turned away")
                return _Verdict(400, "This is not the answer Linkie is waiting for", str(exc), None)
            except Exception as exc:  # noqa: BLE001 - carried to wait(), which raises it
                self._settled = True
                return _Verdict(400, "Linkie could not finish connecting", str(exc), exc)
            self._settled = True
            return _Verdict(200, "LinkedIn answered Linkie", message, dict(query))

    def _end_wait(self, outcome: Outcome) -> None:
        self._outcome = outcome
        self._wake()

    def wait(self, judge: Judge, timeout_s: float) -> Mapping[str, str]:
        """Serve until a `/callback` request ends the wait; its query once `judge` accepted it.

        Raises what `judge` raised (but NotTheAnswerError, which only turns that request away),
        WaitCancelledError after `cancel()`, WaitTimedOutError after `timeout_s`.
        """
        with self._settle_lock:
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
                    self._httpd.handle_request()  # accepts; the request is served on a thread
        finally:
            self.close()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    def cancel(self) -> None:
        """End a running (or the next) wait with WaitCancelledError; safe from any thread."""
        self._cancelled.set()
        self._wake()

    def _wake(self) -> None:
        # OSError: already closed, the wait is over anyway.
        with self._wake_lock, contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def close(self) -> None:
        with self._settle_lock:
            self._settled = True  # a slow client's late request finds the wait over
        self._httpd.server_close()
        self._close_wake()

    def _close_wake(self) -> None:
        with self._wake_lock:
            self._wake_reader.close()
            self._wake_writer.close()

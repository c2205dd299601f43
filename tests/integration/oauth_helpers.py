"""Helpers shared by the connect tests: a free loopback port, the app pointed at the test server,
a 'browser' that follows LinkedIn's consent redirect to Linkie's loopback callback, the page
Linkie hands the browser, and raw requests a hostile page or a slow client would make."""

from __future__ import annotations

import html
import os
import re
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from linkie_desktop.services.oauth import ConnectionInfo, LinkedInApp, LinkedInLogin
from tests.fakes.linkedin_server import FakeLinkedIn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_for(server: FakeLinkedIn, port: int | None = None, register: bool = True) -> LinkedInApp:
    """The app's credentials for the test server; its redirect URI registered there."""
    port = port or free_port()
    app = LinkedInApp(
        client_id=server.client_id,
        client_secret=server.client_secret,
        redirect_port=port,
        auth_base=server.base_url,
        api_base=server.base_url,
        api_version="202511",
    )
    if register:
        server.redirect_uris.add(app.redirect_uri)
    return app


@dataclass
class Browser:
    """What the member's browser did: the redirect it followed and the page it was shown."""

    server: FakeLinkedIn
    location: str | None = None
    page: httpx.Response | None = None
    visits: list[httpx.Response] = field(default_factory=list)

    def consent(self, authorization_url: str) -> None:
        self.location = self.server.play_browser(authorization_url)
        self.open(self.location)

    def open(self, url: str, method: str = "GET") -> httpx.Response:
        response = httpx.request(method, url, timeout=10)
        self.visits.append(response)
        self.page = response
        return response


def run_login(
    login: LinkedInLogin, browse: Callable[[str], object]
) -> ConnectionInfo | BaseException:
    """start(), let `browse(url)` play the browser on another thread, finish(); the outcome."""
    url = login.start()
    errors: list[BaseException] = []

    def browse_safely() -> None:
        try:
            browse(url)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)

    thread = threading.Thread(target=browse_safely, name="test-browser")
    thread.start()
    try:
        outcome: ConnectionInfo | BaseException = login.finish()
    except Exception as exc:  # noqa: BLE001 - the test asserts on it
        outcome = exc
    finally:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return outcome


def handoff_target(page_uri: str) -> str:
    """Where the page Linkie handed the browser sends it, once checked that only its owner can
    read it (the file 0600, its folder 0700, both the user's)."""
    assert urlsplit(page_uri).scheme == "file", page_uri
    path = Path(url2pathname(urlsplit(page_uri).path))
    for item, mode in ((path, 0o600), (path.parent, 0o700)):
        info = item.lstat()
        assert stat.S_IMODE(info.st_mode) == mode, f"{item} is {oct(info.st_mode)}"
        assert info.st_uid == os.getuid()
    refresh = re.search(
        r'<meta http-equiv="refresh" content="0;\s*url=([^"]+)"',
        path.read_text(encoding="utf-8"),
        re.IGNORECASE,
    )
    assert refresh is not None, "the page does not send the browser on"
    return html.unescape(refresh.group(1))


def raw_request(port: int, head: bytes) -> int:
    """Send `head` as-is to 127.0.0.1:port (no client fixing it up); the status it got."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head)
        reply = b""
        while chunk := conn.recv(4096):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


@contextmanager
def trickling_client(port: int, pause_s: float = 0.2) -> Iterator[socket.socket]:
    """A client that connects and then sends its request one byte at a time, never finishing
    it, for as long as the block lasts (or until the server cuts it off)."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    stop = threading.Event()

    def trickle() -> None:
        prefix = b"GET /callback?padding="
        sent = 0
        while not stop.wait(pause_s):
            byte = prefix[sent : sent + 1] or b"a"
            try:
                conn.send(byte)
            except OSError:  # the server cut the connection off: the point of the test
                return
            sent += 1

    thread = threading.Thread(target=trickle, name="test-slow-client", daemon=True)
    thread.start()
    try:
        yield conn
    finally:
        stop.set()
        thread.join(timeout=10)
        conn.close()

"""Helpers shared by the connect tests: a free loopback port, the app pointed at the test server,
and a 'browser' that follows LinkedIn's consent redirect to Linkie's loopback callback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

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

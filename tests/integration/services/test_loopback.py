"""The loopback listener on its own, over real sockets: what it does with clients that are not
the member's browser coming back from LinkedIn."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from linkie_desktop.services import loopback
from linkie_desktop.services.loopback import CallbackServer, WaitCancelledError
from tests.integration.oauth_helpers import free_port, trickling_client


def _accept_anything(_query: Mapping[str, str]) -> str:
    return "ok"


@pytest.fixture
def waiting_server() -> Iterator[CallbackServer]:
    """A listener waiting (on its own thread) until the test cancels it."""
    server = CallbackServer(free_port())
    ended: list[BaseException] = []

    def wait() -> None:
        try:
            server.wait(_accept_anything, timeout_s=30)
        except WaitCancelledError as exc:
            ended.append(exc)

    thread = threading.Thread(target=wait, name="test-wait")
    thread.start()
    yield server
    server.cancel()
    thread.join(timeout=10)
    assert ended and not thread.is_alive()


def test_a_client_that_never_finishes_its_request_is_cut_off(
    waiting_server: CallbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short, so the test needn't sit through the real 10 s; the mechanism is the same.
    monkeypatch.setattr(loopback, "_REQUEST_DEADLINE_S", 0.3)
    with trickling_client(waiting_server.port, pause_s=0.05) as conn:
        # Bounded by the socket's 10 s timeout: a listener that lets the trickle go on forever
        # makes this recv time out instead of seeing the connection closed.
        assert conn.recv(4096) == b""

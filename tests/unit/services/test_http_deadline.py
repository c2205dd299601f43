"""The whole-request deadline (services/http_deadline.py) against a real server on 127.0.0.1.

The server trickles its answer one byte at a time, fast enough that no per-read timeout ever
fires: only a deadline over the whole request ends it. No durations are asserted; the server
reports that the client hung up before the answer was complete.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from linkie_desktop.services.http_deadline import (
    arequest_within,
    deadline_client,
    request_once,
    request_within,
)
from tests.fakes.loopback_http import LoopbackServer

BODY = b"<html><body>Sign in to continue to the network</body></html>" * 4
TRICKLE_EVERY_S = 0.05  # the whole answer would take ~13 s; the deadline in the tests is 0.5 s
DEADLINE_S = 0.5


class TrickleServer(LoopbackServer):
    """Answers 200 with BODY; `mode`: "fast", "body" (headers at once, body trickled), "whole"
    (from the status line on, trickled) or "deaf" (never reads the request body)."""

    name = "trickle-server"

    def __init__(self) -> None:
        super().__init__()
        self.mode = "fast"
        self._listen(_handler_for(self))

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if self.mode == "deaf":
            self._stopping.wait(30)
            handler.close_connection = True
            return
        length = int(handler.headers.get("Content-Length") or 0)
        handler.rfile.read(length)
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        )
        if self.mode == "whole":
            self.trickle(handler.wfile, head + BODY, TRICKLE_EVERY_S)
        elif self.mode == "body":
            handler.wfile.write(head)
            self.trickle(handler.wfile, BODY, TRICKLE_EVERY_S)
        else:
            handler.wfile.write(head + BODY)


def _handler_for(server: TrickleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.answer(self)

        do_PUT = do_POST = do_GET  # noqa: N815 - the stdlib's names

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[TrickleServer]:
    trickler = TrickleServer().start()
    yield trickler
    trickler.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with deadline_client() as http:
        yield http


def test_a_prompt_answer_is_read_whole_and_the_client_stays_usable(
    server: TrickleServer, client: httpx.Client
) -> None:
    for _ in range(2):  # the second request reuses the connection, under a deadline of its own
        response = request_within(client, DEADLINE_S, "GET", f"{server.base_url}/page")
        assert (response.status_code, response.content) == (200, BODY)


@pytest.mark.parametrize("mode", ["body", "whole"])
def test_an_answer_trickled_byte_by_byte_ends_at_the_deadline(
    server: TrickleServer, client: httpx.Client, mode: str
) -> None:
    server.mode = mode
    with pytest.raises(httpx.ReadTimeout):
        request_within(client, DEADLINE_S, "GET", f"{server.base_url}/page")
    assert server.wait_for_hang_up()  # the client gave up with most of the answer unsent


def test_a_lone_request_on_a_client_of_its_own_keeps_the_deadline(server: TrickleServer) -> None:
    assert (
        request_once("POST", f"{server.base_url}/token", DEADLINE_S, data={"a": "b"}).content
        == BODY
    )
    server.mode = "body"
    with pytest.raises(httpx.ReadTimeout):
        request_once("POST", f"{server.base_url}/token", DEADLINE_S, data={"a": "b"})
    assert server.wait_for_hang_up()


def test_an_upload_the_server_does_not_take_ends_at_the_deadline_as_a_write_timeout(
    server: TrickleServer, client: httpx.Client
) -> None:
    server.mode = "deaf"
    big = b"\0" * (64 * 1024 * 1024)  # more than the loopback socket buffers hold
    with pytest.raises(httpx.WriteTimeout):
        request_within(client, DEADLINE_S, "PUT", f"{server.base_url}/upload", content=big)


@pytest.mark.parametrize("mode", ["body", "whole"])
def test_the_async_request_ends_at_the_deadline_too(server: TrickleServer, mode: str) -> None:
    server.mode = mode

    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(timeout=5.0) as http:
            return await arequest_within(http, DEADLINE_S, "GET", f"{server.base_url}/page")

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(fetch())
    assert server.wait_for_hang_up()


def test_the_async_request_reads_a_prompt_answer_whole(server: TrickleServer) -> None:
    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(timeout=5.0) as http:
            return await arequest_within(http, DEADLINE_S, "GET", f"{server.base_url}/page")

    assert asyncio.run(fetch()).content == BODY

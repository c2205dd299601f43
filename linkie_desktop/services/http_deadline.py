"""A whole-request deadline for httpx: connecting, sending and the entire answer end together.

httpx's timeouts bound each phase and each read on its own, so an answer that trickles in one
byte at a time never trips them (one byte every 6 s kept a publisher pass busy for 193 s).
httpx has no total timeout (encode/httpx#1450), so this module gives one, sync and async:

- `request_within(client, deadline_s, method, url, ...)` sends one request on a client made by
  `deadline_client()` and reads the whole answer. Every socket operation of that client (connect,
  TLS handshake, each read, each slice of a write) waits at most the time left before the
  deadline, so a trickle ends at the deadline too. A deadline hit raises httpx's own timeout
  for the phase it hit: `ConnectTimeout` before anything was sent, `WriteTimeout` while
  sending, `ReadTimeout` while waiting for or reading the answer.
- `arequest_within(client, deadline_s, method, url, ...)`: the same for an httpx.AsyncClient,
  where `asyncio.timeout` cancels whatever is awaited at the deadline; it raises ReadTimeout.

httpx (~70 ms of a cold start) loads with this module: import it where a request is made.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# Slices of a large upload: each slice is a fresh check against the deadline, so a receiver that
# takes bytes slowly cannot stretch one write of a whole image past it.
_WRITE_SLICE = 64 * 1024

_running = threading.local()  # .deadline: time.monotonic() value of this thread's request


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default trust store; built once because building it costs ~30 ms per client."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _time_left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """`timeout` shortened to what is left of this thread's deadline; `expired` once none is."""
    deadline: float | None = getattr(_running, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:  # 0 would make the socket non-blocking, not "no time"
        raise expired("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_SLICE):
            piece = buffer[start : start + _WRITE_SLICE]
            self._inner.write(piece, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _bounded(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    # httpx offers no argument for httpcore's network backend (its pools take one), so the
    # backend of the pool it built is wrapped. Checked, so that an httpx that changes this fails
    # here, loudly, instead of quietly losing the deadline.
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore.NetworkBackend):
        raise RuntimeError(f"httpx {httpx.__version__}: cannot give its transport a deadline")
    pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


class _DeadlineClient(httpx.Client):
    """An httpx.Client whose every transport (the default one and each proxy from the
    environment, which httpx builds through these two methods) keeps the running deadline."""

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return _bounded(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return _bounded(super()._init_proxy_transport(*args, **kwargs))


def deadline_client(*, follow_redirects: bool = False) -> httpx.Client:
    """A sync client for `request_within` (the system's trust store, as httpx's default)."""
    return _DeadlineClient(follow_redirects=follow_redirects, verify=tls_context())


def request_within(
    client: httpx.Client, deadline_s: float, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """Send one request and read its whole answer within `deadline_s` seconds.

    `client` comes from `deadline_client()`; `kwargs` are httpx's (headers, params, json, ...).
    """
    request = client.build_request(method, url, timeout=httpx.Timeout(deadline_s), **kwargs)
    outer = getattr(_running, "deadline", None)
    _running.deadline = time.monotonic() + deadline_s
    try:
        response = client.send(request, stream=True)
        try:
            response.read()
        finally:
            response.close()
    finally:
        _running.deadline = outer
    return response


def request_once(method: str, url: str, deadline_s: float, **kwargs: Any) -> httpx.Response:
    """`request_within` on a client of its own, for a lone request (an OAuth token exchange)."""
    with deadline_client() as client:
        return request_within(client, deadline_s, method, url, **kwargs)


async def arequest_within(
    client: httpx.AsyncClient, deadline_s: float, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """Send one request and read its whole answer within `deadline_s` seconds, or ReadTimeout."""
    request = client.build_request(method, url, **kwargs)
    try:
        async with asyncio.timeout(deadline_s):
            response = await client.send(request, stream=True)
            try:
                await response.aread()
            finally:
                await response.aclose()
    except TimeoutError:
        raise httpx.ReadTimeout(
            f"no whole answer within {deadline_s:g} s", request=request
        ) from None
    return response

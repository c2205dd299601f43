"""Talking to the AI vendors: what can go wrong, in plain words, and a request the user can cancel.

Plain httpx, not the vendors' SDKs: the SDKs retry behind our back (the user would stare at a
spinner through retries they never asked for), add ~70 MB and seconds of import time to the bundle,
and cannot be interrupted mid-request from another thread. Here each request runs on an asyncio
loop in the worker thread, so Cancel aborts it at once and the connection is closed.

httpx (~70 ms of a cold start) is imported on the first request, not with this module: the window
imports CancelToken and the error types long before the Studio asks anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from linkie_desktop.services.linkedin import parse_retry_after

if TYPE_CHECKING:
    import httpx

_T = TypeVar("_T")


# The whole request, answer included (services/http_deadline.py). The vendors send nothing until
# the model is done, and their slowest replies (an image, 16k tokens of thinking) fit in the
# 120 s each read may wait; 30 s more carries a few MB of images over a slow line. Cancel is
# always there for the impatient.
DEADLINE_S = 150.0


@functools.cache
def request_timeout() -> httpx.Timeout:
    """Per phase, within DEADLINE_S: a vendor that cannot be reached is told in 15 s."""
    import httpx

    return httpx.Timeout(120.0, connect=15.0)


def __getattr__(name: str) -> Any:
    # REQUEST_TIMEOUT is still importable, built on first use so that httpx loads only then.
    if name == "REQUEST_TIMEOUT":
        return request_timeout()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Problem(StrEnum):
    NO_KEY = "no_key"
    INVALID_KEY = "invalid_key"
    RATE_LIMITED = "rate_limited"
    OVERLOADED = "overloaded"
    NETWORK = "network"
    BAD_REPLY = "bad_reply"
    REFUSED = "refused"  # the vendor understood us and said no (content policy, bad request)
    CANCELLED = "cancelled"


class AiError(Exception):
    """A request that did not give us what we needed; `str(error)` is what the user reads."""

    def __init__(self, problem: Problem, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message
        self.retry_after_s = retry_after_s


def _wait_words(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "in a minute"
    whole = max(1, round(seconds))
    if whole < 90:
        return f"in {whole} second{'s' if whole != 1 else ''}"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"in {hours} hour{'s' if hours != 1 else ''}"


def explain(problem: Problem, vendor: str, retry_after_s: float | None = None) -> AiError:
    """The error with the sentence the user sees for `problem` at `vendor` ("Anthropic")."""
    messages = {
        Problem.NO_KEY: f"Add your {vendor} API key in Settings to use this.",
        Problem.INVALID_KEY: (
            f"{vendor} did not accept your API key. Check it in Settings: it may be mistyped, "
            "revoked or out of credit."
        ),
        Problem.RATE_LIMITED: (
            f"{vendor} is limiting how often you can ask. Try again {_wait_words(retry_after_s)}."
        ),
        Problem.OVERLOADED: (
            f"{vendor} is overloaded right now. Nothing was lost; try again "
            f"{_wait_words(retry_after_s)}."
        ),
        Problem.NETWORK: (
            f"Linkie could not reach {vendor}. Check your internet connection and try again."
        ),
        Problem.BAD_REPLY: (
            f"{vendor} answered in a way Linkie does not understand, so nothing was saved. "
            "Try again."
        ),
        Problem.REFUSED: f"{vendor} refused the request.",
        Problem.CANCELLED: "Cancelled. Nothing was saved.",
    }
    return AiError(problem, messages[problem], retry_after_s)


def refused(vendor: str, status: int, message: object) -> AiError:
    """A request the vendor turned down for a reason of its own; its words are passed on."""
    said = f" It said: {message}" if isinstance(message, str) and message else ""
    return AiError(Problem.REFUSED, f"{vendor} refused the request (HTTP {status}).{said}")


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`retry-after` in seconds (a number or an HTTP date), read as the LinkedIn client does:
    odd values (negative, `nan`, `1e400`, a date in 2099) end between 0 and a day, or None."""
    return parse_retry_after(headers.get("retry-after"))


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is anything else."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    headers: Mapping[str, str],
    body: Mapping[str, Any],
    vendor: str,
    classify: Callable[[httpx.Response], AiError],
    deadline_s: float = DEADLINE_S,
) -> dict[str, Any]:
    """POST `body` and read the whole answer within `deadline_s`; a 200 JSON object comes back,
    anything else raises AiError in plain words."""
    import httpx

    from linkie_desktop.services.http_deadline import arequest_within

    try:
        response = await arequest_within(
            client, deadline_s, "POST", url, headers=dict(headers), json=dict(body)
        )
    except (httpx.RequestError, OSError) as exc:
        # Refused, reset, dropped half-way, DNS, TLS, timeouts: all the same to the user.
        raise explain(Problem.NETWORK, vendor) from exc
    if response.status_code != 200:
        raise classify(response)
    parsed = json_object(response)
    if parsed is None:
        raise explain(Problem.BAD_REPLY, vendor)
    return parsed


class CancelToken:
    """Shared by the UI (which may cancel) and the worker (which runs requests and then saves).

    `cancel()` aborts the request in flight. Once the worker has entered `committing()` the result
    is being saved and cancel() returns False: the job finishes normally, a moment later. So a
    cancel the user saw succeed never leaves a saved run behind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._committing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def cancelled(self) -> bool:
        with self._lock:
            return self._cancelled

    def cancel(self) -> bool:
        """Stop the job; False when it is already saving its result (too late to cancel)."""
        with self._lock:
            if self._committing:
                return False
            self._cancelled = True
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            # The loop may have just finished; then there is nothing left to abort.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)
        return True

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise explain(Problem.CANCELLED, "")

    def run(self, make: Callable[[], Awaitable[_T]]) -> _T:
        """Run one coroutine on a private loop in this (worker) thread, abortable by cancel()."""

        async def guarded() -> _T:
            with self._lock:
                if self._cancelled:
                    raise asyncio.CancelledError
                self._loop = asyncio.get_running_loop()
                self._task = asyncio.current_task()
            try:
                return await make()
            finally:
                with self._lock:
                    self._loop = None
                    self._task = None

        try:
            return asyncio.run(guarded())
        except asyncio.CancelledError:
            raise explain(Problem.CANCELLED, "") from None

    @contextlib.contextmanager
    def committing(self) -> Iterator[None]:
        """Enter the save phase: refused if cancelled already, and cancel() is refused after."""
        with self._lock:
            if self._cancelled:
                raise explain(Problem.CANCELLED, "")
            self._committing = True
        yield

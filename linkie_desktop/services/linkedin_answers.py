"""LinkedIn's answers and the errors they become, beneath the client and the modules it hands over
to (linkedin_media.py, linkedin_comments.py): which answer counts as success for a call, what a
failure tells the publisher to do, and the limits all of them share (LINKEDIN-API.md, Errors).

httpx is imported where a request's error is read, not with this module (see linkedin.py).
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import httpx

RESTLI_PROTOCOL_VERSION = "2.0.0"
# A whole API call (connect, send, the entire answer). LinkedIn answers in well under a second;
# a minute leaves room for a slow network, and bounds how long one odd answer holds a pass.
DEFAULT_DEADLINE_S = 60.0
# Uploads get the call's deadline plus the time the bytes take at a poor uplink (~0.5 Mbit/s),
# so a large image on a slow line is not cut off while a stalled one still ends.
SLOW_UPLINK_BYTES_PER_S = 64 * 1024
# At most a day of waiting, whatever Retry-After says: LinkedIn's daily limits reset at midnight
# UTC, and a longer wait is a broken header, not advice.
MAX_RETRY_AFTER_S = 24 * 60 * 60.0
POST_ID_HEADERS = ("x-restli-id", "x-linkedin-id")  # deployments differ: read both


class LinkedInError(Exception):
    """LinkedIn did not do what was asked; `str(error)` is plain words for the user.

    `may_have_published`: the post request went out and this answer does not say it failed, so
    the post may be on LinkedIn and must not be sent again without the user.
    """

    may_have_published = False


class AuthExpired(LinkedInError):  # noqa: N818 - named after what happened
    """401: the token is missing, expired, revoked, or its scopes changed. Reconnect."""


class RateLimited(LinkedInError):  # noqa: N818
    """429: a daily limit or protective throttling; `retry_after` seconds when LinkedIn said."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(LinkedInError):
    """5xx: LinkedIn's own trouble; transient."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class VersionRetired(LinkedInError):  # noqa: N818
    """426: the `LinkedIn-Version` we send has been retired."""

    def __init__(self, message: str, version: str) -> None:
        super().__init__(message)
        self.version = version


class Rejected(LinkedInError):  # noqa: N818
    """403, 422 or another 4xx: LinkedIn refused the request; `str()` carries its message."""

    def __init__(self, message: str, status: int, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ConnectionFailed(LinkedInError):  # noqa: N818
    """Nothing was published (no connection, or a step before the post): safe to retry."""


class AmbiguousOutcome(LinkedInError):  # noqa: N818
    """The post request went out and no answer came back: it may be on LinkedIn. Never resend."""

    may_have_published = True


class UnexpectedAnswer(LinkedInError):  # noqa: N818
    """A 2xx or 3xx that is not the answer LinkedIn documents for the call (a 200 HTML page from a
    proxy, `{}`, 202, 204, JSON without the fields asked for). Something answered, maybe not
    LinkedIn: for a post it may have been published; for any other call nothing was posted."""

    def __init__(self, message: str, status: int, publishes: bool) -> None:
        super().__init__(message)
        self.status = status
        self.may_have_published = publishes


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header, from 0 to `MAX_RETRY_AFTER_S`.

    LinkedIn sends seconds; proxies send anything: an HTTP date (past, or in 2099), negative or
    fractional seconds, `nan`, `inf`, `1e400`. None when it says nothing readable.
    """
    text = (value or "").strip()
    if not text:
        return None
    seconds: float | None
    try:
        seconds = float(text)  # "1e400" and "inf" are infinite, "nan" is not a number
    except ValueError:
        seconds = _seconds_until(text, time.time() if now is None else now)
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _seconds_until(http_date: str, now: float) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": a date with no zone; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return when.timestamp() - now


def _linkedin_message(response: httpx.Response) -> tuple[str, str | None]:
    """LinkedIn's own message and code from an error body, else the HTTP reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        message = body.get("message") or body.get("error_description")
        code = body.get("code") or body.get("error")
        if message:
            return str(message), str(code) if code else None
    return response.reason_phrase or f"HTTP {response.status_code}", None


def error_for(response: httpx.Response, version: str) -> LinkedInError:
    """The typed error for a non-success answer."""
    status = response.status_code
    message, code = _linkedin_message(response)
    if status == 401:
        return AuthExpired(f"LinkedIn no longer accepts the connection ({message}).")
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return RateLimited(f"LinkedIn asked to slow down ({message}).", retry_after)
    if status == 426:
        return VersionRetired(f"LinkedIn API version {version} is retired ({message}).", version)
    if status >= 500:
        return ServerError(f"LinkedIn had a problem (HTTP {status}: {message}).", status)
    return Rejected(message, status, code)


@dataclass(frozen=True)
class Expected:
    """The answer LinkedIn documents for one call: its status(es), and whether a JSON object."""

    statuses: frozenset[int] | None  # None: any 2xx (an upload's answer carries nothing we use)
    json: bool


CREATED = Expected(frozenset({201}), json=False)  # POST /rest/posts
JSON_OK = Expected(frozenset({200}), json=True)  # userinfo, initializeUpload, analytics
ANY_SUCCESS = Expected(None, json=False)  # PUT of an upload's bytes


def unexpected_answer(response: httpx.Response, what: str, publishes: bool) -> UnexpectedAnswer:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    said = f"HTTP {response.status_code}" + (f", {media_type}" if media_type else "")
    if publishes:  # the publisher adds what the user should do about a post that may be live
        return UnexpectedAnswer(
            f"LinkedIn gave an unexpected answer ({said})", response.status_code, True
        )
    return UnexpectedAnswer(
        f"{what}: LinkedIn gave an unexpected answer ({said}).", response.status_code, False
    )


def read_answer(
    response: httpx.Response, expected: Expected, *, version: str, what: str, publishes: bool
) -> dict[str, Any] | None:
    """What one answer means: LinkedIn's JSON object when `expected.json`, None for another
    expected answer, or the typed error for anything else (an error status, or an answer that is
    not the documented one)."""
    status = response.status_code
    if status >= 400:
        raise error_for(response, version)
    if not response.is_success or (
        expected.statuses is not None and status not in expected.statuses
    ):
        raise unexpected_answer(response, what, publishes)
    if not expected.json:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:  # also a body that is not UTF-8
        body = None
    if not isinstance(body, dict):
        raise unexpected_answer(response, what, publishes)
    return body


def network_error(exc: httpx.RequestError, publishes: bool, what: str) -> LinkedInError:
    import httpx

    # Connect errors and pool timeouts happen before a byte of the request left this computer.
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if publishes and not not_sent:
        return AmbiguousOutcome(
            f"LinkedIn did not answer after the post was sent ({type(exc).__name__}); "
            "it may have been published."
        )
    reason = "could not reach LinkedIn" if not_sent else "LinkedIn did not answer"
    return ConnectionFailed(f"{what}: {reason} ({type(exc).__name__}).")


class LinkedInSender(Protocol):
    """What the modules the client hands over to (media, comments) use of it: its address, its
    deadline, its headers and its one door for requests (linkedin.LinkedInClient)."""

    api_base: str
    deadline_s: float

    def _bearer_headers(self) -> dict[str, str]: ...

    def _rest_headers(self) -> dict[str, str]: ...

    def _send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        expected: Expected,
        publishes: bool = False,
        deadline_s: float | None = None,
        **kwargs: Any,
    ) -> tuple[httpx.Response, dict[str, Any] | None]: ...

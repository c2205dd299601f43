"""The LinkedIn REST client (httpx, no Qt): identity, posts of every kind, errors as types.

Media uploads live in services/linkedin_media.py, the first comment in linkedin_comments.py and a
post's `content` kinds in linkedin_content.py; the client's methods for them hand over to those
modules, which send through this client's `_send`.

Every error is a `LinkedInError` subclass that tells the publisher what to do next (LINKEDIN-API.md,
Errors). The one distinction that matters most: `ConnectionFailed` means nothing reached LinkedIn,
so a retry is safe; `AmbiguousOutcome` means the post request may have reached LinkedIn and been
published, so it must never be resent automatically (`may_have_published`).

Every request goes through `_send`, under a deadline for the whole request (services/
http_deadline.py), and every answer through `read_answer`: only the answer LinkedIn documents for
that call counts as success (201 for a post; 200 with LinkedIn's JSON where JSON is expected).
Anything else that looks like success (a 200 HTML page, `{}`, 202, 204) is an `UnexpectedAnswer`.

httpx (~70 ms of a cold start) is imported where a request is made, not with this module: the
main window imports the error types long before anything talks to LinkedIn.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from linkie_desktop.domain.images import ImageInfo, inspect_image
from linkie_desktop.domain.little_text import to_little_text

if TYPE_CHECKING:
    import httpx

    from linkie_desktop.services.linkedin_content import PostContent
    from linkie_desktop.services.linkedin_media import ProgressCallback

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


@dataclass(frozen=True)
class Profile:
    sub: str
    name: str | None
    given_name: str | None
    family_name: str | None
    picture: str | None
    email: str | None
    email_verified: bool | None

    @property
    def person_urn(self) -> str:
        return f"urn:li:person:{self.sub}"


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


def _network_error(exc: httpx.RequestError, publishes: bool, what: str) -> LinkedInError:
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


class LinkedInClient:
    """One member's calls to LinkedIn's REST API; use as a context manager or call close()."""

    def __init__(
        self,
        api_base: str,
        version: str,
        access_token: str,
        deadline_s: float = DEFAULT_DEADLINE_S,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.version = version
        self.deadline_s = deadline_s
        self._token = access_token
        from linkie_desktop.services import http_deadline

        self._http = http_deadline.deadline_client()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _bearer_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _rest_headers(self) -> dict[str, str]:
        return self._bearer_headers() | {
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": RESTLI_PROTOCOL_VERSION,
        }

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
    ) -> tuple[httpx.Response, dict[str, Any] | None]:
        """The answer and its JSON object (see `read_answer`), or the typed error. The one door
        for every request, the linkedin_media and linkedin_comments modules' included."""
        import httpx

        from linkie_desktop.services import http_deadline

        try:
            response = http_deadline.request_within(
                self._http, deadline_s or self.deadline_s, method, url, **kwargs
            )
        except httpx.RequestError as exc:  # also an answer httpx cannot decode
            raise _network_error(exc, publishes, what) from exc
        body = read_answer(response, expected, version=self.version, what=what, publishes=publishes)
        return response, body

    def userinfo(self) -> Profile:
        what = "Reading your LinkedIn profile"
        response, body = self._send(
            "GET",
            f"{self.api_base}/v2/userinfo",
            what=what,
            expected=JSON_OK,
            headers=self._bearer_headers(),
        )
        if body is None or not body.get("sub"):
            raise unexpected_answer(response, what, publishes=False)
        return Profile(
            sub=str(body["sub"]),
            name=body.get("name"),
            given_name=body.get("given_name"),
            family_name=body.get("family_name"),
            picture=body.get("picture"),
            email=body.get("email"),
            email_verified=body.get("email_verified"),
        )

    def initialize_image_upload(self, owner_urn: str) -> tuple[str, str]:
        """(upload URL, image URN) for one image owned by `owner_urn`."""
        from linkie_desktop.services import linkedin_media

        return linkedin_media.initialize_upload(self, "image", owner_urn)

    def upload_image(
        self, path: Path, owner_urn: str, on_progress: ProgressCallback | None = None
    ) -> str:
        """Check the image locally, then upload it; its `urn:li:image:…`."""
        from linkie_desktop.services import linkedin_media

        validate_image(path)
        return linkedin_media.upload_file(self, "image", path, owner_urn, on_progress)

    def upload_document(
        self, path: Path, owner_urn: str, on_progress: ProgressCallback | None = None
    ) -> str:
        """Upload a document whole; its `urn:li:document:…` (linkedin_media.upload_file)."""
        from linkie_desktop.services import linkedin_media

        return linkedin_media.upload_file(self, "document", path, owner_urn, on_progress)

    def upload_video(
        self, path: Path, owner_urn: str, on_progress: ProgressCallback | None = None
    ) -> str:
        """Upload a video in parts and finalize it; its `urn:li:video:…`, PROCESSING at first
        (linkedin_media.upload_video)."""
        from linkie_desktop.services import linkedin_media

        return linkedin_media.upload_video(self, path, owner_urn, on_progress)

    def video_status(self, urn: str) -> str:
        """The video's LinkedIn status (linkedin_media.video_status)."""
        from linkie_desktop.services import linkedin_media

        return linkedin_media.video_status(self, urn)

    def wait_until_available(
        self, urn: str, poll_s: float = 5.0, deadline_s: float = 600.0
    ) -> None:
        """Return once the video is AVAILABLE (linkedin_media.wait_until_available)."""
        from linkie_desktop.services import linkedin_media

        linkedin_media.wait_until_available(self, urn, poll_s, deadline_s)

    def create_post(
        self,
        author_urn: str,
        text: str,
        image_urn: str | None = None,
        alt_text: str | None = None,
        *,
        visibility: str = "PUBLIC",
        content: PostContent | None = None,
    ) -> str | None:
        """Publish `text` as typed (made little text here, at send time: live hashtags and
        mentions, the rest escaped) with `content`, if any; the new post's URN if given.

        The one at-most-once call: an answer lost after sending is an `AmbiguousOutcome`.
        `image_urn` / `alt_text` are the older way to say `content=ImageContent(...)`.
        """
        if image_urn is not None:
            if content is not None:
                raise ValueError("give the image as content or as image_urn, not both")
            from linkie_desktop.services.linkedin_content import ImageContent

            content = ImageContent(image_urn, alt_text)
        body: dict[str, Any] = {
            "author": author_urn,
            "commentary": to_little_text(text),
            "visibility": visibility,
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if content is not None:
            body["content"] = content.body()
        response, _ = self._send(
            "POST",
            f"{self.api_base}/rest/posts",
            what="Publishing the post",
            expected=CREATED,
            publishes=True,
            headers=self._rest_headers(),
            json=body,
        )
        for header in POST_ID_HEADERS:
            if response.headers.get(header):
                return response.headers[header]
        return None

    def create_comment(self, post_urn: str, actor_urn: str, text: str) -> str | None:
        """Add `text` as plain text, at most once (linkedin_comments.create_comment)."""
        from linkie_desktop.services import linkedin_comments

        return linkedin_comments.create_comment(self, post_urn, actor_urn, text)


def validate_image(path: Path) -> ImageInfo:
    """JPG, PNG or GIF within LinkedIn's pixel limit, readable; ValidationError otherwise."""
    return inspect_image(path)

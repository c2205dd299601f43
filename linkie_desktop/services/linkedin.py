"""The LinkedIn REST client (httpx, no Qt): identity, image upload and posts, errors as types.

Every error is a `LinkedInError` subclass that tells the publisher what to do next (LINKEDIN-API.md,
Errors). The one distinction that matters most: `ConnectionFailed` means nothing reached LinkedIn,
so a retry is safe; `AmbiguousOutcome` means the post request may have reached LinkedIn and been
published, so it must never be resent automatically.

httpx (~70 ms of a cold start) is imported where a request is made, not with this module: the
main window imports the error types long before anything talks to LinkedIn.
"""

from __future__ import annotations

import email.utils
import functools
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from linkie_desktop.domain.images import ImageInfo, inspect_image
from linkie_desktop.domain.text import escape_little_text

if TYPE_CHECKING:
    import httpx

RESTLI_PROTOCOL_VERSION = "2.0.0"
DEFAULT_TIMEOUT_S = 30.0
POST_ID_HEADERS = ("x-restli-id", "x-linkedin-id")  # deployments differ: read both


class LinkedInError(Exception):
    """LinkedIn did not do what was asked; `str(error)` is plain words for the user."""


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
    """Seconds from a Retry-After header: either a number of seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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


def _network_error(exc: httpx.TransportError, publishes: bool, what: str) -> LinkedInError:
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


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # httpx's default trust store; built once because building it costs ~30 ms per client.
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class LinkedInClient:
    """One member's calls to LinkedIn's REST API; use as a context manager or call close()."""

    def __init__(
        self,
        api_base: str,
        version: str,
        access_token: str,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.version = version
        self._token = access_token
        import httpx

        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=False, verify=_tls_context()
        )

    def __enter__(self) -> LinkedInClient:
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

    def _rest_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._token}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": RESTLI_PROTOCOL_VERSION,
        }

    def _send(
        self, method: str, url: str, *, what: str, publishes: bool = False, **kwargs: Any
    ) -> httpx.Response:
        import httpx

        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise _network_error(exc, publishes, what) from exc
        if response.is_success:
            return response
        raise error_for(response, self.version)

    def userinfo(self) -> Profile:
        response = self._send(
            "GET",
            f"{self.api_base}/v2/userinfo",
            what="Reading your LinkedIn profile",
            headers={"Authorization": f"Bearer {self._token}"},
        )
        body = response.json()
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
        response = self._send(
            "POST",
            f"{self.api_base}/rest/images",
            what="Preparing the image upload",
            params={"action": "initializeUpload"},
            headers=self._rest_headers(),
            json={"initializeUploadRequest": {"owner": owner_urn}},
        )
        value = response.json()["value"]
        return str(value["uploadUrl"]), str(value["image"])

    def upload_image(self, path: Path, owner_urn: str) -> str:
        """Check the image locally, then upload it; its `urn:li:image:…`."""
        validate_image(path)
        data = path.read_bytes()
        upload_url, image_urn = self.initialize_image_upload(owner_urn)
        self._send(
            "PUT",
            upload_url,
            what="Uploading the image",
            headers={"Authorization": f"Bearer {self._token}"},
            content=data,
        )
        return image_urn

    def create_post(
        self,
        author_urn: str,
        text: str,
        image_urn: str | None = None,
        alt_text: str | None = None,
    ) -> str | None:
        """Publish `text` as typed (escaped here, at send time); the new post's URN if given."""
        body: dict[str, Any] = {
            "author": author_urn,
            "commentary": escape_little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if image_urn is not None:
            media: dict[str, str] = {"id": image_urn}
            if alt_text:
                media["altText"] = alt_text
            body["content"] = {"media": media}
        response = self._send(
            "POST",
            f"{self.api_base}/rest/posts",
            what="Publishing the post",
            publishes=True,
            headers=self._rest_headers(),
            json=body,
        )
        for header in POST_ID_HEADERS:
            if response.headers.get(header):
                return response.headers[header]
        return None


def validate_image(path: Path) -> ImageInfo:
    """JPG, PNG or GIF within LinkedIn's pixel limit, readable; ValidationError otherwise."""
    return inspect_image(path)

"""The LinkedIn REST client (httpx, no Qt): identity, posts of every kind, errors as types.

Media uploads live in services/linkedin_media.py, the first comment in linkedin_comments.py and a
post's `content` kinds in linkedin_content.py; the client's methods for them hand over to those
modules, which send through this client's `_send`. The answers' rules and error types live
beneath all of them, in linkedin_answers.py, and are read through this module.

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

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from linkie_desktop.domain.images import ImageInfo, inspect_image
from linkie_desktop.domain.little_text import to_little_text
from linkie_desktop.services.linkedin_answers import (
    ANY_SUCCESS,
    CREATED,
    DEFAULT_DEADLINE_S,
    JSON_OK,
    MAX_RETRY_AFTER_S,
    POST_ID_HEADERS,
    RESTLI_PROTOCOL_VERSION,
    SLOW_UPLINK_BYTES_PER_S,
    AmbiguousOutcome,
    AuthExpired,
    ConnectionFailed,
    Expected,
    LinkedInError,
    RateLimited,
    Rejected,
    ServerError,
    UnexpectedAnswer,
    VersionRetired,
    error_for,
    network_error,
    parse_retry_after,
    read_answer,
    unexpected_answer,
)

if TYPE_CHECKING:
    import httpx

    from linkie_desktop.services.linkedin_content import PostContent
    from linkie_desktop.services.linkedin_media import ProgressCallback


# The answers' types, read by every caller through this module.
__all__ = [
    "ANY_SUCCESS",
    "CREATED",
    "DEFAULT_DEADLINE_S",
    "JSON_OK",
    "MAX_RETRY_AFTER_S",
    "POST_ID_HEADERS",
    "RESTLI_PROTOCOL_VERSION",
    "SLOW_UPLINK_BYTES_PER_S",
    "AmbiguousOutcome",
    "AuthExpired",
    "ConnectionFailed",
    "Expected",
    "LinkedInClient",
    "LinkedInError",
    "Profile",
    "RateLimited",
    "Rejected",
    "ServerError",
    "UnexpectedAnswer",
    "VersionRetired",
    "error_for",
    "parse_retry_after",
    "read_answer",
    "unexpected_answer",
    "validate_image",
]


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
            raise network_error(exc, publishes, what) from exc
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

"""A LinkedIn test server: real HTTP on 127.0.0.1, as strict as /work/shared/LINKEDIN-API.md.

A client that would fail against LinkedIn fails against this server. It serves both bases, so point
`LINKIE_LINKEDIN_AUTH_BASE` and `LINKIE_LINKEDIN_API_BASE` at `server.base_url` (the `linkedin_env`
fixture does that). Use it through the pytest fixtures in `tests/fakes/fixtures.py`:

    def test_x(linkedin_server: FakeLinkedIn) -> None:
        token = linkedin_server.issue_token()          # a valid access token, no OAuth dance
        ...                                            # run the real client against base_url
        assert linkedin_server.posts[0].commentary == "what the member sees"

Python API (everything else is private):
- `base_url`; `client_id`, `client_secret`, `redirect_uris` (registered, exact match);
  `profile` (the `/v2/userinfo` answer; its `sub` owns every token).
- `issue_token(scopes=..., expires_in=...) -> str`; `expire_token(t)`; `revoke_token(t)`.
- `consent = "approve" | "cancel"` (cancel redirects with `error=user_cancelled_authorize`);
  `refresh_tokens_enabled`; `code_lifetime_s`.
- `retired_versions: set[str]` -> 426 NONEXISTENT_VERSION; `post_id_header` ("x-restli-id" or
  "x-linkedin-id").
- `inject(method, path, status=None, *, body=None, content_type=None, retry_after=None,
  delay_s=0.0, drop=False, trickle_s=0.0, headers=None, omit_headers=(), times=1)`: the next
  matching request(s) get this. `path` is exact, or a prefix ending in `*` (`"/upload/video/*"`:
  any video part, `"/rest/videos/*"`: any status read), optionally with `?name=value` that the
  request's query must hold (`"/rest/videos?action=finalizeUpload"`). `status` None means "handle
  normally" (so `delay_s` / `drop` / `trickle_s` happen AFTER LinkedIn did the work: a post is
  stored, then the answer is late, never comes or trickles; `headers` replace and `omit_headers`
  remove headers of that normal answer: a wrong or missing ETag). With a status, the request is
  recorded and answered, nothing stored: with `body` (a dict is sent as JSON, `{}` too; a str as
  is, as `content_type`, by default text/html), else with LinkedIn's error body for an error
  status and no body for any other (a 204, a 202).
  `retry_after`: a number, or any text a proxy might send ("1e400", "nan", an HTTP date).
  `trickle_s`: the answer's body goes out one byte every `trickle_s` seconds;
  `wait_for_hang_up()` is true once a client gave up in the middle of one.
- `requests: list[RecordedRequest]` (method, path, query, lower-cased headers, body bytes,
  `received_at`, `.json()`, `.form()`); `requests_to(method, path)` (path as in `inject`).
- `posts: list[StoredPost]`: what LinkedIn would show (commentary after little-text parsing, which
  truncates at the first unescaped reserved character or malformed template, with the live
  `hashtags` and `mentions`), its `visibility`, `kind` and `content` as sent.
- Media: `images: dict[urn, bytes]` and `documents: dict[urn, bytes]` uploaded;
  `videos: dict[urn, StoredVideo]` (parts, ETags, `status`, `.data()`). A video goes
  WAITING_UPLOAD -> (finalize) PROCESSING -> after `video_processing_reads` status reads
  `video_outcome` ("AVAILABLE", or "PROCESSING_FAILED"); `set_video_status(urn, status)` sets it.
  `upload_url_lifetime_s` (an hour): an upload URL used later answers 403 (0: at once).
- `comments: list[StoredComment]`: each comment's text exactly as it arrived (plain text).
- `play_browser(authorization_url) -> str`: what the browser does; returns the redirect Location.
- `post_statistics: dict[urn, dict[metric, int]]`: what `GET /rest/memberCreatorPostAnalytics`
  (`q=entity`, needs `r_member_postAnalytics`) reports per post; a metric left out comes back as
  no element, an URN neither here nor in `posts` is a 404.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import httpx

from tests.fakes.linkedin_content import (
    MAX_COMMENTARY_CHARS,
    RESERVED,
    VISIBILITIES,
    ContentError,
    SentMention,
    check_content,
    parse_little_text,
    read_little_text,
)
from tests.fakes.loopback_http import LoopbackServer

__all__ = ["RESERVED", "FakeLinkedIn", "SentMention", "parse_little_text"]

ALL_SCOPES = ("openid", "profile", "email", "w_member_social")
ACCESS_TOKEN_LIFETIME_S = 5_184_000  # 60 days
REFRESH_TOKEN_LIFETIME_S = 31_536_000  # 365 days
_VERSION = re.compile(r"^\d{6}(\.\d{2})?$")
ANALYTICS_SCOPE = "r_member_postAnalytics"
ANALYTICS_METRICS = frozenset({"IMPRESSION", "MEMBERS_REACHED", "RESHARE", "REACTION", "COMMENT"})
_ANALYTICS_METRIC_KEY = (
    "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1"
)
_ENTITY = re.compile(r"^\((share|ugc):(urn:li:(?:share|ugcPost):\d+)\)$")
VIDEO_PART_BYTES = 4 * 1024 * 1024  # LinkedIn's part size; the last part is shorter
MIN_VIDEO_BYTES = 75 * 1024
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MAX_COMMENT_CHARS = 1250
_COMMENTS_PATH = re.compile(r"^/rest/socialActions/(?P<post>[^/]+)/comments$")
_POST_KEYS = {
    "author",
    "commentary",
    "visibility",
    "distribution",
    "lifecycleState",
    "isReshareDisabledByAuthor",
}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.time)  # wall clock, for lateness benchmarks

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass(frozen=True)
class StoredPost:
    urn: str
    author: str
    commentary: str  # as the member sees it
    raw_commentary: str  # as it was sent
    image_urn: str | None  # a one-image post's image
    alt_text: str | None  # ...and its alt text
    visibility: str = "PUBLIC"
    kind: str = "text"  # text, image, multiImage, document, video, poll, article
    content: dict[str, Any] | None = None  # as sent
    hashtags: tuple[str, ...] = ()  # live hashtags, without "#"
    mentions: tuple[SentMention, ...] = ()


@dataclass(frozen=True)
class StoredComment:
    urn: str
    post_urn: str
    actor: str
    text: str  # exactly as it arrived: comments are plain text, a backslash shows


@dataclass
class StoredVideo:
    urn: str
    owner: str
    size: int
    upload_token: str
    parts: list[tuple[int, int]]  # (firstByte, lastByte) of each part, in order
    part_ids: list[str]  # each part's upload URL id
    expires_at: float
    etags: dict[int, str] = field(default_factory=dict)  # part index -> ETag answered
    chunks: dict[int, bytes] = field(default_factory=dict)  # part index -> bytes received
    status: str = "WAITING_UPLOAD"
    finalized_with: list[str] | None = None  # the uploadedPartIds finalize was given
    reads_until_done: int = 0

    def data(self) -> bytes:
        """The file as LinkedIn put it together from its parts."""
        return b"".join(self.chunks[index] for index in range(len(self.parts)))


@dataclass
class _PendingUpload:
    kind: str  # "image" or "document"
    urn: str
    owner: str
    expires_at: float


@dataclass
class _Token:
    sub: str
    scopes: frozenset[str]
    expires_at: float
    revoked: bool = False


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    code_challenge: str
    issued_at: float


@dataclass
class _Fault:
    status: int | None
    body: dict[str, Any] | str | None
    content_type: str | None
    retry_after: float | str | None
    delay_s: float
    drop: bool
    trickle_s: float
    headers: dict[str, str]
    omit_headers: tuple[str, ...]


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    """Raised inside a handler: becomes LinkedIn's error body."""

    def __init__(self, status: int, message: str, code: str | None = None, service: int = 100):
        super().__init__(message)
        self.reply = _json_reply(status, _error_body(status, message, code, service))


def _error_body(status: int, message: str, code: str | None, service: int) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "serviceErrorCode": service, "status": status}
    if code:
        body["code"] = code
    return body


def _json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> _Reply:
    all_headers = {"Content-Type": "application/json"} | (headers or {})
    return _Reply(status, json.dumps(body).encode(), all_headers)


def _oauth_error(status: int, error: str, description: str) -> HttpError:
    exc = HttpError(status, description)
    exc.reply = _json_reply(status, {"error": error, "error_description": description})
    return exc


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FakeLinkedIn(LoopbackServer):
    name = "fake-linkedin"

    def __init__(self) -> None:
        super().__init__()
        self.client_id = "test-client-id"
        self.client_secret = "test-client-secret"
        self.redirect_uris: set[str] = {"http://127.0.0.1:8723/callback"}
        self.profile: dict[str, Any] = {
            "sub": "782bbtaQ",
            "name": "Alex Rivera",
            "given_name": "Alex",
            "family_name": "Rivera",
            "picture": "https://media.licdn.com/dms/image/alex.jpg",
            "email": "alex.rivera@example.com",
            "email_verified": True,
            "locale": {"country": "US", "language": "en"},
        }
        self.consent = "approve"
        self.refresh_tokens_enabled = False
        self.code_lifetime_s = 30 * 60.0
        self.retired_versions: set[str] = {"202301", "202302", "202303"}
        self.post_id_header = "x-restli-id"
        self.requests: list[RecordedRequest] = []
        self.posts: list[StoredPost] = []
        self.images: dict[str, bytes] = {}
        self.documents: dict[str, bytes] = {}
        self.videos: dict[str, StoredVideo] = {}
        self.video_outcome = "AVAILABLE"  # or "PROCESSING_FAILED"
        self.video_processing_reads = 1  # status reads answered PROCESSING after finalize
        self.comments: list[StoredComment] = []
        self.upload_url_lifetime_s = 3600.0
        self.post_statistics: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._refresh_tokens: dict[str, tuple[str, float]] = {}  # token -> (sub, expires_at)
        self._codes: dict[str, _Code] = {}
        self._faults: list[tuple[str, str, _Fault]] = []  # (method, path pattern, fault)
        self._pending_uploads: dict[str, _PendingUpload] = {}  # upload id -> image or document
        self._uploaded_owners: dict[str, str] = {}  # image or document urn -> owner
        self._video_parts: dict[str, tuple[str, int]] = {}  # part upload id -> (video, index)
        self._next_id = 7_100_000_000_000_000_000
        self._listen(_handler_for(self))

    # --- test controls ----------------------------------------------------------------------

    def issue_token(
        self, scopes: tuple[str, ...] = ALL_SCOPES, expires_in: float = ACCESS_TOKEN_LIFETIME_S
    ) -> str:
        token = "AQV" + secrets.token_urlsafe(32)
        with self._lock:
            sub = str(self.profile["sub"])
            self._tokens[token] = _Token(sub, frozenset(scopes), time.time() + expires_in)
        return token

    def expire_token(self, token: str) -> None:
        with self._lock:
            self._tokens[token].expires_at = 0.0

    def revoke_token(self, token: str) -> None:
        with self._lock:
            self._tokens[token].revoked = True

    def inject(
        self,
        method: str,
        path: str,
        status: int | None = None,
        *,
        body: dict[str, Any] | str | None = None,
        content_type: str | None = None,
        retry_after: float | str | None = None,
        delay_s: float = 0.0,
        drop: bool = False,
        trickle_s: float = 0.0,
        headers: dict[str, str] | None = None,
        omit_headers: tuple[str, ...] = (),
        times: int = 1,
    ) -> None:
        fault = _Fault(
            status,
            body,
            content_type,
            retry_after,
            delay_s,
            drop,
            trickle_s,
            dict(headers or {}),
            tuple(name.lower() for name in omit_headers),
        )
        with self._lock:
            self._faults.extend([(method.upper(), path, fault)] * times)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """The requests received for `method` and `path` (a pattern, as in `inject`)."""
        with self._lock:
            return [r for r in self.requests if _matches(method.upper(), path, r)]

    def set_video_status(self, urn: str, status: str) -> None:
        with self._lock:
            self.videos[urn].status = status
            self.videos[urn].reads_until_done = 0

    def play_browser(self, authorization_url: str) -> str:
        """GET the consent page as the member's browser would; the redirect's Location."""
        response = httpx.get(authorization_url, follow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise AssertionError(f"LinkedIn refused the authorization: {response.text}")
        return response.headers["location"]

    # --- request handling -------------------------------------------------------------------

    def _take_fault(self, request: RecordedRequest) -> _Fault | None:
        with self._lock:
            for index, (method, pattern, fault) in enumerate(self._faults):
                if _matches(method, pattern, request):
                    del self._faults[index]
                    return fault
        return None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def handle(self, request: RecordedRequest) -> tuple[_Reply, _Fault | None]:
        self._record(request)
        fault = self._take_fault(request)
        if fault is not None and fault.status is not None:
            reply = self._fault_reply(fault)
        else:
            try:
                reply = self._route(request)
            except HttpError as exc:
                reply = exc.reply
            if fault is not None:  # a wrong or missing header on LinkedIn's own answer
                kept = {
                    k: v for k, v in reply.headers.items() if k.lower() not in fault.omit_headers
                }
                reply = _Reply(reply.status, reply.body, kept | fault.headers)
        if fault is not None and fault.delay_s:
            self._stopping.wait(fault.delay_s)
        return reply, fault

    def _fault_reply(self, fault: _Fault) -> _Reply:
        status = fault.status
        assert status is not None
        headers = dict(fault.headers)
        if isinstance(fault.retry_after, str):
            headers["Retry-After"] = fault.retry_after
        elif fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        if isinstance(fault.body, str):
            content_type = fault.content_type or "text/html; charset=utf-8"
            return _Reply(status, fault.body.encode(), {"Content-Type": content_type} | headers)
        if fault.body is not None:
            return _json_reply(status, fault.body, headers)
        if status >= 400:
            return _json_reply(
                status, _error_body(status, f"Injected {status}", None, 100), headers
            )
        return _Reply(status, b"", headers)

    def _route(self, request: RecordedRequest) -> _Reply:
        routes: dict[tuple[str, str], Callable[[RecordedRequest], _Reply]] = {
            ("GET", "/oauth/v2/authorization"): self._authorize,
            ("POST", "/oauth/v2/accessToken"): self._access_token,
            ("GET", "/v2/userinfo"): self._userinfo,
            ("POST", "/rest/posts"): self._create_post,
            ("POST", "/rest/images"): self._initialize_image_upload,
            ("POST", "/rest/documents"): self._initialize_document_upload,
            ("POST", "/rest/videos"): self._video_action,
            ("GET", "/rest/memberCreatorPostAnalytics"): self._post_analytics,
        }
        handler = routes.get((request.method, request.path))
        if handler is not None:
            return handler(request)
        if request.method == "PUT" and request.path.startswith("/upload/video/"):
            return self._upload_video_part(request)
        if request.method == "PUT" and request.path.startswith("/upload/"):
            return self._upload(request)
        if request.method == "GET" and request.path.startswith("/rest/videos/"):
            return self._video_status(request)
        if request.method == "POST" and _COMMENTS_PATH.match(request.path):
            return self._create_comment(request)
        raise HttpError(404, f"No resource found for {request.method} {request.path}")

    # --- OAuth ------------------------------------------------------------------------------

    def _authorize(self, request: RecordedRequest) -> _Reply:
        q = request.query
        if q.get("client_id") != self.client_id:
            raise _oauth_error(400, "invalid_client_id", "The passed in client_id is invalid")
        redirect_uri = q.get("redirect_uri", "")
        if redirect_uri not in self.redirect_uris:
            raise _oauth_error(
                400, "invalid_redirect_uri", "The redirect_uri does not match the registered value"
            )
        if q.get("response_type") != "code":
            raise _oauth_error(400, "invalid_request", "response_type must be 'code'")
        if not q.get("state"):
            raise _oauth_error(400, "invalid_request", "state is required")
        scopes = frozenset(q.get("scope", "").split(" ")) - {""}
        if not scopes or not scopes <= set(ALL_SCOPES):
            raise _oauth_error(400, "invalid_scope", f"Unknown or missing scope: {q.get('scope')}")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            raise _oauth_error(400, "invalid_request", "code_challenge with S256 is required")
        if self.consent == "cancel":
            return self._redirect(
                redirect_uri,
                error="user_cancelled_authorize",
                error_description="The user cancelled the authorization",
                state=q["state"],
            )
        code = "AQT" + secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(
                self.client_id, redirect_uri, scopes, q["code_challenge"], time.time()
            )
        return self._redirect(redirect_uri, code=code, state=q["state"])

    @staticmethod
    def _redirect(uri: str, **params: str) -> _Reply:
        return _Reply(302, b"", {"Location": f"{uri}?{urlencode(params)}"})

    def _access_token(self, request: RecordedRequest) -> _Reply:
        if request.headers.get("content-type", "").split(";")[0] != (
            "application/x-www-form-urlencoded"
        ):
            raise _oauth_error(400, "invalid_request", "The body must be form-encoded")
        form = request.form()
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            raise _oauth_error(401, "invalid_client", "Client authentication failed")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._exchange_code(form)
        if grant == "refresh_token":
            return self._refresh(form)
        raise _oauth_error(400, "unsupported_grant_type", f"Unknown grant_type: {grant}")

    def _exchange_code(self, form: dict[str, str]) -> _Reply:
        with self._lock:
            code = self._codes.pop(form.get("code", ""), None)  # single use, even when refused
        if code is None or time.time() - code.issued_at > self.code_lifetime_s:
            raise _oauth_error(
                400, "invalid_request", "The authorization code is invalid, used or expired"
            )
        if form.get("redirect_uri") != code.redirect_uri:
            raise _oauth_error(400, "invalid_request", "redirect_uri does not match")
        if _s256(form.get("code_verifier", "")) != code.code_challenge:
            raise _oauth_error(400, "invalid_grant", "The code_verifier does not match")
        return self._token_reply(code.scopes)

    def _refresh(self, form: dict[str, str]) -> _Reply:
        with self._lock:
            entry = self._refresh_tokens.get(form.get("refresh_token", ""))
        if entry is None or entry[1] < time.time():
            raise _oauth_error(400, "invalid_request", "The refresh token is invalid or expired")
        return self._token_reply(frozenset(ALL_SCOPES), refresh=form["refresh_token"])

    def _token_reply(self, scopes: frozenset[str], refresh: str | None = None) -> _Reply:
        token = self.issue_token(tuple(sorted(scopes)))
        body: dict[str, Any] = {
            "access_token": token,
            "expires_in": ACCESS_TOKEN_LIFETIME_S,
            "scope": ",".join(sorted(scopes)),  # LinkedIn answers with commas
            "token_type": "Bearer",
        }
        if self.refresh_tokens_enabled:
            with self._lock:
                if refresh is None:
                    refresh = "AQX" + secrets.token_urlsafe(32)
                    expires = time.time() + REFRESH_TOKEN_LIFETIME_S
                    self._refresh_tokens[refresh] = (str(self.profile["sub"]), expires)
                expires_at = self._refresh_tokens[refresh][1]
            body["refresh_token"] = refresh
            # Refreshing does not extend the refresh token's life.
            body["refresh_token_expires_in"] = int(expires_at - time.time())
        return _json_reply(200, body)

    # --- API --------------------------------------------------------------------------------

    def _bearer(self, request: RecordedRequest, scope: str) -> _Token:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            raise HttpError(401, "Empty oauth2_access_token", service=65604)
        with self._lock:
            token = self._tokens.get(header.removeprefix("Bearer "))
        if token is None:
            raise HttpError(401, "Invalid access token", service=65600)
        if token.revoked:
            raise HttpError(401, "The token used in the request has been revoked", service=65602)
        if token.expires_at < time.time():
            raise HttpError(401, "The token used in the request has expired", service=65601)
        if scope not in token.scopes:
            raise HttpError(403, f"Not enough permissions to access: {scope}", service=100)
        return token

    def _rest_headers(self, request: RecordedRequest, *, json_body: bool = True) -> None:
        version = request.headers.get("linkedin-version")
        if not version or not _VERSION.match(version):
            raise HttpError(400, "A version must be present. Please specify a LinkedIn-Version")
        if version in self.retired_versions:
            raise HttpError(
                426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION"
            )
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            raise HttpError(400, "X-Restli-Protocol-Version 2.0.0 is required")
        if json_body and request.headers.get("content-type", "").split(";")[0] != (
            "application/json"
        ):
            raise HttpError(400, "Content-Type must be application/json")

    def _userinfo(self, request: RecordedRequest) -> _Reply:
        self._bearer(request, "profile")
        return _json_reply(200, self.profile)

    def _json_body(self, request: RecordedRequest) -> dict[str, Any]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            raise HttpError(400, "Request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise HttpError(400, "Request body must be a JSON object")
        return body

    def _create_post(self, request: RecordedRequest) -> _Reply:
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request)
        body = self._json_body(request)
        kind = self._check_post_body(body, token)
        shown = read_little_text(body["commentary"])
        content = body.get("content")
        media = content.get("media") if kind == "image" and isinstance(content, dict) else None
        with self._lock:
            for post in self.posts:
                if (post.author, post.commentary, post.content) == (
                    body["author"],
                    shown.text,
                    content,
                ):
                    raise HttpError(
                        422, f"Content is a duplicate of {post.urn}", code="DUPLICATE_POST"
                    )
            self._next_id += 1
            urn = f"urn:li:share:{self._next_id}"
            self.posts.append(
                StoredPost(
                    urn,
                    body["author"],
                    shown.text,
                    body["commentary"],
                    media["id"] if media else None,
                    media.get("altText") if media else None,
                    visibility=body["visibility"],
                    kind=kind,
                    content=content,
                    hashtags=shown.hashtags,
                    mentions=shown.mentions,
                )
            )
        return _Reply(201, b"", {self.post_id_header: urn})

    def _check_post_body(self, body: dict[str, Any], token: _Token) -> str:
        """The post's kind ("text" without content), or LinkedIn's refusal."""

        def bad(where: str, what: str) -> HttpError:
            return HttpError(422, f"ERROR :: /{where} :: {what}", service=100)

        missing = _POST_KEYS - body.keys()
        unknown = body.keys() - _POST_KEYS - {"content"}
        if missing:
            raise bad(sorted(missing)[0], "field is required but not found")
        if unknown:
            raise bad(sorted(unknown)[0], "unrecognized field found but not allowed")
        if body["author"] != f"urn:li:person:{token.sub}":
            raise HttpError(403, "Unpermitted fields present in REQUEST_BODY: [/author]")
        if not isinstance(body["commentary"], str):
            raise bad("commentary", "expected a string")
        if len(parse_little_text(body["commentary"])) > MAX_COMMENTARY_CHARS:
            raise bad("commentary", f"length exceeds {MAX_COMMENTARY_CHARS}")
        if body["visibility"] not in VISIBILITIES:
            raise bad("visibility", "not a valid enum value")
        if body["lifecycleState"] != "PUBLISHED":
            raise bad("lifecycleState", "must be PUBLISHED")
        if not isinstance(body["isReshareDisabledByAuthor"], bool):
            raise bad("isReshareDisabledByAuthor", "expected a boolean")
        distribution = body["distribution"]
        if not isinstance(distribution, dict) or distribution != {
            "feedDistribution": distribution.get("feedDistribution"),
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        }:
            raise bad("distribution", "expected feedDistribution and two empty lists")
        if distribution["feedDistribution"] not in ("MAIN_FEED", "NONE"):
            raise bad("distribution/feedDistribution", "not a valid enum value")
        if "content" not in body:
            return "text"
        try:
            return check_content(body["content"], body["author"], self)
        except ContentError as exc:
            raise HttpError(422, str(exc), service=100) from None

    # --- what check_content asks of the uploaded media (tests.fakes.linkedin_content.Assets)

    def uploaded_owner(self, urn: str) -> str | None:
        with self._lock:
            if urn in self.images or urn in self.documents:
                return self._uploaded_owners.get(urn)
        return None

    def video_state(self, urn: str) -> tuple[str, str] | None:
        with self._lock:
            video = self.videos.get(urn)
            return None if video is None else (video.owner, video.status)

    # --- uploads ----------------------------------------------------------------------------

    def _initialize_request(self, request: RecordedRequest, extra: set[str]) -> dict[str, Any]:
        """The checked `initializeUploadRequest` (owner, and the `extra` fields) of a member."""
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request)
        if request.query != {"action": "initializeUpload"}:
            raise HttpError(400, "Expected ?action=initializeUpload")
        body = self._json_body(request)
        init = body.get("initializeUploadRequest")
        if set(body) != {"initializeUploadRequest"} or not isinstance(init, dict):
            raise HttpError(422, "ERROR :: /initializeUploadRequest :: field is required")
        expected = {"owner"} | extra
        if set(init) != expected:
            field_name = sorted(set(init) ^ expected)[0]
            raise HttpError(
                422,
                f"ERROR :: /initializeUploadRequest/{field_name} :: expected {sorted(expected)}",
            )
        if init.get("owner") != f"urn:li:person:{token.sub}":
            raise HttpError(403, "Unpermitted fields present in REQUEST_BODY: [/owner]")
        return init

    def _initialize_image_upload(self, request: RecordedRequest) -> _Reply:
        init = self._initialize_request(request, set())
        return self._upload_ticket("image", init["owner"])

    def _initialize_document_upload(self, request: RecordedRequest) -> _Reply:
        init = self._initialize_request(request, set())
        return self._upload_ticket("document", init["owner"])

    def _upload_ticket(self, kind: str, owner: str) -> _Reply:
        upload_id = secrets.token_hex(8)
        urn = f"urn:li:{kind}:D4E{self._new_id()}"
        expires_at = time.time() + self.upload_url_lifetime_s
        with self._lock:
            self._pending_uploads[upload_id] = _PendingUpload(kind, urn, owner, expires_at)
        value = {
            "uploadUrlExpiresAt": int(expires_at * 1000),
            "uploadUrl": f"{self.base_url}/upload/{kind}/{upload_id}",
            kind: urn,
        }
        return _json_reply(200, {"value": value})

    def _upload(self, request: RecordedRequest) -> _Reply:
        """The PUT of a whole image or document to its upload URL."""
        self._bearer(request, "w_member_social")
        kind, _, upload_id = request.path.removeprefix("/upload/").partition("/")
        with self._lock:
            pending = self._pending_uploads.get(upload_id)
            if pending is None or pending.kind != kind:
                raise HttpError(404, "Unknown or used upload URL")
            if pending.expires_at <= time.time():
                raise HttpError(403, "The upload URL has expired")
            if not request.body:
                raise HttpError(400, "Empty upload")
            del self._pending_uploads[upload_id]
            (self.images if kind == "image" else self.documents)[pending.urn] = request.body
            self._uploaded_owners[pending.urn] = pending.owner
        return _Reply(201)

    def _video_action(self, request: RecordedRequest) -> _Reply:
        if request.query.get("action") == "finalizeUpload":
            return self._finalize_video(request)
        return self._initialize_video_upload(request)

    def _initialize_video_upload(self, request: RecordedRequest) -> _Reply:
        init = self._initialize_request(
            request, {"fileSizeBytes", "uploadCaptions", "uploadThumbnail"}
        )
        size = init["fileSizeBytes"]
        if not isinstance(size, int) or isinstance(size, bool):
            raise HttpError(422, "ERROR :: /initializeUploadRequest/fileSizeBytes :: not a number")
        if not MIN_VIDEO_BYTES <= size <= MAX_VIDEO_BYTES:
            raise HttpError(
                422, f"ERROR :: /initializeUploadRequest/fileSizeBytes :: {size} out of range"
            )
        for flag in ("uploadCaptions", "uploadThumbnail"):
            if not isinstance(init[flag], bool):
                raise HttpError(422, f"ERROR :: /initializeUploadRequest/{flag} :: not a boolean")
            if init[flag]:  # the contract never asks for them, so this server serves none
                raise HttpError(422, f"ERROR :: /initializeUploadRequest/{flag} :: not served")
        urn = f"urn:li:video:C5F{self._new_id()}"
        parts = [
            (first, min(first + VIDEO_PART_BYTES, size) - 1)
            for first in range(0, size, VIDEO_PART_BYTES)
        ]
        part_ids = [secrets.token_hex(8) for _ in parts]
        video = StoredVideo(
            urn,
            init["owner"],
            size,
            secrets.token_urlsafe(12),
            parts,
            part_ids,
            time.time() + self.upload_url_lifetime_s,
        )
        with self._lock:
            self.videos[urn] = video
            for index, part_id in enumerate(part_ids):
                self._video_parts[part_id] = (urn, index)
        value = {
            "video": urn,
            "uploadToken": video.upload_token,
            "uploadUrlsExpireAt": int(video.expires_at * 1000),
            "uploadInstructions": [
                {
                    "uploadUrl": f"{self.base_url}/upload/video/{part_id}",
                    "firstByte": first,
                    "lastByte": last,
                }
                for part_id, (first, last) in zip(part_ids, parts, strict=True)
            ],
        }
        return _json_reply(200, {"value": value})

    def _upload_video_part(self, request: RecordedRequest) -> _Reply:
        if request.headers.get("content-type") != "application/octet-stream":
            raise HttpError(400, "Content-Type must be application/octet-stream")
        with self._lock:
            found = self._video_parts.get(request.path.removeprefix("/upload/video/"))
            if found is None:
                raise HttpError(404, "Unknown upload URL")
            video, index = self.videos[found[0]], found[1]
            if video.expires_at <= time.time():
                raise HttpError(403, "The upload URL has expired")
            if video.finalized_with is not None:
                raise HttpError(400, "The upload was already finalized")
            first, last = video.parts[index]
            if len(request.body) != last - first + 1:
                raise HttpError(
                    400,
                    f"Part {index + 1} must be {last - first + 1} bytes, not {len(request.body)}",
                )
            etag = f"/ETag/{secrets.token_hex(6)}"
            video.etags[index] = etag
            video.chunks[index] = request.body
        return _Reply(200, b"", {"ETag": etag})

    def _finalize_video(self, request: RecordedRequest) -> _Reply:
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request)
        if request.query != {"action": "finalizeUpload"}:
            raise HttpError(400, "Expected ?action=finalizeUpload")
        body = self._json_body(request)
        final = body.get("finalizeUploadRequest")
        if set(body) != {"finalizeUploadRequest"} or not isinstance(final, dict):
            raise HttpError(422, "ERROR :: /finalizeUploadRequest :: field is required")
        if set(final) != {"video", "uploadToken", "uploadedPartIds"}:
            raise HttpError(
                422,
                "ERROR :: /finalizeUploadRequest :: expected video, uploadToken, uploadedPartIds",
            )
        with self._lock:
            video = self.videos.get(final["video"])
            if video is None:
                raise HttpError(404, f"Not found: {final['video']}")
            if video.owner != f"urn:li:person:{token.sub}":
                raise HttpError(403, "Not the owner of this video")
            if final["uploadToken"] != video.upload_token:
                raise HttpError(400, "The upload token does not match")
            if video.finalized_with is not None:
                raise HttpError(400, "The upload was already finalized")
            missing = [i + 1 for i in range(len(video.parts)) if i not in video.etags]
            if missing:
                raise HttpError(400, f"Parts not uploaded: {missing}")
            if final["uploadedPartIds"] != [video.etags[i] for i in range(len(video.parts))]:
                raise HttpError(400, "uploadedPartIds are not the parts' ETags in part order")
            video.finalized_with = list(final["uploadedPartIds"])
            video.status = "PROCESSING"
            video.reads_until_done = self.video_processing_reads
        return _Reply(200)

    def _video_status(self, request: RecordedRequest) -> _Reply:
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request, json_body=False)
        encoded = request.path.removeprefix("/rest/videos/")
        urn = unquote(encoded)
        if quote(urn, safe="") != encoded:
            raise HttpError(400, f"The video URN must be URL-encoded in the path: {encoded}")
        with self._lock:
            video = self.videos.get(urn)
            if video is None or video.owner != f"urn:li:person:{token.sub}":
                raise HttpError(404, f"Not found: {urn}")
            if video.status == "PROCESSING":
                if video.reads_until_done <= 0:
                    video.status = self.video_outcome
                video.reads_until_done -= 1
            status = video.status
        return _json_reply(200, {"id": urn, "owner": video.owner, "status": status})

    # --- comments ---------------------------------------------------------------------------

    def _create_comment(self, request: RecordedRequest) -> _Reply:
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request)
        match = _COMMENTS_PATH.match(request.path)
        assert match is not None
        post_urn = unquote(match.group("post"))
        if quote(post_urn, safe="") != match.group("post"):
            raise HttpError(400, "The post URN must be URL-encoded in the path")
        body = self._json_body(request)
        if set(body) != {"actor", "object", "message"}:
            raise HttpError(422, "ERROR :: / :: expected exactly actor, object and message")
        if body["actor"] != f"urn:li:person:{token.sub}":
            raise HttpError(403, "Unpermitted fields present in REQUEST_BODY: [/actor]")
        if body["object"] != post_urn:
            raise HttpError(422, "ERROR :: /object :: must be the post the path names")
        message = body["message"]
        if not isinstance(message, dict) or set(message) != {"text"}:
            raise HttpError(422, "ERROR :: /message :: expected exactly {text}")
        text = message["text"]
        if not isinstance(text, str) or not text.strip():
            raise HttpError(422, "ERROR :: /message/text :: expected a non-empty string")
        if len(text) > MAX_COMMENT_CHARS:
            raise HttpError(422, f"ERROR :: /message/text :: length exceeds {MAX_COMMENT_CHARS}")
        with self._lock:
            if not any(post.urn == post_urn for post in self.posts):
                raise HttpError(404, f"Not found: {post_urn}")
            self._next_id += 1
            urn = f"urn:li:comment:({post_urn},{self._next_id})"
            self.comments.append(StoredComment(urn, post_urn, body["actor"], text))
        return _Reply(201, b"", {"x-restli-id": urn})

    # --- member post statistics (r_member_postAnalytics) ------------------------------------

    def _post_analytics(self, request: RecordedRequest) -> _Reply:
        self._bearer(request, ANALYTICS_SCOPE)
        self._rest_headers(request)
        query = request.query
        if query.get("q") != "entity":
            raise HttpError(400, "Only the entity finder is served: q=entity")
        match = _ENTITY.match(query.get("entity", ""))
        if match is None:
            raise HttpError(
                400, f"entity must be (share:urn…) or (ugc:urn…): {query.get('entity')}"
            )
        kind, urn = match.groups()
        if (kind == "share") != urn.startswith("urn:li:share:"):
            raise HttpError(400, f"entity kind {kind} does not match {urn}")
        metric = query.get("queryType")
        if metric not in ANALYTICS_METRICS:
            raise HttpError(400, f"Invalid queryType: {metric}")
        if query.get("aggregation") not in ("TOTAL", "DAILY"):
            raise HttpError(400, "aggregation must be TOTAL or DAILY")
        with self._lock:
            known = urn in self.post_statistics or any(post.urn == urn for post in self.posts)
            counts = dict(self.post_statistics.get(urn, {}))
        if not known:
            raise HttpError(404, f"Not found: {urn}")
        elements = (
            [{"count": counts[metric], "metricType": {_ANALYTICS_METRIC_KEY: metric}}]
            if metric in counts
            else []
        )
        return _json_reply(200, {"elements": elements, "paging": {"start": 0, "count": 10}})


def _matches(method: str, pattern: str, request: RecordedRequest) -> bool:
    """`pattern` as `inject` takes it: an exact path or a prefix ending in "*", and query
    parameters the request must hold."""
    path, _, query = pattern.partition("?")
    if path.endswith("*"):
        path_matches = request.path.startswith(path[:-1])
    else:
        path_matches = request.path == path
    wanted = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return request.method == method and path_matches and wanted.items() <= request.query.items()


def _handler_for(server: FakeLinkedIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = RecordedRequest(
                method=self.command,
                path=url.path,
                query={k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply, fault = server.handle(request)
            if fault is not None and fault.drop:
                # The connection dies before any answer: the client cannot know what happened.
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.status not in (204, 304):  # answers that never carry a body
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if fault is not None and fault.trickle_s:
                    if not server.trickle(self.wfile, reply.body, fault.trickle_s):
                        self.close_connection = True
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (timeout) while we delayed

        do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - the stdlib's names

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: tests read `server.requests` instead of a log."""

    return Handler

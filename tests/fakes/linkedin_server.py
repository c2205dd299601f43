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
  delay_s=0.0, drop=False, trickle_s=0.0, headers=None, times=1)`: the next matching request(s)
  get this. `status` None means "handle normally" (so `delay_s` / `drop` / `trickle_s` happen
  AFTER LinkedIn did the work: a post is stored, then the answer is late, never comes or
  trickles). With a status, the request is recorded and answered, nothing stored: with `body` (a
  dict is sent as JSON, `{}` too; a str as is, as `content_type`, by default text/html), else
  with LinkedIn's error body for an error status and no body for any other (a 204, a 202).
  `retry_after`: a number, or any text a proxy might send ("1e400", "nan", an HTTP date).
  `trickle_s`: the answer's body goes out one byte every `trickle_s` seconds;
  `wait_for_hang_up()` is true once a client gave up in the middle of one.
- `requests: list[RecordedRequest]` (method, path, query, lower-cased headers, body bytes,
  `received_at`, `.json()`, `.form()`); `requests_to(method, path)`.
- `posts: list[StoredPost]`: what LinkedIn would show (commentary after little-text parsing, which
  truncates at the first unescaped reserved character); `images: dict[urn, bytes]` uploaded.
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
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.fakes.loopback_http import LoopbackServer

RESERVED = frozenset("|{}@[]()<>#\\*_~")
ALL_SCOPES = ("openid", "profile", "email", "w_member_social")
ACCESS_TOKEN_LIFETIME_S = 5_184_000  # 60 days
REFRESH_TOKEN_LIFETIME_S = 31_536_000  # 365 days
MAX_COMMENTARY_CHARS = 3000
_VERSION = re.compile(r"^\d{6}(\.\d{2})?$")
ANALYTICS_SCOPE = "r_member_postAnalytics"
ANALYTICS_METRICS = frozenset({"IMPRESSION", "MEMBERS_REACHED", "RESHARE", "REACTION", "COMMENT"})
_ANALYTICS_METRIC_KEY = (
    "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1"
)
_ENTITY = re.compile(r"^\((share|ugc):(urn:li:(?:share|ugcPost):\d+)\)$")
_POST_KEYS = {
    "author",
    "commentary",
    "visibility",
    "distribution",
    "lifecycleState",
    "isReshareDisabledByAuthor",
}


def parse_little_text(commentary: str) -> str:
    """What LinkedIn shows: escapes resolved, all from the first unescaped reserved char lost."""
    shown: list[str] = []
    i = 0
    while i < len(commentary):
        char = commentary[i]
        if char == "\\" and i + 1 < len(commentary) and commentary[i + 1] in RESERVED:
            shown.append(commentary[i + 1])
            i += 2
            continue
        if char in RESERVED:
            break
        shown.append(char)
        i += 1
    return "".join(shown)


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
    image_urn: str | None
    alt_text: str | None


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
        self.post_statistics: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._refresh_tokens: dict[str, tuple[str, float]] = {}  # token -> (sub, expires_at)
        self._codes: dict[str, _Code] = {}
        self._faults: dict[tuple[str, str], list[_Fault]] = {}
        self._pending_images: dict[str, str] = {}  # upload id -> image urn
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
        )
        with self._lock:
            self._faults.setdefault((method.upper(), path), []).extend([fault] * times)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def play_browser(self, authorization_url: str) -> str:
        """GET the consent page as the member's browser would; the redirect's Location."""
        response = httpx.get(authorization_url, follow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise AssertionError(f"LinkedIn refused the authorization: {response.text}")
        return response.headers["location"]

    # --- request handling -------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get((method, path))
            return queue.pop(0) if queue else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def handle(self, request: RecordedRequest) -> tuple[_Reply, _Fault | None]:
        self._record(request)
        fault = self._take_fault(request.method, request.path)
        if fault is not None and fault.status is not None:
            reply = self._fault_reply(fault)
        else:
            try:
                reply = self._route(request)
            except HttpError as exc:
                reply = exc.reply
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
            ("POST", "/rest/images"): self._initialize_upload,
            ("GET", "/rest/memberCreatorPostAnalytics"): self._post_analytics,
        }
        handler = routes.get((request.method, request.path))
        if handler is not None:
            return handler(request)
        if request.method == "PUT" and request.path.startswith("/upload/"):
            return self._upload(request)
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

    def _rest_headers(self, request: RecordedRequest) -> None:
        version = request.headers.get("linkedin-version")
        if not version or not _VERSION.match(version):
            raise HttpError(400, "A version must be present. Please specify a LinkedIn-Version")
        if version in self.retired_versions:
            raise HttpError(
                426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION"
            )
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            raise HttpError(400, "X-Restli-Protocol-Version 2.0.0 is required")
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
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
        image_urn, alt_text = self._check_post_body(body, token)
        shown = parse_little_text(body["commentary"])
        with self._lock:
            for post in self.posts:
                if post.author == body["author"] and post.commentary == shown:
                    raise HttpError(
                        422, f"Content is a duplicate of {post.urn}", code="DUPLICATE_POST"
                    )
            self._next_id += 1
            urn = f"urn:li:share:{self._next_id}"
            self.posts.append(
                StoredPost(urn, body["author"], shown, body["commentary"], image_urn, alt_text)
            )
        return _Reply(201, b"", {self.post_id_header: urn})

    def _check_post_body(
        self, body: dict[str, Any], token: _Token
    ) -> tuple[str | None, str | None]:
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
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN"):
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
            return None, None
        content = body["content"]
        media = content.get("media") if isinstance(content, dict) else None
        if not isinstance(media, dict) or set(content) != {"media"}:
            raise bad("content", "expected exactly {media}")
        if not set(media) <= {"id", "altText", "title"} or not isinstance(media.get("id"), str):
            raise bad("content/media", "expected id and optional altText")
        with self._lock:
            uploaded = media["id"] in self.images
        if not uploaded:
            raise bad("content/media/id", f"{media['id']} was not uploaded")
        return media["id"], media.get("altText")

    def _initialize_upload(self, request: RecordedRequest) -> _Reply:
        token = self._bearer(request, "w_member_social")
        self._rest_headers(request)
        if request.query != {"action": "initializeUpload"}:
            raise HttpError(400, "Expected ?action=initializeUpload")
        body = self._json_body(request)
        init = body.get("initializeUploadRequest")
        if set(body) != {"initializeUploadRequest"} or not isinstance(init, dict):
            raise HttpError(422, "ERROR :: /initializeUploadRequest :: field is required")
        if init.get("owner") != f"urn:li:person:{token.sub}":
            raise HttpError(403, "Unpermitted fields present in REQUEST_BODY: [/owner]")
        upload_id = secrets.token_hex(8)
        image_urn = f"urn:li:image:D4E{self._new_id()}"
        with self._lock:
            self._pending_images[upload_id] = image_urn
        value = {
            "uploadUrlExpiresAt": int((time.time() + 3600) * 1000),
            "uploadUrl": f"{self.base_url}/upload/{upload_id}",
            "image": image_urn,
        }
        return _json_reply(200, {"value": value})

    def _upload(self, request: RecordedRequest) -> _Reply:
        self._bearer(request, "w_member_social")
        with self._lock:
            image_urn = self._pending_images.pop(request.path.removeprefix("/upload/"), None)
            if image_urn is None:
                raise HttpError(404, "Unknown or used upload URL")
            if not request.body:
                raise HttpError(400, "Empty upload")
            self.images[image_urn] = request.body
        return _Reply(201)

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

"""Anthropic and Gemini test servers: real HTTP on 127.0.0.1, checking requests as the vendors do.

`FakeAnthropic` speaks the Messages API (POST /v1/messages): it wants `x-api-key`,
`anthropic-version`, a JSON body with `model`, `max_tokens` and `messages`, refuses unknown fields,
and answers a `message` with text content blocks or the documented error shape
`{"type": "error", "error": {"type", "message"}, "request_id"}` (401 authentication_error,
429 rate_limit_error + retry-after, 529 overloaded_error, ...).
`FakeGemini` speaks generateContent (POST /v1beta/models/{model}:generateContent): it wants
`x-goog-api-key` (a wrong key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID, a missing one
403), `contents[].parts[].text`, and answers candidates whose parts carry `inlineData` PNG images;
errors are `{"error": {"code", "message", "status", "details"}}` (429 RESOURCE_EXHAUSTED with a
RetryInfo delay, 503 UNAVAILABLE).

Both: `base_url`, `api_key`, `requests` (RecordedRequest), `disconnects` (clients that hung up while
the server was still working: a cancelled request), and
`inject(status=None, *, body=None, retry_after=None, delay_s=0, drop=False, trickle_s=0,
times=1)`: the next request(s) get this. With a status: that vendor's error body (or `body`: dict,
or str sent raw); `status=200, body="not json"` is a malformed reply. `retry_after`: seconds, or
any text a proxy might send ("1e400"). `drop`: the connection closes with no answer.
`delay_s`: the server waits first (and notices a client that gives up). `trickle_s`: the
answer's body goes out one byte every `trickle_s` seconds (`wait_for_hang_up()` is true once a
client gave up in the middle of one).
Fixtures: `anthropic_server`, `gemini_server`, `ai_env` (both, with the app's base-URL overrides).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import select
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.fakes.linkedin_server import RecordedRequest
from tests.fakes.loopback_http import LoopbackServer


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def png_bytes(width: int = 96, height: int = 96, seed: int = 0) -> bytes:
    """A real PNG (a colour gradient), small enough to send inline and valid for image checks."""
    rows = b"".join(
        b"\x00"
        + bytes(
            channel
            for x in range(width)
            for channel in ((x * 255) // width, (y * 255) // height, (seed * 67) % 256)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class _Fault:
    status: int | None
    body: dict[str, Any] | str | None
    retry_after: float | str | None
    delay_s: float
    drop: bool
    trickle_s: float = 0.0


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status, json.dumps(body).encode(), {"Content-Type": "application/json"} | (headers or {})
    )


class _FakeVendor(LoopbackServer):
    """The HTTP plumbing both vendors share; subclasses answer `handle` and `error`."""

    name = "fake-ai"

    def __init__(self) -> None:
        super().__init__()
        self.api_key = "test-" + secrets.token_urlsafe(16)
        self.requests: list[RecordedRequest] = []
        self.disconnects = 0
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._listen(_handler_for(self))

    def inject(
        self,
        status: int | None = None,
        *,
        body: dict[str, Any] | str | None = None,
        retry_after: float | str | None = None,
        delay_s: float = 0.0,
        drop: bool = False,
        trickle_s: float = 0.0,
        times: int = 1,
    ) -> None:
        with self._lock:
            self._faults.extend(
                _Fault(status, body, retry_after, delay_s, drop, trickle_s) for _ in range(times)
            )

    # --- for subclasses ---------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> Reply:
        raise NotImplementedError

    def error(self, status: int, message: str, retry_after: float | str | None = None) -> Reply:
        raise NotImplementedError

    # --- plumbing --------------------------------------------------------------------------------

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def _client_left_during(self, connection: socket.socket, delay_s: float) -> bool:
        """Wait `delay_s`; True as soon as the client closes its end (it cancelled)."""
        deadline = time.monotonic() + delay_s
        while time.monotonic() < deadline and not self._stopping.is_set():
            readable, _, _ = select.select([connection], [], [], 0.02)
            if readable:
                try:
                    if not connection.recv(1, socket.MSG_PEEK):
                        return True
                except OSError:
                    return True
        return False

    def _faulty_reply(self, fault: _Fault, request: RecordedRequest) -> Reply:
        if fault.status is None:
            return self.handle(request)
        if isinstance(fault.body, str):
            return Reply(fault.status, fault.body.encode(), {"Content-Type": "application/json"})
        if fault.body is not None:
            return json_reply(fault.status, fault.body)
        return self.error(fault.status, f"injected {fault.status}", fault.retry_after)

    def serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        path, _, query = handler.path.partition("?")
        request = RecordedRequest(
            method=method,
            path=path,
            query={k: v for k, _, v in (p.partition("=") for p in query.split("&") if p)},
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(request)
        fault = self._next_fault()
        if (
            fault is not None
            and fault.delay_s
            and self._client_left_during(handler.connection, fault.delay_s)
        ):
            with self._lock:
                self.disconnects += 1
            handler.close_connection = True
            return
        if fault is not None and fault.drop:
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return
        reply = self._faulty_reply(fault, request) if fault else self.handle(request)
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            if fault is not None and fault.trickle_s:
                if not self.trickle(handler.wfile, reply.body, fault.trickle_s):
                    handler.close_connection = True
            else:
                handler.wfile.write(reply.body)
        except OSError:  # the client is gone; nothing to tell it
            handler.close_connection = True


def _handler_for(server: _FakeVendor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            server.serve(self, "POST")

        def do_GET(self) -> None:
            server.serve(self, "GET")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return Handler


class BadRequestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json_body(request: RecordedRequest) -> dict[str, Any]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise BadRequestError(400, "content-type must be application/json")
    try:
        body = request.json()
    except ValueError:
        raise BadRequestError(400, "There was an issue with the JSON body") from None
    if not isinstance(body, dict):
        raise BadRequestError(400, "The request body must be a JSON object")
    return body


# --- Anthropic ------------------------------------------------------------------------------------

ANTHROPIC_VERSIONS = frozenset({"2023-06-01", "2023-01-01"})
_MESSAGES_FIELDS = frozenset(
    {
        "model", "max_tokens", "messages", "system", "metadata", "stop_sequences", "stream",
        "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier",
        "output_config",
    }
)  # fmt: skip
_ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
DEFAULT_VARIATIONS = [
    "Consistency beats virality.\n\nI posted once a week for a year. No single post went viral, "
    "but my inbox changed: people I had never met started their messages with “I read your "
    "post about…”. Here is what a year of showing up taught me about trust, timing and the quiet "
    "compounding of small, regular effort.\n\n#consistency #writing",
    "Stop chasing the viral post. Build the habit instead: one useful idea, every Tuesday, for "
    "twelve months. That is the whole strategy.",
    "Viral is luck.\nConsistent is a system.\nBuild the system.\n\nThree rules I follow: write "
    "before you scroll, publish on the same day each week, answer every comment in the first "
    "hour.",
]


class FakeAnthropic(_FakeVendor):
    name = "fake-anthropic"

    def __init__(self) -> None:
        super().__init__()
        self.api_key = "sk-ant-test-" + secrets.token_urlsafe(16)
        self.models = {
            "claude-sonnet-5-5",
            "claude-sonnet-5",
            "claude-opus-5-5",
            "claude-haiku-4-5",
        }
        self.variations: list[str] = list(DEFAULT_VARIATIONS)
        self.reply_text: str | None = None  # overrides the JSON of `variations`
        self.stop_reason = "end_turn"
        self.leading_blocks: list[dict[str, Any]] = []  # e.g. a thinking block before the text

    def error(self, status: int, message: str, retry_after: float | str | None = None) -> Reply:
        headers = {"request-id": "req_" + secrets.token_hex(12)}
        if isinstance(retry_after, str):
            headers["retry-after"] = retry_after
        elif retry_after is not None:
            headers["retry-after"] = str(int(retry_after))
        body = {
            "type": "error",
            "error": {"type": _ANTHROPIC_ERROR_TYPES.get(status, "api_error"), "message": message},
            "request_id": headers["request-id"],
        }
        return json_reply(status, body, headers)

    def handle(self, request: RecordedRequest) -> Reply:
        try:
            body = self._check(request)
        except BadRequestError as exc:
            return self.error(exc.status, exc.message)
        text = (
            self.reply_text
            if self.reply_text is not None
            else json.dumps({"variations": self.variations})
        )
        return json_reply(
            200,
            {
                "id": "msg_" + secrets.token_hex(12),
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [*self.leading_blocks, {"type": "text", "text": text}],
                "stop_reason": self.stop_reason,
                "stop_sequence": None,
                "usage": {"input_tokens": len(request.body) // 4, "output_tokens": len(text) // 4},
            },
            {"request-id": "req_" + secrets.token_hex(12)},
        )

    def _check(self, request: RecordedRequest) -> dict[str, Any]:
        if request.method != "POST" or request.path != "/v1/messages":
            raise BadRequestError(404, f"Not found: {request.method} {request.path}")
        if request.headers.get("x-api-key") != self.api_key:
            raise BadRequestError(401, "invalid x-api-key")
        version = request.headers.get("anthropic-version")
        if version is None:
            raise BadRequestError(400, "anthropic-version: header is required")
        if version not in ANTHROPIC_VERSIONS:
            raise BadRequestError(400, f"anthropic-version: unknown version {version!r}")
        body = _json_body(request)
        for key in body:
            if key not in _MESSAGES_FIELDS:
                raise BadRequestError(400, f"{key}: Extra inputs are not permitted")
        model, max_tokens, messages = (
            body.get("model"),
            body.get("max_tokens"),
            body.get("messages"),
        )
        if not isinstance(model, str) or not model:
            raise BadRequestError(400, "model: Field required")
        if model not in self.models:
            raise BadRequestError(404, f"model: {model}")
        if (
            isinstance(max_tokens, bool)
            or not isinstance(max_tokens, int)
            or not 1 <= max_tokens <= 128_000
        ):
            raise BadRequestError(400, "max_tokens: must be an integer from 1 to 128000")
        if body.get("stream"):
            raise BadRequestError(400, "stream: this test server does not stream")
        if not isinstance(body.get("system", ""), str | list):
            raise BadRequestError(400, "system: Input should be a valid string")
        if not isinstance(messages, list) or not messages:
            raise BadRequestError(400, "messages: at least one message is required")
        for index, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
                raise BadRequestError(
                    400, f"messages.{index}.role: Input should be 'user' or 'assistant'"
                )
            content = message.get("content")
            if not (isinstance(content, str) and content) and not isinstance(content, list):
                raise BadRequestError(
                    400, f"messages.{index}.content: must be a non-empty string or list"
                )
        if messages[0]["role"] != "user":
            raise BadRequestError(400, "messages: first message must use the 'user' role")
        return body


# --- Gemini ---------------------------------------------------------------------------------------

_GENERATE = re.compile(r"^/v1beta/models/([^/:]+):generateContent$")
_GEMINI_STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_GENERATE_FIELDS = frozenset(
    {
        "contents",
        "generationConfig",
        "safetySettings",
        "systemInstruction",
        "tools",
        "toolConfig",
        "cachedContent",
    }
)
ASPECT_RATIOS = frozenset({"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"})


class FakeGemini(_FakeVendor):
    name = "fake-gemini"

    def __init__(self) -> None:
        super().__init__()
        self.api_key = "AIza-test-" + secrets.token_urlsafe(16)
        self.models = {
            "gemini-3.1-flash-image",
            "gemini-3-pro-image",
            "gemini-3.1-flash-image-preview",
        }
        self.images_per_reply = 1
        self.finish_reason = "STOP"  # e.g. "IMAGE_SAFETY": no image, the filter kept it back
        self.image_mime_type = "image/png"
        self.image_data: bytes | None = None  # None: a fresh PNG per image
        self.thought_images = 0  # draft images of a thinking model, marked "thought": true

    def error(
        self,
        status: int,
        message: str,
        retry_after: float | str | None = None,
        reason: str | None = None,
    ) -> Reply:
        error: dict[str, Any] = {
            "code": status,
            "message": message,
            "status": _GEMINI_STATUS.get(status, "UNKNOWN"),
        }
        details: list[dict[str, Any]] = []
        if reason:
            details.append(
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": reason,
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            )
        if retry_after is not None:
            details.append(
                {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    "retryDelay": (
                        f"{retry_after}s"
                        if isinstance(retry_after, str)
                        else f"{int(retry_after)}s"
                    ),
                }
            )
        if details:
            error["details"] = details
        return json_reply(status, {"error": error})

    def handle(self, request: RecordedRequest) -> Reply:
        match = _GENERATE.match(request.path)
        if request.method != "POST" or match is None:
            return self.error(404, f"Not found: {request.path}")
        key = request.headers.get("x-goog-api-key")
        if key is None:
            return self.error(
                403, "Method doesn't allow unregistered callers. Please use an API key."
            )
        if key != self.api_key:
            return self.error(
                400, "API key not valid. Please pass a valid API key.", reason="API_KEY_INVALID"
            )
        model = match.group(1)
        if model not in self.models:
            return self.error(404, f"models/{model} is not found for API version v1beta")
        try:
            wants_image = self._check(request)
        except BadRequestError as exc:
            return self.error(exc.status, exc.message)
        parts: list[dict[str, Any]] = [
            {
                "thought": True,
                "inlineData": {"mimeType": "image/png", "data": _b64(png_bytes(8, 8))},
            }
            for _ in range(self.thought_images)
        ]
        parts.append({"text": "Here is an image for your post."})
        if wants_image and self.finish_reason == "STOP":
            for index in range(self.images_per_reply):
                data = (
                    self.image_data
                    if self.image_data is not None
                    else png_bytes(seed=index + len(self.requests))
                )
                parts.append(
                    {
                        "inlineData": {
                            "mimeType": self.image_mime_type,
                            "data": _b64(data),
                        }
                    }
                )
        return json_reply(
            200,
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": parts},
                        "finishReason": self.finish_reason,
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": 20,
                    "candidatesTokenCount": 1290,
                    "totalTokenCount": 1310,
                },
                "modelVersion": model,
                "responseId": secrets.token_urlsafe(12),
            },
        )

    def _check(self, request: RecordedRequest) -> bool:
        """Validate a generateContent body; True when the caller asked for IMAGE output."""
        body = _json_body(request)
        for key in body:
            if key not in _GENERATE_FIELDS:
                raise BadRequestError(
                    400, f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
                )
        contents = body.get("contents")
        if not isinstance(contents, list) or not contents:
            raise BadRequestError(
                400, "* GenerateContentRequest.contents: contents is not specified"
            )
        for content in contents:
            parts = content.get("parts") if isinstance(content, dict) else None
            if (
                content.get("role", "user") not in ("user", "model")
                or not isinstance(parts, list)
                or not parts
            ):
                raise BadRequestError(
                    400,
                    "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.",
                )
            if not all(isinstance(p, dict) and isinstance(p.get("text"), str) for p in parts):
                raise BadRequestError(
                    400,
                    "* GenerateContentRequest.contents[0].parts[0].data: "
                    "required oneof field 'data' must have one initialized field",
                )
        config = body.get("generationConfig", {})
        if not isinstance(config, dict):
            raise BadRequestError(400, "generationConfig must be an object")
        image_config = config.get("imageConfig", {})
        if image_config.get("aspectRatio", "1:1") not in ASPECT_RATIOS:
            raise BadRequestError(400, "imageConfig.aspectRatio is not supported")
        modalities = config.get("responseModalities", ["TEXT", "IMAGE"])
        return "IMAGE" in modalities


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def anthropic_server() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gemini_server() -> Iterator[FakeGemini]:
    server = FakeGemini()
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class AiServers:
    anthropic: FakeAnthropic
    gemini: FakeGemini


@pytest.fixture
def ai_env(
    anthropic_server: FakeAnthropic, gemini_server: FakeGemini, monkeypatch: pytest.MonkeyPatch
) -> AiServers:
    """Both servers, with the app's base-URL overrides pointing at them."""
    monkeypatch.setenv("LINKIE_ANTHROPIC_BASE_URL", anthropic_server.base_url)
    monkeypatch.setenv("LINKIE_GEMINI_BASE_URL", gemini_server.base_url)
    return AiServers(anthropic_server, gemini_server)

"""Images for a post idea from Google's Gemini API (models/{model}:generateContent, inline data)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linkie_desktop.services.ai_http import (
    DEADLINE_S,
    AiError,
    Problem,
    explain,
    json_object,
    post_json,
    refused,
)
from linkie_desktop.services.ai_http import retry_after_seconds as _retry_after
from linkie_desktop.services.linkedin import parse_retry_after

if TYPE_CHECKING:
    import httpx

VENDOR = "Google Gemini"
IMAGE_MIME_TYPES = frozenset({"image/png", "image/jpeg"})
ASPECT_RATIO = "1:1"  # shows whole in the LinkedIn feed on phones and desktops alike
# Gemini stops with these when its safety filters kept the image back.
_BLOCKED_FINISH = frozenset(
    {"SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"}
)
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")


@dataclass(frozen=True)
class GeneratedImage:
    mime_type: str
    data: bytes


def image_prompt(idea: str, post_text: str = "") -> str:
    context = f"\n\nThe post reads:\n{post_text.strip()[:1500]}" if post_text.strip() else ""
    return (
        "Create one eye-catching, professional image to go with a LinkedIn post about: "
        f"{idea.strip()}. No words, letters or logos in the image.{context}"
    )


def request_body(prompt: str) -> dict[str, Any]:
    return {
        "contents": [{"role": "user", "parts": [{"text": prompt}]}],
        "generationConfig": {
            "responseModalities": ["TEXT", "IMAGE"],
            "imageConfig": {"aspectRatio": ASPECT_RATIO},
        },
    }


def _retry_delay(error: dict[str, Any], response: httpx.Response) -> float | None:
    """Gemini puts the wait in a google.rpc.RetryInfo detail ("17s"); proxies use the header."""
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            match = _DELAY.match(str(detail.get("retryDelay", "")))
            if match:  # read like Retry-After: "99999999999s" is a day at most, never a crash
                return parse_retry_after(match.group(1))
    return _retry_after(response.headers)


def _api_key_invalid(error: dict[str, Any]) -> bool:
    return any(
        isinstance(detail, dict) and detail.get("reason") == "API_KEY_INVALID"
        for detail in error.get("details") or []
    )


def classify_error(response: httpx.Response) -> AiError:
    """Gemini's statuses: a bad key is 400 API_KEY_INVALID (or 401/403), 429 quota, 503 busy."""
    status = response.status_code
    error = (json_object(response) or {}).get("error")
    error = error if isinstance(error, dict) else {}
    if status in (401, 403) or _api_key_invalid(error):
        return explain(Problem.INVALID_KEY, VENDOR)
    if status == 429:
        return explain(Problem.RATE_LIMITED, VENDOR, _retry_delay(error, response))
    if status >= 500:
        return explain(Problem.OVERLOADED, VENDOR, _retry_delay(error, response))
    return refused(VENDOR, status, error.get("message"))


def _inline_images(parts: list[Any]) -> list[GeneratedImage]:
    images: list[GeneratedImage] = []
    for part in parts:
        if isinstance(part, dict) and part.get("thought") is True:
            continue  # a thinking model's draft image, not the answer
        inline = part.get("inlineData") if isinstance(part, dict) else None
        if not isinstance(inline, dict):
            continue
        mime, data = inline.get("mimeType"), inline.get("data")
        if mime not in IMAGE_MIME_TYPES or not isinstance(data, str):
            raise explain(Problem.BAD_REPLY, VENDOR)
        try:
            images.append(GeneratedImage(str(mime), base64.b64decode(data, validate=True)))
        except (binascii.Error, ValueError):
            raise explain(Problem.BAD_REPLY, VENDOR) from None
    return images


def parse_images(reply: dict[str, Any]) -> list[GeneratedImage]:
    """Every inline image of the first candidate; a reply with none explains why."""
    feedback = reply.get("promptFeedback")
    if isinstance(feedback, dict) and feedback.get("blockReason"):
        raise AiError(Problem.REFUSED, f"{VENDOR} declined to draw this idea. Try rewording it.")
    candidates = reply.get("candidates")
    first = candidates[0] if isinstance(candidates, list) and candidates else None
    if not isinstance(first, dict):
        raise explain(Problem.BAD_REPLY, VENDOR)
    if first.get("finishReason") in _BLOCKED_FINISH:
        raise AiError(Problem.REFUSED, f"{VENDOR} declined to draw this idea. Try rewording it.")
    content = first.get("content")
    parts = content.get("parts") if isinstance(content, dict) else None
    images = _inline_images(parts) if isinstance(parts, list) else []
    if not images:
        raise explain(Problem.BAD_REPLY, VENDOR)
    return images


async def draw_images(
    client: httpx.AsyncClient,
    base_url: str,
    api_key: str,
    model: str,
    prompt: str,
    deadline_s: float = DEADLINE_S,
) -> list[GeneratedImage]:
    headers = {"x-goog-api-key": api_key, "content-type": "application/json"}
    reply = await post_json(
        client,
        f"{base_url}/v1beta/models/{model}:generateContent",
        headers,
        request_body(prompt),
        VENDOR,
        classify_error,
        deadline_s,
    )
    return parse_images(reply)

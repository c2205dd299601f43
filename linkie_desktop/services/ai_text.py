"""Three LinkedIn post variations of one idea from Anthropic's Messages API (POST /v1/messages)."""

from __future__ import annotations

import json
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

if TYPE_CHECKING:
    import httpx

VENDOR = "Anthropic"
ANTHROPIC_VERSION = "2023-06-01"  # the Messages API version header; still the current one
VARIATION_COUNT = 3
# Three posts of up to ~2,000 characters need ~2,000 tokens, but Claude 5 models think
# adaptively by default and max_tokens caps thinking plus text: a tight cap would cut the JSON.
MAX_TOKENS = 16_000

# (key, label shown, how the prompt describes it)
TONES: tuple[tuple[str, str, str], ...] = (
    ("professional", "Professional", "professional and credible, clear and concrete"),
    ("conversational", "Conversational", "warm and conversational, like talking to a colleague"),
    ("bold", "Bold", "bold and opinionated, with a strong hook and a clear stance"),
    ("inspiring", "Inspiring", "inspiring and optimistic, ending with an encouraging thought"),
    ("storytelling", "Storytelling", "a short personal story with a lesson at the end"),
)
LENGTHS: tuple[tuple[str, str, str], ...] = (
    ("short", "Short", "short: 300 to 600 characters"),
    ("medium", "Medium", "medium: 700 to 1,200 characters"),
    ("long", "Long", "long: 1,300 to 2,000 characters"),
)


@dataclass(frozen=True)
class Brief:
    """What the user asked for: the idea, a tone key and a length key (from TONES / LENGTHS)."""

    idea: str
    tone: str = "professional"
    length: str = "medium"


def _describe(options: tuple[tuple[str, str, str], ...], key: str) -> str:
    for option_key, _label, description in options:
        if option_key == key:
            return description
    raise ValueError(f"unknown option {key!r}")


SYSTEM_PROMPT = (
    "You write LinkedIn posts for the user, in the user's own voice. Write in the language of "
    "the idea. Open with a hook that works in the first two lines, because LinkedIn folds a post "
    "after about 210 characters or three lines. Use short paragraphs and plain text: no "
    "Markdown, no headings, at most three hashtags at the end. Each post stays under 3,000 "
    "characters."
)


def user_prompt(brief: Brief) -> str:
    return (
        f"Idea: {brief.idea.strip()}\n\n"
        f"Write {VARIATION_COUNT} different LinkedIn posts about this idea. "
        f"Tone: {_describe(TONES, brief.tone)}. Length: {_describe(LENGTHS, brief.length)}. "
        "Make the three clearly different in angle and opening line.\n\n"
        'Reply with only this JSON and nothing else: {"variations": ["first post", '
        '"second post", "third post"]}'
    )


def request_body(brief: Brief, model: str) -> dict[str, Any]:
    return {
        "model": model,
        "max_tokens": MAX_TOKENS,
        "system": SYSTEM_PROMPT,
        "messages": [{"role": "user", "content": user_prompt(brief)}],
    }


def classify_error(response: httpx.Response) -> AiError:
    """Anthropic's documented error statuses, each turned into what the user can do about it."""
    status = response.status_code
    error = (json_object(response) or {}).get("error")
    error = error if isinstance(error, dict) else {}
    kind = error.get("type")
    if status in (401, 403) or kind in ("authentication_error", "permission_error"):
        return explain(Problem.INVALID_KEY, VENDOR)
    if status == 429 or kind == "rate_limit_error":
        return explain(Problem.RATE_LIMITED, VENDOR, _retry_after(response.headers))
    if status in (500, 502, 503, 504, 529) or kind in ("overloaded_error", "api_error"):
        return explain(Problem.OVERLOADED, VENDOR, _retry_after(response.headers))
    return refused(VENDOR, status, error.get("message"))


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def parse_variations(reply: dict[str, Any]) -> list[str]:
    """The three posts from a Messages API reply; anything else is a BAD_REPLY."""
    if reply.get("stop_reason") == "refusal":
        raise AiError(Problem.REFUSED, f"{VENDOR} declined to write about this idea.")
    content = reply.get("content")
    if not isinstance(content, list):
        raise explain(Problem.BAD_REPLY, VENDOR)
    # Thinking and other blocks may come first; only the text blocks carry the answer.
    text = "".join(
        block["text"]
        for block in content
        if isinstance(block, dict)
        and block.get("type") == "text"
        and isinstance(block.get("text"), str)
    ).strip()
    text = _FENCE.sub("", text).strip()
    start, end = text.find("{"), text.rfind("}")
    try:
        parsed = json.loads(text[start : end + 1]) if start >= 0 and end > start else None
    except ValueError:
        parsed = None
    variations = parsed.get("variations") if isinstance(parsed, dict) else None
    if (
        not isinstance(variations, list)
        or len(variations) < VARIATION_COUNT
        or not all(isinstance(v, str) and v.strip() for v in variations)
    ):
        if reply.get("stop_reason") == "max_tokens":
            raise AiError(
                Problem.BAD_REPLY,
                f"{VENDOR}'s answer was cut off before it was complete, so nothing was saved. "
                "Try again, or pick a shorter length.",
            )
        raise explain(Problem.BAD_REPLY, VENDOR)
    return [v.strip() for v in variations[:VARIATION_COUNT]]


async def write_variations(
    client: httpx.AsyncClient,
    base_url: str,
    api_key: str,
    model: str,
    brief: Brief,
    deadline_s: float = DEADLINE_S,
) -> list[str]:
    headers = {
        "x-api-key": api_key,
        "anthropic-version": ANTHROPIC_VERSION,
        "content-type": "application/json",
    }
    reply = await post_json(
        client,
        f"{base_url}/v1/messages",
        headers,
        request_body(brief, model),
        VENDOR,
        classify_error,
        deadline_s,
    )
    return parse_variations(reply)

"""Keep tokens and secrets out of logs: a logging filter that blanks them before any handler writes.

Two nets: patterns for the shapes tokens travel in (`Bearer …`, `access_token=…`, JSON fields), and
the exact values the app has handled (secrets.py registers every secret it reads or writes), so even
a token logged bare is caught.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "[redacted]"
# Secrets shorter than this are not registered: masking "abc" everywhere would garble logs.
MIN_KNOWN_LENGTH = 8

# Names of fields that carry secrets (not secrets themselves).
_SECRET_FIELDS = (
    "access_token|refresh_token|id_token|client_secret|code_verifier|code|api_key|key|"  # noqa: S105
    "x-api-key|x-goog-api-key|password"
)
_PATTERNS = (
    # Authorization: Bearer eyJ… (any token alphabet, up to whitespace or a quote)
    re.compile(r"(?i)(\bBearer\s+)[^\s\"',;]+"),
    # access_token=…&  (query strings, form bodies)
    re.compile(rf"(?i)(\b(?:{_SECRET_FIELDS})=)[^&\s\"',;]+"),
    # "access_token": "…"  (JSON bodies)
    re.compile(rf"(?i)(\"(?:{_SECRET_FIELDS})\"\s*:\s*\")[^\"]*"),
    # x-api-key: …  (headers printed as text)
    re.compile(r"(?i)(\b(?:x-api-key|x-goog-api-key)\s*:\s*)[^\s\"',;]+"),
)

_known: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Mask this exact value wherever it shows up in a later log line."""
    if value and len(value) >= MIN_KNOWN_LENGTH:
        with _known_lock:
            _known.add(value)


def redact(text: str) -> str:
    """`text` with every known secret and every token-shaped value replaced by a mask."""
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)  # longest first: no partial leftovers
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) with secrets masked; never drops one."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(handler: logging.Handler) -> None:
    """Attach the filter to a handler (filters on handlers also see records from child loggers)."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())


def install_on_root() -> None:
    """Attach the filter to every handler the root logger has now; call after logging is set up."""
    for handler in logging.getLogger().handlers:
        install(handler)

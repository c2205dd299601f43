"""The log filter masks tokens in every shape they travel in, and keeps the rest of the line."""

from __future__ import annotations

import io
import logging

import pytest

from linkie_desktop.services.redact import MASK, RedactingFilter, install, redact


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Authorization: Bearer AQVabc.def-ghi_jkl", "AQVabc.def-ghi_jkl"),
        ("POST body grant_type=x&code=AQTcode123&client_secret=s3cr3t-value", "s3cr3t-value"),
        ("POST body grant_type=x&code=AQTcode123&client_secret=s3cr3t-value", "AQTcode123"),
        ('{"access_token": "AQVjsonvalue", "expires_in": 5184000}', "AQVjsonvalue"),
        ('{"refresh_token":"AQXrefresh"}', "AQXrefresh"),
        ("GET /callback?code=AQTxyz&state=abc", "AQTxyz"),
        ("x-api-key: sk-ant-api03-abcdef", "sk-ant-api03-abcdef"),
    ],
)
def test_token_shapes_are_masked(line: str, secret: str) -> None:
    masked = redact(line)
    assert secret not in masked
    assert MASK in masked


def test_ordinary_text_is_left_alone() -> None:
    line = "published post urn:li:share:7100 after 2 attempts (status 201)"
    assert redact(line) == line


def test_filter_masks_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install(handler)
    install(handler)  # installing twice adds one filter
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    logger = logging.getLogger("linkie_desktop.test_redact")
    logger.addHandler(handler)
    try:
        logger.warning("sending %s", "Bearer AQVargtoken")
        try:
            raise RuntimeError("refused access_token=AQVintraceback")
        except RuntimeError:
            logger.exception("call failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "AQVargtoken" not in output
    assert "AQVintraceback" not in output
    assert "call failed" in output and "RuntimeError" in output

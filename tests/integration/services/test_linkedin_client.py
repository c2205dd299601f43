"""LinkedInClient against the test server: identity, typed errors, and the send-time escaping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.linkedin import (
    AuthExpired,
    LinkedInClient,
    RateLimited,
    Rejected,
    ServerError,
    VersionRetired,
    parse_retry_after,
)
from tests.fakes.linkedin_server import FakeLinkedIn


@pytest.fixture
def client(linkedin_server: FakeLinkedIn) -> Iterator[LinkedInClient]:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 5.0) as http:
        yield http


def _author(server: FakeLinkedIn) -> str:
    return f"urn:li:person:{server.profile['sub']}"


def test_userinfo_gives_the_person_urn(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    profile = client.userinfo()
    assert profile.person_urn == _author(linkedin_server) and profile.name == "Alex Rivera"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthExpired),
        (429, RateLimited),
        (500, ServerError),
        (426, VersionRetired),
        (400, Rejected),
    ],
)
def test_each_status_becomes_its_error_type(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, status: int, error: type[Exception]
) -> None:
    linkedin_server.inject("POST", "/rest/posts", status)
    with pytest.raises(error):
        client.create_post(_author(linkedin_server), "x")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120") == 120
    later = datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC)
    assert parse_retry_after(format_datetime(later, usegmt=True), now=later.timestamp() - 30) == 30
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_rate_limit_carries_retry_after(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    linkedin_server.inject("POST", "/rest/posts", 429, retry_after=3600)
    with pytest.raises(RateLimited) as caught:
        client.create_post(_author(linkedin_server), "x")
    assert caught.value.retry_after == 3600


def test_rejection_keeps_linkedins_message(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    client.create_post(_author(linkedin_server), "twice")
    with pytest.raises(Rejected) as caught:
        client.create_post(_author(linkedin_server), "twice")
    assert caught.value.code == "DUPLICATE_POST" and "duplicate" in str(caught.value)


def test_images_are_checked_before_any_request(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.png"
    # A PNG header claiming 8000×8000 pixels: 64 megapixels, over LinkedIn's ~36.
    huge.write_bytes(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (8000).to_bytes(4, "big") * 2 + b"\x08\x02\0\0\0"
    )
    with pytest.raises(ValidationError, match="megapixels"):
        client.upload_image(huge, _author(linkedin_server))
    with pytest.raises(ValidationError):
        client.upload_image(tmp_path / "missing.jpg", _author(linkedin_server))
    assert linkedin_server.requests == []


def test_alt_text_goes_with_the_image(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, tmp_path: Path
) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (10).to_bytes(4, "big") * 2 + b"\x08\x02")
    urn = client.upload_image(image, _author(linkedin_server))
    client.create_post(_author(linkedin_server), "pic", urn, alt_text="A chart")
    assert linkedin_server.posts[0].alt_text == "A chart"

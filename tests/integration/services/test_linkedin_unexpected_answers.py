"""LinkedInClient: an answer that is not the one LinkedIn documents is an `UnexpectedAnswer`,
never a success and never a crash; Retry-After is read in every form it comes in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostLinkedInStats
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.linkedin import (
    MAX_RETRY_AFTER_S,
    LinkedInClient,
    RateLimited,
    UnexpectedAnswer,
    parse_retry_after,
)
from linkie_desktop.services.linkedin_analytics import LinkedInAnalyticsClient, refresh_post_figures
from tests.fakes.linkedin_server import ANALYTICS_SCOPE, FakeLinkedIn

PORTAL_PAGE = "<html><body>Please sign in to the network</body></html>"


@pytest.fixture
def client(linkedin_server: FakeLinkedIn) -> Iterator[LinkedInClient]:
    with LinkedInClient(linkedin_server.base_url, "202511", linkedin_server.issue_token()) as c:
        yield c


def _author(server: FakeLinkedIn) -> str:
    return f"urn:li:person:{server.profile['sub']}"


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 200, "body": PORTAL_PAGE},
        {"status": 200, "body": {}},
        {"status": 204},
        {"status": 202},
    ],
)
def test_a_post_answered_without_201_may_have_been_published(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, answer: dict[str, Any]
) -> None:
    linkedin_server.inject("POST", "/rest/posts", **answer)
    with pytest.raises(UnexpectedAnswer) as caught:
        client.create_post(_author(linkedin_server), "x")
    assert caught.value.may_have_published
    assert str(caught.value).startswith(
        f"LinkedIn gave an unexpected answer (HTTP {answer['status']}"
    )


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 200, "body": PORTAL_PAGE},
        {"status": 200, "body": {"unexpected": True}},
        {"status": 200, "body": {"value": {"uploadUrl": "not a url", "image": "urn:li:image:1"}}},
        {"status": 200, "body": "[1, 2]", "content_type": "application/json"},
    ],
)
def test_an_upload_ticket_that_is_not_linkedins_json_is_unexpected_and_nothing_was_posted(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, answer: dict[str, Any]
) -> None:
    linkedin_server.inject("POST", "/rest/images", **answer)
    with pytest.raises(UnexpectedAnswer) as caught:
        client.initialize_image_upload(_author(linkedin_server))
    assert not caught.value.may_have_published
    assert str(caught.value).startswith("Preparing the image upload: LinkedIn gave an unexpected")


def test_a_profile_answer_that_is_a_web_page_is_unexpected(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    linkedin_server.inject("GET", "/v2/userinfo", 200, body=PORTAL_PAGE)
    with pytest.raises(UnexpectedAnswer, match=r"HTTP 200, text/html"):
        client.userinfo()


def test_figures_answered_with_a_web_page_stop_the_pass_instead_of_caching_nothing(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    with transaction(engine) as session:
        session.add(
            Post(
                user_id=user_id,
                content="Measured",
                status=PostStatus.PUBLISHED,
                published_at=datetime(2026, 11, 1, tzinfo=UTC),
                linkedin_post_urn="urn:li:share:1",
            )
        )
    linkedin_server.post_statistics["urn:li:share:1"] = {"IMPRESSION": 10}
    linkedin_server.inject("GET", "/rest/memberCreatorPostAnalytics", 200, body=PORTAL_PAGE)
    token = linkedin_server.issue_token((ANALYTICS_SCOPE,))
    with (
        LinkedInAnalyticsClient(linkedin_server.base_url, "202511", token) as client,
        pytest.raises(UnexpectedAnswer),
    ):
        refresh_post_figures(engine, user_id, client, now=datetime(2026, 11, 4, tzinfo=UTC))
    with transaction(engine) as session:  # not cached as "LinkedIn reported nothing"
        assert session.scalar(select(func.count()).select_from(PostLinkedInStats)) == 0


# --- Retry-After --------------------------------------------------------------------------------

NOW_TS = datetime(2030, 1, 1, 12, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 7.5 ", 7.5),
        ("-30", 0.0),
        ("-inf", 0.0),
        ("0", 0.0),
        ("nan", None),
        ("NaN", None),
        ("1e400", MAX_RETRY_AFTER_S),
        ("inf", MAX_RETRY_AFTER_S),
        ("Infinity", MAX_RETRY_AFTER_S),
        ("1" + "0" * 30, MAX_RETRY_AFTER_S),
        ("Tue, 01 Jan 2030 12:00:30 GMT", 30.0),
        ("Tue, 01 Jan 2030 12:00:30 -0000", 30.0),  # a date without a zone is GMT
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # long past
        ("Thu, 01 Jan 2099 00:00:00 GMT", MAX_RETRY_AFTER_S),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER_S),
        ("Mon, 99 Foo 2030 99:99:99 GMT", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_any_form_is_a_wait_of_zero_to_a_day_or_nothing(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, now=NOW_TS) == seconds


def test_a_429_with_an_absurd_retry_after_carries_a_capped_wait(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    later = format_datetime(datetime(2099, 1, 1, tzinfo=UTC), usegmt=True)
    for header in ("1e400", later):
        linkedin_server.inject("POST", "/rest/posts", 429, retry_after=header)
        with pytest.raises(RateLimited) as caught:
            client.create_post(_author(linkedin_server), "x")
        assert caught.value.retry_after == MAX_RETRY_AFTER_S

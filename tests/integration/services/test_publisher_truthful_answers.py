"""The publisher tells the truth (issue 12): only a 201 is "published", every request has a
whole-request deadline, any Retry-After is survived, and no answer leaves a post in `publishing`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import (
    CHECK_LINKEDIN,
    MAY_HAVE_PUBLISHED,
    Outcome,
    retry_time_words,
)
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, Desk, make_desk

# NOW is Thursday 26 Nov 2026, 09:00 UTC: 04:00 in this zone, where messages are read.
LOCAL = timezone(timedelta(hours=-5))
PORTAL_PAGE = "<html><head><title>Sign in</title></head><body>Hotel Wi-Fi</body></html>"


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


def _gif(tmp_path: Path) -> str:
    image = tmp_path / "a.gif"
    image.write_bytes(b"GIF89a" + (10).to_bytes(2, "little") * 2 + b"\0")
    return str(image)


# --- only 201 means published -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"status": 200, "body": PORTAL_PAGE}, "HTTP 200, text/html"),
        ({"status": 200, "body": {}}, "HTTP 200, application/json"),
        ({"status": 204}, "HTTP 204"),
        ({"status": 202}, "HTTP 202"),
        ({"status": 202, "body": {"status": "PENDING"}}, "HTTP 202, application/json"),
        (
            {"status": 302, "body": PORTAL_PAGE, "headers": {"Location": "http://10.0.0.1/"}},
            "HTTP 302, text/html",
        ),
    ],
)
def test_a_post_answer_other_than_201_is_unexpected_fails_and_is_never_resent(
    desk: Desk, answer: dict[str, Any], said: str
) -> None:
    desk.server.inject("POST", POSTS_PATH, **answer)
    post_id = desk.due_post()

    [result] = desk.run().results

    expected = f"LinkedIn gave an unexpected answer ({said}) — {CHECK_LINKEDIN}"
    assert (result.outcome, result.detail, result.urn) == (Outcome.FAILED, expected, None)
    post = desk.post(post_id)
    assert (post.status, post.error_message) == (PostStatus.FAILED, expected)
    assert (post.published_at, post.linkedin_post_urn) == (None, None)
    assert desk.run(NOW + timedelta(hours=2)).results == []  # the request may have reached it
    assert desk.sent_posts() == 1


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"status": 200, "body": PORTAL_PAGE}, "HTTP 200, text/html"),
        ({"status": 200, "body": {"unexpected": True}}, "HTTP 200, application/json"),
        (
            {"status": 200, "body": {"value": {"image": "urn:li:image:1"}}},
            "HTTP 200, application/json",
        ),
        ({"status": 204}, "HTTP 204"),
    ],
)
def test_an_unexpected_answer_to_the_upload_ticket_is_a_retry_and_nothing_is_posted(
    desk: Desk, tmp_path: Path, answer: dict[str, Any], said: str
) -> None:
    desk.server.inject("POST", "/rest/images", **answer)
    post_id = desk.due_post("pic", image_path=_gif(tmp_path))

    [result] = desk.run(tz=LOCAL).results

    assert result.outcome is Outcome.RETRY
    assert result.detail == (
        f"Preparing the image upload: LinkedIn gave an unexpected answer ({said}). "
        "Trying again at 04:01:00 (attempt 2 of 3)."
    )
    assert desk.post(post_id).status == PostStatus.SCHEDULED and desk.sent_posts() == 0
    [later] = desk.run(NOW + timedelta(seconds=60)).results
    assert later.outcome is Outcome.PUBLISHED


# --- a deadline for the whole request ---------------------------------------------------------


def test_a_post_answer_that_trickles_in_ends_at_the_deadline_as_maybe_published(
    desk: Desk,
) -> None:
    # One byte every 0.2 s: no read ever waits long, but the whole page would take ~15 s.
    desk.server.inject("POST", POSTS_PATH, 200, body=PORTAL_PAGE, trickle_s=0.2)
    post_id = desk.due_post()

    [result] = desk.run(request_deadline_s=1.0).results

    assert (result.outcome, result.detail) == (Outcome.FAILED, MAY_HAVE_PUBLISHED)
    assert desk.server.wait_for_hang_up()  # the client left with most of the page unsent
    assert desk.post(post_id).status == PostStatus.FAILED
    assert desk.run(NOW + timedelta(hours=2)).results == [] and desk.sent_posts() == 1


def test_an_upload_ticket_that_trickles_in_ends_at_the_deadline_and_is_retried(
    desk: Desk, tmp_path: Path
) -> None:
    # LinkedIn's own ticket (~200 bytes of JSON), one byte every 0.05 s: ~10 s whole.
    desk.server.inject("POST", "/rest/images", trickle_s=0.05)
    post_id = desk.due_post("pic", image_path=_gif(tmp_path))

    [result] = desk.run(request_deadline_s=0.5).results

    assert result.outcome is Outcome.RETRY and "Preparing the image upload" in result.detail
    assert desk.server.wait_for_hang_up()
    assert desk.post(post_id).retry_count == 1 and desk.sent_posts() == 0


# --- Retry-After in every form ----------------------------------------------------------------

TODAY_BACKOFF = (60.0, "at 04:01:00")  # the first backoff: Retry-After said nothing usable
TOMORROW_CAP = (24 * 3600.0, "on Fri 27 Nov at 04:00")  # capped at a day


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("120", (120.0, "at 04:02:00")),
        ("3600", (3600.0, "at 05:00:00")),
        ("0", TODAY_BACKOFF),
        ("-30", TODAY_BACKOFF),
        ("nan", TODAY_BACKOFF),
        ("soon, maybe", TODAY_BACKOFF),
        ("Wed, 21 Oct 2015 07:28:00 GMT", TODAY_BACKOFF),  # a date long past
        ("1e400", TOMORROW_CAP),
        ("inf", TOMORROW_CAP),
        ("99999999999999999999999", TOMORROW_CAP),
        ("Thu, 01 Jan 2099 00:00:00 GMT", TOMORROW_CAP),
    ],
)
def test_any_retry_after_gives_a_retry_at_a_sane_time_named_in_local_words(
    desk: Desk, retry_after: str, wait: tuple[float, str]
) -> None:
    seconds, words = wait
    desk.server.inject("POST", POSTS_PATH, 429, retry_after=retry_after)
    post_id = desk.due_post()

    [result] = desk.run(tz=LOCAL).results

    assert result.outcome is Outcome.RETRY
    assert result.detail.endswith(f"Trying again {words} (attempt 2 of 3).")
    post = desk.post(post_id)
    assert post.status == PostStatus.SCHEDULED and post.retry_count == 1
    assert post.next_attempt_at == NOW + timedelta(seconds=seconds)


def test_retry_after_as_a_date_two_hours_ahead_waits_until_then(desk: Desk) -> None:
    # An HTTP date is read against the real clock, as LinkedIn's own clock would mean it.
    in_two_hours = format_datetime(datetime.fromtimestamp(time.time() + 7200, UTC), usegmt=True)
    desk.server.inject("POST", POSTS_PATH, 429, retry_after=in_two_hours)
    post_id = desk.due_post()

    [result] = desk.run(tz=LOCAL).results

    when = desk.post(post_id).next_attempt_at
    assert when is not None
    assert NOW + timedelta(seconds=7200 - 60) <= when <= NOW + timedelta(seconds=7200)
    assert result.detail.endswith(
        f"Trying again at {when.astimezone(LOCAL):%H:%M:%S} (attempt 2 of 3)."
    )


def test_retry_words_name_the_day_and_the_year_only_when_needed() -> None:
    now = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)  # 15:00 local
    assert retry_time_words(now + timedelta(hours=1), now, LOCAL) == "at 16:00:00"
    assert retry_time_words(now + timedelta(hours=10), now, LOCAL) == "on Fri 1 Jan 2027 at 01:00"


# --- nothing left in `publishing` ---------------------------------------------------------------


def test_a_failure_while_working_out_the_outcome_still_settles_the_post_in_that_pass(
    desk: Desk,
) -> None:
    # At the last minute of year 9999 no retry time can be represented (OverflowError): a real
    # stand-in for any bug while reading an answer, after LinkedIn refused the post with a 429.
    end_of_time = datetime(9999, 12, 31, 23, 58, tzinfo=UTC)
    with transaction(desk.engine) as session:  # a connection that has not expired by then
        queries.upsert_user_settings(session, desk.user_id, {"linkedin_token_expires_at": None})
    desk.server.inject("POST", POSTS_PATH, 429, retry_after="3600")
    post_id = desk.due_post(at=end_of_time - timedelta(minutes=1))

    [result] = desk.run(end_of_time).results

    assert result.outcome is Outcome.FAILED
    assert result.detail.startswith("Not published: LinkedIn asked to slow down")
    post = desk.post(post_id)
    assert (post.status, post.error_message) == (PostStatus.FAILED, result.detail)
    # Nothing was left in `publishing` for the stale rule to call "may have been published".
    assert desk.run(end_of_time + timedelta(minutes=1)).results == []

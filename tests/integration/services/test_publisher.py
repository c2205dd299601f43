"""The publisher against the LinkedIn test server over real HTTP: every row of the outcome table."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from linkie_desktop import config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import LinkedInOAuthState, OAuthStatus
from linkie_desktop.domain.posts import MAX_RETRIES
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.publisher import (
    MAY_HAVE_PUBLISHED,
    MISSED_WHILE_CLOSED,
    Outcome,
    PublisherConfig,
    backoff_seconds,
    run_once,
    schedule_now,
)
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, Desk, make_desk

EVERY_RESERVED = r"Launch day (v2.0) #ship @team [docs] <3 *bold* _it_ ~old~ a|b {x} C:\temp"


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


def test_text_with_every_reserved_character_arrives_intact(desk: Desk) -> None:
    post_id = desk.due_post(EVERY_RESERVED)
    result = desk.run()
    [stored] = desk.server.posts
    assert stored.commentary == EVERY_RESERVED  # not truncated at "(": escaped at send time
    post = desk.post(post_id)
    assert post.status == PostStatus.PUBLISHED
    assert post.linkedin_post_urn == stored.urn and post.published_at == NOW
    assert post.content == EVERY_RESERVED  # the database keeps what the user typed
    assert [(r.outcome, r.urn) for r in result.results] == [(Outcome.PUBLISHED, stored.urn)]


def test_required_headers_are_sent(desk: Desk) -> None:
    desk.due_post()
    desk.run()
    [request] = desk.server.requests_to("POST", POSTS_PATH)
    assert request.headers["linkedin-version"] == "202511"
    assert request.headers["x-restli-protocol-version"] == "2.0.0"
    assert request.headers["authorization"] == f"Bearer {desk.token}"


def test_urn_is_read_from_x_linkedin_id_too(desk: Desk) -> None:
    desk.server.post_id_header = "x-linkedin-id"
    post_id = desk.due_post()
    desk.run()
    assert desk.post(post_id).linkedin_post_urn == desk.server.posts[0].urn


def test_image_post_uploads_first_then_references_the_image(desk: Desk, tmp_path: Path) -> None:
    image = tmp_path / "chart.gif"
    image.write_bytes(b"GIF89a" + (640).to_bytes(2, "little") + (480).to_bytes(2, "little") + b"\0")
    post_id = desk.due_post("See the chart", image_path=str(image))
    desk.run()
    [stored] = desk.server.posts
    assert stored.image_urn is not None
    assert desk.server.images[stored.image_urn] == image.read_bytes()
    assert desk.post(post_id).status == PostStatus.PUBLISHED
    order = [r.path.split("/")[-1] for r in desk.server.requests]
    assert order == ["images", order[1], "posts"] and order[1] != "posts"  # init, PUT, post


def test_an_image_linkedin_does_not_take_fails_before_any_request(
    desk: Desk, tmp_path: Path
) -> None:
    image = tmp_path / "notes.bmp"
    image.write_bytes(b"BM" + b"\0" * 64)
    post_id = desk.due_post("With a bitmap", image_path=str(image))
    [result] = desk.run().results
    assert result.outcome is Outcome.FAILED and "PNG, JPEG or GIF" in result.detail
    assert desk.server.requests == []
    assert desk.post(post_id).status == PostStatus.FAILED


def test_401_marks_the_connection_expired_and_the_post_waits_then_publishes(desk: Desk) -> None:
    desk.server.expire_token(desk.token)
    post_id = desk.due_post()
    result = desk.run()
    assert result.reconnect_needed
    assert [r.outcome for r in result.results] == [Outcome.WAITING]
    post = desk.post(post_id)
    assert post.status == PostStatus.SCHEDULED and post.retry_count == 0
    assert desk.settings().linkedin_oauth_status == OAuthStatus.EXPIRED
    assert desk.run(NOW + timedelta(minutes=1)).results[0].outcome is Outcome.WAITING
    assert desk.sent_posts() == 1  # the expired connection is not tried again
    desk.connect()  # the user reconnects, hours later: the post is not "missed"
    later = desk.run(NOW + timedelta(hours=5))
    assert [r.outcome for r in later.results] == [Outcome.PUBLISHED]
    assert desk.post(post_id).status == PostStatus.PUBLISHED


def test_403_fails_naming_the_missing_permission(desk: Desk) -> None:
    desk.connect(desk.server.issue_token(scopes=("openid", "profile", "email")))
    post_id = desk.due_post()
    [result] = desk.run().results
    assert result.outcome is Outcome.FAILED and "w_member_social" in result.detail
    assert desk.post(post_id).error_message == result.detail


def test_422_duplicate_fails_with_linkedins_message(desk: Desk) -> None:
    desk.due_post("Same words")
    desk.run()
    again = desk.due_post("Same words")
    [result] = desk.run(NOW + timedelta(seconds=1)).results
    assert result.outcome is Outcome.FAILED
    assert "duplicate" in result.detail and desk.server.posts[0].urn in result.detail
    assert desk.post(again).status == PostStatus.FAILED


def test_426_fails_naming_the_api_version_setting(desk: Desk) -> None:
    post_id = desk.due_post()
    [result] = desk.run(linkedin_version="202301").results
    assert result.outcome is Outcome.FAILED
    assert "202301 is retired" in result.detail and "LinkedIn API version" in result.detail
    assert desk.post(post_id).retry_count == 0


@pytest.mark.parametrize(("retry_after", "expected_wait"), [(600.0, 600.0), (5.0, 60.0)])
def test_429_waits_for_retry_after_or_backoff_whichever_is_longer_then_publishes(
    desk: Desk, retry_after: float, expected_wait: float
) -> None:
    desk.server.inject("POST", POSTS_PATH, 429, retry_after=retry_after)
    post_id = desk.due_post()
    [result] = desk.run().results
    assert result.outcome is Outcome.RETRY
    post = desk.post(post_id)
    assert post.status == PostStatus.SCHEDULED and post.retry_count == 1
    assert post.next_attempt_at == NOW + timedelta(seconds=expected_wait)
    assert desk.run(NOW + timedelta(seconds=expected_wait - 1)).results == []
    assert desk.sent_posts() == 1
    [published] = desk.run(NOW + timedelta(seconds=expected_wait)).results
    assert published.outcome is Outcome.PUBLISHED and desk.sent_posts() == 2


def test_5xx_three_times_fails_after_backoffs_of_base_then_twice_base(desk: Desk) -> None:
    desk.server.inject("POST", POSTS_PATH, 503, times=3)
    post_id = desk.due_post()
    first = desk.run().results[0]
    second = desk.run(NOW + timedelta(seconds=60)).results[0]
    third = desk.run(NOW + timedelta(seconds=60 + 120)).results[0]
    assert [first.outcome, second.outcome, third.outcome] == [
        Outcome.RETRY,
        Outcome.RETRY,
        Outcome.FAILED,
    ]
    assert second.next_attempt_at == NOW + timedelta(seconds=60 + 120)
    post = desk.post(post_id)
    assert post.status == PostStatus.FAILED and post.retry_count == MAX_RETRIES
    assert "3 attempts" in (post.error_message or "") and "503" in (post.error_message or "")
    assert desk.run(NOW + timedelta(days=1)).results == []
    assert desk.sent_posts() == 3


def test_backoff_formula() -> None:
    assert [backoff_seconds(n, 60) for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_seconds(1, 60, retry_after_s=90) == 90
    assert backoff_seconds(2, 60, retry_after_s=90) == 120


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_before_sending_is_retried(desk: Desk) -> None:
    post_id = desk.due_post()
    [result] = desk.run(api_base=f"http://127.0.0.1:{_closed_port()}").results
    assert result.outcome is Outcome.RETRY
    assert desk.post(post_id).retry_count == 1
    [later] = desk.run(NOW + timedelta(seconds=60)).results
    assert later.outcome is Outcome.PUBLISHED


@pytest.mark.parametrize("fault", ["timeout", "dropped"])
def test_no_answer_after_sending_fails_as_maybe_published_and_is_never_resent(
    desk: Desk, fault: str
) -> None:
    if fault == "timeout":
        desk.server.inject("POST", POSTS_PATH, delay_s=3.0)
    else:
        desk.server.inject("POST", POSTS_PATH, drop=True)
    post_id = desk.due_post()
    [result] = desk.run(request_deadline_s=0.5).results
    assert result.outcome is Outcome.FAILED and result.detail == MAY_HAVE_PUBLISHED
    assert desk.post(post_id).status == PostStatus.FAILED
    assert desk.run(NOW + timedelta(hours=2)).results == []
    assert desk.sent_posts() == 1
    assert len(desk.server.posts) == 1  # it was in fact published: resending would double it


def test_a_read_timeout_while_uploading_the_image_is_safe_to_retry(
    desk: Desk, tmp_path: Path
) -> None:
    image = tmp_path / "a.gif"
    image.write_bytes(b"GIF89a" + (10).to_bytes(2, "little") * 2 + b"\0")
    desk.server.inject("POST", "/rest/images", delay_s=3.0)
    desk.due_post("pic", image_path=str(image))
    [result] = desk.run(request_deadline_s=0.5).results
    assert result.outcome is Outcome.RETRY and desk.sent_posts() == 0


def test_post_stuck_in_publishing_for_5_minutes_fails_without_sending(desk: Desk) -> None:
    stale = desk.due_post(
        "stale", status=PostStatus.PUBLISHING, updated_at=NOW - timedelta(minutes=5)
    )
    fresh = desk.due_post(
        "fresh", status=PostStatus.PUBLISHING, updated_at=NOW - timedelta(minutes=4)
    )
    [result] = desk.run().results
    assert (result.post_id, result.outcome, result.detail) == (
        stale,
        Outcome.FAILED,
        MAY_HAVE_PUBLISHED,
    )
    assert desk.post(fresh).status == PostStatus.PUBLISHING
    assert desk.server.requests == []


@pytest.mark.parametrize(
    ("late", "outcome"),
    [
        (timedelta(minutes=59, seconds=59), Outcome.PUBLISHED),
        (timedelta(hours=1), Outcome.FAILED),
        (timedelta(days=3), Outcome.FAILED),
    ],
)
def test_missed_while_closed_grace_edges(desk: Desk, late: timedelta, outcome: Outcome) -> None:
    post_id = desk.due_post(late=late)
    [result] = desk.run().results
    assert result.outcome is outcome
    if outcome is Outcome.FAILED:
        assert desk.post(post_id).error_message == MISSED_WHILE_CLOSED
        assert desk.server.requests == []


def test_a_post_waiting_for_its_retry_is_not_missed(desk: Desk) -> None:
    post_id = desk.due_post(late=timedelta(hours=3), retry_count=1, next_attempt_at=NOW)
    [result] = desk.run().results
    assert result.outcome is Outcome.PUBLISHED
    assert desk.post(post_id).linkedin_post_urn is not None


def test_not_connected_posts_wait_and_nothing_is_sent(desk: Desk) -> None:
    with transaction(desk.engine) as session:
        queries.upsert_user_settings(
            session, desk.user_id, {"linkedin_oauth_status": OAuthStatus.DISCONNECTED}
        )
    post_id = desk.due_post()
    [result] = desk.run().results
    assert result.outcome is Outcome.WAITING and "connect LinkedIn" in result.detail
    assert desk.post(post_id).status == PostStatus.SCHEDULED and desk.server.requests == []


def test_expired_oauth_states_are_deleted(desk: Desk) -> None:
    with transaction(desk.engine) as session:
        session.add(LinkedInOAuthState(state="old", user_id=desk.user_id, expires_at=NOW))
        session.add(
            LinkedInOAuthState(
                state="live", user_id=desk.user_id, expires_at=NOW + timedelta(minutes=5)
            )
        )
    desk.run(NOW + timedelta(seconds=1))
    with transaction(desk.engine) as session:
        assert session.scalars(select(LinkedInOAuthState.state)).all() == ["live"]


def test_next_due_at_names_the_next_post_or_retry(desk: Desk) -> None:
    desk.due_post("later", late=timedelta(minutes=-10))
    desk.server.inject("POST", POSTS_PATH, 500)
    desk.due_post("now")
    result = desk.run()
    assert result.next_due_at == NOW + timedelta(seconds=60)


def test_schedule_now_makes_a_failed_post_due_with_fresh_attempts(desk: Desk) -> None:
    post_id = desk.due_post(status=PostStatus.FAILED, retry_count=3, error_message="boom")
    schedule_now(desk.engine, desk.user_id, post_id, now=NOW)
    [result] = desk.run().results
    assert result.outcome is Outcome.PUBLISHED


def test_two_concurrent_passes_publish_each_post_exactly_once(desk: Desk) -> None:
    ids = [desk.due_post(f"Post number {n}") for n in range(20)]
    barrier = threading.Barrier(2)
    outcomes: list[list[str]] = []

    def one_pass() -> None:
        barrier.wait()
        result = run_once(desk.engine, desk.tokens, desk.config, now=NOW)
        outcomes.append([r.post_id for r in result.results if r.outcome is Outcome.PUBLISHED])

    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    published = outcomes[0] + outcomes[1]
    assert sorted(published) == sorted(ids)
    sent = [r.json()["commentary"] for r in desk.server.requests_to("POST", POSTS_PATH)]
    assert sorted(sent) == sorted(f"Post number {n}" for n in range(20))


def test_the_api_version_comes_from_settings_unless_the_environment_overrides_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefs = Preferences(linkedin_version="202601")
    monkeypatch.delenv("LINKIE_LINKEDIN_VERSION", raising=False)
    assert PublisherConfig.from_config(config.load(), prefs).linkedin_version == "202601"
    monkeypatch.setenv("LINKIE_LINKEDIN_VERSION", "202509")
    assert PublisherConfig.from_config(config.load(), prefs).linkedin_version == "202509"

"""Every way of (re)scheduling a post starts it afresh: no leftover backoff, attempts or error."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import CalendarService
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.publisher import schedule_now


def _post_in_backoff(engine: Engine, user_id: str, status: str = PostStatus.SCHEDULED) -> str:
    """A post that failed twice and waits an hour before its next attempt."""
    now = utc_now()
    with transaction(engine) as session:
        post = Post(
            user_id=user_id,
            content="hello",
            status=status,
            scheduled_at=now - timedelta(minutes=10),
            retry_count=2,
            next_attempt_at=now + timedelta(hours=1),
            error_message="LinkedIn is busy (503)",
        )
        session.add(post)
        session.flush()
        return post.id


def _fields(engine: Engine, user_id: str, post_id: str) -> tuple[str, int, object, object]:
    with transaction(engine) as session:
        post = queries.get_post_by_id(session, post_id, user_id)
        assert post is not None
        return post.status, post.retry_count, post.next_attempt_at, post.error_message


def test_rescheduling_a_post_in_backoff_drops_the_old_wait(engine: Engine, user_id: str) -> None:
    post_id = _post_in_backoff(engine, user_id)
    at = utc_now() + timedelta(minutes=5)
    PostService(engine, user_id).schedule(post_id, at)
    assert _fields(engine, user_id, post_id) == (PostStatus.SCHEDULED, 0, None, None)
    with transaction(engine) as session:
        due = queries.get_posts_ready_to_publish(session, at)
    assert [p.id for p in due] == [post_id]


def test_retry_of_a_failed_post_is_due_at_once(engine: Engine, user_id: str) -> None:
    post_id = _post_in_backoff(engine, user_id, status=PostStatus.FAILED)
    PostService(engine, user_id).retry(post_id)
    assert _fields(engine, user_id, post_id) == (PostStatus.SCHEDULED, 0, None, None)
    with transaction(engine) as session:
        due = queries.get_posts_ready_to_publish(session, utc_now() + timedelta(seconds=1))
    assert [p.id for p in due] == [post_id]


def test_publish_now_and_a_calendar_drop_also_start_afresh(engine: Engine, user_id: str) -> None:
    first = _post_in_backoff(engine, user_id)
    schedule_now(engine, user_id, first)
    assert _fields(engine, user_id, first) == (PostStatus.SCHEDULED, 0, None, None)

    second = _post_in_backoff(engine, user_id)
    tz = ZoneInfo("Europe/Berlin")
    tomorrow = (datetime.now(UTC).astimezone(tz) + timedelta(days=2)).date()
    calendar = CalendarService(engine, user_id, tz=tz)
    calendar.drop_on_day(second, tomorrow, time(9, 0))
    assert _fields(engine, user_id, second) == (PostStatus.SCHEDULED, 0, None, None)

"""The Dashboard's Next, Upcoming and "scheduled this week" follow one rule of which posts are
still to go out: a post being retried is upcoming at its retry time, one whose time (or retry
time) has come is not — it goes out now, or waits for the LinkedIn connection — so the cards and
the lists never disagree (issue 15)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.overview import (
    DashboardOverview,
    load_overview,
    status_bar_figures,
)
from tests.connection_support import mark_connected

# Thursday 26 November 2026, 09:00 UTC: the week runs to Monday 30th.
NOW = datetime.fromisoformat("2026-11-26T09:00:00+00:00")
MINUTE = timedelta(minutes=1)


def _scheduled(engine: Engine, user_id: str, at: datetime, retry_at: datetime | None = None) -> str:
    with transaction(engine) as session:
        post = queries.create_post(
            session,
            {
                "user_id": user_id,
                "content": f"For {at:%H:%M}",
                "status": PostStatus.SCHEDULED,
                "scheduled_at": at,
            },
        )
        if retry_at is not None:  # as the publisher leaves a post it will try again
            post.retry_count, post.next_attempt_at = 1, retry_at
        return post.id


def _agree(overview: DashboardOverview) -> list[str]:
    """Upcoming's posts, once checked against Next and the week's card (all within the week)."""
    upcoming = [item.post_id for item in overview.figures.upcoming]
    next_post = overview.figures.next_post
    assert (next_post.post_id if next_post else None) == (upcoming[0] if upcoming else None)
    assert overview.scheduled_this_week == len(upcoming)
    return upcoming


def test_a_post_being_retried_is_next_at_its_retry_time(engine: Engine, user_id: str) -> None:
    mark_connected(engine, user_id)
    retried = _scheduled(engine, user_id, NOW - 10 * MINUTE, retry_at=NOW + 5 * MINUTE)
    later = _scheduled(engine, user_id, NOW + 2 * 60 * MINUTE)
    overview = load_overview(engine, user_id, NOW)
    assert _agree(overview) == [retried, later]
    assert overview.figures.upcoming[0].scheduled_at == NOW + 5 * MINUTE  # when it goes out
    next_post = status_bar_figures(engine, user_id, NOW).next_post  # the status bar's Next
    assert next_post is not None
    assert (next_post.post_id, next_post.scheduled_at) == (retried, NOW + 5 * MINUTE)


def test_a_post_whose_retry_time_has_passed_is_going_out_not_upcoming(
    engine: Engine, user_id: str
) -> None:
    mark_connected(engine, user_id)
    _scheduled(engine, user_id, NOW - 10 * MINUTE, retry_at=NOW - MINUTE)  # the pass takes it
    _scheduled(engine, user_id, NOW - MINUTE)  # its time has just come: the same
    later = _scheduled(engine, user_id, NOW + 60 * MINUTE)
    assert _agree(load_overview(engine, user_id, NOW)) == [later]


def test_while_the_connection_has_expired_a_post_being_retried_waits(
    engine: Engine, user_id: str
) -> None:
    mark_connected(engine, user_id)
    with transaction(engine) as session:
        queries.upsert_user_settings(
            session, user_id, {"linkedin_oauth_status": OAuthStatus.EXPIRED}
        )
    _scheduled(engine, user_id, NOW - 10 * MINUTE, retry_at=NOW + 5 * MINUTE)
    _scheduled(engine, user_id, NOW - MINUTE)
    later = _scheduled(engine, user_id, NOW + 60 * MINUTE)
    overview = load_overview(engine, user_id, NOW)
    assert overview.waiting == 2  # counted on their own, never as scheduled
    assert _agree(overview) == [later]
    next_post = status_bar_figures(engine, user_id, NOW).next_post
    assert next_post is not None and next_post.post_id == later

"""Shared by the Dashboard and Analytics tests: a pinned clock and zone, and quick post rows.

"Now" is Wednesday 4 November 2026, 12:00 in Berlin; the zone left CEST (+2) for CET (+1) on
Sunday 25 October 2026 at 03:00, inside every period the tests look at.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Account, OAuthStatus, Post, User
from linkie_desktop.domain.status import PostStatus

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=BERLIN).astimezone(UTC)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Berlin wall-clock time as the UTC instant the database stores."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def add_post(
    engine: Engine,
    user_id: str,
    status: PostStatus,
    *,
    content: str = "A post.",
    title: str | None = None,
    scheduled: datetime | None = None,
    published: datetime | None = None,
    error: str | None = None,
    updated: datetime | None = None,
    urn: str | None = None,
) -> str:
    with transaction(engine) as session:
        post = Post(
            user_id=user_id,
            title=title,
            content=content,
            status=status,
            scheduled_at=scheduled,
            published_at=published,
            error_message=error,
            linkedin_post_urn=urn,
            updated_at=updated or NOW - timedelta(days=400),
        )
        session.add(post)
        session.flush()
        return post.id


def connect_linkedin(
    engine: Engine, user_id: str, scope: str, expires_at: datetime, name: str = "Alex Rivera"
) -> None:
    """What a finished OAuth connection leaves in the database (the token sealed, here fake)."""
    with transaction(engine) as session:
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_connected": 1,
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_token_expires_at": expires_at,
                "linkedin_access_token": "enc:v1:sealed-token",
            },
        )
        session.add(
            Account(
                user_id=user_id,
                type="oauth",
                provider="linkedin",
                provider_account_id="782bbtaQ",
                scope=scope,
            )
        )
        user = session.get(User, user_id)
        assert user is not None
        user.name = name

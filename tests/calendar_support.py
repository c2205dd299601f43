"""Helpers of the calendar tests: pinned time zones and posts written straight to the database.

`system_zone` pins the process's local zone (TZ + time.tzset) and puts it back afterwards: code that
takes `tz=None` follows the system zone through the C library, so pinning makes those paths
testable in Europe/Berlin and America/New_York whatever the machine's own zone is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import MAX_CONTENT_CHARS
from linkie_desktop.domain.schedule import (
    PAST_DAY,
    PUBLISHED_FIXED,
    PUBLISHING_FIXED,
    resolve_wall_time,
)
from linkie_desktop.domain.status import PostStatus

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@contextmanager
def system_zone(name: str) -> Iterator[ZoneInfo]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield ZoneInfo(name)
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()


def local(day: date, hour: int, minute: int = 0, tz: tzinfo = BERLIN) -> datetime:
    """The UTC instant of a local wall-clock time."""
    return resolve_wall_time(datetime.combine(day, clock_time(hour, minute)), tz).instant


def add_post(
    engine: Engine,
    user_id: str,
    content: str = "Some words worth posting.",
    status: str = PostStatus.DRAFT,
    at: datetime | None = None,
    title: str | None = None,
) -> str:
    with transaction(engine) as session:
        post = queries.create_post(
            session,
            {
                "user_id": user_id,
                "content": content,
                "title": title,
                "status": status,
                "scheduled_at": at,
            },
        )
        if status == PostStatus.FAILED:
            post.error_message = "LinkedIn said no"
            post.retry_count = 3
        return post.id


def row_of(engine: Engine, post_id: str) -> tuple[Any, ...]:
    """The columns a calendar action may touch, to compare before and after."""
    with transaction(engine) as session:
        post = session.get(Post, post_id)
        assert post is not None
        return (
            post.status,
            post.scheduled_at,
            post.content,
            post.title,
            post.updated_at,
            post.retry_count,
            post.error_message,
        )


# Every refused drop, with "today" = Thursday 26 March 2026: (case, status, text, day, message).
# Posts that are not drafts sit on Tuesday 24 March at 09:00.
REFUSED_DROPS = [
    ("past day", PostStatus.DRAFT, "Fine", date(2026, 3, 25), PAST_DAY),
    ("published", PostStatus.PUBLISHED, "Fine", date(2026, 3, 30), PUBLISHED_FIXED),
    ("publishing", PostStatus.PUBLISHING, "Fine", date(2026, 3, 30), PUBLISHING_FIXED),
    (
        "empty",
        PostStatus.DRAFT,
        " \n ",
        date(2026, 3, 30),
        "Not scheduled. The post is empty: write something first.",
    ),
    (
        "too long",
        PostStatus.SCHEDULED,
        "x" * (MAX_CONTENT_CHARS + 1),
        date(2026, 3, 30),
        "Not scheduled. The post is 3001 characters long; LinkedIn allows 3000.",
    ),
]
REFUSED_IDS = [case[0] for case in REFUSED_DROPS]

"""Many published posts with LinkedIn's figures cached: the per-post table's pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from linkie_desktop.db import stats
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.status import PostStatus
from tests.analytics_support import NOW


def add_measured_posts(engine: Engine, user_id: str, count: int) -> list[str]:
    """`count` posts published in the last days, each with LinkedIn's figures cached just now
    (so none is due to be fetched again), impressions count-1 … 0: the table's order is known.
    Returns their ids in that order."""
    ids: list[str] = []
    with transaction(engine) as session:
        for number in range(count):
            post = Post(
                user_id=user_id,
                title=f"Post {number:04d}",
                content="Words.",
                status=PostStatus.PUBLISHED,
                published_at=NOW - timedelta(days=1, minutes=number),
                updated_at=NOW - timedelta(days=1),
            )
            session.add(post)
            session.flush()
            ids.append(post.id)
            stats.store_figures(session, user_id, post.id, {"impressions": count - 1 - number}, NOW)
    return ids

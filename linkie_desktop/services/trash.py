"""The trash (no Qt): deleted posts wait here for 30 days, then go for good with their files.

Delete (PostService.delete) only sets posts.deleted_at, so a post in the trash shows nowhere else
and is never published (db/queries.py `live_posts`); the writes here go through PostService,
the one writer of posts. The 30-day clean-up runs in every publisher pass (`purge_expired_trash`),
so it happens whether the window or `linkie publish-due` runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title
from linkie_desktop.services.posts import PostRecord, PostService

TRASH_KEEPS = timedelta(days=30)


@dataclass(frozen=True)
class TrashedPost:
    id: str
    label: str  # the title, or the text's first words
    status: str
    scheduled_at: datetime | None
    deleted_at: datetime
    gone_at: datetime  # when the trash removes it for good

    def as_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "title": self.label,
            "status": self.status,
            "scheduled_at": self.scheduled_at.isoformat() if self.scheduled_at else None,
            "deleted_at": self.deleted_at.isoformat(),
            "removed_after": self.gone_at.isoformat(),
        }


@dataclass(frozen=True)
class TrashService:
    engine: Engine
    user_id: str
    media_dir: Path | None = None
    clock: Callable[[], datetime] = utc_now

    @property
    def _posts(self) -> PostService:
        return PostService(self.engine, self.user_id, self.media_dir)

    def list(self) -> list[TrashedPost]:
        return [
            TrashedPost(
                record.id,
                display_title(record.title, record.content, limit=80),
                record.status,
                record.scheduled_at,
                deleted_at,
                deleted_at + TRASH_KEEPS,
            )
            for record, deleted_at in self._posts.trash()
        ]

    def restore(self, post_id: str) -> tuple[PostRecord, bool]:
        """The post out of the trash, and whether it became a draft (its time had passed)."""
        return self._posts.restore_from_trash(post_id, self.clock())

    def empty(self) -> int:
        """Empty the trash now: every post in it goes for good, with its files."""
        return len(self._posts.empty_trash())


def purge_expired_trash(
    engine: Engine, media_dir: Path | None, now: datetime | None = None
) -> tuple[str, ...]:
    """Remove for good what has been in the trash for TRASH_KEEPS, for every user of the file
    (the publisher serves them all); the ids removed."""
    before = (now or utc_now()) - TRASH_KEEPS
    with reading(engine) as session:
        users = list(queries.users_with_trash(session, before))
    removed: list[str] = []
    for user_id in users:
        removed += PostService(engine, user_id, media_dir).empty_trash(before)
    return tuple(removed)

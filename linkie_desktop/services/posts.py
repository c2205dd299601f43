"""Post operations shared by the window and the command line, with the domain's rules applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostStatus
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import (
    ValidationError,
    can_schedule,
    can_unschedule,
    validate_content,
    validate_schedule_time,
)


class UnknownPostError(ValidationError):
    def __init__(self, post_id: str) -> None:
        super().__init__(f"There is no post with id {post_id!r}.")


@dataclass(frozen=True)
class PostService:
    engine: Engine
    user_id: str

    def add(self, content: str, title: str | None = None, at: datetime | None = None) -> Post:
        validate_content(content)
        with transaction(self.engine) as session:
            if at is None:
                return queries.create_post(
                    session, {"user_id": self.user_id, "content": content, "title": title}
                )
            validate_schedule_time(at, utc_now())
            return queries.create_post(
                session,
                {
                    "user_id": self.user_id,
                    "content": content,
                    "title": title,
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": at,
                },
            )

    def schedule(self, post_id: str, at: datetime) -> Post:
        validate_schedule_time(at, utc_now())
        with transaction(self.engine) as session:
            post = queries.get_post_by_id(session, post_id, self.user_id)
            if post is None:
                raise UnknownPostError(post_id)
            if not can_schedule(post.status):
                raise ValidationError(f"A {post.status} post cannot be scheduled.")
            validate_content(post.content)
            updated = queries.update_post(
                session,
                post_id,
                {
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": at,
                    "error_message": None,
                    "retry_count": 0,
                },
                self.user_id,
            )
            assert updated is not None
            return updated

    def unschedule(self, post_id: str) -> Post:
        with transaction(self.engine) as session:
            post = queries.get_post_by_id(session, post_id, self.user_id)
            if post is None:
                raise UnknownPostError(post_id)
            if not can_unschedule(post.status):
                raise ValidationError(f"A {post.status} post is not scheduled.")
            updated = queries.update_post(
                session,
                post_id,
                {"status": PostStatus.DRAFT, "scheduled_at": None, "error_message": None},
                self.user_id,
            )
            assert updated is not None
            return updated

    def delete(self, post_id: str) -> None:
        with transaction(self.engine) as session:
            post = queries.get_post_by_id(session, post_id, self.user_id)
            if post is None:
                raise UnknownPostError(post_id)
            if post.status == PostStatus.PUBLISHING:
                raise ValidationError("This post is being published right now; try again shortly.")
            queries.delete_post(session, post_id, self.user_id)

    def list(self, status: str | None = None) -> list[Post]:
        with transaction(self.engine) as session:
            return list(queries.get_all_posts(session, self.user_id, status=status))

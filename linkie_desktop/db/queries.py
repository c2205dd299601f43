"""The query functions of SEED-SCHEMA.md. Every user-facing query is scoped by `user_id`.

Each function takes an open Session and leaves committing to the caller (`db.engine.transaction`),
so a service can make several changes in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, NotRequired, TypedDict

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linkie_desktop.db.models import Generation, Post, PostStatus, User, UserSettings
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import MAX_RETRIES
from linkie_desktop.domain.schedule import month_bounds

STALE_PUBLISHING_AFTER = timedelta(minutes=5)
LOCAL_USER_EMAIL = "me@linkie.local"


class NewPost(TypedDict):
    user_id: str
    content: str
    title: NotRequired[str | None]
    status: NotRequired[str]
    scheduled_at: NotRequired[datetime | None]
    image_path: NotRequired[str | None]


class PostChanges(TypedDict, total=False):
    title: str | None
    content: str
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    linkedin_post_urn: str | None
    image_path: str | None
    error_message: str | None
    retry_count: int


class NewGeneration(TypedDict):
    user_id: str
    idea: str
    text_variations_json: str
    images_json: str


class SettingsChanges(TypedDict, total=False):
    linkedin_profile_url: str | None
    linkedin_person_urn: str | None
    linkedin_connected: int
    linkedin_access_token: str | None
    linkedin_refresh_token: str | None
    linkedin_token_expires_at: datetime | None
    linkedin_oauth_status: str | None


# --- users -------------------------------------------------------------------------------------


def get_local_user(session: Session) -> User | None:
    """The desktop's one user: the first created (a shared database may hold more)."""
    return session.scalars(select(User).order_by(User.created_at, User.id).limit(1)).first()


def get_or_create_local_user(session: Session) -> User:
    user = get_local_user(session)
    if user is None:
        user = User(name=None, email=LOCAL_USER_EMAIL)
        session.add(user)
        session.flush()
    return user


# --- posts -------------------------------------------------------------------------------------


def get_all_posts(session: Session, user_id: str, status: str | None = None) -> Sequence[Post]:
    """The user's posts, most recently changed first; optionally only those in one status."""
    stmt = select(Post).where(Post.user_id == user_id)
    if status is not None:
        stmt = stmt.where(Post.status == status)
    return session.scalars(stmt.order_by(Post.updated_at.desc(), Post.id)).all()


def get_post_by_id(session: Session, post_id: str, user_id: str) -> Post | None:
    stmt = select(Post).where(Post.id == post_id, Post.user_id == user_id)
    return session.scalars(stmt).first()


def create_post(session: Session, data: NewPost) -> Post:
    post = Post(**data)
    session.add(post)
    session.flush()
    return post


def update_post(session: Session, post_id: str, data: PostChanges, user_id: str) -> Post | None:
    """Apply `data` to the user's post; None (and nothing changed) when it isn't theirs."""
    post = get_post_by_id(session, post_id, user_id)
    if post is None:
        return None
    for key, value in data.items():
        setattr(post, key, value)
    post.updated_at = utc_now()
    session.flush()
    return post


def delete_post(session: Session, post_id: str, user_id: str) -> bool:
    result = session.execute(delete(Post).where(Post.id == post_id, Post.user_id == user_id))
    return bool(getattr(result, "rowcount", 0))


def get_scheduled_posts(
    session: Session, user_id: str, month: str | None = None, tz: tzinfo | None = None
) -> Sequence[Post]:
    stmt = select(Post).where(Post.user_id == user_id, Post.status == PostStatus.SCHEDULED)
    if month is not None:
        start, end = month_bounds(month, tz)
        stmt = stmt.where(Post.scheduled_at >= start, Post.scheduled_at < end)
    return session.scalars(stmt.order_by(Post.scheduled_at, Post.id)).all()


def get_posts_by_month(
    session: Session, month: str, user_id: str, tz: tzinfo | None = None
) -> Sequence[Post]:
    """Posts of any status scheduled in a month of the user's local calendar (`YYYY-MM`)."""
    start, end = month_bounds(month, tz)
    stmt = (
        select(Post)
        .where(Post.user_id == user_id, Post.scheduled_at >= start, Post.scheduled_at < end)
        .order_by(Post.scheduled_at, Post.id)
    )
    return session.scalars(stmt).all()


def get_recent_drafts(session: Session, limit: int, user_id: str) -> Sequence[Post]:
    stmt = (
        select(Post)
        .where(Post.user_id == user_id, Post.status == PostStatus.DRAFT)
        .order_by(Post.updated_at.desc(), Post.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def count_posts(session: Session, user_id: str) -> int:
    return session.scalar(select(func.count()).where(Post.user_id == user_id)) or 0


# --- generations -------------------------------------------------------------------------------


def create_generation(session: Session, data: NewGeneration) -> Generation:
    generation = Generation(**data)
    session.add(generation)
    session.flush()
    return generation


def get_generation_by_id(session: Session, generation_id: str, user_id: str) -> Generation | None:
    stmt = select(Generation).where(Generation.id == generation_id, Generation.user_id == user_id)
    return session.scalars(stmt).first()


def get_recent_generations(session: Session, limit: int, user_id: str) -> Sequence[Generation]:
    stmt = (
        select(Generation)
        .where(Generation.user_id == user_id)
        .order_by(Generation.created_at.desc(), Generation.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


# --- scheduler (global: the publisher serves every user of the file) ---------------------------


def get_posts_ready_to_publish(session: Session, now: datetime | None = None) -> Sequence[Post]:
    """Scheduled posts whose time has come and that have attempts left, oldest first."""
    now = now or utc_now()
    stmt = (
        select(Post)
        .where(
            Post.status == PostStatus.SCHEDULED,
            Post.scheduled_at <= now,
            Post.retry_count < MAX_RETRIES,
        )
        .order_by(Post.scheduled_at, Post.id)
    )
    return session.scalars(stmt).all()


def get_stale_publishing_posts(session: Session, now: datetime | None = None) -> Sequence[Post]:
    """Posts stuck in `publishing` for 5 minutes or more (the app died mid-request)."""
    cutoff = (now or utc_now()) - STALE_PUBLISHING_AFTER
    stmt = (
        select(Post)
        .where(Post.status == PostStatus.PUBLISHING, Post.updated_at <= cutoff)
        .order_by(Post.updated_at, Post.id)
    )
    return session.scalars(stmt).all()


def increment_post_retry_count(session: Session, post_id: str) -> int | None:
    """Count one more attempt; the new count, or None for an unknown post."""
    stmt = (
        update(Post)
        .where(Post.id == post_id)
        .values(retry_count=Post.retry_count + 1, updated_at=utc_now())
        .returning(Post.retry_count)
    )
    return session.scalars(stmt).first()


# --- settings ----------------------------------------------------------------------------------


def get_user_settings(session: Session, user_id: str) -> UserSettings | None:
    return session.scalars(select(UserSettings).where(UserSettings.user_id == user_id)).first()


def upsert_user_settings(session: Session, user_id: str, data: SettingsChanges) -> UserSettings:
    """The user's one settings row, created on first use and updated after that."""
    settings = get_user_settings(session, user_id)
    if settings is None:
        settings = UserSettings(user_id=user_id)
        session.add(settings)
    values: dict[str, Any] = dict(data)
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_at = utc_now()
    session.flush()
    return settings

"""The binding data model of SEED-SCHEMA.md: exact SQL names, so the web app's tools can read it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from linkie_desktop.db.types import UTCSeconds, new_id, utc_now, wide_integer
from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.domain.status import PostStatus

# Constraint names follow drizzle-kit's, so both tool chains name things alike.
NAMING_CONVENTION = {
    "ix": "%(table_name)s_%(column_0_name)s_idx",
    "uq": "%(table_name)s_%(column_0_name)s_unique",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_name)s_%(referred_table_name)s_%(referred_column_0_name)s_fk",
    "pk": "%(table_name)s_pk",
}


class OAuthStatus(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    EXPIRED = "expired"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCSeconds(), str: Text()}


def _user_fk(name: str = "user_id") -> Mapped[str]:
    return mapped_column(name, Text, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    name: Mapped[str | None]
    email: Mapped[str]
    email_verified: Mapped[datetime | None] = mapped_column("emailVerified")
    image: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = _user_fk("userId")
    type: Mapped[str]
    provider: Mapped[str]
    provider_account_id: Mapped[str] = mapped_column("providerAccountId")
    refresh_token: Mapped[str | None]
    access_token: Mapped[str | None]
    expires_at: Mapped[int | None] = mapped_column(wide_integer())  # Unix seconds
    token_type: Mapped[str | None]
    scope: Mapped[str | None]
    id_token: Mapped[str | None]
    session_state: Mapped[str | None]


class Session(Base):
    """Kept for schema compatibility with the web app (Auth.js); the desktop has no login."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    session_token: Mapped[str] = mapped_column("sessionToken", unique=True)
    user_id: Mapped[str] = _user_fk("userId")
    expires: Mapped[datetime]


class VerificationToken(Base):
    """Kept for schema compatibility with the web app (Auth.js email sign-in)."""

    __tablename__ = "verificationTokens"
    __table_args__ = (PrimaryKeyConstraint("identifier", "token"),)

    identifier: Mapped[str]
    token: Mapped[str] = mapped_column(unique=True)
    expires: Mapped[datetime]


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("posts_user_id_idx", "user_id"),
        Index("posts_status_idx", "status"),
        Index("posts_scheduled_at_idx", "scheduled_at"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = _user_fk()
    title: Mapped[str | None]
    content: Mapped[str]
    status: Mapped[str] = mapped_column(
        default=PostStatus.DRAFT.value, server_default=text("'draft'")
    )
    scheduled_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    linkedin_post_urn: Mapped[str | None]
    image_path: Mapped[str | None]
    error_message: Mapped[str | None]
    retry_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    # Not in the web app's schema: the publisher's backoff (migration 0002). NULL = when scheduled.
    next_attempt_at: Mapped[datetime | None]
    # Post formats (migration 0006). Media are rows of post_media; image_path keeps naming the
    # first image for older tools. A poll, a link card and a first comment are NULL when absent.
    visibility: Mapped[str] = mapped_column(
        default=Visibility.PUBLIC.value, server_default=text("'PUBLIC'")
    )
    first_comment_text: Mapped[str | None]
    first_comment_status: Mapped[str | None]  # pending, published, failed
    first_comment_urn: Mapped[str | None]
    first_comment_error: Mapped[str | None]
    poll_question: Mapped[str | None]
    poll_options_json: Mapped[str | None]  # a JSON array of the options' texts
    poll_days: Mapped[int | None] = mapped_column(Integer)
    link_url: Mapped[str | None]
    link_title: Mapped[str | None]
    link_description: Mapped[str | None]
    link_thumbnail_path: Mapped[str | None]  # an image's name in the media folder
    link_thumbnail_urn: Mapped[str | None]
    # The publisher's claim on the post's uploads (migration 0007): set while one pass uploads
    # its media ahead of its time, renewed as the bytes go; NULL when no upload is under way.
    upload_claimed_at: Mapped[datetime | None]
    # In the trash since then (migration 0009): shown only there, never published, removed for
    # good 30 days later; NULL: not deleted.
    deleted_at: Mapped[datetime | None]
    # Recurring and evergreen posts (migration 0010): the repeat rule (JSON of domain/repeat.py)
    # and the series its occurrences share (the first post's id); an evergreen post may fill an
    # empty slot again (evergreen 0/1, last reused at), and a reused copy names its source.
    repeat_rule_json: Mapped[str | None]
    series_id: Mapped[str | None]
    evergreen: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    evergreen_used_at: Mapped[datetime | None]
    evergreen_source_id: Mapped[str | None]
    # Loaded with the post (one query for a whole list), in order; rows go with the post.
    media: Mapped[list[PostMedia]] = relationship(
        order_by="PostMedia.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )


class PostingSlot(Base):
    """A weekly local wall time the queue fills (migration 0010): weekday 0 = Monday … 6, time
    'HH:MM'. A wall time, not an instant: 09:00 stays 09:00 across DST (domain/slots.py)."""

    __tablename__ = "posting_slots"
    __table_args__ = (UniqueConstraint("user_id", "weekday", "time"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = _user_fk()
    weekday: Mapped[int] = mapped_column(Integer)
    time: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class PostMedia(Base):
    """One file of a post (image, document or video), in the post's order, with its upload."""

    __tablename__ = "post_media"
    __table_args__ = (Index("post_media_post_id_idx", "post_id"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    post_id: Mapped[str] = mapped_column(
        Text, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[str] = _user_fk()
    position: Mapped[int] = mapped_column(Integer)  # 0 first
    kind: Mapped[str]  # image, document, video
    path: Mapped[str]  # the file's name in the media folder (a migrated image: its full path)
    alt_text: Mapped[str | None]
    title: Mapped[str | None]
    urn: Mapped[str | None]  # LinkedIn's asset URN once the upload is complete
    size_bytes: Mapped[int | None] = mapped_column(wide_integer())
    pages: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime | None]
    # The progress of an upload under way.
    uploaded_bytes: Mapped[int | None] = mapped_column(wide_integer())
    upload_error: Mapped[str | None]  # why the last upload failed, in plain words
    upload_state: Mapped[str | None]  # JSON the uploader keeps to resume (a video's parts)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class PostEvent(Base):
    """One entry of the activity history: an attempt or outcome of a post (migration 0008)."""

    __tablename__ = "post_events"
    __table_args__ = (
        Index("post_events_user_at_idx", "user_id", "at"),
        Index("post_events_post_at_idx", "post_id", "at"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = _user_fk()
    post_id: Mapped[str] = mapped_column(
        Text, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    kind: Mapped[str]  # what happened: e.g. attempt, published, failed, retry, waiting, comment
    outcome: Mapped[str]  # success, failure, retry or info: what the history filters by
    actor: Mapped[str]  # window, cli, serve or agent: who acted
    detail: Mapped[str | None]  # in plain words, LinkedIn's answer included
    http_status: Mapped[int | None] = mapped_column(Integer)


class PublisherPresence(Base):
    """A running publisher's heartbeat (migration 0008): the window reads it to tell that a
    background publisher is active. Not user-scoped: one publisher serves every user."""

    __tablename__ = "publisher_presence"

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    kind: Mapped[str]  # window or serve
    host: Mapped[str]
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    seen_at: Mapped[datetime] = mapped_column(default=utc_now)


class Generation(Base):
    __tablename__ = "generations"
    __table_args__ = (Index("generations_user_id_idx", "user_id"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = _user_fk()
    idea: Mapped[str]
    text_variations_json: Mapped[str]
    images_json: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class UserSettings(Base):
    __tablename__ = "user_settings"

    id: Mapped[str] = mapped_column(Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        Text, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    linkedin_profile_url: Mapped[str | None]
    linkedin_person_urn: Mapped[str | None]
    linkedin_connected: Mapped[int | None] = mapped_column(
        Integer, default=0, server_default=text("0")
    )
    # Token columns hold AES-GCM ciphertext or NULL, never a plain token (services/secrets.py).
    linkedin_access_token: Mapped[str | None]
    linkedin_refresh_token: Mapped[str | None]
    linkedin_token_expires_at: Mapped[datetime | None]
    linkedin_oauth_status: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class LinkedInOAuthState(Base):
    __tablename__ = "linkedin_oauth_states"

    state: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[str] = _user_fk()
    expires_at: Mapped[datetime]


__all__ = [
    "Account",
    "Base",
    "Generation",
    "LinkedInOAuthState",
    "OAuthStatus",
    "Post",
    "PostMedia",
    "PostingSlot",
    "Session",
    "User",
    "UserSettings",
    "VerificationToken",
]


class PostLinkedInStats(Base):
    """LinkedIn's own figures for one published post (memberCreatorPostAnalytics), cached.

    Fetched only with the `r_member_postAnalytics` permission and at most hourly per post; a
    metric LinkedIn did not report stays NULL rather than pretending to be zero.
    """

    __tablename__ = "post_linkedin_stats"
    __table_args__ = (Index("post_linkedin_stats_user_id_idx", "user_id"),)

    post_id: Mapped[str] = mapped_column(
        Text, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user_fk()
    impressions: Mapped[int | None] = mapped_column(Integer)
    members_reached: Mapped[int | None] = mapped_column(Integer)
    reactions: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[int | None] = mapped_column(Integer)
    reshares: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime]


# The Dashboard's and Analytics' aggregates filter by user and status, then by a time range:
# these make each a short index range scan. benchmarks/dashboard_analytics.py at 100,000 posts:
# dashboard refresh 82 ms -> 4 ms, Analytics (12 weeks) 400 ms -> about 70 ms.
Index(
    "posts_user_status_published_idx",
    Post.user_id,
    Post.status,
    Post.published_at,
    Post.deleted_at,
)
Index(
    "posts_user_status_scheduled_idx",
    Post.user_id,
    Post.status,
    Post.scheduled_at,
    Post.deleted_at,  # the figures count posts outside the trash from the index (0011)
)
# The publisher's due-posts query spans every user (migration 0005, benchmarks/publisher.py).
Index("posts_status_scheduled_idx", Post.status, Post.scheduled_at)
Index("posts_next_attempt_at_idx", Post.next_attempt_at)
# The publisher's pending first comments (migration 0007): most rows hold NULL.
Index("posts_first_comment_status_idx", Post.first_comment_status)
# Each publish of a recurring post counts its series (migration 0010): most rows hold NULL.
Index("posts_series_id_idx", Post.series_id)

"""The activity history (no Qt): every attempt and outcome of every post, who acted, and what
LinkedIn answered, in plain words (table post_events, migration 0008).

`record` is called inside the transaction that changes the post, by the publisher and by the post
service, so the history never tells of a change that was rolled back, nor misses one that was
kept. Reads go newest first, by post or by user with filters, in pages.

Who acted is the process's business, not each caller's: every entry point says once what it is
(`set_process_actor`: the window, `linkie` on the command line, `linkie serve`, `linkie mcp` for
an agent), and a block of code may speak for another (`acting_as`). A context variable carries
the block's choice; the process's is a plain global, because the window's task runner and the
publisher's pool run in threads that start with an empty context.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Engine, func, or_, select
from sqlalchemy.orm import Session

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import Post, PostEvent
from linkie_desktop.db.queries import _like_pattern
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title


class Actor(StrEnum):
    WINDOW = "window"
    CLI = "cli"
    SERVE = "serve"
    AGENT = "agent"


class EventOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    RETRY = "retry"  # not done yet: tried again later (a backoff, a reconnect, an upload)
    INFO = "info"  # a step, neither good nor bad news (an attempt began, scheduled by hand)


class EventKind(StrEnum):
    ATTEMPT = "attempt"
    PUBLISHED = "published"
    FAILED = "failed"
    RETRY = "retry"
    WAITING = "waiting"  # for the LinkedIn connection
    UPLOAD_FAILED = "upload failed"
    UPLOAD_RETRY = "upload retry"
    COMMENT_PUBLISHED = "comment published"
    COMMENT_FAILED = "comment failed"
    COMMENT_RETRY = "comment retry"
    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    PUBLISH_NOW = "publish now"
    RETRIED = "retried"
    MARKED_PUBLISHED = "marked published"
    DELETED = "deleted"
    RESTORED = "restored"


# What a kind reads as in the history's "What happened" column.
KIND_WORDS: dict[str, str] = {
    EventKind.ATTEMPT: "Sending to LinkedIn",
    EventKind.PUBLISHED: "Published",
    EventKind.FAILED: "Failed",
    EventKind.RETRY: "Will try again",
    EventKind.WAITING: "Waiting for the LinkedIn connection",
    EventKind.UPLOAD_FAILED: "Upload failed",
    EventKind.UPLOAD_RETRY: "Upload will be tried again",
    EventKind.COMMENT_PUBLISHED: "First comment added",
    EventKind.COMMENT_FAILED: "First comment not added",
    EventKind.COMMENT_RETRY: "First comment waits",
    EventKind.SCHEDULED: "Scheduled",
    EventKind.UNSCHEDULED: "Unscheduled",
    EventKind.PUBLISH_NOW: "Publish now",
    EventKind.RETRIED: "Retry asked for",
    EventKind.MARKED_PUBLISHED: "Marked as published",
    EventKind.DELETED: "Deleted",
    EventKind.RESTORED: "Restored",
}

ACTOR_WORDS: dict[str, str] = {
    Actor.WINDOW: "the window",
    Actor.CLI: "the command line",
    Actor.SERVE: "the background publisher",
    Actor.AGENT: "an AI agent",
}

# `linkie` on the command line sets nothing: it is what a process is until it says otherwise.
_process_actor: Actor = Actor.CLI
_block_actor: ContextVar[Actor | None] = ContextVar("linkie_actor", default=None)


def set_process_actor(actor: Actor) -> None:
    """Said once by an entry point: who acts in this process from now on."""
    global _process_actor  # one fact of the whole process, set at its start
    _process_actor = actor


def current_actor() -> Actor:
    return _block_actor.get() or _process_actor


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Within the block (and the code it calls in this thread) `actor` acts."""
    token = _block_actor.set(actor)
    try:
        yield
    finally:
        _block_actor.reset(token)


def record(
    session: Session,
    user_id: str,
    post_id: str,
    kind: EventKind,
    outcome: EventOutcome,
    detail: str | None = None,
    *,
    http_status: int | None = None,
    actor: Actor | None = None,
    at: datetime | None = None,
) -> None:
    """One entry, written with the caller's transaction (flushed with it, rolled back with it)."""
    session.add(
        PostEvent(
            id=_ordered_id(),
            user_id=user_id,
            post_id=post_id,
            at=at or utc_now(),
            kind=kind.value,
            outcome=outcome.value,
            actor=(actor or current_actor()).value,
            detail=detail,
            http_status=http_status,
        )
    )


_written = itertools.count()


def _ordered_id() -> str:
    """Ids that sort in the order entries were written: `at` keeps whole seconds only, and one
    pass writes an attempt and its outcome within the same second."""
    return f"{time.time_ns():020d}{next(_written) % 10_000:04d}{secrets.token_hex(4)}"


def http_status_of(exc: BaseException | None) -> int | None:
    """The HTTP status LinkedIn answered with, when the failure was an answer."""
    # Imported here: the post service records too, and it need not load the LinkedIn client.
    from linkie_desktop.services.linkedin import AuthExpired, RateLimited, VersionRetired

    if isinstance(exc, AuthExpired):
        return 401
    if isinstance(exc, RateLimited):
        return 429
    if isinstance(exc, VersionRetired):
        return 426
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) else None


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityEvent:
    id: str
    post_id: str
    post_label: str  # the post's title, else its first words
    at: datetime  # UTC
    kind: str
    outcome: str
    actor: str
    detail: str | None
    http_status: int | None

    @property
    def what(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind.capitalize())

    @property
    def who(self) -> str:
        return ACTOR_WORDS.get(self.actor, self.actor)


@dataclass(frozen=True)
class ActivityQuery:
    """Which entries a history shows: one post's, or all of a user's, by outcome and post search."""

    post_id: str | None = None
    outcomes: tuple[str, ...] | None = None  # None: every outcome
    search: str = ""  # words of the post's title or text


def _conditions(user_id: str, query: ActivityQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [PostEvent.user_id == user_id]
    if query.post_id is not None:
        conditions.append(PostEvent.post_id == query.post_id)
    if query.outcomes is not None:
        conditions.append(PostEvent.outcome.in_(query.outcomes))
    words = query.search.strip()
    if words:
        pattern = _like_pattern(words)  # the posts list's own search, so both find the same
        conditions.append(
            or_(Post.title.ilike(pattern, escape="\\"), Post.content.ilike(pattern, escape="\\"))
        )
    return conditions


def page(
    engine: Engine, user_id: str, query: ActivityQuery, offset: int, limit: int
) -> list[ActivityEvent]:
    """Entries newest first (ties in the order they were written), `limit` from `offset`."""
    with reading(engine) as session:
        stmt = (
            select(PostEvent, Post.title, Post.content)
            .join(Post, Post.id == PostEvent.post_id)
            .where(*_conditions(user_id, query))
            .order_by(PostEvent.at.desc(), PostEvent.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_event(event, title, content) for event, title, content in session.execute(stmt)]


def count(engine: Engine, user_id: str, query: ActivityQuery) -> int:
    with reading(engine) as session:
        stmt = (
            select(func.count())
            .select_from(PostEvent)
            .join(Post, Post.id == PostEvent.post_id)
            .where(*_conditions(user_id, query))
        )
        return session.scalar(stmt) or 0


def for_post(engine: Engine, user_id: str, post_id: str, limit: int = 200) -> list[ActivityEvent]:
    return page(engine, user_id, ActivityQuery(post_id=post_id), 0, limit)


def events_of(session: Session, post_id: str) -> tuple[PostEvent, ...]:
    """A post's entries as rows, oldest first: kept by a delete so that Undo puts them back."""
    rows = session.scalars(
        select(PostEvent).where(PostEvent.post_id == post_id).order_by(PostEvent.at)
    ).all()
    for row in rows:
        session.expunge(row)
    return tuple(rows)


def put_back(session: Session, rows: Sequence[PostEvent]) -> None:
    """The entries of a deleted post, back with it (the Undo of a delete)."""
    for row in rows:
        session.merge(row)


def _event(event: PostEvent, title: str | None, content: str) -> ActivityEvent:
    return ActivityEvent(
        event.id,
        event.post_id,
        display_title(title, content, limit=60),
        event.at,
        event.kind,
        event.outcome,
        event.actor,
        event.detail,
        event.http_status,
    )

"""The publisher's first comment: sent right after its post is created, at most once (no Qt).

A comment goes only for a post this publisher created — in this pass, or in an earlier one that
left the comment `pending` (the connection expired in between, or the user pressed Retry comment,
which sets it pending again: this module is the one place that sends comments). Whatever happens
to the comment, the post stays `published`: a comment never re-sends its post.

At most once, as for posts: before the request goes out the comment is marked `sending` (a state
only the publisher writes) in the same transaction that took it, so two publishers never both
send it and a crash mid-request leaves a mark. A comment still `sending` after
STALE_COMMENT_AFTER, or one LinkedIn gave no clear answer for (`CommentOutcomeUnknown`), may be on
LinkedIn: it becomes `failed` with COMMENT_MAY_HAVE_POSTED and is never resent automatically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.queries import STALE_PUBLISHING_AFTER
from linkie_desktop.domain.post_content import CommentStatus
from linkie_desktop.domain.posts import display_title
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.activity import EventKind, EventOutcome, http_status_of, record
from linkie_desktop.services.linkedin import AuthExpired, LinkedInError
from linkie_desktop.services.linkedin_comments import CommentOutcomeUnknown
from linkie_desktop.services.publisher_config import ClientFactory
from linkie_desktop.services.publisher_media import Connection
from linkie_desktop.services.publisher_results import (
    RECONNECT,
    CommentOutcome,
    CommentResult,
    Outcome,
    PostResult,
)

log = logging.getLogger(__name__)

COMMENT_SENDING = "sending"  # stored while the request is out; shown as pending
STALE_COMMENT_AFTER = STALE_PUBLISHING_AFTER
COMMENT_MAY_HAVE_POSTED = "LinkedIn may have posted the comment; check the post, then Retry comment"
NO_POST_URN = (
    "LinkedIn did not say the new post's id, so the first comment could not be added; add it "
    "on LinkedIn yourself"
)
COMMENT_ADDED = "First comment added"


@dataclass(frozen=True)
class CommentSend:
    """What sending one comment came to; `expired` on a 401 (the connection needs the user)."""

    result: CommentResult
    expired: bool = False


def start_sending_columns() -> dict[str, object]:
    """Columns that, written with the post's `published`, take its pending comment for sending."""
    return {"first_comment_status": COMMENT_SENDING, "first_comment_error": None}


class CommentStage:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], client_factory: ClientFactory
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.client_factory = client_factory

    def give_up_stale(self, session: Session, now: datetime) -> list[PostResult]:
        """Comments left `sending` by a pass that died mid-request: maybe on LinkedIn."""
        stale = session.scalars(
            select(Post).where(
                Post.first_comment_status == COMMENT_SENDING,
                Post.updated_at <= now - STALE_COMMENT_AFTER,
            )
        ).all()
        results = []
        for post in stale:
            changed = session.execute(
                update(Post)
                .where(Post.id == post.id, Post.first_comment_status == COMMENT_SENDING)
                .values(
                    first_comment_status=CommentStatus.FAILED.value,
                    first_comment_error=COMMENT_MAY_HAVE_POSTED,
                    updated_at=now,
                )
            )
            if int(getattr(changed, "rowcount", 0)):
                record(
                    session,
                    post.user_id,
                    post.id,
                    EventKind.COMMENT_FAILED,
                    EventOutcome.FAILURE,
                    COMMENT_MAY_HAVE_POSTED,
                    at=now,
                )
                results.append(
                    _comment_only(
                        post, CommentResult(CommentOutcome.FAILED, COMMENT_MAY_HAVE_POSTED)
                    )
                )
        return results

    def pending(self) -> list[tuple[str, str]]:
        """(post id, user id) of published posts whose first comment waits to be sent."""
        with transaction(self.engine) as session:
            rows = session.execute(
                select(Post.id, Post.user_id)
                .where(
                    Post.first_comment_status == CommentStatus.PENDING.value,
                    Post.status == PostStatus.PUBLISHED,
                    Post.first_comment_text.is_not(None),
                )
                .order_by(Post.published_at, Post.id)
            )
            return [(post_id, user_id) for post_id, user_id in rows]

    def send_pending(self, post_id: str, connection: Connection) -> tuple[PostResult, bool] | None:
        """Take one pending comment of a published post and send it; None when another pass
        took it first. The result, and whether the connection turned out expired."""
        now = self.clock()
        with transaction(self.engine) as session:
            taken = session.execute(
                update(Post)
                .where(
                    Post.id == post_id,
                    Post.status == PostStatus.PUBLISHED,
                    Post.first_comment_status == CommentStatus.PENDING.value,
                )
                .values(**start_sending_columns(), updated_at=now)
            )
            if int(getattr(taken, "rowcount", 0)) != 1:
                return None
            post = session.get(Post, post_id, populate_existing=True)
            assert post is not None
            title = display_title(post.title, post.content)
            post_urn, text = post.linkedin_post_urn, post.first_comment_text or ""
        sent = self.send(post_id, post_urn, text, connection)
        result = PostResult(
            post_id,
            title,
            Outcome.PUBLISHED,
            "Published earlier",
            post_urn,
            None,
            comment=sent.result,
            comment_only=True,
        )
        return result, sent.expired

    def send(
        self, post_id: str, post_urn: str | None, text: str, connection: Connection
    ) -> CommentSend:
        """Send a comment already marked `sending`, then record what became of it."""
        if post_urn is None:
            send = CommentSend(CommentResult(CommentOutcome.FAILED, NO_POST_URN))
            self._record(post_id, send, None)
            return send
        comment_urn: str | None = None
        added = False
        try:
            with self.client_factory(connection.access_token) as client:
                # Plain text as typed: a comment is not little text (nothing is escaped).
                comment_urn = client.create_comment(post_urn, connection.person_urn, text)
                added = True
        except Exception as exc:  # noqa: BLE001 - every failure ends in a truthful state
            if not added:
                send = _failure(exc)
                self._record(post_id, send, None, http_status_of(exc))
                return send
            log.warning("publisher: closing the client after comment on %s: %s", post_id, exc)
        send = CommentSend(CommentResult(CommentOutcome.PUBLISHED, COMMENT_ADDED))
        self._record(post_id, send, comment_urn)
        return send

    def _record(
        self,
        post_id: str,
        send: CommentSend,
        comment_urn: str | None,
        http_status: int | None = None,
    ) -> None:
        outcome = send.result.outcome
        status = {
            CommentOutcome.PUBLISHED: CommentStatus.PUBLISHED,
            CommentOutcome.FAILED: CommentStatus.FAILED,
            CommentOutcome.RETRY: CommentStatus.PENDING,
        }[outcome]
        with transaction(self.engine) as session:
            user_id = session.execute(
                update(Post)
                .where(Post.id == post_id, Post.first_comment_status == COMMENT_SENDING)
                .values(
                    first_comment_status=status.value,
                    first_comment_urn=comment_urn,
                    first_comment_error=(
                        None if outcome is CommentOutcome.PUBLISHED else send.result.detail
                    ),
                    updated_at=self.clock(),
                )
                .returning(Post.user_id)
            ).scalar_one_or_none()
            if user_id is not None:
                kind, event_outcome = _EVENTS[outcome]
                detail = send.result.detail
                record(
                    session,
                    user_id,
                    post_id,
                    kind,
                    event_outcome,
                    detail,
                    http_status=http_status,
                    at=self.clock(),
                )


_EVENTS: dict[CommentOutcome, tuple[EventKind, EventOutcome]] = {
    CommentOutcome.PUBLISHED: (EventKind.COMMENT_PUBLISHED, EventOutcome.SUCCESS),
    CommentOutcome.FAILED: (EventKind.COMMENT_FAILED, EventOutcome.FAILURE),
    CommentOutcome.RETRY: (EventKind.COMMENT_RETRY, EventOutcome.RETRY),
}


def _failure(exc: Exception) -> CommentSend:
    if isinstance(exc, CommentOutcomeUnknown):
        return CommentSend(CommentResult(CommentOutcome.FAILED, COMMENT_MAY_HAVE_POSTED))
    if isinstance(exc, AuthExpired):
        # Nothing was added: the comment waits, pending, for the user to reconnect.
        detail = f"{RECONNECT}; the first comment is sent then"
        return CommentSend(CommentResult(CommentOutcome.RETRY, detail), expired=True)
    if isinstance(exc, LinkedInError) and not exc.may_have_published:
        detail = f"The first comment was not added: {exc} Press Retry comment to send it."
        return CommentSend(CommentResult(CommentOutcome.FAILED, detail))
    # A bug, or an answer lost after the request left: it may be on LinkedIn.
    log.error("publisher: unexpected error while adding a first comment", exc_info=exc)
    return CommentSend(CommentResult(CommentOutcome.FAILED, COMMENT_MAY_HAVE_POSTED))


def _comment_only(post: Post, comment: CommentResult) -> PostResult:
    return PostResult(
        post.id,
        display_title(post.title, post.content),
        Outcome.PUBLISHED,
        "Published earlier",
        post.linkedin_post_urn,
        comment=comment,
        comment_only=True,
    )

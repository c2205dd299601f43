"""What the answer to a create-post request means for the post (DESIGN.md, Publisher;
LINKEDIN-API.md, Errors): published, tried again later with the backoff, failed with words the
user can act on, or waiting for a reconnect — worked out apart from the writing, so that a bug
here still ends the attempt in a truthful state (`fallback`). The rules of at-most-once live
here: an answer that may mean the post is on LinkedIn is never a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import MAX_RETRIES, ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.linkedin import (
    AmbiguousOutcome,
    AuthExpired,
    ConnectionFailed,
    LinkedInError,
    RateLimited,
    Rejected,
    ServerError,
    UnexpectedAnswer,
    VersionRetired,
)
from linkie_desktop.services.linkedin_content import PostContent as LinkedInContent
from linkie_desktop.services.publisher_comment import start_sending_columns
from linkie_desktop.services.publisher_config import PublisherConfig
from linkie_desktop.services.publisher_media import MediaPending
from linkie_desktop.services.publisher_results import (
    CHECK_LINKEDIN,
    MAY_HAVE_PUBLISHED,
    RECONNECT,
    Outcome,
    backoff_seconds,
    retry_time_words,
)

log = logging.getLogger(__name__)
WAITING_FOR_UPLOADS = "Waiting for its media to reach LinkedIn"


@dataclass(frozen=True)
class Claimed:
    id: str
    user_id: str
    title: str
    content: str
    retry_count: int
    visibility: str
    # The Posts API's `content` from the media's stored URNs, or why it cannot be made now
    # (MediaPending: an upload is still to do; ValidationError: a shape LinkedIn refuses).
    linkedin: LinkedInContent | None
    not_ready: Exception | None
    first_comment: str | None  # the text of a first comment still to send


@dataclass(frozen=True)
class Delivery:
    """What sending one post came to, before anything is written: LinkedIn's 201 (`error` None,
    the post's URN if LinkedIn gave one) or the exception that ended the attempt."""

    urn: str | None = None
    error: Exception | None = None
    post_request_started: bool = False


@dataclass(frozen=True)
class Verdict:
    """What the answer means for the post: the result to report and the columns to write."""

    outcome: Outcome
    detail: str
    changes: dict[str, object]
    urn: str | None = None
    next_at: datetime | None = None
    expire_connection: bool = False  # a 401: the connection is marked expired too


def published(post: Claimed, urn: str | None, at: datetime) -> Verdict:
    """LinkedIn created the post (a 201): what is recorded, whichever path decided it. A first
    comment still to send is taken for sending in the same write (publisher_comment.py)."""
    changes: dict[str, object] = {
        "status": PostStatus.PUBLISHED,
        "published_at": at,
        "linkedin_post_urn": urn,
        "error_message": None,
        "next_attempt_at": None,
    }
    if post.first_comment is not None:
        changes.update(start_sending_columns())
    return Verdict(Outcome.PUBLISHED, "Published", changes, urn=urn)


def _may_havepublished(delivery: Delivery) -> bool:
    if not delivery.post_request_started:
        return False
    if isinstance(delivery.error, LinkedInError):
        return delivery.error.may_have_published
    return True  # an unknown failure after the post went out proves nothing


class CreateVerdicts:
    """The verdicts of one pass (its clock, the backoff and the zone of its words)."""

    def __init__(self, config: PublisherConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock

    def verdict(self, post: Claimed, delivery: Delivery) -> Verdict:
        error = delivery.error
        if error is None:
            return published(post, delivery.urn, self.clock())
        if isinstance(error, MediaPending):  # an upload still to do: nothing was sent
            return Verdict(
                Outcome.RETRY,
                WAITING_FOR_UPLOADS,
                {"status": PostStatus.SCHEDULED, "next_attempt_at": self.clock()},
            )
        if isinstance(error, ValidationError):
            return self._failed(post, f"Not sent: {error}")
        if isinstance(error, LinkedInError):
            return self._verdict_for_error(post, error)
        log.error("publisher: unexpected error while sending post %s", post.id, exc_info=error)
        if delivery.post_request_started:  # it may have reached LinkedIn: never resend blindly
            return self._failed(post, MAY_HAVE_PUBLISHED)
        # Nothing was posted yet, so trying again later is safe.
        return self._retry_later(post, ConnectionFailed(f"An unexpected problem: {error}"))

    def _verdict_for_error(self, post: Claimed, exc: LinkedInError) -> Verdict:
        if isinstance(exc, AuthExpired):
            return Verdict(
                Outcome.WAITING,
                RECONNECT,
                {
                    "status": PostStatus.SCHEDULED,
                    "error_message": RECONNECT,
                    "next_attempt_at": self.clock(),
                },
                expire_connection=True,
            )
        if isinstance(exc, UnexpectedAnswer):
            if exc.may_have_published:
                return self._failed(post, f"{exc} — {CHECK_LINKEDIN}")
            return self._retry_later(post, exc)
        if isinstance(exc, RateLimited | ServerError | ConnectionFailed):
            return self._retry_later(post, exc)
        if isinstance(exc, AmbiguousOutcome):
            return self._failed(post, MAY_HAVE_PUBLISHED)
        if isinstance(exc, VersionRetired):
            return self._failed(
                post,
                f"LinkedIn API version {exc.version} is retired. Change “LinkedIn API version” "
                "in Settings (YYYYMM, e.g. a month from the last year), then Retry.",
            )
        if isinstance(exc, Rejected):
            return self._failed(post, _rejection_text(exc))
        return self._failed(post, MAY_HAVE_PUBLISHED if exc.may_have_published else str(exc))

    def _retry_later(self, post: Claimed, exc: LinkedInError) -> Verdict:
        attempt = post.retry_count + 1
        if attempt >= MAX_RETRIES:
            return self._failed(
                post, f"Not published after {attempt} attempts. Last problem: {exc}", attempt
            )
        retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
        delay = backoff_seconds(attempt, self.config.retry_base_s, retry_after)
        now = self.clock()
        when = now + timedelta(seconds=delay)
        detail = (
            f"{exc} Trying again {retry_time_words(when, now, self.config.tz)} "
            f"(attempt {attempt + 1} of {MAX_RETRIES})."
        )
        return Verdict(
            Outcome.RETRY,
            detail,
            {
                "status": PostStatus.SCHEDULED,
                "retry_count": attempt,
                "next_attempt_at": when,
                "error_message": str(exc),
            },
            next_at=when,
        )

    def fallback(self, post: Claimed, delivery: Delivery) -> Verdict:
        """The plainest true outcome, with nothing left to compute that could fail again."""
        error = delivery.error
        if error is None:
            return published(post, delivery.urn, utc_now())  # the pass's clock may be at fault
        if _may_havepublished(delivery):
            return self._failed(post, MAY_HAVE_PUBLISHED)
        return self._failed(post, f"Not published: {error} Retry when you are ready.")

    def _failed(self, post: Claimed, reason: str, retry_count: int | None = None) -> Verdict:
        return Verdict(
            Outcome.FAILED,
            reason,
            {
                "status": PostStatus.FAILED,
                "error_message": reason,
                "next_attempt_at": None,
                "retry_count": post.retry_count if retry_count is None else retry_count,
            },
        )


def _rejection_text(exc: Rejected) -> str:
    if exc.status == 403:
        return (
            f"LinkedIn refused the post: the app lacks a permission ({exc}). Posting needs "
            "“w_member_social”: check the LinkedIn app's products, then reconnect in Settings."
        )
    if exc.code == "DUPLICATE_POST":
        return f"LinkedIn refused the post as a duplicate of one already published ({exc})."
    return f"LinkedIn refused the post (HTTP {exc.status}): {exc}"

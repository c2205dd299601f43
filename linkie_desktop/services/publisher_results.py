"""What a publisher pass reports, and the two rules of time every stage of it shares: how long to
wait after a failed attempt (`backoff_seconds`) and how that time is said (`retry_time_words`).

Kept apart from services/publisher.py so that its stages (publisher_media.py for the uploads,
publisher_comment.py for the first comment) use them without importing the pass that runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from linkie_desktop.domain.schedule import to_local
from linkie_desktop.services.linkedin import MAX_RETRY_AFTER_S

CHECK_LINKEDIN = "check LinkedIn, then Retry or Mark as published"
MAY_HAVE_PUBLISHED = f"May have been published — {CHECK_LINKEDIN}"
MISSED_WHILE_CLOSED = "Missed while Linkie was closed"
RECONNECT = "Waiting: the LinkedIn connection has expired — reconnect in Settings"
NOT_CONNECTED = "Waiting: connect LinkedIn in Settings to publish"


class Outcome(StrEnum):
    PUBLISHED = "published"
    RETRY = "retry"  # back to scheduled; tried again at `next_attempt_at`
    FAILED = "failed"
    WAITING = "waiting"  # not sent: the LinkedIn connection needs the user


class CommentOutcome(StrEnum):
    PUBLISHED = "published"
    FAILED = "failed"  # the post stays published; the user may Retry comment
    RETRY = "retry"  # still pending: sent by a later pass (after the user reconnected)


@dataclass(frozen=True)
class CommentResult:
    outcome: CommentOutcome
    detail: str


@dataclass(frozen=True)
class PostResult:
    post_id: str
    title: str  # what a notification calls the post
    outcome: Outcome
    detail: str
    urn: str | None = None
    next_attempt_at: datetime | None = None
    comment: CommentResult | None = None  # a first comment was attempted in this pass
    # Only the first comment was sent in this pass: the post was published by an earlier one.
    comment_only: bool = False


@dataclass(frozen=True)
class PassResult:
    results: list[PostResult] = field(default_factory=list)
    reconnect_needed: bool = False  # this pass found the connection expired (a 401)
    next_due_at: datetime | None = None  # when the next scheduled post, retry or upload is due
    uploaded_post_ids: list[str] = field(default_factory=list)  # media went up ahead of time

    def as_rows(self) -> list[dict[str, Any]]:
        """One plain dict per post handled (`linkie publish-due --json`): `urn` when published,
        `comment` ({outcome, detail}) when a first comment was attempted."""
        rows: list[dict[str, Any]] = []
        for r in self.results:
            row: dict[str, Any] = {"id": r.post_id, "outcome": r.outcome.value, "detail": r.detail}
            if r.urn is not None:
                row["urn"] = r.urn
            if r.comment is not None:
                row["comment"] = {"outcome": r.comment.outcome.value, "detail": r.comment.detail}
            rows.append(row)
        return rows

    @property
    def changed_post_ids(self) -> list[str]:
        changed = [r.post_id for r in self.results if r.outcome is not Outcome.WAITING]
        return changed + [i for i in self.uploaded_post_ids if i not in changed]


def backoff_seconds(attempt: int, base_s: float, retry_after_s: float | None = None) -> float:
    """Wait after the `attempt`-th failed attempt: base × 2^(n−1), or Retry-After when longer.

    Never more than a day (MAX_RETRY_AFTER_S): an absurd base from the environment must not make
    a retry time that no clock can hold.
    """
    delay: float = base_s * 2 ** (attempt - 1)
    return min(max(delay, retry_after_s or 0.0), MAX_RETRY_AFTER_S)


def retry_time_words(when: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """ "at 14:05:09" today (local time), else "on Fri 27 Nov at 09:00" (with the year if not
    this year's)."""
    local, today = to_local(when, tz), to_local(now, tz)
    if local.date() == today.date():
        return f"at {local:%H:%M:%S}"
    year = f" {local:%Y}" if local.year != today.year else ""
    return f"on {local:%a} {local.day} {local:%b}{year} at {local:%H:%M}"

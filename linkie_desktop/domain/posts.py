"""What a post may be and become: content limits and the status rules every screen obeys."""

from __future__ import annotations

from datetime import datetime

from linkie_desktop.db.models import PostStatus

MAX_CONTENT_CHARS = 3000
MAX_RETRIES = 3


class ValidationError(ValueError):
    """Input the user can fix; the message says how, in plain words."""


def validate_content(content: str) -> str:
    if not content.strip():
        raise ValidationError("The post is empty: write something first.")
    if len(content) > MAX_CONTENT_CHARS:
        raise ValidationError(
            f"The post is {len(content)} characters long; LinkedIn allows {MAX_CONTENT_CHARS}."
        )
    return content


def validate_schedule_time(when: datetime, now: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("naive datetime refused: scheduling needs a time zone")
    if when <= now:
        raise ValidationError("That time has already passed: choose a time in the future.")
    return when


def is_editable(status: str) -> bool:
    """Drafts, scheduled and failed posts may be edited; what is (being) published may not."""
    return status in (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED)


def can_schedule(status: str) -> bool:
    return status in (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED)


def can_unschedule(status: str) -> bool:
    return status in (PostStatus.SCHEDULED, PostStatus.FAILED)


def ensure_editable(status: str) -> None:
    if not is_editable(status):
        raise ValidationError(
            f"This post is {status} and can no longer be changed; duplicate it to reuse the text."
        )

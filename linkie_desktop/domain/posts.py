"""What a post may be and become: content limits and the status rules every screen obeys."""

from __future__ import annotations

import re
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


def is_read_only(status: str) -> bool:
    """Published and publishing posts are history: the only way to reuse them is Duplicate."""
    return not is_editable(status)


def status_after_edit(status: str) -> str:
    """Editing never moves a post: a scheduled post stays scheduled, a failed one stays failed."""
    ensure_editable(status)
    return status


def can_retry(status: str) -> bool:
    return status == PostStatus.FAILED


def can_mark_published(status: str) -> bool:
    """A failed post that the user found on LinkedIn anyway (the at-most-once case)."""
    return status == PostStatus.FAILED


def can_publish_now(status: str) -> bool:
    return status in (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED)


def can_delete(status: str) -> bool:
    """Everything but a post that is on its way to LinkedIn right now."""
    return status != PostStatus.PUBLISHING


def display_title(title: str | None, content: str, limit: int = 80) -> str:
    """What a list shows for a post: its title, else the first non-empty line of its text."""
    if title and title.strip():
        return title.strip()
    for line in content.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "(empty post)"


_POST_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):\d+")


def parse_post_urn(text: str) -> str | None:
    """The post URN in what the user pasted: a URN, or a LinkedIn post address that holds one
    (…/feed/update/urn:li:activity:123/). Empty → None; anything else is refused."""
    text = text.strip()
    if not text:
        return None
    match = _POST_URN.search(text.replace("%3A", ":"))
    if match is None:
        raise ValidationError(
            "That is not a LinkedIn post address or URN. Paste the post's link "
            "(…/feed/update/urn:li:activity:…) or leave it empty."
        )
    return match.group(0)

"""A post's statuses and the one table of what may happen to a post in each of them.

Every rule of the form "can this post be scheduled / retried / deleted now?" is read from
`ACTIONS`, and so is the status each action leaves the post in: the screens, the post service
and the publisher ask the same table, so no two of them can disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"


class PostAction(StrEnum):
    # What the user does
    EDIT = "edit"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    PUBLISH_NOW = "publish now"
    RETRY = "retry"
    MARK_PUBLISHED = "mark as published"
    DUPLICATE = "duplicate"
    DELETE = "delete"
    # What the publisher does
    CLAIM = "claim"
    SUCCEED = "succeed"
    FAIL = "fail"
    RETRY_LATER = "retry later"
    GIVE_UP_STALE = "give up a stale attempt"
    MISS = "miss"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset[PostStatus]
    # The status the post is left in; None: it keeps its status (an edit), or the action makes or
    # removes a whole post instead (duplicate, delete).
    to: PostStatus | None


_EDITABLE = frozenset({PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED})
_ALL = frozenset(PostStatus)

ACTIONS: dict[PostAction, Move] = {
    PostAction.EDIT: Move(_EDITABLE, None),
    PostAction.SCHEDULE: Move(_EDITABLE, PostStatus.SCHEDULED),
    PostAction.UNSCHEDULE: Move(
        frozenset({PostStatus.SCHEDULED, PostStatus.FAILED}), PostStatus.DRAFT
    ),
    PostAction.PUBLISH_NOW: Move(_EDITABLE, PostStatus.SCHEDULED),  # due at once
    PostAction.RETRY: Move(frozenset({PostStatus.FAILED}), PostStatus.SCHEDULED),
    # A failed post the user found on LinkedIn anyway (the at-most-once case).
    PostAction.MARK_PUBLISHED: Move(frozenset({PostStatus.FAILED}), PostStatus.PUBLISHED),
    PostAction.DUPLICATE: Move(_ALL, None),  # the copy is a new draft
    # Everything but a post that is on its way to LinkedIn right now.
    PostAction.DELETE: Move(_ALL - {PostStatus.PUBLISHING}, None),
    PostAction.CLAIM: Move(frozenset({PostStatus.SCHEDULED}), PostStatus.PUBLISHING),
    PostAction.SUCCEED: Move(frozenset({PostStatus.PUBLISHING}), PostStatus.PUBLISHED),
    PostAction.FAIL: Move(frozenset({PostStatus.PUBLISHING}), PostStatus.FAILED),
    PostAction.RETRY_LATER: Move(frozenset({PostStatus.PUBLISHING}), PostStatus.SCHEDULED),
    # Left in `publishing` by a crash: it may be on LinkedIn, so it is never resent.
    PostAction.GIVE_UP_STALE: Move(frozenset({PostStatus.PUBLISHING}), PostStatus.FAILED),
    # Its time passed while Linkie was closed, too long ago to publish late.
    PostAction.MISS: Move(frozenset({PostStatus.SCHEDULED}), PostStatus.FAILED),
}


def allows(status: str, action: PostAction) -> bool:
    """True when a post in `status` may undergo `action`."""
    return status in ACTIONS[action].allowed_from


def statuses_allowing(action: PostAction) -> frozenset[PostStatus]:
    return ACTIONS[action].allowed_from

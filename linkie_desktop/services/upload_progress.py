"""How a post's uploads stand, in the words the list, the calendar and the composer show (no Qt).

The publisher (services/publisher_media.py) writes progress on each post_media row as the bytes
go (`uploaded_bytes`, at most every 5 % or second) and the last failure's words (`upload_error`);
this reads them back for any set of posts in one query: "Uploading video: 45 %", "Upload failed:
<why> — will retry at 10:42:05", "Waiting for LinkedIn to process the video". A post with nothing
under way (no media, all uploaded, not yet in its upload window) has no entry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import Engine, select

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.post_content import MediaKind
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher_media import is_available
from linkie_desktop.services.publisher_results import retry_time_words

_NOUNS = {MediaKind.IMAGE.value: "image", MediaKind.DOCUMENT.value: "document"}
_UNDER_WAY = (PostStatus.SCHEDULED, PostStatus.PUBLISHING)


@dataclass(frozen=True)
class UploadState:
    text: str  # one line for people
    failed: bool  # the last upload failed (shown as a warning)
    percent: int | None = None  # of the upload in progress, for a progress bar


def upload_states(
    engine: Engine,
    user_id: str,
    post_ids: Sequence[str],
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> dict[str, UploadState]:
    """post id -> how its uploads stand, for those of `post_ids` (the user's) that have news."""
    if not post_ids:
        return {}
    with reading(engine) as session:
        # The media first (user-scoped): most posts have none, and then the posts are not read.
        media = session.execute(
            select(
                PostMedia.post_id,
                PostMedia.kind,
                PostMedia.urn,
                PostMedia.size_bytes,
                PostMedia.uploaded_bytes,
                PostMedia.upload_error,
                PostMedia.upload_state,
            )
            .where(PostMedia.user_id == user_id, PostMedia.post_id.in_(list(post_ids)))
            .order_by(PostMedia.post_id, PostMedia.position)
        ).all()
        if not media:
            return {}
        posts = {
            post_id: (status, next_attempt_at)
            for post_id, status, next_attempt_at in session.execute(
                select(Post.id, Post.status, Post.next_attempt_at).where(
                    Post.user_id == user_id, Post.id.in_({row[0] for row in media})
                )
            )
        }
    states: dict[str, UploadState] = {}
    when = now or utc_now()
    for post_id, kind, urn, size, sent, error, upload_state in media:
        if post_id not in posts:
            continue  # another user's id asked for: nothing of theirs is told
        status, next_attempt_at = posts[post_id]
        if post_id in states or (status not in _UNDER_WAY and not error):
            continue  # the first row with news speaks for its post
        row = _Row(kind, urn, size, sent, error, upload_state)
        state = row.state(status, next_attempt_at, when, tz)
        if state is not None:
            states[post_id] = state
    return states


@dataclass(frozen=True)
class _Row:
    kind: str
    urn: str | None
    size: int | None
    sent: int | None
    error: str | None
    upload_state: str | None

    def state(
        self, status: str, next_attempt_at: datetime | None, now: datetime, tz: tzinfo | None
    ) -> UploadState | None:
        if self.error:
            again = ""
            if status in _UNDER_WAY and next_attempt_at is not None and next_attempt_at > now:
                again = f" — will retry {retry_time_words(next_attempt_at, now, tz)}"
            return UploadState(f"Upload failed: {self.error.rstrip('.')}{again}", failed=True)
        if self.urn is None:
            if self.sent is None or not self.size:
                return None  # not started: nothing to show yet
            percent = min(math.floor(100 * self.sent / self.size), 100)
            noun = _NOUNS.get(self.kind, "video")
            return UploadState(f"Uploading {noun}: {percent} %", failed=False, percent=percent)
        if self.kind == MediaKind.VIDEO.value and not is_available(self.upload_state):
            return UploadState("Waiting for LinkedIn to process the video", failed=False)
        return None

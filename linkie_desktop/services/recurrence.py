"""Recurring posts (no Qt): after each publish, the series' next occurrence as a new scheduled
post (a copy with the same text, media and rule), by the rule of domain/repeat.py.

The publisher calls `schedule_next_occurrence` right after it records a post as published. The
rule moves on to the new post (the published one keeps its series id, not its rule), so a second
call for the same publish creates nothing. LinkedIn refuses an exact repeat of a recent post
(422 DUPLICATE_POST): a rule that asks for a change of words puts VARY_NOTE on the new post,
shown wherever the post is, until its text changes; unchanged, LinkedIn's refusal fails it with
that reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.repeat import VARY_NOTE, RepeatRule, next_occurrence
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostRecord, PostService

log = logging.getLogger(__name__)


def schedule_next_occurrence(
    engine: Engine,
    post_id: str,
    now: datetime,
    tz: tzinfo | None = None,
    media_dir: Path | None = None,
) -> PostRecord | None:
    """The next post of `post_id`'s series, scheduled; None when it does not repeat, its rule
    has ended, or the rule cannot be read (logged: a publish never fails because of it)."""
    with reading(engine) as session:
        post = session.get(Post, post_id)
        if post is None or not post.repeat_rule_json or post.status != PostStatus.PUBLISHED:
            return None
        user_id, series = post.user_id, post.series_id or post.id
        previous = post.scheduled_at or post.published_at or now
        rule_text = post.repeat_rule_json
        made = queries.count_series(session, series)
    try:
        rule = RepeatRule.from_json(rule_text)
    except ValidationError as exc:
        log.warning("recurrence: post %s repeats by a rule that cannot be read: %s", post_id, exc)
        return None
    slot = next_occurrence(rule, previous, made, now, tz)
    if slot is None:
        return None
    columns: queries.PostChanges = {"repeat_rule_json": rule.to_json(), "series_id": series}
    if rule.vary:
        columns["error_message"] = VARY_NOTE
    posts = PostService(engine, user_id, media_dir)
    try:
        return posts.add_copy_at(
            post_id,
            slot.instant,
            columns,
            {"repeat_rule_json": None, "series_id": series},
            require_free=False,
        )
    except ValidationError as exc:
        log.warning("recurrence: the next post of %s was not made: %s", post_id, exc)
        return None

"""Sample data (SEED-SCHEMA.md, Seed data): Alex Rivera's month of posts, for demos and tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus, Post, User
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind, EventOutcome

SEED_NAME = "Alex Rivera"
SEED_EMAIL = "alex@example.com"


class SeedRefusedError(Exception):
    """The database already holds posts and the caller did not ask to add samples anyway."""


@dataclass(frozen=True)
class SeedResult:
    user_id: str
    posts_added: int


# (title, content, status, days from now, hour, error)
_SAMPLES: tuple[tuple[str, str, PostStatus, int | None, int, str | None], ...] = (
    (
        "Lessons from shipping a desktop app",
        "Three things I learned shipping a desktop app this year:\n\n"
        "1. Never lose a word the user typed.\n2. Never freeze the window.\n"
        "3. Say plainly what went wrong — and what to do next.\n\n#softwareengineering #product",
        PostStatus.PUBLISHED,
        -12,
        9,
        None,
    ),
    (
        "Why I write in the morning",
        "I write every post before 9 a.m. (and schedule it for later).\n"
        "Mornings are for making; afternoons are for meetings. What's your rhythm?",
        PostStatus.PUBLISHED,
        -5,
        8,
        None,
    ),
    (
        "Hiring: a product designer",
        "We're hiring a product designer who loves small details (like the ones @ Linkie).\n"
        "DM me or reply below — [remote, EU time zones].",
        PostStatus.FAILED,
        -2,
        10,
        "LinkedIn refused the post: Content is a duplicate of urn:li:share:7000000000000000000",
    ),
    (
        "Weekly kickoff",
        "New week, new goals. This week I'm focusing on one thing: finishing what I started.",
        PostStatus.SCHEDULED,
        2,
        9,
        None,
    ),
    (
        "A thread on scheduling",
        "Scheduling posts isn't about gaming the algorithm — it's about showing up consistently "
        "when your audience is listening. Here's how I plan a month in 30 minutes…",
        PostStatus.SCHEDULED,
        6,
        12,
        None,
    ),
    (
        "Draft: conference takeaways",
        "Takeaways from this year's conference (to polish):\n- talks on local-first software\n- ",
        PostStatus.DRAFT,
        None,
        0,
        None,
    ),
    (
        "",
        "An idea worth writing up: the best tools get out of your way.",
        PostStatus.DRAFT,
        None,
        0,
        None,
    ),
)


def _at(now: datetime, days: int, hour: int) -> datetime:
    local = (now + timedelta(days=days)).astimezone()
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _connected(session: Session, user_id: str) -> bool:
    settings = queries.get_user_settings(session, user_id)
    return settings is not None and bool(settings.linkedin_access_token)


def _sample_history(session: Session, user_id: str, post: Post, when: datetime | None) -> None:
    """What the activity history would hold for a sample post that went out (or failed)."""
    if when is None or post.status not in (PostStatus.PUBLISHED, PostStatus.FAILED):
        return
    activity.record(
        session, user_id, post.id, EventKind.ATTEMPT, EventOutcome.INFO, "Attempt 1 of 3", at=when
    )
    if post.status == PostStatus.PUBLISHED:
        activity.record(
            session, user_id, post.id, EventKind.PUBLISHED, EventOutcome.SUCCESS, at=when
        )
    else:
        activity.record(
            session,
            user_id,
            post.id,
            EventKind.FAILED,
            EventOutcome.FAILURE,
            post.error_message,
            at=when,
        )


def seed(engine: Engine, force: bool = False, now: datetime | None = None) -> SeedResult:
    now = now or utc_now()
    with transaction(engine) as session:
        user = queries.get_local_user(session)
        if user is not None and _connected(session, user.id):
            # Sample posts include scheduled ones: the publisher would send them to LinkedIn.
            raise SeedRefusedError(
                "This profile is connected to LinkedIn, so the sample posts would be published "
                "to your account. Try them in a separate database instead (--db samples.db)."
            )
        if user is not None and queries.count_posts(session, user.id) and not force:
            raise SeedRefusedError(
                "The database already has posts; use --force to add the samples beside them."
            )
        if user is None:
            user = User(name=SEED_NAME, email=SEED_EMAIL, email_verified=now)
            session.add(user)
            session.flush()
        elif queries.is_placeholder_user(user):
            # Nobody has claimed the local profile yet (no LinkedIn connection): Alex takes it.
            user.name, user.email, user.email_verified = SEED_NAME, SEED_EMAIL, now
        for title, content, status, days, hour, error in _SAMPLES:
            when = None if days is None else _at(now, days, hour)
            post = Post(
                user_id=user.id,
                title=title or None,
                content=content,
                status=status,
                scheduled_at=when,
                published_at=when if status == PostStatus.PUBLISHED else None,
                linkedin_post_urn=(
                    f"urn:li:share:70000000000000{abs(days or 0):05d}"
                    if status == PostStatus.PUBLISHED
                    else None
                ),
                error_message=error,
                retry_count=1 if status == PostStatus.FAILED else 0,
            )
            session.add(post)
            session.flush()
            _sample_history(session, user.id, post, when)
        queries.create_generation(
            session,
            {
                "user_id": user.id,
                "idea": "Why consistency beats virality on LinkedIn",
                "text_variations_json": json.dumps(
                    [
                        "Consistency beats virality. One post a week for a year > one viral hit.",
                        "I stopped chasing viral posts. Here's what happened when I showed up "
                        "every Tuesday instead…",
                        "Viral is luck. Consistent is a system. Build the system.",
                    ]
                ),
                "images_json": "[]",
            },
        )
        if queries.get_user_settings(session, user.id) is None:
            queries.upsert_user_settings(
                session,
                user.id,
                {"linkedin_connected": 0, "linkedin_oauth_status": OAuthStatus.DISCONNECTED},
            )
        return SeedResult(user_id=user.id, posts_added=len(_SAMPLES))

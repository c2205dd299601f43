"""The trash on a real SQLite file: Delete moves a post there, it shows nowhere else, the
publisher never sends it (the real pass against the LinkedIn test server), Undo and Restore put it
back, and 30 days later (an injected clock) or on Empty trash it goes for good with its files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from linkie_desktop.db import queries, stats
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments, PostQuery, PostService
from linkie_desktop.services.publisher import schedule_now
from linkie_desktop.services.trash import TRASH_KEEPS, TrashService, purge_expired_trash
from tests.fakes.image_files import write_png
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, Desk, make_desk


@pytest.fixture
def media(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def service(engine: Engine, user_id: str, media: Path) -> PostService:
    return PostService(engine, user_id, media)


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, media: Path) -> Desk:
    desk = make_desk(engine, user_id, linkedin_server)
    desk.config = replace(desk.config, media_dir=media)
    return desk


def _everywhere(engine: Engine, user_id: str) -> dict[str, object]:
    """What every list and count of the window and the publisher sees of the user's posts."""
    start, end = NOW - timedelta(days=40), NOW + timedelta(days=40)
    with reading(engine) as session:
        return {
            "all": {p.id for p in queries.get_all_posts(session, user_id)},
            "summaries": {s.id for s in queries.list_post_summaries(session, user_id)},
            "count": queries.count_post_summaries(session, user_id),
            "scheduled": {p.id for p in queries.get_scheduled_posts(session, user_id)},
            "calendar": {
                r.id for r in queries.get_posts_scheduled_between(session, user_id, start, end)
            },
            "due": {p.id for p in queries.get_posts_ready_to_publish(session, NOW)},
            "upcoming": {u.id for u in stats.upcoming_posts(session, user_id, start, end)},
            "dashboard": stats.dashboard_counts(session, user_id, (start, end), (start, end)),
            "posts_counted": queries.count_posts(session, user_id),
        }


def test_a_deleted_post_shows_only_in_the_trash_and_undo_puts_it_back(
    desk: Desk, service: PostService, engine: Engine, user_id: str
) -> None:
    due = desk.due_post("Due a minute ago")
    before = _everywhere(engine, user_id)

    deleted = service.delete(due, now=NOW)

    after = _everywhere(engine, user_id)
    assert after["all"] == after["summaries"] == after["scheduled"] == set()
    assert after["calendar"] == after["due"] == after["upcoming"] == set()
    assert after["count"] == after["posts_counted"] == 0
    assert after["dashboard"] == stats.DashboardCounts(0, 0, 0, 0)
    trash = TrashService(engine, user_id).list()
    assert [(t.id, t.deleted_at, t.gone_at) for t in trash] == [(due, NOW, NOW + TRASH_KEEPS)]

    service.restore(deleted)  # Undo, at once
    assert _everywhere(engine, user_id) == before
    assert TrashService(engine, user_id).list() == []
    assert service.get(due).status == PostStatus.SCHEDULED


def test_the_publisher_never_sends_a_post_in_the_trash(desk: Desk, service: PostService) -> None:
    trashed = desk.due_post("Deleted, never to go out")
    service.delete(trashed, now=NOW - timedelta(seconds=30))

    result = desk.run()

    assert desk.sent_posts() == 0  # zero create requests reached LinkedIn
    assert result.results == []
    post = desk.post(trashed)
    assert (post.status, post.deleted_at) == (PostStatus.SCHEDULED, NOW - timedelta(seconds=30))
    # Long past its time and still in the trash: not called "missed" either, it keeps its state.
    desk.run(at=NOW + timedelta(days=2))
    assert desk.sent_posts() == 0
    assert desk.post(trashed).status == PostStatus.SCHEDULED


def test_a_post_trashed_between_the_due_read_and_the_claim_is_not_sent(
    desk: Desk, service: PostService, engine: Engine
) -> None:
    post_id = desk.due_post()
    with transaction(engine) as session:  # the claim's own conditions, as the pass uses them
        service.delete(post_id, now=NOW)
        claimed = session.execute(
            select(Post.id).where(Post.id == post_id, *queries.due_conditions(NOW))
        ).all()
    assert claimed == []


def test_restore_from_the_trash_and_a_scheduled_post_whose_time_passed_becomes_a_draft(
    service: PostService, engine: Engine, user_id: str
) -> None:
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    later = service.add("Still to come", at=soon)
    passed = service.add("Its time will pass", at=datetime.now(UTC) + timedelta(hours=1))
    for post in (later, passed):
        service.delete(post.id)
    trash = TrashService(engine, user_id, clock=lambda: soon - timedelta(days=1))

    kept, unscheduled = trash.restore(later.id)
    assert (kept.status, kept.scheduled_at, unscheduled) == (PostStatus.SCHEDULED, soon, False)
    back, unscheduled = trash.restore(passed.id)
    assert (back.status, back.scheduled_at, unscheduled) == (PostStatus.DRAFT, None, True)
    assert service.count(PostQuery()) == 2


def test_after_30_days_the_publisher_pass_removes_the_post_and_its_files(
    desk: Desk, service: PostService, media: Path, tmp_path: Path
) -> None:
    picture = write_png(tmp_path / "photo.png")
    old = service.add("Deleted long ago", attachments=Attachments(images=[(picture, "alt")]))
    recent = service.add("Deleted yesterday", attachments=Attachments(images=[(picture, None)]))
    old_file, recent_file = (
        media / service.get(p.id).post_content.media[0].path for p in (old, recent)
    )
    service.forget(service.delete(old.id, now=NOW - TRASH_KEEPS - timedelta(minutes=1)))
    service.delete(recent.id, now=NOW - timedelta(days=1))
    assert old_file.is_file()  # the Undo time's end leaves a trashed post's files alone

    desk.run(at=NOW)

    with reading(service.engine) as session:
        assert session.get(Post, old.id) is None
        assert session.scalars(select(PostMedia).where(PostMedia.post_id == old.id)).all() == []
        assert session.get(Post, recent.id) is not None
    assert not old_file.exists()
    assert recent_file.is_file()


def test_empty_trash_removes_every_trashed_post_but_no_file_another_post_uses(
    service: PostService, engine: Engine, user_id: str, media: Path, tmp_path: Path
) -> None:
    picture = write_png(tmp_path / "photo.png")
    gone = service.add("Into the trash", attachments=Attachments(images=[(picture, None)]))
    stays = service.add("Stays")
    shared = service.get(gone.id).post_content.media[0].path
    with transaction(engine) as session:  # another post naming the same file (an old copy)
        session.add(
            PostMedia(post_id=stays.id, user_id=user_id, position=0, kind="image", path=shared)
        )
    service.delete(gone.id)

    assert TrashService(engine, user_id, media).empty() == 1

    assert TrashService(engine, user_id, media).list() == []
    assert (media / shared).is_file()  # still used by the other post
    assert [p.id for p in service.list()] == [stays.id]


def test_the_purge_spans_every_user_and_leaves_younger_posts(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    mine, theirs = PostService(engine, user_id), PostService(engine, other_user_id)
    a = mine.add("mine")
    b = theirs.add("theirs")
    c = theirs.add("theirs, recent")
    mine.delete(a.id, now=NOW - timedelta(days=31))
    theirs.delete(b.id, now=NOW - timedelta(days=30, seconds=1))
    theirs.delete(c.id, now=NOW - timedelta(days=29))

    assert sorted(purge_expired_trash(engine, None, NOW)) == sorted([a.id, b.id])
    assert [t.id for t in TrashService(engine, other_user_id).list()] == [c.id]


def test_a_trashed_post_cannot_be_edited_scheduled_or_published_now(
    desk: Desk, service: PostService
) -> None:
    post = service.add("Deleted")
    service.delete(post.id)

    for change in (
        lambda: service.save_text(post.id, "", "edited"),
        lambda: service.schedule(post.id, datetime.now(UTC) + timedelta(days=1)),
        lambda: schedule_now(desk.engine, desk.user_id, post.id, NOW),
    ):
        with pytest.raises(ValidationError):
            change()
    desk.run()
    assert desk.sent_posts() == 0


def test_a_due_post_trashed_by_another_program_is_never_sent(desk: Desk) -> None:
    """posts.deleted_at set by any writer (an older Linkie, a sync tool) is the trash too."""
    desk.due_post("trashed elsewhere", deleted_at=NOW - timedelta(seconds=30))
    desk.run()
    assert desk.sent_posts() == 0

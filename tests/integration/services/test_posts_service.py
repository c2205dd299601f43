"""PostService against a real SQLite file: autosave, status moves, images, undo, SQL paging."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.post_content import MAX_COMMENT_CHARS, Visibility
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import resolve_wall_time
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostQuery, PostService, UnknownPostError
from tests.fakes.image_files import write_png


@pytest.fixture
def service(engine: Engine, user_id: str, tmp_path: Path) -> PostService:
    return PostService(engine, user_id, tmp_path / "media")


def _set(service: PostService, post_id: str, changes: queries.PostChanges) -> None:
    with transaction(service.engine) as session:
        queries.update_post(session, post_id, changes, service.user_id)


def test_save_text_keeps_long_text_and_does_not_touch_an_unchanged_post(
    service: PostService,
) -> None:
    post = service.create_draft()
    saved = service.save_text(post.id, "T", "y" * 3500)
    assert (saved.title, len(saved.content), saved.status) == ("T", 3500, PostStatus.DRAFT)
    _set(service, post.id, {"status": PostStatus.SCHEDULED})
    again = service.save_text(post.id, "T", "y" * 3500)
    assert again.status == PostStatus.SCHEDULED


def test_save_text_refuses_a_published_post(service: PostService) -> None:
    post = service.create_draft("", "done")
    _set(service, post.id, {"status": PostStatus.PUBLISHED})
    with pytest.raises(ValidationError, match="can no longer be changed"):
        service.save_text(post.id, "", "changed")
    assert service.get(post.id).content == "done"


def test_a_3001_character_post_cannot_be_scheduled(service: PostService) -> None:
    post = service.create_draft("", "z" * 3001)
    with pytest.raises(ValidationError, match="3001 characters long; LinkedIn allows 3000"):
        service.schedule(post.id, datetime.now(UTC) + timedelta(days=1))


def test_retry_resets_attempts_and_error(service: PostService) -> None:
    post = service.create_draft("", "again")
    _set(service, post.id, {"status": PostStatus.FAILED, "retry_count": 3, "error_message": "x"})
    retried = service.retry(post.id)
    assert (retried.status, retried.retry_count, retried.error_message) == (
        PostStatus.SCHEDULED,
        0,
        None,
    )
    with pytest.raises(ValidationError, match="Only a failed post"):
        service.retry(post.id)


def test_mark_published_records_a_failed_post_as_published(service: PostService) -> None:
    post = service.create_draft("", "was it sent?")
    _set(service, post.id, {"status": PostStatus.FAILED, "error_message": "May have been"})
    marked = service.mark_published(post.id)
    assert marked.status == PostStatus.PUBLISHED
    assert marked.published_at is not None and marked.error_message is None
    assert marked.linkedin_post_urn is None  # the link is optional


@pytest.mark.parametrize(
    ("link", "urn"),
    [
        ("urn:li:share:7000000000000000001", "urn:li:share:7000000000000000001"),
        ("  urn:li:ugcPost:42 ", "urn:li:ugcPost:42"),
        ("https://www.linkedin.com/feed/update/urn:li:activity:7123/", "urn:li:activity:7123"),
        ("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A99", "urn:li:share:99"),
    ],
)
def test_mark_published_keeps_the_post_urn_from_a_pasted_link(
    service: PostService, link: str, urn: str
) -> None:
    post = service.create_draft("", "was it sent?")
    _set(service, post.id, {"status": PostStatus.FAILED})
    assert service.mark_published(post.id, link).linkedin_post_urn == urn


def test_mark_published_refuses_a_link_that_is_no_post_and_changes_nothing(
    service: PostService,
) -> None:
    post = service.create_draft("", "was it sent?")
    _set(service, post.id, {"status": PostStatus.FAILED})
    with pytest.raises(ValidationError, match="not a LinkedIn post address"):
        service.mark_published(post.id, "https://example.com/x")
    assert service.get(post.id).status == PostStatus.FAILED


def test_duplicate_copies_text_and_image_into_a_new_draft(
    service: PostService, tmp_path: Path
) -> None:
    post = service.create_draft("Title", "Body")
    service.attach_image(post.id, write_png(tmp_path / "a.png"))
    _set(service, post.id, {"status": PostStatus.PUBLISHED})
    copy = service.duplicate(post.id)
    original = service.get(post.id)
    assert (copy.status, copy.title, copy.content) == (PostStatus.DRAFT, "Title", "Body")
    assert copy.image_path and original.image_path and copy.image_path != original.image_path
    assert Path(copy.image_path).read_bytes() == Path(original.image_path).read_bytes()


def test_replacing_an_image_removes_the_old_copy_but_never_the_original(
    service: PostService, tmp_path: Path
) -> None:
    post = service.create_draft("", "pic")
    first_source = write_png(tmp_path / "first.png")
    first = service.attach_image(post.id, first_source).image_path
    second = service.attach_image(post.id, write_png(tmp_path / "second.png", 10, 10)).image_path
    assert first and second and not Path(first).exists() and Path(second).is_file()
    assert first_source.is_file()
    assert list((tmp_path / "media").iterdir()) == [Path(second)]


def test_delete_then_restore_gives_back_the_same_post(service: PostService) -> None:
    post = service.create_draft("Keep", "words")
    deleted = service.delete(post.id)
    with pytest.raises(UnknownPostError):
        service.get(post.id)
    restored = service.restore(deleted)
    # The same post; only its last change is the restore (a second after, on a slow tick).
    assert replace(restored, updated_at=post.updated_at) == post


def test_pages_filter_search_and_sort_in_sql(service: PostService) -> None:
    with transaction(service.engine) as session:
        for number in range(30):
            session.add(
                Post(
                    user_id=service.user_id,
                    title=f"T{number:02d}",
                    content="needle" if number % 3 == 0 else "hay",
                    status=PostStatus.FAILED if number % 2 else PostStatus.DRAFT,
                )
            )
    by_title = PostQuery(sort="title", descending=False)
    pages = [service.page(by_title, offset, 7) for offset in range(0, 35, 7)]
    titles = [row.title for page in pages for row in page]
    assert titles == [f"T{n:02d}" for n in range(30)]

    needle_drafts = PostQuery(statuses=(PostStatus.DRAFT,), search="NEEDLE")
    found = service.page(needle_drafts, 0, 100)
    assert sorted(row.title or "" for row in found) == ["T00", "T06", "T12", "T18", "T24"]
    assert service.count(needle_drafts) == 5
    service.create_draft("Growth", "Up 50% this year")
    assert service.count(PostQuery(search="50%")) == 1
    assert service.count(PostQuery(search="5_")) == 0  # LIKE wildcards are taken literally


def test_lists_never_show_another_users_posts(
    service: PostService, engine: Engine, other_user_id: str
) -> None:
    PostService(engine, other_user_id).create_draft("theirs", "secret")
    service.create_draft("mine", "text")
    assert [row.title for row in service.page(PostQuery(), 0, 10)] == ["mine"]


def test_deep_pages_continue_exactly_where_shallow_ones_stop(service: PostService) -> None:
    with transaction(service.engine) as session:
        session.execute(
            insert(Post),
            [
                {"id": f"p{n:05d}", "user_id": service.user_id, "title": f"T{n:05d}", "content": ""}
                for n in range(2300)
            ],
        )
    query = PostQuery(sort="title", descending=True)
    titles = [
        row.title for offset in range(0, 2300, 150) for row in service.page(query, offset, 150)
    ]
    assert titles == [f"T{n:05d}" for n in reversed(range(2300))]


# --- the calendar's and the post dialog's doors --------------------------------------------------
# "Now": Thursday 26 March 2026, 14:07 in Berlin, the week the clocks go forward (Sunday 29th).
BERLIN = ZoneInfo("Europe/Berlin")
NOW = resolve_wall_time(datetime(2026, 3, 26, 14, 7), BERLIN).instant


def _berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return resolve_wall_time(datetime.combine(day, time(hour, minute)), BERLIN).instant


def test_move_to_day_keeps_the_local_time_across_dst_by_the_callers_clock(
    service: PostService,
) -> None:
    post = service.create_draft("", "Moving")
    _set(
        service,
        post.id,
        {"status": PostStatus.FAILED, "scheduled_at": _berlin(date(2026, 3, 27), 9)},
    )
    move = service.move_to_day(post.id, date(2026, 3, 31), time(8), NOW, BERLIN)
    assert move.slot is not None and not move.was_draft
    assert (move.record.status, move.record.scheduled_at) == (
        PostStatus.SCHEDULED,
        datetime(2026, 3, 31, 7, 0, tzinfo=UTC),  # 09:00 CEST, as it was 09:00 CET
    )
    assert service.get(post.id) == move.record


def test_move_to_day_puts_a_draft_at_the_default_time_and_notes_a_skipped_hour(
    service: PostService,
) -> None:
    post = service.create_draft("", "Up early")
    move = service.move_to_day(post.id, date(2026, 3, 29), time(2, 30), NOW, BERLIN)
    assert move.was_draft and move.slot is not None
    assert move.record.scheduled_at == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST
    assert "02:30 does not exist on Sun 29 Mar 2026" in move.slot.note


def test_move_to_day_refuses_in_the_calendars_words_and_writes_nothing(
    service: PostService,
) -> None:
    draft = service.create_draft("", "Fine")
    published = service.create_draft("", "Out")
    _set(service, published.id, {"status": PostStatus.PUBLISHED})
    with pytest.raises(ValidationError, match="That day has passed"):
        service.move_to_day(draft.id, date(2026, 3, 25), time(9), NOW, BERLIN)
    with pytest.raises(ValidationError, match="already on LinkedIn"):
        service.move_to_day(published.id, date(2026, 3, 30), time(9), NOW, BERLIN)
    with pytest.raises(ValidationError, match="already on LinkedIn"):
        service.return_to_drafts(published.id)
    assert service.get(draft.id).status == PostStatus.DRAFT
    assert service.get(published.id).status == PostStatus.PUBLISHED


def test_return_to_drafts_unschedules_once(service: PostService) -> None:
    post = service.create_draft("", "Back")
    _set(
        service,
        post.id,
        {"status": PostStatus.SCHEDULED, "scheduled_at": _berlin(date(2026, 3, 28), 9)},
    )
    record, changed = service.return_to_drafts(post.id)
    assert changed and (record.status, record.scheduled_at) == (PostStatus.DRAFT, None)
    again, changed_again = service.return_to_drafts(post.id)
    assert not changed_again and again == record


# The post dialog's Save: the composer saved the words; set_schedule gives the time (or none).
def test_set_schedule_by_the_callers_clock_or_back_to_a_draft(service: PostService) -> None:
    post = service.create_draft("Kept", "Edited text")
    _set(
        service,
        post.id,
        {"status": PostStatus.FAILED, "scheduled_at": _berlin(date(2026, 3, 25), 9)},
    )
    at = _berlin(date(2026, 3, 28), 9)
    assert service.set_schedule(post.id, at, NOW).scheduled_at == at
    drafted = service.set_schedule(post.id, None, NOW)
    assert (drafted.status, drafted.scheduled_at, drafted.content) == (
        PostStatus.DRAFT,
        None,
        "Edited text",
    )


def test_set_schedule_refuses_a_past_time_long_text_and_a_published_post(
    service: PostService,
) -> None:
    post = service.create_draft("", "y" * 3001)
    with pytest.raises(ValidationError, match="already passed"):
        service.set_schedule(post.id, _berlin(date(2026, 3, 26), 9), NOW)
    with pytest.raises(ValidationError, match="LinkedIn allows 3000"):
        service.set_schedule(post.id, _berlin(date(2026, 3, 28), 9), NOW)
    _set(service, post.id, {"status": PostStatus.PUBLISHED})
    with pytest.raises(ValidationError, match="can no longer be changed"):
        service.set_schedule(post.id, None, NOW)
    assert service.get(post.id).scheduled_at is None


def test_update_writes_every_part_at_once_or_nothing(service: PostService) -> None:
    post = service.create_draft("Old title", "old text")
    updated = service.update(
        post.id,
        title="New title",
        content="new text",
        first_comment="See the link",
        visibility=Visibility.CONNECTIONS,
    )
    content = updated.post_content
    assert (updated.title, updated.content) == ("New title", "new text")
    assert content.first_comment is not None and content.first_comment.text == "See the link"
    assert content.visibility is Visibility.CONNECTIONS

    with pytest.raises(ValidationError):
        service.update(post.id, content="changed?", first_comment="x" * (MAX_COMMENT_CHARS + 1))
    again = service.get(post.id)
    assert again.content == "new text"  # the refused comment took the text's change with it
    assert again.post_content.first_comment is not None
    assert again.post_content.first_comment.text == "See the link"
    assert service.update(post.id, title="", first_comment="").title is None

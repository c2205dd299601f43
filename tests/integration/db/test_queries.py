"""The query functions of SEED-SCHEMA.md on a real file: scoping, time zones, scheduler edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text, update

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Generation, Post, PostMedia
from linkie_desktop.domain.posts import MAX_RETRIES
from linkie_desktop.domain.status import PostStatus

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _post(engine: Engine, user_id: str, content: str = "hello", **extra: object) -> str:
    with transaction(engine) as session:
        post = Post(user_id=user_id, content=content, **extra)
        session.add(post)
        session.flush()
        return post.id


def test_user_b_cannot_read_change_or_delete_user_a_posts(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    mine = _post(engine, user_id, "mine")
    with transaction(engine) as session:
        assert queries.get_post_by_id(session, mine, other_user_id) is None
        assert queries.get_all_posts(session, other_user_id) == []
        assert queries.update_post(session, mine, {"content": "hacked"}, other_user_id) is None
        assert queries.delete_post(session, mine, other_user_id) is False
    with transaction(engine) as session:
        post = queries.get_post_by_id(session, mine, user_id)
        assert post is not None and post.content == "mine"


def test_create_update_delete_own_post(engine: Engine, user_id: str) -> None:
    with transaction(engine) as session:
        post = queries.create_post(session, {"user_id": user_id, "content": "draft"})
        assert post.status == PostStatus.DRAFT and post.retry_count == 0
        post_id, created = post.id, post.updated_at
    with transaction(engine) as session:
        updated = queries.update_post(session, post_id, {"title": "T", "content": "new"}, user_id)
        assert updated is not None and (updated.title, updated.content) == ("T", "new")
        assert updated.updated_at >= created
    with transaction(engine) as session:
        assert queries.delete_post(session, post_id, user_id) is True
        assert queries.get_post_by_id(session, post_id, user_id) is None


def test_all_posts_are_scoped_and_filterable_by_status(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    _post(engine, user_id, "a")
    _post(engine, user_id, "b", status=PostStatus.FAILED)
    _post(engine, other_user_id, "c")
    with transaction(engine) as session:
        assert sorted(p.content for p in queries.get_all_posts(session, user_id)) == ["a", "b"]
        failed = queries.get_all_posts(session, user_id, status=PostStatus.FAILED)
        assert [p.content for p in failed] == ["b"]


def test_posts_by_month_follow_the_local_time_zone(engine: Engine, user_id: str) -> None:
    # 03:00 UTC on 1 December is still 30 November, 22:00, in New York.
    late_november_in_ny = _post(
        engine, user_id, scheduled_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    )
    first_of_december_in_ny = _post(
        engine, user_id, scheduled_at=datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    )
    _post(engine, user_id, content="draft without a date")
    new_york, berlin = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
    with transaction(engine) as session:
        november_ny = queries.get_posts_by_month(session, "2026-11", user_id, tz=new_york)
        december_ny = queries.get_posts_by_month(session, "2026-12", user_id, tz=new_york)
        december_berlin = queries.get_posts_by_month(session, "2026-12", user_id, tz=berlin)
    assert [p.id for p in november_ny] == [late_november_in_ny]
    assert [p.id for p in december_ny] == [first_of_december_in_ny]
    assert [p.id for p in december_berlin] == [late_november_in_ny, first_of_december_in_ny]


def test_posts_by_month_include_the_first_instant_and_exclude_the_next_month(
    engine: Engine, user_id: str
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first = _post(engine, user_id, scheduled_at=datetime(2026, 3, 1, tzinfo=berlin))
    _post(engine, user_id, scheduled_at=datetime(2026, 4, 1, tzinfo=berlin))
    with transaction(engine) as session:
        march = queries.get_posts_by_month(session, "2026-03", user_id, tz=berlin)
    assert [p.id for p in march] == [first]


def test_a_malformed_month_is_refused(engine: Engine, user_id: str) -> None:
    with transaction(engine) as session, pytest.raises(ValueError, match="YYYY-MM"):
        queries.get_posts_by_month(session, "2026-13", user_id)


def test_scheduled_posts_by_month(engine: Engine, user_id: str, other_user_id: str) -> None:
    tz = ZoneInfo("Europe/Berlin")
    nov = _post(engine, user_id, status="scheduled", scheduled_at=datetime(2026, 11, 30, tzinfo=tz))
    dec = _post(engine, user_id, status="scheduled", scheduled_at=datetime(2026, 12, 2, tzinfo=tz))
    _post(engine, user_id, status="published", scheduled_at=datetime(2026, 11, 3, tzinfo=tz))
    _post(engine, other_user_id, status="scheduled", scheduled_at=datetime(2026, 11, 3, tzinfo=tz))
    with transaction(engine) as session:
        assert [p.id for p in queries.get_scheduled_posts(session, user_id)] == [nov, dec]
        only_nov = queries.get_scheduled_posts(session, user_id, month="2026-11", tz=tz)
        assert [p.id for p in only_nov] == [nov]


def test_recent_drafts_newest_first_limited(engine: Engine, user_id: str) -> None:
    ids = [_post(engine, user_id, f"d{i}") for i in range(4)]
    with transaction(engine) as session:
        for age, post_id in enumerate(reversed(ids)):
            session.execute(
                update(Post).where(Post.id == post_id).values(updated_at=NOW - timedelta(hours=age))
            )
    _post(engine, user_id, "scheduled one", status="scheduled")
    with transaction(engine) as session:
        recent = queries.get_recent_drafts(session, 2, user_id)
    assert [p.id for p in recent] == [ids[3], ids[2]]


def test_generations_are_scoped_and_newest_first(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    with transaction(engine) as session:
        old = queries.create_generation(
            session,
            {"user_id": user_id, "idea": "old", "text_variations_json": "[]", "images_json": "[]"},
        )
        old.created_at = NOW - timedelta(days=1)
        new = queries.create_generation(
            session,
            {"user_id": user_id, "idea": "new", "text_variations_json": "[]", "images_json": "[]"},
        )
        old_id, new_id = old.id, new.id
    with transaction(engine) as session:
        assert queries.get_generation_by_id(session, old_id, other_user_id) is None
        found = queries.get_generation_by_id(session, old_id, user_id)
        assert found is not None and found.idea == "old"
        assert [g.id for g in queries.get_recent_generations(session, 5, user_id)] == [
            new_id,
            old_id,
        ]
        assert queries.get_recent_generations(session, 5, other_user_id) == []


def test_ready_to_publish_edges(engine: Engine, user_id: str, other_user_id: str) -> None:
    due_now = _post(engine, user_id, status="scheduled", scheduled_at=NOW)
    older = _post(engine, other_user_id, status="scheduled", scheduled_at=NOW - timedelta(hours=1))
    _post(engine, user_id, status="scheduled", scheduled_at=NOW + timedelta(seconds=1))
    _post(
        engine,
        user_id,
        status="scheduled",
        scheduled_at=NOW - timedelta(minutes=5),
        retry_count=MAX_RETRIES,
    )
    last_try = _post(
        engine,
        user_id,
        status="scheduled",
        scheduled_at=NOW - timedelta(minutes=30),
        retry_count=MAX_RETRIES - 1,
    )
    _post(engine, user_id, status="draft", scheduled_at=NOW - timedelta(hours=2))
    _post(engine, user_id, status="failed", scheduled_at=NOW - timedelta(hours=2))
    with transaction(engine) as session:
        ready = queries.get_posts_ready_to_publish(session, now=NOW)
    # Global (every user), oldest first, the exact instant included, exhausted retries excluded.
    assert [p.id for p in ready] == [older, last_try, due_now]


def test_stale_publishing_edges(engine: Engine, user_id: str) -> None:
    exactly_five = _post(engine, user_id, status="publishing")
    just_under = _post(engine, user_id, status="publishing")
    long_ago = _post(engine, user_id, status="publishing")
    not_publishing = _post(engine, user_id, status="scheduled")
    ages = {
        exactly_five: timedelta(minutes=5),
        just_under: timedelta(minutes=5) - timedelta(seconds=1),
        long_ago: timedelta(hours=3),
        not_publishing: timedelta(hours=3),
    }
    with transaction(engine) as session:
        for post_id, age in ages.items():
            session.execute(update(Post).where(Post.id == post_id).values(updated_at=NOW - age))
    with transaction(engine) as session:
        stale = queries.get_stale_publishing_posts(session, now=NOW)
    assert [p.id for p in stale] == [long_ago, exactly_five]


def test_increment_retry_count(engine: Engine, user_id: str) -> None:
    post_id = _post(engine, user_id, status="scheduled", scheduled_at=NOW)
    with transaction(engine) as session:
        assert queries.increment_post_retry_count(session, post_id) == 1
        assert queries.increment_post_retry_count(session, post_id) == 2
        assert queries.increment_post_retry_count(session, "unknown") is None
    with transaction(engine) as session:
        post = queries.get_post_by_id(session, post_id, user_id)
        assert post is not None and post.retry_count == 2


def test_upsert_settings_creates_then_updates_one_row(engine: Engine, user_id: str) -> None:
    with transaction(engine) as session:
        assert queries.get_user_settings(session, user_id) is None
        created = queries.upsert_user_settings(
            session, user_id, {"linkedin_oauth_status": "disconnected"}
        )
        first_id = created.id
    with transaction(engine) as session:
        updated = queries.upsert_user_settings(
            session,
            user_id,
            {"linkedin_oauth_status": "connected", "linkedin_person_urn": "urn:li:person:abc"},
        )
        assert updated.id == first_id
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        assert settings is not None
        assert (settings.linkedin_oauth_status, settings.linkedin_person_urn) == (
            "connected",
            "urn:li:person:abc",
        )
        assert settings.linkedin_connected == 0  # untouched fields keep their value
        count = session.execute(text("SELECT count(*) FROM user_settings")).scalar_one()
        assert count == 1


def test_the_local_user_is_created_once(engine: Engine) -> None:
    with transaction(engine) as session:
        first = queries.get_or_create_local_user(session).id
    with transaction(engine) as session:
        assert queries.get_or_create_local_user(session).id == first


def _media_rows(engine: Engine, user_id: str, tag: str) -> None:
    """One post of `user_id` naming a file of every kind, and a Studio run with two images."""
    post_id = _post(
        engine,
        user_id,
        link_thumbnail_path=f"{tag}-thumb.png",
        image_path=f"/old/{tag}-image.png",  # an older row's full path, kept as it is
        deleted_at=NOW,  # in the trash: its files are still its own
    )
    with transaction(engine) as session:
        for position in (0, 1):
            session.add(
                PostMedia(
                    post_id=post_id,
                    user_id=user_id,
                    position=position,
                    kind="image",
                    path=f"{tag}-attached-{position}.png",
                )
            )
        for images in (f'["{tag}-studio.png", 7, null]', "not json", '{"a": "b"}', ""):
            session.add(
                Generation(user_id=user_id, idea=tag, text_variations_json="[]", images_json=images)
            )


def test_stored_media_paths_lists_every_file_a_person_or_anyone_stores(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    """The one list of media files a backup gathers (everyone's) and a database copy reports
    (one person's): attachments first, then thumbnails, images and the Studio's images."""
    _media_rows(engine, user_id, "ann")
    _media_rows(engine, other_user_id, "bob")
    _post(engine, user_id, "no files")  # names nothing: adds nothing
    ann = ["ann-attached-0.png", "ann-attached-1.png", "ann-thumb.png", "/old/ann-image.png"]
    with transaction(engine) as session:
        anns = queries.stored_media_paths(session, user_id)
        everyone = queries.stored_media_paths(session)
    # Each kind in id order, and ids are random: within a kind only the members are fixed.
    assert [set(anns[0:2]), *anns[2:]] == [set(ann[0:2]), *ann[2:], "ann-studio.png"]
    bob = [name.replace("ann", "bob") for name in ann]
    by_kind = [ann[0:2] + bob[0:2], [ann[2], bob[2]], [ann[3], bob[3]]]
    assert [set(everyone[0:4]), set(everyone[4:6]), set(everyone[6:8])] == [
        set(group) for group in by_kind
    ]
    assert set(everyone[8:]) == {"ann-studio.png", "bob-studio.png"} and len(everyone) == 10

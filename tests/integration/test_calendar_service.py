"""The calendar service on a real SQLite file: one indexed query a month, drops, refusals, edits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import make_engine, transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import days_bounds, month_grid, resolve_wall_time
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import (
    TOO_LATE_TODAY,
    CalendarService,
    ExternalChangeWatcher,
)
from tests.calendar_support import (
    BERLIN,
    NEW_YORK,
    REFUSED_DROPS,
    REFUSED_IDS,
    add_post,
    local,
    row_of,
)
from tests.connection_support import mark_connected

NINE = time(9)
# "Now" for these tests: Thursday 26 March 2026, 14:07 in Berlin (the week clocks go forward).
NOW = resolve_wall_time(datetime(2026, 3, 26, 14, 7), BERLIN).instant


@pytest.fixture
def service(engine: Engine, user_id: str) -> CalendarService:
    return CalendarService(engine, user_id, tz=BERLIN, clock=lambda: NOW)


# --- the month view ------------------------------------------------------------------------------


def test_month_view_places_posts_on_their_local_days_including_neighbouring_months(
    engine: Engine, user_id: str, other_user_id: str, service: CalendarService
) -> None:
    late = add_post(
        engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 31), 23, 30)
    )
    early = add_post(engine, user_id, status=PostStatus.PUBLISHED, at=local(date(2026, 3, 31), 8))
    spill = add_post(engine, user_id, status=PostStatus.FAILED, at=local(date(2026, 4, 2), 10))
    add_post(
        engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 5, 20), 10)
    )  # off-grid
    add_post(engine, other_user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 31), 9))
    add_post(engine, user_id)  # a draft: beside the grid, not in it

    view = service.month_view(2026, 3, first_weekday=0)

    assert view.days[0] == date(2026, 2, 23) and len(view.days) == 42
    assert view.today == date(2026, 3, 26)
    # 23:30 Berlin on 31 March is 21:30 UTC: still the 31st locally.
    assert [p.id for p in view.posts_on(date(2026, 3, 31))] == [early, late]
    assert [p.id for p in view.posts_on(date(2026, 4, 2))] == [spill]
    assert not view.in_month(date(2026, 4, 2))
    assert sum(len(p) for p in view.posts.values()) == 3
    assert view.posts_on(date(2026, 3, 31))[1].wall == datetime(2026, 3, 31, 23, 30)


def test_month_view_is_one_query_for_the_whole_grid(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    for offset in range(40):
        add_post(
            engine,
            user_id,
            status=PostStatus.SCHEDULED,
            at=local(date(2026, 3, 1), 9) + timedelta(days=offset),
        )
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        view = service.month_view(2026, 3, first_weekday=6)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sum(len(p) for p in view.posts.values()) == 40
    assert len([s for s in statements if "FROM posts" in s]) == 1


def test_the_month_query_uses_the_scheduled_at_index(engine: Engine, user_id: str) -> None:
    # Enough rows for one user that a table scan or the user_id index would be the wrong plan.
    with transaction(engine) as session:
        for offset in range(300):
            queries.create_post(
                session,
                {
                    "user_id": user_id,
                    "content": "x",
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=offset),
                },
            )
    grid = month_grid(2025, 6, 0)
    start, end = days_bounds(grid[0], grid[-1], BERLIN)
    with transaction(engine) as session:
        captured: list[tuple[str, Any]] = []

        def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
            if "FROM posts" in statement and not statement.startswith("EXPLAIN"):
                captured.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            rows = queries.get_posts_scheduled_between(session, user_id, start, end)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = captured[0]
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        details = " ".join(str(row[-1]) for row in plan)
    assert len(rows) == 42
    assert "USING INDEX posts_scheduled_at_idx" in details
    assert "TEMP B-TREE FOR ORDER BY" not in details  # the index gives the order (ids tie-break)


# --- drops on a day ------------------------------------------------------------------------------


def test_a_draft_dropped_on_a_future_day_is_scheduled_at_the_default_time(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, title="Weekly kickoff")
    outcome = service.drop_on_day(post_id, date(2026, 3, 30), NINE)
    status, scheduled_at, *_ = row_of(engine, post_id)
    assert status == PostStatus.SCHEDULED
    assert scheduled_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert outcome.message == "“Weekly kickoff” is scheduled for Mon 30 Mar 2026 at 09:00."


def test_a_draft_dropped_on_today_after_the_default_time_gets_the_next_quarter_hour(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, content="Today's thought")
    outcome = service.drop_on_day(post_id, date(2026, 3, 26), NINE)
    assert row_of(engine, post_id)[1] == local(date(2026, 3, 26), 14, 30)
    assert "14:30" in outcome.message and "09:00 has already passed today" in outcome.message


def test_a_draft_dropped_on_the_spring_forward_day_with_a_0230_default_says_so(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id)
    outcome = service.drop_on_day(post_id, date(2026, 3, 29), time(2, 30))
    assert row_of(engine, post_id)[1] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST
    assert "02:30 does not exist on Sun 29 Mar 2026" in outcome.message


@pytest.mark.parametrize("status", [PostStatus.SCHEDULED, PostStatus.FAILED])
def test_a_post_moved_across_the_dst_change_keeps_its_local_time(
    engine: Engine, user_id: str, service: CalendarService, status: str
) -> None:
    post_id = add_post(engine, user_id, status=status, at=local(date(2026, 3, 27), 9))  # 08:00 UTC
    service.drop_on_day(post_id, date(2026, 3, 31), NINE)
    new_status, scheduled_at, *_, retries, error = row_of(engine, post_id)
    assert new_status == PostStatus.SCHEDULED
    assert scheduled_at == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)  # still 09:00 local
    assert (retries, error) == (0, None)


def test_new_york_keeps_0900_across_its_fall_back_week(engine: Engine, user_id: str) -> None:
    now = local(date(2026, 10, 28), 12, tz=NEW_YORK)
    service = CalendarService(engine, user_id, tz=NEW_YORK, clock=lambda: now)
    post_id = add_post(
        engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 10, 30), 9, tz=NEW_YORK)
    )
    service.drop_on_day(post_id, date(2026, 11, 2), NINE)
    assert row_of(engine, post_id)[1] == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 09:00 EST


@pytest.mark.parametrize(
    ("case", "status", "content", "day", "reason"), REFUSED_DROPS, ids=REFUSED_IDS
)
def test_refused_drops_say_why_and_change_nothing(
    engine: Engine,
    user_id: str,
    service: CalendarService,
    case: str,
    status: str,
    content: str,
    day: date,
    reason: str,
) -> None:
    at = None if status == PostStatus.DRAFT else local(date(2026, 3, 24), 9)
    post_id = add_post(engine, user_id, content=content, status=status, at=at)
    before = row_of(engine, post_id)
    with pytest.raises(ValidationError) as refused:
        service.drop_on_day(post_id, day, NINE)
    assert str(refused.value) == reason
    assert row_of(engine, post_id) == before


def test_too_late_today_is_refused(engine: Engine, user_id: str) -> None:
    late = local(date(2026, 3, 26), 23, 55)
    service = CalendarService(engine, user_id, tz=BERLIN, clock=lambda: late)
    post_id = add_post(engine, user_id)
    with pytest.raises(ValidationError, match=TOO_LATE_TODAY):
        service.drop_on_day(post_id, date(2026, 3, 26), NINE)
    assert row_of(engine, post_id)[0] == PostStatus.DRAFT


def test_moving_a_morning_post_onto_today_in_the_afternoon_is_refused(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 28), 9))
    before = row_of(engine, post_id)
    with pytest.raises(ValidationError, match="09:00 today has already passed"):
        service.drop_on_day(post_id, date(2026, 3, 26), NINE)
    assert row_of(engine, post_id) == before


def test_an_unknown_post_is_refused_in_plain_words(service: CalendarService) -> None:
    with pytest.raises(ValidationError, match="There is no post"):
        service.drop_on_day("nope", date(2026, 3, 30), NINE)


# --- the drafts list and the context menu ---------------------------------------------------------


def test_a_scheduled_post_dropped_on_the_drafts_list_is_unscheduled(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 28), 9))
    outcome = service.drop_on_drafts(post_id)
    assert row_of(engine, post_id)[:2] == (PostStatus.DRAFT, None)
    assert "draft again" in outcome.message
    assert [d.id for d in service.drafts()] == [post_id]


def test_a_published_post_dropped_on_the_drafts_list_is_refused(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.PUBLISHED, at=local(date(2026, 3, 20), 9))
    before = row_of(engine, post_id)
    with pytest.raises(ValidationError, match="already on LinkedIn"):
        service.drop_on_drafts(post_id)
    assert row_of(engine, post_id) == before


def test_duplicate_and_delete(engine: Engine, user_id: str, service: CalendarService) -> None:
    post_id = add_post(
        engine, user_id, status=PostStatus.PUBLISHED, at=local(date(2026, 3, 20), 9), title="Hello"
    )
    copy = service.duplicate(post_id)
    assert copy.post_id != post_id
    assert row_of(engine, copy.post_id)[:4:3] == (PostStatus.DRAFT, "Hello")
    _, deleted = service.delete(copy.post_id)
    with transaction(engine) as session:
        assert session.scalars(select(Post.id)).all() == [post_id]
    assert service.restore(deleted).post_id == copy.post_id
    assert row_of(engine, copy.post_id)[0] == PostStatus.DRAFT


def test_linkedin_connected_reads_the_settingsrow_of(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    assert service.linkedin_connected() is False
    mark_connected(engine, user_id)
    assert service.linkedin_connected() is True


# --- the post dialog's save ----------------------------------------------------------------------


def test_save_creates_a_post_at_0230_on_the_spring_forward_day_as_0300(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    outcome = service.save(
        None, "Night owl", "Posted in the small hours.", datetime(2026, 3, 29, 2, 30)
    )
    status, scheduled_at, content, title, *_ = row_of(engine, outcome.post_id)
    assert (status, content, title) == (
        PostStatus.SCHEDULED,
        "Posted in the small hours.",
        "Night owl",
    )
    assert scheduled_at == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert "set for 03:00" in outcome.message


def test_save_refuses_a_past_time_and_bad_text_and_changes_nothing(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 28), 9))
    before = row_of(engine, post_id)
    with pytest.raises(ValidationError, match="already passed"):
        service.save(post_id, "", "New text", datetime(2026, 3, 26, 9, 0))
    with pytest.raises(ValidationError, match="LinkedIn allows 3000"):
        service.save(post_id, "", "y" * 3001, datetime(2026, 3, 28, 9, 0))
    with pytest.raises(ValidationError, match="keep it to 200 or fewer"):
        service.save(post_id, "t" * 201, "New text", datetime(2026, 3, 28, 9, 0))
    with pytest.raises(ValidationError, match="control character"):
        service.save(post_id, "bell \a", "New text", None)
    assert row_of(engine, post_id) == before


def test_save_without_a_time_makes_a_scheduled_post_a_draft(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.FAILED, at=local(date(2026, 3, 25), 9))
    service.save(post_id, "Kept", "Edited text", None)
    assert row_of(engine, post_id)[:4] == (PostStatus.DRAFT, None, "Edited text", "Kept")


def test_save_refuses_to_edit_a_published_post(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.PUBLISHED, at=local(date(2026, 3, 20), 9))
    with pytest.raises(ValidationError, match="can no longer be changed"):
        service.save(post_id, "", "Changed", None)


# --- changes made elsewhere ----------------------------------------------------------------------


@pytest.fixture
def second_engine(db_url: str) -> Iterator[Engine]:
    other = make_engine(db_url)
    yield other
    other.dispose()


def test_the_watcher_notices_a_commit_from_another_engine_once(
    engine: Engine, second_engine: Engine, user_id: str
) -> None:
    watcher = ExternalChangeWatcher(engine)
    try:
        assert watcher.changed() is False
        with second_engine.connect() as connection:
            connection.execute(text("UPDATE posts SET title = 'x' WHERE 0"))
            connection.commit()
        add_post(second_engine, user_id)
        assert watcher.changed() is True
        assert watcher.changed() is False
    finally:
        watcher.close()


def test_month_view_flags_texts_that_cannot_be_scheduled_without_loading_them(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    day = date(2026, 3, 30)
    blank = add_post(engine, user_id, " \n\t \r\n", PostStatus.SCHEDULED, local(day, 9))
    long = add_post(engine, user_id, "y" * 3005, PostStatus.SCHEDULED, local(day, 10))
    fine = add_post(engine, user_id, "\n\nFirst line\nsecond", PostStatus.FAILED, local(day, 11))
    posts = {p.id: p for p in service.month_view(2026, 3, 0).posts_on(day)}
    assert posts[blank].content_problem == "The post is empty: write something first."
    assert posts[long].content_problem == "The post is 3005 characters long; LinkedIn allows 3000."
    assert (posts[fine].content_problem, posts[fine].label) == ("", "First line")

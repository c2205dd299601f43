"""The calendar service on a real SQLite file: one indexed query a month, pages of drafts and of a
day, drops (written through PostService) and their refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event, select, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import make_engine, transaction
from linkie_desktop.db.models import PostMedia
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import (
    TOO_LATE_TODAY,
    days_bounds,
    month_grid,
    resolve_wall_time,
    wall_clock,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import CalendarService, MonthView
from linkie_desktop.services.external_changes import ExternalChangeWatcher
from linkie_desktop.services.posts import Attachments, PostService
from tests.calendar_support import (
    BERLIN,
    NEW_YORK,
    REFUSED_DROPS,
    REFUSED_IDS,
    add_post,
    local,
    row_of,
)
from tests.fakes.media_files import write_pdf

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
    # One query for the grid's posts and one for their media's uploads (none here: the posts
    # are not read again), whatever the number of days or posts.
    assert len([s for s in statements if "FROM posts" in s]) == 1
    assert len([s for s in statements if "FROM post_media" in s]) == 1


def test_a_post_uploading_says_so_in_the_month_week_and_day(
    engine: Engine, user_id: str, service: CalendarService, tmp_path: Path
) -> None:
    at = NOW + timedelta(minutes=20)  # the service's clock: the post is due soon
    posts = PostService(engine, user_id, tmp_path / "media")
    deck = write_pdf(tmp_path / "deck.pdf", pages=2)
    post = posts.add("Deck day", attachments=Attachments(document=(deck, "Deck")))
    with transaction(engine) as session:  # scheduled, and as the publisher writes it mid-upload
        changes: queries.PostChanges = {"status": PostStatus.SCHEDULED, "scheduled_at": at}
        queries.update_post(session, post.id, changes, user_id)
        [media] = session.scalars(select(PostMedia).where(PostMedia.post_id == post.id)).all()
        assert media.size_bytes
        media.uploaded_bytes = -(-media.size_bytes // 4)  # a quarter of it, rounded up
    day = wall_clock(at, BERLIN).date()

    [shown] = service.month_view(2026, 3, first_weekday=0).posts[day]
    [in_week] = service.week_view(day).posts
    [in_day] = service.day_page(day, 0).posts
    assert shown.upload == in_week.upload == in_day.upload == "Uploading document: 25 %"


def _a_post_a_day_for_300_days(engine: Engine, user_id: str) -> None:
    """Enough rows for one user that a table scan or the user_id index would be the wrong plan."""
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


def _plan_of_the_posts_query(engine: Engine, read: Callable[[], object]) -> list[str]:
    """SQLite's plan (EXPLAIN QUERY PLAN) of the one query of posts that `read` sends."""
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if "FROM posts" in statement and not statement.startswith("EXPLAIN"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    [(statement, parameters)] = captured
    with transaction(engine) as session:
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return [str(row[-1]) for row in plan]


@pytest.mark.sqlite_only  # SQLite's planner; PostgreSQL's weighs its statistics
def test_the_month_query_uses_the_scheduled_at_index(engine: Engine, user_id: str) -> None:
    _a_post_a_day_for_300_days(engine, user_id)
    grid = month_grid(2025, 6, 0)
    start, end = days_bounds(grid[0], grid[-1], BERLIN)
    rows: list[queries.CalendarRow] = []

    def read() -> None:
        with transaction(engine) as session:
            rows.extend(queries.get_posts_scheduled_between(session, user_id, start, end))

    details = " ".join(_plan_of_the_posts_query(engine, read))
    assert len(rows) == 42
    assert "USING INDEX posts_scheduled_at_idx" in details
    assert "TEMP B-TREE FOR ORDER BY" not in details  # the index gives the order (ids tie-break)


@pytest.mark.sqlite_only  # SQLite's planner; PostgreSQL's weighs its statistics
def test_the_month_read_uses_the_scheduled_at_index_and_sorts_for_its_days_once(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    _a_post_a_day_for_300_days(engine, user_id)
    views: list[MonthView] = []

    details = _plan_of_the_posts_query(engine, lambda: views.append(service.month_view(2025, 6, 0)))
    [view] = views
    assert sum(view.count_on(day) for day in view.days) == 42
    assert any("USING INDEX posts_scheduled_at_idx" in line for line in details)
    # One sort by day for both windows (number and count), one of the few rows kept.
    assert sum("TEMP B-TREE" in line for line in details) == 2


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


# --- drops on the drafts list --------------------------------------------------------------------


def test_a_scheduled_post_dropped_on_the_drafts_list_is_unscheduled(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 28), 9))
    outcome = service.drop_on_drafts(post_id)
    assert row_of(engine, post_id)[:2] == (PostStatus.DRAFT, None)
    assert "draft again" in outcome.message and outcome.post_ids == (post_id,)
    assert [d.id for d in service.drafts_page(0).posts] == [post_id]


def test_a_published_post_dropped_on_the_drafts_list_is_refused(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, status=PostStatus.PUBLISHED, at=local(date(2026, 3, 20), 9))
    before = row_of(engine, post_id)
    with pytest.raises(ValidationError, match="already on LinkedIn"):
        service.drop_on_drafts(post_id)
    assert row_of(engine, post_id) == before


def test_a_draft_dropped_on_the_drafts_list_changes_nothing(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(engine, user_id, title="Idea")
    before = row_of(engine, post_id)
    outcome = service.drop_on_drafts(post_id)
    assert outcome.post_ids == () and outcome.message == "“Idea” is already a draft."
    assert row_of(engine, post_id) == before


def test_a_post_dropped_on_its_own_day_stays_and_says_so(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    post_id = add_post(
        engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 28), 9), title="Sat"
    )
    before = row_of(engine, post_id)
    outcome = service.drop_on_day(post_id, date(2026, 3, 28), NINE)
    assert outcome.post_ids == () and outcome.message == "“Sat” is already on that day."
    assert row_of(engine, post_id) == before


# --- long lists come in pages --------------------------------------------------------------------


def test_drafts_come_in_pages_with_their_count_newest_first(
    engine: Engine, user_id: str, other_user_id: str, service: CalendarService
) -> None:
    ids = [add_post(engine, user_id, content=f"Draft {n}") for n in range(5)]
    add_post(engine, user_id, content="   ")  # an empty one: flagged, not refused
    add_post(engine, other_user_id, content="not mine")
    add_post(engine, user_id, status=PostStatus.SCHEDULED, at=local(date(2026, 3, 30), 9))
    first = service.drafts_page(0, limit=4)
    rest = service.drafts_page(first.end, limit=4)
    assert (first.total, len(first.posts), rest.offset, len(rest.posts)) == (6, 4, 4, 2)
    shown = [p.id for p in first.posts + rest.posts]
    assert len(set(shown)) == 6 and set(ids) <= set(shown)
    problems = [p.content_problem for p in first.posts + rest.posts if p.content_problem]
    assert problems == ["The post is empty: write something first."]


def test_a_draft_page_checks_only_its_own_rows(
    engine: Engine, user_id: str, service: CalendarService, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(30):
        add_post(engine, user_id, content=f"Draft {n}")
    checked: list[str] = []
    from linkie_desktop.services import calendar

    def counting(content: str) -> str:
        checked.append(content)
        return ""

    # A spy on the domain's check, to count the texts checked: the check itself is unchanged.
    monkeypatch.setattr(calendar, "text_problem", counting)
    page = service.drafts_page(0, limit=10)
    assert (len(page.posts), page.total, len(checked)) == (10, 30, 10)


def test_a_busy_day_comes_in_pages_by_time(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    day = date(2026, 3, 30)
    for hour in (15, 9, 11, 17, 8):
        add_post(engine, user_id, f"At {hour}", PostStatus.SCHEDULED, local(day, hour))
    add_post(engine, user_id, "Next day", PostStatus.SCHEDULED, local(date(2026, 3, 31), 0, 30))
    first = service.day_page(day, 0, limit=3)
    rest = service.day_page(day, first.end, limit=3)
    assert first.total == rest.total == 5
    assert [p.label for p in first.posts + rest.posts] == [
        "At 8",
        "At 9",
        "At 11",
        "At 15",
        "At 17",
    ]


def test_the_month_reads_a_busy_days_first_posts_and_its_count_and_the_day_in_pages(
    engine: Engine, user_id: str, service: CalendarService
) -> None:
    day = date(2026, 3, 30)
    with transaction(engine) as session:
        for n in range(50):  # 08:00, 08:10, … in the order they were written
            queries.create_post(
                session,
                {
                    "user_id": user_id,
                    "content": f"Post {n}",
                    "title": f"At {n}",
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": local(day, 8) + timedelta(minutes=10 * n),
                },
            )
    add_post(engine, user_id, "Next day", PostStatus.SCHEDULED, local(date(2026, 3, 31), 9))

    view = service.month_view(2026, 3, first_weekday=0)

    # The first GRID_POSTS_PER_DAY (8) of the day, enough for a tall cell, and the day's count.
    assert [p.label for p in view.posts_on(day)] == [f"At {n}" for n in range(8)]
    assert view.count_on(day) == 50 and view.count_on(day) - len(view.posts_on(day)) == 42
    assert view.count_on(date(2026, 3, 31)) == 1
    assert view.count_on(date(2026, 3, 29)) == 0
    first = service.day_page(day, 0, limit=20)
    last = service.day_page(day, 40, limit=20)
    assert (first.total, len(first.posts), first.end) == (50, 20, 20)
    assert (last.total, len(last.posts), last.end) == (50, 10, 50)
    assert [p.label for p in first.posts[:2]] == ["At 0", "At 1"]
    assert [p.label for p in last.posts[-2:]] == ["At 48", "At 49"]


def test_the_month_counts_each_post_on_its_local_day_across_a_fall_back_night(
    engine: Engine, user_id: str
) -> None:
    # Cairo falls back at midnight on 29 October 2026: 23:00–23:59 happens twice (+03, then +02).
    cairo = ZoneInfo("Africa/Cairo")
    evening = date(2026, 10, 29)
    at = [
        datetime(2026, 10, 29, 19, 0, tzinfo=UTC),  # 22:00 +03
        datetime(2026, 10, 29, 20, 30, tzinfo=UTC),  # 23:30 +03
        datetime(2026, 10, 29, 21, 30, tzinfo=UTC),  # 23:30 +02, the second time round
        datetime(2026, 10, 29, 21, 50, tzinfo=UTC),  # 23:50 +02
        datetime(2026, 10, 29, 22, 30, tzinfo=UTC),  # 00:30 +02 on the 30th
    ]
    ids = [
        add_post(engine, user_id, f"{n}", PostStatus.SCHEDULED, when) for n, when in enumerate(at)
    ]
    service = CalendarService(engine, user_id, tz=cairo, clock=lambda: at[0])

    view = service.month_view(2026, 10, first_weekday=6)

    assert [p.id for p in view.posts_on(evening)] == ids[:4]
    assert view.count_on(evening) == 4
    assert [p.id for p in view.posts_on(date(2026, 10, 30))] == ids[4:]
    assert view.count_on(date(2026, 10, 30)) == 1


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
            connection.execute(text("UPDATE posts SET title = 'x' WHERE 1 = 0"))
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

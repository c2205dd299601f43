"""Posting slots and the queue on a real migrated SQLite file: next free slot with taken slots,
slots in the past and a full week; Move up/down and Shuffle keep every post in a slot; removing
a slot leaves its posts where they are; the slot queries' plans; the migration down and up."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from linkie_desktop.db.engine import make_engine, transaction
from linkie_desktop.db.migrate import downgrade, upgrade
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import local_minute_text
from linkie_desktop.domain.slots import Slot, occurrences
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind
from linkie_desktop.services.posts import NO_SLOTS, QUEUE_CHANGED, PostService
from linkie_desktop.services.slots import SlotService, UnknownSlotError
from tests.calendar_support import BERLIN, add_post, local, row_of

MON, TUE, WED, FRI = 0, 1, 2, 4
# Thursday 26 March 2026, 14:07 in Berlin: the week the clocks go forward (Sunday 29th).
NOW = local(date(2026, 3, 26), 14, 7)


def service(engine: Engine, user_id: str, now: datetime = NOW) -> SlotService:
    return SlotService(engine, user_id, tz=BERLIN, clock=lambda: now)


def with_slots(engine: Engine, user_id: str, *slots: Slot) -> SlotService:
    slot_service = service(engine, user_id)
    for slot in slots:
        slot_service.add(slot)
    return slot_service


def test_queue_takes_the_next_free_slot_after_the_dst_change(engine: Engine, user_id: str) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)), Slot(WED, time(9)))
    first = add_post(engine, user_id, "First")
    second = add_post(engine, user_id, "Second")
    found, message = slots.add_to_queue(first)
    assert found.when.wall == datetime(2026, 3, 30, 9)
    assert found.instant == datetime(2026, 3, 30, 7, tzinfo=UTC)  # CEST from the 29th
    assert message == "“First” is queued for Mon 30 Mar 2026 at 09:00"
    found, _ = slots.add_to_queue(second)  # Monday is taken now
    assert found.when.wall == datetime(2026, 4, 1, 9)
    assert [p.id for p in slots.queue()] == [first, second]
    # Queueing a queued post again finds its own slot free.
    again = PostService(engine, user_id).queue(first, NOW, BERLIN)
    assert again.instant == datetime(2026, 3, 30, 7, tzinfo=UTC)


def test_a_publishing_post_holds_its_slot_and_slots_in_the_past_are_skipped(
    engine: Engine, user_id: str
) -> None:
    # Thursday 14:07: today's 14:10 slot is under ten minutes ahead, 09:00 has passed.
    slots = with_slots(engine, user_id, Slot(3, time(9)), Slot(3, time(14, 10)), Slot(FRI, time(9)))
    add_post(engine, user_id, "Going out", PostStatus.PUBLISHING, local(date(2026, 3, 27), 9))
    post = add_post(engine, user_id, "Next")
    found, _ = slots.add_to_queue(post)
    assert found.when.wall == datetime(2026, 4, 2, 9)  # next Thursday 09:00


def test_a_full_week_spills_over_and_without_slots_it_is_refused(
    engine: Engine, user_id: str
) -> None:
    posts = PostService(engine, user_id)
    lonely = add_post(engine, user_id, "Alone")
    with pytest.raises(ValidationError, match="no posting slots"):
        posts.queue(lonely, NOW, BERLIN)
    assert NO_SLOTS.startswith("There are no posting slots")
    slots = with_slots(engine, user_id, *(Slot(day, time(9)) for day in range(7)))
    ids = [add_post(engine, user_id, f"Post {n}") for n in range(8)]
    walls = [slots.add_to_queue(post_id)[0].when.wall for post_id in ids]
    assert walls[0] == datetime(2026, 3, 27, 9) and walls[6] == datetime(2026, 4, 2, 9)
    assert walls[7] == datetime(2026, 4, 3, 9)  # the eighth goes into the next week
    published = add_post(engine, user_id, "Done", PostStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="published post cannot be queued"):
        posts.queue(published, NOW, BERLIN)
    empty = add_post(engine, user_id, "  ")
    with pytest.raises(ValidationError, match=r"Not queued\. The post is empty"):
        posts.queue(empty, NOW, BERLIN)


def _slot_times(slots: SlotService) -> set[datetime]:
    rules = slots.slots()
    return {o.instant for o in occurrences(rules, NOW, NOW + timedelta(weeks=8), BERLIN)}


def test_move_up_down_and_shuffle_keep_every_post_in_a_slot(engine: Engine, user_id: str) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)), Slot(TUE, time(12, 30)))
    ids = [add_post(engine, user_id, f"Post {n}") for n in range(5)]
    for post_id in ids:
        slots.add_to_queue(post_id)
    times = [p.scheduled_at for p in slots.queue()]
    change = slots.move(ids[2], -1)
    assert change.message == "“Post 2” moved up the queue." and set(change.post_ids) == {
        ids[1],
        ids[2],
    }
    assert [p.id for p in slots.queue()] == [ids[0], ids[2], ids[1], ids[3], ids[4]]
    assert [p.scheduled_at for p in slots.queue()] == times  # the same slots, other posts
    assert slots.move(ids[0], -1).message == "“Post 0” is first in the queue already."
    slots.move(ids[2], 1)
    assert [p.id for p in slots.queue()] == ids
    change = slots.shuffle(random.Random(7))
    shuffled = slots.queue()
    assert [p.id for p in shuffled] != ids and sorted(p.id for p in shuffled) == sorted(ids)
    assert [p.scheduled_at for p in shuffled] == times
    assert {p.scheduled_at for p in shuffled} <= _slot_times(slots)


def test_a_move_of_a_post_published_meanwhile_is_refused_and_moves_nothing(
    engine: Engine, user_id: str
) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)))
    first, second = add_post(engine, user_id, "A"), add_post(engine, user_id, "B")
    slots.add_to_queue(first)
    slots.add_to_queue(second)
    queue = slots.queue()
    before = row_of(engine, second)
    with pytest.raises(ValidationError, match="The queue changed meanwhile"):
        slots.posts.reassign_times(
            [
                (second, queue[1].scheduled_at, queue[0].scheduled_at),
                (first, queue[1].scheduled_at, queue[0].scheduled_at),  # not its time
            ]
        )
    assert row_of(engine, second) == before
    assert QUEUE_CHANGED.startswith("The queue changed")


def test_removing_a_slot_leaves_its_posts_scheduled_and_says_so(
    engine: Engine, user_id: str
) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)), Slot(WED, time(9)))
    post = add_post(engine, user_id, "Stays")
    found, _ = slots.add_to_queue(post)
    change = slots.remove(Slot(MON, time(9)))
    assert change.message == (
        "Removed the posting slot on Monday 09:00. Its 1 queued post stays scheduled at the "
        "same time."
    )
    status, scheduled_at, *_ = row_of(engine, post)
    assert (status, scheduled_at) == (PostStatus.SCHEDULED, found.instant)
    assert slots.queue() == []  # out of every slot, so out of the queue
    with pytest.raises(UnknownSlotError, match="no posting slot on Monday 09:00"):
        slots.remove(Slot(MON, time(9)))


def test_slots_belong_to_their_user(engine: Engine, user_id: str, other_user_id: str) -> None:
    with_slots(engine, user_id, Slot(MON, time(9)))
    assert service(engine, other_user_id).slots() == []
    assert "already" in service(engine, user_id).add(Slot(MON, time(9))).message


def test_free_slots_for_the_calendar_leave_out_taken_and_near_ones(
    engine: Engine, user_id: str
) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)), Slot(3, time(14, 15)))
    post = add_post(engine, user_id, "Taken")
    slots.add_to_queue(post)  # Thursday 14:15 is under 10 minutes ahead: Monday is taken
    free = slots.free_between(NOW - timedelta(days=3), NOW + timedelta(days=8))
    assert [o.when.wall for o in free] == [datetime(2026, 4, 2, 14, 15)]


# --- the slot queries' plans ---------------------------------------------------------------------


def _plan(engine: Engine, read: Callable[[], object], table: str) -> list[str]:
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if f"FROM {table}" in statement and not statement.startswith("EXPLAIN"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    with transaction(engine) as session:
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return [str(row[-1]) for row in plan]


def _many_posts(engine: Engine, user_id: str) -> None:
    with transaction(engine) as session:
        session.execute(
            text(
                "INSERT INTO posts (id, user_id, content, status, scheduled_at, retry_count, "
                "evergreen, created_at, updated_at) VALUES (:id, :user, 'x', :status, :at, 0, 0, "
                "0, 0)"
            ),
            [
                {
                    "id": f"p{n}",
                    "user": user_id,
                    "status": ("draft", "scheduled", "published")[n % 3],
                    "at": 1_770_000_000 + n * 3600,
                }
                for n in range(600)
            ],
        )
        session.execute(text("ANALYZE"))


@pytest.mark.sqlite_only  # SQLite's planner; PostgreSQL's weighs its statistics
def test_the_slot_queries_use_their_indexes(engine: Engine, user_id: str) -> None:
    _many_posts(engine, user_id)
    slots = with_slots(engine, user_id, Slot(MON, time(9)))
    plan = _plan(engine, slots.slots, "posting_slots")
    assert any(
        step.startswith("SEARCH posting_slots USING INDEX sqlite_autoindex") for step in plan
    ), plan
    plan = _plan(engine, slots.next_free, "posts")
    assert any("posts_user_status_scheduled_idx" in step for step in plan), plan
    assert not any(step.startswith("SCAN posts") for step in plan), plan
    plan = _plan(engine, slots.queue, "posts")
    assert not any(step.startswith("SCAN posts") for step in plan), plan


# --- the migration -------------------------------------------------------------------------------


def test_migration_0010_goes_down_and_up_keeping_posts(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine, "head")
        with transaction(engine) as session:
            session.execute(
                text("INSERT INTO users (id, email, created_at) VALUES ('u', 'a@b.c', 0)")
            )
            session.execute(
                text(
                    "INSERT INTO posts (id, user_id, content, status, retry_count, created_at, "
                    "updated_at) VALUES ('p', 'u', 'x', 'draft', 0, 0, 0)"
                )
            )
            session.execute(
                text(
                    "INSERT INTO posting_slots (id, user_id, weekday, time, created_at) "
                    "VALUES ('s', 'u', 0, '09:00', 0)"
                )
            )
        with pytest.raises(Exception, match="UNIQUE"), transaction(engine) as session:
            session.execute(
                text(
                    "INSERT INTO posting_slots (id, user_id, weekday, time, created_at) "
                    "VALUES ('t', 'u', 0, '09:00', 0)"
                )
            )
        downgrade(engine, "0009_trash")
        upgrade(engine, "head")
        with transaction(engine) as session:
            assert session.scalar(text("SELECT count(*) FROM posts")) == 1
            assert session.scalar(text("SELECT evergreen FROM posts")) == 0
            session.execute(text("DELETE FROM users"))  # slots go with their user
            session.execute(
                text("INSERT INTO users (id, email, created_at) VALUES ('u', 'a@b.c', 0)")
            )
    finally:
        engine.dispose()


def _scheduled_entries(engine: Engine, user_id: str, post_id: str) -> list[str | None]:
    """The 'scheduled' entries of the post's activity history, oldest first (their details)."""
    events = reversed(activity.for_post(engine, user_id, post_id))
    return [e.detail for e in events if e.kind == EventKind.SCHEDULED]


def test_queueing_and_moving_in_the_queue_are_in_the_post_history(
    engine: Engine, user_id: str
) -> None:
    slots = with_slots(engine, user_id, Slot(MON, time(9)), Slot(WED, time(9)))
    first = add_post(engine, user_id, "First")
    second = add_post(engine, user_id, "Second")
    slots.add_to_queue(first)
    slots.add_to_queue(second)
    # Each is 'scheduled' in its history, like a post given a time by hand.
    assert len(_scheduled_entries(engine, user_id, first)) == 1
    assert _scheduled_entries(engine, user_id, first)[0] == (
        f"For {local_minute_text(datetime(2026, 3, 30, 7, tzinfo=UTC))}"
    )
    slots.move(second, -1)  # the two swap slots: both were given another time
    assert len(_scheduled_entries(engine, user_id, first)) == 2
    assert len(_scheduled_entries(engine, user_id, second)) == 2
    assert (
        _scheduled_entries(engine, user_id, second)[-1]
        == _scheduled_entries(engine, user_id, first)[0]
    )

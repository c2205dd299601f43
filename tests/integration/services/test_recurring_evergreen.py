"""Recurring and evergreen posts through real publisher passes against the LinkedIn test server
(real HTTP on 127.0.0.1): the next occurrence after each publish, LinkedIn's 422 DUPLICATE_POST
for an unchanged repeat, the "vary it" note, and evergreen refills with their gap."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.repeat import VARY_NOTE, RepeatRule, Unit
from linkie_desktop.domain.schedule import local_minute_text
from linkie_desktop.domain.slots import Slot
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.publisher import Outcome
from linkie_desktop.services.slots import SlotService
from tests.calendar_support import BERLIN
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, Desk, make_desk

# NOW is Thursday 26 November 2026, 09:00 UTC = 10:00 in Berlin.
DAY = timedelta(days=1)


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


def series_of(engine: Engine, series: str) -> list[Post]:
    with transaction(engine) as session:
        stmt = select(Post).where(Post.series_id == series).order_by(Post.scheduled_at, Post.id)
        return list(session.scalars(stmt))


def at_of(post: Post) -> datetime:
    assert post.scheduled_at is not None
    return post.scheduled_at


def repeating(desk: Desk, content: str, rule: RepeatRule) -> str:
    post_id = desk.due_post(content)
    PostService(desk.engine, desk.user_id).set_repeat(post_id, rule)
    return post_id


def test_after_each_publish_the_next_occurrence_is_scheduled_until_the_count(desk: Desk) -> None:
    first = repeating(desk, "Weekly tip #1", RepeatRule(every=1, unit=Unit.DAYS, count=3))
    desk.run(tz=BERLIN)
    assert desk.post(first).status == PostStatus.PUBLISHED
    published, second = series_of(desk.engine, first)
    assert published.id == first and published.repeat_rule_json is None  # the rule moved on
    assert second.status == PostStatus.SCHEDULED and second.content == "Weekly tip #1"
    assert second.scheduled_at == at_of(desk.post(first)) + DAY
    assert second.error_message == VARY_NOTE  # a rule asks for new words unless told not to
    # The user changes the words: the note goes, and LinkedIn takes it.
    PostService(desk.engine, desk.user_id).save_text(second.id, "", "Weekly tip #2")
    assert desk.post(second.id).error_message is None
    desk.run(at=at_of(second) + timedelta(minutes=1), tz=BERLIN)
    assert desk.post(second.id).status == PostStatus.PUBLISHED
    third = series_of(desk.engine, first)[2]
    PostService(desk.engine, desk.user_id).save_text(third.id, "", "Weekly tip #3")
    desk.run(at=at_of(third) + timedelta(minutes=1), tz=BERLIN)
    assert desk.post(third.id).status == PostStatus.PUBLISHED
    assert len(series_of(desk.engine, first)) == 3  # three in all: the rule has ended
    assert len(desk.server.posts) == 3


def test_an_unchanged_repeat_is_refused_by_linkedin_as_a_duplicate(desk: Desk) -> None:
    # The test server refuses a post whose author, text and content match one it holds.
    first = repeating(desk, "Same words", RepeatRule(every=1, unit=Unit.DAYS, vary=False))
    desk.run(tz=BERLIN)
    repeat = series_of(desk.engine, first)[1]
    assert repeat.error_message is None  # the user chose to send it unchanged
    result = desk.run(at=at_of(repeat) + timedelta(minutes=1), tz=BERLIN)
    failed = desk.post(repeat.id)
    assert failed.status == PostStatus.FAILED
    assert failed.error_message is not None and "duplicate" in failed.error_message
    assert [r.outcome for r in result.results] == [Outcome.FAILED]
    assert len(desk.server.posts) == 1
    # A failed repeat makes no next one: the series waits for the user (Retry, after a change).
    assert len(series_of(desk.engine, first)) == 2


def test_a_422_duplicate_answer_fails_the_post_with_linkedins_reason(desk: Desk) -> None:
    first = repeating(desk, "Injected", RepeatRule(every=1, unit=Unit.DAYS, vary=False))
    desk.server.inject(
        "POST",
        "/rest/posts",
        422,
        body={"status": 422, "code": "DUPLICATE_POST", "message": "Content is a duplicate"},
    )
    desk.run(tz=BERLIN)
    post = desk.post(first)
    assert post.status == PostStatus.FAILED and "duplicate" in (post.error_message or "")
    assert len(series_of(desk.engine, first)) == 1  # nothing published, nothing repeated


def evergreen(desk: Desk, content: str, published: datetime) -> str:
    post_id = desk.due_post(content)
    with transaction(desk.engine) as session:
        post = session.get(Post, post_id)
        assert post is not None
        post.status, post.published_at = PostStatus.PUBLISHED, published
    PostService(desk.engine, desk.user_id).set_evergreen(post_id, True)
    return post_id


def test_empty_slots_24_hours_ahead_get_the_evergreen_post_used_longest_ago(desk: Desk) -> None:
    slots = SlotService(desk.engine, desk.user_id, BERLIN, clock=lambda: NOW)
    slots.add(Slot(4, time(9)))  # Friday 09:00 Berlin: 23 hours ahead
    slots.add(Slot(4, time(12)))  # Friday 12:00: 26 hours ahead, later
    older = evergreen(desk, "Oldest", NOW - timedelta(weeks=12))
    newer = evergreen(desk, "Older", NOW - timedelta(weeks=10))
    evergreen(desk, "Recent", NOW - timedelta(weeks=2))  # inside the 8-week gap
    gap = Preferences(refill_from_evergreen=True).evergreen_refill_gap
    assert gap == timedelta(weeks=8)
    assert desk.run(tz=BERLIN).uploaded_post_ids == []  # off unless chosen
    result = desk.run(tz=BERLIN, evergreen_gap=gap)
    [copy_id] = result.uploaded_post_ids  # only the slot within 24 hours
    copy = desk.post(copy_id)
    assert (copy.status, copy.content, copy.evergreen) == (PostStatus.SCHEDULED, "Oldest", 0)
    assert copy.scheduled_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert copy.evergreen_source_id == older and desk.post(older).evergreen_used_at == NOW
    assert desk.run(tz=BERLIN, evergreen_gap=gap).uploaded_post_ids == []  # the slot is taken
    later = NOW + timedelta(hours=4)  # Friday 12:00 is now within 24 hours
    [second] = desk.run(at=later, tz=BERLIN, evergreen_gap=gap).uploaded_post_ids
    assert desk.post(second).content == "Older" and desk.post(newer).evergreen_used_at == later
    # Next week's slots: every evergreen post was used (or published) within 8 weeks.
    next_week = NOW + timedelta(weeks=1)
    assert desk.run(at=next_week, tz=BERLIN, evergreen_gap=gap).uploaded_post_ids == []
    # The copy is an ordinary post: editable and removable.
    PostService(desk.engine, desk.user_id).save_text(copy_id, "", "Oldest, refreshed")
    PostService(desk.engine, desk.user_id).delete(copy_id)


def test_only_a_published_post_can_be_evergreen(desk: Desk) -> None:
    draft = desk.due_post("Not yet")
    with pytest.raises(Exception, match="Only a published post can be evergreen"):
        PostService(desk.engine, desk.user_id).set_evergreen(draft, True)


def _history_kinds(desk: Desk, post_id: str) -> list[str]:
    return [e.kind for e in reversed(activity.for_post(desk.engine, desk.user_id, post_id))]


def test_a_repeat_and_an_evergreen_copy_are_scheduled_in_their_history(desk: Desk) -> None:
    first = repeating(desk, "Weekly tip #1", RepeatRule(every=1, unit=Unit.DAYS, count=2))
    desk.run(tz=BERLIN)
    _published, repeat = series_of(desk.engine, first)
    [entry] = activity.for_post(desk.engine, desk.user_id, repeat.id)
    assert (entry.kind, entry.detail) == (
        EventKind.SCHEDULED,
        f"For {local_minute_text(at_of(repeat))}",
    )

    SlotService(desk.engine, desk.user_id, BERLIN, clock=lambda: NOW).add(Slot(4, time(9)))
    evergreen(desk, "Oldest", NOW - timedelta(weeks=12))
    [copy_id] = desk.run(tz=BERLIN, evergreen_gap=timedelta(weeks=8)).uploaded_post_ids
    assert _history_kinds(desk, copy_id) == [EventKind.SCHEDULED]

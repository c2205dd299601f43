"""The activity history, written by the real publisher against the LinkedIn test server and by the
post service, in the transactions that change the post (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import PostEvent
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import (
    ActivityQuery,
    Actor,
    EventKind,
    EventOutcome,
    acting_as,
    set_process_actor,
)
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.publisher import schedule_now
from linkie_desktop.services.publisher_comment import COMMENT_ADDED
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, Desk, make_desk


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


def _history(desk: Desk, post_id: str) -> list[tuple[str, str, str | None, int | None]]:
    """Oldest first, as a story reads."""
    events = activity.for_post(desk.engine, desk.user_id, post_id)
    return [(e.kind, e.outcome, e.detail, e.http_status) for e in reversed(events)]


def test_two_retries_then_a_success_are_each_in_the_history(desk: Desk) -> None:
    desk.server.inject("POST", POSTS_PATH, 503, times=1)
    desk.server.inject("POST", POSTS_PATH, 429, retry_after=30.0)
    post_id = desk.due_post()
    desk.run()
    desk.run(NOW + timedelta(seconds=60))
    desk.run(NOW + timedelta(seconds=60 + 120))
    history = _history(desk, post_id)
    assert [(kind, outcome) for kind, outcome, _, _ in history] == [
        (EventKind.ATTEMPT, EventOutcome.INFO),
        (EventKind.RETRY, EventOutcome.RETRY),
        (EventKind.ATTEMPT, EventOutcome.INFO),
        (EventKind.RETRY, EventOutcome.RETRY),
        (EventKind.ATTEMPT, EventOutcome.INFO),
        (EventKind.PUBLISHED, EventOutcome.SUCCESS),
    ]
    assert [detail for kind, _, detail, _ in history if kind == EventKind.ATTEMPT] == [
        "Attempt 1 of 3",
        "Attempt 2 of 3",
        "Attempt 3 of 3",
    ]
    first_retry, second_retry = (row for row in history if row[0] == EventKind.RETRY)
    assert first_retry[3] == 503 and "Trying again at" in (first_retry[2] or "")
    assert "(attempt 2 of 3)" in (first_retry[2] or "")
    assert second_retry[3] == 429
    assert history[-1][2] == "Published on LinkedIn" and desk.sent_posts() == 3


def test_a_refusal_is_kept_with_linkedins_words_and_status(desk: Desk) -> None:
    desk.server.inject(
        "POST",
        POSTS_PATH,
        422,
        body={"message": "Content is a duplicate of urn:li:share:7", "status": 422},
    )
    post_id = desk.due_post()
    desk.run()
    *_, (kind, outcome, detail, status) = _history(desk, post_id)
    assert (kind, outcome, status) == (EventKind.FAILED, EventOutcome.FAILURE, 422)
    assert detail is not None and "duplicate of urn:li:share:7" in detail
    assert detail == desk.post(post_id).error_message  # the history and the post agree


def test_waiting_for_the_connection_is_said_once_not_at_every_pass(desk: Desk) -> None:
    desk.server.expire_token(desk.token)
    post_id = desk.due_post()
    desk.run()  # LinkedIn answers 401
    for minutes in (1, 2, 3):
        desk.run(NOW + timedelta(minutes=minutes))  # the expired connection: no request
    waiting = [row for row in _history(desk, post_id) if row[0] == EventKind.WAITING]
    assert len(waiting) == 1 and waiting[0][3] == 401
    assert waiting[0][1] == EventOutcome.RETRY


def test_a_first_comment_is_in_the_history_after_its_post(desk: Desk) -> None:
    post_id = desk.due_post(first_comment_text="Links below", first_comment_status="pending")
    desk.run()
    kinds = [(kind, detail) for kind, _, detail, _ in _history(desk, post_id)]
    assert kinds[-2:] == [
        (EventKind.PUBLISHED, "Published on LinkedIn"),
        (EventKind.COMMENT_PUBLISHED, COMMENT_ADDED),
    ]


def test_the_history_is_kept_across_a_restart(desk: Desk, db_url: str) -> None:
    from linkie_desktop.db.engine import make_engine

    post_id = desk.due_post()
    desk.run()
    desk.engine.dispose()
    again = make_engine(db_url)
    try:
        kinds = [e.kind for e in activity.for_post(again, desk.user_id, post_id)]
    finally:
        again.dispose()
    assert kinds == [EventKind.PUBLISHED, EventKind.ATTEMPT]


def test_who_acted_is_the_process_or_the_block_that_said_so(desk: Desk) -> None:
    service = PostService(desk.engine, desk.user_id)
    post = service.add("Who did it?")
    when = NOW + timedelta(days=400)
    try:
        set_process_actor(Actor.WINDOW)
        service.schedule(post.id, when)
        with acting_as(Actor.AGENT):  # what the MCP server's process says (mcp_server/command)
            service.unschedule(post.id)
        set_process_actor(Actor.CLI)
        service.schedule(post.id, when)
        schedule_now(desk.engine, desk.user_id, post.id)
        desk.run(utc_now())
    finally:
        set_process_actor(Actor.CLI)
    actors = [
        (e.kind, e.actor) for e in reversed(activity.for_post(desk.engine, desk.user_id, post.id))
    ]
    assert actors == [
        (EventKind.SCHEDULED, Actor.WINDOW),
        (EventKind.UNSCHEDULED, Actor.AGENT),
        (EventKind.SCHEDULED, Actor.CLI),
        (EventKind.PUBLISH_NOW, Actor.CLI),
        (EventKind.ATTEMPT, Actor.CLI),
        (EventKind.PUBLISHED, Actor.CLI),
    ]


def test_a_pass_may_name_its_actor(desk: Desk) -> None:
    post_id = desk.due_post()
    from linkie_desktop.services.publisher import run_once

    run_once(desk.engine, desk.tokens, desk.config, now=NOW, actor=Actor.SERVE)
    assert {e.actor for e in activity.for_post(desk.engine, desk.user_id, post_id)} == {"serve"}


def test_retry_and_mark_published_by_hand_are_recorded(desk: Desk) -> None:
    desk.server.inject("POST", POSTS_PATH, 400, body={"message": "Bad", "status": 400}, times=2)
    service = PostService(desk.engine, desk.user_id)
    post_id = desk.due_post()
    desk.run()
    service.retry(post_id)  # due at once, by the real clock
    desk.run(utc_now())
    service.mark_published(post_id, "https://www.linkedin.com/feed/update/urn:li:share:9/")
    kinds = [kind for kind, *_ in _history(desk, post_id)]
    assert kinds == [
        EventKind.ATTEMPT,
        EventKind.FAILED,
        EventKind.RETRIED,
        EventKind.ATTEMPT,
        EventKind.FAILED,
        EventKind.MARKED_PUBLISHED,
    ]
    assert desk.post(post_id).status == PostStatus.PUBLISHED


def test_a_deleted_post_keeps_its_history_and_undo_adds_to_it(desk: Desk) -> None:
    service = PostService(desk.engine, desk.user_id)
    post = service.add("Soon gone")
    service.schedule(post.id, NOW + timedelta(days=400))
    deleted = service.delete(post.id)  # to the trash: the post and its history stay
    kinds = [kind for kind, *_ in _history(desk, post.id)]
    assert kinds == [EventKind.SCHEDULED, EventKind.DELETED]
    service.restore(deleted)
    kinds = [kind for kind, *_ in _history(desk, post.id)]
    assert kinds == [EventKind.SCHEDULED, EventKind.DELETED, EventKind.RESTORED]
    with reading(desk.engine) as session:
        rows = session.scalar(select(func.count()).select_from(PostEvent))
    assert rows == 3  # nothing written twice by the Undo


def test_reads_filter_by_outcome_and_post_words_in_pages(desk: Desk) -> None:
    desk.server.inject("POST", POSTS_PATH, 400, body={"message": "Bad", "status": 400})
    failing = desk.due_post("Quarterly numbers")
    desk.run()
    published = desk.due_post("Team offsite")
    desk.run(NOW + timedelta(minutes=1))
    engine, user = desk.engine, desk.user_id
    failures = activity.page(engine, user, ActivityQuery(outcomes=("failure",)), 0, 50)
    assert [(e.post_id, e.kind) for e in failures] == [(failing, EventKind.FAILED)]
    offsite = activity.page(engine, user, ActivityQuery(search="offsite"), 0, 50)
    assert {e.post_id for e in offsite} == {published}
    assert offsite[0].post_label == "Team offsite"
    assert activity.count(engine, user, ActivityQuery()) == 4
    newest_first = activity.page(engine, user, ActivityQuery(), 0, 2)
    rest = activity.page(engine, user, ActivityQuery(), 2, 2)
    assert [e.kind for e in newest_first + rest] == [
        EventKind.PUBLISHED,
        EventKind.ATTEMPT,
        EventKind.FAILED,
        EventKind.ATTEMPT,
    ]

"""The publisher stays truthful when LinkedIn behaves oddly or a send outlasts the stale rule."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import MAY_HAVE_PUBLISHED, Outcome, PassResult
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, Desk, make_desk


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    return make_desk(engine, user_id, linkedin_server)


def test_an_answer_we_do_not_understand_retries_that_post_and_the_pass_goes_on(
    desk: Desk, tmp_path: Path
) -> None:
    image = tmp_path / "a.gif"
    image.write_bytes(b"GIF89a" + (10).to_bytes(2, "little") * 2 + b"\0")
    # A proxy or a changed API answers 200 with a body that is not LinkedIn's upload ticket.
    desk.server.inject("POST", "/rest/images", status=200, body={"unexpected": True})
    with_image = desk.due_post("pic", late=timedelta(minutes=3), image_path=str(image))
    plain = desk.due_post("plain text", late=timedelta(minutes=1))

    results = {r.post_id: r for r in desk.run().results}

    assert results[with_image].outcome is Outcome.RETRY  # nothing was posted: safe to retry
    assert desk.post(with_image).status == PostStatus.SCHEDULED
    assert desk.post(with_image).retry_count == 1
    assert results[plain].outcome is Outcome.PUBLISHED  # the odd answer stalled nothing else
    assert [p.commentary for p in desk.server.posts] == ["plain text"]


def test_a_201_that_arrives_after_the_stale_rule_still_records_the_post_as_published(
    desk: Desk,
) -> None:
    # LinkedIn stores the post at once but answers late (a slow uplink); meanwhile another pass
    # (`linkie publish-due`, six minutes on) sees the post stuck in `publishing`.
    desk.server.inject("POST", POSTS_PATH, delay_s=2.0)
    post_id = desk.due_post()
    first: list[PassResult] = []
    sending = threading.Thread(target=lambda: first.append(desk.run(request_deadline_s=10)))
    sending.start()
    deadline = time.monotonic() + 10
    while desk.sent_posts() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    [stale] = desk.run(NOW + timedelta(minutes=6)).results
    assert stale.detail == MAY_HAVE_PUBLISHED and desk.post(post_id).status == PostStatus.FAILED
    sending.join(timeout=15)

    post = desk.post(post_id)
    assert (post.status, post.linkedin_post_urn) == (
        PostStatus.PUBLISHED,
        desk.server.posts[0].urn,
    )  # LinkedIn's answer wins: a Retry now would have posted it twice
    assert first[0].results[0].outcome is Outcome.PUBLISHED
    assert desk.sent_posts() == 1

"""The first comment: sent right after its post is created, as plain text, at most once; a comment
that fails never re-sends its post, and Retry comment sends it once at the next pass."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.post_content import CommentStatus
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import COMMENT_HELD_BY_HAND
from linkie_desktop.services.publisher import CommentOutcome, Outcome
from linkie_desktop.services.publisher_comment import COMMENT_MAY_HAVE_POSTED, COMMENT_SENDING
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW
from tests.integration.services.publisher_media_support import (
    COMMENTS_PATH,
    MediaDesk,
    make_media_desk,
)

# Reserved characters of little text: a comment is plain text, so none of them is escaped.
COMMENT = "Link in here: https://example.com/a_b (thanks @team) #launch *really*"


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


def _comments_sent(media: MediaDesk) -> int:
    return len(media.server.requests_to("POST", COMMENTS_PATH))


def test_the_first_comment_follows_the_post_as_plain_text(media: MediaDesk) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    assert result.comment is not None and result.comment.outcome is CommentOutcome.PUBLISHED
    [stored_post] = media.server.posts
    [comment] = media.server.comments
    assert (comment.text, comment.post_urn) == (COMMENT, stored_post.urn)
    [request] = media.server.requests_to("POST", COMMENTS_PATH)
    assert request.json()["message"] == {"text": COMMENT}
    post = media.row(post_id)
    assert (post.first_comment_status, post.first_comment_urn, post.first_comment_error) == (
        CommentStatus.PUBLISHED,
        comment.urn,
        None,
    )
    paths = [r.path for r in media.server.requests]
    assert paths.index("/rest/posts") < len(paths) - 1  # the comment came after the post
    assert media.run(NOW + timedelta(minutes=5)).results == []
    assert _comments_sent(media) == 1


def test_a_comment_500_leaves_the_post_published_and_retry_comment_sends_it_once(
    media: MediaDesk,
) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    media.server.inject("POST", COMMENTS_PATH, 500)
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    assert result.comment is not None and result.comment.outcome is CommentOutcome.FAILED
    assert "HTTP 500" in result.comment.detail and "Retry comment" in result.comment.detail
    post = media.row(post_id)
    assert (post.status, post.first_comment_status) == (PostStatus.PUBLISHED, "failed")
    assert post.first_comment_error == result.comment.detail
    assert media.server.comments == [] and len(media.creates()) == 1

    assert media.run(NOW + timedelta(minutes=1)).results == []  # never resent by itself
    record = media.service.retry_comment(post_id)
    assert record.post_content.first_comment is not None
    assert record.post_content.first_comment.status is CommentStatus.PENDING

    [again] = media.run(NOW + timedelta(minutes=2)).results
    assert again.comment_only and again.comment is not None
    assert again.comment.outcome is CommentOutcome.PUBLISHED
    assert [c.text for c in media.server.comments] == [COMMENT]
    assert len(media.creates()) == 1  # the post was never sent again
    assert media.row(post_id).first_comment_status == CommentStatus.PUBLISHED
    media.run(NOW + timedelta(minutes=3))
    assert _comments_sent(media) == 2  # the failed one and the retried one, nothing more


def test_a_comment_answer_lost_after_sending_is_never_resent_automatically(
    media: MediaDesk,
) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    # LinkedIn adds the comment, then its answer comes after the client's 2 s deadline.
    media.server.inject("POST", COMMENTS_PATH, delay_s=3.0)
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    assert result.comment is not None
    assert (result.comment.outcome, result.comment.detail) == (
        CommentOutcome.FAILED,
        COMMENT_MAY_HAVE_POSTED,
    )
    post = media.row(post_id)
    assert (post.first_comment_status, post.first_comment_error) == (
        "failed",
        COMMENT_MAY_HAVE_POSTED,
    )
    for minutes in (1, 10, 60):
        media.run(NOW + timedelta(minutes=minutes))
    assert _comments_sent(media) == 1 and len(media.creates()) == 1


def test_a_comment_left_sending_by_a_dead_pass_is_given_up_as_maybe_posted(
    media: MediaDesk,
) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    with transaction(media.engine) as session:  # as a pass that died mid-request leaves it
        post = session.get(Post, post_id)
        assert post is not None
        post.status = PostStatus.PUBLISHED
        post.linkedin_post_urn = "urn:li:share:1"
        post.first_comment_status = COMMENT_SENDING
        post.updated_at = NOW
    assert media.run(NOW + timedelta(minutes=4)).results == []
    [result] = media.run(NOW + timedelta(minutes=5)).results
    assert result.comment is not None and result.comment.detail == COMMENT_MAY_HAVE_POSTED
    assert media.row(post_id).first_comment_status == "failed"
    assert _comments_sent(media) == 0


def test_a_401_on_the_comment_keeps_it_pending_until_the_user_reconnects(
    media: MediaDesk,
) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    media.server.inject("POST", COMMENTS_PATH, 401)
    result = media.run()
    [published] = result.results
    assert published.comment is not None and published.comment.outcome is CommentOutcome.RETRY
    assert result.reconnect_needed
    assert media.row(post_id).first_comment_status == CommentStatus.PENDING
    assert media.run(NOW + timedelta(minutes=1)).results == []  # waits for the user
    media.desk.connect()
    [sent] = media.run(NOW + timedelta(minutes=2)).results
    assert sent.comment is not None and sent.comment.outcome is CommentOutcome.PUBLISHED
    assert len(media.server.comments) == 1 and len(media.creates()) == 1


def test_a_post_that_failed_gets_its_comment_when_it_is_finally_created(
    media: MediaDesk,
) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    media.server.inject("POST", "/rest/posts", 503)
    [retry] = media.run().results
    assert retry.outcome is Outcome.RETRY and retry.comment is None
    assert _comments_sent(media) == 0
    [published] = media.run(NOW + timedelta(minutes=1)).results
    assert published.comment is not None and published.comment.outcome is CommentOutcome.PUBLISHED
    assert media.row(post_id).first_comment_status == CommentStatus.PUBLISHED


def test_marking_a_post_published_by_hand_never_comments_by_itself(media: MediaDesk) -> None:
    post_id = media.post("Big news", first_comment=COMMENT)
    media.server.inject("POST", "/rest/posts", drop=True)  # sent, no answer: may be published
    [failed] = media.run().results
    assert failed.outcome is Outcome.FAILED
    media.service.mark_published(post_id, "urn:li:share:7100000000000000001")
    post = media.row(post_id)
    assert (post.first_comment_status, post.first_comment_error) == ("failed", COMMENT_HELD_BY_HAND)
    assert media.run(NOW + timedelta(minutes=1)).results == []
    assert _comments_sent(media) == 0


def test_retry_comment_is_refused_where_it_cannot_apply(media: MediaDesk) -> None:
    draft = media.service.add("No comment here")
    with pytest.raises(ValidationError, match="after its post is published"):
        media.service.retry_comment(draft.id)
    post_id = media.post("Big news", first_comment=COMMENT)
    media.run()
    with pytest.raises(ValidationError, match="Only a failed first comment"):
        media.service.retry_comment(post_id)

"""A post's first comment over real HTTP: plain text as typed, 201 only, at most once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from linkie_desktop.services.linkedin import LinkedInClient, Rejected, ServerError
from linkie_desktop.services.linkedin_comments import CommentOutcomeUnknown
from tests.fakes.linkedin_server import FakeLinkedIn

TEXT = "Link: https://x.y/a_b (c) #tag"


@pytest.fixture
def client(linkedin_server: FakeLinkedIn) -> Iterator[LinkedInClient]:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 5.0) as http:
        yield http


@pytest.fixture
def author(linkedin_server: FakeLinkedIn) -> str:
    return f"urn:li:person:{linkedin_server.profile['sub']}"


@pytest.fixture
def post_urn(client: LinkedInClient, author: str) -> str:
    urn = client.create_post(author, "The post")
    assert urn is not None
    return urn


def test_the_comment_arrives_as_typed_without_backslashes(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, post_urn: str
) -> None:
    urn = client.create_comment(post_urn, author, TEXT)

    [comment] = linkedin_server.comments
    assert (comment.urn, comment.post_urn, comment.actor, comment.text) == (
        urn,
        post_urn,
        author,
        TEXT,
    )
    [request] = linkedin_server.requests_to("POST", "/rest/socialActions/*")
    assert request.json() == {"actor": author, "object": post_urn, "message": {"text": TEXT}}
    assert "\\" not in request.body.decode()
    assert request.path == f"/rest/socialActions/{post_urn.replace(':', '%3A')}/comments"


def test_a_timeout_after_sending_is_its_own_never_resend_error(
    linkedin_server: FakeLinkedIn, author: str
) -> None:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 0.5) as client:
        post_urn = client.create_post(author, "The post")
        assert post_urn is not None
        linkedin_server.inject("POST", "/rest/socialActions/*", delay_s=3.0)
        with pytest.raises(CommentOutcomeUnknown, match="may have been added") as caught:
            client.create_comment(post_urn, author, TEXT)
    assert caught.value.may_have_commented and not caught.value.may_have_published
    assert len(linkedin_server.comments) == 1  # LinkedIn added it; the client never heard


@pytest.mark.parametrize("status", [200, 202, 204])
def test_only_201_is_added_any_other_success_is_an_unknown_outcome(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, post_urn: str, status: int
) -> None:
    linkedin_server.inject("POST", "/rest/socialActions/*", status)
    with pytest.raises(CommentOutcomeUnknown, match=f"HTTP {status}"):
        client.create_comment(post_urn, author, TEXT)


def test_a_server_error_is_a_plain_retryable_error(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, post_urn: str
) -> None:
    linkedin_server.inject("POST", "/rest/socialActions/*", 500)
    with pytest.raises(ServerError):
        client.create_comment(post_urn, author, TEXT)
    assert client.create_comment(post_urn, author, TEXT) is not None


def test_a_comment_on_a_post_that_does_not_exist_is_refused(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    with pytest.raises(Rejected) as caught:
        client.create_comment("urn:li:share:1", author, TEXT)
    assert caught.value.status == 404 and linkedin_server.comments == []


def test_a_comment_over_1250_characters_is_refused(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, post_urn: str
) -> None:
    with pytest.raises(Rejected, match="1250"):
        client.create_comment(post_urn, author, "x" * 1251)
    client.create_comment(post_urn, author, "x" * 1250)
    assert len(linkedin_server.comments) == 1

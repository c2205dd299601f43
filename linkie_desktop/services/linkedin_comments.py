"""A post's first comment (LINKEDIN-API.md, Comments): sent as plain text, at most once.

A comment is not little text: LinkedIn shows a comment's characters as they arrive, so escaping
would show readers the backslashes (a known bug of other schedulers); the text goes as typed.

Like a post, a comment must never be sent twice by itself: when the request went out and no
clear answer came back (a timeout after sending, a 2xx that is not 201) it may be on LinkedIn, so
that is its own error, `CommentOutcomeUnknown`, never a retryable one. Every other error is the
client's usual type; none of them says anything about the post, which is already published.
"""

from __future__ import annotations

from urllib.parse import quote

from linkie_desktop.services.linkedin_answers import (
    CREATED,
    POST_ID_HEADERS,
    AmbiguousOutcome,
    LinkedInError,
    LinkedInSender,
    UnexpectedAnswer,
)

MAX_COMMENT_CHARS = 1250


class CommentOutcomeUnknown(LinkedInError):  # noqa: N818 - named after what happened
    """The comment request went out and no clear answer came back: the comment may be on
    LinkedIn. Never resent automatically; the user checks and decides."""

    may_have_commented = True


def create_comment(client: LinkedInSender, post_urn: str, actor_urn: str, text: str) -> str | None:
    """Add `text`, as typed, as a comment of `actor_urn` on `post_urn`; the comment's URN if
    LinkedIn gave it. Only a 201 counts as added."""
    what = "Adding the first comment"
    try:
        response, _ = client._send(
            "POST",
            f"{client.api_base}/rest/socialActions/{quote(post_urn, safe='')}/comments",
            what=what,
            expected=CREATED,
            publishes=True,  # at most once: an answer lost after sending is not a "retry"
            headers=client._rest_headers(),
            json={"actor": actor_urn, "object": post_urn, "message": {"text": text}},
        )
    except (AmbiguousOutcome, UnexpectedAnswer) as exc:
        if not exc.may_have_published:
            raise
        said = (
            f"HTTP {exc.status}"
            if isinstance(exc, UnexpectedAnswer)
            else type(exc.__cause__).__name__
        )
        raise CommentOutcomeUnknown(
            f"{what}: LinkedIn gave no clear answer after the comment was sent ({said}); it may "
            "have been added. Check the post on LinkedIn before sending it again."
        ) from exc
    for header in POST_ID_HEADERS:
        if response.headers.get(header):
            return response.headers[header]
    return None

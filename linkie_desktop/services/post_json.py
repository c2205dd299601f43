"""A post as JSON, the one shape `linkie posts list --json` prints and the MCP server's tools
return (agents and scripts read the same fields)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from linkie_desktop.services.posts import PostRecord, PostService


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def post_as_json(post: PostRecord, service: PostService) -> dict[str, Any]:
    content = post.post_content
    poll, link, comment = content.poll, content.link, content.first_comment
    return {
        "id": post.id,
        "title": post.title,
        "content": post.content,
        "status": post.status,
        "scheduled_at": _iso(post.scheduled_at),
        "published_at": _iso(post.published_at),
        "linkedin_post_urn": post.linkedin_post_urn,
        "retry_count": post.retry_count,
        "error_message": post.error_message,
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
        "visibility": content.visibility.value,
        "media": [
            {
                "kind": m.kind.value,
                "path": str(service.media_path(m.path)),
                "alt_text": m.alt_text,
                "title": m.title,
                "urn": m.urn,
            }
            for m in content.media
        ],
        "poll": (
            {"question": poll.question, "options": list(poll.options), "days": poll.days}
            if poll
            else None
        ),
        "link": (
            {"url": link.url, "title": link.title, "description": link.description}
            if link
            else None
        ),
        "first_comment": (
            {
                "text": comment.text,
                "status": comment.status.value,
                "urn": comment.urn,
                "error": comment.error,
            }
            if comment
            else None
        ),
    }

"""A post's content beyond its text, between its database rows and plain values (no Qt).

`content_of` reads a post's columns and media rows into a `PostContent`; the `*_columns`
functions write one back as the columns services/posts.py stores; `Attachments` is what a new
post carries, checked before anything is copied; `restored_row` puts a media row back as it was
(Undo of a delete).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from linkie_desktop.db import queries
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.post_content import (
    CommentStatus,
    FirstComment,
    LinkCard,
    MediaItem,
    MediaKind,
    Poll,
    PostContent,
    Visibility,
    check_image_count,
    validate_alt_text,
    validate_link_card,
    validate_media_title,
    validate_poll,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.post_files import FileCopy, NewFile

_E = TypeVar("_E", Visibility, CommentStatus)


def enum_or(kind: type[_E], value: str | None, fallback: _E) -> _E:
    """A stored name as its enum; a value another program wrote that we do not know: fallback."""
    try:
        return kind(value) if value is not None else fallback
    except ValueError:
        return fallback


def _media_item(row: PostMedia) -> MediaItem | None:
    try:
        kind = MediaKind(row.kind)
    except ValueError:  # a kind a newer version or another tool wrote: not ours to show
        return None
    return MediaItem(
        id=row.id,
        kind=kind,
        path=row.path,
        position=row.position,
        alt_text=row.alt_text,
        title=row.title,
        urn=row.urn,
        size_bytes=row.size_bytes,
        pages=row.pages,
        duration_s=row.duration_ms / 1000 if row.duration_ms is not None else None,
        uploaded_bytes=row.uploaded_bytes,
        upload_error=row.upload_error,
    )


def _poll_options(stored: str | None) -> tuple[str, ...]:
    try:
        options = json.loads(stored or "[]")
    except ValueError:
        return ()
    return tuple(o for o in options if isinstance(o, str)) if isinstance(options, list) else ()


def content_of(post: Post) -> PostContent:
    """A post's content beyond its text, from its columns and its media rows, as a plain value."""
    media = tuple(item for row in post.media if (item := _media_item(row)) is not None)
    poll = None
    if post.poll_question is not None:
        poll = Poll(post.poll_question, _poll_options(post.poll_options_json), post.poll_days or 0)
    link = None
    if post.link_url:
        link = LinkCard(
            url=post.link_url,
            title=post.link_title or "",
            description=post.link_description,
            thumbnail_path=post.link_thumbnail_path,
            thumbnail_urn=post.link_thumbnail_urn,
        )
    comment = None
    if post.first_comment_text:
        comment = FirstComment(
            text=post.first_comment_text,
            status=enum_or(CommentStatus, post.first_comment_status, CommentStatus.PENDING),
            urn=post.first_comment_urn,
            error=post.first_comment_error,
        )
    return PostContent(
        visibility=enum_or(Visibility, post.visibility, Visibility.PUBLIC),
        media=media,
        poll=poll,
        link=link,
        first_comment=comment,
    )


@dataclass(frozen=True)
class Attachments:
    """What a new post carries besides its text, for `PostService.add`: at most one kind."""

    images: Sequence[tuple[Path, str | None]] = ()  # (file, alt text), in order
    document: tuple[Path, str] | None = None  # (file, title)
    video: tuple[Path, str] | None = None  # (file, title)
    poll: Poll | None = None
    link: LinkCard | None = None  # its url, title and description
    link_thumbnail: Path | None = None

    def files(self) -> list[NewFile]:
        """The files to copy, checked for one kind of attachment and their texts' limits."""
        given = [
            kind
            for kind, present in (
                ("images", bool(self.images)),
                ("a document", self.document is not None),
                ("a video", self.video is not None),
                ("a poll", self.poll is not None),
                ("a link card", self.link is not None),
            )
            if present
        ]
        if len(given) > 1:
            raise ValidationError(
                f"A post holds one kind of attachment: {' and '.join(given)} cannot go together."
            )
        if self.link_thumbnail is not None and self.link is None:
            raise ValidationError("A thumbnail belongs to a link card: add the link too.")
        if self.images:
            check_image_count(0, len(self.images))
            return image_files([p for p, _ in self.images], [a for _, a in self.images])
        files = []
        for kind, chosen in ((MediaKind.DOCUMENT, self.document), (MediaKind.VIDEO, self.video)):
            if chosen is not None:
                files.append(NewFile(kind, chosen[0], title=validate_media_title(chosen[1], kind)))
        return files

    def columns(self, thumbnail: FileCopy | None) -> queries.PostChanges:
        poll = self.poll and validate_poll(self.poll.question, self.poll.options, self.poll.days)
        link = self.link and validate_link_card(
            self.link.url, self.link.title, self.link.description
        )
        if link is not None and thumbnail is not None:
            link = replace(link, thumbnail_path=thumbnail.path.name)
        columns = poll_columns(poll)
        columns.update(link_columns(link))
        return columns


def restored_row(item: MediaItem, user_id: str) -> PostMedia:
    return PostMedia(
        id=item.id,
        user_id=user_id,
        position=item.position,
        kind=item.kind.value,
        path=item.path,
        alt_text=item.alt_text,
        title=item.title,
        urn=item.urn,
        size_bytes=item.size_bytes,
        pages=item.pages,
        duration_ms=round(item.duration_s * 1000) if item.duration_s is not None else None,
        uploaded_bytes=item.uploaded_bytes,
        upload_error=item.upload_error,
    )


def image_files(sources: Sequence[Path], alt_texts: Sequence[str | None]) -> list[NewFile]:
    if not sources:
        raise ValidationError("Choose at least one image to attach.")
    if len(alt_texts) > len(sources):
        raise ValueError(f"{len(alt_texts)} alt texts for {len(sources)} images")
    alts = [validate_alt_text(a) for a in alt_texts]
    alts += [None] * (len(sources) - len(alts))
    return [NewFile(MediaKind.IMAGE, Path(s), alt) for s, alt in zip(sources, alts, strict=True)]


def poll_columns(poll: Poll | None) -> queries.PostChanges:
    return {
        "poll_question": poll.question if poll else None,
        "poll_options_json": json.dumps(list(poll.options), ensure_ascii=False) if poll else None,
        "poll_days": poll.days if poll else None,
    }


def link_columns(link: LinkCard | None) -> queries.PostChanges:
    return {
        "link_url": link.url if link else None,
        "link_title": link.title if link else None,
        "link_description": link.description if link else None,
        "link_thumbnail_path": link.thumbnail_path if link else None,
        "link_thumbnail_urn": link.thumbnail_urn if link else None,
    }


def comment_columns(comment: FirstComment | None) -> queries.PostChanges:
    return {
        "first_comment_text": comment.text if comment else None,
        "first_comment_status": comment.status.value if comment else None,
        "first_comment_urn": comment.urn if comment else None,
        "first_comment_error": comment.error if comment else None,
    }


def content_columns(content: PostContent) -> queries.PostChanges:
    columns: queries.PostChanges = {"visibility": content.visibility.value}
    columns.update(poll_columns(content.poll))
    columns.update(link_columns(content.link))
    columns.update(comment_columns(content.first_comment))
    return columns

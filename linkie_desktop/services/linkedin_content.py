"""What a post carries besides its text, as the Posts API's `content` (LINKEDIN-API.md, Content
kinds): one kind per post, each a frozen value that knows its JSON.

These hold URNs of media already uploaded (services/linkedin_media.py uploads them). They check
only what makes the value that kind at all (a multi-image post has 2 to 20 images, a poll 2 to 4
options and one of LinkedIn's four durations), so no request LinkedIn would refuse for its shape
leaves; the limits a user can fix (sizes, lengths, pages) are checked before, in
domain/post_content.py, whose numbers these use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkie_desktop.domain.post_content import (
    MAX_IMAGES,
    MAX_POLL_OPTIONS,
    MIN_POLL_OPTIONS,
    POLL_DURATIONS,
)
from linkie_desktop.domain.posts import ValidationError

MULTI_IMAGE_COUNT = range(2, MAX_IMAGES + 1)  # one image is a `media`, not a `multiImage`
POLL_OPTION_COUNT = range(MIN_POLL_OPTIONS, MAX_POLL_OPTIONS + 1)


@dataclass(frozen=True)
class ImageContent:
    """One image (`urn:li:image:…`) with its optional alt text."""

    urn: str
    alt_text: str | None = None

    def _entry(self) -> dict[str, str]:
        entry = {"id": self.urn}
        if self.alt_text:
            entry["altText"] = self.alt_text
        return entry

    def body(self) -> dict[str, Any]:
        return {"media": self._entry()}


@dataclass(frozen=True)
class MultiImageContent:
    """2 to 20 images, shown in this order."""

    images: tuple[ImageContent, ...]

    def __post_init__(self) -> None:
        if len(self.images) not in MULTI_IMAGE_COUNT:
            raise ValidationError(
                f"A post with several images takes 2 to {MAX_IMAGES} of them; this one has "
                f"{len(self.images)}."
            )

    def body(self) -> dict[str, Any]:
        return {"multiImage": {"images": [image._entry() for image in self.images]}}


@dataclass(frozen=True)
class DocumentContent:
    """One uploaded document (`urn:li:document:…`), shown under its title."""

    urn: str
    title: str

    def body(self) -> dict[str, Any]:
        return {"media": {"id": self.urn, "title": self.title}}


@dataclass(frozen=True)
class VideoContent:
    """One uploaded video (`urn:li:video:…`); LinkedIn takes it only once it is AVAILABLE."""

    urn: str
    title: str

    def body(self) -> dict[str, Any]:
        return {"media": {"id": self.urn, "title": self.title}}


@dataclass(frozen=True)
class PollContent:
    """A question, 2 to 4 options, open for 1, 3, 7 or 14 days."""

    question: str
    options: tuple[str, ...]
    days: int

    def __post_init__(self) -> None:
        if len(self.options) not in POLL_OPTION_COUNT:
            raise ValidationError(
                f"A poll has {MIN_POLL_OPTIONS} to {MAX_POLL_OPTIONS} options; this one has "
                f"{len(self.options)}."
            )
        if self.days not in POLL_DURATIONS:
            *first, last = POLL_DURATIONS
            days = ", ".join(str(d) for d in first) + f" or {last}"
            raise ValidationError(f"A poll runs for {days} days, not {self.days}.")

    def body(self) -> dict[str, Any]:
        return {
            "poll": {
                "question": self.question,
                "options": [{"text": option} for option in self.options],
                "settings": {"duration": POLL_DURATIONS[self.days]},
            }
        }


@dataclass(frozen=True)
class ArticleContent:
    """A link card: LinkedIn does not fetch the page for API posts, so everything shown is here;
    the thumbnail is an image uploaded through the Images API."""

    source: str
    title: str
    description: str | None = None
    thumbnail_urn: str | None = None

    def body(self) -> dict[str, Any]:
        article = {"source": self.source, "title": self.title}
        if self.description:
            article["description"] = self.description
        if self.thumbnail_urn is not None:
            article["thumbnail"] = self.thumbnail_urn
        return {"article": article}


PostContent = (
    ImageContent | MultiImageContent | DocumentContent | VideoContent | PollContent | ArticleContent
)

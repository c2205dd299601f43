"""The composer's editors of a post's format (images strip, document and video cards, poll, link
card), each built the first time it is needed: when the user adds that kind, or when a post shown
carries it.

Most posts are text, and a post holds one kind at most, so building all five at the composer's
first show cost the Drafts tab's first switch time (and the imports they bring) for editors
nobody looks at (issue 13). Once built, an editor stays and is shown every post's content like
the composer's other pieces, so it hides itself for a post without its kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from linkie_desktop.domain.post_content import MediaKind, PostContent


class ContentEditor(Protocol):
    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        """Show `content` (editable or not; `waiting`: the keys of its changes not yet saved)."""


Editor = TypeVar("Editor", bound=ContentEditor)


class OnDemand(Generic[Editor]):
    """One editor: `make` builds it (and places it in the composer) at its first use."""

    def __init__(
        self, make: Callable[[], Editor], carried_by: Callable[[PostContent], bool]
    ) -> None:
        self._make = make
        self._carried_by = carried_by
        self._built: Editor | None = None

    @property
    def built(self) -> Editor | None:
        """The editor if it was needed already; None costs nothing."""
        return self._built

    def get(self) -> Editor:
        if self._built is None:
            self._built = self._make()
        return self._built

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        if self._built is not None or self._carried_by(content):
            self.get().show_content(content, editable, waiting)


def has_images(content: PostContent) -> bool:
    return bool(content.images)


def has_media(kind: MediaKind) -> Callable[[PostContent], bool]:
    return lambda content: any(item.kind is kind for item in content.media)


def has_poll(content: PostContent) -> bool:
    return content.poll is not None


def has_link(content: PostContent) -> bool:
    return content.link is not None

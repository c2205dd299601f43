"""How the composer's pieces (attachments strip, media cards, poll, link card, first comment,
visibility) change a post: each hands the composer one `ContentChange`, and the composer sends it
with the text on its one save path (autosave timer, `flush()`, the database worker).

A change is a call of PostService for the post's id. It is kept under a key: a newer change of the
same thing (the alt text typed on) replaces the one still waiting, so only the last is written.
Changes the user makes with a click go at once (`at_once`); typed ones wait for the autosave
timer like the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from linkie_desktop.domain.post_content import PostContent
from linkie_desktop.services.posts import PostRecord, PostService

# On the database worker: the change, for the post with this id; ValidationError is a refusal.
ServiceCall = Callable[[PostService, str], PostRecord]
# Told how the change ended, on the GUI thread: "" when written, else the refusal in plain words.
Done = Callable[[str], None]


@dataclass(frozen=True)
class ContentChange:
    key: str  # what it changes ("alt:<media id>", "poll", "comment"): the newest one wins
    call: ServiceCall
    done: Done | None = None


class ChangeSink(Protocol):
    """The composer, as its pieces see it."""

    def change(self, change: ContentChange, *, at_once: bool = False) -> bool:
        """Queue `change` (True), or refuse it at once (False: the post cannot be changed)."""
        ...

    def say(self, message: str) -> None:
        """Show a plain-words message in the composer's message area ("": clear it)."""
        ...


class ContentView(Protocol):
    """A piece that shows part of the post's content."""

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        """Show `content` as stored; `waiting` are the keys of changes not yet written, whose
        fields keep what the user typed."""
        ...

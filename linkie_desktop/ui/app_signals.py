"""One hub of app-wide signals: tabs refresh from what changed instead of polling each other.

Whoever changes posts (a tab, a dialog, the publisher driver) announces it with `announce_posts`:
the ids it touched (none means "anything may have changed") and itself as the initiator. Every
view listens to `posts_changed` and refreshes, except the initiator, which already shows what it
wrote (as Anki's `operation_did_execute(changes, handler)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class PostsChanged:
    post_ids: tuple[str, ...]  # () = anything may have changed: reload everything
    initiator: object | None = None  # who made the change; None: outside this window's views

    @property
    def everything(self) -> bool:
        return not self.post_ids

    def concerns(self, post_id: str | None) -> bool:
        """True when `post_id` may be among the changed posts."""
        return self.everything or (post_id is not None and post_id in self.post_ids)

    def echoes(self, view: object) -> bool:
        """True for the view that made the change: it need not re-read what it just wrote."""
        return self.initiator is not None and self.initiator is view


class AppSignals(QObject):
    posts_changed = Signal(object)  # PostsChanged
    connection_changed = Signal()  # LinkedIn connected / expired / disconnected
    preferences_changed = Signal()
    open_post_requested = Signal(str)  # post id: show it in the Drafts composer
    notify = Signal(str, str)  # (title, message) for the tray / status bar

    def announce_posts(self, post_ids: Iterable[str] = (), initiator: object | None = None) -> None:
        self.posts_changed.emit(PostsChanged(tuple(post_ids), initiator))

"""One hub of app-wide signals: tabs refresh from what changed instead of polling each other.

Whoever changes posts (a tab, a dialog, the publisher driver) emits `posts_changed` with the ids it
touched (an empty list means "anything may have changed"); every view listens and refreshes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    posts_changed = Signal(list)  # list[str] of post ids; [] = reload everything
    connection_changed = Signal()  # LinkedIn connected / expired / disconnected
    preferences_changed = Signal()
    open_post_requested = Signal(str)  # post id: show it in the Drafts composer
    notify = Signal(str, str)  # (title, message) for the tray / status bar

"""The window's desktop notifications: the notices of services/notifications.py shown on the
desktop off the GUI thread, their actions brought back to it.

A D-Bus call is quick but a stuck notification server could hold it for seconds, so notices go
out on the task runner's network pool, one after the other; each answer (taken or not) comes back
on the GUI thread, where the shell falls back to the tray when the desktop did not take it. A
click on an action arrives on the notifier's listener thread and crosses to the GUI thread
through a queued signal: Open asks the window to show the post, View on LinkedIn opens its page
in the browser.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices

from linkie_desktop.services.browser_handoff import Launcher
from linkie_desktop.services.notifications import (
    DEFAULT_ACTION,
    OPEN,
    VIEW_ON_LINKEDIN,
    DesktopNotifier,
    Notice,
    post_page_url,
)
from linkie_desktop.ui.tasks import TaskRunner


def open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


class WindowNotifications(QObject):
    open_post_requested = Signal(str)  # Open was pressed: show the window at this post
    _heard = Signal(object, str)  # (Notice, action), from the listener thread

    def __init__(
        self,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        bus: str = "SESSION",
        launcher: Launcher = open_in_browser,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("desktopNotifications")
        self._tasks = tasks
        self.launcher = launcher  # opens a post's page (a test hands in its own)
        self._heard.connect(self._act)
        self.notifier = DesktopNotifier(self._heard.emit, bus=bus)
        self._waiting: deque[tuple[Notice, Callable[[Notice], None]]] = deque()
        self._sending = False

    def show(self, notice: Notice, not_taken: Callable[[Notice], None]) -> None:
        """Send `notice` to the desktop; `not_taken(notice)` on the GUI thread if it refused.
        One at a time, so a pass's notices stack up on the desktop in the order they happened."""
        self._waiting.append((notice, not_taken))
        if not self._sending:
            self._send_next()

    def _send_next(self) -> None:
        if not self._waiting:
            self._sending = False
            return
        self._sending = True
        notice, not_taken = self._waiting.popleft()
        notifier = self.notifier

        def answered(taken: bool) -> None:
            if not taken:
                not_taken(notice)
            self._send_next()

        def failed(_why: str) -> None:
            not_taken(notice)
            self._send_next()

        self._tasks.run_network(lambda: notifier.show(notice), answered, failed, owner=self)

    @Slot(object, str)
    def _act(self, notice: Notice, action: str) -> None:
        if action in (OPEN, DEFAULT_ACTION) and notice.post_id is not None:
            self.open_post_requested.emit(notice.post_id)
        elif action == VIEW_ON_LINKEDIN and notice.post_urn:
            self.launcher(post_page_url(notice.post_urn))

    def close(self) -> None:
        self.notifier.close()

"""An inline message bar (like KDE's KMessageWidget): a sentence, maybe one action, a close button.

Used instead of modal boxes for things the user may ignore: "Post deleted — Undo", a bad image.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour


class MessageBar(QFrame):
    expired = Signal()  # hidden by its timer (not by the user or the action)

    def __init__(self, key: str) -> None:
        super().__init__()
        named(self, f"{key}MessageBar", "Message")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.text_label = named(QLabel(""), f"{key}MessageText", "Message text")
        self.text_label.setWordWrap(True)
        self.action_button = named(QPushButton(""), f"{key}MessageAction", "Message action")
        self.close_button = named(QToolButton(), f"{key}MessageClose", "Dismiss message")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self.hide_timer = QTimer(self)
        self.hide_timer.setObjectName(f"{key}-message-timer")
        self.hide_timer.setSingleShot(True)
        self.hide_timer.timeout.connect(self._expire)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.close_button.clicked.connect(self.dismiss)
        self.hide()

    def show_message(
        self,
        text: str,
        *,
        warning: bool = False,
        action: tuple[str, Callable[[], None]] | None = None,
        timeout_ms: int = 0,
    ) -> None:
        if self.hide_timer.isActive():
            self._expire()  # the previous message's time is over: let its owner finish up
        self.text_label.setText(text)
        colour = warning_colour(self.palette()).name() if warning else ""
        self.text_label.setStyleSheet(f"color: {colour};" if warning else "")
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setAccessibleName(action[0] if action else "Message action")
        self.action_button.setVisible(action is not None)
        self.show()
        if timeout_ms:
            self.hide_timer.start(timeout_ms)

    def dismiss(self) -> None:
        if self.hide_timer.isActive():
            self._expire()
        self.hide()

    def _expire(self) -> None:
        self.hide_timer.stop()
        self._action = None
        self.hide()
        self.expired.emit()

    def _run_action(self) -> None:
        action, self._action = self._action, None
        self.hide_timer.stop()
        self.hide()
        if action is not None:
            action()

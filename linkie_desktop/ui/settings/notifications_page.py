"""Settings › Notifications: which outcomes reach the desktop's notifications (every outcome,
only what needs the user, none) and whether Publish now asks first. The window and `linkie
serve` both read the choice (services/notifications.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from linkie_desktop.services.notifications import LEVEL_WORDS, NotificationLevel, level_of
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named

# Access keys clear of the dialog's tabs' (L, P, G, K, S, A, R, C, and F for this page).
_TEXTS = {
    NotificationLevel.ALL: "&Every outcome — published, failed, waiting for the connection",
    NotificationLevel.FAILURES: "Only &when something needs me — a failure, a reconnect",
    NotificationLevel.NONE: "N&one",
}
_KEYS = {
    NotificationLevel.ALL: "All",
    NotificationLevel.FAILURES: "Failures",
    NotificationLevel.NONE: "None",
}


class NotificationsPage(QWidget):
    def __init__(self, prefs: Preferences) -> None:
        super().__init__()
        self.setObjectName("notificationsPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addWidget(QLabel("Tell me on the desktop when Linkie publishes:"))
        self.group = QButtonGroup(self)
        self.choices: dict[NotificationLevel, QRadioButton] = {}
        chosen = level_of(prefs.notifications)
        for level, text in _TEXTS.items():
            button = named(QRadioButton(text), f"notifications{_KEYS[level]}", LEVEL_WORDS[level])
            button.setChecked(level is chosen)
            self.group.addButton(button)
            self.choices[level] = button
            layout.addWidget(button)
        layout.addWidget(
            note(
                "Notifications come from the background publisher too, while the window is "
                "closed. Each offers Open and, once the post is out, View on LinkedIn. While "
                "the window is in front, its status bar says it instead.",
                "notificationsNote",
            )
        )
        layout.addSpacing(Space.M)
        self.confirm_publish = named(
            QCheckBox("Ask &before Publish now sends a post to LinkedIn"),
            "confirmPublishNow",
            "Ask before Publish now",
            "Publish now first asks “Publish to LinkedIn now?” with who will see it",
        )
        self.confirm_publish.setChecked(prefs.confirm_publish_now)
        layout.addWidget(self.confirm_publish)
        layout.addStretch(1)

    def chosen(self) -> NotificationLevel:
        return next(
            (level for level, button in self.choices.items() if button.isChecked()),
            NotificationLevel.ALL,
        )

    def prefs_changes(self) -> dict[str, object]:
        return {
            "notifications": self.chosen().value,
            "confirm_publish_now": self.confirm_publish.isChecked(),
        }

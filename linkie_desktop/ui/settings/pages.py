"""The smaller Settings pages: posting defaults, start-up behaviour, AI keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, QTime, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSystemTrayIcon,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services import autostart, user_service
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.ui.drafts.visibility import chosen_visibility, visibility_box
from linkie_desktop.ui.settings.secret_field import SecretField
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour


def note(text: str, key: str, warning: bool = False) -> QLabel:
    label = named(QLabel(text), key, text)
    label.setWordWrap(True)
    colour = warning_colour() if warning else muted_colour()
    label.setStyleSheet(f"color: {colour.name()};")
    return label


def tray_is_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class PostingPage(QWidget):
    def __init__(self, prefs: Preferences, version_from_env: bool = False) -> None:
        super().__init__()
        self.setObjectName("postingPage")
        form = QFormLayout(self)
        self.time_edit = named(QTimeEdit(), "defaultPostTime", "Default posting time")
        self.time_edit.setDisplayFormat("HH:mm")
        when = prefs.default_time
        self.time_edit.setTime(QTime(when.hour, when.minute))
        form.addRow("Default posting &time:", self.time_edit)
        form.addRow(
            note(
                "A draft dropped on a calendar day is scheduled at this local time.",
                "defaultPostTimeNote",
            )
        )
        self.visibility_box = visibility_box(
            "defaultVisibility", "Who sees new posts", prefs.default_visibility
        )
        form.addRow("Who sees &new posts:", self.visibility_box)
        form.addRow(
            note(
                "Each post can say otherwise in the composer; this is what a new post starts with.",
                "defaultVisibilityNote",
            )
        )
        self.version_edit = named(
            QLineEdit(prefs.linkedin_version), "linkedinVersion", "LinkedIn API version"
        )
        self.version_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^20\d{2}(0[1-9]|1[0-2])$"))
        )
        self.version_edit.setPlaceholderText("YYYYMM")
        self.version_edit.setMaxLength(6)
        form.addRow("LinkedIn API &version:", self.version_edit)
        text = (
            "LinkedIn retires each API version about a year after it is released. If publishing "
            "fails with “version retired”, enter a newer month here (YYYYMM)."
        )
        if version_from_env:
            # The window names no environment variable: the user did not set one here.
            text += " This version was set when Linkie was started and overrides the value here."
        form.addRow(note(text, "linkedinVersionNote"))

    def validation_error(self) -> str | None:
        if not self.version_edit.hasAcceptableInput():
            return "The LinkedIn API version must be a month written YYYYMM, like 202511."
        return None

    def prefs_changes(self) -> dict[str, object]:
        return {
            "default_post_time": self.time_edit.time().toString("HH:mm"),
            "default_visibility": chosen_visibility(self.visibility_box),
            "linkedin_version": self.version_edit.text().strip(),
        }


class GeneralPage(QWidget):
    # Publish in the background was clicked: the shell installs or removes the user service.
    background_publishing_requested = Signal(bool)

    def __init__(
        self, prefs: Preferences, tray_available: Callable[[], bool] = tray_is_available
    ) -> None:
        super().__init__()
        self.setObjectName("generalPage")
        layout = QVBoxLayout(self)
        supported = autostart.is_supported()
        self.publish_in_background = named(
            QCheckBox("Publish in the &background when Linkie is closed"),
            "publishInBackground",
            "Publish in the background when Linkie is closed",
        )
        self.publish_in_background.setChecked(supported and user_service.is_installed())
        self.publish_in_background.setEnabled(supported)
        self.publish_in_background.clicked.connect(self.background_publishing_requested)
        layout.addWidget(self.publish_in_background)
        self.background_note = note(
            "A systemd user service runs linkie serve, the same publisher as this window, "
            "whenever you are logged in. Turning it on or off takes effect at once."
            if supported
            else "Publishing in the background is not supported on this system yet.",
            "publishInBackgroundNote",
        )
        layout.addWidget(self.background_note)
        self.start_at_login = named(
            QCheckBox("S&tart the background publisher when I log in"),
            "startAtLogin",
            "Start the background publisher when I log in",
        )
        self.start_at_login.setChecked(supported and autostart.is_enabled())
        self.start_at_login.setEnabled(supported)
        layout.addWidget(self.start_at_login)
        layout.addWidget(
            note(
                "At login Linkie starts its background publisher (linkie serve), not the window, "
                "so scheduled posts go out on days you never open it. Use it where the service "
                "above cannot run (a desktop without systemd user sessions)."
                if supported
                else "Starting at login is not supported on this system yet.",
                "startAtLoginNote",
            )
        )
        self.minimize_to_tray = named(
            QCheckBox("Keep running in the system tray when the window is closed"),
            "minimizeToTray",
            "Keep running in the system tray when the window is closed",
        )
        self.minimize_to_tray.setChecked(prefs.minimize_to_tray)
        layout.addWidget(self.minimize_to_tray)
        if not tray_available():
            layout.addWidget(
                note(
                    "Your desktop shows no tray: closing the window quits Linkie.",
                    "noTrayNote",
                    warning=True,
                )
            )
        layout.addStretch(1)

    def show_background_outcome(self, message: str) -> None:
        """What installing or removing the user service did, in its words."""
        self.background_note.setText(message)
        self.background_note.setAccessibleName(message)
        self.publish_in_background.setChecked(user_service.is_installed())

    def prefs_changes(self) -> dict[str, object]:
        return {
            "start_at_login": self.start_at_login.isChecked(),
            "minimize_to_tray": self.minimize_to_tray.isChecked(),
        }


class AiKeysPage(QWidget):
    def __init__(
        self, store: SecretStore, keyring_problem: str | None, prefs: Preferences | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("aiKeysPage")
        layout = QVBoxLayout(self)
        if keyring_problem:
            layout.addWidget(note(keyring_problem, "aiKeyringProblem", warning=True))
        form = QFormLayout()
        self.fields: dict[SecretName, SecretField] = {}
        for name, key, label, row in (
            (SecretName.ANTHROPIC_API_KEY, "anthropicKey", "Anthropic API key", "A&nthropic:"),
            (SecretName.GEMINI_API_KEY, "geminiKey", "Gemini API key", "G&emini:"),
        ):
            stored = keyring_problem is None and store.get(name) is not None
            field = SecretField(key, label, stored, keyring_problem is None)
            self.fields[name] = field
            form.addRow(row, field)
        prefs = prefs or Preferences()
        self.model_edits: dict[str, QLineEdit] = {}
        for pref, key, label, row, current in (
            ("anthropic_model", "anthropicModel", "Anthropic model", "Text &model:",
             prefs.anthropic_model),
            ("gemini_image_model", "geminiModel", "Gemini image model", "&Image model:",
             prefs.gemini_image_model),
        ):  # fmt: skip
            edit = named(QLineEdit(current), key, label)
            edit.setPlaceholderText(getattr(Preferences(), pref))
            self.model_edits[pref] = edit
            form.addRow(row, edit)
        layout.addLayout(form)
        layout.addWidget(
            note(
                "Keys are kept in your system keyring, never in Linkie's files. The Studio uses "
                "Anthropic for post text and Gemini for images; change a model's name when the "
                "vendor retires it (empty means the default shown).",
                "aiKeysNote",
            )
        )
        layout.addStretch(1)

    def prefs_changes(self) -> dict[str, object]:
        return {
            pref: edit.text().strip() or getattr(Preferences(), pref)
            for pref, edit in self.model_edits.items()
        }

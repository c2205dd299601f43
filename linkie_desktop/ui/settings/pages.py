"""The smaller Settings pages: posting defaults, start-up behaviour, AI keys."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QTime
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services import autostart
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
    def __init__(self, prefs: Preferences) -> None:
        super().__init__()
        self.setObjectName("generalPage")
        layout = QVBoxLayout(self)
        self.start_at_login = named(
            QCheckBox("Start Linkie when I log in"), "startAtLogin", "Start Linkie when I log in"
        )
        supported = autostart.is_supported()
        self.start_at_login.setChecked(supported and autostart.is_enabled())
        self.start_at_login.setEnabled(supported)
        layout.addWidget(self.start_at_login)
        layout.addWidget(
            note(
                "Linkie publishes only while it runs: starting at login keeps scheduled posts on "
                "time."
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
        layout.addStretch(1)

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

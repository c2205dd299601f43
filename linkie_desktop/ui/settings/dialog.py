"""The Settings dialog: LinkedIn connection, posting defaults, start-up, AI keys, snippets, agents,
appearance, schedule, backups, profile. OK applies, Cancel discards (Connect and Disconnect act at
once: they can't wait for OK)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services import autostart
from linkie_desktop.services.preferences import Preferences, PreferencesStore
from linkie_desktop.services.secrets import KeyringUnavailable, SecretName, SecretStore
from linkie_desktop.services.snippets import SnippetError, SnippetsFileDamaged, SnippetStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.settings.agents_page import AgentsPage
from linkie_desktop.ui.settings.appearance_page import AppearancePage
from linkie_desktop.ui.settings.linkedin_page import Confirm, LinkedInPage, OpenBrowser
from linkie_desktop.ui.settings.notifications_page import NotificationsPage
from linkie_desktop.ui.settings.pages import AiKeysPage, GeneralPage, PostingPage
from linkie_desktop.ui.settings.schedule_page import SchedulePage
from linkie_desktop.ui.settings.secret_field import SecretChange, SecretField
from linkie_desktop.ui.settings.snippets_page import SnippetsPage
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

log = logging.getLogger(__name__)


def open_in_system_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


class SettingsDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        store: SecretStore | None = None,
        open_browser: OpenBrowser = open_in_system_browser,
        confirm: Confirm | None = None,
        preferences: AppPreferences | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "settingsDialog", "Settings")
        self.setWindowTitle("Settings")
        self.workspace = workspace
        self.signals = signals
        # The tokens this window seals (Connect) are under the key of the person it acts as.
        self.store = store or SecretStore(user_id=workspace.user_id)
        # The window's one preferences object; a dialog made alone (a test) reads the file once.
        self.preferences = preferences or AppPreferences(
            PreferencesStore(workspace.config.data_dir), signals, self
        )
        self.prefs = self.preferences.current
        self.keyring_problem: str | None = None
        try:
            self.store.check_available()
        except KeyringUnavailable as exc:
            self.keyring_problem = str(exc)

        self.linkedin = LinkedInPage(
            workspace,
            self.prefs,
            self.store,
            self.keyring_problem,
            open_browser,
            confirm or self._ask,
            self._save_linkedin_now,
            tasks=tasks,
        )
        self.linkedin.connection_changed.connect(signals.connection_changed)
        self.posting = PostingPage(self.prefs, workspace.config.linkedin_version_from_env)
        self.general = GeneralPage(self.prefs)
        self.ai_keys = AiKeysPage(self.store, self.keyring_problem, self.prefs)
        self.snippets = SnippetsPage(SnippetStore(workspace.config.data_dir))

        self.tabs = named(QTabWidget(), "settingsTabs", "Settings pages")
        self.tabs.addTab(self.linkedin, "&LinkedIn")
        self.tabs.addTab(self.posting, "&Posting")
        self.tabs.addTab(self.general, "&General")
        self.tabs.addTab(self.ai_keys, "AI &keys")
        self.tabs.addTab(self.snippets, "&Snippets")
        self.agents = AgentsPage(self.prefs, workspace.config.database_url)
        self.tabs.addTab(self.agents, "&Agents")
        self.appearance = AppearancePage(self.prefs)
        self.tabs.addTab(self.appearance, "Appea&rance")
        self.notifications = NotificationsPage(self.prefs)
        self.tabs.addTab(self.notifications, "Noti&fications")
        self.schedule = SchedulePage(workspace, self.prefs, tasks)
        self.tabs.addTab(self.schedule, "Schedule && &queue")
        from linkie_desktop.db.migrate import sqlite_path  # Settings › Backups (issue 17)
        from linkie_desktop.ui.settings.backups_page import BackupsPage

        self.backups = BackupsPage(self.prefs, sqlite_path(workspace.config.database_url))
        # Every letter of "Backups" is another tab's or page's access key: Z is free.
        self.tabs.addTab(self.backups, "Backups (&Z)")
        from linkie_desktop.ui.settings.profile_page import ProfilePage  # (issue 19)

        self.profile = ProfilePage(workspace, self.prefs, tasks)
        # Every letter of "Profile" is taken too: J is the one left.
        self.tabs.addTab(self.profile, "Profile (&J)")

        self.error_label = named(QLabel(""), "settingsError", "Settings problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {warning_colour().name()};")
        self.error_label.hide()
        self.buttons = named(
            QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            ),
            "settingsButtons",
            "Apply or discard settings",
        )
        for which, key, text in (
            (QDialogButtonBox.StandardButton.Ok, "settingsOk", "Apply settings and close"),
            (QDialogButtonBox.StandardButton.Cancel, "settingsCancel", "Discard changes"),
        ):
            named(self.buttons.button(which), key, text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(660, 540)

    def _ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    # --- applying ---------------------------------------------------------------------------

    def _write_secret(self, name: SecretName, field: SecretField) -> None:
        kind, value = field.change()
        if kind is SecretChange.REPLACE:
            self.store.set(name, value)
        elif kind is SecretChange.REMOVE:
            self.store.delete(name)
        field.mark_saved()

    def _save(self, changes: dict[str, Any]) -> Preferences:
        prefs = self.prefs.with_changes(**changes)
        self.preferences.save(prefs)  # tells every view when something changed
        self.prefs = prefs
        return prefs

    def _save_linkedin_now(self) -> Preferences:
        """Connect needs the app's credentials stored before the browser opens."""
        if self.keyring_problem is None:
            self._write_secret(SecretName.LINKEDIN_CLIENT_SECRET, self.linkedin.secret_field)
        return self._save(self.linkedin.prefs_changes())

    def apply(self) -> bool:
        """Write every page; False (and the reason shown) when something can't be applied."""
        problem = self.posting.validation_error()
        if problem:
            return self._refuse(problem, self.posting)
        problem = self.snippets.validation_error()
        if problem:
            return self._refuse(problem, self.snippets)
        try:
            self.snippets.apply()
        except (SnippetError, SnippetsFileDamaged) as exc:
            return self._refuse(str(exc), self.snippets)
        except OSError as exc:
            return self._refuse(f"The snippets could not be saved: {exc}", self.snippets)
        changes = {
            **self.linkedin.prefs_changes(),
            **self.posting.prefs_changes(),
            **self.general.prefs_changes(),
            **self.ai_keys.prefs_changes(),
            **self.agents.prefs_changes(),
            **self.appearance.prefs_changes(),
            **self.notifications.prefs_changes(),
            **self.schedule.prefs_changes(),
            **self.backups.prefs_changes(),
            **self.profile.prefs_changes(),
        }
        try:
            if self.keyring_problem is None:
                self._write_secret(SecretName.LINKEDIN_CLIENT_SECRET, self.linkedin.secret_field)
                for name, field in self.ai_keys.fields.items():
                    self._write_secret(name, field)
            wanted = bool(changes["start_at_login"])
            if autostart.is_supported() and wanted != autostart.is_enabled():
                # The background publisher starts on the database this window works on.
                autostart.set_enabled(wanted, database_url=self.workspace.config.database_url)
            self._save(changes)
        except KeyringUnavailable as exc:
            return self._refuse(str(exc), self.ai_keys)
        except (OSError, autostart.AutostartUnsupportedError) as exc:
            return self._refuse(f"Settings could not be saved: {exc}", self.general)
        return True

    def _refuse(self, message: str, page: QWidget) -> bool:
        self.error_label.setText(message)
        self.error_label.show()
        self.tabs.setCurrentWidget(page)
        return False

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def done(self, result: int) -> None:
        # Closing (OK, Cancel, Esc, the window's ✕) ends a pending connect: its page is gone.
        self.linkedin.cancel_connect()
        super().done(result)

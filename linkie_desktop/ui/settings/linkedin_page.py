"""The LinkedIn page of Settings: the developer app's credentials, the redirect URL to register,
and Connect / Cancel / Disconnect with the connection's status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.config import ENV_OAUTH_PORT
from linkie_desktop.services import oauth
from linkie_desktop.services.browser_handoff import Launcher
from linkie_desktop.services.oauth import LOGIN_ERRORS, ConnectionInfo, LinkedInLogin
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.settings.secret_field import SecretField
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

OpenBrowser = Launcher  # address -> whether a browser was opened
Confirm = Callable[[str, str], bool]  # (title, question) -> yes?
SaveCredentials = Callable[[], Preferences]  # write the LinkedIn fields now; the saved prefs
T = TypeVar("T")


@dataclass(frozen=True)
class _Refused:
    """A step of signing in failed in a way the user can act on (keyring, LinkedIn, callback)."""

    message: str


def _in_words(work: Callable[[], T]) -> Callable[[], T | _Refused]:
    def run() -> T | _Refused:
        try:
            return work()
        except LOGIN_ERRORS as exc:
            return _Refused(str(exc))

    return run


class LinkedInPage(QWidget):
    connection_changed = Signal()
    status_shown = Signal()  # the connection's status on screen is fresh (tests wait on it)

    def __init__(
        self,
        workspace: Workspace,
        prefs: Preferences,
        store: SecretStore,
        keyring_problem: str | None,
        open_browser: OpenBrowser,
        confirm: Confirm,
        save_credentials: SaveCredentials,
        login_timeout_s: float = oauth.LOGIN_TIMEOUT_S,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("linkedinPage")
        self.workspace = workspace
        self.store = store
        self.keyring_problem = keyring_problem
        self.open_browser = open_browser
        self.confirm = confirm
        self.save_credentials = save_credentials
        self.login_timeout_s = login_timeout_s
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        self.login: LinkedInLogin | None = None  # an attempt under way (from start to finish)
        self.info: ConnectionInfo | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_connection_box())
        layout.addWidget(self._build_app_box(prefs))
        layout.addStretch(1)
        self.refresh_status()

    # --- building ---------------------------------------------------------------------------

    def _build_connection_box(self) -> QGroupBox:
        box = QGroupBox("Connection")
        self.status_label = named(QLabel(""), "linkedinStatus", "LinkedIn connection status")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setWordWrap(True)
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        self.message_label = named(QLabel(""), "linkedinMessage", "LinkedIn message")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.waiting_box = QWidget()
        self.waiting_box.setObjectName("linkedinWaiting")
        self.waiting_label = named(
            QLabel("Waiting for LinkedIn… Finish signing in in your browser."),
            "linkedinWaitingLabel",
            "Waiting for LinkedIn",
        )
        self.waiting_label.setWordWrap(True)
        self.busy = named(QProgressBar(), "linkedinBusy", "Waiting for LinkedIn")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.url_edit = named(QLineEdit(), "linkedinAuthUrl", "Address of LinkedIn's sign-in page")
        self.url_edit.setReadOnly(True)
        copy_url = named(
            QPushButton("Copy address"), "linkedinCopyAuthUrl", "Copy the sign-in address"
        )
        copy_url.clicked.connect(lambda: self._copy(self.url_edit.text()))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(copy_url)
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(self.waiting_label)
        waiting_layout.addWidget(self.busy)
        waiting_layout.addWidget(
            note("If your browser did not open, paste this address into it:", "linkedinUrlNote")
        )
        waiting_layout.addLayout(url_row)
        self.waiting_box.hide()

        self.connect_button = named(
            QPushButton("Connect…"), "linkedinConnect", "Connect LinkedIn in your browser"
        )
        self.cancel_button = named(
            QPushButton("Cancel"), "linkedinCancel", "Cancel connecting LinkedIn"
        )
        self.disconnect_button = named(
            QPushButton("Disconnect"), "linkedinDisconnect", "Disconnect LinkedIn"
        )
        self.connect_button.clicked.connect(self.start_connect)
        self.cancel_button.clicked.connect(self.cancel_connect)
        self.disconnect_button.clicked.connect(self.disconnect_linkedin)
        self.cancel_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(box)
        if self.keyring_problem:
            layout.addWidget(note(self.keyring_problem, "linkedinKeyringProblem", warning=True))
        layout.addWidget(self.status_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.waiting_box)
        layout.addLayout(buttons)
        return box

    def _build_app_box(self, prefs: Preferences) -> QGroupBox:
        box = QGroupBox("Your LinkedIn developer app")
        form = QFormLayout(box)
        form.addRow(
            note(
                "Linkie signs in through an app you create at developer.linkedin.com (products: "
                "“Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn”).",
                "linkedinAppNote",
            )
        )
        self.client_id_edit = named(
            QLineEdit(prefs.linkedin_client_id), "linkedinClientId", "Client ID"
        )
        form.addRow("Client &ID:", self.client_id_edit)
        stored = self.keyring_problem is None and (
            self.store.get(SecretName.LINKEDIN_CLIENT_SECRET) is not None
        )
        self.secret_field = SecretField(
            "linkedinClientSecret", "Client secret", stored, self.keyring_problem is None
        )
        form.addRow("Client &secret:", self.secret_field)

        self.port_spin = named(QSpinBox(), "linkedinRedirectPort", "Redirect port")
        self.port_spin.setRange(1024, 65535)
        self.port_from_env = port_from_env = self.workspace.config.oauth_port_from_env
        self.port_spin.setValue(
            self.workspace.config.oauth_port if port_from_env else prefs.oauth_port
        )
        form.addRow("Redirect &port:", self.port_spin)
        self.redirect_edit = named(QLineEdit(), "linkedinRedirectUrl", "Redirect URL to register")
        self.redirect_edit.setReadOnly(True)
        copy = named(QPushButton("Copy"), "linkedinCopyRedirect", "Copy the redirect URL")
        copy.clicked.connect(lambda: self._copy(self.redirect_edit.text()))
        row = QHBoxLayout()
        row.addWidget(self.redirect_edit, 1)
        row.addWidget(copy)
        form.addRow("Redirect URL:", row)
        text = "Add this exact URL under Auth → Authorized redirect URLs in LinkedIn's portal."
        if port_from_env:
            text += f" The port is set by {ENV_OAUTH_PORT}."
        form.addRow(note(text, "linkedinRedirectNote"))
        self.port_spin.valueChanged.connect(self._show_redirect)
        self._show_redirect()
        return box

    # --- state ------------------------------------------------------------------------------

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def _show_redirect(self) -> None:
        self.redirect_edit.setText(oauth.redirect_uri_for(self.port_spin.value()))

    def prefs_changes(self) -> dict[str, object]:
        return {
            "linkedin_client_id": self.client_id_edit.text().strip(),
            "oauth_port": self.port_spin.value(),
        }

    @property
    def waiting(self) -> bool:
        return self.login is not None

    def refresh_status(self) -> None:
        workspace = self.workspace
        if self.info is None:
            self.status_label.setText("Checking the connection…")
        self.tasks.run_db(
            lambda: oauth.connection_status(workspace.engine, workspace.user_id),
            self._show_status,
            self._say_warning,
            owner=self,
            key=(id(self), "status"),
        )

    def _show_status(self, info: ConnectionInfo) -> None:
        self.info = info
        self.status_label.setText(info.summary())
        warn = info.expiring_soon or info.status.value == "expired"
        self.status_label.setStyleSheet(f"color: {warning_colour().name()};" if warn else "")
        if info.expiring_soon:
            self.status_label.setText(f"{info.summary()}. Reconnect soon to keep publishing.")
        self._update_buttons()
        self.status_shown.emit()

    def _update_buttons(self) -> None:
        usable = self.keyring_problem is None
        connected_before = self.info is not None and self.info.status.value != "disconnected"
        self.connect_button.setVisible(not self.waiting)
        self.connect_button.setEnabled(usable)
        self.connect_button.setText("Reconnect…" if connected_before else "Connect…")
        self.cancel_button.setVisible(self.waiting)
        self.disconnect_button.setEnabled(connected_before and not self.waiting)
        self.waiting_box.setVisible(self.waiting)
        self.client_id_edit.setEnabled(not self.waiting)
        self.port_spin.setEnabled(not self.waiting and not self.port_from_env)
        self.secret_field.setEnabled(not self.waiting and usable)

    def _say(self, text: str, warning: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {warning_colour().name()};" if warning else "")
        self.message_label.setVisible(bool(text))

    def _say_warning(self, text: str) -> None:
        self._say(text, warning=True)

    # --- actions ----------------------------------------------------------------------------

    def start_connect(self) -> None:
        """Credentials saved, then the attempt opened on the database worker (it stores the
        attempt's state); the browser opens once it is, and the wait runs on the network pool."""
        if self.waiting:
            return
        self._say("")
        try:
            prefs = self.save_credentials()
            app = oauth.linkedin_app(self.workspace.config, prefs, self.store)
        except LOGIN_ERRORS as exc:
            self._say(str(exc), warning=True)
            return
        login = LinkedInLogin(
            self.workspace.engine,
            self.workspace.user_id,
            app,
            self.store,
            timeout_s=self.login_timeout_s,
        )
        self.login = login
        self._update_buttons()
        self.tasks.run_db(
            _in_words(login.start),
            lambda url: self._started(login, url),
            self._failed,
            owner=self,
        )

    def _started(self, login: LinkedInLogin, url: str | _Refused) -> None:
        if isinstance(url, _Refused):
            self._failed(url.message)
            return
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        # Through the login (a private page, not the address itself): the address carries the
        # attempt's state, which must not appear on the command line the browser is started with.
        # Before the wait starts, so the page exists for as long as the wait lasts.
        opened = login.open_browser(self.open_browser)
        self._update_buttons()
        self.cancel_button.setFocus()
        # The wait on the network pool, not the database worker: it may last ten minutes, and the
        # window's reads and writes must go on meanwhile. What LinkedIn said is then saved on
        # the database worker.
        self.tasks.run_network_then_db(
            login.receive,
            lambda answer: _in_words(lambda: login.save(answer))(),
            self._answered,
            self._failed,
            owner=self,
        )
        if not opened:
            self.waiting_label.setText(
                "Waiting for LinkedIn… Your browser could not be opened: paste the address "
                "below into it."
            )

    def cancel_connect(self) -> None:
        if self.login is not None:
            self.login.cancel()

    def _finished(self) -> None:
        self.login = None
        self.url_edit.clear()
        self.waiting_label.setText("Waiting for LinkedIn… Finish signing in in your browser.")
        self.refresh_status()
        self.connect_button.setFocus()

    def _answered(self, answer: ConnectionInfo | _Refused) -> None:
        if isinstance(answer, _Refused):
            self._failed(answer.message)
            return
        self._finished()
        self._say(f"{answer.summary().split(' — ')[0]}. Linkie can publish your posts now.")
        self.connection_changed.emit()

    def _failed(self, message: str) -> None:
        self._finished()
        self._say(message, warning=True)

    def disconnect_linkedin(self) -> None:
        if not self.confirm(
            "Disconnect LinkedIn?",
            "Linkie will forget your LinkedIn connection and stop publishing until you connect "
            "again. Your posts stay here.",
        ):
            return
        workspace, store = self.workspace, self.store

        def disconnect() -> None:
            oauth.disconnect(workspace.engine, workspace.user_id, store)

        self.tasks.run_db(_in_words(disconnect), self._disconnected, self._say_warning, owner=self)

    def _disconnected(self, problem: _Refused | None) -> None:
        if problem is not None:
            self._say(f"Disconnected, but: {problem.message}", warning=True)
        else:
            self._say("Disconnected. The stored tokens and their key were deleted.")
        self.refresh_status()
        self.connection_changed.emit()

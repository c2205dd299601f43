"""The LinkedIn page of Settings: Connect / Cancel / Disconnect with the connection's status, and
the guide to the developer app Linkie signs in through (create it, add its products, register
the redirect URL, paste its credentials). Connect checks the values before the browser opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.services import oauth, oauth_checks
from linkie_desktop.services.browser_handoff import Launcher
from linkie_desktop.services.loopback import WaitCancelledError
from linkie_desktop.services.oauth import (
    DEVELOPER_APPS_URL,
    LOGIN_ERRORS,
    PRODUCT_SHARE,
    PRODUCT_SIGN_IN,
    ConnectionInfo,
    LinkedInApp,
    LinkedInLogin,
    SetupError,
    SetupField,
    SetupStep,
)
from linkie_desktop.services.oauth_checks import EXAMPLE_CLIENT_ID
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.settings.linkedin_guide import SetupGuide
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.settings.secret_field import SecretChange, SecretField
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

OpenBrowser = Launcher  # address -> whether a browser was opened
Confirm = Callable[[str, str], bool]  # (title, question) -> yes?
SaveCredentials = Callable[[], Preferences]  # write the LinkedIn fields now; the saved prefs
T = TypeVar("T")


WAITING = "Waiting for LinkedIn… Finish signing in in your browser."
CHECKING = "Checking your app's settings…"


@dataclass(frozen=True)
class _Refused:
    """A step of signing in failed in a way the user can act on (keyring, LinkedIn, callback),
    in the window's words; `field` is the one to fix when a check named it."""

    message: str
    field: SetupField | None = None
    step: SetupStep | None = None


def _refused(exc: BaseException, port_fixed: bool) -> _Refused:
    message = oauth_checks.in_app_words(exc, port_fixed)
    if isinstance(exc, SetupError):
        return _Refused(message, exc.field, exc.step)
    return _Refused(message)


def _in_words(work: Callable[[], T], port_fixed: bool = False) -> Callable[[], T | _Refused]:
    def run() -> T | _Refused:
        try:
            return work()
        except LOGIN_ERRORS as exc:
            return _refused(exc, port_fixed)

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
        # Set when Linkie was started with the port fixed for it: Settings can't change it then.
        self.port_from_env = workspace.config.oauth_port_from_env
        # The port whose redirect URL is known to be registered: the one of the last connection.
        self.proven_port = oauth.effective_port(workspace.config, prefs)
        self._folded_once = False  # a set-up app's guide folds once, when the page opens

        content = QWidget()
        content.setObjectName("linkedinPageContent")
        layout = QVBoxLayout(content)
        layout.addWidget(self._build_connection_box())
        layout.addWidget(self._build_guide(prefs))
        layout.addStretch(1)
        # The guide is taller than a small dialog: it scrolls instead of squeezing its fields.
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("linkedinScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self._update_steps()
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
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.waiting_box = QWidget()
        self.waiting_box.setObjectName("linkedinWaiting")
        self.waiting_label = named(QLabel(WAITING), "linkedinWaitingLabel", "Waiting for LinkedIn")
        self.waiting_label.setWordWrap(True)
        self.busy = named(QProgressBar(), "linkedinBusy", "Waiting for LinkedIn")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.url_box = QWidget()
        self.url_box.setObjectName("linkedinAuthUrlBox")
        self.url_edit = named(QLineEdit(), "linkedinAuthUrl", "Address of LinkedIn's sign-in page")
        self.url_edit.setReadOnly(True)
        copy_url = named(
            QPushButton("Copy address"), "linkedinCopyAuthUrl", "Copy the sign-in address"
        )
        copy_url.clicked.connect(lambda: self._copy(self.url_edit.text()))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(copy_url)
        url_layout = QVBoxLayout(self.url_box)
        url_layout.setContentsMargins(0, 0, 0, 0)
        url_layout.addWidget(
            note("If your browser did not open, paste this address into it:", "linkedinUrlNote")
        )
        url_layout.addLayout(url_row)
        # LinkedIn shows this one on its own page, never sending the browser back to Linkie.
        url_layout.addWidget(
            note(
                "If LinkedIn says “The redirect_uri does not match the registered value”, the "
                f"redirect URL of step {SetupStep.REDIRECT_URL} is not registered for your app "
                "yet: add it, then Connect again.",
                "linkedinMismatchHint",
            )
        )
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(self.waiting_label)
        waiting_layout.addWidget(self.busy)
        waiting_layout.addWidget(self.url_box)
        self.url_box.hide()
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

    def _build_guide(self, prefs: Preferences) -> SetupGuide:
        self.guide = guide = SetupGuide(
            "Your LinkedIn developer app",
            note(
                "Linkie publishes through your own LinkedIn app: set it up once, then press "
                "Connect.",
                "linkedinAppNote",
            ),
        )
        create = guide.add_step(
            SetupStep.CREATE_APP, "Create an app on LinkedIn's developer site", "linkedinStepApp"
        )
        create.body.addWidget(
            note(
                "Sign in there and press Create app. LinkedIn asks for an app name, a LinkedIn "
                "Page the app belongs to (a company page you manage; you can create one) and a "
                "logo.",
                "linkedinStepAppNote",
            )
        )
        self.developers_button = named(
            QPushButton("Open LinkedIn Developers…"),
            "linkedinOpenDevelopers",
            "Open LinkedIn's developer site in your browser",
        )
        self.developers_button.clicked.connect(self._open_developer_site)
        create.body.addWidget(self.developers_button, 0, Qt.AlignmentFlag.AlignLeft)

        products = guide.add_step(
            SetupStep.ADD_PRODUCTS,
            f"Add the products “{PRODUCT_SIGN_IN}” and “{PRODUCT_SHARE}”",
            "linkedinStepProducts",
        )
        products.body.addWidget(
            note(
                "On your app's Products tab, press Request access next to each. The first lets "
                "Linkie know who you are, the second lets it publish your posts.",
                "linkedinStepProductsNote",
            )
        )

        redirect = guide.add_step(
            SetupStep.REDIRECT_URL, "Register the redirect URL", "linkedinStepRedirect"
        )
        redirect.body.addWidget(
            note(
                "On the app's Auth tab, add this exact URL under “Authorized redirect URLs for "
                "your app” and press Update:",
                "linkedinRedirectNote",
            )
        )
        self.redirect_edit = named(QLineEdit(), "linkedinRedirectUrl", "Redirect URL to register")
        self.redirect_edit.setReadOnly(True)
        copy = named(QPushButton("Copy"), "linkedinCopyRedirect", "Copy the redirect URL")
        copy.clicked.connect(lambda: self._copy(self.redirect_edit.text()))
        row = QHBoxLayout()
        row.addWidget(self.redirect_edit, 1)
        row.addWidget(copy)
        redirect.body.addLayout(row)
        self.port_spin = named(QSpinBox(), "linkedinRedirectPort", "Redirect port")
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(oauth.effective_port(self.workspace.config, prefs))
        port_row = QHBoxLayout()
        port_label = QLabel("Redirect p&ort:")
        port_label.setBuddy(self.port_spin)
        port_row.addWidget(port_label)
        port_row.addWidget(self.port_spin)
        port_row.addWidget(
            note(
                "Set when Linkie was started: it can't be changed here."
                if self.port_from_env
                else "Change it only if it is taken, then register the new URL.",
                "linkedinPortNote",
            ),
            1,
        )
        redirect.body.addLayout(port_row)
        self.port_spin.valueChanged.connect(self._show_redirect)
        self._show_redirect()

        credentials = guide.add_step(
            SetupStep.CREDENTIALS,
            "Paste the Client ID and the Primary Client Secret",
            "linkedinStepCredentials",
        )
        credentials.body.addWidget(
            note("Both are on the same Auth tab, under Application credentials.", "linkedinIdNote")
        )
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.client_id_edit = named(
            QLineEdit(prefs.linkedin_client_id), "linkedinClientId", "Client ID"
        )
        self.client_id_edit.setPlaceholderText(f"Letters and digits, like {EXAMPLE_CLIENT_ID}")
        form.addRow("Client &ID:", self.client_id_edit)
        stored = self.keyring_problem is None and (
            self.store.get(SecretName.LINKEDIN_CLIENT_SECRET) is not None
        )
        self.secret_field = SecretField(
            "linkedinClientSecret", "Client secret", stored, self.keyring_problem is None
        )
        form.addRow("Client s&ecret:", self.secret_field)
        credentials.body.addLayout(form)

        self.client_id_edit.textChanged.connect(self._update_steps)
        self.secret_field.edit.textChanged.connect(self._update_steps)
        self.secret_field.remove_button.clicked.connect(self._update_steps)
        self.port_spin.valueChanged.connect(self._update_steps)
        return guide

    # --- state ------------------------------------------------------------------------------

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def _show_redirect(self) -> None:
        # Exactly what the login sends: the port saved on Connect is the one shown here.
        self.redirect_edit.setText(oauth.redirect_uri_for(self.port_spin.value()))

    def prefs_changes(self) -> dict[str, object]:
        return {
            "linkedin_client_id": self.client_id_edit.text().strip(),
            "oauth_port": self.port_spin.value(),
        }

    @property
    def waiting(self) -> bool:
        return self.login is not None

    def _set_up_before(self) -> bool:
        """The app has connected once (expired counts): its steps 1–3 were done then."""
        return self.info is not None and self.info.status is not OAuthStatus.DISCONNECTED

    def _credentials_filled(self) -> bool:
        """Step 4 is done: a client ID and a secret that pass the checks Connect makes."""
        config = self.workspace.config
        client_id = self.client_id_edit.text().strip() or config.linkedin_client_id
        if oauth_checks.client_id_problem(client_id) is not None:
            return False
        kind, typed = self.secret_field.change()
        if kind is SecretChange.REPLACE:
            return oauth_checks.client_secret_problem(typed, client_id) is None
        if config.linkedin_client_secret:
            return True
        return kind is SecretChange.KEEP and self.secret_field.stored

    def _update_steps(self) -> None:
        set_up = self._set_up_before()
        filled = self._credentials_filled()
        steps = self.guide.steps
        steps[SetupStep.CREATE_APP].set_done(filled or set_up)  # an ID comes from an app
        steps[SetupStep.ADD_PRODUCTS].set_done(set_up)  # else LinkedIn refuses the scopes
        proven = set_up and self.port_spin.value() == self.proven_port
        steps[SetupStep.REDIRECT_URL].set_done(proven)
        steps[SetupStep.CREDENTIALS].set_done(filled)
        self.guide.set_collapsible(set_up)

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
        self._update_steps()
        if not self._folded_once and self._set_up_before():
            self.guide.set_collapsed(True)
        self._folded_once = True
        self.status_shown.emit()

    def _update_buttons(self) -> None:
        usable = self.keyring_problem is None
        connected_before = self._set_up_before()
        self.connect_button.setVisible(not self.waiting)
        self.connect_button.setEnabled(usable)
        self.connect_button.setText("Reconnect…" if connected_before else "Connect…")
        self.cancel_button.setVisible(self.waiting)
        self.disconnect_button.setEnabled(connected_before and not self.waiting)
        self.waiting_box.setVisible(self.waiting)
        self.url_box.setVisible(self.waiting and bool(self.url_edit.text()))
        self.client_id_edit.setEnabled(not self.waiting)
        self.port_spin.setEnabled(not self.waiting and not self.port_from_env)
        self.secret_field.setEnabled(not self.waiting and usable)

    def _say(self, text: str, warning: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {warning_colour().name()};" if warning else "")
        self.message_label.setVisible(bool(text))

    def _say_warning(self, text: str) -> None:
        self._say(text, warning=True)

    def _point_at(self, field: SetupField, step: SetupStep) -> None:
        """The field a check refused and the words beside it, in view; the field focused."""
        widget: QWidget = {
            SetupField.CLIENT_ID: self.client_id_edit,
            SetupField.CLIENT_SECRET: self.secret_field.edit,
            SetupField.REDIRECT_PORT: self.redirect_edit if self.port_from_env else self.port_spin,
        }[field]
        self.guide.set_collapsed(False)
        widget.setFocus()
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            widget.selectAll()
        problem = self.guide.steps[step].problem

        def scroll() -> None:
            self.scroll_area.ensureWidgetVisible(problem)
            self.scroll_area.ensureWidgetVisible(widget)

        # Once the labels just shown have their place: scrolled now, the field would move away.
        QTimer.singleShot(0, self, scroll)

    # --- actions ----------------------------------------------------------------------------

    def _open_developer_site(self) -> None:
        if not self.open_browser(DEVELOPER_APPS_URL):
            self._say(
                f"Your browser could not be opened: go to {DEVELOPER_APPS_URL} in it yourself.",
                warning=True,
            )

    def start_connect(self) -> None:
        """The values checked (the credentials here, quick; the port on the network pool), the
        attempt opened on the database worker (it stores the attempt's state), LinkedIn asked
        whether it knows the app and its redirect URL (network); then the browser opens, and the
        wait runs on the network pool. Any check that fails ends it before the browser opens."""
        if self.waiting:
            return
        self._say("")
        self.guide.clear_problems()
        fixed = self.port_from_env
        try:
            prefs = self.save_credentials()
            app = oauth.linkedin_app(self.workspace.config, prefs, self.store)
            oauth_checks.check_credentials(app)
        except LOGIN_ERRORS as exc:
            self._refuse(_refused(exc, fixed))
            return
        login = LinkedInLogin(
            self.workspace.engine,
            self.workspace.user_id,
            app,
            self.store,
            timeout_s=self.login_timeout_s,
        )
        self.login = login
        self.waiting_label.setText(CHECKING)
        self._update_buttons()
        self.cancel_button.setFocus()
        self.tasks.run_network(
            _in_words(lambda: oauth_checks.check_redirect_port(app.redirect_port, fixed), fixed),
            lambda problem: self._port_checked(login, app, problem),
            self._failed,
            owner=self,
        )

    def _port_checked(
        self, login: LinkedInLogin, app: LinkedInApp, problem: _Refused | None
    ) -> None:
        if problem is not None:
            self._refuse(problem)
            return
        if login.cancelled:  # nothing started yet: nothing to clean up
            self._refuse(_Refused(str(WaitCancelledError())))
            return
        self.tasks.run_db(
            _in_words(login.start, self.port_from_env),
            lambda url: self._ask_linkedin(login, app, url),
            self._failed,
            owner=self,
        )

    def _ask_linkedin(self, login: LinkedInLogin, app: LinkedInApp, url: str | _Refused) -> None:
        if isinstance(url, _Refused):
            self._refuse(url)
            return
        if login.cancelled:
            self._wait_for_answer(login)  # ends at once, cleaning up what start() made
            return
        self.tasks.run_network(
            _in_words(lambda: oauth_checks.check_authorization(app, url)),
            lambda problem: self._started(login, url, problem),
            lambda message: self._abandon(login, _Refused(message)),
            owner=self,
        )

    def _started(self, login: LinkedInLogin, url: str, problem: _Refused | None) -> None:
        if problem is not None:
            self._abandon(login, problem)
            return
        if not login.cancelled:
            # Through the login (a private page, not the address itself): the address carries
            # the attempt's state, which must not appear on the command line the browser is
            # started with. Before the wait starts, so the page exists for as long as it lasts.
            opened = login.open_browser(self.open_browser)
            self.url_edit.setText(url)
            self.url_edit.setCursorPosition(0)
            self.waiting_label.setText(
                WAITING
                if opened
                else "Waiting for LinkedIn… Your browser could not be opened: paste the address "
                "below into it."
            )
            self._update_buttons()
            self.cancel_button.setFocus()
        self._wait_for_answer(login)

    def _wait_for_answer(self, login: LinkedInLogin) -> None:
        # The wait on the network pool, not the database worker: it may last ten minutes, and the
        # window's reads and writes must go on meanwhile. What LinkedIn said is then saved on
        # the database worker.
        fixed = self.port_from_env
        self.tasks.run_network_then_db(
            login.receive,
            lambda answer: _in_words(lambda: login.save(answer), fixed)(),
            lambda answer: self._answered(login, answer),
            self._failed,
            owner=self,
        )

    def _abandon(self, login: LinkedInLogin, refusal: _Refused) -> None:
        """End an attempt that started but must not go on (its listener closed, its state row
        gone), then tell why."""
        login.cancel()
        self.tasks.run_network_then_db(
            login.receive,
            lambda answer: _in_words(lambda: login.save(answer))(),
            lambda _answer: self._refuse(refusal),
            lambda _message: self._refuse(refusal),
            owner=self,
        )

    def cancel_connect(self) -> None:
        if self.login is not None:
            self.login.cancel()

    def _finished(self) -> None:
        self.login = None
        self.url_edit.clear()
        self.waiting_label.setText(WAITING)
        self._update_buttons()  # the fields usable again now, so a refused one can take focus
        self.refresh_status()
        self.connect_button.setFocus()

    def _answered(self, login: LinkedInLogin, answer: ConnectionInfo | _Refused) -> None:
        if isinstance(answer, _Refused):
            self._refuse(answer)
            return
        self.proven_port = login.app.redirect_port
        self._finished()
        self.guide.set_collapsed(True)
        self._say(f"{answer.summary().split(' — ')[0]}. Linkie can publish your posts now.")
        self.connection_changed.emit()

    def _refuse(self, refusal: _Refused) -> None:
        self._finished()
        if refusal.field is None or refusal.step is None:
            self._say(refusal.message, warning=True)
            return
        # Told beside the field to fix, which is brought into view; the top says where.
        self._say(
            f"Linkie did not open LinkedIn's page: see step {refusal.step} below.", warning=True
        )
        self.guide.steps[refusal.step].set_problem(refusal.message)
        self._point_at(refusal.field, refusal.step)

    def _failed(self, message: str) -> None:
        self._refuse(_Refused(message))

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

"""The Settings dialog under pytest-qt: connect through a 'browser' that talks to the LinkedIn test
server, Cancel, Disconnect, a locked keyring, and OK-applies / Cancel-discards."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import url2pathname

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from linkie_desktop import config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.migrate import MigrationResult
from linkie_desktop.db.models import LinkedInOAuthState, OAuthStatus
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.services import autostart
from linkie_desktop.services.oauth import SetupStep
from linkie_desktop.services.preferences import Preferences, load_preferences, save_preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.linkedin_page import LinkedInPage, OpenBrowser
from linkie_desktop.ui.tasks import DATABASE_THREAD
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import Browser, free_port, handoff_target
from tests.write_threads_support import threads_writing

SERVICE = "linkie-desktop"
LINKEDIN_SHAPED_CLIENT_ID = "77testclient42"
OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def no_browser(_url: str) -> bool:
    """For tests that never press Connect."""
    return False


@pytest.fixture
def workspace(
    engine: Engine, user_id: str, tmp_path: Path, linkedin_server: FakeLinkedIn
) -> Workspace:
    # Shaped like LinkedIn's (letters and digits): the window refuses any other before connecting.
    linkedin_server.client_id = LINKEDIN_SHAPED_CLIENT_ID
    env = {
        "LINKIE_DATA_DIR": str(tmp_path / "appdata"),
        "LINKIE_LINKEDIN_API_BASE": linkedin_server.base_url,
        "LINKIE_LINKEDIN_AUTH_BASE": linkedin_server.base_url,
    }
    cfg = config.load(db=str(engine.url), env=env)
    migration = MigrationResult(revision="head", previous=None, backup=None)
    return Workspace(config=cfg, engine=engine, user_id=user_id, migration=migration)


@pytest.fixture
def port(linkedin_server: FakeLinkedIn) -> int:
    chosen = free_port()
    linkedin_server.redirect_uris.add(f"http://127.0.0.1:{chosen}/callback")
    return chosen


class Opener:
    """Stands in for the system browser: records what it was started with and where that page
    led, and, if asked, plays the member."""

    def __init__(self, server: FakeLinkedIn, act: bool = True) -> None:
        self.browser = Browser(server)
        self.act = act
        self.addresses: list[str] = []  # what the browser was started with
        self.urls: list[str] = []  # where the page it was given sent it
        self.threads: list[threading.Thread] = []

    def __call__(self, address: str) -> bool:
        self.addresses.append(address)
        url = handoff_target(address)  # read now: the page goes when the wait is over
        self.urls.append(url)
        if self.act:
            self.play(url)
        return True

    def play(self, url: str) -> None:
        thread = threading.Thread(target=self.browser.consent, args=(url,), name="test-browser")
        thread.start()
        self.threads.append(thread)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


def _dialog(
    qtbot: QtBot,
    workspace: Workspace,
    signals: AppSignals,
    opener: OpenBrowser,
    confirm: bool = True,
) -> SettingsDialog:
    dialog = SettingsDialog(
        workspace, signals, open_browser=opener, confirm=lambda _title, _question: confirm
    )
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot, dialog)  # the connection's status is read on the database worker
    return dialog


def _settle(qtbot: QtBot, dialog: SettingsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)


def _fill_app(dialog: SettingsDialog, server: FakeLinkedIn, port: int) -> None:
    page = dialog.linkedin
    page.client_id_edit.setText(server.client_id)
    page.secret_field.edit.setText(server.client_secret)
    page.port_spin.setValue(port)


@dataclass
class Connecting:
    """A shown Settings dialog whose browser talks to the LinkedIn test server."""

    qtbot: QtBot
    dialog: SettingsDialog
    signals: AppSignals
    opener: Opener
    port: int

    @property
    def page(self) -> LinkedInPage:
        return self.dialog.linkedin

    def fill_app(self) -> None:
        _fill_app(self.dialog, self.opener.browser.server, self.port)

    def connect(self) -> None:
        """Fill in the app's credentials, press Connect, let the 'browser' consent; wait."""
        self.fill_app()
        with self.qtbot.waitSignal(self.signals.connection_changed, timeout=20_000):
            click(self.page.connect_button)
        self.opener.join()
        _settle(self.qtbot, self.dialog)


MakeConnecting = Callable[..., Connecting]


@pytest.fixture
def connecting(
    qtbot: QtBot,
    workspace: Workspace,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    port: int,
) -> MakeConnecting:
    """`connecting()`: the dialog, with a browser that consents (act=False: that never does)."""

    def make(act: bool = True) -> Connecting:
        signals = AppSignals()
        opener = Opener(linkedin_server, act=act)
        return Connecting(qtbot, _dialog(qtbot, workspace, signals, opener), signals, opener, port)

    return make


def _press(dialog: SettingsDialog, button: QDialogButtonBox.StandardButton) -> None:
    click(dialog.buttons.button(button))


def _store_connection(
    workspace: Workspace,
    status: OAuthStatus,
    expires_in: timedelta,
    person_urn: str | None = None,
) -> None:
    """A LinkedIn connection as the database keeps it (a placeholder for the sealed token)."""
    changes: queries.SettingsChanges = {
        "linkedin_access_token": "enc:v1:placeholder",
        "linkedin_oauth_status": status.value,
        "linkedin_token_expires_at": utc_now() + expires_in,
    }
    if person_urn is not None:
        changes["linkedin_person_urn"] = person_urn
    with transaction(workspace.engine) as session:
        queries.upsert_user_settings(session, workspace.user_id, changes)


def test_connect_in_the_browser_shows_the_member(
    connecting: MakeConnecting,
    workspace: Workspace,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    port: int,
) -> None:
    attempt = connecting()
    page, opener = attempt.page, attempt.opener
    assert page.status_label.text() == "Not connected"

    attempt.connect()

    assert page.status_label.text() == "Connected as Alex Rivera — token expires in 60 days"
    assert not page.waiting and page.connect_button.isVisible() and page.cancel_button.isHidden()
    assert page.disconnect_button.isEnabled()
    assert opener.urls and opener.urls[0].startswith(linkedin_server.base_url)
    assert opener.browser.page is not None and "close this tab" in opener.browser.page.text
    # Connect stored what it needed: the secret in the keyring, the client ID and port in prefs.
    assert memory_keyring.entries[(SERVICE, "linkedin-client-secret")] == (
        linkedin_server.client_secret
    )
    prefs = load_preferences(workspace.config.data_dir)
    assert (prefs.linkedin_client_id, prefs.oauth_port) == (linkedin_server.client_id, port)
    prefs_text = (workspace.config.data_dir / "preferences.json").read_text(encoding="utf-8")
    assert linkedin_server.client_secret not in prefs_text


def test_connect_writes_the_database_on_the_database_worker_only(
    connecting: MakeConnecting, workspace: Workspace
) -> None:
    attempt = connecting()

    tables = ("linkedin_oauth_states", "user_settings", "accounts", "users")
    with threads_writing(workspace.engine, *tables) as writers:
        attempt.connect()

    # The state written, consumed and discarded, the connection stored: none on a network thread.
    assert len(writers) >= 4
    assert set(writers) == {DATABASE_THREAD}
    assert attempt.page.status_label.text().startswith("Connected as Alex Rivera")


def test_connect_starts_the_browser_with_a_private_page_not_the_address(
    connecting: MakeConnecting,
) -> None:
    attempt = connecting()

    attempt.connect()

    [address] = attempt.opener.addresses
    [url] = attempt.opener.urls
    query = parse_qs(urlsplit(url).query)
    assert query["state"][0] not in address and query["code_challenge"][0] not in address
    assert not Path(url2pathname(urlsplit(address).path)).exists()  # gone once connected


def test_waiting_state_and_cancel(
    qtbot: QtBot, connecting: MakeConnecting, workspace: Workspace
) -> None:
    attempt = connecting(act=False)  # the member never comes back
    dialog, signals, opener, page = attempt.dialog, attempt.signals, attempt.opener, attempt.page
    attempt.fill_app()

    click(page.connect_button)
    assert page.waiting
    qtbot.waitUntil(lambda: bool(page.url_edit.text()), timeout=10_000)  # the attempt is open
    assert page.waiting_box.isVisible()
    assert page.waiting_label.text().startswith("Waiting for LinkedIn…")
    assert page.url_edit.text() == opener.urls[0]
    assert page.cancel_button.isVisible() and page.connect_button.isHidden()
    assert not page.client_id_edit.isEnabled()
    assert dialog.buttons.isEnabled()  # the window never blocks while waiting

    with qtbot.assertNotEmitted(signals.connection_changed):
        click(page.cancel_button)
        qtbot.waitUntil(lambda: not page.waiting, timeout=20_000)
    _settle(qtbot, dialog)
    assert page.status_label.text() == "Not connected"
    assert "cancelled" in page.message_label.text()
    assert page.connect_button.isVisible() and page.connect_button.isEnabled()
    with transaction(workspace.engine) as session:
        assert list(session.scalars(select(LinkedInOAuthState))) == []


def test_closing_the_dialog_while_waiting_cancels_the_attempt(
    qtbot: QtBot, connecting: MakeConnecting, workspace: Workspace
) -> None:
    attempt = connecting(act=False)
    dialog = attempt.dialog
    attempt.fill_app()
    click(dialog.linkedin.connect_button)
    assert dialog.linkedin.waiting
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.linkedin.waiting, timeout=20_000)
    with transaction(workspace.engine) as session:
        assert list(session.scalars(select(LinkedInOAuthState))) == []


def test_port_in_use_is_explained_in_the_dialog(
    qtbot: QtBot,
    workspace: Workspace,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
) -> None:
    opener = Opener(linkedin_server)
    dialog = _dialog(qtbot, workspace, AppSignals(), opener)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = int(squatter.getsockname()[1])
        _fill_app(dialog, linkedin_server, taken)
        click(dialog.linkedin.connect_button)
        qtbot.waitUntil(lambda: not dialog.linkedin.waiting, timeout=10_000)
    message = dialog.linkedin.guide.steps[SetupStep.REDIRECT_URL].problem.text()
    assert f"Port {taken} is in use by another program" in message
    assert "Settings › LinkedIn" in message and "LINKIE_" not in message
    assert not dialog.linkedin.waiting and opener.urls == []


def test_missing_client_id_is_asked_for(
    qtbot: QtBot,
    workspace: Workspace,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LINKIE_LINKEDIN_CLIENT_ID", raising=False)
    opener = Opener(linkedin_server)
    dialog = _dialog(qtbot, workspace, AppSignals(), opener)
    click(dialog.linkedin.connect_button)
    assert (
        "Client ID in step 4" in dialog.linkedin.guide.steps[SetupStep.CREDENTIALS].problem.text()
    )
    assert opener.urls == []


def test_disconnect_after_confirming(
    qtbot: QtBot,
    connecting: MakeConnecting,
    workspace: Workspace,
    memory_keyring: MemoryKeyring,
) -> None:
    attempt = connecting()
    dialog, signals = attempt.dialog, attempt.signals
    attempt.connect()

    with qtbot.waitSignal(signals.connection_changed):
        click(dialog.linkedin.disconnect_button)
    _settle(qtbot, dialog)
    assert dialog.linkedin.status_label.text() == "Not connected"
    assert not dialog.linkedin.disconnect_button.isEnabled()
    assert (SERVICE, SecretName.TOKEN_DATA_KEY.value) not in memory_keyring.entries
    with transaction(workspace.engine) as session:
        settings = queries.get_user_settings(session, workspace.user_id)
        assert settings is not None and settings.linkedin_access_token is None


def test_disconnect_declined_changes_nothing(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    _store_connection(
        workspace,
        OAuthStatus.CONNECTED,
        timedelta(days=30),
        person_urn="urn:li:person:abc",
    )
    signals = AppSignals()
    dialog = _dialog(qtbot, workspace, signals, no_browser, confirm=False)
    with qtbot.assertNotEmitted(signals.connection_changed):
        click(dialog.linkedin.disconnect_button)
    assert dialog.linkedin.status_label.text().startswith("Connected as")


@pytest.mark.parametrize(
    ("days", "status", "expected", "warned"),
    [
        (3, OAuthStatus.CONNECTED, "token expires in 3 days. Reconnect soon", True),
        (30, OAuthStatus.CONNECTED, "token expires in 30 days", False),
        (-1, OAuthStatus.CONNECTED, "Expired — reconnect", True),
        (30, OAuthStatus.EXPIRED, "Expired — reconnect", True),
    ],
)
def test_status_line_tells_expiry(
    qtbot: QtBot,
    workspace: Workspace,
    memory_keyring: MemoryKeyring,
    days: int,
    status: OAuthStatus,
    expected: str,
    warned: bool,
) -> None:
    _store_connection(workspace, status, timedelta(days=days, hours=1))
    dialog = _dialog(qtbot, workspace, AppSignals(), no_browser)
    label = dialog.linkedin.status_label
    assert expected in label.text()
    assert ("color" in label.styleSheet()) is warned
    assert dialog.linkedin.connect_button.text() == "Reconnect…"


def test_keyring_unavailable_is_explained_and_disables_secrets(
    qtbot: QtBot, workspace: Workspace, unavailable_keyring: str, linkedin_server: FakeLinkedIn
) -> None:
    opener = Opener(linkedin_server)
    dialog = _dialog(qtbot, workspace, AppSignals(), opener)
    page = dialog.linkedin
    problem = dialog.findChild(QLabel, "linkedinKeyringProblem")
    assert problem is not None and "Unlock your keyring" in problem.text()
    assert not page.connect_button.isEnabled()
    assert not page.secret_field.isEnabled()
    assert page.client_id_edit.isEnabled()
    assert all(not field.isEnabled() for field in dialog.ai_keys.fields.values())
    # OK still saves the non-secret preferences.
    page.client_id_edit.setText("my-client-id")
    _press(dialog, OK)
    assert load_preferences(workspace.config.data_dir).linkedin_client_id == "my-client-id"


def test_ok_applies_every_page(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    signals = AppSignals()
    dialog = _dialog(qtbot, workspace, signals, no_browser)
    dialog.posting.time_edit.setTime(QTime(7, 45))
    dialog.posting.version_edit.setText("202604")
    dialog.general.start_at_login.setChecked(True)
    dialog.general.minimize_to_tray.setChecked(False)
    dialog.ai_keys.fields[SecretName.ANTHROPIC_API_KEY].edit.setText("sk-ant-test-key-123")
    dialog.ai_keys.fields[SecretName.GEMINI_API_KEY].edit.setText("AIza-test-key-456")

    with qtbot.waitSignal(signals.preferences_changed):
        _press(dialog, OK)

    assert dialog.result() == dialog.DialogCode.Accepted
    prefs = load_preferences(workspace.config.data_dir)
    assert (prefs.default_post_time, prefs.linkedin_version) == ("07:45", "202604")
    assert prefs.start_at_login and not prefs.minimize_to_tray
    assert autostart.is_enabled()
    assert memory_keyring.entries[(SERVICE, "anthropic-api-key")] == "sk-ant-test-key-123"
    assert memory_keyring.entries[(SERVICE, "gemini-api-key")] == "AIza-test-key-456"
    raw = (workspace.config.data_dir / "preferences.json").read_text(encoding="utf-8")
    assert "sk-ant-test-key-123" not in raw and "AIza-test-key-456" not in raw
    assert set(json.loads(raw)) >= {"default_post_time", "linkedin_version"}
    autostart.set_enabled(False)


def test_posting_page_chooses_who_sees_new_posts(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    signals = AppSignals()
    dialog = _dialog(qtbot, workspace, signals, no_browser)
    choice = dialog.posting.visibility_box
    assert choice.accessibleName() == "Who sees new posts"
    assert [choice.itemText(i) for i in range(choice.count())] == ["Anyone", "Connections only"]
    assert choice.currentData() == Visibility.PUBLIC  # the default

    choice.setCurrentIndex(choice.findData(Visibility.CONNECTIONS))
    with qtbot.waitSignal(signals.preferences_changed):
        _press(dialog, OK)

    assert load_preferences(workspace.config.data_dir).default_visibility is Visibility.CONNECTIONS
    again = _dialog(qtbot, workspace, AppSignals(), no_browser)
    assert again.posting.visibility_box.currentData() == Visibility.CONNECTIONS


def test_ai_model_names_are_settings_and_empty_means_the_default(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    signals = AppSignals()
    dialog = _dialog(qtbot, workspace, signals, no_browser)
    assert dialog.ai_keys.model_edits["anthropic_model"].text() == Preferences().anthropic_model
    dialog.ai_keys.model_edits["anthropic_model"].setText("  claude-next-1  ")
    dialog.ai_keys.model_edits["gemini_image_model"].setText("")
    with qtbot.waitSignal(signals.preferences_changed):
        _press(dialog, OK)
    prefs = load_preferences(workspace.config.data_dir)
    assert prefs.anthropic_model == "claude-next-1"
    assert prefs.gemini_image_model == Preferences().gemini_image_model


def test_stored_keys_are_never_loaded_and_remove_works(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    SecretStore().set(SecretName.GEMINI_API_KEY, "AIza-stored-key-789")
    dialog = _dialog(qtbot, workspace, AppSignals(), no_browser)
    field = dialog.ai_keys.fields[SecretName.GEMINI_API_KEY]
    assert field.edit.text() == ""
    assert "Saved in your keyring" in field.edit.placeholderText()
    click(field.remove_button)
    _press(dialog, OK)
    assert (SERVICE, "gemini-api-key") not in memory_keyring.entries


def test_cancel_discards_changes(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="10:30"))
    signals = AppSignals()
    dialog = _dialog(qtbot, workspace, signals, no_browser)
    dialog.posting.version_edit.setText("202607")
    dialog.ai_keys.fields[SecretName.ANTHROPIC_API_KEY].edit.setText("sk-ant-discarded")
    with qtbot.assertNotEmitted(signals.preferences_changed):
        _press(dialog, CANCEL)
    assert load_preferences(workspace.config.data_dir) == Preferences(default_post_time="10:30")
    assert memory_keyring.entries == {}


def test_bad_api_version_keeps_the_dialog_open(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = _dialog(qtbot, workspace, AppSignals(), no_browser)
    dialog.posting.version_edit.setText("2025")
    _press(dialog, OK)
    assert dialog.isVisible()
    assert "YYYYMM" in dialog.error_label.text()
    assert dialog.tabs.currentWidget() is dialog.posting


def test_every_control_is_named_and_reachable_by_keyboard(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = _dialog(qtbot, workspace, AppSignals(), no_browser)
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QAbstractSpinBox | QTabWidget)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not w.objectName().startswith("qt_")  # Qt's own parts of a spin box or time edit
    ]
    assert len(controls) >= 15
    for widget in controls:
        assert widget.objectName(), f"{type(widget).__name__} has no objectName"
        assert widget.accessibleName(), f"{widget.objectName()} has no accessible name"
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()
    # Alt+P reaches the Posting page: every page has a mnemonic.
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert all("&" in title for title in titles), titles


@pytest.mark.keyring
def test_keys_saved_to_the_real_keyring_show_as_saved_next_time(
    qtbot: QtBot, workspace: Workspace, real_keyring_store: SecretStore
) -> None:
    dialog = SettingsDialog(workspace, AppSignals(), store=real_keyring_store)
    qtbot.addWidget(dialog)
    dialog.ai_keys.fields[SecretName.ANTHROPIC_API_KEY].edit.setText("sk-ant-real-keyring")
    _press(dialog, OK)
    assert real_keyring_store.get(SecretName.ANTHROPIC_API_KEY) == "sk-ant-real-keyring"

    again = SettingsDialog(workspace, AppSignals(), store=real_keyring_store)
    qtbot.addWidget(again)
    field = again.ai_keys.fields[SecretName.ANTHROPIC_API_KEY]
    assert field.edit.text() == "" and "Saved in your keyring" in field.edit.placeholderText()
    assert "Not set" in again.ai_keys.fields[SecretName.GEMINI_API_KEY].edit.placeholderText()

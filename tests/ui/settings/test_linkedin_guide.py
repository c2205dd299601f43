"""Settings › LinkedIn's guide under pytest-qt: the four steps and their ✓, the redirect URL shown
being the one the login sends (followed through the LinkedIn test server), values refused before
any browser opens, LinkedIn's refusals explained with the step that fixes them, and no window
message naming an environment variable."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from linkie_desktop import config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.migrate import MigrationResult
from linkie_desktop.db.models import LinkedInOAuthState, OAuthStatus
from linkie_desktop.db.types import utc_now
from linkie_desktop.services import oauth_checks
from linkie_desktop.services.oauth import (
    DEVELOPER_APPS_URL,
    PRODUCT_SHARE,
    PRODUCT_SIGN_IN,
    SetupStep,
)
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.linkedin_guide import DONE
from linkie_desktop.ui.settings.linkedin_page import LinkedInPage
from linkie_desktop.ui.tasks import NETWORK_THREAD
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import Browser, free_port, handoff_target

CLIENT_ID = "77testclient42"  # shaped like LinkedIn's: letters and digits
SECRET = "WPL_AP1.testSecret.abc123=="  # the test server's, shaped like LinkedIn's
AUTHORIZE, TOKEN = "/oauth/v2/authorization", "/oauth/v2/accessToken"


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def server(linkedin_server: FakeLinkedIn) -> FakeLinkedIn:
    linkedin_server.client_id = CLIENT_ID
    linkedin_server.client_secret = SECRET
    return linkedin_server


def _workspace(
    engine: Engine, user_id: str, data: Path, server: FakeLinkedIn, **env: str
) -> Workspace:
    cfg = config.load(
        db=str(engine.url),
        env={
            "LINKIE_DATA_DIR": str(data),
            "LINKIE_LINKEDIN_API_BASE": server.base_url,
            "LINKIE_LINKEDIN_AUTH_BASE": server.base_url,
            **env,
        },
    )
    migration = MigrationResult(revision="head", previous=None, backup=None)
    return Workspace(config=cfg, engine=engine, user_id=user_id, migration=migration)


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path, server: FakeLinkedIn) -> Workspace:
    return _workspace(engine, user_id, tmp_path / "appdata", server)


@pytest.fixture
def port(server: FakeLinkedIn) -> int:
    """A free port whose redirect URL is registered for the app on the test server."""
    chosen = free_port()
    server.redirect_uris.add(f"http://127.0.0.1:{chosen}/callback")
    return chosen


class Launcher:
    """Stands in for the system browser the page opens: records every launch, and with `then`
    plays the member on the address LinkedIn's sign-in page was handed over with."""

    def __init__(self, then: Callable[[str], object] | None = None) -> None:
        self.addresses: list[str] = []  # what the browser was started with, in order
        self.then = then
        self.threads: list[threading.Thread] = []

    def __call__(self, address: str) -> bool:
        self.addresses.append(address)
        if self.then is not None and address.startswith("file:"):
            url = handoff_target(address)  # read now: the page goes when the wait is over
            thread = threading.Thread(target=self.then, args=(url,), name="test-browser")
            thread.start()
            self.threads.append(thread)
        return True

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


def refuse_scope(scope: str) -> Callable[[str], object]:
    """LinkedIn's answer when the product that grants `scope` isn't added to the app: it sends
    the browser back to the redirect URL with unauthorized_scope_error (its description
    HTML-escaped, as LinkedIn writes it). The test server has no such app, so the 'browser'
    follows LinkedIn's redirect here."""

    def browse(url: str) -> object:
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        described = f"Scope &quot;{scope}&quot; is not authorized for your application"
        answer = {
            "error": "unauthorized_scope_error",
            "error_description": described,
            "state": query["state"],
        }
        return httpx.get(f"{query['redirect_uri']}?{urlencode(answer)}", timeout=10)

    return browse


@pytest.fixture
def make_dialog(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> Iterator[Callable[..., SettingsDialog]]:
    made: list[Launcher] = []

    def make(workspace: Workspace, launcher: Launcher) -> SettingsDialog:
        made.append(launcher)
        dialog = SettingsDialog(
            workspace, AppSignals(), open_browser=launcher, confirm=lambda _t, _q: True
        )
        qtbot.addWidget(dialog)
        dialog.show()
        _settle(qtbot, dialog.linkedin)
        return dialog

    yield make
    for launcher in made:
        launcher.join()


def _settle(qtbot: QtBot, page: LinkedInPage) -> None:
    qtbot.waitUntil(lambda: page.tasks.pending == 0 and not page.waiting, timeout=20_000)


def _fill(
    page: LinkedInPage, client_id: str = CLIENT_ID, secret: str = SECRET, port: int = 0
) -> None:
    page.client_id_edit.setText(client_id)
    page.secret_field.edit.setText(secret)
    if port:
        page.port_spin.setValue(port)


def _connect(qtbot: QtBot, page: LinkedInPage) -> str:
    """Press Connect and wait until the attempt is over; what the page says about it (beside
    the field a check refused, the top then saying which step; else at the top)."""
    click(page.connect_button)
    _settle(qtbot, page)
    return _said(page)


def _said(page: LinkedInPage) -> str:
    top = page.message_label.text()
    beside = [(s, w.problem.text()) for s, w in page.guide.steps.items() if w.problem.text()]
    if not beside:
        return top
    [(step, message)] = beside
    assert top == f"Linkie did not open LinkedIn's page: see step {step} below."
    assert page.guide.steps[step].problem.isVisible()
    return message


def _marks(page: LinkedInPage) -> dict[SetupStep, bool]:
    return {step: widget.done for step, widget in page.guide.steps.items()}


def _states_left(engine: Engine) -> list[LinkedInOAuthState]:
    with reading(engine) as session:
        return list(session.scalars(select(LinkedInOAuthState)))


def _store_connection(workspace: Workspace) -> None:
    with transaction(workspace.engine) as session:
        queries.upsert_user_settings(
            session,
            workspace.user_id,
            {
                "linkedin_access_token": "enc:v1:placeholder",
                "linkedin_oauth_status": OAuthStatus.CONNECTED.value,
                "linkedin_token_expires_at": utc_now() + timedelta(days=60),
            },
        )


def _shown_texts(dialog: SettingsDialog) -> list[str]:
    """Every text the window shows or tells a screen reader."""
    widgets = [dialog, *dialog.findChildren(QWidget)]
    texts = [w.accessibleName() for w in widgets] + [w.toolTip() for w in widgets]
    texts += [label.text() for label in dialog.findChildren(QLabel)]
    return texts


# --- the steps ---------------------------------------------------------------------------------


def test_the_four_steps_in_linkedins_words(
    make_dialog: Callable[..., SettingsDialog], workspace: Workspace
) -> None:
    page = make_dialog(workspace, Launcher()).linkedin
    steps = page.guide.steps
    assert list(steps) == list(SetupStep)
    assert [steps[s].marker.text() for s in SetupStep] == ["1", "2", "3", "4"]
    assert "developer site" in steps[SetupStep.CREATE_APP].title.text()
    products = steps[SetupStep.ADD_PRODUCTS].title.text()
    assert PRODUCT_SIGN_IN == "Sign In with LinkedIn using OpenID Connect"
    assert PRODUCT_SHARE == "Share on LinkedIn"
    assert PRODUCT_SIGN_IN in products and PRODUCT_SHARE in products
    redirect_note = page.findChild(QLabel, "linkedinRedirectNote")
    assert redirect_note is not None
    assert "Auth tab" in redirect_note.text()
    assert "“Authorized redirect URLs for your app”" in redirect_note.text()
    # A new user sees every step; nothing folds away before the app has worked once.
    assert page.guide.steps_box.isVisible() and not page.guide.toggle_button.isVisible()
    assert not any(_marks(page).values())


def test_the_developer_site_opens_through_the_pages_browser(
    make_dialog: Callable[..., SettingsDialog], workspace: Workspace
) -> None:
    launcher = Launcher()
    page = make_dialog(workspace, launcher).linkedin
    click(page.developers_button)
    assert launcher.addresses == [DEVELOPER_APPS_URL]
    assert DEVELOPER_APPS_URL == "https://www.linkedin.com/developers/apps/new"


def test_steps_are_marked_done_as_far_as_can_be_known(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    memory_keyring: MemoryKeyring,
) -> None:
    page = make_dialog(workspace, Launcher()).linkedin
    none = dict.fromkeys(SetupStep, False)
    page.client_id_edit.setText(CLIENT_ID)
    assert _marks(page) == none  # no secret yet
    page.secret_field.edit.setText(SECRET)
    # An ID and a secret come from an app: steps 1 and 4 are done; 2 and 3 only LinkedIn knows.
    with_credentials = none | {SetupStep.CREATE_APP: True, SetupStep.CREDENTIALS: True}
    assert _marks(page) == with_credentials
    assert page.guide.steps[SetupStep.CREDENTIALS].marker.text() == DONE
    assert page.guide.steps[SetupStep.CREDENTIALS].marker.accessibleName() == "Step 4, done"
    page.client_id_edit.setText("https://www.linkedin.com/developers/apps")
    assert _marks(page) == none  # an ID Connect would refuse is not done

    # Once connected every step is done, and the guide folds into one line.
    _store_connection(workspace)
    SecretStore().set(SecretName.LINKEDIN_CLIENT_SECRET, SECRET)
    again = make_dialog(workspace, Launcher()).linkedin
    again.client_id_edit.setText(CLIENT_ID)
    assert _marks(again) == dict.fromkeys(SetupStep, True)
    guide = again.guide
    assert guide.collapsed and not guide.steps_box.isVisible()
    assert guide.summary.isVisible() and guide.summary.text().startswith(DONE)
    click(guide.toggle_button)
    assert guide.steps_box.isVisible() and guide.toggle_button.text() == "Hide the setup steps"
    # Another port is another redirect URL, which LinkedIn doesn't know yet.
    again.port_spin.setValue(again.port_spin.value() + 1)
    assert not again.guide.steps[SetupStep.REDIRECT_URL].done
    again.port_spin.setValue(again.port_spin.value() - 1)
    assert again.guide.steps[SetupStep.REDIRECT_URL].done
    click(again.secret_field.remove_button)
    assert not again.guide.steps[SetupStep.CREDENTIALS].done


@pytest.mark.parametrize("fixed_by_start", [False, True], ids=["settings-port", "fixed-port"])
def test_the_redirect_url_shown_is_the_one_the_login_sends(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    server: FakeLinkedIn,
    port: int,
    fixed_by_start: bool,
) -> None:
    env = {"LINKIE_OAUTH_PORT": str(port)} if fixed_by_start else {}
    workspace = _workspace(engine, user_id, tmp_path / "appdata", server, **env)
    launcher = Launcher(then=Browser(server).consent)
    page = make_dialog(workspace, launcher).linkedin
    _fill(page, port=0 if fixed_by_start else port)
    assert page.port_spin.isEnabled() is not fixed_by_start
    shown = page.redirect_edit.text()
    assert shown == f"http://127.0.0.1:{port}/callback"

    copy = page.findChild(QWidget, "linkedinCopyRedirect")
    assert copy is not None
    click(copy)
    assert QGuiApplication.clipboard().text() == shown

    message = _connect(qtbot, page)
    launcher.join()
    assert message.startswith("Connected as Alex Rivera"), message
    sent = {request.query["redirect_uri"] for request in server.requests_to("GET", AUTHORIZE)}
    assert sent == {shown}
    [exchange] = server.requests_to("POST", TOKEN)
    assert exchange.form()["redirect_uri"] == shown
    assert _marks(page) == dict.fromkeys(SetupStep, True) and page.guide.collapsed


# --- checked before the browser opens ----------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "secret", "field", "words"),
    [
        ("77test client42", SECRET, "client ID", "The Client ID has a space in it"),
        (
            "https://www.linkedin.com/developers/apps/218/auth",
            SECRET,
            "client ID",
            "The Client ID field holds a web address",
        ),
        (SECRET, SECRET, "client ID", "The Client ID field seems to hold the client secret"),
        ("ab12", SECRET, "client ID", "“ab12” is not a LinkedIn Client ID"),
        (CLIENT_ID, CLIENT_ID, "secret", "The Client secret field holds the Client ID"),
        (CLIENT_ID, "WPL_AP1 test", "secret", "The Client secret has a space in it"),
        (CLIENT_ID, "abc12", "secret", "The Client secret is too short"),
    ],
)
def test_a_wrong_client_id_or_secret_is_refused_before_any_browser_opens(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
    port: int,
    client_id: str,
    secret: str,
    field: str,
    words: str,
) -> None:
    launcher = Launcher(then=Browser(server).consent)
    dialog = make_dialog(workspace, launcher)
    page = dialog.linkedin
    _fill(page, client_id, secret, port)

    message = _connect(qtbot, page)

    assert message.startswith(words), message
    assert "(step 4)" in message
    assert launcher.addresses == [] and server.requests == []
    assert _states_left(workspace.engine) == []
    refused = page.client_id_edit if field == "client ID" else page.secret_field.edit
    assert dialog.focusWidget() is refused


def test_a_busy_redirect_port_is_refused_before_any_browser_opens(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
) -> None:
    launcher = Launcher(then=Browser(server).consent)
    dialog = make_dialog(workspace, launcher)
    page = dialog.linkedin
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = int(squatter.getsockname()[1])
        server.redirect_uris.add(f"http://127.0.0.1:{taken}/callback")
        _fill(page, port=taken)
        message = _connect(qtbot, page)
    assert message == (
        f"Port {taken} is in use by another program: choose another port in Settings › LinkedIn "
        "(step 3) and register the new redirect URL on LinkedIn, then Connect again."
    )
    assert launcher.addresses == [] and server.requests == []
    assert _states_left(workspace.engine) == []
    assert dialog.focusWidget() is page.port_spin


# --- LinkedIn's refusals -----------------------------------------------------------------------


def test_an_unregistered_redirect_url_is_found_before_the_browser_opens(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
) -> None:
    unregistered = free_port()  # the app on LinkedIn lists no redirect URL with this port
    launcher = Launcher(then=Browser(server).consent)
    page = make_dialog(workspace, launcher).linkedin
    _fill(page, port=unregistered)

    message = _connect(qtbot, page)

    assert "“The redirect_uri does not match the registered value”" in message
    assert f"Add http://127.0.0.1:{unregistered}/callback" in message
    assert "“Authorized redirect URLs for your app”" in message and "(step 3)" in message
    assert launcher.addresses == []  # LinkedIn was asked, the browser never opened
    assert len(server.requests_to("GET", AUTHORIZE)) == 1
    assert _states_left(workspace.engine) == []
    with socket.socket() as probe:  # the attempt's listener is closed again
        probe.bind(("127.0.0.1", unregistered))


def test_a_client_id_linkedin_does_not_know_is_found_before_the_browser_opens(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
    port: int,
) -> None:
    launcher = Launcher(then=Browser(server).consent)
    dialog = make_dialog(workspace, launcher)
    page = dialog.linkedin
    _fill(page, client_id="78otherapp0042", port=port)

    message = _connect(qtbot, page)

    assert message.startswith("LinkedIn doesn't know the Client ID 78otherapp0042"), message
    assert "(step 4)" in message
    assert launcher.addresses == [] and _states_left(workspace.engine) == []
    assert dialog.focusWidget() is page.client_id_edit


def test_a_wrong_secret_is_explained_with_the_step(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
    port: int,
) -> None:
    launcher = Launcher(then=Browser(server).consent)
    page = make_dialog(workspace, launcher).linkedin
    _fill(page, secret="WPL_AP1.anotherSecret.xyz789==", port=port)

    message = _connect(qtbot, page)
    launcher.join()

    assert "LinkedIn did not accept your app's Client ID and secret" in message
    assert "Client authentication failed" in message  # LinkedIn's own words are kept
    assert "Primary Client Secret again" in message and "(step 4)" in message
    assert page.status_label.text() == "Not connected"


@pytest.mark.parametrize(
    ("scope", "product"),
    [("w_member_social", PRODUCT_SHARE), ("openid", PRODUCT_SIGN_IN)],
)
def test_a_missing_product_is_explained_with_the_step(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
    port: int,
    scope: str,
    product: str,
) -> None:
    launcher = Launcher(then=refuse_scope(scope))
    page = make_dialog(workspace, launcher).linkedin
    _fill(page, port=port)

    message = _connect(qtbot, page)
    launcher.join()

    assert f"Add the product “{product}” to your app (step 2), then Connect again." in message
    assert f'Scope "{scope}" is not authorized for your application' in message
    assert page.status_label.text() == "Not connected"
    assert _states_left(workspace.engine) == []


# --- never an environment variable -------------------------------------------------------------


def test_no_window_message_names_an_environment_variable(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    server: FakeLinkedIn,
    port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every way Connect can fail, with a port fixed at start-up and without: what the window
    says points at Settings, never at LINKIE_* (the command line's words may)."""
    shown: list[str] = []
    browsers: list[Launcher] = []

    def attempt(page: LinkedInPage, dialog: SettingsDialog) -> None:
        _connect(qtbot, page)
        for browser in browsers:
            browser.join()
        shown.extend(_shown_texts(dialog))

    def browse_with(page: LinkedInPage, then: Callable[[str], object]) -> None:
        browsers.append(Launcher(then=then))
        page.open_browser = browsers[-1]

    for env in ({}, {"LINKIE_OAUTH_PORT": str(port)}):
        SecretStore().delete(SecretName.LINKEDIN_CLIENT_SECRET)  # the last round saved one
        workspace = _workspace(engine, user_id, tmp_path / f"data{len(env)}", server, **env)
        # No client ID, then no secret (the errors that name the variables on the command line).
        dialog = make_dialog(workspace, Launcher())
        page = dialog.linkedin
        attempt(page, dialog)
        page.client_id_edit.setText(CLIENT_ID)
        attempt(page, dialog)
        assert "Primary Client Secret in step 4" in _said(page)
        _fill(page, client_id="77 bad", port=0 if env else port)
        attempt(page, dialog)
        _fill(page, port=0 if env else port)
        with socket.socket() as squatter:  # the port taken: fixed or not, the words differ
            # The last round's listener may have left the port in TIME_WAIT: bind all the same.
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            squatter.bind(("127.0.0.1", port))
            squatter.listen()
            attempt(page, dialog)
            assert f"Port {port} is in use" in _said(page)
        server.client_secret = "WPL_AP1.other.secret=="
        browse_with(page, Browser(server).consent)
        attempt(page, dialog)
        assert "(step 4)" in _said(page)
        server.client_secret = SECRET
        browse_with(page, refuse_scope("w_member_social"))
        attempt(page, dialog)
        assert "(step 2)" in _said(page)
    assert shown and not [text for text in shown if "LINKIE_" in text]


def test_the_port_is_tried_and_linkedin_asked_off_the_gui_thread(
    qtbot: QtBot,
    make_dialog: Callable[..., SettingsDialog],
    workspace: Workspace,
    server: FakeLinkedIn,
    port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran_on: dict[str, str] = {}
    for name in ("check_redirect_port", "check_authorization"):
        real = getattr(oauth_checks, name)

        def recording(*args: object, _name: str = name, _real: Any = real) -> object:
            ran_on[_name] = threading.current_thread().name
            return _real(*args)

        monkeypatch.setattr(oauth_checks, name, recording)
    launcher = Launcher(then=Browser(server).consent)
    page = make_dialog(workspace, launcher).linkedin
    _fill(page, port=port)

    message = _connect(qtbot, page)
    launcher.join()

    assert message.startswith("Connected as Alex Rivera"), message
    assert ran_on == {"check_redirect_port": NETWORK_THREAD, "check_authorization": NETWORK_THREAD}

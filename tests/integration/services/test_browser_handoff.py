"""The browser is handed a private page that leads to LinkedIn, never the address itself: the
address carries the attempt's state and PKCE challenge, and a program's command line is readable
by every local user. Real login, real loopback listener, the LinkedIn test server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import url2pathname

import pytest
from sqlalchemy import Engine

from linkie_desktop.services.browser_handoff import HandoffPage
from linkie_desktop.services.loopback import WaitCancelledError, WaitTimedOutError
from linkie_desktop.services.oauth import ConnectionInfo, LinkedInLogin
from linkie_desktop.services.secrets import SecretStore
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import Browser, app_for, handoff_target, run_login

TIMEOUT_S = 20.0  # the test never waits this long: it only bounds a broken test


class RecordingLauncher:
    """Stands in for xdg-open / the browser: what it was started with, and the page it read
    while the page was there."""

    def __init__(self, opened: bool = True) -> None:
        self.opened = opened
        self.addresses: list[str] = []
        self.targets: list[str] = []

    def __call__(self, address: str) -> bool:
        self.addresses.append(address)
        self.targets.append(handoff_target(address))
        return self.opened


def _login(engine: Engine, user_id: str, server: FakeLinkedIn) -> LinkedInLogin:
    return LinkedInLogin(engine, user_id, app_for(server), SecretStore(), timeout_s=TIMEOUT_S)


def _page_path(address: str) -> Path:
    return Path(url2pathname(urlsplit(address).path))


def test_the_browser_gets_a_private_page_that_leads_to_linkedins_sign_in(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = _login(engine, user_id, linkedin_server)
    launcher = RecordingLauncher()
    browser = Browser(linkedin_server)

    def member(url: str) -> None:
        assert login.open_browser(launcher)
        [address] = launcher.addresses
        query = parse_qs(urlsplit(url).query)
        for secret in (query["state"][0], query["code_challenge"][0]):
            assert secret not in address
        [target] = launcher.targets
        assert target == url  # the page leads to exactly the sign-in address
        browser.consent(target)

    outcome = run_login(login, member)
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome
    page = _page_path(launcher.addresses[0])
    assert not page.exists() and not page.parent.exists()  # gone once the wait is over


def test_the_page_is_removed_when_the_sign_in_is_cancelled(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = _login(engine, user_id, linkedin_server)
    launcher = RecordingLauncher()
    login.start()
    assert login.open_browser(launcher)
    page = _page_path(launcher.addresses[0])
    assert page.exists()
    login.cancel()
    with pytest.raises(WaitCancelledError):
        login.finish()
    assert not page.exists() and not page.parent.exists()


def test_no_browser_is_reported_and_the_page_still_goes(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = LinkedInLogin(engine, user_id, app_for(linkedin_server), SecretStore(), 0.2)
    launcher = RecordingLauncher(opened=False)
    login.start()
    assert login.open_browser(launcher) is False
    with pytest.raises(WaitTimedOutError):
        login.finish()
    assert not _page_path(launcher.addresses[0]).exists()


@pytest.mark.parametrize(
    ("mode", "used"), [(0o700, True), (0o755, False)], ids=["private", "readable by others"]
)
def test_the_page_lives_in_the_runtime_folder_only_when_that_is_private(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mode: int,
    used: bool,
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    runtime.chmod(mode)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    login = _login(engine, user_id, linkedin_server)
    launcher = RecordingLauncher()
    login.start()
    login.open_browser(launcher)  # RecordingLauncher checks the page is private wherever it is
    login.cancel()
    with pytest.raises(WaitCancelledError):
        login.finish()
    assert (_page_path(launcher.addresses[0]).parent.parent == runtime) is used


def test_the_page_carries_any_address_intact_and_only_web_addresses() -> None:
    tricky = 'https://auth.test/oauth?a=1&b="><script>alert(1)</script>&c=%20'
    page = HandoffPage(tricky)
    try:
        assert "<script>" not in page.path.read_text(encoding="utf-8")
        assert handoff_target(page.address) == tricky
    finally:
        page.remove()
    assert not page.path.parent.exists()
    for not_web in ("javascript:alert(1)", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="web address"):
            HandoffPage(not_web)

"""Connecting LinkedIn end to end over real HTTP: the test server plays LinkedIn, a thread the
browser, and Linkie's own loopback server receives the redirect."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import Engine, inspect, select, text, update

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Account, LinkedInOAuthState, OAuthStatus, User
from linkie_desktop.db.types import utc_now
from linkie_desktop.services import oauth
from linkie_desktop.services.loopback import PortInUseError, WaitCancelledError, WaitTimedOutError
from linkie_desktop.services.oauth import (
    ConnectionInfo,
    ConsentDeclinedError,
    LinkedInLogin,
    StateRejectedError,
    TokenExchangeError,
    code_challenge,
    connection_status,
    create_state,
    disconnect,
    exchange_code,
)
from linkie_desktop.services.publisher import keyring_tokens
from linkie_desktop.services.secrets import (
    KeyringUnavailable,
    SecretName,
    SecretStore,
    TokenCipher,
    TokenUnreadableError,
    token_key_entry,
)
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.oauth_helpers import (
    Browser,
    app_for,
    free_port,
    raw_request,
    run_login,
    trickling_client,
)

TIMEOUT_S = 20.0  # the test never waits this long: it only bounds a broken test


def _login(engine: Engine, user_id: str, server: FakeLinkedIn) -> LinkedInLogin:
    return LinkedInLogin(engine, user_id, app_for(server), SecretStore(), timeout_s=TIMEOUT_S)


def _states(engine: Engine) -> list[LinkedInOAuthState]:
    with transaction(engine) as session:
        return list(session.scalars(select(LinkedInOAuthState)))


def _accounts(engine: Engine) -> list[Account]:
    with transaction(engine) as session:
        return list(session.scalars(select(Account)))


def _access_tokens_issued(server: FakeLinkedIn) -> list[str]:
    replies = server.requests_to("POST", "/oauth/v2/accessToken")
    assert replies, "no token request reached LinkedIn"
    # The test server remembers what it issued; the token is what userinfo was called with.
    return [
        r.headers["authorization"].removeprefix("Bearer ")
        for r in server.requests_to("GET", "/v2/userinfo")
    ]


def _assert_nothing_connected(engine: Engine, user_id: str) -> None:
    assert connection_status(engine, user_id).status is OAuthStatus.DISCONNECTED
    assert _accounts(engine) == []
    assert _states(engine) == []
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        assert settings is None or settings.linkedin_access_token is None


def test_connect_stores_member_link_and_sealed_tokens(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    browser = Browser(linkedin_server)
    info = run_login(_login(engine, user_id, linkedin_server), browser.consent)

    assert isinstance(info, ConnectionInfo)
    assert info.status is OAuthStatus.CONNECTED
    assert info.summary() == "Connected as Alex Rivera — token expires in 60 days"
    assert browser.page is not None and browser.page.status_code == 200
    assert "You can close this tab" in browser.page.text
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        user = session.get(User, user_id)
        assert settings is not None and user is not None
        assert settings.linkedin_person_urn == "urn:li:person:782bbtaQ"
        assert settings.linkedin_profile_url == "https://www.linkedin.com/in/me/"
        assert settings.linkedin_connected == 1
        assert settings.linkedin_oauth_status == "connected"
        assert settings.linkedin_token_expires_at is not None
        left = settings.linkedin_token_expires_at - utc_now()
        assert timedelta(days=59, hours=23) < left <= timedelta(days=60)
        assert (user.name, user.email) == ("Alex Rivera", "alex.rivera@example.com")
        assert user.image == "https://media.licdn.com/dms/image/alex.jpg"
        assert user.email_verified is not None
        sealed = settings.linkedin_access_token
    [account] = _accounts(engine)
    assert (account.provider, account.provider_account_id, account.type) == (
        "linkedin",
        "782bbtaQ",
        "oauth",
    )
    assert account.user_id == user_id
    [token] = _access_tokens_issued(linkedin_server)
    assert sealed is not None and sealed.startswith("enc:v1:") and token not in sealed
    assert account.access_token is not None and token not in account.access_token
    # The publisher's token provider reads back the very token LinkedIn issued.
    with transaction(engine) as session:
        row = queries.get_user_settings(session, user_id)
        assert row is not None
        assert keyring_tokens(SecretStore())(row) == token
    assert _states(engine) == []  # used once, then deleted


def test_token_request_proves_pkce_and_sends_the_client_secret(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    run_login(login, browser.consent)

    [authorize] = linkedin_server.requests_to("GET", "/oauth/v2/authorization")
    assert authorize.query["scope"] == "openid profile email w_member_social"
    assert authorize.query["code_challenge_method"] == "S256"
    assert authorize.query["redirect_uri"] == login.app.redirect_uri
    [token_request] = linkedin_server.requests_to("POST", "/oauth/v2/accessToken")
    form = token_request.form()
    assert form["grant_type"] == "authorization_code"
    assert form["client_secret"] == linkedin_server.client_secret
    assert form["redirect_uri"] == login.app.redirect_uri
    assert code_challenge(form["code_verifier"]) == authorize.query["code_challenge"]
    assert 43 <= len(form["code_verifier"]) <= 128


def _everything_stored(engine: Engine, db_path: Path) -> list[tuple[str, bytes]]:
    """SQLite: the bytes of the database's files, its WAL included. PostgreSQL (a shared server,
    whose files are not ours to read): every row of every table, as text."""
    if engine.dialect.name == "sqlite":
        files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
        assert any(p.name.endswith("-wal") for p in files)  # the WAL is read too
        return [(path.name, path.read_bytes()) for path in files]
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        assert "user_settings" in tables
        return [
            (
                table,
                "\n".join(
                    connection.execute(text(f'SELECT t::text FROM "{table}" t')).scalars()
                ).encode(),
            )
            for table in tables
        ]


def test_tokens_never_reach_the_database_file_or_the_log(
    engine: Engine,
    user_id: str,
    db_path: Path,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    linkedin_server.refresh_tokens_enabled = True
    caplog.set_level(logging.DEBUG)
    run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)

    [token] = _access_tokens_issued(linkedin_server)
    refresh_form = linkedin_server.requests_to("POST", "/oauth/v2/accessToken")[0].form()
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        assert settings is not None and settings.linkedin_refresh_token is not None
        refresh = TokenCipher(SecretStore()).decrypt(
            settings.linkedin_refresh_token, "refresh_token"
        )
    secrets_to_hide = [token, refresh, linkedin_server.client_secret, refresh_form["code"]]
    for where, raw in _everything_stored(engine, db_path):
        for secret in secrets_to_hide:
            assert secret.encode() not in raw, f"a secret is readable in {where}"
    # What the app logged (httpx included); the test's own browser thread is not the app.
    app_log = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}"
        for r in caplog.records
        if r.threadName != "test-browser"
    )
    assert "oauth/v2/accessToken" in app_log
    for secret in secrets_to_hide:
        assert secret not in app_log


def test_cancel_on_linkedins_page_connects_nothing(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    linkedin_server.consent = "cancel"
    browser = Browser(linkedin_server)
    outcome = run_login(_login(engine, user_id, linkedin_server), browser.consent)

    assert isinstance(outcome, ConsentDeclinedError)
    assert "You cancelled" in str(outcome)
    assert browser.page is not None and "You cancelled" in browser.page.text
    assert linkedin_server.requests_to("POST", "/oauth/v2/accessToken") == []
    _assert_nothing_connected(engine, user_id)


def _forged_query(kind: str, engine: Engine, user_id: str, other_user_id: str, live: str) -> str:
    """The query string of a callback that is not the answer to this attempt."""
    if kind == "no state":
        return "code=AQTforged"
    if kind == "unknown state":
        return "code=AQTforged&state=forged-by-someone"
    if kind == "another profile's live state":
        return f"code=AQTforged&state={create_state(engine, other_user_id)}"
    if kind == "an expired state":
        with transaction(engine) as session:
            past = utc_now() - timedelta(minutes=1)
            session.add(LinkedInOAuthState(state="stale", user_id=user_id, expires_at=past))
        return "code=AQTforged&state=stale"
    if kind == "an error without a state":
        return "error=user_cancelled_authorize&error_description=forged"
    if kind == "an error with a forged state":
        return "error=user_cancelled_authorize&state=forged-by-someone"
    assert kind == "the live state without a code or an error"
    return f"state={live}"


@pytest.mark.parametrize(
    "kind",
    [
        "no state",
        "unknown state",
        "another profile's live state",
        "an expired state",
        "an error without a state",
        "an error with a forged state",
        "the live state without a code or an error",
    ],
)
def test_a_forged_callback_is_turned_away_and_the_real_answer_still_connects(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    kind: str,
) -> None:
    # Any page in any browser can make a request to the listener (an <img> is enough): such a
    # request must not end the sign-in the member is in the middle of.
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    forged_pages: list[httpx.Response] = []

    def hostile_page_then_member(url: str) -> None:
        live = parse_qs(urlsplit(url).query)["state"][0]
        query = _forged_query(kind, engine, user_id, other_user_id, live)
        forged_pages.append(browser.open(f"{login.app.redirect_uri}?{query}"))
        browser.consent(url)

    outcome = run_login(login, hostile_page_then_member)

    [forged] = forged_pages
    assert forged.status_code == 400
    assert "keeps waiting" in forged.text
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome
    assert browser.page is not None and browser.page.status_code == 200
    assert len(linkedin_server.requests_to("POST", "/oauth/v2/accessToken")) == 1
    if kind == "another profile's live state":  # not ours to use up
        assert [s.user_id for s in _states(engine)] == [other_user_id]


def test_a_used_state_of_an_earlier_attempt_is_turned_away(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    first = Browser(linkedin_server)
    run_login(_login(engine, user_id, linkedin_server), first.consent)
    assert first.location is not None
    replayed = urlsplit(first.location).query  # its code and state are both used up
    disconnect(engine, user_id, SecretStore())

    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)

    def replay_then_member(url: str) -> None:
        browser.open(f"{login.app.redirect_uri}?{replayed}")
        browser.consent(url)

    outcome = run_login(login, replay_then_member)
    assert [r.status_code for r in browser.visits] == [400, 200]
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: a name of theirs that resolves to 127.0.0.1
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:{other}",
        "127.0.0.1",
        None,
    ],
)
def test_a_foreign_host_header_is_turned_away_and_the_wait_goes_on(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    host: str | None,
) -> None:
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    port = login.app.redirect_port
    statuses: list[int] = []

    def rebinding_page_then_member(url: str) -> None:
        # Even LinkedIn's real answer, once it arrives under another name, is not let in.
        location = linkedin_server.play_browser(url)
        target = urlsplit(location)
        header = "" if host is None else f"Host: {host.format(port=port, other=port + 1)}\r\n"
        head = f"GET {target.path}?{target.query} HTTP/1.0\r\n{header}\r\n"
        statuses.append(raw_request(port, head.encode()))
        browser.open(location)

    outcome = run_login(login, rebinding_page_then_member)
    assert len(statuses) == 1 and statuses[0] in (400, 421)
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_loopback_names_are_let_in(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    host: str,
) -> None:
    login = _login(engine, user_id, linkedin_server)
    port = login.app.redirect_port

    def member(url: str) -> None:
        target = urlsplit(linkedin_server.play_browser(url))
        head = (
            f"GET {target.path}?{target.query} HTTP/1.0\r\nHost: {host.format(port=port)}\r\n\r\n"
        )
        assert raw_request(port, head.encode()) == 200

    outcome = run_login(login, member)
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome


@pytest.mark.parametrize("slow", ["silent", "one byte at a time"])
def test_a_slow_client_does_not_hold_up_the_real_answer(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    slow: str,
) -> None:
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    port = login.app.redirect_port

    def slow_client_then_member(url: str) -> None:
        # The slow connection is queued first, so a listener serving one request at a time
        # would be stuck on it; the member's answer must get through regardless.
        if slow == "silent":
            with socket.create_connection(("127.0.0.1", port), timeout=10):
                browser.consent(url)
        else:
            with trickling_client(port):
                browser.consent(url)

    # Bounded by the login's own TIMEOUT_S: a stuck listener ends in WaitTimedOutError.
    outcome = run_login(login, slow_client_then_member)
    assert isinstance(outcome, ConnectionInfo) and outcome.connected, outcome
    assert browser.page is not None and browser.page.status_code == 200


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        # The member came back eleven minutes later.
        ({"expires_at": "past"}, "expired"),
        # The row belongs to another profile of a shared database.
        ({"user_id": "other"}, "another profile"),
    ],
)
def test_stale_or_foreign_state_is_refused(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    tamper: dict[str, str],
    reason: str,
) -> None:
    meaning = {"past": utc_now() - timedelta(minutes=1), "other": other_user_id}
    values = {column: meaning[value] for column, value in tamper.items()}

    def browser(url: str) -> None:
        with transaction(engine) as session:
            session.execute(update(LinkedInOAuthState).values(**values))
        Browser(linkedin_server).consent(url)

    outcome = run_login(_login(engine, user_id, linkedin_server), browser)
    assert isinstance(outcome, StateRejectedError)
    assert reason in str(outcome)
    _assert_nothing_connected(engine, user_id)


def test_authorization_code_works_once(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    run_login(login, browser.consent)
    form = linkedin_server.requests_to("POST", "/oauth/v2/accessToken")[0].form()

    with pytest.raises(TokenExchangeError, match="invalid, used or expired") as caught:
        exchange_code(login.app, form["code"], form["code_verifier"])
    assert linkedin_server.client_secret not in str(caught.value)


def test_a_token_answer_that_trickles_in_ends_at_the_deadline_and_connects_nothing(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The token answer comes one byte every 0.2 s: per-read timeouts never trip, so only a
    # whole-request deadline (shortened here from its 30 s) ends the exchange.
    monkeypatch.setattr(oauth, "_HTTP_TIMEOUT_S", 1.0)
    linkedin_server.inject("POST", "/oauth/v2/accessToken", trickle_s=0.2)
    outcome = run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)
    assert isinstance(outcome, TokenExchangeError)
    assert "couldn't reach LinkedIn to finish connecting (ReadTimeout)" in str(outcome)
    _assert_nothing_connected(engine, user_id)


def test_wrong_client_secret_is_explained(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = _login(engine, user_id, linkedin_server)
    linkedin_server.client_secret = "the-real-secret-on-linkedin"  # the app holds another one
    outcome = run_login(login, Browser(linkedin_server).consent)
    assert isinstance(outcome, TokenExchangeError)
    assert "Client authentication failed" in str(outcome)  # LinkedIn's words, then what to do
    assert "Primary Client Secret again from your app's Auth tab into Settings" in str(outcome)
    assert "(step 4)" in str(outcome)
    _assert_nothing_connected(engine, user_id)


def test_port_in_use_names_the_port_and_the_setting(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = int(squatter.getsockname()[1])
        login = LinkedInLogin(engine, user_id, app_for(linkedin_server, port), SecretStore())
        with pytest.raises(PortInUseError) as caught:
            login.start()
    message = str(caught.value)
    assert f"Port {port}" in message
    assert "LINKIE_OAUTH_PORT" in message and "Settings" in message
    assert _states(engine) == []


def test_unregistered_redirect_is_refused_by_linkedin_and_cancel_ends_the_wait(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = LinkedInLogin(
        engine, user_id, app_for(linkedin_server, register=False), SecretStore(), TIMEOUT_S
    )
    refused: list[httpx.Response] = []

    def browser(url: str) -> None:
        refused.append(httpx.get(url))  # LinkedIn shows its error page; nothing comes back
        login.cancel()  # the member gives up and presses Cancel in Linkie

    outcome = run_login(login, browser)
    assert refused[0].status_code == 400
    assert "redirect_uri" in refused[0].text
    assert isinstance(outcome, WaitCancelledError)
    _assert_nothing_connected(engine, user_id)


def test_cancel_before_the_wait_starts_still_ends_it(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = _login(engine, user_id, linkedin_server)
    login.start()
    login.cancel()
    with pytest.raises(WaitCancelledError):
        login.finish()
    _assert_nothing_connected(engine, user_id)


def test_no_answer_times_out_and_leaves_nothing(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    login = LinkedInLogin(engine, user_id, app_for(linkedin_server), SecretStore(), 0.2)
    login.start()
    with pytest.raises(WaitTimedOutError, match="did not answer"):
        login.finish()
    _assert_nothing_connected(engine, user_id)


def test_only_get_callback_is_answered(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    browser = Browser(linkedin_server)
    login = _login(engine, user_id, linkedin_server)
    base = f"http://127.0.0.1:{login.app.redirect_port}"

    def wandering_browser(url: str) -> None:
        browser.open(f"{base}/favicon.ico")
        browser.open(f"{base}/callback?code=x&state=y", method="POST")
        browser.consent(url)

    outcome = run_login(login, wandering_browser)
    assert [r.status_code for r in browser.visits] == [404, 405, 200]
    assert isinstance(outcome, ConnectionInfo) and outcome.connected


def test_keyring_unavailable_refuses_before_the_browser_opens(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, unavailable_keyring: str
) -> None:
    port = free_port()
    login = LinkedInLogin(engine, user_id, app_for(linkedin_server, port), SecretStore())
    with pytest.raises(KeyringUnavailable, match="keyring"):
        login.start()
    with socket.socket() as probe:  # the port was never taken
        probe.bind(("127.0.0.1", port))
    assert _states(engine) == []


def test_reconnect_without_refresh_token_keeps_the_stored_one(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    linkedin_server.refresh_tokens_enabled = True
    run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)
    cipher = TokenCipher(SecretStore())
    with transaction(engine) as session:
        first = queries.get_user_settings(session, user_id)
        assert first is not None and first.linkedin_refresh_token is not None
        refresh = cipher.decrypt(first.linkedin_refresh_token, "refresh_token")

    linkedin_server.refresh_tokens_enabled = False
    run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)
    with transaction(engine) as session:
        second = queries.get_user_settings(session, user_id)
        assert second is not None and second.linkedin_refresh_token is not None
        assert cipher.decrypt(second.linkedin_refresh_token, "refresh_token") == refresh
    [account] = _accounts(engine)
    assert account.refresh_token is not None
    assert cipher.decrypt(account.refresh_token, "refresh_token") == refresh


def test_expired_attempts_are_cleaned_when_a_new_one_starts(
    engine: Engine, user_id: str, memory_keyring: MemoryKeyring
) -> None:
    with transaction(engine) as session:
        session.add(
            LinkedInOAuthState(
                state="stale", user_id=user_id, expires_at=utc_now() - timedelta(hours=1)
            )
        )
    fresh = create_state(engine, user_id)
    assert [s.state for s in _states(engine)] == [fresh]


def test_disconnect_wipes_tokens_link_and_key(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        assert settings is not None
        sealed = settings.linkedin_access_token
    assert sealed is not None

    disconnect(engine, user_id, SecretStore())

    info = connection_status(engine, user_id)
    assert info.status is OAuthStatus.DISCONNECTED and info.summary() == "Not connected"
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        assert settings is not None
        assert settings.linkedin_access_token is None
        assert settings.linkedin_refresh_token is None
        assert settings.linkedin_connected == 0
        assert settings.linkedin_oauth_status == "disconnected"
    assert _accounts(engine) == []
    assert ("linkie-desktop", SecretName.TOKEN_DATA_KEY.value) not in memory_keyring.entries
    with pytest.raises(TokenUnreadableError):  # even a copy of the old column is useless now
        TokenCipher(SecretStore()).decrypt(sealed, "access_token")


def test_disconnecting_one_profile_leaves_another_profiles_token_readable(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
) -> None:
    cipher = TokenCipher(SecretStore())
    with transaction(engine) as session:  # the other profile shares the file and its key
        queries.upsert_user_settings(
            session,
            other_user_id,
            {"linkedin_access_token": cipher.encrypt("their-token", "access_token")},
        )
    run_login(_login(engine, user_id, linkedin_server), Browser(linkedin_server).consent)

    disconnect(engine, user_id, SecretStore())

    with transaction(engine) as session:
        theirs = queries.get_user_settings(session, other_user_id)
        assert theirs is not None and theirs.linkedin_access_token is not None
        sealed = theirs.linkedin_access_token
    assert TokenCipher(SecretStore()).decrypt(sealed, "access_token") == "their-token"


@pytest.mark.keyring
def test_connect_and_disconnect_with_the_real_keyring(
    engine: Engine,
    user_id: str,
    db_path: Path,
    linkedin_server: FakeLinkedIn,
    real_keyring_store: SecretStore,
) -> None:
    login = LinkedInLogin(
        engine, user_id, app_for(linkedin_server), real_keyring_store, timeout_s=TIMEOUT_S
    )
    info = run_login(login, Browser(linkedin_server).consent)
    assert isinstance(info, ConnectionInfo) and info.connected
    [token] = _access_tokens_issued(linkedin_server)
    for path in db_path.parent.iterdir():
        assert token.encode() not in path.read_bytes()
    with transaction(engine) as session:
        row = queries.get_user_settings(session, user_id)
        assert row is not None
        assert keyring_tokens(real_keyring_store)(row) == token

    disconnect(engine, user_id, real_keyring_store)
    assert real_keyring_store.get(SecretName.TOKEN_DATA_KEY) is None
    assert connection_status(engine, user_id).status is OAuthStatus.DISCONNECTED


def test_a_person_keeps_the_name_and_address_they_gave_when_they_connect(
    engine: Engine, linkedin_server: FakeLinkedIn, memory_keyring: MemoryKeyring
) -> None:
    """On a shared database the address is how a person is chosen (--user): LinkedIn fills only
    the blanks, and never takes an address that is someone else's."""
    with transaction(engine) as session:
        ann = User(name="Ann", email="ann@team.example")
        placeholder = queries.get_or_create_local_user(session)
        holder = User(name="Alex elsewhere", email="Alex.Rivera@example.com")  # LinkedIn's, taken
        session.add_all([ann, holder])
        session.flush()
        ids = (ann.id, placeholder.id)
    for person in ids:
        run_login(_login(engine, person, linkedin_server), Browser(linkedin_server).consent)
    with transaction(engine) as session:
        mine = session.get(User, ids[0])
        first = session.get(User, ids[1])
        assert mine is not None and first is not None
        assert (mine.name, mine.email) == ("Ann", "ann@team.example")
        assert first.email == queries.LOCAL_USER_EMAIL  # LinkedIn's address is another's here
        assert first.name == "Alex Rivera"  # a blank name is filled in


def test_disconnecting_forgets_that_person_s_own_key(
    engine: Engine, user_id: str, other_user_id: str, memory_keyring: MemoryKeyring
) -> None:
    mine, theirs = SecretStore(user_id=user_id), SecretStore(user_id=other_user_id)
    for store in (mine, theirs):
        TokenCipher(store).encrypt("a-token", "access_token")  # each person's key is made
    oauth.disconnect(engine, user_id, mine)
    entries = {entry for (_service, entry) in memory_keyring.entries}
    assert token_key_entry(user_id) not in entries
    assert token_key_entry(other_user_id) in entries

"""The pure parts of connecting: the authorization URL, PKCE, credentials, status wording."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from linkie_desktop import config
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.services.oauth import (
    ConnectionInfo,
    LinkedInApp,
    OAuthError,
    authorization_url,
    code_challenge,
    linkedin_app,
    new_code_verifier,
)
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretName, SecretStore
from tests.fakes.keyrings import MemoryKeyring

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SIXTY_DAYS = "Connected as Alex — token expires in 60 days"
APP = LinkedInApp("cid", "csecret-value", 8723, "https://auth.test", "https://api.test", "202511")


def test_authorization_url_matches_linkedins_contract() -> None:
    verifier = new_code_verifier()
    url = authorization_url(APP, "state-1", verifier)
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://auth.test/oauth/v2/authorization"
    )
    assert "scope=openid%20profile%20email%20w_member_social" in parts.query
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "response_type": "code",
        "client_id": "cid",
        "redirect_uri": "http://127.0.0.1:8723/callback",
        "state": "state-1",
        "scope": "openid profile email w_member_social",
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    assert "csecret-value" not in url  # the secret goes only to the token endpoint


def test_pkce_verifier_and_s256_challenge() -> None:
    verifier = new_code_verifier()
    assert re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", verifier)
    assert new_code_verifier() != verifier
    digest = hashlib.sha256(verifier.encode()).digest()
    assert code_challenge(verifier) == base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_app_repr_hides_the_client_secret() -> None:
    assert "csecret-value" not in repr(APP)


def test_credentials_come_from_settings_and_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set(SecretName.LINKEDIN_CLIENT_SECRET, "secret-from-keyring")
    cfg = config.load(env={})
    prefs = Preferences(linkedin_client_id="cid-from-settings", oauth_port=9001)
    app = linkedin_app(cfg, prefs, store)
    assert (app.client_id, app.client_secret) == ("cid-from-settings", "secret-from-keyring")
    assert app.redirect_uri == "http://127.0.0.1:9001/callback"


def test_environment_fills_in_for_headless_use(memory_keyring: MemoryKeyring) -> None:
    env = {
        "LINKIE_LINKEDIN_CLIENT_ID": "cid-env",
        "LINKIE_LINKEDIN_CLIENT_SECRET": "secret-env",
        "LINKIE_OAUTH_PORT": "9100",
        "LINKIE_LINKEDIN_VERSION": "202601",
    }
    app = linkedin_app(config.load(env=env), Preferences(oauth_port=9001), SecretStore())
    assert (app.client_id, app.client_secret) == ("cid-env", "secret-env")
    assert app.redirect_port == 9100  # the environment wins over the setting
    assert app.api_version == "202601"


@pytest.mark.parametrize(
    ("prefs", "missing"),
    [(Preferences(), "client ID"), (Preferences(linkedin_client_id="cid"), "client secret")],
)
def test_missing_credentials_are_named(
    memory_keyring: MemoryKeyring, prefs: Preferences, missing: str
) -> None:
    with pytest.raises(OAuthError, match=missing):
        linkedin_app(config.load(env={}), prefs, SecretStore())


@pytest.mark.parametrize(
    ("left", "summary", "soon"),
    [
        (timedelta(days=60), SIXTY_DAYS, False),
        (
            timedelta(days=59, hours=23, minutes=59),
            SIXTY_DAYS,
            False,
        ),
        (timedelta(days=7, hours=1), "Connected as Alex — token expires in 7 days", False),
        (timedelta(days=6, hours=23), "Connected as Alex — token expires in 7 days", True),
        (timedelta(days=1), "Connected as Alex — token expires in 1 day", True),
        (timedelta(hours=3), "Connected as Alex — token expires today", True),
    ],
)
def test_status_wording_and_the_seven_day_warning(
    left: timedelta, summary: str, soon: bool
) -> None:
    info = ConnectionInfo(OAuthStatus.CONNECTED, "Alex", "urn:li:person:a", NOW + left, NOW)
    assert info.summary() == summary
    assert info.expiring_soon is soon


def test_expired_and_disconnected_wording() -> None:
    assert ConnectionInfo(OAuthStatus.EXPIRED, "A", None, NOW, NOW).summary() == (
        "Expired — reconnect"
    )
    info = ConnectionInfo(OAuthStatus.DISCONNECTED, None, None, None, NOW)
    assert info.summary() == "Not connected"
    assert not info.connected and not info.expiring_soon and info.days_left is None

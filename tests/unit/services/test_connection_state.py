"""One rule decides the LinkedIn connection's state for every screen and for the publisher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from linkie_desktop.db.models import OAuthStatus, UserSettings
from linkie_desktop.services.oauth import decide_connection

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _settings(status: OAuthStatus, token: str | None, expires_in: timedelta | None) -> UserSettings:
    return UserSettings(
        user_id="u",
        linkedin_oauth_status=status.value,
        linkedin_access_token=token,
        linkedin_token_expires_at=NOW + expires_in if expires_in is not None else None,
        linkedin_person_urn="urn:li:person:x",
    )


@pytest.mark.parametrize(
    ("settings", "status", "days_left"),
    [
        (None, OAuthStatus.DISCONNECTED, None),
        (_settings(OAuthStatus.CONNECTED, None, timedelta(days=9)), OAuthStatus.DISCONNECTED, None),
        (_settings(OAuthStatus.EXPIRED, None, None), OAuthStatus.EXPIRED, None),
        (
            _settings(OAuthStatus.CONNECTED, "sealed", timedelta(days=9, hours=1)),
            OAuthStatus.CONNECTED,
            9,
        ),
        (_settings(OAuthStatus.CONNECTED, "sealed", -timedelta(seconds=1)), OAuthStatus.EXPIRED, 0),
        (_settings(OAuthStatus.EXPIRED, "sealed", timedelta(days=30)), OAuthStatus.EXPIRED, 30),
    ],
)
def test_the_state_and_days_left_come_from_the_stored_row(
    settings: UserSettings | None, status: OAuthStatus, days_left: int | None
) -> None:
    info = decide_connection(settings, "Alex", NOW)
    assert (info.status, info.days_left) == (status, days_left)

"""Put a LinkedIn connection in the database as the OAuth flow leaves it (for screen tests)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.db.types import utc_now

# What a sealed token looks like in the column; screens never decrypt it, only the publisher.
SEALED_TOKEN_STAND_IN = "enc:v1:c3RhbmQtaW4="


def mark_connected(
    engine: Engine, user_id: str, expires_in: timedelta = timedelta(days=60)
) -> None:
    with transaction(engine) as session:
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_connected": 1,
                "linkedin_person_urn": "urn:li:person:test",
                "linkedin_access_token": SEALED_TOKEN_STAND_IN,
                "linkedin_token_expires_at": utc_now() + expires_in,
            },
        )

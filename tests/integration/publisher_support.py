"""A publisher test's world: a migrated database, a connected user and the LinkedIn test server."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus, Post, UserSettings
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import PassResult, PublisherConfig, run_once
from tests.fakes.linkedin_server import FakeLinkedIn

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POSTS_PATH = "/rest/posts"


@dataclass
class Desk:
    engine: Engine
    user_id: str
    server: FakeLinkedIn
    config: PublisherConfig
    token: str = ""

    def connect(self, token: str | None = None) -> str:
        """Store a connection as the OAuth flow would (the column is opaque to the publisher)."""
        self.token = token or self.server.issue_token()
        with transaction(self.engine) as session:
            queries.upsert_user_settings(
                session,
                self.user_id,
                {
                    "linkedin_oauth_status": OAuthStatus.CONNECTED,
                    "linkedin_connected": 1,
                    "linkedin_person_urn": f"urn:li:person:{self.server.profile['sub']}",
                    "linkedin_access_token": "enc:v1:sealed-by-secrets-py",
                    "linkedin_token_expires_at": NOW + timedelta(days=60),
                },
            )
        return self.token

    def tokens(self, settings: UserSettings) -> str:
        assert settings.linkedin_access_token == "enc:v1:sealed-by-secrets-py"
        return self.token

    def due_post(
        self,
        content: str = "Hello LinkedIn",
        late: timedelta = timedelta(minutes=1),
        at: datetime | None = None,
        **kw: Any,
    ) -> str:
        """A scheduled post `late` before NOW (or at `at`); `kw` sets any other column."""
        with transaction(self.engine) as session:
            post = queries.create_post(
                session,
                {
                    "user_id": self.user_id,
                    "content": content,
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": at or NOW - late,
                },
            )
            for key, value in kw.items():
                setattr(post, key, value)
            return post.id

    def run(self, at: datetime = NOW, **config_changes: Any) -> PassResult:
        config = replace(self.config, **config_changes) if config_changes else self.config
        return run_once(self.engine, self.tokens, config, now=at)

    def post(self, post_id: str) -> Post:
        with transaction(self.engine) as session:
            post = session.get(Post, post_id)
            assert post is not None
            return post

    def settings(self) -> UserSettings:
        with transaction(self.engine) as session:
            settings = queries.get_user_settings(session, self.user_id)
            assert settings is not None
            return settings

    def sent_posts(self) -> int:
        return len(self.server.requests_to("POST", POSTS_PATH))


def make_desk(engine: Engine, user_id: str, server: FakeLinkedIn) -> Desk:
    config = PublisherConfig(
        api_base=server.base_url,
        linkedin_version="202511",
        retry_base_s=60.0,
        request_deadline_s=2.0,
    )
    desk = Desk(engine, user_id, server, config)
    desk.connect()
    return desk

"""What the window's status bar reports: the LinkedIn connection and the next scheduled post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.domain.posts import display_title


@dataclass(frozen=True)
class Connection:
    status: str  # an OAuthStatus value
    expires_at: datetime | None

    @property
    def connected(self) -> bool:
        return self.status == OAuthStatus.CONNECTED

    def describe(self) -> str:
        if self.status == OAuthStatus.CONNECTED:
            return "LinkedIn: connected"
        if self.status == OAuthStatus.EXPIRED:
            return "LinkedIn: connection expired — reconnect in Settings"
        return "LinkedIn: not connected"

    def why_not_publishable(self) -> str:
        """The plain reason Publish now is unavailable ("" when it is)."""
        if self.status == OAuthStatus.EXPIRED:
            return "The LinkedIn connection expired: reconnect in File › Settings… to publish."
        if self.status != OAuthStatus.CONNECTED:
            return "Connect your LinkedIn account in File › Settings… to publish."
        return ""


@dataclass(frozen=True)
class NextPost:
    post_id: str
    label: str
    scheduled_at: datetime


def linkedin_connection(engine: Engine, user_id: str) -> Connection:
    with transaction(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        if settings is None or not settings.linkedin_oauth_status:
            return Connection(OAuthStatus.DISCONNECTED, None)
        return Connection(settings.linkedin_oauth_status, settings.linkedin_token_expires_at)


def next_scheduled_post(engine: Engine, user_id: str) -> NextPost | None:
    with transaction(engine) as session:
        post = queries.get_next_scheduled_post(session, user_id)
        if post is None or post.scheduled_at is None:
            return None
        return NextPost(post.id, display_title(post.title, post.content, 40), post.scheduled_at)

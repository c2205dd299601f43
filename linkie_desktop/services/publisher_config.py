"""How a publisher pass is set up: where LinkedIn is, the API version, the backoff, the upload and
video timings, and how it gets each member's access token (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Protocol

from linkie_desktop.config import KEYRING_SERVICE, Config
from linkie_desktop.db.models import UserSettings
from linkie_desktop.services.linkedin import DEFAULT_DEADLINE_S, LinkedInClient
from linkie_desktop.services.oauth import effective_version
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.secrets import SecretStore, TokenCipher

LATE_GRACE = timedelta(hours=1)
UPLOAD_LEAD = timedelta(minutes=30)


class TokenProvider(Protocol):
    """The plain access token of a connected user's settings row.

    The stored columns hold ciphertext (services/secrets.py); a provider decrypts. Raise any
    exception with a plain message to make the user's posts wait (keyring locked, key gone).
    """

    def __call__(self, settings: UserSettings, /) -> str: ...


ClientFactory = Callable[[str], LinkedInClient]  # access token -> client


def keyring_tokens(store: SecretStore | None = None) -> TokenProvider:
    """The app's provider: decrypt each user's stored token with that user's key in the OS
    keyring (services/secrets.py). A user whose key is not on this machine raises
    TokenKeyMissingError: their posts wait, the others' go out."""
    service = store.service if store is not None else KEYRING_SERVICE

    def provide(settings: UserSettings) -> str:
        cipher = TokenCipher(SecretStore(service, user_id=settings.user_id))
        return cipher.decrypt(settings.linkedin_access_token or "", "access_token")

    return provide


@dataclass(frozen=True)
class PublisherConfig:
    api_base: str
    linkedin_version: str
    retry_base_s: float = 60.0
    request_deadline_s: float = DEFAULT_DEADLINE_S  # each whole request (services/linkedin.py)
    # Asked before each post a pass takes up: False ends the pass there, never mid-request
    # (`linkie serve` asked to stop finishes the request in hand and takes no other).
    keep_going: Callable[[], bool] = lambda: True
    late_grace: timedelta = LATE_GRACE
    tz: tzinfo | None = None  # the zone messages speak in; None: the system's
    media_dir: Path | None = None  # where a post's stored media names point
    upload_lead: timedelta = UPLOAD_LEAD  # media go up this long before the post's time
    # A video is created only once AVAILABLE: a pass reads its status every `video_poll_s` for
    # at most `video_wait_s`, then leaves it and looks again `video_recheck_s` later, so a long
    # processing never holds up the pass (and the posts after it).
    video_poll_s: float = 3.0
    video_wait_s: float = 10.0
    video_recheck_s: float = 30.0
    # Settings › Schedule's evergreen refill: the rest between two uses; None: off.
    evergreen_gap: timedelta | None = None

    @classmethod
    def from_config(cls, config: Config, preferences: Preferences | None = None) -> PublisherConfig:
        """LINKIE_LINKEDIN_VERSION wins; otherwise the API version chosen in Settings."""
        version = config.linkedin_version
        if preferences is not None:
            version = effective_version(config, preferences)
        return cls(
            api_base=config.linkedin_api_base,
            linkedin_version=version,
            retry_base_s=config.retry_base_s,
            media_dir=config.media_dir,
            evergreen_gap=preferences.evergreen_refill_gap if preferences else None,
        )

    def client_for(self, access_token: str) -> LinkedInClient:
        return LinkedInClient(
            self.api_base, self.linkedin_version, access_token, self.request_deadline_s
        )

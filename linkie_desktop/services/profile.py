"""Who a post will appear from: the connected member's name and picture, the picture kept on disk.

At connect, services/oauth.py stores the name and the picture's address from LinkedIn's
/v2/userinfo in the users row. The picture itself is downloaded once into the data folder (a
private file, named after its address) and reused; a new address (LinkedIn's picture links
change when the member changes the picture, or at a reconnect) downloads it again and removes the
old copy. No Qt here: the window loads it through its task runner.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import OAuthStatus, User
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.images import open_checked_image
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.private_files import FILE_MODE, private_folder
from linkie_desktop.services.oauth import decide_connection

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

PICTURE_FOLDER = "profile"
_PICTURE_PREFIX = "picture-"
# A profile picture is a few kilobytes from LinkedIn's CDN; a stalled one must not hold a
# network thread for long, and it is only decoration.
PICTURE_DEADLINE_S = 20.0
# LinkedIn serves pictures of at most 800×800 px; this refuses anything that is clearly no
# profile picture before it is written to disk.
MAX_PICTURE_BYTES = 5_000_000


class PictureUnavailable(Exception):  # noqa: N818 - named for what the caller hears
    """The picture could not be fetched or is no image; the message says why in plain words."""


@dataclass(frozen=True)
class Profile:
    """The member posts appear from; `name` None when no LinkedIn account is connected."""

    name: str | None
    picture_url: str | None
    picture_path: Path | None  # the downloaded copy of `picture_url`, when it is on disk

    @property
    def connected(self) -> bool:
        return self.name is not None


NOT_CONNECTED = Profile(None, None, None)


def _picture_file(data_dir: Path, url: str) -> Path:
    # Named after the address: a new address is a new file, so a stale copy is never shown.
    digest = hashlib.sha256(url.encode()).hexdigest()[:24]
    return data_dir / PICTURE_FOLDER / f"{_PICTURE_PREFIX}{digest}"


def read_profile(engine: Engine, user_id: str, data_dir: Path) -> Profile:
    """The member's name and picture address from the users row, and the picture's copy in
    `data_dir` when there is one. An expired connection still names its member (the post will
    appear from them after reconnecting); a disconnected one names nobody."""
    with reading(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        user = session.get(User, user_id)
        name = user.name if user is not None else None
        url = user.image if user is not None else None
        connection = decide_connection(settings, name, utc_now())
    if connection.status is OAuthStatus.DISCONNECTED:
        return NOT_CONNECTED
    # Connected with no name in userinfo (the profile scope not granted): still a member.
    shown_name = name or "LinkedIn member"
    if not url:
        return Profile(shown_name, None, None)
    cached = _picture_file(data_dir, url)
    return Profile(shown_name, url, cached if cached.is_file() else None)


def _download(url: str, client: httpx.Client | None) -> bytes:
    import httpx

    from linkie_desktop.services.http_deadline import deadline_client, request_within

    if urlsplit(url).scheme not in ("http", "https"):
        raise PictureUnavailable("The profile picture's address is not a web address.")
    try:
        if client is None:
            with deadline_client(follow_redirects=True) as own:
                response = request_within(own, PICTURE_DEADLINE_S, "GET", url)
        else:
            response = request_within(client, PICTURE_DEADLINE_S, "GET", url)
    except httpx.HTTPError as exc:
        raise PictureUnavailable(
            f"The profile picture could not be downloaded ({type(exc).__name__})."
        ) from exc
    if response.status_code != 200:
        raise PictureUnavailable(
            f"LinkedIn answered {response.status_code} for the profile picture."
        )
    if len(response.content) > MAX_PICTURE_BYTES:
        raise PictureUnavailable("The profile picture is far larger than any LinkedIn picture.")
    return response.content


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def cache_picture(profile: Profile, data_dir: Path, client: httpx.Client | None = None) -> Path:
    """The file of `profile`'s picture: the copy on disk, or downloaded now (within
    PICTURE_DEADLINE_S, checked to be a whole PNG, JPEG or GIF) when there is none for its
    address. Older pictures are removed. PictureUnavailable in plain words otherwise."""
    if profile.picture_url is None:
        raise PictureUnavailable("The LinkedIn profile has no picture.")
    target = _picture_file(data_dir, profile.picture_url)
    if target.is_file():
        return target
    data = _download(profile.picture_url, client)
    try:
        private_folder(target.parent)
        partial = target.with_name(target.name + ".part")
        _write_private(partial, data)
        try:
            with open_checked_image(partial, whole=True):
                pass
            partial.replace(target)  # whole or not at all: a reader never sees half a picture
        finally:
            partial.unlink(missing_ok=True)
    except ValidationError as exc:
        raise PictureUnavailable(f"The profile picture is not a usable image: {exc}") from exc
    except OSError as exc:
        raise PictureUnavailable(
            f"The profile picture could not be saved in {target.parent} ({exc.strerror or exc})."
        ) from exc
    _remove_others(target)
    return target


def _remove_others(kept: Path) -> None:
    for old in kept.parent.glob(f"{_PICTURE_PREFIX}*"):
        if old != kept:
            with contextlib.suppress(OSError):  # another copy's removal is tidying, not a need
                old.unlink()

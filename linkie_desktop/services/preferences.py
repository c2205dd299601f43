"""The user's preferences (posting defaults, API version, models): a small JSON file, no secrets.

Secrets never go here: the LinkedIn client secret and AI keys live in the keyring (secrets.py).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import time, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from linkie_desktop.config import DEFAULT_LINKEDIN_VERSION, DEFAULT_OAUTH_PORT
from linkie_desktop.domain.post_content import Visibility

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"


@dataclass(frozen=True)
class Preferences:
    default_post_time: str = "09:00"  # local wall-clock time a dropped draft is scheduled at
    linkedin_version: str = DEFAULT_LINKEDIN_VERSION
    linkedin_client_id: str = ""  # public; the client secret is in the keyring
    oauth_port: int = DEFAULT_OAUTH_PORT  # OAuth redirect port; LINKIE_OAUTH_PORT overrides it
    start_at_login: bool = False
    minimize_to_tray: bool = True
    # Current as of 2026-11 (vendors' model pages): Sonnet 5.5 is the current Sonnet; Gemini 2.5
    # Flash Image reached its shutdown date in October 2026 and 3.1 Flash Image is its successor.
    anthropic_model: str = "claude-sonnet-5-5"
    gemini_image_model: str = "gemini-3.1-flash-image"
    # Settings › Posting: who sees a new post unless it says otherwise.
    default_visibility: Visibility = Visibility.PUBLIC
    # Settings › Agents: what `linkie mcp` lets AI agents do unless --allow says otherwise (a
    # name of mcp_server.permissions.Permission; one this version does not know reads as draft).
    agent_permission: str = "draft"
    # Settings › Appearance: "system" (follow its light/dark scheme), "light" or "dark".
    appearance: str = "system"
    # Settings › Schedule: a posting slot still empty 24 hours ahead gets a copy of the evergreen
    # post used longest ago, each post at most once every `evergreen_gap_weeks` (issue 16).
    refill_from_evergreen: bool = False
    evergreen_gap_weeks: int = 8
    # Settings › Backups: how many backups beside the database are kept (the daily ones, Back up
    # now's and those before a migration), the newest first (issue 17).
    backups_kept: int = 7
    # Settings › Notifications: which outcomes reach the desktop — "all", "failures" (only what
    # needs the user) or "none" (services/notifications.NotificationLevel).
    notifications: str = "all"
    # Publish now asks first ("Everyone will see it") until the user ticks "Don't ask again".
    confirm_publish_now: bool = True
    # Settings › Profile: on a database several people share, the address of the one this
    # machine's window and commands act as when no --user is given ("": none chosen).
    acting_user_email: str = ""

    @property
    def default_time(self) -> time:
        hours, minutes = self.default_post_time.split(":")
        return time(int(hours), int(minutes))

    @property
    def evergreen_refill_gap(self) -> timedelta | None:
        """How long an evergreen post rests between uses; None: refilling is off."""
        if not self.refill_from_evergreen:
            return None
        return timedelta(weeks=max(1, self.evergreen_gap_weeks))

    def with_changes(self, **changes: Any) -> Preferences:
        return replace(self, **changes)


def _valid_time(text: str) -> bool:
    try:
        hours, minutes = text.split(":")
        time(int(hours), int(minutes))
    except ValueError:
        return False
    return True


def load_preferences(folder: Path) -> Preferences:
    """Read preferences; unknown keys are ignored and a damaged file falls back to defaults."""
    path = folder / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("preferences file %s unreadable (%s); using defaults", path, exc)
        return Preferences()
    if not isinstance(raw, dict):
        return Preferences()
    defaults = Preferences()
    known: dict[str, Any] = {}
    for field in fields(Preferences):
        value = raw.get(field.name)
        default = getattr(defaults, field.name)
        if isinstance(default, Enum):
            # Stored by its value ("CONNECTIONS"); one this version does not know is left out.
            value = next((m for m in type(default) if m.value == value), None)
        if isinstance(value, type(default)):
            known[field.name] = value
    prefs = replace(defaults, **known)
    if not _valid_time(prefs.default_post_time):
        prefs = replace(prefs, default_post_time=defaults.default_post_time)
    return prefs


def save_preferences(folder: Path, prefs: Preferences) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    if not _valid_time(prefs.default_post_time):
        raise ValueError(f"default posting time must be HH:MM, not {prefs.default_post_time!r}")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".preferences-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(prefs), handle, indent=2)
    Path(tmp).replace(folder / FILE_NAME)


class PreferencesStore:
    """The preferences of one data folder, read from the file once and then kept here.

    A running app makes one (the shell) and every reader asks it, instead of re-reading the file;
    `save` is the one way they change, so the copy here is never stale for this process. No Qt:
    the window's holder (ui/preferences.py) tells the views when they change.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._current = load_preferences(folder)

    @property
    def current(self) -> Preferences:
        return self._current

    def current_getter(self) -> Callable[[], Preferences]:
        """For a reader that asks at each use (the copy here, never the file)."""
        return lambda: self._current

    def save(self, prefs: Preferences) -> None:
        save_preferences(self.folder, prefs)  # raises before anything changes here
        self._current = prefs

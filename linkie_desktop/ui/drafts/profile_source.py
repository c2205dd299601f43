"""The profile posts appear from, for the preview: read on the database worker, the picture
fetched (once, then from its copy on disk) on the network pool, announced on the GUI thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap
from sqlalchemy import Engine

from linkie_desktop.services.profile import (
    PictureUnavailable,
    Profile,
    cache_picture,
    read_profile,
)
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def _picture_image(profile: Profile, data_dir: Path) -> QImage | None:
    """On a network thread: the picture decoded (QImage, unlike QPixmap, may be made off the
    GUI thread), or None when there is none to show; a missing picture is no error to report."""
    try:
        path = cache_picture(profile, data_dir)
    except PictureUnavailable as exc:
        log.info("profile picture not shown: %s", exc)
        return None
    image = QImage(str(path))
    return None if image.isNull() else image


class ProfileSource(QObject):
    """Emits `profile_changed(name, picture or None)` once read, and again after each change of
    the LinkedIn connection ("" for the name: not connected); connect it to
    `PostPreview.show_profile`."""

    profile_changed = Signal(str, object)  # the member's name or "", QPixmap | None

    def __init__(
        self,
        tasks: TaskRunner,
        engine: Engine,
        user_id: str,
        data_dir: Path,
        signals: AppSignals | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileSource")
        self._tasks = tasks
        self._engine = engine
        self._user_id = user_id
        self._data_dir = data_dir
        self._read_key = object()
        self._picture_key = object()
        self._shown_url: str | None = None
        self._picture: QPixmap | None = None
        self.profile: Profile | None = None
        if signals is not None:
            signals.connection_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Read the profile again (a newer read supersedes one still on its way)."""
        self._tasks.run_db(
            lambda: read_profile(self._engine, self._user_id, self._data_dir),
            self._on_read,
            self._on_failure,
            owner=self,
            key=self._read_key,
        )

    def _on_read(self, profile: Profile) -> None:
        self.profile = profile
        name = profile.name or ""
        if profile.picture_url is None:
            self._shown_url, self._picture = None, None
        elif profile.picture_url != self._shown_url:
            self._picture = None  # the old picture is not this member's or no longer current
            self._tasks.run_network(
                lambda: _picture_image(profile, self._data_dir),
                lambda image: self._on_picture(profile, image),
                self._on_failure,
                owner=self,
                key=self._picture_key,
            )
        self.profile_changed.emit(name, self._picture)

    def _on_picture(self, profile: Profile, image: QImage | None) -> None:
        if self.profile != profile:
            return  # read again meanwhile: that read's answer decides
        self._shown_url = profile.picture_url if image is not None else None
        self._picture = QPixmap.fromImage(image) if image is not None else None
        if self._picture is not None:
            self.profile_changed.emit(profile.name or "", self._picture)

    def _on_failure(self, message: str) -> None:
        # The preview keeps what it shows (not connected, at first): the header is decoration; the
        # reason (a database problem) reaches the user through the composer's own reads.
        log.warning("the profile for the preview was not read: %s", message)

"""The preview's header follows the connected profile: read through the task runner, the
picture fetched over real HTTP (127.0.0.1) once, "You" again after a disconnect."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import User
from linkie_desktop.services.oauth import disconnect
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.preview import PostPreview
from linkie_desktop.ui.drafts.profile_source import ProfileSource
from linkie_desktop.ui.tasks import TaskRunner
from tests.connection_support import mark_connected
from tests.fakes.image_files import png_bytes
from tests.fakes.picture_server import PictureServer

PICTURE_RGB = (0x30, 0x70, 0xD0)  # the colour of every pixel png_bytes draws


@pytest.fixture
def pictures() -> Iterator[PictureServer]:
    server = PictureServer().start()
    yield server
    server.stop()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.close()


def _name_user(engine: Engine, user_id: str, name: str, image: str | None) -> None:
    with transaction(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.name, user.image = name, image


def _wired(
    qtbot: QtBot, tasks: TaskRunner, engine: Engine, user_id: str, data_dir: Path
) -> tuple[PostPreview, ProfileSource, AppSignals]:
    """The composer's wiring, as its report asks for it."""
    signals = AppSignals()
    preview = PostPreview()
    qtbot.addWidget(preview)
    source = ProfileSource(tasks, engine, user_id, data_dir, signals, parent=preview)
    source.profile_changed.connect(preview.show_profile)
    source.refresh()
    return preview, source, signals


def _centre(preview: PostPreview) -> QColor:
    pixmap = preview.avatar.pixmap()
    ratio = pixmap.devicePixelRatio()
    return pixmap.toImage().pixelColor(round(24 * ratio), round(24 * ratio))


def test_the_header_shows_the_connected_member_and_their_picture(
    qtbot: QtBot,
    tasks: TaskRunner,
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    pictures: PictureServer,
) -> None:
    url = pictures.serve("/grace.png", png_bytes(100, 100))
    _name_user(engine, user_id, "Grace Hopper", url)
    mark_connected(engine, user_id)
    preview, source, _ = _wired(qtbot, tasks, engine, user_id, tmp_path)

    qtbot.waitUntil(lambda: preview.avatar.accessibleName() == "Profile picture of Grace Hopper")
    assert preview.name_label.text() == "Grace Hopper"
    centre = _centre(preview)
    assert (centre.red(), centre.green(), centre.blue()) == PICTURE_RGB
    assert pictures.count("/grace.png") == 1
    assert source.profile is not None and source.profile.picture_url == url

    # A second preview (the app started again) uses the copy on disk.
    again, _, _ = _wired(qtbot, tasks, engine, user_id, tmp_path)
    qtbot.waitUntil(lambda: again.avatar.accessibleName() == "Profile picture of Grace Hopper")
    qtbot.waitUntil(lambda: tasks.pending == 0)
    assert pictures.count("/grace.png") == 1


def test_a_disconnect_brings_back_you_and_the_initial(
    qtbot: QtBot,
    tasks: TaskRunner,
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    pictures: PictureServer,
    memory_keyring: object,
) -> None:
    _name_user(engine, user_id, "Grace Hopper", pictures.serve("/g.png", png_bytes(48, 48)))
    mark_connected(engine, user_id)
    preview, _, signals = _wired(qtbot, tasks, engine, user_id, tmp_path)
    qtbot.waitUntil(lambda: preview.avatar.accessibleName() == "Profile picture of Grace Hopper")

    disconnect(engine, user_id)
    signals.connection_changed.emit()

    qtbot.waitUntil(lambda: preview.name_label.text() == "You")
    assert preview.avatar.accessibleName() == "Initial of You"
    accent = preview.palette().color(preview.palette().ColorRole.Highlight)
    pixmap = preview.avatar.pixmap()
    ratio = pixmap.devicePixelRatio()
    assert pixmap.toImage().pixelColor(round(24 * ratio), round(4 * ratio)).rgb() == accent.rgb()


def test_a_picture_that_cannot_be_fetched_leaves_the_name_and_initial(
    qtbot: QtBot,
    tasks: TaskRunner,
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    pictures: PictureServer,
) -> None:
    _name_user(engine, user_id, "Grace Hopper", pictures.base_url + "/missing.png")  # 404
    mark_connected(engine, user_id)
    preview, _, _ = _wired(qtbot, tasks, engine, user_id, tmp_path)

    qtbot.waitUntil(lambda: pictures.count("/missing.png") == 1 and tasks.pending == 0)
    assert preview.name_label.text() == "Grace Hopper"
    assert preview.avatar.accessibleName() == "Initial of Grace Hopper"

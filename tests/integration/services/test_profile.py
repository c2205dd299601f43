"""The profile posts appear from: read from the users row, the picture downloaded over real HTTP
(127.0.0.1) once, kept as a private file, and downloaded again only for a new address."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import User
from linkie_desktop.services.oauth import disconnect
from linkie_desktop.services.profile import (
    NOT_CONNECTED,
    PictureUnavailable,
    Profile,
    cache_picture,
    read_profile,
)
from tests.connection_support import mark_connected
from tests.fakes.image_files import png_bytes
from tests.fakes.picture_server import PictureServer


@pytest.fixture
def pictures() -> Iterator[PictureServer]:
    server = PictureServer().start()
    yield server
    server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "appdata"


def _set_user(engine: Engine, user_id: str, name: str | None, image: str | None) -> None:
    with transaction(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.name, user.image = name, image


def test_not_connected_names_nobody(engine: Engine, user_id: str, data_dir: Path) -> None:
    _set_user(engine, user_id, "Grace Hopper", "https://media.example/grace.jpg")
    assert read_profile(engine, user_id, data_dir) == NOT_CONNECTED
    assert not NOT_CONNECTED.connected


def test_connected_gives_the_name_and_the_picture_address(
    engine: Engine, user_id: str, data_dir: Path
) -> None:
    _set_user(engine, user_id, "Grace Hopper", "https://media.example/grace.jpg")
    mark_connected(engine, user_id)
    profile = read_profile(engine, user_id, data_dir)
    assert profile == Profile("Grace Hopper", "https://media.example/grace.jpg", None)
    assert profile.connected


def test_an_expired_connection_still_names_its_member(
    engine: Engine, user_id: str, data_dir: Path
) -> None:
    _set_user(engine, user_id, "Grace Hopper", None)
    mark_connected(engine, user_id, expires_in=timedelta(days=-1))
    assert read_profile(engine, user_id, data_dir) == Profile("Grace Hopper", None, None)


def test_disconnecting_forgets_the_profile(
    engine: Engine, user_id: str, data_dir: Path, memory_keyring: object
) -> None:
    _set_user(engine, user_id, "Grace Hopper", None)
    mark_connected(engine, user_id)
    disconnect(engine, user_id)
    assert read_profile(engine, user_id, data_dir) == NOT_CONNECTED


def test_the_picture_is_downloaded_once_kept_private_and_reused(
    engine: Engine, user_id: str, data_dir: Path, pictures: PictureServer
) -> None:
    url = pictures.serve("/grace.png", png_bytes(80, 80))
    _set_user(engine, user_id, "Grace Hopper", url)
    mark_connected(engine, user_id)

    path = cache_picture(read_profile(engine, user_id, data_dir), data_dir)
    assert pictures.count("/grace.png") == 1
    assert path.read_bytes() == png_bytes(80, 80)
    assert path.is_relative_to(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    again = read_profile(engine, user_id, data_dir)
    assert again.picture_path == path
    assert cache_picture(again, data_dir) == path
    assert pictures.count("/grace.png") == 1  # the copy on disk, no second request


def test_a_new_picture_address_downloads_again_and_drops_the_old_copy(
    engine: Engine, user_id: str, data_dir: Path, pictures: PictureServer
) -> None:
    first = pictures.serve("/v1/grace.png", png_bytes(40, 40))
    second = pictures.serve("/v2/grace.png", png_bytes(64, 64))
    _set_user(engine, user_id, "Grace Hopper", first)
    mark_connected(engine, user_id)
    old = cache_picture(read_profile(engine, user_id, data_dir), data_dir)

    _set_user(engine, user_id, "Grace Hopper", second)  # as a reconnect stores a new address
    changed = read_profile(engine, user_id, data_dir)
    assert changed.picture_path is None
    new = cache_picture(changed, data_dir)
    assert pictures.count("/v2/grace.png") == 1
    assert new != old and new.read_bytes() == png_bytes(64, 64)
    assert not old.exists()
    assert sorted(new.parent.iterdir()) == [new]


@pytest.mark.parametrize(
    ("body", "kind", "served"),
    [
        (b"<html>not a picture</html>", "text/html", True),
        (png_bytes(40, 40)[:-12], "image/png", True),  # cut off before its end
        (b"", "image/png", False),  # 404
    ],
    ids=["not-an-image", "truncated", "missing"],
)
def test_a_picture_that_is_no_whole_image_is_refused_and_not_kept(
    engine: Engine,
    user_id: str,
    data_dir: Path,
    pictures: PictureServer,
    body: bytes,
    kind: str,
    served: bool,
) -> None:
    url = pictures.serve("/bad.png", body, kind) if served else pictures.base_url + "/bad.png"
    _set_user(engine, user_id, "Grace Hopper", url)
    mark_connected(engine, user_id)
    profile = read_profile(engine, user_id, data_dir)
    with pytest.raises(PictureUnavailable):
        cache_picture(profile, data_dir)
    folder = data_dir / "profile"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert read_profile(engine, user_id, data_dir).picture_path is None


def test_an_unreachable_server_is_a_plain_refusal(data_dir: Path) -> None:
    server = PictureServer().start()
    url = server.base_url + "/gone.png"
    server.stop()  # nothing listens there any more
    with pytest.raises(PictureUnavailable, match="could not be downloaded"):
        cache_picture(Profile("Grace Hopper", url, None), data_dir)


def test_no_picture_address_is_refused(data_dir: Path) -> None:
    with pytest.raises(PictureUnavailable):
        cache_picture(Profile("Grace Hopper", None, None), data_dir)
    with pytest.raises(PictureUnavailable):
        cache_picture(Profile("Grace Hopper", "file:///etc/passwd", None), data_dir)

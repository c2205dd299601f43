"""A second start on the same database hands over to the first window instead of opening one:
plainly (the window comes forward) or with a post to show (`linkie-desktop --open-post ID`, which
a notification's Open from `linkie serve` runs); a first start with --open-post opens that post."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from linkie_desktop import config
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.drafts.tab import OPEN_POST_KEY
from linkie_desktop.ui.main_window import WINDOW_STATE_FILE
from linkie_desktop.ui.single_instance import SingleInstance, instance_key
from tests.fakes.file_keyring import ENV_FILE
from tests.ui.workspace_support import opened_workspace

ROOT = Path(__file__).resolve().parents[3]
WINDOW = Path(sys.executable).with_name("linkie-desktop")  # the installed program


def test_the_key_depends_on_the_database() -> None:
    assert instance_key("sqlite:///a.db") == instance_key("sqlite:///a.db")
    assert instance_key("sqlite:///a.db") != instance_key("sqlite:///b.db")


def _second_claim(key: str, post_id: str | None = None) -> subprocess.Popen[bytes]:
    """Another process claims, as in real life: it must find the first and exit 0 at once."""
    code = (
        "import sys; from PySide6.QtCore import QCoreApplication; "
        "from linkie_desktop.ui.single_instance import SingleInstance; "
        "app = QCoreApplication([]); "
        f"sys.exit(0 if not SingleInstance({key!r}).claim({post_id!r}) else 3)"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))


def test_a_second_claim_activates_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    key = instance_key(f"sqlite:///{tmp_path}/one.db")
    first = SingleInstance(key)
    assert first.claim()
    first.ready()
    try:
        with qtbot.wait_signal(first.activation_requested, timeout=10_000):
            second = _second_claim(key)
        assert second.wait(timeout=30) == 0
    finally:
        first.release()


def test_what_a_second_start_asks_before_the_window_is_ready_is_held_until_it_is(
    qtbot: QtBot, tmp_path: Path
) -> None:
    key = instance_key(f"sqlite:///{tmp_path}/held.db")
    first = SingleInstance(key)
    assert first.claim()
    asked: list[str | None] = []
    first.activation_requested.connect(lambda: asked.append(None))
    first.post_requested.connect(asked.append)
    try:
        second = _second_claim(key, "post-one")
        third = _second_claim(key)
        assert second.wait(timeout=30) == 0 and third.wait(timeout=30) == 0
        qtbot.wait(200)  # the event loop runs: the connections are taken in, and held
        assert asked == []
        first.ready()
        assert sorted(asked, key=str) == sorted(["post-one", None], key=str)
    finally:
        first.release()


def test_a_stale_socket_from_a_crashed_run_does_not_block_a_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    key = instance_key(f"sqlite:///{tmp_path}/two.db")
    crashed = SingleInstance(key)
    assert crashed.claim()
    crashed.release()  # closed without a clean shutdown of the process
    again = SingleInstance(key)
    assert again.claim()
    again.release()


# --- the installed linkie-desktop, in child processes -------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def _draft(data: Path, text: str) -> str:
    with opened_workspace(data) as workspace:  # migrated by the app's own path
        return PostService(workspace.engine, workspace.user_id).create_draft("", text).id


def _key(data: Path) -> str:
    return instance_key(config.load(db=str(data / "linkie.db")).database_url)


def _env(data: Path) -> dict[str, str]:
    return os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "LINKIE_DATA_DIR": str(data),
        "XDG_CONFIG_HOME": str(data / "config"),  # the login item is looked for there
        "LINKIE_LINKEDIN_API_BASE": "http://127.0.0.1:9",  # never connected: never asked
        "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
        ENV_FILE: str(data / "keyring.json"),
        "PYTHONPATH": str(ROOT),
    }


def _start(data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(WINDOW), "--db", str(data / "linkie.db"), *args],
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], window: subprocess.Popen[str]) -> None:
    give_up = time.monotonic() + 60
    while not condition():
        if window.poll() is not None:
            pytest.fail(f"the window ended early: {window.communicate()}")
        assert time.monotonic() < give_up, "timed out waiting"
        time.sleep(0.05)


def _post_shown(data: Path) -> str:
    """The post the window's Drafts composer has open, as its state file says once it loaded."""
    state = QSettings(str(data / WINDOW_STATE_FILE), QSettings.Format.IniFormat)
    return str(state.value(OPEN_POST_KEY, "") or "")


@pytest.fixture
def first_windows(data: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """The windows a test starts, ended afterwards (and the socket a killed one leaves behind)."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for window in started:
        if window.poll() is None:
            window.send_signal(signal.SIGTERM)
            window.communicate(timeout=30)
    QLocalServer.removeServer(_key(data))


def test_open_post_hands_the_post_to_the_running_instance_and_exits(
    qtbot: QtBot, data: Path
) -> None:
    first = SingleInstance(_key(data))
    assert first.claim()
    first.ready()
    try:
        with qtbot.wait_signal(first.post_requested, timeout=30_000) as asked:
            second = _start(data, "--open-post", "p123", "--smoke")
        _out, err = second.communicate(timeout=60)
    finally:
        first.release()
    assert asked.args == ["p123"]
    assert second.returncode == 0, err
    assert "already running; showing post p123 there" in err
    assert not (data / "linkie.db").exists()  # the first instance owns it: not even opened


def test_a_first_start_with_open_post_shows_that_post(
    data: Path, first_windows: list[subprocess.Popen[str]]
) -> None:
    wanted = _draft(data, "Opened from a notification")
    window = _start(data, "--open-post", wanted)
    first_windows.append(window)
    _wait_for(lambda: _post_shown(data) == wanted, window)


def test_a_running_window_shows_the_post_a_second_start_was_given(
    data: Path, first_windows: list[subprocess.Popen[str]]
) -> None:
    earlier = _draft(data, "Open when the window started")
    wanted = _draft(data, "Published while you looked away")
    window = _start(data, "--open-post", earlier)
    first_windows.append(window)
    _wait_for(lambda: _post_shown(data) == earlier, window)

    second = _start(data, "--open-post", wanted)
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "already running" in err
    _wait_for(lambda: _post_shown(data) == wanted, window)
    assert window.poll() is None  # the first window is still the one running

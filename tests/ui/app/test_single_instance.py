"""A second start on the same database hands over to the first window instead of opening one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from linkie_desktop.ui.single_instance import SingleInstance, instance_key


def test_the_key_depends_on_the_database() -> None:
    assert instance_key("sqlite:///a.db") == instance_key("sqlite:///a.db")
    assert instance_key("sqlite:///a.db") != instance_key("sqlite:///b.db")


def test_a_second_claim_activates_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    key = instance_key(f"sqlite:///{tmp_path}/one.db")
    first = SingleInstance(key)
    assert first.claim()
    try:
        # The second claimant is another process, as in real life: it must exit at once.
        code = (
            "import sys; from PySide6.QtCore import QCoreApplication; "
            "from linkie_desktop.ui.single_instance import SingleInstance; "
            "app = QCoreApplication([]); "
            f"sys.exit(0 if not SingleInstance({key!r}).claim() else 3)"
        )
        with qtbot.wait_signal(first.activation_requested, timeout=10_000):
            second = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))
        assert second.wait(timeout=30) == 0
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

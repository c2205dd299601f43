"""Guards against a broken Qt binding: PySide6 6.12.0 on Python 3.11 drops a reference to None on
every call of a void method, and the process aborts after a few thousand (pinned below 6.12)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_void_qt_calls_leave_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
        widget.setObjectName("probe")
    # Other objects come and go meanwhile; a leak would show as about -4000.
    assert sys.getrefcount(None) > before - 100

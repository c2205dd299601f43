"""Unhandled errors anywhere end in the log and in one dialog; the app keeps working."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, Qt, QThreadPool, QTimer, qWarning
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from linkie_desktop.logging_setup import setup_logging, stop_logging
from linkie_desktop.ui.crash import CrashDialog, CrashReporter

TOKEN = "AQX-very-secret-linkedin-token-123"


@pytest.fixture
def log_path(tmp_path: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    yield path
    stop_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture
def reporter(qapp: QApplication, log_path: Path) -> Iterator[CrashReporter]:
    crash_reporter = CrashReporter(log_path).install()
    yield crash_reporter
    crash_reporter.uninstall()
    if crash_reporter.dialog is not None:
        crash_reporter.dialog.close()
        crash_reporter.dialog.deleteLater()


def _shown_dialog(qtbot: QtBot, reporter: CrashReporter) -> CrashDialog:
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog is not None
    return reporter.dialog


def _fail_with_token() -> None:
    raise RuntimeError(f"LinkedIn said no to Authorization: Bearer {TOKEN}")


def test_worker_thread_error_is_logged_shown_and_copyable(
    qtbot: QtBot, reporter: CrashReporter, log_path: Path
) -> None:
    worker = threading.Thread(target=_fail_with_token, name="publisher-worker")
    worker.start()
    worker.join()

    dialog = _shown_dialog(qtbot, reporter)
    assert "background task" in dialog.summary_label.text()
    assert "RuntimeError: LinkedIn said no" in dialog.summary_label.text()
    assert str(log_path) in dialog.log_label.text()
    assert TOKEN not in dialog.details.toPlainText()

    QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "Thread: publisher-worker" in copied
    assert "in _fail_with_token" in copied
    assert "Bearer [redacted]" in copied
    assert TOKEN not in copied
    assert dialog.copied_label.text() == "Details copied to the clipboard."

    stop_logging()
    logged = log_path.read_text(encoding="utf-8")
    assert "ERROR [publisher-worker] linkie_desktop.ui.crash: Unhandled error" in logged
    assert "Traceback (most recent call last)" in logged
    assert "Bearer [redacted]" in logged
    assert TOKEN not in logged


def test_error_in_a_qt_slot_shows_the_dialog_and_the_app_stays_usable(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    clicks: list[bool] = []
    button = QPushButton("Still works")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: clicks.append(True))
    button.show()

    QTimer.singleShot(0, _fail_with_token)

    dialog = _shown_dialog(qtbot, reporter)
    assert "in the window" in dialog.summary_label.text()
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [True]


class _FailingTask(QRunnable):
    def run(self) -> None:
        raise ValueError("the pool task broke")


def test_error_in_a_thread_pool_task_reaches_the_dialog(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    pool = QThreadPool()
    pool.start(_FailingTask())
    pool.waitForDone()

    dialog = _shown_dialog(qtbot, reporter)
    assert "ValueError: the pool task broke" in dialog.summary_label.text()


def test_errors_while_the_dialog_is_open_join_it(qtbot: QtBot, reporter: CrashReporter) -> None:
    for name in ("first", "second"):
        worker = threading.Thread(target=_fail_with_token, name=name)
        worker.start()
        worker.join()

    qtbot.waitUntil(lambda: reporter.dialog is not None and len(reporter.dialog.reports) == 2)
    dialog = _shown_dialog(qtbot, reporter)
    assert "2 problems since this message opened" in dialog.summary_label.text()
    details = dialog.details.toPlainText()
    assert "Thread: first" in details
    assert "Thread: second" in details
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]) == 1


def test_qt_warnings_go_to_the_log(reporter: CrashReporter, log_path: Path) -> None:
    qWarning("a Qt warning for the log")

    stop_logging()
    assert "WARNING [MainThread] qt: default: a Qt warning for the log" in log_path.read_text(
        encoding="utf-8"
    )


def test_uninstall_gives_the_hooks_back(qapp: QApplication, log_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash_reporter = CrashReporter(log_path).install()
    assert sys.excepthook != before[0]
    crash_reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_dialog_works_from_the_keyboard(qtbot: QtBot, reporter: CrashReporter) -> None:
    QApplication.clipboard().clear()
    worker = threading.Thread(target=_fail_with_token, name="keyboard")
    worker.start()
    worker.join()
    dialog = _shown_dialog(qtbot, reporter)
    assert dialog.close_button.isDefault()  # Enter closes it
    assert dialog.copy_button.focusPolicy() & Qt.FocusPolicy.TabFocus

    QTest.keyClick(dialog.copy_button, Qt.Key.Key_Space)
    assert "Thread: keyboard" in QApplication.clipboard().text()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

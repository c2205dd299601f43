"""Unhandled errors anywhere (window, worker threads, Qt itself) are logged and shown in a dialog.

The dialog says what happened, where the log is, and offers "Copy details"; the app keeps running.
Errors raised in other threads reach the dialog through a queued signal, so it is always built on
the GUI thread. Qt's own messages go to the log as well.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import linkie_desktop
from linkie_desktop import DISPLAY_NAME
from linkie_desktop.services.redact import redact

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_SEPARATOR = "\n" + "-" * 60 + "\n"


@dataclass(frozen=True)
class CrashReport:
    summary: str  # "ValueError: bad value", secrets masked
    thread_name: str
    details: str  # versions, time, thread and the traceback, secrets masked

    @property
    def in_background(self) -> bool:
        return self.thread_name != "MainThread"


def build_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread_name: str,
) -> CrashReport:
    summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
    at = datetime.now(UTC).isoformat(timespec="seconds")
    header = (
        # Read here, when a report is written, not at import (a look-up in the metadata).
        f"{DISPLAY_NAME} {linkie_desktop.__version__}\n"
        f"Python {platform.python_version()}, Qt {qVersion()}, {platform.platform()}\n"
        f"Time (UTC): {at}\nThread: {thread_name}\n\n"
    )
    trace = "".join(traceback.format_exception(exc_type, exc, tb))
    return CrashReport(
        summary=redact(summary), thread_name=thread_name, details=redact(header + trace)
    )


class CrashDialog(QDialog):
    """What went wrong in plain words, the log's path and the details, with "Copy details"."""

    def __init__(self, report: CrashReport, log_path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setAccessibleName("Problem report")
        self.setWindowTitle(f"{DISPLAY_NAME} hit a problem")
        self.setMinimumWidth(560)
        self._reports: list[CrashReport] = []

        headline = QLabel(
            "<b>Something went wrong, and Linkie Desktop stopped what it was doing.</b>"
        )
        headline.setObjectName("crashHeadline")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("crashSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice = QLabel(
            "The app is still running and what you had saved is kept. If this happens again, "
            "copy the details and send them to us with a line about what you were doing."
        )
        advice.setObjectName("crashAdvice")
        advice.setWordWrap(True)
        where = str(log_path) if log_path is not None else "no log file could be written"
        self.log_label = QLabel(f"Full log: {where}")
        self.log_label.setObjectName("crashLogPath")
        self.log_label.setAccessibleName("Log file location")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setAccessibleName("Problem details")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.copied_label = QLabel("")
        self.copied_label.setObjectName("crashCopied")
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setObjectName("copyDetailsButton")
        self.copy_button.setAccessibleName("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("closeCrashDialogButton")
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for widget in (headline, self.summary_label, advice, self.log_label, self.details):
            layout.addWidget(widget)
        layout.addWidget(self.copied_label)
        layout.addWidget(buttons)
        self.add_report(report)
        self.close_button.setFocus()

    @property
    def reports(self) -> list[CrashReport]:
        return list(self._reports)

    def add_report(self, report: CrashReport) -> None:
        """A problem that happens while the dialog is open joins it instead of stacking windows."""
        self._reports.append(report)
        where = "in a background task" if report.in_background else "in the window"
        text = f"What happened ({where}): {report.summary}"
        if len(self._reports) > 1:
            text += f"\n{len(self._reports)} problems since this message opened; all are below."
        self.summary_label.setText(text)
        self.details.setPlainText(self.details_text())

    def details_text(self) -> str:
        return _SEPARATOR.join(report.details for report in self._reports)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copied_label.setText("Details copied to the clipboard.")


def database_problem_box(message: str, log_path: Path | None, backup: Path | None) -> QMessageBox:
    """A database the app cannot open: the plain reason, where the log is, the newest backup.

    A known problem, not a bug: no traceback and no "send us the details", only what the user can
    do about it (free space, restore the backup, choose another file).
    """
    box = QMessageBox(
        QMessageBox.Icon.Critical, f"{DISPLAY_NAME} cannot open its database", message
    )
    box.setObjectName("databaseProblemDialog")
    box.setAccessibleName("Database problem")
    where = str(log_path) if log_path is not None else "no log file could be written"
    newest = str(backup) if backup is not None else "none yet"
    box.setInformativeText(f"Full log: {where}\nNewest backup: {newest}")
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return box


class CrashReporter(QObject):
    """Installs the hooks; lives on the GUI thread, where it shows (or extends) the dialog."""

    report_ready = Signal(object)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: CrashDialog | None = None
        self._installed = False
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        self._previous_qt_handler: object = None
        # Queued even on the GUI thread: never build a dialog inside the code that just failed.
        self.report_ready.connect(self.show_report, Qt.ConnectionType.QueuedConnection)

    def install(self) -> CrashReporter:
        if not self._installed:
            self._previous_excepthook = sys.excepthook
            self._previous_threading_hook = threading.excepthook
            sys.excepthook = self._on_exception
            threading.excepthook = self._on_thread_exception
            self._previous_qt_handler = qInstallMessageHandler(self._on_qt_message)
            self._installed = True
        return self

    def uninstall(self) -> None:
        if self._installed:
            sys.excepthook = self._previous_excepthook
            threading.excepthook = self._previous_threading_hook
            qInstallMessageHandler(self._previous_qt_handler)  # type: ignore[arg-type]
            self._installed = False

    def _on_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, threading.current_thread().name)

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a background thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread_name: str,
    ) -> None:
        """Log the error and get it shown; called on whatever thread failed, so it never raises."""
        error = exc if exc is not None else exc_type()
        try:
            log.error("Unhandled error in thread %s", thread_name, exc_info=(exc_type, error, tb))
            report = build_report(exc_type, error, tb, thread_name)
            if self._on_gui_thread() and QThread.currentThread().loopLevel() == 0:
                # Before or after the event loop (start-up, shut-down): a queued signal would
                # never arrive, so show the dialog now and wait for the user.
                self.show_report(report)
                if self.dialog is not None:
                    self.dialog.exec()
            else:
                self.report_ready.emit(report)
        except Exception:  # noqa: BLE001 - a failing crash handler must still leave a trace
            sys.__excepthook__(exc_type, error, tb)

    def _on_gui_thread(self) -> bool:
        return bool(QThread.currentThread() == self.thread())

    @Slot(object)
    def show_report(self, report: CrashReport) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report)
        else:
            if self.dialog is not None:
                self.dialog.deleteLater()
            self.dialog = CrashDialog(report, self.log_path)
            self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _on_qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "qt"
        qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s: %s", category, message)
        if mode == QtMsgType.QtFatalMsg:  # Qt aborts right after this returns
            for handler in logging.getLogger().handlers:
                handler.flush()

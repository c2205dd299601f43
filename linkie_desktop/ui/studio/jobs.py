"""One Studio request at a time in a worker thread, with its result handed back through signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from linkie_desktop.services.ai_http import CancelToken

log = logging.getLogger(__name__)


class _JobSignals(QObject):
    # (job number, result) / (job number, exception); queued into the UI thread.
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], Any], signals: _JobSignals) -> None:
        super().__init__()
        self.number = number
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the UI, none lost
            self.signals.failed.emit(self.number, exc)
        else:
            self.signals.succeeded.emit(self.number, result)


class JobRunner(QObject):
    """Runs `work(token)` off the UI thread; Cancel works through the token.

    A cancelled job may still report later (its request is being torn down); reports of any job
    but the current one are dropped, so the UI only ever shows the answer to what it last asked.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setObjectName("studio-requests")
        self._signals = _JobSignals(self)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._number = 0
        self._token: CancelToken | None = None

    @property
    def busy(self) -> bool:
        return self._token is not None

    def start(self, work: Callable[[CancelToken], Any]) -> None:
        if self.busy:
            return
        self._number += 1
        token = CancelToken()
        self._token = token
        self.pool.start(_Job(self._number, lambda: work(token), self._signals))
        self.busy_changed.emit(True)

    def cancel(self) -> bool:
        """True when the job was stopped; False when it is already saving (it ends shortly)."""
        if self._token is None or not self._token.cancel():
            return False
        self._finish()
        return True

    def _finish(self) -> None:
        self._token = None
        self._number += 1  # whatever the old job still reports is now stale
        self.busy_changed.emit(False)

    def _on_succeeded(self, number: int, result: object) -> None:
        if number == self._number:
            self._finish()
            self.succeeded.emit(result)

    def _on_failed(self, number: int, error: object) -> None:
        if number == self._number:
            self._finish()
            self.failed.emit(error)
        else:
            log.debug("dropped the report of an abandoned Studio job: %r", error)

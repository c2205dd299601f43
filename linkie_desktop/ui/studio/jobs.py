"""One Studio request at a time, cancellable, on the window's task runner (its network pool).

A thin layer over `TaskRunner.run_network`: the runner runs the work and delivers on the GUI
thread; this adds what only the Studio needs, a CancelToken per request and "one at a time".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from linkie_desktop.services.ai_http import CancelToken
from linkie_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class JobRunner(QObject):
    """Runs `work(token)` off the UI thread; Cancel works through the token.

    A cancelled job may still report later (its request is being torn down); reports of any job
    but the current one are dropped, so the UI only ever shows the answer to what it last asked.
    """

    succeeded = Signal(object)
    failed = Signal(str)  # plain words (a known error) or the runner's "unexpected" sentence
    busy_changed = Signal(bool)

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._number = 0
        self._token: CancelToken | None = None

    @property
    def busy(self) -> bool:
        return self._token is not None

    def start(self, work: Callable[[CancelToken], Any]) -> None:
        if self.busy:
            return
        self._number += 1
        number, token = self._number, CancelToken()
        self._token = token
        self.tasks.run_network(
            lambda: work(token),
            lambda result: self._on_succeeded(number, result),
            lambda message: self._on_failed(number, message),
            owner=self,
        )
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

    def _on_failed(self, number: int, message: str) -> None:
        if number == self._number:
            self._finish()
            self.failed.emit(message)
        else:
            log.debug("dropped the report of an abandoned Studio job: %s", message)

"""Run one blocking call (a database read, a LinkedIn request) on a pool thread; report by signal.

The object is created on the UI thread, so its `done` / `failed` signals are delivered there;
the caller keeps it alive until one of them has been emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from linkie_desktop.services.redact import redact

log = logging.getLogger(__name__)


class BackgroundCall(QObject):
    done = Signal(object)  # what the call returned
    failed = Signal(str)  # plain words for the user

    def __init__(
        self,
        work: Callable[[], object],
        explain: Callable[[Exception], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._explain = explain

    def start(self, pool: QThreadPool) -> None:
        pool.start(self._run)

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # noqa: BLE001 - the UI must hear of every failure, bugs included
            known = self._explain(exc)
            if known is None:
                log.error("background call failed: %s", redact(repr(exc)))
                known = "Something unexpected went wrong; the figures may be out of date."
            self.failed.emit(known)
        else:
            self.done.emit(result)

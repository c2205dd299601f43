"""The modules of the tabs not built yet, imported while the window is idle after start-up.

Start-up imports only the tab on screen (ui/lazy_tabs.py). Left at that, the first click on
another tab would import its module and build it in one go: the Drafts tab's modules alone are
~25 ms, on top of building and painting it, which together hold the GUI thread over 50 ms
(issue 13). So once start-up is over the window imports them in its spare time, one module per
step with a pause between steps, so that a click or a key press never waits behind more than one.
A module already imported (its tab was opened first) is skipped. Modules, never tabs: building a
tab reads its data, which only a tab the user opens should do.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

FIRST_STEP_MS = 500  # after the first data: what start-up answers still has to show comes first
STEP_MS = 100


class ImportAhead(QObject):
    finished = Signal()  # every module is imported (or could not be, which is logged)

    def __init__(
        self,
        modules: Iterable[str],
        parent: QObject | None = None,
        *,
        first_step_ms: int = FIRST_STEP_MS,
        step_ms: int = STEP_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importAhead")
        self.waiting = list(modules)
        self.imported: list[str] = []  # by this object, in order (those loaded before are not)
        self._first_step_ms = first_step_ms
        self._step_ms = step_ms
        self._timer = QTimer(self)
        self._timer.setObjectName("import-ahead-timer")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        if not self._timer.isActive():
            self._timer.start(self._first_step_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _step(self) -> None:
        while self.waiting and self.waiting[0] in sys.modules:
            self.waiting.pop(0)
        if not self.waiting:
            self.finished.emit()
            return
        name = self.waiting.pop(0)
        try:
            importlib.import_module(name)
        except Exception:
            # Not a reason to stop the window: the tab imports it again when built, and says why.
            log.exception("could not import %s ahead of its tab", name)
        else:
            self.imported.append(name)
        self._timer.start(self._step_ms)

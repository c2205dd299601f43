"""Child process for test_autosave_kill: opens the window offscreen, types, waits, says READY.

Usage: python -m tests.integration.services.autosave_child DB_PATH DATA_DIR TEXT
After READY it idles until the parent kills it with SIGKILL (no chance to save on exit).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from linkie_desktop import config
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.drafts.composer import AUTOSAVE_DELAY_MS
from linkie_desktop.ui.main_window import MainWindow


def _run_events_for(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    db_path, data_dir, text = sys.argv[1:4]
    _app = QApplication([])  # kept alive for the whole run
    workspace = open_workspace(config.load(db=db_path, env={"LINKIE_DATA_DIR": data_dir}))
    window = MainWindow(workspace)
    window.show()
    drafts = window.drafts
    assert drafts is not None
    drafts.new_post()
    QTest.keyClicks(drafts.composer.body_edit, text)
    # Past the debounce: the autosave must have run. An event loop, not QTest.qWait: qWait keeps
    # Python's GIL, so the database worker the save runs on could not move meanwhile.
    _run_events_for(AUTOSAVE_DELAY_MS + 700)
    print("READY", flush=True)
    while True:
        _run_events_for(1000)


if __name__ == "__main__":
    main()

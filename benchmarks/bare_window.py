"""Baseline for package_budget.py: the least a PySide6 app does to show a window, then exit.

Like `linkie-desktop --smoke`, it says on stderr when its window was on screen and painted, on
CLOCK_MONOTONIC (one clock for all processes), so the benchmark can time "start to shown window".

With --with-orm it also imports SQLAlchemy's ORM and SQLite dialect (the database layer DESIGN.md
prescribes, none of Linkie's code), before PySide6 so that PySide6's per-import check costs it
nothing, with the garbage collector off while it does, and ends the process as linkie-desktop
does (os._exit, no tear-down of the modules: ~100 ms with SQLAlchemy loaded): the least any
start-up that reads its first data through that layer can cost.

With --with-dashboard-read DB it also reads the Dashboard's figures from that Linkie database
through Linkie's own data layer (db/ and services/overview.py, the one read path DESIGN.md
prescribes), as the window's first tab does, and shows them in a label: the least a start-up
of this design costs before any of the window's own parts (splash, tabs, menus, publisher).
"""

import sys
import time

READ_FROM = (
    sys.argv[sys.argv.index("--with-dashboard-read") + 1]
    if "--with-dashboard-read" in sys.argv
    else None
)
WITH_ORM = "--with-orm" in sys.argv or READ_FROM is not None
if WITH_ORM:
    import gc
    import os

    gc.disable()
    import sqlalchemy.dialects.sqlite
    import sqlalchemy.orm  # noqa: F401

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402 - after the ORM, on purpose
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

EXPOSE_TIMEOUT_MS = 500  # as linkie_desktop/ui/startup_splash.py waits for its window

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare PySide6 window")
window.resize(1100, 720)  # the size Linkie's main window opens at
if READ_FROM is not None:
    from PySide6.QtWidgets import QLabel
    from sqlalchemy import text

    from linkie_desktop.ui import pyside_import_check

    pyside_import_check.install()  # as linkie-desktop does before its own imports
    from linkie_desktop.db.engine import make_engine
    from linkie_desktop.services.overview import load_overview

    engine = make_engine(f"sqlite:///{READ_FROM}")
    with engine.connect() as connection:
        user_id = connection.execute(text("SELECT id FROM users LIMIT 1")).scalar_one()
    figures = load_overview(engine, user_id).figures
    window.setCentralWidget(QLabel(f"{figures.counts}\n{figures.next_post}"))
window.show()
clock = QElapsedTimer()
clock.start()
handle = window.windowHandle()
while handle is not None and not handle.isExposed() and clock.elapsed() < EXPOSE_TIMEOUT_MS:
    app.processEvents()
    time.sleep(0.001)
app.processEvents()  # its first paint
print(f"bare-window: window shown at monotonic {time.monotonic():.6f}", file=sys.stderr)
QTimer.singleShot(0, app.quit)  # as `linkie-desktop --smoke`: one turn of the loop, then exit
code = app.exec()
if WITH_ORM:
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)

"""Child process of test_calendar_mouse_drag.py: real mouse drags in the Calendar tab on X.

Run under Xvfb with QT_QPA_PLATFORM=xcb (never from pytest itself, which stays offscreen):

    python tests/ui/calendar/calendar_drag_child.py DB --data-dir DIR --zone ZONE --now ISO \
        --drag draft:POST_ID:YYYY-MM-DD --drag post:POST_ID:YYYY-MM-DD

Each --drag presses the mouse on the draft's row (draft) or on the post's chip in the grid (post),
moves it until Qt starts a QDrag, then - from a timer, because QDrag.exec runs its own event
loop - moves over the day's cell and releases. It prints one JSON line describing what it saw;
the test judges the database itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QLocale,
    QMessageLogContext,
    QPoint,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QCursor, QDrag, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from linkie_desktop import config
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.calendar import CalendarTab
from linkie_desktop.ui.calendar.day_cell import DayCell

EXPOSE_MS = 20_000  # a loaded 2-core machine can take seconds to map the first window
DRAG_START_MS = 20_000  # how long to wait for Qt to start the QDrag after the press
POLL_MS = 25
SETTLE_MS = 20_000  # the tab's database answers, on a loaded machine
SEEN = "linkieSeenByDragChild"  # marks QDrag objects that existed before a drag was started
LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


@dataclass
class DragReport:
    kind: str
    post_id: str
    day: str
    started: bool = False  # Qt's own drag loop was running when the pointer moved over the day
    hover_state: str = ""  # the target cell's highlight just before the release
    hover_text: str = ""  # the tab's "what a drop here would do" line at that moment
    message: str = ""  # the message bar after the drop
    after_state: str = ""  # the target cell's highlight after the drop (should be gone)
    after_hover_text: str = ""
    errors: list[str] = field(default_factory=list)


def parse_drag(text: str) -> tuple[str, str, date]:
    kind, post_id, day = text.split(":", 2)
    if kind not in ("draft", "post"):
        raise argparse.ArgumentTypeError(f"--drag kind must be draft or post, not {kind!r}")
    return kind, post_id, date.fromisoformat(day)


def drag_source(tab: CalendarTab, kind: str, post_id: str) -> tuple[QWidget, QPoint] | None:
    """The widget to press on and where: the draft's row, or the post's chip in the grid."""
    if kind == "draft":
        drafts = tab.drafts_list
        if post_id not in drafts.post_ids():
            return None
        item = drafts.item(drafts.post_ids().index(post_id))
        drafts.scrollToItem(item)
        return drafts.viewport(), drafts.visualItemRect(item).center()
    for cell in tab.grid.cells:
        for chip in cell.chips:
            if chip.isVisible() and chip.post is not None and chip.post.id == post_id:
                return chip, chip.rect().center()
    return None


def settle(tab: CalendarTab) -> bool:
    """Until the tab's reads and writes on its runner have answered (bounded); False: they did
    not in SETTLE_MS."""
    waited = 0
    while tab.tasks.pending and waited < SETTLE_MS:
        QTest.qWait(POLL_MS)
        waited += POLL_MS
    return not tab.tasks.pending


def new_drag(root: QWidget) -> bool:
    return any(not drag.property(SEEN) for drag in root.findChildren(QDrag))


def real_drag(
    tab: CalendarTab, report: DragReport, source: QWidget, start: QPoint, cell: DayCell
) -> None:
    """Press at `start` in `source`, move until Qt's drag loop runs, drop mid-`cell`."""
    for old in tab.findChildren(QDrag):
        old.setProperty(SEEN, True)
    target = cell.rect().center()
    waited = 0
    polling = True  # off once this drag is over, so a late timer cannot act on the next one

    def over_the_day() -> None:
        nonlocal waited
        if not polling:
            return
        if not new_drag(tab):
            waited += POLL_MS
            if waited < DRAG_START_MS:
                QTimer.singleShot(POLL_MS, over_the_day)
            return
        report.started = True
        # Two moves: the first enters the cell, the second is a move inside it.
        QTest.mouseMove(cell, target - QPoint(6, 6))
        QTest.mouseMove(cell, target)
        report.hover_state = str(cell.drop_state.value)
        report.hover_text = tab.hover_label.text()
        QTest.mouseRelease(cell, LEFT, NO_KEYS, target)

    # Armed before the press: from the first move past the drag distance on, the test's own code
    # is stuck inside QDrag.exec until the drop; only timers still run.
    QTimer.singleShot(POLL_MS, over_the_day)
    QTest.mousePress(source, LEFT, NO_KEYS, start)
    step = QApplication.startDragDistance() + 4
    for offset in (QPoint(1, 1), QPoint(step, 0), QPoint(2 * step, 2)):
        QTest.mouseMove(source, start + offset)  # returns after the drop once a drag started
        if report.started:
            break
    if not report.started:
        report.errors.append("moving the pressed mouse did not start a drag")
        QTest.mouseRelease(source, LEFT, NO_KEYS, start + QPoint(2 * step, 2))
    polling = False
    # The drop is written on the tab's runner and the tab reads again: wait for both answers.
    if not settle(tab):
        report.errors.append(f"the tab's database work did not answer in {SETTLE_MS} ms")


def recording_warnings(into: list[str]) -> Callable[[QtMsgType, QMessageLogContext, str], None]:
    """Qt's warnings go into the JSON too: the test fails on them as pytest-qt would."""

    def handler(kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
        if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            into.append(text)
        print(text, file=sys.stderr)

    return handler


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Real mouse drags in the Calendar tab.")
    parser.add_argument("db")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--zone", required=True)
    parser.add_argument("--now", required=True, type=datetime.fromisoformat)
    parser.add_argument("--drag", action="append", type=parse_drag, default=[])
    args = parser.parse_args(argv)
    warnings: list[str] = []
    qInstallMessageHandler(recording_warnings(warnings))
    app = QApplication([sys.argv[0]])
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    result: dict[str, object] = {"platform": QGuiApplication.platformName()}
    space = open_workspace(config.load(db=args.db, env={"LINKIE_DATA_DIR": args.data_dir}))
    now: datetime = args.now
    tab = CalendarTab(space, AppSignals(), tz=ZoneInfo(args.zone), clock=lambda: now)
    tab.resize(1200, 760)
    tab.move(0, 0)
    # Park the real X pointer outside the window: QDrag starts from where X says it is.
    QCursor.setPos(1590, 990)
    tab.show()
    exposed = QTest.qWaitForWindowExposed(tab, EXPOSE_MS)
    result["exposed"] = exposed
    result["settled"] = settled = settle(tab)  # the month and the drafts are on screen
    reports: list[DragReport] = []
    if exposed and settled:
        for kind, post_id, day in args.drag:
            report = DragReport(kind, post_id, day.isoformat())
            reports.append(report)
            found = drag_source(tab, kind, post_id)
            cell = tab.grid.cell_for(day)
            if found is None or cell is None:
                report.errors.append(f"no {kind} {post_id} or no cell for {day} on screen")
                continue
            real_drag(tab, report, found[0], found[1], cell)
            report.message = tab.message_bar.text_label.text()
            after = tab.grid.cell_for(day)
            report.after_state = "" if after is None else str(after.drop_state.value)
            report.after_hover_text = tab.hover_label.text()
    result["drags"] = [asdict(report) for report in reports]
    result["warnings"] = warnings
    print(json.dumps(result), flush=True)
    tab.close()
    tab.tasks.close()
    space.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

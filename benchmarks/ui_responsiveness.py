"""How long the GUI thread is ever blocked while a person uses the window, at 100,000 posts.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_responsiveness.py [--posts 100000]
        [--click-at-once]

A heartbeat timer fires every 5 ms on the GUI thread; the longest gap between two beats while an
action runs (plus the time its answers take to arrive and be shown) is how long that action froze
the window. The baseline is the same heartbeat over an idle bare QMainWindow for as long, in the
same run: its gap is what the machine itself costs (timer slack, the scheduler). Printed per
action: the longest gap, the baseline's, their ratio, and whether it stays under the 50 ms that
issue 13 allows. The actions: switch to each tab, switch months in the Calendar, type in the
Drafts search, scroll the Calendar's drafts panel and the Drafts list, open a post, type and let
autosave save it. The database is a real migrated file (benchmarks/startup.py builds it).
The tabs are switched to once the window has imported their modules in its idle time after
start-up, as it does in the second after it opens; --click-at-once switches 0.3 s after the
window opened instead, each first switch then importing its tab's modules too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import build

BEAT_MS = 5
LIMIT_MS = 50.0
SETTLE_S = 0.3  # after the last answer: what a repaint or a late timer still costs


class Heartbeat:
    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setObjectName("benchmark-heartbeat")
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.clock = QElapsedTimer()
        self.last = 0
        self.longest = 0

    def _beat(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def measure(self, action: Callable[[], object], idle: Callable[[], bool]) -> float:
        """Longest gap (ms) while `action` runs and until `idle()` holds, then SETTLE_S more."""
        app = QApplication.instance()
        assert app is not None
        self.clock.start()
        self.last, self.longest = 0, 0
        self.timer.start()
        action()
        started = time.monotonic()
        while not idle() and time.monotonic() - started < 30:
            app.processEvents()
            time.sleep(0.001)
        settle_until = time.monotonic() + SETTLE_S
        while time.monotonic() < settle_until:
            app.processEvents()
            time.sleep(0.001)
        self.timer.stop()
        # A beat that never came after the action still counts up to now.
        return float(max(self.longest, self.clock.elapsed() - self.last))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument(
        "--click-at-once",
        action="store_true",
        help="switch tabs 0.3 s after the window opened, before the idle imports of the other "
        "tabs' modules (ui/import_ahead.py) are done: the worst case of a first click",
    )
    args = parser.parse_args(argv)
    # As linkie-desktop's main() does before its heavy imports: without it, every module a tab
    # imports when first built pays PySide6's inspect.getsource check, which a user never does.
    from linkie_desktop.ui import pyside_import_check

    pyside_import_check.install()
    _app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    heart = Heartbeat()

    bare = QMainWindow()
    bare.resize(1100, 720)
    bare.show()
    baseline = heart.measure(lambda: None, lambda: True)
    bare.close()

    from linkie_desktop import config
    from linkie_desktop.services.workspace import open_workspace
    from linkie_desktop.ui import start_up_gc
    from linkie_desktop.ui.shell import AppShell

    with tempfile.TemporaryDirectory(prefix="linkie-ui-") as tmp:
        folder = Path(tmp)
        database = build(folder, args.posts)
        workspace = open_workspace(
            config.load(db=str(database), env={"LINKIE_DATA_DIR": str(folder / "data")})
        )
        made: list[AppShell] = []

        def idle() -> bool:
            tasks = getattr(made[0], "tasks", None) if made else None
            return tasks is None or tasks.pending == 0

        results: list[tuple[str, float]] = []

        def run(
            name: str, action: Callable[[], object], until: Callable[[], bool] = lambda: True
        ) -> None:
            """`until`: what the action is done at, beyond the runner being idle (reads and
            writes answer asynchronously, so an action's work is over only once they have)."""
            results.append((name, heart.measure(action, lambda: idle() and until())))

        def open_window() -> None:
            start_up_gc.hold()  # as linkie-desktop's main() does first; the shell releases it
            made.append(AppShell(workspace, publish=False))
            made[0].start()

        run("build and open the window", open_window)
        shell = made[0]
        if not args.click_at_once:
            # A user takes a second to look before the first click: the window imports the other
            # tabs' modules meanwhile, in steps (each one is measured: the longest gap counts).
            run(
                "idle: the other tabs' modules imported ahead",
                lambda: None,
                lambda: shell.import_ahead is not None and not shell.import_ahead.waiting,
            )
        window = shell.window
        for key in ("drafts", "calendar", "studio", "analytics", "dashboard"):
            run(f"switch to {key}", partial(window.show_tab, key))

        window.show_tab("calendar")
        calendar = window.page("calendar")
        run("calendar: next month", lambda: calendar.step_month(1))  # type: ignore[union-attr]
        run("calendar: previous month", lambda: calendar.step_month(-1))  # type: ignore[union-attr]
        panel = getattr(getattr(calendar, "drafts_panel", None), "list", None)
        if panel is not None:
            bar = panel.verticalScrollBar()
            run("calendar: scroll the drafts panel", lambda: bar.setValue(bar.maximum()))

        window.show_tab("drafts")
        drafts = window.drafts
        assert drafts is not None
        run("drafts: type a search", lambda: QTest.keyClicks(drafts.posts.search_edit, "words"))
        run("drafts: clear the search", drafts.posts.search_edit.clear)
        table_bar = drafts.posts.view.verticalScrollBar()
        run("drafts: scroll to the end", lambda: table_bar.setValue(table_bar.maximum()))
        first = drafts.posts.model.post_id_at(0)
        assert first is not None, "the benchmark's database has posts"
        composer = drafts.composer
        run(
            "drafts: open a post",
            partial(drafts.open_post, first),
            lambda: composer.post_id == first and composer.settled,
        )

        def type_and_autosave() -> None:
            drafts.composer.body_edit.setFocus()
            QTest.keyClicks(drafts.composer.body_edit, " and one more thought")

        run("drafts: type, then autosave", type_and_autosave)
        # The pause in typing runs out, the save goes to the worker and its answer comes back.
        run(
            "drafts: the autosave itself",
            lambda: None,
            lambda: not composer.autosave_timer.isActive() and composer.settled,
        )

        shell.shutdown()
        workspace.close()

    print(f"GUI thread: longest gap between {BEAT_MS} ms heartbeats, {args.posts:,} posts")
    print(f"  idle bare window (baseline)              {baseline:7.1f} ms")
    for name, gap in results:
        verdict = "ok" if gap <= LIMIT_MS else f"over {LIMIT_MS:.0f} ms"
        print(f"  {name:<40} {gap:7.1f} ms  ×{gap / max(baseline, 1.0):6.1f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

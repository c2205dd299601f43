"""Calendar month switch (query + grid refresh) with 10,000 and 100,000 posts against 100.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/calendar_month.py [--sizes 100 10000 …]

Each size gets two real migrated SQLite files, measured in the same run:
- "busy history": the months switched through hold the same 60 posts at every size, the rest of
  the posts lie in the ten years before. The ratio shows whether the size of the file matters
  (it should not: one indexed query reads only the 42 days shown).
- "uniform": all posts spread evenly over five years, so a month holds more posts as the file
  grows; the ratio then grows with the posts shown, not with the file.
A switch is CalendarTab.step_month until its answer is on screen: the one query runs on the task
runner's database worker (the GUI thread is free meanwhile; benchmarks/ui_responsiveness.py
measures that), then 42 cells are filled and repainted. The figure is the median of many switches
after a warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from linkie_desktop import config
from linkie_desktop.db.types import new_id
from linkie_desktop.services.workspace import Workspace, open_workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.calendar import CalendarTab

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 12, 15, 10, 0, tzinfo=UTC)
SHOWN_FROM = datetime(2026, 1, 1, tzinfo=UTC)  # the six months switched through
SHOWN_DAYS = 181
SHOWN_POSTS = 60
STATUSES = ("scheduled", "published", "failed", "publishing")
ROUNDS = 6


def _instants(count: int, start: datetime, days: int, rng: random.Random) -> list[int]:
    first = int(start.timestamp())
    return [first + rng.randrange(days * 86_400) for _ in range(count)]


def _fill(workspace: Workspace, instants: list[int], rng: random.Random) -> None:
    rows = [
        {
            "id": new_id(),
            "user_id": workspace.user_id,
            "content": f"Post {n}: " + "words " * rng.randint(5, 200),
            "title": None if n % 3 else f"Title {n}",
            "status": rng.choice(STATUSES),
            "scheduled_at": at,
            "created_at": at,
            "updated_at": at,
        }
        for n, at in enumerate(instants)
    ]
    insert = text(
        "INSERT INTO posts (id, user_id, title, content, status, scheduled_at, retry_count, "
        "created_at, updated_at) VALUES (:id, :user_id, :title, :content, :status, "
        ":scheduled_at, 0, :created_at, :updated_at)"
    )
    with workspace.engine.begin() as connection:
        connection.execute(insert, rows)


def build(folder: Path, count: int, layout: str) -> Workspace:
    cfg = config.load(db=str(folder / f"{layout}-{count}.db"), env={"LINKIE_DATA_DIR": str(folder)})
    workspace = open_workspace(cfg)
    rng = random.Random(count)
    if layout in ("busy history", "warm-up"):
        history_start = SHOWN_FROM - timedelta(days=3_650)
        instants = _instants(SHOWN_POSTS, SHOWN_FROM, SHOWN_DAYS, rng)
        instants += _instants(count - SHOWN_POSTS, history_start, 3_640, rng)
    else:
        instants = _instants(count, SHOWN_FROM - timedelta(days=1_600), 1_826, rng)
    _fill(workspace, instants, rng)
    return workspace


def _answered(app: QApplication, tab: CalendarTab) -> None:
    """Until the tab's reads on the runner have answered and been shown."""
    while tab.tasks.pending:
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()


def time_switches(app: QApplication, workspace: Workspace) -> float:
    """Median seconds of one month switch, over ROUNDS passes forward and back through 6 months."""
    tab = CalendarTab(workspace, AppSignals(), tz=ZONE, clock=lambda: NOW)
    tab.resize(1200, 760)
    tab.show()
    _answered(app, tab)
    tab.step_month(1)  # warm-up: first paint, caches
    _answered(app, tab)
    samples: list[float] = []
    for round_number in range(ROUNDS):
        direction = 1 if round_number % 2 == 0 else -1
        for _ in range(5):
            started = time.perf_counter()
            tab.step_month(direction)
            _answered(app, tab)
            samples.append(time.perf_counter() - started)
    tab.close()
    tab.tasks.close()
    tab.deleteLater()
    app.processEvents()
    return statistics.median(samples)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(["calendar_month"])
    assert isinstance(app, QApplication)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    baseline = args.sizes[0]
    with tempfile.TemporaryDirectory(prefix="linkie-bench-") as tmp:
        # One unmeasured pass first, so that the baseline does not pay for Qt's first paints.
        warm_up = build(Path(tmp), baseline, "warm-up")
        try:
            time_switches(app, warm_up)
        finally:
            warm_up.close()
        for layout in ("busy history", "uniform"):
            results: dict[int, float] = {}
            for size in args.sizes:
                workspace = build(Path(tmp), size, layout)
                try:
                    results[size] = time_switches(app, workspace)
                finally:
                    workspace.close()
            print(f"\nmonth switch, {layout}:")
            for size, seconds in results.items():
                ratio = seconds / results[baseline]
                print(
                    f"  {size:>7,} posts  {seconds * 1000:7.2f} ms  ×{ratio:5.2f} vs {baseline:,}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

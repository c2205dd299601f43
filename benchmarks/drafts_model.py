"""How the Drafts list scales: load, filter, search, sort and deep paging at 50,000 posts,
printed as ratios against 500 and 1,000 posts measured in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/drafts_model.py
A ratio near 1 means the cost does not grow with the number of posts (paged SQL); the
filters that must scan text (search) grow with the table but stay well under a frame budget.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView
from sqlalchemy import insert

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.migrate import prepare_database
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import new_id, utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostQuery, PostService
from linkie_desktop.ui.drafts.model import TITLE, PostsTableModel

SIZES = (500, 1_000, 50_000)
REPEATS = 7  # the best of several runs: other work on the machine only ever adds time
_STATUSES = list(PostStatus)


def make_service(folder: Path, count: int) -> PostService:
    engine, _ = prepare_database(f"sqlite:///{folder / f'bench-{count}.db'}")
    now = utc_now()
    with transaction(engine) as session:
        user_id = queries.get_or_create_local_user(session).id
        rows = [
            {
                "id": new_id(),
                "user_id": user_id,
                "title": f"Post number {n}" if n % 4 else None,
                "content": f"Line one of post {n}\nsome words about topic {n % 97} "
                + ("needle " if n % 50 == 0 else "")
                + "lorem ipsum " * 20,
                "status": _STATUSES[n % len(_STATUSES)].value,
                "scheduled_at": now + timedelta(hours=n) if n % 5 == 1 else None,
                "created_at": now - timedelta(seconds=n),
                "updated_at": now - timedelta(seconds=n),
                "retry_count": 0,
            }
            for n in range(count)
        ]
        session.execute(insert(Post), rows)
    return PostService(engine, user_id)


def best_ms(action: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(REPEATS):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def answered(model: PostsTableModel, app: QApplication) -> None:
    """The model reads on the task runner's worker: wait until its answers are shown."""
    while model.tasks.pending:
        app.processEvents()
        time.sleep(0.0002)  # lets the worker take Python's GIL


def measure(service: PostService, app: QApplication) -> dict[str, float]:
    view = QTableView()
    results: dict[str, float] = {}

    def load() -> None:
        model = PostsTableModel(service)
        view.setModel(model)
        answered(model, app)

    results["open list (first page + view)"] = best_ms(load)
    model = PostsTableModel(service)
    view.setModel(model)
    answered(model, app)

    def set_query(query: PostQuery) -> Callable[[], None]:
        def run() -> None:
            model.set_query(PostQuery())  # start from "All" so every run does the work
            model.set_query(query)
            answered(model, app)

        return run

    results["filter: Failed"] = best_ms(set_query(PostQuery(statuses=(PostStatus.FAILED,))))
    results["search: 'needle'"] = best_ms(set_query(PostQuery(search="needle")))
    results["sort: title"] = best_ms(set_query(PostQuery(sort="title", descending=False)))
    results["count for the label"] = best_ms(lambda: service.count(PostQuery(search="needle")))

    scrolled = [model]

    def fresh_model() -> None:
        scrolled[0] = PostsTableModel(service)
        view.setModel(scrolled[0])
        answered(scrolled[0], app)

    def scroll_a_page() -> None:
        scrolled[0].fetchMore(QModelIndex())
        answered(scrolled[0], app)

    results["next page while scrolling"] = best_ms(scroll_a_page, setup=fresh_model)
    deep = max(service.count(PostQuery()) - 200, 0)
    results["a page near the end (offset)"] = best_ms(lambda: service.page(PostQuery(), deep, 200))
    results["cell data, 200 rows"] = best_ms(
        lambda: [model.index(r, TITLE).data(Qt.ItemDataRole.DisplayRole) for r in range(200)]
    )
    return results


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    folder = Path(tempfile.mkdtemp(prefix="linkie-bench-"))
    measured = {count: measure(make_service(folder, count), app) for count in SIZES}
    small, medium, large = SIZES
    print(f"Drafts list, best of {REPEATS} runs, milliseconds")
    print(f"{'operation':32} {small:>8,} {medium:>8,} {large:>8,}  ratio/{small}  ratio/{medium}")
    for name in measured[small]:
        a, b, c = (measured[count][name] for count in SIZES)
        print(f"{name:32} {a:8.2f} {b:8.2f} {c:8.2f}  {c / a:10.1f}  {c / b:11.1f}")


if __name__ == "__main__":
    main()

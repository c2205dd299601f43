"""Publisher: a pass over 100,000 posts (10 due) against 1,000, and how late posts leave.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/publisher.py [--large 100000]

1. Pass cost: two real migrated SQLite files with the same mix of statuses, 10 posts due in each;
   a whole `run_once` (housekeeping, claims, 10 real HTTP posts to the LinkedIn test server on
   127.0.0.1) and the due-posts query alone, median of 5 runs. The ratio large ÷ small is what to
   watch: indexed queries should grow far slower than the hundredfold data.
2. The query plan of the due-posts query (it must use an index, not scan the table).
3. Lateness: 20 posts due over ~10 s, sent by the real PublisherDriver (Qt event loop, worker
   thread, tick 30 s): when the test server received each, minus its scheduled second. The
   baseline is a tick-only design, late by half the tick on average.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the LinkedIn test server lives in tests/fakes

from linkie_desktop.db import queries  # noqa: E402
from linkie_desktop.db.engine import transaction  # noqa: E402
from linkie_desktop.db.migrate import prepare_database  # noqa: E402
from linkie_desktop.db.models import OAuthStatus, UserSettings  # noqa: E402
from linkie_desktop.db.types import utc_now  # noqa: E402
from linkie_desktop.services.publisher import PublisherConfig, run_once  # noqa: E402
from tests.fakes.linkedin_server import FakeLinkedIn  # noqa: E402

DUE = 10
RUNS = 5
STATUS_MIX = (("published", 60), ("draft", 20), ("scheduled", 10), ("failed", 10))


def _fill(engine: Engine, user_id: str, count: int, now_s: int, rng: random.Random) -> list[str]:
    """`count` posts; the last DUE are due a minute ago, every other scheduled one is future."""
    statuses = [name for name, weight in STATUS_MIX for _ in range(weight)]
    rows: list[dict[str, object]] = []
    due_ids = []
    for n in range(count):
        status = "scheduled" if n >= count - DUE else rng.choice(statuses)
        if n >= count - DUE:
            when: int | None = now_s - 60
            due_ids.append(f"due-{n}")
        elif status == "scheduled":
            when = now_s + rng.randint(3600, 90 * 86_400)
        elif status == "draft":
            when = None
        else:
            when = now_s - rng.randint(3600, 730 * 86_400)
        rows.append(
            {
                "id": due_ids[-1] if n >= count - DUE else f"p-{n}",
                "user_id": user_id,
                "content": f"Post {n} " + "x" * rng.randint(40, 400),
                "status": status,
                "scheduled_at": when,
                "created_at": now_s - 86_400 * 800,
                "updated_at": now_s - 86_400,
            }
        )
    if not rows:
        return due_ids
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO posts (id, user_id, content, status, scheduled_at, retry_count, "
                "created_at, updated_at) VALUES (:id, :user_id, :content, :status, "
                ":scheduled_at, 0, :created_at, :updated_at)"
            ),
            rows,
        )
    return due_ids


def _database(folder: Path, count: int, server: FakeLinkedIn) -> tuple[Engine, list[str]]:
    engine, _ = prepare_database(f"sqlite:///{folder / f'posts-{count}.db'}")
    with transaction(engine) as session:
        user_id = queries.get_or_create_local_user(session).id
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_person_urn": f"urn:li:person:{server.profile['sub']}",
                "linkedin_access_token": "sealed",
            },
        )
    due = _fill(engine, user_id, count, int(utc_now().timestamp()), random.Random(7))
    return engine, due


def _reset_due(engine: Engine, due: list[str], server: FakeLinkedIn) -> None:
    server.posts.clear()  # otherwise the second run is refused as duplicate content
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE posts SET status='scheduled', linkedin_post_urn=NULL, published_at=NULL "
                "WHERE id = :id"
            ),
            [{"id": post_id} for post_id in due],
        )


def _median(action: Callable[[], object], before: Callable[[], None]) -> float:
    times = []
    for _ in range(RUNS + 1):  # the first is a warm-up
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def _query_plan(engine: Engine) -> list[str]:
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM posts" in statement:
            captured.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    with transaction(engine) as session:
        queries.get_posts_ready_to_publish(session)
    event.remove(engine, "before_cursor_execute", capture)
    statement, params = captured[-1]
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
    return [str(row[-1]) for row in rows]


def pass_cost(small: int, large: int) -> None:
    server = FakeLinkedIn().start()
    tokens = server.issue_token()
    config = PublisherConfig(api_base=server.base_url, linkedin_version="202511")

    def provider(_settings: UserSettings) -> str:
        return tokens

    try:
        with tempfile.TemporaryDirectory(prefix="linkie-bench-") as tmp:
            figures = {}
            for count in (small, large):
                engine, due = _database(Path(tmp), count, server)

                def whole_pass(engine: Engine = engine, due: list[str] = due) -> None:
                    result = run_once(engine, provider, config)
                    assert sum(r.outcome == "published" for r in result.results) == len(due)

                def query_only(engine: Engine = engine) -> None:
                    with transaction(engine) as session:
                        queries.get_posts_ready_to_publish(session)

                reset = lambda engine=engine, due=due: _reset_due(engine, due, server)  # noqa: E731
                figures[count] = (_median(whole_pass, reset), _median(query_only, reset))
                if count == large:
                    print("due-posts query plan:", "; ".join(_query_plan(engine)))
                engine.dispose()
    finally:
        server.stop()
    (pass_s, query_s), (pass_l, query_l) = figures[small], figures[large]
    for label, at_small, at_large in (
        (f"pass with {DUE} due", pass_s, pass_l),
        ("due-posts query", query_s, query_l),
    ):
        print(
            f"{label:<18} {small:>7} posts {at_small * 1000:8.2f} ms   "
            f"{large:>7} posts {at_large * 1000:8.2f} ms   ratio {at_large / at_small:5.2f}"
        )


def lateness(count: int = 20) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from linkie_desktop.ui.app_signals import AppSignals
    from linkie_desktop.ui.publisher_driver import PublisherDriver

    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    server = FakeLinkedIn().start()
    tokens = server.issue_token()
    with tempfile.TemporaryDirectory(prefix="linkie-bench-") as tmp:
        engine, _ = _database(Path(tmp), 0, server)
        first = utc_now() + timedelta(seconds=3)
        with transaction(engine) as session:
            user_id = queries.get_or_create_local_user(session).id
            for n in range(count):
                queries.create_post(
                    session,
                    {
                        "user_id": user_id,
                        "content": f"Lateness {n}",
                        "status": "scheduled",
                        "scheduled_at": first + timedelta(seconds=n // 2),
                    },
                )
        config = PublisherConfig(api_base=server.base_url, linkedin_version="202511")
        driver = PublisherDriver(engine, AppSignals(), config, lambda _s: tokens, user_id, 30.0)
        loop = QEventLoop()
        poll = QTimer()

        def stop_when_all_sent() -> None:
            if len(server.posts) >= count:
                loop.quit()

        poll.timeout.connect(stop_when_all_sent)
        poll.start(50)
        QTimer.singleShot(60_000, loop.quit)
        driver.start()
        loop.exec()
        driver.stop()
        engine.dispose()
    server.stop()
    received = {
        r.json()["commentary"]: r.received_at for r in server.requests_to("POST", "/rest/posts")
    }
    late = [
        received[f"Lateness {n}"] - (first + timedelta(seconds=n // 2)).timestamp()
        for n in range(count)
        if f"Lateness {n}" in received
    ]
    baseline = 30.0 / 2
    print(f"lateness over {len(late)}/{count} posts: mean {statistics.mean(late):.3f} s, "
          f"max {max(late):.3f} s; tick-only baseline {baseline:.0f} s, "
          f"ratio {statistics.mean(late) / baseline:.4f}")  # fmt: skip
    del app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    pass_cost(args.small, args.large)
    lateness()


if __name__ == "__main__":
    main()

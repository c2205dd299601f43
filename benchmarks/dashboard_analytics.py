"""Dashboard refresh and Analytics load with 100,000 posts against 1,000, measured in one run.

    .venv/bin/python benchmarks/dashboard_analytics.py [--large 100000] [--small 1000]

Both databases are real migrated SQLite files filled with the same mix of statuses and dates
spread over two years; each figure is the median of several runs after one warm-up. The ratio
large ÷ small is what to watch: SQL aggregates over indexes should grow far slower than the
hundredfold growth of the data.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.migrate import prepare_database
from linkie_desktop.db.types import new_id
from linkie_desktop.services.analytics import Period, load_analytics
from linkie_desktop.services.overview import load_overview

NOW = datetime(2026, 11, 4, 11, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
SPAN_DAYS = 730
STATUS_MIX = (("published", 55), ("draft", 20), ("scheduled", 15), ("failed", 10))
ERRORS = (
    "Content is a duplicate of urn:li:share:1",
    "Missed while Linkie was closed",
    "LinkedIn had a problem (HTTP 503)",
    None,
)


def _rows(user_id: str, count: int, rng: random.Random) -> list[dict[str, object]]:
    statuses = [name for name, weight in STATUS_MIX for _ in range(weight)]
    now_s = int(NOW.timestamp())
    rows: list[dict[str, object]] = []
    for _ in range(count):
        status = rng.choice(statuses)
        offset = rng.randint(-SPAN_DAYS * 86_400, 30 * 86_400)
        when = now_s + (offset if status == "scheduled" else min(offset, -60))
        length = rng.randint(40, 2_500)
        content = ("Hook line\n" if rng.random() < 0.5 else "") + "x" * length
        rows.append(
            {
                "id": new_id(),
                "user_id": user_id,
                "content": content,
                "status": status,
                "scheduled_at": None if status == "draft" else when,
                "published_at": when if status == "published" else None,
                "error_message": rng.choice(ERRORS) if status == "failed" else None,
                "created_at": when,
                "updated_at": when,
            }
        )
    return rows


def build(folder: Path, count: int) -> tuple[Engine, str]:
    engine, _ = prepare_database(f"sqlite:///{folder / f'posts-{count}.db'}")
    with transaction(engine) as session:
        user_id = queries.get_or_create_local_user(session).id
    rng = random.Random(count)
    insert = text(
        "INSERT INTO posts (id, user_id, content, status, scheduled_at, published_at, "
        "error_message, retry_count, created_at, updated_at) VALUES (:id, :user_id, :content, "
        ":status, :scheduled_at, :published_at, :error_message, 0, :created_at, :updated_at)"
    )
    for start in range(0, count, 10_000):
        with transaction(engine) as session:
            session.execute(insert, _rows(user_id, min(10_000, count - start), rng))
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return engine, user_id


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: page cache, statement cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="linkie-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        small = build(folder, args.small)
        large = build(folder, args.large)
        took = time.perf_counter() - started
        print(f"built {args.small:,} and {args.large:,} posts in {took:.1f} s")
        cases: list[tuple[str, Callable[[Engine, str], object]]] = [
            ("dashboard refresh", lambda e, u: load_overview(e, u, now=NOW, tz=ZONE)),
            *(
                (
                    f"analytics load, {period.label.lower()}",
                    lambda e, u, p=period: load_analytics(e, u, p, now=NOW, tz=ZONE),
                )
                for period in Period
            ),
        ]
        growth = args.large // args.small
        print(f"{'':32} {args.small:>10,} {args.large:>10,}   ratio (data ×{growth})")
        for name, action in cases:
            small_s = median_seconds(partial(action, *small), args.runs)
            large_s = median_seconds(partial(action, *large), args.runs)
            print(
                f"{name:32} {small_s * 1000:8.1f} ms {large_s * 1000:8.1f} ms"
                f"   ×{large_s / small_s:.1f}"
            )
        small[0].dispose()
        large[0].dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

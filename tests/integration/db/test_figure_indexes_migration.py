"""Migration 0011: the Dashboard's and Analytics' counts of posts outside the trash are answered
from the figure indexes alone (a covering index: no lookup in the table per counted post)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.migrate import SCHEMA_REVISION, downgrade, upgrade

COUNT = (
    "EXPLAIN QUERY PLAN SELECT count(*) FROM posts WHERE user_id = 'u' AND status = 'published' "
    "AND published_at >= 0 AND deleted_at IS NULL"
)


def _plan_and_columns(path: Path) -> tuple[str, list[str]]:
    raw = sqlite3.connect(path)
    try:
        plan = " ".join(str(row[-1]) for row in raw.execute(COUNT))
        columns = [
            row[2] for row in raw.execute("PRAGMA index_info(posts_user_status_published_idx)")
        ]
        return plan, columns
    finally:
        raw.close()


def test_the_trash_condition_is_read_from_the_index_and_down_undoes_it(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine, SCHEMA_REVISION)
        plan, columns = _plan_and_columns(path)
        assert columns == ["user_id", "status", "published_at", "deleted_at"]
        assert "COVERING INDEX posts_user_status_published_idx" in plan
        downgrade(engine, "0010_posting_slots")
        plan, columns = _plan_and_columns(path)
        assert columns == ["user_id", "status", "published_at"]
        assert "COVERING" not in plan  # each counted post was looked up in the table
    finally:
        engine.dispose()

"""The Dashboard's and Analytics' indexes learn the trash: (user, status, time, deleted_at).

Since the trash (0009) every figure counts only posts outside it (`deleted_at IS NULL`), which the
indexes of 0004 could not answer: each counted row cost a lookup in the table, and the Dashboard
at 100,000 posts went from 26 to 91 ms, Analytics' year from 0.57 to 0.99 s
(benchmarks/dashboard_analytics.py). With deleted_at as the indexes' last column the condition is
read from the index itself. Same names, so every query keeps using them.

Revision ID: 0011_figure_indexes_live
Revises: 0010_posting_slots
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_figure_indexes_live"
down_revision: str | None = "0010_posting_slots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "posts_user_status_published_idx": "published_at",
    "posts_user_status_scheduled_idx": "scheduled_at",
}


def upgrade() -> None:
    # Plain DROP/CREATE INDEX: SQLite changes no table for them (no copy that could cascade).
    for name, column in _INDEXES.items():
        op.drop_index(name, table_name="posts")
        op.create_index(name, "posts", ["user_id", "status", column, "deleted_at"])


def downgrade() -> None:
    for name, column in _INDEXES.items():
        op.drop_index(name, table_name="posts")
        op.create_index(name, "posts", ["user_id", "status", column])

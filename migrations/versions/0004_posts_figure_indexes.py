"""Indexes for the Dashboard's and Analytics' aggregates: (user, status, published_at|scheduled_at).

Measured with benchmarks/dashboard_analytics.py: without them every figure scanned all of a
user's posts of a status (about 400 ms for Analytics at 100,000 posts).

Revision ID: 0004_posts_figure_indexes
Revises: 0003_post_linkedin_stats
Create Date: 2026-11-26 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_posts_figure_indexes"
down_revision: str | None = "0003_post_linkedin_stats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "posts_user_status_published_idx",
            ["user_id", "status", "published_at"],
            unique=False,
        )
        batch_op.create_index(
            "posts_user_status_scheduled_idx",
            ["user_id", "status", "scheduled_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("posts_user_status_scheduled_idx")
        batch_op.drop_index("posts_user_status_published_idx")

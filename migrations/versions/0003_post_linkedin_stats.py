"""post_linkedin_stats: LinkedIn's per-post figures (impressions, reach, …), cached at most hourly.

Revision ID: 0003_post_linkedin_stats
Revises: 0002_post_next_attempt_at
Create Date: 2026-11-26 13:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0003_post_linkedin_stats"
down_revision: str | None = "0002_post_next_attempt_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_linkedin_stats",
        sa.Column("post_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=True),
        sa.Column("members_reached", sa.Integer(), nullable=True),
        sa.Column("reactions", sa.Integer(), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.Column("reshares", sa.Integer(), nullable=True),
        sa.Column("fetched_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("post_linkedin_stats_post_id_posts_id_fk"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("post_linkedin_stats_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("post_linkedin_stats_pk")),
    )
    with op.batch_alter_table("post_linkedin_stats", schema=None) as batch_op:
        batch_op.create_index("post_linkedin_stats_user_id_idx", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post_linkedin_stats", schema=None) as batch_op:
        batch_op.drop_index("post_linkedin_stats_user_id_idx")
    op.drop_table("post_linkedin_stats")

"""Posting slots (posting_slots), recurring posts and evergreen posts (issue 16).

posting_slots: the user's weekly local wall times a queue fills ("mon" 09:00 is weekday 0 and
time '09:00'), one row per user, weekday and time; rows go with their user.

posts: a recurring post's rule (repeat_rule_json, JSON of domain/repeat.py) and the series its
occurrences share (series_id, the first post's id), indexed because every publish of a series
counts its posts; an evergreen flag (0/1) and when an evergreen post was last reused
(evergreen_used_at), and on a reused copy the post it came from (evergreen_source_id).

Revision ID: 0010_posting_slots
Revises: 0009_trash
Create Date: 2026-12-01 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0010_posting_slots"
down_revision: str | None = "0009_trash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "posting_slots",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("posting_slots_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("posting_slots_pk")),
        sa.UniqueConstraint(
            "user_id", "weekday", "time", name=op.f("posting_slots_user_id_unique")
        ),
    )
    # Plain ADD COLUMNs: SQLite alters posts in place (a copy of the table would cascade into
    # the tables that reference posts, see 0006).
    op.add_column("posts", sa.Column("repeat_rule_json", sa.Text(), nullable=True))
    op.add_column("posts", sa.Column("series_id", sa.Text(), nullable=True))
    op.add_column(
        "posts", sa.Column("evergreen", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("posts", sa.Column("evergreen_used_at", wide_integer(), nullable=True))
    op.add_column("posts", sa.Column("evergreen_source_id", sa.Text(), nullable=True))
    op.create_index("posts_series_id_idx", "posts", ["series_id"])


def downgrade() -> None:
    op.drop_index("posts_series_id_idx", table_name="posts")
    # ALTER TABLE DROP COLUMN in place (SQLite 3.35+), not batch mode's copy of posts (see 0006).
    for name in (
        "evergreen_source_id",
        "evergreen_used_at",
        "evergreen",
        "series_id",
        "repeat_rule_json",
    ):
        op.drop_column("posts", name)
    op.drop_table("posting_slots")

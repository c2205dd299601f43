"""The activity history (post_events) and the publishers that are running (publisher_presence).

post_events: every attempt and outcome of every post, with what LinkedIn answered in plain words,
kept across restarts and read by post and by outcome (issue 15). `actor` says who acted (the
window, the command line, the background publisher, an AI agent), so the history can say "by an
agent". Rows go with their post (ON DELETE CASCADE) and with their user.

publisher_presence: one row per running publisher (window, `linkie serve`), its heartbeat written
every pass, so the window can tell that a background publisher is active; rows older than a few
ticks are a dead process's. Not user-scoped: one publisher serves every user of the database.

Revision ID: 0008_activity_history
Revises: 0007_post_upload_claim
Create Date: 2026-12-01 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0008_activity_history"
down_revision: str | None = "0007_post_upload_claim"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_events",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Text(), nullable=False),
        sa.Column("at", wide_integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("post_events_post_id_posts_id_fk"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("post_events_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("post_events_pk")),
    )
    # The history is read newest first, for one user (the Activity view) or one post.
    op.create_index("post_events_user_at_idx", "post_events", ["user_id", "at"])
    op.create_index("post_events_post_at_idx", "post_events", ["post_id", "at"])
    op.create_table(
        "publisher_presence",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", wide_integer(), nullable=False),
        sa.Column("seen_at", wide_integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("publisher_presence_pk")),
    )


def downgrade() -> None:
    op.drop_table("publisher_presence")
    op.drop_index("post_events_post_at_idx", table_name="post_events")
    op.drop_index("post_events_user_at_idx", table_name="post_events")
    op.drop_table("post_events")

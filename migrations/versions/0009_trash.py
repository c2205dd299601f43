"""The trash: a deleted post keeps its row with the time it was deleted (posts.deleted_at).

A post in the trash is shown only in the trash, is never published, and is removed for good
30 days later or when the trash is emptied; NULL: not deleted. No index: every read already goes
through user_id or status, and the trash of one user is small.

Revision ID: 0009_trash
Revises: 0008_activity_history
Create Date: 2026-12-01 22:06:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0009_trash"
down_revision: str | None = "0008_activity_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite alters posts in place (a copy of the table would cascade into
    # post_linkedin_stats and post_media through their ON DELETE CASCADE, see 0006).
    op.add_column("posts", sa.Column("deleted_at", wide_integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("posts", "deleted_at")

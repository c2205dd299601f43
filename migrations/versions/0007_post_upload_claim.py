"""The publisher's claim on a post's uploads (posts.upload_claimed_at), and an index for the
first comments it still has to send.

Media are uploaded from 30 minutes before a post's time, while the post is still `scheduled`, so
the status cannot be the claim (as `publishing` is for the create request). Two publishers on one
file (the window and `linkie publish-due`) take a post's uploads with a conditional UPDATE of this
column; a claim renewed as the bytes go and left alone for 5 minutes is a dead process's. NULL: no
upload is under way.

posts_first_comment_status_idx: each pass looks for published posts whose first comment is
pending; without it SQLite reads every published post to find the few (most rows hold NULL).

Revision ID: 0007_post_upload_claim
Revises: 0006_post_formats
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0007_post_upload_claim"
down_revision: str | None = "0006_post_formats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite alters posts in place (a copy of the table would cascade into
    # post_linkedin_stats through its ON DELETE CASCADE, see 0006).
    op.add_column("posts", sa.Column("upload_claimed_at", wide_integer(), nullable=True))
    op.create_index("posts_first_comment_status_idx", "posts", ["first_comment_status"])


def downgrade() -> None:
    op.drop_index("posts_first_comment_status_idx", table_name="posts")
    op.drop_column("posts", "upload_claimed_at")

"""posts.next_attempt_at: when the publisher may try a post again after a transient failure.

Revision ID: 0002_post_next_attempt_at
Revises: 0001_initial
Create Date: 2026-11-26 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0002_post_next_attempt_at"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL means "as soon as scheduled_at has come"; an INTEGER Unix second like every timestamp.
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", wide_integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")

"""Post formats: a post's media in order (post_media), its visibility, first comment, poll and
link card. An existing post's image becomes its first post_media row; posts.image_path stays and
keeps naming the first image, so older tools still read it.

Revision ID: 0006_post_formats
Revises: 0005_posts_due_index
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cuid2 import Cuid

from linkie_desktop.db.types import wide_integer

revision: str = "0006_post_formats"
down_revision: str | None = "0005_posts_due_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The new columns of posts besides visibility; all nullable (NULL: the post has none of it).
_TEXT_COLUMNS = (
    "first_comment_text",
    "first_comment_status",
    "first_comment_urn",
    "first_comment_error",
    "poll_question",
    "poll_options_json",
    "link_url",
    "link_title",
    "link_description",
    "link_thumbnail_path",
    "link_thumbnail_urn",
)
_INTEGER_COLUMNS = ("poll_days",)


def upgrade() -> None:
    # Only ADD COLUMNs, so SQLite alters posts in place. A copy of the table (batch mode's way,
    # which a default given as SQL text triggers) would drop the old one, and with foreign keys
    # on that deletes every post_linkedin_stats row through its ON DELETE CASCADE.
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("visibility", sa.Text(), server_default="PUBLIC", nullable=False)
        )
        for name in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        for name in _INTEGER_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.create_table(
        "post_media",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("alt_text", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("urn", sa.Text(), nullable=True),
        sa.Column("size_bytes", wide_integer(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", wide_integer(), nullable=True),
        sa.Column("uploaded_bytes", wide_integer(), nullable=True),
        sa.Column("upload_error", sa.Text(), nullable=True),
        sa.Column("upload_state", sa.Text(), nullable=True),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("post_media_post_id_posts_id_fk"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("post_media_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("post_media_pk")),
    )
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.create_index("post_media_post_id_idx", ["post_id"], unique=False)
    _move_images_into_post_media()


def _move_images_into_post_media() -> None:
    """Each post's image, as its one media row (the path as it was: older rows hold a full one)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, user_id, image_path, created_at FROM posts "
            "WHERE image_path IS NOT NULL AND trim(image_path) != ''"
        )
    ).all()
    ids = Cuid()
    insert = sa.text(
        "INSERT INTO post_media (id, post_id, user_id, position, kind, path, created_at) "
        "VALUES (:id, :post_id, :user_id, 0, 'image', :path, :created_at)"
    )
    for post_id, user_id, image_path, created_at in rows:
        connection.execute(
            insert,
            {
                "id": str(ids.generate()),
                "post_id": post_id,
                "user_id": user_id,
                "path": image_path,
                "created_at": created_at,
            },
        )


def downgrade() -> None:
    # posts.image_path already names the first image: only the rest of the formats is lost.
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.drop_index("post_media_post_id_idx")
    op.drop_table("post_media")
    # ALTER TABLE DROP COLUMN in place (SQLite 3.35+), not batch mode's copy of the table: with
    # foreign keys on, dropping the old posts table would cascade into post_linkedin_stats.
    for name in (*_INTEGER_COLUMNS, *reversed(_TEXT_COLUMNS), "visibility"):
        op.drop_column("posts", name)

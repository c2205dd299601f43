"""Initial schema: the eight tables of SEED-SCHEMA.md (timestamps are INTEGER Unix seconds).

Revision ID: 0001_initial
Revises: -
Create Date: 2026-11-26 12:48:42.447828
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from linkie_desktop.db.types import wide_integer

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("emailVerified", wide_integer(), nullable=True),
        sa.Column("image", sa.Text(), nullable=True),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("users_pk")),
    )
    op.create_table(
        "verificationTokens",
        sa.Column("identifier", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("expires", wide_integer(), nullable=False),
        sa.PrimaryKeyConstraint("identifier", "token", name=op.f("verificationTokens_pk")),
        sa.UniqueConstraint("token", name=op.f("verificationTokens_token_unique")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("userId", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("providerAccountId", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("expires_at", wide_integer(), nullable=True),
        sa.Column("token_type", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("id_token", sa.Text(), nullable=True),
        sa.Column("session_state", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["userId"], ["users.id"], name=op.f("accounts_userId_users_id_fk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("accounts_pk")),
    )
    op.create_table(
        "generations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("idea", sa.Text(), nullable=False),
        sa.Column("text_variations_json", sa.Text(), nullable=False),
        sa.Column("images_json", sa.Text(), nullable=False),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("generations_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("generations_pk")),
    )
    with op.batch_alter_table("generations", schema=None) as batch_op:
        batch_op.create_index("generations_user_id_idx", ["user_id"], unique=False)

    op.create_table(
        "linkedin_oauth_states",
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("expires_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("linkedin_oauth_states_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("state", name=op.f("linkedin_oauth_states_pk")),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'draft'"), nullable=False),
        sa.Column("scheduled_at", wide_integer(), nullable=True),
        sa.Column("published_at", wide_integer(), nullable=True),
        sa.Column("linkedin_post_urn", sa.Text(), nullable=True),
        sa.Column("image_path", sa.Text(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("retry_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.Column("updated_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("posts_user_id_users_id_fk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("posts_pk")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index("posts_scheduled_at_idx", ["scheduled_at"], unique=False)
        batch_op.create_index("posts_status_idx", ["status"], unique=False)
        batch_op.create_index("posts_user_id_idx", ["user_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("sessionToken", sa.Text(), nullable=False),
        sa.Column("userId", sa.Text(), nullable=False),
        sa.Column("expires", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["userId"], ["users.id"], name=op.f("sessions_userId_users_id_fk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("sessions_pk")),
        sa.UniqueConstraint("sessionToken", name=op.f("sessions_sessionToken_unique")),
    )
    op.create_table(
        "user_settings",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("linkedin_profile_url", sa.Text(), nullable=True),
        sa.Column("linkedin_person_urn", sa.Text(), nullable=True),
        sa.Column("linkedin_connected", sa.Integer(), server_default=sa.text("0"), nullable=True),
        sa.Column("linkedin_access_token", sa.Text(), nullable=True),
        sa.Column("linkedin_refresh_token", sa.Text(), nullable=True),
        sa.Column("linkedin_token_expires_at", wide_integer(), nullable=True),
        sa.Column("linkedin_oauth_status", sa.Text(), nullable=True),
        sa.Column("created_at", wide_integer(), nullable=False),
        sa.Column("updated_at", wide_integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("user_settings_user_id_users_id_fk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("user_settings_pk")),
        sa.UniqueConstraint("user_id", name=op.f("user_settings_user_id_unique")),
    )


def downgrade() -> None:

    op.drop_table("user_settings")
    op.drop_table("sessions")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("posts_user_id_idx")
        batch_op.drop_index("posts_status_idx")
        batch_op.drop_index("posts_scheduled_at_idx")

    op.drop_table("posts")
    op.drop_table("linkedin_oauth_states")
    with op.batch_alter_table("generations", schema=None) as batch_op:
        batch_op.drop_index("generations_user_id_idx")

    op.drop_table("generations")
    op.drop_table("accounts")
    op.drop_table("verificationTokens")
    op.drop_table("users")

"""On PostgreSQL, every commit that writes posts, their media or the LinkedIn settings tells the
other windows and publishers at once (NOTIFY), so each sees what another machine changed.

SQLite has PRAGMA data_version for that and needs nothing here. The notice's payload is the
writer's `application_name`, which each Linkie engine sets to a name of its own
(db/engine.py): a window tells its own autosave from another machine's edit without a query.
The notices go out on commit only, and PostgreSQL folds a transaction's identical notices into
one.

Revision ID: 0012_change_notices
Revises: 0011_figure_indexes_live
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_change_notices"
down_revision: str | None = "0011_figure_indexes_live"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "linkie_changes"  # services/external_changes.py listens on it
_TABLES = ("posts", "post_media", "user_settings")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION linkie_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', current_setting('application_name'));
            RETURN NULL;
        END $$
        """
    )
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION linkie_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS linkie_notify_change()")

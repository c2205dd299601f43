"""On PostgreSQL the same migrations build SEED-SCHEMA.md's schema, read back through
information_schema: the same tables and column names in the seed's order, TEXT as `text`,
timestamps as `bigint` Unix seconds (PostgreSQL's 32-bit `integer` ends in January 2038), the
same foreign keys with ON DELETE CASCADE, the same named indexes and defaults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import wide_integer
from tests.integration.db.test_schema import EXPECTED_COLUMNS, FOREIGN_KEYS
from tests.postgres_server import PostgresServer

# The seed's INTEGER columns that hold Unix seconds: BIGINT on PostgreSQL.
TIMESTAMPS = {
    ("users", "emailVerified"), ("users", "created_at"), ("accounts", "expires_at"),
    ("sessions", "expires"), ("verificationTokens", "expires"), ("posts", "scheduled_at"),
    ("posts", "published_at"), ("posts", "created_at"), ("posts", "updated_at"),
    ("generations", "created_at"), ("user_settings", "linkedin_token_expires_at"),
    ("user_settings", "created_at"), ("user_settings", "updated_at"),
    ("linkedin_oauth_states", "expires_at"),
}  # fmt: skip


@pytest.fixture
def pg_engine(postgres_server: PostgresServer) -> Iterator[Engine]:
    """A database of its own, built from nothing by the app's start-up path (not the template)."""
    from linkie_desktop.db.migrate import prepare_database

    url = postgres_server.new_database()
    engine, result = prepare_database(url)
    assert result.previous is None
    yield engine
    engine.dispose()
    postgres_server.drop(url)


@pytest.fixture
def conn(pg_engine: Engine) -> Iterator[Connection]:
    with pg_engine.connect() as connection:
        yield connection


def _expected_type(table: str, column: str, seed_type: str) -> str:
    if seed_type == "TEXT":
        return "text"
    return "bigint" if (table, column) in TIMESTAMPS else "integer"


def test_tables_and_columns_match_the_seed_schema(conn: Connection) -> None:
    for table, expected in EXPECTED_COLUMNS.items():
        rows = conn.execute(
            text(
                "SELECT column_name, data_type, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = :t ORDER BY ordinal_position"
            ),
            {"t": table},
        ).all()
        actual = [(name, data_type, nullable == "NO") for name, data_type, nullable, _ in rows]
        wanted = [(c, _expected_type(table, c, t), nn) for c, t, nn in expected]
        assert actual[: len(expected)] == wanted, table
        unfillable = [
            name
            for name, _t, nullable, default in rows[len(expected) :]
            if nullable == "NO" and default is None
        ]
        assert not unfillable, f"{table}: added {unfillable} not null without a default"


def test_every_timestamp_of_the_app_is_bigint(conn: Connection) -> None:
    from linkie_desktop.db.models import Base
    from linkie_desktop.db.types import UTCSeconds

    types = {
        (table, column): data_type
        for table, column, data_type in conn.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
        )
    }
    stamps = [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, UTCSeconds)
    ]
    assert stamps  # the models do declare timestamps
    assert {where: types[where] for where in stamps} == dict.fromkeys(stamps, "bigint")
    assert types[("post_media", "size_bytes")] == "bigint"  # a 5 GB video's bytes


def test_every_foreign_key_references_users_with_cascade(conn: Connection) -> None:
    for table, column in FOREIGN_KEYS.items():
        rows = conn.execute(
            text(
                "SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule "
                "FROM information_schema.referential_constraints rc "
                "JOIN information_schema.key_column_usage kcu "
                "  ON kcu.constraint_name = rc.constraint_name "
                "JOIN information_schema.constraint_column_usage ccu "
                "  ON ccu.constraint_name = rc.unique_constraint_name "
                "WHERE kcu.table_name = :t"
            ),
            {"t": table},
        ).all()
        assert [tuple(row) for row in rows] == [(column, "users", "id", "CASCADE")], table


def test_the_named_indexes_and_defaults_exist(conn: Connection) -> None:
    indexes = {
        name: definition
        for name, definition in conn.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        )
    }
    assert indexes["posts_user_id_idx"].endswith("USING btree (user_id)")
    assert indexes["posts_status_idx"].endswith("USING btree (status)")
    assert indexes["posts_scheduled_at_idx"].endswith("USING btree (scheduled_at)")
    assert indexes["generations_user_id_idx"].endswith("USING btree (user_id)")
    defaults: dict[str, str] = dict(
        conn.execute(
            text(
                "SELECT column_name, column_default FROM information_schema.columns "
                "WHERE table_name = 'posts' AND column_name IN ('status', 'retry_count')"
            )
        ).all()
    )
    assert defaults == {"status": "'draft'::text", "retry_count": "0"}
    primary = conn.execute(
        text(
            "SELECT kcu.column_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu "
            "  ON kcu.constraint_name = tc.constraint_name "
            "WHERE tc.table_name = 'verificationTokens' AND tc.constraint_type = 'PRIMARY KEY' "
            "ORDER BY kcu.ordinal_position"
        )
    ).scalars()
    assert list(primary) == ["identifier", "token"]


def test_a_post_scheduled_for_2040_is_kept_to_the_second(pg_engine: Engine) -> None:
    when = datetime(2040, 3, 1, 9, 30, tzinfo=UTC)  # past 2038's end of 32-bit seconds
    with transaction(pg_engine) as session:
        user_id = queries.get_or_create_local_user(session).id
        post = Post(user_id=user_id, content="far ahead", status="scheduled", scheduled_at=when)
        session.add(post)
        session.flush()
        post_id = post.id
    with reading(pg_engine) as session:
        stored = session.get(Post, post_id)
        assert stored is not None
        assert stored.scheduled_at == when
        raw = session.scalar(text("SELECT scheduled_at FROM posts WHERE id = :i"), {"i": post_id})
        assert raw == int(when.timestamp()) > 2**31


def test_the_column_type_is_integer_on_sqlite_and_bigint_on_postgresql() -> None:
    from sqlalchemy import create_engine

    # Engines that never connect: only their dialects are used.
    sqlite = create_engine("sqlite://").dialect
    postgresql = create_engine("postgresql+psycopg://nobody@/nothing").dialect
    assert wide_integer().compile(dialect=sqlite) == "INTEGER"
    assert wide_integer().compile(dialect=postgresql) == "BIGINT"

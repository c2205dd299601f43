"""The database the app makes is exactly the one of SEED-SCHEMA.md (names, types, keys, indexes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import (
    Account,
    Generation,
    LinkedInOAuthState,
    Post,
    Session,
    User,
    UserSettings,
    VerificationToken,
)
from linkie_desktop.db.types import utc_now

# table -> [(column, type, not null)] in SEED-SCHEMA.md's order; timestamps are INTEGER seconds.
EXPECTED_COLUMNS: dict[str, list[tuple[str, str, bool]]] = {
    "users": [
        ("id", "TEXT", True),
        ("name", "TEXT", False),
        ("email", "TEXT", True),
        ("emailVerified", "INTEGER", False),
        ("image", "TEXT", False),
        ("created_at", "INTEGER", True),
    ],
    "accounts": [
        ("id", "TEXT", True),
        ("userId", "TEXT", True),
        ("type", "TEXT", True),
        ("provider", "TEXT", True),
        ("providerAccountId", "TEXT", True),
        ("refresh_token", "TEXT", False),
        ("access_token", "TEXT", False),
        ("expires_at", "INTEGER", False),
        ("token_type", "TEXT", False),
        ("scope", "TEXT", False),
        ("id_token", "TEXT", False),
        ("session_state", "TEXT", False),
    ],
    "sessions": [
        ("id", "TEXT", True),
        ("sessionToken", "TEXT", True),
        ("userId", "TEXT", True),
        ("expires", "INTEGER", True),
    ],
    "verificationTokens": [
        ("identifier", "TEXT", True),
        ("token", "TEXT", True),
        ("expires", "INTEGER", True),
    ],
    "posts": [
        ("id", "TEXT", True),
        ("user_id", "TEXT", True),
        ("title", "TEXT", False),
        ("content", "TEXT", True),
        ("status", "TEXT", True),
        ("scheduled_at", "INTEGER", False),
        ("published_at", "INTEGER", False),
        ("linkedin_post_urn", "TEXT", False),
        ("image_path", "TEXT", False),
        ("error_message", "TEXT", False),
        ("retry_count", "INTEGER", True),
        ("created_at", "INTEGER", True),
        ("updated_at", "INTEGER", True),
    ],
    "generations": [
        ("id", "TEXT", True),
        ("user_id", "TEXT", True),
        ("idea", "TEXT", True),
        ("text_variations_json", "TEXT", True),
        ("images_json", "TEXT", True),
        ("created_at", "INTEGER", True),
    ],
    "user_settings": [
        ("id", "TEXT", True),
        ("user_id", "TEXT", True),
        ("linkedin_profile_url", "TEXT", False),
        ("linkedin_person_urn", "TEXT", False),
        ("linkedin_connected", "INTEGER", False),
        ("linkedin_access_token", "TEXT", False),
        ("linkedin_refresh_token", "TEXT", False),
        ("linkedin_token_expires_at", "INTEGER", False),
        ("linkedin_oauth_status", "TEXT", False),
        ("created_at", "INTEGER", True),
        ("updated_at", "INTEGER", True),
    ],
    "linkedin_oauth_states": [
        ("state", "TEXT", True),
        ("user_id", "TEXT", True),
        ("expires_at", "INTEGER", True),
    ],
}
FOREIGN_KEYS = {
    "accounts": "userId", "sessions": "userId", "posts": "user_id", "generations": "user_id",
    "user_settings": "user_id", "linkedin_oauth_states": "user_id",
}  # fmt: skip


@pytest.fixture
def raw(engine: Engine, db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(db_path)


@pytest.mark.sqlite_only  # SQLite's own catalog; test_schema_postgresql.py reads PostgreSQL's
def test_tables_and_columns_match_the_seed_schema(raw: sqlite3.Connection) -> None:
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(EXPECTED_COLUMNS) <= tables
    for table, expected in EXPECTED_COLUMNS.items():
        info = list(raw.execute(f'PRAGMA table_info("{table}")'))
        actual = [(name, col_type, bool(notnull)) for _cid, name, col_type, notnull, *_ in info]
        assert actual[: len(expected)] == expected, table
        # The web app's tools insert rows without the columns added since: each added column
        # takes NULL or has a default (posts.visibility: NOT NULL DEFAULT 'PUBLIC').
        unfillable = [
            name
            for _cid, name, _type, notnull, default, _pk in info[len(expected) :]
            if notnull and default is None
        ]
        assert not unfillable, f"{table}: added {unfillable} not null without a default"


@pytest.mark.sqlite_only  # SQLite's own catalog; test_schema_postgresql.py reads PostgreSQL's
def test_every_foreign_key_references_users_with_cascade(raw: sqlite3.Connection) -> None:
    for table, column in FOREIGN_KEYS.items():
        fks = list(raw.execute(f'PRAGMA foreign_key_list("{table}")'))
        assert [(fk[2], fk[3], fk[4], fk[6]) for fk in fks] == [
            ("users", column, "id", "CASCADE")
        ], table


@pytest.mark.sqlite_only  # SQLite's own catalog; test_schema_postgresql.py reads PostgreSQL's
def test_the_four_named_indexes_exist(raw: sqlite3.Connection) -> None:
    def columns(index: str) -> list[str]:
        return [r[2] for r in raw.execute(f'PRAGMA index_info("{index}")')]

    assert columns("posts_user_id_idx") == ["user_id"]
    assert columns("posts_status_idx") == ["status"]
    assert columns("posts_scheduled_at_idx") == ["scheduled_at"]
    assert columns("generations_user_id_idx") == ["user_id"]


@pytest.mark.sqlite_only  # SQLite's own catalog; test_schema_postgresql.py reads PostgreSQL's
def test_defaults_and_keys(raw: sqlite3.Connection) -> None:
    defaults = {r[1]: r[4] for r in raw.execute('PRAGMA table_info("posts")')}
    assert defaults["status"] == "'draft'"
    assert defaults["retry_count"] == "0"
    pk = [r[1] for r in raw.execute('PRAGMA table_info("verificationTokens")') if r[5]]
    assert pk == ["identifier", "token"]
    unique_settings = [
        r for r in raw.execute('PRAGMA index_list("user_settings")') if r[2] == 1
    ]  # (seq, name, unique, origin, partial)
    assert any(
        [c[2] for c in raw.execute(f'PRAGMA index_info("{r[1]}")')] == ["user_id"]
        for r in unique_settings
    )


@pytest.mark.sqlite_only  # SQLite's own catalog; test_schema_postgresql.py reads PostgreSQL's
def test_connections_enforce_foreign_keys_in_wal_mode_with_a_busy_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


def test_a_post_of_an_unknown_user_is_refused(engine: Engine) -> None:
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(Post(user_id="nobody", content="x"))


def test_settings_are_one_row_per_user(engine: Engine, user_id: str) -> None:
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add_all([UserSettings(user_id=user_id), UserSettings(user_id=user_id)])


def test_deleting_a_user_removes_everything_they_own(
    engine: Engine, user_id: str, other_user_id: str
) -> None:
    owned = (Account, Session, Post, Generation, UserSettings, LinkedInOAuthState)
    with transaction(engine) as session:
        for uid in (user_id, other_user_id):
            session.add_all(
                [
                    Account(
                        user_id=uid, type="oauth", provider="linkedin", provider_account_id=uid
                    ),
                    Session(session_token=f"t-{uid}", user_id=uid, expires=utc_now()),
                    Post(user_id=uid, content="hello"),
                    Generation(user_id=uid, idea="i", text_variations_json="[]", images_json="[]"),
                    UserSettings(user_id=uid),
                    LinkedInOAuthState(state=f"s-{uid}", user_id=uid, expires_at=utc_now()),
                ]
            )
        session.add(VerificationToken(identifier="a@b.c", token="tok", expires=utc_now()))
    with transaction(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        session.delete(user)
    with engine.connect() as conn:
        for model in owned:
            table = model.__table__.name  # type: ignore[attr-defined]
            column = "userId" if table in ("accounts", "sessions") else "user_id"
            mine = conn.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :u'), {"u": user_id}
            ).scalar_one()
            theirs = conn.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :u'),
                {"u": other_user_id},
            ).scalar_one()
            assert (table, mine, theirs) == (table, 0, 1)
    with transaction(engine) as session:
        assert queries.get_user_settings(session, other_user_id) is not None

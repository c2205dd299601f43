"""Shared fixtures. Tests run headless and never touch the real user's folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Without a display Qt aborts the whole process instead of failing a test (ENVIRONMENT.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep every platformdirs path (data, logs, config) inside a throw-away folder for the whole run.
_SANDBOX = Path(tempfile.mkdtemp(prefix="linkie-tests-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ.pop("LINKIE_DB", None)
os.environ.pop("LINKIE_DATA_DIR", None)

import pytest  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from linkie_desktop.db import queries  # noqa: E402
from linkie_desktop.db.engine import transaction  # noqa: E402
from linkie_desktop.db.migrate import prepare_database  # noqa: E402
from linkie_desktop.db.models import User  # noqa: E402

pytest_plugins = [
    "tests.postgres_server",
    "tests.fakes.fixtures",
    "tests.fakes.keyrings",
    "tests.fakes.ai_servers",
    "tests.gui_thread_guard",
]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "linkie.db"


# Query and service tests run on both databases Linkie supports; the rest (the window, the CLI's
# looks, packaging) on SQLite, the default. A test about the SQLite file itself (its backups, its
# bytes on disk, its pragmas) is marked `sqlite_only`.
_BOTH_DATABASES = ("tests/integration/db/", "tests/integration/services/", "tests/unit/db/")
DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" not in metafunc.fixturenames or metafunc.definition.get_closest_marker(
        "sqlite_only"
    ):
        return
    where = Path(str(metafunc.definition.path)).as_posix()
    if any(f"/{folder}" in where for folder in _BOTH_DATABASES):
        metafunc.parametrize("database_kind", DATABASES, indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_url(request: pytest.FixtureRequest, database_kind: str, db_path: Path) -> Iterator[str]:
    """The test's database: a SQLite file, or (database_kind "postgresql") a database of its own
    on the run's PostgreSQL server, already migrated to head."""
    if database_kind != "postgresql":
        yield f"sqlite:///{db_path}"
        return
    from tests.postgres_server import TEMPLATE, PostgresServer

    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database(template=TEMPLATE)
    yield url
    server.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A real SQLite file migrated to head by the app's own start-up path."""
    eng, _ = prepare_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def user_id(engine: Engine) -> str:
    with transaction(engine) as session:
        return queries.get_or_create_local_user(session).id


@pytest.fixture
def other_user_id(engine: Engine, user_id: str) -> str:
    with transaction(engine) as session:
        other = User(name="Someone Else", email="other@example.com")
        session.add(other)
        session.flush()
        return other.id

"""A shared database's server going away while Linkie runs is a problem the user can act on, in
plain words (never the crash dialog), and Linkie carries on once the server is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError

from linkie_desktop.db.errors import ServerUnreachableError, database_problem
from linkie_desktop.db.migrate import prepare_database
from linkie_desktop.services.posts import PostService, StorageError
from linkie_desktop.services.workspace import open_workspace
from tests.postgres_server import PostgresServer, postgres_bin_dir


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server of this test's own, to stop and start (the run's shared one stays up)."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server programs")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


def test_a_server_gone_mid_session_is_told_plainly_and_work_resumes_when_it_is_back(
    own_server: PostgresServer,
) -> None:
    from linkie_desktop import config

    url = own_server.new_database()
    engine, _ = prepare_database(url)
    engine.dispose()
    workspace = open_workspace(config.load(db=url, env={}))
    try:
        service = PostService(workspace.engine, workspace.user_id)
        service.create_draft("", "written before the outage")
        own_server.halt("fast")
        with pytest.raises(StorageError, match="could not be saved yet"):
            service.create_draft("", "written during the outage")  # a write says so itself
        with pytest.raises(OperationalError) as failed:
            service.list()  # a read: the window's task runner asks database_problem
        known = database_problem(failed.value, None)
        assert isinstance(known, ServerUnreachableError)
        assert "cannot reach the shared database" in str(known)
        assert "LINKIE_DB" not in str(known) and "--db" not in str(known)
        own_server.run_server()
        service.create_draft("", "written after it came back")  # the pool reconnects by itself
        assert sorted(p.content for p in service.list()) == [
            "written after it came back",
            "written before the outage",
        ]
    finally:
        workspace.close()


def test_a_bug_on_a_shared_database_is_still_a_bug() -> None:
    assert database_problem(ValueError("ours"), None) is None

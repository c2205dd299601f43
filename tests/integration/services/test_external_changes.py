"""The watcher tells another process's commits from this process's own (SQLite's data_version,
PostgreSQL's change notices)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import engine_name, make_engine, transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import presence
from linkie_desktop.services.external_changes import ExternalChangeWatcher
from linkie_desktop.services.posts import PostService
from tests.postgres_server import TEMPLATE, PostgresServer


@pytest.fixture
def other_process(db_url: str) -> Iterator[Engine]:
    other = make_engine(db_url)  # its own connections, as the CLI's would be
    yield other
    other.dispose()


def test_our_own_commits_on_any_pooled_connection_are_not_news(
    engine: Engine, user_id: str
) -> None:
    watcher = ExternalChangeWatcher(engine)
    try:
        service = PostService(engine, user_id)
        service.create_draft("", "typed here")
        worker = threading.Thread(target=lambda: service.create_draft("", "saved on a worker"))
        worker.start()
        worker.join()
        assert watcher.changed() is False
    finally:
        watcher.close()


def test_a_commit_by_another_process_is_news_once(
    engine: Engine, other_process: Engine, user_id: str
) -> None:
    watcher = ExternalChangeWatcher(engine)
    try:
        PostService(other_process, user_id).create_draft("", "from the CLI")
        PostService(engine, user_id).create_draft("", "ours, right after")
        assert watcher.changed() is True
        assert watcher.changed() is False
        assert PostService(engine, user_id).list()[0].status == PostStatus.DRAFT
    finally:
        watcher.close()


def test_a_look_names_the_posts_another_process_wrote(
    engine: Engine, other_process: Engine, user_id: str
) -> None:
    mine = PostService(engine, user_id).create_draft("", "before")
    watcher = ExternalChangeWatcher(engine)
    try:
        assert watcher.look() is None  # the first look takes its bearings
        assert watcher.look() is None  # and nothing happened since
        PostService(other_process, user_id).save_text(mine.id, "", "edited by the CLI")
        seen = watcher.look()
        assert seen is not None
        assert seen.post_ids == (mine.id,) and not seen.everything and not seen.settings
        assert watcher.look() is None
    finally:
        watcher.close()


def test_a_heartbeat_elsewhere_is_no_news_but_a_post_gone_for_good_is(
    engine: Engine, other_process: Engine, user_id: str
) -> None:
    service = PostService(engine, user_id)
    doomed = service.create_draft("", "soon gone")
    watcher = ExternalChangeWatcher(engine)
    try:
        watcher.look()
        serve = presence.Heartbeat(other_process, presence.Kind.SERVE, 30.0)
        assert serve.beat(force=True)  # a background publisher's tick, committed elsewhere
        # SQLite: the database did move… (PostgreSQL notices only posts, media and settings)
        assert watcher.changed() is (engine.dialect.name == "sqlite")
        assert serve.beat(force=True)
        assert watcher.look() is None  # …but no view shows what moved
        with other_process.begin() as connection:  # gone for good (an emptied trash, a script)
            connection.execute(text("DELETE FROM posts WHERE id = :id"), {"id": doomed.id})
        seen = watcher.look()
        assert seen is not None and seen.everything
    finally:
        watcher.close()


@pytest.fixture
def shared_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database(template=TEMPLATE)
    yield url
    postgres_server.drop(url)


def test_another_machine_s_edit_on_postgresql_is_heard_and_ours_is_not(shared_url: str) -> None:
    """The notices name their engine: a second engine is another machine; ours stay quiet."""
    engine, laptop = make_engine(shared_url), make_engine(shared_url)
    watcher = ExternalChangeWatcher(engine)
    try:
        assert engine_name(engine) != engine_name(laptop) != ""
        with transaction(engine) as session:
            user_id = queries.get_or_create_local_user(session).id
        PostService(engine, user_id).create_draft("", "ours")
        assert watcher.changed() is False
        theirs = PostService(laptop, user_id).create_draft("", "typed on the laptop")
        assert watcher.look() is None  # the first look takes its bearings
        PostService(laptop, user_id).save_text(theirs.id, "", "edited on the laptop")
        seen = watcher.look()
        assert seen is not None and theirs.id in seen.post_ids
    finally:
        watcher.close()
        engine.dispose()
        laptop.dispose()

"""The data-version watcher tells another process's commits from this process's own."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from linkie_desktop.db.engine import make_engine
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import presence
from linkie_desktop.services.external_changes import ExternalChangeWatcher
from linkie_desktop.services.posts import PostService


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
        assert watcher.changed() is True  # the database did move…
        assert serve.beat(force=True)
        assert watcher.look() is None  # …but no view shows what moved
        with other_process.begin() as connection:  # gone for good (an emptied trash, a script)
            connection.execute(text("DELETE FROM posts WHERE id = :id"), {"id": doomed.id})
        seen = watcher.look()
        assert seen is not None and seen.everything
    finally:
        watcher.close()

"""The data-version watcher tells another process's commits from this process's own."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from linkie_desktop.db.engine import make_engine
from linkie_desktop.domain.status import PostStatus
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

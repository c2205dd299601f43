"""The Drafts tab on the task runner: saves never lose text, its own save is not read back, and
an older search's answer never replaces a newer one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import open_post, settle


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs meanwhile, on any thread."""
    seen: list[str] = []
    lock = threading.Lock()

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        with lock:
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_an_autosave_costs_only_the_save_the_tab_does_not_read_it_back(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    other = service.create_draft("Other", "measuring stick")
    with _statements(service.engine) as alone:
        service.save_text(other.id, "Other", "measuring stick, longer")
    post = service.create_draft("Idea", "first")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    QTest.keyClicks(tab.composer.body_edit, " second")

    with _statements(service.engine) as seen:
        with qtbot.waitSignal(tab.composer.autosave_timer.timeout, timeout=5000):
            pass
        settle(qtbot, tab)

    assert service.get(post.id).content == "first second"
    # The save's own statements and nothing more: no page, count or record read afterwards.
    assert len(seen) == len(alone), seen
    row = tab.posts.model.row_of(post.id)
    assert row is not None
    assert tab.posts.model.index(row, 0).data() == "Idea"


def test_typing_while_a_save_is_on_its_way_is_saved_right_after_it(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("", "one")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    QTest.keyClicks(tab.composer.body_edit, " two")
    assert tab.composer.flush()
    assert not tab.composer.settled  # the save is on its way
    QTest.keyClicks(tab.composer.body_edit, " three")
    assert tab.composer.flush()  # waits for the first answer, then saves again

    settle(qtbot, tab)

    assert service.get(post.id).content == "one two three"
    assert tab.composer.save_state.text() == "Saved"


def test_closing_waits_for_the_last_save(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    tab = make_tab()
    tab.new_post()
    QTest.keyClicks(tab.composer.body_edit, "Typed just before closing")

    assert tab.shutdown()  # no event loop runs after this: the answer must already be in

    assert [p.content for p in service.list()] == ["Typed just before closing"]
    assert tab.composer.settled


def test_an_older_search_never_replaces_a_newer_one(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    service.create_draft("Apples", "fruit")
    service.create_draft("Bananas", "fruit")
    tab = make_tab()
    shown: list[int] = []
    tab.posts.model.modelReset.connect(lambda: shown.append(tab.posts.model.rowCount()))

    for text in ("Apples", "Bananas"):
        tab.posts.search_edit.setText(text)
        tab.posts.search_edit.returnPressed.emit()
    settle(qtbot, tab)

    assert shown == [1]  # only the answer to the last search was shown
    assert tab.posts.model.index(0, 0).data() == "Bananas"
    assert tab.posts.count_label.text() == "1 post"

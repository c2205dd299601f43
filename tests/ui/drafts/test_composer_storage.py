"""When the database refuses a write, the typed text stays on screen and is saved later."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import open_post, settle
from tests.ui.workspace_support import database_locked, impatient_engine, make_workspace


@pytest.fixture
def quick_engine(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    quick = impatient_engine(db_path, monkeypatch)
    yield quick
    quick.dispose()


def test_a_locked_database_keeps_the_text_and_saves_it_once_free(
    qtbot: QtBot, quick_engine: Engine, user_id: str, db_path: Path, tmp_path: Path
) -> None:
    service = PostService(quick_engine, user_id)
    first = service.create_draft("First", "one")
    second = service.create_draft("Second", "two")
    tab = DraftsTab(make_workspace(quick_engine, user_id, tmp_path / "app"), AppSignals())
    qtbot.addWidget(tab)
    tab.show()
    open_post(qtbot, tab, first.id)
    QTest.keyClicks(tab.composer.body_edit, " more")

    with database_locked(db_path):
        with qtbot.waitSignal(tab.composer.problem, timeout=5000) as problem:
            assert tab.composer.flush()  # on its way; the answer tells it failed
        assert "could not be saved" in problem.args[0]
        assert tab.composer.save_state.text() == "Not saved yet — will try again"
        assert tab.composer.dirty
        assert not tab.composer.load(second.id)  # switching posts would drop the text: refused
        assert tab.composer.post_id == first.id
        assert tab.composer.body_edit.toPlainText() == "one more"
        assert tab.composer.autosave_timer.isActive()  # it keeps trying

    assert tab.composer.flush()
    settle(qtbot, tab)  # a retry on its way may fail once more; the timer then tries again
    assert service.get(first.id).content == "one more"
    assert tab.composer.post_id == first.id
    tab.shutdown()

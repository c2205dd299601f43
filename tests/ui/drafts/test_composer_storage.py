"""When the database refuses a write, the typed text stays on screen and is saved later."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db import engine as engine_module
from linkie_desktop.db.engine import make_engine
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.workspace_support import make_workspace


@pytest.fixture
def impatient_engine(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """The same database with a short busy timeout, so a held lock fails fast."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    quick = make_engine(f"sqlite:///{db_path}")
    yield quick
    quick.dispose()


def test_a_locked_database_keeps_the_text_and_saves_it_once_free(
    qtbot: QtBot, impatient_engine: Engine, user_id: str, db_path: Path, tmp_path: Path
) -> None:
    service = PostService(impatient_engine, user_id)
    first = service.create_draft("First", "one")
    second = service.create_draft("Second", "two")
    tab = DraftsTab(make_workspace(impatient_engine, user_id, tmp_path / "app"), AppSignals())
    qtbot.addWidget(tab)
    tab.show()
    tab.open_post(first.id)
    QTest.keyClicks(tab.composer.body_edit, " more")

    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with qtbot.waitSignal(tab.composer.problem) as problem:
            assert not tab.composer.flush()
        assert "could not be saved" in problem.args[0]
        assert tab.composer.dirty
        assert not tab.composer.load(second.id)  # switching posts would drop the text: refused
        assert tab.composer.post_id == first.id
        assert tab.composer.body_edit.toPlainText() == "one more"
        assert tab.composer.autosave_timer.isActive()  # it keeps trying
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert tab.composer.flush()
    assert service.get(first.id).content == "one more"
    tab.shutdown()

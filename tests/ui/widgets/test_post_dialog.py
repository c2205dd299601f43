"""The post dialog on its own: the Drafts composer plus a time; new, scheduled, read-only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import CalendarService
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.widgets.post_dialog import PostDialog
from tests.calendar_support import BERLIN, add_post, local, row_of
from tests.fakes.image_files import write_png
from tests.ui.workspace_support import opened_workspace

NOW = local(date(2026, 3, 26), 14, 7)
WAIT_MS = 5000


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


def dialog_for(
    qtbot: QtBot, workspace: Workspace, post_id: str | None = None, schedule: bool = False
) -> tuple[PostDialog, AppSignals]:
    signals = AppSignals()
    dialog = PostDialog(
        workspace, signals, post_id, schedule=schedule, tz=BERLIN, clock=lambda: NOW
    )
    qtbot.addWidget(dialog)
    if post_id is not None:
        qtbot.waitUntil(lambda: dialog.composer.record is not None, timeout=WAIT_MS)
    return dialog, signals


def settle(qtbot: QtBot, dialog: PostDialog) -> None:
    """Wait until every read and write the dialog started has answered (bounded)."""
    qtbot.waitUntil(lambda: dialog.tasks.pending == 0 and dialog.composer.settled, timeout=WAIT_MS)


def test_a_new_post_without_a_time_is_saved_as_a_draft_and_announced(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, signals = dialog_for(qtbot, workspace)
    announced: list[tuple[str, ...]] = []
    signals.posts_changed.connect(lambda change: announced.append(change.post_ids))
    assert not dialog.schedule_box.isChecked() and not dialog.when.isEnabled()
    dialog.composer.title_edit.setText("Idea")
    dialog.composer.body_edit.setPlainText("A thought worth keeping")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.accept()
    post_id = saved.args[0]
    assert saved.args[1] == "“Idea” is saved as a draft."
    assert announced and announced[-1] == (post_id,)
    assert row_of(workspace.engine, post_id)[:4] == (
        PostStatus.DRAFT,
        None,
        "A thought worth keeping",
        "Idea",
    )


def test_schedule_mode_proposes_the_next_slot_and_saves_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "Ready to go")
    dialog, _ = dialog_for(qtbot, workspace, post_id, schedule=True)
    assert dialog.schedule_box.isChecked()
    # Today at 14:07, 09:00 has passed: the next quarter-hour at least ten minutes ahead.
    assert dialog.when.value() == datetime(2026, 3, 26, 14, 30)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.accept()
    assert row_of(workspace.engine, post_id)[:2] == (
        PostStatus.SCHEDULED,
        datetime(2026, 3, 26, 13, 30, tzinfo=UTC),
    )


def test_the_dialog_takes_its_times_from_the_rules_without_a_calendar_service(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = PostDialog(
        workspace, AppSignals(), day=date(2026, 3, 29), tz=BERLIN, clock=lambda: NOW
    )
    qtbot.addWidget(dialog)
    assert not [value for value in vars(dialog).values() if isinstance(value, CalendarService)]
    # Sunday 29 March 2026, the day Berlin springs forward: the default 09:00 is proposed.
    assert dialog.schedule_box.isChecked()
    assert dialog.when.value() == datetime(2026, 3, 29, 9, 0)
    dialog.when.set_value(datetime(2026, 3, 29, 2, 30))  # a time that day does not have
    assert "03:00" in dialog.time_note.text()
    dialog.reject()
    settle(qtbot, dialog)


def test_a_past_time_is_refused_in_the_dialog(qtbot: QtBot, workspace: Workspace) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "Late")
    dialog, _ = dialog_for(qtbot, workspace, post_id, schedule=True)
    dialog.when.set_value(datetime(2026, 3, 26, 8, 0))
    dialog.accept()
    settle(qtbot, dialog)
    assert "already passed" in dialog.error_label.text()
    assert row_of(workspace.engine, post_id)[0] == PostStatus.DRAFT


def test_a_published_post_opens_read_only(qtbot: QtBot, workspace: Workspace) -> None:
    post_id = add_post(
        workspace.engine,
        workspace.user_id,
        "Out there",
        PostStatus.PUBLISHED,
        local(date(2026, 3, 20), 9),
    )
    dialog, _ = dialog_for(qtbot, workspace, post_id)
    composer = dialog.composer
    assert composer.body_edit.isReadOnly() and composer.title_edit.isReadOnly()
    assert not dialog.save_button.isVisible() and not dialog.when.isEnabled()
    assert "Use Duplicate to reuse the text" in composer.notice.text()
    assert dialog.windowTitle() == "Post (read-only)"


def _answer_question(button: QMessageBox.StandardButton) -> None:
    """Press `button` in the question the next action shows (a real modal box)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "postDialogUnsaved"
        clicked = box.button(button)
        assert clicked is not None
        clicked.click()

    QTimer.singleShot(0, answer)


def test_escape_with_typed_text_asks_and_save_keeps_it(qtbot: QtBot, workspace: Workspace) -> None:
    dialog, _signals = dialog_for(qtbot, workspace)
    dialog.composer.body_edit.setPlainText("Words I typed before pressing Esc")
    _answer_question(QMessageBox.StandardButton.Save)
    dialog.reject()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=WAIT_MS)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.post_id is not None
    assert row_of(workspace.engine, dialog.post_id)[2] == "Words I typed before pressing Esc"


def test_keep_editing_leaves_the_dialog_open_and_discard_closes_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog, _signals = dialog_for(qtbot, workspace)
    dialog.show()
    dialog.composer.body_edit.setPlainText("Not sure yet")
    with qtbot.waitSignal(dialog.composer.autosave_timer.timeout, timeout=WAIT_MS):
        pass  # the composer saved it as a draft meanwhile, as it does everywhere
    settle(qtbot, dialog)
    assert count_posts(workspace) == 1
    _answer_question(QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert dialog.isVisible() and dialog.composer.body_edit.toPlainText() == "Not sure yet"
    _answer_question(QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert not dialog.isVisible() and dialog.post_id is None
    settle(qtbot, dialog)
    assert count_posts(workspace) == 0  # discarded: the draft autosave made is gone again


def test_closing_an_untouched_dialog_asks_nothing(qtbot: QtBot, workspace: Workspace) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "Already saved")
    dialog, _signals = dialog_for(qtbot, workspace, post_id)
    dialog.show()
    dialog.reject()  # a question here would block: the test would hang, not pass
    assert not dialog.isVisible()


def count_posts(workspace: Workspace) -> int:
    return len(PostService(workspace.engine, workspace.user_id).list())


def test_discard_puts_back_the_words_an_existing_post_had(
    qtbot: QtBot, workspace: Workspace
) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "As it was")
    dialog, _signals = dialog_for(qtbot, workspace, post_id)
    dialog.show()
    dialog.composer.body_edit.setPlainText("Second thoughts")
    assert dialog.composer.flush()
    settle(qtbot, dialog)
    assert row_of(workspace.engine, post_id)[2] == "Second thoughts"  # autosaved
    _answer_question(QMessageBox.StandardButton.Discard)
    dialog.reject()
    qtbot.waitUntil(lambda: dialog.tasks.pending == 0, timeout=WAIT_MS)
    assert row_of(workspace.engine, post_id)[2] == "As it was"


def test_a_post_with_an_image_shows_it_with_the_preview(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    service = PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)
    post = service.create_draft("Pic", "With a picture")
    service.attach_image(post.id, write_png(tmp_path / "holiday.png"))
    dialog, _signals = dialog_for(qtbot, workspace, post.id)
    dialog.show()
    composer = dialog.composer
    assert composer.strip.isVisible()
    tile = composer.strip.tiles[0]
    qtbot.waitUntil(lambda: not tile.picture.pixmap().isNull(), timeout=WAIT_MS)
    assert tile.remove_button.isEnabled()
    assert composer.preview.isVisible()
    assert composer.counter.text() == "14 / 3000"


def test_the_dialog_s_waiting_notice_follows_the_connection(
    qtbot: QtBot, workspace: Workspace
) -> None:
    from datetime import timedelta

    from linkie_desktop.db import queries
    from linkie_desktop.db.engine import transaction
    from linkie_desktop.db.models import OAuthStatus
    from linkie_desktop.services.overview import WAITING_RECONNECT
    from tests.connection_support import mark_connected

    engine, user_id = workspace.engine, workspace.user_id
    mark_connected(engine, user_id)
    due = add_post(
        engine, user_id, "Due", PostStatus.SCHEDULED, datetime.now(UTC) - timedelta(minutes=5)
    )
    dialog, signals = dialog_for(qtbot, workspace, due)
    notice = dialog.composer.notice
    qtbot.waitUntil(lambda: notice.text().startswith("Scheduled for "), timeout=WAIT_MS)
    with transaction(engine) as session:  # LinkedIn answered 401 meanwhile
        changes: queries.SettingsChanges = {"linkedin_oauth_status": OAuthStatus.EXPIRED}
        queries.upsert_user_settings(session, user_id, changes)
    signals.connection_changed.emit()
    qtbot.waitUntil(lambda: notice.text().startswith(WAITING_RECONNECT), timeout=WAIT_MS)

"""The Studio tab, driven like a user would, against the AI test servers and a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, func, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Generation
from linkie_desktop.domain.posts import MAX_CONTENT_CHARS
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.studio import StudioTab
from linkie_desktop.ui.studio.cards import SEE_MORE
from tests.fakes.ai_servers import DEFAULT_VARIATIONS, AiServers

IDEA = "Why consistency beats virality on LinkedIn"


def _runs(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Generation)) or 0)


def _generate(qtbot: QtBot, tab: StudioTab, idea: str = IDEA) -> None:
    tab.idea_edit.setPlainText(idea)
    QTest.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)


def _wait_for_cards(qtbot: QtBot, tab: StudioTab) -> None:
    qtbot.waitUntil(lambda: not tab.jobs.busy and tab.cards[0].isVisible())
    _settle(qtbot, tab)


def _settle(qtbot: QtBot, tab: StudioTab) -> None:
    """The history (and a run opened from it) are read on the database worker."""
    qtbot.waitUntil(lambda: tab.tasks.pending == 0)


def test_generate_shows_three_cards_with_counts_and_the_feed_fold(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers, engine: Engine
) -> None:
    tab.tone_box.setCurrentIndex(tab.tone_box.findData("bold"))
    _generate(qtbot, tab)
    assert tab.progress_row.isVisible()  # busy at once, before any answer
    _wait_for_cards(qtbot, tab)

    assert "bold" in ai_env.anthropic.requests[0].json()["messages"][0]["content"]
    for card, text in zip(tab.cards, DEFAULT_VARIATIONS, strict=True):
        assert card.text == text
        assert card.count_label.text() == f"{len(text):,} / {MAX_CONTENT_CHARS:,} characters"
    long_one, short_one, three_lines = tab.cards
    assert SEE_MORE in long_one.body.text()  # over 210 characters
    assert SEE_MORE not in short_one.body.text()  # fits above the fold
    assert SEE_MORE in three_lines.body.text()  # folded at the third line break
    assert "Three rules" not in three_lines.body.text()
    three_lines.unfold_button.click()
    assert "Three rules" in three_lines.body.text()
    assert not tab.progress_row.isVisible()
    assert tab.history.count() == 1
    assert _runs(engine) == 1


def test_use_as_draft_creates_the_draft_and_asks_drafts_to_open_it(
    qtbot: QtBot, tab: StudioTab, signals: AppSignals, workspace: Workspace
) -> None:
    _generate(qtbot, tab)
    _wait_for_cards(qtbot, tab)
    changed: list[PostsChanged] = []
    signals.posts_changed.connect(changed.append)
    with qtbot.waitSignal(signals.open_post_requested) as opened:
        QTest.mouseClick(tab.cards[1].use_button, Qt.MouseButton.LeftButton)
    post_id = opened.args[0]
    assert changed == [PostsChanged((post_id,), initiator=tab)]
    post = PostService(workspace.engine, workspace.user_id).get(post_id)
    assert post.status == "draft"
    assert post.content == DEFAULT_VARIATIONS[1]
    assert post.title == IDEA
    assert post.image_path is None
    assert "Draft created" in tab.messages.text_label.text()


def test_generate_image_adds_it_to_the_run_and_the_draft_gets_a_copy(
    qtbot: QtBot, tab: StudioTab, signals: AppSignals, workspace: Workspace, engine: Engine
) -> None:
    _generate(qtbot, tab)
    _wait_for_cards(qtbot, tab)
    QTest.mouseClick(tab.image_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.jobs.busy and tab.images.count() == 1)
    assert tab.images_panel.isVisible()
    image = tab.selected_image()
    assert image is not None and image.parent == workspace.config.media_dir
    assert _runs(engine) == 1  # the image joined the run on screen

    with qtbot.waitSignal(signals.open_post_requested) as opened:
        tab.cards[0].use_button.click()
    post = PostService(workspace.engine, workspace.user_id).get(opened.args[0])
    assert post.image_path is not None
    assert Path(post.image_path).read_bytes() == image.read_bytes()


def test_cancel_while_the_server_is_slow_frees_the_window_and_saves_nothing(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers, engine: Engine
) -> None:
    ai_env.anthropic.inject(delay_s=60)
    _generate(qtbot, tab)
    # This test runs on the UI thread: it gets here while the request is still in flight, so
    # the window was never blocked waiting for the network.
    qtbot.waitUntil(lambda: len(ai_env.anthropic.requests) == 1)
    assert tab.progress_row.isVisible()
    assert not tab.generate_button.isEnabled()
    assert not tab.history.isEnabled()
    tab.idea_edit.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(tab.idea_edit, " (draft 2)")
    assert tab.idea_edit.toPlainText() == IDEA + " (draft 2)"

    QTest.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert not tab.jobs.busy
    assert not tab.progress_row.isVisible()
    assert tab.generate_button.isEnabled() and tab.history.isEnabled()
    assert tab.messages.text_label.text() == "Cancelled. Nothing was saved."
    qtbot.waitUntil(lambda: ai_env.anthropic.disconnects == 1)  # the request really stopped
    tab.tasks.wait_idle()
    assert _runs(engine) == 0
    assert not tab.cards[0].isVisible()
    assert tab.history.count() == 0


def test_escape_cancels(qtbot: QtBot, tab: StudioTab, ai_env: AiServers, engine: Engine) -> None:
    ai_env.gemini.inject(delay_s=60)
    tab.idea_edit.setPlainText(IDEA)
    tab.image_button.click()
    qtbot.waitUntil(lambda: len(ai_env.gemini.requests) == 1)
    QTest.keyClick(tab.cancel_button, Qt.Key.Key_Escape)
    assert not tab.jobs.busy
    qtbot.waitUntil(lambda: ai_env.gemini.disconnects == 1)
    tab.tasks.wait_idle()
    assert _runs(engine) == 0
    assert not list(tab.service.config.media_dir.glob("*"))


def test_errors_are_shown_in_plain_words(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers, keys: dict[str, str | None]
) -> None:
    ai_env.anthropic.inject(429, retry_after=30)
    _generate(qtbot, tab)
    qtbot.waitUntil(lambda: tab.messages.isVisible())
    assert tab.messages.text_label.text() == (
        "Anthropic is limiting how often you can ask. Try again in 30 seconds."
    )
    assert not tab.cards[0].isVisible()

    keys["anthropic"] = None
    QTest.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Add your Anthropic API key" in tab.messages.text_label.text())

    keys["anthropic"] = "sk-ant-revoked"
    tab.generate()
    qtbot.waitUntil(lambda: "did not accept your API key" in tab.messages.text_label.text())

    keys["anthropic"] = ai_env.anthropic.api_key
    ai_env.anthropic.reply_text = "I'd be happy to help! Here are some thoughts…"
    tab.generate()
    qtbot.waitUntil(lambda: "does not understand" in tab.messages.text_label.text())


def test_an_empty_idea_asks_for_one_and_sends_nothing(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers
) -> None:
    QTest.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert "Write your idea first" in tab.messages.text_label.text()
    assert not tab.jobs.busy
    assert ai_env.anthropic.requests == []


def test_ctrl_enter_in_the_idea_box_generates(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers
) -> None:
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.idea_edit.setFocus()
    QTest.keyClicks(tab.idea_edit, IDEA)
    QTest.keyClick(tab.idea_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _wait_for_cards(qtbot, tab)
    assert ai_env.anthropic.requests[0].json()["messages"][0]["content"].startswith(f"Idea: {IDEA}")


def test_history_reopens_a_past_run(qtbot: QtBot, tab: StudioTab, ai_env: AiServers) -> None:
    _generate(qtbot, tab, "first idea")
    _wait_for_cards(qtbot, tab)
    ai_env.anthropic.variations = ["second A", "second B", "second C"]
    _generate(qtbot, tab, "second idea")
    qtbot.waitUntil(lambda: tab.cards[0].text == "second A")
    _settle(qtbot, tab)
    assert tab.history.count() == 2

    first = next(
        tab.history.item(row)
        for row in range(tab.history.count())
        if tab.history.item(row).text().startswith("first idea")
    )
    tab.idea_edit.setPlainText("a new idea I was typing")
    tab.history.setCurrentItem(first)
    _settle(qtbot, tab)
    assert tab.idea_edit.toPlainText() == "first idea"
    assert [card.text for card in tab.cards] == DEFAULT_VARIATIONS
    assert tab.run is not None and tab.run.idea == "first idea"
    tab.idea_edit.undo()  # opening a past run never loses what was being typed
    assert tab.idea_edit.toPlainText() == "a new idea I was typing"


def test_every_control_has_a_name_for_automation_and_screen_readers(tab: StudioTab) -> None:
    controls = [
        tab.idea_edit,
        tab.tone_box,
        tab.length_box,
        tab.generate_button,
        tab.image_button,
        tab.cancel_button,
        tab.history,
        tab.images,
        tab.attach_box,
        *(w for card in tab.cards for w in (card.use_button, card.copy_button, card.unfold_button)),
    ]
    for widget in controls:
        assert widget.objectName()
        assert widget.accessibleName()


@pytest.mark.usefixtures("memory_keyring")
def test_the_tab_reads_the_keys_settings_stored_in_the_keyring(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals, ai_env: AiServers
) -> None:
    store = SecretStore()
    store.set(SecretName.ANTHROPIC_API_KEY, ai_env.anthropic.api_key)
    studio = StudioTab(workspace, signals)
    qtbot.addWidget(studio)
    studio.show()
    try:
        _generate(qtbot, studio)
        _wait_for_cards(qtbot, studio)
        assert ai_env.anthropic.requests[0].headers["x-api-key"] == ai_env.anthropic.api_key
        studio.generate_image()
        qtbot.waitUntil(
            lambda: "Add your Google Gemini API key" in studio.messages.text_label.text()
        )
    finally:
        studio.shutdown()
